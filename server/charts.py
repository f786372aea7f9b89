"""Charts for canned queries, as geometry for an inline SVG: bars drawn by
:func:`bar_chart_html`, lines and grids by ``_line_chart.html`` and ``_grid_chart.html``.

A query's toml declares ``chart = {type = "bar", x = "<label column>", y = "<number column>"}``
and optionally ``stack = "<column>"``: bars are then split into segments by that column's value
(grade words get the grade colours). No JavaScript and no chart library.
"""
from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from core.vocab import GRADE_LEGEND, grade_rank

from .markup import html_escape

ROW_HEIGHT = 26
LABEL_WIDTH = 220
BAR_WIDTH = 440
MAX_BARS = 80
#: the series colours (``.series-N`` in pages.css): as many as a line chart has lines, so no
#: two of its authorities share one
SERIES_COLOURS = 8


def _number(term: dict | None) -> float | None:
    try:
        return float(term["value"]) if term else None
    except ValueError:
        return None


def bar_chart(spec: dict, rows: list[dict]) -> dict | None:
    """Bar charts that never add different things together: one chart per value of the
    ``split`` columns (e.g. measure and unit: a count and a rate per 10,000 are separate charts);
    rows with the same label are added only as segments of a ``stack``, otherwise each is its
    own bar (told apart by the ``detail`` column, e.g. the date). Bars keep the result's order.

    :param spec: the toml ``chart`` table (``type``, ``x``, ``y``, optional ``stack``,
        ``split`` (list of columns), ``detail``, ``title``).
    :param rows: result rows of variable -> term-JSON.
    :return: one chart, or ``{"kind": "multi", "charts": [...]}``; None when nothing to draw.
    """
    if spec.get("type") != "bar":
        return None
    split = [c for c in spec.get("split", ()) if len({r.get(c, {}).get("value") for r in rows}) > 1]
    if not split:
        return _bars(spec, rows, spec.get("title"))
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row.get(c, {}).get("value", "") for c in split), []).append(row)
    title = spec.get("title") or f"{spec['y']} by {spec['x']}"
    charts = [c for key, group in groups.items()
              if (c := _bars(spec, group, f"{title}: {', '.join(k for k in key if k)}")) is not None]
    return {"kind": "multi", "charts": charts} if charts else None


def _bars(spec: dict, rows: list[dict], title: str | None) -> dict | None:
    """One bar chart of ``rows`` (see :func:`bar_chart`)."""
    x, y, stack, detail = spec["x"], spec["y"], spec.get("stack"), spec.get("detail")
    seen = Counter(r.get(x, {}).get("value", "(none)") for r in rows) if not stack else Counter()
    repeated = {label for label, n in seen.items() if n > 1}
    bars: dict[str, dict] = {}
    keys: list[str] = []
    for n, row in enumerate(rows):
        label, value = row.get(x, {}).get("value", "(none)"), _number(row.get(y))
        if value is None or value < 0:
            continue
        if label in repeated:          # not a stack: never add two rows into one bar
            extra = row.get(detail, {}).get("value") if detail else None
            label = f"{label} ({extra})" if extra else f"{label} #{n + 1}"
        key = row.get(stack, {}).get("value", "") if stack else ""
        bar = bars.setdefault(label, {"label": label, "segments": [], "total": 0.0})
        bar["segments"].append({"key": key, "value": value})
        bar["total"] += value
        if key not in keys:
            keys.append(key)
    if not bars:
        return None
    ordered = list(bars.values())[:MAX_BARS]
    biggest = max(b["total"] for b in ordered) or 1.0

    def cls(key: str) -> str:
        rank = grade_rank(key)
        return f"grade-{rank}" if rank else f"series-{keys.index(key) % SERIES_COLOURS}"

    for i, bar in enumerate(ordered):
        bar["y"] = i * ROW_HEIGHT
        left = LABEL_WIDTH
        for seg in bar["segments"]:
            seg["x"] = left
            seg["width"] = max(1.0, seg["value"] / biggest * BAR_WIDTH)
            seg["cls"] = cls(seg["key"])
            left += seg["width"]
        bar["end"] = left
        bar["total_text"] = f"{bar['total']:g}"
    if stack:
        legend = sorted(({"key": k, "cls": cls(k)} for k in keys if k), key=lambda l: l["cls"])
    else:
        legend = [{"key": spec.get("y_label") or y.replace("_", " "), "cls": cls("")}]
    return {"title": title or f"{y} by {x}", "bars": ordered, "legend": legend,
            "label_width": LABEL_WIDTH, "width": LABEL_WIDTH + BAR_WIDTH + 50,
            "height": len(ordered) * ROW_HEIGHT + 4, "row_height": ROW_HEIGHT,
            "cut": len(bars) > MAX_BARS}


