"""``/queries/<name>``: canned queries as pages (form, table, chart) with ``.json`` and ``.csv`` twins.

Every format is answered one way (Datasette's QueryView): the query runs once per store state
(its rows kept by :class:`server.tables.RowsCache`), the request's table parameters cut one
:class:`server.tables.QueryResult` from them, and the format's renderer writes it
(:data:`server.queryrender.RENDERERS`: ``html``, ``json``, ``csv``).
The SPARQL is the canned query's own text; request values reach it only as typed substitutions
(:meth:`core.canned.CannedQuery.bindings`).
"""
from __future__ import annotations

import dataclasses
import time

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for

from core import formats
from core.canned import CannedQuery, ParameterError, get, load_all
from core.worker import Job

from . import cache, pagequery, tables
from .answerfiles import file_response, keep_answer, open_kept
from .kept import app_cache, kept, page_parts
from .errors import Problem
from .protocol import say_cut
from .queryrender import RENDERERS, query_page, with_timing
from .store import get_service, not_modified
from .tablelinks import twin, with_query

bp = Blueprint("queries", __name__)

def job_for(query: CannedQuery, bindings: dict, drop: tuple[str, ...] = ()) -> Job:
    """The worker job that evaluates ``query`` with typed ``bindings``, as SPARQL JSON.

    A remote store, or one whose flat graph other tables wrote, answers the full query the flat
    rows come from (:meth:`server.store.QueryService.flat`).

    :param drop: variables the worker leaves out of the result.
    """
    return Job(get_service().canned_text(query), format="json", substitutions={v.value: t for v, t in bindings.items()},
               limit=current_app.config["RESULT_LIMIT"], drop_columns=drop)


def evaluate(query: CannedQuery, bindings: dict, drop: tuple[str, ...] = (), fmt: str = "json"):
    """Evaluate ``query`` with typed ``bindings`` in the worker pool, once per store stamp.

    The result is kept (:class:`server.tables.RowsCache`) while the store is unchanged, its rows
    decoded on first use, so sorting, filtering, faceting and paging them never runs the engine
    again. A whole CSV (``fmt="csv"``) is kept as the worker wrote it
    (:class:`server.tables.CsvResult`: cells neutralised, columns dropped, no row decoded).

    :param drop: variables the worker leaves out (the JSON or CSV of a whole result writes no others).
    :return: a :class:`server.tables.Evaluation`, or for CSV a :class:`server.tables.CsvResult`.
    :raise Problem: 500 when the engine fails (our query text is at fault, not the client).
    """
    service = get_service()
    # the whole result cache's size: decoded with equal cells shared (server.tablerows), the
    # big tables at 150 x 10 (13-29 MB of JSON) fit and are not run again for every page
    rows_cache = app_cache("ofsted_kg_rows", share=1)
    job = dataclasses.replace(job_for(query, bindings, drop), format=fmt)
    stamp, key = service.stamp(), cache.job_key(job)
    found = rows_cache.get(stamp, key)
    if found is not None:
        return found
    outcome = service.run(job, keep=False, trusted=True)   # the rows cache keeps it: not twice in memory
    if outcome.status != "ok":
        current_app.logger.error("canned query %s failed: %s", query.name, outcome.message)
        raise Problem(500, f"the canned query {query.name} failed: {outcome.message}")
    found = (tables.CsvResult if fmt == "csv" else tables.Evaluation)(outcome.body, outcome.truncated)
    rows_cache.put(stamp, key, found, len(outcome.body))
    return found


def run(query: CannedQuery, bindings: dict) -> tuple[list[str], list[dict], bool]:
    """The projected variables, rows (variable -> term-JSON) and whether rows were cut, of
    ``query`` with ``bindings`` (:func:`evaluate`); callers must not change the rows."""
    found = evaluate(query, bindings)
    return found.variables, found.rows, found.truncated


def dropped_columns(query: CannedQuery) -> tuple[str, ...]:
    """Variables kept out of CSV and JSON: parameters, and hidden columns other than ``_iri`` links."""
    return tuple(sorted({p.name for p in query.params}
                        | {c for c in query.hidden_columns if not c.endswith("_iri")}))


def data_columns(query: CannedQuery, variables: list[str]) -> list[str]:
    """Columns for CSV and JSON: the visible ones plus their ``_iri`` link columns."""
    drop = set(dropped_columns(query))
    return [v for v in variables if v not in drop]


