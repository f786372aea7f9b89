"""Parsing a remote endpoint's SPARQL XML results: what pyoxigraph alone gets wrong is repaired.
(tests/remote/test_result_formats.py compares XML with JSON on a real Virtuoso.)"""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from core.remote_results import RESULTS_JSON, RESULTS_XML, parse_results, wants_json

HEAD = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        b'<head><variable name="x"/></head><results>')


def _xml(*cells: bytes) -> bytes:
    rows = b"".join(b'<result><binding name="x">' + c + b"</binding></result>" for c in cells)
    return HEAD + rows + b"</results></sparql>"


def test_whitespace_at_a_literals_ends_is_kept():
    body = _xml(b"<literal>  a b  </literal>", b"<literal>\n\tx\r\n</literal>", b"<literal>   </literal>",
                b'<literal xml:lang="en"> hi</literal>', b'<literal datatype="http://ex/dt">1 </literal>',
                b"<literal>a &amp; b</literal>", b"<literal></literal>")
    assert [row["x"] for row in parse_results(body, RESULTS_XML)] == [
        ox.Literal("  a b  "), ox.Literal("\n\tx\r\n"), ox.Literal("   "), ox.Literal(" hi", language="en"),
        ox.Literal("1 ", datatype=ox.NamedNode("http://ex/dt")), ox.Literal("a & b"), ox.Literal("")]


def test_virtuoso_blank_node_labels():
    rows = list(parse_results(_xml(b"<bnode>nodeID://b10</bnode>", b"<bnode>nodeID://b10</bnode>"),
                              RESULTS_XML))
    assert rows[0]["x"] == rows[1]["x"] == ox.BlankNode("b10")


def test_cdata_is_asked_for_again_as_json():
    body = _xml(b'<literal datatype="http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral">'
                b"<![CDATA[&lt;b&gt;x&lt;/b&gt;]]></literal>")
    assert wants_json(body, RESULTS_XML)
    assert not wants_json(_xml(b"<literal>x</literal>"), RESULTS_XML)
    assert not wants_json(b'{"head": {}, "boolean": true}', RESULTS_JSON)


def test_other_media_types_are_refused():
    with pytest.raises(ValueError):
        parse_results(b"x\n1\n", "text/csv")
