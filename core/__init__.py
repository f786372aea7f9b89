"""The shared core: the one layer that both ``ingest/`` and ``server/`` import.

It holds what both sides need and neither owns: opening a store (embedded pyoxigraph or a
remote SPARQL endpoint behind one Protocol), the read and write locks, running a query with a
timeout in a killable worker, the stamp used for caching, whole-store exports, the authority
register and IRI minting, the canned-query loader, the vocabulary (namespaces, ontology IRI,
grade words) and the one settings table. ``ingest/`` and
``server/`` never import each other; the ``ofsted-kg`` command line gathers its commands from
both through a registry.
"""
