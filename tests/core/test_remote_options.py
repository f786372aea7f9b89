"""A remote store's endpoints and credentials come from one place for the command line and the
server (core.remote.RemoteOptions.from_config), and a bad auth scheme is refused there."""
import pytest

from core import settings
from core.remote import RemoteOptions

CONFIG = {"UPDATE_ENDPOINT": "http://127.0.0.1:8890/sparql-auth",
          "GRAPH_STORE_ENDPOINT": "http://127.0.0.1:8890/sparql-graph-crud-auth",
          "REMOTE_USER": "dba", "REMOTE_PASSWORD": "pw", "REMOTE_AUTH": "basic"}


def test_the_server_and_the_command_line_read_the_same_options(monkeypatch):
    from server.config import load
    from server.store import remote_options
    for name, value in CONFIG.items():
        monkeypatch.setenv(settings.PREFIX + name, value)
    expected = RemoteOptions(CONFIG["UPDATE_ENDPOINT"], CONFIG["GRAPH_STORE_ENDPOINT"], ("dba", "pw"), "basic")
    assert RemoteOptions.from_settings() == expected
    assert remote_options(load({})) == expected          # the graph store endpoint included


def test_command_line_options_win_over_the_settings():
    options = RemoteOptions.from_config(CONFIG, update_endpoint="http://127.0.0.1:1/u", auth=("me", "x"))
    assert options.update_endpoint == "http://127.0.0.1:1/u" and options.auth == ("me", "x")
    assert options.graph_store_endpoint == CONFIG["GRAPH_STORE_ENDPOINT"]


def test_an_unknown_auth_scheme_is_refused():
    with pytest.raises(ValueError, match="digest or basic"):
        RemoteOptions.from_config({**CONFIG, "REMOTE_AUTH": "Digest"})
