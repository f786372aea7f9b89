"""The whole ingest path on the bundled corpus: queries, idempotence, failures that lose nothing."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from core.cli import main
from ingest.pipeline import Ingestor
from core.store import open_store
from tests.conftest import CORPUS, ROOT, corpus_files, ingest_into


@dataclass
class Ran:
    """What one command printed, and its exit status."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(capfd, *args: str, check: bool = True) -> Ran:
    """``ofsted-kg query ARGS`` run in process, its output read at the file descriptors (so what
    its query worker prints counts too). ``ingest`` reports through a stream it keeps from its
    import, so its lines are read from a real process (``ingest_cli``).

    :raise AssertionError: ``check`` and a non-zero exit status.
    """
    capfd.readouterr()
    try:
        status = main(list(args))
    except SystemExit as exc:          # argparse refusing an argument
        status = exc.code
    out, err = capfd.readouterr()
    if check and status != 0:
        raise AssertionError(f"exit {status}: {err}")
    return Ran(status, out, err)


def ingest_cli(*args: str) -> subprocess.CompletedProcess:
    """``ofsted-kg ingest ARGS`` as a process: what it prints and its exit status."""
    return subprocess.run([sys.executable, "-m", "ingest", "ingest", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def canonical_dump(path: Path) -> list[str]:
    store = open_store(path, read_only=True)
    data = store.dump(ox.RdfFormat.N_QUADS)
    return sorted(data.decode("utf-8").splitlines())


def query_csv(capfd, store_path: Path, name: str, *params: str) -> list[dict]:
    args = ["query", name, "--store", str(store_path), "--format", "csv"]
    for p in params:
        args += ["--param", p]
    out = run_cli(capfd, *args).stdout
    return list(csv.DictReader(io.StringIO(out)))


def test_judgements_query_lists_every_judgement_of_the_four_reports(corpus_store_path, capfd):
    rows = query_csv(capfd, corpus_store_path, "judgements")
    by_authority = {}
    for r in rows:
        by_authority.setdefault(r["gss_code"], []).append(r)
    # SIF: 6 council judgements + the LSCB; 2009-12: 22 graded judgements
    assert {k: len(v) for k, v in by_authority.items()} == {
        "E06000023": 7, "E06000022": 7, "E10000013": 7, "E08000032": 22}
    bristol = {r["area"]: r["grade"] for r in by_authority["E06000023"]}
    assert bristol == {
        "Overall effectiveness": "Requires improvement",
        "Children who need help and protection": "Requires improvement",
        "Children looked after and achieving permanence": "Requires improvement",
        "Adoption performance": "Good",
        "Care leavers": "Inadequate",
        "Leadership": "Requires improvement",
        "Local Safeguarding Children Board": "Requires improvement",
    }
    first = by_authority["E06000023"][0]
    assert (first["framework"], first["inspection_start"], first["inspection_end"], first["published"]) == (
        "sif", "2014-09-30", "2014-10-22", "2014-12-05")
    bradford = {r["area"]: r["grade"] for r in by_authority["E08000032"]}
    assert bradford["Safeguarding services: Partnership working"] == "Outstanding"
    assert bradford["Services for looked after children: Enjoying and achieving"] == "Adequate"
    assert bradford["Safeguarding services: Quality of provision"] == "Adequate"
    # areas are unique within an inspection
    for gss, rs in by_authority.items():
        assert len({r["area"] for r in rs}) == len(rs), gss
    glos = {r["area"]: r["grade"] for r in by_authority["E10000013"]}
    assert glos["Overall effectiveness"] == "Inadequate"
    lscb = [r for r in by_authority["E10000013"] if r["area"] == "Local Safeguarding Children Board"][0]
    assert lscb["subject"] == "Gloucestershire Local Safeguarding Children Board"


def test_design_card_question_answers_bristol(corpus_store_path, capfd):
    rows = query_csv(capfd, corpus_store_path, "inadequate-care-leavers-good-adoption")
    assert [(r["authority"], r["published"]) for r in rows] == [("Bristol City Council", "2014-12-05")]
    # the grades are parameters: care leavers requiring improvement, adoption outstanding -> B&NES
    rows = query_csv(capfd, corpus_store_path, "inadequate-care-leavers-good-adoption",
                     "care_leavers_grade=Requires improvement", "adoption_grade=Outstanding")
    assert [r["gss_code"] for r in rows] == ["E06000022"]


def test_recommendation_words_parameter_is_a_value_not_query_text(corpus_store_path, capfd):
    rows = query_csv(capfd, corpus_store_path, "recommendations", "words=pathway plan")
    assert rows and all("pathway plan" in r["text"].lower() for r in rows)
    rows = query_csv(capfd, corpus_store_path, "recommendations", 'words=") } UNION { ?s ?p ?o } #')
    assert rows == []


def test_bad_parameter_is_one_clear_line(corpus_store_path, capfd):
    proc = run_cli(capfd, "query", "inadequate-care-leavers-good-adoption", "--store", str(corpus_store_path),
                   "--param", "adoption_grade=Brilliant", check=False)
    assert proc.returncode == 2
    assert "adoption_grade" in proc.stderr and "Traceback" not in proc.stderr


def test_query_file_results_in_each_shape(corpus_store_path, tmp_path, capfd):
    """.rq files: SELECT as a table, ASK as true/false, CONSTRUCT as Turtle, all from the worker."""
    ask, construct = tmp_path / "ask.rq", tmp_path / "construct.rq"
    ask.write_text("ASK { ?i a <https://w3id.org/ofsted-kg/def#Inspection> }")
    construct.write_text("CONSTRUCT { ?i a <https://w3id.org/ofsted-kg/def#Inspection> } "
                         "WHERE { ?i a <https://w3id.org/ofsted-kg/def#Inspection> }")
    assert run_cli(capfd, "query", str(ask), "--store", str(corpus_store_path)).stdout.strip() == "true"
    turtle = run_cli(capfd, "query", str(construct), "--store", str(corpus_store_path)).stdout
    parsed = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    count = tmp_path / "count.rq"
    count.write_text("SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a <https://w3id.org/ofsted-kg/def#Inspection> }")
    expected = run_cli(capfd, "query", str(count), "--store", str(corpus_store_path), "--format", "json").stdout
    assert len(parsed) == int(json.loads(expected)[0]["n"]) > 0


# makes pyoxigraph 0.5 abort the whole process (a Rust panic in its sort)
ENGINE_CRASH = "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } ORDER BY ?s ?o"


def test_an_engine_crash_is_one_line_not_a_dead_process(corpus_store_path, tmp_path, capfd):
    query = tmp_path / "crash.rq"
    query.write_text(ENGINE_CRASH)
    proc = run_cli(capfd, "query", str(query), "--store", str(corpus_store_path), "--format", "csv", check=False)
    if proc.returncode == 0:
        pytest.skip("this pyoxigraph no longer crashes on mixed-literal ORDER BY")
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "crashed" in proc.stderr and "store is unharmed" in proc.stderr
    assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr


def test_query_timeout_stops_the_query(corpus_store_path, tmp_path, capfd):
    query = tmp_path / "slow.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    proc = run_cli(capfd, "query", str(query), "--store", str(corpus_store_path), "--timeout", "0.5", check=False)
    assert proc.returncode == 1 and "stopped after 0.5 s" in proc.stderr


def table_files(path: Path) -> tuple[int, int]:
    """How many table files (RocksDB's ``*.sst``) a store on disk has, and their bytes: opened
    for writing first, as the next ingest would, which deletes the files a compaction left for
    its process to delete in the background (its exit may come first: 10-13 files as ingest
    left them, 9-10 once opened)."""
    opened = ox.Store(str(path))
    del opened
    files = list(path.glob("*.sst"))
    return len(files), sum(f.stat().st_size for f in files)


#: pyoxigraph's column families (the strings, the default one, nine quad indexes, the graphs):
#: a store compacted as ingest ends has at most one table file each at this size
COLUMN_FAMILIES = 12


def test_reingest_is_idempotent(corpus_store_copy):
    """The corpus ingested once (a copy of the session's store), then again with --force: the
    same quads, and no more on disk (ingest ends by compacting the store: without, 19 table
    files and 15% more bytes); then again without: every file unchanged. The file count is
    allowed one more than the column families: one holding only deletion markers can keep a
    file of about 1 kB (12 or 13 files of 10.4 MB, from one session's store to the next)."""
    files = corpus_files()
    path = corpus_store_copy
    before = canonical_dump(path)
    count, size = table_files(path)
    assert count <= COLUMN_FAMILIES + 1
    store = open_store(path)
    outcomes = Ingestor(store, jobs=1, force=True).run(files)
    store.close()
    assert all(o.ok and not o.unchanged for o in outcomes)
    assert canonical_dump(path) == before
    again, again_size = table_files(path)
    assert again <= COLUMN_FAMILIES + 1 and again_size < size * 1.02, \
        (count, size, again, again_size)
    store = open_store(path)
    assert not [g for g in store.named_graphs() if "staging" in g]
    outcomes = Ingestor(store, jobs=1).run(files)
    store.close()
    assert all(o.unchanged for o in outcomes)


def test_failed_document_leaves_the_store_unchanged(tmp_path):
    seed = CORPUS / "bristol_2014_SIF-with-LSCB-review.txt"
    store_path = tmp_path / "s"
    ingest_into(store_path, [str(seed)])
    before = canonical_dump(store_path)
    # the same report, changed so that it violates a shape (inspection ends after publication)
    broken = tmp_path / "bristol-broken.txt"
    broken.write_text(seed.read_text(encoding="utf-8").replace(
        "Report published: 5 December 2014", "Report published: 5 October 2014"), encoding="utf-8")
    proc = ingest_cli(str(broken), "--store", str(store_path))
    assert proc.returncode == 1
    failed = [l for l in proc.stderr.splitlines() if l.startswith("FAILED")]
    assert len(failed) == 1 and "bristol-broken.txt" in failed[0] and "publish" in failed[0]
    assert canonical_dump(store_path) == before


# slow: the fast loop keeps the same behaviour in tests/reliability/test_hostile_inputs.py
# (test_all_bad_files_at_once_with_a_forced_good_one: one command-line run, every bad file one
# FAILED line, "not a recognised" among them, the good file loaded) and in tests/ingest/test_refusals.py
# (test_one_refusal_never_stops_the_batch)
@pytest.mark.slow
def test_other_files_still_load_when_one_fails(tmp_path, capfd):
    bad = tmp_path / "notes.txt"
    bad.write_text("Shopping list\n\nmilk, eggs\n", encoding="utf-8")
    seed = CORPUS / "gloucestershire_2017_SIF-with-LSCB-review.txt"
    proc = ingest_cli(str(bad), str(seed), "--store", str(tmp_path / "s"))
    assert proc.returncode == 1
    assert "notes.txt: not a recognised Ofsted report" in proc.stderr
    rows = query_csv(capfd, tmp_path / "s", "judgements")
    assert {r["gss_code"] for r in rows} == {"E10000013"}


def test_every_fact_keeps_its_provenance(corpus_store_path):
    store = open_store(corpus_store_path, read_only=True)
    rows = list(store.query("""
        PREFIX ofs: <https://w3id.org/ofsted-kg/def#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?class (COUNT(DISTINCT ?x) AS ?n) (COUNT(DISTINCT ?located) AS ?with_source) WHERE {
          VALUES ?class { ofs:Judgement ofs:Recommendation ofs:Finding ofs:StatisticObservation ofs:Action ofs:KPI }
          ?x a ?class .
          OPTIONAL { ?x prov:wasDerivedFrom ?doc ; ofs:sourceBlock ?b . BIND(?x AS ?located) }
        } GROUP BY ?class"""))
    assert len(rows) == 6
    for r in rows:
        assert int(r["n"].value) > 0 and r["n"].value == r["with_source"].value, r["class"]


def test_entailments_let_queries_use_the_class_hierarchy(corpus_store_path):
    store = open_store(corpus_store_path, read_only=True)
    n = list(store.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX ofs: <https://w3id.org/ofsted-kg/def#>
        SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a ofs:GradedInspection, prov:Activity }"""))[0]["n"].value
    assert int(n) == 4


DEV_PDFS = {  # judgements each report prints (the 2026 format has no overall effectiveness)
    "warwickshire_2017_SIF.pdf": 7, "nottinghamshire_2015_SIF.pdf": 7, "dudley_2018_ILACS.pdf": 4,
    "cheshire-east_2024_ILACS.pdf": 5, "lancashire_2026_ILACS.pdf": 4, "dudley_2024_focused-visit.pdf": 0,
}


#: SIF PDFs: their framework goes through the whole pipeline in the fast loop as the corpus's three
#: SIF reports (the session store), and test_sif.py parses these two PDFs; here only in the full suite
SIF_PDFS = {"warwickshire_2017_SIF.pdf", "nottinghamshire_2015_SIF.pdf"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytest.mark.slow] if n in SIF_PDFS else [])
                                  for n in sorted(DEV_PDFS)])
def test_every_dev_pdf_goes_through_the_whole_pipeline(name):
    from rdflib import RDF, Graph
    from ingest.mapping import OFS
    from ingest.prepare import prepare
    from tests.conftest import shared_or_skip
    prepared = prepare(str(shared_or_skip("corpus-dev", name)))
    g = Graph().parse(data=prepared.ntriples, format="nt")
    assert len(set(g.subjects(RDF.type, OFS.Judgement))) == DEV_PDFS[name]
    assert not [w for w in prepared.warnings if w.startswith("violation")]
