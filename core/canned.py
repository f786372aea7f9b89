"""Canned queries: ``queries/<name>.rq`` (SPARQL) beside ``<name>.toml`` (metadata), loaded once
into frozen :class:`CannedQuery` objects and checked as they load.

Metadata keys: ``title``, ``description``, ``theme``, optional ``hide`` (columns projected for a
parameter or a link but not shown), ``facets`` (columns faceted on the page unless the request
names its own ``_facet``), ``sort`` or ``sort_desc`` (the page's order unless the request gives
``_sort``/``_sort_desc``), ``chart`` and ``[[params]]`` with ``name`` (the SPARQL
variable, without ``?``), ``type``, ``description``, ``example``, optional ``default``,
``required`` and, for enumerations, ``allowed`` (a list, or ``"graded-frameworks"``: the
frameworks with a grade scale in ``ontology/concepts.ttl``). Parameters reach the query as typed RDF terms
through pyoxigraph substitutions (SEP-0007), never spliced into the text; pyoxigraph substitutes
only variables the query projects, so every parameter must be projected.

A query that does not fit stops start-up with one line naming its file and the reason
(:class:`QueryDefinitionError`): a missing or unreadable file, an unknown key, SPARQL that does not
parse or is not a SELECT, a parameter without a type, description or example, or not projected,
an example or default its own type refuses, a hidden, facet, sort or chart column the query does
not project (or a facet or sort column that is a parameter or hidden).

Parameter types:

=========== ================================================ ==========================
type        accepts                                          bound as
=========== ================================================ ==========================
string      any text                                         plain literal
integer     digits                                           xsd:integer
date        YYYY-MM-DD                                       xsd:date
iri         an absolute http(s) IRI                          IRI
grade       a grade word (Outstanding, Good, Adequate,       xsd:integer rank 1-4
            Requires improvement [to be good], Inadequate)
area        an area key (``care-leavers``) or its label      IRI of the area concept
authority   a GSS code (E06000023) or a name                 IRI of the authority
region      a region name                                    plain literal
=========== ================================================ ==========================
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

import ontology

from .lexer import LexError, tokens
from .params import PARAM_TYPES, ParameterError, Param, to_term

QUERY_DIR = Path(__file__).resolve().parents[1] / "queries"
QUERY_KEYS = frozenset({"title", "description", "theme", "hide", "facets", "sort", "sort_desc",
                        "chart", "params"})
PARAM_KEYS = frozenset({"name", "type", "description", "example", "default", "required", "allowed"})
#: chart types and the keys of each that name a column (``split`` is a list of them)
CHART_COLUMNS = {"bar": ("x", "y", "stack", "detail", "split"), "line": ("x", "y", "series"),
                 "grid": ("row", "column", "value")}
CHART_REQUIRED = {"bar": ("x", "y"), "line": ("x", "y"), "grid": ("row", "column", "value")}
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: ``allowed = "<name>"``: choices read from the concept schemes, so that a new framework's
#: concept is all a parameter list needs
CONCEPT_CHOICES = {"graded-frameworks": ontology.graded_frameworks}

__all__ = ["CannedQuery", "Param", "ParameterError", "QueryDefinitionError", "PARAM_TYPES",
           "get", "load_all", "load_one", "to_term"]


class QueryDefinitionError(ValueError):
    """A canned query whose files or metadata are wrong (stops start-up: the server's
    ``serve`` reports it as a settings error); the message names the file and the reason."""


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    theme: str
    sparql: str
    params: tuple[Param, ...] = ()
    chart: dict | None = None
    hide: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()          # what the query projects, in order
    facets: tuple[str, ...] = ()             # the page's facets when the request names none
    sort: str | None = None                  # the page's order when the request gives none
    sort_desc: bool = False

    @property
    def hidden_columns(self) -> frozenset[str]:
        """Variables projected only so that parameters can be bound (pyoxigraph substitutions
        need them in the projection) and helper columns such as ``order``: not shown."""
        return frozenset(p.name for p in self.params) | frozenset(self.hide)

    def columns(self, variables: list[str]) -> list[str]:
        return [v for v in variables if v not in self.hidden_columns]

    def text_for(self, flat: bool) -> str:
        """The text a store runs: this one where the store's flat graph serves the canned
        queries, else (a remote store, which has no flat graph and maybe no ``LATERAL``; a flat
        graph written by other tables, :func:`core.flat.written_here_query`) the portable full
        text it comes from (:func:`full_text`)."""
        return self.sparql if flat else (full_text(self.name) or self.sparql)

    def examples(self) -> dict[str, str]:
        """Each parameter's example (parameter name -> its text), for those that have one: what
        the page's form shows, and what benches and the answers kept at ingest ask with."""
        return {p.name: p.example for p in self.params if p.example is not None}

    def bindings(self, values: dict[str, str], base_iri: str | None = None) -> dict[ox.Variable, object]:
        """Typed substitutions for the request ``values`` (defaults fill the gaps).

        :param values: parameter name -> the text a request gave (empty: not given).
        :param base_iri: the base of data IRIs that names authorities (default: the
            ``BASE_IRI`` setting; the server passes its app's ``BASE_IRI``).
        :return: variable -> pyoxigraph term, for ``Store.query(substitutions=...)``.
        :raise ParameterError: a value that does not fit its parameter's type.
        """
        out: dict[ox.Variable, object] = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or str(raw).strip() == "":
                raw = p.default
            if raw is None or str(raw).strip() == "":
                if p.required:
                    raise ParameterError(p.name, "a value is required")
                continue
            out[ox.Variable(p.name)] = to_term(p, str(raw).strip(), base_iri)
        return out


