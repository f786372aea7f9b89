"""Parse a 2013 "Inspection of looked after children services" report.

The framework inspected one service, the authority's services for looked after children, on
the 2009-12 four-point scale ("Grade 4 (inadequate)"). What this module declares:

* cover: the title "Inspection of looked after children services", the authority on the next
  line, then the fields "Inspection dates:", "Reporting inspector", "Published:" (PDF layout
  may put a field's label and value in one table row, "Age group: Published: | All 16 August 2013");
* areas: overall effectiveness, capacity to improve, outcomes for looked after children and
  young people, quality of provision, leadership and management - each a section heading
  followed by its grade line, and repeated in the closing "Record of main findings" table;
* grades: outstanding, good, adequate, inadequate (the ``slac-2009`` scale);
* recommendations: the bullets under "Areas for improvement", in bands ("Immediately:",
  "Within three months:").

Where a section's grade and the record of main findings disagree, the section is kept and a
warning says so.
"""
from __future__ import annotations

import re

from .. import patterns
from ..model import (Block, Document, Finding, Framework, IngestError, InspectionKind, Judgement,
                     Recommendation, Report, Source, TeamMember)
from .slac_2009_facts import statistics
from .spec import SLAC_2009_SCALE, FrameworkSpec, TableGroup, title_rule

FRAMEWORK = Framework("lac-2013")
KIND = InspectionKind("lac")

_I = re.I
SERVICE = "looked-after"
#: area key (under the looked-after service) -> printed section heading or table row
AREAS: dict[str, re.Pattern[str]] = {key: re.compile(rx, _I) for key, rx in (
    ("overall-effectiveness", r"^overall effectiveness\b"),
    ("capacity-for-improvement", r"^capacity (?:to|for) improve"),
    ("outcomes", r"^outcomes for looked after children"),
    ("quality-of-provision", r"^(?:the )?quality of provision"),
    ("leadership-and-management", r"^leadership and management"),
)}
GRADES = ("outstanding", "good", "adequate", "inadequate")

#: the cover title, at the start of a line: "Inspection of looked after children services",
#: "Inspection of looked-after children", "Inspection of services for looked after children and
#: care leavers" (words split by spaces or a hyphen; whatever follows the title may vary)
_TITLE = re.compile(r"^Inspection\s+of\s+(?:services\s+for\s+)?looked[\s-]+after\s+children\b", _I | re.M)
_DATES = re.compile(r"^Inspection dates?\s*:?\s*(.+)$", _I)
_PUBLISHED = re.compile(r"\bPublished\s*:", _I)
_LEAD = re.compile(r"^(?:Reporting|Lead) inspector\s*:?\s*(.+?)(?:\s+HMI)?$", _I)
_GRADE_LINE = re.compile(r"^Grade\s*([1-4])\s*\(\s*(outstanding|good|adequate|inadequate)\s*\)$", _I)
_TABLE_GRADE = re.compile(r"^(outstanding|good|adequate|inadequate)\b(?:\s*Grade\s*[1-4])?$", _I)
_RECORD = re.compile(r"^Record of main findings$", _I)
_IMPROVE = re.compile(r"^Areas for improvement\s*:?$", _I)
_BAND = re.compile(r"^(Immediately|Within \w+ months?)\s*:?$", _I)


def area_key(printed: str) -> str | None:
    """The area key of a printed section heading or table row, or None."""
    for key, rx in AREAS.items():
        if rx.search(printed.strip()):
            return key
    return None


def _cover(doc: Document) -> tuple[str, str, Block]:
    """(title, authority, title block)."""
    at = next((i for i, b in enumerate(doc.blocks[:20]) if _TITLE.match(b.text.strip())), None)
    if at is None or at + 1 >= len(doc.blocks):
        raise IngestError(doc.path, "no cover title 'Inspection of looked after children services' "
                                    "with the authority under it")
    return doc.blocks[at].text.strip(), doc.blocks[at + 1].text.strip(), doc.blocks[at]


def _fields(doc: Document, report: Report) -> None:
    """Dates and the reporting inspector from the cover fields."""
    for i, b in enumerate(doc.blocks[:30]):
        text = " ".join(b.cells) if b.cells else b.text
        m = _DATES.match(text)
        if m and report.start is None:
            printed = patterns.dates_going_on(m.group(1), doc.blocks[i + 1].text if i + 1 < len(doc.blocks) else None)
            try:
                rng = patterns.parse_date_range(printed)
                report.start, report.end = rng if rng else (patterns.parse_date(printed),) * 2
            except ValueError as exc:
                raise IngestError(doc.path, f"impossible inspection dates {printed!r}: {exc}") from None
        if _PUBLISHED.search(text) and report.published is None:
            report.published = patterns.parse_date(text[_PUBLISHED.search(text).end():])
        m = _LEAD.match(b.text.strip())
        if m and not report.team:
            report.team.append(TeamMember(m.group(1).strip(" ,"), "lead inspector", Source.of(b)))


