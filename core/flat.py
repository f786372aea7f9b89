"""The flat tables' declarations: which canned queries are flattened, how their rows are laid
out in the flat graph (their own cells and the shared nodes of their groups), and the graph and
properties that hold them. Ingest writes the graph (:mod:`ingest.flat`); the server reads the
layout to page a table without running the whole query.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from core import iris, vocab
from core.canned import FLAT_DIR, full_text

ROW_NS = vocab.ROW
BUILT_FROM = iris.term("builtFrom")
XSD_INTEGER = vocab.XSD + "integer"


@dataclass(frozen=True)
class Table:
    """One flattened canned query.

    :param name: the canned query's slug; its full query is ``flat/<name>.rq``
    :param order: the columns its ORDER BY sorts on
    :param params: the query's parameter variables (not stored: the canned query binds them)
    :param keys: optional ``flat/<name>.keys.rq``: rows of (join column, key...) whose keys are
        added to every row with that join value, for the canned query's filters
    :param groups: (name, columns) pairs: columns (or keys) that many rows share, such as an
        inspection's authority and dates, stored once per distinct combination of their values
        on a shared node (``#group "<name>"``) that each row links to with ``#<name>``; the
        canned query then joins one link per row instead of one triple per column
    :param rows: optional ``flat/<rows>.rq``, the query whose rows ingest writes when the full
        query gives none with nothing bound (it compares a parameter that has a default): the
        full query's columns for every value of that parameter, with the value as a column of
        its own that the canned query matches the bound parameter with
    :param filters: (parameter, column, match) triples: how each of the canned query's
        parameters keeps rows, for pages that pick their rows without running the query
        (:mod:`server.pagequery`): ``equal`` (the cell is the bound term), ``word`` (the cell,
        a string of words between spaces, holds the value as one word) or ``contains`` (the
        cell's text holds the value, any case); a column may be several joined by ``+``, whose
        cells are matched joined by a space. A test checks them against the canned query.
        Declaring them lets the table's pages be read from its rows (:mod:`server.pagequery`).
    :param pages: a table without parameters whose canned query reads its rows as they are (a
        plain star of its cells, in their order): its pages are read from its rows too.
    """

    name: str
    order: tuple[str, ...]
    params: tuple[str, ...] = ()
    keys: bool = False
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    filters: tuple[tuple[str, str, str], ...] = ()
    rows: str | None = None
    pages: bool = False

    @property
    def pageable(self) -> bool:
        """Whether a page of the table can be read from its rows alone (:mod:`server.pagequery`)."""
        return bool(self.filters) or (self.pages and not self.params)

    def query(self) -> str:
        """The query whose rows ingest writes."""
        return (FLAT_DIR / f"{self.rows}.rq").read_text(encoding="utf-8") if self.rows else full_text(self.name)

    def full_query(self) -> str:
        """The canned query's full text, which a remote store runs and the canned query
        answers like."""
        return full_text(self.name)

    def keys_query(self) -> str | None:
        return (FLAT_DIR / f"{self.name}.keys.rq").read_text(encoding="utf-8") if self.keys else None

    def group_of(self, column: str) -> str | None:
        """The group whose shared node holds ``column``; None for the row's own cell."""
        return next((name for name, columns in self.groups if column in columns), None)


MATCHES = ("equal", "word", "contains")

TABLES = (
    Table("judgements", ("authority", "inspection_start", "published", "subject", "area"),
          ("authority_filter", "framework_filter"), keys=True,
          groups=(("per_inspection", ("authority", "gss_code", "framework", "inspection_kind",
                                      "inspection_start", "inspection_end", "published", "inspection",
                                      "subject", "la", "frameworks")),
                  ("per_area", ("area", "grade"))),
          filters=(("authority_filter", "la", "equal"), ("framework_filter", "frameworks", "word"))),
    Table("recommendations", ("authority", "published", "order"), ("authority_filter", "words"), keys=True,
          groups=(("per_inspection", ("authority", "published", "inspection", "la", "addressee", "band",
                                      "theme")),
                  ("per_place", ("order", "number"))),
          filters=(("authority_filter", "la", "equal"), ("words", "text", "contains"))),
    Table("statistics", ("authority", "measure", "date"), ("authority_filter", "measure_words"), keys=True,
          groups=(("per_authority", ("authority", "la", "date")), ("per_measure", ("measure",)),
                  ("per_comparison", ("unit", "earlier_value", "earlier_date", "comparator",
                                      "comparator_value"))),
          filters=(("authority_filter", "la", "equal"), ("measure_words", "measure", "contains"))),
    Table("inadequate-care-leavers-good-adoption", ("published", "authority")),
    Table("latest-judgements", ("authority", "overall"), pages=True),
    Table("lscb-vs-overall", ("authority", "inspection_start"), pages=True),
    Table("grade-distribution", ("year", "area", "rank"), ("area_filter",), keys=True),
    Table("grade-changes", ("authority", "area", "later_start"), pages=True,
          groups=(("per_pair", ("authority", "authority_iri", "earlier_start", "later_start", "later")),
                  ("per_grades", ("area", "earlier_grade", "later_grade", "change")))),
    Table("latest-grade-by-area", ("authority",), ("area_filter",), rows="latest-grade-by-area.rows"),
    Table("region-grade", ("region", "authority", "inspection_start", "area"), ("region_filter", "grade_filter"),
          keys=True, groups=(("per_region", ("region",)), ("per_grade", ("overall", "rank")))),
    Table("shacl-warnings", ("document", "severity", "message"),
          groups=(("per_document", ("document", "title", "severity")),), pages=True),
    Table("plan-actions-kpis", ("authority", "action_ref"), ("words",),
          groups=(("per_plan", ("authority", "plan_title", "responds_to")),
                  ("per_action", ("action_ref", "action", "due", "action_iri")),
                  ("per_kpi", ("kpi", "target", "target_due"))),
          filters=(("words", "action+kpi", "contains"),)),
    Table("findings-marking-recommendations", ("authority", "finding"), ("authority_filter",), keys=True,
          groups=(("per_inspection", ("authority", "published", "la")),),
          filters=(("authority_filter", "la", "equal"),)),
)


def table(name: str) -> Table | None:
    """The flat table of canned query ``name``; None when it is not flattened."""
    return next((t for t in TABLES if t.name == name), None)


def flat_graph() -> str:
    return iris.graph("flat")


def predicate(table: str, column: str) -> str:
    """The property holding one column of one table's rows."""
    return f"<{ROW_NS}{table}#{column}>"


def built_from(state: str) -> str:
    """``state`` with a digest of the tables' queries and layouts (shared-node groups): a flat
    graph written by other tables (a table added or changed since) is stale too, not only one
    from another store state."""
    return f"{state}+{tables_digest()}"


def written_here_query() -> str:
    """ASK whether the flat graph was written by these tables (:func:`tables_digest`). One
    written by other code, before an upgrade changed a table, holds rows in another layout: until
    ingest rebuilds it, the canned queries run their full texts instead (as on a remote store)."""
    return (f'ASK {{ GRAPH <{flat_graph()}> {{ <{flat_graph()}> <{BUILT_FROM}> ?from '
            f'FILTER (STRENDS(STR(?from), "+{tables_digest()}")) }} }}')


def outdated_update() -> str:
    """A SPARQL Update that leaves the derived graphs marked as built from no state (their
    ``builtFrom`` gone), for a write outside ingest (SPARQL Update, Graph Store through the
    server) that may have changed a document's graph: the canned queries stop reading the flat
    graph at once (:func:`written_here_query`) and run their full texts over the documents, and
    the next ingest rebuilds the links, reconciliation and flat graphs."""
    return " ;\n".join(f"DELETE WHERE {{ GRAPH <{g}> {{ <{g}> <{BUILT_FROM}> ?from }} }}"
                        for g in (iris.graph("reconciliation"), flat_graph()))


#: the version of what ingest writes besides the rows: raise it when that changes, so that a
#: graph written before is rebuilt by the next ingest (2: each table describes its columns)
WRITER_VERSION = 2


@functools.cache
def tables_digest() -> str:
    """A digest of the tables' queries and layouts and of :data:`WRITER_VERSION` (read once per
    process)."""
    texts = "\n".join(f"{t.name} {t.order} {t.groups} {t.query()} {t.keys_query()}" for t in TABLES)
    texts += f"\nwriter {WRITER_VERSION}"
    return hashlib.sha256(texts.encode("utf-8")).hexdigest()[:16]


