"""Map an ``OutcomesTable`` (Ofsted's official spreadsheets) to RDF: one inspection per row
occurrence and one judgement per inspection and area, under the same IRI a report of that
inspection mints, so that every source of a judgement describes one node.

Each judgement also gets a *record* (``ofs:JudgementRecord``, ``ofs:sourceRecord``): this
spreadsheet's printed grade, sheet and row, which stays when ``reconcile`` leaves the judgement's
own grade to a report or a newer edition. The document states the latest date it records
(``ofs:recordsUntil``), by which editions are ordered."""
from __future__ import annotations

from pathlib import Path

from rdflib import RDF, XSD, Literal, URIRef

from core import iris
from core.authorities import Register
from .frameworks import grade_scale
from .graphbuild import OFS, GraphBuilder, Mapped, grade_concept
from .model import Judgement, OutcomesTable, RawDocument, TableInspection


def map_table(table: OutcomesTable, raw: RawDocument, register: Register) -> Mapped:
    doc_iri = iris.document(f"outcomes-{Path(raw.path).stem}")
    b = GraphBuilder(raw, doc_iri)
    b.document(table.title, table.framework)
    subjects = []
    for ti in table.inspections:
        insp, la, a = _table_inspection(b, register, ti, raw.path)
        subjects.append(str(insp))
    dates = [d for ti in table.inspections for d in (ti.start, ti.published) if d]
    if dates:
        b.g.add((b.doc, OFS.recordsUntil, Literal(max(dates).isoformat(), datatype=XSD.date)))
    return Mapped(doc_iri, b.g, subject_iris=subjects, external_iris=b.external, warnings=list(table.warnings))


def record_iri(judgement: URIRef, j: Judgement, raw: RawDocument) -> str:
    """This spreadsheet's record of a judgement (suffixed by source file, sheet and row)."""
    return iris.judgement_record(str(judgement), Path(raw.path).stem, j.source.sheet, j.source.row)


def _record(b: GraphBuilder, node: URIRef, j: Judgement, framework) -> None:
    """What this source printed for the judgement, kept whichever source's grade the node shows."""
    rec = URIRef(record_iri(node, j, b.raw))
    g = b.g
    g.add((rec, RDF.type, OFS.JudgementRecord))
    g.add((node, OFS.sourceRecord, rec))
    g.add((rec, OFS.recordOf, node))
    scale = grade_scale(framework)
    if scale:
        g.add((rec, OFS.grade, grade_concept(scale, j.grade)))
    g.add((rec, OFS.printedGrade, Literal(j.printed_grade)))
    b.provenance(rec, j.source)


def _table_inspection(b: GraphBuilder, register: Register, ti: TableInspection, path: str):
    insp, la, a = b.inspection(register, ti.authority_name, ti.gss_code, ti.kind, ti.framework,
                               (ti.start, ti.end, ti.published), path)
    b.provenance(insp, ti.source)
    b.add(insp, OFS.visitTheme, getattr(ti, "theme", None))
    board = None
    for j in ti.judgements:
        subject = la
        if j.subject == "board":
            subject = board = b.board(a)
        node = b.judgement(insp, j, ti.framework, subject)
        _record(b, node, j, ti.framework)
    if board is not None:
        b.g.add((insp, OFS.reviewedBoard, board))
    return insp, la, a