def _section_grades(blocks: tuple[Block, ...]) -> dict[str, tuple[str, str, Block]]:
    """area key -> (printed heading, printed grade, grade block), from the body sections."""
    found: dict[str, tuple[str, str, Block]] = {}
    heading: tuple[str, str] | None = None
    for b in blocks:
        if b.kind == "heading" and _RECORD.match(b.text.strip()):
            break
        m = _GRADE_LINE.match(b.text.strip())
        if m and heading and heading[0] not in found:
            found[heading[0]] = (heading[1], b.text.strip(), b)
            heading = None
            continue
        if b.kind == "heading":
            key = area_key(b.text)
            heading = (key, b.text.strip()) if key else None
    return found


def _table_grades(blocks: tuple[Block, ...]) -> dict[str, tuple[str, str, Block]]:
    """area key -> (printed row, printed grade, row block), from the record of main findings."""
    start = next((i for i, b in enumerate(blocks) if _RECORD.match(b.text.strip())), None)
    found: dict[str, tuple[str, str, Block]] = {}
    for b in blocks[start + 1:] if start is not None else ():
        if b.kind == "table-row" and len(b.cells) >= 2 and _TABLE_GRADE.match(b.cells[-1].strip()):
            key = area_key(b.cells[0])
            if key and key not in found:
                found[key] = (b.cells[0].strip(), b.cells[-1].strip(), b)
    return found


def _judgements(doc: Document, warnings: list[str]) -> list[Judgement]:
    sections, table = _section_grades(doc.blocks), _table_grades(doc.blocks)
    out: list[Judgement] = []
    for key in AREAS:
        s, t = sections.get(key), table.get(key)
        if s and t and patterns.grade_key(s[1]) != patterns.grade_key(t[1]):
            warnings.append(f"{key}: section grade {s[1]!r} (block {s[2].index}) differs from the record "
                            f"of main findings {t[1]!r} (block {t[2].index}); kept the section grade")
        g = s or t
        if g is None:
            warnings.append(f"{key}: no grade printed")
            continue
        grade = patterns.grade_key(g[1])
        if grade not in GRADES:
            raise IngestError(doc.path, f"{g[0]!r} has an unrecognised grade {g[1]!r}")
        out.append(Judgement(f"{SERVICE}/{key}", grade, g[0], g[1], service=SERVICE, source=Source.of(g[2])))
    return out


def _recommendations(blocks: tuple[Block, ...]) -> list[Recommendation]:
    """Bullets under "Areas for improvement"; a heading other than a band ends the section."""
    recs: list[Recommendation] = []
    inside, band = False, None
    for b in blocks:
        text = b.text.strip()
        if b.kind == "heading":
            if _IMPROVE.match(text):
                inside, band = True, None
            elif inside and _BAND.match(text):
                band = _BAND.match(text).group(1)
            else:
                inside = False
        elif inside and b.kind == "bullet" and b.level <= 1:
            recs.append(Recommendation(text, len(recs) + 1, band=band, source=Source.of(b)))
        elif inside and b.kind == "bullet" and recs:
            recs[-1].text = f"{recs[-1].text}\n• {text}"   # a sub-bullet stays in its recommendation
    return recs


def _findings(blocks: tuple[Block, ...]) -> list[Finding]:
    """Numbered paragraphs under their section heading (not those introducing recommendations)."""
    out: list[Finding] = []
    section = None
    for b in blocks:
        if b.kind == "heading" and not _GRADE_LINE.match(b.text.strip()) and not _BAND.match(b.text.strip()):
            section = b.text.strip()
        elif b.kind == "paragraph" and b.number and not _IMPROVE.match(section or ""):
            out.append(Finding(b.text, b.number, section, source=Source.of(b)))
    return out


def parse(doc: Document) -> Report:
    """Read one 2013 inspection of looked after children services.

    :param doc: a normalised document classified as this framework.
    :return: the report with its five judgements, recommendations and findings.
    :raise IngestError: no cover title, no graded area, or an unrecognised grade.
    """
    title, authority, _ = _cover(doc)
    warnings: list[str] = []
    judgements = _judgements(doc, warnings)
    if not judgements:
        raise IngestError(doc.path, "no graded area (no 'Grade N (...)' line under an area heading and no "
                                    "record of main findings)")
    report = Report(framework=FRAMEWORK, kind=KIND, authority_name=authority,
                    title=title, start=None, end=None, published=None, judgements=judgements,
                    warnings=warnings)
    _fields(doc, report)
    report.recommendations = _recommendations(doc.blocks)
    report.findings = _findings(doc.blocks)
    report.statistics = statistics(doc, report.start)     # "Service information", as in 2009-12
    return report


SPECS = (FrameworkSpec(
    FRAMEWORK, "Looked after children, 2013", order=40,
    recognise=title_rule(_TITLE),
    parse=parse, areas=tuple(f"{SERVICE}/{key}" for key in AREAS), scale=SLAC_2009_SCALE,
    kinds={KIND: "LACInspection"},
    # Ofsted's tables call these inspections "TLAC"
    table_groups=(TableGroup(re.compile(r"\btlac\b|targeted looked after"), "tlac", KIND,
                             f"{SERVICE}/overall-effectiveness"),),
    table_order=60),
)
