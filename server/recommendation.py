"""``/doc/inspection/.../recommendation/...`` for people: the recommendation's text and theme,
its inspection, and its place among the inspection's recommendations to the same addressee.
Every statement stays in a collapsed section and in the RDF twins (:mod:`server.resources`).
"""
from __future__ import annotations

from flask import render_template

from . import inspection


def place(iri: str, recommendations: list[dict]) -> dict | None:
    """This recommendation among those to the same addressee (in printed order): its position,
    how many there are, and its neighbours before and after.

    :param recommendations: the inspection's, as :func:`server.inspection.recommendations` orders them
    """
    this = next((r for r in recommendations if r["recommendation"] == iri), None)
    if this is None:
        return None
    group = [r for r in recommendations if r.get("addressee_iri") == this.get("addressee_iri")]
    n = group.index(this)
    return {"this": this, "position": n + 1, "of": len(group),
            "previous": group[n - 1] if n else None, "next": group[n + 1] if n + 1 < len(group) else None}


def recommendation_page(iri: str, page: dict, alternates: list[dict]) -> str:
    """The HTML of a recommendation's page.

    :param iri: the recommendation's IRI
    :param page: the generic summary of its statements, shown collapsed at the end
    :param alternates: its RDF twins
    :return: the page's HTML
    """
    of, about = inspection.owner("recommendation-inspection", iri)
    found = place(iri, inspection.recommendations(of)) if of else None
    return render_template("recommendation.html", page=page, alternates=alternates, iri=iri,
                           profile=about, inspection_iri=of, place=found)
