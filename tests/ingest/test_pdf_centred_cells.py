"""A table cell set half a line down, between the two lines of the cell beside it, reads as a
cell of that row, not as a line between the two.

SIF reports print each findings section's heading in a table row beside its grade; when the
heading wraps, the grade is centred on the row, between the heading's two lines, and overlaps
each by less than half its height. It made a line of its own and the heading read "Leadership,
management and" / "Good" / "governance" (Doncaster 2018) or "The experiences and progress of" /
"Requires improvement children who need help and protection" (Norfolk 2015): 79 such breaks in
49 documents of ../shared. The 2014 covers print the mirror case, a label centred between its
wrapped grade's lines ("1. Children who need help and protection" between "requires" /
"improvement", Barking and Dagenham 2014). The glyphs here are the reports' lines as the PDF
reader's own boxes (positions as printed, in the test fixture's type size); the real reports from
``../shared/corpus-national`` are read too (slow; skipped when absent).
"""
from __future__ import annotations

import pytest

from ingest.readers.pdf_layout import layout_pages
from ingest.readers.pdf_lines import glyph_lines
from tests.conftest import shared_or_skip
from tests.pdf_glyphs import SIZE, line

GRADE_X = 360.0
PITCH = 14.0                  # the heading's line pitch; its grade is set half of it down
BODY = "39. At this inspection, all services for children in Doncaster are judged to be good."


def _page(glyphs) -> str:
    [text] = layout_pages([(595.0, 842.0, glyphs)])
    return text


def _row(top: float, cell: list[str], beside: str, x: float = GRADE_X) -> list:
    """A heading cell wrapped over ``cell``'s lines, ``beside`` centred on it at ``x``."""
    glyphs = []
    for n, text in enumerate(cell):
        glyphs += line(text, top + n * PITCH)
    return glyphs + line(beside, top + (len(cell) - 1) * PITCH / 2, x0=x)


@pytest.mark.parametrize("grade", ["Good", "Requires improvement", "Inadequate"])
def test_a_grade_between_a_headings_lines_is_its_cell(grade):
    glyphs = _row(100.0, ["Leadership, management and", "governance"], grade)
    glyphs += line(BODY, 150.0)
    assert _page(glyphs).split("\n\n") == [f"Leadership, management and governance\t{grade}", BODY]


def test_the_grade_joins_the_upper_line_as_a_cell_of_its_own():
    # "children who need help and protection" ends 1.3 em short of the grade (Bury 2016): a gap
    # under COLUMN_GAP, which would have run the grade into the heading's words
    glyphs = _row(100.0, ["The experiences and progress of", "children who need help and protection"], "Good",
                  x=72.0 + 37 * 5.5 + 6 * 3.0 + 1.3 * SIZE)
    first, second = glyph_lines(glyphs)
    assert [s.text for s in first.segments] == ["The experiences and progress of", "Good"]
    assert second.text == "children who need help and protection"


def test_a_label_between_its_wrapped_grades_lines_and_the_next_row_set_close():
    # Barking and Dagenham 2014's cover: each grade wraps ("requires" / "improvement"), each
    # label is centred on its row, and the sub-rows 2.1 and 2.2 are set closer than a paragraph
    # gap: the row ends where a line writes the label's column again below the grade's end
    glyphs = []
    top = 400.0
    for label in ["2.1 Adoption performance", "2.2 Experiences and progress of care leavers"]:
        glyphs += line("requires", top, x0=GRADE_X) + line("improvement", top + PITCH, x0=GRADE_X)
        glyphs += line(label, top + PITCH / 2)
        top += 2 * PITCH + 4.0             # 4 pt between rows: under the paragraph gap (6.6 pt)
    assert _page(glyphs).split("\n\n") == ["2.1 Adoption performance\trequires improvement",
                                           "2.2 Experiences and progress of care leavers\trequires improvement"]


