"""``/``: what the graph holds (counts from the ``overview-counts`` canned query), the canned
queries grouped by theme, an authority search and links to the editor, downloads and ontology."""
from __future__ import annotations

from flask import Blueprint, render_template, url_for

from core.canned import get, load_all

from .store import get_service

bp = Blueprint("home", __name__)

COUNTS = (("authorities", "authorities inspected"), ("inspections", "inspections"),
          ("judgements", "judgements"), ("recommendations", "recommendations"),
          ("documents", "source documents"))


@bp.route("/")
def index():
    from .querypages import run
    _, rows, _ = run(get("overview-counts"), {})
    row = rows[0] if rows else {}
    counts = [{"key": k, "label": label, "value": row.get(k, {}).get("value", "0")} for k, label in COUNTS]
    latest = row.get("latest_published", {}).get("value")
    loaded = get_service().modified()
    groups: dict[str, list] = {}
    for q in sorted(load_all().values(), key=lambda q: (q.theme != "Judgements", q.theme, q.title)):
        groups.setdefault(q.theme, []).append(q)
    return render_template("home.html", counts=counts, latest=latest,
                           loaded=loaded.strftime("%-d %B %Y, %H:%M UTC"), groups=groups, **home_map())


MAP_QUERY = "latest-grade-by-area"


def home_map() -> dict:
    """The map of each authority's latest grade in the area the visitor chose (``?map_area=``)."""
    from flask import request
    from core.canned import ParameterError
    from .englandmap import england_map
    from .querypages import run
    query = get(MAP_QUERY)
    param = query.params[0]
    chosen = request.args.get("map_area", "") or param.default
    if chosen not in param.allowed:
        chosen = param.default
    try:
        variables, rows, _ = run(query, query.bindings({param.name: chosen}))
    except ParameterError:
        return {"map": None}
    words = {a: a.replace("-", " ").capitalize() for a in param.allowed}
    drawn = england_map(rows, variables, f"Latest grade for {words[chosen].lower()}, by authority")
    return {"map": drawn, "map_areas": words, "map_area": chosen,
            "map_link": url_for("queries.page", name=MAP_QUERY, **{param.name: chosen})}
