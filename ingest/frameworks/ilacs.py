"""ILACS standard and short inspections (2018-22, 2023+ and post-April-2026 formats) -> ``Report``.

Reads structure, not wording: the cover's judgement table (tab-separated rows whose last cell is
a grade), the "What needs to improve" bullet list, one section per judgement headed
"<judgement>: <grade>", and numbered paragraphs under each. Judgement titles change between
years and carry typos, so areas are recognised by key words (corrected for small misspellings),
never by exact titles. The 2026 format has no overall effectiveness judgement and none is
invented. The title names the authority ("Inspection of Kent County Council children's
services") or sits below it ("Inspection of local authority children's services"). Covers rarely
say whether an inspection was short or standard; the framework puts inspectors on site for one
week or two, so the printed dates decide.
"""
from __future__ import annotations

import re

from ..model import (Block, Document, Finding, Framework, IngestError, InspectionKind, Judgement,
                     Recommendation, Report, Source, TeamMember)
from ..patterns import (GRADE_WORDS, dates_going_on, grade_key, national_framework_citations, parse_date,
                        parse_date_range, strip_inspector_title)
from .ilacs_cover import ILACS_TITLE, cover_title, ilacs_format, recogniser
from .list_items import join_items, lead_in, nested_under, with_lead_in
from .spec import ILACS_SCALE, FrameworkSpec, TableGroup

_DATES = re.compile(r"^inspection dates?\s*:?\s*(.*)$", re.I)
_PUBLISHED = re.compile(r"\b(?:report\s+)?published\s*:?\s*(.*)$", re.I)
_LEAD = re.compile(r"^lead inspector\s*:?\s*(.*)$", re.I)
_SHORT = re.compile(r"\bshort inspection\b", re.I)
#: the framework's two inspections: a short one is one week on site, a standard one two weeks;
#: covers rarely say which, so an inspection whose printed dates span at most this many days
#: is short
SHORT_MAX_DAYS = 7
_IMPROVE = re.compile(r"^what needs to improve\b", re.I)
#: a judgement section heading: "<judgement>: good", "<judgement> is: Requires improvement to be good"
_SECTION = re.compile(rf"^(?P<area>.+?)(?:\s+(?:is|are))?\s*:\s*(?P<grade>{GRADE_WORDS.pattern})\.?\s*$", re.I)
#: the same heading printed as a sentence (2018 covers): "The experiences and progress of
#: children who need help and protection requires improvement to be good."
_SECTION_SENTENCE = re.compile(
    rf"^(?P<area>(?:the experiences and progress of|the impact of leaders|overall effectiveness)\b.+?)"
    rf"\s+(?:is|are|requires?)?\s*(?P<grade>{GRADE_WORDS.pattern})\.?\s*$", re.I)

# ------------------------------------------------------------------ judgement areas by key words

_VOCABULARY = ("overall", "effectiveness", "impact", "leaders", "leadership", "help", "protection",
               "children", "care", "leavers", "leaving", "looked", "after", "experiences", "progress")


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), for short words."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _words(text: str) -> list[str]:
    out = []
    for w in re.findall(r"[a-z]+", text.lower()):
        if len(w) >= 4 and w not in _VOCABULARY:
            best = min(_VOCABULARY, key=lambda v: _distance(w, v))
            if _distance(w, best) <= (1 if len(w) < 7 else 2):
                w = best
        out.append(w)
    return out


def area_key(printed: str) -> str | None:
    """Judgement-area key for a printed ILACS judgement title, or None when it names none."""
    words = _words(printed)
    text = " ".join(words)
    if "overall" in words and "effectiveness" in words:
        return "overall-effectiveness"
    if "leaders" in words or "leadership" in words:
        return "leadership"
    if "help" in words and "protection" in words:
        return "help-and-protection"
    leavers = "leavers" in words or "leaving care" in text
    in_care = bool(re.search(r"children (?:\w+ )?in care|looked after", text))
    if leavers and in_care:
        return "children-in-care-and-care-leavers"
    if leavers:
        return "care-leavers"
    if in_care:
        return "children-in-care"
    return None


def _grade(printed: str) -> str | None:
    key = grade_key(printed)
    if key == "requires-improvement":          # a grade whose last words were lost
        return "requires-improvement-to-be-good"
    return key if key in ("outstanding", "good", "requires-improvement-to-be-good", "inadequate") else None


# ------------------------------------------------------------------ parse


