"""An inspector's job title printed beside the name, taken off by one rule
(``patterns.strip_inspector_title``) wherever a parser reads names: an ILACS report's lead
inspector, a SIF report's team lines and a visit letter's sentence naming its inspectors. The
titles are the forms the national archive prints ("HMI", "SHMI", "Senior HMI", "HMI designate",
"His/Her Majesty's Inspector(s)", "Senior Her Majesty's Inspector", "Ofsted Inspector(s)",
"Additional Inspector(s)", "Social Care Regulatory Inspector", "Regulatory Inspection Manager");
the reports are the repo's SIF seed and ``../shared/corpus-dev`` PDFs (skipped when absent), the
titles edited into their real text in memory."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ingest.classify import classify
from ingest.frameworks import parse
from ingest.model import Page
from ingest.normalise import normalise
from ingest.patterns import strip_inspector_title
from ingest.readers import read

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "corpus-dev"
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason="../shared/corpus-dev is absent: its PDFs are read in "
                               "place, never committed")
_RAW: dict[Path, object] = {}

TITLES = ["HMI", "SHMI", "Senior HMI", "HMI designate", "HMI Designate", "Designated HMI", "Acting SHMI",
          "His Majesty’s Inspector", "Her Majesty's Inspector", "Senior Her Majesty’s Inspector",
          "Senior His Majesty’s Inspector", "Ofsted Inspector", "Additional Inspector",
          "Social Care Regulatory Inspector", "Senior Regulatory Inspector", "Regulatory Inspection Manager"]


def _report(path: Path, edit=lambda text: text):
    """The parsed report at ``path``, its text (and page texts) edited by ``edit``."""
    if path not in _RAW:
        _RAW[path] = read(path)
    raw = _RAW[path]
    raw = dataclasses.replace(raw, text=edit(raw.text),
                              pages=tuple(Page(p.number, edit(p.text)) for p in raw.pages))
    doc = normalise(raw)
    return parse(doc, classify(doc).framework)


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("sep", [", ", " "])
def test_title_after_a_name(title, sep):
    assert strip_inspector_title(f"Teresa Godfrey{sep}{title}") == "Teresa Godfrey"


@pytest.mark.parametrize("title", TITLES)
def test_title_before_a_name(title):
    assert strip_inspector_title(f"{title} Jo Bloggs") == "Jo Bloggs"
    assert strip_inspector_title(f"({title}) Jo Bloggs") == "Jo Bloggs"


@pytest.mark.parametrize("title", ["Her Majesty's Inspector", "Ofsted Inspector", "Senior HMI"])
def test_sif_team_line_with_the_title_before_the_name(title):
    seed = ROOT / "corpus" / "bath-and-north-east-somerset_2017_SIF-with-LSCB-review.md"
    report = _report(seed, lambda t: t.replace("Joy Howick, HMI, Pauline Higham, HMI",
                                               f"{title} Joy Howick, {title} Pauline Higham"))
    team = [(m.name, m.role) for m in report.team]
    assert team[2:4] == [("Joy Howick", "team inspector"), ("Pauline Higham", "team inspector")]


@pytest.mark.parametrize("text", ["Teresa Godfrey", "Anne-Marie O’Brien", "Hmida Seniora", "Ann Senior"])
def test_a_name_without_a_title_is_kept(text):
    assert strip_inspector_title(text) == text


@pytest.mark.parametrize("title", ["Her Majesty’s Inspectors", "HMI", "(Senior HMI)", "Ofsted Inspectors"])
def test_a_title_alone_is_nobody(title):
    assert strip_inspector_title(title) == ""


@needs_dev
@pytest.mark.parametrize("title", TITLES)
def test_ilacs_lead_inspector(title):
    # Cheshire East 2024 prints "Lead inspector: Teresa Godfrey, His Majesty’s Inspector"
    report = _report(DEV / "cheshire-east_2024_ILACS.pdf", lambda t: t.replace(
        "Teresa Godfrey, His Majesty’s Inspector", f"Teresa Godfrey, {title}"))
    assert [(m.name, m.role) for m in report.team] == [("Teresa Godfrey", "lead inspector")]


@needs_dev
@pytest.mark.parametrize("title", ["Senior Her Majesty’s Inspector", "Ofsted Inspector",
                                   "Social Care Regulatory Inspector", "Designated HMI"])
def test_visit_letter_inspectors(title):
    # Dudley 2024: "His Majesty’s Inspectors for this visit were Claire Beckingham and Rebecca Dubbins."
    report = _report(DEV / "dudley_2024_focused-visit.pdf", lambda t: t.replace(
        "were Claire Beckingham and Rebecca Dubbins.",
        f"were Claire Beckingham, {title}, and Rebecca Dubbins, {title}."))
    assert [m.name for m in report.team] == ["Claire Beckingham", "Rebecca Dubbins"]


@pytest.mark.parametrize("title", TITLES)
def test_sif_team_lines(title):
    # the Bath and North East Somerset 2017 seed: "Team inspectors: Joy Howick, HMI, Pauline Higham,
    # HMI, ..." and "Quality assurance manager: Nicholas McMullen, Senior HMI"
    seed = ROOT / "corpus" / "bath-and-north-east-somerset_2017_SIF-with-LSCB-review.md"
    report = _report(seed, lambda t: t.replace("Joy Howick, HMI, Pauline Higham, HMI",
                                               f"Joy Howick {title}, Pauline Higham, {title}")
                     .replace("Nicholas McMullen, Senior HMI", f"Nicholas McMullen {title}"))
    team = [(m.name, m.role) for m in report.team]
    assert team[2:4] == [("Joy Howick", "team inspector"), ("Pauline Higham", "team inspector")]
    assert team[-1] == ("Nicholas McMullen", "quality assurance manager")
    assert len(team) == 10
