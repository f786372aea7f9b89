"""Which section a SIF finding is filed under, where the printed layout hides the heading that
opens it: a judgement row whose label and grade both wrap onto the next line, and a board's part
that heads its findings only "Inspection findings". Each layout is made by editing the blocks of
the Bristol 2014 seed in memory, as the national archive's reports print it."""
from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from ingest.frameworks.sif import parse
from ingest.model import Block
from ingest.normalise import normalise
from ingest.readers import read
from tests.conftest import shared_or_skip

HELP = "The experiences and progress of children who need help and protection"


def _replaced(doc, test, *new: Block):
    """The document with the one block ``test`` picks replaced by ``new``."""
    at = [i for i, b in enumerate(doc.blocks) if test(b)]
    assert len(at) == 1, "the seed's block is not where the test expects it"
    i = at[0]
    return dataclasses.replace(doc, blocks=doc.blocks[:i] + new + doc.blocks[i + 1:])


def _filed(report) -> list[tuple[str | None, str, str]]:
    return [(f.section, f.subject, f.text) for f in report.findings]


def test_a_row_whose_label_and_grade_both_wrap_opens_its_section(bristol, original):
    # Knowsley 2017, Norfolk 2018: "The experiences and progress of | Requires" then
    # "children who need help and protection improvement"
    row = next(b for b in bristol.blocks if b.cells and b.cells[0] == HELP)
    doc = _replaced(bristol, lambda b: b is row,
                    dataclasses.replace(row, text="The experiences and progress of Requires",
                                        cells=("The experiences and progress of", "Requires")),
                    dataclasses.replace(row, kind="paragraph", cells=(),
                                        text="children who need help and protection improvement"))
    report = parse(doc)
    assert Counter(f.section for f in original.findings)[HELP] == 18
    assert _filed(report) == _filed(original)
    assert report.warnings == original.warnings


def test_a_boards_findings_under_a_bare_findings_heading_are_the_boards(bristol, original):
    # Kensington and Chelsea 2016, Peterborough 2015, Stockport 2017: the board's part prints
    # "Inspection findings" alone; its findings are not the authority's leadership section's
    doc = _replaced(bristol, lambda b: b.text == "Inspection judgement about the LSCB" and not b.cells,
                    Block(0, "heading", "Inspection findings"))
    report = parse(doc)
    board = [(f.subject, f.text) for f in original.findings if f.subject == "board"]
    assert len(board) == 20
    assert [(f.subject, f.text) for f in report.findings if f.subject == "board"] == board
    assert {f.section for f in report.findings if f.subject == "board"} == {"The Local Safeguarding Children Board (LSCB)"}
    assert [f for f in _filed(report) if f[1] == "authority"] == [f for f in _filed(original) if f[1] == "authority"]


@pytest.mark.parametrize("printed", [
    f"{HELP} require improvement.",         # Hillingdon, Hounslow, Swindon 2014
    f"{HELP} are requires improvement",      # "... are inadequate": Coventry, Knowsley, Sheffield 2014
    f"{HELP} are requires improvement.",     # "... are good.": Derbyshire 2014
])
def test_a_judgement_printed_as_a_sentence_names_its_section_without_verb_or_stop(bristol, original, printed):
    row = next(b for b in bristol.blocks if b.cells and b.cells[0] == HELP)
    report = parse(_replaced(bristol, lambda b: b is row, Block(row.index, "heading", printed, page=row.page)))
    assert _filed(report) == _filed(original)
    assert report.warnings == original.warnings


def test_a_heading_over_the_judgement_table_is_not_joined_to_its_rows(bristol, original):
    # Salford, Peterborough 2015, Barnsley, Newham 2014: "Leadership, management and governance",
    # then the table "Key judgement | Judgement grade" / "Leadership, management and governance | Good"
    label = "Leadership, management and governance"
    row = next(b for b in bristol.blocks if b.cells and b.cells[0] == label)
    doc = _replaced(bristol, lambda b: b is row, Block(row.index, "heading", label, page=row.page),
                    Block(row.index, "table-row", "Key judgement Judgement grade", page=row.page,
                          cells=("Key judgement", "Judgement grade")), row)
    report = parse(doc)
    assert Counter(f.section for f in original.findings)[label] == 18
    assert _filed(report) == _filed(original)
    assert report.warnings == original.warnings


def test_a_table_head_read_into_its_row_is_not_part_of_the_row(bristol, original):
    # Newham 2014: "Key judgement The experiences and progress of children looked after and
    # achieving permanence" | "Judgement grade Requires improvement", the head's words in the row
    row = next(b for b in bristol.blocks if b.cells and b.cells[0].startswith("The experiences and progress of children looked after"))
    cells = (f"Key judgement {row.cells[0]}", *row.cells[1:-1], f"Judgement grade {row.cells[-1]}")
    report = parse(_replaced(bristol, lambda b: b is row,
                             dataclasses.replace(row, cells=cells, text=" ".join(cells))))
    assert Counter(f.section for f in original.findings)[row.cells[0]] > 10
    assert _filed(report) == _filed(original)
    assert report.warnings == original.warnings


@pytest.mark.slow
@pytest.mark.parametrize("name, help_findings", [
    ("80479_knowsley_2017-06-13.pdf", 13),
    ("80418_norfolk_2018-01-19.pdf", 12),
])
def test_national_reports_with_the_wrapped_row(name, help_findings):
    path = shared_or_skip("corpus-national", "inspections", name)
    report = parse(normalise(read(str(path))))
    assert Counter(f.section for f in report.findings)[HELP] == help_findings
    assert all(f.section for f in report.findings)
    assert report.warnings == []
