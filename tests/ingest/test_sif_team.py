"""The inspection team of a SIF report: role words in any case, every role the section prints,
and a person's name cut from whatever job title is printed before or after it. The lines are
copied from reports of the national archive (named beside each); the variants that archive
lacks are those lines with another title or case."""
from __future__ import annotations

import datetime as dt

import pytest

from ingest.frameworks.sif_facts import team_line
from ingest.model import Block, Framework, InspectionKind, Report


def _team(*lines: str) -> list[tuple[str, str]]:
    r = Report(framework=Framework.SIF, kind=InspectionKind.SIF, authority_name="x", title="x",
               start=dt.date(2016, 1, 1), end=dt.date(2016, 1, 2), published=dt.date(2016, 3, 1))
    for i, line in enumerate(lines):
        team_line(Block(i, "heading", line), line, r)
    return [(m.name, m.role) for m in r.team]


@pytest.mark.parametrize("line, member", [
    ("Deputy Lead inspector: Karen McKeown", ("Karen McKeown", "deputy lead inspector")),      # Portsmouth 2014
    ("Report author: Sean Tarpey", ("Sean Tarpey", "report author")),                         # Hammersmith 2016
    ("Additional inspector: Matthew Reed", ("Matthew Reed", "additional inspector")),         # Gloucestershire seed
    ("Senior Data Analyst: Clare Atkinson", ("Clare Atkinson", "senior data analyst")),
    ("Lead Inspector Neil Penswick HMI", ("Neil Penswick", "lead inspector")),
    ("Social care regulatory inspector: Linda Bond", ("Linda Bond", "social care regulatory inspector")),
])
def test_every_role_in_any_case(line, member):
    assert _team(line) == [member]


@pytest.mark.parametrize("names, expected", [
    # Kensington and Chelsea 2016
    ("Paul Armitage HMI Deputy Director Social Care Inspection", ["Paul Armitage"]),
    # Gateshead 2016: a title before the name
    ("Regulatory Inspection Manager Rachel Holden, Charles Searle HMI", ["Rachel Holden", "Charles Searle"]),
    # Wokingham 2016, Blackburn with Darwen 2017
    ("Mark Shackleton HMI and Michael McCracken additional inspector", ["Mark Shackleton", "Michael McCracken"]),
    ("Margaret Burke Designated HMI", ["Margaret Burke"]),
    ("Pam Blackman OI, Christine Taylor HMI designate", ["Pam Blackman", "Christine Taylor"]),
    ("Emmy Tomsett HMI, Helen Cawston Senior HMI", ["Emmy Tomsett", "Helen Cawston"]),
    # Bristol 2014 and Swindon 2014: a title in brackets; a three-word name
    ("Chris Luke (Seconded Inspector), Dominic Porter Moore", ["Chris Luke", "Dominic Porter Moore"]),
    ("Dr Kenneth Jones HMI, Fiona J Millns", ["Dr Kenneth Jones", "Fiona J Millns"]),
    # titles no report of the archive prints
    ("Debora Barazetti-Scott Senior Regulatory Inspector", ["Debora Barazetti-Scott"]),
    ("Aelwyn Pugh Principal Officer, Lisa Summers Acting SHMI", ["Aelwyn Pugh", "Lisa Summers"]),
])
def test_names_without_their_titles(names, expected):
    assert [name for name, _ in _team(f"Team inspectors: {names}")] == expected


def test_a_heading_after_the_list_is_nobody():
    assert _team("Team inspectors: Helen Cawston,", "Graham Tilby", "Information about this local authority area",
                 "Children living in this area") == [("Helen Cawston", "team inspector"),
                                                    ("Graham Tilby", "team inspector")]
