"""Plain dataclasses that the ingest stages hand to each other.

read -> ``RawDocument``; normalise -> ``Document``; parse -> ``Report`` | ``ImprovementPlan`` |
``OutcomesTable``; map -> RDF. Nothing here imports rdflib: parsers describe what a document
*says*, in printed words plus a few controlled keys; ``mapping`` turns keys into ontology terms.

Controlled keys (strings, kept as data in ``ontology/``):

* ``Judgement.area`` - a judgement-area key, e.g. ``"overall-effectiveness"``,
  ``"help-and-protection"``, ``"children-in-care"``, ``"care-leavers"``, ``"adoption"``,
  ``"leadership"``, ``"lscb"``; 2009-12 reports prefix the service: ``"safeguarding/overall-
  effectiveness"``, ``"looked-after/being-healthy"`` (see ``ontology/areas.ttl``).
* ``Judgement.grade`` - a grade key within the framework's scale: ``"outstanding"``,
  ``"good"``, ``"adequate"`` (2009-12), ``"requires-improvement"`` (SIF),
  ``"requires-improvement-to-be-good"`` (ILACS), ``"inadequate"``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


class Notation(str):
    """A code a framework module declares (``"sif"``, ``"ilacs-2023"``): a string, one object per
    code and class, so that ``is`` and ``==`` agree and unpickling gives the same object back."""

    __slots__ = ()
    _interned: dict[str, "Notation"] = {}

    def __new__(cls, code: str) -> "Notation":
        interned = cls.__dict__["_interned"]
        found = interned.get(code)
        if found is None:
            found = interned[code] = super().__new__(cls, code)
        return found

    @property
    def value(self) -> str:
        """The code as a plain string."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


class Framework(Notation):
    """Which inspection framework (or non-report kind) a document belongs to.

    Each framework module declares its own (``ingest/frameworks/*.py``, ``FrameworkSpec``); the
    names below are the ones other modules and tests refer to.
    """

    __slots__ = ()
    _interned: dict[str, "Notation"] = {}


class InspectionKind(Notation):
    """What kind of inspection a report describes; declared by the framework modules."""

    __slots__ = ()
    _interned: dict[str, "Notation"] = {}


Framework.SLAC_2009 = Framework("slac-2009")            # 2009-12 safeguarding and looked after children, Grades 1-4
Framework.SIF = Framework("sif")                        # 2013-18 single inspection framework (+ LSCB review)
Framework.ILACS_2018 = Framework("ilacs-2018")          # ILACS standard/short, 2018-22 format (4 judgements)
Framework.ILACS_2023 = Framework("ilacs-2023")          # ILACS 2023+ format (care leavers separate, 5 judgements)
Framework.ILACS_2026 = Framework("ilacs-2026")          # after the April 2026 reform (4 judgements, no overall)
Framework.FOCUSED_VISIT = Framework("focused-visit")    # ILACS focused visit letter (no grades)
Framework.MONITORING_VISIT = Framework("monitoring-visit")  # ILACS monitoring visit letter (no grades)
Framework.IMPROVEMENT_PLAN = Framework("improvement-plan")  # a council's improvement plan
Framework.OUTCOMES_TABLE = Framework("outcomes-table")  # Ofsted's official outcomes spreadsheet

InspectionKind.SLAC = InspectionKind("slac")            # 2009-12 safeguarding and looked after children
InspectionKind.SIF = InspectionKind("sif")
InspectionKind.SIF_REINSPECTION = InspectionKind("sif-reinspection")
InspectionKind.LSCB_REVIEW = InspectionKind("lscb-review")  # a review of a safeguarding children board alone
InspectionKind.CPI = InspectionKind("cpi")              # 2009-12 child protection inspection (spreadsheets)
InspectionKind.ILACS_STANDARD = InspectionKind("ilacs-standard")
InspectionKind.ILACS_SHORT = InspectionKind("ilacs-short")
InspectionKind.FOCUSED_VISIT = InspectionKind("focused-visit")
InspectionKind.MONITORING_VISIT = InspectionKind("monitoring-visit")
InspectionKind.JTAI = InspectionKind("jtai")


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Page:
    number: int
    text: str


