"""Printings the visible corpus lacks, made by editing the text of real reports in memory: other
hyphens and minus signs (U+2010-2012, U+2212), cover titles wrapped onto two blocks, a
safeguarding board named by its own acronym on the cover, the 2013 looked-after-children title
spelt another way, and a PDF saved under a name without ".pdf". Each edited report must give the
facts its unedited original gives.

The seed tests always run; the PDF ones read ``../shared`` in place and skip when it is absent
(the national ones are slow: reading a PDF takes a few seconds).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from ingest.classify import classify
from ingest.frameworks import parse
from ingest.model import Framework, IngestError, InspectionKind, Page, RawDocument
from ingest.normalise import clean_line, normalise
from ingest.pipeline import discover
from ingest.readers import read
from tests.conftest import shared_or_skip

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
BRISTOL = CORPUS / "bristol_2014_SIF-with-LSCB-review.txt"
D = dt.date
#: hyphen, non-breaking hyphen, figure dash, minus sign, small and fullwidth hyphen-minus
OTHER_HYPHENS = ("\u2010", "\u2011", "\u2012", "\u2212", "\ufe63", "\uff0d")


def edited(raw: RawDocument, old: str, new: str, count: int = 1) -> RawDocument:
    """``raw`` with the first ``count`` occurrences of ``old`` on each page replaced by ``new``."""
    assert old in raw.text, f"{old!r} is not in {raw.path}"
    if not raw.pages:
        return dataclasses.replace(raw, text=raw.text.replace(old, new, count))
    pages = tuple(Page(p.number, p.text.replace(old, new, count)) for p in raw.pages)
    return dataclasses.replace(raw, text="\f".join(p.text for p in pages), pages=pages)


def parsed(raw: RawDocument):
    doc = normalise(raw)
    return parse(doc, classify(doc).framework)


@pytest.mark.parametrize("hyphen", OTHER_HYPHENS)
def test_other_hyphens_are_read_as_hyphen_minus(hyphen):
    assert clean_line(f"Inspection dates: 11{hyphen}22 May 2026") == "Inspection dates: 11-22 May 2026"
    assert clean_line(f"Re{hyphen}inspection of services") == "Re-inspection of services"


@pytest.mark.parametrize("printed, read_as", [
    ("adopted in 2015\u250016 and", "adopted in 2015–16 and"),          # a box-drawing line
    ("adopted in 2016\uf02d17 and", "adopted in 2016-17 and"),          # a symbol font's hyphen
    ("adopted in 2014\u2013\u0335 15, better", "adopted in 2014–15, better"),   # a struck en dash
    ("a \u2500 line and 2014\u2013\u0335 the", "a \u2500 line and 2014\u2013 the")])
def test_dashes_between_numbers_drawn_with_other_glyphs(printed, read_as):
    assert clean_line(printed) == read_as


def test_a_school_year_printed_with_a_box_drawing_dash_is_a_period(bristol):
    report = parsed(edited(bristol, "In the last 12 months:", "In 2013\u250014:"))
    adoptions = next(s for s in report.statistics if s.label.endswith("there have been 46 adoptions"))
    assert adoptions.period == "In 2013–14"


def _blocks(text: str) -> list[str]:
    raw = RawDocument(path="x.txt", media_type="text/plain", sha256="0", text=text, pages=(Page(1, text),))
    return [b.text for b in normalise(raw).blocks]


def test_a_word_gap_after_a_compound_s_hyphen_closes_where_the_document_spells_it_whole():
    text = ("A multi-agency team meets daily, child-and family-centred.\n\n"
            "The multi- agency panel and the multi- disciplinary "
            "group, with adult- rather than child-focused plans, child- and family-centred.")
    assert _blocks(text)[1] == ("The multi-agency panel and the multi- disciplinary group, with adult- "
                                "rather than child-focused plans, child- and family-centred.")


# ---------------------------------------------------------------- seeds: always run

@pytest.fixture(scope="module")
def bristol() -> RawDocument:
    return read(BRISTOL)


@pytest.mark.parametrize("hyphen", ["\u2011", "\u2212", "\u2010"])
def test_sif_cover_dates_joined_by_another_hyphen(bristol, hyphen):
    # printed "30 September – 22 October 2014"; with U+2011 the end date alone was read
    report = parsed(edited(bristol, "30 September – 22 October 2014", f"30 September{hyphen}22 October 2014"))
    assert (report.start, report.end) == (D(2014, 9, 30), D(2014, 10, 22))


@pytest.mark.parametrize("dash", ["\u2011", "\u2013", "\u2212", ""])
def test_sif_reinspection_title_with_any_dash(bristol, dash):
    # "Re‑inspection" (U+2011) left the cover without a title and the report was refused
    title = "Inspection of services for children in need"
    report = parsed(edited(bristol, title, f"Re{dash}inspection of services for children in need"))
    assert report.kind is InspectionKind.SIF_REINSPECTION
    assert (report.authority_name, report.start, report.end) == ("Bristol City Council", D(2014, 9, 30),
                                                                 D(2014, 10, 22))


@pytest.mark.parametrize("dash", ["-", "\u2013", "\u2014", "\u2011"])
def test_statistics_period_of_school_years_with_any_dash(bristol, dash):
    # printed "In the last 12 months:"; a period written as a school year may use any dash
    report = parsed(edited(bristol, "In the last 12 months:", f"In 2013{dash}14:"))
    adoptions = next(s for s in report.statistics if s.label.endswith("there have been 46 adoptions"))
    assert adoptions.period == f"In 2013{'-' if dash == chr(0x2011) else dash}14"


# ---------------------------------------------------------------- ../shared/corpus-dev

@pytest.fixture(scope="module")
def lancashire() -> RawDocument:
    return read(shared_or_skip("corpus-dev", "lancashire_2026_ILACS.pdf"))


@pytest.mark.parametrize("hyphen", ["\u2011", "\u2212", "\u2010"])
def test_ilacs_dates_with_another_hyphen_stay_standard(lancashire, hyphen):
    # printed "11 to 22 May 2026"; "11‑22 May 2026" was read as 22 May alone, a short inspection
    report = parsed(edited(lancashire, "11 to 22 May 2026", f"11{hyphen}22 May 2026"))
    assert (report.start, report.end) == (D(2026, 5, 11), D(2026, 5, 22))
    assert report.kind is InspectionKind.ILACS_STANDARD


TITLE = "Inspection of Lancashire local authority children’s services"


@pytest.mark.parametrize("wrapped", [
    "Inspection of Lancashire local authority children’s\n\nservices",      # before "services"
    "Inspection of Lancashire local\n\nauthority children’s services",      # inside the name
    "Inspection of\n\nLancashire local authority children’s services",
])
def test_ilacs_title_wrapped_onto_two_blocks(lancashire, wrapped):
    doc = normalise(edited(lancashire, TITLE, wrapped))
    assert classify(doc).framework is Framework.ILACS_2026
    report = parse(doc, Framework.ILACS_2026)
    assert (report.title, report.authority_name) == (TITLE, "Lancashire")
    assert (report.start, report.end, report.kind) == (D(2026, 5, 11), D(2026, 5, 22),
                                                       InspectionKind.ILACS_STANDARD)
    assert len(report.judgements) == 4


def test_title_is_not_joined_to_the_paragraph_after_it(lancashire):
    # the second block must be the rest of the title, not a sentence that starts like it
    raw = edited(lancashire, TITLE, "Inspection of Lancashire local\n\nauthority children’s services have "
                                    "continued to improve since the last inspection in 2022")
    with pytest.raises(IngestError, match="not a recognised Ofsted report"):
        classify(normalise(raw))


def test_pdf_saved_without_its_suffix_is_read_as_a_pdf(tmp_path, lancashire):
    source = shared_or_skip("corpus-dev", "lancashire_2026_ILACS.pdf")
    for name in ("lancashire", "80427.bin"):
        copy = tmp_path / name
        shutil.copyfile(source, copy)
        raw = read(copy)
        assert (raw.media_type, raw.text, raw.sha256) == ("application/pdf", lancashire.text, lancashire.sha256)


def test_a_folder_walk_offers_pdfs_under_neutral_names_and_nothing_else(tmp_path):
    source = shared_or_skip("corpus-dev", "lancashire_2026_ILACS.pdf")
    shutil.copyfile(source, tmp_path / "80427")
    shutil.copyfile(source, tmp_path / "80428.bin")
    shutil.copyfile(source, tmp_path / "80429.pdf")
    (tmp_path / "80430").write_bytes(BRISTOL.read_bytes())           # text, no suffix: not offered
    (tmp_path / "notes.bin").write_bytes(b"%PD no header here")
    found = [Path(p).name for p in discover([tmp_path])]
    assert found == ["80427", "80428.bin", "80429.pdf"]


def test_file_that_is_no_pdf_and_has_no_known_suffix_is_refused(tmp_path):
    neutral = tmp_path / "80427"
    neutral.write_bytes(BRISTOL.read_bytes())
    with pytest.raises(IngestError) as refused:
        read(neutral)
    message = str(refused.value)
    assert "\n" not in message
    assert "unsupported file type '(no suffix)' and no PDF header" in message


# ---------------------------------------------------------------- ../shared/corpus-national (slow)

@pytest.mark.slow
@pytest.mark.parametrize("board", ["Swindon Safeguarding Children Board (SSCB)", "SSCB"])
def test_cover_names_the_board_by_its_own_acronym(board):
    raw = read(shared_or_skip("corpus-national", "inspections", "80568_swindon_2014-05-23.pdf"))
    printed = "The effectiveness of the Local Safeguarding Children Board (LSCB) is good"
    report = parsed(edited(raw, printed, f"The effectiveness of the {board} is good"))
    board_judgement = next(j for j in report.judgements if j.area == "lscb")
    # read from the cover (page 1), as for the printed "LSCB", not from the body's last section
    assert (board_judgement.grade, board_judgement.source.page) == ("good", 1)


@pytest.mark.slow
@pytest.mark.parametrize("title", ["Inspection of looked-after children services",
                                   "Inspection of services for looked after children and care leavers",
                                   "Inspection of looked after children"])
def test_looked_after_children_title_variants(title):
    raw = read(shared_or_skip("corpus-national", "inspections", "80418_norfolk_2013-08-16.pdf"))
    report = parsed(edited(raw, "Inspection of looked after children services", title, count=5))
    assert (report.framework.value, report.authority_name) == ("lac-2013", "Norfolk County Council")
    assert (report.start, report.end, report.title) == (D(2013, 7, 8), D(2013, 7, 12), title)
    assert len(report.judgements) == 5


@pytest.mark.parametrize("mark", ["◼", "■", "◾", "•", "-"])
def test_a_text_report_s_square_bullets_are_list_items(tmp_path, mark):
    # the PDF reader takes any symbol as a list marker; a .txt or .md report's lines the normaliser
    # reads: the squares the ILACS parser once kept as text (its _GLYPH patch) are bullets there too
    path = tmp_path / "report.txt"
    path.write_text(f"What needs to improve?\n\n{mark} The quality of plans for children.\n", encoding="utf-8")
    blocks = normalise(read(path)).blocks
    assert [(b.kind, b.text) for b in blocks][-1] == ("bullet", "The quality of plans for children.")
