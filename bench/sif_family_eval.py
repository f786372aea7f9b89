"""The SIF family on ../shared/corpus-national: SIF, SIF re-inspection and 2013 looked after
children reports run through read -> normalise -> classify -> parse -> map -> validate, their
judgements compared with Ofsted's 2023 underlying-data sheet ``LA_inspections_2009-2023``.

An evaluation script, not part of ingest: it reads MANIFEST.csv (which ingest never may) to know
each file's authority, listed publication date and cover kind. It prints each refusal with its
reason, each judgement that differs from the sheet, each kind or start date that looks wrong
(start after publication, more than 200 days before it, or a publication date more than 40
days from the listed one), then a table per kind.

usage: python bench/sif_family_eval.py [--fresh] [--only SUBSTR] [--verbose]

Reading a PDF takes one to three seconds, so the reader's output is cached in /tmp/sif-cache
(pickles); ``--fresh`` reads every PDF again with the real reader and refreshes the cache.
"""
from __future__ import annotations

import csv
import datetime as dt
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))   # the project, ahead of bench/ (whose ingest.py would shadow it)

from core.authorities import register  # noqa: E402
from ingest.classify import classify  # noqa: E402
from ingest.frameworks import parse  # noqa: E402
from ingest.mapping import map_parsed  # noqa: E402
from ingest.model import IngestError  # noqa: E402
from ingest.normalise import normalise  # noqa: E402
from ingest.readers import read  # noqa: E402
from ingest.register_graph import authorities_subgraph  # noqa: E402
from ingest.validate import validate  # noqa: E402

SHARED = ROOT.parent / "shared"
NAT = SHARED / "corpus-national"
ODS = SHARED / "reference/ofsted-outcomes/Childrens_social_care_in_England_2023_underlying_data.ods"
KINDS = {"SIF", "SIF re-inspection", "LAC 2013"}
CACHE = Path("/tmp/sif-cache")

FIRST = {"overall-effectiveness": 18, "help-and-protection": 19, "children-looked-after": 20,
         "adoption": 21, "care-leavers": 22, "leadership": 23, "lscb": 24}
RE = {"overall-effectiveness": 26, "help-and-protection": 27, "children-looked-after": 28,
      "adoption": 29, "care-leavers": 30, "leadership": 31}
TLAC = {"looked-after/overall-effectiveness": 16}


def norm_name(s: str) -> str:
    s = s.lower().replace("&", "and").replace("london corporation", "city of london")
    s = re.sub(r"\b(city of|county|council|borough|royal borough of|london borough of|the)\b", "", s)
    return re.sub(r"[^a-z]", "", s)


def grade_of(cell: str) -> str | None:
    c = str(cell).strip().lower()
    if not c or c == "-":
        return None
    if c.startswith("requires improvement"):
        return "requires-improvement"
    if c.startswith("adequate"):
        return "adequate"
    return c.replace(" ", "-")


def truth() -> dict:
    wb = CalamineWorkbook.from_path(str(ODS))
    rows = wb.get_sheet_by_name("LA_inspections_2009-2023").to_python()
    out = {}
    for r in rows[5:]:
        if not r[1] or r[1] == "Local authority name":
            continue
        out[norm_name(str(r[1]))] = r
    return out


def load_raw(path: Path, fresh: bool):
    CACHE.mkdir(exist_ok=True)
    c = CACHE / (path.name + ".pkl")
    if c.exists() and not fresh:
        return pickle.loads(c.read_bytes())
    raw = read(str(path))
    c.write_bytes(pickle.dumps(raw))
    return raw


def expected(row, kind: str, published: dt.date):
    """The sheet's grades for the inspection published within 60 days of the listed date."""
    for cols, dcol in ((FIRST, 17), (RE, 25), (TLAC, 15)):
        d = row[dcol]
        if not d:
            continue
        d = d.date() if isinstance(d, dt.datetime) else d
        if abs((d - published).days) <= 60:
            return {k: grade_of(row[i]) for k, i in cols.items() if grade_of(row[i])}, d
    return None, None


def main() -> None:
    fresh = "--fresh" in sys.argv
    verbose = "--verbose" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    tr = truth()
    man = [r for r in csv.DictReader(open(NAT / "MANIFEST.csv")) if r["kind_on_cover"] in KINDS]
    if only:
        man = [r for r in man if only in r["file"]]
    stats = defaultdict(Counter)
    refusals = []
    reg = register()
    t0 = time.time()
    for r in man:
        kind = r["kind_on_cover"]
        path = NAT / r["file"]
        st = stats[kind]
        st["total"] += 1
        try:
            raw = load_raw(path, fresh)
            doc = normalise(raw)
            fw = classify(doc).framework
            rep = parse(doc, fw)
            mapped = map_parsed(rep, raw, reg)
            ctx = authorities_subgraph(mapped.external_iris)
            v = validate(mapped.graph, ctx)
            if not v.conforms:
                raise IngestError(str(path), f"SHACL: {v.violations[0].message} ({v.violations[0].node})")
        except IngestError as e:
            refusals.append((kind, r["file"], e.reason))
            continue
        st["loaded"] += 1
        row = tr.get(norm_name(r["authority"]))
        pub = dt.date.fromisoformat(r["published"])
        want, tpub = expected(row, kind, pub) if row else (None, None)
        got = {j.area: j.grade for j in rep.judgements if j.grade}
        kind_ok = {"SIF": "sif", "SIF re-inspection": "sif-reinspection", "LAC 2013": "lac"}[kind] == rep.kind.value
        st["kind ok"] += kind_ok
        start_ok = rep.start is not None and rep.start <= (rep.published or pub) and \
            ((rep.published or pub) - rep.start).days < 200 and abs((rep.published or pub) - pub).days < 40
        st["start ok"] += start_ok
        if not kind_ok or not start_ok:
            print(f"  KIND/START {r['file']}: kind {rep.kind.value} start {rep.start} published {rep.published} "
                  f"(listed {pub})")
        if want is None:
            print(f"  NO TRUTH {r['file']} {r['authority']}")
            continue
        for k, g in want.items():
            st["official"] += 1
            if got.get(k) == g:
                st["equal"] += 1
            else:
                print(f"  GRADE {r['file']} {k}: sheet {g} parsed {got.get(k)}")
        extra = set(got) - set(want)
        if extra and kind != "LAC 2013":
            print(f"  EXTRA {r['file']}: {sorted(extra)}")
        if verbose:
            print(f"  ok {r['file']}: {rep.kind.value} {rep.start} {rep.end} {rep.published} {got}")
    print("\nrefusals:")
    for k, f, reason in refusals:
        print(f"  [{k}] {f}: {reason[:200]}")
    print(f"\n{'kind':20} loaded  equal/official  kind-ok start-ok")
    for kind, st in stats.items():
        print(f"{kind:20} {st['loaded']}/{st['total']}  {st['equal']}/{st['official']}  "
              f"{st['kind ok']}/{st['loaded']}  {st['start ok']}/{st['loaded']}")
    print(f"time {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
