"""The one settings table: documented in README.md, read from OFSTED_KG_* in core/settings.py
only, used by the command line and the server alike; one decision on whether a store is a URL."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from core import settings

ROOT = Path(__file__).resolve().parents[1]
#: folders whose modules run as the project (bench/ and tests/ only set variables for children)
CODE_FOLDERS = ("core", "ingest", "server", "queries", "tools")
ENVIRON_READ = re.compile(r"\bos\.environ\b|\bgetenv\b|\benviron\.get\b")


def _modules():
    for folder in CODE_FOLDERS:
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings.markdown_table() in readme, \
        "README.md's settings table differs from core/settings.py: paste `python -m core.settings`"
    documented = set(re.findall(r"^\| `OFSTED_KG_(\w+)` \|", readme, re.M))
    assert documented == {s.name for s in settings.SETTINGS}


def test_every_setting_has_a_typed_default_and_one_line_of_help():
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names)), "a setting is declared twice"
    for s in settings.SETTINGS:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", s.name) and "\n" not in s.help and s.help, s.name
        assert isinstance(s.default, s.type) and s.type in (str, int, float, bool), s.name


def test_no_module_but_core_settings_reads_the_environment_for_a_setting():
    readers = [str(path.relative_to(ROOT)) for path in _modules()
               if path != ROOT / "core" / "settings.py"
               and ENVIRON_READ.search(text := path.read_text(encoding="utf-8"))
               and ("OFSTED_KG_" in text or "PREFIX" in text)]
    assert readers == []


def test_the_cli_and_the_server_read_the_same_table():
    from server import config
    assert config.SETTINGS is settings.SETTINGS
    environ = {"OFSTED_KG_BASE_IRI": "http://example.org/kg", "OFSTED_KG_UPDATE_DELAY": "0.5",
               "OFSTED_KG_STORE": "/srv/store", "UPDATE_DELAY": "9"}
    served = config.load(environ=environ)
    assert served["BASE_IRI"] == settings.base_iri(settings.get("BASE_IRI", environ)) == "http://example.org/kg/"
    assert served["UPDATE_DELAY"] == settings.get("UPDATE_DELAY", environ) == 0.5
    assert served["STORE"] == settings.read(environ)["STORE"] == "/srv/store"


def test_environment_values_are_converted_and_bad_ones_named(monkeypatch):
    assert settings.get("UPDATE_RETRIES", {"OFSTED_KG_UPDATE_RETRIES": " 5 "}) == 5
    assert settings.get("ALLOW_UPDATE", {"OFSTED_KG_ALLOW_UPDATE": "on"}) is True
    with pytest.raises(settings.ConfigError, match="OFSTED_KG_UPDATE_RETRIES='many'"):
        settings.get("UPDATE_RETRIES", {"OFSTED_KG_UPDATE_RETRIES": "many"})
    monkeypatch.setenv("OFSTED_KG_MAX_PAGES", "0")
    with pytest.raises(ValueError, match="OFSTED_KG_MAX_PAGES='0' is not a positive number"):
        settings.positive("MAX_PAGES")
    monkeypatch.setenv("OFSTED_KG_MAX_PAGES", "12")
    assert settings.positive("MAX_PAGES") == 12.0


@pytest.mark.parametrize("location, url", [
    ("http://127.0.0.1:8890/sparql", True), ("https://example.org/sparql", True),
    ("HTTPS://EXAMPLE.ORG/SPARQL", True), ("/srv/ofsted-kg/store", False), ("store", False),
    ("http-store", False), ("./http://x", False), (Path("/tmp/http:"), False), (None, False),
])
def test_is_url(location, url):
    assert settings.is_url(location) is url



def test_nothing_else_decides_whether_a_store_is_a_url():
    decides = re.compile(r"""startswith\(\(?["']https?[:"']""")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in _modules() if path != ROOT / "core" / "settings.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if decides.search(line)]
    assert found == []


def test_environment_gives_a_new_process_the_same_settings():
    from core import settings
    values = {**settings.read({}), "ANSWERS_AT_INGEST": False, "RESULT_LIMIT": 7, "QUERY_TIMEOUT": 2.5,
              "STORE": "/tmp/a store", "not a setting": 1}
    environ = settings.environment(values)
    assert "OFSTED_KG_not a setting" not in environ and environ["OFSTED_KG_ANSWERS_AT_INGEST"] == "false"
    assert settings.read(environ) == {k: v for k, v in values.items() if k != "not a setting"}
