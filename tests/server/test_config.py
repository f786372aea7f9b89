"""Settings: each documented, typed, overridable from OFSTED_KG_* and from create_app."""
from __future__ import annotations

import pytest

from server import config


def test_every_setting_has_a_default_and_help():
    for name, default, type_, help_ in config.SETTINGS:
        assert name.isupper() and help_ and isinstance(default, type_), name


def test_env_overrides_with_the_prefix():
    values = config.load(environ={"OFSTED_KG_QUERY_TIMEOUT": "5", "OFSTED_KG_ALLOW_UPDATE": "yes",
                                  "OFSTED_KG_UPDATE_TOKEN": "t", "QUERY_TIMEOUT": "99"})
    assert values["QUERY_TIMEOUT"] == 5.0 and values["ALLOW_UPDATE"] is True
    assert config.load(environ={})["QUERY_TIMEOUT"] == 30.0


def test_overrides_beat_env():
    assert config.load({"RESULT_LIMIT": 7}, environ={"OFSTED_KG_RESULT_LIMIT": "9"})["RESULT_LIMIT"] == 7


@pytest.mark.parametrize("overrides", [{"QUERY_TIMEOUT": "soon"}, {"ALLOW_UPDATE": True},
                                       {"QUERY_TIMEOUT": 0}, {"ALLOW_UPDATE": "maybe"}])
def test_bad_settings_stop_start_up(overrides):
    with pytest.raises(config.ConfigError):
        config.load(overrides, environ={})


def test_missing_store_stops_start_up(tmp_path):
    from server import create_app
    with pytest.raises(config.ConfigError, match="no store"):
        create_app({"STORE": str(tmp_path / "absent")})


def test_settings_are_in_the_docs():
    """Every setting is named in core/settings.py's SETTINGS, which server/config.py serves."""
    import server.serve
    assert set(config.DEFAULTS) == set(config.HELP)
    assert server.serve.serve.__doc__
