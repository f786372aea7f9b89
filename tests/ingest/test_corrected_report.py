"""An original and a corrected report of one inspection: one judgement per area whatever the
order of ingest, the newer publication's grade on it, the older report's printed grade kept as
its record.

No such pair is in ../shared/corpus-national (no two inspection reports of one authority and
kind there were published within 200 days of each other), so the corrected report is made at
test time from a real one in corpus/: the same text with a later publication date and the
adoption grade changed.
"""
from __future__ import annotations

from ingest.pipeline import Ingestor
from tests.conftest import new_store
from tests.ingest.test_load_order import Watch
from tests.ingest.test_one_judgement import OFS, dump
from tests.ingest.test_outcomes_table import BRISTOL_SIF

INSPECTION = "https://w3id.org/ofsted-kg/id/inspection/E06000023/sif/2014-09-30"
ADOPTION = f"{INSPECTION}/judgement/adoption"


def corrected(tmp_path):
    """Bristol's 2014 report re-published a fortnight later with adoption 'Outstanding'."""
    text = BRISTOL_SIF.read_text(encoding="utf-8")
    for old, new in (("Report published: 5 December 2014", "Report published: 19 December 2014"),
                     ("2.1 Adoption performance\tGood", "2.1 Adoption performance\tOutstanding"),
                     ("adoption performance is that it is good", "adoption performance is that it is outstanding")):
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "bristol-corrected.txt"
    path.write_text(text, encoding="utf-8")
    return path


def grades(store, judgement: str) -> list[str]:
    rows = store.query(OFS + f"SELECT ?g WHERE {{ <{judgement}> ofs:grade ?g }}")
    return sorted(r["g"].value.rsplit("/", 1)[-1] for r in rows)


def records(store, judgement: str) -> set[tuple[str, str, str]]:
    rows = store.query(OFS + "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?file ?printed ?g WHERE { "
                       f"<{judgement}> ofs:sourceRecord ?r . ?r ofs:printedGrade ?printed ; ofs:grade ?g ; "
                       "prov:wasDerivedFrom ?d . ?d ofs:fileName ?file }")
    return {(r["file"].value, r["printed"].value, r["g"].value.rsplit("/", 1)[-1]) for r in rows}


def test_the_newer_report_gives_the_grade_in_any_order(tmp_path):
    newer = corrected(tmp_path)
    dumps = []
    for order in ([BRISTOL_SIF, newer], [newer, BRISTOL_SIF]):
        store = new_store()
        watch = Watch(store)
        for path in order:                        # one run each: a correction arrives later
            Ingestor(store, jobs=1, on_outcome=watch).run([str(path)])
        # right after each load: one inspection, one grade per judgement
        assert [s[1:] for s in watch.seen] == [(1, False, False), (1, False, False)], watch.seen
        assert grades(store, ADOPTION) == ["sif-outstanding"]
        assert records(store, ADOPTION) == {(BRISTOL_SIF.name, "Good", "sif-good")}
        # the areas the correction left alone keep one grade, and only the changed one disagrees
        assert grades(store, f"{INSPECTION}/judgement/overall-effectiveness") == ["sif-requires-improvement"]
        pairs = list(store.query(OFS + "SELECT ?a ?b WHERE { ?a ofs:disagreesWith ?b }"))
        assert [(r["a"].value.split("/judgement/")[1].split("/source/")[0], r["b"].value) for r in pairs] == [
            ("adoption", ADOPTION)]
        dumps.append(dump(store))
    assert dumps[0] == dumps[1]
    # the default graph is a set: each triple once, however many reports state it
    solutions = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    assert solutions == len({(q.subject, q.predicate, q.object) for q in store.quads()})
