"""The one place that mints IRIs.

Readable, deterministic and stable across re-ingest: every IRI is built from facts printed in
the source (GSS code, framework, dates, printed numbers), never from counters or hashes of the
run. The base for data IRIs is configurable (``OFSTED_KG_BASE_IRI``, read by
``core.settings``); the ontology's namespaces are fixed (``core.vocab``).

Layout (``{base}`` defaults to ``https://w3id.org/ofsted-kg/``)::

    {base}id/authority/{GSS}                        a local authority
    {base}id/board/{GSS}                            its safeguarding children board
    {base}id/inspection/{GSS}/{kind}/{date}         an inspection (date = start, else published)
    {inspection}/judgement/{area}                   one graded judgement (one per inspection and area)
    {judgement}/source/{document}/{sheet}/{row}     one spreadsheet's record of that judgement
    {inspection}/recommendation/{addressee}/{n}     one recommendation (printed number or order)
    {inspection}/strength/{n} | finding/{n} | statistic/{measure}[-{n}] | team/{n} | tenure/{n}
    {base}id/document/{slug}                        a source document; also its named graph
    {base}id/plan/{GSS}/{issued}                    an improvement plan
    {plan}/theme/{n} | action/{ref} | kpi/{ref} | rag/{label}
    {base}id/measure/{slug} | id/person/{slug}     what a statistic measures; an inspector
    {base}id/graph/{name}                           derived graphs (authorities, links, ...)
    {base}id/graph/flat/{table}/{n}                 row n of a hot canned query's table (flat graph)
"""
from __future__ import annotations

import datetime as dt
import re

from .settings import base_iri
from .vocab import OFS as ONTOLOGY_NS
from .vocab import ONS_GEOGRAPHY, ONTOLOGY_IRI


def _base() -> str:
    return base_iri()


def authority(gss: str, base: str | None = None) -> str:
    """A local authority, by GSS code.

    :param base: the base of data IRIs (default: the ``BASE_IRI`` setting); the server passes
        its app's own.
    """
    return f"{base_iri(base) if base else _base()}id/authority/{gss}"


def board(gss: str) -> str:
    return f"{_base()}id/board/{gss}"


def ons_geography(gss: str) -> str:
    return ONS_GEOGRAPHY + gss


def inspection(gss: str, kind: str, date: dt.date | None) -> str:
    return f"{_base()}id/inspection/{gss}/{slug(kind)}/{date.isoformat() if date else 'undated'}"


def judgement(inspection_iri: str, area: str, subject: str = "authority") -> str:
    key = area if subject == "authority" else f"{subject}/{area}"
    return f"{inspection_iri}/judgement/{'/'.join(slug(p) for p in key.split('/'))}"


def judgement_record(judgement_iri: str, document_key: str, sheet: str | None, row: int | None) -> str:
    """One source's record of a judgement (a spreadsheet edition's sheet and row)."""
    by_file = part(judgement_iri, "source", document_key)
    return part(by_file, slug(sheet or "sheet"), row or 0)


def report_record(judgement_iri: str, document_iri: str) -> str:
    """A report's record of a judgement whose grade a newer report of the inspection gives."""
    return part(judgement_iri, "source", document_iri.rstrip("/").rsplit("/", 1)[-1])


def recommendation(inspection_iri: str, addressee: str, key: str) -> str:
    return f"{inspection_iri}/recommendation/{slug(addressee)}/{slug(key)}"


def part(parent_iri: str, kind: str, key: str | int) -> str:
    """A numbered or keyed part of an inspection or plan: strength, finding, statistic, ...

    Keys are slugged whole (up to 120 characters), so a numbered suffix ("-2") survives."""
    return f"{parent_iri}/{kind}/{slug(str(key), 120)}"


def document(key: str) -> str:
    return f"{_base()}id/document/{slug(key, 120)}"


def plan(gss: str, issued: dt.date | None, title: str) -> str:
    when = issued.isoformat()[:7] if issued else "undated"
    return f"{_base()}id/plan/{gss}/{when}/{slug(title, 40)}"


def measure(name: str) -> str:
    """What a statistic measures (``children-looked-after``)."""
    return f"{_base()}id/measure/{slug(name)}"


def person(name: str) -> str:
    """An inspector, by name as printed."""
    return f"{_base()}id/person/{slug(name)}"


def vocabulary_prefixes() -> tuple[str, ...]:
    """IRIs that many documents name alike (measures, inspectors): described once, in the
    vocabulary graph."""
    return (f"{_base()}id/measure/", f"{_base()}id/person/")


def graph(name: str) -> str:
    """A derived graph of the store: ``authorities``, ``links``, ``reconciliation``."""
    return f"{_base()}id/graph/{name}"


def flat_row(table: str, position: int) -> str:
    """One row of a canned query's table in the flat graph (see ``flat``)."""
    return f"{flat_rows(table)}{position}"


def flat_rows(table: str) -> str:
    """What every row IRI of ``table`` starts with (its position follows): built once for a page
    of rows rather than once per row."""
    return f"{graph('flat')}/{slug(table)}/"


def flat_group(table: str, group: str, number: int) -> str:
    """A node of the flat graph holding cells that many rows of a table share (see ``flat``)."""
    return f"{graph('flat')}/{slug(table)}/{slug(group)}/{number}"


def inferred_graph(document_iri: str) -> str:
    """The named graph holding the entailments of one document's graph."""
    return f"{document_iri}/inferred"


def ontology_graph() -> str:
    return ONTOLOGY_IRI


def term(local: str) -> str:
    return ONTOLOGY_NS + local


def slug(text: str, max_len: int = 60) -> str:
    """Lower-case ASCII slug for IRIs and measure keys."""
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return s[:max_len].rstrip("-") or "x"
