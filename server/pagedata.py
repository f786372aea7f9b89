"""What the pages for people (inspection, judgement, recommendation, plan, document) share:
rows of a server query about one entity as plain strings, dates in words, and the page kind an
entity's types ask for.
"""
from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from core.vocab import OFS

from .store import get_service


class Row(dict):
    """A result row whose unbound variables read as empty strings (in templates too)."""

    def __missing__(self, key: str) -> str:
        return ""


def rows(name: str, iri: str, variable: str = "this") -> list[dict[str, str]]:
    """Rows of server query ``name`` with ``?this`` (or ``variable``) bound to ``iri``, each a
    :class:`Row` of variable -> the term's value (unbound variables read as "").

    :param name: a query of ``server/queries/``
    :param iri: the entity's IRI
    """
    found = get_service().select(name, **{variable: ox.NamedNode(iri)})
    return [Row({k: v["value"] for k, v in row.items()}) for row in found]


def first(name: str, iri: str) -> dict[str, str]:
    """The first row of server query ``name`` about ``iri`` (an empty dict when none)."""
    found = rows(name, iri)
    return found[0] if found else Row()


def date_words(value: str | None) -> str:
    """``2019-03-12`` -> ``12 March 2019``; ``2017-06`` -> ``June 2017``; others unchanged."""
    if not value:
        return ""
    for fmt, out in (("%Y-%m-%d", "%-d %B %Y"), ("%Y-%m", "%B %Y")):
        try:
            return dt.datetime.strptime(value[:10], fmt).strftime(out)
        except ValueError:
            continue
    return value


def number_key(text: str) -> tuple:
    """Sort key for printed numbers and refs (``2``, ``10``, ``1.2.3``, ``17a``)."""
    parts = []
    for piece in text.replace("-", ".").split("."):
        digits = "".join(c for c in piece if c.isdigit())
        parts.append((int(digits) if digits else 0, piece))
    return tuple(parts)


#: page kinds by the class that asks for them, most specific first: a report is typed
#: ofs:Inspection as well (by inference), so the document kind is tried before the inspection
KINDS = (("document", OFS + "SourceDocument"), ("judgement", OFS + "Judgement"),
         ("recommendation", OFS + "Recommendation"), ("plan", OFS + "ImprovementPlan"),
         ("inspection", OFS + "Inspection"))


def page_kind(types: list[dict]) -> str | None:
    """The page kind for an entity with these ``rdf:type`` values (:func:`resources.summarise`)."""
    found = {t["term"]["value"] for t in types}
    return next((kind for kind, cls in KINDS if cls in found), None)
