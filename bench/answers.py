"""Whole canned answers from their files (server/answerfiles.py) against running the query.

Run: ``.venv/bin/python bench/answers.py --store DIR [--repeat 5] [NAME.FMT ...]``

For each whole answer (by default the three big tables, ``recommendations.csv``,
``statistics.json`` and ``judgements.csv``, with nothing bound), on ``ofsted-kg serve`` over
HTTP (one keep-alive connection, the body read to its end), wall ms, medians of ``--repeat``:

- ``computed``: the baseline, a server with its result cache and answer files off (every
  request runs the query and writes its answer, as every first ask did before the files);
- ``first ask``: a fresh server with the answer files on (the default), in a fresh answers
  folder: the query runs and the answer is written to its file (one request, not a median);
- ``from file``: the same server asked again;
- ``after restart``: a new server on the same folder and port (empty memory caches), its first
  ask (one request): sent from the file;
- ``kept at ingest``: the whole answers kept in a fresh folder as ``ofsted-kg ingest`` ends
  (server/keepanswers.py, ``ANSWERS_AT_INGEST``; how long that took is printed under the
  table), then a fresh server's first ask (one request);
- ``after a write``: on a copy of the store, a server with updates on takes one SPARQL Update
  (a triple no query reads); its keeper process (server/keeplater.py) keeps the new state's
  answers, and once they are all asked, the same server's first ask of each (one request). How
  long the keeper took after the update is printed under the table. Skipped with ``--no-write``
  (the copy is the store's size again on disk: 2 GB at 150 x 10).

The ratio is the baseline over each time. ``first ask`` is slower than the baseline's median
because it is a new server's first query (its query worker's store and caches still cold), not
because of the file: writing 13 MB to a file took 4-25 ms here (one-off).

Measured 6 Dec 2026 08:05 (the host about twice as slow as a quiet one, ``sum(range(10000))``
202 us, two other jobs running), wall ms, computed -> after restart: 150 x 10 recommendations.csv
(13.2 MB) 1,281 -> 28 (45x), statistics.json (28.5 MB) 1,537 -> 56 (28x), judgements.csv
(4.7 MB) 757 -> 10 (73x); national (corpus/ + corpus-national) recommendations.csv (1.3 MB) 161
-> 11, statistics.json (2.1 MB) 91 -> 5, judgements.csv (1.0 MB, under the 1 MiB the files start
at: computed again) 153 -> 207.

6 Dec 2026 10:25 (slow host, ``sum(range(10000))`` 173 us), wall ms, computed -> first ask of a
fresh server on the answers kept as ingest ends (``kept at ingest``): 150 x 10
recommendations.csv 1,421 -> 22 (64x), statistics.json 1,492 -> 41 (37x), judgements.csv 673 ->
9 (74x), keeping took 24.5 s (46 answers asked, 21 files, 186 MB, with files from 256 KiB:
``ANSWER_FILES_MIN_KB``, was 1 MiB); national recommendations.csv 160 -> 7, statistics.json 131
-> 7, judgements.csv (1.0 MB, now kept) 181 -> 4, keeping took 2.0 s (9 files, 12 MB).

6 Dec 2026 16:50 (``sum(range(10000))`` 125 us), 150 x 10, wall ms, computed -> after a write
through the server (its keeper process had asked every whole answer 20.0 s after the update;
keeping as ingest ends took 20.3 s): recommendations.csv 996 -> 14 (71x), statistics.json 1,136
-> 26 (43x), judgements.csv 354 -> 6 (58x). Before the keeper, a write through the server left
each whole answer to its first visitor: the computed column (one-off, plan-actions-kpis.json,
whose 36 MB are over ``RESULT_MAX_BYTES`` and so cut row by row, 7.2 s). 17:10, once answers over
``RESULT_MAX_BYTES`` are cut from the bytes written (core/firstrows.py): keeping as ingest ends
13.8 s (was 20.3), the keeper done 14.2 s after the update (was 20.0); computed -> after a
write: recommendations.csv 993 -> 16, statistics.json 1,134 -> 22, judgements.csv 426 -> 5.
National, 17:40: the keeper done 2.2 s after the update (keeping as ingest ends 2.0 s); computed
-> after a write: recommendations.csv 138 -> 7, statistics.json 104 -> 5, judgements.csv 122 -> 4.
19:10 (116-118 us), once a write through the server marks the flat graph not current (the
keeper, and every canned query until the next ingest, runs the full texts over the documents):
the keeper done 29.5 s after the update at 150 x 10 (was 14.2), 3.2 s nationally (was 2.2);
computed -> after a write at 150 x 10: recommendations.csv 1,023 -> 29, statistics.json 1,161
-> 36, judgements.csv 413 -> 8; nationally 93 -> 11, 65 -> 3.5, 114 -> 2.3.
"""
from __future__ import annotations

import argparse
import http.client
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from serving import fetch, free_port, host_speed, start_server  # noqa: E402
from core import lock  # noqa: E402
from server.answerfiles import AnswerFiles  # noqa: E402
from server.keepanswers import keep_whole_answers  # noqa: E402

