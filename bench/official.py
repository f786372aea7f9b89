"""The truth ``bench/accuracy.py`` measures against: Ofsted's official outcome spreadsheets and
the corpus manifest.

Evaluation only: nothing in ``ingest/`` may read file names, ``MANIFEST.csv`` or these tables to
decide a fact. The spreadsheets are read here with python-calamine directly, not through the
project's own outcomes-table parser, so that a bug in that parser cannot hide in the truth.

* ILACS 2018-25 (with inspection start dates and standard/short kinds):
  ``LA_Inspection_Outcomes_as_at_31_March_2025.ods``, sheet ``ILACS_inspection_history``;
  focused visits of 2024-25 (with their dates) in its sheet ``In-year_inspections``.
* SIF, SIF re-inspections and the 2013 looked-after-children ("TLAC") inspections, publication
  dates only: ``Childrens_social_care_in_England_2023_underlying_data.ods``, sheet
  ``LA_inspections_2009-2023``, one row per authority and keyed by name (mapped to GSS codes
  through ``statistical-neighbours.csv`` and, failing that, the project's register).
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

ILACS_BOOK = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
HISTORY_BOOK = "Childrens_social_care_in_England_2023_underlying_data.ods"

#: MANIFEST.csv ``kind_on_cover`` -> the family an official record belongs to
FAMILY = {"SIF": "sif", "SIF re-inspection": "sif-reinspection", "LAC 2013": "lac",
          "ILACS 2018-22": "ilacs", "ILACS 2023+": "ilacs", "ILACS 2026": "ilacs",
          "focused visit": "focused-visit"}
#: the inspection kind the store should record, by manifest kind (ILACS: from the spreadsheet)
KIND = {"SIF": "sif", "SIF re-inspection": "sif-reinspection", "LAC 2013": "lac",
        "focused visit": "focused-visit"}
ILACS_TYPES = {"ilacs standard inspection": "ilacs-standard", "ilacs short inspection": "ilacs-short",
               "ilacs focused visit": "focused-visit", "ilacs monitoring visit": "monitoring-visit"}
ILACS_AREAS = {"overall effectiveness": "overall-effectiveness",
               "the impact of leaders on social work practice with children and families": "leadership",
               "the experiences and progress of children who need help and protection": "help-and-protection",
               "the experiences and progress of children in care": "children-in-care",
               "the experiences and progress of care leavers": "care-leavers"}
#: columns of LA_inspections_2009-2023: (family, publication-date column, {column: area})
HISTORY_BLOCKS = (
    ("sif", 17, {18: "overall-effectiveness", 19: "help-and-protection", 20: "children-looked-after",
                 21: "adoption", 22: "care-leavers", 23: "leadership", 24: "lscb"}),
    ("sif-reinspection", 25, {26: "overall-effectiveness", 27: "help-and-protection",
                              28: "children-looked-after", 29: "adoption", 30: "care-leavers",
                              31: "leadership"}),
    ("lac", 15, {16: "overall-effectiveness"}),
)


@dataclass
class Official:
    """One inspection as Ofsted's tables record it."""

    gss: str
    family: str
    published: dt.date | None
    start: dt.date | None = None
    kind: str | None = None
    grades: dict[str, str] = field(default_factory=dict)   # area notation -> normalised grade


@dataclass
class Expected:
    """One file of the corpus as the manifest describes it."""

    path: str
    kind: str            # as printed on the cover (MANIFEST.csv kind_on_cover)
    gss: str | None
    published: dt.date | None


def grade_key(label: str) -> str:
    """A grade as compared: case and the tables' wordings folded ("Requires improvement to be
    good" is the SIF "Requires improvement" and the 2009-12 "Adequate" there)."""
    s = " ".join(str(label).lower().replace("-", " ").split())
    if s.startswith("requires improvement") or s == "adequate":
        return "requires improvement"
    return s


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value.strip()):
        return dt.date.fromisoformat(value.strip())
    return None


def _rows(path: Path, sheet: str) -> list[list]:
    from python_calamine import CalamineWorkbook
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _header_index(rows: list[list], first: str) -> int:
    for i, row in enumerate(rows):
        if row and str(row[0]).strip() == first:
            return i
    raise ValueError(f"no header row starting {first!r}")


