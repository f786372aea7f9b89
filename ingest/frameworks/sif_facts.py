"""People, dates and names a SIF report prints outside its judgements: the inspection team,
tenures ("has been in post since May 2013"), earlier inspections and the LSCB's own name."""
from __future__ import annotations

import re

from .. import patterns
from ..model import Block, Document, EarlierInspection, InspectionKind, Report, Source, TeamMember, Tenure
from .sif_cover import GRADE

_I = re.I
_TAG = re.compile(r"</?(?:p|b|strong|em|i|span|br)\s*/?>", _I)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _TAG.sub(" ", text)).strip()


#: a date as the information block prints it: "5 January 2015", "July 2013" or only the year
#: ("has been in post since 2014", "was in 2012"), which gives no date
_WHEN = rf"(?:\d{{1,2}}\s+)?(?:{patterns.MONTH_NAME}\s+)?\d{{4}}\b"
#: a grade an earlier inspection gave: the SIF and 2009-12 words, or the 2007-12 services
#: scale's "satisfactory" (adoption and fostering services)
_MENTIONED_GRADE = rf"(?:{GRADE}|adequate|satisfactory)"
_TENURE = re.compile(rf"^(?P<role>.+?)\s+(?:has|have) been in post since (?P<when>{_WHEN})", _I)
#: a second post in the same sentence: "... since November 2012 and the director of children's
#: services since April 2013"
_TENURE_ALSO = re.compile(rf"\s+and (?P<role>the [^,.]+?) since (?P<when>{_WHEN})", _I)
#: "The previous inspection of the local authority's services for children looked after was in
#: (was also in, was published in, was undertaken in, took place in, or "was in in" with the word
#: printed twice) July 2012", "The last inspection report for the local authority's children's
#: services was published in May 2015", with the grade sentence after it ("The local authority
#: was judged to be good.", "Ofsted judged that services were adequate.", "The local authority
#: was inadequate.", "The overall quality rating was satisfactory.") unless that sentence is the
#: next inspection's own ("The last inspection of the fostering services was in June 2011 and
#: judged ..."), and the lead-in of a list of its judgements ("The judgements for the local
#: authority were:")
_EARLIER = re.compile(
    rf"\b(?:The (?:last|previous)|An?|The)\s+(?:[\w-]+\s+){{0,3}}?inspection (?:of|report for) (?P<what>[^.]+?)\s+"
    rf"(?:was (?:(?:also|carried out|undertaken|published) )?in(?: in)?|took place in)\s+(?P<when>{_WHEN})"
    rf"(?P<rest>[^.]*\.?(?:\s*(?:(?:The|It|Ofsted)\b(?![^.]*\binspection (?:of|report for)\b)[^.]*?\bjudged\b[^.]*\.?"
    rf"|\s*The local authority was {_MENTIONED_GRADE}\.|\s*The [\w ]*?\brating was {_MENTIONED_GRADE}\.))?"
    rf"(?:\s*The judgements for [^.:]*\bwere:)?)", _I)
#: overall effectiveness named as what a grade is for ("good for overall effectiveness", "judged
#: inadequate in respect of children looked after, care leavers and overall effectiveness"), not
#: a service's own ("overall effectiveness of safeguarding services")
_OVERALL_AREA = re.compile(r"\boverall effectiveness\b(?!\s+(?:of|for)\b)", _I)
#: the first item of that list: "Overall effectiveness: Inadequate"
_LISTED_OVERALL = re.compile(rf"^overall effectiveness:\s*(?P<grade>{GRADE})\b", _I)
_EARLIER_GRADE = re.compile(rf"\b({_MENTIONED_GRADE})\b", _I)
#: "Team inspectors: ...", "Deputy lead inspector Dominic Stevens HMI" (colon lost), "Lead
#: inspector on site: ...", "Report author: ...", in any case ("Deputy Lead inspector", "Senior
#: Data Analyst"): one to five words ending in a role noun, then a colon or a capitalised name
_TEAM_LINE = re.compile(r"^(?P<role>(?i:(?!(?:the|an?|this|our|all|each)\b)[a-z]+(?: [a-z]+){0,4}? "
                        r"(?:inspectors?|analysts?|managers?|officers?|authors?)(?: on site)?))"
                        r"\s*(?::\s*|\s+(?=(?:Dr |Mr |Mrs |Ms )?[A-Z][a-z]))(?P<names>.+)$")
