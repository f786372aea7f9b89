"""The framework registry (``ingest/frameworks``): every declared framework imports, everything
it declares exists in the concept schemes of ``ontology/`` (read from the real Turtle files with
rdflib), and each has a real document that classifies to it.

A framework whose area, grade or kind has no concept would map judgements to IRIs that nothing
describes: SHACL passes but the timeline drops the inspection. ``missing`` computes what is
absent, and a test proves that it names a concept removed from a copy of the schemes.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS

import ontology
from core.canned import load_all
from ingest.classify import classify
from ingest.frameworks import broken, discover, specs
from ingest.frameworks.spec import FrameworkSpec
from ingest.graphbuild import AREA, FW, GRADE, OFS, area_concept, grade_concept
from ingest.normalise import normalise
from ingest.readers import read
from server.wording import framework_name

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

#: framework notation -> a real document of it (``corpus/`` is shipped; ``../shared`` is read in place)
FIXTURES = {
    "outcomes-table": CORPUS / "LA_Inspection_Outcomes_as_at_March_2024.ods",
    "sif": CORPUS / "bristol_2014_SIF-with-LSCB-review.txt",
    "slac-2009": CORPUS / "bradford_2012_safeguarding-and-looked-after-children.txt",
    "improvement-plan": CORPUS / "bristol_2016_improvement-plan-getting-to-good.txt",
    "focused-visit": SHARED / "corpus-dev" / "dudley_2024_focused-visit.pdf",
    "ilacs-2018": SHARED / "corpus-dev" / "dudley_2018_ILACS.pdf",
    "ilacs-2023": SHARED / "corpus-dev" / "cheshire-east_2024_ILACS.pdf",
    "ilacs-2026": SHARED / "corpus-dev" / "lancashire_2026_ILACS.pdf",
    "lac-2013": SHARED / "corpus-national" / "inspections" / "80522_medway_2013-08-23.pdf",
}
#: frameworks with no document to test against: cpi is known from spreadsheets only (it
#: declares no cover); no monitoring visit letter is in corpus/ or ../shared
WITHOUT_FIXTURE = {"cpi", "monitoring-visit"}


def concept_graph() -> rdflib.Graph:
    """A fresh, mutable copy of the ontology and concept schemes from ``ontology/``."""
    g = rdflib.Graph()
    for f in ontology.FILES:
        g.parse(f, format="turtle")
    return g


def _concept_in(g: rdflib.Graph, node, scheme, notation: str) -> bool:
    return ((node, RDF.type, SKOS.Concept) in g and (node, SKOS.inScheme, scheme) in g
            and (node, SKOS.notation, rdflib.Literal(notation)) in g)


def missing(g: rdflib.Graph, registry: dict) -> set[str]:
    """What the specs declare that the concept graph lacks, one readable line per gap.

    :param g: the ontology and concept schemes.
    :param registry: ``Framework -> FrameworkSpec`` (``ingest.frameworks.specs()``).
    :return: e.g. ``{"lac-2013: area looked-after/outcomes"}``; empty when all exist.
    """
    gaps: set[str] = set()
    for spec in registry.values():
        gaps |= _missing_of(g, spec)
    return gaps


def _missing_of(g: rdflib.Graph, spec: FrameworkSpec) -> set[str]:
    gaps = set()
    fw = FW[spec.notation]
    if not _concept_in(g, fw, FW[""], spec.notation):
        gaps.add(f"{spec.notation}: framework concept fw:{spec.notation}")
    if (fw, SKOS.altLabel, rdflib.Literal(spec.name, lang="en")) not in g:
        gaps.add(f"{spec.notation}: fw:{spec.notation} skos:altLabel {spec.name!r}@en")
    for area in spec.areas:
        if not _concept_in(g, area_concept(area), AREA[""], area):
            gaps.add(f"{spec.notation}: area {area}")
    if spec.scale is not None:
        scheme = GRADE[spec.scale.notation]
        if (scheme, RDF.type, SKOS.ConceptScheme) not in g:
            gaps.add(f"{spec.notation}: grade scale {spec.scale.notation}")
        if (fw, OFS.gradeScale, scheme) not in g:
            gaps.add(f"{spec.notation}: fw:{spec.notation} ofs:gradeScale grade:{spec.scale.notation}")
        for grade in spec.scale.grades:
            if not _concept_in(g, grade_concept(spec.scale.notation, grade), scheme, grade):
                gaps.add(f"{spec.notation}: grade {spec.scale.notation}-{grade}")
    for kind, cls in spec.kinds.items():
        if (OFS[cls], RDF.type, OWL.Class) not in g:
            gaps.add(f"{spec.notation}: kind {kind.value} class ofs:{cls}")
    if spec.document_class and (OFS[spec.document_class], RDF.type, OWL.Class) not in g:
        gaps.add(f"{spec.notation}: document class ofs:{spec.document_class}")
    return gaps


def test_every_framework_module_imports():
    assert broken() == {}
    registry = specs()
    assert len(registry) >= 11
    for spec in registry.values():
        assert spec.recognise is None or callable(spec.parse), spec.notation
        assert spec.name and spec.name != spec.notation


def test_a_broken_framework_module_does_not_stop_the_others(tmp_path, monkeypatch):
    package = tmp_path / "fw_registry_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "good.py").write_text(
        "from ingest.frameworks.spec import FrameworkSpec\n"
        "from ingest.model import Framework\n"
        "SPECS = (FrameworkSpec(Framework('probe-good'), 'A probe', order=1),)\n")
    (package / "broken.py").write_text("import a_module_that_is_not_there\n")
    (package / "helper.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    found, failed = discover("fw_registry_probe", [str(package)])
    assert [s.notation for s in found] == ["probe-good"]
    assert list(failed) == ["broken"] and "a_module_that_is_not_there" in failed["broken"]


def test_every_declared_area_grade_and_kind_is_in_the_concept_schemes():
    assert missing(concept_graph(), specs()) == set()


@pytest.mark.parametrize("removed, named", [
    (area_concept("looked-after/outcomes"), "lac-2013: area looked-after/outcomes"),
    (grade_concept("sif", "requires-improvement"), "sif: grade sif-requires-improvement"),
    (FW["cpi"], "cpi: framework concept fw:cpi"),
    (OFS.LACInspection, "lac-2013: kind lac class ofs:LACInspection"),
    (FW["lac-2013"], "lac-2013: fw:lac-2013 skos:altLabel 'Looked after children, 2013'@en"),
])
def test_missing_names_a_removed_concept(removed, named):
    g = concept_graph()
    before = len(g)
    g.remove((removed, None, None))
    assert len(g) < before
    assert named in missing(g, specs())


def test_the_lac_2013_framework_lives_in_its_module():
    """Its notation is declared once, by ``ingest/frameworks/lac_2013.py`` (and its concepts in
    ``ontology/concepts.ttl``); the registry, mapping, pages and parameter lists find it there."""
    spec = next(s for s in specs().values() if s.notation == "lac-2013")
    assert spec.parse.__module__ == "ingest.frameworks.lac_2013"
    assert [k.value for k in spec.kinds] == ["lac"] and spec.scale.notation == "slac-2009"
    mentions = [p.relative_to(ROOT) for folder in ("core", "ingest", "server", "queries")
                for p in sorted((ROOT / folder).rglob("*")) if p.suffix in (".py", ".toml", ".rq", ".html")
                and "lac-2013" in p.read_text(encoding="utf-8")]
    assert mentions == [Path("ingest/frameworks/lac_2013.py")]


def test_frameworks_sharing_a_kind_give_it_one_class():
    classes: dict[str, set[str]] = {}
    for spec in specs().values():
        for kind, cls in spec.kinds.items():
            classes.setdefault(kind.value, set()).add(cls)
    assert {k: c for k, c in classes.items() if len(c) > 1} == {}
    assert classes["lac"] == {"LACInspection"} and classes["ilacs-short"] == {"ILACSShortInspection"}


def test_pages_say_the_declared_names():
    for spec in specs().values():
        assert framework_name(spec.notation) == spec.name


def test_canned_query_choices_are_the_declared_ones():
    """The framework filter offers every graded framework (read from their concepts, not listed
    in the query's metadata); area filters offer declared areas."""
    assert _allowed("judgements", "framework_filter") == ("slac-2009", "lac-2013", "cpi", "sif",
                                                          "ilacs-2018", "ilacs-2023", "ilacs-2026")
    assert sorted(_allowed("judgements", "framework_filter")) == sorted(
        s.notation for s in specs().values() if s.scale)
    areas = {a for s in specs().values() for a in s.areas}
    assert set(_allowed("latest-grade-by-area", "area_filter")) <= areas


def _allowed(query: str, param: str) -> tuple[str, ...]:
    return next(p.allowed for p in load_all()[query].params if p.name == param)


def test_every_framework_has_a_fixture_or_says_why_not():
    declared = {s.notation for s in specs().values()}
    assert set(FIXTURES) | WITHOUT_FIXTURE == declared
    assert not set(FIXTURES) & WITHOUT_FIXTURE


def _fixture_params():
    for notation, path in FIXTURES.items():
        marks = [] if path.suffix in (".txt", ".md") else [pytest.mark.slow]
        yield pytest.param(notation, path, marks=marks, id=notation)


@pytest.mark.parametrize("notation, path", list(_fixture_params()))
def test_fixture_classifies_to_its_framework(notation, path):
    if not path.is_file():
        pytest.skip(f"{path} is absent: documents under ../shared are read in place, never committed")
    doc = normalise(read(path))
    result = classify(doc)
    assert result.framework.value == notation
    assert result.evidence
    spec = specs()[result.framework]
    parsed = spec.parse(doc)
    if hasattr(parsed, "judgements"):
        assert {j.area for j in parsed.judgements} <= set(spec.areas)
