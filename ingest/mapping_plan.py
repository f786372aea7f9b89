"""Map an ``ImprovementPlan`` to RDF: themes, outcome statements, actions, KPIs, targets and
the plan's RAG scheme, with action -> KPI links where the cited KPI exists (every printed KPI
reference is kept as ``ofs:kpiRef``, so dangling ones stay visible to SHACL)."""
from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from core import iris
from core.authorities import Register
from core.iris import slug
from .graphbuild import (OFS, GraphBuilder, Mapped, date_literal, decimal_literal, month_literal,
                         resolve_authority)
from .model import Action, ImprovementPlan, RawDocument


def map_plan(plan: ImprovementPlan, raw: RawDocument, register: Register) -> Mapped:
    """One improvement plan's graph: the plan, its RAG scheme, KPIs, themes and actions.

    :raise UnknownAuthority: when the register does not know the plan's authority.
    """
    a = resolve_authority(register, plan.authority_name, raw.path)
    plan_iri = URIRef(iris.plan(a.gss_code, plan.issued, plan.title))
    when = plan.issued.isoformat()[:7] if plan.issued else raw.sha256[:12]
    doc_iri = iris.document(f"{a.gss_code}-plan-{when}-{slug(plan.title, 40)}")
    b = GraphBuilder(raw, doc_iri)
    map_plan_core(b, plan, plan_iri, b.authority(a))
    map_rag_scheme(b, plan, plan_iri)
    kpi_nodes = map_kpis(b, plan, plan_iri)
    map_themes(b, plan, plan_iri, kpi_nodes)
    return Mapped(doc_iri, b.g, subject_iris=[str(plan_iri)], external_iris=b.external, warnings=list(plan.warnings))


def map_plan_core(b: GraphBuilder, plan: ImprovementPlan, plan_iri: URIRef, la: URIRef) -> None:
    """The document and the plan it describes: title, authority, issue date, version, period."""
    b.document(plan.title, plan.framework)
    g = b.g
    g.add((b.doc, OFS.describes, plan_iri))
    g.add((plan_iri, RDF.type, OFS.ImprovementPlan))
    g.add((plan_iri, RDFS.label, Literal(plan.title, lang="en")))
    g.add((plan_iri, DCTERMS.title, Literal(plan.title)))
    g.add((plan_iri, OFS.planOf, la))
    g.add((plan_iri, PROV.wasDerivedFrom, b.doc))
    b.add(plan_iri, DCTERMS.issued, date_literal(plan.issued))
    b.add(plan_iri, OFS.version, plan.version)
    b.add(plan_iri, OFS.period, plan.period)
    b.add(plan_iri, OFS.respondsToMonth, month_literal(plan.responds_to_month))


def map_rag_scheme(b: GraphBuilder, plan: ImprovementPlan, plan_iri: URIRef) -> None:
    """The plan's own RAG statuses as a SKOS concept scheme (nothing when it prints none)."""
    if not plan.rag_scheme:
        return
    g = b.g
    scheme = URIRef(f"{plan_iri}/rag")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(f"RAG statuses of {plan.title}", lang="en")))
    g.add((plan_iri, OFS.ragScheme, scheme))
    for r in plan.rag_scheme:
        c = URIRef(iris.part(str(plan_iri), "rag", r.label))
        g.add((c, RDF.type, OFS.RAGStatus))
        g.add((c, SKOS.inScheme, scheme))
        g.add((c, SKOS.prefLabel, Literal(r.label, lang="en")))
        g.add((c, SKOS.definition, Literal(r.description, lang="en")))
        g.add((c, OFS.order, Literal(r.order, datatype=XSD.integer)))


