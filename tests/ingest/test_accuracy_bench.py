"""``bench/accuracy.py`` on a tiny stratified sample of ``../shared/corpus-national``, so the
benchmark cannot rot: its truth is read from the official spreadsheets as printed, its store
query finds the facts the pipeline stored, and its table counts what it should.

The whole corpus is the benchmark (run ``bench/accuracy.py``); this checks the measuring."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.conftest import shared_or_skip


@pytest.fixture(scope="module")
def reference():
    return shared_or_skip("reference")


@pytest.fixture(scope="module")
def records(reference):
    from bench.official import official_records
    return official_records(reference)


def test_grades_compare_across_the_tables_wordings():
    from bench.official import grade_key
    assert grade_key("Requires improvement to be good") == grade_key("requires-improvement")
    assert grade_key("Adequate") == grade_key("Requires improvement")
    assert grade_key("Good") != grade_key("Outstanding")


def test_refusals_group_without_their_particulars():
    from bench.accuracy import refusal_reason
    a = refusal_reason("/x/a.pdf: authority 'Somerset' is not in the register (page 3)", "/x/a.pdf")
    b = refusal_reason("/x/b.pdf: authority 'East Riding' is not in the register (page 12)", "/x/b.pdf")
    assert a == b == "authority … is not in the register (page N)"


def test_official_tables_are_read_as_printed(records):
    # Barnet's short inspection of 10 June 2024 (ILACS history sheet): care leavers separate
    barnet = [r for r in records if r.gss == "E09000003" and r.start == dt.date(2024, 6, 10)]
    assert len(barnet) == 1
    assert barnet[0].kind == "ilacs-short" and barnet[0].published == dt.date(2024, 7, 23)
    assert barnet[0].grades == {"overall-effectiveness": "good", "leadership": "good",
                                "help-and-protection": "good", "children-in-care": "outstanding",
                                "care-leavers": "good"}
    # Barnet's first SIF (2009-2023 sheet, by name): seven grades, RI written long
    sif = [r for r in records if r.gss == "E09000003" and r.family == "sif"]
    assert [r.published for r in sif] == [dt.date(2017, 7, 7)]
    assert sif[0].grades["adoption"] == "requires improvement"
    assert sif[0].grades["lscb"] == "inadequate" and len(sif[0].grades) == 7
    # a 2018-22 row has no care-leavers column: its one children-in-care grade covers both
    bd = [r for r in records if r.gss == "E09000002" and r.start == dt.date(2019, 2, 18)]
    assert set(bd[0].grades) == {"overall-effectiveness", "leadership", "help-and-protection",
                                 "children-in-care-and-care-leavers"}


@pytest.mark.slow
def test_accuracy_on_a_stratified_sample(reference, records):
    from bench.accuracy import measure, report, stratified
    from bench.official import manifest, match
    from ingest.pipeline import discover
    folder = shared_or_skip("corpus-national")
    expected = manifest(folder, reference)
    assert len(expected) == 420 and all(e.gss for e in expected.values())
    files = stratified(list(discover([folder])), expected, 1)
    kinds = sorted(expected[f].kind for f in files)
    assert kinds == sorted({e.kind for e in expected.values()}), "one file of each kind"
    tallies, elapsed = measure(files, expected, records, jobs=2)
    assert sum(t.total for t in tallies.values()) == len(files)
    for kind, t in tallies.items():
        assert t.loaded + sum(t.refusals.values()) == t.total, kind
        assert t.right <= t.official and t.kind_right <= t.kind_known, kind
        # a publication date the report prints is the one Ofsted's tables give (all 91 in the corpus)
        assert (t.published_right, t.published_wrong) == (t.published_known, []), kind
    assert sum(t.published_known for t in tallies.values()) > 0, "some printed dates were compared"
    # the official judgements counted are exactly those the spreadsheets give these files
    want = sum(len(m.grades) for f in files if (m := match(expected[f], records)))
    assert sum(t.official for t in tallies.values()) == want > 0
    # ILACS 2023+ reports load on main with their five official grades and start date
    ilacs = tallies["ILACS 2023+"]
    assert (ilacs.loaded, ilacs.official, ilacs.right, ilacs.start_right) == (1, 5, 5, 1)
    assert tallies["focused visit"].unofficial == 0, "a visit letter prints no grade"
    # the parts table: every loaded SIF report holds findings and statistics, no ILACS report strengths
    sif = tallies["SIF"]
    assert sif.parts["findings"] > 0 and sif.without["findings"] == sif.without["statistics"] == 0
    assert ilacs.parts["strengths"] == 0 and ilacs.without["strengths"] == ilacs.loaded
    out = io.StringIO()
    report(tallies, elapsed, 2, out)
    assert elapsed.files == len(files) and elapsed.cpu > 0
    assert "ILACS 2023+" in out.getvalue() and "files per minute" in out.getvalue()
    assert "parts read" in out.getvalue() and "published right" in out.getvalue()


@pytest.mark.slow
def test_neutral_names_read_the_same(reference, records):
    """The held-back half comes under neutral names: copies named by a digest (half without a
    suffix) give the same tables as the files under their own names."""
    from bench.accuracy import measure, neutral_copies, stratified
    from bench.official import manifest
    from ingest.pipeline import discover
    folder = shared_or_skip("corpus-national")
    expected = manifest(folder, reference)
    files = stratified(list(discover([folder])), expected, 1)
    named, _ = measure(files, expected, records, jobs=2)
    with neutral_copies(files, expected) as (copies, by_copy):
        assert len(copies) == len(files) and not set(copies) & set(files)
        assert sum(not c.endswith(".pdf") for c in copies) == (len(files) + 1) // 2
        neutral, _ = measure(copies, by_copy, records, jobs=2)
    assert neutral == named
    assert sum(t.right for t in neutral.values()) > 0
