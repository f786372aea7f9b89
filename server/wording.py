"""Words for people instead of codes: column headings, framework names, inspection kinds.

One table per kind of code; anything not listed falls back to a readable form of the code.
"""
from __future__ import annotations

import ontology

#: column headings that are not just the variable name with spaces
COLUMNS = {
    "gss_code": "GSS code", "lscb": "LSCB", "la": "Authority", "iri": "IRI",
    "inspection_kind": "Kind", "inspection_start": "Inspection start", "inspection_end": "Inspection end",
    "published": "Published", "kpi": "KPI", "kpis": "KPIs", "url": "URL", "n": "Number",
    "per_10000": "Per 10,000", "rate_per_10000": "Rate per 10,000",
}

#: framework notations as people say them (plus the LSCB review, shown as a framework)
#: (``skos:altLabel`` of the framework concepts in ``ontology/concepts.ttl``, where each
#: framework module's declared name is checked against its concept)
FRAMEWORKS = {**ontology.framework_names(), "lscb": "Review of the LSCB, 2013-18"}

#: inspection kinds as people say them
KINDS = {
    "slac": "Safeguarding and looked after children", "lac": "Looked after children",
    "cpi": "Child protection", "sif": "Single inspection", "sif-reinspection": "SIF re-inspection",
    "ilacs-standard": "ILACS standard inspection", "ilacs-short": "ILACS short inspection",
    "focused-visit": "Focused visit", "monitoring-visit": "Monitoring visit",
}

#: columns whose codes are shown in words (the code stays in the cell's title, CSV and JSON)
WORDED_COLUMNS = {"framework": FRAMEWORKS, "inspection_kind": KINDS, "kind": KINDS,
                  "detail": FRAMEWORKS, "any_framework": FRAMEWORKS}


def column_label(name: str) -> str:
    """``gss_code`` -> ``GSS code``; ``care_leavers_grade`` -> ``Care leavers grade``."""
    if name in COLUMNS:
        return COLUMNS[name]
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def in_words(column: str, code: str) -> str | None:
    """The words for ``code`` in ``column`` (e.g. ``framework`` ``sif``), or None."""
    table = WORDED_COLUMNS.get(column)
    return table.get(code) if table else None


def framework_name(notation: str) -> str:
    """``sif`` -> ``Single inspection framework, 2013-18`` (unknown notations unchanged)."""
    return FRAMEWORKS.get(notation, notation)
