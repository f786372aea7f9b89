"""One document cannot sink an ingest (issue 13 item 4): files that would exhaust memory or
time, or that are far too big, are each refused with one line naming the file (and the limit,
where a limit stopped them), while every other file of the batch still loads.

The hostile files are generated here: a spreadsheet with a cell at the sheet's far corner (ODS
and XLSX), a zip bomb, PDFs whose cross-reference table or page tree points at itself, a page
tree 5,000 levels deep, a content stream that inflates to 512 MiB, a 3,000-page PDF, and
pathological markdown (a line of 200,000 ``[`` or ``<``, thousands of unclosed cells). They go
to the real command line in one batch, with two good documents before and after them, with
tight limits so the test stays short (``OFSTED_KG_DOC_TIMEOUT``, ``OFSTED_KG_DOC_MEMORY_MB``).
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOOD = [CORPUS / "bath-and-north-east-somerset_2017_SIF-with-LSCB-review.md",
        CORPUS / "gloucestershire_2017_SIF-with-LSCB-review.txt"]
LIMITS = {"OFSTED_KG_DOC_TIMEOUT": "45", "OFSTED_KG_DOC_MEMORY_MB": "400"}

# ----------------------------------------------------------------------------- spreadsheets

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')
_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
             'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
             '<manifest:file-entry manifest:full-path="/" '
             'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
             '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
             '</manifest:manifest>')
_CELL = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'


def _ods(path: Path, rows: str = "", big_cell_mib: int = 0) -> Path:
    head = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}><office:body>'
            '<office:spreadsheet><table:table table:name="Sheet1">')
    tail = "</table:table></office:spreadsheet></office:body></office:document-content>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", _MANIFEST)
        if not big_cell_mib:
            z.writestr("content.xml", head + rows + tail)
            return path
        with z.open("content.xml", "w", force_zip64=True) as f:   # streamed: never in memory here
            f.write((head + '<table:table-row><table:table-cell office:value-type="string"><text:p>').encode())
            chunk = b"a" * 2**20
            for _ in range(big_cell_mib):
                f.write(chunk)
            f.write(("</text:p></table:table-cell></table:table-row>" + tail).encode())
    return path


def far_corner_ods(folder: Path) -> Path:
    rows = ("<table:table-row>" + _CELL.format("Local authority") + "</table:table-row>"
            '<table:table-row table:number-rows-repeated="1048574">'
            '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
            '<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
            + _CELL.format("x") + "</table:table-row>")
    return _ods(folder / "far-corner.ods", rows)


def zip_bomb_ods(folder: Path) -> Path:
    return _ods(folder / "zip-bomb.ods", big_cell_mib=600)      # 600 MiB inflated from ~0.6 MB


def far_corner_xlsx(folder: Path) -> Path:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    doc_rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    path = folder / "far-corner.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        z.writestr("_rels/.rels", f'<Relationships xmlns="{rels}"><Relationship Id="rId1" '
                                  f'Type="{doc_rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{doc_rels}"><sheets>'
                                      '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{rels}"><Relationship '
                   f'Id="rId1" Type="{doc_rels}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", (
            f'<worksheet xmlns="{main}"><dimension ref="A1:XFD1048576"/><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Local authority</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            '</sheetData></worksheet>'))
    return path


# ----------------------------------------------------------------------------- PDFs


def _pdf(objects: list[bytes], prev_self: bool = False) -> bytes:
    """A PDF of numbered objects (1 is the catalogue) with a correct cross-reference table;
    ``prev_self``: the table's /Prev points back at itself."""
    buf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(buf))
        buf += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(buf)
    buf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    buf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    prev = b" /Prev %d" % xref if prev_self else b""
    buf += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, prev, xref)
    return bytes(buf)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_TEXT = b"BT /F1 12 Tf 72 700 Td (Inspection of children's services) Tj ET"


