"""A file whose suffix names no reader is refused from its header alone: only the first bytes
(where a PDF's "%PDF-" header may sit) are read before the refusal, however large the file is;
a PDF under a neutral name is still read whole. The bytes read are the process's own count
(``rchar`` in ``/proc/self/io``, Linux; skipped elsewhere)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.model import IngestError
from ingest.readers import read

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "bristol_2014_SIF-with-LSCB-review.txt"
IO = Path("/proc/self/io")
pytestmark = pytest.mark.skipif(not IO.is_file(), reason="no /proc/self/io to count the bytes read")


def _bytes_read() -> int:
    return int(next(line for line in IO.read_text().splitlines() if line.startswith("rchar:")).split()[1])


def _read_counting(path: Path) -> tuple[int, object]:
    """(bytes this process read meanwhile, what ``read`` returned or raised)."""
    before = _bytes_read()
    try:
        result = read(path)
    except IngestError as exc:
        result = exc
    return _bytes_read() - before, result


def test_a_file_of_no_known_kind_is_refused_from_its_header(tmp_path):
    # a real report's text, repeated to 8 MiB, saved under a neutral name
    text = SEED.read_bytes()
    neutral = tmp_path / "80427.bin"
    neutral.write_bytes(text * (8 * 2**20 // len(text) + 1))
    used, result = _read_counting(neutral)
    assert isinstance(result, IngestError)
    assert "unsupported file type '.bin' and no PDF header" in str(result)
    assert used < 256 * 1024, f"read {used} bytes of an 8 MiB file before refusing it"


def test_a_pdf_under_a_neutral_name_is_read_whole(tmp_path):
    pdf = next((ROOT.parent / "shared" / "corpus-dev").glob("*.pdf"), None)
    if pdf is None:
        pytest.skip("../shared/corpus-dev is absent: no PDF to read under a neutral name")
    neutral = tmp_path / "80427"
    shutil.copyfile(pdf, neutral)
    used, result = _read_counting(neutral)
    assert not isinstance(result, IngestError)
    assert result.pages and used >= pdf.stat().st_size
