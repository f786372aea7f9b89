"""DfE statistical neighbours as RDF, loaded with the authority register.

Each authority gets ``ofs:statisticalNeighbour`` links to its ten neighbours and, to keep
their order, one ``ofs:NeighbourRanking`` node per neighbour (``.../neighbour/1`` nearest)
with the rank. The source is stated on every ranking (see ``data/authorities-neighbours.SOURCE.md``).
"""
from __future__ import annotations

import csv
import functools
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from core import iris
from .mapping import OFS

DATA = Path(__file__).parent / "data" / "authorities-neighbours.csv"
SOURCE = ("Children's services statistical neighbour benchmarking tool, Department for Education "
          "(2025 edition), Open Government Licence v3.0")


@functools.cache
def neighbour_lists() -> dict[str, tuple[str, ...]]:
    """GSS code -> its neighbours' GSS codes, nearest first."""
    with open(DATA, encoding="utf-8", newline="") as fh:
        return {row["gss_code"]: tuple(row["neighbours"].split()) for row in csv.DictReader(fh)}


def neighbours_graph() -> Graph:
    """The neighbour links and rankings of every authority in the list."""
    g = Graph()
    for gss, neighbours in neighbour_lists().items():
        la = URIRef(iris.authority(gss))
        for rank, other in enumerate(neighbours, start=1):
            node = URIRef(iris.part(str(la), "neighbour", rank))
            g.add((la, OFS.statisticalNeighbour, URIRef(iris.authority(other))))
            g.add((node, RDF.type, OFS.NeighbourRanking))
            g.add((node, OFS.neighbourOf, la))
            g.add((node, OFS.neighbour, URIRef(iris.authority(other))))
            g.add((node, OFS.neighbourRank, Literal(rank, datatype=XSD.integer)))
            g.add((node, DCTERMS.source, Literal(SOURCE)))
    return g
