"""The remote store against a real Virtuoso: same answers as the embedded store, idempotent
re-ingest, failed writes that change nothing, and replaces that readers see whole.

Answers are compared as multisets of rows, each cell as (kind, lexical value, datatype,
language), with no normalisation: on the bundled corpus Virtuoso 7.2.5 gives every canned query
exactly the embedded store's terms, datatypes included (COUNT is xsd:integer on both). Row
order is not compared (ties under ORDER BY may break differently).
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter

import pyoxigraph as ox
import pytest

import queries
from tests.remote.cases import canned_variants, cell
from core.flat import flat_graph
from queries import full_text
from core.remote import STAGING_PREFIX, RemoteStoreError, SYSTEM_GRAPHS
from tests.conftest import ROOT, corpus_files

pytestmark = pytest.mark.virtuoso

QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def _cell(term):
    return cell(term, blank_labels=False)        # labels are the store's own


def _answer(store, sparql, substitutions):
    result = store.query(sparql, substitutions=substitutions)
    names = [v.value for v in result.variables]
    return names, Counter(tuple(_cell(row[n]) for n in names) for row in result)


def _snapshot(store) -> Counter:
    """Every quad outside the server's own graphs (blank nodes anonymised)."""
    return Counter((r["g"].value, _cell(r["s"]), _cell(r["p"]), _cell(r["o"]))
                   for r in store.query(QUADS) if r["g"].value not in SYSTEM_GRAPHS)


def test_ingest_pushes_named_graphs(remote_corpus, embedded_corpus):
    # the flat graph is written to the embedded store only (a remote store runs the full queries)
    assert remote_corpus.named_graphs() == [g for g in embedded_corpus.named_graphs() if g != flat_graph()]
    doc = next(g for g in remote_corpus.named_graphs() if "/id/document/" in g
               and not g.endswith("/inferred"))
    assert remote_corpus.document_hash(doc) == embedded_corpus.document_hash(doc)
    digest = remote_corpus.document_hash(doc)
    assert remote_corpus.document_with_hash(digest) == doc
    assert remote_corpus.document_with_hash("0" * 64) is None


@pytest.mark.parametrize("name, values", list(canned_variants()))
def test_canned_query_same_answers(name, values, remote_corpus, embedded_corpus, virtuoso):
    canned = queries.load_all()[name]
    subs = canned.bindings(values)
    t0 = time.perf_counter()
    e_names, embedded = _answer(embedded_corpus, canned.sparql, subs)
    t1 = time.perf_counter()
    r_names, remote = _answer(remote_corpus, full_text(name) or canned.sparql, subs)   # as the server does
    t2 = time.perf_counter()
    virtuoso.timings.setdefault("queries", {})[f"{name}{'-examples' if values else ''}"] = {
        "rows": sum(embedded.values()), "embedded_ms": round((t1 - t0) * 1000, 1),
        "virtuoso_ms": round((t2 - t1) * 1000, 1)}
    assert r_names == e_names
    assert remote == embedded, (f"only embedded: {list(embedded - remote)[:3]}; "
                                f"only Virtuoso: {list(remote - embedded)[:3]}")


def test_construct_and_ask_like_pyoxigraph(remote_corpus, embedded_corpus):
    graph = next(g for g in remote_corpus.named_graphs() if g.endswith("/inferred"))
    sparql = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    subs = {ox.Variable("g"): ox.NamedNode(graph)}
    remote = remote_corpus.query(sparql, substitutions=subs)
    embedded = list(embedded_corpus.query(sparql, substitutions=subs))
    assert remote and all(isinstance(t, ox.Triple) for t in remote)
    assert Counter(map(str, remote)) == Counter(map(str, embedded))
    assert bool(remote_corpus.query("ASK { ?s a ?type }")) is True
    assert bool(remote_corpus.query("ASK { ?s a <urn:no-such-class> }")) is False


def test_parameter_text_is_bound_not_spliced(remote_corpus):
    before = _snapshot(remote_corpus)
    hostile = ox.Literal('x" } } ; DROP ALL ; # {')
    rows = list(remote_corpus.query(queries.load_all()["authorities"].sparql,
                                    substitutions={ox.Variable("name_words"): hostile}))
    assert rows == []
    assert _snapshot(remote_corpus) == before


@pytest.mark.slow      # fast loop: the unchanged re-ingest is test_cli_ingest_into_virtuoso's, the
                       # forced one tests/ingest/test_pipeline.py's, whole replaces the two below
