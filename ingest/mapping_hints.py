"""map: a document's hints (``model.DocumentHints``: where it was listed and downloaded, the
date its listing gives) -> triples about the document node, kept with the document's graph."""
from __future__ import annotations

from rdflib import Graph, URIRef

from .mapping import OFS
from .model import DocumentHints, Parsed, Report


def apply_listed_date(parsed: Parsed, hints: DocumentHints | None) -> bool:
    """Give a report that prints no publication date the date its listing gives.

    :return: True when the listed date was used (its source then goes into provenance).
    """
    if hints is None or hints.listed_published is None:
        return False
    if not isinstance(parsed, Report) or parsed.published is not None:
        return False
    parsed.published = hints.listed_published
    return True


def hint_graph(document_iri: str, hints: DocumentHints | None, listed_date_used: bool) -> Graph:
    """Provenance from the hints: the download URL, and the listing page when its date was used."""
    g = Graph()
    if hints is None:
        return g
    doc = URIRef(document_iri)
    if hints.downloaded_from:
        g.add((doc, OFS.downloadedFrom, URIRef(hints.downloaded_from)))
    if listed_date_used and hints.listed_on:
        g.add((doc, OFS.publicationDateListedOn, URIRef(hints.listed_on)))
    return g
