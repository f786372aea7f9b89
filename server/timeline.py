"""An authority's inspections since 2009 as a timeline: one row per judgement area, a mark per
judgement at its inspection's start, coloured by grade; drawn as inline SVG by ``_timeline.html``.
"""
from __future__ import annotations

import datetime as dt

from core.vocab import GRADE_LEGEND, grade_rank

LEFT, WIDTH, ROW, TOP = 250, 640, 22, 26
FIRST_YEAR = 2009
GRADE_WORDS = dict(GRADE_LEGEND)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def timeline(judgements: list[dict], today: dt.date | None = None) -> dict | None:
    """Geometry of the timeline from rows of the ``judgements`` canned query.

    :param judgements: rows of variable -> term-JSON with ``area``, ``grade``,
        ``inspection_start`` and ``inspection``.
    :return: rows (areas, most judged first), marks, year ticks and a legend; None when no
        judgement has a date.
    """
    today = today or dt.date.today()
    marks: dict[str, list[dict]] = {}
    for row in judgements:
        when = _date(row.get("inspection_start", {}).get("value"))
        area = row.get("area", {}).get("value")
        if when is None or not area:
            continue
        grade = row.get("grade", {}).get("value", "")
        marks.setdefault(area, []).append({"date": when, "grade": grade, "rank": grade_rank(grade),
                                           "inspection": row.get("inspection", {}).get("value")})
    if not marks:
        return None
    start = dt.date(min(FIRST_YEAR, min(m["date"].year for ms in marks.values() for m in ms)), 1, 1)
    end = dt.date(max(today.year, max(m["date"].year for ms in marks.values() for m in ms)) + 1, 1, 1)
    span = (end - start).days

    def x(day: dt.date) -> float:
        return LEFT + (day - start).days / span * WIDTH

    areas = sorted(marks, key=lambda a: (-len(marks[a]), a))
    rows = []
    for i, area in enumerate(areas):
        y = TOP + i * ROW
        rows.append({"label": area, "y": y, "marks": [
            dict(m, x=x(m["date"]), y=y, cls=f"grade-{m['rank']}" if m["rank"] else "ungraded",
                 title=f"{area}, {m['date'].isoformat()}: {m['grade'] or 'no grade'}")
            for m in sorted(marks[area], key=lambda m: m["date"])]})
    # a label names the year to the right of its tick: the last tick, the axis's end, has none
    ticks = [{"x": x(dt.date(year, 1, 1)), "label": str(year)} for year in range(start.year, end.year + 1)]
    used = sorted({m["rank"] for ms in marks.values() for m in ms if m["rank"]})
    return {"rows": rows, "ticks": ticks, "left": LEFT, "width": LEFT + WIDTH + 10,
            "height": TOP + len(areas) * ROW + 6, "top": TOP,
            "legend": [{"cls": f"grade-{r}", "key": GRADE_WORDS[r]} for r in used]}
