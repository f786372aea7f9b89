"""The PDF reader on PDFs made here with reportlab from sample-corpus text, so a fresh clone
exercises the PDF path: running headers, footers and page numbers are stripped, paragraphs wrapped
over lines and pages are joined, a grade wrapped inside its table cell is joined, a word
hyphenated at a line end is mended, footnote marks are dropped; and damaged, encrypted or
text-less files fail with a clear reason."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
from reportlab.lib import pdfencrypt  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from ingest.classify import classify  # noqa: E402
from ingest.model import IngestError  # noqa: E402
from ingest.normalise import normalise  # noqa: E402
from ingest.readers import read  # noqa: E402
from ingest.readers.pdf import NO_TEXT_LAYER, read_pdf  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
GLOS = CORPUS / "gloucestershire_2017_SIF-with-LSCB-review.txt"
WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 72, WIDTH - 72, HEIGHT - 80, 90
FONT, SIZE, LEADING = "Helvetica", 11, 14


def _corpus_paragraphs(n: int) -> list[str]:
    """Long plain paragraphs from a seed report (no tabs, bullets or numbers)."""
    text = GLOS.read_text(encoding="utf-8")
    paras = [p for p in text.split("\n") if len(p) > 300 and "\t" not in p and not p[:1].isdigit()
             and not p.startswith(("-", "#"))]
    return [re.sub(r"[\u00b9\u00b2\u00b3\u2070-\u2079]", "", p) for p in paras[:n]]


class _Writer:
    """Lays text out on A4 pages with a running header, a footer and a page number."""

    def __init__(self, **canvas_args):
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, **canvas_args)
        self.page = 1
        self.y = TOP
        self._furniture()

    def _furniture(self):
        c = self.c
        c.setFont(FONT, 8)
        c.drawString(LEFT, HEIGHT - 40, "Inspection of Gloucestershire local authority children's services")
        c.drawString(LEFT, HEIGHT - 50, "27 February to 23 March 2017")
        c.drawString(LEFT, 40, "Report reference 80017")
        c.drawRightString(RIGHT, 40, str(self.page))
        c.setFont(FONT, SIZE)

    def new_page(self):
        self.c.showPage()
        self.page += 1
        self.y = TOP
        self._furniture()

    def line(self, text: str, x: float = LEFT, font: str = FONT):
        if self.y < BOTTOM:
            self.new_page()
        self.c.setFont(font, SIZE)
        self.c.drawString(x, self.y, text)
        self.y -= LEADING

    def gap(self):
        self.y -= LEADING

    def paragraph(self, text: str, x: float = LEFT, width: float | None = None, hyphenate: str | None = None):
        width = width or RIGHT - x
        words, line = text.split(), ""
        for w in words:
            trial = f"{line} {w}".strip()
            if self.c.stringWidth(trial, FONT, SIZE) <= width:
                line = trial
                continue
            if hyphenate and w == hyphenate:     # break this word with a hyphen
                cut = len(w) // 2
                self.line(f"{line} {w[:cut]}-", x)
                line = w[cut:]
                continue
            self.line(line, x)
            line = w
        if line:
            self.line(line, x)

    def data(self) -> bytes:
        self.c.save()
        return self.buf.getvalue()


@pytest.fixture(scope="module")
def made_pdf(tmp_path_factory) -> tuple[Path, list[str]]:
    paras = _corpus_paragraphs(10)
    w = _Writer()
    w.line("Gloucestershire", font="Helvetica-Bold")
    w.gap()
    w.line("Inspection of Gloucestershire local authority children's services", font="Helvetica-Bold")
    w.gap()
    w.line("Inspection dates: 27 February to 23 March 2017")
    w.gap()
    # judgement table: area | grade, the second grade wrapped inside its cell
    grade_x = 330
    w.line("Judgement", font="Helvetica-Bold")
    w.y += LEADING
    w.line("Grade", x=grade_x, font="Helvetica-Bold")
    w.gap()
    rows = [("The impact of leaders on social work practice", "Inadequate"),
            ("The experiences and progress of children who need help and protection",
             "Requires improvement to|be good")]
    for area, grade in rows:
        top = w.y
        w.paragraph(area, width=grade_x - LEFT - 30)
        bottom = w.y
        w.y = top
        for part in grade.split("|"):
            w.line(part, x=grade_x)
        w.y = min(bottom, w.y)
        w.gap()
    w.gap()
    # a heading with a footnote mark, then paragraphs; the third hyphenates a word at a line end
    w.line("What needs to improve", font="Helvetica-Bold")
    w.c.setFont(FONT, 6)
    w.c.drawString(LEFT + w.c.stringWidth("What needs to improve", "Helvetica-Bold", SIZE) + 1, w.y + LEADING + 5, "1")
    w.gap()
    # a long word the text also prints whole elsewhere (the reader's evidence for mending it)
    others = " ".join(paras[:2] + paras[3:]).split()
    hyphen_word = next(x for x in paras[2].split() if x.isalpha() and len(x) >= 8 and x in others)
    for i, p in enumerate(paras):
        w.paragraph(p, hyphenate=hyphen_word if i == 2 else None)
        w.gap()
    w.line("\u2013", x=LEFT)                # a dash as the bullet glyph, text at a hanging indent
    w.y += LEADING
    w.paragraph("The timeliness of strategy meetings in assessment teams and that all relevant "
                "partnership members attend and contribute to them in every case.", x=LEFT + 18)
    w.gap()
    w.line("12.", x=LEFT)
    w.y += LEADING
    w.paragraph("Senior leaders have not sufficiently prioritised or improved the quality of social "
                "work practice since services were judged inadequate in 2011.", x=LEFT + 28)
    path = tmp_path_factory.mktemp("pdf") / "made.pdf"
    path.write_bytes(w.data())
    return path, paras


@pytest.fixture(scope="module")
def raw(made_pdf):
    return read(made_pdf[0])


def test_pages_and_media_type(raw):
    assert raw.media_type == "application/pdf"
    assert len(raw.pages) >= 2
    assert [p.number for p in raw.pages] == list(range(1, len(raw.pages) + 1))
    assert raw.text == "\f".join(p.text for p in raw.pages)


def test_running_header_footer_and_page_numbers_are_stripped(raw):
    for page in raw.pages:
        lines = page.text.split("\n")
        assert "27 February to 23 March 2017" not in lines
        assert "Report reference 80017" not in page.text
        assert not any(re.fullmatch(r"\d{1,3}", ln.strip()) for ln in lines)
    # the cover title is not furniture, though the header repeats its words
    assert "Inspection of Gloucestershire local authority children's services" in raw.pages[0].text


def test_table_rows_are_tab_separated_and_wrapped_grade_joined(raw):
    lines = raw.pages[0].text.split("\n")
    assert "Judgement\tGrade" in lines
    assert "The impact of leaders on social work practice\tInadequate" in lines
    assert ("The experiences and progress of children who need help and protection\t"
            "Requires improvement to be good") in lines


def test_paragraphs_are_single_lines_even_across_pages(raw, made_pdf):
    _, paras = made_pdf
    text = raw.text.replace("\f", "\n")
    lines = set(text.split("\n"))
    for p in paras:
        assert p in lines, p[:60]
    assert "\n\n" in raw.pages[0].text            # paragraph breaks are blank lines


def test_hyphenated_word_is_mended(raw, made_pdf):
    _, paras = made_pdf
    assert paras[2] in raw.text.replace("\f", "\n").split("\n")


def test_footnote_mark_dropped_bullets_and_numbers(raw):
    lines = raw.text.replace("\f", "\n").split("\n")
    assert "What needs to improve" in lines
    assert ("- The timeliness of strategy meetings in assessment teams and that all relevant "
            "partnership members attend and contribute to them in every case.") in lines
    assert any(ln.startswith("12. Senior leaders have not sufficiently prioritised") and ln.endswith("in 2011.")
               for ln in lines)


def test_normalised_blocks(made_pdf):
    doc = normalise(read(made_pdf[0]))
    rows = [b for b in doc.blocks if b.kind == "table-row"]
    assert rows[-1].cells == ("The experiences and progress of children who need help and protection",
                              "Requires improvement to be good")
    numbered = [b for b in doc.blocks if b.number == "12"]
    assert numbered and numbered[0].text.startswith("Senior leaders")
    assert any(b.kind == "bullet" and b.text.startswith("The timeliness") for b in doc.blocks)
    assert classify(doc).framework.value.startswith("ilacs")


# ---------------------------------------------------------------- files that cannot be read


def _reason(path: str, data: bytes) -> str:
    with pytest.raises(IngestError) as info:
        read_pdf(path, data)
    return info.value.reason


def test_encrypted_pdf():
    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", canPrint=0)
    w = _Writer(encrypt=enc)
    w.line("Children's services in Gloucestershire are inadequate")
    reason = _reason("enc.pdf", w.data())
    assert reason.startswith("encrypted PDF")


def test_truncated_pdf(made_pdf):
    data = made_pdf[0].read_bytes()
    reason = _reason("cut.pdf", data[: len(data) // 2])
    assert reason.startswith("truncated PDF")


def test_random_bytes():
    import random
    rnd = random.Random(7)
    data = bytes(rnd.randrange(256) for _ in range(4096))
    assert _reason("noise.pdf", data).startswith("not a PDF")


def test_pdf_header_with_garbage_body():
    data = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
    assert _reason("junk.pdf", data).startswith("corrupt PDF")


def test_image_only_pdf_has_no_text_layer():
    from PIL import Image
    img = Image.new("RGB", (200, 100), "white")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(img), 72, 600, width=200, height=100)
    c.showPage()
    c.save()
    assert _reason("scan.pdf", buf.getvalue()) == NO_TEXT_LAYER
