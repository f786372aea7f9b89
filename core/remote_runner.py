"""Queries forwarded to a remote SPARQL 1.1 store: the same ``run(job)`` as the worker pool.

With ``--store http://host/sparql`` the server keeps no store of its own: each job goes to the
endpoint through :class:`core.remote.RemoteStore` (parameters bound with VALUES, answers
parsed by pyoxigraph) and is serialized and capped by :func:`core.worker.execute`, exactly as
on the embedded store. The timeout is the HTTP request's own timeout; Virtuoso also gets its
``timeout`` parameter (milliseconds) so it stops the query itself, and an answer it cut short
(``X-SQL-State: S1TAT``, Virtuoso's "anytime" partial result) counts as a timeout, never as a
complete result.
"""
from __future__ import annotations

import threading
import time

from .remote import RemoteOptions, RemoteStore, RemoteStoreError

from .pool import QueryTimeout
from .worker import Job, Outcome, execute

# Virtuoso answers a query stopped by its `timeout` parameter with a partial result and these
_PARTIAL_STATES = {"S1TAT"}


class _TimedStore(RemoteStore):
    """A RemoteStore whose queries carry a server-side timeout hint and fail on partial answers."""

    def __init__(self, endpoint: str, timeout: float, virtuoso: "threading.Event",
                 options: RemoteOptions):
        super().__init__(endpoint, options, timeout=timeout)
        self.query_timeout = timeout
        self.virtuoso = virtuoso          # shared: set once any answer came from Virtuoso

    def _send(self, method: str, url: str, *, auth=None, **kw):
        is_query = isinstance(kw.get("data"), dict) and "query" in kw["data"]
        if is_query and self.virtuoso.is_set():
            params = list(kw.get("params") or [])
            params.append(("timeout", str(int(self.query_timeout * 1000))))
            kw["params"] = params
        start = time.perf_counter()
        try:
            response = super()._send(method, url, auth=auth, **kw)
        except RemoteStoreError as exc:
            import requests
            if isinstance(exc.__context__, requests.Timeout) or (
                    time.perf_counter() - start >= self.query_timeout):
                raise QueryTimeout(f"the query was stopped after {self.query_timeout:g} s") from None
            raise
        if "virtuoso" in response.headers.get("Server", "").lower():
            self.virtuoso.set()
        if response.headers.get("X-SQL-State", "").strip() in _PARTIAL_STATES:
            raise QueryTimeout(f"the query was stopped after {self.query_timeout:g} s "
                               f"(the endpoint returned a partial result)")
        return response


class RemoteRunner:
    """Runs :class:`Job` objects on a remote endpoint; one HTTP session per server thread."""

    def __init__(self, endpoint: str, timeout: float = 30.0, options: RemoteOptions = RemoteOptions()):
        """
        :param endpoint: the SPARQL query endpoint URL.
        :param timeout: seconds a query may take (HTTP timeout and, for Virtuoso, its own).
        :param options: the update side (update endpoint, credentials).
        """
        self.endpoint = endpoint
        self.timeout = timeout
        self.options = options
        self._virtuoso = threading.Event()
        self._local = threading.local()
        self._stores: list[RemoteStore] = []
        self._lock = threading.Lock()

    def store(self) -> RemoteStore:
        """This thread's store (queries bounded by the timeout, as ``run`` uses)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = _TimedStore(self.endpoint, self.timeout, self._virtuoso, self.options)
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        return store

    def run(self, job: Job, timeout: float | None = None) -> Outcome:
        """Run ``job`` on the endpoint; syntax errors and refusals come back in the outcome.

        :raise QueryTimeout: the endpoint did not answer within the timeout (or cut its answer).
        """
        store = self.store()
        if timeout is not None:
            store.timeout = store.query_timeout = timeout
        try:
            return execute(store, job)
        except RemoteStoreError as exc:
            return Outcome("error", message=str(exc))
        finally:
            if timeout is not None:
                store.timeout = store.query_timeout = self.timeout

    def check(self) -> None:
        """Ask the endpoint a trivial question (at start-up).

        :raise RemoteStoreError: it cannot be reached or refuses queries.
        """
        bool(self.store().query("ASK { }"))

    def update(self, sparql_update: str) -> None:
        """Send an update to the endpoint's update endpoint, with the configured credentials.

        :raise RemoteQuerySyntaxError: the endpoint found it malformed.
        :raise RemoteUnreachable: no answer; :raise QueryTimeout: no answer within the timeout
            (the update may still be applied).
        :raise RemoteStoreError: any other refusal (credentials, rights, engine errors).
        """
        self.store().update(sparql_update)

    def close(self) -> None:
        with self._lock:
            for store in self._stores:
                store.close()
            self._stores.clear()
