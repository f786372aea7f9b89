"""``/doc/inspection/.../judgement/...`` for people: the judgement's inspection, area and grade,
and every source with the grade it printed. Every statement stays in a collapsed section and in
the RDF twins (:mod:`server.resources`).
"""
from __future__ import annotations

from flask import render_template

from . import inspection


def judgement_page(iri: str, page: dict, alternates: list[dict]) -> str:
    """The HTML of a judgement's page.

    :param iri: the judgement's IRI
    :param page: the generic summary of its statements, shown collapsed at the end
    :param alternates: its RDF twins
    :return: the page's HTML
    """
    of, about = inspection.owner("judgement-inspection", iri)
    found = next((j for j in inspection.judgements(of, about.get("published", "")) if j["judgement"] == iri), None) if of else None
    return render_template("judgement.html", page=page, alternates=alternates, iri=iri,
                           profile=about, inspection_iri=of, judgement=found)
