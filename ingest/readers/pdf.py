"""PDF reader: bytes -> ``RawDocument`` with one ``Page`` per printed page.

Choice of library, measured on ``../shared/corpus-dev/*.pdf`` (6 files, 4-47 pages; wall time
for the whole file on the development machine; the 39-page Warwickshire SIF is the "40-page
report" of the speed target):

============================  ===========  ==========  ================================================
extractor                     39 pages     47 pages    accuracy
============================  ===========  ==========  ================================================
pdfplumber ``extract_words``  3.70 s       5.35 s      exact glyph boxes (it is pdfminer.six inside)
pdfplumber ``page.chars``     3.22 s       -           same characters, no words
pypdf ``extract_text``        0.71 s       1.28 s      same words, but no x/y: table cells, paragraph
                                                       gaps and superscripts are lost
pypdf ``layout`` mode         1.25 s       2.22 s      estimates widths: spurious gaps inside words
                                                       ("Depr       ivation", "children     's")
pdfminer.six, no layout      1.11 s       1.50 s      exact glyph boxes, font size and weight
(this module, incl. layout)   1.25 s       1.49 s      the same, plus lines/cells/paragraphs; best of
                                                       3 runs, idle machine (x1.3-1.5 under load)
============================  ===========  ==========  ================================================

All extractors agree word for word on the six files (0 differing words between pypdf and
pdfplumber), so the choice turns on geometry and speed. Geometry is what this reader needs
(table columns, paragraph gaps, superscript footnote marks, repeated page furniture), and
pdfplumber's per-character objects cost three times pdfminer's own interpreter. So the reader
drives **pdfminer.six** (the engine pdfplumber is built on, already installed with it) with a
small device that records only what the layout step uses. Layout is in
:mod:`ingest.readers.pdf_lines` (lines, cells), :mod:`ingest.readers.pdf_furniture` (running
headers, footers, page numbers, footnotes) and :mod:`ingest.readers.pdf_layout` (paragraphs, tables).
"""
from __future__ import annotations

import io
import itertools
import logging
import struct
import zlib

from pdfminer import pdfdocument as pdfdocument_module
from pdfminer import pdfinterp, psparser
from pdfminer import pdfpage as pdfpage_module
from pdfminer import pdfparser as pdfparser_module
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFFontError
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFException
from pdfminer.psexceptions import PSException

from core import settings

from ..model import IngestError, Page, RawDocument
from .source import sha256_of
from .pdf_content import FastInterpreter
from .pdf_layout import layout_pages
from .pdf_lines import Glyph

#: errors pdfminer raises (directly or from the codecs and structs it calls) on a damaged file
_DAMAGED = (PSException, PDFException, ValueError, KeyError, TypeError, IndexError,
            AttributeError, AssertionError, struct.error, zlib.error, EOFError)

_BOLD_WORDS = ("bold", "black", "heavy", "semibold")

NO_TEXT_LAYER = "no text layer: scanned PDFs need OCR, which is not supported"

logging.getLogger("pdfminer").setLevel(logging.ERROR)


class _ErrorsOnly:
    """Stands in for pdfminer's module loggers: its content-stream parser calls ``log.debug``
    about five times per token (2 million calls for five reports, 5% of the reading time) only
    for the logging module to drop them; errors still go to the real logger."""

    def __init__(self, real: logging.Logger):
        self.error = real.error

    def debug(self, *args, **kwargs) -> None:
        pass

    info = warning = debug


for _module in (psparser, pdfinterp, pdfparser_module, pdfdocument_module, pdfpage_module):
    _module.log = _ErrorsOnly(_module.log)


