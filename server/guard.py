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
by the kernel (:mod:`core.sandbox`), so a query the check missed still cannot fetch anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from core.lexer import LexError, tokens, unescape_codepoints


@dataclass(frozen=True)
class Verdict:
    """Whether a request may run: ``status`` 0 when it may, else the HTTP status and a message."""
    status: int = 0
    message: str = ""

    @property
    def allowed(self) -> bool:
        return self.status == 0


ALLOWED = Verdict()


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
