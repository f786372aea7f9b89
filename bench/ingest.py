"""Ingest benchmark: stage throughput, whole-corpus time, per-document cost as the store grows.

Run: ``.venv/bin/python bench/ingest.py [--filled 1000] [--pdf-dir ../shared/corpus-dev]``

Prints, for the bundled corpus: documents/s and triples/s for each stage (read+normalise+
classify+parse, map, validate, reason, load); the whole corpus ingested, validated and reasoned
(target < 10 s); the per-document cost (prepare + load, median over the corpus) into an empty
store and into a store already holding N generated documents (target: within 1.5x); peak
memory. With ``--pdf-dir``, also PDF pages/s and the time for every file there (issue 3).
With ``--outcomes-dir``, the official outcome spreadsheets: each one's stage times, and all of
them ingested together with reconciliation (target with the dev PDFs: < 60 s).
"""
from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.pipeline import Ingestor, discover  # noqa: E402
from ingest.prepare import prepare  # noqa: E402
from core.store import open_store  # noqa: E402

CORPUS = ROOT / "corpus"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stage_throughput(files: list[str]) -> list:
    prepared = []
    totals: dict[str, float] = {}
    for f in files:
        p = prepare(f)
        prepared.append(p)
        for k, v in p.timings.items():
            totals[k] = totals.get(k, 0.0) + v
    triples = sum(p.triples for p in prepared)
    print(f"\n== stages over the corpus ({len(files)} documents, {triples} triples)")
    for stage in ("read", "parse", "map", "validate", "reason"):
        t = totals.get(stage, 0.0)
        print(f"  {stage:9} {t:7.3f} s  {len(files) / t if t else float('inf'):8.1f} docs/s  "
              f"{triples / t if t else float('inf'):10.0f} triples/s")
    return prepared


def whole_corpus(files: list[str], jobs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store = open_store(Path(tmp) / "s")
        outcomes = Ingestor(store, jobs=jobs).run(files)
        store.close()
        elapsed = time.perf_counter() - t0
    ok = sum(o.ok for o in outcomes)
    print(f"\n== whole corpus, ingested + validated + reasoned + loaded, jobs={jobs}: {elapsed:.2f} s "
          f"for {ok}/{len(files)} documents (target < 10 s: {'met' if elapsed < 10 else 'NOT met'})")
    return elapsed


def synthetic_documents(template_nt: bytes, template_iri: str, n: int):
    """n document graphs made from a real one by renaming its document and inspection IRIs."""
    text = template_nt.decode("utf-8")
    insp = re.search(r"<(https://[^>]*/id/inspection/[^>/]+/[^>/]+/[^>/]+)>", text).group(1)
    for i in range(n):
        doc = f"{template_iri}-synthetic-{i:05d}"
        body = text.replace(template_iri, doc).replace(insp, f"{insp}-synthetic-{i:05d}")
        yield doc, body.encode("utf-8")


def per_document_cost(files: list[str], filled: int) -> None:
    template = prepare(files[0])

    def cost(store) -> float:
        times = []
        for f in files:
            t0 = time.perf_counter()
            p = prepare(f)
            Ingestor(store, jobs=1, force=True).load(p)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "empty")
        Ingestor(store, jobs=1).run([])
        empty = cost(store)
        store.close()
        store = open_store(Path(tmp) / "filled")
        t0 = time.perf_counter()
        for doc, nt in synthetic_documents(template.ntriples, template.document_iri, filled):
            store.replace_graphs({doc: nt})
        fill_time = time.perf_counter() - t0
        size = len(store)
        full = cost(store)
        store.close()
    ratio = full / empty
    print(f"\n== per-document cost (prepare + load, median of {len(files)})")
    print(f"  empty store:                     {empty * 1000:8.1f} ms")
    print(f"  store with {filled} documents ({size} quads, filled in {fill_time:.1f} s): {full * 1000:8.1f} ms")
    print(f"  ratio {ratio:.2f}x (target <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})")


def pdf_figures(folder: Path) -> None:
    from ingest.readers import read
    pdfs = sorted(folder.glob("*.pdf"))
    if not pdfs:
        return
    pages = 0
    t0 = time.perf_counter()
    for p in pdfs:
        pages += len(read(p).pages)
    read_time = time.perf_counter() - t0
    print(f"\n== PDF reader: {pages} pages in {read_time:.2f} s = {pages / read_time:.1f} pages/s")
    for p in pdfs:
        t0 = time.perf_counter()
        try:
            prep = prepare(str(p))
            status = f"{prep.triples} triples"
        except Exception as exc:  # noqa: BLE001 - a benchmark reports and goes on
            status = f"failed: {exc}"
        print(f"  {p.name:40} {time.perf_counter() - t0:6.2f} s  {status}")


def outcome_tables(folder: Path, jobs: int) -> None:
    sheets = sorted(str(p) for p in folder.glob("*.ods"))
    if not sheets:
        return
    print(f"\n== outcome spreadsheets ({len(sheets)})")
    for path in sheets:
        t0 = time.perf_counter()
        prep = prepare(path)
        stages = " ".join(f"{k} {v:.2f}" for k, v in prep.timings.items())
        print(f"  {Path(path).name:58} {time.perf_counter() - t0:6.2f} s  {prep.triples} triples ({stages})")
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "s")
        t0 = time.perf_counter()
        outcomes = Ingestor(store, jobs=jobs).run(sheets)
        elapsed = time.perf_counter() - t0
        store.close()
    print(f"  all together, jobs={jobs}, with reconciliation: {elapsed:.2f} s "
          f"({sum(o.ok for o in outcomes)}/{len(sheets)} loaded)")


def dev_and_tables(pdf_dir: Path, outcomes_dir: Path, jobs: int) -> None:
    """Issue 3's target: the dev PDFs and the outcome spreadsheets together, both cores."""
    files = list(discover([pdf_dir, outcomes_dir]))
    for n_jobs in (1, jobs):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            store = open_store(Path(tmp) / "s")
            outcomes = Ingestor(store, jobs=n_jobs).run(files)
            store.close()
            elapsed = time.perf_counter() - t0
        print(f"\n== {len(files)} dev PDFs + spreadsheets together, jobs={n_jobs}: {elapsed:.1f} s, "
              f"{sum(o.ok for o in outcomes)}/{len(files)} loaded "
              f"(target < 60 s: {'met' if elapsed < 60 else 'NOT met'})")
        if n_jobs == 1:
            baseline = elapsed
    print(f"  speed-up from {jobs} workers: {baseline / elapsed:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--filled", type=int, default=1000, help="documents in the filled store")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--pdf-dir", type=Path, default=None)
    ap.add_argument("--outcomes-dir", type=Path, default=None,
                    help="folder of Ofsted outcome spreadsheets (../shared/reference/ofsted-outcomes)")
    args = ap.parse_args()
    files = list(discover([CORPUS]))
    t0 = time.perf_counter()
    import ingest.reason
    ingest.reason.schema()
    print(f"start-up (imports + ontology closure by owlrl): {time.perf_counter() - t0:.2f} s")
    stage_throughput(files)
    whole_corpus(files, jobs=1)
    whole_corpus(files, jobs=args.jobs)
    per_document_cost(files, args.filled)
    if args.pdf_dir:
        pdf_figures(args.pdf_dir)
    if args.outcomes_dir:
        outcome_tables(args.outcomes_dir, args.jobs)
    if args.outcomes_dir and args.pdf_dir:
        dev_and_tables(args.pdf_dir, args.outcomes_dir, args.jobs)
    print(f"\npeak memory (this process): {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
