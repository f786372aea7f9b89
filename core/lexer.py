"""The terminals of SPARQL 1.1 text (section 19.8), for every check that must not be fooled by raw text.

IRIs, all four string forms, prefixed names with ``PN_LOCAL_ESC`` and ``%HH``, variables and
comments are each one token, after the codepoint escapes (``\\u0053``) that section 19.2 says are
replaced before parsing, so a keyword found here is a keyword the engine sees. The server's guard
(SERVICE, nesting), the worker's dataset rule (FROM) and the editor's parameter binding use it.
"""
from __future__ import annotations

import functools
import re

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PREFIX = rf"(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)"
_LOCAL = rf"(?:(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?)"
_ECHAR = r"""\\[tbnrf\\"']"""

_TOKEN = re.compile(rf"""
    (?P<ws>\s+) | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*''' | \"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*\"\"\"
              | '(?:[^'\\\n\r]|{_ECHAR})*' | "(?:[^"\\\n\r]|{_ECHAR})*")
  | (?P<var>[?$][{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<pname>{_PREFIX}?:{_LOCAL}?)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)? | \.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<open>[{{(\[]) | (?P<close>[}})\]])
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[;,.=<>!+\-*/|^?$])
""", re.VERBOSE)

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    """Replace ``\\uXXXX`` and ``\\UXXXXXXXX`` as SPARQL 1.1 section 19.2 does before parsing."""
    def one(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)
    return _CODEPOINT.sub(one, text)


class LexError(ValueError):
    """Text that is no sequence of SPARQL terminals."""


def tokens(text: str) -> list[tuple[str, str]]:
    """The SPARQL terminals of ``text`` as (kind, text) pairs, without white space and comments.

    :raise LexError: at the first character that starts no terminal.
    """
    return [(kind, value) for kind, value, _ in token_spans(text)]


def token_spans(text: str) -> list[tuple[str, str, int]]:
    """Like :func:`tokens`, with the offset in ``text`` where each terminal starts.

    :raise LexError: at the first character that starts no terminal.
    """
    found = []
    pos, end = 0, len(text)
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise LexError(f"unexpected character {text[pos]!r} at offset {pos}")
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            found.append((kind, match.group(), pos))
        pos = match.end()
    return found



CACHED_TEXT_CHARS = 8192      # longer texts are lexed each time (the cache holds 256 at most)


def names_dataset(query: str) -> bool:
    """Whether ``query`` declares its own dataset with ``FROM`` or ``FROM NAMED``.

    Kept for the last 256 texts up to :data:`CACHED_TEXT_CHARS` (the canned ones are up to 5 KB,
    so the cache holds at most 2 MB): a query worker asks it of every job, and a canned query
    whose comments say "from" would otherwise be lexed every time.

    :param query: the query as the client sent it.
    :return: True when a ``FROM`` keyword is among its terminals (it can be nothing else).
    """
    if len(query) <= CACHED_TEXT_CHARS:
        return _names_dataset_kept(query)
    return _names_dataset(query)


@functools.lru_cache(maxsize=256)
def _names_dataset_kept(query: str) -> bool:
    return _names_dataset(query)


def _names_dataset(query: str) -> bool:
    lowered = query.lower()
    if "from" not in lowered and "\\u" not in lowered:
        return False            # the common case, without lexing
    try:
        found = token_spans(unescape_codepoints(query))
    except LexError:
        return False            # the engine reports the syntax error
    return any(kind == "word" and value.upper() == "FROM" for kind, value, _ in found)
