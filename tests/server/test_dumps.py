"""Dumps and dataset descriptions: /download/, /.well-known/void, /catalog and write_dumps."""
from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest
import rdflib
import requests

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
OGL = rdflib.URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")


def union_size(store_path) -> int:
    store = ox.Store.read_only(str(store_path))
    return len(list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)))


def test_download_index_lists_every_dump(live):
    r = requests.get(live.url + "/download/", headers={"Accept": "text/html"})
    assert r.status_code == 200
    for name in ("ofsted-kg.nt.gz", "ofsted-kg.ttl", "ofsted-kg.jsonld", "ofsted-kg.trig", "void.ttl"):
        assert f"/download/{name}" in r.text


def test_dumps_hold_the_whole_graph(live, store_path):
    expected = union_size(store_path)
    nt = gzip.decompress(requests.get(live.url + "/download/ofsted-kg.nt.gz").content)
    assert len(list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))) == expected
    ttl = requests.get(live.url + "/download/ofsted-kg.ttl")
    assert ttl.headers["Content-Type"].startswith("text/turtle")
    assert len(list(ox.parse(ttl.content, format=ox.RdfFormat.TURTLE))) == expected
    jsonld = requests.get(live.url + "/download/ofsted-kg.jsonld").content
    assert len(list(ox.parse(jsonld, format=ox.RdfFormat.JSON_LD))) == expected


def test_trig_keeps_the_document_graphs(live, store_path):
    trig = requests.get(live.url + "/download/ofsted-kg.trig").content
    graphs = {q.graph_name.value for q in ox.parse(trig, format=ox.RdfFormat.TRIG)
              if isinstance(q.graph_name, ox.NamedNode)}
    store = ox.Store.read_only(str(store_path))
    assert graphs == {g.value for g in store.named_graphs()}
    assert any("/id/document/" in g for g in graphs)


def test_unknown_download_is_404(live):
    assert requests.get(live.url + "/download/secrets.txt").status_code == 404
    assert requests.get(live.url + "/download/..%2F..%2Fetc%2Fpasswd").status_code == 404


@pytest.mark.parametrize("accept, parse_as", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                              ("application/rdf+xml", "xml")])
def test_void_description(live, store_path, accept, parse_as):
    r = requests.get(live.url + "/.well-known/void", headers={"Accept": accept})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.content, format=parse_as)
    ds = g.value(predicate=rdflib.RDF.type, object=VOID.Dataset, any=True)
    ds = next(s for s in g.subjects(rdflib.RDF.type, VOID.Dataset) if (s, VOID.sparqlEndpoint, None) in g
              and (s, DCTERMS.license, None) in g)
    assert int(g.value(ds, VOID.triples)) == union_size(store_path)
    assert g.value(ds, DCTERMS.license) == OGL
    assert g.value(ds, VOID.sparqlEndpoint) == rdflib.URIRef(live.url + "/sparql")
    assert g.value(ds, DCTERMS.modified) is not None
    assert g.value(ds, DCTERMS.publisher) is not None
    assert rdflib.URIRef(live.url + "/download/ofsted-kg.nt.gz") in set(g.objects(ds, VOID.dataDump))
    subsets = list(g.objects(ds, VOID.subset))
    assert any("/id/document/" in str(s) for s in subsets)


def test_dcat_catalogue(live):
    g = rdflib.Graph().parse(data=requests.get(live.url + "/catalog").text, format="turtle")
    catalog = g.value(predicate=rdflib.RDF.type, object=DCAT.Catalog)
    ds = g.value(catalog, DCAT.dataset)
    service = g.value(catalog, DCAT.service)
    assert g.value(service, DCAT.endpointURL) == rdflib.URIRef(live.url + "/sparql")
    assert len(list(g.objects(ds, DCAT.distribution))) == 4
    assert g.value(ds, DCTERMS.license) == OGL


def test_write_dumps_for_a_static_portal(store_path, tmp_path):
    from core.store import open_store
    from server.dumps import write_dumps
    store = open_store(store_path, read_only=True)
    paths = write_dumps(store, tmp_path / "portal", public_url="https://data.example.org/ofsted/")
    names = {p.name for p in paths}
    assert names == {"ofsted-kg.nt.gz", "ofsted-kg.ttl", "ofsted-kg.jsonld", "ofsted-kg.trig",
                     "void.ttl", "catalog.ttl"}
    g = rdflib.Graph().parse(tmp_path / "portal" / "void.ttl", format="turtle")
    assert (None, VOID.sparqlEndpoint, rdflib.URIRef("https://data.example.org/ofsted/sparql")) in g
    assert not list((tmp_path / "portal").glob(".*"))          # no temporary files left
    assert all(p.stat().st_mode & 0o044 == 0o044 for p in paths)   # a web server may read them


