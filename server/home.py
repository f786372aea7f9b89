"""``/``: what the graph holds (counts from the ``overview-counts`` canned query), the canned
queries grouped by theme, an authority search and links to the editor, downloads and ontology."""
from __future__ import annotations

from flask import Blueprint, render_template

from queries import get, load_all

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
                           loaded=loaded.strftime("%-d %B %Y, %H:%M UTC"), groups=groups)
