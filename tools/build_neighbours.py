"""Write ingest/data/authorities-neighbours.csv from DfE's statistical neighbours.

Usage: python tools/build_neighbours.py [../shared/reference/statistical-neighbours.csv]

Keeps, per children's-services authority, its GSS code and its ten statistical neighbours
(nearest first) as GSS codes. A code the project's authority register does not know is
matched to the register's code for the same name (Barnsley and Sheffield changed GSS code in
2023; the neighbour lists still use the old ones, as the register does); the script reports
every such change, and stops on a code it cannot match.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "ingest" / "data"
REGISTER = ROOT / "core" / "data"
DEFAULT = ROOT.parent / "shared" / "reference" / "statistical-neighbours.csv"


def register_codes() -> dict[str, str]:
    """GSS code -> short name, from the register's CSV files."""
    codes = {}
    for name in ("authorities.csv", "authorities-extra.csv"):
        with open(REGISTER / name, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                codes[row["gss_code"]] = row["short_name"] or row["name"]
    return codes


def build(source: Path) -> list[tuple[str, str]]:
    known = register_codes()
    by_name = {name.casefold(): code for code, name in known.items()}
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))

    def mapped(code: str, name: str) -> str:
        if code in known:
            return code
        other = by_name.get(name.casefold())
        if other is None:
            sys.exit(f"{source}: {code} ({name}) is not in the register and no authority has that name")
        print(f"{code} ({name}) -> {other}, the register's code", file=sys.stderr)
        return other

    out = []
    for row in rows:
        neighbours = [c.strip() for c in row["stat_neighbours_la_code"].split(",") if c.strip()]
        if not neighbours:
            print(f"{row['la_code_new']} ({row['local_authority_ons_name']}): no neighbours listed; left out",
                  file=sys.stderr)
            continue
        out.append((mapped(row["la_code_new"], row["local_authority_ons_name"]), " ".join(neighbours)))
    unknown = {c for _, ns in out for c in ns.split() if c not in known}
    if unknown:
        sys.exit(f"{source}: neighbour codes not in the register: {sorted(unknown)}")
    return sorted(out)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT
    rows = build(source)
    with open(DATA / "authorities-neighbours.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["gss_code", "neighbours"])
        writer.writerows(rows)
    print(f"{len(rows)} authorities written to {DATA / 'authorities-neighbours.csv'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