#: nobody: "N/A", "Not applicable", "None"
_NOBODY = re.compile(r"^(?:n/?a|not applicable|none|nil|-+)$", _I)
#: a word of a job title printed before a name, or of one after it that
#: ``patterns.strip_inspector_title`` (the inspectors' titles: "HMI", "Her Majesty's Inspector",
#: "Ofsted Inspector" ...) has not taken off: an acronym ("OI", "SCRI"), a word in lower case
#: ("additional inspector", "designate") or a capitalised word of Ofsted's other job titles
#: ("Senior Data Analyst", "Deputy Director Social Care Inspection")
_TITLE_WORD = re.compile(r"^(?:[A-Z]{2,6}|[a-z][\w’'-]*|Acting|Additional|Associate|Care|Contracted|Deputy|"
                         r"Designated?|Director|Inspection|Inspectors?|Lead|Manager|"
                         r"Principal|Regulatory|Seconded|Senior|Social)$")
#: a word of a person's name: "Anne-Marie", "McEvoy", "O’Brien", an initial "J" or "J.", a
#: courtesy title, a lower-case particle inside a name ("van", "de", "d’Souza")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w’'-]*\.?)$")
_PARTICLE = re.compile(r"^(?:d[’']\w+|van|de|von|le|la)$")


_BOARD = re.compile(r"\b([A-Z][\w&’'.-]*\s+(?:(?:[A-Z][\w&’'.-]*|and|of|upon|on|the)\s+)*?(?:Local\s+)?"
                    r"Safeguarding\s+Children(?:['’]s)?\s+Board)\b")


def tenure_and_earlier(b: Block, text: str, report: Report) -> None:
    if b.kind not in ("bullet", "paragraph"):
        return
    for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])", text):
        m = _TENURE.match(sentence)
        if m:
            _add_tenure(report, _tenure(m, sentence, b))
            also = _TENURE_ALSO.match(sentence, m.end())
            if also:
                _add_tenure(report, _tenure(also, sentence, b))
    _listed_grade(b, text, report)
    for m in _EARLIER.finditer(text):
        if not _before_this_one(m, report):
            continue
        what = m.group("what").lower()
        if "safeguarding" in what and "looked after" in what:
            kind = InspectionKind.SLAC.value
        elif "protection of children" in what:
            kind = InspectionKind.CPI.value
        else:
            kind = None
        grade = _earlier_grade(m.group("rest"))
        report.earlier_inspections.append(EarlierInspection(
            _clean(m.group(0)), patterns.parse_month(m.group("when")), grade, kind, Source.of(b)))


def _before_this_one(m: re.Match[str], report: Report) -> bool:
    """Whether a mention can be of an earlier inspection: one dated in or after the month this
    inspection started cannot, nor one dated by its year alone, in or after this one's year,
    that says neither "last" nor "previous" ("The inspection of ... was carried out in 2014" may
    well be this one)."""
    if report.start is None:
        return True
    when = m.group("when")
    dated = patterns.parse_month(when)
    if dated is not None:
        return (dated.year, dated.month) < (report.start.year, report.start.month)
    year = int(re.search(r"\d{4}", when).group())
    return year < report.start.year or bool(re.match(r"The (?:last|previous)\b", m.group(0), _I))


def _add_tenure(report: Report, tenure: Tenure) -> None:
    """Keep ``tenure`` unless it is a post already read with a date and it has none: the
    findings may name the post again by its year alone ("The current Director of Children's
    Services has been in post since 2012 and, since that time, ..." beside "... since March
    2012."); a dated one replaces such a dateless one read before it."""
    post = _post(tenure.role)
    same = [t for t in report.tenures if _post(t.role) == post]
    if tenure.since is None and any(t.since for t in same):
        return
    if tenure.since is not None:
        report.tenures[:] = [t for t in report.tenures if t.since is not None or _post(t.role) != post]
    report.tenures.append(tenure)


def _post(role: str) -> str:
    """A post's name for comparing two mentions of it ("current Director ..." is the Director)."""
    return re.sub(r"^current\s+", "", role.lower()).replace("’", "'")


