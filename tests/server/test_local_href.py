"""``server.local_href``: the link of an IRI on this server, for plain keys built from one
prefix per request, is the URL Flask's ``url_for`` builds; other keys go through ``url_for``."""
from __future__ import annotations

import pytest
from flask import url_for

from server import local_href

KEYS = ["authority/E06000023", "inspection/E06000023/2014-01-13/judgement/overall",
        "finding/a.b_c~d-e", "plan/x/action/1.2(a)", "thing/x:y;z=1@2,3+4*5!6$7&8'9",
        "thing/with space", "thing/caf\u00e9", "thing/a?b#c", "thing/100%", "thing/\"q\"<>"]


@pytest.mark.parametrize("script_root", ["", "/kg"])
def test_links_are_what_url_for_builds(app, script_root):
    base = app.config["BASE_IRI"] + "id/"
    with app.test_request_context("/", base_url="http://localhost" + script_root + "/"):
        for key in KEYS:
            assert local_href(base + key) == url_for("resources.thing", key=key), key
        assert local_href("http://example.org/elsewhere") == "http://example.org/elsewhere"
        assert local_href(base + KEYS[0]).startswith(script_root + "/id/authority/")