class _GlyphRecorder(PDFTextDevice):
    """A pdfminer device that keeps each glyph's box, size, weight and text, and nothing else."""

    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr)
        self.glyphs: list[Glyph] = []
        self.height = 842.0
        self.width = 595.0
        self._fonts: dict[int, tuple[float, bool]] = {}   # id(font) -> (descent, bold)
        self._chars: dict[tuple[int, int], tuple[float, str]] = {}   # (id(font), cid) -> (width, text)

    def begin_page(self, page: PDFPage, ctm) -> None:   # noqa: ANN001 - pdfminer's signature
        x0, y0, x1, y1 = page.mediabox
        self.width, self.height = abs(x1 - x0), abs(y1 - y0)
        self._y_base = min(y0, y1)
        self._x_base = min(x0, x1)
        self.glyphs = []

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):  # noqa: ANN001
        key = id(font)
        known = self._chars.get((key, cid))
        if known is None:
            try:
                text = font.to_unichr(cid)
            except PDFFontError:  # PDFUnicodeNotDefined: a glyph with no Unicode mapping
                text = ""
            known = self._chars[key, cid] = (font.char_width(cid), text)
        width, text = known
        adv = width * fontsize * scaling
        if not text or text.isspace():
            return adv
        facts = self._fonts.get(key)
        if facts is None:
            name = str(getattr(font, "fontname", "") or "").lower()
            facts = self._fonts[key] = (font.get_descent(), any(w in name for w in _BOLD_WORDS))
        a, b, c, d, e, f = matrix
        lo = facts[0] * fontsize + rise
        hi = lo + fontsize
        if b == 0:
            # upright text: the glyph's advance at mid-height. A slanted matrix (c != 0: a synthetic
            # italic; SIF reports of 2014-16 set text so, c = 0.333) draws the glyph as a
            # parallelogram whose bounding box is wider than the advance by c x size (4 pt at 12 pt)
            # and overlaps the next glyph: word spaces read as gaps of -0.2 pt and the words ran
            # together ("inprimaryschoolsis22%"). The advance is where the next glyph starts.
            x0 = c * (lo + hi) / 2 + e
            x1, y0, y1 = a * adv + x0, d * lo + f, d * hi + f
        else:
            x0, y0 = c * lo + e, d * lo + f                       # (0, lo) through the matrix
            x1, y1 = a * adv + c * hi + e, b * adv + d * hi + f   # (adv, hi) through the matrix
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        xb, yb, h = self._x_base, self._y_base, self.height
        self.glyphs.append(Glyph(x0 - xb, x1 - xb, h - (y1 - yb), h - (y0 - yb), y1 - y0, facts[1], text))
        return adv


def _check_envelope(path: str, data: bytes) -> None:
    head = data[:1024]
    if b"%PDF-" not in head:
        raise IngestError(path, "not a PDF (no %PDF header); is the file damaged or misnamed?")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(path, "truncated PDF: the end-of-file marker is missing "
                                "(the download or copy was cut short)")


def read_glyphs(path: str, data: bytes) -> list[tuple[float, float, list[Glyph]]]:
    """Every page's glyphs, as the layout step takes them: ``(width, height, glyphs)`` per page.

    :raise IngestError: not a PDF, truncated or corrupt, encrypted, or over the page limit.
    """
    _check_envelope(path, data)
    max_pages = int(settings.positive("MAX_PAGES"))
    rsrc = PDFResourceManager(caching=True)
    device = _GlyphRecorder(rsrc)
    interpreter = FastInterpreter(rsrc, device)
    raw_pages: list[tuple[float, float, list[Glyph]]] = []
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        # count the pages before reading any: a 3,000-page file is refused at once
        if sum(1 for _ in itertools.islice(PDFPage.create_pages(document), max_pages + 1)) > max_pages:
            raise IngestError(path, f"more than {max_pages} pages, over the page limit "
                                    "(OFSTED_KG_MAX_PAGES)")
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            raw_pages.append((device.width, device.height, device.glyphs))
    except PDFPasswordIncorrect:
        raise IngestError(path, "encrypted PDF: it needs a password to open; "
                                "save an unencrypted copy and ingest that") from None
    except PDFEncryptionError as exc:
        raise IngestError(path, f"encrypted PDF that cannot be decrypted ({exc or 'unsupported encryption'}); "
                                "save an unencrypted copy and ingest that") from None
    except RecursionError:
        raise IngestError(path, "corrupt PDF: its page tree or objects are nested too deeply "
                                "(or refer to themselves)") from None
    except _DAMAGED as exc:
        raise IngestError(path, f"corrupt PDF: {type(exc).__name__}: {str(exc)[:120] or 'unreadable structure'}") from None
    return raw_pages


def read_pdf(path: str, data: bytes) -> RawDocument:
    """Read a PDF's text layer into pages of lines the normaliser understands.

    Running headers, footers, page numbers and footnotes are dropped; each paragraph is one line,
    paragraphs are separated by blank lines, bullets start with "- ", numbered paragraphs with
    "12. ", and table rows are tab-separated cells (cells wrapped over lines are joined).

    :param path: the file's path, for messages.
    :param data: the file's bytes.
    :return: ``RawDocument`` with ``media_type="application/pdf"`` and one ``Page`` per page.
    :raise IngestError: not a PDF, truncated or corrupt, encrypted, or without a text layer.
    """
    raw_pages = read_glyphs(path, data)
    if not raw_pages:
        raise IngestError(path, "corrupt PDF: no pages found")
    if not any(glyphs for _, _, glyphs in raw_pages):
        raise IngestError(path, NO_TEXT_LAYER)
    texts = layout_pages(raw_pages)
    pages = tuple(Page(i + 1, t) for i, t in enumerate(texts))
    return RawDocument(path=path, media_type="application/pdf", sha256=sha256_of(data),
                       text="\f".join(texts), pages=pages)
