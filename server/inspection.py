"""``/doc/inspection/...`` for people: whose inspection it was and when, its judgements as a
table (with every source and the grade it printed where the report and the spreadsheets
disagree), its recommendations in order, the team, the findings by section, the LSCB review
where there is one, and where it all comes from, in words. Every statement stays in a
collapsed section and in the RDF twins (:mod:`server.resources`).

Every query is one of the server's (``server/queries/inspection-*.rq``).
"""
from __future__ import annotations

from flask import render_template

from core.vocab import grade_rank

from .pagedata import Row, date_words, first, number_key, rows
from .wording import KINDS, framework_name

AREA_ORDER = ("overall-effectiveness", "leadership")
#: the 2009-12 reports' services, in the order the reports print them
SERVICE_ORDER = ("", "safeguarding", "child-protection", "looked-after")


def profile(iri: str) -> dict:
    """Whose inspection, its framework and kind in words, and its dates."""
    row = first("inspection-profile", iri)
    return {**row, "board": row.get("board", ""), "framework_words": framework_name(row.get("framework", "")),
            "kind_words": KINDS.get(row.get("kind", ""), row.get("kind", "")),
            "start_words": date_words(row.get("start")), "end_words": date_words(row.get("end")),
            "published_words": date_words(row.get("published"))}


def owner(query: str, iri: str) -> tuple[str, dict]:
    """The inspection a judgement or recommendation belongs to, with its :func:`profile`.

    :param query: the server query that answers ``?inspection`` for the thing
        (``judgement-inspection``, ``recommendation-inspection``)
    :param iri: the judgement's or recommendation's IRI
    :return: the inspection's IRI and profile, or ``("", {})`` when the store names none
    """
    of = first(query, iri).get("inspection", "")
    return of, profile(of) if of else {}


def sources_by_judgement(iri: str, published: str = "") -> dict[str, list[dict]]:
    """Each judgement's sources (the report first, then spreadsheet records), one line per
    document or spreadsheet record, with the grade each printed.

    :param published: the inspection's publication date, for reports that print none (ILACS)
    """
    out: dict[str, list[dict]] = {}
    for r in rows("inspection-sources", iri):
        spreadsheet = r.get("spreadsheet") == "true"
        dated = r.get("records_until") if spreadsheet else (r.get("issued") or published)
        out.setdefault(r["judgement"], []).append({
            "document": r["document"], "record": r.get("record"), "printed_grade": r.get("printed_grade", ""),
            "grade": r.get("grade", ""), "sheet": r.get("sheet", ""), "row": r.get("row", ""),
            "title": r.get("title") or r.get("file_name") or r["document"], "spreadsheet": spreadsheet,
            "file_name": r.get("file_name", ""), "date": dated or "", "date_words": date_words(dated)})
    for found in out.values():
        # a spreadsheet's judgement is stated in its graph too: its record is the line to keep
        records = {s["document"] for s in found if s["record"]}
        unique = {(s["document"], s["record"]): s for s in found if s["record"] or s["document"] not in records}
        found[:] = sorted(unique.values(), key=lambda s: (s["spreadsheet"], s["date"], s["sheet"], s["row"]))
    return out


def _order(judgement: dict) -> tuple:
    """The board's judgements last; within a service (``safeguarding/...`` in 2009-12), overall
    effectiveness and leadership first, then the areas by name."""
    service, _, code = judgement.get("area_code", "").rpartition("/")
    return ("/board/" in judgement.get("subject_iri", ""),
            SERVICE_ORDER.index(service) if service in SERVICE_ORDER else len(SERVICE_ORDER), service,
            AREA_ORDER.index(code) if code in AREA_ORDER else len(AREA_ORDER), judgement.get("area", ""))


def judgements(iri: str, published: str = "") -> list[dict]:
    """The judgements as table rows: overall effectiveness and leadership first, then by area,
    the board's last; each with its sources, and ``disagree`` when they printed grades of
    different ranks.

    :param published: the inspection's publication date, for reports that print none
    """
    sources = sources_by_judgement(iri, published)
    out = []
    for r in rows("inspection-judgements", iri):
        found = sources.get(r["judgement"], [])
        ranks = {grade_rank(s["grade"] or s["printed_grade"]) for s in found} - {None}
        out.append({**r, "rank": grade_rank(r.get("grade", "")), "sources": found, "disagree": len(ranks) > 1})
    return sorted(out, key=_order)