def _stream(data: bytes, compressed: bytes | None = None) -> bytes:
    if compressed is not None:
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed) + compressed + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _one_page(content: bytes) -> list[bytes]:
    return [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>", content, _FONT]


def xref_loop_pdf(folder: Path) -> Path:
    path = folder / "xref-points-at-itself.pdf"
    path.write_bytes(_pdf(_one_page(_stream(_TEXT)), prev_self=True))
    return path


def self_reference_pdf(folder: Path) -> Path:
    objects = _one_page(_stream(_TEXT))
    objects[0] = b"<< /Type /Catalog /Pages 6 0 R >>"
    objects.append(b"6 0 R")                    # object 6 is a reference to object 6
    path = folder / "object-refers-to-itself.pdf"
    path.write_bytes(_pdf(objects))
    return path


def deep_page_tree_pdf(folder: Path, depth: int = 5000) -> Path:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    objects += [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + i) for i in range(depth)]
    leaf = 2 + depth
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] /Contents %d 0 R "
                   b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (leaf + 1, leaf + 2))
    objects += [_stream(_TEXT), _FONT]
    path = folder / "deep-page-tree.pdf"
    path.write_bytes(_pdf(objects))
    return path


def inflating_stream_pdf(folder: Path, mib: int = 512) -> Path:
    z = zlib.compressobj(9)
    chunk = b" " * 2**20
    compressed = b"".join(z.compress(chunk) for _ in range(mib)) + z.flush()
    path = folder / "content-stream-bomb.pdf"
    path.write_bytes(_pdf(_one_page(_stream(b"", compressed))))
    return path


def many_pages_pdf(folder: Path, pages: int = 3000) -> Path:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        c.drawString(72, 700, f"Page {i + 1}")
        c.showPage()
    c.save()
    path = folder / "three-thousand-pages.pdf"
    path.write_bytes(buf.getvalue())
    return path


# ----------------------------------------------------------------------------- markdown


def _md(name: str, text: str):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path
    return make


#: (maker, text the FAILED line must hold besides the file's name)
CASES = [
    (far_corner_ods, "cell limit"),
    (far_corner_xlsx, "limit"),
    (zip_bomb_ods, "memory limit"),
    (xref_loop_pdf, ""),
    (self_reference_pdf, "limit"),
    (deep_page_tree_pdf, "nested too deeply"),
    (inflating_stream_pdf, "memory limit"),
    (many_pages_pdf, "page limit"),
    (_md("brackets.md", "# Inspection\n" + "[" * 200_000 + "\n"), ""),
    (_md("angles.md", "# Inspection\n" + "<" * 200_000 + "\n"), ""),
    (_md("unclosed-cells.md", "# Inspection\n<table><tr>" + "<td>x" * 20_000 + "</table>\n"), ""),
]


@pytest.mark.slow
def test_hostile_files_cost_one_line_each_and_the_batch_loads(tmp_path):
    pytest.importorskip("reportlab")
    bad = [(make(tmp_path), want) for make, want in CASES]
    paths = [str(GOOD[0])] + [str(p) for p, _ in bad] + [str(GOOD[1])]
    proc = subprocess.run(
        [sys.executable, "-m", "ingest", "ingest", *paths, "--store", str(tmp_path / "store"),
         "--jobs", "2"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **LIMITS},
        capture_output=True, text=True, timeout=900)
    err = proc.stderr
    assert "Traceback" not in err and "panicked" not in err, err
    assert proc.returncode == 1, err
    failed = [line for line in err.splitlines() if line.startswith("FAILED")]
    assert len(failed) == len(bad), err
    for path, want in bad:
        mine = [line for line in failed if f"FAILED {path}:" in line]
        assert len(mine) == 1, f"{path.name}: {err}"
        assert want in mine[0].lower(), mine[0]
    for good in GOOD:
        assert f"loaded {good}" in err, err
    assert f"2 document(s) in the store (0 unchanged), {len(bad)} failed" in err, err
