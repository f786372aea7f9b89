"""Parse a council's children's services improvement plan into an ``ImprovementPlan``.

Structure read: a cover (title naming the council, month of issue, version), an introduction
naming the inspection the plan answers, an optional RAG table, numbered themes ("Theme 1: ...")
each with an outcome statement and an action table (header "Action | KPI Ref | Due | Lead";
heading rows "1.1 ..." and actions "1.1.1 ..."), and a KPI table (header "Ref | Measure | ...").
Empty table cells are dropped before the parser sees them, so cells are matched to columns by
what they look like when a row is short. Inconsistencies are kept as printed and reported in
``ImprovementPlan.warnings`` (see ``improvement_plan_checks``).
"""
from __future__ import annotations

import datetime as dt
import re

from .. import patterns
from ..model import (Action, Block, Document, Framework, ImprovementPlan, IngestError, Kpi,
                     RagStatus, Source, Target, Theme)
from .improvement_plan_checks import check
from .spec import FrameworkSpec

_THEME = re.compile(r"^(?:Theme|Priority|Objective|Workstream|Outcome|Improvement (?:area|priority))"
                    r"\s+(\d+)\s*[:.–—-]\s*(.+)$", re.I)
_OUTCOME = re.compile(r"^outcome statement\s*:?\s*(.*)$", re.I)
_ACTION_REF = re.compile(r"^(\d+(?:\.\d+)+)\.?(?:\s+(.*))?$", re.S)
_KPI_REF = re.compile(r"^(\d+[a-z]?)(?:\s+(.*))?$", re.I)
_KPI_CELL = re.compile(r"^(?:all|none|n/?a|-|\d+[a-z]?(?:\s*[,&/]\s*(?:and\s+)?(?:\d+[a-z]?|[a-z]\b))*)$", re.I)
_KPI_PART = re.compile(r"^(\d+)([a-z]?)$", re.I)
_DUE_CELL = re.compile(rf"\b(?:{patterns.MONTH_NAME}|(?:19|20)\d\d|quarterly|monthly|weekly|annual(?:ly)?|"
                       r"ongoing|termly|report|complete[d]?|q[1-4])\b", re.I)
_SHORT_MONTH = re.compile(rf"^({patterns.MONTH_NAME})\s*(?:{patterns.DASH}|[/ ])\s*['’]?(\d{{2}}|\d{{4}})$", re.I)
_HTML = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_RATIO = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:/|out of|of)\s*(\d+(?:\.\d+)?)$", re.I)
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_VERSION = re.compile(r"^version\s*:?\s*(\S+)", re.I)
_PERIOD = re.compile(rf"\b((?:19|20)\d\d\s*(?:{patterns.DASH}|/)\s*(?:(?:19|20)\d\d|\d\d))\b")
_PLAN_TITLE = re.compile(
    r"^(?:['‘’\"][^'‘’\"]+['‘’\"]\s*)?(?P<name>[A-Z][^'‘’\"]*?)\s+(?:Children['’]s\s+(?:Services|Social Care)\s+|"
    r"Children and (?:Young People|Families)(?:['’]s)?\s+(?:Services\s+)?)?Improvement Plan\b", re.I)
_INSPECTED = re.compile(r"\binspect", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_KPI_SECTION = re.compile(r"^(?:key )?performance (?:indicators|measures)\b|^KPIs?\b", re.I)

#: header words -> column role, first match wins
_ACTION_COLUMNS = (("kpi", re.compile(r"\b(kpi|measure|indicator|pi)\b", re.I)),
                   ("due", re.compile(r"\b(due|when|deadline|timescale|date|by)\b", re.I)),
                   ("lead", re.compile(r"\b(lead|owner|responsib)", re.I)))
_KPI_COLUMNS = (("ref", re.compile(r"^(ref|no\.?|number|kpi)$", re.I)),
                ("due", re.compile(r"\bdue\b|\bby when\b", re.I)),
                ("target", re.compile(r"\btarget", re.I)),
                ("baseline", re.compile(r"\b(baseline|current|actual|outturn)\b", re.I)),
                ("frequency", re.compile(r"\b(frequency|reported)\b", re.I)),
                ("owner", re.compile(r"\b(owner|responsible|lead|officer)\b", re.I)),
                ("measure", re.compile(r"\b(measure|indicator|description)\b", re.I)))
_FREQUENCY = re.compile(r"^(?:\d+-)?(?:quarterly|monthly|weekly|annual(?:ly)?|termly|daily|"
                        r"six[- ]monthly|6-monthly|bi-?annual(?:ly)?)$", re.I)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _HTML.sub(" ", text)).strip()


