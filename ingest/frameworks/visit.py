"""ILACS focused visit and monitoring visit letters -> ``Report`` (no grades).

A visit letter is dated, addressed to the director of children's services, titled "Focused visit
to <authority>" or "Monitoring visit to/of <authority>", says when the visit took place and what
it looked at, lists what needs to improve (areas for improvement or priority actions) and gives
its findings as unnumbered paragraphs until the sign-off. All of it is read by structure.
"""
from __future__ import annotations

import re

from ..model import (Block, Document, Finding, Framework, IngestError, InspectionKind, Recommendation,
                     Report, Source, TeamMember)
from ..patterns import (DAY_MONTH_YEAR, INSPECTOR_TITLE, MONTH_NAME, is_inspector_title,
                        national_framework_citations, parse_date, parse_date_range, strip_inspector_title)
from .list_items import join_items, lead_in, nested_under, with_lead_in
from .spec import FrameworkSpec, cover_text, title_rule
from .wrapped_title import wrapped_title

_KINDS = {Framework.FOCUSED_VISIT: InspectionKind.FOCUSED_VISIT,
          Framework.MONITORING_VISIT: InspectionKind.MONITORING_VISIT}
#: a visit letter is titled so on a line of its own; a full report's summary may mention
#: "a focused visit to ..." in its text, which must not make it a letter
_FOCUSED_COVER = re.compile(r"^focused visit to\b", re.I | re.M)
_MONITORING_COVER = re.compile(r"^monitoring visit (?:to|of)\b", re.I | re.M)
#: the authority is named as the ILACS cover names it (``ilacs_cover.ILACS_TITLE``): without the
#: "local authority" some titles print after it ("Focused visit to Bury local authority
#: children’s services", "... Portsmouth City Council local authority children’s services")
_TITLE = re.compile(r"^(?:focused|monitoring) visit (?:to|of) (?P<la>.+?)(?:['’]s)?(?: local authority)?"
                    r"(?: children['’]s (?:social care )?services)?\.?$", re.I)
_SERVICES_END = re.compile(r"\bservices\.?$", re.I)
_JOINING_END = re.compile(r"(?:\b(?:and|of|upon|on|the|in)|[,&-])$", re.I)
#: a sentence that ends: ".", ":", ".’"
_FINISHED = re.compile(r"[.:!?][’'”\")]?$")
_PUBLISHED = re.compile(r"\bpublished\s*:?\s*(.*)$", re.I)
#: "... visit ... on 1 and 2 May 2019", "between 29 April and 1 May", "from 30 April to 1 May",
#: "took place 30 April-1 May" ("from" and "took place" only when a day follows at once)
_VISIT_WHEN = r"\b(?:on|between|(?:took place|from)(?=\s+\d))"
_VISIT_ON = re.compile(rf"\bvisit\b.*?{_VISIT_WHEN}\s+(?P<when>.+?\d{{4}})", re.I)
#: the visit's days without a year ("... on 30 and 31 January."): the letter's date gives it
_VISIT_ON_NO_YEAR = re.compile(rf"\bvisit\b.*?{_VISIT_WHEN}\s+(?P<when>[\d\s,–—-]*?(?:\band\s+|\bto\s+)?"
                               rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_NAME})\b(?!\s*,?\s*\d{{4}})", re.I)
_THEME = re.compile(r"\b(?:looked at|focused on|evaluated|reviewed|considered)\b", re.I)
#: "The inspectors were A and B", "His Majesty's Inspectors for this visit were ...", "The visit was
#: carried out by ...", "... focused visit to X on 22 and 23 May 2018(,) carried out by A and B"
_INSPECTORS = re.compile(r"\b(?:(?:the )?inspectors?(?: \(HMI\))?(?: for this visit)? (?:were|was)|"
                         r"visit\b[^.]*?\b(?:conducted|carried out|undertaken|led) by)\s+(?P<names>[^.]+)\.", re.I)
#: what a list of inspectors says besides their names: roles, titles, observers
_ROLE = re.compile(rf"\([^)]*\)|\b(?:{INSPECTOR_TITLE}|lead inspector|team inspectors?|who observed(?: the visit)?|"
                   r"(?:two|three|four) of)\b", re.I)