@functools.cache
def load_all(folder: str | None = None) -> dict[str, CannedQuery]:
    """Every canned query in ``folder`` (default: the project's ``queries/``), by name.

    :param folder: a folder of ``<name>.rq`` and ``<name>.toml`` files.
    :return: name -> query, in name order.
    :raise QueryDefinitionError: the first query whose files or metadata are wrong.
    """
    base = Path(folder) if folder else QUERY_DIR
    for meta in sorted(base.glob("*.toml")):
        if not meta.with_suffix(".rq").exists():
            raise QueryDefinitionError(f"{meta}: no query file {meta.stem}.rq beside it")
    return {rq.stem: load_one(rq) for rq in sorted(base.glob("*.rq"))}


FLAT_DIR = QUERY_DIR / "flat"


@functools.cache
def full_text(name: str) -> str | None:
    """The portable full text behind a canned query, or None when the canned text is portable.

    ``flat/<name>.rq`` is either a flat table's full query, which ingest runs to write the flat
    graph's rows (:mod:`ingest.flat`), or the standard SPARQL 1.1 text of a canned query written
    for pyoxigraph with ``LATERAL`` (no flat table). A remote store has no flat graph and may not
    know ``LATERAL``, so a server (and ``ofsted-kg query``) on a remote store runs this text.
    """
    path = FLAT_DIR / f"{name}.rq"
    return path.read_text(encoding="utf-8") if path.exists() else None


def get(name: str) -> CannedQuery | None:
    """The canned query called ``name`` in ``queries/``, or None."""
    return load_all().get(name)


