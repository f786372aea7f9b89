"""The links of a table page: sort headers, facet values, active filters, pages and columns.

Every link is the current request's arguments with one change, built with ``url_for`` (never
by pasting text into a URL), so a sorted, filtered page keeps its other settings when you click.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from .tables import OPERATORS, Table
from .wording import in_words

OPERATOR_WORDS = {"exact": "is", "contains": "contains", "not": "is not"}
#: what a query string leaves unescaped, as werkzeug's ``url_for`` writes it
#: (https://url.spec.whatwg.org/#percent-encoded-bytes)
QUERY_SAFE = "!$'()*,/:;?@"


def with_query(base: str, args: MultiDict) -> str:
    """``base`` with ``args`` as its query string, each key's values together as ``url_for``
    writes them. Not ``url_for(endpoint, **args)``: a request argument named like a view
    argument or one of ``url_for``'s own (``name``, ``fmt``, ``_anchor``, ``_method``,
    ``_scheme``) made that a TypeError, a 500; building the URL once per page also spares a
    page some 30 ``url_for`` calls."""
    items = [(k, v) for k, values in args.to_dict(flat=False).items() for v in values]
    return f"{base}?{urlencode(items, safe=QUERY_SAFE)}" if items else base


def link(base: str, args: MultiDict, drop: tuple[str, ...] = (),
         set_: dict | None = None, add: tuple[tuple[str, str], ...] = (),
         remove: tuple[tuple[str, str], ...] = ()) -> str:
    """The page's URL with ``args`` changed.

    :param base: the page's URL without a query string.
    :param drop: keys removed altogether; ``set_``: keys given one value (None removes);
        ``add``: (key, value) pairs appended; ``remove``: (key, value) pairs taken out.
    """
    out = MultiDict([(k, v) for k, v in args.items(multi=True)
                     if k not in drop and (k, v) not in remove and k not in (set_ or {})])
    for key, value in (set_ or {}).items():
        if value is not None:
            out.add(key, value)
    for key, value in add:
        out.add(key, value)
    return with_query(base, out)


def table_links(table: Table, target: tuple[str, dict], args: MultiDict, labels: dict[str, str],
                known: set[str]) -> dict:
    """Everything the table template links to, for the page ``target`` (endpoint, view
    arguments) at request ``args``.

    :param labels: column -> heading words.
    :param known: the columns a filter can name.
    """
    base = url_for(target[0], **target[1])

    def go(**kw):
        return link(base, args, **kw)

    sort = args.get("_sort_desc") or args.get("_sort")
    descending = bool(args.get("_sort_desc"))
    headers = []
    for c in table.columns:
        now = "descending" if sort == c and descending else ("ascending" if sort == c else "none")
        flip = ({"_sort_desc": c, "_sort": None} if now == "ascending"
                else {"_sort": c, "_sort_desc": None})
        headers.append({"name": c, "label": labels.get(c, c), "sort": now,
                        "href": go(drop=("_next",), set_=flip)})
    filters = []
    for key, value in args.items(multi=True):
        column, sep, op = key.rpartition("__")
        if not (sep and op in OPERATORS):
            column, op = key, "exact"
        if column in known:
            filters.append({"label": labels.get(column, column), "op": OPERATOR_WORDS[op],
                            "value": (in_words(column, value) or value) if op != "contains" else value, "remove": go(drop=("_next",), remove=((key, value),))})
    facets = []
    for f in table.facets:
        values = [dict(v, words=in_words(f["column"], v["value"]), href=go(drop=("_next",), remove=((f["column"], v["value"]),)) if v["selected"]
                       else go(drop=("_next",), add=((f["column"], v["value"]),))) for v in f["values"]]
        facets.append(dict(f, label=labels.get(f["column"], f["column"]), values=values,
                           close=go(remove=(("_facet", f["column"]),))))
    return {
        "action": base,
        "headers": headers, "filters": filters, "facets": facets,
        "suggested": [{"label": labels.get(c, c), "href": go(add=(("_facet", c),))}
                      for c in table.suggested],
        "next": None if table.next_offset is None else go(set_={"_next": str(table.next_offset)}),
        "previous": (None if table.previous_offset is None else
                     go(set_={"_next": str(table.previous_offset) if table.previous_offset else None})),
        "keep": [(k, v) for k, v in args.items(multi=True) if k not in ("_col", "_nocol", "_next")],
        "keep_for_filter": [(k, v) for k, v in args.items(multi=True) if k != "_next"],
        "choices": [{"name": c, "label": labels.get(c, c), "shown": c in table.columns}
                    for c in table.all_columns],
    }


def twin(name: str, fmt: str, args: MultiDict, every_row: bool = True) -> str:
    """The ``.json``/``.csv`` twin of the page at ``args`` (every matching row unless paged)."""
    drop = ("_next", "_size") if every_row else ()
    kept = MultiDict([(k, v) for k, v in args.items(multi=True) if k not in drop])
    return with_query(url_for("queries.page_as", name=name, fmt=fmt), kept)
