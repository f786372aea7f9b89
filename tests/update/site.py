"""A stand-in for Ofsted's report site and gov.uk, served on 127.0.0.1 (an ephemeral port) in a
thread: search pages with paging (the first returns fewer rows than asked and still links a
next page), provider pages with publication links of several kinds, small report PDFs made
with reportlab that the real pipeline accepts, and the failures ``update`` must survive (404,
a timeout, an HTML page where a PDF should be, a page whose shape changed).
"""
from __future__ import annotations

import hashlib
import io
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.live import POLL_INTERVAL

GRADES = ("Good", "Good", "Requires improvement to be good", "Good")
AREAS = ("The impact of leaders on social work practice with children and families",
         "The experiences and progress of children who need help and protection",
         "The experiences and progress of children in care and care leavers",
         "Overall effectiveness")


class _Pdf:
    def __init__(self):
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1)   # same bytes every build
        self.y = 780

    def line(self, text: str, size: int = 11, x: int = 60, gap: int = 18) -> None:
        self.c.setFont("Helvetica", size)
        self.c.drawString(x, self.y, text)
        self.y -= gap

    def row(self, left: str, right: str) -> None:
        self.c.setFont("Helvetica", 9)
        self.c.drawString(60, self.y, left)
        self.c.drawString(420, self.y, right)
        self.y -= 18

    def bytes(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def ilacs_pdf(authority: str, dates: str, grades=GRADES) -> bytes:
    """A one-page ILACS 2018-format report (no printed publication date, like Ofsted's)."""
    p = _Pdf()
    p.line(f"Inspection of {authority} local authority children's services", size=16, gap=30)
    p.line(f"Inspection dates: {dates}")
    p.line("Lead inspector: Jane Smith, His Majesty's Inspector", gap=30)
    p.row("Judgement", "Grade")
    for area, grade in zip(AREAS, grades):
        p.row(area, grade)
    p.y -= 20
    p.line("What needs to improve", size=13)
    p.line("- The quality of plans for children in need.", gap=30)
    p.line(f"{AREAS[1]}: {grades[1]}", size=12)
    p.line("1. Children receive help when they need it.")
    return p.bytes()


def visit_pdf(authority: str, dated: str, visited: str) -> bytes:
    """A one-page focused-visit letter."""
    p = _Pdf()
    p.line(dated, gap=24)
    p.line(f"Focused visit to {authority} children's services", size=14, gap=28)
    p.line(f"This letter summarises the findings of the focused visit on {visited}.", size=9)
    p.line("Inspectors looked at the arrangements for children in need.", size=9, gap=28)
    p.line("Areas for improvement", size=13)
    p.line("- The timeliness of assessments.", gap=28)
    p.line("Headline findings", size=13)
    p.line("Children are seen promptly and their needs are understood by social workers.", gap=28)
    p.line("Yours sincerely")
    p.line("Jane Smith")
    return p.bytes()


@dataclass
class Route:
    body: bytes
    type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    fail_first: int = 0         # answer 503 this many times first
    truncate: bool = False      # promise the whole body, send half of it and hang up
    etag: bool = False          # send an ETag and answer If-None-Match with 304


@dataclass
class FixtureSite:
    """The routes (path with query -> ``Route``) and a log of every path requested."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    agents: set[str] = field(default_factory=set)
    url: str = ""

    def page(self, path: str, html: str, etag: bool = True) -> None:
        self.routes[path] = Route(html.encode("utf-8"), etag=etag)

    def file(self, path: str, data: bytes, type_: str = "application/pdf", **kw) -> None:
        self.routes[path] = Route(data, type_, **kw)

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h == path)


def _handler(site: FixtureSite):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            key = parts.path + (f"?{parts.query}" if parts.query else "")
            site.hits.append(key)
            site.agents.add(self.headers.get("User-Agent", ""))
            route = site.routes.get(key)
            if route is None:
                route = Route(b"<html><body><h1>Page not found</h1></body></html>", status=404)
            if route.delay:
                time.sleep(route.delay)
            status, body = route.status, route.body
            if site.count(key) <= route.fail_first:
                status, body = 503, b"<html><body>Busy</body></html>"
            tag = f'"{hashlib.sha256(body).hexdigest()[:16]}"' if route.etag and status == 200 else None
            if tag and self.headers.get("If-None-Match") == tag:
                site.not_modified.append(key)
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return
            try:
                self.send_response(status)
                if tag:
                    self.send_header("ETag", tag)
                self.send_header("Content-Type", route.type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if route.truncate else body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    return Handler


class Serving:
    """Serve ``site`` until the ``with`` block ends."""

    def __init__(self, site: FixtureSite):
        self.site = site
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        self.server.daemon_threads = True
        site.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(POLL_INTERVAL,), daemon=True)

    def __enter__(self) -> FixtureSite:
        self.thread.start()
        return self.site

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def search_html(providers: list[tuple[str, str]], next_path: str | None, previous: str | None = None) -> str:
    items = "".join(f'<li class="search-result"><h3><a href="/provider/44/{urn}">{name}</a></h3>'
                    f'<p>Local authority children\'s services</p></li>' for urn, name in providers)
    pager = ""
    if previous:
        pager += f'<li class="previous"><a href="{previous}">Previous</a></li>'
    pager += '<li class="current"><span>page</span></li>'
    if next_path:
        pager += f'<li class="next"><a href="{next_path}">Next <span class="nonvisual">page</span></a></li>'
    return (f'<html><body><main><ul class="results-list">{items}</ul>'
            f'<nav><ul class="pagination">{pager}</ul></nav></main></body></html>')


def provider_html(name: str, publications: list[tuple[str, str, str]]) -> str:
    """``publications``: (href, kind, date as "10 december 2018")."""
    links = "".join(
        f'<li><a class="publication-link" href="{href}">{kind.title()} '
        f'<span class="nonvisual">{kind}, pdf - {date}</span></a></li>'
        for href, kind, date in publications)
    return (f'<html><body><h1>{name}</h1><a href="/provider/44/1/contact">Contact</a>'
            f'<ul class="publications">{links}</ul></body></html>')