def recommendations(iri: str) -> list[dict]:
    """Recommendations in printed order: to the authority first, then to others (the board)."""
    found = rows("inspection-recommendations", iri)
    found.sort(key=lambda r: ("/authority/" not in r.get("addressee_iri", ""), r.get("addressee", ""),
                              int(r.get("order") or 0), number_key(r.get("number", ""))))
    return found


def section_name(heading: str, areas: dict[str, str]) -> str:
    """A findings section's heading for people: some parsers give the area's notation
    (``care-leavers``), shown as the area's label (or the notation in words)."""
    if heading in areas:
        return areas[heading]
    if heading and heading == heading.lower() and " " not in heading:
        return heading.replace("-", " ").replace("/", ": ").capitalize()
    return heading


def findings(iri: str, areas: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """The findings grouped by section in the report's order, and those about the board
    (the LSCB review) apart.

    :param areas: area notation -> label, for sections headed by an area's notation
    """
    sections: dict[str, dict] = {}
    board: list[dict] = []
    for r in rows("inspection-findings", iri):
        if r.get("about_board"):
            board.append(r)
            continue
        name = section_name(r["section"], areas) or ("Strengths" if r["kind"] == "strength" else "Findings")
        sections.setdefault(name, {"name": name, "items": []})["items"].append(r)
    return list(sections.values()), board


def documents(iri: str) -> list[dict]:
    """The documents it was read from, the report first."""
    found = [Row(r, spreadsheet=r.get("spreadsheet") == "true",
                 date_words=date_words(r.get("records_until") or r.get("issued")))
             for r in rows("inspection-documents", iri)]
    return sorted(found, key=lambda d: (d["spreadsheet"], d["records_until"] or d["issued"], d["document"]))


def provenance_words(docs: list[dict], graded: bool) -> str:
    """Where the inspection comes from, in one sentence: "Graded in the report published 12
    March 2019, and in Ofsted's outcomes spreadsheet of 31 March 2024"."""
    parts = []
    for d in docs:
        if d["spreadsheet"]:
            parts.append("in Ofsted's outcomes spreadsheet" + (f" of {d['date_words']}" if d["date_words"] else "")
                         + (f" ({d['file_name']})" if d.get("file_name") else ""))
        else:
            parts.append("in the report" + (f" published {d['date_words']}" if d["date_words"] else "")
                         + (f" ({d['file_name']})" if d.get("file_name") else ""))
    if not parts:
        return ""
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    verb = "Graded" if graded else ("Described" if any(not d["spreadsheet"] for d in docs) else "Listed")
    return f"{verb} {text}."


def inspection_context(iri: str) -> dict:
    """Everything the inspection page shows (also used by the judgement page for its inspection)."""
    about = profile(iri)
    judged = judgements(iri, about.get("published", ""))
    docs = documents(iri)
    sections, board_findings = findings(iri, {j["area_code"]: j["area"] for j in judged if j.get("area")})
    for d in docs:          # ILACS reports print no date: Ofsted's listing date is the inspection's
        if not d["spreadsheet"] and not d["date_words"]:
            d["date_words"] = about["published_words"]
    return {"profile": about, "judgements": judged, "documents": docs,
            "provenance": provenance_words(docs, any(j.get("grade") for j in judged)),
            "recommendations": recommendations(iri), "team": rows("inspection-team", iri),
            "sections": sections, "board_findings": board_findings,
            "board_judgements": [j for j in judged if about.get("board") and j.get("subject_iri") == about["board"]],
            "disagreements": sum(1 for j in judged if j["disagree"])}


def inspection_page(iri: str, page: dict, alternates: list[dict]) -> str:
    """The HTML of an inspection's page.

    :param iri: the inspection's IRI
    :param page: the generic summary of its statements (:func:`server.resources.summarise`),
        shown collapsed at the end
    :param alternates: its RDF twins
    :return: the page's HTML
    """
    return render_template("inspection.html", page=page, alternates=alternates, iri=iri,
                           **inspection_context(iri))
