"""The authority register: names as reports print them resolve to one GSS code."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core import iris
from core.authorities import register
from ingest.graphbuild import resolve_authority
from ingest.model import IngestError


@pytest.mark.parametrize("printed,gss", [
    ("Bristol City Council", "E06000023"),
    ("City of Bristol", "E06000023"),
    ("City of Bradford Metropolitan District Council", "E08000032"),
    ("Bath and North East Somerset", "E06000022"),
    ("Bath & North East Somerset Council", "E06000022"),
    ("Gloucestershire County Council", "E10000013"),
    ("Dudley Metropolitan Borough Council", "E08000027"),
    ("London Borough of Hammersmith and Fulham", "E09000013"),
    ("Nottingham", "E06000018"),
    ("Nottinghamshire", "E10000024"),
])
def test_printed_names_resolve(printed, gss):
    assert register().lookup(printed).gss_code == gss


@pytest.mark.parametrize("acronym", ["BSCB", "B&NES", "LSCB", "MDC"])
def test_acronyms_alone_never_match(acronym):
    assert register().lookup(acronym) is None


def test_unknown_name_is_a_clear_error_naming_file_and_name():
    with pytest.raises(IngestError, match=r"report\.txt: authority 'Atlantis Borough Council' is not in the register"):
        resolve_authority(register(), "Atlantis Borough Council", "report.txt")


def test_register_covers_the_current_childrens_services_authorities():
    current = [a for a in register() if not a.end_date and a.gss_code[:3] in ("E06", "E08", "E09", "E10")]
    assert len(current) >= 152
    assert all(a.region for a in current)


def test_base_iri_is_configurable(monkeypatch):
    assert iris.authority("E06000023") == "https://w3id.org/ofsted-kg/id/authority/E06000023"
    monkeypatch.setenv("OFSTED_KG_BASE_IRI", "https://data.example.org/ofsted")
    assert iris.authority("E06000023") == "https://data.example.org/ofsted/id/authority/E06000023"
    assert iris.ons_geography("E06000023") == "http://statistics.data.gov.uk/id/statistical-geography/E06000023"


@pytest.mark.parametrize("printed,gss", [
    ("East Riding", "E06000011"),
    ("Hull", "E06000010"),
    ("Bristol", "E06000023"),
    ("Durham", "E06000047"),
    ("City of London local authority", "E09000001"),
    ("Southwark local authority", "E09000028"),
    ("Trafford Council’s", "E08000009"),
    ("Sandwell Children’s Trust", "E08000028"),
    ("the Isle of Wight", "E06000046"),
    ("Knowsley Metropolitan Borough Council Children’s services", "E08000011"),
    ("Bournemouth, Christchurch and Poole", "E06000058"),
    ("North Northamptonshire", "E06000061"),
    ("West Northamptonshire", "E06000062"),
    ("Cumberland", "E06000063"),
    ("Westmorland and Furness", "E06000064"),
])
def test_short_and_service_names_resolve(printed, gss):
    assert register().lookup(printed).gss_code == gss


@pytest.mark.parametrize("printed,on,gss", [
    ("North Yorkshire", dt.date(2019, 6, 1), "E10000023"),     # the county council until 2023
    ("North Yorkshire", dt.date(2024, 6, 1), "E06000065"),     # the unitary council since
    ("Somerset", dt.date(2017, 3, 1), "E10000027"),
    ("Somerset", dt.date(2023, 11, 1), "E06000066"),
    ("Dorset", dt.date(2017, 3, 1), "E10000009"),
    ("Dorset", dt.date(2022, 3, 1), "E06000059"),
    ("Bournemouth", dt.date(2017, 3, 1), "E06000028"),
    ("Cumbria", dt.date(2019, 6, 1), "E10000006"),
    ("Northamptonshire", dt.date(2019, 6, 1), "E10000021"),
])
def test_the_date_decides_between_councils_of_one_name(printed, on, gss):
    assert register().lookup(printed, on).gss_code == gss


@pytest.mark.parametrize("printed", ["Bristol Cathedral Choir School", "Surrey Police", "Kent Fire and Rescue Service",
                                     "Bristol Academy", "Norfolk Constabulary", "Hull University"])
def test_names_inside_other_names_are_not_councils(printed):
    assert register().lookup(printed) is None


def test_every_authority_in_the_outcomes_tables_resolves_by_code_and_name():
    python_calamine = pytest.importorskip("python_calamine")
    folder = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ofsted-outcomes"
    if not folder.is_dir():
        pytest.skip("../shared/reference/ofsted-outcomes is absent")
    reg, seen = register(), 0
    for path in sorted(folder.glob("*.ods")):
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for sheet in book.sheet_names:
            for row in book.get_sheet_by_name(sheet).to_python():
                for i, cell in enumerate(row[:-1]):
                    if isinstance(cell, str) and len(cell) == 9 and cell[:3] in ("E06", "E08", "E09", "E10"):
                        seen += 1
                        assert cell in reg.by_gss, (path.name, sheet, cell)
                        name = row[i + 1]
                        if isinstance(name, str) and name.strip():
                            found = reg.lookup(name)
                            assert found is not None, (path.name, sheet, name)
    assert seen > 500


@pytest.mark.parametrize("printed,gss", [
    ("Slough Children First", "E06000039"),
    ("Birmingham Children’s Trust", "E08000025"),
    ("Doncaster Children’s Services Trust", "E08000017"),
    ("Together for Children", "E08000024"),
])
def test_childrens_trusts_mean_their_councils(printed, gss):
    assert register().lookup(printed).gss_code == gss


def test_every_authority_resolves_by_the_names_reports_give_it():
    reg = register()
    for a in reg:
        on = dt.date.fromisoformat(a.end_date) if a.end_date else dt.date(2026, 1, 1)
        for printed in (a.name, a.short_name, f"{a.short_name} local authority", f"the {a.short_name}",
                        f"{a.short_name} children’s services", f"{a.name}’s"):
            assert reg.lookup(printed, on).gss_code == a.gss_code, printed
