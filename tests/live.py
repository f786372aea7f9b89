"""A Flask app served for real on 127.0.0.1 (an ephemeral port) in a thread, for tests that
need real clients: polled until it answers, and stopped with its query workers. The one
helper every test folder uses to serve the app in process (``tests/reliability/servers.py``
runs ``ofsted-kg serve`` itself, for the tests of the command and its front)."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import requests
from werkzeug.serving import make_server

#: how often a test server's loop looks for ``shutdown`` (socketserver's default, 0.5 s, was
#: half a second of every stop: some 10 s of the fast loop)
POLL_INTERVAL = 0.05


@dataclass
class LiveServer:
    url: str
    port: int
    server: object
    thread: threading.Thread
    app: object

    def stop(self) -> None:
        """Shut the server down and close the app's query workers."""
        self.server.shutdown()
        self.thread.join(5)
        extension = self.app.extensions.get("ofsted_kg")
        if extension is not None:
            extension.pool.close()

    def __enter__(self) -> "LiveServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_until_responds(url: str, attempts: int = 250) -> None:
    """Poll ``url`` until it answers (Datasette's wait_until_responds), without fixed sleeps. A
    first answer slower than the poll's 0.5 s (a new app starting its query workers on a busy
    machine) is waited for again, not a failure.

    :raise RuntimeError: it never answered.
    """
    for _ in range(attempts):
        try:
            requests.get(url, timeout=0.5)
            return
        except requests.ConnectionError:
            threading.Event().wait(0.02)
        except requests.Timeout:
            pass                              # connected, still working on it: ask again
    raise RuntimeError(f"{url} never answered")


def serve_app(app, probe: str = "/sparql", attempts: int = 250) -> LiveServer:
    """Serve ``app`` with werkzeug on an ephemeral port of 127.0.0.1 until ``stop``.

    :param probe: the path polled until the server answers.
    :return: the running server (also a context manager that stops it).
    :raise RuntimeError: it never answered.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(POLL_INTERVAL,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        wait_until_responds(url + probe, attempts)
    except RuntimeError:
        server.shutdown()
        raise
    return LiveServer(url, server.server_port, server, thread, app)


def dumps_dir(store: Path | str, name: str = "dumps") -> Path:
    """A folder for the /download/ files of an app on ``store``, beside it and private to this
    test process (pytest-xdist workers may serve the same shared store)."""
    return Path(store).parent / f"{name}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def serve_store(store: Path | str, **config) -> LiveServer:
    """``create_app`` on ``store`` in testing mode, served on 127.0.0.1.

    :param config: settings over the defaults (``TESTING``, ``STORE``, ``DUMPS_DIR`` and
        ``ANSWER_FILES_DIR`` beside the store).
    :return: the running server.
    """
    from server import create_app
    settings = {"STORE": str(store), "TESTING": True, "DUMPS_DIR": str(dumps_dir(store)),
                "ANSWER_FILES_DIR": str(dumps_dir(store, "answers")),
                # no keeper after an update (server/keeplater.py)
                "ANSWERS_AT_INGEST": False, "DERIVED_AFTER_WRITE": False}
    settings.update(config)
    return serve_app(create_app(settings))
