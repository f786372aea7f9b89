"""The ``ofsted-kg update`` command's options and report; the work is in :mod:`ingest.update`."""
from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from pathlib import Path
from typing import Callable

from core.cli import (EXIT_FAILED, EXIT_OK, Command, add_remote_arguments, add_store_argument, after_write,
                      one_line, open_store, store_location)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``update``."""
    from core import settings
    p.add_argument("--source", default=None, metavar="URL",
                   help="first page of Ofsted's provider search "
                        f"(default: $OFSTED_KG_UPDATE_SOURCE or {settings.get('UPDATE_SOURCE')})".replace("%", "%%"))
    p.add_argument("--spreadsheet-page", dest="spreadsheet_pages", action="append", default=None,
                   metavar="URL", help="a gov.uk page whose .ods/.xlsx links are outcome spreadsheets "
                                       "(repeatable; default: $OFSTED_KG_UPDATE_SPREADSHEET_PAGES)")
    p.add_argument("--authority", dest="authorities", action="extend", nargs="+", default=[],
                   metavar="NAME|GSS", help="only these authorities (names or GSS codes); skips the "
                                            "national spreadsheets")
    p.add_argument("--since", type=_date, default=None, metavar="DATE",
                   help="only publications Ofsted lists as published on or after DATE (YYYY-MM-DD)")
    p.add_argument("--dry-run", action="store_true",
                   help="list what would be downloaded; download, record and store nothing")
    p.add_argument("--offline", action="store_true",
                   help="no network: ingest what the cache already holds (e.g. into a new store)")
    p.add_argument("--retry-refused", action="store_true",
                   help="ingest again the cached files the pipeline refused before")
    p.add_argument("--cache", default=None, metavar="DIR",
                   help="downloads and the record of publications seen "
                        f"(default: $OFSTED_KG_UPDATE_CACHE or {settings.get('UPDATE_CACHE')})".replace("%", "%%"))
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="ingest worker processes (default: 2)")
    p.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    add_store_argument(p)
    add_remote_arguments(p)


class Lines:
    """Shows ``update``'s lines. On a terminal, progress lines ("[3/40] downloaded ...") redraw
    in place as a bar with the latest download; other lines (failures, the summary) stay."""

    WIDTH = 30

    def __init__(self, say: Callable[[str], None], stream, quiet: bool):
        self.say, self.stream, self.quiet = say, stream, quiet
        self.tty = stream.isatty()
        self.open = False

    def __call__(self, line: str) -> None:
        progress = _PROGRESS.match(line)
        if progress and self.quiet:
            return
        if not (progress and self.tty):
            if self.open:
                self.stream.write("\n")
                self.open = False
            self.say(line)
            return
        i, n = int(progress.group(1)), int(progress.group(2))
        done = self.WIDTH * i // n
        columns = shutil.get_terminal_size((100, 24)).columns
        bar = f"[{'#' * done}{'.' * (self.WIDTH - done)}] {i}/{n} "
        self.stream.write("\r\x1b[K" + (bar + progress.group(3))[: columns - 1])
        self.stream.flush()
        self.open = True


_PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] (downloaded .*)$")


def run_update(args, store, say: Callable[[str], None], on_outcome) -> int:
    """Run ``update`` with parsed ``args`` into ``store`` (None for ``--dry-run``).

    :param say: prints one line (failures start with ``FAILED``).
    :param on_outcome: the ingest progress callback.
    :return: the exit status: 1 when anything failed or was refused.
    """
    from .update import Updater, UpdateOptions, fetcher_from_settings
    options = UpdateOptions.from_settings(
        cache=Path(args.cache) if args.cache else None, source=args.source,
        spreadsheet_pages=args.spreadsheet_pages, authorities=args.authorities, since=args.since,
        dry_run=args.dry_run, offline=args.offline, retry_refused=args.retry_refused, jobs=args.jobs)
    lines = Lines(say, sys.stderr, args.quiet)
    fetcher = fetcher_from_settings()
    try:
        summary = Updater(store, options, fetcher, lines, on_outcome).run()
    finally:
        fetcher.close()
    for entry in summary.pending:
        print(f"would download {entry.url} ({entry.provider}, {entry.kind}"
              f"{', listed ' + entry.listed.isoformat() if entry.listed else ''})")
    lines(("dry run: " if args.dry_run else "") + summary.line() + f". Cache: {options.cache}")
    return EXIT_FAILED if summary.failed or summary.refused else EXIT_OK


def cmd_update(args) -> int:
    """``ofsted-kg update``."""
    from .cli import Progress

    def say(line: str) -> None:
        print(one_line(line), file=sys.stderr, flush=True)

    if args.dry_run:
        return run_update(args, None, say, Progress(args.quiet))
    from core import settings
    from .update import hold_cache
    with hold_cache(Path(args.cache or settings.get("UPDATE_CACHE"))):   # before the store opens
        store = open_store(args)
        try:
            status = run_update(args, store, say, Progress(args.quiet))
        finally:
            store.close()
    kept = after_write(store_location(args))
    return status if kept else EXIT_FAILED


UPDATE = Command("update", "download what Ofsted has published since the last run and ingest it",
                 add_arguments, cmd_update)
