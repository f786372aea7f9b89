"""Focused-visit letters of ``../shared/corpus-national`` read once per test process and parsed,
their page texts edited in memory for the variants the visible archive does not print."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ingest.frameworks.visit import parse
from ingest.model import Page
from ingest.normalise import normalise
from ingest.readers import read

NATIONAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-national"
SKIP_REASON = "../shared/corpus-national is absent: the national archive's PDFs are read in place, never committed"
_RAW: dict[str, object] = {}


def letter(name: str, edit=lambda text: text):
    """The parsed letter ``focused-visits/<name>.pdf``, its page texts edited by ``edit``."""
    if name not in _RAW:
        _RAW[name] = read(NATIONAL / "focused-visits" / f"{name}.pdf")
    raw = _RAW[name]
    raw = dataclasses.replace(raw, pages=tuple(Page(p.number, edit(p.text)) for p in raw.pages))
    return parse(normalise(raw))