def _tenure(m: re.Match[str], sentence: str, b: Block) -> Tenure:
    role = re.sub(r"^[Tt]he\s+", "", m.group("role"))
    role = re.sub(r",\s*who\b.*?,\s*$|,\s*who\b[^,]*$", "", role + ",").rstrip(",")
    role = re.sub(r"\s*\([A-Z&]{2,8}\)", "", role).strip()
    when = m.group("when")
    return Tenure(role, patterns.parse_date(when) or patterns.parse_month(when), sentence, Source.of(b))


def _earlier_grade(printed: str) -> str | None:
    """The grade of an earlier inspection from the words after its date: the one grade they
    print; where they grade its services apart ("adequate for safeguarding and good for children
    looked after"), the grade for overall effectiveness, else none (a service's grade is not
    the inspection's)."""
    found = list(_EARLIER_GRADE.finditer(printed))
    grades = [patterns.grade_key(g.group(1)) for g in found]
    if len(set(grades)) <= 1:
        return grades[0] if grades else None
    for g, grade, after in zip(found, grades, [*found[1:], None]):
        if _OVERALL_AREA.search(printed, g.end(), after.start() if after else len(printed)):
            return grade
    return None


def _listed_grade(b: Block, text: str, report: Report) -> None:
    """The grade of an earlier inspection whose judgements are listed in the blocks after it:
    its overall effectiveness, the list's first item."""
    m = _LISTED_OVERALL.match(text)
    last = report.earlier_inspections[-1] if report.earlier_inspections else None
    if m and last and last.grade is None and last.source.block == b.index - 1 \
            and last.description.endswith("were:"):
        last.grade = patterns.grade_key(m.group("grade"))


def team_line(b: Block, text: str, report: Report) -> None:
    """Team members from one line of the inspection team section (or a wrapped list of names)."""
    parts = [p.strip() for p in re.split(r"(?<=[a-z])\.\s+(?=[A-Z][a-z]+(?: [a-z]+)* ?[a-z]*:)", text)]
    for part in parts:
        m = _TEAM_LINE.match(part)
        if m:
            role = m.group("role").lower().replace(" on site", "")
            role = re.sub(r"(inspector|analyst|manager|officer|author)s$", r"\1", role)
            for name in _names(m.group("names")):
                report.team.append(TeamMember(name, role, Source.of(b)))
        elif not m and report.team and b.kind in ("paragraph", "heading") and ":" not in part \
                and len(part) < 120 and report.team[-1].source.block == b.index - 1:
            # a wrapped list of names carries on the previous team line
            role = report.team[-1].role
            for name in _names(part):
                report.team.append(TeamMember(name, role, Source.of(b)))


def _names(text: str) -> list[str]:
    """People in a printed list: "A, B and C HMI" is three; "N/A" is nobody; a part that is
    not a person's name (a heading that follows the list) is nobody either."""
    names = []
    for part in re.split(r"\s*[,;]\s*|\s+and\s+|\s*&\s*", text):
        part = patterns.strip_inspector_title(re.sub(r"\s*\([^)]*\)?", "", part).strip().rstrip("."))
        if part and not _NOBODY.match(part):
            name = _person(part)
            if name:
                names.append(name)
    return names


def _person(part: str) -> str | None:
    """The name in "Name", "Name Title..." or "Title Name": two to five words of a name, with
    only job-title words before them and whatever title after them; else None."""
    words = part.split()
    start = 0
    while start < len(words) and _TITLE_WORD.match(words[start]) and not _PARTICLE.match(words[start]):
        start += 1
    end = start
    while end < len(words) and (_NAME_WORD.match(words[end]) and not _TITLE_WORD.match(words[end])
                                or end > start and _PARTICLE.match(words[end])):
        end += 1
    if not 2 <= end - start <= 5 or (end < len(words) and not _TITLE_WORD.match(words[end])):
        return None
    return " ".join(words[start:end]).rstrip(".")


def board_name(doc: Document) -> str | None:
    """The board's own name; where it is printed several ways, the one introduced with its
    abbreviation ("Bristol Safeguarding Children Board (BSCB)")."""
    found: list[tuple[bool, str]] = []
    for b in doc.blocks:
        text = _clean(b.text)
        for m in _BOARD.finditer(text):
            name = re.sub(r"^(?:The|the)\s+", "", m.group(1))
            if name.lower().startswith(("local safeguarding", "review of")) or "LSCB" in name:
                continue
            found.append((bool(re.match(r"\s*\([A-Z&][\w& ]{1,12}\)", text[m.end():])), name))
    return next((n for introduced, n in found if introduced), found[0][1] if found else None)
