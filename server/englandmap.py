"""A map of England coloured by grade: every district filled in its children's-services
authority's grade, each authority linked to its page. Drawn as inline SVG by ``_map.html``
from ``server/data/england-map.json`` (ONS boundaries, simplified by ``tools/build_map.py``).

Any table with a ``gss_code`` column and a column of grade words can be drawn; an authority
with several rows takes its first (so a table sorted newest first shows the latest grade).
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

from flask import url_for

from core.vocab import GRADE_LEGEND, grade_rank

MAP_FILE = Path(__file__).parent / "data" / "england-map.json"
GRADE_WORDS = dict(GRADE_LEGEND)
GRADE_COLUMNS = ("grade", "overall")


@functools.cache
def boundaries() -> dict:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def grade_column(columns: list[str], rows: list[dict]) -> str | None:
    """The column holding grades: ``grade`` or ``overall`` when present, else the first column
    whose filled cells (in the first 50 rows) are mostly grade words."""
    for name in GRADE_COLUMNS:
        if name in columns:
            return name
    for name in columns:
        values = [r[name]["value"] for r in rows[:50] if name in r]
        if values and sum(1 for v in values if len(v) < 40 and grade_rank(v)) * 2 > len(values):
            return name
    return None


def england_map(rows: list[dict], columns: list[str], title: str) -> dict | None:
    """The map's shapes, legend and counts for result ``rows``; None when the rows have no
    ``gss_code`` or no grades.

    :param columns: the result's columns (for finding the grade column).
    """
    grade = grade_column(columns, rows) if "gss_code" in columns else None
    if grade is None:
        return None
    by_code: dict[str, dict] = {}
    for row in rows:
        code = row.get("gss_code", {}).get("value")
        if code and code not in by_code and grade in row:
            by_code[code] = {"grade": row[grade]["value"], "rank": grade_rank(row[grade]["value"]),
                             "name": row.get("authority", {}).get("value", code)}
    if not by_code:
        return None
    data = boundaries()
    names = data.get("authorities", {})
    groups: dict[str, dict] = {}
    for d in data["districts"]:
        found = by_code.get(d["authority"])
        group = groups.setdefault(d["authority"], {
            "gss": d["authority"], "paths": [], "names": [],
            "cls": f"grade-{found['rank']}" if found and found["rank"] else "no-grade",
            "href": url_for("resources.document", key="authority/" + d["authority"]),
            "label": (f"{found['name']}: {found['grade']}" if found
                      else f"{names.get(d['authority'], d['authority'])}: no grade in this table")})
        group["paths"].append(d["d"])
        group["names"].append(d["name"])
    counts = {n: sum(1 for g in groups.values() if g["cls"] == f"grade-{n}") for n in GRADE_WORDS}
    legend = [{"cls": f"grade-{n}", "key": word, "count": counts[n]} for n, word in GRADE_WORDS.items() if counts[n]]
    missing = sum(1 for g in groups.values() if g["cls"] == "no-grade")
    if missing:
        legend.append({"cls": "no-grade", "key": "No grade in this table", "count": missing})
    return {"title": title, "groups": sorted(groups.values(), key=lambda g: g["gss"]),
            "viewBox": " ".join(str(v) for v in data["viewBox"]), "legend": legend,
            "attribution": data["attribution"], "unmapped": sorted(set(by_code) - set(groups))}
