"""Ingest's commands: ``ofsted-kg ingest`` and ``ofsted-kg validate`` (argument parsing and
reporting only; the work is done by :mod:`ingest.pipeline` and :mod:`ingest.revalidate`)."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from core.cli import (EXIT_FAILED, EXIT_OK, Command, add_remote_arguments, add_store_argument, after_write,
                      one_line, open_store, store_location)
from core.settings import is_url

from .model import IngestError

MAX_WARNINGS_SHOWN = 12


def add_ingest_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``ingest``."""
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files (.txt .md .pdf .ods .xlsx) or folders to read; none: bring the "
                        "graphs derived from the stored documents up to date")
    add_store_argument(p)
    p.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: one per core)")
    p.add_argument("--force", action="store_true", help="reload documents even when unchanged")
    p.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    add_remote_arguments(p)


def add_validate_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``validate``."""
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to check without storing; none: re-check the store")
    p.add_argument("--jobs", type=int, default=None,
                   help="worker processes for files (default: one per core)")
    add_store_argument(p)
    add_remote_arguments(p)


class Progress:
    """One line per document; on a terminal, a bar that redraws in place."""

    def __init__(self, quiet: bool, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr      # the current one (tests swap it)
        self.tty = self.stream.isatty()

    def __call__(self, outcome, i: int, n: int) -> None:
        if outcome.ok:
            if self.quiet:
                return
            if outcome.unchanged:
                line = f"unchanged {outcome.path} (already stored as {outcome.document_iri})"
            else:
                line = (f"loaded {outcome.path}: {outcome.framework}, {outcome.triples} triples "
                        f"(+{outcome.inferred_triples} inferred), {len(outcome.warnings)} warning(s)")
        else:
            line = f"FAILED {outcome.error}"
        line = one_line(line)
        if not outcome.ok:
            if self.tty:
                self.stream.write("\r\x1b[K")
            self.stream.write(line + "\n")
            self.stream.flush()
            if not self.tty or i < n:
                return
        if self.tty:
            width = 30
            done = int(width * i / n)
            self.stream.write(f"\r\x1b[K{line}\n[{'#' * done}{'.' * (width - done)}] {i}/{n}")
            if i == n:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{i}/{n}] {line}\n")
        self.stream.flush()


def cmd_ingest(args) -> int:
    from .pipeline import Ingestor, discover
    from .readers import SUPPORTED_SUFFIXES

    if not args.paths:
        return rebuild_derived(args)
    files = list(discover(args.paths))
    missing = [p for p in args.paths if not Path(p).exists() and not is_url(p)]
    for m in missing:
        print(one_line(f"FAILED {m}: no such file or folder"), file=sys.stderr)
    # a folder named on the command line that holds nothing to read is a failure, not silence
    empty = [p for p in args.paths if Path(p).is_dir() and not list(discover([p]))]
    for e in empty:
        print(one_line(f"FAILED {e}: a folder with no {', '.join(SUPPORTED_SUFFIXES)} files in it"),
              file=sys.stderr)
    missing += empty
    files = [f for f in files if f not in missing]
    if not files:
        print("nothing to ingest", file=sys.stderr)
        return EXIT_FAILED if missing else EXIT_OK
    t0 = time.perf_counter()
    batch_error = None
    ingestor = None
    try:
        store = open_store(args)
        try:
            ingestor = Ingestor(store, jobs=args.jobs, on_outcome=Progress(args.quiet),
                                force=args.force)
            ingestor.run(files)
        finally:
            store.close()
    except (OSError, RuntimeError) as exc:   # the store itself failed: say so, then sum up
        batch_error = f"FAILED store {store_location(args)}: {exc}"
    except KeyboardInterrupt:
        batch_error = "FAILED interrupted: documents not listed above were not ingested"
    if batch_error:
        print(one_line(batch_error), file=sys.stderr)
    outcomes = ingestor.outcomes if ingestor else []
    elapsed = time.perf_counter() - t0
    ok = [o for o in outcomes if o.ok]
    failed = [o for o in outcomes if not o.ok]
    warnings = sum(len(o.warnings) for o in ok)
    skipped = len(files) - len(outcomes)
    print(f"{len(ok)} document(s) in the store ({sum(1 for o in ok if o.unchanged)} unchanged), "
          f"{len(failed) + len(missing)} failed{f', {skipped} not attempted' if skipped else ''}; "
          f"{sum(o.triples for o in ok)} triples "
          f"+ {sum(o.inferred_triples for o in ok)} inferred; {warnings} warning(s); "
          f"{elapsed:.1f} s. Store: {store_location(args)}", file=sys.stderr)
    if warnings and not args.quiet:
        print("warnings (all of them: `ofsted-kg query shacl-warnings`):", file=sys.stderr)
        shown = [(o.path, w) for o in ok for w in o.warnings]
        for path, w in shown[:MAX_WARNINGS_SHOWN]:
            print(f"  {path}: {w}", file=sys.stderr)
        if len(shown) > MAX_WARNINGS_SHOWN:
            print(f"  ... and {len(shown) - MAX_WARNINGS_SHOWN} more", file=sys.stderr)
    kept = after_write(store_location(args)) if ok and not batch_error else True
    return EXIT_FAILED if failed or missing or batch_error or not kept else EXIT_OK


def check_document(path: str):
    """Prepare one document without storing it (run in a worker): its ``Prepared``, or the line
    saying why it was refused."""
    from .prepare import prepare
    try:
        return prepare(path)
    except IngestError as exc:
        return str(exc)


def rebuild_derived(args) -> int:
    """``ingest`` without files: the graphs derived from the stored documents (links,
    reconciliation, flat graph) rebuilt when they are not current (a write through the server,
    code whose flat tables differ), then the answers kept, as after any ingest. An embedded
    store is rebuilt beside itself and written in one short write (:mod:`ingest.aside`)."""
    from .aside import CURRENT, SUPERSEDED, rebuild_aside
    location = store_location(args)
    if not is_url(location) and not Path(location).exists():
        print(f"FAILED store {location}: no store there; name files or folders to ingest", file=sys.stderr)
        return EXIT_FAILED
    t0 = time.perf_counter()
    try:
        outcome = rebuild_in_place(args) if is_url(location) else rebuild_aside(location)
    except OSError as exc:
        print(one_line(f"FAILED store {location}: {exc}"), file=sys.stderr)
        return EXIT_FAILED
    if outcome == SUPERSEDED:
        print(f"FAILED store {location}: written by another process while the derived graphs were "
              f"rebuilt; nothing written: run it again", file=sys.stderr)
        return EXIT_FAILED
    print(f"no files given: the derived graphs {'were current' if outcome == CURRENT else 'rebuilt'}; "
          f"{time.perf_counter() - t0:.1f} s. Store: {location}", file=sys.stderr)
    return EXIT_OK if after_write(location) else EXIT_FAILED


def rebuild_in_place(args) -> str:
    """A remote store's derived graphs rebuilt in it; ``"rebuilt"`` or ``"current"``."""
    from .aside import CURRENT, REBUILT
    from .pipeline import Ingestor, derived_due
    store = open_store(args)
    try:
        due = derived_due(store)
        Ingestor(store, jobs=1).run([])
    finally:
        store.close()
    return REBUILT if due else CURRENT


