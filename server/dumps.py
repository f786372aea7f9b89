"""Dump files and dataset descriptions for open-data portals: the server's ``/download/``
folder and ``ofsted-kg export --dumps`` (static portal) write them with :func:`write_dumps`.

One writer for every store, through :class:`core.store.EmbeddedStore`'s interface. An embedded
store is read in place; any other source (a remote SPARQL store) is first copied, graph by graph, into a
temporary on-disk pyoxigraph store (a snapshot), so the union of the graphs is de-duplicated,
ordered and counted by the same engine and every file describes the same state. The snapshot is
bulk-loaded in chunks of ``COPY_CHUNK`` quads, which keeps memory flat (~170 MB at 1M quads; an
in-memory copy took ~550 MB) at the cost of time (~30 s per million quads).
"""
from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Protocol

import pyoxigraph as ox

from core import formats, settings
from core.store import EmbeddedStore

from . import describe

DESCRIPTIONS = ("void.ttl", "catalog.ttl")
SNAPSHOT_PREFIX = ".snapshot-"
#: files being written (a writer stopped half-way leaves them: the next writer removes them)
TEMP_PREFIX = ".tmp-"
#: what the VoID description counts, kept beside the dumps for the live description
#: (:func:`server.downloads.current_counts`): counting the union again takes seconds
COUNTS = ".counts.json"
COPY_CHUNK = 100_000        # quads per bulk load into a snapshot (each call costs ~15 ms on its own)


class QuadSource(Protocol):
    """What the writer reads: the named graphs, and each one's triples as quads
    (``EmbeddedStore`` and ``RemoteStore`` both are one)."""

    def named_graphs(self) -> list[str]: ...

    def graph_quads(self, graph_iri: str) -> Iterable[ox.Quad]: ...


def snapshot(source: QuadSource, path: Path) -> EmbeddedStore:
    """A new on-disk store at ``path`` holding ``source``'s named graphs."""
    copy = EmbeddedStore(path)
    quads = itertools.chain.from_iterable(source.graph_quads(g) for g in source.named_graphs())
    while chunk := list(itertools.islice(quads, COPY_CHUNK)):
        copy.extend(chunk)
    return copy


def _atomic_write(path: Path, write) -> None:
    """Write ``path`` whole or not at all, readable by all like any published file (mkstemp's
    0600 would keep a static portal's web server out), within the process's umask."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX + path.name.lstrip("."))
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o644 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_dumps(store: QuadSource | EmbeddedStore, folder: str | os.PathLike[str], *,
                public_url: str = "http://127.0.0.1:5000/", base_iri: str | None = None,
                publisher: str | None = None, modified: dt.datetime | None = None,
                keep_counts: bool = False) -> list[Path]:
    """Write every dump (N-Triples gzipped, Turtle, JSON-LD, TriG) and ``void.ttl``/``catalog.ttl``.

    Each file is written to a temporary name and renamed, so readers never see half a file.

    :param store: an ``EmbeddedStore`` (read in place), or any
        :class:`QuadSource` such as a ``RemoteStore`` (copied into a snapshot first).
    :param folder: where to write (created if missing).
    :param public_url: the root URL the files will be published under (for VoID/DCAT links).
    :param base_iri: the data's base IRI (VoID ``uriSpace``; default: the ``BASE_IRI`` setting).
    :param publisher: named in the descriptions (default: the ``PUBLISHER`` setting).
    :param modified: the descriptions' ``dct:modified``; by default when an embedded store's
        directory last changed (what the server's ``/catalog`` says), else now.
    :param keep_counts: also keep the description's counts in ``COUNTS`` (a hidden file the
        server reads back, :func:`server.downloads.current_counts`; not for a static portal).
    :return: the paths written.
    :raise OSError: a copied source could not be read (e.g. ``RemoteStoreError``); no file
        has been changed then.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if modified is None and getattr(store, "path", None):
        # as the server's live description says: when the store's directory last changed
        modified = dt.datetime.fromtimestamp(os.stat(store.path).st_mtime, dt.timezone.utc)
    base_iri = settings.base_iri(base_iri)
    publisher = publisher or str(settings.get("PUBLISHER"))
    args = (folder, public_url, base_iri, publisher, modified, keep_counts)
    if isinstance(store, EmbeddedStore):
        return _write(store, *args)
    tmp = Path(tempfile.mkdtemp(dir=folder, prefix=SNAPSHOT_PREFIX))
    copy = None
    try:
        copy = snapshot(store, tmp)
        return _write(copy, *args)
    finally:
        if copy is not None:
            copy.close()            # before its files go
        shutil.rmtree(tmp, ignore_errors=True)


def _write(source: EmbeddedStore, folder: Path, public_url: str, base_iri: str, publisher: str,
           modified: dt.datetime | None, keep_counts: bool) -> list[Path]:
    """The dumps of ``source`` into ``folder``. The union's triples are read from the store once
    (:meth:`EmbeddedStore.union_triples`, which counts them) into an N-Triples file that the
    other triple formats are converted from; the TriG dump is the store's quads, graph by graph
    (:meth:`EmbeddedStore.quads_in_order`, which counts each graph's triples for the VoID
    description). Both read the store in bounded memory, reopening it as they go."""
    written: dict[str, Path] = {}
    tally = [0, 0]                                  # distinct subjects, distinct triples
    graph_triples: dict[str, int] = {}              # per named graph, counted as the TriG dump is written
    fd, union = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX + "union-", suffix=".nt")
    try:
        with os.fdopen(fd, "wb") as out:
            ox.serialize(source.union_triples(tally), out, format=ox.RdfFormat.N_TRIPLES)
        for name, (key, _title) in describe.DUMPS.items():
            _atomic_write(folder / name, _writer(key, name, source, union, graph_triples))
            written[name] = folder / name
    finally:
        Path(union).unlink(missing_ok=True)
    per_graph = dict(sorted(graph_triples.items()))
    u = describe.urls(public_url)
    sizes = {name: path.stat().st_size for name, path in written.items()}
    modified = modified or dt.datetime.now(dt.timezone.utc)     # see write_dumps
    void = describe.void(u, base_iri, per_graph, tally[1], tally[0], modified, publisher, sizes)
    if keep_counts:
        counted = {"per_graph": per_graph, "triples": tally[1], "subjects": tally[0]}
        _atomic_write(folder / COUNTS, lambda out: out.write(json.dumps(counted).encode("utf-8")))
    for name, triples in (("void.ttl", void), ("catalog.ttl", describe.catalog(u, void))):
        body, _ = formats.write_rdf(triples, "turtle")
        _atomic_write(folder / name, lambda out, body=body: out.write(body))
        written[name] = folder / name
    return list(written.values())


def _writer(key: str, name: str, source: EmbeddedStore, union: str, per_graph: dict[str, int]):
    """What writes one dump to an open file: TriG from the store's quads (counting each named
    graph's triples into ``per_graph``), the triple formats from the union's N-Triples file
    (gzipped as it is, or parsed and written again)."""
    fmt = formats.RDF_FORMATS[key].ox_format
    prefixes = formats.PREFIXES if key in ("turtle", "trig") else None
    if key == "trig":
        return lambda out: ox.serialize(source.quads_in_order(per_graph), out, format=fmt, prefixes=prefixes)
    if name.endswith(".gz"):
        def gzipped(out):
            with open(union, "rb") as plain, gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
                shutil.copyfileobj(plain, gz, 1 << 20)
        return gzipped
    return lambda out: ox.serialize(ox.parse(path=union, format=ox.RdfFormat.N_TRIPLES), out,
                                    format=fmt, prefixes=prefixes)
