"""``ofsted-kg serve``: the front (:mod:`server.front`) on ``host:port`` and the app on gunicorn
(threads in several worker processes) behind it.

Each server gets a private folder (``mkdtemp``, mode 0700) holding gunicorn's Unix socket and its
control socket, removed when the server stops: no path is shared between two servers, so
stopping one never breaks another, and only this server's front can reach its gunicorn.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
import tempfile
from pathlib import Path

from gunicorn.app.base import BaseApplication

from core import heap
from core.processes import die_with_parent
from core.settings import is_url

from . import config as settings
from .dump_writer import DumpWriter
from .front import Front, Limits
from .keeplater import to_keep


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict, overrides: dict):
        self.options = options
        self.overrides = overrides
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app
        return create_app(self.overrides)


def serve(store_path: str | None, host: str = "127.0.0.1", port: int = 5000, **options) -> int:
    """Serve the store at ``store_path`` on ``host:port`` until interrupted.

    Prints ``ofsted-kg: listening on http://HOST:PORT/`` on standard error once the port is
    bound (``port=0`` picks a free one).

    :param options: any setting of :mod:`server.config`, lower- or upper-case (e.g.
        ``allow_update=True, update_token="..."``, ``query_timeout=10``, ``workers=4``);
        ``None`` values are ignored so CLI defaults fall through to the environment.
    :return: 0 after an interrupt, 1 when gunicorn stopped by itself (e.g. the app failed to load).
    :raise config.ConfigError: a bad setting, a missing store or a canned query that does not
        load (before any worker starts).
    """
    overrides = {k.upper(): v for k, v in options.items() if v is not None}
    if store_path is not None:
        overrides["STORE"] = str(store_path)
    values = settings.load(overrides)           # fail here, not in every worker
    from core.canned import QueryDefinitionError, load_all
    try:
        load_all()
    except QueryDefinitionError as exc:
        raise settings.ConfigError(str(exc)) from None
    if not is_url(values["STORE"]) and not Path(values["STORE"]).is_dir():
        raise settings.ConfigError(f"no store at {values['STORE']}: run `ofsted-kg ingest` first")
    say_answers(values)
    # before gunicorn is forked: its web workers inherit the heap's settings (core.heap), so a
    # freed result is given back instead of kept in one of up to 16 arenas or a grown heap
    heap.configure()
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-serve-") as private:
        backend = os.path.join(private, "gunicorn.sock")
        child = multiprocessing.get_context("fork").Process(
            target=_run_gunicorn, args=(gunicorn_options(values, backend, private), overrides),
            name="ofsted-kg-gunicorn")
        child.start()
        writer = DumpWriter(overrides) if values["DUMPS_AT_START"] else None
        try:
            return asyncio.run(_front(host, port, backend, front_limits(values), child))
        finally:
            _stop(child)
            if writer is not None:
                writer.stop()


def say_answers(values: dict) -> None:
    """One line on standard error when the store's whole canned answers were not kept for its
    state (:mod:`server.keepanswers`): their first asks will compute them."""
    if to_keep(values) is None:        # kept, or not to be (a remote store, the settings off)
        return
    print("ofsted-kg: the whole canned answers were not kept for this store's state (it was "
          "written before ingest kept them): each is computed on its first ask; `ofsted-kg "
          "ingest` of any file keeps them", file=sys.stderr, flush=True)


def gunicorn_options(values: dict, backend: str, private: str) -> dict:
    """Gunicorn's settings: bound to ``backend`` (a Unix socket), control socket in ``private``."""
    return {
        "bind": f"unix:{backend}",
        "workers": values["WORKERS"],
        "threads": values["THREADS"],
        "worker_class": "gthread",
        "timeout": int(values["QUERY_TIMEOUT"]) + 30,
        "graceful_timeout": 10,
        "keepalive": 5,                 # the front's kept connections (server.backends) idle at most 1 s
        "accesslog": "-",
        "logger_class": "server.accesslog.AccessLogger",    # counts a body sent with sendfile
        "errorlog": "-",
        "proc_name": "ofsted-kg",
        "limit_request_line": 8190,     # gunicorn's maximum: GET queries up to ~8 KB, POST beyond
        "control_socket": os.path.join(private, "gunicorn.ctl"),
        "pidfile": None,
        # the front is gunicorn's only peer: no header from a client sets the scheme or a CGI
        # variable (ProxyFix, with PROXY_HOPS, decides what forwarded headers to believe)
        "secure_scheme_headers": {},
        "forwarder_headers": "",
    }


def front_limits(values: dict) -> Limits:
    """The front's limits from the settings."""
    # waiting for gunicorn costs the front a coroutine only: be generous, the first /download/
    # request writes every dump (minutes on a large store), queries end at QUERY_TIMEOUT anyway
    return Limits(header_seconds=values["HEADER_TIMEOUT"], body_seconds=values["BODY_TIMEOUT"],
                  idle_seconds=values["KEEPALIVE_TIMEOUT"], answer_seconds=values["QUERY_TIMEOUT"] + 900,
                  max_body_bytes=values["MAX_QUERY_BYTES"], max_connections=values["MAX_CONNECTIONS"],
                  # behind a proxy every client has the proxy's address: limit connections there
                  max_client_connections=0 if values["PROXY_HOPS"] else values["CLIENT_CONNECTIONS"])


def _run_gunicorn(options: dict, overrides: dict) -> None:
    die_with_parent(signal.SIGTERM)                  # gunicorn never outlives the front
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _Gunicorn(options, overrides).run()


async def _front(host: str, port: int, backend: str, limits: Limits, child) -> int:
    loop = asyncio.get_running_loop()
    front = Front(backend, limits)
    server = await front.start(host, port)
    bound = server.sockets[0].getsockname()
    print(f"ofsted-kg: listening on http://{bound[0]}:{bound[1]}/", file=sys.stderr, flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    gunicorn_ended = loop.run_in_executor(None, child.join)
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({gunicorn_ended, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    server.close()
    front.backends.close()                       # gunicorn need not wait for kept connections
    if stop.is_set():
        child.terminate()                        # gunicorn's graceful stop
        try:
            await asyncio.wait_for(asyncio.shield(gunicorn_ended), 15)
        except asyncio.TimeoutError:
            child.kill()
            await gunicorn_ended
        return 0
    print(f"ofsted-kg: gunicorn stopped (exit status {child.exitcode})", file=sys.stderr, flush=True)
    return 1


def _stop(child) -> None:
    """Stop gunicorn gracefully (SIGTERM), or kill it after its graceful timeout."""
    if child.is_alive():
        child.terminate()
        child.join(15)
    if child.is_alive():
        child.kill()
        child.join(5)
