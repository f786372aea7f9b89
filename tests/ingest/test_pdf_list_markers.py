"""List markers in the PDF reader: a symbol, dash or private-use glyph first on a line marks a list
item whatever case follows, while a dash carried to the start of a line inside a sentence, a minus
sign in a number and Latin-1 symbols stay text.

Two kinds of input: pages of glyphs laid out as a PDF prints them (the reader's own ``Glyph``
boxes, one 11 pt glyph every 5.5 pt), for the variants; and real reports from
``../shared/corpus-national`` (skipped when that directory is absent), for the printed forms the
national archive has: "◼ the ..." set close to lower case, "−" (U+2212), "―", "─", "⎯", the
combining stroke U+0336 and the symbol-font dash U+F02D glued to a number.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.frameworks import parse
from ingest.classify import classify
from ingest.normalise import normalise
from ingest.readers import read
from ingest.readers.pdf_layout import layout_pages
from ingest.readers.pdf_lines import Glyph, glyph_lines, is_mark_glyph
from tests.pdf_glyphs import line as _line

#: a full line in a paragraph of its own, above the lines under test: it sets the right margin
MARGIN_LINE = "Children in this area are helped and protected by a service that is good, and"


def _glyphs(lines, top: float = 300.0) -> list[Glyph]:
    """Lines 13 pt apart (no paragraph gap), under the margin line, mid-page (no furniture)."""
    glyphs = _line(MARGIN_LINE, top - 40.0, full=True)
    for i, line in enumerate(lines):
        text, full = (line[:-1], True) if line.endswith("|") else (line, False)
        glyphs.extend(_line(text, top + 13.0 * i, full=full))
    return glyphs


def _page(*lines: str) -> str:
    """The text of one page of ``lines`` (a line ending in "|" is full), margin line left out."""
    text = layout_pages([(595.0, 842.0, _glyphs(lines))])[0]
    assert text.startswith(MARGIN_LINE + "\n\n")
    return text[len(MARGIN_LINE) + 2:]


def test_symbol_marker_close_to_lower_case_text_is_a_list_item():
    # "◼ the quality ..." set close to its text (0.27 em): Devon 2019's and Southwark 2020's letters
    text = _page("What needs to improve in this area of social work practice:",
                 "◼ the quality of assessments so that these include an analysis",
                 "◼ the level of challenge and scrutiny that managers give.")
    assert text.split("\n\n") == ["What needs to improve in this area of social work practice:",
                                  "- the quality of assessments so that these include an analysis",
                                  "- the level of challenge and scrutiny that managers give."]


@pytest.mark.parametrize("mark", ["➔", "⬛", "\uf0a7", "\u2212", "\u2015", "\u2500", "\u23af", "\u2010", "-"])
def test_any_symbol_dash_or_private_use_glyph_marks_a_list(mark):
    # the arrow and the heavy square are in no list of bullets: their Unicode category decides
    text = _page("The functions that the local authority has delegated are:",
                 f"{mark} leaving care services",
                 f"{mark} children’s rights")
    assert text.split("\n\n")[1:] == ["- leaving care services", "- children’s rights"]


def test_marker_standing_apart_whatever_its_kind():
    # "―   in primary schools" (Solihull 2016), "̶   in primary ..." (Blackburn 2017: U+0336)
    for mark in ("\u2015", "\u0336", "\u2500"):
        text = _page("The proportion of children entitled to free school meals:",
                     f"{mark}\tin primary schools is 13.3% (the national average is 15.6%)")
        assert text.split("\n\n")[1] == "- in primary schools is 13.3% (the national average is 15.6%)", mark


def test_dash_carried_into_a_line_of_a_paragraph_stays_text():
    # Isle of Wight 2014: "... section 11 reports" / "– Adult Services and HMP Isle of Wight."
    text = _page("Two agencies have not yet submitted to the Board their section 11 audit reports|",
                 "– Adult Services and HMP Isle of Wight. The Board has now set out a timescale|",
                 "– for the two bodies of the partnership by which their reports are to be with|",
                 "it.")
    assert text == ("Two agencies have not yet submitted to the Board their section 11 audit reports – Adult "
                    "Services and HMP Isle of Wight. The Board has now set out a timescale – for the two "
                    "bodies of the partnership by which their reports are to be with it.")


def test_dash_glued_to_text_after_a_short_line_is_a_list_item():
    # Redbridge 2016: "– Of this number, 161 ..." under a sentence that stops short
    text = _page("At 31 August 2016, 235 children are being looked after.",
                 "– Of this number, 161 (or 69%) live outside the area",
                 "– 22 live in residential children’s homes")
    assert text.split("\n\n") == ["At 31 August 2016, 235 children are being looked after.",
                                  "- Of this number, 161 (or 69%) live outside the area",
                                  "- 22 live in residential children’s homes"]


def test_minus_sign_of_a_number_is_no_marker():
    text = _page("The change in the rate of children in need over the year was as low as the rate|",
                 "−3.2 per 10,000 children, and the range of the change for the whole region was|",
                 "–2017 figures.")
    assert text == ("The change in the rate of children in need over the year was as low as the rate −3.2 "
                    "per 10,000 children, and the range of the change for the whole region was –2017 figures.")


def test_a_dash_continuing_the_last_sentence_of_the_page_before_stays_text():
    first = _glyphs(["The local authority has commissioned a new service for young people who are|",
                     "leaving care and for the children of the borough who go missing from their homes|"])
    second = _line("– including those placed out of the area. It started in May.", 300.0)
    first_text, second_text = layout_pages([(595.0, 842.0, first), (595.0, 842.0, second)])
    assert first_text.endswith("who go missing from their homes – including those placed out of the area. "
                               "It started in May.")
    assert second_text == ""


@pytest.mark.parametrize("text", ["© Crown copyright 2022", "≥ 10% of children", "± 2 per cent", "£3.7 million"])
def test_latin1_symbols_and_operators_are_text(text):
    # "©" and "£" start lines of real reports; a table line may start "≥ 10%"
    ln = glyph_lines(_line(text.replace(" ", "\t", 1) if text[0] in "≥±" else text, 300.0))[0]
    assert ln.marker is None and ln.text.replace("\t", " ").startswith(text[0])


def test_mark_glyph_categories():
    assert all(is_mark_glyph(c) for c in "•◼▪➢✓\uf06e\uf02d−―─⎯–—‣")
    assert not any(is_mark_glyph(c) for c in "©®°±×÷≤≥≈=+<>£$§¶a1(“")


# ------------------------------------------------------------------ real reports

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-national"
needs_national = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus-national is absent: "
                                    "the national archive's PDFs are read in place, never committed")


def _blocks(name: str):
    return normalise(read(next(SHARED.glob(f"*/{name}")))).blocks


@needs_national
def test_blackburn_2017_combining_stroke_items_are_bullets():
    blocks = _blocks("80430_blackburn-with-darwen_2017-12-08.pdf")
    items = [b for b in blocks if b.text.startswith(("in primary schools is", "in secondary schools is"))]
    assert len(items) == 4 and {b.kind for b in items} == {"bullet"}
    assert {b.level for b in items} == {2}
    assert not any(b.text.startswith("\u0336") for b in blocks)


@needs_national
def test_sefton_2016_symbol_font_dash_glued_to_a_number_is_a_bullet():
    blocks = _blocks("80550_sefton_2016-06-27.pdf")
    b = next(b for b in blocks if "live outside the local authority area" in b.text and "155" in b.text)
    assert (b.kind, b.text) == ("bullet", "155 (or 32.7%) live outside the local authority area")


@needs_national
def test_dashes_inside_sentences_stay_in_their_paragraphs():
    blocks = _blocks("80419_isle-of-wight_2014-11-19.pdf")
    b = next(b for b in blocks if "Adult Services and HMP Isle of Wight" in b.text)
    assert b.kind == "paragraph" and b.number == "157"
    assert "section 11 reports – Adult Services and HMP Isle of Wight. The Board" in b.text
    blocks = _blocks("80533_nottingham_2019-01-07.pdf")
    b = next(b for b in blocks if "Child Abuse and Neglect, and targeted" in b.text)
    assert b.kind == "paragraph" and "Multi-Systemic Therapy – Child Abuse and Neglect" in b.text


@needs_national
def test_isle_of_wight_2023_nested_recommendation_is_one():
    doc = normalise(read(next(SHARED.glob("*/80419_isle-of-wight_2023-12-15.pdf"))))
    report = parse(doc, classify(doc).framework)
    assert [r.text for r in report.recommendations] == [
        "The routine inclusion by the local authority of partner agencies in child protection strategy "
        "discussions and assessments.",
        "The opportunities for the voices of children and care leavers to be heard at a corporate level.",
        "The quality of oversight and monitoring of: the pre-proceedings process in the Public Law Outline "
        "(PLO); permanence for children; private fostering.",
        "Caseloads in the children’s assessment and safeguarding teams."]
