"""The fast content-stream reader gives pdfminer's own objects, token for token, and leaves
what it does not take on (inline images, escapes in names, unbalanced arrays) to pdfminer."""
from __future__ import annotations

import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSEOF, PSKeyword, PSLiteral

from ingest.readers.pdf_content import UnusualContent, objects

ORDINARY = [
    b"BT /F1 12 Tf 72 700 Td (Inspection of children's services) Tj ET",
    b"q 1 0 0 1 -3.5 .25 cm +4 -.5 5. re f* Q",
    b"BT [(Child)-333(ren) 12.5 (\\(nested\\) and (balanced) parens)] TJ ET",
    b"(octal \\101\\102\\7x and \\n\\t\\r\\b\\f \\\\ \\q dropped) Tj",
    b"(a line\\\r\ncontinuation and \\\nanother) Tj",
    b"<48656c6c6f> Tj <4 8 6 5 6> Tj <> Tj",
    b"/Span << /ActualText (x) /MCID 3 /Lang /en-GB >> BDC EMC",
    b"/P <</MCID 0>>BDC 0.2 0.4 0.6 rg EMC % a comment\n1 w",
    b"[1 [2 3] true false] 0 d 10 10 m 20 20 l S T* ' \"",
    b"/N\xc3\xa9 gs 12Tf",
]
UNUSUAL = [
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI",     # an inline image
    b"/A#20B gs",                                 # an escape in a name
    b"[1 2 Tj",                                   # an array never closed
    b"1 2 ] Tj",                                  # a close with no open
    b"(never closed",                             # a string never closed
    b"{ 1 } Tj",                                  # a procedure
    b"<< /A 1 /B >> BDC",                         # a dictionary with an odd count
]


def _pdfminer(data: bytes) -> list:
    parser = PDFContentParser([PDFStream({}, data)])
    found = []
    while True:
        try:
            _, obj = parser.nextobject()
        except PSEOF:
            return found
        found.append(obj)


def _comparable(obj):
    if isinstance(obj, PSKeyword):
        return ("operator", obj.name)
    if isinstance(obj, PSLiteral):
        return ("name", obj.name)
    if isinstance(obj, list):
        return [_comparable(o) for o in obj]
    if isinstance(obj, dict):
        return {k: _comparable(v) for k, v in obj.items()}
    if type(obj).__name__ == "_Operator":
        return ("operator", bytes(obj))
    return (type(obj).__name__, obj)


@pytest.mark.parametrize("data", ORDINARY)
def test_ordinary_content_reads_as_pdfminer_reads_it(data):
    assert [_comparable(o) for o in objects(data)] == [_comparable(o) for o in _pdfminer(data)]


@pytest.mark.parametrize("data", UNUSUAL)
def test_unusual_content_is_left_to_pdfminer(data):
    with pytest.raises(UnusualContent):
        objects(data)
