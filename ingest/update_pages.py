"""Read the pages ``ofsted-kg update`` walks: Ofsted's provider search, provider pages and the
gov.uk pages that carry the outcome spreadsheets. Standard-library ``html.parser`` only.

Pages are read by structure, as Ofsted's report site builds them: a provider is a link whose
path holds ``/provider/`` and ends in its URN; the next search page is the link inside
``ul.pagination li.next``; a publication is an ``a.publication-link`` whose hidden
``span.nonvisual`` text names its kind and date ("children's services inspection, pdf - 10
december 2018"). A page that has none of what it should is :class:`PageShapeError`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

#: the hidden text of a publication link: "<kind>, <format> - <day> <month> <year>"
_LISTING = re.compile(r"^\s*(?P<kind>.+?)\s*,\s*(?P<format>[a-z0-9 ]+?)\s*-\s*"
                      r"(?P<date>\d{1,2}\s+[a-z]+\s+\d{4})\s*$", re.I)
_URN = re.compile(r"/provider/(?:[^?#]*/)?(?P<urn>\d+)/?$")
#: kinds of publication that belong to local-authority children's services
_CHILDRENS_SERVICES = re.compile(r"\bchildren['’]?s services\b", re.I)
_SPREADSHEET = re.compile(r"\.(?:ods|xlsx)$", re.I)


class PageShapeError(ValueError):
    """A page lacks the structure the reader relies on (the site changed, or an error page)."""


@dataclass(frozen=True)
class ProviderLink:
    urn: str
    name: str
    url: str


@dataclass(frozen=True)
class Publication:
    """One entry of a provider page's list of publications."""

    url: str
    kind: str                   # as the hidden text names it, lower case
    listed: dt.date
    label: str                  # the whole hidden text

    @property
    def childrens_services(self) -> bool:
        return bool(_CHILDRENS_SERVICES.search(self.kind))


@dataclass(frozen=True)
class Attachment:
    url: str
    title: str


@dataclass
class _Link:
    href: str
    classes: frozenset[str]
    ancestors: tuple[tuple[str, frozenset[str]], ...]
    text: list[str]
    hidden: list[str]


class _Links(HTMLParser):
    """Every ``<a href>`` with its classes, the tags (and classes) around it, its text and the
    text of ``span.nonvisual`` inside it."""

    VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, frozenset[str]]] = []
        self.links: list[_Link] = []
        self._open: _Link | None = None
        self._hidden_depth: int | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = frozenset((a.get("class") or "").split())
        if tag == "a" and a.get("href"):
            self._open = _Link(a["href"], classes, tuple(self.stack), [], [])
        if tag == "span" and "nonvisual" in classes and self._open is not None:
            self._hidden_depth = len(self.stack)
        if tag not in self.VOID:
            self.stack.append((tag, classes))

    def handle_endtag(self, tag):
        while self.stack:
            top, _ = self.stack.pop()
            if self._hidden_depth is not None and len(self.stack) <= self._hidden_depth:
                self._hidden_depth = None
            if top == tag:
                break
        if tag == "a" and self._open is not None:
            self.links.append(self._open)
            self._open = None

    def handle_data(self, data):
        if self._open is None:
            return
        (self._open.hidden if self._hidden_depth is not None else self._open.text).append(data)


def _links(html: str) -> list[_Link]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.links


def _words(parts: list[str]) -> str:
    return " ".join(" ".join(parts).split())


def search_page(html: str, url: str) -> tuple[list[ProviderLink], str | None]:
    """The providers a search page lists and the URL of the next page.

    :param html: the page as text.
    :param url: where it came from (links are resolved against it).
    :return: providers in page order (each once) and the next page's URL, or None on the last.
    :raise PageShapeError: the page lists no provider and has no pagination.
    """
    providers: dict[str, ProviderLink] = {}
    next_url = None
    paginated = False
    for link in _links(html):
        around = {(tag, c) for tag, classes in link.ancestors for c in classes}
        if ("ul", "pagination") in around:
            paginated = True
            if ("li", "next") in around:
                next_url = urljoin(url, link.href)
            continue
        m = _URN.search(urlsplit(link.href).path)
        if m and m.group("urn") not in providers:
            name = _words(link.text) or _words(link.hidden)
            providers[m.group("urn")] = ProviderLink(m.group("urn"), name, urljoin(url, link.href))
    if not providers and not paginated:
        raise PageShapeError("no provider links (a path with /provider/<URN>) and no pagination")
    return list(providers.values()), next_url


def provider_page(html: str, url: str) -> list[Publication]:
    """Every publication a provider page lists (of any kind; see ``childrens_services``).

    :raise PageShapeError: a publication link whose hidden text names no kind and date.
    """
    out = []
    for link in _links(html):
        if "publication-link" not in link.classes:
            continue
        hidden = _words(link.hidden)
        m = _LISTING.match(hidden)
        if not m:
            raise PageShapeError(f"publication link {link.href!r} has no 'kind, format - date' text "
                                 f"(found {hidden[:80]!r})")
        try:
            listed = dt.datetime.strptime(m.group("date").title(), "%d %B %Y").date()
        except ValueError:
            raise PageShapeError(f"publication link {link.href!r}: {m.group('date')!r} is not a date") from None
        out.append(Publication(urljoin(url, link.href), m.group("kind").lower(), listed, hidden))
    return out


def spreadsheet_page(html: str, url: str) -> list[Attachment]:
    """The spreadsheets (``.ods``, ``.xlsx``) a gov.uk publication page links to.

    :raise PageShapeError: the page links to none.
    """
    seen: dict[str, Attachment] = {}
    for link in _links(html):
        target = urljoin(url, link.href)
        if _SPREADSHEET.search(urlsplit(target).path) and target not in seen:
            seen[target] = Attachment(target, _words(link.text) or urlsplit(target).path.rsplit("/", 1)[-1])
    if not seen:
        raise PageShapeError("no links to .ods or .xlsx spreadsheets")
    return list(seen.values())
