"""Visit letters laid out other ways, and titles wrapped onto a second line.

The letters of mid-2018 without a "Findings" heading ("Overview" / "Areas of strength" / "What
needs to improve ...", Luton 2018) give their findings under "Areas of strength"; the others keep
theirs under "Findings" (Coventry 2018: "Overview" / "Findings" / "What needs to improve ...").
A title wrapped onto a second line is joined by one rule for visit letters and ILACS covers
(``wrapped_title``). Letters from ``../shared/corpus-national`` (skipped when absent; slow),
variants made by editing their real text in memory.
"""
from __future__ import annotations

import pytest

from ingest.frameworks.ilacs_cover import cover_title
from ingest.frameworks.wrapped_title import wrapped_title
from ingest.model import Block
from tests.national_letters import NATIONAL
from tests.national_letters import letter as _letter

national = pytest.mark.skipif(not NATIONAL.is_dir(), reason="../shared/corpus-national is absent: the "
                              "national archive's PDFs are read in place, never committed")


@pytest.mark.slow
@national
def test_findings_under_areas_of_strength():
    report = _letter("80520_luton_2018-07-05")
    assert len(report.findings) == 8
    assert {f.section for f in report.findings} == {"Areas of strength"}
    assert report.findings[0].text.startswith("There is a strong commitment by partner agencies to protecting")
    assert report.findings[-1].text.startswith("Staff are enthusiastic about working in Luton.")
    # what needs to improve stays the letter's recommendations, as in every other letter
    assert len(report.recommendations) == 10
    assert report.recommendations[0].text.startswith("Quality assurance processes are not being used")


@pytest.mark.slow
@national
@pytest.mark.parametrize("heading", ["Strengths", "Area of strength", "Areas of strength identified"])
def test_findings_under_a_strengths_heading_worded_otherwise(heading):
    report = _letter("80520_luton_2018-07-05", lambda t: t.replace("Areas of strength", heading))
    assert len(report.findings) == 8 and {f.section for f in report.findings} == {heading}


@pytest.mark.slow
@national
def test_a_findings_heading_still_starts_the_findings():
    # Coventry 2018: "Overview" / "Findings" / "What needs to improve ..."; the overview is no finding
    report = _letter("80456_coventry_2018-02-22")
    assert len(report.findings) == 11 and {f.section for f in report.findings} == {"Findings"}
    assert len(report.recommendations) == 5


def _block(text: str, kind: str = "heading") -> Block:
    return Block(0, kind, text)


@pytest.mark.slow
@national
@pytest.mark.parametrize("split", ["Luton Borough\n\nCouncil children's services",
                                   "Luton Borough Council\n\nchildren's services",
                                   "Luton Borough Council children's\n\nservices"])
def test_visit_title_wrapped(split):
    report = _letter("80520_luton_2018-07-05", lambda t: t.replace(
        "Focused visit to Luton Borough Council children's services", f"Focused visit to {split}"))
    assert report.title == "Focused visit to Luton Borough Council children's services"
    assert report.authority_name == "Luton Borough Council"
    assert len(report.findings) == 8


@pytest.mark.parametrize("first, rest", [
    ("Inspection of Windsor and", "Maidenhead children’s services"),
    ("Inspection of local authority children’s", "services"),
])
def test_ilacs_title_wrapped(first, rest):
    blocks = (_block("Royal Borough of Windsor and Maidenhead"), _block(first), _block(rest),
              _block("Inspection dates: 1 to 12 May 2023", "paragraph"))
    assert cover_title(blocks) == (1, f"{first} {rest}")


def test_a_long_block_is_not_the_rest_of_a_title():
    rest = "Maidenhead children’s services, which the inspectors visited in May and June"
    assert wrapped_title("Focused visit to Windsor and", _block(rest), lambda t: True) is None
    assert cover_title((_block("Inspection of Windsor and"), _block(rest))) is None


@pytest.mark.slow
@national
def test_a_lead_in_after_a_visit_title_is_not_part_of_it():
    report = _letter("80520_luton_2018-07-05", lambda t: t.replace(
        "Focused visit to Luton Borough Council children's services",
        "Focused visit to Luton Borough Council and\n\nits partners:"))
    assert report.title == "Focused visit to Luton Borough Council and"


def test_no_block_after_the_title():
    assert wrapped_title("Focused visit to Windsor and", None, lambda t: True) is None
