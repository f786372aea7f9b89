"""Binding a query's parameters in its text, for SPARQL endpoints that take no substitutions.

``query(sparql, substitutions={Variable: term})`` never splices request text
into the query. Each term is serialised by pyoxigraph (``str(term)`` is its N-Triples form: a
validated IRI, or a literal whose quotes and backslashes are escaped), and the terms are bound
the standard SPARQL way, with an inline ``VALUES`` block. rdflib's SPARQLStore appends that block
after the query (``initBindings``); we do not, because a trailing VALUES is joined *after* the
WHERE clause and its grouping, so ``FILTER (?la = COALESCE(?authority_filter, ?la))`` would
already have run with the parameter unbound and every row would come back. Instead the block
is put at the start of the query's WHERE group, and of every sub-SELECT that projects the
variable (explicitly, or with ``*`` and a mention in its body): that is where pyoxigraph's
substitutions bind it (top down through projections), so both engines see the same bound
variable. Finding those groups needs only a lexer that skips strings, comments and IRIs and
counts braces (:mod:`core.lexer` and ``_groups``); the query text itself is left as written.
"""
from __future__ import annotations

import pyoxigraph as ox

from .lexer import LexError, token_spans

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def _tokens(sparql: str) -> list[tuple[str, str, int]]:
    """(kind, text, offset) of every SPARQL terminal (keywords upper-cased), by :mod:`core.lexer`.

    :raise ValueError: the text is no sequence of SPARQL terminals.
    """
    try:
        spans = token_spans(sparql)
    except LexError as exc:
        raise ValueError(f"the query does not parse: {exc}") from None
    return [(kind, text.upper() if kind == "word" else text, pos) for kind, text, pos in spans]


def _groups(sparql: str) -> list[tuple[int, frozenset[str] | None, frozenset[str], int]]:
    """The WHERE groups of the query and of its sub-SELECTs, outermost first.

    Each is ``(offset just after its "{", projected variables or None for all, variables
    mentioned inside, index of the enclosing entry or -1)``; the outer query counts as
    projecting every variable, since its bindings are what substitutions set.
    """
    toks = _tokens(sparql)
    found: list[tuple[int, frozenset[str] | None, frozenset[str], int]] = []
    # each open query level: [form, projection, saw WHERE, brace depth at its start, parent]
    levels: list[list] = []
    depth = 0
    open_groups: list[tuple[int, int]] = []   # (index in found, depth of its "{")
    mentions: dict[int, set[str]] = {}
    pending_select = None                      # projection being read: list of variables
    paren = 0
    for i, (kind, text, pos) in enumerate(toks):
        if kind == "word" and text in FORMS and (
                not levels or (i > 0 and toks[i - 1][1] == "{")):
            levels.append({"form": text, "proj": [] if text == "SELECT" else None,
                           "where": False, "depth": depth,
                           "parent": open_groups[-1][0] if open_groups else -1})
            pending_select = levels[-1] if text == "SELECT" else None
            paren = 0
            continue
        if kind == "var":
            for idx, _ in open_groups:
                mentions[idx].add(text[1:])
            if pending_select is not None and (paren == 0 or toks[i - 1][1] == "AS"):
                pending_select["proj"].append(text[1:])
            continue
        if pending_select is not None:
            if text == "(":
                paren += 1
            elif text == ")":
                paren -= 1
            elif text == "*" and paren == 0:
                pending_select["proj"] = None
        if kind == "word" and text == "WHERE" and levels and depth == levels[-1]["depth"]:
            levels[-1]["where"] = True
            pending_select = None
            continue
        if text == "{":
            level = levels[-1] if levels else None
            starts_where = (level is not None and depth == level["depth"] and not level.get("done")
                            and (level["where"] or level["form"] != "CONSTRUCT"))
            if starts_where:
                pending_select = None
                level["done"] = True
                proj = frozenset(level["proj"]) if level["proj"] is not None else None
                if len(levels) == 1:
                    proj = None
                found.append((pos + 1, proj, frozenset(), level["parent"]))
                mentions[len(found) - 1] = set()
                open_groups.append((len(found) - 1, depth))
            depth += 1
        elif text == "}":
            depth -= 1
            if open_groups and open_groups[-1][1] == depth:
                open_groups.pop()
            if levels and depth == levels[-1]["depth"] and levels[-1].get("done") and len(levels) > 1:
                levels.pop()
    return [(pos, proj, frozenset(mentions[n]), parent)
            for n, (pos, proj, _, parent) in enumerate(found)]


def _values_term(term) -> str:
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    raise ValueError(f"a remote query parameter must be an IRI or a literal, not {term!r}")


def bind_values(sparql: str, substitutions: dict | None) -> str:
    """``sparql`` with each substituted variable bound by a VALUES block at the start of the
    WHERE group of the query and of each sub-SELECT that projects it.

    :param substitutions: ``{pyoxigraph.Variable: NamedNode | Literal}``
    :raise ValueError: a blank node or quoted triple as a value, or no WHERE group to bind in.
    """
    if not substitutions:
        return sparql
    names = {(v.value if isinstance(v, ox.Variable) else str(v).lstrip("?$")): _values_term(t)
             for v, t in substitutions.items()}
    groups = _groups(sparql)
    if not groups:
        raise ValueError("the query has no WHERE group to bind parameters in")
    reach: list[set[str]] = []
    inserts: list[tuple[int, str]] = []
    for pos, proj, mentioned, parent in groups:
        inherited = set(names) if parent == -1 else reach[parent]
        if proj is None:
            here = inherited if parent == -1 else inherited & mentioned
        else:
            here = inherited & proj
        reach.append(here)
        if here:
            order = sorted(here)
            block = (" VALUES (" + " ".join("?" + n for n in order) + ") { ("
                     + " ".join(names[n] for n in order) + ") } ")
            inserts.append((pos, block))
    out = sparql
    for pos, block in sorted(inserts, reverse=True):
        out = out[:pos] + block + out[pos:]
    return out


def query_form(sparql: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT or DESCRIBE): its first form keyword; SELECT
    when there is none or the text does not lex (the endpoint then reports the syntax error)."""
    try:
        tokens = _tokens(sparql)
    except ValueError:
        return "SELECT"
    return next((t for k, t, _ in tokens if k == "word" and t in FORMS), "SELECT")
