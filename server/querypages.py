"""``/queries/<name>``: canned queries as pages (form, table, chart) with ``.json`` and ``.csv`` twins.

The SPARQL is the canned query's own text; request values reach it only as typed substitutions
(:meth:`queries.CannedQuery.bindings`). A column ``<col>_iri`` holding an IRI turns the ``<col>``
cell into a link in HTML (list it under ``hide`` in the toml); CSV and JSON keep it.
"""
from __future__ import annotations

import csv
import io
import json
from importlib.metadata import version as _version

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for

from ingest.flat import full_text
from queries import GRADE_RANKS, CannedQuery, ParameterError, get, load_all

from . import cache, render, tables
from .charts import chart_for
from .englandmap import england_map
from .errors import Problem
from .store import get_service, not_modified
from .tablelinks import table_links, twin
from .wording import column_label, in_words
from .worker import Job, Outcome

bp = Blueprint("queries", __name__)
VERSION = _version("ofsted-kg")

GRADE_CHOICES = ("Outstanding", "Good", "Requires improvement", "Adequate", "Inadequate")
NUMERIC = {"integer", "decimal", "double", "float", "long", "int", "short", "nonNegativeInteger"}
XSD = "http://www.w3.org/2001/XMLSchema#"
LINK_TEXT_MAX = 32       # longer paths of our IRIs are shown as the column's name


def grade_rank(text: str) -> int | None:
    """The rank (1-4) of a grade word such as ``Requires improvement to be good``, else None."""
    key = " ".join(str(text).lower().replace("-", " ").split())
    return GRADE_RANKS.get(key)


def run_raw(query: CannedQuery, bindings: dict, drop: tuple[str, ...] = ()) -> Outcome:
    """Evaluate ``query`` with typed ``bindings`` in the worker pool, as SPARQL JSON.

    :param drop: variables the worker leaves out of the result.
    :raise Problem: 500 when the engine fails (our query text is at fault, not the client).
    """
    outcome = get_service().run(_job(query, bindings, drop))
    if outcome.status != "ok":
        current_app.logger.error("canned query %s failed: %s", query.name, outcome.message)
        raise Problem(500, f"the canned query {query.name} failed: {outcome.message}")
    return outcome


def _job(query: CannedQuery, bindings: dict, drop: tuple[str, ...] = ()) -> Job:
    # a remote store has no flat graph: it answers the full query the flat rows come from
    text = (full_text(query.name) or query.sparql) if get_service().remote else query.sparql
    return Job(text, format="json", substitutions={v.value: t for v, t in bindings.items()},
               limit=current_app.config["RESULT_LIMIT"], drop_columns=drop)


def run(query: CannedQuery, bindings: dict) -> tuple[list[str], list[dict], bool]:
    """Evaluate ``query`` with typed ``bindings`` in the worker pool, once per store stamp.

    The decoded rows are kept (:class:`server.tables.RowsCache`) while the store is unchanged,
    so sorting, filtering, faceting and paging them never runs the engine again. Callers must
    not change the rows they get.

    :return: the projected variables, rows of variable -> term-JSON, and whether rows were cut.
    :raise Problem: 500 when the engine fails (our query text is at fault, not the client).
    """
    service = get_service()
    rows_cache = current_app.extensions.get("ofsted_kg_rows")
    if rows_cache is None:
        rows_cache = current_app.extensions.setdefault(
            "ofsted_kg_rows", tables.RowsCache(service.cache.max_bytes))
    job = _job(query, bindings)
    stamp, key = service.stamp(), cache.job_key(job)
    found = rows_cache.get(stamp, key)
    if found is not None:
        return found
    outcome = run_raw(query, bindings)
    found = (*tables.decode(outcome.body), outcome.truncated)
    rows_cache.put(stamp, key, found, len(outcome.body))
    return found


def dropped_columns(query: CannedQuery) -> tuple[str, ...]:
    """Variables kept out of CSV and JSON: parameters, and hidden columns other than ``_iri`` links."""
    return tuple(sorted({p.name for p in query.params}
                        | {c for c in query.hidden_columns if not c.endswith("_iri")}))


def data_columns(query: CannedQuery, variables: list[str]) -> list[str]:
    """Columns for CSV and JSON: the visible ones plus their ``_iri`` link columns."""
    drop = set(dropped_columns(query))
    return [v for v in variables if v not in drop]


