"""ILACS reports from ``../shared/corpus-national`` (skipped when absent): recommendations printed
with bullet glyphs the PDF reader once left as text, recommendations with nested items, and a lead
inspector's name printed with "HMI" after it. Variants the archive lacks are made by editing the
real text in memory."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ingest.classify import classify
from ingest.frameworks import parse
from ingest.model import Page
from ingest.normalise import normalise
from ingest.readers import read

NATIONAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-national"
if not NATIONAL.is_dir():
    pytest.skip("../shared/corpus-national is absent: the national archive's PDFs are read in place, "
                "never committed", allow_module_level=True)


def _raw(name: str):
    return read(next(NATIONAL.glob(f"*/{name}")))


def _report(raw, edit=lambda text: text):
    raw = dataclasses.replace(raw, pages=tuple(Page(p.number, edit(p.text)) for p in raw.pages))
    doc = normalise(raw)
    return parse(doc, classify(doc).framework)


@pytest.fixture(scope="module")
def liverpool():
    return _raw("80485_liverpool_2018-07-02.pdf")


def test_swindon_2019_square_bullets_set_close_to_lower_case_are_its_recommendations():
    report = _report(_raw("80568_swindon_2019-08-12.pdf"))
    assert [r.text[:45] for r in report.recommendations] == [
        "the extent to which plans for children, acros", "sufficiency of local placements to meet the n",
        "the timeliness and quality of preparation of ", "health histories, so that they are routinely "]
    assert not any(r.text.startswith("◼") for r in report.recommendations)


def test_devon_2020_all_eight_recommendations_and_the_nested_one_whole():
    recs = _report(_raw("80461_devon_2020-03-17.pdf")).recommendations
    assert len(recs) == 8
    assert recs[0].text == ("Services to care leavers, including: sufficiency of accommodation and support "
                            "available for young people; assessment of risk and safety planning for young "
                            "people; access for young people to full information about their health histories.")
    assert recs[-1].text.startswith("Strategic oversight and grip on areas for improvement")


def test_manchester_2022_nested_items_belong_to_their_recommendation():
    recs = _report(_raw("80521_manchester_2022-05-19.pdf")).recommendations
    assert len(recs) == 4
    assert recs[0].text.startswith("Practice around the care and protection of disabled children to "
                                   "demonstrate: an understanding of the impact of the child’s disability")
    assert recs[0].text.endswith("; the ambition for disabled children to achieve to their potential.")


def test_lead_inspector_printed_with_hmi_after_the_name(liverpool):
    assert [(t.name, t.role) for t in _report(liverpool).team] == [("Shabana Abasi", "lead inspector")]
    rochdale = _report(_raw("80542_rochdale_2018-03-12.pdf"))
    assert [t.name for t in rochdale.team] == ["Paula Thomson-Jones"]


@pytest.mark.parametrize("printed", ["Shabana Abasi, Senior HMI", "Shabana Abasi SHMI",
                                     "Shabana Abasi, His Majesty’s Inspector", "Shabana Abasi"])
def test_lead_inspector_title_variants(liverpool, printed):
    report = _report(liverpool, lambda t: t.replace("Lead inspector: Shabana Abasi HMI", f"Lead inspector: {printed}"))
    assert [t.name for t in report.team] == ["Shabana Abasi"]


def test_swindon_2019_items_after_a_lead_in_keep_its_sentence():
    # the archive's Swindon 2019 prints its lower-case items under the heading alone (as printed);
    # a lead-in sentence before them, as visit letters print, goes in front of each
    def lead(text):
        return text.replace("What needs to improve\n", "What needs to improve\n\nLeaders need to improve:\n", 1)
    recs = _report(_raw("80568_swindon_2019-08-12.pdf"), lead).recommendations
    assert len(recs) == 4
    assert recs[0].text.startswith("Leaders need to improve: the extent to which plans for children, acros")
    assert recs[-1].text.endswith("for all care leavers in a timely way.")
