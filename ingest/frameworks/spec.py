"""``FrameworkSpec``: what a framework module declares about itself, in one frozen object.

A framework module sets ``SPECS = (FrameworkSpec(...), ...)``; the registry
(``ingest/frameworks/__init__.py``) collects them. The classifier asks each spec's ``recognise``
in ``order``; the parser is the spec's ``parse``; mapping reads the grade scale, the inspection
kinds' classes and the document class; the outcomes-table parser reads the spreadsheet column
groups; the registry test checks every area, grade and kind against ``ontology/``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ..model import Document, Framework, InspectionKind, Parsed

#: how many blocks from the top count as the cover
COVER_BLOCKS = 40

#: a cover recogniser: (document, its cover text) -> the evidence that decided it, or None
Recognise = Callable[[Document, str], "str | None"]


@dataclass(frozen=True)
class GradeScale:
    """A grade scale: its concept scheme's notation and its grade keys, best first."""

    notation: str
    grades: tuple[str, ...]

    @property
    def middle(self) -> str:
        """The third grade (adequate, requires improvement [to be good]): the one Ofsted's
        outcome tables print as "Requires improvement to be good" whatever the scale."""
        return self.grades[2]


SLAC_2009_SCALE = GradeScale("slac-2009", ("outstanding", "good", "adequate", "inadequate"))
SIF_SCALE = GradeScale("sif", ("outstanding", "good", "requires-improvement", "inadequate"))
ILACS_SCALE = GradeScale("ilacs", ("outstanding", "good", "requires-improvement-to-be-good", "inadequate"))


@dataclass(frozen=True)
class TableGroup:
    """A block of columns in Ofsted's wide outcome sheets that holds one inspection of this
    framework per authority (e.g. the "TLAC" columns), recognised by its header prefix.

    ``kind`` None: the group's own inspection-type column decides; ``framework_from_columns``:
    the framework is decided from the columns filled (ILACS 2018/2023/2026).
    """

    header: re.Pattern[str]
    key: str
    kind: InspectionKind | None
    overall_area: str                  # the area of a bare "overall effectiveness" column
    framework_from_columns: bool = False


@dataclass(frozen=True)
class FrameworkSpec:
    """One framework, as its module declares it.

    :param framework: its notation (the concept ``fw:<notation>`` in ``ontology/concepts.ttl``).
    :param name: its name as people say it ("Single inspection framework, 2013-18").
    :param order: when the classifier asks it (lower first); ties go by notation.
    :param recognise: the cover test (None: known from spreadsheets only, never classified).
    :param parse: ``Document -> Report | ImprovementPlan | OutcomesTable`` (None: no documents).
    :param areas: the judgement-area notations it grades (``area:`` concepts).
    :param scale: its grade scale (None: ungraded).
    :param kinds: inspection kind -> the OWL class of such inspections (``ofs:`` local name).
    :param table_groups: its column groups in the wide outcome sheets, first match wins.
    :param table_order: when its column groups are tried (lower first; the sheets' order).
    :param document_class: the ``ofs:`` class of its documents.
    :param publisher: who publishes its documents.
    """

    framework: Framework
    name: str
    order: int
    recognise: Recognise | None = None
    parse: Callable[[Document], Parsed] | None = None
    areas: tuple[str, ...] = ()
    scale: GradeScale | None = None
    kinds: dict[InspectionKind, str] = field(default_factory=dict, hash=False)
    table_groups: tuple[TableGroup, ...] = ()
    table_order: int = 0
    document_class: str = "InspectionReport"
    publisher: str = "Ofsted"

    @property
    def notation(self) -> str:
        """The framework's notation as a plain string."""
        return self.framework.value


def cover_text(doc: Document) -> str:
    """The text of a document's cover: its first ``COVER_BLOCKS`` blocks, one per line."""
    return "\n".join(b.text for b in doc.blocks[:COVER_BLOCKS])


def title_rule(pattern: re.Pattern[str]) -> Recognise:
    """A recogniser that accepts a cover on which ``pattern`` matches.

    :return: a function giving the evidence ``title '<matched text>'``, or None.
    """
    def recognise(doc: Document, cover: str) -> str | None:
        m = pattern.search(cover)
        return f"title {m.group(0)!r}" if m else None
    return recognise
