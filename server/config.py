"""The server's settings: the shared table (:mod:`core.settings`) plus ``create_app``'s mapping.

Settings are read once, in :func:`load`: defaults, then ``OFSTED_KG_*`` environment variables
(read by ``core.settings``, the only module that reads the environment for them), then the
mapping given to ``create_app`` (tests, ``ofsted-kg serve`` options), then checked together.
"""
from __future__ import annotations

from typing import Mapping

from core.settings import DEFAULTS, HELP, PREFIX, SETTINGS, ConfigError, base_iri, convert, read

__all__ = ["DEFAULTS", "HELP", "PREFIX", "SETTINGS", "ConfigError", "convert", "load"]


def load(overrides: dict | None = None, environ: Mapping[str, str] | None = None) -> dict:
    """All settings: defaults, then ``OFSTED_KG_*`` variables, then ``overrides``.

    :param overrides: values from tests or the command line (keys without the prefix).
    :param environ: the environment to read (default: the process's).
    :return: a dict of every setting, converted to its type.
    :raise ConfigError: an unknown or invalid setting.
    """
    values = read(environ)
    for name, value in (overrides or {}).items():
        if name in DEFAULTS:
            values[name] = convert(name, value)
    values["BASE_IRI"] = base_iri(values["BASE_IRI"])
    _check(values)
    values["LOAD_ALLOWED_PREFIXES"] = tuple(str(values["LOAD_ALLOWED_PREFIXES"]).split())
    return values


def _check(values: dict) -> None:
    """Settings that only make sense together.

    :raise ConfigError: the first that does not.
    """
    if values["ALLOW_UPDATE"] and not values["UPDATE_TOKEN"]:
        raise ConfigError("ALLOW_UPDATE needs UPDATE_TOKEN (the bearer token clients must present)")
    if values["REMOTE_AUTH"] not in ("digest", "basic"):
        raise ConfigError(f"{PREFIX}REMOTE_AUTH must be digest or basic, not {values['REMOTE_AUTH']!r}")
    if values["QUERY_TIMEOUT"] <= 0 or values["QUERY_PROCESSES"] < 1:
        raise ConfigError("QUERY_TIMEOUT must be positive and QUERY_PROCESSES at least 1")
    if min(values["HEAVY_QUERIES"], values["QUERY_QUEUE"], values["CLIENT_QUERIES"]) < 0 \
            or values["HEAVY_AFTER"] <= 0:
        raise ConfigError("HEAVY_QUERIES, QUERY_QUEUE and CLIENT_QUERIES cannot be negative, "
                          "and HEAVY_AFTER must be positive")
