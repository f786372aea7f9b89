"""Charts that tell the truth: a count and a rate per 10,000 are never added into one bar;
repeated labels are separate bars unless the query stacks them; every colour has a legend."""
from __future__ import annotations

import re

from pathlib import Path

from server.charts import bar_chart, line_chart

CSS = (Path(__file__).resolve().parents[2] / "server" / "static" / "pages.css").read_text(encoding="utf-8")


def test_statistic_across_authorities_separates_measures_and_units(client):
    data = client.get("/queries/statistic-across-authorities.json").get_json()["results"]["bindings"]
    units = {(r["measure"]["value"], r["unit"]["value"]) for r in data}
    assert len(units) > 1                      # the corpus prints counts and rates
    html = client.get("/queries/statistic-across-authorities").get_data(as_text=True)
    figures = html.count('<figure class="chart">')
    assert figures == len(units)
    # every bar is one printed value: its length label is a value of that measure and unit
    values = {f"{float(r['value']['value']):g}" for r in data}
    shown = re.findall(r'class="bar-value">([^<]+)</text>', html)
    assert shown and set(shown) <= values


def test_repeated_labels_are_not_added_unless_stacked():
    rows = [{"a": {"value": "Bristol"}, "v": {"value": "10"}, "d": {"value": "2014"}},
            {"a": {"value": "Bristol"}, "v": {"value": "5"}, "d": {"value": "2017"}}]
    plain = bar_chart({"type": "bar", "x": "a", "y": "v", "detail": "d"}, rows)
    assert [(b["label"], b["total"]) for b in plain["bars"]] == [("Bristol (2014)", 10.0), ("Bristol (2017)", 5.0)]
    assert plain["legend"] and plain["legend"][0]["cls"] == "series-0"
    stacked = bar_chart({"type": "bar", "x": "a", "y": "v", "stack": "d"}, rows)
    assert [(b["label"], b["total"]) for b in stacked["bars"]] == [("Bristol", 15.0)]
    assert {l["key"] for l in stacked["legend"]} == {"2014", "2017"}


def test_a_bar_charts_svg_escapes_its_words_and_cuts_long_labels():
    """bar_chart_html writes the figure itself (no template): labels, stack keys and legend are
    escaped, a label over 37 characters is cut to 31 and an ellipsis, and the whole figure is
    well-formed XML with one <g> per bar and one <rect> per segment."""
    import xml.etree.ElementTree as ET

    from server.charts import bar_chart_html
    long = "Bath & North East Somerset <Council> of \"many\" words"
    rows = [{"a": {"value": long}, "v": {"value": "12.345"}, "g": {"value": "Good"}},
            {"a": {"value": long}, "v": {"value": "3"}, "g": {"value": "<i>x</i>"}},
            {"a": {"value": "Bristol"}, "v": {"value": "7"}, "g": {"value": "Good"}}]
    chart = bar_chart({"type": "bar", "x": "a", "y": "v", "stack": "g", "title": "T & <t>"}, rows)
    html = str(bar_chart_html(chart))
    figure = ET.fromstring(html)                  # well-formed: every word escaped
    assert "<i>" not in html and "<Council>" not in html and "&lt;i&gt;x&lt;/i&gt;" in html
    assert len(figure.findall(".//g")) == 2
    assert len(figure.findall(".//g/rect")) == 3 and len(figure.findall(".//ul/li/svg/rect")) == 2
    labels = [t.text for t in figure.findall(".//text") if t.get("class") == "bar-label"]
    assert labels == [long[:31] + "…", "Bristol"]
    assert figure.find("figcaption").text == "T & <t>"
    assert [t.text for t in figure.findall(".//text") if t.get("class") == "bar-value"] == ["15.345", "7"]


def test_a_line_charts_lines_each_have_their_own_colour():
    # nine authorities, one figure each year: the chart draws eight, none sharing a colour
    rows = [{"who": {"value": f"Authority {a}"}, "when": {"value": f"201{y}-03-31"}, "n": {"value": str(a * 10 + y)}}
            for a in range(9) for y in range(3)]
    chart = line_chart({"type": "line", "x": "when", "y": "n", "series": "who"}, rows)
    classes = [line["cls"] for line in chart["lines"]]
    assert len(classes) == 8 == len(set(classes)) == len({l["cls"] for l in chart["legend"]})
    fills = dict(re.findall(r"\.(series-\d+) \{ fill: (#[0-9a-f]+); \}", CSS))
    strokes = dict(re.findall(r"svg\.lines \.(series-\d+) \.line \{ stroke: (#[0-9a-f]+); \}", CSS))
    assert len({fills[c] for c in classes}) == len({strokes[c] for c in classes}) == 8
    assert all(fills[c] == strokes[c] for c in classes)            # the legend's swatch is the line's colour
