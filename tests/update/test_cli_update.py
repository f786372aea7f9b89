"""How `ofsted-kg update` shows its progress lines."""
from __future__ import annotations


class _Terminal:
    """A stream that says it is a terminal (what `update` writes to stderr), keeping the text."""

    def __init__(self):
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


def test_download_lines_redraw_as_a_bar_on_a_terminal():
    from ingest.cli_update import Lines
    term, said = _Terminal(), []
    lines = Lines(said.append, term, quiet=False)
    lines("[1/4] downloaded http://x/v1/file/1 (Dudley, children's services inspection; 10 bytes)")
    lines("[2/4] downloaded http://x/v1/file/2 (Dudley, children's services focused visit; 10 bytes)")
    lines("FAILED [3/4] Wigan: http://x/v1/file/3: HTTP 404")
    assert term.text.count("\r\x1b[K") == 2 and "[###############...............] 2/4 downloaded" in term.text
    assert term.text.endswith("\n") and said == ["FAILED [3/4] Wigan: http://x/v1/file/3: HTTP 404"]
    quiet_term, quiet_said = _Terminal(), []
    quiet = Lines(quiet_said.append, quiet_term, quiet=True)
    quiet("[1/4] downloaded http://x/v1/file/1 (Dudley; 10 bytes)")
    quiet("FAILED [3/4] Wigan: http://x/v1/file/3: HTTP 404")
    assert quiet_term.text == "" and quiet_said == ["FAILED [3/4] Wigan: http://x/v1/file/3: HTTP 404"]
