"""Evaluate ILACS reports and focused-visit letters of a corpus against Ofsted's outcomes table.

Runs the real stages (read, normalise, classify, parse, map, validate) on each PDF and prints
what loaded and what was refused (grouped by reason), then compares each loaded ILACS report's
judgements, inspection kind and start date with the ``ILACS_inspection_history`` and
``In-year_inspections`` sheets of the official outcomes spreadsheet. The manifest's
``kind_on_cover`` is read here (an evaluation script) and never in ``ingest/``.

Run: ``nice -n 10 .venv/bin/python bench/ilacs_eval.py [--cache DIR] [--only KIND] [-v]``
(``--cache DIR`` reuses pickled reader output from DIR, writing it there when missing).
"""
from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.authorities import register  # noqa: E402
from ingest.classify import classify  # noqa: E402
from ingest.frameworks import parse  # noqa: E402
from ingest.mapping import map_parsed  # noqa: E402
from ingest.model import IngestError, Report  # noqa: E402
from ingest.normalise import normalise  # noqa: E402
from ingest.readers import read  # noqa: E402
from ingest.register_graph import authorities_subgraph  # noqa: E402
from ingest.validate import validate  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus-national"
OUTCOMES = SHARED / "reference" / "ofsted-outcomes" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
KINDS = ("ILACS 2018-22", "ILACS 2023+", "ILACS 2026", "focused visit")
FRAMEWORKS = {"ILACS 2018-22": "ilacs-2018", "ILACS 2023+": "ilacs-2023", "ILACS 2026": "ilacs-2026",
              "focused visit": "focused-visit"}
AREA_COLUMNS = ("overall-effectiveness", "leadership", "help-and-protection", "children-in-care", "care-leavers")
GRADES = {"outstanding": "outstanding", "good": "good", "inadequate": "inadequate",
          "requires improvement to be good": "requires-improvement-to-be-good"}
TYPES = {"ilacs standard inspection": "ilacs-standard", "ilacs short inspection": "ilacs-short",
         "ilacs focused visit": "focused-visit"}


def official_inspections() -> dict[str, list[dict]]:
    """GSS code -> official ILACS inspections (start date, kind, area -> grade)."""
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(OUTCOMES))
    out: dict[str, dict[tuple, dict]] = collections.defaultdict(dict)
    for sheet, date_col, type_col, first_grade in (("ILACS_inspection_history", 5, 7, 8),
                                                    ("In-year_inspections", 4, 6, 7)):
        for r in wb.get_sheet_by_name(sheet).to_python()[3:]:
            kind = TYPES.get(str(r[type_col]).strip().lower())
            if not kind or not isinstance(r[date_col], (dt.date, dt.datetime)):
                continue
            start = r[date_col].date() if isinstance(r[date_col], dt.datetime) else r[date_col]
            grades = {}
            for area, cell in zip(AREA_COLUMNS, r[first_grade:first_grade + 5]):
                g = GRADES.get(str(cell).strip().lower())
                if g:
                    grades[area] = g
            if start < dt.date(2023, 1, 1) and "children-in-care" in grades:
                grades["children-in-care-and-care-leavers"] = grades.pop("children-in-care")
            out[r[1]][(start, kind)] = {"start": start, "kind": kind, "grades": grades}
    return {gss: list(v.values()) for gss, v in out.items()}


def raw_of(path: Path, cache: Path | None):
    if cache is None:
        return read(path)
    hit = cache / (path.name + ".pkl")
    if hit.exists():
        return pickle.loads(hit.read_bytes())
    raw = read(path)
    hit.write_bytes(pickle.dumps(raw))
    return raw


def run_one(path: Path, cache: Path | None):
    """(report, None) when it would load, else (report or None, reason)."""
    raw = raw_of(path, cache)
    doc = normalise(raw)
    framework = classify(doc).framework
    parsed = parse(doc, framework)
    mapped = map_parsed(parsed, raw, register())
    outcome = validate(mapped.graph, authorities_subgraph(mapped.external_iris))
    if not outcome.conforms:
        return parsed, f"rejected by SHACL: {outcome.violations[0].message}"
    return parsed, None


def reason_key(reason: str) -> str:
    import re
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d{4}-\d\d-\d\d|\bE\d{8}\b", "…", reason)[:110]


def manifest_rows(only: str | None) -> list[dict]:
    """The manifest's rows of the kinds evaluated (or of ``only`` that kind)."""
    kinds = (only,) if only else KINDS
    return [r for r in csv.DictReader((CORPUS / "MANIFEST.csv").open()) if r["kind_on_cover"] in kinds]


def check_common(row: dict, report: Report, s: collections.Counter, problems: list[str]) -> None:
    """Every kind: the framework parsed is the one on the cover, and the dates are in order."""
    kind = row["kind_on_cover"]
    if report.framework.value == FRAMEWORKS[kind]:
        s["format right"] += 1
    else:
        problems.append(f"FORMAT {row['file']}: parsed {report.framework.value}, cover {kind}")
    pub = dt.date.fromisoformat(row["published"])
    if report.start and report.end and report.start <= report.end < pub:
        s["dates plausible"] += 1
    else:
        problems.append(f"DATES {row['file']}: {report.start} to {report.end}, published {pub}")