def test_cells_wrapped_side_by_side_half_a_line_apart_stay_one_row():
    # Blackburn with Darwen 2017: a three-line heading beside a two-line grade, each line of one
    # set half a line from the other's (as printed, scaled to 11 pt); "to be good" overlaps
    # "protection" by half its height, so they share a line, which overlaps the one above
    glyphs = line("The experiences and progress of", 100.0) + line("Requires improvement", 106.5, x0=GRADE_X)
    glyphs += line("children who need help and", 112.6) + line("to be good", 119.7, x0=GRADE_X)
    glyphs += line("protection", 125.0)
    assert _page(glyphs) == ("The experiences and progress of children who need help and protection"
                             "\tRequires improvement to be good")


def test_a_four_line_heading_beside_a_two_line_grade_stays_one_row():
    # as Blackburn with Darwen 2017, one heading line longer: "and the experiences of" writes
    # the heading's column again after "to be good" wrote the grade's, as every heading line
    # did; the row goes on (a column counted as left for good split it here)
    glyphs = line("The experiences and progress of", 100.0) + line("Requires improvement", 106.5, x0=GRADE_X)
    glyphs += line("children looked after and", 112.6) + line("to be good", 119.7, x0=GRADE_X)
    glyphs += line("achieving permanence", 125.0) + line("and the experiences of", 137.5)
    assert _page(glyphs) == ("The experiences and progress of children looked after and achieving permanence "
                             "and the experiences of\tRequires improvement to be good")


def test_a_label_in_larger_type_beside_its_grade_stays_one_row():
    # "Adoption" / "performance" in 14 pt beside a grade in 11 pt with more glyphs: the first
    # line's size is the grade's (most of its glyphs), but "performance" is no new row
    big = lambda text, top: [g._replace(size=14.0, bottom=g.top + 14.0) for g in line(text, top)]  # noqa: E731
    glyphs = big("Adoption", 100.0) + line("Requires improvement to be good", 102.0, x0=GRADE_X)
    glyphs += big("performance", 100.0 + 16.0)
    assert _page(glyphs) == "Adoption performance\tRequires improvement to be good"


def test_a_smaller_heading_set_close_under_the_row_is_not_its_cell():
    # Stockton-on-Tees 2016: "Summary", a smaller bold heading, 6 pt under the 14 pt row
    glyphs = _row(100.0, ["Leadership, management and", "governance"], "Good")
    small = [g._replace(size=9.0, bottom=g.top + 9.0, bold=True) for g in line("Summary", 100.0 + PITCH + SIZE + 5.0)]
    assert _page(glyphs + small).split("\n\n") == ["Leadership, management and governance\tGood", "Summary"]


def test_prose_beside_prose_half_a_line_down_is_not_joined():
    # two columns of text, the right one set half a line lower: each right-hand line overlaps
    # two left-hand ones, but has lines of its own column just above and below it
    glyphs = []
    for n in range(4):
        glyphs += line(f"left column line {n}", 100.0 + n * PITCH)
        glyphs += line(f"right column line {n}", 100.0 + n * PITCH + PITCH / 2, x0=GRADE_X)
    assert [len(ln.segments) for ln in glyph_lines(glyphs)] == [1] * 8


@pytest.mark.slow
def test_national_sif_headings_beside_their_grades():
    path = shared_or_skip("corpus-national", "inspections", "80462_doncaster_2018-01-19.pdf")
    from ingest.frameworks.sif import parse
    from ingest.normalise import normalise
    from ingest.readers import read

    raw = read(str(path))
    assert raw.pages[14].text.startswith("Leadership, management and governance\tGood\n\nInspection findings")
    report = parse(normalise(raw))
    assert sum(f.section == "Leadership, management and governance" for f in report.findings) == 9


@pytest.mark.slow
def test_national_cover_labels_beside_wrapped_grades():
    path = shared_or_skip("corpus-national", "inspections", "80486_barking-and-dagenham_2014-07-07.pdf")
    from ingest.readers import read

    rows = [p for p in read(str(path)).pages[0].text.split("\n\n") if "\t" in p]
    assert rows == [f"{label}\trequires improvement" for label in [
        "1. Children who need help and protection", "2. Children looked after and achieving permanence",
        "2.1 Adoption performance", "2.2 Experiences and progress of care leavers",
        "3. Leadership, management and governance"]]
