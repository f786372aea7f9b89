"""Ofsted's official outcomes spreadsheets: reader, parser, register coverage and reconciliation.

The real workbooks are read in place from ``../shared/reference/ofsted-outcomes`` (never copied
into the project); those tests skip when it is absent. Small workbooks the tests write
themselves exercise the error paths and the report/table reconciliation on a fresh clone.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from core.authorities import register
from ingest.frameworks.outcomes_table import parse
from ingest.model import Framework, IngestError, InspectionKind
from ingest.normalise import normalise
from ingest.readers import read

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
OUTCOMES = SHARED / "reference" / "ofsted-outcomes"
HISTORY_2023 = OUTCOMES / "Childrens_social_care_in_England_2023_underlying_data.ods"
EDITION_2025 = OUTCOMES / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
EDITION_2024 = OUTCOMES / "LA_Inspection_Outcomes_as_at_March_2024.ods"
BRISTOL_SIF = ROOT / "corpus" / "bristol_2014_SIF-with-LSCB-review.txt"

needs_reference = pytest.mark.skipif(
    not HISTORY_2023.exists(),
    reason="../shared/reference/ofsted-outcomes is absent (the official spreadsheets are read "
           "in place and never committed)")


# ----------------------------------------------------------------- helpers


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet (strings and dates) written with the standard library."""
    def cell(v: object) -> str:
        if isinstance(v, dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                    f"<text:p>{v.isoformat()}</text:p></table:table-cell>")
        if v in (None, ""):
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
    body = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


def parsed(path: Path):
    return parse(normalise(read(path)))


def find(table, gss: str, kind: InspectionKind, **dates):
    hits = [ti for ti in table.inspections if ti.gss_code == gss and ti.kind is kind
            and all(getattr(ti, k) == v for k, v in dates.items())]
    assert len(hits) == 1, f"{len(hits)} {kind.value} inspections of {gss} with {dates}"
    return hits[0]


def grades(ti) -> dict[str, tuple[str, str]]:
    return {(j.area if j.subject == "authority" else f"{j.subject}/{j.area}"): (j.grade, j.printed_grade)
            for j in ti.judgements}


# ----------------------------------------------------------------- generated workbooks


def test_reader_rejects_a_file_that_is_not_a_spreadsheet(tmp_path):
    bad = tmp_path / "outcomes.ods"
    bad.write_text("Local authority name,Publication date\n")
    with pytest.raises(IngestError, match=r"outcomes\.ods: not a spreadsheet"):
        read(bad)
    corrupt = tmp_path / "corrupt.ods"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    with pytest.raises(IngestError, match=r"corrupt\.ods: cannot read spreadsheet"):
        read(corrupt)


def test_reader_reads_dates_and_blanks(tmp_path):
    path = write_ods(tmp_path / "t.ods", {"ILACS_inspection_history": [
        ["Local authority name", "Inspection date", "Overall effectiveness"],
        ["Bristol", dt.date(2023, 1, 16), ""]]})
    raw = read(path)
    assert raw.tables[0].name == "ILACS_inspection_history"
    assert raw.tables[0].rows[1][:3] == ("Bristol", dt.date(2023, 1, 16), "")


def test_missing_column_names_file_sheet_and_column(tmp_path):
    path = write_ods(tmp_path / "no-names.ods", {"ILACS_inspection_history": [
        ["ILACS inspection history"],
        ["Local authority area code", "Inspection date", "Overall effectiveness"],
        ["E06000023", dt.date(2023, 1, 16), "Good"]]})
    with pytest.raises(IngestError) as err:
        parsed(path)
    message = str(err.value)
    assert "no-names.ods" in message and "'ILACS_inspection_history'" in message
    assert "'Local authority name'" in message


def test_missing_date_column_is_named(tmp_path):
    path = write_ods(tmp_path / "no-dates.ods", {"Inspections_as_at_31_March": [
        ["Local authority name", "Ofsted region", "Overall effectiveness"],
        ["Bristol", "South West", "Good"]]})
    with pytest.raises(IngestError, match=r"no-dates\.ods: sheet 'Inspections_as_at_31_March': "
                                          r"missing expected column 'Inspection date or Publication date'"):
        parsed(path)


def test_unknown_authority_names_file_and_name(tmp_path):
    path = write_ods(tmp_path / "unknown.ods", {"ILACS_inspection_history": [
        ["Local authority name", "Inspection date", "Inspection type", "Overall effectiveness"],
        ["Atlantis", dt.date(2023, 1, 16), "ILACS Standard Inspection", "Good"]]})
    with pytest.raises(IngestError, match=r"unknown\.ods: authority 'Atlantis' is not in the register"):
        parsed(path)


