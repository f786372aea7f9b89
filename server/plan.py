"""``/doc/plan/...`` for people: an improvement plan's authority and the inspection it responds
to, its actions by theme (due dates, leads, the KPIs measuring them) and its KPIs with their
targets. Every statement stays in a collapsed section and in the RDF twins
(:mod:`server.resources`).
"""
from __future__ import annotations

from flask import render_template

from .pagedata import date_words, first, number_key, rows


def themes(iri: str) -> list[dict]:
    """The plan's actions grouped by theme, both in the plan's numbering."""
    groups: dict[str, dict] = {}
    for r in sorted(rows("plan-actions", iri), key=lambda r: (number_key(r["theme_ref"]), number_key(r["ref"]))):
        r["kpis"] = ", ".join(sorted((k for k in r["kpis"].split(", ") if k), key=number_key))
        key = r["theme_ref"] or r["theme"]
        groups.setdefault(key, {"ref": r["theme_ref"], "title": r["theme"], "actions": []})["actions"].append(r)
    return list(groups.values())


def plan_page(iri: str, page: dict, alternates: list[dict]) -> str:
    """The HTML of an improvement plan's page.

    :param iri: the plan's IRI
    :param page: the generic summary of its statements, shown collapsed at the end
    :param alternates: its RDF twins
    :return: the page's HTML
    """
    profile = first("plan-profile", iri)
    kpis = sorted(rows("plan-kpis", iri), key=lambda r: number_key(r["ref"]))
    return render_template("plan.html", page=page, alternates=alternates, iri=iri, profile=profile,
                           issued_words=date_words(profile.get("issued")), themes=themes(iri), kpis=kpis)
