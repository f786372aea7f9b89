"""What the mappers ask of a framework: its document class, publisher, grade scale and the
OWL class of each inspection kind."""
from __future__ import annotations

from ..model import Framework, InspectionKind

#: which grade scale each framework's judgements use
GRADE_SCALE = {
    Framework.SLAC_2009: "slac-2009", Framework.LAC_2013: "slac-2009", Framework.SIF: "sif",
    Framework.ILACS_2018: "ilacs", Framework.ILACS_2023: "ilacs", Framework.ILACS_2026: "ilacs",
}
INSPECTION_CLASS = {
    InspectionKind.SLAC: "SLACInspection", InspectionKind.LAC: "LACInspection",
    InspectionKind.SIF: "SIFInspection", InspectionKind.SIF_REINSPECTION: "SIFReinspection",
    InspectionKind.LSCB_REVIEW: "LSCBReview",
    InspectionKind.CPI: "CPIInspection", InspectionKind.ILACS_STANDARD: "ILACSStandardInspection",
    InspectionKind.ILACS_SHORT: "ILACSShortInspection", InspectionKind.FOCUSED_VISIT: "FocusedVisit",
    InspectionKind.MONITORING_VISIT: "MonitoringVisit", InspectionKind.JTAI: "JTAI",
}
DOCUMENT_CLASS = {
    Framework.FOCUSED_VISIT: "VisitLetter", Framework.MONITORING_VISIT: "VisitLetter",
    Framework.IMPROVEMENT_PLAN: "PlanDocument", Framework.OUTCOMES_TABLE: "OutcomesSpreadsheet",
}


def grade_scale(framework: Framework) -> str | None:
    return GRADE_SCALE.get(framework)


def inspection_class(kind: InspectionKind) -> str:
    return INSPECTION_CLASS[kind]


def document_class(framework: Framework) -> str:
    return DOCUMENT_CLASS.get(framework, "InspectionReport")


def publisher(framework: Framework) -> str:
    return "the local authority" if framework is Framework.IMPROVEMENT_PLAN else "Ofsted"
