"""ILACS reports and focused-visit letters from ``../shared/corpus-national``: a stratified
sample (each cover format, short and standard, titles in their variants, visit letters with
awkward dates), checked against facts read from the PDFs and Ofsted's outcomes table (31 March
2025). The whole corpus is measured by ``bench/ilacs_eval.py``. Skips when the corpus is absent.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.authorities import register
from ingest.classify import classify
from ingest.frameworks import parse
from ingest.model import Framework, InspectionKind
from ingest.normalise import normalise
from ingest.prepare import prepare
from ingest.readers import read

NATIONAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-national"
if not NATIONAL.is_dir():
    pytest.skip("../shared/corpus-national is absent: its PDFs are read in place, never committed",
                allow_module_level=True)

pytestmark = pytest.mark.slow   # each PDF takes 0.5-3 s to read

RI = "requires-improvement-to-be-good"
D = dt.date
STD, SHORT = InspectionKind.ILACS_STANDARD, InspectionKind.ILACS_SHORT
#: file -> (format, kind, GSS code, start, end, judgements); grades and start dates as the
#: outcomes table lists them, 2026 grades as printed (the table ends in March 2025)
REPORTS = {
    # 2018 cover: authority on the line above "Inspection of local authority children's services"
    "80542_rochdale_2018-03-12.pdf": (Framework.ILACS_2018, STD, "E08000005", D(2018, 1, 29), D(2018, 2, 9),
                                      {"leadership": RI, "help-and-protection": RI,
                                       "children-in-care-and-care-leavers": "good", "overall-effectiveness": RI}),
    # grade cells wrapped over two rows; section headings printed as sentences
    "80533_nottingham_2019-01-07.pdf": (Framework.ILACS_2018, STD, "E06000018", D(2018, 11, 5), D(2018, 11, 16),
                                        {"leadership": RI, "help-and-protection": RI,
                                         "children-in-care-and-care-leavers": RI, "overall-effectiveness": RI}),
    # a short inspection (one week on site) that the cover does not call short
    "80545_kingston-upon-thames_2019-12-19.pdf": (
        Framework.ILACS_2018, SHORT, "E09000021", D(2019, 10, 21), D(2019, 10, 25),
        {"leadership": "outstanding", "help-and-protection": "good",
         "children-in-care-and-care-leavers": "outstanding", "overall-effectiveness": "outstanding"}),
    # "Inspection of Doncaster Metropolitan Borough Council children's services" (a trust's council)
    "80462_doncaster_2022-04-08.pdf": (Framework.ILACS_2018, STD, "E08000017", D(2022, 2, 14), D(2022, 2, 25),
                                       {"leadership": "inadequate", "help-and-protection": RI,
                                        "children-in-care-and-care-leavers": RI, "overall-effectiveness": RI}),
    # 2018 format whose text speaks of care leavers' progress
    "80479_knowsley_2021-12-03.pdf": (Framework.ILACS_2018, STD, "E08000011", D(2021, 10, 11), D(2021, 10, 22),
                                      {"leadership": RI, "help-and-protection": RI,
                                       "children-in-care-and-care-leavers": RI, "overall-effectiveness": RI}),
    # area cells wrapped onto a second line below their grade
    "80526_north-east-lincolnshire_2021-11-26.pdf": (
        Framework.ILACS_2018, STD, "E06000012", D(2021, 10, 4), D(2021, 10, 15),
        {"leadership": "inadequate", "help-and-protection": "inadequate",
         "children-in-care-and-care-leavers": "inadequate", "overall-effectiveness": "inadequate"}),
    "80443_bury_2021-12-17.pdf": (Framework.ILACS_2018, STD, "E08000002", D(2021, 10, 25), D(2021, 11, 5),
                                  {"leadership": "inadequate", "help-and-protection": "inadequate",
                                   "children-in-care-and-care-leavers": RI, "overall-effectiveness": "inadequate"}),
    # inspected in two parts: standard (two weeks in the first part) and short (one week)
    "80461_devon_2025-05-13.pdf": (Framework.ILACS_2023, STD, "E10000008", D(2024, 9, 30), D(2025, 1, 16),
                                   {"leadership": RI, "help-and-protection": "inadequate",
                                    "children-in-care": "inadequate", "care-leavers": "inadequate",
                                    "overall-effectiveness": "inadequate"}),
    "80557_south-tyneside_2023-05-10.pdf": (Framework.ILACS_2018, SHORT, "E08000023", D(2022, 12, 5), D(2023, 2, 15),
                                            {"leadership": "inadequate", "help-and-protection": RI,
                                             "children-in-care-and-care-leavers": "inadequate",
                                             "overall-effectiveness": "inadequate"}),
    # its summary mentions "a focused visit to ...": a report, not a letter
    "80537_peterborough_2024-01-30.pdf": (Framework.ILACS_2023, STD, "E06000031", D(2023, 11, 27), D(2023, 12, 8),
                                          {"leadership": RI, "help-and-protection": RI, "children-in-care": RI,
                                           "care-leavers": "inadequate", "overall-effectiveness": "inadequate"}),
    # short, 2023 format; a paragraph number at the start of a wrapped line
    "80419_isle-of-wight_2023-12-15.pdf": (Framework.ILACS_2023, SHORT, "E06000046", D(2023, 10, 30), D(2023, 11, 3),
                                           {"leadership": "good", "help-and-protection": RI, "children-in-care": "good",
                                            "care-leavers": "good", "overall-effectiveness": "good"}),
    # "Inspection of Barking and Dagenham children's services"
    "80486_barking-and-dagenham_2023-09-04.pdf": (
        Framework.ILACS_2023, STD, "E09000002", D(2023, 7, 10), D(2023, 7, 21),
        {"leadership": RI, "help-and-protection": RI, "children-in-care": RI, "care-leavers": "good",
         "overall-effectiveness": RI}),
    # 2026 format: no overall effectiveness; a 2021 unitary
    "2637539_north-northamptonshire_2026-07-07.pdf": (
        Framework.ILACS_2026, STD, "E06000061", D(2026, 5, 11), D(2026, 5, 22),
        {"leadership": "outstanding", "help-and-protection": "good", "children-in-care": "good",
         "care-leavers": "good"}),
}
#: file -> (GSS code, visit start, visit end, letter date or None)
VISITS = {
    "80456_coventry_2018-02-22.pdf": ("E08000026", D(2018, 1, 30), D(2018, 1, 31), D(2018, 2, 22)),  # no year
    "80511_newham_2020-12-04.pdf": ("E09000025", D(2020, 10, 20), D(2020, 10, 22), D(2020, 12, 4)),  # "between"
    "80464_dudley_2020-01-21.pdf": ("E08000027", D(2019, 12, 18), D(2019, 12, 19), None),  # dated 21 Jan 2019
    "80450_london-corporation_2018-11-16.pdf": ("E09000001", D(2018, 10, 24), D(2018, 10, 24), D(2018, 11, 16)),
    "2532287_bournemouth-christchurch-poole_2019-12-18.pdf": ("E06000058", D(2019, 11, 5), D(2019, 11, 6),
                                                             D(2019, 12, 18)),
}


def _parsed(folder: str, name: str):
    doc = normalise(read(NATIONAL / folder / name))
    framework = classify(doc).framework
    report = parse(doc, framework)
    return framework, report, register().lookup(report.authority_name, report.start or report.published)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_report_facts(name):
    fmt, kind, gss, start, end, judgements = REPORTS[name]
    framework, report, authority = _parsed("inspections", name)
    assert framework is fmt
    assert report.kind is kind
    assert authority.gss_code == gss
    assert (report.start, report.end) == (start, end)
    assert {j.area: j.grade for j in report.judgements} == judgements


@pytest.mark.parametrize("name", sorted(VISITS))
def test_visit_letter_facts(name):
    gss, start, end, letter = VISITS[name]
    framework, report, authority = _parsed("focused-visits", name)
    assert framework is Framework.FOCUSED_VISIT
    assert report.kind is InspectionKind.FOCUSED_VISIT
    assert authority.gss_code == gss
    assert (report.start, report.end, report.published) == (start, end, letter)
    assert report.judgements == []


@pytest.mark.parametrize("folder,name", [("inspections", "80419_isle-of-wight_2023-12-15.pdf"),
                                         ("focused-visits", "80464_dudley_2020-01-21.pdf")])
def test_loads_through_the_whole_pipeline(folder, name):
    prepared = prepare(str(NATIONAL / folder / name))
    assert prepared.triples > 100
    if "dudley" in name:
        assert any("letter is dated 2019-01-21" in w for w in prepared.warnings)


@pytest.mark.parametrize("name,team,findings", [
    ("80511_newham_2020-12-04.pdf", ["Andy Whippey", "Tara Geere", "Emmy Tomsett", "Tom Anthony", "Nasim Butt"], 27),
    # findings printed as bullets
    ("2532287_bournemouth-christchurch-poole_2019-12-18.pdf", ["Diane Partridge", "Julie Knight"], 13),
    # "The visit was conducted by A and B, two of Her Majesty's Inspectors"
    ("80464_dudley_2020-01-21.pdf", ["Alison Smale", "Tara Geere"], 19),
])
def test_visit_letter_team_and_findings(name, team, findings):
    _, report, _ = _parsed("focused-visits", name)
    assert [m.name for m in report.team] == team
    assert len(report.findings) == findings


def test_recommendations_printed_with_bullet_glyphs():
    _, report, _ = _parsed("inspections", "80568_swindon_2019-08-12.pdf")
    assert [r.text[:40] for r in report.recommendations] == [
        "the extent to which plans for children, ", "sufficiency of local placements to meet ",
        "the timeliness and quality of preparatio", "health histories, so that they are routi"]