@dataclass(frozen=True)
class RawDocument:
    """What a reader produced: the file's text, page by page where the format has pages."""

    path: str
    media_type: str                     # text/plain, text/markdown, application/pdf, ...
    sha256: str
    text: str                           # whole text (pages joined with form feeds for PDFs)
    pages: tuple[Page, ...] = ()
    tables: tuple["SheetTable", ...] = ()   # spreadsheets only


@dataclass(frozen=True)
class SheetTable:
    """One sheet of a spreadsheet: header row index and rows of cell values."""

    name: str
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Block:
    """One paragraph-level unit of a normalised document.

    ``kind`` is ``heading``, ``paragraph``, ``bullet``, ``table-row`` or ``grade-line``.
    ``index`` is the block's position in the document (the provenance locator);
    ``number`` is the printed paragraph number ("38") when the paragraph has one.
    ``cells`` holds the columns of a table row (tabs, HTML ``<td>`` or PDF columns).
    """

    index: int
    kind: str
    text: str
    number: str | None = None
    level: int = 0
    page: int | None = None
    cells: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A normalised document: the raw facts plus a flat list of blocks."""

    raw: RawDocument
    blocks: tuple[Block, ...]

    @property
    def path(self) -> str:
        return self.raw.path

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


# ---------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Source:
    """Where in the source a fact was printed (block index, printed paragraph, page, sheet/row)."""

    block: int | None = None
    paragraph: str | None = None
    page: int | None = None
    sheet: str | None = None
    row: int | None = None

    @classmethod
    def of(cls, block: Block) -> Source:
        """Where a block was printed: its index, printed paragraph number and page."""
        return cls(block=block.index, paragraph=block.number, page=block.page)


@dataclass
class Judgement:
    area: str                    # controlled area key (see module docstring)
    grade: str                   # controlled grade key
    printed_area: str            # the wording as printed ("Adoption performance")
    printed_grade: str           # as printed ("Requires improvement", "Grade 2 (Good)")
    subject: str = "authority"   # "authority" or "board" (LSCB)
    service: str | None = None   # 2009-12: "safeguarding" or "looked-after"
    source: Source = field(default_factory=Source)


@dataclass
class Recommendation:
    text: str
    order: int                   # 1-based position within the report, keeps printed order
    number: str | None = None    # printed number ("12"), None for bullets
    band: str | None = None      # "Priority and immediate action", "Within three months", ...
    addressee: str = "authority"  # "authority", "board" or a printed partner name
    theme: str | None = None     # the heading the recommendation sits under
    cites: list[str] = field(default_factory=list)  # national framework refs: "outcome 2", "enabler 3"
    source: Source = field(default_factory=Source)


@dataclass
class Strength:
    text: str
    order: int
    subject: str = "authority"
    source: Source = field(default_factory=Source)


@dataclass
class Finding:
    text: str
    number: str | None           # printed paragraph number
    section: str | None = None   # the heading / judgement area it sits under
    subject: str = "authority"
    cites_recommendation: bool = False   # ends with "(Recommendation)"
    source: Source = field(default_factory=Source)


@dataclass
class Statistic:
    measure: str                 # a slug naming what is measured ("children-looked-after")
    label: str                   # the printed sentence or phrase
    value: Decimal
    unit: str                    # "count", "percent", "per-10000", "ratio", "weeks", ...
    date: dt.date | None = None  # reference date ("At 30 September 2014")
    period: str | None = None    # "In the last 12 months", "2013-14"
    earlier_value: Decimal | None = None
    earlier_date: dt.date | None = None
    comparator: str | None = None        # "national average", "statistical neighbours"
    comparator_value: Decimal | None = None
    source: Source = field(default_factory=Source)


@dataclass
class TeamMember:
    name: str
    role: str                    # "lead inspector", "deputy lead inspector", "team inspector", ...
    source: Source = field(default_factory=Source)


@dataclass
class Tenure:
    role: str                    # "Director of Children's Services", "chair of the LSCB"
    since: dt.date | None        # first of the month when only month and year are printed
    printed: str                 # the sentence as printed
    source: Source = field(default_factory=Source)


@dataclass
class EarlierInspection:
    description: str             # as printed
    date: dt.date | None = None
    grade: str | None = None     # controlled grade key where printed
    kind: str | None = None      # InspectionKind value when recognisable
    source: Source = field(default_factory=Source)


@dataclass
class Report:
    """An inspection report or visit letter."""

    framework: Framework
    kind: InspectionKind
    authority_name: str          # as printed on the report
    title: str
    start: dt.date | None
    end: dt.date | None
    published: dt.date | None
    board_name: str | None = None        # LSCB as printed, when reviewed
    judgements: list[Judgement] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    strengths: list[Strength] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    tenures: list[Tenure] = field(default_factory=list)
    earlier_inspections: list[EarlierInspection] = field(default_factory=list)
    theme: str | None = None             # focused/monitoring visits: what the visit looked at
    not_judged: list[str] = field(default_factory=list)  # area keys the report prints "Not judged"
    warnings: list[str] = field(default_factory=list)   # parser's own observations


# ---------------------------------------------------------------- improvement plans


@dataclass
class Target:
    printed: str                 # "75%", "4 / 7", "Below 20"
    value: Decimal | None = None
    unit: str | None = None      # "percent", "count", "ratio"
    denominator: Decimal | None = None   # for ratios "4 / 7"
    due: str | None = None       # "Mar 2017" as printed
    due_date: dt.date | None = None


@dataclass
class Kpi:
    ref: str                     # "5a"
    measure: str
    owner: str | None = None
    frequency: str | None = None
    baseline: str | None = None
    targets: list[Target] = field(default_factory=list)
    source: Source = field(default_factory=Source)


@dataclass
class Action:
    ref: str                     # "1.2.4" (or "1.2" for a sub-heading action)
    text: str
    kpi_refs: list[str] = field(default_factory=list)   # as printed, split ("6a", "6b")
    due: str | None = None       # as printed ("Jan 2017", "Report quarterly")
    due_date: dt.date | None = None
    lead: str | None = None
    parent_ref: str | None = None
    source: Source = field(default_factory=Source)


@dataclass
class Theme:
    number: str
    title: str
    outcome_statement: str | None = None
    actions: list[Action] = field(default_factory=list)
    source: Source = field(default_factory=Source)


@dataclass
class RagStatus:
    label: str                   # "RED"
    description: str
    order: int


@dataclass
class ImprovementPlan:
    framework: Framework         # always IMPROVEMENT_PLAN
    authority_name: str
    title: str
    issued: dt.date | None       # first of the month printed ("September 2016")
    version: str | None
    period: str | None           # "2016 - 2017"
    responds_to_month: dt.date | None    # month of the inspection it answers
    themes: list[Theme] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    rag_scheme: list[RagStatus] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- official spreadsheets


@dataclass
class TableInspection:
    """One inspection read from a row of an official outcomes spreadsheet."""

    authority_name: str
    gss_code: str | None
    kind: InspectionKind
    framework: Framework
    start: dt.date | None
    end: dt.date | None
    published: dt.date | None
    judgements: list[Judgement] = field(default_factory=list)
    source: Source = field(default_factory=Source)


@dataclass
class OutcomesTable:
    framework: Framework         # always OUTCOMES_TABLE
    title: str
    inspections: list[TableInspection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


Parsed = Report | ImprovementPlan | OutcomesTable


@dataclass(frozen=True)
class DocumentHints:
    """What is known about a document from outside it, handed to ``prepare.prepare``: the date
    a publisher's listing gives it (used only when the document prints none) and where it was
    listed and downloaded (kept as provenance)."""

    listed_published: dt.date | None = None
    listed_on: str | None = None        # URL of the page that lists the document and that date
    downloaded_from: str | None = None  # URL the file was fetched from


class IngestError(Exception):
    """A document that cannot be ingested; the message is one line a person understands."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnclassifiedDocument(IngestError):
    """No framework's evidence matched this document."""


class UnknownAuthority(IngestError):
    """A printed authority name that the register does not know."""
