"""Tables the way Datasette publishes them: sort, filter, facet, choose columns and page.

The query itself runs once per (job, store stamp): :class:`RowsCache` keeps its decoded rows
beside the server's byte cache (:mod:`server.cache`), and every table request applies its
parameters to those rows in memory, so a page, a facet or another sort order never runs the
engine again; each filtered and sorted order, facet and set of suggested facets is computed
once and kept with the rows (:mod:`server.tablerows`), so the next page of it only slices. No Flask here: :mod:`server.querypages` turns a :class:`Table` into a page.

Request parameters (Datasette's names):

================== ========================================================================
``_sort=col``      rows in ascending order of ``col`` (numbers as numbers, grades by rank)
``_sort_desc=col`` descending
``col=value``      only rows whose ``col`` is exactly ``value``
``col__contains=`` only rows whose ``col`` contains the text (any case)
``col__not=``      only rows whose ``col`` is not ``value``
``_facet=col``     counts of each value of ``col`` among the matching rows (repeatable)
``_size=n``        rows per page (``max``: every row)
``_next=n``        the page starting after ``n`` matching rows
``_col=col``       show only these columns (repeatable); ``_nocol=col`` hides one
================== ========================================================================
"""
from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from core import formats, vocab
from core.sparqljson import json_row_count, json_vars, solutions_json
from core.vocab import grade_rank

from .sparqltext import with_values
from .tablerows import decode_rows, derive

OPERATORS = ("exact", "contains", "not")
RESERVED = ("_sort", "_sort_desc", "_facet", "_size", "_next", "_col", "_nocol")
NUMERIC = {"integer", "decimal", "double", "float", "long", "int", "short", "nonNegativeInteger"}
XSD = vocab.XSD
FACET_VALUES = 30          # values listed per facet
SUGGEST_MAX = 20           # a column with at most this many distinct values is suggested as a facet
SUGGEST_ROWS = 50_000      # suggestions are computed only up to this many matching rows


class TableError(ValueError):
    """A table parameter that does not fit the result (unknown column, bad size): a 400."""


@dataclass(frozen=True)
class TableRequest:
    sort: str | None = None
    descending: bool = False
    filters: tuple[tuple[str, str, str], ...] = ()     # (column, operator, value)
    facets: tuple[str, ...] = ()
    size: int | None = None                             # None: every row
    offset: int = 0
    show: tuple[str, ...] = ()                          # _col (empty: all)
    hide: tuple[str, ...] = ()                          # _nocol

    @property
    def is_plain(self) -> bool:
        """True when nothing changes the query's own rows (no sort, filter, page or columns)."""
        return self == TableRequest()


def parse_request(args, columns: list[str], params: set[str], default_size: int | None,
                  max_size: int) -> TableRequest:
    """The table parameters among request ``args`` (a werkzeug MultiDict).

    Keys that are neither table parameters, columns nor ``params`` are ignored, as Datasette does.

    :param columns: the columns that can be sorted, filtered, faceted and chosen.
    :param params: the canned query's own parameter names (never column filters).
    :param default_size: rows per page when ``_size`` is absent (None: every row).
    :raise TableError: an unknown column in ``_sort``/``_facet``/``col__op``, or a bad size.
    """
    known = set(columns)

    def column(name: str, what: str) -> str:
        if name not in known:
            raise TableError(f"{what}: there is no column {name!r} (columns: {', '.join(columns)})")
        return name

    sort, descending = None, False
    if args.get("_sort_desc"):
        sort, descending = column(args["_sort_desc"], "_sort_desc"), True
    elif args.get("_sort"):
        sort = column(args["_sort"], "_sort")
    filters = []
    for key, value in args.items(multi=True):
        if key.startswith("_") or key in params:
            continue
        name, sep, op = key.rpartition("__")
        if sep and op in OPERATORS:
            filters.append((column(name, key), op, value))
        elif key in known:
            filters.append((key, "exact", value))
    facets = tuple(dict.fromkeys(column(c, "_facet") for c in args.getlist("_facet") if c))
    return TableRequest(sort=sort, descending=descending, filters=tuple(filters), facets=facets,
                        size=_size(args.get("_size"), default_size, max_size),
                        offset=_offset(args.get("_next")),
                        show=tuple(column(c, "_col") for c in args.getlist("_col") if c),
                        hide=tuple(column(c, "_nocol") for c in args.getlist("_nocol") if c))


def _size(raw: str | None, default: int | None, max_size: int) -> int | None:
    if raw is None or raw == "":
        return default
    if raw == "max":
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= max_size:
        raise TableError(f"_size: {raw!r} is not a whole number from 1 to {max_size}, or 'max'")
    return int(raw)


def _offset(raw: str | None) -> int:
    if raw is None or raw == "":
        return 0
    if not raw.isdigit():
        raise TableError(f"_next: {raw!r} is not a row number")
    return int(raw)


