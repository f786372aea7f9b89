"""Registry ``Framework -> parser``. A new framework is one new module plus one line here.

Every parser is ``parse(doc: Document) -> Report | ImprovementPlan | OutcomesTable`` and raises
``IngestError`` (never anything else) for a document it cannot read.
"""
from __future__ import annotations

import datetime as dt
import importlib
from typing import Callable

from ..model import Document, Framework, ImprovementPlan, IngestError, Parsed, Report
from ..patterns import ImpossibleDate

#: framework -> "module:function" (imported on first use so one broken parser cannot stop the rest)
PARSERS: dict[Framework, str] = {
    Framework.SLAC_2009: "slac_2009:parse",
    Framework.SIF: "sif:parse",
    Framework.ILACS_2018: "ilacs:parse",
    Framework.ILACS_2023: "ilacs:parse",
    Framework.ILACS_2026: "ilacs:parse",
    Framework.FOCUSED_VISIT: "visit:parse",
    Framework.MONITORING_VISIT: "visit:parse",
    Framework.LAC_2013: "lac_2013:parse",
    Framework.IMPROVEMENT_PLAN: "improvement_plan:parse",
    Framework.OUTCOMES_TABLE: "outcomes_table:parse",
}


def parser_for(framework: Framework) -> Callable[[Document], Parsed]:
    module_name, func = PARSERS[framework].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, func)


def parse(doc: Document, framework: Framework) -> Parsed:
    try:
        parser = parser_for(framework)
    except (KeyError, ModuleNotFoundError):
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
