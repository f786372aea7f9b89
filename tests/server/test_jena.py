"""Jena's command-line clients (Debian's libapache-jena-java, installed by ``.ci/setup --test``)
against a real server on 127.0.0.1: ``rsparql`` for every query form, the protocol's dataset
(FROM) and a trailing-slash endpoint, and ``sparql --data`` reading the Graph Store. Each runs a JVM, so
they are slow; they skip when Jena or Java is absent."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import rdflib

from .sample_queries import ASK, BRISTOL, CONSTRUCT, OFS, SELECT

pytestmark = pytest.mark.slow

ONTOLOGY = "https://w3id.org/ofsted-kg/def"


#: SLF4J bindings and bridges that stop Jena at start-up when two of them are on the class path
_CLASH = ("log4j", "slf4j-simple", "slf4j-jdk14", "slf4j-jcl", "slf4j-migrator", "jcl-over", "jul-to")


def _packages(root: str) -> set[str]:
    """``root`` and the Debian Java library packages it depends on, recursively."""
    seen, todo = set(), [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        depends = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", name],
                                 capture_output=True, text=True).stdout
        for item in depends.split(","):
            dep = re.split(r"[\s(|:]", item.strip())[0]
            if dep.endswith("-java"):
                todo.append(dep)
    return seen


@pytest.fixture(scope="module")
def classpath(tmp_path_factory) -> str:
    """Jena's jars and its dependencies' (from the packages' file lists), and a folder with the
    Xerces message bundles where Debian's jena-core looks for them (its jar has them under
    ``org/apache/jena/ext/``, and Jena fails with "internal error" without them)."""
    if shutil.which("java") is None or shutil.which("dpkg-query") is None \
            or not Path("/usr/share/java/jena-core.jar").exists():
        pytest.skip("Jena is not installed: run `bash .ci/setup --test` as root (Debian's "
                    "libapache-jena-java and a Java runtime)")
    jars = []
    for package in sorted(_packages("libapache-jena-java")):
        files = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.split()
        jars += [f for f in files if f.startswith("/usr/share/java/") and f.endswith(".jar")
                 and not any(clash in f for clash in _CLASH)]
    bundles = tmp_path_factory.mktemp("jena-bundles")
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile("/usr/share/java/jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                target = bundles / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(bundles), *jars])


def jena(classpath: str, main: str, *args: str) -> str:
    """Run one of Jena's command-line classes; its standard output."""
    done = subprocess.run(["java", "-cp", classpath, main, *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_rsparql_select_json(classpath, endpoint):
    out = json.loads(jena(classpath, "arq.rsparql", "--service", endpoint, "--results", "json", SELECT))
    assert BRISTOL in [b["la"]["value"] for b in out["results"]["bindings"]]


def test_rsparql_ask_on_the_trailing_slash_endpoint(classpath, endpoint):
    out = json.loads(jena(classpath, "arq.rsparql", "--service", endpoint + "/", "--results", "json", ASK))
    assert out["boolean"] is True


def test_rsparql_construct(classpath, endpoint):
    out = jena(classpath, "arq.rsparql", "--service", endpoint, "--results", "ntriples", CONSTRUCT)
    g = rdflib.Graph().parse(data=out, format="nt")
    assert (rdflib.URIRef(BRISTOL), rdflib.RDF.type, rdflib.URIRef(OFS + "LocalAuthority")) in g


def test_rsparql_from_names_the_dataset(classpath, endpoint):
    query = (f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> "
             f"WHERE {{ <{BRISTOL}> ?p ?o }}")
    out = json.loads(jena(classpath, "arq.rsparql", "--service", endpoint, "--results", "json", query))
    assert out["results"]["bindings"][0]["n"]["value"] == "0"      # Bristol is not in the ontology


def test_arq_reads_the_graph_store(classpath, live):
    """``sparql --data URL`` fetches the graph over HTTP (content negotiation) and queries it."""
    url = f"{live.url}/rdf-graph-store?graph={ONTOLOGY}"
    out = jena(classpath, "arq.sparql", "--data", url, "--results", "json",
               f"ASK {{ <{ONTOLOGY}> a <http://www.w3.org/2002/07/owl#Ontology> }}")
    assert json.loads(out)["boolean"] is True
