"""Bar charts for canned queries, as geometry for an inline SVG drawn by ``_chart.html``.

A query's toml declares ``chart = {type = "bar", x = "<label column>", y = "<number column>"}``
and optionally ``stack = "<column>"``: bars are then split into segments by that column's value
(grade words get the grade colours). No JavaScript and no chart library.
"""
from __future__ import annotations

ROW_HEIGHT = 26
LABEL_WIDTH = 220
BAR_WIDTH = 440
MAX_BARS = 80


def _number(term: dict | None) -> float | None:
    try:
        return float(term["value"]) if term else None
    except ValueError:
        return None


def bar_chart(spec: dict, rows: list[dict]) -> dict | None:
    """The chart's bars, segments, legend and size; None when there is nothing to draw.

    :param spec: the toml ``chart`` table (``type``, ``x``, ``y``, optional ``stack``, ``title``).
    :param rows: result rows of variable -> term-JSON.
    """
    from .querypages import grade_rank
    if spec.get("type") != "bar":
        return None
    x, y, stack = spec["x"], spec["y"], spec.get("stack")
    bars: dict[str, dict] = {}
    keys: list[str] = []
    for row in rows:
        label, value = row.get(x, {}).get("value", "(none)"), _number(row.get(y))
        if value is None or value < 0:
            continue
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
        return f"grade-{rank}" if rank else f"series-{keys.index(key) % 6}"

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
    legend = sorted(({"key": k, "cls": cls(k)} for k in keys if k), key=lambda l: l["cls"]) if stack else []
    return {"title": spec.get("title") or f"{y} by {x}", "bars": ordered, "legend": legend,
            "label_width": LABEL_WIDTH, "width": LABEL_WIDTH + BAR_WIDTH + 50,
            "height": len(ordered) * ROW_HEIGHT + 4, "row_height": ROW_HEIGHT,
            "cut": len(bars) > MAX_BARS}
