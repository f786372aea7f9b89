"""A store whose flat graph is not current, written by other tables (ingested before an upgrade
changed a table's layout, then served or queried without ingesting again) or marked so by a write
through the server: the canned queries run their full texts, so their rows are right, and the
server and the CLI say why; the next ingest rebuilds it. Simulated on a copy of the corpus
store: the judgements rows lose their per_area links (a layout these tables do not read), and
the graph's builtFrom names other tables; a control copy keeps the digest, and its judgements
read the damaged rows (none), which shows which text ran."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from core.flat import BUILT_FROM, ROW_NS, flat_graph, tables_digest
from core.store import open_store
from tests.server.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]
PER_AREA = ox.NamedNode(ROW_NS + "judgements#per_area")


def damaged(store_path: Path, other_tables: bool) -> Path:
    """``store_path`` with its judgements rows' per_area links gone and, when ``other_tables``,
    its builtFrom naming another tables digest."""
    store = open_store(store_path)
    try:
        graph = ox.NamedNode(flat_graph())
        quads = [q for q in store.graph_quads(flat_graph()) if q.predicate != PER_AREA]
        assert len(quads) < sum(1 for _ in store.graph_quads(flat_graph()))
        if other_tables:
            quads = [ox.Quad(q.subject, q.predicate,
                             ox.Literal(q.object.value.replace(tables_digest(), "0" * 16)), graph)
                     if q.predicate.value == BUILT_FROM else q for q in quads]
        store.replace_graphs({flat_graph(): ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)})
    finally:
        store.close()
    return store_path


@pytest.fixture
def app_on(corpus_store_copy):
    made = []

    def on(other_tables: bool):
        app = make_app(damaged(corpus_store_copy, other_tables))
        made.append(app)
        return app
    yield on
    for app in made:
        app.extensions["ofsted_kg"].pool.close()


def judgement_rows(app) -> list[dict]:
    response = app.test_client().get("/queries/judgements.json")
    assert response.status_code == 200
    return response.get_json()["results"]["bindings"]


def test_a_flat_graph_of_other_tables_is_not_read(app_on, corpus_store_path, caplog):
    app = app_on(True)
    rows = judgement_rows(app)
    # the full text's rows: those of the intact store's flat graph
    intact = make_app(corpus_store_path)
    try:
        assert rows == judgement_rows(intact) and len(rows) > 40
    finally:
        intact.extensions["ofsted_kg"].pool.close()
    assert "flat graph of" in caplog.text and "not current" in caplog.text
    # a write (as each document of an ingest under way is) makes a new state, still not current:
    # not said again
    store = open_store(app.config["STORE"])
    store.replace_graphs({"urn:x:g": b"<urn:x:s> <urn:x:p> 1 .\n"})
    store.close()
    assert judgement_rows(app) == rows
    assert caplog.text.count("not current") == 1
    page = app.test_client().get("/queries/judgements?_sort=grade").get_data(as_text=True)
    assert f"{len(rows)} rows" in page and "Requires improvement" in page
    editor = app.test_client().get("/editor?canned=judgements").get_data(as_text=True)
    assert "def/row/" not in editor and "ofs:hasJudgement" in editor


def test_a_flat_graph_of_these_tables_is_read(app_on):
    app = app_on(False)                     # the same damage, the digest kept: read, so no rows
    assert judgement_rows(app) == []
    editor = app.test_client().get("/editor?canned=judgements").get_data(as_text=True)
    assert "def/row/judgements#" in editor


def test_the_cli_runs_the_full_text_and_says_why(corpus_store_copy):
    store = damaged(corpus_store_copy, True)
    proc = subprocess.run([sys.executable, "-m", "core.cli", "query", "judgements", "--store", str(store),
                           "--format", "csv"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "flat graph is not current" in proc.stderr
    assert len(proc.stdout.splitlines()) > 40


CARE_LEAVERS = "https://w3id.org/ofsted-kg/id/inspection/E06000023/sif/2014-09-30/judgement/care-leavers"
REGRADE = f"""PREFIX ofs: <https://w3id.org/ofsted-kg/def#>
PREFIX grade: <https://w3id.org/ofsted-kg/def/grade/>
DELETE {{ GRAPH ?g {{ <{CARE_LEAVERS}> ofs:grade grade:sif-inadequate }} }}
INSERT {{ GRAPH ?g {{ <{CARE_LEAVERS}> ofs:grade grade:sif-good }} }}
WHERE {{ GRAPH ?g {{ <{CARE_LEAVERS}> ofs:grade grade:sif-inadequate }} }}"""


def care_leavers_grade(app) -> str:
    return next(r["grade"]["value"] for r in judgement_rows(app) if r["judgement"]["value"] == CARE_LEAVERS)


def test_a_grade_edited_through_the_server_shows_in_the_canned_queries(corpus_store_copy):
    """The update marks the derived graphs as built from no state: the canned queries read the
    documents at once, and the next ingest (nothing new to load) rebuilds the flat graph from
    the edited document, which is then read again."""
    from ingest.pipeline import Ingestor
    from tests.conftest import corpus_files
    app = make_app(corpus_store_copy, ALLOW_UPDATE=True, UPDATE_TOKEN="s3cret")
    try:
        assert care_leavers_grade(app) == "Inadequate"
        response = app.test_client().post("/sparql", data={"update": REGRADE},
                                          headers={"Authorization": "Bearer s3cret"})
        assert response.status_code == 204, response.data
        assert care_leavers_grade(app) == "Good"
        assert "def/row/" not in app.test_client().get("/editor?canned=judgements").get_data(as_text=True)
    finally:
        app.extensions["ofsted_kg"].pool.close()
    store = open_store(corpus_store_copy)
    try:
        outcomes = Ingestor(store, jobs=1).run(corpus_files())
        assert outcomes and all(o.unchanged for o in outcomes)
    finally:
        store.close()
    again = make_app(corpus_store_copy)
    try:
        assert care_leavers_grade(again) == "Good"
        assert "def/row/judgements#" in again.test_client().get("/editor?canned=judgements").get_data(as_text=True)
    finally:
        again.extensions["ofsted_kg"].pool.close()
