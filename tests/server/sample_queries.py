"""The SPARQL texts and IRIs the server tests send and look for (the SPARQL protocol tests, the
real clients, Jena, the pages and the query pool share them)."""
from __future__ import annotations

OFS = "https://w3id.org/ofsted-kg/def#"
BRISTOL = "https://w3id.org/ofsted-kg/id/authority/E06000023"
SELECT = f"SELECT ?la WHERE {{ ?la a <{OFS}LocalAuthority> }} ORDER BY ?la"
ASK = f"ASK {{ <{BRISTOL}> a <{OFS}LocalAuthority> }}"
CONSTRUCT = f"CONSTRUCT {{ <{BRISTOL}> ?p ?o }} WHERE {{ <{BRISTOL}> ?p ?o }}"
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
