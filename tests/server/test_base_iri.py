"""The app's BASE_IRI reaches canned-query parameters: an authority named in a request is the
authority under this deployment's base, not under the environment's or the default one."""
from __future__ import annotations

import csv
import io

import pytest

from .conftest import make_app

OTHER_BASE = "https://data.example.gov.uk/ofsted/"


@pytest.fixture(scope="module")
def other_base_app(store_path, tmp_path_factory):
    app = make_app(store_path, BASE_IRI=OTHER_BASE, QUERY_PROCESSES=1,
                   DUMPS_DIR=str(tmp_path_factory.mktemp("dumps")))
    yield app
    app.extensions["ofsted_kg"].pool.close()


def test_the_editor_binds_an_authority_under_the_apps_base(client, other_base_app):
    path = "/editor?canned=judgements&authority_filter=Bristol"
    ours = other_base_app.test_client().get(path).get_data(as_text=True)
    default = client.get(path).get_data(as_text=True)
    assert OTHER_BASE + "id/authority/E06000023" in ours
    assert "https://w3id.org/ofsted-kg/id/authority/E06000023" not in ours
    assert "https://w3id.org/ofsted-kg/id/authority/E06000023" in default


def test_a_canned_query_page_looks_the_authority_up_under_the_apps_base(client, other_base_app):
    """The corpus was minted under the default base: on a deployment with another base, Bristol
    under that base has no judgements (before, the parameter kept the default base and found them)."""
    path = "/queries/judgements.csv?authority_filter=Bristol&_size=max"
    default = client.get(path)
    ours = other_base_app.test_client().get(path)
    assert default.status_code == ours.status_code == 200
    default_rows = list(csv.DictReader(io.StringIO(default.get_data(as_text=True))))
    assert len(default_rows) >= 5 and {r["gss_code"] for r in default_rows} == {"E06000023"}
    assert list(csv.DictReader(io.StringIO(ours.get_data(as_text=True)))) == []


def test_exported_dumps_describe_the_configured_base(tmp_path, monkeypatch):
    """``export --dumps`` (no app) takes the data's base from OFSTED_KG_BASE_IRI, as ingest did."""
    import rdflib

    from core.store import open_store
    from server.dumps import write_dumps
    monkeypatch.setenv("OFSTED_KG_BASE_IRI", OTHER_BASE)
    monkeypatch.setenv("OFSTED_KG_PUBLISHER", "Example Council")
    store = open_store(tmp_path / "empty")
    try:
        write_dumps(store, tmp_path / "portal")
    finally:
        store.close()
    void = rdflib.Graph().parse(tmp_path / "portal" / "void.ttl", format="turtle")
    assert set(void.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#uriSpace"))) == \
        {rdflib.Literal(OTHER_BASE + "id/")}
    assert rdflib.Literal("Example Council") in set(void.objects())
