"""Map an ``OutcomesTable`` (Ofsted's official spreadsheets) to RDF: one inspection per row
occurrence, its judgements under per-source IRIs (sheet and row), provenance to sheet and row."""
from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from . import iris
from .authorities import Register
from .mapping import OFS, Mapped, _Builder, _inspection_core
from .model import InspectionKind, Judgement, OutcomesTable, RawDocument, TableInspection
from .patterns import slug


def map_table(table: OutcomesTable, raw: RawDocument, register: Register) -> Mapped:
    doc_iri = iris.document(f"outcomes-{Path(raw.path).stem}")
    b = _Builder(raw, doc_iri)
    b.document("OutcomesSpreadsheet", table.title, table.framework)
    subjects = []
    for ti in table.inspections:
        insp, la, a = _table_inspection(b, register, ti, raw.path)
        subjects.append(str(insp))
    return Mapped(doc_iri, b.g, subject_iris=subjects, external_iris=b.external, warnings=list(table.warnings))


#: table inspections whose framework concept is not a ``Framework`` member of their own
TABLE_FRAMEWORK_KEY = {InspectionKind.CPI: "cpi"}


def table_judgement_iri(insp: URIRef, j: Judgement, raw: RawDocument) -> str:
    """A table's judgement has its own IRI (suffixed by source file, sheet and row), so that a
    report's judgement of the same inspection and area stays a separate, comparable node."""
    by_file = iris.part(iris.judgement(str(insp), j.area, j.subject), "source", Path(raw.path).stem)
    return iris.part(by_file, slug(j.source.sheet or "sheet"), j.source.row or 0)


def _table_inspection(b: _Builder, register: Register, ti: TableInspection, path: str):
    insp, la, a = _inspection_core(b, register, ti.authority_name, ti.gss_code, ti.kind,
                                   ti.framework, ti.start, ti.end, ti.published, path,
                                   framework_key=TABLE_FRAMEWORK_KEY.get(ti.kind))
    b.provenance(insp, ti.source)
    b.add(insp, OFS.visitTheme, getattr(ti, "theme", None))
    board = None
    for j in ti.judgements:
        subject = la
        if j.subject == "board":
            subject = board = b.board(a)
        b.judgement(insp, j, ti.framework, subject, iri=table_judgement_iri(insp, j, b.raw))
    if board is not None:
        b.g.add((insp, OFS.reviewedBoard, board))
    return insp, la, a
