"""The lists on entity pages as tables: what links to the entity, sortable, filterable,
faceted and paged with the same parameters as the canned-query tables (:mod:`server.tables`).
"""
from __future__ import annotations

from flask import current_app, request

from .errors import Problem
from .queryrender import table_cells
from .tablelinks import table_links
from .tables import TableError, apply, parse_request

COLUMNS = ["subject", "via"]
LABELS = {"subject": "Subject", "via": "Via"}


def incoming_table(incoming: list[dict]) -> dict | None:
    """The "Linked from" rows of an entity page (:func:`server.resources.summarise`) as a table
    page at the request's table parameters; None when nothing links to the entity.

    :raise Problem: 400 for a table parameter that does not fit.
    """
    if not incoming:
        return None
    curie = current_app.jinja_env.filters["curie"]
    rows = []
    for r in incoming:
        row = {"subject": {"type": "literal", "value": r["slabel"] or r["s"]["value"]},
               "via": {"type": "literal", "value": r["plabel"] or curie(r["p"])},
               "via_iri": {"type": "uri", "value": r["p"]}}
        if r["s"]["type"] == "uri":
            row["subject_iri"] = r["s"]
        rows.append(row)
    config = current_app.config
    try:
        wanted = parse_request(request.args, COLUMNS, set(), config["TABLE_PAGE_SIZE"], config["TABLE_MAX_SIZE"])
    except TableError as exc:
        raise Problem(400, str(exc)) from None
    found = apply(rows, COLUMNS, wanted)
    links = table_links(found, (request.endpoint, request.view_args or {}), request.args, LABELS, set(COLUMNS))
    rows, body = table_cells(found)
    return {"table": {"columns": found.columns, "found": found, "rows": rows, "body": body},
            "links": links}
