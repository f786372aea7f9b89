"""A remote SPARQL 1.1 store behind the ``GraphStore`` interface (Virtuoso, Fuseki, GraphDB …).

Reads go to the query endpoint (SPARQL 1.1 Protocol, POST form); writes go to the Graph Store
HTTP Protocol endpoint (``PUT ?graph=``) and the update endpoint. Answers (SPARQL XML results,
which Virtuoso writes faster than JSON, or JSON; N-Triples) are parsed with pyoxigraph's own
parsers by :mod:`core.remote_results`, so callers get the same objects as from the embedded
store: ``QuerySolutions`` (iterate rows, ``row["var"].value``, ``.variables``), ``QueryBoolean``
and, for CONSTRUCT/DESCRIBE, a list of ``Triple``.

**Parameters** are bound in the query text by :func:`core.bind.bind_values` (see there).

**Atomicity of** ``replace_graphs``. Each new graph is first PUT to its own staging graph
(``urn:ofsted-kg:staging:<uuid>:<n>``) with the Graph Store protocol; then one SPARQL update
request moves every staging graph over its target (``MOVE SILENT GRAPH … TO GRAPH …``; an
empty graph is a ``DROP SILENT GRAPH``). If a PUT fails, the staging graphs are dropped and the
targets are untouched. What the last step gives depends on the server: Virtuoso runs one update
request as one transaction, so a reader of a named graph sees all the old graphs or all the
new ones (``tests/remote/test_virtuoso.py`` checks this with a reader running during replaces).
Two weaker points, true of any server: a query over the union default graph sees the staging
triples as well, for the moments between the PUT and the move; and a client that dies between
the two leaves staging graphs behind (``drop_staging()`` removes them; ``named_graphs()``
never lists them).

**Reading whole graphs.** ``graph_quads`` reads one named graph in pages and checks the
number of triples against a count, so a server-side cap on result rows cannot silently
shorten a dump or an export.

**Credentials.** Virtuoso takes updates only from authenticated users: use ``/sparql-auth``
and ``/sparql-graph-crud-auth`` with HTTP digest auth (user ``dba``, or a user granted
``SPARQL_UPDATE``); anonymous ``/sparql`` stays read-only and is used for reads.
``RemoteOptions.from_settings`` reads the endpoints and credentials from :mod:`core.settings`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

import pyoxigraph as ox

from . import vocab
from .bind import bind_values, query_form
from .remote_results import (ACCEPT_RESULTS, NTRIPLES, RESULTS_JSON, media_type, parse_results,
                             parse_triples, wants_json)


STAGING_PREFIX = "urn:ofsted-kg:staging:"
#: graphs a fresh Virtuoso holds for itself (left out of ``named_graphs()``)
SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                 "http://localuriqaserver/sparql")
SHA256 = ox.NamedNode(vocab.OFS + "sha256")
HASH_OF = "SELECT ?hash ?g WHERE { GRAPH ?g { ?g ?sha256 ?hash } } LIMIT 1"
#: GROUP BY, not DISTINCT: Virtuoso 7.2 takes 16 s for the DISTINCT form on 18,000 quads, 0.03 s for this
GRAPHS = "SELECT ?g (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPH_SIZE = COUNT          # with ?g bound to one graph
GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
#: triples per request when reading a whole graph (at most Virtuoso's stock ResultSetMaxRows)
PAGE_SIZE = 10_000


class RemoteStoreError(OSError):
    """The remote store refused a request or could not be reached (the server's message)."""


class RemoteUnreachable(RemoteStoreError):
    """No answer from the remote store: connection refused or reset, DNS, or a timeout."""


class RemoteQuerySyntaxError(SyntaxError):
    """The endpoint rejected a query or an update as malformed (HTTP 400), with its message."""


# ------------------------------------------------------------------ the store


@dataclass(frozen=True)
class RemoteOptions:
    """How to reach a remote store's update side: endpoints and credentials.

    :param update_endpoint: URL for SPARQL updates (None: the query endpoint).
    :param graph_store_endpoint: Graph Store HTTP Protocol URL taking ``?graph=`` (None: the
        update endpoint).
    :param auth: ``(user, password)``, used with ``auth_scheme`` (``"digest"``, as Virtuoso
        wants, or ``"basic"``, as Fuseki does); None: no credentials.
    """

    update_endpoint: str | None = None
    graph_store_endpoint: str | None = None
    auth: tuple[str, str] | None = None
    auth_scheme: str = "digest"

    AUTH_SCHEMES = ("digest", "basic")

    def __post_init__(self):
        if self.auth_scheme not in self.AUTH_SCHEMES:
            raise ValueError(f"remote auth must be digest or basic, not {self.auth_scheme!r}")

    @classmethod
    def from_config(cls, config: Mapping[str, object], update_endpoint: str | None = None,
                    graph_store_endpoint: str | None = None,
                    auth: tuple[str, str] | None = None) -> "RemoteOptions":
        """The options a settings mapping gives (``UPDATE_ENDPOINT``, ``GRAPH_STORE_ENDPOINT``,
        ``REMOTE_USER``, ``REMOTE_PASSWORD``, ``REMOTE_AUTH``: the server's config, or the
        environment's through :meth:`from_settings`), each overridden by the argument of the same
        name when that is not None (the command line's options)."""
        user = config["REMOTE_USER"]
        return cls(update_endpoint=update_endpoint or config["UPDATE_ENDPOINT"] or None,
                   graph_store_endpoint=graph_store_endpoint or config["GRAPH_STORE_ENDPOINT"] or None,
                   auth=auth or ((user, config["REMOTE_PASSWORD"]) if user else None),
                   auth_scheme=config["REMOTE_AUTH"] or "digest")

    @classmethod
    def from_settings(cls, update_endpoint: str | None = None, graph_store_endpoint: str | None = None,
                      auth: tuple[str, str] | None = None) -> "RemoteOptions":
        """:meth:`from_config` on the settings (``OFSTED_KG_*`` or their defaults)."""
        from . import settings
        names = ("UPDATE_ENDPOINT", "GRAPH_STORE_ENDPOINT", "REMOTE_USER", "REMOTE_PASSWORD", "REMOTE_AUTH")
        return cls.from_config({name: settings.get(name) for name in names},
                               update_endpoint, graph_store_endpoint, auth)


class RemoteStore:
    """A SPARQL 1.1 endpoint (plus its update and Graph Store endpoints) as a ``GraphStore``."""

    def __init__(self, query_endpoint: str, options: RemoteOptions = RemoteOptions(),
                 timeout: float = 120.0):
        """
        :param query_endpoint: URL of the SPARQL query endpoint (e.g. Virtuoso's ``/sparql``).
        :param options: the update side: endpoints and credentials.
        :param timeout: seconds to wait for each HTTP answer.
        """
        import requests
        self.query_endpoint = query_endpoint
        self.update_endpoint = options.update_endpoint or query_endpoint
        self.graph_store_endpoint = options.graph_store_endpoint or self.update_endpoint
        self.timeout = timeout
        self.session = requests.Session()
        self.auth = None
        if options.auth is not None:
            from requests.auth import HTTPBasicAuth, HTTPDigestAuth
            scheme = HTTPDigestAuth if options.auth_scheme == "digest" else HTTPBasicAuth
            self.auth = scheme(*options.auth)
        self.read_only = False

    # -- HTTP ----------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, auth=None, **kw):
        import requests
        try:
            response = self.session.request(method, url, auth=auth, timeout=self.timeout, **kw)
        except requests.RequestException as exc:
            raise RemoteUnreachable(f"{method} {url}: {exc}") from None
        data = kw.get("data")
        if response.status_code == 400 and isinstance(data, dict) and ("query" in data or "update" in data):
            raise RemoteQuerySyntaxError(_message(response))
        if response.status_code >= 300:
            raise RemoteStoreError(f"{method} {url}: HTTP {response.status_code}: {_message(response)}")
        return response

    def _update(self, sparql_update: str) -> None:
        self._send("POST", self.update_endpoint, auth=self.auth, data={"update": sparql_update},
                   headers={"Accept": "*/*"})

    def update(self, sparql_update: str) -> None:
        """Send a SPARQL update to the update endpoint, with the store's credentials.

        :raise RemoteQuerySyntaxError: the endpoint found the update malformed (HTTP 400).
        :raise RemoteUnreachable: no answer (connection failed or timed out).
        :raise RemoteStoreError: any other refusal (e.g. HTTP 401/403 for missing rights).
        """
        self._update(sparql_update)

    # -- reading -------------------------------------------------------------------------

    def query(self, sparql: str, substitutions: dict | None = None, *, default_graph=None,
              named_graphs=None, use_default_graph_as_union: bool | None = None):
        """Run a query; answer like ``pyoxigraph.Store.query``.

        :param substitutions: ``{Variable: term}``, bound with VALUES (see the module docstring).
        :param default_graph: graph IRI(s) for ``default-graph-uri``; without it the endpoint's
            default graph is used, which for Virtuoso is the union of all graphs, as the embedded
            store's ``use_default_graph_as_union``.
        :return: ``QuerySolutions``, ``QueryBoolean`` or a list of ``Triple``.
        :raise RemoteQuerySyntaxError: the endpoint found the query malformed.
        :raise RemoteStoreError: any other refusal, or no answer.
        """
        if use_default_graph_as_union is False and default_graph is None:
            raise ValueError("a remote endpoint chooses its own default graph: name it with default_graph")
        text = bind_values(sparql, substitutions)
        form = query_form(text)
        params = []
        for key, value in (("default-graph-uri", default_graph), ("named-graph-uri", named_graphs)):
            for g in ([value] if isinstance(value, (str, ox.NamedNode)) else value or ()):
                params.append((key, g.value if isinstance(g, ox.NamedNode) else str(g)))
        tabular = form in ("SELECT", "ASK")
        response = self._send("POST", self.query_endpoint, data={"query": text}, params=params,
                              headers={"Accept": ACCEPT_RESULTS if tabular else NTRIPLES})
        media = media_type(response.headers.get("Content-Type"))
        if tabular and wants_json(response.content, media):
            response = self._send("POST", self.query_endpoint, data={"query": text}, params=params,
                                  headers={"Accept": RESULTS_JSON})
            media = media_type(response.headers.get("Content-Type"))
        try:
            if tabular:
                return parse_results(response.content, media)
            return parse_triples(response.content, media)
        except ValueError as exc:
            raise RemoteStoreError(str(exc)) from None

    def document_hash(self, document_iri: str) -> str | None:
        for row in self.query(HASH_OF, {ox.Variable("g"): ox.NamedNode(document_iri),
                                        ox.Variable("sha256"): SHA256}):
            return row["hash"].value
        return None

    def document_with_hash(self, sha256: str) -> str | None:
        """The document already stored from a file with this SHA-256, if any."""
        for row in self.query(HASH_OF, {ox.Variable("hash"): ox.Literal(sha256),
                                        ox.Variable("sha256"): SHA256}):
            return row["g"].value
        return None

    def named_graphs(self) -> list[str]:
        """Every named graph but staging graphs and the server's own (``SYSTEM_GRAPHS``)."""
        graphs = (r["g"].value for r in self.query(GRAPHS) if isinstance(r["g"], ox.NamedNode))
        return sorted(g for g in graphs if not g.startswith(STAGING_PREFIX) and g not in SYSTEM_GRAPHS)

    def graph_quads(self, graph_iri: str, page_size: int = PAGE_SIZE) -> Iterator[ox.Quad]:
        """Every triple of one named graph, as quads, counted first and read in pages.

        A graph of up to ``page_size`` triples is one CONSTRUCT; a bigger one is read with
        ``LIMIT``/``OFFSET`` and no ``ORDER BY``: Virtuoso refuses a sorted page past its 10,000th
        row (error SR353), and it returns an unsorted scan of one graph in index order. Since
        the protocol does not promise a stable order, and endpoints cap answers without failing
        (Virtuoso's ``ResultSetMaxRows``, 10,000 in its stock ini), the distinct triples read
        are checked against the count, and a repeated triple is not passed on twice.

        :raise RemoteStoreError: fewer distinct triples than counted (a cap on result rows
            below ``page_size``, pages that overlapped, or a graph that changed while read).
        """
        graph = ox.NamedNode(graph_iri)
        binding = {ox.Variable("g"): graph}
        expected = next((int(r["n"].value) for r in self.query(GRAPH_SIZE, binding)), 0)
        if expected <= page_size:
            pages = [GRAPH_TRIPLES]
        else:   # only integers we computed go into the text
            pages = [f"{GRAPH_TRIPLES} LIMIT {int(page_size)} OFFSET {offset}"
                     for offset in range(0, expected, page_size)]
        seen: set[int] = set()
        for text in pages:
            for triple in self.query(text, binding):
                key = hash(triple)
                if key not in seen:
                    seen.add(key)
                    yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)
        if len(seen) != expected:
            raise RemoteStoreError(f"graph {graph_iri}: read {len(seen)} distinct triples of the "
                                   f"{expected} the endpoint counts (a cap on result rows, pages "
                                   f"in an unstable order, or the graph changed meanwhile)")

    def __len__(self) -> int:
        """Quads in every graph the endpoint holds (for Virtuoso, its system graphs too)."""
        for row in self.query(COUNT):
            return int(row["n"].value)
        return 0

    # -- writing -------------------------------------------------------------------------

    def replace_graphs(self, graphs: dict[str, bytes],
                       edits: dict[str, tuple[bytes, bytes]] | None = None) -> None:
        """Replace each named graph (IRI -> N-Triples bytes): stage with PUT, move in one update.

        :param edits: not supported here (a remote store is reconciled at the end of the run).
        :raise ValueError: ``edits`` were given.
        :raise RemoteStoreError: a PUT or the update was refused; the targets are unchanged
            (unless the update itself half-applied, which Virtuoso's transactions prevent).
        """
        if edits:
            raise ValueError("a remote store takes no edits beside a replace")
        run = uuid.uuid4().hex
        staged: list[str] = []
        operations = []
        try:
            for n, (graph_iri, ntriples) in enumerate(graphs.items()):
                target = ox.NamedNode(graph_iri)
                if not ntriples.strip():
                    operations.append(f"DROP SILENT GRAPH {target}")
                    continue
                staging = ox.NamedNode(f"{STAGING_PREFIX}{run}:{n}")
                staged.append(staging.value)
                self._send("PUT", self.graph_store_endpoint, auth=self.auth,
                           params={"graph": staging.value}, data=ntriples,
                           headers={"Content-Type": "text/turtle; charset=utf-8"})
                operations.append(f"MOVE SILENT GRAPH {staging} TO GRAPH {target}")
            if operations:
                self._update(" ;\n".join(operations))
        except BaseException:
            self._drop(staged)
            raise

    def remove_graphs(self, graph_iris: Iterable[str]) -> None:
        drops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graph_iris]
        if drops:
            self._update(" ;\n".join(drops))

    def drop_staging(self) -> list[str]:
        """Drop staging graphs a dead client left behind; returns their IRIs. Only call this
        when no other ingest is writing to the store (theirs look the same)."""
        left = [r["g"].value for r in self.query(GRAPHS)
                if isinstance(r["g"], ox.NamedNode) and r["g"].value.startswith(STAGING_PREFIX)]
        self._drop(left)
        return left

    def _drop(self, graph_iris: list[str]) -> None:
        if not graph_iris:
            return
        try:
            self.remove_graphs(graph_iris)
        except RemoteStoreError:
            pass   # the original failure matters more; drop_staging() can clear them later

    def flush(self) -> None:
        """Nothing to do: the server commits each update."""

    def close(self) -> None:
        self.session.close()


def _message(response) -> str:
    text = response.text.strip()
    return " ".join(text.split())[:500] or response.reason