def parse(doc: Document) -> Report:
    """Parse an ILACS inspection report.

    :param doc: a normalised document classified as ILACS 2018, 2023 or 2026.
    :return: the report with judgements, recommendations, findings and lead inspector.
    :raise IngestError: when the document has no recognisable judgements or no title.
    """
    framework, _ = ilacs_format(doc)
    blocks = doc.blocks
    title_i, title = _title(blocks)
    if title is None:
        raise IngestError(doc.path, "no 'Inspection of ... children's services' title on the cover")
    authority = _authority(blocks, title_i, title)
    if not authority:
        raise IngestError(doc.path, "no authority name on the cover")
    improve_i = next((i for i, b in enumerate(blocks) if _IMPROVE.match(b.text)), len(blocks))
    cover = blocks[:improve_i]
    report = Report(framework=framework, kind=InspectionKind.ILACS_STANDARD, authority_name=authority,
                    title=title, start=None, end=None, published=None)
    first_part_end = _cover_facts(doc, cover, report)
    report.kind = _kind(cover, report, first_part_end)
    report.judgements = _table_judgements(cover)
    sections = _sections(blocks)
    _check_sections(report, sections)
    if not report.judgements:
        raise IngestError(doc.path, "no judgement table or judgement headings found")
    report.recommendations = _recommendations(blocks, improve_i)
    report.findings = _findings(blocks, sections)
    return report


def _title(blocks) -> tuple[int, str | None]:
    """Where the cover's title is and its text, joined when it wraps onto a second line: the
    rule the cover test uses (:func:`ilacs_cover.cover_title`), over the first 60 blocks."""
    found = cover_title(tuple(blocks), 60)
    return found if found is not None else (-1, None)


def _authority(blocks, title_i: int, title: str) -> str:
    """The authority the title names, else the short line above it (the 2018 covers)."""
    m = ILACS_TITLE.match(title)
    authority = (m.group("la") or "").strip() if m else ""
    if not authority and title_i > 0:
        before = blocks[title_i - 1].text.strip()
        if len(before.split()) <= 8 and not re.search(r"\d", before):
            authority = before
    return authority


def _kind(cover, report: Report, first_part_end) -> InspectionKind:
    """Short or standard: what the cover says, else how long the inspectors were on site (in
    the first part, for an inspection in two)."""
    if any(_SHORT.search(b.text) for b in cover):
        return InspectionKind.ILACS_SHORT
    if report.start and first_part_end and (first_part_end - report.start).days <= SHORT_MAX_DAYS:
        return InspectionKind.ILACS_SHORT
    if not (report.start and report.end):
        report.warnings.append("inspection dates print no end: recorded as a standard inspection")
    return InspectionKind.ILACS_STANDARD


def _cover_facts(doc: Document, cover, report: Report):
    """Dates, lead inspector and publication date; returns the end of the first part on site."""
    first_part_end = None
    for i, b in enumerate(cover):
        m = _DATES.match(b.text)
        if m and report.start is None:
            printed = dates_going_on(m.group(1), cover[i + 1].text if i + 1 < len(cover) else None)
            try:
                rng = parse_date_range(printed)
            except ValueError as exc:
                raise IngestError(doc.path, f"impossible inspection date {printed!r}: {exc}") from None
            if rng:
                report.start, report.end = rng
                first_part_end = rng[1]
                # an inspection in two parts ("30 September to 11 October 2024 and 13 to 16
                # January 2025") ends on the last day printed
                later = parse_date_range(printed[printed.find(" and ") + 5:]) if " and " in printed else None
                if later and later[1] > report.end:
                    report.end = later[1]
                    report.warnings.append(f"inspected in two parts: {printed}")
            else:
                report.start = report.end = first_part_end = parse_date(printed)
        m = _LEAD.match(b.text)
        if m and not report.team:
            name = strip_inspector_title(m.group(1))    # ", His Majesty's Inspector", " HMI"
            if name:
                report.team.append(TeamMember(name, "lead inspector", Source(block=b.index, page=b.page)))
    for b in doc.blocks:
        m = _PUBLISHED.search(b.text)
        if m and len(b.text) < 80 and parse_date(m.group(1)):
            report.published = parse_date(m.group(1))
            break
    return first_part_end


#: a grade cell's first line, at the end of a row whose cell borders were lost
_GRADE_START = re.compile(r"\s(outstanding|good|inadequate|requires\s+improvement(?:\s+to(?:\s+be(?:\s+good)?)?)?)$", re.I)


