"""Content negotiation, as a table (Oxigraph's get_query_accept_* cases, in one function)."""
from __future__ import annotations

import pytest

from core import formats as render
from core.negotiate import NotAcceptable, negotiate

RESULTS = render.media_types(render.RESULT_FORMATS)
RDF = render.media_types(render.RDF_FORMATS)


@pytest.mark.parametrize("accept, supported, expected", [
    (None, RESULTS, "json"),
    ("", RESULTS, "json"),
    ("*/*", RESULTS, "json"),
    ("application/sparql-results+xml", RESULTS, "xml"),
    ("application/xml", RESULTS, "xml"),
    ("text/csv, application/sparql-results+json;q=0.9", RESULTS, "csv"),
    ("text/*;q=0.9, text/tab-separated-values", RESULTS, "tsv"),
    ("text/*", RESULTS, "csv"),
    ("TEXT/CSV", RESULTS, "csv"),
    ("application/sparql-results+json;q=0, */*", RESULTS, "xml"),
    ("application/json", RDF, "jsonld"),
    ("application/x-turtle", RDF, "turtle"),
    ("text/plain", RDF, "ntriples"),
    ("*/*;q=0.1, application/rdf+xml", RDF, "rdfxml"),
    ("text/html, */*;q=0.8", RDF, "turtle"),
    ("text/turtle;q=bad, application/trig", RDF, "trig"),
])
def test_negotiate(accept, supported, expected):
    assert negotiate(accept, supported, next(iter(supported))) == expected


@pytest.mark.parametrize("accept", ["image/png", "text/html", "nonsense", "*/*;q=0", ";;;,,,", "text/turtle;q=2"])
def test_nothing_acceptable(accept):
    with pytest.raises(NotAcceptable) as info:
        negotiate(accept, RESULTS, "json")
    assert "application/sparql-results+json" in str(info.value)
