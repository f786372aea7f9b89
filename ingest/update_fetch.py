"""Polite HTTP for ``ofsted-kg update``: one session naming the project in its User-Agent, a
pause between requests, retries with back-off, and downloads that are written to a temporary
file and renamed only once complete and of the expected kind (so a kill or a bad response
never leaves a half file where a good one is expected).
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import requests

#: what each kind of download must start with
MAGIC = {"pdf": (b"%PDF-",), "ods": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",)}
KIND_NAMES = {"pdf": "a PDF", "ods": "an ODS", "xlsx": "an XLSX"}
CHUNK = 1 << 16
#: statuses worth another try (the server is busy or briefly broken)
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A URL could not be fetched as wanted; the message says why in one line."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def user_agent() -> str:
    try:
        v = version("ofsted-kg")
    except PackageNotFoundError:
        v = "dev"
    return f"ofsted-kg/{v} (knowledge graph of Ofsted children's services inspections; update command)"


@dataclass(frozen=True)
class Page:
    text: str | None            # None: unchanged since the validators were given (304)
    etag: str | None
    modified: str | None


@dataclass(frozen=True)
class Download:
    path: Path
    sha256: str
    size: int


class Fetcher:
    """GETs with a minimum interval between requests, retries and back-off.

    :param delay: seconds between the start of one request and the next.
    :param timeout: seconds to wait for a connection or for data.
    :param retries: further attempts after a timeout, connection error or 429/5xx.
    :param backoff: first pause before a retry, doubled each time (a Retry-After is honoured
        up to 60 s).
    """

    def __init__(self, delay: float = 1.0, timeout: float = 30.0, retries: int = 3,
                 backoff: float = 2.0):
        self.delay, self.timeout, self.retries, self.backoff = delay, timeout, retries, backoff
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent()
        self._last = 0.0
        self._lock = threading.Lock()
        self.requests = 0

    def _wait_turn(self) -> None:
        with self._lock:
            pause = self._last + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._last = time.monotonic()
            self.requests += 1

    def _get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response:
        """The response (status < 400, body not yet read) after any retries.

        :raise FetchError: 4xx, or still failing after the retries.
        """
        pause = self.backoff
        for attempt in range(self.retries + 1):
            self._wait_turn()
            last = attempt == self.retries
            try:
                r = self.session.get(url, timeout=self.timeout, stream=True, headers=headers)
            except requests.Timeout:
                reason = f"timed out after {self.timeout:g} s"
            except requests.RequestException as exc:
                reason = f"connection failed ({type(exc).__name__})"
            else:
                if r.status_code < 400:
                    return r
                reason = f"HTTP {r.status_code} {r.reason or ''}".rstrip()
                r.close()
                if r.status_code not in RETRY_STATUSES:
                    raise FetchError(url, reason)
                after = r.headers.get("Retry-After", "")
                if after.isdigit():
                    pause = max(pause, min(float(after), 60.0))
            if last:
                tries = f" ({self.retries + 1} tries)" if self.retries else ""
                raise FetchError(url, reason + tries)
            time.sleep(pause)
            pause *= 2
        raise AssertionError("unreachable")

    def page(self, url: str, etag: str | None = None, modified: str | None = None) -> Page:
        """A page, asked for conditionally when validators from an earlier fetch are given.

        :return: the page; its ``text`` is None when the server says it is unchanged (304).
        :raise FetchError: as for :meth:`text`.
        """
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        r = self._get(url, headers)
        if r.status_code == 304:
            r.close()
            return Page(None, etag, modified)
        return Page(self._text(url, r), r.headers.get("ETag"), r.headers.get("Last-Modified"))

    def text(self, url: str) -> str:
        """A page's text.

        :raise FetchError: as for any GET, or a body that is not text.
        """
        return self._text(url, self._get(url))

    @staticmethod
    def _text(url: str, r: requests.Response) -> str:
        try:
            body = r.content
        except requests.RequestException as exc:
            raise FetchError(url, f"connection broke while reading ({type(exc).__name__})") from None
        kind = r.headers.get("Content-Type", "")
        if kind and not kind.startswith(("text/", "application/xhtml")):
            raise FetchError(url, f"expected a web page, got {kind}")
        return body.decode(r.encoding or "utf-8", errors="replace")

    def download(self, url: str, dest: Path, kind: str, max_bytes: int) -> Download:
        """Fetch ``url`` into ``dest`` (via ``dest.part`` and a rename).

        :param kind: ``pdf``, ``ods`` or ``xlsx``: what the body must start with.
        :param max_bytes: the largest body accepted.
        :raise FetchError: any GET failure, a body of another kind (e.g. an HTML page), an
            oversized or truncated body; nothing is left at ``dest`` then.
        """
        r = self._get(url)
        part = dest.with_name(dest.name + ".part")
        dest.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        try:
            with r, open(part, "wb") as fh:
                for chunk in r.iter_content(CHUNK):
                    if size == 0 and not chunk.startswith(MAGIC[kind]):
                        what = "an HTML page" if b"<html" in chunk[:512].lower() else \
                            f"{r.headers.get('Content-Type', 'something else')}"
                        raise FetchError(url, f"expected {KIND_NAMES[kind]} file, got {what}")
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(url, f"larger than {max_bytes / 2**20:g} MiB")
                    digest.update(chunk)
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            expected = r.headers.get("Content-Length")
            if size == 0:
                raise FetchError(url, "empty response")
            if expected and expected.isdigit() and int(expected) != size and \
                    not r.headers.get("Content-Encoding"):
                raise FetchError(url, f"truncated: {size} of {expected} bytes")
            os.replace(part, dest)
        except requests.RequestException as exc:
            raise FetchError(url, f"connection broke while downloading ({type(exc).__name__})") from None
        finally:
            part.unlink(missing_ok=True)
        return Download(dest, digest.hexdigest(), size)

    def close(self) -> None:
        self.session.close()
