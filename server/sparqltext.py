"""A canned query's text with its parameters bound in the text itself, for the editor.

The page binds parameters as pyoxigraph substitutions; the editor needs text a person can
read, change and send to any endpoint. :func:`with_values` adds one ``VALUES`` block at the
start of the query's outermost group, holding each bound term in its N-Triples form (which
pyoxigraph writes escaped), so request text never lands in the query except as a term.
"""
from __future__ import annotations

import functools

import pyoxigraph as ox


class NoGroup(ValueError):
    """The text has no ``{`` outside comments, strings and IRIs (not a query we can bind)."""


def _scan(sparql: str):
    """(position, token) for each ``{`` and each word outside comments, strings and IRIs."""
    i, n = 0, len(sparql)
    while i < n:
        ch = sparql[i]
        if ch == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end
        elif ch == "<" and i + 1 < n and not sparql[i + 1].isspace() and sparql[i + 1] not in "=<":
            end = sparql.find(">", i + 1)
            if end < 0 or any(c.isspace() for c in sparql[i + 1:end]):
                i += 1                      # a less-than sign, not an IRI
            else:
                i = end + 1
        elif ch in "\"'":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ('"""', "'''") else ch
            i += len(quote)
            while i < n and not sparql.startswith(quote, i):
                i += 2 if sparql[i] == "\\" else 1
            i += len(quote)
        elif ch == "{":
            yield i, "{"
            i += 1
        elif ch.isalpha() or ch in "?$_:":
            start = i
            while i < n and (sparql[i].isalnum() or sparql[i] in "?$_:-."):
                i += 1
            yield start, sparql[start:i]
        else:
            i += 1


def group_braces(sparql: str) -> list[int]:
    """Where the ``{`` of the query's WHERE clause and of each sub-SELECT's are (outside
    comments, strings and IRIs; a CONSTRUCT template is skipped).

    :raise NoGroup: when there is none.
    """
    found, pending = [], None
    for at, token in _scan(sparql):
        word = token.upper()
        if word in ("SELECT", "ASK", "DESCRIBE"):
            pending = "any"
        elif word == "CONSTRUCT":
            pending = "where"
        elif word == "WHERE" and pending:
            pending = "any"
        elif token == "{" and pending == "any":
            found.append(at)
            pending = None
    if not found:
        raise NoGroup("the query has no group pattern ({ ... })")
    return found


def outer_brace(sparql: str) -> int:
    """Where the ``{`` of the query's own WHERE clause is.

    :raise NoGroup: when there is none.
    """
    return group_braces(sparql)[0]


def term_text(term) -> str:
    """A pyoxigraph term as SPARQL text (N-Triples form: IRIs in <>, literals quoted and escaped)."""
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise TypeError(f"cannot bind {term!r} in query text")
    return str(term)


def with_values(sparql: str, bindings: dict) -> str:
    """``sparql`` with ``bindings`` (variable name or ``ox.Variable`` -> term) as a ``VALUES``
    block at the start of its WHERE clause and of each sub-SELECT that mentions one of them
    (pyoxigraph's substitutions reach into sub-SELECTs too); unchanged when nothing is bound.

    :raise NoGroup: when the text has no group to put it in.
    """
    if not bindings:
        return sparql
    names = [getattr(v, "value", v) for v in bindings]
    terms = [term_text(t) for t in bindings.values()]
    block = ("\n  # the page's parameters, bound as terms\n"
             f"  VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}\n")
    wanted = {marker + n for n in names for marker in "?$"}
    (first, _), *inner = _groups(sparql)
    places = [first] + [at for at, words in inner if wanted & words]
    for at in reversed(places):
        sparql = sparql[:at + 1] + block + sparql[at + 1:]
    return sparql


@functools.lru_cache(maxsize=64)
def _groups(sparql: str) -> tuple[tuple[int, frozenset[str]], ...]:
    """Each group of :func:`group_braces` with the words in it, scanned once per text: a canned
    query's page binds its text on every request, and scanning it cost ~0.6 ms of a 5 ms page.

    :raise NoGroup: when there is none.
    """
    return tuple((at, frozenset(_words_in_group(sparql, at))) for at in group_braces(sparql))


def _words_in_group(sparql: str, at: int) -> set[str]:
    """The words of the sub-SELECT whose group opens at ``at`` (up to its closing brace)."""
    depth, end = 0, len(sparql)
    for i in range(at, len(sparql)):
        if sparql[i] == "{":
            depth += 1
        elif sparql[i] == "}":
            depth -= 1
            if depth == 0:
                end = i
                break
    return {token for _, token in _scan(sparql[at:end])}
