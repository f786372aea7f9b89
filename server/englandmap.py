"""A map of England coloured by grade: every district filled in its children's-services
authority's grade, each authority linked to its page. Drawn as inline SVG by ``_map.html``
from ``server/data/england-map.json`` (ONS boundaries, simplified by ``tools/build_map.py``).

Any table with a ``gss_code`` column and a column of grade words can be drawn; an authority
with several rows takes its first (so a table sorted newest first shows the latest grade).

The geometry never changes while the process runs: each authority's paths are written to SVG
once (:func:`outlines`), and a page writes only each authority's link, title and grade class
around them (about 150 authorities instead of some 300 districts through the template).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from flask import url_for
from markupsafe import Markup

from core.vocab import GRADE_LEGEND, grade_rank

from .markup import html_escape

MAP_FILE = Path(__file__).parent / "data" / "england-map.json"
GRADE_WORDS = dict(GRADE_LEGEND)
GRADE_COLUMNS = ("grade", "overall")
CLASS_SLOT = "\x00"          # where an outline's paths take the page's grade class
CODE_SLOT = "E00000000"      # a GSS-shaped key: its link is built once per page, then filled in


@dataclass(frozen=True)
class Outline:
    """One authority's shape: its GSS code, its districts' names and their ``<path>`` elements
    (escaped, each with :data:`CLASS_SLOT` for the class)."""
    gss: str
    names: tuple[str, ...]
    paths: str


@functools.cache
def boundaries() -> dict:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


@functools.cache
def outlines() -> tuple[Outline, ...]:
    """Every authority on the map, by GSS code, its paths written once per process."""
    districts: dict[str, list[dict]] = {}
    for d in boundaries()["districts"]:
        districts.setdefault(d["authority"], []).append(d)
    return tuple(Outline(gss, tuple(d["name"] for d in found),
                         "".join(f'<path d="{html_escape(d["d"])}" class="{CLASS_SLOT}"/>' for d in found))
                 for gss, found in sorted(districts.items()))


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


def first_grades(rows: list[dict], grade: str) -> dict[str, dict]:
    """GSS code -> the grade word, rank and authority name of its first row with a grade."""
    by_code: dict[str, dict] = {}
    for row in rows:
        code = row.get("gss_code", {}).get("value")
        if code and code not in by_code and grade in row:
            by_code[code] = {"grade": row[grade]["value"], "rank": grade_rank(row[grade]["value"]),
                             "name": row.get("authority", {}).get("value", code)}
    return by_code


def england_map(rows: list[dict], columns: list[str], title: str) -> dict | None:
    """The map's shapes (SVG, ready to include), legend and counts for result ``rows``; None
    when the rows have no ``gss_code`` or no grades.

    :param columns: the result's columns (for finding the grade column).
    """
    grade = grade_column(columns, rows) if "gss_code" in columns else None
    by_code = first_grades(rows, grade) if grade is not None else None
    if not by_code:
        return None
    names = boundaries().get("authorities", {})
    link = html_escape(url_for("resources.document", key="authority/" + CODE_SLOT))
    counts = dict.fromkeys(GRADE_WORDS, 0)
    missing = 0
    shapes = []
    for shape in outlines():
        found = by_code.get(shape.gss)
        if found and found["rank"]:
            cls = f"grade-{found['rank']}"
            counts[found["rank"]] = counts.get(found["rank"], 0) + 1
        else:
            cls = "no-grade"
            missing += 1
        label = (f"{found['name']}: {found['grade']}" if found
                 else f"{names.get(shape.gss, shape.gss)}: no grade in this table")
        many = f" ({len(shape.names)} districts)" if len(shape.names) > 1 else ""
        shapes.append(f'<a href="{link.replace(CODE_SLOT, shape.gss)}" class="authority" '
                      f'data-gss="{html_escape(shape.gss)}"><title>{html_escape(label)}{many}</title>'
                      f'{shape.paths.replace(CLASS_SLOT, cls)}</a>\n    ')
    legend = [{"cls": f"grade-{n}", "key": word, "count": counts[n]} for n, word in GRADE_WORDS.items() if counts[n]]
    if missing:
        legend.append({"cls": "no-grade", "key": "No grade in this table", "count": missing})
    drawn = {shape.gss for shape in outlines()}
    return {"title": title, "shapes": Markup("".join(shapes)),
            "viewBox": " ".join(str(v) for v in boundaries()["viewBox"]), "legend": legend,
            "attribution": boundaries()["attribution"], "unmapped": sorted(set(by_code) - drawn)}
