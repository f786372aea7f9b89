"""Map a parsed document to RDF: ``Report | ImprovementPlan | OutcomesTable`` -> ``Mapped``.

One rdflib ``Graph`` per source document; its IRI (``iris.document``) names the graph in the
store. Every fact carries its provenance: ``prov:wasDerivedFrom`` the document plus the block,
printed paragraph, page, or sheet and row it was read from. Terms come from ``ontology/``;
IRIs only from ``iris``. The parts live in ``mapping_report``, ``mapping_plan`` and
``mapping_table``; what they share in ``graphbuild``.
"""
from __future__ import annotations

from core.authorities import Register
from .graphbuild import AREA, FW, GRADE, NF, OFS, ORG, QB, ROLE, Mapped  # noqa: F401 (the vocabulary's home for now)
from .mapping_plan import map_plan
from .mapping_report import map_report
from .mapping_table import map_table
from .model import ImprovementPlan, OutcomesTable, Parsed, RawDocument, Report

#: framework -> grade scale notation (as the framework modules declare)

__all__ = ["AREA", "FW", "GRADE", "NF", "OFS", "ORG", "QB", "ROLE", "Mapped", "map_parsed",
           "map_plan", "map_report", "map_table"]


def map_parsed(parsed: Parsed, raw: RawDocument, register: Register) -> Mapped:
    """The graph of a parsed document, by what the parser returned.

    :raise TypeError: for anything that is not a report, plan or outcomes table.
    """
    if isinstance(parsed, Report):
        return map_report(parsed, raw, register)
    if isinstance(parsed, ImprovementPlan):
        return map_plan(parsed, raw, register)
    if isinstance(parsed, OutcomesTable):
        return map_table(parsed, raw, register)
    raise TypeError(f"cannot map {type(parsed).__name__}")