def cell(term: dict | None, link: dict | None = None, column: str = "") -> dict:
    """What the HTML table shows for one term: text, optional href, CSS class; codes in
    columns such as ``framework`` are shown in words, with the code as the cell's title."""
    if term is None:
        return {"text": "", "cls": "empty"}
    value = term["value"]
    words = in_words(column, value) if term["type"] == "literal" else None
    if words:
        return {"text": words, "title": value, "cls": "", "plain_title": True}
    if term["type"] == "uri":
        href = current_app.jinja_env.filters["href"](value)
        base = current_app.config["BASE_IRI"] + "id/"
        text = short_path(value[len(base):]) if value.startswith(base) else current_app.jinja_env.filters["curie"](value)
        if len(text) > LINK_TEXT_MAX:         # a long path says nothing to people: name the column
            text = f"{column_label(column) if column else 'Open'} ›"
        return {"text": text, "href": href, "title": value, "cls": "iri"}
    out = {"text": value, "cls": ""}
    if link and link.get("type") == "uri":
        out["href"] = current_app.jinja_env.filters["href"](link["value"])
        out["title"] = link["value"]
    datatype = term.get("datatype", "")
    if datatype.startswith(XSD) and datatype[len(XSD):] in NUMERIC:
        out["cls"] = "num"
    elif datatype in (XSD + "date", XSD + "dateTime", XSD + "gYear"):
        out["cls"] = "date"
    rank = grade_rank(value) if len(value) < 40 else None
    if rank:
        out["grade"] = rank
    return out


def short_path(path: str) -> str:
    """A link's text for one of our IRIs: its path after the authority's GSS code
    (``inspection/E06000022/sif/2017-04-24`` -> ``sif 2017-04-24``), else the whole path."""
    parts = path.split("/")
    for i, part in enumerate(parts[:-1]):
        if len(part) == 9 and part[0] in "EWSN" and part[1:].isdigit():
            return " ".join(parts[i + 1:])
    return path


def form_fields(query: CannedQuery, values: dict, error: ParameterError | None) -> list[dict]:
    """The form's inputs: a select for enumerations and grades, text otherwise."""
    fields = []
    for p in query.params:
        choices = list(p.allowed) or (list(GRADE_CHOICES) if p.type == "grade" else [])
        fields.append({"name": p.name, "label": p.description, "type": p.type,
                       "words": {c: choice_words(p, c) for c in choices},
                       "value": values.get(p.name) or "", "default": choice_words(p, p.default or ""),
                       "example": p.example or "", "choices": choices, "required": p.required,
                       "error": error.message if error and error.param == p.name else None})
    return fields


def choice_words(p, code: str) -> str:
    """A parameter value as shown in its box: framework codes and area keys in words."""
    if not code:
        return ""
    if p.type == "area":
        return code.replace("-", " ").capitalize()
    return in_words("framework", code) or code if "framework" in p.name else code


def as_csv(columns: list[str], rows: list[dict]) -> bytes:
    """The rows as CSV, formula-like cells neutralised for spreadsheets (:func:`render.safe_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([render.safe_cell(row.get(c, {}).get("value", "")) for c in columns])
    return out.getvalue().encode("utf-8")


def as_json(query: CannedQuery, values: dict, result: bytes, truncated: bool,
            table: dict | None = None) -> bytes:
    """SPARQL 1.1 JSON results of the data columns, with the query and parameters used.

    ``result`` is the worker's compact SPARQL JSON without the dropped columns; the head gains
    a ``link`` to the query's page and a ``query`` member is added, by splicing bytes: the rows,
    which can run to megabytes, are not parsed again.
    """
    columns = render.json_vars(result)
    if columns is None:                   # not the layout the worker writes: rebuild it
        data = json.loads(result)
        result = render.solutions_json(data["head"]["vars"], data["results"]["bindings"])
        columns = data["head"]["vars"]
    head = {"vars": columns, "link": [url_for("queries.page", name=query.name)]}
    about = {"name": query.name, "title": query.title, "parameters": values, "truncated": truncated}
    if table is not None:
        about["table"] = table
    rest = result[result.index(b'},"results":') + 2:]
    return b"".join((b'{"head":', _compact(head), b',"query":', _compact(about), b",", rest))


def _compact(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@bp.route("/queries")
def index():
    groups: dict[str, list] = {}
    for q in sorted(load_all().values(), key=lambda q: (q.theme, q.title)):
        groups.setdefault(q.theme, []).append(q)
    return render_template("queries.html", groups=groups)


@bp.route("/queries/<name>")
def page(name: str):
    return _answer(name, "html")


@bp.route("/queries/<name>.<fmt>")
def page_as(name: str, fmt: str):
    if fmt not in ("json", "csv", "html"):
        abort(404)
    return _answer(name, fmt)


def _answer(name: str, fmt: str) -> Response:
    query = get(name)
    if query is None:
        raise Problem(404, f"there is no canned query called {name!r}; see {url_for('queries.index')}")
    if fmt == "html" and "_filter_column" in request.args:
        return redirect(_filter_form_target(query))
    values = {p.name: request.args.get(p.name, "").strip() for p in query.params}
    try:
        bindings = query.bindings(values)
    except ParameterError as exc:
        if fmt != "html":
            raise Problem(400, f"bad parameter {exc.param}: {exc.message}") from None
        return _html(query, values, None, exc), 400
    if fmt in ("json", "csv"):
        # the body depends on the job, the request's arguments, the URL prefix and this code
        args = repr(sorted(request.args.items(multi=True)))
        tag = get_service().etag(_job(query, bindings, dropped_columns(query)), fmt, args,
                                 request.script_root, VERSION)
        response = not_modified(tag)
        if response is None:
            response = _data(query, values, bindings, fmt)
            if tag is not None:
                response.set_etag(tag)
        return response
    result = run(query, bindings)
    response = Response(_html(query, values, result, None), content_type="text/html; charset=utf-8")
    response.headers["Link"] = (f'<{twin(name, "json", request.args)}>; rel="alternate"; '
                                'type="application/sparql-results+json", '
                                f'<{twin(name, "csv", request.args)}>; rel="alternate"; type="text/csv"')
    return response


def _filter_form_target(query: CannedQuery) -> str:
    """The page the "add a filter" form asks for: its column, operator and value as ``col__op=value``."""
    args = request.args.copy()
    column = args.pop("_filter_column", "")
    op = args.pop("_filter_op", "exact")
    value = args.pop("_filter_value", "")
    args.pop("_next", None)
    if column and op in tables.OPERATORS:
        args.add(column if op == "exact" else f"{column}__{op}", value)
    return url_for("queries.page", name=query.name, **args.to_dict(flat=False))


def table_request(query: CannedQuery, variables: list[str], html: bool) -> tables.TableRequest:
    """The request's table parameters; a 400 naming the parameter when one does not fit."""
    columns = [v for v in variables if v not in {p.name for p in query.params}]
    config = current_app.config
    try:
        return tables.parse_request(request.args, columns, {p.name for p in query.params},
                                    config["TABLE_PAGE_SIZE"] if html else None, config["TABLE_MAX_SIZE"]
                                    if html else max(config["RESULT_LIMIT"], 1))
    except tables.TableError as exc:
        raise Problem(400, str(exc)) from None


