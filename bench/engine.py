"""Engine CPU of every canned query on one store: with its example parameters, and again with
nothing bound (only defaults) where that differs.

Run: ``.venv/bin/python bench/engine.py STORE [--repeat 7] [--bind NAME=TEXT ...] [NAME ...]``

For each case, the median CPU (``time.process_time``) of evaluating the canned query on a
read-only pyoxigraph store (the default graph as the union, as the server queries it) and
writing its result as SPARQL JSON, and the rows it gives. No server, no HTTP: the figure the
issue-16 targets name "engine time" (50 ms nationally, 300 ms at 150 x 10); ``bench/query.py``
gives the same with the example parameters beside the HTTP time.

Measured 5 Dec 2026 (quiet machine), CPU ms, examples / nothing bound: national (corpus/ + all
of corpus-national) every query at most 35 with its examples; nothing bound, judgements 45-51,
recommendations 46-54, statistics 43-44, findings-marking-recommendations 35, the others at most 20.
150 x 10: every query at most 200 with its examples; nothing bound, judgements 218,
recommendations 555, statistics 707, findings-marking-recommendations 453.

Again 5 Dec 03:46 (quiet): national at most 34 with its examples, nothing bound judgements 42,
recommendations 40, statistics 32, findings-marking-recommendations 31; 150 x 10 at most 200 with
its examples, nothing bound judgements 214, findings-marking-recommendations 447, recommendations
513, statistics 797. Then findings-marking-recommendations became a flat table: nothing bound
27 -> 7 nationally, 442 -> 118 at 150 x 10 (its example 8 -> 0.5 and 20 -> 0.6).

5 Dec 07:02 (quiet; the same query texts, a slower spell of this host): national at most 36
with its examples; nothing bound judgements 47-52 (writing 25-32), recommendations 50-53
(writing 35), statistics 37-46. 150 x 10 at most 188 with its examples; nothing bound
recommendations 482 (evaluating 194, writing 288), statistics 662 (380, 282): writing alone,
which no query shape changes, takes most of the 300 ms target.

5 Dec 09:30 (quiet; national store rebuilt with today's parsers; recommendation-themes,
lscb-vs-overall, neighbour-grades, neighbour-statistics, region-grade and latest-grade-by-area
reshaped on flat tables or index look-ups): national every query at most 12.5 ms with its
examples (statistic-across-authorities; was 36), nothing bound judgements 47.8, recommendations
46.3, statistics 40.1. 150 x 10 with examples at most 149 (plan-actions-kpis; region-grade 24,
was 124), nothing bound recommendations 610 (evaluating 296, writing 314) and statistics 850
(540, 310): the two whole tables still over 300.

6 Dec 07:47 (the host about twice as slow as a quiet one: ``sum(range(10000))`` 167 us), 150 x 10,
nothing bound, CPU ms (evaluating + writing): judgements 406 (133 + 273), recommendations 943
(364 + 579), statistics 1,311 (591 + 720). Unchanged in kind: what a user asking again now gets
is the answer file (server/answerfiles.py, bench/answers.py), not this.

6 Dec 09:35-10:05 (slow host, 173 us), 150 x 10, CPU ms (evaluating + writing): nothing bound
judgements 338 (116 + 222), recommendations 847 (332 + 514), statistics 1,060 (533 + 527),
plan-actions-kpis 1,295 (645 + 650), then 1,265 (539 + 726) once its words filter reads no text
without words; with its example (words "care leavers", 3,612 of 42,140 rows) plan-actions-kpis
652-724, the one example over 300 (the 42,140 rows' joins and two texts each; reading the texts
once per action and KPI instead only took it to 589, a filter first to 574: left). Every other
query at most 252 with its examples (grade-changes). (The 149 of 5 Dec 09:30 was on a synthetic
store with 2,408 / 10,234 plan rows, bench/virtuoso.py's notes; this one has 3,612 / 42,140.) What a visitor gets for the whole tables is
now the answer kept as ingest ended (server/keepanswers.py): every canned query's whole JSON and
CSV asked first of a fresh server at 150 x 10 in 2.4-183 ms (one-off probe, 10:30).

6 Dec 12:35-13:05 (slow host, 181 us), 150 x 10: plan-actions-kpis with its example 642-762 ->
417-479 ms (two paired runs) once words are looked for from the actions holding them and the
KPIs holding their last word, not in every row; nothing bound 1,130-1,281 -> 1,165-1,202. A
run of every query at 12:38, on a noisier spell, gave at most 365 with the examples
(grade-changes; 285 alone at 12:47, statistic-across-authorities 143): figures on this host
move by a third from one minute to the next, so compare only runs of the same minutes.

6 Dec 14:50-15:00 (slow host, 160-165 us), the same query texts: national at most 22.6 with the
examples (statistic-across-authorities), nothing bound judgements 78.5 (writing 51.1),
recommendations 75.7, statistics 70.1; 150 x 10 with the examples at most 459
(plan-actions-kpis; grade-changes 270), nothing bound judgements 314, recommendations 825,
statistics 1,020, plan-actions-kpis 1,187, findings-marking-recommendations 214.

6 Dec 16:25-16:45 (a quieter spell, 118-132 us), the same query texts: national at most 15.6 with
the examples (statistic-across-authorities), nothing bound judgements 57.8 (writing 33.2),
recommendations 60.9 (42.5), statistics 53.1 (31.0); 150 x 10 with the examples at most 365
(plan-actions-kpis; grade-changes 224), nothing bound judgements 270 (under 300 for the first
time on this host), recommendations 686, statistics 912, plan-actions-kpis 1,015,
findings-marking-recommendations 180.

6 Dec 19:00-19:05 (119-124 us), grade-changes' rows linking two shared nodes (their pair of
inspections, their grades) instead of holding nine cells, region-grade with its area column:
national at most 13.0 with the examples (grade-changes; 15.0 -> 13.1 paired one-off), nothing
bound judgements 64.3 (writing 38.9), recommendations 65.3, statistics 58.4; 150 x 10 with the
examples at most 415 (plan-actions-kpis; grade-changes 162, was 224; 228 -> 157 paired
one-off, the same JSON byte for byte), nothing bound judgements 268, recommendations 743,
statistics 965, plan-actions-kpis 1,076. Tried and dropped (paired one-offs, /tmp scripts):
the statistics' measure and comparison nodes as one (national 49 -> 54, 150 x 10 868 -> 800);
plan-actions-kpis' plan cells on its action nodes (1.05x, 0.98x); its candidate rows' links by
LATERAL (the example 340 -> 242, but "plan" 792 -> 1,245 and "a" 1,385 -> 2,355); the flat
graph copied into an in-memory store (national whole tables 1.5x faster for 84 MB a process,
150 x 10 1.2-1.35x for 639 MB) or into a store of its own on disk (no change).

6 Dec 20:44-20:52 (119-201 us, noisy), stores compacted as ingest now leaves them (paired on
the same national store before and after compaction, 9 repeats: whole tables 4-7% less, the
evaluating part ~15% less; 150 x 10 within noise): national at most 14.1 with the examples
(grade-changes), nothing bound judgements 61.8 (writing 38.1), recommendations 62.7, statistics
53.7; 150 x 10 with the examples at most 381-440 (plan-actions-kpis; grade-changes 175), nothing
bound judgements 281-300, recommendations 742-754, statistics 990-1,094, plan-actions-kpis
1,034-1,535.

6 Dec 22:55-23:05 (122-155 us), plan-actions-kpis' candidate rows' links read by LATERAL after
all, and the hashed links of every row moved into the no-words side (so with words they are
never read): the example 415 -> 229 ms, nothing bound 1,167 -> 934; broad words 1.1-1.4x slower
(one-off: two paired runs of 7 against the previous text, a /tmp script: "child", 20,769 rows,
951 -> 1,174; "plan" 1,006 -> 1,131; "a", every row, 1,587 -> 2,159), where the LATERAL alone
above was 1.6-1.7x. With ``--bind`` (23:40, 128 us): words=missing 196, child 1,226, plan 1,267,
a 2,253; the example 224-247 in five runs that evening, 310 in one on a noisy spell. Every query
with its examples at most 300 at 150 x 10 in that run (plan-actions-kpis 229, grade-changes 173); nothing bound judgements
294, recommendations 747 (writing 386), statistics 1,071 (writing 488), plan-actions-kpis 934
(writing 482): for the last three the writing alone is over 300. National at most 12.8 with the
examples (statistic-across-authorities), nothing bound judgements 63.1 (writing 39.8),
recommendations 62.9 (43.4), statistics 53.7 (28.1).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from core.canned import load_all  # noqa: E402
from core.lexer import token_spans  # noqa: E402
from serving import host_speed  # noqa: E402


def cases(names: list[str]):
    """(label, query, bindings): each query with its examples, then with nothing bound."""
    for name, q in sorted(load_all().items()):
        if names and name not in names:
            continue
        examples = q.bindings(q.examples())
        yield name, q, examples
        try:
            unbound = q.bindings({})
        except ValueError:              # a required parameter: there is no unbound case
            continue
        if unbound != examples:
            yield f"{name} (nothing bound)", q, unbound


def bound_cases(names: list[str], binds: list[str]):
    """(label, query, bindings): each named query with each ``NAME=TEXT`` of ``--bind`` that is
    one of its parameters."""
    queries = load_all()
    for bind in binds:
        name, _, text = bind.partition("=")
        for query_name in names:
            q = queries[query_name]
            if any(p.name == name for p in q.params):
                yield f"{query_name} ({bind})", q, q.bindings({name: text})


def cpu_ms(store: ox.Store, text: str, bindings, repeat: int) -> tuple[float, int]:
    """Median CPU ms of evaluating ``text`` and writing it as JSON, and its rows."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        store.query(text, substitutions=bindings, use_default_graph_as_union=True).serialize(
            format=ox.QueryResultsFormat.JSON)
        times.append((time.process_time() - start) * 1000)
    rows = sum(1 for _ in store.query(text, substitutions=bindings, use_default_graph_as_union=True))
    return statistics.median(times), rows


