"""Accuracy benchmark: how much of a real archive loads, and how much of it is right.

Run: ``.venv/bin/python bench/accuracy.py [FOLDER] [--sample N] [--jobs N] [--baseline]``

Ingests FOLDER (default ``../shared/corpus-national``) through the real pipeline into a fresh
temporary store, then reads back with SPARQL what the store holds for each document and prints,
per report kind (as printed on the cover, from the folder's ``MANIFEST.csv``): documents loaded
/ total; official judgements found in the store with the official grade / official judgements;
grades the official tables do not have (a grade on a visit letter, an overall effectiveness in
the 2026 format); inspection kind right; start date right (where the tables give one);
publication date right (where the report prints one and the tables give one); refusals
grouped by reason; and PDFs per minute for the whole run. A second table counts what the loaded
documents hold besides judgements (findings, recommendations, strengths, statistics, team
members, tenures, earlier inspections mentioned) and how many documents of each kind hold none:
no truth to compare with, but a part missing from a report whose kind always prints it is a
misreading the first table cannot see.
``--baseline`` first ingests the same files with one job, so the speed-up is measured in the
same run. ``--neutral`` ingests copies of the files under neutral names, as the held-back half
of the archive is given (the first 16 hex digits of each file's SHA-256 and its place, every
other one without its ``.pdf``), found by walking their folder: the tables must not change, since
nothing in ``ingest/`` may read a fact from a file's name.

The truth is ``bench/official.py`` (Ofsted's spreadsheets in ``../shared/reference``). An
inspection in the store counts as the official one when its authority GSS code and family
match and its start date equals the official start date (or, where the tables give none, its
publication date is within 31 days of the official one).
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import hashlib
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# run as a script, bench/ comes first on the path and its ingest.py would hide the package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.official import (FAMILY, KIND, Expected, Official, grade_key, manifest,  # noqa: E402
                            match, official_records)
from ingest.pipeline import Ingestor, discover  # noqa: E402
from core.store import open_store  # noqa: E402

SHARED = ROOT.parent / "shared"
UNLISTED = "(not in manifest)"

STORE_FACTS = """
PREFIX ofs: <https://w3id.org/ofsted-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?doc ?insp ?gss ?kind ?start ?published ?area ?grade WHERE {
  GRAPH ?doc { ?insp ofs:reportedIn ?doc ; ofs:inspectionKind ?kind .
               OPTIONAL { ?insp ofs:startDate ?start }
               OPTIONAL { ?insp ofs:publishedOn ?published } }
  OPTIONAL { GRAPH ?doc { ?insp ofs:inspectionOf ?la } ?la ofs:gssCode ?gss }
  OPTIONAL { GRAPH ?doc { ?insp ofs:hasJudgement ?j . ?j ofs:area ?a ; ofs:grade ?g }
             ?a skos:notation ?area . ?g skos:notation ?grade }
}
"""


#: what a report holds besides its judgements, counted per document (the second table: no
#: truth to compare with, but a document with none of a part its kind always prints was misread)
PARTS = {"findings": "hasFinding", "recommendations": "hasRecommendation", "strengths": "hasStrength",
         "statistics": "hasStatistic", "team": "hasTeamMember", "tenures": "hasTenure",
         "earlier": "mentionsInspection"}
PART_COUNTS = """
PREFIX ofs: <https://w3id.org/ofsted-kg/def#>
SELECT ?doc (COUNT(?part) AS ?n) WHERE { GRAPH ?doc { ?insp ofs:reportedIn ?doc ; ofs:%s ?part } }
GROUP BY ?doc
"""


@dataclass
class Stored:
    """One inspection as the store holds it."""

    gss: str | None
    kind: str
    start: dt.date | None
    published: dt.date | None
    grades: dict[str, str] = field(default_factory=dict)   # area -> normalised grade


@dataclass
class Tally:
    total: int = 0
    loaded: int = 0
    official: int = 0          # official judgements of this kind's documents
    right: int = 0             # ... in the store with the official grade
    unofficial: int = 0        # grades in the store that the official tables do not have
    kind_known: int = 0
    kind_right: int = 0
    start_known: int = 0
    start_right: int = 0
    unmatched: int = 0         # documents whose official record was not found in the store
    published_known: int = 0   # matched inspections with a publication date in the store and the tables
    published_right: int = 0   # ... the same date
    published_wrong: list = field(default_factory=list)   # (GSS code, stored, official) where they differ
    refusals: collections.Counter = field(default_factory=collections.Counter)
    parts: collections.Counter = field(default_factory=collections.Counter)    # part -> how many
    without: collections.Counter = field(default_factory=collections.Counter)  # part -> documents with none


def _d(term) -> dt.date | None:
    return dt.date.fromisoformat(term.value[:10]) if term is not None else None


def stored_inspections(store) -> dict[str, list[Stored]]:
    """document IRI -> the inspections its graph states, with their judgements."""
    by_key: dict[tuple[str, str], Stored] = {}
    for row in store.query(STORE_FACTS):
        key = (row["doc"].value, row["insp"].value)
        s = by_key.get(key)
        if s is None:
            s = by_key[key] = Stored(gss=row["gss"].value if row["gss"] else None,
                                     kind=row["kind"].value, start=_d(row["start"]),
                                     published=_d(row["published"]))
        if row["area"] is not None and row["grade"] is not None:
            # the 2013 looked-after-children areas are the looked-after service's ("looked-after/...")
            s.grades[row["area"].value.removeprefix("looked-after/")] = grade_key(row["grade"].value)
    found: dict[str, list[Stored]] = {}
    for (doc, _), s in sorted(by_key.items()):
        found.setdefault(doc, []).append(s)
    return found


def stored_parts(store) -> dict[str, collections.Counter]:
    """document IRI -> how many findings, recommendations... its graph states."""
    found: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for part, predicate in PARTS.items():
        for row in store.query(PART_COUNTS % predicate):
            found[row["doc"].value][part] = int(row["n"].value)
    return found


def count_parts(tally: Tally, parts: collections.Counter) -> None:
    """Add one loaded document's parts to its kind's tally."""
    for part in PARTS:
        tally.parts[part] += parts[part]
        tally.without[part] += not parts[part]


def refusal_reason(error: str, path: str) -> str:
    """A refusal message with the file and its particulars taken out, so that alike refusals
    group together."""
    reason = error[len(path) + 2:] if error.startswith(path + ": ") else error
    reason = re.sub(r"\(node [^)]*\)|'[^']*'|\"[^\"]*\"|<[^>]*>", "…", reason)
    reason = re.sub(r"\d+(\.\d+)?", "N", reason)
    return reason.split(";")[0][:110]


def _same_inspection(s: Stored, o: Official) -> bool:
    if s.gss != o.gss:
        return False
    if o.start is not None:
        return s.start == o.start
    if s.published is not None:
        return abs((s.published - o.published).days) <= 31
    # early SIF reports print no publication date: the inspection started in the months before
    return s.start is not None and 0 <= (o.published - s.start).days <= 150


def score(tally: Tally, expected: Expected | None, official: Official | None,
          stored: list[Stored]) -> None:
    """Add one loaded document's facts to its kind's tally."""
    kind = expected.kind if expected else UNLISTED
    if official is not None:
        tally.official += len(official.grades)
        s = next((s for s in stored if _same_inspection(s, official)), None)
        if s is None:
            tally.unmatched += 1
        else:
            # an area the table leaves blank was not judged: right when the store has no grade
            tally.right += sum(1 for a, g in official.grades.items() if s.grades.get(a) == (g or None))
            tally.unofficial += sum(1 for a in s.grades if a not in official.grades)
            # ILACS reports and the first SIF ones print no publication date: the store takes it
            # from the tables (reconciliation), so only a printed date read from the report counts
            if official.published is not None and s.published is not None:
                tally.published_known += 1
                tally.published_right += s.published == official.published
                if s.published != official.published:
                    tally.published_wrong.append((s.gss, s.published, official.published))
        if official.start is not None:
            tally.start_known += 1
            tally.start_right += any(x.gss == official.gss and x.start == official.start for x in stored)
    elif kind == "focused visit" or kind == "ILACS 2026":
        # no official table yet: still, a visit letter has no grade, 2026 no overall effectiveness
        tally.unofficial += sum(len(s.grades) if kind == "focused visit"
                                else int("overall-effectiveness" in s.grades) for s in stored)
    want = (official.kind if official is not None and official.kind else KIND.get(kind))
    if want is not None:
        tally.kind_known += 1
        tally.kind_right += any(s.kind == want for s in stored)


@dataclass
class Timing:
    """How long an ingest took: wall-clock seconds, and CPU seconds of this process and of its
    workers (on a shared machine the CPU time per file is the steadier figure)."""

    wall: float
    cpu: float
    files: int

    def line(self, jobs: int | None) -> str:
        cores = os.cpu_count() or 1
        per_file = self.cpu / self.files if self.files else 0.0
        return (f"{self.files} files in {self.wall:.1f} s with jobs={jobs or cores}: "
                f"{60 * self.files / self.wall:.1f} files per minute; {per_file:.2f} CPU s per file "
                f"(= {60 * cores / per_file if per_file else 0:.0f} files per minute on {cores} idle cores)")


def _cpu_seconds() -> float:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def measure(files: list[str], expected: dict[str, Expected], records: list[Official],
            jobs: int | None) -> tuple[dict[str, Tally], Timing]:
    """Ingest ``files`` into a fresh store and score what it holds.

    :return: a tally per report kind, and how long the ingest took.
    """
    tallies: dict[str, Tally] = collections.defaultdict(Tally)
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-accuracy-") as tmp:
        store = open_store(Path(tmp) / "store")
        try:
            t0, c0 = time.perf_counter(), _cpu_seconds()
            outcomes = Ingestor(store, jobs=jobs).run(files)
            elapsed = Timing(time.perf_counter() - t0, _cpu_seconds() - c0, len(files))
            held, parts = stored_inspections(store), stored_parts(store)
        finally:
            store.close()
    for o in outcomes:
        exp = expected.get(o.path)
        tally = tallies[exp.kind if exp else UNLISTED]
        tally.total += 1
        if not o.ok:
            tally.refusals[refusal_reason(o.error or "", o.path)] += 1
            if exp is not None:
                off = match(exp, records)
                tally.official += len(off.grades) if off else 0
                tally.kind_known += 1 if (off and off.kind) or exp.kind in KIND else 0
                tally.start_known += 1 if off and off.start else 0
            continue
        tally.loaded += 1
        score(tally, exp, match(exp, records) if exp else None, held.get(o.document_iri or "", []))
        count_parts(tally, parts.get(o.document_iri or "", collections.Counter()))
    return dict(tallies), elapsed


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "-"


def report(tallies: dict[str, Tally], elapsed: Timing, jobs: int | None, out=sys.stdout) -> None:
    """Print the table of ``measure``'s tallies."""
    order = [*FAMILY, UNLISTED]
    kinds = sorted(tallies, key=lambda k: order.index(k) if k in order else len(order))
    total = Tally()
    print(f"{'kind':18} {'loaded':>16} {'judgements right':>20} {'not official':>12} "
          f"{'kind right':>16} {'start right':>16} {'unmatched':>9} {'published right':>16}", file=out)
    for k in kinds:
        t = tallies[k]
        for name in ("total", "loaded", "official", "right", "unofficial", "kind_known",
                     "kind_right", "start_known", "start_right", "unmatched", "published_known",
                     "published_right"):
            setattr(total, name, getattr(total, name) + getattr(t, name))
        total.refusals.update(t.refusals)
        total.parts.update(t.parts)
        total.without.update(t.without)
        _row(k, t, out)
    _row("all", total, out)
    print("\nparts read (documents loaded with none in brackets):", file=out)
    print(f"{'kind':18} " + " ".join(f"{p:>16}" for p in PARTS), file=out)
    for k in [*kinds, "all"]:
        t = total if k == "all" else tallies[k]
        print(f"{k:18} " + " ".join(f"{f'{t.parts[p]} ({t.without[p]})':>16}" for p in PARTS), file=out)
    print("\n" + elapsed.line(jobs), file=out)
    wrong = [(k, w) for k in kinds for w in tallies[k].published_wrong]
    if wrong:
        print("\npublication dates unlike the official one (authority, stored, official):", file=out)
        for k, (gss, mine, theirs) in wrong[:20]:
            print(f"  {k:18} {gss} {mine} {theirs}", file=out)
    if total.refusals:
        print("\nrefusals by reason:", file=out)
        for k in kinds:
            for reason, n in tallies[k].refusals.most_common():
                print(f"  {n:4}  {k:18} {reason}", file=out)


