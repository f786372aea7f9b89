"""A Flask app served for real on 127.0.0.1 (an ephemeral port) in a thread, for tests that
need real clients: polled until it answers, and stopped with its query workers."""
from __future__ import annotations

import threading
from dataclasses import dataclass

import requests
from werkzeug.serving import make_server


@dataclass
class LiveServer:
    url: str
    port: int
    _server: object
    _thread: threading.Thread
    _app: object

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(5)
        extension = self._app.extensions.get("ofsted_kg")
        if extension is not None:
            extension.pool.close()


def serve_app(app, probe: str = "/sparql", attempts: int = 250) -> LiveServer:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    for _ in range(attempts):
        try:
            requests.get(url + probe, timeout=0.5)
            break
        except requests.ConnectionError:
            threading.Event().wait(0.02)
    else:
        server.shutdown()
        raise RuntimeError(f"{url} never answered")
    return LiveServer(url, server.server_port, server, thread, app)