def load_one(rq: Path) -> CannedQuery:
    """One canned query from ``rq`` and the ``.toml`` beside it, checked.

    :param rq: the path of the ``.rq`` file.
    :raise QueryDefinitionError: naming the file and the first thing wrong with it.
    """
    meta_path = rq.with_suffix(".toml")
    if not meta_path.exists():
        raise QueryDefinitionError(f"{rq}: no metadata file {meta_path.name} beside it")
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise QueryDefinitionError(f"{meta_path}: not TOML: {exc}") from None
    sparql = rq.read_text(encoding="utf-8")

    def fail(message: str, path: Path = meta_path):
        raise QueryDefinitionError(f"{path}: {message}")

    check_keys(meta, QUERY_KEYS, "", fail)
    for key in ("title", "description", "theme"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            fail(f"'{key}' is missing (a non-empty string)")
    variables = projection(sparql, lambda message: fail(message, rq))
    params = tuple(check_param(p, variables, fail) for p in params_of(meta, fail))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        fail(f"a parameter is declared twice: {sorted({n for n in names if names.count(n) > 1})}")
    terminals = lexed(sparql, lambda message: fail(message, rq))
    used = pattern_variables(terminals)
    if calls_out(terminals):
        fail("SERVICE is not allowed in a canned query: short ones run in the server's own process "
             "(core.local), where nothing stops a call to another endpoint", rq)
    for name in names:
        if name not in used:
            fail(f"param {name!r} is projected but not used in the query's WHERE clause "
                 "(binding it would change nothing)")
    hide = meta.get("hide", [])
    if not isinstance(hide, list) or not all(isinstance(c, str) for c in hide):
        fail("'hide' must be a list of column names")
    for column in hide:
        projected(column, variables, "hidden column", fail)
    chart = meta.get("chart")
    if chart is not None:
        check_chart(chart, variables, fail)
    table_columns = tuple(v for v in variables if v not in set(names) | set(hide))
    facets, sort, sort_desc = check_table(meta, table_columns, variables, fail)
    return CannedQuery(name=rq.stem, title=meta["title"], description=meta["description"],
                       theme=meta["theme"], sparql=sparql, params=params, chart=chart,
                       hide=tuple(hide), variables=variables, facets=facets, sort=sort,
                       sort_desc=sort_desc)


def check_table(meta: dict, columns: tuple[str, ...], variables: tuple[str, ...], fail):
    """The page's default ``facets`` and ``sort``/``sort_desc``: columns the table shows (projected,
    neither parameters nor hidden).

    :return: the facet columns, the sort column (or None) and whether it sorts descending.
    """
    facets = meta.get("facets", [])
    if not isinstance(facets, list) or not all(isinstance(c, str) for c in facets):
        fail("'facets' must be a list of column names")
    if "sort" in meta and "sort_desc" in meta:
        fail("'sort' and 'sort_desc' both given: choose one order")
    key = "sort_desc" if "sort_desc" in meta else "sort"
    sort = meta.get(key)
    if sort is not None and not isinstance(sort, str):
        fail(f"'{key}' must be a column name")
    for what, column in [("facet", c) for c in facets] + ([(key, sort)] if sort else []):
        projected(column, variables, f"{what} column", fail)
        if column not in columns:
            fail(f"{what} column {column!r} is a parameter or hidden, not a column of the table")
    return tuple(facets), sort, key == "sort_desc"


def check_keys(table: dict, allowed: frozenset, where: str, fail) -> None:
    """Fail on a key of ``table`` that is not in ``allowed`` (a typo would be ignored silently)."""
    unknown = sorted(set(table) - allowed)
    if unknown:
        fail(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}{where}"
             f" (known: {', '.join(sorted(allowed))})")


def projection(sparql: str, fail) -> tuple[str, ...]:
    """The variables a SELECT query projects, read by pyoxigraph's parser (the query runs once
    on an empty in-memory store, which costs a parse and nothing else).

    :raise QueryDefinitionError: (through ``fail``) the text does not parse or is not a SELECT.
    """
    try:
        result = ox.Store().query(sparql)
    except SyntaxError as exc:
        fail(f"the SPARQL does not parse: {' '.join(str(exc).split())}")
    if not isinstance(result, ox.QuerySolutions):
        fail("not a SELECT query (a canned query's page is a table)")
    return tuple(v.value for v in result.variables)


def lexed(sparql: str, fail) -> list[tuple[str, str]]:
    """The text's SPARQL terminals (:mod:`core.lexer`: comments and strings are not words).

    :raise QueryDefinitionError: (through ``fail``) the text does not lex.
    """
    try:
        return tokens(sparql)
    except LexError as exc:
        fail(f"the SPARQL does not lex: {exc}")


