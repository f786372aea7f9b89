"""Content negotiation: an Accept header and the formats a resource has -> one format, or 406.

Pure Python (no Flask), so the query worker processes use it too.
"""
from __future__ import annotations

from typing import Mapping, Sequence


class NotAcceptable(Exception):
    """No supported format fits the Accept header (HTTP 406)."""

    def __init__(self, accept: str, offered: Sequence[str]):
        super().__init__(f"nothing here matches Accept: {accept!r}; this resource is available as "
                         + ", ".join(offered))
        self.offered = list(offered)


def _ranges(accept: str) -> list[tuple[str, str, float]]:
    """Parse an Accept header into (type, subtype, q); malformed entries are skipped."""
    out = []
    for item in accept.split(","):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if media.count("/") != 1:
            continue
        main, sub = media.split("/")
        if not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
                if not 0.0 <= q <= 1.0:
                    q = -1.0
        if q >= 0:
            out.append((main, sub, q))
    return out


def negotiate(accept: str | None, supported: Mapping[str, Sequence[str]], default: str) -> str:
    """Choose the format to answer with.

    The most specific Accept range that matches a media type gives its quality; the highest
    quality wins, ties go to the earlier format in ``supported``. q=0 excludes a type.
    Wildcards (``*/*``, ``text/*``) match only a format's first media type; its aliases
    (``application/json`` for SPARQL JSON, say) count only when named exactly.

    :param accept: the request's Accept header; empty or missing means ``default``.
    :param supported: format key -> its media types (the first is the one served).
    :param default: the format key for a missing Accept header.
    :return: a key of ``supported``.
    :raise NotAcceptable: when no supported media type is acceptable.
    """
    if not accept or not accept.strip():
        return default
    ranges = _ranges(accept)
    best_key, best_q = None, 0.0
    for key, media_types in supported.items():
        for position, media in enumerate(media_types):
            main, _, sub = media.partition(";")[0].strip().lower().partition("/")
            quality, specificity = None, -1
            for r_main, r_sub, q in ranges:
                if r_main == main and r_sub == sub:
                    spec = 2
                elif position > 0:
                    continue
                elif r_main == main and r_sub == "*":
                    spec = 1
                elif r_main == "*":
                    spec = 0
                else:
                    continue
                if spec > specificity:
                    quality, specificity = q, spec
            if quality is not None and quality > best_q:
                best_key, best_q = key, quality
    if best_key is None:
        raise NotAcceptable(accept, [types[0] for types in supported.values()])
    return best_key
