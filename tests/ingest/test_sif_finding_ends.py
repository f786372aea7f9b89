"""Where a SIF finding ends: the headings and back matter printed after a part's last finding are
not its text, a sentence cut by a page break still is, the full stop printed after a
"(Recommendation)" marker stays, and a band that states it holds no recommendation adds none.

The variants edit the real text of the Bristol 2014 seed in memory with the wording early 2014
reports of the national archive print (Bolton, Barnsley, Coventry ... 2014: "What the inspection
judgements mean: the local authority" and the back page; Lewisham 2016, Manchester 2014: a section
title at a page top; Herefordshire and Sheffield 2014: "There are no areas for priority action.");
the national reports themselves are checked too when ../shared is present."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ingest.frameworks.sif import parse
from ingest.model import Block
from ingest.normalise import normalise
from ingest.readers import read
from tests.conftest import shared_or_skip

BRISTOL = Path(__file__).resolve().parents[2] / "corpus" / "bristol_2014_SIF-with-LSCB-review.txt"
#: the last finding of the local authority's part (paragraph 125), then the LSCB's title
LAST_LA = "The local authority delegates its work with up to 140 looked"
LAST_LA_END = "The local authority is currently reviewing its commissioning arrangements in this area."
MEANING = [("heading", "What the inspection judgements mean: the local authority"),
           ("paragraph", "An outstanding local authority leads highly effective services that contribute to "
                         "significantly improved outcomes for children and young people who need help and "
                         "protection and care."),
           ("paragraph", "A good local authority leads effective services that help, protect and care for "
                         "children and young people and those who need help and protection and care."),
           ("heading", "Section 2: The effectiveness of the Local Safeguarding Children Board")]


def _after(doc, start: str, *new: tuple[str, str]):
    """The document with blocks (kind, text) inserted after the block that starts ``start``."""
    blocks: list[Block] = []
    for b in doc.blocks:
        blocks.append(b)
        if b.text.startswith(start):
            blocks.extend(dataclasses.replace(b, kind=k, text=t, number=None) for k, t in new)
    assert len(blocks) == len(doc.blocks) + len(new), f"{start!r} starts no block of the seed"
    return dataclasses.replace(doc, blocks=tuple(blocks))


def _finding(report, number: str):
    return next(f for f in report.findings if f.number == number and f.subject == "authority")


def test_seed_last_finding_of_the_local_authority(bristol):
    assert _finding(parse(bristol), "125").text.endswith(LAST_LA_END)


def test_judgement_meanings_after_the_last_finding_are_not_its_text(bristol):
    report = parse(_after(bristol, LAST_LA, *MEANING))
    assert _finding(report, "125").text.endswith(LAST_LA_END)
    assert not any("An outstanding local authority" in f.text for f in report.findings)


@pytest.mark.parametrize("spelt", ["What the inspection judgments mean: the LSCB",
                                   "What the inspection judgements mean"])
def test_judgement_meanings_heading_spellings(bristol, spelt):
    report = parse(_after(bristol, LAST_LA, ("heading", spelt), MEANING[1]))
    assert _finding(report, "125").text.endswith(LAST_LA_END)


def test_section_title_after_a_closed_finding_is_not_its_text(bristol):
    # Lewisham 2016, Barnsley 2014: the next part's title printed at the top of the next page,
    # here with an unnumbered summary paragraph under it (Isles of Scilly 2016 "Summary")
    report = parse(_after(bristol, LAST_LA, ("heading", "Summary"),
                          ("paragraph", "The council does not have any children looked after.")))
    assert _finding(report, "125").text.endswith(LAST_LA_END)


def test_heading_like_line_after_an_open_sentence_is_still_its_continuation(bristol):
    # a sentence cut by a page break whose rest the layout read as a heading-like line
    cut = "The local authority delegates its work with up to 140 looked"
    blocks = []
    for b in bristol.blocks:
        if b.text.startswith(cut):
            head, tail = b.text.rsplit(" in this area.", 1)
            blocks += [dataclasses.replace(b, text=head), dataclasses.replace(b, kind="heading", text="In this area")]
        else:
            blocks.append(b)
    report = parse(dataclasses.replace(bristol, blocks=tuple(blocks)))
    assert _finding(report, "125").text.endswith("commissioning arrangements In this area")


def test_full_stop_after_the_recommendation_marker_is_kept(bristol):
    # Bury 2016: "... up to that point in time (Recommendation)."; Gloucestershire 2017 prints
    # "... plan. (Recommendation)" and keeps its own full stop either way
    blocks = [dataclasses.replace(b, text=b.text[:-1] + " (Recommendation).") if b.text.startswith(LAST_LA) else b
              for b in bristol.blocks]
    f = _finding(parse(dataclasses.replace(bristol, blocks=tuple(blocks))), "125")
    assert f.cites_recommendation and f.text.endswith(LAST_LA_END)


def test_marker_on_its_own_line_keeps_the_full_stop(bristol):
    blocks = []
    for b in bristol.blocks:
        if b.text.startswith(LAST_LA):
            blocks += [dataclasses.replace(b, text=b.text[:-1]),
                       dataclasses.replace(b, kind="paragraph", text="(Recommendation).", number=None)]
        else:
            blocks.append(b)
    f = _finding(parse(dataclasses.replace(bristol, blocks=tuple(blocks))), "125")
    assert f.cites_recommendation and f.text.endswith(LAST_LA_END)


@pytest.mark.parametrize("kind, number, statement", [
    ("bullet", None, "There are no areas for priority or immediate action."),
    ("bullet", None, "There are no priority actions."),                 # Leeds 2015, the board's band
    # Portsmouth 2014, the board's band: a numbered paragraph
    ("paragraph", "9", "No areas were identified for immediate improvement."),
    # Hounslow, Nottingham, Swindon 2014, the local authority's band: a numbered paragraph
    ("paragraph", "33", "The inspection did not find any areas for priority and immediate action."),
])
def test_band_stating_no_recommendation_adds_none(bristol, kind, number, statement):
    seed = parse(bristol).recommendations
    at = seed[0].source.block          # the first recommendation, under its heading
    new = [dataclasses.replace(bristol.blocks[at], kind=k, text=t, number=n) for k, n, t in (
        ("heading", None, "Priority and immediate action"),
        (kind, number, statement),
        ("heading", None, "Areas for improvement"))]
    blocks = bristol.blocks[:at] + tuple(new) + bristol.blocks[at:]
    report = parse(dataclasses.replace(bristol, blocks=blocks))
    assert [r.text for r in report.recommendations] == [r.text for r in seed]


@pytest.mark.slow
@pytest.mark.parametrize("name, lscb_last", [("80432_bolton_2014-03-21.pdf", "159"),
                                              ("80426_barnsley_2014-08-08.pdf", None)])
def test_national_back_page_is_not_a_finding(name, lscb_last):
    path = shared_or_skip("corpus-national", "inspections", name)
    report = parse(normalise(read(str(path))))
    texts = [f.text for f in report.findings]
    assert not any("What the inspection judg" in t or "Crown copyright" in t or "Piccadilly" in t for t in texts)
    assert all(len(t) < 2500 for t in texts)
    if lscb_last:
        assert report.findings[-1].number == lscb_last
        assert report.findings[-1].text.endswith("has successfully reduced the death rate from previous figures.")


@pytest.mark.slow
def test_national_no_areas_statement_is_not_a_recommendation():
    path = shared_or_skip("corpus-national", "inspections", "80474_herefordshire_2014-06-30.pdf")
    report = parse(normalise(read(str(path))))
    assert not any(r.text.startswith("There are no areas") for r in report.recommendations)
    assert len(report.recommendations) == 36


def test_sentence_closed_before_the_marker_keeps_one_full_stop():
    # Gloucestershire 2017 paragraph 127: "... for far too long. (Recommendation)."
    glos = normalise(read(BRISTOL.parent / "gloucestershire_2017_SIF-with-LSCB-review.txt"))
    f = next(f for f in parse(glos).findings if f.number == "127")
    assert f.cites_recommendation
    assert f.text.endswith("children are still left in neglectful circumstances for far too long.")


def test_board_findings_heading_with_a_box_drawing_dash_starts_the_board_s_findings():
    # Central Bedfordshire 2017: "Inspection findings ─ the Local Safeguarding Children Board"
    # (U+2500), the same printing's "2015─16"; its 18 board findings were dropped
    glos = normalise(read(BRISTOL.parent / "gloucestershire_2017_SIF-with-LSCB-review.txt"))
    heading = "Inspection findings – the Local Safeguarding Children Board"
    boxed = tuple(dataclasses.replace(b, text=b.text.replace("–", "\u2500")) if b.text == heading else b
                  for b in glos.blocks)
    assert any(b.text != a.text for a, b in zip(glos.blocks, boxed))
    board = [f.number for f in parse(glos).findings if f.subject == "board"]
    assert board and [f.number for f in parse(dataclasses.replace(glos, blocks=boxed)).findings
                      if f.subject == "board"] == board
