"""Parse Ofsted's official outcomes spreadsheets: ``Document`` (with sheets) -> ``OutcomesTable``.

Handles the published layouts of the local-authority inspection outcome tables:

* *wide* sheets, one row per authority and a block of columns per framework occurrence
  (``LA_inspections_2009-2023``: SLAC and its re-inspections, CPI/CPRI, TLAC, first SIF with the
  LSCB review, SIF re-inspection, first and second ILACS; ``ILACS_inspections_2018-2024``);
* *flat* sheets, one row per inspection or visit (``ILACS_inspection_history``, the in-year
  sheets, ``Inspections_as_at_31_March``).

Header rows and columns are found by their text, never by position (:mod:`.outcomes_sheet`
reads headers and cells); a sheet may hold several tables (a title row, a header row, data rows;
a title mentioning authorities that "existed before the restructure" or "no longer exist" marks
a table of former authorities). Each graded
cell keeps its printed literal and maps to the grade key of the column's framework: these
tables print SIF "Requires improvement" and 2009-12 "Adequate" as "Requires improvement to be
good". Authorities resolve to GSS codes through the register (the sheet's own code when it
prints one), choosing among same-named authorities by the inspection date.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core import vocab
from core.authorities import register
from ..model import (Document, Framework, IngestError, InspectionKind, Judgement, OutcomesTable,
                     Source, TableInspection)
from . import spec_for
from .outcomes_authorities import TableAuthorities
from .outcomes_dedupe import dedupe
from .outcomes_sheet import (PRINTED_AREA, Occurrence, SheetPart, cell_date, cell_text, header_field,
                             header_group, inspection_kind, is_blank, sheet_parts)
from .spec import FrameworkSpec

#: a sheet is read when its name says it holds inspections (and not providers')
_INSPECTION_SHEET = re.compile(r"inspection", re.I)
_SKIPPED_SHEET = re.compile(r"provider", re.I)

# ----------------------------------------------------------------- grades


def grade_for(printed: str, framework: Framework) -> str | None:
    """The grade key a printed table grade means under a framework's scale (None if unknown).

    The tables print one word for the middle grade whatever the framework ("Requires
    improvement to be good" for a SIF "Requires improvement"), so rank 3 is the scale's own.
    """
    word = " ".join(printed.lower().split())
    rank = vocab.GRADE_RANKS.get(word)
    if rank is None:
        return None
    return spec_for(framework).scale.middle if rank == 3 else word


def _judgement(area: str, printed: object, framework: Framework, sheet: str, row: int,
               printed_area: str, warnings: list[str]) -> Judgement | None:
    text = cell_text(printed)
    if is_blank(text):
        return None
    grade = grade_for(text, framework)
    if grade is None:
        warnings.append(f"sheet {sheet!r} row {row}: {printed_area!r} grade {text!r} not recognised")
        return None
    return Judgement(area=area, grade=grade, printed_area=printed_area, printed_grade=text,
                     subject="board" if area == "lscb" else "authority",
                     service=area.split("/")[0] if "/" in area else None,
                     source=Source(sheet=sheet, row=row))


def _ilacs_framework(areas: dict[str, object], when: dt.date | None) -> Framework:
    if any(not is_blank(areas.get(k, "")) for k in ("care-leavers",)):
        return Framework.ILACS_2023
    if when and when >= dt.date(2026, 4, 1):
        return Framework.ILACS_2026
    return Framework.ILACS_2018


def _ilacs_area(area: str, framework: Framework) -> str:
    """Before 2023 the 'children in care' column holds the combined judgement."""
    if area == "children-in-care" and framework is Framework.ILACS_2018:
        return "children-in-care-and-care-leavers"
    return area


class _Parser:
    def __init__(self, doc: Document):
        self.path = doc.path
        self.doc = doc
        self.authorities = TableAuthorities(register(), doc.path)
        self.warnings: list[str] = []
        self.inspections: list[TableInspection] = []

    def _require(self, table: SheetPart, fields: dict[str, list[int]], needed: tuple[str, ...],
                 label: dict[str, str]) -> None:
        for f in needed:
            if f not in fields:
                raise IngestError(self.path, f"sheet {table.sheet!r}: missing expected column "
                                             f"{label[f]!r} (header row {table.header_row + 1})")

    def table(self, table: SheetPart) -> None:
        groups = {i: header_group(h) for i, h in enumerate(table.headers) if h}
        wide = any(g is not None for g in groups.values())
        fields: dict[str, list[int]] = {}
        for i, h in enumerate(table.headers):
            f = header_field(h) if h else None
            if f:
                fields.setdefault(f, []).append(i)
        label = {"name": "Local authority name", "date": "Inspection date or Publication date"}
        self._require(table, fields, ("name",), label)
        if not wide and "start" not in fields and "published" not in fields:
            self._require(table, fields, ("date",), label)
        if wide:
            self._wide(table, fields)
        else:
            self._flat(table, fields)

    # -- one row per inspection
    def _flat(self, t: SheetPart, fields: dict[str, list[int]]) -> None:
        col = {f: idx[0] for f, idx in fields.items()}
        area_cols = [(f, i) for f, i in col.items() if f in PRINTED_AREA or f == "overall"]
        for i, row in t.rows:
            get = (lambda f: row[col[f]] if f in col and col[f] < len(row) else "")
            name = cell_text(get("name"))
            if not name:
                continue
            start, published = cell_date(get("start")), cell_date(get("published"))
            if start is None and published is None:
                self.warnings.append(f"sheet {t.sheet!r} row {i + 1}: {name} has no date; skipped")
                continue
            printed_kind = cell_text(get("type"))
            kind, framework = InspectionKind.ILACS_STANDARD, None
            if printed_kind:
                found = inspection_kind(printed_kind)
                if found is None:
                    self.warnings.append(f"sheet {t.sheet!r} row {i + 1}: inspection type "
                                         f"{printed_kind!r} not recognised; skipped")
                    continue
                kind, framework = found
            areas = {("overall-effectiveness" if f == "overall" else f): get(f) for f, _ in area_cols}
            if not printed_kind and all(is_blank(v) for v in areas.values()):
                continue
            if framework is None:
                framework = _ilacs_framework(areas, start or published)
            former = t.former or "no longer" in cell_text(get("status")).lower()
            a = self.authorities.resolve(name, cell_text(get("code")).upper(), start or published, former)
            ti = TableInspection(authority_name=name, gss_code=a.gss_code, kind=kind, framework=framework,
                                 start=start, end=None, published=published,
                                 source=Source(sheet=t.sheet, row=i + 1))
            if framework not in (Framework.FOCUSED_VISIT, Framework.MONITORING_VISIT):
                for area, value in areas.items():
                    key = _ilacs_area(area, framework)
                    printed = t.printed[col["overall" if area == "overall-effectiveness" else area]]
                    j = _judgement(key, value, framework, t.sheet, i + 1, printed, self.warnings)
                    if j:
                        ti.judgements.append(j)
            theme = cell_text(get("theme"))
            if theme:
                ti = TableVisit(**{k: getattr(ti, k) for k in ti.__dataclass_fields__}, theme=theme)
            self.inspections.append(ti)

    # -- one row per authority, a column group per framework occurrence
    def _wide(self, t: SheetPart, fields: dict[str, list[int]]) -> None:
        name_col = fields["name"][0]
        code_col = fields.get("code", [None])[0]
        status_col = fields.get("status", [None])[0]
        groups: dict[str, tuple[Occurrence, dict[str, int]]] = {}
        for i, h in enumerate(t.headers):
            occ = header_group(h) if h else None
            f = header_field(h) if h else None
            if occ is None or f is None:
                continue
            if f == "overall":
                f = occ.overall_area
            groups.setdefault(occ.key, (occ, {}))[1].setdefault(f, i)
        for key, (occ, cols) in groups.items():
            if "published" not in cols and "start" not in cols:
                raise IngestError(self.path, f"sheet {t.sheet!r}: missing expected column "
                                             f"'publication date' for the {key} columns")
        for i, row in t.rows:
            name = cell_text(row[name_col]) if name_col < len(row) else ""
            if not name:
                continue
            code = cell_text(row[code_col]).upper() if code_col is not None and code_col < len(row) else ""
            former = t.former or (status_col is not None and "no longer" in cell_text(row[status_col]).lower())
            for key, (occ, cols) in groups.items():
                get = (lambda f: row[cols[f]] if f in cols and cols[f] < len(row) else "")
                start, published = cell_date(get("start")), cell_date(get("published"))
                if start is None and published is None:
                    continue
                kind, framework = occ.kind, occ.framework
                areas = {f: get(f) for f in cols if f not in ("published", "start", "type", "theme")}
                if kind is None:
                    found = inspection_kind(cell_text(get("type")) or "standard")
                    kind, framework = found if found else (InspectionKind.ILACS_STANDARD, None)
                    if framework is None:
                        framework = _ilacs_framework(areas, start or published)
                a = self.authorities.resolve(name, code, start or published, former)
                ti = TableInspection(authority_name=name, gss_code=a.gss_code, kind=kind,
                                     framework=framework, start=start, end=None, published=published,
                                     source=Source(sheet=t.sheet, row=i + 1))
                for area, value in areas.items():
                    area_key = _ilacs_area(area, framework) if occ.kind is None else area
                    j = _judgement(area_key, value, framework, t.sheet, i + 1,
                                   t.printed[cols[area]], self.warnings)
                    if j:
                        ti.judgements.append(j)
                self.inspections.append(ti)


@dataclass
class TableVisit(TableInspection):
    """A focused or monitoring visit row: an inspection with the theme the sheet prints."""

    theme: str | None = None


#: sheets holding full history first, so their rows (with both dates) are the ones kept
def _sheet_order(name: str) -> int:
    n = name.lower()
    return 0 if "history" in n or re.search(r"20\d\d-20\d\d", n) else 1 if "year" in n else 2


def parse(doc: Document) -> OutcomesTable:
    """Every inspection and visit the workbook's inspection sheets record.

    :param doc: a normalised spreadsheet document (``doc.raw.tables`` holds its sheets).
    :return: an ``OutcomesTable`` with one ``TableInspection`` per framework occurrence.
    :raise IngestError: no inspection sheet, a sheet lacking an expected column, or an
        authority the register does not know (naming file, sheet, column or name).
    """
    parser = _Parser(doc)
    sheets = [t for t in doc.raw.tables
              if _INSPECTION_SHEET.search(t.name) and not _SKIPPED_SHEET.search(t.name)]
    if not sheets:
        raise IngestError(doc.path, "no sheet of inspection outcomes found (sheets: "
                                    + ", ".join(t.name for t in doc.raw.tables[:8]) + ")")
    for sheet in sorted(sheets, key=lambda s: _sheet_order(s.name)):
        tables = sheet_parts(sheet)
        if not tables:
            raise IngestError(doc.path, f"sheet {sheet.name!r}: missing expected column "
                                        "'Local authority name' (no header row found)")
        for table in tables:
            parser.table(table)
    inspections = dedupe(parser.inspections, parser.warnings)
    title = doc.raw.path.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ")
    return OutcomesTable(framework=Framework.OUTCOMES_TABLE, title=f"Ofsted: {title}",
                         inspections=inspections, warnings=parser.warnings)


def recognise(doc: Document, cover: str) -> str | None:
    """The evidence that a document is a spreadsheet (its first sheets' names), or None."""
    if not doc.raw.tables:
        return None
    return "spreadsheet with sheets " + ", ".join(t.name for t in doc.raw.tables[:4])


SPECS = (FrameworkSpec(Framework.OUTCOMES_TABLE, "Ofsted's outcomes spreadsheet", order=0, recognise=recognise,
                       parse=parse, kinds={InspectionKind.JTAI: "JTAI"}, document_class="OutcomesSpreadsheet"),)
