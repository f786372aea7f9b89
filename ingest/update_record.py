"""The record ``ofsted-kg update`` keeps of every publication it has seen (SQLite, in its cache
folder): URL, provider URN and name, kind, listed date, the cached file and its SHA-256, and
the outcome. Every change is committed at once, so a run killed at any point resumes from the
last thing it finished.

Outcomes: ``seen`` (listed, not downloaded), ``fetched`` (in the cache, not yet ingested),
``loaded`` (in the store), ``refused`` (the pipeline would not take it; not retried until its
bytes change or ``--retry-refused``), ``failed`` (could not be fetched; retried next run).
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS publication (
    url TEXT PRIMARY KEY,
    urn TEXT NOT NULL,
    provider TEXT NOT NULL,
    kind TEXT NOT NULL,
    listed TEXT,
    listed_on TEXT,
    file TEXT,
    sha256 TEXT,
    outcome TEXT NOT NULL,
    message TEXT,
    document TEXT,
    first_seen TEXT NOT NULL,
    updated TEXT NOT NULL
)
"""
PAGE_SCHEMA = """
CREATE TABLE IF NOT EXISTS page (
    url TEXT PRIMARY KEY,
    etag TEXT,
    modified TEXT,
    body TEXT NOT NULL,
    fetched TEXT NOT NULL
)
"""
OUTCOMES = ("seen", "fetched", "loaded", "refused", "failed")


@dataclass(frozen=True)
class Entry:
    url: str
    urn: str                    # Ofsted URN of the provider; "" for a gov.uk spreadsheet
    provider: str               # its name as listed, or the gov.uk page's title
    kind: str
    listed: dt.date | None
    listed_on: str              # the page that listed it (the provenance of ``listed``)
    file: str | None
    sha256: str | None
    outcome: str
    message: str | None
    document: str | None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Record:
    """Publications seen, keyed by URL. ``read_only`` opens nothing for writing (``--dry-run``)."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = path
        if read_only and not path.exists():
            self.db = sqlite3.connect(":memory:")
        elif read_only:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=60)    # another run may be writing
            self.db.execute("PRAGMA journal_mode=WAL")
        if not read_only or not path.exists():
            self.db.execute(SCHEMA)
            self.db.execute(PAGE_SCHEMA)
        self.db.row_factory = sqlite3.Row

    def get(self, url: str) -> Entry | None:
        row = self.db.execute("SELECT * FROM publication WHERE url = ?", (url,)).fetchone()
        return _entry(row) if row else None

    def entries(self, outcomes: tuple[str, ...] = OUTCOMES) -> list[Entry]:
        marks = ",".join("?" * len(outcomes))
        rows = self.db.execute(f"SELECT * FROM publication WHERE outcome IN ({marks}) "  # noqa: S608 (placeholders only)
                               "ORDER BY listed, url", outcomes)
        return [_entry(r) for r in rows]

    def seen(self, url: str, urn: str, provider: str, kind: str, listed: dt.date | None,
             listed_on: str) -> bool:
        """Note a listed publication; True when it is new or its listing changed."""
        old = self.get(url)
        iso = listed.isoformat() if listed else None
        if old and (old.kind, old.listed, old.urn) == (kind, listed, urn):
            return False
        with self.db:
            if old:
                self.db.execute("UPDATE publication SET urn=?, provider=?, kind=?, listed=?, listed_on=?, "
                                "outcome=CASE WHEN outcome='loaded' THEN 'fetched' ELSE outcome END, "
                                "updated=? WHERE url=?",
                                (urn, provider, kind, iso, listed_on, _now(), url))
            else:
                self.db.execute("INSERT INTO publication (url, urn, provider, kind, listed, listed_on, "
                                "outcome, first_seen, updated) VALUES (?,?,?,?,?,?,'seen',?,?)",
                                (url, urn, provider, kind, iso, listed_on, _now(), _now()))
        return True

    def set(self, url: str, outcome: str, message: str | None = None, **fields) -> None:
        """Record an outcome (and ``file``, ``sha256`` or ``document`` when given)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        cols = {"outcome": outcome, "message": message, "updated": _now(), **fields}
        assignments = ", ".join(f"{c} = ?" for c in cols)
        with self.db:
            self.db.execute(f"UPDATE publication SET {assignments} WHERE url = ?",  # noqa: S608 (our column names)
                            (*cols.values(), url))

    def page(self, url: str) -> tuple[str | None, str | None, str] | None:
        """The last copy of a page with its validators: (ETag, Last-Modified, body)."""
        try:
            row = self.db.execute("SELECT etag, modified, body FROM page WHERE url = ?", (url,)).fetchone()
        except sqlite3.OperationalError:        # a read-only record from before pages were kept
            return None
        return (row["etag"], row["modified"], row["body"]) if row else None

    def keep_page(self, url: str, etag: str | None, modified: str | None, body: str) -> None:
        """Keep a page that came with a validator, to ask for it conditionally next time."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO page (url, etag, modified, body, fetched) "
                            "VALUES (?,?,?,?,?)", (url, etag, modified, body, _now()))

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT outcome, count(*) FROM publication GROUP BY outcome"))

    def close(self) -> None:
        self.db.close()


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(url=row["url"], urn=row["urn"], provider=row["provider"], kind=row["kind"],
                 listed=dt.date.fromisoformat(row["listed"]) if row["listed"] else None,
                 listed_on=row["listed_on"] or "", file=row["file"], sha256=row["sha256"],
                 outcome=row["outcome"], message=row["message"], document=row["document"])
