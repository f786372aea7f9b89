"""``Document`` -> ``Classification``: which framework a document belongs to, and why.

It reads only the opening blocks (the cover and title) plus a few structural signs; it never
parses. A document that matches nothing raises ``UnclassifiedDocument`` rather than going to a
best-guess parser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Document, Framework, UnclassifiedDocument
from .patterns import grade_key

#: how many blocks from the top count as the cover
COVER_BLOCKS = 40


@dataclass(frozen=True)
class Classification:
    framework: Framework
    evidence: str


_I = re.I
_M = re.I | re.M
#: an ILACS report's title, as its own cover line: "Inspection of children's social care
#: services" or "Inspection of local authority children's services" (the authority on the line
#: above), "Inspection of Kent County Council children's services", "Inspection of Barking and
#: Dagenham children's services"; ``la`` is the authority where the title names one
ILACS_TITLE = re.compile(r"^inspection of (?:(?P<la>[^\n]{1,100}?)\s+)??(?:local authority\s+)?"
                         r"children['’]s (?:social care )?services\b", _I)
_TITLE_RULES: tuple[tuple[Framework, re.Pattern[str]], ...] = (
    # a visit letter is titled so on a line of its own; a full report's summary may mention
    # "a focused visit to ..." in its text, which must not make it a letter
    (Framework.FOCUSED_VISIT, re.compile(r"^focused visit to\b", _M)),
    (Framework.MONITORING_VISIT, re.compile(r"^monitoring visit (?:to|of)\b", _M)),
    # SIF before SLAC: a SIF cover may mention the last 2009-12 "inspection of safeguarding and
    # looked after children services"; a 2009-12 report cannot name the later framework
    (Framework.SIF, re.compile(r"inspection of services for children in need of help and protection,? "
                               r"children looked after and care leavers", _I)),
    # a review of a safeguarding children board published on its own (SIF framework)
    (Framework.SIF, re.compile(r"^Review of the effectiveness of the (?:local )?safeguarding children board",
                               _I | re.M)),
    (Framework.SLAC_2009, re.compile(r"inspection of safeguarding and looked after children services", _I)),
    (Framework.LAC_2013, re.compile(r"inspection of (?:services for )?looked after children(?: services)?\b", _I)),
    (Framework.ILACS_2018, re.compile(ILACS_TITLE.pattern, _M)),
    (Framework.IMPROVEMENT_PLAN, re.compile(r"\bimprovement plan\b", _I)),
)

_NATIONAL_FRAMEWORK_CITE = re.compile(r"\((?:outcome|enabler)s?\s+\d", _I)
_CARE_LEAVERS_JUDGEMENT = re.compile(r"experiences and progress of (?:young people leaving care|care leavers)", _I)
_JOINT_CARE_JUDGEMENT = re.compile(r"children in care and care leavers", _I)
_OVERALL = re.compile(r"overall effectiveness", _I)
_PLAN_TABLE = re.compile(r"\b(KPI|action)\b", _I)


def _judgement_rows(doc: Document) -> list[str]:
    """Cover table rows whose last cell is a grade (the judgement table), as printed."""
    return [b.text for b in doc.blocks[:120]
            if b.kind == "table-row" and len(b.cells) >= 2 and grade_key(b.cells[-1])]


def _ilacs_format(doc: Document) -> tuple[Framework, str]:
    head = "\n".join(b.text for b in doc.blocks[:120])
    whole = doc.text
    rows = _judgement_rows(doc)
    if len(rows) >= 3 and not any(_OVERALL.search(r) for r in rows):
        return Framework.ILACS_2026, f"judgement table of {len(rows)} rows without overall effectiveness"
    if not _OVERALL.search(head) and _NATIONAL_FRAMEWORK_CITE.search(whole):
        return Framework.ILACS_2026, "no overall effectiveness judgement; national framework citations"
    if any(_JOINT_CARE_JUDGEMENT.search(r) for r in rows):
        return Framework.ILACS_2018, "children in care and care leavers judged together"
    if _CARE_LEAVERS_JUDGEMENT.search(head):
        return Framework.ILACS_2023, "separate care-leavers judgement"
    return Framework.ILACS_2018, "children in care and care leavers judged together"


def classify(doc: Document) -> Classification:
    """Decide the framework of a normalised document.

    :raise UnclassifiedDocument: when no rule matches the cover.
    """
    if doc.raw.tables:
        return Classification(Framework.OUTCOMES_TABLE, "spreadsheet with sheets " +
                              ", ".join(t.name for t in doc.raw.tables[:4]))
    cover = "\n".join(b.text for b in doc.blocks[:COVER_BLOCKS])
    for framework, rule in _TITLE_RULES:
        m = rule.search(cover)
        if not m:
            continue
        if framework is Framework.IMPROVEMENT_PLAN:
            rows = sum(1 for b in doc.blocks if b.kind == "table-row" and _PLAN_TABLE.search(b.text))
            if rows == 0:
                continue
            return Classification(framework, f"title {m.group(0)!r} and {rows} action/KPI table rows")
        if framework is Framework.ILACS_2018:
            fmt, why = _ilacs_format(doc)
            return Classification(fmt, f"title {m.group(0)!r}; {why}")
        return Classification(framework, f"title {m.group(0)!r}")
    first = next((b.text for b in doc.blocks if b.text.strip()), "")
    raise UnclassifiedDocument(doc.path, "not a recognised Ofsted report, visit letter, improvement "
                                         f"plan or outcomes table (starts {first[:60]!r})")