def test_headers_found_by_text_not_position(tmp_path):
    # columns shuffled, an extra column and a title row above the header
    path = write_ods(tmp_path / "shuffled.ods", {"ILACS_inspection_history": [
        ["ILACS inspection history"],
        ["Overall effectiveness", "Notes", "Publication date", "Inspection type", "Local authority name",
         "Inspection date", "The experiences and progress of children in care", "The experiences and progress of care leavers"],
        ["Good", "x", dt.date(2023, 3, 10), "ILACS Standard Inspection", "Bristol", dt.date(2023, 1, 16),
         "Requires improvement to be good", "Good"]]})
    (ti,) = parsed(path).inspections
    assert (ti.gss_code, ti.start, ti.published, ti.framework) == (
        "E06000023", dt.date(2023, 1, 16), dt.date(2023, 3, 10), Framework.ILACS_2023)
    assert grades(ti)["children-in-care"] == ("requires-improvement-to-be-good", "Requires improvement to be good")
    assert ti.source.sheet == "ILACS_inspection_history" and ti.source.row == 3


# ----------------------------------------------------------------- reconciliation (generated table)


def _reconciled_store(tmp_path, oe_printed: str):
    from ingest.pipeline import Ingestor
    from tests.conftest import new_store
    table = write_ods(tmp_path / "sif-history.ods", {"LA_inspections_2009-2023": [
        ["Local authority name", "LA region", "First SIF publication date", "First SIF Overall Judgement (OE)",
         "First SIF CLA Sub: Adoption Performance", "LSCB Overall Effectiveness"],
        ["Bristol", "South West", dt.date(2014, 12, 4), oe_printed, "Good", "Requires improvement to be good"]]})
    store = new_store()
    outcomes = Ingestor(store, jobs=1).run([str(table), str(BRISTOL_SIF)])
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return store


SELECT_JUDGEMENTS = """PREFIX ofs: <https://w3id.org/ofsted-kg/def#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?area ?file ?grade WHERE {
  <https://w3id.org/ofsted-kg/id/inspection/E06000023/sif/2014-09-30> ofs:hasJudgement ?j .
  ?j ofs:area ?area ; ofs:grade ?grade ; prov:wasDerivedFrom ?doc . ?doc ofs:fileName ?file .
}"""


def test_report_and_table_row_share_one_inspection_node(tmp_path):
    store = _reconciled_store(tmp_path, "Requires improvement to be good")
    rows = {(r["area"].value.rsplit("/", 1)[-1], r["file"].value): r["grade"].value.rsplit("/", 1)[-1]
            for r in store.query(SELECT_JUDGEMENTS)}
    # the table row (published 4 Dec, one day off the report's 5 Dec) joined the report's node
    assert rows[("overall-effectiveness", "sif-history.ods")] == "sif-requires-improvement"
    assert rows[("overall-effectiveness", "bristol_2014_SIF-with-LSCB-review.txt")] == "sif-requires-improvement"
    assert rows[("adoption", "sif-history.ods")] == rows[("adoption", "bristol_2014_SIF-with-LSCB-review.txt")]
    assert rows[("lscb", "sif-history.ods")] == "sif-requires-improvement"
    inspections = {r["i"].value for r in store.query(
        "PREFIX ofs: <https://w3id.org/ofsted-kg/def#> SELECT ?i WHERE { ?i ofs:inspectionOf "
        "<https://w3id.org/ofsted-kg/id/authority/E06000023> }")}
    assert inspections == {"https://w3id.org/ofsted-kg/id/inspection/E06000023/sif/2014-09-30"}
    assert not store.query("PREFIX ofs: <https://w3id.org/ofsted-kg/def#> ASK { ?a ofs:disagreesWith ?b }")


def test_disagreement_is_recorded_and_listed(tmp_path):
    import tomllib
    store = _reconciled_store(tmp_path, "Good")
    query = (ROOT / "queries" / "source-disagreements.rq").read_text()
    assert tomllib.loads((ROOT / "queries" / "source-disagreements.toml").read_text())["params"][0]["example"]
    rows = list(store.query(query))
    assert len(rows) == 1
    row = rows[0]
    assert row["area"].value == "Overall effectiveness"
    assert (row["printed_grade"].value, row["source"].value, row["sheet"].value, int(row["row"].value)) == (
        "Good", "sif-history.ods", "LA_inspections_2009-2023", 2)
    assert (row["other_printed_grade"].value, row["other_source"].value) == (
        "require improvement", "bristol_2014_SIF-with-LSCB-review.txt")


