"""The vocabulary both sides share: namespaces, the ontology IRI, prefixes and grade words.

Plain strings (no rdflib, no pyoxigraph), so ingest wraps them in ``rdflib.Namespace`` and the
server in ``pyoxigraph.NamedNode`` as each needs. The ontology's IRIs are fixed; data IRIs are
minted by ``core/iris.py`` under the configurable base (``core.settings``, ``BASE_IRI``).
``.rq`` files keep their own ``PREFIX`` lines (they are data); a test checks they agree with
:data:`PREFIXES`.
"""
from __future__ import annotations

import functools

#: the default base of data IRIs (``OFSTED_KG_BASE_IRI`` overrides it)
DEFAULT_BASE_IRI = "https://w3id.org/ofsted-kg/"

# ------------------------------------------------------------------ the project's own terms

ONTOLOGY_IRI = "https://w3id.org/ofsted-kg/def"          # also the ontology's named graph
OFS = ONTOLOGY_IRI + "#"                                   # classes and properties
SHAPES_IRI = "https://w3id.org/ofsted-kg/shapes"          # the SHACL shapes (served at /shapes)
SHAPES = SHAPES_IRI + "#"
AREA = ONTOLOGY_IRI + "/area/"                             # concept schemes (ontology/concepts.ttl)
GRADE = ONTOLOGY_IRI + "/grade/"
FRAMEWORK = ONTOLOGY_IRI + "/framework/"
ROLE = ONTOLOGY_IRI + "/role/"
NATIONAL_FRAMEWORK = ONTOLOGY_IRI + "/national-framework/"
ROW = ONTOLOGY_IRI + "/row/"                               # the flat graph's columns, per table

# ------------------------------------------------------------------ vocabularies reused

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
QB = "http://purl.org/linked-data/cube#"
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
SKOS_PREF_LABEL = SKOS + "prefLabel"

#: prefix -> namespace for Turtle output, service descriptions and IRIs shown as prefixed names
PREFIXES = {
    "ofs": OFS, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS,
    "dcterms": DCTERMS, "prov": PROV, "sh": SH, "dcat": DCAT, "void": VOID, "sd": SD, "foaf": FOAF,
}

#: the project's concept schemes, added to :data:`PREFIXES` where names are shown to people
CONCEPT_PREFIXES = {"area": AREA, "grade": GRADE, "framework": FRAMEWORK, "role": ROLE,
                    "nf": NATIONAL_FRAMEWORK}

# ------------------------------------------------------------------ grades

#: a grade word, as printed by any framework (lower case, single spaces) -> its rank (1 best)
GRADE_RANKS = {"outstanding": 1, "good": 2, "adequate": 3, "satisfactory": 3, "requires improvement": 3,
               "requires improvement to be good": 3, "inadequate": 4}

#: rank -> the words that stand for it in legends (the middle grade has a word per framework)
GRADE_LEGEND = ((1, "Outstanding"), (2, "Good"), (3, "Requires improvement / Adequate"), (4, "Inadequate"))

#: the grade words a form offers
GRADE_CHOICES = ("Outstanding", "Good", "Requires improvement", "Adequate", "Inadequate")


@functools.lru_cache(maxsize=4096)
def grade_rank(text: str) -> int | None:
    """The rank of a grade word (kept per text: table cells, facets and sorts ask it of the same
    few words thousands of times a page; a 100-row page's cells 2.54 -> 2.38 ms).

    :param text: a grade word in any case, with spaces or hyphens (``Requires improvement to be
        good``, ``requires-improvement``).
    :return: 1 (outstanding) to 4 (inadequate), or None when ``text`` is no grade word.
    """
    key = " ".join(str(text).lower().replace("-", " ").split())
    return GRADE_RANKS.get(key)