def without_writing(text: str, params: list[str]) -> str:
    """``text`` (a SELECT query) as the sub-SELECT of ``SELECT (COUNT(*) ...)``: the same joins,
    filters and sort, but no term of the answer is read back from the store or written. The
    parameters stay projected (grouped on: one group), as bindings need. (``bench/breakdown.py``'s
    ``counted`` replaces the projection instead and drops the ORDER BY, which it times apart.)"""
    start = next(pos for kind, value, pos in token_spans(text) if kind == "word" and value.upper() == "SELECT")
    keep = " ".join(f"?{name}" for name in params)
    group = f" GROUP BY {keep}" if keep else ""
    return f"{text[:start]}SELECT {keep} (COUNT(*) AS ?bench_rows) WHERE {{\n{text[start:]}\n}}{group}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--bind", action="append", default=[], metavar="NAME=TEXT",
                    help="also run the named queries with these parameters (repeatable: each one "
                         "a case of its own, e.g. --bind words=child)")
    ap.add_argument("names", nargs="*", help="only these canned queries")
    args = ap.parse_intermixed_args()
    store = ox.Store.read_only(str(args.store))
    print(host_speed())
    print("CPU ms = evaluating and writing the JSON answer; of which evaluating = the same query "
          "counted (COUNT(*) over it as a sub-SELECT), writing = the rest: the answer's terms read "
          "back from the store and written")
    print(f"{'query':48} {'rows':>7} {'CPU ms':>8} {'evaluating':>10} {'writing':>8}")
    for label, q, bindings in [*cases(args.names), *bound_cases(args.names, args.bind)]:
        ms, rows = cpu_ms(store, q.sparql, bindings, args.repeat)
        evaluating, _ = cpu_ms(store, without_writing(q.sparql, [p.name for p in q.params]), bindings, args.repeat)
        print(f"{label:48} {rows:7d} {ms:8.1f} {evaluating:10.1f} {ms - evaluating:8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
