"""Running headers and footers are known by repetition and place, whatever their words and
wherever the page puts them: a footer set above the bottom band (a report with a deep bottom
margin) is dropped when it repeats at one height on several pages, and so is the cover's copy
printed a little higher among the cover's last lines; left in, it cut the paragraph running from
one page onto the next in two. What only looks like furniture stays: a heading opening two pages
of a short letter, a cover title worded as the running header but set in its own size.

Pages of glyphs laid out as a PDF prints them (``tests.pdf_glyphs``) for the variants; the real
Nottingham City 2022 report from ``../shared/corpus-national`` (skipped when absent; slow), its
pages made deeper in memory so its footer falls outside the band.
"""
from __future__ import annotations

import pytest

from ingest.readers.pdf import read_glyphs
from ingest.readers.pdf_layout import layout_pages
from tests.national_letters import NATIONAL, SKIP_REASON
from tests.pdf_glyphs import line

PAGE = (595.0, 842.0)
FOOTER = "Inspection of Nottingham City local authority children’s services"
#: a paragraph of its own, full to the right margin, sets the page's edge
MARGIN_LINE = "Children in this area are helped and protected by a service that is good, and"
#: 86% of the page: above the bottom band (88%), where a deep-margined report prints its footer
HIGH_FOOTER = 724.0


def _page(lines: list[str], footer: str | None = None, footer_top: float = HIGH_FOOTER,
          margin: bool = True, top: float = 140.0) -> list:
    """The margin line (when ``margin``), then ``lines`` 13 pt apart from ``top`` ("|" at the
    end: full to the margin), then the footer at ``footer_top``."""
    glyphs = line(MARGIN_LINE, top - 40.0, full=True) if margin else []
    for i, text in enumerate(lines):
        glyphs.extend(line(text.rstrip("|"), top + 13.0 * i, full=text.endswith("|")))
    return glyphs + (line(footer, footer_top) if footer else [])


def _texts(pages: list[list]) -> list[str]:
    return layout_pages([(*PAGE, glyphs) for glyphs in pages])


def test_a_footer_above_the_band_repeated_at_one_height_is_furniture():
    pages = [_page(["Senior leaders have established a clear plan for improvement, strengthened|"], FOOTER, 716.0)]
    pages += [_page([text], f"{FOOTER} {n}", margin=False) for n, text in enumerate(
        ["through a range of panels.", "Staff are positive.", "Caseloads are lower.", "Plans are clear."], 2)]
    texts = _texts(pages)
    assert not any("Inspection of Nottingham" in t for t in texts)
    # the cover's copy, set 8 pt higher, went too: the paragraph runs on from the cover again
    assert "strengthened through a range of panels." in texts[0]


def test_a_heading_opening_two_pages_of_a_short_letter_stays():
    pages = [_page(["Areas for improvement", f"Text of page {n}."]) for n in range(1, 4)]
    pages[0] = _page(["Text of page 1."])
    texts = _texts(pages)
    assert [t.count("Areas for improvement") for t in texts] == [0, 1, 1]


def test_a_cover_title_worded_as_a_header_set_lower_stays():
    # the header repeats the title's words at one height on every page; the cover sets them as
    # its title, in its own size, among the cover's first lines
    scale = 20.0 / 11.0                           # the title in 20 pt type
    title = [g._replace(x0=72.0 + (g.x0 - 72.0) * scale, x1=72.0 + (g.x1 - 72.0) * scale, size=20.0,
                        bottom=g.top + 20.0) for g in line(FOOTER, 140.0)]
    pages = [line(FOOTER, 110.0) + title + _page(["A paragraph of the cover."], top=220.0)]
    pages += [line(FOOTER, 110.0) + _page([f"Text of page {n}."], top=220.0) for n in range(2, 6)]
    texts = _texts(pages)
    assert [t.count("Inspection of Nottingham") for t in texts] == [1, 0, 0, 0, 0]


@pytest.mark.slow
@pytest.mark.skipif(not NATIONAL.is_dir(), reason=SKIP_REASON)
def test_nottingham_2022_with_a_deep_bottom_margin():
    # the real pages, each made 120 pt deeper: the footer (796 pt; the cover's 784 pt) is then
    # at 83% of the page, above the band, and only its repetition tells it
    path = NATIONAL / "inspections" / "80533_nottingham_2022-09-05.pdf"
    raw = read_glyphs(str(path), path.read_bytes())
    deep = [(width, height + 120.0, glyphs) for width, height, glyphs in raw]
    as_printed, deeper = layout_pages(raw), layout_pages(deep)
    assert deeper == as_printed
    assert sum(t.count("Inspection of Nottingham") for t in deeper) == 1     # the cover title
    assert "has been strengthened through a range of panels and monitoring systems." in deeper[0]