def _ilacs_sheet(rows: list[list]) -> list[Official]:
    h = _header_index(rows, "Web link")
    header = [str(c).strip().lower() for c in rows[h]]
    col = {name: header.index(name) for name in header if name}
    start_col = col.get("inspection date", col.get("inspection/visit date"))
    type_col = col.get("inspection type", col.get("inspection/visit type"))
    found = []
    for row in rows[h + 1:]:
        gss = str(row[col["local authority area code"]]).strip()
        if not gss.startswith("E"):
            continue
        kind = ILACS_TYPES.get(str(row[type_col]).strip().lower()) if type_col is not None else None
        grades = {area: grade_key(row[col[name]]) for name, area in ILACS_AREAS.items()
                  if name in col and str(row[col[name]]).strip()}
        if "children-in-care" in grades and "care-leavers" not in grades:
            grades["children-in-care-and-care-leavers"] = grades.pop("children-in-care")
        found.append(Official(gss=gss, family="focused-visit" if kind == "focused-visit" else "ilacs",
                              published=_date(row[col["publication date"]]),
                              start=_date(row[start_col]), kind=kind, grades=grades))
    return found


def _history_sheet(rows: list[list], gss_of) -> list[Official]:
    found = []
    for row in rows:
        if len(row) < 32 or str(row[0]).strip() != "Ofsted Local Authority Webpage":
            continue
        gss = gss_of(str(row[1]))
        if gss is None:
            continue
        for family, date_col, areas in HISTORY_BLOCKS:
            published = _date(row[date_col])
            if published is None:
                continue
            grades = {area: grade_key(row[c]) for c, area in areas.items() if str(row[c]).strip()}
            found.append(Official(gss=gss, family=family, published=published, kind=family,
                                  grades=grades))
    return found


def _name_key(name: str) -> str:
    s = name.lower().replace("&", " and ")
    s = re.sub(r"\b(city of|county of|council|the)\b", " ", s)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def authority_codes(reference: Path) -> tuple[dict[str, str], dict[str, str]]:
    """``statistical-neighbours.csv``: (Ofsted URN -> GSS code, name key -> GSS code)."""
    by_urn, by_name = {}, {}
    with (reference / "statistical-neighbours.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            code = RECODED.get(r["la_code_new"].strip(), r["la_code_new"].strip())
            by_urn[r["urn"].strip()] = code
            for n in (r["local_authority_ons_name"], r["also_known_as"], r["utla23nm"],
                      r["ltla23nm"], r["ofsted_ilacs_scrape_la_name"]):
                if n and n.strip():
                    by_name[_name_key(n)] = code
    return by_urn, by_name


#: Barnsley's and Sheffield's 2023 GSS codes (after boundary changes), as DfE's neighbours table
#: gives them, -> the codes the register and Ofsted's outcome tables use for them (as
#: tools/build_neighbours.py does)
RECODED = {"E08000038": "E08000016", "E08000039": "E08000019"}


def official_records(reference: Path) -> list[Official]:
    """Every inspection the official tables record (ILACS with dates; SIF, re-inspections and
    TLAC by publication date)."""
    from core.authorities import register   # the register only maps names of former councils
    _, by_name = authority_codes(reference)

    def gss_of(name: str) -> str | None:
        found = by_name.get(_name_key(name))
        if found:
            return found
        a = register().lookup(name)
        return a.gss_code if a else None

    outcomes = reference / "ofsted-outcomes"
    records = _ilacs_sheet(_rows(outcomes / ILACS_BOOK, "ILACS_inspection_history"))
    records += [r for r in _ilacs_sheet(_rows(outcomes / ILACS_BOOK, "In-year_inspections"))
                if r.family == "focused-visit"]
    records += _history_sheet(_rows(outcomes / HISTORY_BOOK, "LA_inspections_2009-2023"), gss_of)
    return records


def manifest(folder: Path, reference: Path) -> dict[str, Expected]:
    """``MANIFEST.csv`` of a corpus folder: path -> what the file is (empty when there is none)."""
    path = folder / "MANIFEST.csv"
    if not path.exists():
        return {}
    by_urn, _ = authority_codes(reference)
    found = {}
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            file = str(folder / r["file"])
            found[file] = Expected(path=file, kind=r["kind_on_cover"].strip(),
                                   gss=by_urn.get(r["ofsted_urn"].strip()),
                                   published=_date(r["published"]))
    return found


def match(expected: Expected, records: list[Official], days: int = 31) -> Official | None:
    """The official record of a file: same authority and family, the publication date nearest
    the manifest's (within ``days``)."""
    family = FAMILY.get(expected.kind)
    if family is None or expected.gss is None or expected.published is None:
        return None
    best, gap = None, None
    for r in records:
        if r.gss != expected.gss or r.family != family or r.published is None:
            continue
        d = abs((r.published - expected.published).days)
        if d <= days and (gap is None or d < gap):
            best, gap = r, d
    return best
