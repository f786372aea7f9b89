"""One judgement per inspection and area, and each triple in one graph.

After ``reconcile`` has moved spreadsheet rows onto the inspection nodes they describe, a
judgement may be stated by several documents: a report and each spreadsheet edition (all mint
the same judgement IRI). Its grade must be one: the report's, else the newest edition's (the
spreadsheet recording the latest dates, then the smaller graph IRI, so the result does not depend
on the order of ingest). Every other spreadsheet keeps only its *record* of the judgement
(``ofs:sourceRecord``: its printed grade, sheet and row) and its provenance link; the judgement's
own grade, wording and label are dropped from that spreadsheet's graph. Two reports of one
inspection (an original and its corrected re-publication) are ordered alike: the later
publication date gives the grade, and the older report's grade, printed grade and place in the
report move to its record of the judgement (``iris.report_record``).

Then each triple held by more than one graph is kept by the first of them in this order and
dropped from the others where they are spreadsheet graphs or their entailments (reports, the
ontology and the register are never rewritten): the ontology, the register, the derived
graphs, reports (the latest published first), spreadsheets from the newest edition, then the
entailment graphs in the same order. Statements that several reports make alike (a measure's or
an inspector's description) stay in each of them, unless one report supersedes the other: then
the older gives up what the newer states.
"""
from __future__ import annotations

from pathlib import Path

from core import vocab

from core import iris

OFS = vocab.OFS
RDFS_LABEL = vocab.RDFS_LABEL
PROV_DERIVED = vocab.PROV + "wasDerivedFrom"
RDF_TYPE = vocab.RDF_TYPE
#: what a superseded report's judgement hands on to its record of it
RECORD_PREDICATES = {OFS + "grade", OFS + "printedGrade", OFS + "sourceBlock", OFS + "sourcePage",
                     OFS + "sourceParagraph"}
#: what a spreadsheet's graph gives up on a judgement whose grade another source states
VALUE_PREDICATES = {OFS + "grade", OFS + "printedGrade", OFS + "printedArea", RDFS_LABEL,
                    OFS + "sourceSheet", OFS + "sourceRow", OFS + "sourceBlock",
                    OFS + "sourcePage", OFS + "sourceParagraph"}
_HERE = Path(__file__).parent
GRADED = (_HERE / "reconcile-graded.rq").read_text(encoding="utf-8")
DOCUMENTS = (_HERE / "reconcile-documents.rq").read_text(encoding="utf-8")
DUPLICATES = (_HERE / "reconcile-duplicates.rq").read_text(encoding="utf-8")
SHARED = (_HERE / "reconcile-shared.rq").read_text(encoding="utf-8")


class Priorities:
    """The order in which graphs keep a statement several of them hold (smaller first)."""

    def __init__(self, store):
        self.fixed = {iris.ontology_graph(): 0, iris.graph("authorities"): 1}
        self.tables: dict[str, str] = {}
        self.reports: dict[str, str] = {}      # report -> its publication date ("" if none)
        self.superseded: set[str] = set()      # reports of an inspection a newer report reports
        for r in store.query(DOCUMENTS):
            doc = r["d"].value
            if r["table"].value == "true":
                self.tables[doc] = r["until"].value if r["until"] is not None else ""
            else:
                self.reports[doc] = r["issued"].value if r["issued"] is not None else ""
        for r in store.query(SHARED):
            self.superseded.add(max(r["a"].value, r["b"].value, key=self.key))   # the older

    def key(self, graph: str) -> tuple:
        if graph in self.fixed:
            return (self.fixed[graph], "", graph)
        if graph.endswith("/inferred"):
            base = self.key(graph[: -len("/inferred")])
            return (10 + base[0], *base[1:])
        if graph in self.reports:
            return (3, _newest_first(self.reports[graph]), graph)
        if graph in self.tables:
            return (4, _newest_first(self.tables[graph]), graph)
        return (2, "", graph)

    def removable(self, graph: str, subject: str, keeper: str = "") -> bool:
        """Whether ``graph`` may give up a statement about ``subject`` (an N-Triples term):
        spreadsheets and their entailments (which are reconciled before they are loaded, too).
        Reports and their entailments are never rewritten, so a reader sees each whole as
        loaded; their entailments repeat no statement of their own graph, the ontology or the
        register (``reason.entailments``). A superseded report gives up what the report
        that supersedes it (``keeper``) states."""
        if graph.endswith("/inferred"):
            graph, keeper = graph[: -len("/inferred")], keeper.removesuffix("/inferred")
        return graph in self.tables or (graph in self.superseded and keeper in self.reports)


def _newest_first(date: str) -> str:
    """A sort key putting the latest ISO date first and no date last: each character inverted."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date) if date else chr(0x10FFFF)


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
            if g in priorities.tables or g in priorities.reports:
                demoted.setdefault(g, set()).add(judgement)
    holders: dict[tuple[str, str, str], list[str]] = {}
    for r in store.query(DUPLICATES):
        holders.setdefault((str(r["s"]), str(r["p"]), str(r["o"])), []).append(r["g"].value)
    for triple, graphs in holders.items():
        keep, *others = sorted(set(graphs), key=priorities.key)
        for g in others:
            if priorities.removable(g, triple[0], keep):
                drops.setdefault(g, set()).add(triple)
    return drops, demoted


def rewrite(lines: list[str], drop: set[tuple[str, str, str]], demoted: set[str],
            report: str | None = None) -> tuple[str, int]:
    """N-Triples lines without the dropped triples and the demoted judgements' values.

    :param report: the graph's IRI when it is a superseded report: its demoted judgements'
        grade, printed grade and place move to the report's record of each.
    """
    out, dropped = [], 0
    for line in lines:
        s, p, o = line[:-3].split(" ", 2)    # "<s> <p> o .\n"
        if (s, p, o) in drop or (s in demoted and p[1:-1] in VALUE_PREDICATES):
            dropped += 1
            if report and s in demoted and p[1:-1] in RECORD_PREDICATES:
                out.append(f"<{iris.report_record(s[1:-1], report)}> {p} {o} .\n")
            continue
        out.append(line)
    if report:
        out += [line for j in sorted(demoted) for line in _record_lines(j, report)]
    return "".join(out), dropped


def _record_lines(judgement: str, report: str) -> list[str]:
    """What makes a report's record of a judgement (an N-Triples term) one."""
    rec = f"<{iris.report_record(judgement[1:-1], report)}>"
    return [f"{rec} <{RDF_TYPE}> <{OFS}JudgementRecord> .\n", f"{judgement} <{OFS}sourceRecord> {rec} .\n",
            f"{rec} <{OFS}recordOf> {judgement} .\n", f"{rec} <{PROV_DERIVED}> <{report}> .\n"]