_IMPROVE = re.compile(r"^(?:what needs to improve|areas? for (?:priority )?(?:action|improvement)|priority actions?)\b", re.I)
_PRIORITY = re.compile(r"\bpriority\b", re.I)
_SIGN_OFF = re.compile(r"^yours (?:sincerely|faithfully)\b", re.I)
#: a signed name: two to five words, each capitalised or a name particle ("Paul d’Inverno")
_NAME_WORD = r"(?:[A-Z][\w’'.-]*|d[’']\w+|de|du|van|von|le|la)"
_SIGNED_NAME = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}}")
#: how far from a letter's end its signature is looked for (a "cc" list may follow it)
_SIGNATURE_BLOCKS = 10
#: where a letter's findings begin: "Findings", "Main findings", "Headline findings"; the letters of
#: mid-2018 without one ("Overview" / "Areas of strength" / "What needs to improve ...") give their
#: findings under "Areas of strength" ("Strengths"), as the others give theirs under "Findings"
_FINDINGS_START = re.compile(r"finding|^(?:areas? of )?strengths?\b", re.I)
#: the letter's closing paragraphs, after its findings, speak as Ofsted or to the reader: "Ofsted
#: will take/publish/consider ...", "We have notified the DfE ...", "I am copying this letter ...",
#: "Thank you and your staff ...", "This letter will be shared ...", "..., Ofsted requires you to"
_CLOSING = re.compile(r"^(?:we|i|thank you|this letter)\b|\bofsted (?:will|requires|asks)\b", re.I)


def parse(doc: Document) -> Report:
    """Parse a focused or monitoring visit letter.

    :param doc: a normalised document classified as a focused or monitoring visit.
    :return: the letter's dates, theme, findings and recommendations (no judgements).
    :raise IngestError: when there is no visit title or no visit date.
    """
    cover = cover_text(doc)
    framework = next((s.framework for s in SPECS if s.recognise(doc, cover)), None)
    if framework is None:
        raise IngestError(doc.path, "not a visit letter (no 'Focused visit to' or 'Monitoring visit "
                                    "to' title on the cover)")
    blocks = doc.blocks
    title_i, title, body_i = _title(blocks)
    if title is None:
        raise IngestError(doc.path, "no 'Focused visit to ...' or 'Monitoring visit to ...' title")
    authority = _TITLE.match(title).group("la").strip()
    report = Report(framework=framework, kind=_KINDS[framework], authority_name=authority, title=title,
                    start=None, end=None, published=_letter_date(blocks[:title_i]))
    for b in blocks:
        m = _PUBLISHED.search(b.text)
        if m and len(b.text) < 80 and parse_date(m.group(1)):
            report.published = parse_date(m.group(1))
            break
    body = blocks[body_i:]
    _visit_facts(doc, body, report)
    improve_i = next((i for i, b in enumerate(body) if b.kind == "heading" and _IMPROVE.match(b.text)), None)
    end_i = next((i for i, b in enumerate(body) if _SIGN_OFF.match(b.text)), len(body))
    if improve_i is not None:           # up to the sign-off, however it was laid out
        report.recommendations = _recommendations(body[improve_i:end_i] if end_i > improve_i else body[improve_i:])
    report.findings = _findings(body[:end_i])
    _mark_lead(report, _signatory(body))
    return report


def _title(blocks) -> tuple[int, str | None, int]:
    """Where the letter's title is and its text. A title wrapped onto a second line ("Focused visit
    to the Royal Borough of Windsor and" / "Maidenhead children's services") is read whole by the
    rule ILACS covers follow (``wrapped_title``): the next block joins when it is short and the
    title alone stops at a joining word or the two together end in "services" (never a lead-in
    ending in ":" or ";"). Returns the title's index, its text and where the letter goes on."""
    i = next((i for i, b in enumerate(blocks[:60]) if _TITLE.match(b.text)), None)
    if i is None:
        return -1, None, 0
    title = blocks[i].text
    if _SERVICES_END.search(title):
        return i, title, i + 1
    after = blocks[i + 1] if i + 1 < len(blocks) else None
    joined = wrapped_title(title, after, _whole_title(title))
    return (i, joined, i + 2) if joined else (i, title, i + 1)


def _whole_title(first: str):
    """A visit title's test of being whole: it ends in "services", or its first line stopped at a
    joining word ("... Windsor and"); never a lead-in ending in ":" or ";"."""
    return lambda joined: not joined.endswith((":", ";")) and (
        _JOINING_END.search(first) or _SERVICES_END.search(joined))


def _letter_date(head) -> object:
    """The date a letter is dated (and published): a line that is a date and nothing else."""
    for b in head:
        m = DAY_MONTH_YEAR.fullmatch(b.text.strip())
        if m:
            return parse_date(b.text)
    return None


