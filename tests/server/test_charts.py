"""Charts that tell the truth: a count and a rate per 10,000 are never added into one bar;
repeated labels are separate bars unless the query stacks them; every colour has a legend."""
from __future__ import annotations

import re

from server.charts import bar_chart


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