def month_date(printed: str) -> dt.date | None:
    """First of the month for "Dec 2016", "Jun-17", "Mar -17"; None for "2017" or "Report quarterly"."""
    text = printed.strip()
    m = _SHORT_MONTH.match(text)
    if m:
        year = int(m.group(2))
        return dt.date(year + 2000 if year < 100 else year, patterns.month_number(m.group(1)), 1)
    return patterns.parse_month(text)


def split_kpi_refs(printed: str) -> list[str]:
    """ "6a,b" -> ["6a", "6b"]; "5,6,7" -> ["5", "6", "7"]; "All" -> ["All"]; "" -> []."""
    text = printed.strip()
    if not text or text.lower() in ("-", "n/a", "na", "none"):
        return []
    if not re.search(r"\d", text):
        return [text]
    refs, number = [], ""
    for part in re.split(r"\s*(?:,|&|/|\band\b)\s*", text):
        m = _KPI_PART.match(part)
        if m and m.group(1):
            number = m.group(1)
            refs.append(part)
        elif number and re.fullmatch(r"[a-z]", part, re.I):
            refs.append(number + part)
        elif part:
            refs.append(part)
    return refs


def target_of(printed: str, due: str | None) -> Target:
    text = printed.strip()
    t = Target(printed=text, due=due, due_date=month_date(due) if due else None)
    m = _RATIO.match(text)
    if m:
        t.value, t.denominator, t.unit = patterns.to_decimal(m.group(1)), patterns.to_decimal(m.group(2)), "ratio"
        return t
    n = _NUMBER.search(text)
    if n:
        t.value = patterns.to_decimal(n.group(0))
        t.unit = "percent" if "%" in text else "count"
    return t


def _roles(header: tuple[str, ...], columns) -> list[str | None]:
    return [next((role for role, rx in columns if rx.search(cell)), None) for cell in header]


def _assign(cells: list[str], roles: list[str]) -> dict[str, str]:
    """Match an action row's cells to the header's roles; short rows by what each cell looks like."""
    if len(cells) == len(roles):
        return dict(zip(roles, cells))
    tests = {"kpi": _KPI_CELL.match, "due": _DUE_CELL.search, "lead": lambda c: True}
    out, i = {}, 0
    for cell in cells:
        while i < len(roles) and not tests.get(roles[i], lambda c: True)(cell):
            i += 1
        if i < len(roles):
            out[roles[i]] = cell
            i += 1
    return out


def _cover(doc: Document, warnings: list[str]) -> dict:
    cover = []
    for b in doc.blocks[:15]:
        if len(b.text.split()) > 25:
            break
        cover.append(b)
    title_at = next((i for i, b in enumerate(cover) if re.search(r"improvement plan", b.text, re.I)), None)
    if title_at is None:
        raise IngestError(doc.path, "no 'Improvement Plan' title on the cover")
    title_blocks = [b for b in cover[:title_at + 1] if not patterns.MONTH_YEAR.fullmatch(b.text.strip())]
    title = " ".join(b.text for b in title_blocks[-2:])
    m = _PLAN_TITLE.search(cover[title_at].text) or _PLAN_TITLE.search(title)
    if not m:
        raise IngestError(doc.path, f"no council named in the plan title {cover[title_at].text!r}")
    issued = next((patterns.parse_month(b.text) for b in cover
                   if patterns.MONTH_YEAR.fullmatch(b.text.strip())), None)
    if issued is None:
        warnings.append("no month of issue on the cover")
    version = next((_VERSION.match(b.text).group(1) for b in cover if _VERSION.match(b.text)), None)
    period = _PERIOD.search(cover[title_at].text)
    return dict(authority_name=m.group("name").strip(), title=title, issued=issued, version=version,
                period=period.group(1) if period else None)


