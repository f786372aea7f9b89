"""One judgement per inspection and area, and each triple in one graph.

After ``reconcile`` has moved spreadsheet rows onto the inspection nodes they describe, a
judgement may be stated by several documents: a report and each spreadsheet edition (all mint
the same judgement IRI). Its grade must be one: the report's, else the newest edition's (the
spreadsheet recording the latest dates, then the smaller graph IRI, so the result does not depend
on the order of ingest). Every other spreadsheet keeps only its *record* of the judgement
(``ofs:sourceRecord``: its printed grade, sheet and row) and its provenance link; the judgement's
own grade, wording and label are dropped from that spreadsheet's graph.

Then each triple held by more than one graph is kept by the first of them in this order and
dropped from the others where they are spreadsheet graphs or their entailments (reports, the
ontology and the register are never rewritten): the ontology, the register, the derived
graphs, reports, spreadsheets from the newest edition, then the entailment graphs in the same
order. Statements that several reports make alike (a measure's or an inspector's description)
stay in each of them.
"""
from __future__ import annotations

from pathlib import Path

from core import vocab

from core import iris

OFS = vocab.OFS
RDFS_LABEL = vocab.RDFS_LABEL
#: what a spreadsheet's graph gives up on a judgement whose grade another source states
VALUE_PREDICATES = {OFS + "grade", OFS + "printedGrade", OFS + "printedArea", RDFS_LABEL,
                    OFS + "sourceSheet", OFS + "sourceRow", OFS + "sourceBlock",
                    OFS + "sourcePage", OFS + "sourceParagraph"}
_HERE = Path(__file__).parent
GRADED = (_HERE / "reconcile-graded.rq").read_text(encoding="utf-8")
DOCUMENTS = (_HERE / "reconcile-documents.rq").read_text(encoding="utf-8")
DUPLICATES = (_HERE / "reconcile-duplicates.rq").read_text(encoding="utf-8")


class Priorities:
    """The order in which graphs keep a statement several of them hold (smaller first)."""

    def __init__(self, store):
        self.tables: dict[str, str] = {}
        self.reports: set[str] = set()
        for r in store.query(DOCUMENTS):
            doc = r["d"].value
            if r["table"].value == "true":
                self.tables[doc] = r["until"].value if r["until"] is not None else ""
            else:
                self.reports.add(doc)
        self.fixed = {iris.ontology_graph(): 0, iris.graph("authorities"): 1}

    def key(self, graph: str) -> tuple:
        if graph in self.fixed:
            return (self.fixed[graph], "", graph)
        if graph.endswith("/inferred"):
            base = self.key(graph[: -len("/inferred")])
            return (10 + base[0], *base[1:])
        if graph in self.reports:
            return (3, "", graph)
        if graph in self.tables:
            # newest edition first: invert the date's characters so a plain sort puts it first
            return (4, "".join(chr(0x10FFFF - ord(c)) for c in self.tables[graph]), graph)
        return (2, "", graph)

    def removable(self, graph: str, subject: str) -> bool:
        """Whether ``graph`` may give up a statement about ``subject`` (an N-Triples term):
        spreadsheets and their entailments (which are reconciled before they are loaded, too).
        Reports and their entailments are never rewritten, so a reader sees each whole as
        loaded; their entailments repeat no statement of their own graph, the ontology or the
        register (``reason.entailments``)."""
        if graph.endswith("/inferred"):
            graph = graph[: -len("/inferred")]
        return graph in self.tables


def plan(store, priorities: Priorities) -> tuple[dict[str, set[tuple[str, str, str]]], dict[str, set[str]]]:
    """What to drop from which graph: ``({graph: {(s, p, o) as N-Triples terms}},
    {graph: {judgements whose grade and wording it gives up}})``."""
    drops: dict[str, set[tuple[str, str, str]]] = {}
    graded: dict[str, list[str]] = {}
    for r in store.query(GRADED):
        graded.setdefault(str(r["j"]), []).append(r["g"].value)
    demoted: dict[str, set[str]] = {}      # graph -> judgements whose values it gives up
    for judgement, graphs in graded.items():
        if len(graphs) < 2:
            continue
        winner, *losers = sorted(set(graphs), key=priorities.key)
        for g in losers:
            if g in priorities.tables:
                demoted.setdefault(g, set()).add(judgement)
    holders: dict[tuple[str, str, str], list[str]] = {}
    for r in store.query(DUPLICATES):
        holders.setdefault((str(r["s"]), str(r["p"]), str(r["o"])), []).append(r["g"].value)
    for triple, graphs in holders.items():
        keep, *others = sorted(set(graphs), key=priorities.key)
        for g in others:
            if priorities.removable(g, triple[0]):
                drops.setdefault(g, set()).add(triple)
    return drops, demoted


def rewrite(lines: list[str], drop: set[tuple[str, str, str]], demoted: set[str]) -> tuple[str, int]:
    """N-Triples lines without the dropped triples and the demoted judgements' values."""
    out, dropped = [], 0
    for line in lines:
        s, p, o = line[:-3].split(" ", 2)    # "<s> <p> o .\n"
        if (s, p, o) in drop or (s in demoted and p[1:-1] in VALUE_PREDICATES):
            dropped += 1
            continue
        out.append(line)
    return "".join(out), dropped
