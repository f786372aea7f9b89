"""The renderers of a canned query's result, by format: ``html`` (the page: form, table, chart
and map), ``json`` (SPARQL 1.1 JSON results with a ``query`` member) and ``csv``, each writing the
one :class:`server.tables.QueryResult` of a request (:data:`RENDERERS`).

A column ``<col>_iri`` holding an IRI turns the ``<col>`` cell into a link in HTML (list it under
``hide`` in the toml); CSV and JSON keep it.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Callable

from flask import current_app, render_template, request, url_for
from markupsafe import Markup

from core import formats
from core.canned import CannedQuery, ParameterError
from core.vocab import GRADE_CHOICES, grade_rank

from .charts import chart_for
from .englandmap import england_map
from .markup import PLAIN_KEY, html_escape
from .tablelinks import table_links, twin, with_query
from .tables import NUMERIC, XSD, QueryResult
from .wording import column_label, in_words

LINK_TEXT_MAX = 32       # longer paths of our IRIs are shown as the column's name


#: the comments around the page's timing (``query.html``), which a kept page has written again
#: for each request (:func:`with_timing`); page text cannot hold them (``<`` is escaped)
TIMING = (b"<!--ms-->", b"<!--/ms-->")


def with_timing(page: bytes, ms: float) -> bytes:
    """``page`` (an HTML page as :func:`html_page` wrote it) showing ``ms`` as its timing."""
    start = page.find(TIMING[0])
    if start < 0:
        return page
    start += len(TIMING[0])
    return b"".join((page[:start], b"%.0f" % ms, page[page.index(TIMING[1], start):]))


def html_page(result: QueryResult) -> bytes:
    """The page of ``result``: form with the request's values, table, chart and map.

    :param result: the answer to this request, built for the ``html`` format.
    :return: the page, UTF-8.
    """
    return query_page(result.query, result.parameters, result, None).encode("utf-8")


def query_page(query: CannedQuery, values: dict, result: QueryResult | None,
               error: ParameterError | None) -> str:
    """The page of ``query``: with ``result`` its table, else (a value that does not fit) the
    form with ``error`` beside its field.

    :param values: the request's parameter values, shown in the form.
    """
    table = chart = links = england = None
    if result is not None:
        found, variables = result.table, list(result.variables)
        known = {v for v in variables if v not in {p.name for p in query.params}}
        labels = {c: column_label(c) for c in known}
        links = table_links(found, ("queries.page", {"name": query.name}), request.args, labels, known)
        rows, body = table_cells(found)
        table = {"columns": found.columns, "found": found, "rows": rows, "body": body}
        if query.chart:
            chart = chart_for(query.chart, result.rows)
        england = england_map(found.matched_rows, variables, f"{query.title}: on the map")
    alternates = [{"href": twin(query.name, "json", request.args), "type": "application/sparql-results+json",
                   "title": "JSON"},
                  {"href": twin(query.name, "csv", request.args), "type": "text/csv", "title": "CSV"}]
    return render_template([f"query-{query.name}.html", "query.html"], query=query, result=result,
                           fields=form_fields(query, values, error), error=error, table=table,
                           links=links, chart=chart, map=england,
                           truncated=result is not None and result.truncated, alternates=alternates,
                           permalink=with_query(url_for("queries.page", name=query.name), request.args),
                           editor=editor_link(query, values))


@dataclass(frozen=True)
class CellPlace:
    """What every cell of one table needs from the app and the request, read once per table
    (a page of 100 rows is some 700-1,200 cells; reading them per cell was a quarter of its
    render): our IRIs' base, the ``/id/`` path prefix of their links, the ``curie`` and ``href``
    filters."""
    base: str
    id_prefix: str
    curie: Callable[[str], str]
    href: Callable[[str], str]

    @classmethod
    def here(cls) -> CellPlace:
        """The place of the app and request handling this one."""
        filters = current_app.jinja_env.filters
        return cls(current_app.config["BASE_IRI"] + "id/", url_for("resources.thing", key="x")[:-1],
                   filters["curie"], filters["href"])


def table_cells(found, place: CellPlace | None = None) -> tuple[list[list[dict]], Markup]:
    """The :func:`cell` dicts of a :class:`server.tables.Table`'s rows in its columns, and the
    ``<tr>`` elements they make (:func:`rows_html`).

    A column's cells repeat (grades, areas, authorities, dates): each distinct term, with its
    link, is made into one cell dict per table (:func:`term_key`), which :func:`rows_html`
    then writes once; callers must not change the cells (one may stand in many rows).
    """
    place = place or CellPlace.here()
    made: dict[tuple, dict] = {}
    rows = []
    for r in found.rows:
        row = []
        for c in found.columns:
            term, link = r.get(c), r.get(c + "_iri")
            key = (c, term_key(term), term_key(link))
            one = made.get(key)
            if one is None:
                one = made[key] = cell(term, link, c, place)
            row.append(one)
        rows.append(row)
    return rows, rows_html(rows)


def term_key(term: dict | None) -> tuple | None:
    """What makes two term-JSON dicts the same term: type, value, datatype and language."""
    if term is None:
        return None
    return term["type"], term["value"], term.get("datatype"), term.get("xml:lang")


def cell(term: dict | None, link: dict | None = None, column: str = "",
         place: CellPlace | None = None) -> dict:
    """What the HTML table shows for one term: text, optional href, CSS class; codes in
    columns such as ``framework`` are shown in words, with the code as the cell's title.

    :param term: the cell's term-JSON (None: no value).
    :param link: the term-JSON of the row's ``<column>_iri``, if any: the text links there.
    :param column: the column's name, for its words and its link text.
    :param place: the table's :class:`CellPlace` (default: read here).
    """
    if term is None:
        return {"text": "", "cls": "empty"}
    value = term["value"]
    words = in_words(column, value) if term["type"] == "literal" else None
    if words:
        return {"text": words, "title": value, "cls": "", "plain_title": True}
    place = place or CellPlace.here()
    if term["type"] == "uri":
        href = href_of(value, place)
        base = place.base
        text = short_path(value[len(base):]) if value.startswith(base) else place.curie(value)
        if len(text) > LINK_TEXT_MAX:         # a long path says nothing to people: name the column
            text = f"{column_label(column) if column else 'Open'} ›"
        return {"text": text, "href": href, "title": value, "cls": "iri"}
    out = {"text": value, "cls": ""}
    if link and link.get("type") == "uri":
        out["href"] = href_of(link["value"], place)
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


def href_of(iri: str, place: CellPlace) -> str:
    """Where ``iri`` is served: the app's ``href`` filter (:func:`server.local_href`), except that
    our own IRIs with a plain path take ``/id/<path>`` from the table's prefix (a table page
    links some 200 of them; ``url_for`` for each was a fifth of its render)."""
    if iri.startswith(place.base) and PLAIN_KEY.fullmatch(iri, len(place.base)):
        return place.id_prefix + iri[len(place.base):]
    return place.href(iri)


def rows_html(rows: list[list[dict]]) -> Markup:
    """The ``<tr>`` elements of a table's body from its :func:`cell` dicts, written here rather
    than by a template loop (a page of 100 rows is some 1,200 cells): grades as badges, links
    with their IRI as title, words with their code as title.

    :param rows: each row's cells, in column order; a cell dict that occurs again (one object,
        as :func:`table_cells` shares them) is written once.
    """
    written: dict[int, str] = {}

    def td(c: dict) -> str:
        html = written.get(id(c))          # the rows hold every cell: no id is reused meanwhile
        if html is None:
            html = written[id(c)] = cell_html(c)
        return html
    return Markup("".join(f"<tr>{''.join(map(td, row))}</tr>\n    " for row in rows))


def cell_html(c: dict) -> str:
    """One ``<td>`` of :func:`rows_html`."""
    text = html_escape(c["text"])
    if c.get("href"):
        inner = f'<a href="{html_escape(c["href"])}" title="{html_escape(c.get("title", ""))}">{text}</a>'
    elif c.get("plain_title"):
        inner = f'<abbr title="{html_escape(c.get("title", ""))}">{text}</abbr>'
    else:
        inner = text
    if c.get("grade"):                 # a rank, 1 to 4
        inner = f'<span class="grade grade-{c["grade"]:d}">{inner}</span>'
    return f'<td class="{c.get("cls", "")}">{inner}</td>'     # cls: one of cell()'s own classes


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


def editor_link(query: CannedQuery, values: dict) -> str:
    """``/editor`` opened on this query with the page's parameters."""
    given = {k: v for k, v in values.items() if v}
    return url_for("editor.index", canned=query.name, **given)


