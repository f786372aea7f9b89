"""The hostile inputs of test_hostile_inputs.py: each ``Case`` makes one bad file (or folder,
link or pipe) in a temporary folder, generated rather than stored (no binary blobs in the
repository), and names the reason its refusal must give.

Most are cut from a real report (``SOURCE``), almost right; the rest are empty, random,
oversized, oddly named or not files at all."""
from __future__ import annotations

import io
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
#: the document the "almost right" cases are cut from (not the seed, so a mutated copy that
#: did load could never overwrite the seed's graphs)
SOURCE = CORPUS / "gloucestershire_2017_SIF-with-LSCB-review.txt"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]          # folder -> the bad path to pass on the command line
    env: tuple[tuple[str, str], ...] = ()
    #: the text expected in the FAILED line (lower case), beside the file's name
    reason: str = ""


# ----------------------------------------------------------------------------- generators


def _rng(name: str) -> random.Random:
    return random.Random(f"hostile:{name}")


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    p = folder / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def _source() -> str:
    return SOURCE.read_text(encoding="utf-8")


def _pdf(lines: list[str], encrypt: str | None = None, image_only: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt)
    if image_only:
        # a "scan": filled shapes only, no text operators at all
        for i in range(40):
            c.setFillGray((i % 7) / 7)
            c.rect(40 + (i % 8) * 60, 60 + (i // 8) * 120, 50, 100, fill=1, stroke=0)
        c.showPage()
    else:
        y = 800
        for line in lines:
            c.drawString(50, y, line)
            y -= 16
            if y < 60:
                c.showPage()
                y = 800
        c.showPage()
    c.save()
    return buf.getvalue()


def _report_pdf_lines() -> list[str]:
    return [line[:95] for line in _source().splitlines()[:120] if line.strip()]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


_JUDGEMENT_ROWS = [
    "Children's services in Gloucestershire are inadequate",
    "1. Children who need help and protection",
    "2. Children looked after and achieving permanence",
    "2.1 Adoption performance",
    "2.2 Experiences and progress of care leavers",
    "3. Leadership, management and governance",
]


def _without_judgement_table(folder: Path) -> Path:
    lines = [l for l in _source().splitlines() if not any(l.startswith(r) for r in _JUDGEMENT_ROWS)]
    return _write(folder, "no-judgement-table_SIF.txt", "\n".join(lines))


def _duplicated_conflicting_table(folder: Path) -> Path:
    text = _source()
    start = text.index("Children's services in Gloucestershire are inadequate")
    end = text.index("3. Leadership, management and governance\tInadequate") + len(
        "3. Leadership, management and governance\tInadequate")
    table = text[start:end]
    flipped = (table.replace("Inadequate", "@@").replace("Requires improvement", "Inadequate")
               .replace("Good", "Outstanding").replace("@@", "Good").replace("are inadequate", "are good"))
    return _write(folder, "conflicting-tables_SIF.txt", text[:end] + "\n\n" + flipped + text[end:])


def _date_case(name: str, old: str, new: str) -> Callable[[Path], Path]:
    return lambda folder: _write(folder, name, _replace(_source(), old, new))


def _random_bytes(name: str, n: int = 64 * 1024) -> Callable[[Path], Path]:
    return lambda folder: _write(folder, name, _rng(name).randbytes(n))


def _truncated_pdf(folder: Path) -> Path:
    data = _pdf(_report_pdf_lines())
    return _write(folder, "truncated.pdf", data[: len(data) // 2])


def _pdf_header_garbage(folder: Path) -> Path:
    return _write(folder, "header-only.pdf", b"%PDF-1.7\n" + _rng("hg").randbytes(20000))


def _encrypted_pdf(folder: Path) -> Path:
    return _write(folder, "encrypted.pdf", _pdf(_report_pdf_lines(), encrypt="s3cret"))


def _image_only_pdf(folder: Path) -> Path:
    return _write(folder, "scanned.pdf", _pdf([], image_only=True))


def _untitled_pdf(folder: Path) -> Path:
    rng = _rng("untitled")
    words = "children social work plan review council meeting budget staff quality".split()
    lines = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(60)]
    return _write(folder, "untitled.pdf", _pdf(lines))


def _latin1(folder: Path) -> Path:
    text = _source().replace("’", "'").replace("¹", "1")
    return _write(folder, "latin1.txt", text.replace("Children's", "Children’s").encode("cp1252"))


def _mixed_encoding(folder: Path) -> Path:
    text = _source()
    half = len(text) // 2
    return _write(folder, "mixed-encoding.txt",
                  text[:half].encode("utf-8") + "café — naïve £5".encode("cp1252") + text[half:].encode("utf-8"))


def _utf16(folder: Path) -> Path:
    return _write(folder, "utf16.txt", _source().encode("utf-16"))


def _unknown_kind(folder: Path) -> Path:
    text = ("Minutes of the corporate parenting panel\n\nPresent: the chair, three councillors.\n\n"
            "1. Apologies\nNone.\n\n2. Minutes of the last meeting\nAgreed.\n") * 20
    return _write(folder, "panel-minutes.txt", text)


def _unknown_authority(folder: Path) -> Path:
    return _write(folder, "atlantis_2017_SIF.txt", _source().replace("Gloucestershire", "Atlantis"))


def _oversized(folder: Path) -> Path:
    p = folder / "oversized.txt"
    with open(p, "wb") as f:                      # sparse: no 51 MB written to disk
        f.truncate(51 * 1024 * 1024)
    return p


def _oversized_configured(folder: Path) -> Path:
    return _write(folder, "over-configured-cap.txt", _source() * 3)   # ~0.3 MB, over a 0.1 MiB cap


def _odd_name(name: str) -> Callable[[Path], Path]:
    return lambda folder: _write(folder, name, _rng(name).randbytes(4096))


def _symlink_loop(folder: Path) -> Path:
    d = folder / "loop-folder"
    (d / "sub").mkdir(parents=True)
    os.symlink("..", d / "sub" / "up")            # a folder link back to its parent
    os.symlink("self.txt", d / "self.txt")        # a file link to itself (ELOOP)
    return d


def _dir_as_file(folder: Path) -> Path:
    d = folder / "report.pdf"
    d.mkdir()
    return d


def _unreadable(folder: Path) -> Path:
    # root reads through mode 000, so the content is also bad: refused either way
    p = _write(folder, "unreadable.txt", b"\xff\xfe" + _rng("unreadable").randbytes(2048))
    p.chmod(0)
    return p


def _fifo(folder: Path) -> Path:
    p = folder / "pipe.txt"
    os.mkfifo(p)                                   # reading it would block for ever
    return p


def _dangling_link(folder: Path) -> Path:
    p = folder / "dangling.pdf"
    os.symlink(folder / "nowhere.pdf", p)
    return p


def _table_only_markdown(folder: Path) -> Path:
    rows = ["| Judgement | Grade |", "|---|---|"] + [f"| {r} | Good |" for r in _JUDGEMENT_ROWS]
    return _write(folder, "table-only.md", "\n".join(rows) + "\n")


def _long_line(folder: Path) -> Path:
    rng = _rng("long")
    words = "inspection children services good inadequate 2017 | # <table> ** Gloucestershire".split()
    with open(folder / "one-line.txt", "w", encoding="utf-8") as f:
        while f.tell() < 10 * 1024 * 1024:
            f.write(" ".join(rng.choice(words) for _ in range(2000)) + " ")
    return folder / "one-line.txt"


def _unclosed_tables(folder: Path) -> Path:
    return _write(folder, "unclosed-tables.md", "# Title\n" + "<table><tr><td>x" * 50000)


def _truncated_text(folder: Path) -> Path:
    # cut inside the cover, before its judgements (a half-downloaded file)
    text = _source()
    return _write(folder, "truncated_SIF.txt", text[:text.index("Children's services in")])


def _whitespace(folder: Path) -> Path:
    return _write(folder, "blank.txt", " \n\t\n" * 1000)


def _nul_text(folder: Path) -> Path:
    return _write(folder, "nul.txt", _source()[:3000].encode() + b"\x00" * 64 + b"more")


def _unknown_grade(folder: Path) -> Path:
    return _write(folder, "unknown-grade_SIF.txt",
                  _replace(_source(), "2.1 Adoption performance\tGood", "2.1 Adoption performance\tSuperb"))


def _spreadsheet_missing_columns(folder: Path) -> Path:
    if not (ROOT / "ingest" / "readers" / "ods.py").exists():
        pytest.skip("ingest/readers/ods.py is not written yet (another developer's item)")
    import zipfile
    rows = [["Region", "Inspection date", "Overall effectiveness"],     # no authority name column
            ["South West", "2017-03-23", "Inadequate"]]
    cells = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        for v in row) + "</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="ILACS_inspection_history">'
               f'{cells}</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    p = folder / "missing-columns.ods"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return p


CASES = [
    Case("empty-txt", lambda f: _write(f, "empty.txt", b""), reason="empty"),
    Case("empty-pdf", lambda f: _write(f, "empty.pdf", b""), reason="empty"),
    Case("random-pdf", _random_bytes("random.pdf")),
    Case("random-txt", _random_bytes("random.txt")),
    Case("random-md", _random_bytes("random.md")),
    Case("random-ods", _random_bytes("random.ods")),
    Case("truncated-pdf", _truncated_pdf),
    Case("pdf-header-then-garbage", _pdf_header_garbage),
    Case("encrypted-pdf", _encrypted_pdf, reason="encrypt"),
    Case("image-only-pdf", _image_only_pdf, reason="ocr"),
    Case("pdf-without-title", _untitled_pdf, reason="not a recognised"),
    Case("latin1-text", _latin1, reason="utf-8"),
    Case("mixed-encoding-text", _mixed_encoding, reason="utf-8"),
    Case("utf16-text", _utf16),
    Case("nul-in-text", _nul_text),
    Case("whitespace-only", _whitespace),
    Case("judgement-table-removed", _without_judgement_table),
    Case("judgement-table-duplicated-conflicting", _duplicated_conflicting_table),
    Case("unknown-grade-word", _unknown_grade),
    Case("impossible-date-31-february", _date_case(
        "impossible-date_SIF.txt", "Inspection date: 27 February", "Inspection date: 31 February")),
    Case("end-before-start", _date_case(
        "end-before-start_SIF.txt", "27 February to 23 March 2017", "27 February 2017 to 23 March 2016")),
    Case("published-before-end", _date_case(
        "published-before-end_SIF.txt", "Report published: 13 June 2017", "Report published: 13 January 2017")),
    Case("unknown-document-kind", _unknown_kind, reason="not a recognised"),
    Case("authority-not-in-register", _unknown_authority, reason="atlantis"),
    Case("truncated-text-report", _truncated_text),
    Case("oversized-sparse-51mb", _oversized, reason="limit"),
    Case("oversized-configured-cap", _oversized_configured, env=(("OFSTED_KG_MAX_FILE_MB", "0.1"),),
         reason="limit"),
    Case("spreadsheet-missing-columns", _spreadsheet_missing_columns, reason="missing expected column"),
    Case("name-with-backslashes", _odd_name("..\\..\\etc\\passwd.txt")),
    Case("name-with-newline", _odd_name("two\nlines.txt")),
    Case("name-with-unicode-and-spaces", _odd_name("rapport d’inspection  ☃ (copy).pdf")),
    Case("name-starting-with-dash", _odd_name("--force.txt")),
    Case("unsupported-suffix", lambda f: _write(f, "report.docx", b"PK\x03\x04" + bytes(100)),
         reason="unsupported"),
    Case("no-suffix", lambda f: _write(f, "README-but-not", b"hello"), reason="unsupported"),
    Case("folder-with-symlink-loop", _symlink_loop),
    Case("directory-where-file-expected", _dir_as_file),
    Case("unreadable-mode-000", _unreadable),
    Case("fifo-named-txt", _fifo),
    Case("dangling-symlink", _dangling_link),
    Case("markdown-only-a-table", _table_only_markdown),
    Case("ten-mb-single-line", _long_line),
    Case("markdown-unclosed-html-tables", _unclosed_tables),
]
