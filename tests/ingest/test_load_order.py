"""A report reconciles with what the store holds as it is loaded: at no instant, in any ingest
order, does a query count one inspection twice or a judgement with two grades.

The check runs in ``Ingestor``'s ``on_outcome`` hook, which is called right after each
document's load and before the end of the run reconciles the whole store: all a reader can see
between two documents.
"""
from __future__ import annotations

import datetime as dt

import pytest

from ingest.pipeline import Ingestor
from core.store import EmbeddedStore
from tests.conftest import corpus_files, new_store
from tests.ingest.test_one_judgement import OFS, dump
from tests.ingest.test_outcomes_table import BRISTOL_SIF, write_ods

BRISTOL = "https://w3id.org/ofsted-kg/id/authority/E06000023"
#: inspections with a judgement (what the counting queries count)
INSPECTIONS = OFS + "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i ofs:hasJudgement ?j }"
GRADED_TWICE = OFS + "ASK { ?j ofs:judgementOf ?i ; ofs:grade ?a , ?b . FILTER (?a != ?b) }"
#: two inspection nodes of one authority and kind with judgements, started or published the same day
TWICE = OFS + """ASK {
  ?a ofs:inspectionOf ?la ; ofs:inspectionKind ?k ; ofs:hasJudgement ?x .
  ?b ofs:inspectionOf ?la ; ofs:inspectionKind ?k ; ofs:hasJudgement ?y .
  FILTER (STR(?a) < STR(?b))
  { ?a ofs:startDate ?d . ?b ofs:startDate ?d } UNION { ?a ofs:publishedOn ?d . ?b ofs:publishedOn ?d }
}"""


def count(store, query: str = INSPECTIONS) -> int:
    return int(next(iter(store.query(query)))["n"].value)


class Watch:
    """``on_outcome`` hook: after each document's load, what a reader would count."""

    def __init__(self, store):
        self.store, self.seen = store, []

    def __call__(self, outcome, i, n):
        assert outcome.ok, outcome.error
        self.seen.append((outcome.path, count(self.store), bool(self.store.query(TWICE)),
                          bool(self.store.query(GRADED_TWICE))))


def sif_history(tmp_path):
    return write_ods(tmp_path / "sif-history.ods", {"LA_inspections_2009-2023": [
        ["Local authority name", "First SIF publication date", "First SIF Overall Judgement (OE)"],
        ["Bristol", dt.date(2014, 12, 5), "Good"]]})


def test_a_report_after_a_spreadsheet_never_counts_twice(tmp_path):
    """The spreadsheet dates Bristol's SIF by its publication, the report by its start: two
    IRIs, which the report's load merges (the test of the reverse order shows the same)."""
    table = sif_history(tmp_path)
    dumps = []
    for order in ([table, BRISTOL_SIF], [BRISTOL_SIF, table]):
        store = new_store()
        watch = Watch(store)
        for path in order:                   # one run each, as a user adding a document
            Ingestor(store, jobs=1, on_outcome=watch).run([str(path)])
        assert [s[1:] for s in watch.seen] == [(1, False, False), (1, False, False)], watch.seen
        q = OFS + f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i ofs:inspectionOf <{BRISTOL}> }}"
        assert count(store, q) == 1
        dumps.append(dump(store))
    assert dumps[0] == dumps[1]


@pytest.mark.slow
def test_the_corpus_in_either_order_never_counts_twice(tmp_path):
    """Spreadsheets first, then each report; and reports first: after every document's load no
    inspection is counted twice, and both orders give the same store, which is the store of one
    ordinary run."""
    tables = [p for p in corpus_files(national=True) if p not in corpus_files()]
    reports = corpus_files()
    assert len(tables) == 3 and len(reports) == 5
    dumps, watches = [], []
    for order in (tables + reports, reports + tables):
        store = EmbeddedStore(None)
        watch = Watch(store)
        Ingestor(store, jobs=1, on_outcome=watch).run(order)
        assert [p for p, *_ in watch.seen] == order          # jobs=1: loaded in this order
        assert not any(twice or graded for _, _, twice, graded in watch.seen), watch.seen
        dumps.append(dump(store))
        watches.append(watch)
    # spreadsheets first: they record every report's inspection, so loading a report adds none
    after_tables = [n for _, n, *_ in watches[0].seen[len(tables) - 1:]]
    assert len(set(after_tables)) == 1 and after_tables[0] > 600, after_tables
    assert watches[1].seen[-1][1] == after_tables[0]
    assert dumps[0] == dumps[1]
    plain = EmbeddedStore(None)
    assert all(o.ok for o in Ingestor(plain).run(corpus_files(national=True)))
    assert dump(plain) == dumps[0]
