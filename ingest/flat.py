"""The flat graph: the rows of the hot canned queries, one compact node per row, in one graph.

The document graphs keep everything with its provenance, but answering ``judgements`` from
them means joining hundreds of named graphs, looking labels up and sorting strings on every
request. This step runs each table's full query (``flat/<table>.rq``, the text the canned query
had before it read this graph) once per store state and writes every row as a node whose
properties are its columns (``https://w3id.org/ofsted-kg/def/row/<table>#<column>``), its place
in the full query's order (``#position``) and the keys the canned query filters on (an
authority's IRI, a framework's notation). The canned query is then one star pattern over these
nodes, sorted by position: the same rows in the same order, in a fraction of the time. Rows
that tie on every sort column (the full query leaves their order to the engine) are put in
the order of their values, so the same store state always gives the same graph.

Like the links and reconciliation graphs it is derived, so it is recomputed as a whole after
every ingest run that changed a document (and when it was built from another store state).
It is written to the embedded store only: on a remote store (Virtuoso) the server runs each
table's full query instead (:func:`queries.full_text`).
"""
from __future__ import annotations

from dataclasses import dataclass

from core import vocab
from core.canned import FLAT_DIR

from core import iris

ROW_NS = vocab.ROW
BUILT_FROM = iris.term("builtFrom")
XSD_INTEGER = vocab.XSD + "integer"
_QUERIES = FLAT_DIR


@dataclass(frozen=True)
class Table:
    """One flattened canned query.

    :param name: the canned query's slug; its full query is ``flat/<name>.rq``
    :param order: the columns its ORDER BY sorts on
    :param params: the query's parameter variables (not stored: the canned query binds them)
    :param keys: optional ``flat/<name>.keys.rq``: rows of (join column, key...) whose keys are
        added to every row with that join value, for the canned query's filters
    """

    name: str
    order: tuple[str, ...]
    params: tuple[str, ...] = ()
    keys: bool = False

    def query(self) -> str:
        return (_QUERIES / f"{self.name}.rq").read_text(encoding="utf-8")

    def keys_query(self) -> str | None:
        return (_QUERIES / f"{self.name}.keys.rq").read_text(encoding="utf-8") if self.keys else None


TABLES = (
    Table("judgements", ("authority", "inspection_start", "published", "subject", "area"),
          ("authority_filter", "framework_filter"), keys=True),
    Table("recommendations", ("authority", "published", "order"), ("authority_filter", "words"), keys=True),
    Table("statistics", ("authority", "measure", "date"), ("authority_filter", "measure_words"), keys=True),
    Table("inadequate-care-leavers-good-adoption", ("published", "authority")),
    Table("latest-judgements", ("authority", "overall")),
    Table("grade-distribution", ("year", "area", "rank"), ("area_filter",), keys=True),
)


def flat_graph() -> str:
    return iris.graph("flat")


def predicate(table: str, column: str) -> str:
    """The property holding one column of one table's rows."""
    return f"<{ROW_NS}{table}#{column}>"


def _key_lines(store, table: Table) -> tuple[str | None, dict[str, list[str]]]:
    """The join column, and the key triples' predicate-object parts by the N-Triples form of
    the join value."""
    text = table.keys_query()
    if text is None:
        return None, {}
    found: dict[str, list[str]] = {}
    results = store.query(text)
    names = [v.value for v in results.variables]
    for row in results:
        join = row[names[0]]
        for name in names[1:]:
            if row[name] is not None:
                found.setdefault(str(join), []).append(f"{predicate(table.name, name)} {row[name]}")
    return names[0], {k: sorted(set(v)) for k, v in found.items()}


def table_ntriples(store, table: Table) -> tuple[str, int]:
    """The rows of one table as N-Triples, and how many rows.

    :param store: the store to read (any ``GraphStore``; the union of its graphs is queried)
    :param table: which table
    """
    results = store.query(table.query())
    columns = [v.value for v in results.variables if v.value not in table.params]
    join, keys = _key_lines(store, table)
    lines: list[str] = []
    n = 0
    for n, row in enumerate(_total_order(results, columns, table.order), start=1):
        node = f"<{iris.flat_row(table.name, n)}>"
        lines.append(f"{node} {predicate(table.name, 'position')} \"{n}\"^^<{XSD_INTEGER}> .\n")
        for column, value in zip(columns, row):
            if value is not None:
                lines.append(f"{node} {predicate(table.name, column)} {value} .\n")
        join_value = row[columns.index(join)] if join in columns else None
        if join_value is not None:
            lines.extend(f"{node} {po} .\n" for po in keys.get(join_value, ()))
    return "".join(lines), n


def _total_order(results, columns: list[str], order: tuple[str, ...]) -> list[tuple]:
    """The rows (N-Triples forms, None when unbound) in the query's order, ties on every sort
    column put in the order of their values."""
    rows = [tuple(str(r[c]) if r[c] is not None else None for c in columns) for r in results]
    key = [columns.index(c) for c in order]
    group, previous, ranked = -1, object(), []
    for row in rows:
        sort_key = tuple(row[i] for i in key)
        if sort_key != previous:
            group, previous = group + 1, sort_key
        ranked.append((group, tuple("" if v is None else v for v in row), row))
    return [row for _, _, row in sorted(ranked, key=lambda t: t[:2])]


def flat_stale(store, state: str) -> bool:
    """Whether the flat graph was built from another store state than ``state``."""
    graph = flat_graph()
    ask = f"ASK {{ GRAPH <{graph}> {{ <{graph}> <{BUILT_FROM}> \"{state}\" }} }}"
    return not store.query(ask)


def flatten(store, state: str) -> dict[str, int]:
    """Recompute the flat graph from the store's other graphs.

    :param store: the store to read and write
    :param state: the digest of the documents it is built from (``reconcile.documents_state``)
    :return: rows written per table
    """
    parts, counts = [], {}
    for table in TABLES:
        text, counts[table.name] = table_ntriples(store, table)
        parts.append(text)
    graph = flat_graph()
    parts.append(f"<{graph}> <{BUILT_FROM}> \"{state}\" .\n")
    store.replace_graphs({graph: "".join(parts).encode("utf-8")})
    return counts
