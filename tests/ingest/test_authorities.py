"""The authority register: names as reports print them resolve to one GSS code."""
from __future__ import annotations

import pytest

from ingest import iris
from ingest.authorities import register
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
        register().resolve("Atlantis Borough Council", "report.txt")


def test_register_covers_the_current_childrens_services_authorities():
    current = [a for a in register() if not a.end_date and a.gss_code[:3] in ("E06", "E08", "E09", "E10")]
    assert len(current) >= 152
    assert all(a.region for a in current)


def test_base_iri_is_configurable(monkeypatch):
    assert iris.authority("E06000023") == "https://w3id.org/ofsted-kg/id/authority/E06000023"
    monkeypatch.setenv("OFSTED_KG_BASE_IRI", "https://data.example.org/ofsted")
    assert iris.authority("E06000023") == "https://data.example.org/ofsted/id/authority/E06000023"
    assert iris.ons_geography("E06000023") == "http://statistics.data.gov.uk/id/statistical-geography/E06000023"
