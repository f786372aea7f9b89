"""The grade distribution's years: every year from 2009 on the bundled corpus, and 2026 once a
2026 report is loaded (a year with no judgement has no row, by design: see
queries/grade-distribution.rq)."""
from __future__ import annotations

import shutil

import pytest

from ingest.pipeline import Ingestor
from core.store import EmbeddedStore
from tests.conftest import shared_or_skip


def rows(store, name: str) -> list:
    import queries
    q = queries.load_all()[name]
    return list(store.query(q.sparql, substitutions=q.bindings({})))


@pytest.mark.slow
def test_every_year_2009_to_2026_with_a_2026_report(national_store_path, tmp_path):
    store = EmbeddedStore(national_store_path, read_only=True)
    assert {int(r["year"].value) for r in rows(store, "grade-distribution")} == set(range(2009, 2026))
    del store
    report = shared_or_skip("corpus-dev", "lancashire_2026_ILACS.pdf")
    shutil.copytree(national_store_path, tmp_path / "store")
    store = EmbeddedStore(tmp_path / "store")
    assert all(o.ok for o in Ingestor(store, jobs=1).run([str(report)]))
    distribution = rows(store, "grade-distribution")
    assert {int(r["year"].value) for r in distribution} == set(range(2009, 2027))
    in_2026 = [r for r in distribution if r["year"].value == "2026"]
    # Lancashire's four judgements (no overall effectiveness in the 2026 format), placed by
    # the inspection's start (11 May 2026)
    assert sum(int(r["judgements"].value) for r in in_2026) == 4
    assert {r["dated_by"].value for r in in_2026} == {"inspection year"}
    assert sum(int(r["judgements"].value) for r in distribution) == len(rows(store, "judgements"))
    store.close()
