"""``/doc/document/...`` for people: what a source document is, where it came from (its
source URL and SHA-256), which inspection or plan it reports, what was extracted from it and
its validation notes. Every statement stays in a collapsed section and in the RDF twins
(:mod:`server.resources`).
"""
from __future__ import annotations

from flask import render_template

from .pagedata import date_words, first, rows
from .wording import framework_name


def what_it_is(profile: dict) -> str:
    """The kind of document in words."""
    if profile.get("spreadsheet") == "true":
        return "Ofsted's outcomes spreadsheet"
    if profile.get("plan_document") == "true":
        return "A council's improvement plan"
    framework = framework_name(profile.get("framework", ""))
    return f"Ofsted report or letter ({framework})" if framework else "Ofsted report or letter"


def notes(iri: str) -> dict:
    """The parser's warnings, whether SHACL validation passed, and its results."""
    found = rows("document-notes", iri)
    verdicts = {r["conforms"] for r in found if r.get("kind") == "validation"}
    return {"warnings": [r["note"] for r in found if r.get("kind") == "parser"],
            "shacl": [r["note"] for r in found if r.get("kind") == "shacl"],
            "conforms": None if not verdicts else verdicts == {"true"}}


def document_page(iri: str, page: dict, alternates: list[dict]) -> str:
    """The HTML of a source document's page.

    :param iri: the document's IRI
    :param page: the generic summary of its statements, shown collapsed at the end
    :param alternates: its RDF twins
    :return: the page's HTML
    """
    profile = first("document-profile", iri)
    context = {"profile": profile, "kind": what_it_is(profile),
               "issued_words": date_words(profile.get("issued")),
               "until_words": date_words(profile.get("records_until")),
               "reports": rows("document-reports", iri), "contents": rows("document-contents", iri),
               "listed": [dict(r, framework_words=framework_name(r["framework"]), first=date_words(r["first"]),
                               last=date_words(r["last"]))
                          for r in rows("document-listed", iri)] if profile.get("spreadsheet") == "true" else [],
               "notes": notes(iri)}
    return render_template("document.html", page=page, alternates=alternates, iri=iri, **context)