# ----------------------------------------------------------------- the real workbooks


@pytest.fixture(scope="module")
def history_2023():
    return parsed(HISTORY_2023)


@pytest.fixture(scope="module")
def edition_2025():
    return parsed(EDITION_2025)


@pytest.fixture(scope="module")
def edition_2024():
    return parsed(EDITION_2024)


@needs_reference
def test_2023_history_counts_per_framework(history_2023):
    counts = Counter(ti.kind.value for ti in history_2023.inspections)
    assert counts == {"slac": 161, "sif": 152, "sif-reinspection": 21, "cpi": 51, "lac": 5,
                      "ilacs-standard": 127, "ilacs-short": 50}
    assert not history_2023.warnings


@needs_reference
def test_2023_history_sif_and_slac_grades(history_2023):
    barnet = find(history_2023, "E09000003", InspectionKind.SIF)
    assert barnet.published == dt.date(2017, 7, 7) and barnet.start is None
    g = grades(barnet)
    assert g["overall-effectiveness"] == ("inadequate", "Inadequate")
    # SIF "Requires improvement", printed as the ILACS wording, maps to the SIF grade
    assert g["adoption"] == ("requires-improvement", "Requires improvement to be good")
    assert g["board/lscb"] == ("inadequate", "Inadequate")
    assert barnet.source.sheet == "LA_inspections_2009-2023" and barnet.source.row == 7
    barking = find(history_2023, "E09000002", InspectionKind.SLAC)
    assert barking.published == dt.date(2012, 7, 27)
    # 2009-12 "Adequate", printed as "Requires improvement to be good"
    assert grades(barking) == {"safeguarding/overall-effectiveness": ("good", "Good"),
                               "looked-after/overall-effectiveness": ("adequate", "Requires improvement to be good")}


@needs_reference
def test_2023_history_former_authorities(history_2023):
    northants = [ti for ti in history_2023.inspections if ti.gss_code == "E10000021"]
    assert {(ti.kind.value, ti.published) for ti in northants} >= {
        ("cpi", dt.date(2013, 3, 20)), ("lac", dt.date(2013, 8, 23)), ("sif", dt.date(2016, 4, 27)),
        ("ilacs-standard", dt.date(2019, 7, 29))}
    cpi = find(history_2023, "E10000021", InspectionKind.CPI)
    assert grades(cpi) == {"child-protection/overall-effectiveness": ("inadequate", "Inadequate")}
    # Dorset in the "before the restructure" table is the county council, not Dorset Council
    old_dorset = find(history_2023, "E10000009", InspectionKind.SIF)
    assert old_dorset.published == dt.date(2016, 5, 23)
    assert find(history_2023, "E06000028", InspectionKind.ILACS_STANDARD).published == dt.date(2018, 8, 24)
    assert find(history_2023, "E06000029", InspectionKind.SIF).published == dt.date(2017, 11, 24)


@needs_reference
def test_2025_ilacs_history_row_and_focused_visit(edition_2025):
    counts = Counter(ti.kind.value for ti in edition_2025.inspections)
    assert counts == {"ilacs-standard": 171, "ilacs-short": 100, "focused-visit": 36, "monitoring-visit": 24}
    first = find(edition_2025, "E09000002", InspectionKind.ILACS_STANDARD, start=dt.date(2019, 2, 18))
    assert first.published == dt.date(2019, 4, 1) and first.framework is Framework.ILACS_2018
    assert (first.source.sheet, first.source.row) == ("ILACS_inspection_history", 4)
    # before 2023 the "children in care" column holds the combined judgement
    assert grades(first)["children-in-care-and-care-leavers"] == (
        "requires-improvement-to-be-good", "Requires improvement to be good")
    second = find(edition_2025, "E09000002", InspectionKind.ILACS_STANDARD, start=dt.date(2023, 7, 10))
    assert second.framework is Framework.ILACS_2023 and grades(second)["care-leavers"] == ("good", "Good")
    visit = find(edition_2025, "E09000002", InspectionKind.FOCUSED_VISIT)
    assert (visit.start, visit.published, visit.theme, visit.judgements) == (
        dt.date(2025, 3, 26), dt.date(2025, 4, 29), "Children in need/subject to a plan", [])
    cumbria = find(edition_2025, "E10000006", InspectionKind.ILACS_STANDARD)
    assert cumbria.start == dt.date(2022, 9, 20)