def _data(query: CannedQuery, values: dict, bindings: dict, fmt: str) -> Response:
    """The JSON or CSV twin of a canned query's page, with the same table parameters."""
    if fmt == "json" and not any(k.startswith("_") or k not in values for k in request.args):
        outcome = run_raw(query, bindings, dropped_columns(query))      # the fast path: no parsing
        return Response(as_json(query, values, outcome.body, outcome.truncated),
                        content_type="application/sparql-results+json")
    variables, rows, truncated = run(query, bindings)
    wanted = table_request(query, variables, html=False)
    shown = data_columns(query, variables)
    table = tables.apply(rows, shown, wanted)
    columns = [c for c in shown if c in table.columns or (c.endswith("_iri") and c[:-4] in table.columns)]
    if fmt == "json":
        body = render.solutions_json(columns, ({c: r[c] for c in columns if c in r} for r in table.rows))
        return Response(as_json(query, values, body, truncated, _about_table(query, table)),
                        content_type="application/sparql-results+json")
    return Response(as_csv(columns, table.rows), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{query.name}.csv"'})


def _about_table(query: CannedQuery, table: tables.Table) -> dict:
    """The ``table`` member of the JSON twin: counts, facets and the next page's URL."""
    args = request.args.copy()
    nxt = None
    if table.next_offset is not None:
        args.setlist("_next", [str(table.next_offset)])
        nxt = url_for("queries.page_as", name=query.name, fmt="json", _external=True,
                      **args.to_dict(flat=False))
    return {"rows": table.total, "matched": table.matched, "offset": table.offset,
            "size": table.size, "next_url": nxt,
            "facets": {f["column"]: [{"value": v["value"], "count": v["count"]} for v in f["values"]]
                       for f in table.facets}}


def _html(query: CannedQuery, values: dict, result, error: ParameterError | None) -> str:
    table = chart = links = england = None
    truncated = False
    if result is not None:
        variables, rows, truncated = result
        visible = query.columns(variables)
        found = tables.apply(rows, visible, table_request(query, variables, html=True))
        known = {v for v in variables if v not in {p.name for p in query.params}}
        labels = {c: column_label(c) for c in known}
        links = table_links(found, ("queries.page", {"name": query.name}), request.args, labels, known)
        table = {"columns": found.columns, "found": found,
                 "rows": [[cell(r.get(c), r.get(c + "_iri"), c) for c in found.columns] for r in found.rows]}
        if query.chart:
            chart = chart_for(query.chart, rows)
        england = england_map(found.matched_rows, variables, f"{query.title}: on the map")
    alternates = [{"href": twin(query.name, "json", request.args), "type": "application/sparql-results+json",
                   "title": "JSON"},
                  {"href": twin(query.name, "csv", request.args), "type": "text/csv", "title": "CSV"}]
    return render_template([f"query-{query.name}.html", "query.html"], query=query,
                           fields=form_fields(query, values, error), error=error, table=table,
                           links=links, chart=chart, map=england, truncated=truncated, alternates=alternates,
                           permalink=url_for("queries.page", name=query.name,
                                             **request.args.to_dict(flat=False)),
                           editor=editor_link(query, values))


def editor_link(query: CannedQuery, values: dict) -> str:
    """``/editor`` opened on this query with the page's parameters."""
    given = {k: v for k, v in values.items() if v}
    return url_for("editor.index", canned=query.name, **given)