class _OnlyGraphs:
    """An embedded store seen only through the ``QuadSource`` interface (as a remote store is)."""

    def __init__(self, store):
        self._store = store

    def named_graphs(self):
        return self._store.named_graphs()

    def graph_quads(self, graph_iri):
        return self._store.graph_quads(graph_iri)


def test_a_quad_source_is_copied_and_written_alike(store_path, tmp_path):
    """The snapshot path (used for remote stores) writes the same bytes as reading in place."""
    import datetime as dt
    from core.store import open_store
    from server.dumps import write_dumps
    store = open_store(store_path, read_only=True)
    when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    in_place = write_dumps(store, tmp_path / "in-place", modified=when)
    copied = write_dumps(_OnlyGraphs(store), tmp_path / "copied", modified=when)
    assert [p.name for p in in_place] == [p.name for p in copied]
    for a, b in zip(in_place, copied):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert not list((tmp_path / "copied").glob(".*"))         # the snapshot is gone


def test_the_live_description_counts_what_the_dumps_counted(store_path, tmp_path):
    """The dumps' writer keeps its counts beside them; while the dumps are of the store as it is,
    /.well-known/void gives those counts instead of scanning the store again (seconds nationally,
    a gigabyte of hash set at 150 x 10); when they are stale it counts the store itself."""
    import json

    from tests.live import serve_app
    from tests.server.conftest import make_app
    application = make_app(store_path, DUMPS_DIR=str(tmp_path / "d"))
    try:
        with serve_app(application) as server:
            assert requests.get(server.url + "/download/").status_code == 200
            counted = json.loads((tmp_path / "d" / ".counts.json").read_text())
            assert counted["triples"] == union_size(store_path)
            store = ox.Store.read_only(str(store_path))
            subjects = {q.subject for q in store.quads_for_pattern(None, None, None, None)}
            assert counted["subjects"] == len(subjects)
            assert sum(counted["per_graph"].values()) == len(store)

            def void_triples(app_server) -> int:
                g = rdflib.Graph().parse(data=requests.get(app_server.url + "/.well-known/void").text,
                                         format="turtle")
                ds = next(s for s in g.subjects(rdflib.RDF.type, VOID.Dataset)
                          if (s, VOID.sparqlEndpoint, None) in g)
                return int(g.value(ds, VOID.triples))

            # the kept counts are what the live description says (altered here to tell them apart)
            (tmp_path / "d" / ".counts.json").write_text(json.dumps(dict(counted, triples=12345)))
            assert void_triples(server) == 12345
    finally:
        application.extensions["ofsted_kg"].pool.close()
    # a server whose store has changed since (its stamp differs) counts the store again
    stamp = tmp_path / "d" / ".stamp"
    stamp.write_text("another-state " + stamp.read_text().split(" ", 1)[1])
    again = make_app(store_path, DUMPS_DIR=str(tmp_path / "d"))
    try:
        with serve_app(again) as server:
            assert void_triples(server) == union_size(store_path)
    finally:
        again.extensions["ofsted_kg"].pool.close()


def test_the_dumps_bench_measures_the_writer_in_a_process_of_its_own(store_path):
    from bench.dumps import measure
    wall, cpu, peak, sizes = measure("writer", str(store_path))
    assert sorted(sizes) == sorted(["catalog.ttl", "ofsted-kg.jsonld", "ofsted-kg.nt.gz", "ofsted-kg.trig",
                                    "ofsted-kg.ttl", "void.ttl"])
    assert all(size > 0 for size in sizes.values()) and 0 < cpu and 20 < peak < 2000 and wall > 0


def test_a_writer_stopped_half_way_leaves_nothing_the_next_one_keeps(store_path, tmp_path):
    """A writer stopped mid-file leaves its temporary files (the start-up writer is stopped with
    the server); the next writer, under the lock, removes them. Kept counts that are not ours
    (a key missing) are taken as none."""
    import json

    from tests.live import serve_app
    from tests.server.conftest import make_app
    folder = tmp_path / "d"
    folder.mkdir()
    left = [folder / ".tmp-union-abc123.nt", folder / ".tmp-ofsted-kg.ttlxyz"]
    for path in left:
        path.write_bytes(b"<a> <b> <c> .\n" * 1000)
    application = make_app(store_path, DUMPS_DIR=str(folder))
    try:
        with serve_app(application) as server:
            assert requests.get(server.url + "/download/").status_code == 200
            assert not any(path.exists() for path in left)
            assert not list(folder.glob(".tmp-*"))
            (folder / ".counts.json").write_text(json.dumps({"per_graph": {}}))
            g = rdflib.Graph().parse(data=requests.get(server.url + "/.well-known/void").text, format="turtle")
            ds = next(s for s in g.subjects(rdflib.RDF.type, VOID.Dataset) if (s, VOID.sparqlEndpoint, None) in g)
            assert int(g.value(ds, VOID.triples)) == union_size(store_path)
    finally:
        application.extensions["ofsted_kg"].pool.close()
