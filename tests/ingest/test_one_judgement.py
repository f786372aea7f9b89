"""One inspection, one judgement: editions, ingest order, derived graphs after a crash, the
default graph as a set, and the shipped corpus against Ofsted's own spreadsheets.

Small workbooks written by the tests exercise editions and ingest order on a fresh clone; the
national store (all of ``corpus/``, spreadsheets included) is compared with the spreadsheets as
the parser reads them.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from ingest.pipeline import Ingestor
from ingest.prepare import prepare
from core.flat import written_here_query
from core.store import EmbeddedStore
from ingest.reconcile import derived_stale
from tests.conftest import CORPUS, new_store
from tests.ingest.test_outcomes_table import BRISTOL_SIF, write_ods

OFS = "PREFIX ofs: <https://w3id.org/ofsted-kg/def#>\n"
INSPECTION = "https://w3id.org/ofsted-kg/id/inspection/E10000028/ilacs-short/2023-11-06"
HEADER = ["Local authority name", "Inspection type", "Inspection date", "Publication date",
          "Overall effectiveness", "The experiences and progress of care leavers"]


def editions(tmp_path: Path) -> tuple[Path, Path]:
    """Two editions of a spreadsheet that disagree on one grade; the second records later dates."""
    old = write_ods(tmp_path / "outcomes-old.ods", {"ILACS_inspection_history": [
        HEADER, ["Staffordshire", "Short", dt.date(2023, 11, 6), dt.date(2024, 1, 12),
                 "Requires improvement to be good", "Good"]]})
    new = write_ods(tmp_path / "outcomes-new.ods", {"ILACS_inspection_history": [
        HEADER, ["Staffordshire", "Short", dt.date(2023, 11, 6), dt.date(2024, 1, 12),
                 "Requires improvement to be good", "Requires improvement to be good"],
        ["Staffordshire", "Standard", dt.date(2025, 1, 13), dt.date(2025, 3, 1), "Good", "Good"]]})
    return old, new


def dump(store) -> list[str]:
    """Every quad but the ontology's (its blank nodes are named anew at each load)."""
    lines = store.dump(ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()
    return sorted(line for line in lines if not line.endswith("<https://w3id.org/ofsted-kg/def> ."))


def judgements_of(store, inspection: str) -> list[tuple[str, str]]:
    rows = store.query(OFS + f"SELECT ?j ?g WHERE {{ <{inspection}> ofs:hasJudgement ?j . ?j ofs:grade ?g }}")
    return sorted((r["j"].value.rsplit("/", 1)[-1], r["g"].value.rsplit("/", 1)[-1]) for r in rows)


def test_two_editions_give_one_judgement_in_any_order(tmp_path):
    old, new = editions(tmp_path)
    dumps = []
    for order in ([old, new], [new, old]):
        store = new_store()
        for path in order:                       # separate runs, as a user adding a new edition
            assert all(o.ok for o in Ingestor(store, jobs=1).run([str(path)]))
        # one judgement per area, the newer edition's grade
        assert judgements_of(store, INSPECTION) == [
            ("care-leavers", "ilacs-requires-improvement-to-be-good"),
            ("overall-effectiveness", "ilacs-requires-improvement-to-be-good")]
        # the older edition is kept as a source with its printed grade, and the two disagree
        records = {(r["file"].value, r["printed"].value) for r in store.query(
            OFS + "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?file ?printed WHERE { "
            f"<{INSPECTION}/judgement/care-leavers> ofs:sourceRecord ?r . "
            "?r ofs:printedGrade ?printed ; prov:wasDerivedFrom ?d . ?d ofs:fileName ?file }")}
        assert records == {("outcomes-old.ods", "Good"), ("outcomes-new.ods", "Requires improvement to be good")}
        assert len(list(store.query(OFS + "SELECT * WHERE { ?a ofs:disagreesWith ?b }"))) == 1
        dumps.append(dump(store))
    assert dumps[0] == dumps[1]


def test_report_and_table_in_either_order_give_the_same_store(tmp_path):
    table = write_ods(tmp_path / "sif-history.ods", {"LA_inspections_2009-2023": [
        ["Local authority name", "First SIF publication date", "First SIF Overall Judgement (OE)"],
        ["Bristol", dt.date(2014, 12, 5), "Requires improvement to be good"]]})
    dumps = []
    for order in ([table, BRISTOL_SIF], [BRISTOL_SIF, table]):
        store = new_store()
        for path in order:
            assert all(o.ok for o in Ingestor(store, jobs=1).run([str(path)]))
        dumps.append(dump(store))
    assert dumps[0] == dumps[1]


def test_derived_graphs_are_rebuilt_after_a_crash_before_that_step(tmp_path):
    """The documents are stored but the run stopped before links and reconciliation: the next
    run finds every file unchanged and still rebuilds them."""
    table = write_ods(tmp_path / "sif-history.ods", {"LA_inspections_2009-2023": [
        ["Local authority name", "First SIF publication date", "First SIF Overall Judgement (OE)"],
        ["Bristol", dt.date(2014, 12, 5), "Requires improvement to be good"]]})
    store = new_store(tmp_path / "store")
    Ingestor(store, jobs=1).run([str(table)])
    count = OFS + ("SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i ofs:inspectionOf "
                   "<https://w3id.org/ofsted-kg/id/authority/E06000023> }")
    # what a run killed after loading the report and before the derived step leaves behind:
    # the report reconciled with the spreadsheet as it loaded (one inspection), but the derived
    # graphs built from the store before it
    assert store.query(written_here_query())
    Ingestor(store, jobs=1).load(prepare(str(BRISTOL_SIF)))
    assert int(next(iter(store.query(count)))["n"].value) == 1
    assert derived_stale(store)
    # meanwhile the canned queries read the documents, not the flat rows built without the report
    assert not store.query(written_here_query())
    outcomes = Ingestor(store, jobs=1).run([str(BRISTOL_SIF), str(table)])
    assert all(o.unchanged for o in outcomes)
    assert not derived_stale(store) and store.query(written_here_query())
    assert int(next(iter(store.query(count)))["n"].value) == 1
    store.close()


# ----------------------------------------------------------------- the shipped corpus

def _same(a, b) -> bool:
    """Two rows of different editions describing one inspection: same authority and kind family,
    and the same start date or publication dates at most a week apart."""
    if a.gss_code != b.gss_code:
        return False
    if a.start and b.start and a.start == b.start:
        return True
    return bool(a.published and b.published and abs((a.published - b.published).days) <= 7)


def _spreadsheet_truth():
    """Per (kind family, year): graded inspections and grade counts per area, as Ofsted's
    spreadsheets print them: the 2023 history before ILACS; for ILACS the 2025 edition, and the
    older editions' inspections it no longer lists (the counties replaced in 2023). Dated by
    start, else publication."""
    from ingest.frameworks.outcomes_table import parse
    from ingest.frameworks import grade_scales
    scales = grade_scales()
    from ingest.normalise import normalise
    from ingest.readers import read

    def rows(name):
        return [ti for ti in parse(normalise(read(str(CORPUS / name)))).inspections if ti.judgements]
    history = rows("Childrens_social_care_in_England_2023_underlying_data.ods")
    chosen = [ti for ti in history if not ti.kind.value.startswith("ilacs")]
    ilacs: list = []
    seen: list = []      # every row of a newer edition, kept or not: one inspection may be
    for edition in (rows("LA_Inspection_Outcomes_as_at_31_March_2025.ods"),   # dated differently
                    rows("LA_Inspection_Outcomes_as_at_March_2024.ods"), history):   # in each
        edition = [ti for ti in edition if ti.kind.value.startswith("ilacs")]
        ilacs += [ti for ti in edition if not any(_same(ti, other) for other in seen)]
        seen += edition
    inspections, grades = Counter(), Counter()
    for ti in chosen + ilacs:
        family = "ilacs" if ti.kind.value.startswith("ilacs") else ti.kind.value
        year = (ti.start or ti.published).year
        inspections[(family, year)] += 1
        for j in ti.judgements:
            area = j.area.replace("/", "-") if j.subject == "authority" else j.area
            grades[(family, year, area, f"{scales[ti.framework]}-{j.grade}")] += 1
    return inspections, grades


STORE_JUDGEMENTS = OFS + """SELECT ?i ?kind ?when ?area ?grade WHERE {
  { SELECT ?i ?kind (COALESCE(MIN(?s), MIN(?p)) AS ?when) WHERE {
      ?i ofs:hasJudgement ?any ; ofs:inspectionKind ?kind .
      OPTIONAL { ?i ofs:startDate ?s } OPTIONAL { ?i ofs:publishedOn ?p } } GROUP BY ?i ?kind }
  ?i ofs:hasJudgement ?j . ?j ofs:area ?area ; ofs:grade ?grade .
}"""


def _store_counts(path):
    store = EmbeddedStore(path, read_only=True)
    inspections, grades = {}, Counter()
    for r in store.query(STORE_JUDGEMENTS):
        family = "ilacs" if r["kind"].value.startswith("ilacs") else r["kind"].value
        key = (family, int(r["when"].value[:4]))
        inspections.setdefault(key, set()).add(r["i"].value)
        grades[(*key, r["area"].value.rsplit("/", 1)[-1], r["grade"].value.rsplit("/", 1)[-1])] += 1
    return {k: len(v) for k, v in inspections.items()}, grades


@pytest.mark.slow
def test_corpus_matches_ofsteds_spreadsheets_per_framework_and_year(national_store_path):
    expected_inspections, expected_grades = _spreadsheet_truth()
    inspections, grades = _store_counts(national_store_path)
    assert inspections == dict(expected_inspections)
    # every area the spreadsheets grade (reports may add areas of their own)
    assert {k: grades[k] for k in expected_grades} == dict(expected_grades)
    assert sum(expected_inspections.values()) > 600


@pytest.mark.slow
def test_default_graph_is_a_set_and_the_counts_agree(national_store_path):
    import queries
    store = EmbeddedStore(national_store_path, read_only=True)
    solutions = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    distinct = len({(q.subject, q.predicate, q.object) for q in store.quads()})
    assert solutions == distinct
    canned = queries.load_all()

    def rows(name):
        q = canned[name]
        return list(store.query(q.sparql, substitutions=q.bindings({})))
    overview = rows("overview-counts")[0]
    judgements = rows("judgements")
    assert int(overview["judgements"].value) == len(judgements) > 2000
    assert sum(int(r["judgements"].value) for r in rows("grade-distribution")) == len(judgements)
    years = {int(r["year"].value) for r in rows("grade-distribution")}
    assert set(range(2009, 2026)) <= years
    latest = rows("latest-judgements")
    assert len(latest) == len({r["authority"].value for r in latest}) == int(overview["authorities"].value)
    # the home page's other figures are the rows (or the column sums) of the queries listing them
    authorities = rows("authorities")
    assert len(authorities) == int(overview["authorities"].value)
    assert sum(int(r["inspections"].value) for r in authorities) == int(overview["inspections"].value)
    assert len(rows("recommendations")) == int(overview["recommendations"].value)
    # and the VoID description's void:triples (counted as the dumps are written) is the same
    tally = [0, 0]
    given = {(t.subject, t.predicate, t.object) for t in store.union_triples(tally)}
    assert tally[1] == len(given) == solutions
    assert tally[0] == len({s for s, _, _ in given})


def test_the_same_file_under_two_names_in_one_run_is_one_document(tmp_path):
    old, _ = editions(tmp_path)
    copy = tmp_path / "copy-of-old.ods"
    copy.write_bytes(old.read_bytes())
    store = new_store()
    outcomes = Ingestor(store, jobs=1).run([str(old), str(copy)])
    assert [o.unchanged for o in outcomes] == [False, True] and all(o.ok for o in outcomes)
    documents = store.query(OFS + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d ofs:sha256 ?h ; ofs:fileName ?f }")
    assert int(next(iter(documents))["n"].value) == 1


@pytest.mark.slow
def test_forced_reingest_never_shows_an_inspection_twice(tmp_path):
    """``ingest --force`` replaces one document per transaction: after each of them (all a
    reader can see) every inspection is one node and every judgement has one grade."""
    old, new = editions(tmp_path)
    table = write_ods(tmp_path / "sif-history.ods", {"LA_inspections_2009-2023": [
        ["Local authority name", "First SIF publication date", "First SIF Overall Judgement (OE)"],
        ["Bristol", dt.date(2014, 12, 5), "Good"]]})
    files = [str(p) for p in (old, new, table, BRISTOL_SIF)]
    store = new_store(tmp_path / "store")
    assert all(o.ok for o in Ingestor(store, jobs=1).run(files))
    before = dump(store)
    inspections = OFS + "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i ofs:hasJudgement ?j }"
    graded_twice = OFS + "ASK { ?i ofs:hasJudgement ?j . ?j ofs:grade ?a , ?b . FILTER (?a != ?b) }"
    count = int(next(iter(store.query(inspections)))["n"].value)
    assert count == 3                       # Staffordshire twice, Bristol once
    forced = Ingestor(store, jobs=1, force=True)
    for path in files:
        forced.load(prepare(path))
        assert int(next(iter(store.query(inspections)))["n"].value) == count, path
        assert not store.query(graded_twice), path
    assert all(o.ok for o in forced.run(files))
    assert dump(store) == before
    store.close()