def _table_rows(cover):
    """(printed area, printed grade, block) per judgement-table row, wrapped cells joined.

    A row whose cells wrap ("...children Requires improvement" then "and families | to be
    good") comes out of the PDF as a line without cell borders and a continuation row whose
    cells start in lower case; a row whose area alone wraps ("...progress of children
    Inadequate" then "in care") as that line and a lower-case line. Each pair is one row.
    """
    blocks = list(cover)
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.kind != "table-row" and nxt is not None and nxt.kind == "table-row" \
                and len(nxt.cells) >= 2 and nxt.cells[0][:1].islower() and (m := _GRADE_START.search(b.text)):
            yield (f"{b.text[:m.start()].strip()} {' '.join(nxt.cells[:-1])}",
                   f"{m.group(1)} {nxt.cells[-1]}", b)
            continue
        if b.kind != "table-row" and nxt is not None and nxt.kind != "table-row" and len(nxt.text) < 80 \
                and nxt.text[:1].islower() and (m := _GRADE_START.search(b.text)) and _grade(m.group(1)):
            # the area wrapped instead ("...progress of children  Inadequate" / "in care")
            yield f"{b.text[:m.start()].strip()} {nxt.text.strip()}", m.group(1), b
            continue
        if b.kind == "table-row" and len(b.cells) >= 2 and not b.cells[0][:1].islower():
            yield " ".join(b.cells[:-1]), b.cells[-1], b


def _table_judgements(cover) -> list[Judgement]:
    out: list[Judgement] = []
    seen: set[str] = set()
    for printed_area, printed_grade, b in _table_rows(cover):
        grade = _grade(printed_grade)
        area = area_key(printed_area)
        if grade is None or area is None or area in seen:
            continue
        seen.add(area)
        out.append(Judgement(area, grade, printed_area, printed_grade,
                             source=Source(block=b.index, page=b.page)))
    return out


def _sections(blocks) -> list[tuple[int, str, str, str]]:
    """(block position, area key, printed area, printed grade) of each judgement section heading."""
    out = []
    for i, b in enumerate(blocks):
        if b.kind not in ("heading", "paragraph") or b.number is not None or len(b.text) > 200:
            continue
        m = _SECTION.match(b.text) or _SECTION_SENTENCE.match(b.text)
        if m and (area := area_key(m.group("area"))):
            out.append((i, area, m.group("area").strip(), m.group("grade").strip()))
    return out


def _check_sections(report: Report, sections) -> None:
    """Section headings repeat each judgement: fill gaps in the table, note disagreements."""
    by_area = {j.area: j for j in report.judgements}
    for i, area, printed_area, printed_grade in sections:
        grade = _grade(printed_grade)
        if area not in by_area and grade:
            j = Judgement(area, grade, printed_area, printed_grade, source=Source(block=i))
            report.judgements.append(j)
            by_area[area] = j
            report.warnings.append(f"judgement {area} read from its section heading, not the cover table")
        elif area in by_area and grade and by_area[area].grade != grade:
            report.warnings.append(f"judgement {area}: cover table says {by_area[area].grade}, "
                                   f"section heading says {grade}")


def _recommendations(blocks, start: int) -> list[Recommendation]:
    """The bullets after "What needs to improve", up to the first judgement section; a bullet
    printed further in than the one before belongs to it (one recommendation with its parts); an
    item going on with the sentence of a lead-in printed before the list keeps it in front."""
    items: list[tuple[Block, list[str]]] = []
    lead: str | None = None
    for b in blocks[start + 1:]:
        bullet = b.kind == "bullet"
        if b.kind == "heading" and not items and lead_in(b):
            lead = lead_in(b)                    # a lead-in short enough to read as a heading
            continue
        if b.kind not in ("bullet", "paragraph") or (not bullet and items and b.number is None):
            break
        if b.kind == "paragraph" and b.number is not None:
            break                                # the first judgement section's paragraphs
        if not bullet:
            lead = lead_in(b) or lead            # "Leaders need to improve:" before the list
            continue
        if items and nested_under(b, items[-1][0]):
            items[-1][1].append(b.text)
        else:
            items.append((b, []))
    out: list[Recommendation] = []
    for b, parts in items:
        text, cites = national_framework_citations(with_lead_in(lead, join_items(b.text, parts)))
        out.append(Recommendation(text=text, order=len(out) + 1, cites=cites,
                                  source=Source(block=b.index, page=b.page)))
    return out