def calls_out(terminals: list[tuple[str, str]]) -> bool:
    """Whether a ``SERVICE`` keyword is among the terminals (:func:`lexed`)."""
    return any(kind == "word" and text.upper() == "SERVICE" for kind, text in terminals)


def pattern_variables(terminals: list[tuple[str, str]]) -> set[str]:
    """The variables named after the outermost projection (from its ``WHERE`` or first ``{``
    on), among the terminals (:func:`lexed`), so comments and strings do not count."""
    start = next((i for i, (kind, text) in enumerate(terminals)
                  if text == "{" or (kind == "word" and text.upper() == "WHERE")), len(terminals))
    return {text[1:] for kind, text in terminals[start:] if kind == "var"}


def params_of(meta: dict, fail) -> list[dict]:
    """The ``[[params]]`` tables of the metadata (empty when there are none)."""
    params = meta.get("params", [])
    if not isinstance(params, list) or not all(isinstance(p, dict) for p in params):
        fail("'params' must be [[params]] tables")
    return params


def check_param(p: dict, variables: tuple[str, ...], fail) -> Param:
    """One ``[[params]]`` table as a :class:`Param`, checked against the query's projection.

    :raise QueryDefinitionError: (through ``fail``) naming the parameter and what is wrong.
    """
    name = p.get("name")
    if not isinstance(name, str) or not VARIABLE.fullmatch(name):
        fail(f"a parameter has no valid 'name' (a SPARQL variable without '?'): {name!r}")
    check_keys(p, PARAM_KEYS, f" in param {name!r}", fail)
    if p.get("type") not in PARAM_TYPES:
        fail(f"param {name!r} has type {p.get('type')!r}; expected one of {', '.join(PARAM_TYPES)}")
    for key in ("description", "example"):
        if not isinstance(p.get(key), str) or not p[key].strip():
            fail(f"param {name!r} has no {key}")
    projected(name, variables, "param", fail)
    allowed = p.get("allowed", [])
    if isinstance(allowed, str) and allowed in CONCEPT_CHOICES:
        allowed = list(CONCEPT_CHOICES[allowed]())
    if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
        fail(f"param {name!r}: 'allowed' must be a list of strings or one of {', '.join(CONCEPT_CHOICES)}")
    if not isinstance(p.get("required", False), bool):
        fail(f"param {name!r}: 'required' must be true or false")
    param = Param(name=name, type=p["type"], description=p["description"], default=p.get("default"),
                  example=p["example"], required=p.get("required", False), allowed=tuple(allowed))
    for key in ("example", "default"):
        value = p.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            fail(f"param {name!r}: its {key} must be a string, not {value!r}")
        try:
            to_term(param, value)
        except ParameterError as exc:
            fail(f"param {name!r}: its {key} {value!r} does not fit: {exc.message}")
    return param


def projected(column: str, variables: tuple[str, ...], what: str, fail) -> None:
    """Fail unless ``column`` is one of the query's projected ``variables``."""
    if column not in variables:
        fail(f"{what} {column!r} is not projected by the query "
             f"(SELECT lists {' '.join('?' + v for v in variables) or 'nothing'})")


def check_chart(chart, variables: tuple[str, ...], fail) -> None:
    """The ``chart`` table: a known type, its required keys, and columns the query projects."""
    if not isinstance(chart, dict) or chart.get("type") not in CHART_COLUMNS:
        kind = chart.get("type") if isinstance(chart, dict) else chart
        fail(f"chart type {kind!r} is not one of {', '.join(CHART_COLUMNS)}")
    kind = chart["type"]
    check_keys(chart, frozenset({"type", "title", "y_label"} | set(CHART_COLUMNS[kind])),
               f" in the {kind} chart", fail)
    for key in CHART_REQUIRED[kind]:
        if key not in chart:
            fail(f"the {kind} chart has no {key!r} column")
    for key in CHART_COLUMNS[kind]:
        value = chart.get(key)
        for column in (value if isinstance(value, list) else [value] if value is not None else []):
            projected(column, variables, f"chart {key}", fail)
