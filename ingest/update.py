"""``ofsted-kg update``: find what Ofsted publishes about local-authority children's services,
download what is new into a cache folder, and ingest it.

discover (search pages -> provider pages -> publication links; gov.uk pages -> spreadsheets)
-> record (:mod:`ingest.update_record`) -> fetch (:mod:`ingest.update_fetch`) -> ingest
(:class:`ingest.pipeline.Ingestor`, with the listing's date and URLs as document hints).

Each step is committed before the next, so a run killed anywhere resumes where it stopped; a
page or file that fails is one line and the rest goes on.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

from core import settings

from core import iris
from core.authorities import register
from .model import DocumentHints
from .update_fetch import Fetcher, FetchError
from .update_pages import PageShapeError, ProviderLink, provider_page, search_page, spreadsheet_page
from .update_record import Entry, Record

MAX_SEARCH_PAGES = 200          # a loop in the pagination stops here
#: this many provider pages read and none with a publication link: the site changed shape
MIN_PAGES_FOR_SHAPE_CHECK = 3
SPREADSHEET_KIND = "outcome spreadsheet"
_GSS = re.compile(r"^[EWSN]\d{8}$", re.I)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class UpdateOptions:
    """What to look at and where to keep it (defaults from ``settings``)."""

    cache: Path
    source: str
    spreadsheet_pages: list[str]
    authorities: list[str] = field(default_factory=list)
    since: dt.date | None = None
    dry_run: bool = False
    offline: bool = False
    retry_refused: bool = False
    jobs: int | None = None

    @classmethod
    def from_settings(cls, **overrides) -> "UpdateOptions":
        base = dict(cache=Path(settings.get("UPDATE_CACHE")), source=settings.get("UPDATE_SOURCE"),
                    spreadsheet_pages=settings.get("UPDATE_SPREADSHEET_PAGES").split())
        base.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**base)


def fetcher_from_settings() -> Fetcher:
    """A :class:`Fetcher` with the ``OFSTED_KG_UPDATE_*`` delay, timeout, retries and back-off."""
    return Fetcher(delay=float(settings.get("UPDATE_DELAY")), timeout=float(settings.get("UPDATE_TIMEOUT")),
                   retries=int(settings.get("UPDATE_RETRIES")), backoff=float(settings.get("UPDATE_BACKOFF")))


@dataclass
class Summary:
    providers: int = 0
    listed: int = 0             # children's-services publications (and spreadsheets) listed
    new: int = 0                # of them, not seen before or listed differently
    fetched: int = 0
    loaded: int = 0
    unchanged: int = 0
    refused: int = 0
    failed: int = 0             # pages and files that could not be fetched or read
    requests: int = 0
    unchanged_pages: int = 0    # pages the site said were unchanged (304)
    pending: list[Entry] = field(default_factory=list)   # --dry-run: what a run would fetch

    def line(self) -> str:
        return (f"{self.providers} provider(s), {self.listed} publication(s) listed, {self.new} new; "
                f"{self.fetched} downloaded, {self.loaded} loaded, {self.unchanged} already stored, "
                f"{self.refused} refused, {self.failed} failed; {self.requests} request(s), "
                f"{self.unchanged_pages} page(s) unchanged")


class AuthorityFilter:
    """``--authority`` values: GSS codes or names (matched through the register or as listed)."""

    def __init__(self, values: list[str]):
        self.gss: set[str] = set()
        self.names: set[str] = set()
        for v in values:
            if _GSS.match(v.strip()):
                self.gss.add(v.strip().upper())
                continue
            self.names.add(" ".join(v.lower().split()))
            found = register().lookup(v)
            if found:
                self.gss.add(found.gss_code)

    def __bool__(self) -> bool:
        return bool(self.gss or self.names)

    def wants(self, provider: ProviderLink) -> bool:
        if not self:
            return True
        if " ".join(provider.name.lower().split()) in self.names:
            return True
        found = register().lookup(provider.name)
        return bool(found and found.gss_code in self.gss)


class UpdateBusy(OSError):
    """Another ``ofsted-kg update`` is using the same cache."""


@contextlib.contextmanager
def hold_cache(cache: Path) -> Iterator[None]:
    """Hold ``cache`` for one run: two runs on one cache would download the same files and
    ingest them twice at once.

    :raise UpdateBusy: another run holds it (checked at once, never waited for).
    """
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".update.lock", "w") as held:
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UpdateBusy(f"another `ofsted-kg update` is running with the cache {cache}; "
                             "run again when it has finished") from None
        yield


def cache_file(cache: Path, entry: Entry) -> Path:
    """Where a publication's download is kept: ``files/<URN or host>/<hash of URL>/<name>``, the
    name as published (ingest records it; a spreadsheet's title may come from it)."""
    path = urlsplit(entry.url).path
    stem = _UNSAFE.sub("_", path.rstrip("/").rsplit("/", 1)[-1])[:80] or "file"
    stem = re.sub(r"\.(?:pdf|ods|xlsx)$", "", stem, flags=re.I)
    digest = hashlib.sha256(entry.url.encode("utf-8")).hexdigest()[:12]
    folder = entry.urn or _UNSAFE.sub("_", urlsplit(entry.url).hostname or "web")
    return cache / "files" / folder / digest / f"{stem}.{download_kind(entry.url)}"


def download_kind(url: str) -> str:
    suffix = urlsplit(url).path.lower().rsplit(".", 1)[-1]
    return suffix if suffix in ("ods", "xlsx") else "pdf"


class Updater:
    """One run of ``update``.

    :param store: the store to ingest into (None with ``dry_run``).
    :param say: takes each line to show (failures start with ``FAILED``).
    :param on_outcome: the ingest progress callback (:class:`ingest.pipeline.Ingestor`).
    """

    def __init__(self, store, options: UpdateOptions, fetcher: Fetcher,
                 say: Callable[[str], None], on_outcome=None):
        self.store, self.options, self.fetcher = store, options, fetcher
        self.say = say
        self.on_outcome = on_outcome
        self.summary = Summary()
        self.record = Record(options.cache / "record.sqlite", read_only=options.dry_run)
        self.filter = AuthorityFilter(options.authorities)
        self._noted: set[str] = set()

    def run(self) -> Summary:
        """Discover, download and ingest (the caller holds the cache: :func:`hold_cache`)."""
        try:
            if not self.options.offline:
                self.discover()
                if self.options.dry_run:
                    return self.summary
                self.fetch_all()
            if not self.options.dry_run:
                self.ingest()
        finally:
            self.summary.requests = self.fetcher.requests
            self.record.close()
        return self.summary

    # ------------------------------------------------------------ discover

    def _fail(self, what: str, exc: Exception) -> None:
        self.summary.failed += 1
        self.say(f"FAILED {what}: {exc}")

    def _page(self, url: str, read):
        """``read(html, url)`` of the page at ``url``, or None after a one-line failure. A page
        kept from an earlier run is asked for conditionally (ETag, Last-Modified); on 304 the
        kept copy is read."""
        try:
            return read(self._html(url), url)
        except FetchError as exc:
            self._fail("page", exc)
        except PageShapeError as exc:
            self._fail(f"page {url}", f"its shape changed: {exc}")
        return None

    def _html(self, url: str) -> str:
        kept = self.record.page(url)
        etag, modified, body = kept or (None, None, "")
        page = self.fetcher.page(url, etag, modified)
        if page.text is None:
            self.summary.unchanged_pages += 1
            return body
        if (page.etag or page.modified) and not self.options.dry_run:
            self.record.keep_page(url, page.etag, page.modified, page.text)
        return page.text

    def providers(self) -> Iterator[ProviderLink]:
        """Every provider the search pages list, following ``li.next`` until the last page."""
        url, visited = self.options.source, set()
        while url and url not in visited and len(visited) < MAX_SEARCH_PAGES:
            visited.add(url)
            found = self._page(url, search_page)
            if found is None:
                return
            providers, url = found
            yield from providers

    def _note(self, url: str, urn: str, provider: str, kind: str, listed, listed_on: str) -> None:
        if url in self._noted:        # listed by two providers (e.g. after a reorganisation)
            return
        self._noted.add(url)
        self.summary.listed += 1
        if self.options.dry_run:
            old = self.record.get(url)
            changed = old is None or (old.kind, old.listed, old.urn) != (kind, listed, urn)
            if changed or old.outcome in ("seen", "failed"):
                self.summary.pending.append(Entry(url, urn, provider, kind, listed, listed_on, None,
                                                  None, "seen", None, None))
        else:
            changed = self.record.seen(url, urn, provider, kind, listed, listed_on)
        self.summary.new += changed

    def discover(self) -> None:
        """Record every children's-services publication (and spreadsheet) listed."""
        seen_urns: set[str] = set()
        read = listed = 0
        for provider in self.providers():
            if provider.urn in seen_urns or not self.filter.wants(provider):
                continue
            seen_urns.add(provider.urn)
            self.summary.providers += 1
            publications = self._page(provider.url, provider_page)
            read += publications is not None
            listed += bool(publications)
            for pub in publications or ():
                if not pub.childrens_services:
                    continue
                if self.options.since and pub.listed < self.options.since:
                    continue
                self._note(pub.url, provider.urn, provider.name, pub.kind, pub.listed, provider.url)
        if read >= MIN_PAGES_FOR_SHAPE_CHECK and not listed:
            self._fail("provider pages", f"none of {read} lists a publication link "
                                         "(a.publication-link): the site's shape may have changed")
        if self.filter:          # the spreadsheets cover every authority: not for a filtered run
            return
        for page in self.options.spreadsheet_pages:
            for att in self._page(page, spreadsheet_page) or ():
                self._note(att.url, "", att.title, SPREADSHEET_KIND, None, page)

    # ------------------------------------------------------------ fetch

    def _to_fetch(self) -> list[Entry]:
        pending = self.record.entries(("seen", "failed"))
        pending += [e for e in self.record.entries(("fetched",)) if not (e.file and Path(e.file).exists())]
        return self._selected(pending)

    def _selected(self, entries: list[Entry]) -> list[Entry]:
        """The entries ``--authority`` and ``--since`` leave."""
        if self.filter:
            entries = [e for e in entries if e.urn and self.filter.wants(ProviderLink(e.urn, e.provider, ""))]
        if self.options.since:
            entries = [e for e in entries if e.listed is None or e.listed >= self.options.since]
        return entries

    def fetch_all(self) -> None:
        """Download every publication not yet in the cache; one line per failure."""
        from .readers import max_file_bytes
        pending = self._to_fetch()
        for i, entry in enumerate(pending, start=1):
            dest = cache_file(self.options.cache, entry)
            try:
                got = self.fetcher.download(entry.url, dest, download_kind(entry.url), max_file_bytes())
            except FetchError as exc:
                self.record.set(entry.url, "failed", exc.reason)
                self._fail(f"[{i}/{len(pending)}] {entry.provider} {entry.kind} "
                           f"{entry.listed or ''}".rstrip(), exc)
                continue
            self.summary.fetched += 1
            self.record.set(entry.url, "fetched", None, file=str(got.path), sha256=got.sha256)
            self.say(f"[{i}/{len(pending)}] downloaded {entry.url} ({entry.provider}, {entry.kind}"
                     f"{', listed ' + entry.listed.isoformat() if entry.listed else ''}; {got.size} bytes)")

    # ------------------------------------------------------------ ingest

    def ingest(self) -> None:
        """Ingest the downloaded files the store does not hold yet, with their listing as hints
        (offline: every file in the cache, e.g. into a new store). A stored publication that is
        now listed differently (another date) is loaded again with the new listing."""
        wanted = ("fetched", "loaded") if self.options.offline else ("fetched",)
        if self.options.retry_refused:
            wanted += ("refused",)
        entries = self._selected([e for e in self.record.entries(wanted) if e.file and Path(e.file).exists()])
        relisted = [e for e in entries if e.outcome == "fetched" and e.document]
        self._ingest([e for e in entries if e not in relisted], force=False)
        self._ingest(relisted, force=True)

    def _ingest(self, entries: list[Entry], force: bool) -> None:
        from .pipeline import Ingestor
        if not entries:
            return
        by_path = {e.file: e for e in entries}
        hints = {e.file: DocumentHints(listed_published=e.listed, listed_on=e.listed_on or None,
                                       downloaded_from=e.url) for e in entries}

        def on_outcome(outcome, i, n):
            entry = by_path.get(outcome.path)
            if entry is not None:
                self._ingested(entry, outcome)
            if self.on_outcome:
                self.on_outcome(outcome, i, n)

        Ingestor(self.store, jobs=self.options.jobs, on_outcome=on_outcome, hints=hints,
                 force=force).run(list(by_path))

    def _ingested(self, entry: Entry, outcome) -> None:
        if outcome.ok:
            self.summary.unchanged += outcome.unchanged
            self.summary.loaded += not outcome.unchanged
            if entry.document and outcome.document_iri != entry.document:
                # listed anew under another date: its document IRI moved; drop the old one
                self.store.remove_graphs([entry.document, iris.inferred_graph(entry.document)])
            self.record.set(entry.url, "loaded", None, document=outcome.document_iri)
        elif "store write failed" in (outcome.error or ""):
            self.summary.failed += 1          # kept as fetched: the next run tries again
        else:
            self.summary.refused += 1
            self.record.set(entry.url, "refused", outcome.error)
