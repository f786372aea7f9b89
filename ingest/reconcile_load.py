"""Reconciliation as a report is loaded, so that no reader ever sees an inspection twice.

A spreadsheet is reconciled before it is loaded (``reconcile.reconciled_before_load``). A report
loaded after a spreadsheet (or after another report of the same inspection) changes *other*
graphs: the spreadsheet's node of that inspection moves onto the report's, and the other
sources' grades of its judgements become records. Those few lines are worked out here and
written in the same transaction as the report itself.

Only what can change is looked at: in the documents reporting an inspection of the report's
authority (and their entailment graphs), the statements about those inspections, their
judgements and records, and about the documents themselves. ``reconcile`` runs on an in-memory
store of just those statements and the new graphs; the lines it changed are the edits. The end
of the run still reconciles the whole store, as before.
"""
from __future__ import annotations

from pathlib import Path

from core import iris

INSPECTION_OF = f"<{iris.term('inspectionOf')}>"
NEIGHBOURS = (Path(__file__).parent / "reconcile-neighbours.rq").read_text(encoding="utf-8")
EVERYTHING = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
#: graph IRI -> (N-Triples lines to delete, to insert)
Edits = dict[str, tuple[bytes, bytes]]


def _authorities(graphs: dict[str, bytes]) -> set[str]:
    """The authorities the new graphs' inspections are of (read from their N-Triples lines)."""
    found = set()
    for data in graphs.values():
        for line in data.decode("utf-8").splitlines():
            parts = line[:-2].split(" ", 2)
            if len(parts) == 3 and parts[1] == INSPECTION_OF and parts[2].startswith("<"):
                found.add(parts[2].strip()[1:-1])
    return found


def _neighbourhood(store, authorities: set[str], own: set[str]) -> dict[str, set[str]]:
    """What other documents (and their entailment graphs) state about these authorities'
    inspections: graph IRI -> N-Triples lines."""
    from core.anystore import iri_bindings
    rows, documents = [], set()
    for la in sorted(authorities):
        for r in store.query(NEIGHBOURS, substitutions=iri_bindings(la=la)):
            rows.append(r)
            if r["d"] is not None:
                documents.add(r["d"].value)
    graphs = {name for d in documents - own for name in (d, iris.inferred_graph(d))}
    lines: dict[str, set[str]] = {}
    for r in rows:
        if r["g"].value in graphs:
            lines.setdefault(r["g"].value, set()).add(f"{r['s']} {r['p']} {r['o']} .\n")
    return lines


def _lines_by_graph(store) -> dict[str, set[str]]:
    lines: dict[str, set[str]] = {}
    for r in store.query(EVERYTHING):
        lines.setdefault(r["g"].value, set()).add(f"{r['s']} {r['p']} {r['o']} .\n")
    return lines


def reconciled_report(store, graphs: dict[str, bytes]) -> tuple[dict[str, bytes], Edits]:
    """A report's graphs as reconciliation leaves them, and the edits of other graphs that
    must be written with them (see the module's docstring).

    :param graphs: the report's graphs (IRI -> N-Triples), as ``replace_graphs`` takes them.
    :return: the graphs to replace and the edits (``replace_graphs(graphs, edits)``); no edits
        for a store other than the embedded one (reconciled at the end of the run).
    """
    from .reconcile import reconcile
    from core.store import EmbeddedStore
    authorities = _authorities(graphs)
    if not isinstance(store, EmbeddedStore) or not authorities:
        return graphs, {}
    before = _neighbourhood(store, authorities, set(graphs))
    if not before:
        return graphs, {}
    scratch = EmbeddedStore(None)
    scratch.replace_graphs({**graphs, **{g: "".join(sorted(ls)).encode("utf-8") for g, ls in before.items()}})
    reconcile(scratch)
    after = _lines_by_graph(scratch)
    edits: Edits = {}
    for name, old in before.items():
        new = after.get(name, set())
        if old != new:
            edits[name] = ("".join(sorted(old - new)).encode("utf-8"), "".join(sorted(new - old)).encode("utf-8"))
    mine = {g: data if set(data.decode("utf-8").splitlines(keepends=True)) == after.get(g, set())
            else "".join(sorted(after.get(g, set()))).encode("utf-8") for g, data in graphs.items()}
    return mine, edits


def reconciled_for_load(store, graphs: dict[str, bytes], spreadsheet: bool) -> tuple[dict[str, bytes], Edits]:
    """What loading a document writes so that it is reconciled the moment it is seen.

    :param graphs: the document's graphs (IRI -> N-Triples).
    :param spreadsheet: whether it is an outcomes spreadsheet (``reconcile.reconciled_before_load``:
        graphs only), else a report (``reconciled_report``: graphs and edits).
    :return: ``(graphs, edits)`` for ``replace_graphs``.
    """
    if spreadsheet:
        from .reconcile import reconciled_before_load
        return reconciled_before_load(store, graphs), {}
    return reconciled_report(store, graphs)
