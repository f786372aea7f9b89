"""Registry ``Framework -> parser``. A new framework is one new module plus one line here.

Every parser is ``parse(doc: Document) -> Report | ImprovementPlan | OutcomesTable`` and raises
``IngestError`` (never anything else) for a document it cannot read.
"""
from __future__ import annotations

import importlib
from typing import Callable

from ..model import Document, Framework, IngestError, Parsed

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
    return parser(doc)
