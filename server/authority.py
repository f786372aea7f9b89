"""``/doc/authority/<GSS>`` for people: who the authority is, its latest grades, every
inspection since 2009 on a timeline, its reports, recommendations, statistics and plans,
data-quality notes and the canned queries filtered to it. All statements stay in a collapsed
section and in the RDF twins (served by :mod:`server.resources`).

Every query is a canned query (``queries/``) or one of the server's (``server/queries/``).
"""
from __future__ import annotations

import re

import pyoxigraph as ox
from flask import current_app, render_template, url_for

from core import vocab
from core.canned import ParameterError, get, load_all
from core.vocab import grade_rank

from .querypages import run
from .store import get_service
from .tables import sort_key
from .timeline import timeline
from .wording import framework_name

GSS = re.compile(r"[ENSW]\d{8}")


def is_authority(stem: str) -> bool:
    """True for a path below ``/doc/`` such as ``authority/E06000023``."""
    kind, _, code = stem.partition("/")
    return kind == "authority" and bool(GSS.fullmatch(code))


def canned_rows(name: str, **values) -> list[dict]:
    """Rows of canned query ``name`` with parameter ``values`` (cached like its page)."""
    query = get(name)
    if query is None:
        return []
    try:
        bindings = query.bindings(values, base_iri=current_app.config["BASE_IRI"])
    except ParameterError:
        return []
    return run(query, bindings)[1]


def value(row: dict, name: str) -> str:
    return row.get(name, {}).get("value", "")


def latest_grades(judgements: list[dict]) -> dict | None:
    """The judgements of the most recent graded inspection: its date, framework and badges."""
    graded = [r for r in judgements if value(r, "grade") and value(r, "inspection_start")]
    if not graded:
        return None
    last = max(graded, key=lambda r: value(r, "inspection_start"))
    rows = [r for r in graded if value(r, "inspection") == value(last, "inspection")]
    rows.sort(key=lambda r: (not value(r, "area").lower().startswith("overall"), value(r, "area")))
    return {"date": value(last, "inspection_start"), "framework": framework_name(value(last, "framework")),
            "inspection": value(last, "inspection"),
            "badges": [{"area": value(r, "area"), "grade": value(r, "grade"),
                        "rank": grade_rank(value(r, "grade")), "subject": value(r, "subject")} for r in rows]}


def inspections(judgements: list[dict]) -> list[dict]:
    """One entry per inspection (newest first) with its judgements as a small table."""
    out: dict[str, dict] = {}
    for r in judgements:
        entry = out.setdefault(value(r, "inspection"), {
            "iri": value(r, "inspection"), "start": value(r, "inspection_start"),
            "end": value(r, "inspection_end"), "published": value(r, "published"),
            "framework": framework_name(value(r, "framework")), "kind": value(r, "inspection_kind"),
            "judgements": []})
        entry["judgements"].append({"area": value(r, "area"), "grade": value(r, "grade"),
                                    "rank": grade_rank(value(r, "grade")), "subject": value(r, "subject")})
    return sorted(out.values(), key=lambda e: e["start"], reverse=True)


def recommendations_by_inspection(rows: list[dict]) -> list[dict]:
    """Recommendations grouped by inspection (newest first), in their printed order, with themes."""
    groups: dict[str, dict] = {}
    for r in rows:
        group = groups.setdefault(value(r, "inspection"), {"iri": value(r, "inspection"),
                                                           "published": value(r, "published"),
                                                           "items": [], "themes": {}})
        group["items"].append({"number": value(r, "number"), "text": value(r, "text"),
                               "theme": value(r, "theme"), "band": value(r, "band"),
                               "addressee": value(r, "addressee"), "iri": value(r, "recommendation")})
        if value(r, "theme"):
            group["themes"][value(r, "theme")] = group["themes"].get(value(r, "theme"), 0) + 1
    for group in groups.values():
        group["items"].sort(key=lambda i: (i["addressee"], sort_key({"value": i["number"],
                                                                      "datatype": vocab.XSD + "integer"})))
        group["themes"] = sorted(group["themes"].items(), key=lambda kv: (-kv[1], kv[0]))
    return sorted(groups.values(), key=lambda g: g["published"], reverse=True)