def _out_of_sequence(number: str, previous: str | None) -> bool:
    return bool(previous and number.isdigit() and previous.isdigit() and int(number) <= int(previous))


def _findings(blocks, sections) -> list[Finding]:
    starts = {i: area for i, area, _, _ in sections}
    section: str | None = None
    out: list[Finding] = []
    last = -2                                    # position of the block the last finding ends with
    for i, b in enumerate(blocks):
        if i in starts:
            section = starts[i]
        elif b.kind == "heading" and section is not None and not b.text[:1].isdigit():
            section = b.text if area_key(b.text) is None else section
        if b.kind == "paragraph" and b.number is not None and section is not None:
            last = i
            if out and _out_of_sequence(b.number, out[-1].number):
                # numbers run in sequence: one out of it began a wrapped line ("at the age of
                # / 16. This affords ..."), so the text belongs to the paragraph before
                out[-1].text = f"{out[-1].text} {b.number}. {b.text}"
                continue
            out.append(Finding(b.text, b.number, section=section,
                               source=Source.of(b)))
        elif out and last == i - 1 and i not in starts and _goes_on(blocks, i):
            last = i
            number = _unstopped_number(b.text, out[-1].number)
            if number:
                out.append(Finding(b.text[len(number):].lstrip(), number, section=section,
                                   source=Source(block=b.index, paragraph=number, page=b.page)))
            else:
                out[-1].text = f"{out[-1].text} {b.text}"
    return out


def _goes_on(blocks, i: int) -> bool:
    """Is the unnumbered paragraph at ``i``, printed right after a finding, the rest of that
    finding? Every paragraph of a judgement section is numbered, so one without a number is the
    same paragraph going on: after a page break that fell between two sentences, or after a gap
    the page left inside it. It is, when the next finding follows it, or when it fills the rest of
    its page alone (a section's last paragraph going on over a page: the back page, also without
    numbers, comes after it on a page of its own)."""
    b = blocks[i]
    if b.kind != "paragraph" or b.number is not None or not any(c.isalpha() for c in b.text):
        return False
    after = blocks[i + 1] if i + 1 < len(blocks) else None
    if after is not None and after.kind == "paragraph" and after.number is not None:
        return True
    before = blocks[i - 1].page
    return (after is None or after.page != b.page) and None not in (b.page, before) and b.page == before + 1


def _unstopped_number(text: str, previous: str | None) -> str | None:
    """The next paragraph's number printed without its full stop ("34 Most children ..."), or None."""
    if not (previous and previous.isdigit()):
        return None
    number = str(int(previous) + 1)
    return number if re.match(rf"{number}\s+[A-Z]", text) else None


_KINDS = {InspectionKind.ILACS_STANDARD: "ILACSStandardInspection",
          InspectionKind.ILACS_SHORT: "ILACSShortInspection"}
#: the column groups of the wide outcome sheets: the format follows from the columns filled
_TABLE_GROUPS = (
    TableGroup(re.compile(r"\bsecond ilacs\b"), "ilacs-2", None, "overall-effectiveness", True),
    TableGroup(re.compile(r"\bfirst ilacs\b|\bilacs framework\b"), "ilacs-1", None, "overall-effectiveness", True),
)
SPECS = (
    FrameworkSpec(Framework.ILACS_2018, "ILACS, 2018-23", order=50, recognise=recogniser(Framework.ILACS_2018),
                  parse=parse, areas=("overall-effectiveness", "help-and-protection",
                                      "children-in-care-and-care-leavers", "leadership"),
                  scale=ILACS_SCALE, kinds=_KINDS, table_groups=_TABLE_GROUPS, table_order=80),
    FrameworkSpec(Framework.ILACS_2023, "ILACS, 2023-26", order=51, recognise=recogniser(Framework.ILACS_2023),
                  parse=parse, areas=("overall-effectiveness", "help-and-protection", "children-in-care",
                                      "care-leavers", "leadership"),
                  scale=ILACS_SCALE, kinds=_KINDS),
    FrameworkSpec(Framework.ILACS_2026, "ILACS, 2026 on", order=52, recognise=recogniser(Framework.ILACS_2026),
                  parse=parse, areas=("help-and-protection", "children-in-care", "care-leavers", "leadership"),
                  scale=ILACS_SCALE, kinds=_KINDS),
)