def _responds_to(doc: Document) -> dt.date | None:
    for b in doc.blocks:
        if b.kind not in ("paragraph", "bullet"):
            continue
        for sentence in _SENTENCE.split(b.text):
            if _INSPECTED.search(sentence) and "ofsted" in sentence.lower():
                month = patterns.parse_month(sentence)
                if month:
                    return month
    return None


def _rag(doc: Document) -> list[RagStatus]:
    rag: list[RagStatus] = []
    inside = False
    for b in doc.blocks:
        if b.kind != "table-row":
            if rag:
                break
            inside = False
            continue
        if any("rag" in c.lower().split() for c in b.cells):
            inside = True
        elif inside and b.cells[0].isupper() and b.cells[0].isalpha():
            rag.append(RagStatus(label=b.cells[0], description=" ".join(b.cells[1:]), order=len(rag) + 1))
    return rag


def _is_kpi_header(b: Block) -> bool:
    return (b.kind == "table-row" and bool(_KPI_COLUMNS[0][1].match(b.cells[0]))
            and any("measure" in c.lower() or "indicator" in c.lower() for c in b.cells[1:]))


def _kpis(blocks: list[Block], header: tuple[str, ...], warnings: list[str], kpi_theme: dict[str, str]):
    roles = _roles(header, _KPI_COLUMNS)
    kpis: list[Kpi] = []
    theme = None
    for b in blocks:
        m = _THEME.match(b.text)
        if b.kind != "table-row":
            theme = m.group(1) if m else theme
            continue
        cells = list(b.cells)
        if cells == list(header) or all(set(c) <= set("-:| ") for c in cells):
            continue
        first = _KPI_REF.match(cells[0])
        if not first:
            continue
        if first.group(2):                       # the ref printed in the measure's cell
            cells[0:1] = [first.group(1), first.group(2)]
        if len(cells) == len(roles):
            row = {r: c for r, c in zip(roles, cells) if r}
            targets = [target_of(c, row.get("due")) for r, c in zip(roles, cells) if r == "target"]
        else:
            warnings.append(f"block {b.index}: KPI row {cells[0]} has {len(cells)} cells for "
                            f"{len(roles)} columns; matched by content")
            row = {"ref": cells[0], "measure": cells[1] if len(cells) > 1 else ""}
            rest = cells[2:]
            if rest and month_date(rest[-1]) or rest and re.fullmatch(r"(?:19|20)\d\d", rest[-1]):
                row["due"] = rest.pop()
            targets = [target_of(rest.pop(), row.get("due"))] if rest else []
            for cell in rest:
                row["frequency" if _FREQUENCY.match(cell) else "owner"] = cell
        kpis.append(Kpi(ref=cells[0], measure=_clean(row.get("measure", "")), owner=row.get("owner"),
                        frequency=row.get("frequency"), baseline=row.get("baseline"),
                        targets=targets, source=Source.of(b)))
        if theme:
            kpi_theme[cells[0]] = theme
    return kpis


