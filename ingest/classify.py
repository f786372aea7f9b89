"""``Document`` -> ``Classification``: which framework a document belongs to, and why.

It asks every registered framework (``ingest/frameworks``, ``FrameworkSpec.recognise``) in
their declared order whether the cover is theirs; the first that says yes wins, with the
evidence it gives. Recognisers read only the opening blocks (the cover and title) plus a few
structural signs; they never parse. A document that no framework recognises raises
``UnclassifiedDocument`` rather than going to a best-guess parser.
"""
from __future__ import annotations

from dataclasses import dataclass

from .frameworks import broken, specs
from .frameworks.spec import cover_text
from .model import Document, Framework, UnclassifiedDocument

@dataclass(frozen=True)
class Classification:
    framework: Framework
    evidence: str


def classify(doc: Document) -> Classification:
    """Decide the framework of a normalised document.

    :return: the framework and the evidence that decided it.
    :raise UnclassifiedDocument: when no framework recognises the cover.
    """
    cover = cover_text(doc)
    for spec in specs().values():
        if spec.recognise is None:
            continue
        evidence = spec.recognise(doc, cover)
        if evidence:
            return Classification(spec.framework, evidence)
    first = next((b.text for b in doc.blocks if b.text.strip()), "")
    missing = f"; framework modules that failed to load: {', '.join(sorted(broken()))}" if broken() else ""
    raise UnclassifiedDocument(doc.path, "not a recognised Ofsted report, visit letter, improvement "
                                         f"plan or outcomes table (starts {first[:60]!r}){missing}")