def _visit_dates(doc: Document, text: str, letter_date) -> tuple | None:
    """(start, end) of the visit as a sentence of the letter prints them, else None.

    Days printed without a year take the year of the letter, which follows the visit.
    """
    m = _VISIT_ON.search(text)
    when = m.group("when") if m else None
    if m is None or len(when) > 60:
        m = _VISIT_ON_NO_YEAR.search(text)
        if m is None or letter_date is None:
            return None
        when = f"{m.group('when')} {letter_date.year}"
    try:
        rng = parse_date_range(when)
    except ValueError as exc:
        raise IngestError(doc.path, f"impossible visit date {when!r}: {exc}") from None
    start, end = rng if rng else (parse_date(when),) * 2
    if start is None:
        return None
    if m.re is _VISIT_ON_NO_YEAR and letter_date and end > letter_date:   # visited in December
        start, end = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
    return start, end


def _visit_facts(doc: Document, body, report: Report) -> None:
    for i, b in enumerate(body[:15]):
        if report.start is None and (dates := _visit_dates(doc, b.text, report.published)):
            report.start, report.end = dates
        if not report.team:
            report.team = _team(" ".join(x.text for x in body[i:i + 3]), Source(block=b.index, page=b.page))
        # the sentence saying what the visit looked at; printed bold in some letters ("heading")
        if report.theme is None and b.kind in ("paragraph", "heading") and _THEME.search(b.text) and i > 0:
            report.theme = _theme(body, i)
    if report.start is None:
        raise IngestError(doc.path, "no visit date ('... visit ... on 1 and 2 February 2024') found")
    if report.published and report.end and report.published < report.end:
        report.warnings.append(f"the letter is dated {report.published.isoformat()}, before the visit "
                               f"ended on {report.end.isoformat()}: that date is not recorded")
        report.published = None


def _theme(body, i: int) -> str:
    """The theme sentence at ``body[i]``, with the rest of it when the layout cut it in two, and the
    bullets it introduces ("... This included:" followed by the aspects looked at)."""
    theme = body[i].text
    nxt = i + 1
    if not _FINISHED.search(theme) and nxt < len(body) and body[nxt].kind == "paragraph":
        theme = f"{theme} {body[nxt].text}"
        nxt += 1
    focus: list[str] = []
    while nxt < len(body) and body[nxt].kind == "bullet":
        focus.append(body[nxt].text)
        nxt += 1
    return join_items(theme, focus) if theme.endswith(":") else theme


def _team(text: str, source: Source) -> list[TeamMember]:
    """The inspectors a sentence names ("The inspectors were A and B, Her Majesty's Inspectors")."""
    m = _INSPECTORS.search(text)
    if not m:
        return []
    names = (" ".join(n.split()).strip(" ,;") for n in re.split(r",|\s+and\s+|\s+with\s+", _ROLE.sub(" ", m.group("names"))))
    return [TeamMember(n, "inspector", source) for n in names if n and n[0].isupper()]


def _signatory(body) -> Block | None:
    """The block of the name a letter is signed with: the line above the last line that is an
    inspector's title and nothing else ("Yours sincerely" / "Jo Bloggs" / "His Majesty’s
    Inspector"), among the letter's last blocks; None when the letter prints no such signature.
    The name may carry a title of its own ("Jo Bloggs HMI")."""
    tail = body[-_SIGNATURE_BLOCKS:]
    for above, b in reversed(list(zip(tail, tail[1:]))):
        if is_inspector_title(b.text):
            name = _signed_name(above)
            return above if _SIGNED_NAME.fullmatch(name) and not _SIGN_OFF.match(name) else None
    return None


def _signed_name(block: Block) -> str:
    """The name a signature block prints, without a title after it, spaced singly."""
    return " ".join(strip_inspector_title(block.text).split())


def _mark_lead(report: Report, signed: Block | None) -> None:
    """The inspector who signs a letter led the visit: their place in the team becomes "lead
    inspector". A letter whose sentences name no inspector gets the signatory alone; one whose
    list leaves the signatory out gets them first, with a warning."""
    if signed is None:
        return
    name = _signed_name(signed)
    for i, m in enumerate(report.team):
        if _name_key(m.name) == _name_key(name):
            report.team[i] = TeamMember(m.name, "lead inspector", m.source)
            return
    if report.team:
        report.warnings.append(f"the letter is signed by {name}, whom its list of inspectors leaves out")
    report.team.insert(0, TeamMember(name, "lead inspector", Source.of(signed)))


def _name_key(name: str) -> str:
    """A name as compared: case, spacing and the apostrophe's form left aside."""
    return " ".join(name.replace("’", "'").casefold().split())


