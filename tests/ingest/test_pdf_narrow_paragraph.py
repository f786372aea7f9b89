"""A paragraph set narrower than the page's other paragraphs wraps at its own right margin.

The PDF layout ends a paragraph at a line that stops short of the right margin, by more than the
next line's first word. Liverpool 2019 sets some paragraphs near x=480 on a page whose others
reach x=518, so its lines cut mid-sentence ("... and IROs. Senior leaders" / "and elected members
...") seemed to stop short and the paragraph came out in three pieces. A run of lines set without
a gap is judged against its own margin when it wraps there (two lines or more reach it); a run
with one long line among short ones (an addressee's title over the address) keeps the page's, and
so does an even block set well in from the page's left margin (its width is measured against the
page's text width).

Pages of glyphs laid out as a PDF prints them (``tests.pdf_glyphs``) for the variants; the real
Liverpool letter from ``../shared/corpus-national`` (skipped when absent; slow).
"""
from __future__ import annotations

import pytest

from ingest.normalise import normalise
from ingest.readers import read
from ingest.readers.pdf_layout import layout_pages
from tests.national_letters import NATIONAL, SKIP_REASON
from tests.pdf_glyphs import LEFT, line

PAGE = (595.0, 842.0)
#: a paragraph of its own, full to the right margin (x=472), sets the page's edge
MARGIN_LINE = "Children in this area are helped and protected by a service that is good, and"
#: a paragraph wrapped near x=400, every line cut mid-sentence (Liverpool 2019's wording)
NARROW = ["Senior leaders and elected members are working together to",
          "prioritise the recruitment and retention of additional staff as",
          "part of a service re-design that social workers feel optimistic",
          "will have a positive impact on practice, including a reduction",
          "in caseloads."]


def _paragraphs(lines: list[str], x0: float = LEFT) -> list[str]:
    """The paragraphs laid out from ``lines`` (13 pt apart, no gap, from ``x0``), printed below
    the margin line."""
    glyphs = line(MARGIN_LINE, 260.0, full=True)
    for i, text in enumerate(lines):
        glyphs.extend(line(text, 300.0 + 13.0 * i, x0=x0))
    [text] = layout_pages([(*PAGE, glyphs)])
    paras = [p for p in text.split("\n\n") if p]
    assert paras[0] == MARGIN_LINE
    return paras[1:]


def test_a_narrower_paragraph_wraps_at_its_own_margin():
    assert _paragraphs(NARROW) == [" ".join(NARROW)]
    # set a little in (Doncaster 2018, Sefton 2025: 18 pt), it is still most of the page's width
    assert _paragraphs(NARROW, x0=LEFT + 18.0) == [" ".join(NARROW)]


def test_a_finished_sentence_short_of_the_page_edge_still_ends_a_paragraph():
    # a line that ends a sentence is judged against the page's edge, as before: the paragraphs of
    # a run set without a gap between them stay apart
    lines = NARROW[:2] + ["part of a service re-design which social workers welcome today.",
                          "Leaders have a plan which the council has funded for three years,",
                          "as inspectors saw."]
    assert _paragraphs(lines) == [" ".join(lines[:3]), " ".join(lines[3:])]


def test_one_long_line_among_short_ones_is_no_margin():
    # an addressee's title over its address: each line its own (the page's edge decides)
    address = ["Clare Chamberlain", "Interim Executive Director of Community and Children’s Services",
               "City of London Corporation", "Guildhall", "London"]
    assert _paragraphs(address) == address


def test_an_even_block_set_well_in_is_no_narrower_paragraph():
    # Nottingham City 2022's areas to improve, printed without markers or full stops, one a line,
    # in a block set 100 pt in: the lines come out even (268-269 pt wide, 90% of the room right of
    # the block's own edge) but the block is 67% of the page's text width: each line its own item
    items = ["The quality and timeliness of return home interviews",
             "The service response to care leavers aged 21 and over",
             "The response to young people who present as homeless"]
    assert _paragraphs(items, x0=LEFT + 100.0) == items


@pytest.mark.slow
@pytest.mark.skipif(not NATIONAL.is_dir(), reason=SKIP_REASON)
def test_liverpool_2019_paragraphs_are_whole():
    doc = normalise(read(NATIONAL / "focused-visits" / "80485_liverpool_2019-05-24.pdf"))
    texts = [b.text for b in doc.blocks]
    assert ("Caseloads remain too high for some social workers and IROs. Senior leaders and elected members "
            "are working together to prioritise the recruitment and retention of additional staff as part of "
            "a service re-design that social workers feel optimistic will have a positive impact on practice, "
            "including a reduction in caseloads.") in texts
    assert ("Management oversight, including that of independent reviewing officers (IROs), is poor and often "
            "ineffective and has not helped to ensure that planning for all children is progressed in a timely "
            "way.") in texts