@bp.route("/queries")
def index():
    """``/queries``: every canned query, grouped by theme."""
    groups: dict[str, list] = {}
    for q in sorted(load_all().values(), key=lambda q: (q.theme, q.title)):
        groups.setdefault(q.theme, []).append(q)
    return render_template("queries.html", groups=groups)


@bp.route("/queries/<name>")
def page(name: str):
    """``/queries/<name>``: the query's page."""
    return answer(name, "html")


@bp.route("/queries/<name>.<fmt>")
def page_as(name: str, fmt: str):
    """``/queries/<name>.<fmt>``: the page's JSON or CSV twin (or HTML again)."""
    if fmt not in RENDERERS:
        abort(404)
    return answer(name, fmt)


def answer(name: str, fmt: str) -> Response:
    """The canned query ``name`` in format ``fmt``: one result, written by the format's renderer.

    Every format carries an ETag (304 on ``If-None-Match``), and its bodies are kept while the
    store is unchanged (``ofsted_kg_bodies``), so asking again costs neither the engine nor
    the renderer (a kept HTML page only has its timing written again).

    :raise Problem: 404 for an unknown query; 400 for a bad parameter or table parameter
        (the HTML page answers a bad parameter with its form instead).
    """
    query = get(name)
    if query is None:
        raise Problem(404, f"there is no canned query called {name!r}; see {url_for('queries.index')}")
    if fmt == "html" and "_filter_column" in request.args:
        return redirect(filter_form_target(query))
    values = {p.name: request.args.get(p.name, "").strip() for p in query.params}
    try:
        bindings = query.bindings(values, base_iri=current_app.config["BASE_IRI"])
    except ParameterError as exc:
        if fmt != "html":
            raise Problem(400, f"bad parameter {exc.param}: {exc.message}") from None
        return Response(query_page(query, values, None, exc), 400, content_type=formats.HTML.content_type)
    stamp = get_service().stamp()
    # a page's next_url is absolute; a whole answer has none, so one ETag serves every host
    parts = page_parts(absolute_links=not asks_whole(values, fmt))
    tag = get_service().etag(job_for(query, bindings), fmt, *parts, stamp=stamp)
    response = not_modified(tag)
    if response is not None:
        return response
    found = open_kept(stamp, tag) if fmt != "html" else None    # a big JSON or CSV, sent before
    if found is not None:
        response, truncated = file_response(found), found.truncated
    else:
        body, truncated = rendered(query, values, bindings, fmt, tag)
        content_type = RENDERERS[fmt][0].content_type
        if fmt != "html":
            keep_answer(stamp, tag, body, content_type, truncated)
        response = Response(body, content_type=content_type)
    if truncated and fmt != "html":          # as /sparql says it (the page says so in its text)
        say_cut(response)
    if tag is not None:
        response.set_etag(tag)
    if fmt == "csv":
        response.headers["Content-Disposition"] = f'attachment; filename="{query.name}.csv"'
    if fmt == "html":
        response.headers["Link"] = (f'<{twin(name, "json", request.args)}>; rel="alternate"; '
                                    'type="application/sparql-results+json", '
                                    f'<{twin(name, "csv", request.args)}>; rel="alternate"; type="text/csv"')
    return response


def rendered(query: CannedQuery, values: dict, bindings: dict, fmt: str, tag: str | None) -> tuple[bytes, bool]:
    """The body of format ``fmt`` and whether the engine cut the result (``RESULT_LIMIT``,
    ``RESULT_MAX_BYTES``): kept by ``tag`` (an ETag, which names the store state and the request)
    while the store is unchanged, else built (:func:`result`) and written. An HTML page shows
    the time this request took to build or find it (:func:`server.queryrender.with_timing`)."""
    started = time.perf_counter()

    def build() -> tuple[bytes, bool]:
        found = result(query, values, bindings, fmt)
        return RENDERERS[fmt][1](found), found.truncated

    body, truncated = kept(tag, build, size=lambda written: len(written[0]))
    if fmt == "html":
        body = with_timing(body, (time.perf_counter() - started) * 1000)
    return body, truncated


