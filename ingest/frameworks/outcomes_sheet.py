"""Read an outcomes spreadsheet's sheets: which header names which field or framework column
group, what a printed cell holds (text, blank, date, inspection type), and where a sheet's
tables start (a header row with a "local authority name" cell, a title row above it).

Header rows and columns are found by their text, never by position. The parser that turns the
rows into inspections is :mod:`ingest.frameworks.outcomes_table`.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from ..model import Framework, InspectionKind, SheetTable
from . import table_groups

_FORMER_TITLE = re.compile(r"before the restructure|no longer exist|former", re.I)
_BLANK = {"", "-", "n/a", "na", "not applicable", "not inspected", "not judged", "x", ".."}

# ----------------------------------------------------------------- column headers


@dataclass(frozen=True)
class Occurrence:
    """One framework occurrence in a wide sheet: a group of columns sharing a prefix."""

    key: str
    kind: InspectionKind | None        # None: read from the group's inspection-type column
    framework: Framework | None        # None: ILACS, decided by the care-leavers column
    overall_area: str                  # the area of a bare "overall effectiveness" column


@functools.cache
def column_groups() -> tuple[tuple[re.Pattern[str], Occurrence], ...]:
    """Every framework's column groups (``FrameworkSpec.table_groups``), in declared order."""
    return tuple((g.header, Occurrence(g.key, g.kind, None if g.framework_from_columns else s.framework,
                                        g.overall_area)) for s, g in table_groups())


#: (pattern on a normalised header, field); first match wins, so specific before general
_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"area code|gss|ons code"), "code"),
    (re.compile(r"local authority name|^la name$"), "name"),
    (re.compile(r"local authority status"), "status"),
    (re.compile(r"region"), "region"),
    (re.compile(r"authority type"), "la-type"),
    (re.compile(r"publication date"), "published"),
    (re.compile(r"(inspection|visit) date|date of (inspection|visit)"), "start"),
    (re.compile(r"(inspection|visit) type|type of (inspection|visit)"), "type"),
    (re.compile(r"visit theme|theme"), "theme"),
    (re.compile(r"\blscb\b|safeguarding children board"), "lscb"),
    (re.compile(r"adoption"), "adoption"),
    (re.compile(r"children in care and care leavers"), "children-in-care-and-care-leavers"),
    (re.compile(r"care leavers"), "care-leavers"),
    (re.compile(r"children in care"), "children-in-care"),
    (re.compile(r"help and protection"), "help-and-protection"),
    (re.compile(r"leadership|impact of leaders"), "leadership"),
    (re.compile(r"looked after children overall|children looked after oe|looked after oe"),
     "looked-after/overall-effectiveness"),
    (re.compile(r"safeguarding (overall|oe)"), "safeguarding/overall-effectiveness"),
    (re.compile(r"children looked after and achieving permanence|children looked after"),
     "children-looked-after"),
    (re.compile(r"overall"), "overall"),
)

PRINTED_AREA = {
    "overall-effectiveness": "Overall effectiveness",
    "help-and-protection": "The experiences and progress of children who need help and protection",
    "children-looked-after": "Children looked after and achieving permanence",
    "adoption": "Adoption performance",
    "care-leavers": "The experiences and progress of care leavers",
    "leadership": "Leadership",
    "lscb": "Local Safeguarding Children Board",
    "children-in-care": "The experiences and progress of children in care",
    "children-in-care-and-care-leavers": "The experiences and progress of children in care and care leavers",
}


def _norm_header(value: object) -> str:
    return " ".join(str(value).lower().replace("’", "'").split())


def header_field(header: str) -> str | None:
    """The field a normalised header names (``_FIELDS``), or None."""
    for pattern, name in _FIELDS:
        if pattern.search(header):
            return name
    return None


def header_group(header: str) -> Occurrence | None:
    """The framework occurrence whose column group a normalised header belongs to, or None."""
    for pattern, occ in column_groups():
        if pattern.search(header):
            return occ
    return None


# ----------------------------------------------------------------- cells


def cell_text(value: object) -> str:
    """A cell as one line of text ("" for an empty cell)."""
    return " ".join(str(value).split()) if value not in (None, "") else ""


def is_blank(value: object) -> bool:
    """Whether a cell says nothing: empty, "-", "n/a", "not inspected" and the like."""
    return cell_text(value).lower() in _BLANK


_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def cell_date(value: object) -> dt.date | None:
    """A cell's date (a date value, "d/m/yyyy" or ISO text), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    m = _DATE_TEXT.match(text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


_KINDS = (
    (re.compile(r"focused visit", re.I), InspectionKind.FOCUSED_VISIT, Framework.FOCUSED_VISIT),
    (re.compile(r"monitoring visit", re.I), InspectionKind.MONITORING_VISIT, Framework.MONITORING_VISIT),
    (re.compile(r"short", re.I), InspectionKind.ILACS_SHORT, None),
    (re.compile(r"standard|ilacs|full", re.I), InspectionKind.ILACS_STANDARD, None),
    (re.compile(r"jtai|joint targeted", re.I), InspectionKind.JTAI, None),
)


def inspection_kind(printed: str) -> tuple[InspectionKind, Framework | None] | None:
    """(kind, framework) of a printed inspection type (framework None: an ILACS inspection,
    decided by its columns), or None when the type is not recognised."""
    for pattern, kind, framework in _KINDS:
        if pattern.search(printed):
            return kind, framework
    return None


# ----------------------------------------------------------------- sheets


@dataclass
class SheetPart:
    """One table of a sheet: its header row (normalised and as printed) and its data rows."""

    sheet: str
    header_row: int                   # 0-based index into the sheet's rows
    headers: list[str]                # normalised (lower case) for matching
    printed: list[str]                # as printed, for Judgement.printed_area
    former: bool
    rows: list[tuple[int, tuple[object, ...]]] = field(default_factory=list)


def sheet_parts(sheet: SheetTable) -> list[SheetPart]:
    """Split a sheet into tables: header row = a row with a 'local authority name' cell."""
    tables: list[SheetPart] = []
    current: SheetPart | None = None
    title = ""
    for i, row in enumerate(sheet.rows):
        cells = [_norm_header(c) for c in row]
        if any(header_field(c) == "name" for c in cells if c and len(c) < 60):
            current = SheetPart(sheet.name, i, cells, [cell_text(c) for c in row],
                             former=bool(_FORMER_TITLE.search(title)))
            tables.append(current)
            continue
        filled = [c for c in row if not is_blank(c)]
        if not filled:
            current = None
            continue
        if current is None or len(filled) == 1 and isinstance(filled[0], str) and len(row) > 2:
            title = cell_text(filled[0])
            current = None
            continue
        current.rows.append((i, row))
    return tables
