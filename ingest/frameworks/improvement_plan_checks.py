"""Consistency checks on a parsed improvement plan. Nothing is changed or dropped: each
inconsistency the plan prints becomes one line in ``ImprovementPlan.warnings``."""
from __future__ import annotations

import re
from collections import Counter

from .. import patterns
from ..model import Document, ImprovementPlan

_STATED_THEMES = re.compile(r"\b([a-z]+|\d+)\s+(?:thematic areas|themes|priority areas)\b", re.I)
_COUNT_MEASURE = re.compile(r"^(?:the\s+)?number\b", re.I)


def _refs_text(refs) -> str:
    return ", ".join(refs)


def check(plan: ImprovementPlan, kpi_theme: dict[str, str], doc: Document) -> None:
    """Append a warning to ``plan.warnings`` for each inconsistency found.

    :param kpi_theme: KPI ref -> number of the theme it is listed under in the KPI table.
    """
    w = plan.warnings
    actions = [(t, a) for t in plan.themes for a in t.actions]
    known = {k.ref for k in plan.kpis}

    for ref, n in Counter(a.ref for _, a in actions).items():
        if n > 1:
            w.append(f"action ref {ref} is printed {n} times")
    for ref, n in Counter(k.ref for k in plan.kpis).items():
        if n > 1:
            w.append(f"KPI ref {ref} is printed {n} times in the KPI table")

    for theme, a in actions:
        if a.ref.split(".")[0] != theme.number:
            w.append(f"action {a.ref} sits under theme {theme.number}")
        if a.parent_ref and not a.ref.startswith(a.parent_ref + "."):
            w.append(f"action {a.ref} sits under heading {a.parent_ref} (its ref says "
                     f"{a.ref.rsplit('.', 1)[0]})")
        if plan.issued and a.due_date and a.due_date < plan.issued:
            w.append(f"action {a.ref} is due {a.due!r}, before the plan was issued "
                     f"({plan.issued:%B %Y})")

    if plan.kpis:
        dangling: dict[str, list[str]] = {}
        for _, a in actions:
            for ref in a.kpi_refs:
                if ref.lower() != "all" and ref not in known:
                    dangling.setdefault(ref, []).append(a.ref)
        for ref, cited_by in dangling.items():
            if group(known, ref):       # "KPI 1" cites the group 1a-1e: not a dangling ref
                continue
            w.append(f"KPI ref {ref} cited by action(s) {_refs_text(cited_by)} is not in the KPI table")
        for theme, a in actions:
            elsewhere = [r for r in a.kpi_refs if kpi_theme.get(r) not in (None, theme.number)]
            if elsewhere:
                where = sorted({kpi_theme[r] for r in elsewhere})
                w.append(f"action {a.ref} (theme {theme.number}) cites KPI(s) {_refs_text(elsewhere)} "
                         f"listed under theme {', '.join(where)} in the KPI table")
        cited = {k for _, a in actions for r in a.kpi_refs for k in (group(known, r) or [r])}
        if not any(r.lower() == "all" for r in cited):
            uncited = [k.ref for k in plan.kpis if k.ref not in cited]
            if uncited:
                w.append(f"KPIs no action cites by their exact ref: {_refs_text(uncited)}")

    for k in plan.kpis:
        for t in k.targets:
            if t.unit == "ratio" and _COUNT_MEASURE.match(k.measure):
                w.append(f"KPI {k.ref} measures a number ({k.measure!r}) but its target {t.printed!r} "
                         f"gives two figures; kept value {t.value} and denominator {t.denominator}")

    for b in doc.blocks:
        m = _STATED_THEMES.search(b.text) if b.kind == "paragraph" else None
        if m:
            stated = patterns.to_decimal(m.group(1))
            if stated is not None and plan.themes and int(stated) != len(plan.themes):
                w.append(f"block {b.index} says {m.group(0)!r} but the plan has {len(plan.themes)} themes")
            break


def group(known: set[str], ref: str) -> list[str]:
    """The KPIs a group ref names ("1" -> 1a, 1b, ...) when the table has no KPI ``ref`` itself."""
    if ref in known:
        return []
    return sorted(k for k in known if re.fullmatch(rf"{re.escape(ref)}[a-z]", k))