def result(query: CannedQuery, values: dict, bindings: dict, fmt: str) -> tables.QueryResult:
    """The one result object of a request: the page the request's table parameters ask for,
    read alone from the flat rows when :mod:`server.pagequery` can (:func:`paged`), else cut
    from the query's whole result (run once per store state), with the columns format ``fmt``
    writes.

    A JSON request with no table parameters is the whole result: the worker writes it without
    the columns JSON leaves out, and the result carries those bytes (``raw``) undecoded.

    :raise Problem: 400 for a table parameter that does not fit; 500 when the engine fails.
    """
    started = time.perf_counter()
    if asks_whole(values, fmt):
        found = evaluate(query, bindings, dropped_columns(query), fmt)
        n = found.count()
        table = tables.Table(columns=list(found.variables), all_columns=list(found.variables), rows=[],
                             total=n, matched=n, offset=0, size=None)
        columns, rows, raw = found.variables, [], found.body
        variables, truncated = found.variables, found.truncated
    else:
        html = fmt == "html"
        table = paged(query, bindings, html)
        if table is None:
            found = evaluate(query, bindings)
            variables, rows, truncated = found.variables, found.rows, found.truncated
            shown = query.columns(variables) if html else data_columns(query, variables)
            table = tables.apply(rows, shown, table_request(query, variables, html))
        else:       # only this page's rows were read
            variables, rows, truncated, shown = list(query.variables), [], False, table.all_columns
        columns = table.columns if html else [
            c for c in shown if c in table.columns or (c.endswith("_iri") and c[:-4] in table.columns)]
        raw = None
    return tables.QueryResult(
        query=query, sparql=get_service().canned_text(query), parameters=values, bindings=bindings,
        variables=tuple(variables), rows=rows,
        table=table, columns=tuple(columns), truncated=truncated,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        page_url=url_for("queries.page", name=query.name),
        next_url=page_link(query, fmt, table.next_offset),
        previous_url=page_link(query, fmt, table.previous_offset), raw=raw)


def asks_whole(values: dict, fmt: str) -> bool:
    """Whether the request asks for the whole result as the engine writes it: JSON or CSV with
    no table parameter (``_sort``, ``_size``, a column filter...), only the query's own
    (``values``). Such an answer has no page links."""
    return fmt in ("json", "csv") and not any(k.startswith("_") or k not in values for k in request.args)


def paged(query: CannedQuery, bindings: dict, html: bool) -> tables.Table | None:
    """The page from the flat rows' page queries (:mod:`server.pagequery`): only this page's
    rows, the kept order, counts and facets; None when the whole result must answer."""
    variables = list(query.variables)
    wanted = table_request(query, variables, html)
    plan = pagequery.plan_for(query, bindings, wanted)
    if plan is None:
        return None
    shown = query.columns(variables) if html else data_columns(query, variables)
    return pagequery.page(plan, shown, wanted, html, max(current_app.config["RESULT_LIMIT"], 1))


def page_link(query: CannedQuery, fmt: str, offset: int | None) -> str | None:
    """The URL of this request's page starting after ``offset`` rows, in format ``fmt``
    (absolute for JSON and CSV, which leave the site); None for no such page."""
    if offset is None:
        return None
    args = request.args.copy()
    args.setlist("_next", [str(offset)] if offset else [])
    if fmt == "html":
        return with_query(url_for("queries.page", name=query.name), args)
    return with_query(url_for("queries.page_as", name=query.name, fmt=fmt, _external=True), args)


def filter_form_target(query: CannedQuery) -> str:
    """The page the "add a filter" form asks for: its column, operator and value as ``col__op=value``."""
    args = request.args.copy()
    column = args.pop("_filter_column", "")
    op = args.pop("_filter_op", "exact")
    value = args.pop("_filter_value", "")
    args.pop("_next", None)
    if column and op in tables.OPERATORS:
        args.add(column if op == "exact" else f"{column}__{op}", value)
    return with_query(url_for("queries.page", name=query.name), args)


def table_request(query: CannedQuery, variables: list[str], html: bool) -> tables.TableRequest:
    """The request's table parameters; a 400 naming the parameter when one does not fit.

    A page (``html``) takes the query's own ``facets`` and ``sort`` when the request names none.
    """
    columns = [v for v in variables if v not in {p.name for p in query.params}]
    config = current_app.config
    try:
        wanted = tables.parse_request(request.args, columns, {p.name for p in query.params},
                                      config["TABLE_PAGE_SIZE"] if html else None, config["TABLE_MAX_SIZE"]
                                      if html else max(config["RESULT_LIMIT"], 1))
    except tables.TableError as exc:
        raise Problem(400, str(exc)) from None
    if html and query.sort and not (request.args.get("_sort") or request.args.get("_sort_desc")):
        wanted = dataclasses.replace(wanted, sort=query.sort, descending=query.sort_desc)
    if html and query.facets and "_facet" not in request.args:
        wanted = dataclasses.replace(wanted, facets=query.facets)
    return wanted
