"""What a client's SPARQL may do on this server, decided on its tokens and parse, never on raw text.

A query is cut into the terminals of the SPARQL 1.1 grammar (section 19.8: IRIs, strings,
prefixed names with their escapes, variables, comments, keywords), after the codepoint escapes
(``\\u0053``) that section 19.2 says are replaced before parsing, just as the engine reads it.
``SERVICE`` counts only as a keyword token, so no escape, comment, string or prefixed name can
hide one (``ex:a\\'`` is one prefixed name, not the start of a string). Nesting of groups and
parentheses is counted on the same tokens, so a query that would exhaust the engine's recursive
parser is refused before any worker runs it.

Updates (rare, and only with the bearer token) are parsed whole by rdflib's SPARQL parser: every
``SERVICE`` pattern and every ``LOAD`` source is found in the parse tree wherever it sits.

This is the first of two locks: query workers also run with outbound network sockets blocked
by the kernel (:mod:`server.sandbox`), so a query the check missed still cannot fetch anything.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True)
class Verdict:
    """Whether a request may run: ``status`` 0 when it may, else the HTTP status and a message."""
    status: int = 0
    message: str = ""

    @property
    def allowed(self) -> bool:
        return self.status == 0


ALLOWED = Verdict()


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


def _nesting(found: list[tuple[str, str]]) -> int:
    depth = deepest = 0
    for kind, _ in found:
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
    return deepest


@lru_cache(maxsize=1024)
def check_query(text: str, max_nesting: int) -> Verdict:
    """Whether a client's query may run here: no SERVICE, nesting within ``max_nesting``.

    :param text: the query as the client sent it.
    :param max_nesting: the deepest nesting of braces, parentheses and brackets allowed.
    :return: :data:`ALLOWED`, or a verdict with status 400 or 403 and a message for the client.
    """
    try:
        found = tokens(unescape_codepoints(text))
    except LexError as exc:
        return Verdict(400, f"query parse error: {exc}")
    if any(kind == "word" and value.upper() == "SERVICE" for kind, value in found):
        return Verdict(403, "SERVICE is not allowed: this endpoint does not call other endpoints")
    if _nesting(found) > max_nesting:
        return Verdict(400, f"the query nests groups or parentheses more than {max_nesting} deep")
    return ALLOWED


def _walk(tree):
    """Every node of an rdflib parse tree (CompValue, ParseResults, lists), iteratively."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(list(node))


def update_operations(text: str) -> tuple[bool, list[str]]:
    """Parse an update with rdflib's SPARQL parser: whether it holds a SERVICE pattern anywhere,
    and the source IRI of each LOAD.

    :raise SyntaxError: an update rdflib cannot parse (refused: it cannot be checked).
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    try:
        tree = parser.parseUpdate(text)
    except (ParseException, RecursionError) as exc:
        raise SyntaxError(str(exc)) from None
    service, loads = False, []
    for node in _walk(tree):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            service = True
        elif name == "Load":
            loads.append(str(node.get("iri")))
    return service, loads


def check_update(text: str, max_nesting: int, load_prefixes: tuple[str, ...] = ()) -> Verdict:
    """Whether an authorised update may run: no SERVICE, LOAD only from ``load_prefixes``.

    :param load_prefixes: IRI prefixes the operator allows LOAD to fetch from (none by default).
    :return: :data:`ALLOWED`, or a verdict with status 400 or 403 and a message.
    """
    first = check_query(text, max_nesting)      # the same terminals and nesting limit
    if not first.allowed:
        return first
    try:
        service, loads = update_operations(text)
    except SyntaxError as exc:
        return Verdict(400, f"update parse error: {exc}")
    if service:
        return Verdict(403, "SERVICE is not allowed: this endpoint does not call other endpoints")
    for source in loads:
        if not any(source.startswith(prefix) for prefix in load_prefixes if prefix):
            return Verdict(403, f"LOAD <{source}> is not allowed: this server loads only from the "
                                f"sources its operator configured (LOAD_ALLOWED_PREFIXES)")
    return ALLOWED
