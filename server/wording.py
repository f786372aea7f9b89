"""Words for people instead of codes: column headings, framework names, inspection kinds.

One table per kind of code; anything not listed falls back to a readable form of the code.
"""
from __future__ import annotations

import pyoxigraph as ox

import ontology
from core import vocab

#: column headings that are not just the variable name with spaces
COLUMNS = {
    "gss_code": "GSS code", "lscb": "LSCB", "la": "Authority", "iri": "IRI",
    "inspection_kind": "Kind", "inspection_start": "Inspection start", "inspection_end": "Inspection end",
    "published": "Published", "kpi": "KPI", "kpis": "KPIs", "url": "URL", "n": "Number",
    "per_10000": "Per 10,000", "rate_per_10000": "Rate per 10,000",
}

NS_SKOS = vocab.SKOS
FRAMEWORK_NS = vocab.FRAMEWORK


def _framework_names() -> dict[str, str]:
    """Framework notation -> the name people say (``skos:altLabel`` of the framework concepts in
    ``ontology/concepts.ttl``, where each framework module's name is declared with its concept)."""
    names = {}
    notation, alt = NS_SKOS + "notation", NS_SKOS + "altLabel"
    quads = list(ox.parse(path=str(ontology.HERE / "concepts.ttl"), format=ox.RdfFormat.TURTLE))
    labels = {q.subject: q.object.value for q in quads if q.predicate.value == alt}
    for q in quads:
        if q.predicate.value == notation and q.subject.value.startswith(FRAMEWORK_NS) and q.subject in labels:
            names[q.object.value] = labels[q.subject]
    return names


#: framework notations as people say them (plus the LSCB review, shown as a framework)
FRAMEWORKS = {**_framework_names(), "lscb": "Review of the LSCB, 2013-18"}

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