DEFAULT = ["recommendations.csv", "statistics.json", "judgements.csv"]


def timed(port: int, path: str, repeat: int) -> tuple[float, int]:
    """Median wall ms of ``repeat`` GETs of ``path`` and the body's bytes."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        status, body = fetch(conn, path)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        size = len(body)
    conn.close()
    return statistics.median(times), size


def serving(store: Path, answers: Path, files: bool, port: int):
    """A server on ``store`` at ``port``; with ``files``, its answer files in ``answers``, else
    no cache at all. (A restart keeps its port, as a user's server would.)"""
    return start_server(store, port, cache=files, settings={"ANSWER_FILES_DIR": answers}), port


def asked(store: Path, answers: Path, files: bool, port: int, names: list[str], cases) -> dict:
    """Start a server (:func:`serving`), ask each of ``names`` for each ``(label, repeat)`` of
    ``cases`` in turn, stop it: {name: {label: (median ms, bytes)}}."""
    proc, port = serving(store, answers, files, port)
    try:
        return {name: {label: timed(port, f"/queries/{name}", repeat) for label, repeat in cases}
                for name in names}
    finally:
        proc.kill()
        proc.wait()


def merge(rows: dict, more: dict) -> None:
    for name, found in more.items():
        rows.setdefault(name, {}).update(found)


def kept_as_ingest_ends(store: Path, answers: Path) -> str:
    """What ``ofsted-kg ingest`` does last, into ``answers``: the line it prints."""
    os.environ["OFSTED_KG_ANSWER_FILES_DIR"] = str(answers)
    said = io.StringIO()
    try:
        keep_whole_answers(str(store), said)
    finally:
        del os.environ["OFSTED_KG_ANSWER_FILES_DIR"]
    return said.getvalue().strip()


def kept_after_a_write(store: Path, folder: Path, names: list[str]) -> tuple[dict, str]:
    """A copy of ``store`` served with updates on, one update, its keeper waited for, then each of
    ``names`` asked once: ({name: {"after a write": (ms, bytes)}}, what the wait took)."""
    copy, answers, token = folder / "written", folder / "after-write", "bench-token"
    shutil.copytree(store, copy)
    port = free_port()
    proc = start_server(copy, port, settings={"ANSWER_FILES_DIR": answers, "ALLOW_UPDATE": "true",
                                              "UPDATE_TOKEN": token})
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        conn.request("POST", "/sparql", body="INSERT DATA { <urn:bench:a> <urn:bench:b> 1 }",
                     headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        if response.status != 204:
            raise RuntimeError(f"the update: HTTP {response.status}")
        started, files = time.perf_counter(), AnswerFiles(answers, 0)
        while not files.asked(lock.stamp(str(copy))):
            if time.perf_counter() - started > 600:
                raise RuntimeError("no keeper had asked the answers 600 s after the update")
            time.sleep(0.2)
        waited = f"the keeper had asked every whole answer {time.perf_counter() - started:.1f} s after the update"
        return {name: {"after a write": timed(port, f"/queries/{name}", 1)} for name in names}, waited
    finally:
        proc.kill()
        proc.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="skip the case after a write (no copy of the store)")
    ap.add_argument("answers", nargs="*", default=DEFAULT, help="NAME.FMT of canned queries")
    args = ap.parse_args()
    print(host_speed(), flush=True)
    folder = Path(tempfile.mkdtemp(prefix="answers-bench-"))
    rows = {}
    try:
        on, at_ingest = folder / "on", folder / "at-ingest"
        runs = [(folder / "off", False, free_port(), (("computed", args.repeat),)),
                (on, True, free_port(), (("first ask", 1), ("from file", args.repeat)))]
        runs.append((on, True, runs[-1][2], (("after restart", 1),)))      # the same port again
        for answers, files, port, cases in runs:
            merge(rows, asked(args.store, answers, files, port, args.answers, cases))
        kept = sorted(p.stat().st_size for p in on.glob("*/*"))
        ingest_line = kept_as_ingest_ends(args.store, at_ingest)
        merge(rows, asked(args.store, at_ingest, True, free_port(), args.answers, (("kept at ingest", 1),)))
        write_line = "skipped (--no-write)"
        if not args.no_write:
            after, write_line = kept_after_a_write(args.store, folder, args.answers)
            merge(rows, after)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    cases = ["computed", "first ask", "from file", "after restart", "kept at ingest"]
    cases += [] if args.no_write else ["after a write"]
    print(f"{'answer':24} {'MB':>6} " + " ".join(f"{c:>14}" for c in cases) + "   (ms; x = computed / this)")
    for name, found in rows.items():
        base = found["computed"][0]
        cells = [f"{found[c][0]:8.1f} {base / found[c][0]:4.1f}x" for c in cases]
        print(f"{name:24} {found['computed'][1] / 1e6:6.1f} " + " ".join(f"{c:>14}" for c in cells))
    print(f"files written: {len(kept)} ({sum(kept) / 1e6:.1f} MB)")
    print(f"as ingest ends: {ingest_line}")
    print(f"after a write through the server: {write_line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