def sort_key(term: dict | None) -> tuple:
    """Numbers by value, grade words by rank, other text ignoring case; empty cells last."""
    if term is None:
        return (3, 0.0, "")
    value = term["value"]
    datatype = term.get("datatype", "")
    if datatype.startswith(XSD) and datatype[len(XSD):] in NUMERIC:
        try:
            return (0, float(value), "")
        except ValueError:
            pass
    rank = grade_rank(value) if len(value) < 40 else None
    if rank:
        return (1, float(rank), value)
    return (2, 0.0, value.casefold())


def _matches(term: dict | None, op: str, wanted: str) -> bool:
    value = "" if term is None else term["value"]
    if op == "contains":
        return wanted.casefold() in value.casefold()
    if op == "not":
        return value != wanted
    return value == wanted


@dataclass
class Table:
    """One page of a filtered, sorted result, with its facets and where the other pages start."""
    columns: list[str]                 # shown, in order
    all_columns: list[str]             # that could be shown
    rows: list[dict]                   # this page
    total: int                         # rows of the query's result
    matched: int                       # rows after the filters
    offset: int
    size: int | None
    facets: list[dict] = field(default_factory=list)
    suggested: list[str] = field(default_factory=list)
    matched_rows: list[dict] = field(default_factory=list, repr=False)   # what the map draws: every
    #                                   matching row, or (page path) each authority's first graded one

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.rows)
        return end if self.size is not None and end < self.matched else None

    @property
    def previous_offset(self) -> int | None:
        if self.offset <= 0 or self.size is None:
            return None
        return max(0, self.offset - self.size)



class Evaluation:
    """A query's whole result as the engine wrote it (compact SPARQL JSON), decoded on first use.

    :param body: SPARQL JSON starting ``{"head":{"vars":[...]},"results":`` (the worker's layout;
        another layout is rewritten into it).
    :param truncated: the engine cut the result at the row limit.
    """

    def __init__(self, body: bytes, truncated: bool):
        names = json_vars(body)
        if names is None:
            data = json.loads(body)
            names = data["head"]["vars"]
            body = solutions_json(names, data["results"]["bindings"])
        self.variables: list[str] = names
        self.body = body
        self.truncated = truncated

    @functools.cached_property
    def rows(self) -> list[dict]:
        """Rows of variable -> term-JSON (decoded once, equal cells shared, what tables derive
        from them kept with them; callers must not change them)."""
        return decode_rows(self.body)

    def count(self) -> int:
        """How many rows, without decoding them."""
        return json_row_count(self.body)


class CsvResult:
    """A query's whole result as the engine wrote it in CSV (header of variable names)."""

    def __init__(self, body: bytes, truncated: bool):
        self.variables: list[str] = formats.csv_header(body)
        self.body = body
        self.truncated = truncated
        self._count: int | None = None

    def count(self) -> int:
        """How many rows, without parsing them (counted once: the result is kept and served again)."""
        if self._count is None:
            self._count = formats.csv_row_count(self.body)
        return self._count


@dataclass(frozen=True)
class QueryResult:
    """One canned query's answer to one request, whatever its format (Datasette's QueryView):
    the page of rows with its counts and facets, the columns the format writes, where the next
    and previous pages are, what was bound and how long it took. The renderers of
    :data:`server.queryrender.RENDERERS` write it."""
    query: object                      # the core.canned.CannedQuery
    sparql: str                        # the text the store ran (a remote store: the portable one)
    parameters: dict                   # parameter -> the request's value ("" when not given)
    bindings: dict                     # pyoxigraph Variable -> the term bound (defaults too)
    variables: tuple[str, ...]         # projected by the query
    rows: list[dict]                   # every row of the whole result (shared with the cache: read
    #                                    only); empty when the page was read alone (server.pagequery)
    table: Table                       # this page: filtered, sorted, faceted and cut
    columns: tuple[str, ...]           # the columns this format writes, in order
    truncated: bool                    # the engine's result was cut at the row limit
    elapsed_ms: float                  # running the query (or finding its rows) and the table
    page_url: str                      # the query's page
    next_url: str | None = None        # the next page in this format
    previous_url: str | None = None
    #: the engine's SPARQL JSON of this page when the page is the query's whole result, in its
    #: own order and with exactly ``columns``: the JSON renderer copies it instead of writing the
    #: rows again (the same bytes), and ``rows`` and ``table.rows`` are left undecoded (empty)
    raw: bytes | None = None

    def bound_sparql(self) -> str:
        """The query's text with the request's values bound in a ``VALUES`` block (the text
        the editor opens); the text itself when nothing is bound."""
        return with_values(self.sparql, self.bindings) if self.bindings else self.sparql

    def about(self) -> dict:
        """The ``query`` member of the JSON: name, title, parameters, cut, and the table's counts,
        facets and next page."""
        t = self.table
        facets = {f["column"]: [{"value": v["value"], "count": v["count"]} for v in f["values"]]
                  for f in t.facets}
        return {"name": self.query.name, "title": self.query.title, "parameters": self.parameters,
                "truncated": self.truncated,
                "table": {"rows": t.total, "matched": t.matched, "offset": t.offset, "size": t.size,
                          "next_url": self.next_url, "facets": facets}}

