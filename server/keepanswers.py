"""The whole canned answers of a new store state, kept as files by the command that wrote it.

``ofsted-kg ingest`` and ``update`` end here (:func:`core.cli.after_write`, ``ANSWERS_AT_INGEST``):
the JSON and the CSV of every canned query that needs no parameter are asked of the app, in
this process, so that the big ones are answer files (:mod:`server.answerfiles`) before any
visitor asks; so is each flat table's web page with its example parameters, which keeps as files
the page state that no parameter changes (:mod:`server.pagefiles`: at 150 x 10 the first
filtered page of plan-actions-kpis in a new web process took 1.9-2.0 s, 0.8-0.9 s with the files:
``bench/first_page.py``).
At 150 authorities x 10 inspections a whole table takes 1-2.5 s of the engine
(issue 16: reading each cell back from the store), then 10-60 ms from its file, from any web
process and after a restart. A whole answer's ETag does not name the host it is asked on (it
has no absolute link), so what is kept here serves every client of a server with the same
settings (a server with others, say another ``RESULT_LIMIT``, computes its own on first ask).

This is ingest's time, not the server's: the queries run in the writing command's process,
after its write, so the server's memory and its visitors' queries are untouched (asked at the
server's start instead, beside visitors asking the same tables, the server's memory doubled
at 150 x 10: 365 -> 713-846 MB, and visitors' long queries met a taken long-query slot: 503).
Once all were asked for a state, its folder says so (:meth:`AnswerFiles.mark_asked`) and a
later command that changed nothing asks nothing. Nothing is done for a remote store or with
``ANSWER_FILES_MB=0``.

A write through the server (a SPARQL Update, a Graph Store ``PUT``, ``POST`` or ``DELETE``) is
followed the same way, in a process of its own (:func:`server.keeplater.keep_later`,
``python -m server.keepanswers STORE``), so that the server's memory stays its own; that process
first rebuilds the graphs derived from the documents, which the write marked as not current
(``DERIVED_AFTER_WRITE``, :mod:`ingest.aside` through :func:`core.cli.rebuild_derived_graphs`), so
that the answers it keeps, and the canned queries after it, read the flat tables again. Keepers
take turns: one works while at most one other waits for it, and the one waiting works on the
state as it is when its turn comes, so a burst of writes starts no pile of keepers and its last
state is the one rebuilt and kept.
"""
from __future__ import annotations

import fcntl
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from core import flat, lock
from core.canned import load_all
from core.cli import rebuild_derived_graphs

from . import config, create_app, pagefiles
from .answerfiles import answers_folder
from .keeplater import to_keep

FORMATS = ("json", "csv")


def whole_answers() -> list[str]:
    """The paths of the whole answers kept: JSON and CSV of each canned query without a
    required parameter."""
    return [f"/queries/{name}.{fmt}" for name, q in sorted(load_all().items())
            if not any(p.required for p in q.params) for fmt in FORMATS]


def table_pages() -> list[str]:
    """The web page of each flat table with its example parameters: asking it keeps, as files,
    the table's page state that no parameter changes (:mod:`server.pagefiles`)."""
    queries = load_all()
    paths = []
    for table in flat.TABLES:
        examples = queries[table.name].examples()
        paths.append(f"/queries/{table.name}" + ("?" + urlencode(examples) if examples else ""))
    return paths


def keep_whole_answers(store: str, stream=None) -> bool:
    """Keep the whole answers of the embedded store at ``store`` as it is now; one line on
    ``stream`` (standard error) says what was asked and kept.

    :return: False when an answer failed (the line names it); True otherwise, also when nothing
        is to be done (files off, ``ANSWERS_AT_INGEST`` off, a remote store: nothing said).
    """
    files = to_keep(config.load({"STORE": store}))
    if files is None:                          # e.g. an ingest that changed nothing: asked already
        return True
    stamp = lock.stamp(store)
    stream = stream or sys.stderr
    started = time.perf_counter()
    app = create_app({"STORE": store})
    answers, pages, failed = whole_answers(), table_pages(), []
    try:
        client = app.test_client()
        for path in answers + pages:
            response = client.get(path)
            response.close()                  # a kept answer's file, opened to be sent
            if response.status_code != 200:
                failed.append(f"{path} ({response.status_code})")
    finally:
        app.extensions["ofsted_kg"].pool.close()
    kept = files.kept(stamp)
    state = [p for p in kept if p.name.startswith(pagefiles.PREFIX)]
    size = sum(p.stat().st_size for p in kept) / 1e6
    if not failed:
        files.mark_asked(stamp)
    line = (f"answers ready: {len(answers)} whole answers asked, {len(kept) - len(state)} kept as files for "
            f"this state, and {len(pages)} tables' page state in {len(state)} ({size:.1f} MB in all) "
            f"in {files.root} ({time.perf_counter() - started:.1f} s)")
    print(line + (f"; failed: {', '.join(failed)}" if failed else ""), file=stream, flush=True)
    return not failed


#: lock files in the answers folder (else, with answer files off, the store's own folder, whose
#: mtime, part of the store's stamp, then moves once as they are made): the keeper at work, and
#: the one waiting for its turn
KEEPING, WAITING = ".keeping.lock", ".waiting.lock"


def keep_in_turn(store: str) -> bool:
    """Rebuild the derived graphs and keep the whole answers of the store as it is when this
    keeper's turn comes; nothing when another keeper is already waiting (it will do so for a
    state at least as new as this one).

    :return: False when a step failed; True otherwise (also when it left the turn to another).
    """
    values = config.load({"STORE": store})
    root = answers_folder(values) or Path(store)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / WAITING, "w") as waiting, open(root / KEEPING, "w") as keeping:
        try:
            fcntl.flock(waiting, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(keeping, fcntl.LOCK_EX)            # the keeper before this one has finished
        fcntl.flock(waiting, fcntl.LOCK_UN)            # the next write's keeper may wait now
        rebuilt = rebuild(store) if values["DERIVED_AFTER_WRITE"] else True
        if rebuilt is None:                            # written meanwhile: the next keeper's turn
            return True
        return keep_whole_answers(store) and rebuilt


def rebuild(store: str, stream=None) -> bool | None:
    """The derived graphs of the store rebuilt beside it
    (:func:`core.cli.rebuild_derived_graphs`); one line on ``stream`` (standard error) says how
    it went.

    :return: whether it went well; None when the store was written meanwhile (nothing written:
        that write's keeper, waiting for its turn, does it).
    """
    stream = stream or sys.stderr
    started = time.perf_counter()
    try:
        outcome = rebuild_derived_graphs(store)
    except OSError as exc:
        print(f"derived graphs not rebuilt after the write ({exc}): the canned queries run their full "
              f"texts until `ofsted-kg ingest --store {store}`", file=stream, flush=True)
        return False
    said = {"rebuilt": "rebuilt", "current": "were current", "superseded": "not written (written meanwhile)"}
    print(f"derived graphs {said[outcome]} after the write ({time.perf_counter() - started:.1f} s)",
          file=stream, flush=True)
    return None if outcome == "superseded" else True


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m server.keepanswers STORE")
    sys.exit(0 if keep_in_turn(sys.argv[1]) else 1)
