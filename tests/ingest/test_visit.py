"""The focused/monitoring visit parser on a real focused visit letter in ``../shared/corpus-dev``;
facts were read from the PDF by eye. Skips when the directory is absent."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.classify import classify
from ingest.frameworks.visit import parse
from ingest.model import Framework, InspectionKind
from ingest.normalise import normalise
from ingest.readers import read

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
LETTER = SHARED / "corpus-dev" / "dudley_2024_focused-visit.pdf"
if not LETTER.is_file():
    pytest.skip("../shared/corpus-dev is absent: the visit letter PDF is read in place, never committed",
                allow_module_level=True)


@pytest.fixture(scope="module")
def doc():
    return normalise(read(LETTER))


@pytest.fixture(scope="module")
def report(doc):
    return parse(doc)


def test_framework_and_kind(doc, report):
    assert classify(doc).framework is Framework.FOCUSED_VISIT
    assert (report.framework, report.kind) == (Framework.FOCUSED_VISIT, InspectionKind.FOCUSED_VISIT)
    assert report.judgements == []


def test_letter_facts(report):
    assert report.authority_name == "Dudley Metropolitan Borough Council"
    assert report.title == "Focused visit to Dudley Metropolitan Borough Council children’s services"
    assert (report.start, report.end) == (dt.date(2024, 2, 1), dt.date(2024, 2, 2))
    assert report.published == dt.date(2024, 5, 16)
    assert [t.name for t in report.team] == ["Claire Beckingham", "Rebecca Dubbins"]


def test_theme(report):
    assert report.theme.startswith("Inspectors looked at the local authority’s arrangements for placement "
                                   "decision-making for older children in care")
    assert "placement sufficiency, including fostering matching practice" in report.theme
    assert "frequency of supervision" not in report.theme


def test_recommendations(report):
    recs = report.recommendations
    assert [r.order for r in recs] == [1, 2, 3]
    assert {r.band for r in recs} == {"Areas for improvement"}
    assert recs[0].text.startswith("The identification of and response to children aged 16 and 17")
    assert recs[1].text == "The frequency of supervision."
    assert all(r.cites == [] for r in recs)


def test_findings(report):
    f = report.findings
    assert f[0].section == "Headline findings" and f[0].text.startswith("At the last inspection in November 2022")
    main = [x for x in f if x.section == "Main findings"]
    assert len(main) == 15
    assert main[0].text.startswith("There is a limited choice of placements")
    assert not any(x.text.startswith(("Ofsted will take", "Yours sincerely")) for x in f)
