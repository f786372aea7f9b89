"""The Graph Store's default graph sent from the /download/ dumps (:mod:`server.graphstore`).

The default graph is the union of every graph, which is what the dumps hold. While they are of
the store as it is now, a read of it is answered from them instead of a CONSTRUCT of everything
(nationally 24 s; at 150 x 10 past any timeout):

- Turtle and JSON-LD: the dump as stored;
- N-Triples: gzipped as stored to a client that takes gzip, else unzipped on the way;
- TriG: the Turtle dump (a Turtle document is a TriG document of its default graph; the TriG
  dump keeps the graphs apart, so it is not the default graph);
- RDF/XML: converted from the N-Triples dump as it is read, in a thread that hands the bytes on
  through a bounded queue, so memory stays flat however big the graph.

Each variant has its own ETag (other bytes, other tag), and a 304 varies on Accept and
Accept-Encoding.
"""
from __future__ import annotations

import gzip
import os
import queue
import threading

import pyoxigraph as ox
from flask import Response, request
from werkzeug.wsgi import wrap_file

from core import formats
from core.negotiate import NotAcceptable
from core.worker import Job, choose

from .downloads import open_union_dump
from .store import get_service, not_modified

#: formats with no dump of their own -> the dump they are sent from
SENT_AS = {"trig": "turtle"}
#: formats converted on the way -> the dump they are converted from
CONVERTED_FROM = {"rdfxml": "ntriples"}
CHUNK = 256 * 1024


def from_dump(job: Job) -> Response | None:
    """The default graph from the dump for the asked format when that dump is of the store as it
    is now; None to run the query."""
    try:
        key = choose("graph", job)
    except NotAcceptable:
        return None                    # the query's path answers 406
    opened = open_union_dump(SENT_AS.get(key) or CONVERTED_FROM.get(key) or key)
    if opened is None:
        return None
    stored_gzipped = opened.name.endswith(".gz")
    converted = key in CONVERTED_FROM
    sent_gzipped = stored_gzipped and not converted and bool(request.accept_encodings["gzip"])
    tag = get_service().etag(job, "dump", "gzip" if sent_gzipped else "")   # other bytes, other tag
    unchanged = not_modified(tag)
    if unchanged is not None:
        opened.close()
        unchanged.vary.update(("Accept", "Accept-Encoding"))
        return unchanged
    response = Response(content_type=formats.RDF_FORMATS[key].content_type, direct_passthrough=True)
    if converted:
        response.response = _converted(opened, stored_gzipped, formats.RDF_FORMATS[key].ox_format)
    elif stored_gzipped and not sent_gzipped:
        response.response = _unzipped(opened)
    else:
        response.response = wrap_file(request.environ, opened)
        response.content_length = os.fstat(opened.fileno()).st_size
        if sent_gzipped:
            response.content_encoding = "gzip"
    response.vary.update(("Accept", "Accept-Encoding"))
    response.set_etag(tag)
    return response


def _unzipped(opened):
    with opened, gzip.GzipFile(fileobj=opened) as unzipping:
        while block := unzipping.read(CHUNK):
            yield block


class _Stopped(Exception):
    """The response was closed (the client went away): the conversion stops."""


class _Chunks:
    """A file the converter writes to, handing on chunks of about ``CHUNK`` bytes."""

    def __init__(self, out: queue.Queue, stop: threading.Event):
        self.out, self.stop, self.buffer = out, stop, bytearray()

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.put(bytes(self.buffer))
            self.buffer.clear()

    def put(self, item) -> None:
        while True:
            if self.stop.is_set():
                raise _Stopped
            try:
                self.out.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


def _convert(opened, gzipped: bool, to: ox.RdfFormat, chunks: _Chunks) -> None:
    """Write the N-Triples in ``opened`` as ``to`` into ``chunks``, then None (or the error)."""
    try:
        with opened, (gzip.GzipFile(fileobj=opened) if gzipped else opened) as source:
            ox.serialize(ox.parse(source, format=ox.RdfFormat.N_TRIPLES), chunks, to)
        chunks.flush()
        chunks.put(None)
    except _Stopped:
        pass
    except Exception as exc:  # noqa: BLE001 - handed to the response, which ends with it
        chunks.put(exc)


def _converted(opened, gzipped: bool, to: ox.RdfFormat):
    """The response body: the converter's chunks as it writes them."""
    out: queue.Queue = queue.Queue(maxsize=16)
    stop = threading.Event()
    threading.Thread(target=_convert, args=(opened, gzipped, to, _Chunks(out, stop)), daemon=True,
                     name="ofsted-kg-graph-convert").start()
    try:
        while (item := out.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()