def test_reingest_is_idempotent(remote_corpus, tmp_path):
    from ingest.pipeline import Ingestor
    from tests.conftest import corpus_files
    before = _snapshot(remote_corpus)
    outcomes = Ingestor(remote_corpus, jobs=1).run(corpus_files())
    assert all(o.ok and o.unchanged for o in outcomes)
    assert _snapshot(remote_corpus) == before
    outcomes = Ingestor(remote_corpus, jobs=1, force=True).run(corpus_files())
    assert all(o.ok and not o.unchanged for o in outcomes)
    assert _snapshot(remote_corpus) == before


def test_failed_document_leaves_store_unchanged(remote_corpus, tmp_path):
    from ingest.pipeline import Ingestor
    before = _snapshot(remote_corpus)
    bad = tmp_path / "not-an-inspection-report.txt"
    bad.write_text("Minutes of the parish council meeting.\nThe hall roof needs repair.\n")
    outcomes = Ingestor(remote_corpus, jobs=1).run([str(bad)])
    assert [o.ok for o in outcomes] == [False]
    assert _snapshot(remote_corpus) == before


def test_failed_replace_changes_nothing(remote_corpus):
    """A write whose second graph the server refuses: the first graph stays as it was too,
    and no staging graph is left behind."""
    before = _snapshot(remote_corpus)
    doc = next(g for g in remote_corpus.named_graphs() if "/id/document/" in g
               and not g.endswith("/inferred"))
    with pytest.raises(RemoteStoreError):
        remote_corpus.replace_graphs({doc: b"<urn:a> <urn:b> <urn:c> .\n",
                                      doc + "/inferred": b"<urn:a> <urn:b> this is not RDF .\n"})
    assert _snapshot(remote_corpus) == before
    graphs = [r["g"].value for r in remote_corpus.query(
        "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")]
    assert not [g for g in graphs if g.startswith(STAGING_PREFIX)]


@pytest.mark.slow      # fast loop: 50-76 s on two busy cores (twelve replaces beside a reader);
def test_readers_see_whole_graphs_during_replaces(remote_corpus, virtuoso):   # atomicity: the full suite
    """One reader counts a graph while it is replaced again and again: it must only ever see
    all of one version (N triples, one marker), never a mixture, an empty graph or both."""
    graph = "https://w3id.org/ofsted-kg/id/graph/test-atomicity"
    n = 2000

    def version(mark: str) -> bytes:
        return "".join(f'<urn:s{i}> <urn:p> "{mark}" .\n' for i in range(n)).encode()

    remote_corpus.replace_graphs({graph: version("A")})
    reader = virtuoso.store()
    sparql = ("SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?o) AS ?marks) (SAMPLE(?o) AS ?mark) "
              "WHERE { GRAPH ?g { ?s ?p ?o } }")
    seen, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            for row in reader.query(sparql, substitutions={ox.Variable("g"): ox.NamedNode(graph)}):
                seen.append((int(row["n"].value), int(row["marks"].value)))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for i in range(12):
            remote_corpus.replace_graphs({graph: version("B" if i % 2 == 0 else "A")})
    finally:
        stop.set()
        thread.join(30)
        remote_corpus.remove_graphs([graph])
        reader.close()
    virtuoso.timings["atomicity_reads"] = len(seen)
    assert seen and set(seen) == {(n, 1)}, Counter(seen).most_common(5)


def _cli(virtuoso, *args: str, user: bool = True) -> subprocess.CompletedProcess:
    """The installed command, as a user runs it (the password only in the environment)."""
    env = {**os.environ, "OFSTED_KG_REMOTE_PASSWORD": virtuoso.env["VIRTUOSO_PASSWORD"]}
    if user:
        env["OFSTED_KG_REMOTE_USER"] = virtuoso.env["VIRTUOSO_USER"]
    return subprocess.run([sys.executable, "-m", "ingest", *args,
                           "--store", virtuoso.env["VIRTUOSO_QUERY_ENDPOINT"]],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_cli_query_against_virtuoso(remote_corpus, virtuoso):
    done = _cli(virtuoso, "query", "authority-timeline", "--param", "authority_filter=Bristol",
                "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "Bristol" in done.stdout and len(done.stdout.splitlines()) == 4


def test_cli_ingest_into_virtuoso(remote_corpus, virtuoso):
    done = _cli(virtuoso, "ingest", *corpus_files(), "--quiet",     # the reports, as remote_corpus
                "--update-endpoint", virtuoso.env["VIRTUOSO_UPDATE_ENDPOINT"],
                "--graph-store-endpoint", virtuoso.env["VIRTUOSO_GRAPH_STORE_ENDPOINT"],
                "--remote-user", virtuoso.env["VIRTUOSO_USER"], user=False)
    assert done.returncode == 0, done.stderr
    assert "5 document(s) in the store (5 unchanged)" in done.stderr
