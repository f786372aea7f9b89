"""Entity pages and their RDF twins carry an ETag like canned pages: asked again they are the
bytes kept since the store last changed, If-None-Match gets 304 (varying on Accept), and
another format or argument is another tag."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

AUTHORITY = "/doc/authority/E06000023"          # Bristol, in the corpus


@pytest.mark.parametrize("path,accept", [(AUTHORITY, "text/html"), (AUTHORITY, "text/turtle"),
                                          (AUTHORITY + ".ttl", None)])
def test_an_entity_page_is_kept_and_revalidated(client, path, accept):
    headers = {"Accept": accept} if accept else {}
    first = client.get(path, headers=headers)
    assert first.status_code == 200 and first.headers.get("ETag")
    again = client.get(path, headers=headers)
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    unchanged = client.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert "Accept" in unchanged.headers.get("Vary", "")


def test_formats_and_entities_have_their_own_tags(client):
    html = client.get(AUTHORITY, headers={"Accept": "text/html"})
    turtle = client.get(AUTHORITY, headers={"Accept": "text/turtle"})
    other = client.get("/doc/authority/E10000013", headers={"Accept": "text/html"})   # Gloucestershire
    assert len({html.headers["ETag"], turtle.headers["ETag"], other.headers["ETag"]}) == 3
    assert b"Bristol" in html.get_data() and b"Gloucestershire" in other.get_data()
    graph = ox.Store()
    graph.load(turtle.get_data(), format=ox.RdfFormat.TURTLE)
    assert len(graph) > 10
    # a tag for one format is no 304 for the other
    assert client.get(AUTHORITY, headers={"Accept": "text/turtle", "If-None-Match": html.headers["ETag"]}
                      ).status_code == 200


def test_an_unknown_entity_is_still_404_and_not_kept(client):
    for _ in range(2):
        missing = client.get("/doc/authority/E99999999", headers={"Accept": "text/html"})
        assert missing.status_code == 404 and not missing.headers.get("ETag")
