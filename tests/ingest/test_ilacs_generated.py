"""ILACS covers and visit letters in their variants, as small generated documents: titles,
short versus standard inspections, a report that mentions a focused visit, 2026 covers."""
from __future__ import annotations

import datetime as dt

import pytest

from core.authorities import register
from ingest.classify import classify
from ingest.frameworks import parse
from ingest.model import Framework, InspectionKind, IngestError
from ingest.normalise import normalise
from ingest.readers import read

RI = "Requires improvement to be good"


def _report(title_lines: list[str], dates: str, rows: list[tuple[str, str]], summary: str = "") -> str:
    table = "\n".join(f"{area}\t{grade}" for area, grade in rows)
    return "\n\n".join([*title_lines, f"Inspection dates: {dates}", "Lead inspector: Ann Example, His Majesty’s Inspector",
                        "Judgement\tGrade", table,
                        summary or "Children in this authority receive help that is improving.",
                        "What needs to improve", "- The quality of plans for children in need.",
                        "The experiences and progress of children who need help and protection: good",
                        "1. Children are seen promptly and their needs are understood.", ""])


ROWS_2023 = [("The impact of leaders on social work practice with children and families", "Good"),
             ("The experiences and progress of children who need help and protection", RI),
             ("The experiences and progress of children in care", "Good"),
             ("The experiences and progress of care leavers", "Outstanding"),
             ("Overall effectiveness", "Good")]


def _parse(tmp_path, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = normalise(read(path))
    framework = classify(doc).framework
    return framework, parse(doc, framework)


@pytest.mark.parametrize("title_lines,gss", [
    (["Kent County Council", "Inspection of local authority children’s services"], "E10000016"),
    (["Inspection of Kent County Council children’s services"], "E10000016"),
    (["Inspection of the Isle of Wight local authority children’s services"], "E06000046"),
    (["Inspection of Barking and Dagenham children's services"], "E09000002"),
    (["Royal Borough of Kingston upon Thames", "Inspection of children’s social care services"], "E09000021"),
    (["Inspection of Doncaster Metropolitan Borough Council children’s services"], "E08000017"),
    # a title wrapped onto a second line
    (["Inspection of Bath and North East Somerset local authority", "children’s services"], "E06000022"),
    (["Inspection of Slough Children First", "Inspection of Slough Borough Council children’s services"], "E06000039"),
])
def test_title_variants_name_the_authority(tmp_path, title_lines, gss):
    framework, report = _parse(tmp_path, _report(title_lines, "6 to 17 March 2023", ROWS_2023))
    assert framework is Framework.ILACS_2023
    assert register().lookup(report.authority_name, report.start).gss_code == gss
    assert {j.area: j.grade for j in report.judgements}["care-leavers"] == "outstanding"


@pytest.mark.parametrize("dates,kind", [
    ("6 to 17 March 2023", InspectionKind.ILACS_STANDARD),     # two weeks on site
    ("6 to 10 March 2023", InspectionKind.ILACS_SHORT),        # one week
    ("27 February 2023 to 3 March 2023", InspectionKind.ILACS_SHORT),
])
def test_short_and_standard_inspections(tmp_path, dates, kind):
    _, report = _parse(tmp_path, _report(["Inspection of Kent County Council children’s services"], dates, ROWS_2023))
    assert report.kind is kind


@pytest.mark.parametrize("broken_after", ["and", "to", "–"])
def test_dates_of_two_parts_printed_over_two_lines(tmp_path, broken_after):
    """A dates line that breaks off after "to", "and" or a dash goes on in the next block."""
    first, second = {"and": ("6 March 2023 to 10 March 2023 and", "27 to 28 March 2023"),
                     "to": ("6 March 2023 to 10 March 2023 and 27 March 2023 to", "28 March 2023"),
                     "–": ("6 March 2023 to 10 March 2023 and 27 March 2023 –", "28 March 2023")}[broken_after]
    _, report = _parse(tmp_path, _report(["Inspection of Kent County Council children’s services"],
                                         f"{first}\n\n{second}", ROWS_2023))
    assert (report.start, report.end) == (dt.date(2023, 3, 6), dt.date(2023, 3, 28))
    assert report.kind is InspectionKind.ILACS_SHORT           # one week on site in the first part
    assert any(w.startswith("inspected in two parts: 6 March 2023") for w in report.warnings)


def test_a_report_that_mentions_a_focused_visit_is_a_report(tmp_path):
    summary = ("Since the focused visit to Kent County Council children’s services in 2021, leaders have "
               "improved help for children.")
    framework, report = _parse(tmp_path, _report(["Inspection of Kent County Council children’s services"],
                                                 "6 to 17 March 2023", ROWS_2023, summary))
    assert framework is Framework.ILACS_2023
    assert report.kind is InspectionKind.ILACS_STANDARD
    assert len(report.judgements) == 5


def test_2026_cover_has_no_overall_effectiveness(tmp_path):
    rows = [r for r in ROWS_2023 if r[0] != "Overall effectiveness"]
    framework, report = _parse(tmp_path, _report(["Inspection of Kent County Council children’s services"],
                                                 "11 to 22 May 2026", rows))
    assert framework is Framework.ILACS_2026
    assert "overall-effectiveness" not in {j.area for j in report.judgements}


def _letter(title: str, visit: str, dated: str) -> str:
    return "\n\n".join([dated, "Ann Director", "Director of Children’s Services", "Dear Ann", title,
                        f"This letter summarises the findings of a focused visit to Kent children’s services {visit}.",
                        "Inspectors looked at the arrangements for children in care.",
                        "Headline findings", "Children in care are well supported by their social workers.",
                        "Yours sincerely", ""])


@pytest.mark.parametrize("visit,dated,start,end,published", [
    ("on 1 and 2 February 2024", "1 March 2024", dt.date(2024, 2, 1), dt.date(2024, 2, 2), dt.date(2024, 3, 1)),
    ("between 20 October and 22 October 2020", "4 December 2020",
     dt.date(2020, 10, 20), dt.date(2020, 10, 22), dt.date(2020, 12, 4)),
    ("on 30 and 31 January", "22 February 2018", dt.date(2018, 1, 30), dt.date(2018, 1, 31), dt.date(2018, 2, 22)),
    ("on 4 and 5 December", "15 January 2019", dt.date(2018, 12, 4), dt.date(2018, 12, 5), dt.date(2019, 1, 15)),
    # three days over two months
    ("on 29 and 30 September, and 1 October 2020", "13 November 2020",
     dt.date(2020, 9, 29), dt.date(2020, 10, 1), dt.date(2020, 11, 13)),
    # one day (a real month is never taken for a misprinted one)
    ("on 4 December 2018", "4 January 2019", dt.date(2018, 12, 4), dt.date(2018, 12, 4), dt.date(2019, 1, 4)),
    # a letter dated before its visit (a misprinted year) keeps no published date
    ("on 18 and 19 December 2019", "21 January 2019", dt.date(2019, 12, 18), dt.date(2019, 12, 19), None),
])
def test_visit_letter_dates(tmp_path, visit, dated, start, end, published):
    framework, report = _parse(tmp_path, _letter("Focused visit to Kent County Council children’s services",
                                                 visit, dated))
    assert framework is Framework.FOCUSED_VISIT
    assert (report.start, report.end, report.published) == (start, end, published)
    assert report.judgements == []


def test_visit_letter_without_a_visit_date_is_refused(tmp_path):
    with pytest.raises(IngestError, match=r"letter\.txt: no visit date"):
        _parse(tmp_path, _letter("Focused visit to Kent County Council children’s services", "recently",
                                 "1 March 2024"), "letter.txt")