def query_links(gss: str, iri: str) -> list[dict]:
    """Every canned query that can be narrowed to this authority, with the link that does it:
    by its authority parameter, else by a ``gss_code`` or ``authority_iri`` column filter."""
    out = []
    for q in sorted(load_all().values(), key=lambda q: (q.theme, q.title)):
        param = next((p.name for p in q.params if p.type == "authority"), None)
        head = re.search(r"SELECT(.*?)WHERE", q.sparql, re.S | re.I)
        projected = head.group(1) if head else ""
        if param:
            href = url_for("queries.page", name=q.name, **{param: gss})
        elif re.search(r"\?gss_code\b", projected):
            href = url_for("queries.page", name=q.name, gss_code=gss)
        elif re.search(r"\?authority_iri\b", projected):
            href = url_for("queries.page", name=q.name, authority_iri=iri)
        else:
            continue
        out.append({"title": q.title, "href": href, "theme": q.theme})
    return out


def profile(iri: str) -> dict:
    rows = get_service().select("authority-profile", this=ox.NamedNode(iri))
    row = rows[0] if rows else {}
    others = [n for n in value(row, "other_names").split("|") if n]
    return {"name": value(row, "name"), "gss_code": value(row, "gss_code"), "region": value(row, "region"),
            "type": value(row, "type"), "la_number": value(row, "la_number"),
            "source": value(row, "source"), "other_names": others}


def lineage(iri: str) -> dict[str, list[dict]]:
    """The councils this authority took over from (``predecessor``) and those that took over
    from it (``successor``), from the register."""
    out: dict[str, list[dict]] = {"predecessor": [], "successor": []}
    for r in get_service().select("authority-lineage", this=ox.NamedNode(iri)):
        out[value(r, "relation")].append({"iri": value(r, "other"), "name": value(r, "name"),
                                          "ended": value(r, "ended"), "started": value(r, "started")})
    return out


def documents(iri: str) -> list[dict]:
    rows = get_service().select("authority-documents", this=ox.NamedNode(iri))
    return [{"iri": value(r, "document"), "title": value(r, "title") or value(r, "file_name"),
             "issued": value(r, "issued"), "format": value(r, "format"), "file_name": value(r, "file_name"),
             "publisher": value(r, "publisher"), "kind": value(r, "kind")} for r in rows]


def warnings(iri: str) -> list[dict]:
    rows = get_service().select("authority-warnings", this=ox.NamedNode(iri))
    return [{"document": value(r, "document"), "title": value(r, "title"), "warning": value(r, "warning")}
            for r in rows]


def authority_page(iri: str, gss: str, page: dict, alternates: list[dict]) -> str:
    """The HTML of an authority's page.

    :param page: the generic summary of its statements (:func:`server.resources.summarise`),
        shown collapsed at the end.
    """
    # with the authority bound, each table reads that authority's rows only (the flat tables
    # find them by key: nationally ~3 ms, where the whole judgements table took ~60)
    judgements = canned_rows("judgements", authority_filter=gss)
    timeline_rows = canned_rows("authority-timeline", authority_filter=gss)
    context = {
        "profile": profile(iri), "gss": gss, "iri": iri, "lineage": lineage(iri),
        "latest": latest_grades(judgements), "chart": timeline(judgements),
        "inspections": inspections(judgements),
        "documents": documents(iri),
        "recommendations": recommendations_by_inspection(canned_rows("recommendations", authority_filter=gss)),
        "statistics": canned_rows("statistics", authority_filter=gss),
        "plans": [r for r in timeline_rows if value(r, "event") == "Improvement plan"],
        "disagreements": canned_rows("source-disagreements", authority_filter=gss),
        "warnings": warnings(iri),
        "queries": query_links(gss, iri),
        "neighbours": neighbours(gss),
    }
    return render_template("authority.html", page=page, alternates=alternates, **context)


def neighbours(gss: str) -> list[dict]:
    """The authority's statistical neighbours, nearest first (empty when the graph has none)."""
    rows = canned_rows("neighbour-grades", authority_filter=gss) if get("neighbour-grades") else []
    seen: dict[str, dict] = {}
    for r in rows:
        code = value(r, "gss_code")
        if value(r, "rank") in ("", "0") or code in seen:
            continue
        seen[code] = {"name": value(r, "authority"), "gss_code": code, "rank": value(r, "rank")}
    return sorted(seen.values(), key=lambda n: int(n["rank"] or 99))
