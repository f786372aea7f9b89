"""One inspection per (authority, kind, date) within an outcomes workbook, whose sheets repeat
inspections (full history, the year's inspections, the latest judgements)."""
from __future__ import annotations

import datetime as dt

from ..model import InspectionKind, TableInspection


def family(kind: InspectionKind) -> str:
    """The kind a sheet's row is matched by: standard and short ILACS count as one."""
    return "ilacs" if kind in (InspectionKind.ILACS_STANDARD, InspectionKind.ILACS_SHORT) else kind.value


#: the longest gap between the first day of an inspection and its report's publication
PUBLICATION_LAG = dt.timedelta(days=120)


def merge(first: TableInspection, ti: TableInspection, warnings: list[str]) -> None:
    """Fill in what ``first`` lacks from another row of the same inspection.

    :param warnings: where a judgement the two rows grade differently is reported.
    """
    first.start = first.start or ti.start
    first.published = first.published or ti.published
    have = {j.area: j for j in first.judgements}
    for j in ti.judgements:
        if j.area not in have:
            first.judgements.append(j)
        elif have[j.area].grade != j.grade:
            warnings.append(f"sheets {have[j.area].source.sheet!r} row {have[j.area].source.row} and "
                            f"{j.source.sheet!r} row {j.source.row} disagree on {j.area}: "
                            f"{have[j.area].printed_grade!r} vs {j.printed_grade!r}")


def dedupe(inspections: list[TableInspection], warnings: list[str]) -> list[TableInspection]:
    """One inspection per (authority, kind, date) within a workbook.

    Rows of different sheets describe the same inspection when they share the authority, the
    kind (standard and short ILACS count as one, since the 'latest judgements' sheets do not
    print the type) and the start or publication date; or when one sheet prints only the start
    and another only the publication date of the same authority's only inspection of that kind
    within ``PUBLICATION_LAG``. Earlier sheets win; later ones fill in what they lacked.
    """
    kept: dict[tuple, TableInspection] = {}
    out: list[TableInspection] = []
    for ti in inspections:
        fam = family(ti.kind)
        keys = [k for k in ((ti.gss_code, fam, "start", ti.start), (ti.gss_code, fam, "published", ti.published))
                if k[3] is not None]
        first = next((kept[k] for k in keys if k in kept), None)
        if first is None:
            out.append(ti)
        else:
            merge(first, ti, warnings)
        for k in keys:
            kept.setdefault(k, first or ti)
    # start-only rows against publication-only rows of the same authority and family
    starts = [t for t in out if t.start and not t.published]
    pubs = [t for t in out if t.published and not t.start]
    dropped: set[int] = set()
    for s in starts:
        near = [p for p in pubs if id(p) not in dropped and p.gss_code == s.gss_code and
                family(p.kind) == family(s.kind) and dt.timedelta(0) < p.published - s.start <= PUBLICATION_LAG]
        if len(near) == 1:
            p = near[0]
            s.kind = p.kind if s.source.sheet and family(s.kind) == "ilacs" else s.kind
            merge(s, p, warnings)
            dropped.add(id(p))
    return [t for t in out if id(t) not in dropped]