class _ActionPart:
    """The themes and their action tables, read block by block until the KPI part starts."""

    def __init__(self):
        self.themes: list[Theme] = []
        self.theme: Theme | None = None
        self.roles: list[str] | None = None    # the action table's column roles, once its header is read
        self.stack: list[Action] = []          # the actions enclosing the next one (by ref depth)
        self.want_outcome = False              # an "Outcome statement:" heading waits for its text

    def read(self, blocks: list[Block]) -> tuple[int | None, tuple[str, ...]]:
        """Read ``blocks`` up to the KPI part.

        :return: the index of the KPI part's first block (None: there is none) and, when that
            block is the KPI table's header row, its cells.
        """
        for i, b in enumerate(blocks):
            if b.kind == "heading" and _KPI_SECTION.match(b.text):
                return i, ()
            if _is_kpi_header(b):
                return i, b.cells
            self.block(b)
        return None, ()

    def block(self, b: Block) -> None:
        """One block: a theme, its outcome statement, an action table's header or one of its rows."""
        m = _THEME.match(b.text)
        if m and b.kind in ("heading", "paragraph"):
            self.theme = Theme(number=m.group(1), title=m.group(2).strip(), source=Source.of(b))
            self.themes.append(self.theme)
            self.roles, self.stack, self.want_outcome = None, [], False
            return
        m = _OUTCOME.match(b.text)
        if m and self.theme:
            self.theme.outcome_statement = m.group(1) or None
            self.want_outcome = not m.group(1)
            return
        if b.kind == "table-row" and re.match(r"^actions?\b", b.cells[0], re.I):
            self.roles = [r for r in _roles(b.cells[1:], _ACTION_COLUMNS) if r]
            self.want_outcome = False
            return
        if self.want_outcome and b.kind == "paragraph" and self.theme:
            self.theme.outcome_statement = " ".join(filter(None, [self.theme.outcome_statement, b.text]))
            return
        if self.roles is not None and self.theme is not None:
            self.action_row(b)

    def action_row(self, b: Block) -> None:
        """A row of the current theme's action table: an action when it starts with its
        reference ("1.2.3"), under the last action of a shorter reference; others are left."""
        first, rest = (b.cells[0], list(b.cells[1:])) if b.cells else (b.text, [])
        m = _ACTION_REF.match(first)
        if not m:
            return
        ref, text = m.group(1), m.group(2)
        if not text and rest:
            text, rest = rest[0], rest[1:]
        row = _assign(rest, self.roles)
        depth = ref.count(".")
        while self.stack and self.stack[-1].ref.count(".") >= depth:
            self.stack.pop()
        due = row.get("due")
        action = Action(ref=ref, text=_clean(text or ""), kpi_refs=split_kpi_refs(row.get("kpi", "")),
                        due=due, due_date=month_date(due) if due else None, lead=row.get("lead"),
                        parent_ref=self.stack[-1].ref if self.stack else None, source=Source.of(b))
        self.theme.actions.append(action)
        self.stack.append(action)


def _kpi_part(blocks: list[Block], at: int | None, header: tuple[str, ...],
              warnings: list[str]) -> tuple[list[Kpi], dict[str, str]]:
    """The KPI table of the part starting at block ``at`` (a heading: its header row is the
    first after it), and the theme the table lists each KPI under (ref -> theme number).

    :param header: the cells of the header row when block ``at`` is that row.
    """
    if at is not None and not header:
        at = next((j for j in range(at, len(blocks)) if _is_kpi_header(blocks[j])), None)
        header = blocks[at].cells if at is not None else ()
    kpi_theme: dict[str, str] = {}
    if at is None:
        warnings.append("no KPI table (no 'Ref | Measure | ...' header row)")
        return [], kpi_theme
    return _kpis(list(blocks[at + 1:]), header, warnings, kpi_theme), kpi_theme


def parse(doc: Document) -> ImprovementPlan:
    """Read one improvement plan.

    :param doc: a normalised document classified as ``Framework.IMPROVEMENT_PLAN``.
    :return: the plan with themes, actions, KPIs, RAG scheme and warnings.
    :raise IngestError: no title naming a council, or no action table.
    """
    warnings: list[str] = []
    cover = _cover(doc, warnings)
    actions = _ActionPart()
    kpi_at, kpi_header = actions.read(doc.blocks)
    if not any(t.actions for t in actions.themes):
        raise IngestError(doc.path, "no action table (no 'Action | ... | Due | Lead' rows with "
                                    "numbered actions)")
    kpis, kpi_theme = _kpi_part(list(doc.blocks), kpi_at, kpi_header, warnings)
    plan = ImprovementPlan(framework=Framework.IMPROVEMENT_PLAN, responds_to_month=_responds_to(doc),
                           themes=actions.themes, kpis=kpis, rag_scheme=_rag(doc), warnings=warnings, **cover)
    check(plan, kpi_theme, doc)
    return plan


_TITLE = re.compile(r"\bimprovement plan\b", re.I)
_PLAN_TABLE = re.compile(r"\b(KPI|action)\b", re.I)


def recognise(doc: Document, cover: str) -> str | None:
    """The evidence that a document is an improvement plan: the title and action/KPI table rows."""
    m = _TITLE.search(cover)
    if not m:
        return None
    rows = sum(1 for b in doc.blocks if b.kind == "table-row" and _PLAN_TABLE.search(b.text))
    return f"title {m.group(0)!r} and {rows} action/KPI table rows" if rows else None


SPECS = (FrameworkSpec(Framework.IMPROVEMENT_PLAN, "Council improvement plan", order=60, recognise=recognise,
                       parse=parse, document_class="PlanDocument", publisher="the local authority"),)
