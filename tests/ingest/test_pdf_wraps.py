"""What the PDF layout does with a line that carries on the line before: a number wrapped onto the
start of a line ("... care leavers aged 18 to" / "25. This visit ...") is the sentence's text, not a
paragraph number; a word broken at its hyphen before a number ("COVID-" / "19") keeps its dash and
no space; and a nested list that runs over a page break keeps its nesting.

Two kinds of input: pages of glyphs laid out as a PDF prints them (the reader's own ``Glyph``
boxes, one 11 pt glyph every 5.5 pt), for the variants; and real reports from
``../shared/corpus-national`` (skipped when that directory is absent; slow), for the printed forms
the national archive has (Luton 2024 and 2022, Herefordshire 2014, Isle of Wight 2014).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.classify import classify
from ingest.frameworks import parse
from ingest.normalise import normalise
from ingest.readers import read
from ingest.readers.pdf_layout import layout_pages
from ingest.readers.pdf_lines import Glyph
from tests.pdf_glyphs import LEFT
from tests.pdf_glyphs import line as _line

PAGE = (595.0, 842.0)
#: a full line in a paragraph of its own at the top of each page: it sets the right margin
MARGIN_LINE = "Children in this area are helped and protected by a service that is good, and"


def _page_glyphs(lines, margin: bool, top: float = 300.0) -> list[Glyph]:
    """Lines 13 pt apart (no paragraph gap), mid-page, under the margin line when ``margin``. A
    line is its text ("|" at its end: full to the margin) or (text, x0) for one printed further in."""
    glyphs = _line(MARGIN_LINE, top - 40.0, full=True) if margin else []
    for i, line in enumerate(lines):
        text, x0 = line if isinstance(line, tuple) else (line, LEFT)
        text, full = (text[:-1], True) if text.endswith("|") else (text, False)
        glyphs.extend(_line(text, top + 13.0 * i, x0=x0, full=full))
    return glyphs


def _pages(*pages) -> list[list[str]]:
    """The paragraphs of each page laid out from ``pages`` (lists of lines), the first page under
    the margin line (left out of the result); a later page's own lines set its margin."""
    texts = layout_pages([(*PAGE, _page_glyphs(lines, margin=not n)) for n, lines in enumerate(pages)])
    assert texts[0].startswith(MARGIN_LINE)
    texts[0] = texts[0][len(MARGIN_LINE):]
    return [[p for p in text.split("\n\n") if p] for text in texts]


# ------------------------------------------------------------------ a number wrapped onto a line


def test_a_number_carried_onto_the_next_line_is_the_sentences_text():
    # Luton 2024: "... arrangements for care leavers aged 18 to" / "25. This visit focused ..."
    [paras] = _pages(["Inspectors looked at the local authority’s arrangements for care leavers aged|",
                      "18 to 25 and for the young people who had left care most recently, aged 18 to|",
                      "25. This visit focused specifically on:"])
    assert paras == ["Inspectors looked at the local authority’s arrangements for care leavers aged 18 to 25 "
                     "and for the young people who had left care most recently, aged 18 to 25. This visit "
                     "focused specifically on:"]


def test_a_number_after_a_finished_sentence_numbers_a_paragraph():
    # numbered paragraphs set with no gap between them: "10.The ..." after a line that ends a sentence
    [paras] = _pages(["The local authority has commissioned a new service for all young people who|",
                      "are leaving care, and for the children who go missing from their homes, too.|",
                      "10.The service started in May."])
    assert paras == ["The local authority has commissioned a new service for all young people who are leaving "
                     "care, and for the children who go missing from their homes, too.",
                     "10. The service started in May."]


def test_a_number_after_a_short_line_numbers_a_paragraph():
    [paras] = _pages(["The areas for improvement set at the last visit remain",
                      "25. The service started in May."])
    assert paras == ["The areas for improvement set at the last visit remain", "25. The service started in May."]


def test_a_number_carried_over_a_page_break():
    first, second = _pages(["Inspectors looked at the local authority’s arrangements for care leavers aged|",
                            "18 to 25 and for the young people who had left care most recently, aged 18 to|"],
                           ["25. This visit focused specifically on:"])
    assert first[-1].endswith("who had left care most recently, aged 18 to 25. This visit focused specifically on:")
    assert second == []


def test_a_numbered_paragraph_after_a_short_last_line_starts_the_next_page():
    first, second = _pages(["The areas for improvement set at the last visit remain"],
                           ["25. The service started in May."])
    assert second == ["25. The service started in May."]


@pytest.mark.parametrize("broken,rest,whole", [
    ("Most cared for children have made progress in their education during the COVID-", "19 pandemic.",
     "during the COVID-19 pandemic."),
    ("The EET figures for young people have stabilised for the young people aged 16- to", "17 years.",
     "aged 16- to 17 years."),
    ("The service supports homeless young people and care leavers in education post-", "16 in May.",
     "in education post-16 in May."),
])
def test_a_word_broken_at_its_hyphen_before_a_number_keeps_the_dash(broken, rest, whole):
    # Luton 2022, Torbay 2021: "COVID-" / "19"; Isles of Scilly 2023: "post-" / "16"
    [paras] = _pages([broken + "|", rest])
    assert paras == [broken[:broken.rindex(whole.split(" ")[0])] + whole]