def map_kpis(b: GraphBuilder, plan: ImprovementPlan, plan_iri: URIRef) -> dict[str, URIRef]:
    """The plan's KPIs with their targets.

    :return: lower-cased KPI ref -> KPI node, for linking actions to what measures them.
    """
    g = b.g
    kpi_nodes: dict[str, URIRef] = {}
    for k in plan.kpis:
        node = URIRef(iris.part(str(plan_iri), "kpi", k.ref))
        kpi_nodes[k.ref.lower()] = node
        g.add((node, RDF.type, OFS.KPI))
        g.add((plan_iri, OFS.hasKPI, node))
        g.add((node, OFS.ref, Literal(k.ref)))
        g.add((node, OFS.measureName, Literal(k.measure)))
        g.add((node, RDFS.label, Literal(f"KPI {k.ref}: {k.measure}", lang="en")))
        b.add(node, OFS.owner, k.owner)
        b.add(node, OFS.frequency, k.frequency)
        b.add(node, OFS.baseline, k.baseline)
        for i, t in enumerate(k.targets, start=1):
            tn = URIRef(f"{node}/target/{i}")
            g.add((tn, RDF.type, OFS.Target))
            g.add((node, OFS.hasTarget, tn))
            g.add((tn, OFS.printedValue, Literal(t.printed)))
            b.add(tn, OFS.targetValue, decimal_literal(t.value))
            b.add(tn, OFS.unit, t.unit)
            b.add(tn, OFS.denominator, decimal_literal(t.denominator))
            b.add(tn, OFS.due, t.due)
            b.add(tn, OFS.dueMonth, month_literal(t.due_date))
        b.provenance(node, k.source)
    return kpi_nodes


def map_themes(b: GraphBuilder, plan: ImprovementPlan, plan_iri: URIRef, kpi_nodes: dict[str, URIRef]) -> None:
    """The plan's themes with their outcome statements and actions (sub-actions linked last)."""
    g = b.g
    action_nodes: dict[str, URIRef] = {}
    for theme in plan.themes:
        tn = URIRef(iris.part(str(plan_iri), "theme", theme.number))
        g.add((tn, RDF.type, OFS.Theme))
        g.add((plan_iri, OFS.hasTheme, tn))
        g.add((tn, OFS.ref, Literal(theme.number)))
        g.add((tn, DCTERMS.title, Literal(theme.title)))
        g.add((tn, RDFS.label, Literal(f"Theme {theme.number}: {theme.title}", lang="en")))
        if theme.outcome_statement:
            on = URIRef(f"{tn}/outcome")
            g.add((on, RDF.type, OFS.OutcomeStatement))
            g.add((tn, OFS.hasOutcomeStatement, on))
            g.add((on, OFS.text, Literal(theme.outcome_statement)))
            b.provenance(on, theme.source)
        b.provenance(tn, theme.source)
        for act in theme.actions:
            action_nodes[act.ref] = map_action(b, act, plan_iri, tn, kpi_nodes)
    for theme in plan.themes:
        for act in theme.actions:
            if act.parent_ref and act.parent_ref in action_nodes:
                g.add((action_nodes[act.ref], OFS.subActionOf, action_nodes[act.parent_ref]))


def map_action(b: GraphBuilder, act: Action, plan_iri: URIRef, theme: URIRef,
               kpi_nodes: dict[str, URIRef]) -> URIRef:
    """One action of a theme: its text, due date, lead, and the KPIs it cites.

    :return: the action node.
    """
    g = b.g
    an = URIRef(iris.part(str(plan_iri), "action", act.ref))
    g.add((an, RDF.type, OFS.Action))
    g.add((theme, OFS.hasAction, an))
    g.add((an, OFS.ref, Literal(act.ref)))
    g.add((an, OFS.text, Literal(act.text)))
    g.add((an, RDFS.label, Literal(f"{act.ref} {act.text}"[:140], lang="en")))
    b.add(an, OFS.due, act.due)
    b.add(an, OFS.dueMonth, month_literal(act.due_date))
    b.add(an, OFS.leadRole, act.lead)
    for ref in act.kpi_refs:
        g.add((an, OFS.kpiRef, Literal(ref)))
        for target in kpi_targets(kpi_nodes, ref):
            g.add((an, OFS.measuredBy, target))
    b.provenance(an, act.source)
    return an


def kpi_targets(kpi_nodes: dict, ref: str) -> list:
    """The KPI nodes an action's KPI ref names: the KPI itself, or, for a group ref such as
    "1" where the table lists 1a-1e, every KPI of the group."""
    key = ref.lower()
    if key in kpi_nodes:
        return [kpi_nodes[key]]
    return [node for k, node in sorted(kpi_nodes.items()) if k[:-1] == key and k[-1:].isalpha()]

