"""The flat graph: the rows of the hot canned queries, one compact node per row, in one graph.

The document graphs keep everything with its provenance, but answering ``judgements`` from
them means joining hundreds of named graphs, looking labels up and sorting strings on every
request. This step runs each table's full query (``flat/<table>.rq``, the text the canned query
had before it read this graph; or the table's ``rows`` text, its rows for every value of a
parameter at once) once per store state and writes every row as a node whose
properties are its columns (``https://w3id.org/ofsted-kg/def/row/<table>#<column>``), its place
in the full query's order (``#position``) and the keys the canned query filters on (an
authority's IRI, a framework's notation). The canned query is then one star pattern over these
nodes, sorted by position: the same rows in the same order, in a fraction of the time. Rows
that tie on every sort column (the full query leaves their order to the engine) are put in
the order of their values, so the same store state always gives the same graph.

The graph also describes its own terms (:func:`vocabulary_ntriples`): each table is a small
vocabulary ``def/row/<table>`` whose properties are the columns written, with a label and what
they hold, so a row met in a SPARQL answer leads to a page saying what it is.

Like the links and reconciliation graphs it is derived, so it is recomputed as a whole after
every ingest run that changed a document (and when it was built from another store state).
It is written to the embedded store only: on a remote store (Virtuoso) the server runs each
table's full query instead (:func:`queries.full_text`).
"""
from __future__ import annotations

import pyoxigraph as ox

from core import iris
from core.flat import BUILT_FROM, ROW_NS, TABLES, XSD_INTEGER, Table, built_from, flat_graph, predicate

__all__ = ["TABLES", "Table", "flat_graph", "predicate", "flat_stale", "flatten", "table_ntriples"]


def _keys(store, table: Table) -> tuple[str | None, dict[str, dict[str, list[str]]]]:
    """The join column, and each join value's keys (N-Triples forms by key name), keyed by the
    N-Triples form of the join value."""
    text = table.keys_query()
    if text is None:
        return None, {}
    found: dict[str, dict[str, set[str]]] = {}
    results = store.query(text)
    names = [v.value for v in results.variables]
    for row in results:
        cells = found.setdefault(str(row[names[0]]), {})
        for name in names[1:]:
            if row[name] is not None:
                cells.setdefault(name, set()).add(str(row[name]))
    return names[0], {j: {k: sorted(v) for k, v in cells.items()} for j, cells in found.items()}


class _Writer:
    """N-Triples lines of one table's row nodes and of the shared nodes of its groups."""

    def __init__(self, table: Table):
        self.table = table
        self.lines: list[str] = []
        self.shared: dict[str, dict[tuple, str]] = {name: {} for name, _ in table.groups}
        self.grouped = {c for _, columns in table.groups for c in columns}
        self.columns: dict[str, None] = {}          # the columns written, in the order first met

    def triple(self, node: str, column: str, value: str) -> None:
        self.columns.setdefault(column)
        self.lines.append(f"{node} {predicate(self.table.name, column)} {value} .\n")

    def row(self, position: int, cells: dict[str, list[str]]) -> None:
        """Write one row: its position, its own cells and a link to each group's shared node."""
        node = f"<{iris.flat_row(self.table.name, position)}>"
        self.triple(node, "position", f'"{position}"^^<{XSD_INTEGER}>')
        for column, values in cells.items():
            if column not in self.grouped:
                for value in values:
                    self.triple(node, column, value)
        for name, columns in self.table.groups:
            self.triple(node, name, self.group_node(name, columns, cells))

    def group_node(self, name: str, columns: tuple[str, ...], cells: dict[str, list[str]]) -> str:
        """The shared node of these cells' values of ``columns``, written when first met."""
        values = tuple(tuple(cells.get(c, ())) for c in columns)
        nodes = self.shared[name]
        node = nodes.get(values)
        if node is None:
            node = nodes[values] = f"<{iris.flat_group(self.table.name, name, len(nodes) + 1)}>"
            self.triple(node, "group", f'"{name}"')
            for column, found in zip(columns, values):
                for value in found:
                    self.triple(node, column, value)
        return node


def table_ntriples(store, table: Table) -> tuple[str, int]:
    """The rows of one table as N-Triples, with the description of its columns
    (:func:`vocabulary_ntriples`), and how many rows.

    :param store: the store to read (any ``GraphStore``; the union of its graphs is queried)
    :param table: which table
    """
    results = store.query(table.query())
    columns = [v.value for v in results.variables if v.value not in table.params]
    join, keys = _keys(store, table)
    writer = _Writer(table)
    n = 0
    for n, row in enumerate(_total_order(results, columns, table.order), start=1):
        cells = {c: [v] for c, v in zip(columns, row) if v is not None}
        join_value = row[columns.index(join)] if join in columns else None
        if join_value is not None:
            cells.update(keys.get(join_value, {}))
        writer.row(n, cells)
    return "".join(writer.lines) + vocabulary_ntriples(table, list(writer.columns), columns), n


RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def vocabulary_ntriples(table: Table, columns: list[str], selected: list[str]) -> str:
    """N-Triples describing one table's terms: the table as an ``owl:Ontology`` and each of
    ``columns`` (the properties written) as an ``rdf:Property`` defined by it, with a label and a
    comment; ``selected`` are the full query's columns (the others are keys)."""
    vocabulary = f"<{ROW_NS}{table.name}>"
    lines = [f"{vocabulary} {RDF_TYPE} <http://www.w3.org/2002/07/owl#Ontology> .",
             f"{vocabulary} <{RDFS}label> {_text(f'Rows of the canned query {table.name}')} .",
             f"{vocabulary} <{RDFS}comment> {_text(_TABLE_NOTE.format(name=table.name))} ."]
    for column in columns:
        term = predicate(table.name, column)
        lines += [f"{term} {RDF_TYPE} <http://www.w3.org/1999/02/22-rdf-syntax-ns#Property> .",
                  f"{term} <{RDFS}isDefinedBy> {vocabulary} .",
                  f"{term} <{RDFS}label> {_text(f'{column} ({table.name} row)')} .",
                  f"{term} <{RDFS}comment> {_text(_column_note(table, column, selected))} ."]
    return "".join(line + "\n" for line in lines)


_TABLE_NOTE = ("A derived table: the rows of the canned query {name} (/queries/{name}), written "
               "by ingest from the document graphs, which keep every statement with its provenance.")


def _column_note(table: Table, column: str, selected: list[str]) -> str:
    """What one column property holds."""
    if column == "position":
        return "The row's place in the canned query's order."
    if column == "group":
        return "The name of the group a shared node belongs to."
    for name, columns in table.groups:
        if column == name:
            return f"The row's shared node of the {name} group, which holds: {', '.join(columns)}."
    group = table.group_of(column)
    held = f", held on the row's shared {group} node" if group else ""
    if column in selected:
        return f"The row's cell of the column {column}{held}."
    return f"A key the canned query's filters match{held} (from the table's keys query)."


def _text(value: str) -> str:
    return str(ox.Literal(value, language="en"))


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
    """Whether the flat graph was built from another store state than ``state``, or by other
    tables."""
    return not store.query("ASK { GRAPH ?graph { ?graph ?built_from ?state } }", substitutions={
        ox.Variable("graph"): ox.NamedNode(flat_graph()), ox.Variable("built_from"): ox.NamedNode(BUILT_FROM),
        ox.Variable("state"): ox.Literal(built_from(state))})


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
    parts.append(f"<{graph}> <{BUILT_FROM}> \"{built_from(state)}\" .\n")
    store.rewrite_graph(graph, "".join(parts).encode("utf-8"))
    return counts
