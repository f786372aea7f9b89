"""Parsers never crash: mutated corpus documents give a validated graph or an ``IngestError``.

Hypothesis drops, duplicates and shuffles lines and blocks, garbles characters and truncates
each sample document. Two properties per document:

* up to the parser (read -> normalise -> classify -> parse; cheap, so many examples): the result
  is a parsed document or an ``IngestError``;
* the whole of ``prepare`` (mapping, SHACL, reasoning; slower, so 10 examples a document):
  a ``Prepared`` (whose graph validated: ``prepare`` raises otherwise) or an ``IngestError``.

Anything else (IndexError, AttributeError, a ValueError from a date ...) is a bug.
"""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.classify import classify
from ingest.frameworks import parse
from ingest.model import IngestError
from ingest.normalise import normalise
from ingest.pipeline import discover
from ingest.prepare import Prepared, prepare
from ingest.readers import read

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DOCUMENTS = [Path(p) for p in discover([CORPUS]) if not p.endswith(".ods")]   # text documents
GARBLE = "\t\n |#*-•0123456789–—’é\ufffd\u00a0\x0cIVXxAaZz().:;%"

_op = st.one_of(
    st.tuples(st.just("drop"), st.floats(0, 1), st.integers(1, 40)),
    st.tuples(st.just("duplicate"), st.floats(0, 1), st.integers(1, 40)),
    st.tuples(st.just("shuffle"), st.floats(0, 1), st.integers(2, 60)),
    st.tuples(st.just("drop-block"), st.floats(0, 1), st.integers(1, 5)),
    st.tuples(st.just("shuffle-blocks"), st.floats(0, 1), st.integers(2, 12)),
    st.tuples(st.just("garble"), st.floats(0, 1), st.integers(1, 200)),
    st.tuples(st.just("garble-cover"), st.floats(0, 1), st.integers(1, 30)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.integers(0, 0)),
)
mutations = st.tuples(st.lists(_op, min_size=1, max_size=6), st.integers(0, 2**32 - 1))


def mutate(text: str, ops, seed: int) -> str:
    """Apply (kind, where 0..1, size) operations to ``text``."""
    rng = random.Random(seed)
    for kind, where, size in ops:
        if kind in ("drop-block", "shuffle-blocks"):
            units, sep = text.split("\n\n"), "\n\n"
        else:
            units, sep = text.split("\n"), "\n"
        at = int(where * len(units))
        if kind in ("drop", "drop-block"):
            del units[at:at + size]
        elif kind == "duplicate":
            units[at:at] = units[at:at + size]
        elif kind in ("shuffle", "shuffle-blocks"):
            part = units[at:at + size]
            rng.shuffle(part)
            units[at:at + size] = part
        elif kind in ("garble", "garble-cover"):
            chars = list(text)
            # the cover (title, dates, judgement table) decides most of the parse: aim there too
            span = min(len(chars), 1500) if kind == "garble-cover" else len(chars)
            for _ in range(size):
                if span:
                    chars[rng.randrange(span)] = rng.choice(GARBLE)
            text = "".join(chars)
            continue
        elif kind == "truncate":
            text = text[: int(where * len(text))]
            continue
        text = sep.join(units)
    return text


def _write(doc: Path, folder: str, text: str) -> str:
    path = Path(folder) / doc.name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _parse(path: str):
    d = normalise(read(path))
    return parse(d, classify(d).framework)


def _check_mutants(doc: Path, examples: int, stage) -> None:
    """Run ``stage`` on mutants of ``doc``: it must return, or raise our own IngestError."""
    source = doc.read_text(encoding="utf-8")

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(mutations)
    def check(mutation):
        ops, seed = mutation
        with tempfile.TemporaryDirectory() as folder:
            try:
                stage(_write(doc, folder, mutate(source, ops, seed)))
            except IngestError:
                pass

    check()


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d.name[:40] for d in DOCUMENTS])
def test_parser_gives_a_document_or_an_ingest_error(doc: Path):
    _check_mutants(doc, 40, _parse)


def _prepare_checked(path: str) -> None:
    prepared = prepare(path)
    assert isinstance(prepared, Prepared) and prepared.triples > 0


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d.name[:40] for d in DOCUMENTS])
def test_prepare_gives_a_valid_graph_or_an_ingest_error(doc: Path):
    _check_mutants(doc, 10, _prepare_checked)
