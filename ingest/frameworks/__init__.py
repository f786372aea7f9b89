"""The framework registry: every module of this package that declares ``SPECS`` (a tuple of
``spec.FrameworkSpec``) is found and collected into one listable dict ``Framework -> spec``.

A new framework is one new module here plus its concepts in ``ontology/concepts.ttl``; nothing
else names it. Modules are imported on first use, one by one, so that one broken parser cannot
stop the rest: its import error is kept in ``broken()`` and its documents go unclassified.

Every parser is ``parse(doc: Document) -> Report | ImprovementPlan | OutcomesTable`` and raises
``IngestError`` (never anything else) for a document it cannot read.
"""
from __future__ import annotations

import datetime as dt
import functools
import importlib
import pkgutil
from typing import Callable

from ..model import Document, Framework, ImprovementPlan, IngestError, InspectionKind, Parsed, Report
from ..patterns import ImpossibleDate
from .spec import FrameworkSpec, TableGroup

_BROKEN: dict[str, str] = {}


@functools.cache
def specs() -> dict[Framework, FrameworkSpec]:
    """Every declared framework of this package, in classification order (``spec.order``, then
    notation).

    :return: a dict ``Framework -> FrameworkSpec`` (do not mutate).
    """
    found, failed = discover(__name__, __path__)
    _BROKEN.update(failed)
    return {s.framework: s for s in sorted(found, key=lambda s: (s.order, s.notation))}


def discover(package: str, path: list[str]) -> tuple[list[FrameworkSpec], dict[str, str]]:
    """Import every module of a package, one by one, and collect the ``SPECS`` they declare.

    :param package: the package's dotted name.
    :param path: its ``__path__``.
    :return: the specs found, and module name -> error for each module that failed to import.
    """
    found: list[FrameworkSpec] = []
    failed: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(path), key=lambda i: i.name):
        try:
            module = importlib.import_module(f"{package}.{info.name}")
        except Exception as exc:    # noqa: BLE001 - a broken parser must not stop the others
            failed[info.name] = f"{type(exc).__name__}: {exc}"
            continue
        found.extend(getattr(module, "SPECS", ()))
    return found, failed


def broken() -> dict[str, str]:
    """Framework modules that failed to import: module name -> the error."""
    specs()
    return dict(_BROKEN)


def spec_for(framework: Framework) -> FrameworkSpec | None:
    """The spec that declares ``framework``, or None."""
    return specs().get(framework)


def grade_scale(framework: Framework) -> str | None:
    """The notation of the grade scale a framework's judgements use (None: ungraded)."""
    spec = spec_for(framework)
    return spec.scale.notation if spec and spec.scale else None


def grade_scales() -> dict[Framework, str]:
    """Framework -> grade scale notation, for every graded framework."""
    return {f: s.scale.notation for f, s in specs().items() if s.scale}


def inspection_class(kind: InspectionKind) -> str:
    """The ``ofs:`` class of an inspection kind, as the framework declaring the kind says.

    :raise KeyError: for a kind no framework declares.
    """
    for s in specs().values():
        if kind in s.kinds:
            return s.kinds[kind]
    raise KeyError(kind)


def document_class(framework: Framework) -> str:
    """The ``ofs:`` class of a framework's documents."""
    spec = spec_for(framework)
    return spec.document_class if spec else "InspectionReport"


def publisher(framework: Framework) -> str:
    """Who publishes a framework's documents."""
    spec = spec_for(framework)
    return spec.publisher if spec else "Ofsted"


def table_groups() -> tuple[tuple[FrameworkSpec, TableGroup], ...]:
    """Every framework's column groups of the wide outcome sheets, in declared order."""
    return tuple((s, g) for s in sorted(specs().values(), key=lambda s: s.table_order)
                 for g in s.table_groups)


def parser_for(framework: Framework) -> Callable[[Document], Parsed]:
    """The parse function a framework declares.

    :raise KeyError: when no framework module declares ``framework`` or it has no parser.
    """
    spec = specs()[framework]
    if spec.parse is None:
        raise KeyError(framework)
    return spec.parse


def parse(doc: Document, framework: Framework) -> Parsed:
    """Parse a classified document with its framework's parser, and check its dates.

    :raise IngestError: no parser for the framework, an impossible or future date, or whatever
        the parser refuses.
    """
    try:
        parser = parser_for(framework)
    except KeyError:
        raise IngestError(doc.path, f"no parser for the {framework.value} framework yet") from None
    try:
        parsed = parser(doc)
    except ImpossibleDate as exc:
        raise IngestError(doc.path, f"printed date {exc.printed!r} is no date") from None
    if isinstance(parsed, (Report, ImprovementPlan)):
        check_dates(doc, parsed)
    return parsed


def check_dates(doc: Document, report: Report | ImprovementPlan, today: dt.date | None = None) -> None:
    """Refuse a report or plan that dates itself after today (a date is a fact, not a forecast).

    :param today: the day to compare with (default: today's date).
    :raise IngestError: naming the date and what it dates.
    """
    today = today or dt.date.today()
    if isinstance(report, ImprovementPlan):
        dates = (("plan issue", report.issued),)
    else:
        dates = (("inspection start", report.start), ("inspection end", report.end),
                 ("publication", report.published))
    for name, value in dates:
        if value is not None and value > today:
            raise IngestError(doc.path, f"{name} date {value.isoformat()} is after today "
                                        f"({today.isoformat()})")
