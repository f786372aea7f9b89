"""The 2009-13 child protection inspections (CPI) and re-inspections (CPRI), known only from
Ofsted's outcome tables: no report of them is parsed, so this module declares no cover and no
parser, only the framework, its one area, its grade scale and its spreadsheet columns."""
from __future__ import annotations

import re

from ..model import Framework, InspectionKind
from .spec import SLAC_2009_SCALE, FrameworkSpec, TableGroup

FRAMEWORK = Framework("cpi")

SPECS = (FrameworkSpec(
    FRAMEWORK, "Child protection inspection, 2012-13", order=90,
    areas=("child-protection/overall-effectiveness",), scale=SLAC_2009_SCALE,
    kinds={InspectionKind.CPI: "CPIInspection"},
    table_groups=(
        TableGroup(re.compile(r"\bcpri\b|child protection re-?inspection"), "cpri", InspectionKind.CPI,
                   "child-protection/overall-effectiveness"),
        TableGroup(re.compile(r"\bcpi\b|child protection inspection"), "cpi", InspectionKind.CPI,
                   "child-protection/overall-effectiveness"),
    ), table_order=20),
)
