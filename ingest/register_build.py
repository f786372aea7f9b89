"""Build ``core/data/authorities.csv`` from mySociety's UK local-authority register.

Keeps the English authorities that run children's services (counties, unitaries, metropolitan
districts, London boroughs, City of London, Isles of Scilly), current and former, with the
columns ingest needs. Run: ``python -m ingest.register_build ../shared/reference/uk_local_authorities.csv``
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

CHILDRENS_SERVICES_TYPES = {"CTY", "UA", "MD", "LBO", "CC"}
COLUMNS = ["gss_code", "name", "short_name", "alt_names", "type", "region", "start_date",
           "end_date", "replaced_by_gss", "la_number"]
OUT = Path(__file__).resolve().parents[1] / "core" / "data" / "authorities.csv"


def build(source: Path, out: Path = OUT) -> int:
    rows = list(csv.DictReader(source.open(encoding="utf-8")))
    by_code = {r["local-authority-code"]: r for r in rows}
    kept = []
    for r in rows:
        if r["nation"] != "England" or r["local-authority-type"] not in CHILDRENS_SERVICES_TYPES:
            continue
        successor = by_code.get(r["replaced-by"].split("|")[0]) if r["replaced-by"] else None
        alts = sorted({a.strip() for a in r["alt-names"].split(",") if a.strip()}, key=lambda a: (a.lower(), a))
        kept.append({
            "gss_code": r["gss-code"],
            "name": " ".join(r["official-name"].split()),
            "short_name": r["nice-name"],
            "alt_names": "|".join(alts),
            "type": r["local-authority-type-name"],
            "region": r["region"],
            "start_date": r["start-date"],
            "end_date": r["end-date"],
            "replaced_by_gss": successor["gss-code"] if successor else "",
            "la_number": r["old-ons-la-code"] if r["old-ons-la-code"].isdigit() else "",
        })
    kept.sort(key=lambda r: r["gss_code"])
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        w.writerows(kept)
    return len(kept)


if __name__ == "__main__":
    n = build(Path(sys.argv[1]))
    print(f"wrote {n} authorities to {OUT}")