LINE_WIDTH, LINE_HEIGHT, LINE_LEFT, LINE_BOTTOM = 520, 240, 56, 28
MAX_SERIES = SERIES_COLOURS


def line_chart(spec: dict, rows: list[dict]) -> dict | None:
    """A line per series (e.g. per authority) of ``y`` over the ISO dates in ``x``.

    :param spec: ``type = "line"``, ``x`` (a date column), ``y`` (a number), optional ``series``.
    :return: polylines, axis ticks and legend in SVG coordinates; None when nothing to draw.
    """
    import datetime as dt
    if spec.get("type") != "line":
        return None
    x, y, series = spec["x"], spec["y"], spec.get("series")
    points: dict[str, list[tuple[dt.date, float]]] = {}
    for row in rows:
        value = _number(row.get(y))
        try:
            when = dt.date.fromisoformat(row.get(x, {}).get("value", "")[:10])
        except ValueError:
            continue
        if value is None:
            continue
        name = row.get(series, {}).get("value", "") if series else ""
        points.setdefault(name, []).append((when, value))
    points = {k: sorted(set(v)) for k, v in list(points.items())[:MAX_SERIES]}
    if not points:
        return None
    dates = [d for v in points.values() for d, _ in v]
    values = [n for v in points.values() for _, n in v]
    d0, d1 = min(dates), max(dates)
    span = max((d1 - d0).days, 1)
    top = max(values) * 1.1 or 1.0

    def px(d, n):
        return (LINE_LEFT + (d - d0).days / span * LINE_WIDTH,
                LINE_HEIGHT - n / top * (LINE_HEIGHT - 10))

    lines = []
    for i, (name, pts) in enumerate(points.items()):
        coords = [px(d, n) for d, n in pts]
        lines.append({"name": name, "cls": f"series-{i % SERIES_COLOURS}",
                      "points": " ".join(f"{a:.1f},{b:.1f}" for a, b in coords),
                      "dots": [{"x": a, "y": b, "title": f"{name} {d.isoformat()}: {n:g}"}
                               for (a, b), (d, n) in zip(coords, pts)]})
    years = range(d0.year, d1.year + 1)
    step = max(1, len(years) // 8)
    ticks = [{"x": px(dt.date(yr, 1, 1), 0)[0], "label": str(yr)} for yr in years[::step]
             if d0 <= dt.date(yr, 1, 1) <= d1] or [{"x": LINE_LEFT, "label": d0.isoformat()}]
    return {"kind": "line", "title": spec.get("title") or f"{y} over time", "lines": lines,
            "ticks": ticks, "top": f"{top / 1.1:g}", "left": LINE_LEFT, "height": LINE_HEIGHT,
            "width": LINE_LEFT + LINE_WIDTH + 20, "total_height": LINE_HEIGHT + LINE_BOTTOM,
            "legend": [{"key": ln["name"], "cls": ln["cls"]} for ln in lines if ln["name"]]}


def grid_chart(spec: dict, rows: list[dict]) -> dict | None:
    """A grid of grades: one line per ``row`` value (e.g. authority), one cell per ``column``
    value (e.g. area), coloured by the grade in ``value``; lines and cells in result order.

    A ``<row>_iri`` or ``authority_iri`` column links the line's label.
    """
    if spec.get("type") != "grid":
        return None
    r, c, v = spec["row"], spec["column"], spec["value"]
    lines: dict[str, dict] = {}
    columns: list[str] = []
    for row in rows:
        label = row.get(r, {}).get("value")
        if not label:
            continue
        link = row.get(r + "_iri") or row.get("authority_iri")
        line = lines.setdefault(label, {"label": label, "iri": link["value"] if link else None, "cells": {}})
        column = row.get(c, {}).get("value")
        if column:
            if column not in columns:
                columns.append(column)
            text = row.get(v, {}).get("value", "")
            line["cells"][column] = {"text": text, "rank": grade_rank(text)}
    if not lines:
        return None
    ranks = {cell["rank"] for line in lines.values() for cell in line["cells"].values()}
    return {"kind": "grid", "title": spec.get("title") or f"{v} by {r} and {c}", "columns": columns,
            "lines": [dict(line, cells=[line["cells"].get(col) for col in columns]) for line in lines.values()],
            "legend": [{"cls": f"grade-{n}", "key": word} for n, word in GRADE_LEGEND if n in ranks]}


def chart_for(spec: dict, rows: list[dict]) -> dict | None:
    """The chart a canned query's toml asks for (``bar``, ``line`` or ``grid``)."""
    kind = spec.get("type")
    if kind == "grid":
        return grid_chart(spec, rows)
    return line_chart(spec, rows) if kind == "line" else bar_chart(spec, rows)


def bar_chart_html(chart: dict) -> Markup:
    """The ``<figure>`` of one bar chart from :func:`bar_chart`'s geometry (an inline SVG),
    written here rather than by a template loop: a page's charts are a few hundred bars, each
    some ten escaped values, and the template took ~2.7 ms of a national page."""
    h = chart["row_height"]
    cut = f" (first {len(chart['bars'])} bars)" if chart["cut"] else ""
    legend = ("<ul class=\"legend\">" + "".join(
        f'<li><svg width="14" height="14" aria-hidden="true"><rect class="{html_escape(item["cls"])}" '
        f'width="14" height="14"/></svg> {html_escape(item["key"])}</li>' for item in chart["legend"])
        + "</ul>") if chart["legend"] else ""
    bars = "".join(bar_html(bar, chart["label_width"], h) for bar in chart["bars"])
    return Markup(
        f'<figure class="chart">\n  <figcaption>{html_escape(chart["title"])}{cut}</figcaption>\n  {legend}\n'
        f'  <svg viewBox="0 0 {chart["width"]} {chart["height"]}" role="img" '
        f'aria-label="{html_escape(chart["title"])}" class="bars" preserveAspectRatio="xMinYMin meet">\n'
        f'    {bars}\n  </svg>\n</figure>')


def bar_html(bar: dict, label_width: int, h: int) -> str:
    """One bar's ``<g>`` of :func:`bar_chart_html`: its label, segments and total."""
    label, y = html_escape(bar["label"]), bar["y"]
    short = bar["label"] if len(bar["label"]) <= 32 + 5 else bar["label"][:31] + "…"
    segments = "".join(
        f'<rect x="{s["x"]}" y="{y + 3}" width="{s["width"]}" height="{h - 6}" class="{html_escape(s["cls"])}">'
        f'<title>{label}{" · " + html_escape(s["key"]) if s["key"] else ""}: {round(s["value"], 2)}</title></rect>'
        for s in bar["segments"])
    total = html_escape(bar["total_text"])
    return (f'<g>\n      <title>{label}: {total}</title>\n'
            f'      <text x="{label_width - 6}" y="{y + h * 0.65}" text-anchor="end" class="bar-label">'
            f'{html_escape(short)}</text>\n      {segments}\n'
            f'      <text x="{bar["end"] + 4}" y="{y + h * 0.65}" class="bar-value">{total}</text>\n    </g>')
