"""Per-document entailments equal what owlrl's RDFS closure adds for the ontology's terms."""
from __future__ import annotations

import owlrl
from rdflib import RDF, Graph, URIRef

import ontology
from ingest.reason import entailments
from tests.ingest.test_shapes import BRISTOL, graph_of

OFS = "https://w3id.org/ofsted-kg/def#"


def test_entailments_match_owlrl_on_a_document():
    data = graph_of(BRISTOL)
    ours = entailments(data)
    closed = Graph()
    closed += ontology.graph()
    closed += data
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closed)
    subjects = set(data.subjects())
    # what owlrl adds about the document's own nodes, as types and properties of the ontology's terms
    expected = {(s, p, o) for s, p, o in closed
                if s in subjects and (s, p, o) not in data and (s, p, o) not in ontology.graph()
                and isinstance(o, URIRef)
                and (p == RDF.type and not str(o).startswith("http://www.w3.org/2000/01/rdf-schema#"))}
    got = {t for t in ours if t[1] == RDF.type and t[0] in subjects}
    assert expected - got == set()
    assert len(got) > 100
    # super-property entailments (ofs:inspectionOf is a sub-property of prov:used)
    insp = next(data.subjects(RDF.type, URIRef(OFS + "SIFInspection")))
    judgement = URIRef(str(insp) + "/judgement/adoption")
    assert (judgement, URIRef(OFS + "judgementOf"), insp) in data
    assert (insp, URIRef("http://www.w3.org/ns/prov#used"), URIRef("https://w3id.org/ofsted-kg/id/authority/E06000023")) in ours


def test_a_report_entails_nothing_the_register_graph_already_holds():
    """Each statement lives in one graph: what a report entails about its authority (that it is
    an organisation, from the ranges of the properties naming it) is in the register graph
    already, so every report of that authority would otherwise repeat it in its own
    entailment graph and a COUNT over the default graph would count it once per report."""
    from ingest.prepare import prepare
    from ingest.register_graph import register_graph
    register = register_graph()
    register += entailments(register)
    prepared = prepare(BRISTOL)
    inferred = Graph().parse(data=prepared.inferred.decode("utf-8"), format="nt")
    bristol = URIRef("https://w3id.org/ofsted-kg/id/authority/E06000023")
    assert (bristol, RDF.type, URIRef("http://www.w3.org/ns/org#Organization")) in register
    repeated = [t for t in inferred if t in register]
    assert not repeated, repeated[:5]