def table_json(result: QueryResult) -> bytes:
    """SPARQL 1.1 JSON results of the result's page, its head linking to the query's page and a
    ``query`` member saying what was asked (:meth:`server.tables.QueryResult.about`)."""
    columns = list(result.columns)
    head = {"vars": columns, "link": [result.page_url]}
    if result.raw is not None:          # the engine's bytes of this very page: no rows to write
        rest = memoryview(result.raw)[result.raw.index(b'},"results":') + 2:]   # not copied
        return b"".join((b'{"head":', compact(head), b',"query":', compact(result.about()), b",", rest))
    rows = [{c: r[c] for c in columns if c in r} for r in result.table.rows]
    return compact({"head": head, "query": result.about(), "results": {"bindings": rows}})


def compact(value) -> bytes:
    """``value`` as compact JSON, UTF-8 (the layout of the worker's SPARQL JSON)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def table_csv(result: QueryResult) -> bytes:
    """The result's page as CSV, formula-like cells neutralised for spreadsheets
    (:func:`core.formats.safe_cell`); a whole result's CSV as the worker wrote it (``raw``)."""
    if result.raw is not None:
        return result.raw
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.table.rows:
        writer.writerow([formats.safe_cell(row.get(c, {}).get("value", "")) for c in result.columns])
    return out.getvalue().encode("utf-8")


#: format key -> (its format in :mod:`core.formats`, the renderer of a result)
RENDERERS = {"html": (formats.HTML, html_page),
             "json": (formats.RESULT_FORMATS["json"], table_json),
             "csv": (formats.RESULT_FORMATS["csv"], table_csv)}
