"""People, dates and names a SIF report prints outside its judgements: the inspection team,
tenures ("has been in post since May 2013"), earlier inspections and the LSCB's own name."""
from __future__ import annotations

import re

from .. import patterns
from ..model import Block, Document, EarlierInspection, InspectionKind, Report, Source, TeamMember, Tenure

_I = re.I
_TAG = re.compile(r"</?(?:p|b|strong|em|i|span|br)\s*/?>", _I)
_GRADE = (r"(?:outstanding|good|inadequate|requires?\s+improvement(?:\s+to\s+be\s+good)?)")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _TAG.sub(" ", text)).strip()


def _src(b: Block) -> Source:
    return Source(block=b.index, paragraph=b.number, page=b.page)


_TENURE = re.compile(rf"^(?P<role>.+?)\s+(?:has|have) been in post since (?P<when>(?:\d{{1,2}}\s+)?"
                     rf"{patterns.MONTH_NAME}\s+\d{{4}})", _I)
_EARLIER = re.compile(
    rf"\b(?:The (?:last|previous)|An?|The)\s+(?:[\w-]+\s+){{0,3}}?inspection of (?P<what>[^.]+?)\s+"
    rf"(?:was (?:carried out )?in|took place in)\s+(?P<when>(?:\d{{1,2}}\s+)?{patterns.MONTH_NAME}\s+\d{{4}})"
    rf"(?P<rest>[^.]*\.?(?:\s*(?:The|It)\b[^.]*?\bjudged\b[^.]*\.?)?)", _I)
_EARLIER_GRADE = re.compile(rf"\b({_GRADE}|adequate)\b", _I)
_TEAM_LINE = re.compile(r"^(?P<role>(?:[A-Z][a-z]+)(?: [a-z]+){0,4}?(?: inspectors?| analysts?| managers?|"
                        r" officers?)):\s*(?P<names>.+)$")
_TEAM_DROP = re.compile(r"^(?:Acting\s+)?(?:Senior\s+)?HMI$|^Her Majesty", _I)
_HMI_SUFFIX = re.compile(r"\s+(?:Acting\s+)?(?:Senior\s+)?HMI$", _I)
_BOARD = re.compile(r"\b([A-Z][\w&’'.-]*\s+(?:(?:[A-Z][\w&’'.-]*|and|of|upon|on|the)\s+)*?(?:Local\s+)?"
                    r"Safeguarding\s+Children(?:['’]s)?\s+Board)\b")


def tenure_and_earlier(b: Block, text: str, report: Report) -> None:
    if b.kind not in ("bullet", "paragraph"):
        return
    for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])", text):
        m = _TENURE.match(sentence)
        if m:
            role = re.sub(r"^The\s+", "", m.group("role"))
            role = re.sub(r",\s*who\b.*?,\s*$|,\s*who\b[^,]*$", "", role + ",").rstrip(",")
            role = re.sub(r"\s*\([A-Z&]{2,8}\)", "", role).strip()
            when = m.group("when")
            since = patterns.parse_date(when) or patterns.parse_month(when)
            report.tenures.append(Tenure(role, since, sentence, _src(b)))
    for m in _EARLIER.finditer(text):
        what = m.group("what").lower()
        if "safeguarding" in what and "looked after" in what:
            kind = InspectionKind.SLAC.value
        elif "protection of children" in what:
            kind = InspectionKind.CPI.value
        else:
            kind = None
        gm = _EARLIER_GRADE.search(m.group("rest"))
        grade = patterns.grade_key(gm.group(1)) if gm else None
        report.earlier_inspections.append(EarlierInspection(
            _clean(m.group(0)), patterns.parse_month(m.group("when")), grade, kind, _src(b)))


def team_line(b: Block, text: str, report: Report) -> None:
    m = _TEAM_LINE.match(text)
    if not m:
        # a wrapped list of names carries on the previous team line
        if report.team and b.kind in ("paragraph", "heading") and ":" not in text and len(text) < 120 \
                and re.fullmatch(r"[A-Z][\w’' .()-]*(?:,\s*[A-Z][\w’' .()-]*)*", text) \
                and report.team[-1].source.block == b.index - 1:
            role = report.team[-1].role
            for name in _names(text):
                report.team.append(TeamMember(name, role, _src(b)))
        return
    role = m.group("role").lower()
    role = re.sub(r"(inspector|analyst|manager|officer)s$", r"\1", role)
    for name in _names(m.group("names")):
        report.team.append(TeamMember(name, role, _src(b)))


def _names(text: str) -> list[str]:
    names = []
    for part in text.split(","):
        part = re.sub(r"\s*\([^)]*\)", "", part).strip().rstrip(".")
        if part and not _TEAM_DROP.match(part):
            part = _HMI_SUFFIX.sub("", part)
            names.append(part)
    return names


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