def validate_files(paths: list[str], jobs: int | None) -> int:
    """Check documents in worker processes under the ingest limits, reporting each as soon as
    every document before it has been reported (so the lines keep the order given).

    :return: the exit status: 1 when any document is invalid or broke a limit.
    """
    from . import workers
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    waiting: dict[int, object] = {}
    bad = next_index = 0
    for index, result in workers.run(paths, check_document, jobs, workers.Limits.from_settings()):
        waiting[index] = result
        while next_index in waiting:
            bad += not report_check(paths[next_index], waiting.pop(next_index))
            next_index += 1
    return EXIT_FAILED if bad else EXIT_OK


def report_check(path: str, result) -> bool:
    """Print one document's check (``valid`` with its warnings, or ``INVALID`` and why).

    :param result: its ``Prepared``, the line that refused it, or a ``workers.Failure``.
    :return: whether it is valid.
    """
    from . import workers
    if isinstance(result, workers.Failure):
        result = f"{path}: {result.reason}"
    if isinstance(result, str):
        print(one_line(f"INVALID {result}"), flush=True)
        return False
    print(one_line(f"valid {path}: {result.triples} triples, {len(result.warnings)} warning(s)"))
    for w in result.warnings:
        print(f"  {w}")
    sys.stdout.flush()
    return True


def cmd_validate(args) -> int:
    if args.paths:
        from .pipeline import discover
        files = list(discover(args.paths))
        return validate_files(files, args.jobs) if files else EXIT_OK
    from .revalidate import revalidate_store
    store = open_store(args, read_only=True)
    return revalidate_store(store, sys.stdout)


INGEST = Command("ingest", "read documents into the store (files or folders)",
                 add_ingest_arguments, cmd_ingest)
VALIDATE = Command("validate", "check documents (or the whole store) against the shapes",
                   add_validate_arguments, cmd_validate)