@needs_reference
def test_2025_covers_the_153_current_authorities(edition_2025):
    reg = register()
    current = {a.gss_code for a in reg if not a.end_date}
    assert len(current) == 153
    covered = {ti.gss_code for ti in edition_2025.inspections}
    assert current <= covered
    assert covered - current == {"E10000006", "E10000021", "E06000028"}   # Cumbria, Northants, Bournemouth


@needs_reference
@pytest.mark.parametrize("path", [HISTORY_2023, EDITION_2025, EDITION_2024], ids=lambda p: p.name[:24])
def test_every_row_resolves_to_a_registered_gss_code(path):
    reg = register()
    table = parsed(path)
    assert table.inspections
    assert all(ti.gss_code in reg.by_gss for ti in table.inspections)


@needs_reference
def test_editions_disagree_on_staffordshire_care_leavers(edition_2024, edition_2025):
    # the 2024 edition's in-year sheet and the 2025 edition's history print different grades
    new = find(edition_2025, "E10000028", InspectionKind.ILACS_SHORT, start=dt.date(2023, 11, 6))
    old = find(edition_2024, "E10000028", InspectionKind.ILACS_SHORT, start=dt.date(2023, 11, 6))
    assert grades(new)["care-leavers"][0] == "requires-improvement-to-be-good"
    assert grades(old)["care-leavers"][0] == "good"
    # within the 2024 edition, the start-only and publication-only rows are one inspection
    assert old.published == dt.date(2024, 1, 12)


def test_report_ingested_after_the_table_takes_over_its_node(tmp_path):
    """Reverse order, separate runs: the stored table graph is rewritten onto the report's node."""
    from ingest.pipeline import Ingestor
    from tests.conftest import new_store
    table = write_ods(tmp_path / "sif-history.ods", {"LA_inspections_2009-2023": [
        ["Local authority name", "First SIF publication date", "First SIF Overall Judgement (OE)"],
        ["Bristol", dt.date(2014, 12, 5), "Requires improvement to be good"]]})
    store = new_store()
    assert all(o.ok for o in Ingestor(store, jobs=1).run([str(table)]))
    by_date = "https://w3id.org/ofsted-kg/id/inspection/E06000023/sif/2014-12-05"
    ask = "PREFIX ofs: <https://w3id.org/ofsted-kg/def#> ASK {{ <{}> ofs:hasJudgement ?j }}"
    assert store.query(ask.format(by_date))
    assert all(o.ok for o in Ingestor(store, jobs=1).run([str(BRISTOL_SIF)]))
    assert not store.query(ask.format(by_date))
    rows = {r["file"].value for r in store.query(SELECT_JUDGEMENTS)}
    assert rows == {"sif-history.ods", "bristol_2014_SIF-with-LSCB-review.txt"}


def test_reconciliation_plan_prefers_reports_then_start_dates():
    from ingest.reconcile import Node, plan
    la = "https://w3id.org/ofsted-kg/id/authority/E06000023"
    report = Node("doc:report", "insp:start", la, "ilacs-standard", dt.date(2023, 1, 16), dt.date(2023, 3, 10), False)
    old_table = Node("doc:2023", "insp:pub", la, "ilacs-short", None, dt.date(2023, 3, 13), True)
    latest = Node("doc:2024", "insp:start2", la, "ilacs-standard", dt.date(2023, 1, 16), None, True)
    far = Node("doc:2023", "insp:other", la, "ilacs-standard", None, dt.date(2018, 10, 22), True)
    assert plan([report, old_table, latest, far]) == {"doc:2023": {"insp:pub": "insp:start"},
                                                      "doc:2024": {"insp:start2": "insp:start"}}
    # without the report, the node minted from a start date wins; nodes sharing no date stay apart
    edition = Node("doc:2025", "insp:start3", la, "ilacs-short", dt.date(2023, 1, 16), dt.date(2023, 3, 10), True)
    assert plan([old_table, edition]) == {"doc:2023": {"insp:pub": "insp:start3"}}
    assert plan([old_table, latest]) == {}


def test_judgements_query_shows_one_row_per_area_when_report_and_table_agree(tmp_path):
    import queries
    store = _reconciled_store(tmp_path, "Requires improvement to be good")
    canned = queries.load_all()["judgements"]
    rows = list(store.query(canned.sparql, substitutions=canned.bindings({"authority_filter": "E06000023"})))
    keys = [(r["inspection"].value, r["subject"].value, r["area"].value) for r in rows]
    assert len(keys) == len(set(keys)) == 7
    # the report's own judgement is the one shown
    assert all("/source/" not in r["judgement"].value for r in rows)