def _row(kind: str, t: Tally, out) -> None:
    print(f"{kind:18} {_pct(t.loaded, t.total):>16} {_pct(t.right, t.official):>20} "
          f"{t.unofficial:>12} {_pct(t.kind_right, t.kind_known):>16} "
          f"{_pct(t.start_right, t.start_known):>16} {t.unmatched:>9} "
          f"{_pct(t.published_right, t.published_known):>16}", file=out)


def stratified(files: list[str], expected: dict[str, Expected], n: int) -> list[str]:
    """``n`` files of each kind, spread evenly over the kind's files in name order."""
    by_kind: dict[str, list[str]] = collections.defaultdict(list)
    for f in files:
        by_kind[expected[f].kind if f in expected else UNLISTED].append(f)
    chosen = []
    for group in by_kind.values():
        step = max(1, len(group) // n)
        chosen += group[::step][:n]
    return sorted(chosen)


@contextlib.contextmanager
def neutral_copies(files: list[str], expected: dict[str, Expected]):
    """Copies of ``files`` under neutral names in a temporary folder, found by walking it.

    :return: (the copies' paths as ``discover`` finds them, ``expected`` keyed by those paths)
    """
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-neutral-") as tmp:
        renamed: dict[str, str] = {}
        for i, f in enumerate(sorted(files)):
            digest = hashlib.sha256(Path(f).read_bytes()).hexdigest()[:16]
            copy = Path(tmp) / f"{digest}-{i}{'.pdf' if i % 2 else ''}"   # two equal files: two copies
            shutil.copyfile(f, copy)
            renamed[str(copy)] = f
        found = list(discover([Path(tmp)]))
        lost = sorted(set(renamed) - set(found))
        if lost:
            print(f"{len(lost)} neutral copies not found by the folder walk, e.g. {renamed[lost[0]]}")
        yield found, {n: expected[f] for n, f in renamed.items() if f in expected}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=SHARED / "corpus-national")
    ap.add_argument("--reference", type=Path, default=SHARED / "reference",
                    help="folder with ofsted-outcomes/ and statistical-neighbours.csv")
    ap.add_argument("--sample", type=int, default=0, metavar="N", help="only N files of each kind")
    ap.add_argument("--jobs", type=int, default=None, help="ingest worker processes")
    ap.add_argument("--baseline", action="store_true",
                    help="first ingest the same files with --jobs 1, for the speed-up")
    ap.add_argument("--neutral", action="store_true",
                    help="ingest copies under neutral names (a digest; half without a suffix)")
    args = ap.parse_args(argv)
    expected = manifest(args.folder, args.reference)
    records = official_records(args.reference)
    files = list(discover([args.folder]))
    if args.sample:
        files = stratified(files, expected, args.sample)
    print(f"{len(files)} files from {args.folder}; {len(records)} official inspection records")
    with contextlib.ExitStack() as stack:
        if args.neutral:
            files, expected = stack.enter_context(neutral_copies(files, expected))
            print(f"read under neutral names: {len(files)} files found in their folder")
        run(args, files, expected, records)


def run(args, files: list[str], expected: dict[str, Expected], records: list[Official]) -> None:
    """Ingest and score ``files`` (twice with ``--baseline``) and print the tables."""
    if args.baseline:
        _, base = measure(files, expected, records, jobs=1)
        print("baseline: " + base.line(1))
    tallies, timing = measure(files, expected, records, args.jobs)
    report(tallies, timing, args.jobs)
    if args.baseline:
        print(f"speed-up over jobs=1 (wall clock, same run): {base.wall / timing.wall:.2f}x")


if __name__ == "__main__":
    main()