def check_visit(row: dict, report: Report, official: list[dict], s, problems: list[str]) -> None:
    """A focused-visit letter: its start against the official visit within 30 days, no grades,
    and the focused-visit kind."""
    visits = [o for o in official if o["kind"] == "focused-visit"
              and report.start and abs((o["start"] - report.start).days) < 30]
    if visits:
        s["visits dated"] += 1
        if visits[0]["start"] == report.start:
            s["visit start right"] += 1
        else:
            problems.append(f"VISIT START {row['file']}: parsed {report.start}, official {visits[0]['start']}")
    if report.judgements:
        s["visit with grades"] += 1
        problems.append(f"GRADES ON A VISIT {row['file']}")
    s["kind checked"] += 1
    if report.kind.value != "focused-visit":
        problems.append(f"VISIT KIND {row['file']}: {report.kind.value}")
    else:
        s["kind right"] += 1


def check_inspection(row: dict, report: Report, official: list[dict], gss, s, problems: list[str]) -> None:
    """An ILACS report (2018-22, 2023+): kind, start and every judgement against the official
    inspection nearest its start and published within 250 days of it."""
    pub = dt.date.fromisoformat(row["published"])
    official = [o for o in official if o["kind"] != "focused-visit"]
    if report.start:
        official = sorted(official, key=lambda o: abs((o["start"] - report.start).days))
    match = next((o for o in official if o["start"] <= pub and (pub - o["start"]).days < 250), None)
    if match is None:
        s["no official row"] += 1
        problems.append(f"NO OFFICIAL ROW {row['file']} ({report.authority_name} -> {gss}, start {report.start})")
        return
    s["kind checked"] += 1
    if report.kind.value == match["kind"]:
        s["kind right"] += 1
    else:
        problems.append(f"KIND {row['file']}: parsed {report.kind.value}, official {match['kind']}")
    if report.start == match["start"]:
        s["start right"] += 1
    else:
        problems.append(f"START {row['file']}: parsed {report.start}, official {match['start']}")
    parsed = {j.area: j.grade for j in report.judgements}
    for area, grade in match["grades"].items():
        s["official judgements"] += 1
        if parsed.get(area) == grade:
            s["judgements right"] += 1
        else:
            problems.append(f"GRADE {row['file']}: {area} parsed {parsed.get(area)}, official {grade}")
    for area in set(parsed) - set(match["grades"]):
        s["extra judgements"] += 1
        problems.append(f"EXTRA {row['file']}: {area} {parsed[area]}")


def check_report(row: dict, report: Report, truth: dict, s, problems: list[str]) -> None:
    """One loaded report against the cover and the official tables, by its kind on the cover."""
    a = register().lookup(report.authority_name, report.start or report.published)
    gss = a.gss_code if a else None
    check_common(row, report, s, problems)
    kind = row["kind_on_cover"]
    if kind == "focused visit":
        check_visit(row, report, truth.get(gss, []), s, problems)
    elif kind == "ILACS 2026":
        if any(j.area == "overall-effectiveness" for j in report.judgements):
            s["invented overall"] += 1
            problems.append(f"OVERALL IN 2026 {row['file']}")
    else:
        check_inspection(row, report, truth.get(gss, []), gss, s, problems)


def print_tables(stats: dict, refusals: collections.Counter, files: int, elapsed: float) -> None:
    print("\nformat: as printed on the cover (manifest); judgements, kind and start: equal to the "
          "outcomes table\n(ILACS history and 2024-25 in-year sheets) where it lists the inspection; "
          "dates: start <= end < listed publication")
    print(f"\n{'kind':15} {'loaded':>9} {'format ok':>9} {'judgements':>11} {'kind ok':>9} {'start ok':>9} {'dates':>9}  notes")
    for kind in KINDS:
        s = stats.get(kind)
        if not s:
            continue
        notes = ", ".join(f"{k} {s[k]}" for k in ("no official row", "extra judgements",
                                                    "visit with grades", "invented overall") if s[k])
        start = (s["start right"], s["kind checked"]) if kind != "focused visit" else (s["visit start right"], s["visits dated"])
        print(f"{kind:15} {s['loaded']:>4}/{s['total']:<4} {s['format right']:>4}/{s['loaded']:<4} "
              f"{s['judgements right']:>5}/{s['official judgements']:<5} "
              f"{s['kind right']:>4}/{s['kind checked']:<4} {start[0]:>4}/{start[1]:<4} "
              f"{s['dates plausible']:>4}/{s['loaded']:<4}  {notes}")
    if refusals:
        print("\nrefused:")
        for (kind, reason), n in refusals.most_common():
            print(f"  {n:3}  {kind}: {reason}")
    print(f"\n{files} files in {elapsed:.0f} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--only", choices=KINDS)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not CORPUS.exists():
        print(f"{CORPUS} is absent", file=sys.stderr)
        return 2
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    truth = official_inspections()
    stats = collections.defaultdict(collections.Counter)
    refusals = collections.Counter()
    problems: list[str] = []
    t0 = time.perf_counter()
    for row in manifest_rows(args.only):
        kind = row["kind_on_cover"]
        stats[kind]["total"] += 1
        try:
            report, reason = run_one(CORPUS / row["file"], args.cache)
        except IngestError as exc:
            report, reason = None, str(exc).split(": ", 1)[-1]
        if reason:
            refusals[(kind, reason_key(reason))] += 1
            problems.append(f"REFUSED {row['file']}: {reason}")
            continue
        stats[kind]["loaded"] += 1
        if not isinstance(report, Report):
            problems.append(f"NOT A REPORT {row['file']}")
            continue
        check_report(row, report, truth, stats[kind], problems)
    if args.verbose:
        print("\n".join(problems))
    print_tables(stats, refusals, sum(s["total"] for s in stats.values()), time.perf_counter() - t0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
