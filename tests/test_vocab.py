"""The one vocabulary module agrees with the ontology, the concept schemes and every .rq file,
and no other module writes the project's namespaces out again."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from core import vocab

ROOT = Path(__file__).resolve().parents[1]
PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>", re.I | re.M)
CODE_FOLDERS = ("ingest", "server", "tools", "bench", "queries", "core", "ontology", "shapes")


def _rq_files() -> list[Path]:
    return sorted(p for folder in ("queries", "ingest") for p in (ROOT / folder).rglob("*.rq"))


def test_the_ontology_is_declared_under_the_vocabulary_iri():
    g = Graph().parse(ROOT / "ontology" / "ofsted.ttl")
    assert (URIRef(vocab.ONTOLOGY_IRI), RDF.type, OWL.Ontology) in g
    assert dict(g.namespaces())["ofs"] == URIRef(vocab.OFS)


def test_grade_ranks_are_the_concept_schemes_ranks():
    g = Graph().parse(ROOT / "ontology" / "concepts.ttl")
    ofs = Namespace(vocab.OFS)
    grades = list(g.subjects(RDF.type, ofs.Grade))
    assert len(grades) >= 12                      # three scales of four grades
    labels = set()
    for grade in grades:
        assert str(grade).startswith(vocab.GRADE)
        rank = int(g.value(grade, ofs.rank))
        label = str(g.value(grade, SKOS.prefLabel))
        labels.add(label.lower())
        assert vocab.grade_rank(label) == rank, label
        assert vocab.grade_rank(str(g.value(grade, SKOS.notation))) == rank, grade
    # the table holds no word that no scale uses, and every choice a form offers has a rank
    assert set(vocab.GRADE_RANKS) == labels
    assert all(vocab.grade_rank(word) for word in vocab.GRADE_CHOICES)
    assert vocab.grade_rank("Requires-improvement-to-be-good") == 3
    assert vocab.grade_rank("not judged") is None


def test_concept_prefixes_name_the_concept_schemes():
    g = Graph().parse(ROOT / "ontology" / "concepts.ttl")
    schemes = {str(s) for s in g.subjects(RDF.type, SKOS.ConceptScheme)}
    for prefix, namespace in vocab.CONCEPT_PREFIXES.items():
        used = {str(s) for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(namespace)}
        assert used, f"no concept of ontology/concepts.ttl is under {prefix}: <{namespace}>"
    assert any(s.startswith(vocab.GRADE) for s in schemes)


@pytest.mark.parametrize("rq", _rq_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_rq_prefixes_are_the_vocabulary_prefixes(rq: Path):
    known = {**vocab.PREFIXES, **vocab.CONCEPT_PREFIXES}
    for prefix, namespace in PREFIX_LINE.findall(rq.read_text(encoding="utf-8")):
        if prefix in known:
            assert namespace == known[prefix], f"{rq.name}: PREFIX {prefix}: <{namespace}>"
        elif prefix == "row":                      # the flat graph: one namespace per table
            assert namespace.startswith(vocab.ROW), f"{rq.name}: PREFIX row: <{namespace}>"
        else:
            assert not namespace.startswith(vocab.ONTOLOGY_IRI), \
                f"{rq.name}: PREFIX {prefix}: <{namespace}> is none of core.vocab's namespaces"


def test_no_module_but_core_vocab_writes_the_project_namespaces():
    """The ontology IRI and the SHACL namespace are written as string literals only in
    core/vocab.py (docstrings and SPARQL PREFIX lines may mention them)."""
    literals = re.compile(r"""["'](?:https://w3id\.org/ofsted-kg/(?:def|shapes)|http://www\.w3\.org/ns/shacl#)""")
    found = [f"{path.relative_to(ROOT)}:{n}"
             for folder in CODE_FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))
             if path != ROOT / "core" / "vocab.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if literals.search(line)]
    assert found == []



def test_the_parsers_grade_pattern_reads_every_grade_word_as_its_concept():
    """``ingest.patterns`` reads grades as printed; each word of the vocabulary is read whole,
    as the notation of a concept of the same rank."""
    from ingest.patterns import GRADE_WORDS, grade_key
    g = Graph().parse(ROOT / "ontology" / "concepts.ttl")
    ofs = Namespace(vocab.OFS)
    rank_of_notation = {str(g.value(c, SKOS.notation)): int(g.value(c, ofs.rank))
                        for c in g.subjects(RDF.type, ofs.Grade)}
    for word, rank in vocab.GRADE_RANKS.items():
        assert GRADE_WORDS.fullmatch(word.capitalize()), word
        assert rank_of_notation[grade_key(word.capitalize())] == rank, word


def test_canned_grade_parameters_offer_only_grade_words():
    import queries
    grade_params = [(q.name, p) for q in queries.load_all().values() for p in q.params if p.type == "grade"]
    assert grade_params
    for name, p in grade_params:
        for word in (*p.allowed, p.default, p.example):
            assert word is None or vocab.grade_rank(word), f"{name}: {p.name} offers {word!r}"


def test_every_ofs_term_the_code_writes_or_asks_is_declared_in_the_ontology():
    """``OFS.name`` in the Python code and ``ofs:name`` in the queries are classes or properties
    of ``ontology/ofsted.ttl`` (a term added to the mapping without its declaration fails here)."""
    declared = {str(s)[len(vocab.OFS):] for s in Graph().parse(ROOT / "ontology" / "ofsted.ttl").subjects()
                if str(s).startswith(str(vocab.OFS))}
    used: dict[str, str] = {}
    for folder in ("ingest", "server", "core"):
        for path in (ROOT / folder).rglob("*.py"):
            for name in re.findall(r"\bOFS\.([A-Za-z]\w*)\b", path.read_text(encoding="utf-8")):
                used.setdefault(name, str(path.relative_to(ROOT)))
    for path in _rq_files():
        for name in re.findall(r"\bofs:([A-Za-z]\w*)\b", path.read_text(encoding="utf-8")):
            used.setdefault(name, str(path.relative_to(ROOT)))
    missing = {name: where for name, where in used.items() if name not in declared}
    assert len(used) > 50 and not missing
