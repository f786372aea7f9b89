"""Parse a 2009-12 "Inspection of safeguarding and looked after children services" report.

The report has two services, each with graded sections ("Overall effectiveness" then a line
"Grade 2 (Good)", or the grade inline after the heading), "Areas for improvement" bullets in
timescale bands, and a closing "Record of main findings" table that repeats every grade. Which
service a graded area belongs to is decided by structure (the order of the areas and which areas
each service can have), so a stray service heading in the table does not move grades across.
Where the sections and the table disagree, the section grade is kept and a warning is added.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import patterns
from ..model import (Block, Document, Finding, Framework, IngestError, InspectionKind, Judgement,
                     Recommendation, Report, Source, TeamMember)
from .slac_2009_facts import earlier_inspections, statistics
from .spec import SLAC_2009_SCALE, FrameworkSpec, TableGroup, title_rule

SAFEGUARDING, LOOKED_AFTER = "safeguarding", "looked-after"
SERVICES = (SAFEGUARDING, LOOKED_AFTER)
#: the areas of each service, in the order the framework prints them
SERVICE_AREAS = {
    SAFEGUARDING: ("overall-effectiveness", "capacity-for-improvement", "safe-and-feel-safe",
                   "quality-of-provision", "health-contribution", "ambition-and-prioritisation",
                   "leadership-and-management", "performance-management", "partnership-working",
                   "equality-and-diversity"),
    LOOKED_AFTER: ("overall-effectiveness", "capacity-for-improvement", "being-healthy", "staying-safe",
                   "enjoying-and-achieving", "positive-contribution", "economic-wellbeing",
                   "quality-of-provision", "ambition-and-prioritisation", "leadership-and-management",
                   "performance-management", "equality-and-diversity"),
}

#: area key -> pattern matching the printed section heading or table row
AREAS: dict[str, re.Pattern[str]] = {key: re.compile(rx, re.I) for key, rx in (
    ("overall-effectiveness", r"^overall effectiveness"),
    ("capacity-for-improvement", r"^capacity (?:for|to) improve"),
    ("safe-and-feel-safe", r"safe and (?:they )?feel safe"),
    ("quality-of-provision", r"^(?:the )?quality of provision"),
    ("health-contribution", r"contribution of (?:the )?health"),
    ("ambition-and-prioritisation", r"^ambition and prioriti[sz]ation"),
    ("leadership-and-management", r"^leadership and management"),
    ("performance-management", r"^performance management"),
    ("partnership-working", r"^partnership working"),
    ("equality-and-diversity", r"^equality and diversity"),
    ("being-healthy", r"^being healthy"),
    ("staying-safe", r"^staying safe"),
    ("enjoying-and-achieving", r"^enjoying and achieving"),
    ("positive-contribution", r"^making a positive contribution"),
    ("economic-wellbeing", r"^(?:achieving )?economic well-?being"),
)}

_SERVICE_HEADING = {
    SAFEGUARDING: re.compile(r"^safeguarding services\b", re.I),
    LOOKED_AFTER: re.compile(r"^services for looked after children\b", re.I),
}
_GRADE_TEXT = r"Grade\s*[1-4]\s*\(\s*(?:Outstanding|Good|Adequate|Inadequate)\s*\)"
_GRADE_LINE = re.compile(rf"^\**\s*({_GRADE_TEXT})\s*\**$", re.I)
_INLINE_GRADE = re.compile(rf"^(.*?\S)\s*[*:–—-]*\s*\**\s*({_GRADE_TEXT})\s*\**\s*$", re.I)
_TABLE_GRADE = re.compile(r"^(?:Grade\s*[1-4]\s*)?\(?(outstanding|good|adequate|inadequate)\)?$", re.I)
_RECORD_HEADING = re.compile(r"^record of main findings", re.I)
_AREAS_FOR_IMPROVEMENT = re.compile(r"^areas for improvement\b", re.I)
_BAND = re.compile(r"^(immediately|within \w+ months?|within \d+ (?:days|weeks|months))\s*:?\s*$", re.I)
_FIELD = re.compile(r"^(inspection dates?|reporting inspector|lead inspector|deputy (?:reporting|lead) "
                    r"inspector|team inspectors?|age group|published)\s*:\s*(.+)$", re.I)
_ROLE = {"reporting inspector": "lead inspector", "lead inspector": "lead inspector",
         "deputy reporting inspector": "deputy lead inspector",
         "deputy lead inspector": "deputy lead inspector",
         "team inspector": "team inspector", "team inspectors": "team inspector"}
_POSTNOMINAL = re.compile(r",?\s+\b(?:HMI|Her Majesty['’]s Inspector|Additional Inspector|AI)\b\.?$")
_SUBJECT = re.compile(r"^(?P<subject>[^.;]{2,160}?)\s+should\s+", re.I)
_SUBJECT_HEAD = re.compile(r"^(.*?)(?:,?\s+(?:together\s+)?(?:and\s+)?with\s+.*)?$", re.I)
_HEALTH_PARTNER = re.compile(r"\b(NHS|Trust|PCT|health|CCG|clinical commissioning|hospitals?|CAMHS)\b", re.I)
_BOARD = re.compile(r"\b(LSCB|safeguarding children['’]?s? board)\b", re.I)


def area_key(printed: str) -> str | None:
    """The area key of a printed section or table-row name, or None."""
    text = printed.strip().strip("*").strip()
    for key, rx in AREAS.items():
        if rx.search(text):
            return key
    return None


@dataclass
class _Grade:
    key: str
    printed_area: str
    printed_grade: str
    block: Block
    switch_to: str | None     # a service heading printed just before this area


def _service_of_heading(text: str) -> str | None:
    for service, rx in _SERVICE_HEADING.items():
        if rx.search(text):
            return service
    return None


def _split(items: list[_Grade]) -> tuple[int, list[str]]:
    """Where the looked-after part starts: the cut with fewest impossible or repeated areas,
    preferring a cut at a printed service heading. Returns the cut and notes on ignored headings."""
    def cost(cut: int) -> tuple[int, int]:
        bad = 0
        for part, service in ((items[:cut], SAFEGUARDING), (items[cut:], LOOKED_AFTER)):
            keys = [g.key for g in part]
            bad += sum(k not in SERVICE_AREAS[service] for k in keys) + len(keys) - len(set(keys))
        return bad, 0 if (cut < len(items) and items[cut].switch_to == LOOKED_AFTER) else 1
    cut = min(range(len(items) + 1), key=cost)
    notes = [f"block {g.block.index}: heading 'services for looked after children' before "
             f"{g.printed_area!r} sits inside the {SAFEGUARDING} part; ignored"
             for i, g in enumerate(items) if g.switch_to == LOOKED_AFTER and i != cut]
    return cut, notes


def _section_grades(blocks: tuple[Block, ...]) -> list[_Grade]:
    found: list[_Grade] = []
    pending_switch: str | None = None
    area: tuple[str, str] | None = None           # (key, printed heading)
    for b in blocks:
        if b.kind == "table-row":
            continue
        if b.kind == "heading" and _RECORD_HEADING.search(b.text):
            break
        service = _service_of_heading(b.text) if b.kind == "heading" else None
        if service:
            pending_switch, area = service, None
            continue
        m = _GRADE_LINE.match(b.text)
        if m and area:
            found.append(_Grade(area[0], area[1], m.group(1), b, pending_switch))
            pending_switch, area = None, None
            continue
        if b.kind != "heading":
            continue
        m = _INLINE_GRADE.match(b.text)
        key = area_key(m.group(1) if m else b.text)
        if m and key:
            found.append(_Grade(key, m.group(1).strip("* "), m.group(2), b, pending_switch))
            pending_switch, area = None, None
        else:
            area = (key, b.text) if key else None
    return found


def _table_grades(blocks: tuple[Block, ...], warnings: list[str]) -> list[_Grade]:
    start = next((i for i, b in enumerate(blocks) if b.kind == "heading"
                  and _RECORD_HEADING.search(b.text)), None)
    if start is None:
        return []
    found: list[_Grade] = []
    pending: str | None = None
    for b in blocks[start + 1:]:
        if b.kind != "table-row":
            pending = _service_of_heading(b.text) or pending
            continue
        cells = b.cells
        if len(cells) < 2 or not _TABLE_GRADE.match(cells[-1].strip("* ")):
            pending = _service_of_heading(cells[0]) or pending
            continue
        key = area_key(cells[0])
        if key is None:
            warnings.append(f"block {b.index}: record of main findings row {cells[0]!r} is not a known area")
            continue
        found.append(_Grade(key, cells[0], cells[-1].strip("* "), b, pending))
        pending = None
    return found


def _judgements(doc: Document, warnings: list[str]) -> list[Judgement]:
    by_source: list[dict[tuple[str, str], _Grade]] = []
    for name, grades in (("section", _section_grades(doc.blocks)),
                         ("record of main findings", _table_grades(doc.blocks, warnings))):
        cut, notes = _split(grades)
        warnings.extend(f"{name}: {n}" for n in notes)
        keyed: dict[tuple[str, str], _Grade] = {}
        for i, g in enumerate(grades):
            service = SAFEGUARDING if i < cut else LOOKED_AFTER
            if g.key not in SERVICE_AREAS[service] or (service, g.key) in keyed:
                warnings.append(f"{name}: block {g.block.index}: {g.printed_area!r} cannot be placed "
                                f"in the {service} service; skipped")
                continue
            keyed[(service, g.key)] = g
        by_source.append(keyed)
    sections, table = by_source
    judgements = []
    for service in SERVICES:
        for key in SERVICE_AREAS[service]:
            s, t = sections.get((service, key)), table.get((service, key))
            if s and t and patterns.grade_key(s.printed_grade) != patterns.grade_key(t.printed_grade):
                warnings.append(f"{service}/{key}: section grade {s.printed_grade!r} (block {s.block.index}) "
                                f"differs from record of main findings {t.printed_grade!r} "
                                f"(block {t.block.index}); kept the section grade")
            g = s or t
            if g is None:
                warnings.append(f"{service}/{key}: no grade printed")
                continue
            judgements.append(Judgement(
                area=f"{service}/{key}", grade=patterns.grade_key(g.printed_grade) or "",
                printed_area=g.printed_area, printed_grade=g.printed_grade, service=service,
                source=Source.of(g.block)))
    return judgements


def _addressee(text: str) -> str:
    m = _SUBJECT.match(text)
    if not m or text[:1].islower() and not _HEALTH_PARTNER.search(m.group("subject")):
        return "authority"
    subject = _SUBJECT_HEAD.match(m.group("subject")).group(1).strip(" ,")
    if _BOARD.search(subject):
        return "board"
    if _HEALTH_PARTNER.search(subject):
        return subject
    return "authority"


def _recommendations(doc: Document, service_at: dict[int, str],
                     service_names: dict[str, str]) -> list[Recommendation]:
    recs: list[Recommendation] = []
    band: str | None = None
    inside = False
    for b in doc.blocks:
        if b.kind == "heading":
            if _AREAS_FOR_IMPROVEMENT.search(b.text):
                inside, band = True, None
                continue
            m = _BAND.match(b.text)
            if inside and m:
                band = m.group(1)
                continue
            inside = False
        if inside and b.kind == "bullet":
            service = service_at.get(b.index)
            recs.append(Recommendation(
                text=b.text, order=len(recs) + 1, band=band, addressee=_addressee(b.text),
                theme=service_names.get(service, service), source=Source.of(b)))
    return recs


def _findings(doc: Document) -> list[Finding]:
    """Numbered paragraphs; an unnumbered paragraph or bullet right after one continues it."""
    findings: list[Finding] = []
    section: str | None = None
    attach = False
    for b in doc.blocks:
        if b.kind == "heading":
            m = _INLINE_GRADE.match(b.text)
            if not _GRADE_LINE.match(b.text) and not _BAND.match(b.text):
                section = (m.group(1) if m else b.text).strip("* ")
            attach = False
        elif b.kind == "paragraph" and b.number:
            findings.append(Finding(text=b.text, number=b.number, section=section, source=Source.of(b)))
            attach = not _AREAS_FOR_IMPROVEMENT.search(section or "")
        elif attach and b.kind in ("paragraph", "bullet"):
            findings[-1].text += ("\n• " if b.kind == "bullet" else " ") + b.text
        else:
            attach = False
    return findings


def _services_by_block(doc: Document) -> tuple[dict[int, str], dict[str, str]]:
    """Service of every block in the body (after the first service heading), and printed names."""
    at: dict[int, str] = {}
    names: dict[str, str] = {}
    current: str | None = None
    for b in doc.blocks:
        if b.kind == "heading" and _RECORD_HEADING.search(b.text):
            break
        if b.kind == "heading" and _service_of_heading(b.text):
            current = _service_of_heading(b.text)
            names.setdefault(current, b.text)
        if current:
            at[b.index] = current
    return at, names


def parse(doc: Document) -> Report:
    """Read one 2009-12 safeguarding and looked after children report.

    :param doc: a normalised document classified as ``Framework.SLAC_2009``.
    :return: the report with its 22 judgements, recommendations, findings and facts.
    :raise IngestError: when no graded judgement can be found.
    """
    warnings: list[str] = []
    head = [b for b in doc.blocks[:40] if b.kind in ("heading", "paragraph")]
    title = head[0].text if head else ""
    fields: dict[str, tuple[str, Block]] = {}
    for b in doc.blocks[:40]:
        m = _FIELD.match(b.text)
        if m:
            fields.setdefault(m.group(1).lower(), (m.group(2).strip(), b))
    authority = next((b.text for b in head[1:6] if not _FIELD.match(b.text)
                      and re.search(r"\b(council|borough|county|city)\b", b.text, re.I)), "")
    if not authority:
        raise IngestError(doc.path, "no authority name under the report title")
    judgements = _judgements(doc, warnings)
    if not judgements:
        raise IngestError(doc.path, "no graded judgements (no 'Grade N (...)' sections and no "
                                    "record of main findings table)")
    start = end = published = None
    dates = fields.get("inspection dates") or fields.get("inspection date")
    if dates:
        try:
            rng = patterns.parse_date_range(dates[0])
        except ValueError:
            raise IngestError(doc.path, f"impossible inspection dates {dates[0]!r}") from None
        start, end = rng if rng else (patterns.parse_date(dates[0]),) * 2
    else:
        warnings.append("no 'Inspection dates:' line")
    if "published" in fields:
        published = patterns.parse_date(fields["published"][0])
    team = []
    for label, (value, b) in fields.items():
        if label in _ROLE:
            for name in re.split(r"\s*(?:;|,(?!\s*(?:HMI|AI)\b)|\band\b)\s*", value):
                name = _POSTNOMINAL.sub("", name).strip()
                if name:
                    team.append(TeamMember(name=name, role=_ROLE[label], source=Source.of(b)))
    service_at, service_names = _services_by_block(doc)
    return Report(
        framework=Framework.SLAC_2009, kind=InspectionKind.SLAC, authority_name=authority,
        title=title, start=start, end=end, published=published, judgements=judgements,
        recommendations=_recommendations(doc, service_at, service_names),
        findings=_findings(doc), statistics=statistics(doc, start), team=team,
        earlier_inspections=earlier_inspections(doc), warnings=warnings)


SPECS = (FrameworkSpec(
    Framework.SLAC_2009, "Safeguarding and looked after children, 2009-12", order=30,
    recognise=title_rule(re.compile(r"inspection of safeguarding and looked after children services", re.I)),
    parse=parse, areas=tuple(f"{service}/{key}" for service in SERVICES for key in SERVICE_AREAS[service]),
    scale=SLAC_2009_SCALE, kinds={InspectionKind.SLAC: "SLACInspection"},
    table_groups=(
        TableGroup(re.compile(r"slac re-?inspection (of )?safeguarding"), "slac-reinspection-safeguarding",
                   InspectionKind.SLAC, "safeguarding/overall-effectiveness"),
        TableGroup(re.compile(r"slac re-?inspection of services"), "slac-reinspection-looked-after",
                   InspectionKind.SLAC, "looked-after/overall-effectiveness"),
        TableGroup(re.compile(r"\bslac\b|safeguarding (and|&) looked after children"), "slac",
                   InspectionKind.SLAC, "safeguarding/overall-effectiveness"),
    ), table_order=10),
)
