"""Dump files and dataset descriptions for open-data portals: the server's ``/download/``
folder and ``ofsted-kg export`` (static portal) write them with :func:`write_dumps`.
"""
from __future__ import annotations

import datetime as dt
import gzip
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from . import describe, render

UNION_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
GRAPH_COUNTS = (Path(__file__).parent / "queries" / "graph-counts.rq").read_text(encoding="utf-8")
UNION_COUNT = (Path(__file__).parent / "queries" / "union-count.rq").read_text(encoding="utf-8")
DESCRIPTIONS = ("void.ttl", "catalog.ttl")


def _raw(store) -> ox.Store:
    return getattr(store, "store", store)


def counts(store) -> tuple[dict[str, int], int, int]:
    """Triples per named graph, distinct triples in the union, distinct subjects."""
    raw = _raw(store)
    per_graph = {row["g"].value: int(row["triples"].value)
                 for row in raw.query(GRAPH_COUNTS) if isinstance(row["g"], ox.NamedNode)}
    total = next(iter(raw.query(UNION_COUNT, use_default_graph_as_union=True)))
    return per_graph, int(total["triples"].value), int(total["subjects"].value)


def _atomic_write(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_dumps(store, folder: str | os.PathLike[str], *, public_url: str = "http://127.0.0.1:5000/",
                base_iri: str = "https://w3id.org/ofsted-kg/", publisher: str = "ofsted-kg project",
                modified: dt.datetime | None = None) -> list[Path]:
    """Write every dump (N-Triples gzipped, Turtle, JSON-LD, TriG) and ``void.ttl``/``catalog.ttl``.

    Each file is written to a temporary name and renamed, so readers never see half a file.

    :param store: an ``EmbeddedStore`` or a ``pyoxigraph.Store``.
    :param folder: where to write (created if missing).
    :param public_url: the root URL the files will be published under (for VoID/DCAT links).
    :param base_iri: the data's base IRI (VoID ``uriSpace``).
    :return: the paths written.
    """
    raw = _raw(store)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, (key, _title) in describe.DUMPS.items():
        path = folder / name
        fmt = render.RDF_FORMATS[key].ox_format
        prefixes = render.PREFIXES if key in ("turtle", "trig") else None
        if key == "trig":
            def write(out, fmt=fmt, prefixes=prefixes):
                ox.serialize(raw.quads_for_pattern(None, None, None, None), out, format=fmt,
                             prefixes=prefixes)
        elif name.endswith(".gz"):
            def write(out, fmt=fmt):
                with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
                    ox.serialize(raw.query(UNION_TRIPLES, use_default_graph_as_union=True), gz, format=fmt)
        else:
            def write(out, fmt=fmt, prefixes=prefixes):
                ox.serialize(raw.query(UNION_TRIPLES, use_default_graph_as_union=True), out,
                             format=fmt, prefixes=prefixes)
        _atomic_write(path, write)
        written[name] = path
    per_graph, total, subjects = counts(raw)
    u = {"root": public_url.rstrip("/") + "/", "sparql": public_url.rstrip("/") + "/sparql",
         "void": public_url.rstrip("/") + "/.well-known/void",
         "catalog": public_url.rstrip("/") + "/catalog",
         "download": public_url.rstrip("/") + "/download/"}
    sizes = {name: path.stat().st_size for name, path in written.items()}
    modified = modified or dt.datetime.now(dt.timezone.utc)
    void = describe.void(u, base_iri, per_graph, total, subjects, modified, publisher, sizes)
    for name, triples in (("void.ttl", void), ("catalog.ttl", describe.catalog(u, void))):
        body, _ = render.write_rdf(triples, "turtle")
        _atomic_write(folder / name, lambda out, body=body: out.write(body))
        written[name] = folder / name
    return list(written.values())