def apply(rows: list[dict], columns: list[str], request: TableRequest) -> Table:
    """Filter, sort, facet and page ``rows`` (term-JSON dicts) as ``request`` says.

    When ``rows`` are a :class:`server.tablerows.Rows` (a cached result's), the filtered and
    sorted order, the facet counts and the suggested facets are computed once for each request
    shape and kept with them, so another page of the same table only slices.

    :param columns: the columns the table may show, in the query's order.
    """
    filters = request.filters
    matched = derive(rows, ("matched", filters, request.sort, request.descending),
                     lambda: _matched(rows, request))
    end = None if request.size is None else request.offset + request.size
    shown = [c for c in (request.show or columns) if c not in request.hide]
    selected = {c: frozenset(v for col, op, v in filters if col == c and op == "exact") for c in request.facets}
    facets = [derive(rows, ("facet", filters, c), lambda c=c: facet(matched, c, selected[c]))
              for c in request.facets]
    candidates = tuple(c for c in shown if c not in request.facets)
    suggested = derive(rows, ("suggested", filters, candidates),
                       lambda: suggest_facets(matched, list(candidates)))
    return Table(columns=shown, all_columns=columns, rows=matched[request.offset:end], total=len(rows),
                 matched=len(matched), offset=request.offset, size=request.size, facets=facets,
                 suggested=suggested, matched_rows=matched)


def _matched(rows: list[dict], request: TableRequest) -> list[dict]:
    """The rows that pass the request's filters, in its order."""
    matched = [r for r in rows if all(_matches(r.get(c), op, v) for c, op, v in request.filters)]
    if request.sort:
        sort_rows(matched, request.sort, request.descending)
    return matched


def sort_rows(rows: list[dict], column: str, descending: bool) -> None:
    """Sort ``rows`` in place on ``column`` (:func:`sort_key`), equal cells keeping their
    order and empty cells last both ways."""
    rows.sort(key=lambda r: sort_key(r.get(column)), reverse=descending)
    if descending:
        rows.sort(key=lambda r: r.get(column) is None)


def facet(rows: list[dict], column: str, selected: set[str]) -> dict:
    """Counts of each value of ``column`` (most frequent first, then by value)."""
    counts: dict[str, int] = {}
    for row in rows:
        term = row.get(column)
        value = "" if term is None else term["value"]
        counts[value] = counts.get(value, 0) + 1
    return facet_of(column, counts, selected)


def facet_of(column: str, counts: dict[str, int], selected: set[str]) -> dict:
    """The facet of ``column`` from the counts of its values (``""``: empty cells)."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], sort_key({"value": kv[0]})))
    values = [{"value": v, "count": n, "selected": v in selected, "grade": grade_rank(v)}
              for v, n in ordered[:FACET_VALUES]]
    return {"column": column, "values": values, "distinct": len(counts),
            "cut": len(counts) > FACET_VALUES}


def suggest_facets(rows: list[dict], columns: list[str]) -> list[str]:
    """Columns worth faceting: 2 to ``SUGGEST_MAX`` distinct values, fewer than the rows."""
    if len(rows) > SUGGEST_ROWS or len(rows) < 2:
        return []
    out = []
    for c in columns:
        seen: set[str] = set()
        for row in rows:
            term = row.get(c)
            seen.add("" if term is None else term["value"])
            if len(seen) > SUGGEST_MAX:
                break
        if 2 <= len(seen) <= SUGGEST_MAX and len(seen) < len(rows):
            out.append(c)
    return out


class RowsCache:
    """Decoded result rows by (store stamp, job key), least recently used first out.

    :param max_bytes: total size of the results' SPARQL JSON kept (0: off); decoded with equal
        cells shared (:func:`server.tablerows.decode_rows`) the rows take about as much again
        (0.8x for the big tables at 150 x 10).
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, tuple[int, object]] = OrderedDict()
        self._stamp: str | None = None
        self._size = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many results are kept."""
        with self._lock:
            return len(self._entries)

    def get(self, stamp: str, key: tuple):
        with self._lock:
            if stamp != self._stamp:
                self._entries.clear()
                self._size, self._stamp = 0, stamp
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, stamp: str, key: tuple, value, size: int) -> None:
        if not self.max_bytes or size > self.max_bytes * 3 // 4:
            return
        with self._lock:
            if stamp != self._stamp:
                self._entries.clear()
                self._size, self._stamp = 0, stamp
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[0]
            self._entries[key] = (size, value)
            self._size += size
            while self._size > self.max_bytes:
                _, (gone, _) = self._entries.popitem(last=False)
                self._size -= gone