def _recommendations(section) -> list[Recommendation]:
    """The bullets (or numbered paragraphs) under the "what needs to improve" headings, up to the
    first other heading ("Findings", "Overview"; a lead-in ending in ":" is no heading) or the first
    plain paragraph after them; a bullet printed further in than the one before is part of it. An
    item that goes on with the sentence of a lead-in before the list ("The local authority needs to
    take swift and decisive action to address:" / "the quality of assessments") keeps it in front.
    A heading whose list is printed as plain paragraphs gives those (``_paragraph_list``)."""
    items: list[tuple[object, list[str], str, str, str | None]] = []   # block, nested items, band, theme, lead-in
    band = "Areas for improvement"
    theme = section[0].text
    as_paragraphs: set[int] = set()
    lead: str | None = None
    band_items = 0
    for i, b in enumerate(section):
        if b.kind == "heading":
            if b.text.rstrip().endswith(":"):
                # a bold lead-in: "... the following areas of practice:"; the section's own heading
                # ending so ("What needs to improve in this area of social work practice:") is none
                lead = None if _IMPROVE.match(b.text) else lead_in(b)
                continue
            if not _IMPROVE.match(b.text):
                break
            band = "Priority action" if _PRIORITY.search(b.text) else "Areas for improvement"
            theme = b.text
            as_paragraphs = _paragraph_list(section[i + 1:])
            lead, band_items = None, 0
            continue
        if items and nested_under(b, items[-1][0]):
            items[-1][1].append(b.text)
        elif b.kind == "bullet" or (b.kind == "paragraph" and b.number is not None) or b.index in as_paragraphs:
            items.append((b, [], band, theme, lead))
            band_items += 1
        elif not band_items and b.kind == "paragraph" and lead_in(b):
            lead = lead_in(b)                    # "The local authority needs to take ... action to address:"
        elif items:
            break
    out: list[Recommendation] = []
    for b, parts, band, theme, lead in items:
        text, cites = national_framework_citations(with_lead_in(lead, join_items(b.text, parts)))
        out.append(Recommendation(text=text, order=len(out) + 1, number=b.number, band=band,
                                  theme=theme, cites=cites, source=Source(block=b.index, page=b.page)))
    return out


def _paragraph_list(after) -> set[int]:
    """The block indices of a "what needs to improve" list printed without list markers: two or
    more plain paragraphs, each a finished sentence, and nothing else up to the next heading
    (Wolverhampton 2018: five areas, each a paragraph, then the sign-off). The letter's closing
    paragraphs ("Ofsted will take the findings ...") are not in it. One paragraph alone speaks
    about the section rather than listing it ("The areas for improvement set at the last focused
    visit remain. There are no additional areas ...", Nottingham 2021), and paragraphs before a
    bulleted list introduce the list: neither is an item."""
    run = []
    for b in after:
        is_lead = b.text.rstrip().endswith(":")
        if b.kind == "heading" and not is_lead:
            break
        if is_lead and b.kind in ("heading", "paragraph"):
            continue                              # "... the following areas of practice:"
        if b.kind != "paragraph" or b.number is not None or not _FINISHED.search(b.text):
            return set()                          # a list with markers, or a line cut short
        run.append(b)
    while run and _CLOSING.search(run[-1].text):
        run.pop()
    return {b.index for b in run} if len(run) >= 2 else set()


def _findings(body) -> list[Finding]:
    """Unnumbered paragraphs (or bullets) from the first findings (or strengths) heading to the
    sign-off, leaving out the sections of what needs to improve."""
    start = next((i for i, b in enumerate(body) if b.kind == "heading" and _FINDINGS_START.search(b.text)), None)
    if start is None:
        return []
    section = body[start].text
    out: list[Finding] = []
    skip = False
    for b in body[start + 1:]:
        if b.kind == "heading":
            skip = bool(_IMPROVE.match(b.text))
            section = b.text
            continue
        if skip or b.kind not in ("paragraph", "bullet"):
            continue
        out.append(Finding(b.text, b.number, section=section,
                           source=Source.of(b)))
    while out and _CLOSING.search(out[-1].text):
        out.pop()                                # the closing paragraphs, not findings
    return out


SPECS = (
    FrameworkSpec(Framework.FOCUSED_VISIT, "ILACS focused visit", order=10,
                  recognise=title_rule(_FOCUSED_COVER), parse=parse,
                  kinds={InspectionKind.FOCUSED_VISIT: "FocusedVisit"}, document_class="VisitLetter"),
    FrameworkSpec(Framework.MONITORING_VISIT, "ILACS monitoring visit", order=11,
                  recognise=title_rule(_MONITORING_COVER), parse=parse,
                  kinds={InspectionKind.MONITORING_VISIT: "MonitoringVisit"}, document_class="VisitLetter"),
)
