"""The RDF dataset a request runs on (SPARQL 1.1 Protocol sections 2.1.4 and 2.2.3).

Queries: the protocol's ``default-graph-uri`` / ``named-graph-uri`` win; else a query's own
``FROM`` / ``FROM NAMED``; else the union default graph (every graph of the store).
:func:`core.lexer.names_dataset` tells the second case from the third on the query's SPARQL
terminals, so no comment, string or IRI holding the word misleads it.

Updates: pyoxigraph's ``Store.update`` takes no dataset and no union option, so the dataset of
each ``DELETE``/``INSERT ... WHERE`` operation is written into it as ``USING`` / ``USING NAMED``
clauses before its ``WHERE`` (:class:`UpdatePlan`): the protocol's ``using-graph-uri`` /
``using-named-graph-uri`` when given (a request that also has ``USING`` or ``WITH`` in its text
is refused, as the protocol says), otherwise every graph of the store, so that an update's
``WHERE`` sees the same default graph as a query. This is the only place SPARQL text is
written by the server: each clause is a checked :class:`pyoxigraph.NamedNode` in its N-Triples
form, inserted between terminals (pyoxigraph has no update algebra to attach a dataset to).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import pyoxigraph as ox

from core.lexer import LexError, token_spans, unescape_codepoints


class DatasetConflict(ValueError):
    """The protocol names an update's dataset and its text does too (USING or WITH)."""


@dataclass(frozen=True)
class _Where:
    offset: int                 # where the WHERE keyword starts in the unescaped text
    own_dataset: bool           # its operation has USING or WITH


@dataclass
class UpdatePlan:
    """Where the dataset of each operation of an update goes, found on its terminals."""
    text: str                                   # the update, codepoint escapes replaced
    wheres: list[_Where] = field(default_factory=list)
    graph_names: list[str] = field(default_factory=list)   # IRIs written after GRAPH
    clears: list[int] = field(default_factory=list)        # offsets just after CLEAR without SILENT

    @classmethod
    def of(cls, update: str) -> "UpdatePlan":
        """Find the ``WHERE`` of every ``DELETE``/``INSERT`` operation (not ``DELETE WHERE``).

        An update that does not lex is planned as having none: the engine reports its error.
        """
        text = unescape_codepoints(update)
        plan = cls(text)
        try:
            spans = token_spans(text)
        except LexError:
            return plan
        depth, own, previous = 0, False, ""
        for kind, value, offset in spans:
            word = value.upper() if kind == "word" else ""
            if kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
            elif depth == 0 and kind == "punct" and value == ";":
                own = False
            elif depth == 0 and word in ("USING", "WITH"):
                own = True
            elif depth == 0 and word == "WHERE" and previous != "DELETE":
                plan.wheres.append(_Where(offset, own))
            if kind == "iri" and previous == "GRAPH":
                plan.graph_names.append(value[1:-1])
            if previous == "CLEAR" and word != "SILENT":
                plan.clears.append(offset)
            previous = word or value
        return plan

    @property
    def names_dataset(self) -> bool:
        """Whether any operation has ``USING`` or ``WITH`` of its own."""
        return any(where.own_dataset for where in self.wheres)

    def with_protocol_dataset(self, default: Iterable[str], named: Iterable[str]) -> str:
        """The update with the protocol's ``using-graph-uri`` / ``using-named-graph-uri``.

        :raise DatasetConflict: an operation names its own dataset too.
        """
        if self.names_dataset:
            raise DatasetConflict("using-graph-uri / using-named-graph-uri cannot be combined with "
                                  "USING or WITH in the update (SPARQL 1.1 Protocol, section 2.2.3)")
        return self._insert(_using(default, named), every=True)

    def with_union(self, store_graphs: Iterable[str]) -> str:
        """The update whose operations without a dataset of their own see every graph: those
        of the store and those the update itself names after ``GRAPH`` (it may create them)."""
        graphs = list(dict.fromkeys([*store_graphs, *self.graph_names]))
        return self._insert(_using(graphs, graphs), every=False)

    def _insert(self, clause: str, every: bool) -> str:
        """The text with ``clause`` before the chosen WHEREs, and ``SILENT`` after each CLEAR:
        clearing a graph that does not exist leaves it as asked (no triples), as in stores
        that keep no empty graphs; the protocol suite's ``update_base_uri`` expects it."""
        inserts = [(offset, "SILENT ") for offset in self.clears]
        if clause:
            inserts += [(w.offset, clause) for w in self.wheres if every or not w.own_dataset]
        pieces, start = [], 0
        for offset, text in sorted(inserts):
            pieces += [self.text[start:offset], text]
            start = offset
        pieces.append(self.text[start:])
        return "".join(pieces)


def _using(default: Iterable[str], named: Iterable[str]) -> str:
    """``USING <a> USING NAMED <b> `` for absolute IRIs (others are left out)."""
    clauses = []
    for keyword, graphs in (("USING", default), ("USING NAMED", named)):
        for graph in graphs:
            try:
                node = ox.NamedNode(graph)
            except ValueError:
                continue
            clauses.append(f"{keyword} {node} ")
    return "".join(clauses)
