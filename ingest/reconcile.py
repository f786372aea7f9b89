"""Reconciliation: a report and an outcomes-table row describing one inspection share one node.

Reports mint an inspection's IRI from its start date; the older outcome tables print only the
publication date. After each ingest run this step looks at every inspection in the store and
treats two nodes as the same inspection when they belong to the same authority and kind family
(standard and short ILACS count as one) and share the start date, or were published within
``PUBLICATION_WINDOW`` of each other. Within such a cluster a report's node wins (else the newest
edition's, else the node minted from a start date, else the earliest); every outcome-table graph that used another IRI is
rewritten to the winner (its judgements move with it, and its own date, label, type, kind and
authority triples for that node are dropped so the node keeps one set of each). Report graphs are never rewritten.

The vocabulary graph (``vocabulary``) is rebuilt in the same transaction. Then
``reconcile_judgements`` leaves each judgement one grade (a report's, else the newest
edition's; the other spreadsheets keep their records of it) and each statement in one graph.
The sources of one judgement are compared by grade rank; each disagreement becomes
``ofs:disagreesWith`` (a spreadsheet's record -> another record, or the report's judgement) in
the reconciliation graph, recomputed as a whole every run, like the links graph, and written in
the same transaction as the rewritten spreadsheet and entailment graphs.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from core import vocab

from core import iris

from . import reconcile_judgements

PUBLICATION_WINDOW = dt.timedelta(days=7)
OFS = vocab.OFS
RDF_TYPE = vocab.RDF_TYPE
RDFS_LABEL = vocab.RDFS_LABEL
#: what a renamed table node gives up in favour of the winner's own statements
_DROPPED = {RDF_TYPE, RDFS_LABEL, OFS + "startDate", OFS + "endDate", OFS + "publishedOn",
            OFS + "framework", OFS + "inspectionKind", OFS + "inspectionOf"}
_QUERIES = Path(__file__).parent
INSPECTIONS = (_QUERIES / "reconcile-inspections.rq").read_text(encoding="utf-8")
DISAGREEMENTS = (_QUERIES / "reconcile-disagreements.rq").read_text(encoding="utf-8")


STATE = (_QUERIES / "reconcile-state.rq").read_text(encoding="utf-8")
BUILT_FROM = OFS + "builtFrom"


def reconciliation_graph() -> str:
    return iris.graph("reconciliation")


def documents_state(store) -> str:
    """A digest of every stored document (IRI and SHA-256): what the derived graphs were built from."""
    import hashlib
    pairs = sorted(f"{r['d'].value} {r['sha'].value}" for r in store.query(STATE))
    return hashlib.sha256("\n".join(pairs).encode("utf-8")).hexdigest()


def derived_stale(store) -> bool:
    """Whether any document changed since the links and reconciliation graphs were last built
    (also after a crash between the last document and that step)."""
    ask = (f"ASK {{ GRAPH <{reconciliation_graph()}> {{ <{reconciliation_graph()}> <{BUILT_FROM}> "
           f"\"{documents_state(store)}\" }} }}")
    return not store.query(ask)


@dataclass(frozen=True)
class Node:
    """One inspection node as one graph states it."""

    graph: str
    iri: str
    authority: str
    kind: str
    start: dt.date | None
    published: dt.date | None
    table: bool
    until: dt.date | None = None      # for a spreadsheet: the latest date it records (its edition)


def _family(kind: str) -> str:
    return "ilacs" if kind.startswith("ilacs") else kind


def _same(a: Node, b: Node) -> bool:
    if a.start and b.start and a.start == b.start:
        return True
    return bool(a.published and b.published and abs(a.published - b.published) <= PUBLICATION_WINDOW)


def _winner(cluster: list[Node]) -> str:
    """A report's node, else the newest edition's (then one minted from a start date, the
    earliest, the smallest IRI): the same whatever the order of ingest."""
    def rank(n: Node):
        newest_first = -(n.until.toordinal() if n.until else 0)
        return (n.table, newest_first, n.start is None, n.start or n.published or dt.date.max, n.iri)
    return min(cluster, key=rank).iri


def plan(nodes: list[Node]) -> dict[str, dict[str, str]]:
    """Which table graphs must rename which inspection IRIs: ``{graph: {old: new}}``."""
    groups: dict[tuple[str, str], list[Node]] = {}
    for n in nodes:
        groups.setdefault((n.authority, _family(n.kind)), []).append(n)
    renames: dict[str, dict[str, str]] = {}
    for group in groups.values():
        if len({n.iri for n in group}) < 2:
            continue
        # clusters: connected components of the "same inspection" relation
        parent = list(range(len(group)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                if group[i].iri == group[j].iri or _same(group[i], group[j]):
                    parent[find(i)] = find(j)
        clusters: dict[int, list[Node]] = {}
        for i, n in enumerate(group):
            clusters.setdefault(find(i), []).append(n)
        for cluster in clusters.values():
            report_iris = {n.iri for n in cluster if not n.table}
            if len({n.iri for n in cluster}) < 2 or len(report_iris) > 1:
                continue   # one node already, or two reports' nodes: reports are left alone
            win = _winner(cluster)
            for n in cluster:
                if n.table and n.iri != win:
                    renames.setdefault(n.graph, {})[n.iri] = win
    return renames


def rewrite(ntriples_lines: list[str], renames: dict[str, str]) -> str:
    """N-Triples with each renamed node (and the IRIs minted under it) moved to its winner."""
    pattern = re.compile("<(" + "|".join(re.escape(k) for k in sorted(renames, key=len, reverse=True))
                         + r")([/>])")
    out = []
    for line in ntriples_lines:
        head = line.split(" ", 2)
        if head[0][1:-1] in renames and head[1][1:-1] in _DROPPED:
            continue
        out.append(pattern.sub(lambda m: f"<{renames[m.group(1)]}{m.group(2)}", line))
    return "".join(out)


def _date(term) -> dt.date | None:
    return dt.date.fromisoformat(term.value[:10]) if term is not None else None


def _graph_lines(store, graph: str) -> list[str]:
    """One graph's N-Triples lines ("<s> <p> o .\\n"), from the store's own serialiser (so this
    module needs no pyoxigraph of its own)."""
    from core.anystore import graph_ntriples
    return graph_ntriples(store, graph).decode("utf-8").splitlines(keepends=True)


def reconcile(store, written: dict[str, bytes] | None = None) -> tuple[int, int]:
    """Merge table inspection nodes into the report (or better-dated) nodes they describe,
    then recompute the disagreements graph.

    :param written: filled with every graph written (IRI -> its final N-Triples), when given.
    :return: (inspection nodes renamed, disagreements recorded)
    """
    def write(graphs: dict[str, bytes]) -> None:
        store.replace_graphs(graphs)
        if written is not None:
            written.update(graphs)

    nodes = [Node(graph=r["g"].value, iri=r["i"].value, authority=r["la"].value, kind=r["kind"].value,
                  start=_date(r["start"]), published=_date(r["pub"]), table=r["table"].value == "true",
                  until=_date(r["until"]))
             for r in store.query(INSPECTIONS)]
    renames = plan(nodes)
    for graph, mapping in renames.items():
        if not mapping:
            continue
        graphs = {graph: rewrite(_graph_lines(store, graph), mapping).encode("utf-8")}
        inferred = f"{graph}/inferred"
        graphs[inferred] = rewrite(_graph_lines(store, inferred), mapping).encode("utf-8")
        write(graphs)
    pairs = list(store.query(DISAGREEMENTS))
    data = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in pairs)
    data += f"<{reconciliation_graph()}> <{BUILT_FROM}> \"{documents_state(store)}\" .\n"
    from .vocabulary import vocabulary_graph, vocabulary_ntriples
    graphs = {reconciliation_graph(): data.encode("utf-8"), vocabulary_graph(): vocabulary_ntriples(store)}
    priorities = reconcile_judgements.Priorities(store)
    drops, demoted = reconcile_judgements.plan(store, priorities)
    for graph in sorted(set(drops) | set(demoted)):
        text, _ = reconcile_judgements.rewrite(_graph_lines(store, graph), drops.get(graph, set()),
                                               demoted.get(graph, set()),
                                               graph if graph in priorities.reports else None)
        graphs[graph] = text.encode("utf-8")
    write(graphs)
    return sum(len(m) for m in renames.values()), len(pairs)


def reconciled_before_load(store, graphs: dict[str, bytes]) -> dict[str, bytes]:
    """A spreadsheet's graphs (IRI -> N-Triples) as reconciliation will leave them, with every
    other graph reconciliation rewrites (older editions' nodes of the same inspections, the
    vocabulary), so that the load itself writes them all reconciled: a reader never sees its
    rows as inspections of their own beside the nodes they describe. Worked out on an in-memory
    copy of the store; the disagreements are left to the run's own reconciliation. Stores other
    than the embedded one get the graphs unchanged (reconciled at the end of the run)."""
    from core.store import EmbeddedStore
    if not isinstance(store, EmbeddedStore):
        return graphs
    scratch = store.scratch_copy(graphs)
    written: dict[str, bytes] = {}
    reconcile(scratch, written)
    written.pop(reconciliation_graph(), None)    # its build stamp says the whole run is done
    return {**written, **{g: _graph_text(scratch, g).encode("utf-8") for g in graphs}}


def _graph_text(store, graph: str) -> str:
    return "".join(_graph_lines(store, graph))
