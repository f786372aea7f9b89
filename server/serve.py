"""``ofsted-kg serve``: the app on gunicorn (threads in several worker processes)."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from . import config as settings


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


def serve(store_path: str | None, host: str = "127.0.0.1", port: int = 5000, **options) -> None:
    """Serve the store at ``store_path`` on ``host:port`` until interrupted.

    :param options: any setting of :mod:`server.config`, lower- or upper-case (e.g.
        ``allow_update=True, update_token="..."``, ``query_timeout=10``, ``workers=4``);
        ``None`` values are ignored so CLI defaults fall through to the environment.
    :raise config.ConfigError: a bad setting or a missing store (before any worker starts).
    """
    overrides = {k.upper(): v for k, v in options.items() if v is not None}
    if store_path is not None:
        overrides["STORE"] = str(store_path)
    values = settings.load(overrides)           # fail here, not in every worker
    from pathlib import Path
    from .remote import is_remote
    if not is_remote(values["STORE"]) and not Path(values["STORE"]).is_dir():
        raise settings.ConfigError(f"no store at {values['STORE']}: run `ofsted-kg ingest` first")
    _Gunicorn({
        "bind": f"{host}:{port}",
        "workers": values["WORKERS"],
        "threads": values["THREADS"],
        "worker_class": "gthread",
        "timeout": int(values["QUERY_TIMEOUT"]) + 30,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "ofsted-kg",
        "limit_request_line": 8190,     # gunicorn's maximum: GET queries up to ~8 KB, POST beyond
    }, overrides).run()
