"""``/``: a simple home page listing the endpoints and the canned queries."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    from queries import load_all
    canned = sorted(load_all().values(), key=lambda q: (q.theme, q.title))
    return render_template("home.html", canned=canned)