# ------------------------------------------------------------------ nesting over a page break

NESTED = LEFT + 18.0


def test_a_nested_list_keeps_its_nesting_over_a_page_break():
    # SIF statistics (Herefordshire 2014): "Of this number:" then nested items, some on the next page
    first, second = _pages(
        [("•\tAt 31 March 2014, 242 children are being looked after. Of this number:", LEFT),
         ("◦\t45 (or 18.6%) live outside the local authority area", NESTED)],
        [("◦\t148 live with foster families", NESTED),
         ("◦\t11 live with parents", NESTED),
         ("•\tIn the last 12 months there have been 21 adoptions", LEFT)])
    assert first == ["- At 31 March 2014, 242 children are being looked after. Of this number:",
                     "  - 45 (or 18.6%) live outside the local authority area"]
    assert second == ["  - 148 live with foster families", "  - 11 live with parents",
                      "- In the last 12 months there have been 21 adoptions"]


def test_a_list_at_another_indent_after_the_break_starts_afresh():
    first, second = _pages(
        [("•\tAt 31 March 2014, 242 children are being looked after. Of this number:", LEFT),
         ("◦\t45 (or 18.6%) live outside the local authority area", NESTED)],
        [("•\tA list printed further in on this page", LEFT + 9.0)])
    assert second == ["- A list printed further in on this page"]


def test_a_paragraph_between_the_break_and_the_list_starts_it_afresh():
    # Southampton 2014: a stray line at the top of the page, then the items: no nesting carried
    first, second = _pages(
        [("•\tAt 31 March 2014, 242 children are being looked after. Of this number:", LEFT),
         ("◦\t45 (or 18.6%) live outside the local authority area.", NESTED)],
        [("Children looked after in this area.", LEFT),
         ("◦\t148 live with foster families", NESTED)])
    assert second == ["Children looked after in this area.", "- 148 live with foster families"]


# ------------------------------------------------------------------ running footers

FOOTER = "Inspection of Nottingham City local authority children’s services"


def test_a_cover_footer_without_its_page_number_is_furniture_too():
    # Nottingham City 2022: the cover prints the footer without the number the other pages carry;
    # left in, it cut the paragraph running from the cover onto page 2 in two
    pages = [_page_glyphs(["Senior leaders have established a clear plan for improvement, strengthened through a"],
                          margin=True) + _line(FOOTER, 800.0)]
    for n in (2, 3):
        pages.append(_page_glyphs([f"range of panels, page {n}."], margin=False) + _line(f"{FOOTER} {n}", 800.0))
    texts = layout_pages([(*PAGE, glyphs) for glyphs in pages])
    assert not any("Inspection of Nottingham" in t for t in texts)
    assert "strengthened through a range of panels, page 2." in texts[0]      # one paragraph again


def test_a_cover_title_worded_as_the_footer_stays():
    # the same words at the top of the cover are its title, not the footer printed at the foot
    pages = [_line(FOOTER, 60.0) + _page_glyphs(["A paragraph of the cover."], margin=True) + _line(FOOTER, 800.0)]
    for n in (2, 3):
        pages.append(_page_glyphs([f"Text of page {n}."], margin=False) + _line(f"{FOOTER} {n}", 800.0))
    texts = layout_pages([(*PAGE, glyphs) for glyphs in pages])
    assert texts[0].startswith(FOOTER) and texts[0].count("Inspection of Nottingham") == 1
    assert not any("Inspection of Nottingham" in t for t in texts[1:])


# ------------------------------------------------------------------ real reports

NATIONAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-national"
needs_national = pytest.mark.skipif(not NATIONAL.is_dir(), reason="../shared/corpus-national is absent: the "
                                    "national archive's PDFs are read in place, never committed")


def _doc(name: str):
    return normalise(read(next(NATIONAL.glob(f"*/{name}.pdf"))))


@pytest.mark.slow
@needs_national
def test_luton_2024_number_wrapped_into_the_theme_sentence():
    blocks = _doc("80520_luton_2024-09-09").blocks
    b = next(b for b in blocks if b.text.startswith("Inspectors looked at the local authority’s arrangements"))
    assert b.text == ("Inspectors looked at the local authority’s arrangements for care leavers aged 18 to 25. "
                      "This visit focused specifically on:")
    assert b.number is None


@pytest.mark.slow
@needs_national
def test_luton_2022_covid_19_broken_at_its_hyphen():
    doc = _doc("80520_luton_2022-09-05")
    finding = next(f for f in parse(doc, classify(doc).framework).findings if f.number == "45")
    assert finding.text.startswith("The community and workforce in Luton have been severely affected by "
                                   "COVID-19. Practitioners have demonstrated")


@pytest.mark.slow
@needs_national
def test_herefordshire_2014_statistics_nested_over_a_page_break():
    doc = _doc("80474_herefordshire_2014-06-30")
    nested = [b for b in doc.blocks if b.text.startswith(("148 live with foster families", "11 live with parents"))]
    assert [b.level for b in nested] == [2, 2]
    stats = {s.measure: s for s in parse(doc, classify(doc).framework).statistics}
    foster = stats["children-looked-after-foster-families"]
    assert foster.value == 148
    assert foster.label.startswith("At 31 March 2014, 242 children are being looked after by the local "
                                   "authority (a rate of 67.24 per 10,000 children). Of this number: 148 live")
