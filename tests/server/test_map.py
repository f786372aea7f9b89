"""The map of England: districts shipped simplified with their attribution, each coloured by its
children's-services authority's grade and linked to its page; on the home page and on any
query with a GSS code and a grade."""
from __future__ import annotations

import json
import re

from server.englandmap import MAP_FILE


def test_shipped_map_covers_every_current_authority_with_attribution():
    import csv
    from pathlib import Path
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    drawn = {d["authority"] for d in data["districts"]}
    register = Path(__file__).resolve().parents[2] / "core" / "data" / "authorities.csv"
    with open(register, encoding="utf-8") as fh:
        current = {r["gss_code"] for r in csv.DictReader(fh) if not r["end_date"]}
    # counties abolished in 2023 (Cumbria, North Yorkshire, Somerset) are drawn as their successors
    assert len(current - drawn) <= 3, sorted(current - drawn)
    assert "E09000001" in drawn and "E10000029" in drawn          # the City of London; Suffolk
    assert "Office for National Statistics" in data["attribution"]
    assert MAP_FILE.stat().st_size < 150_000


def test_home_page_map_links_authorities_and_colours_the_design_card_case(client):
    html = client.get("/", query_string={"map_area": "care-leavers"}).get_data(as_text=True)
    svg = html.split('<svg viewBox=', 1)[1].split("</svg>", 1)[0]
    bristol = re.search(r'<a href="/doc/authority/E06000023"[^>]*><title>([^<]*)</title>(.*?)</a>', svg, re.S)
    assert "Bristol City Council: Inadequate" in bristol.group(1)      # the 2014 SIF (corpus)
    assert 'class="grade-4"' in bristol.group(2)
    assert svg.count('<a href="/doc/authority/') >= 150
    assert "Office for National Statistics" in html


def test_any_query_with_gss_code_and_grade_has_a_map_view(client):
    html = client.get("/queries/judgements", query_string={"area__contains": "Care leavers",
                                                           "_sort_desc": "inspection_start"}).get_data(as_text=True)
    assert "Show on a map of England" in html
    assert 'data-gss="E06000023"' in html
    html = client.get("/queries/recommendations").get_data(as_text=True)
    assert "Show on a map of England" not in html


def test_2023_unitaries_are_drawn_as_themselves_and_named(client):
    """Cumberland, Westmorland and Furness, North Yorkshire and Somerset councils are districts
    of their own in the May 2023 boundaries: drawn under their own codes and labelled by name
    (not by code) even where a table has no grade for them."""
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    drawn = {d["district"]: d["authority"] for d in data["districts"]}
    names = {"E06000063": "Cumberland Council", "E06000064": "Westmorland and Furness Council",
             "E06000065": "North Yorkshire Council", "E06000066": "Somerset Council"}
    for code, name in names.items():
        assert drawn[code] == code and data["authorities"][code] == name
    html = client.get("/").get_data(as_text=True)
    for code, name in names.items():
        assert re.search(rf'<a href="/doc/authority/{code}"[^>]*><title>{name}: ', html), code
    assert not re.search(r"<title>E\d{8}: no grade", html)


def test_query_page_map_draws_every_district_in_its_authoritys_grade(client):
    """The geometry is written once per process; each page fills in every authority's link,
    title and class: all of an authority's districts, each path in the class of its grade."""
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    districts: dict[str, int] = {}
    for d in data["districts"]:
        districts[d["authority"]] = districts.get(d["authority"], 0) + 1
    for args in ({"area__contains": "Care leavers", "_sort_desc": "inspection_start"}, {"_sort": "authority"}):
        html = client.get("/queries/judgements", query_string=args).get_data(as_text=True)
        svg = html.split('class="map" preserveAspectRatio="xMidYMid meet">', 1)[1].split("</svg>", 1)[0]
        drawn = re.findall(r'<a href="/doc/authority/(E\d{8})" class="authority" data-gss="\1">'
                           r"<title>([^<]*)</title>((?:<path d=\"[^\"]+\" class=\"[^\"]+\"/>)+)</a>", svg)
        assert [gss for gss, _, _ in drawn] == sorted(districts)
        for gss, title, paths in drawn:
            classes = set(re.findall(r'class="([^"]+)"', paths))
            assert paths.count("<path ") == districts[gss] and len(classes) == 1, gss
            assert (f" ({districts[gss]} districts)" in title) == (districts[gss] > 1)
            assert (classes == {"no-grade"}) == ("no grade in this table" in title)
    bristol = re.search(r'data-gss="E06000023"><title>([^<]*)</title><path d="[^"]+" class="([^"]+)"', svg)
    assert bristol.group(1).startswith("Bristol City Council: ")
    assert bristol.group(2) == "grade-" + str({"Outstanding": 1, "Good": 2, "Requires improvement": 3, "Adequate": 3,
                                               "Inadequate": 4}[bristol.group(1).split(": ", 1)[1]])
