"""Ingest on several worker processes gives exactly what one gives: the same store, outcomes in
command-line order, and, when two files of a batch make the same document, the later file's
version, whichever worker finished first."""
from __future__ import annotations

import hashlib
import re
import shutil

import pyoxigraph as ox
import pytest

from ingest.pipeline import Ingestor
from core.store import open_store
from tests.conftest import CORPUS, corpus_files

_BNODE = re.compile(r"_:[A-Za-z0-9]+")
SHA256 = ox.NamedNode("https://w3id.org/ofsted-kg/def#sha256")


def _ingest(path, files, jobs):
    store = open_store(path)
    try:
        outcomes = Ingestor(store, jobs=jobs).run(files)
        dump = store.dump(ox.RdfFormat.N_QUADS).decode("utf-8")
        hashes = {q.subject.value: q.object.value for q in store.quads()
                  if q.predicate == SHA256 and q.graph_name == q.subject}
    finally:
        store.close()
    return outcomes, sorted(_BNODE.sub("_:b", line) for line in dump.splitlines()), hashes


@pytest.mark.slow
def test_two_workers_store_what_one_stores(tmp_path):
    files = corpus_files()
    one, dump_one, _ = _ingest(tmp_path / "one", files, jobs=1)
    two, dump_two, _ = _ingest(tmp_path / "two", files, jobs=2)
    assert [o.path for o in one] == [o.path for o in two] == files
    assert all(o.ok for o in two), [o.error for o in two if not o.ok]
    assert [(o.document_iri, o.triples, o.inferred_triples) for o in one] == \
           [(o.document_iri, o.triples, o.inferred_triples) for o in two]
    assert dump_one == dump_two


@pytest.mark.slow
def test_the_later_of_two_files_of_one_document_wins(tmp_path):
    seed = CORPUS / "gloucestershire_2017_SIF-with-LSCB-review.txt"
    early, late = tmp_path / "a-early.txt", tmp_path / "b-late.txt"
    shutil.copy(seed, early)
    late.write_bytes(seed.read_bytes() + b"\n\nA closing line added to the copy.\n")
    for order in ([early, late], [late, early]):
        outcomes, _, hashes = _ingest(tmp_path / f"store-{order[0].name}", [str(p) for p in order], jobs=2)
        assert all(o.ok for o in outcomes) and outcomes[0].document_iri == outcomes[1].document_iri
        assert hashes[outcomes[1].document_iri] == hashlib.sha256(order[1].read_bytes()).hexdigest()
