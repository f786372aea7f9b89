"""Write server/data/england-map.json: England's districts as simplified SVG paths, each
with the GSS code of its children's-services authority.

Usage: python tools/build_map.py [BOUNDARIES.geojson] [REGISTER.csv]
(defaults: ../shared/reference/la-boundaries/local_authority_districts_may_2023.geojson and
../shared/reference/uk_local_authorities.csv)

Coordinates are projected to a plane (longitude scaled by the cosine of 53°N), simplified with
Douglas-Peucker (``TOLERANCE`` km), rings smaller than ``MIN_AREA`` km² dropped (small islands),
and written as whole kilometres x 10. A district that is itself a children's-services authority
(unitary, metropolitan district, London borough, City of London, Isles of Scilly) keeps its own
code; a shire district gets its county's (the register's ``county-la`` column). Each authority's
name comes from the project's register (``ingest/data/``), for the map's labels.
"""
from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "reference"
OUT = ROOT / "server" / "data" / "england-map.json"
TOLERANCE = 1.2          # km
MIN_AREA = 4.0           # km²
KM_PER_DEGREE = 111.32
COS_LAT = math.cos(math.radians(53.0))
SCALE = 10               # path units per km


def project(lon: float, lat: float) -> tuple[float, float]:
    return lon * KM_PER_DEGREE * COS_LAT, -lat * KM_PER_DEGREE


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iteratively (rings run to thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        best, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm > 1e-9 else math.hypot(x - x1, y - y1)
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def path(geometry: dict) -> str:
    """The district's rings as SVG path data; its largest ring is always kept (the City of
    London is smaller than ``MIN_AREA``), at a finer tolerance when it would vanish."""
    parts = []
    projected = sorted(([project(lon, lat) for lon, lat in ring] for ring in rings(geometry)),
                       key=area, reverse=True)
    for n, points in enumerate(projected):
        if n and area(points) < MIN_AREA:
            continue
        for tolerance in (TOLERANCE, TOLERANCE / 4, TOLERANCE / 16):
            simple = simplify(points, tolerance)
            if len(simple) >= 4 or n:
                break
        points = simple
        if len(points) < 4:
            continue
        coords = [(round(x * SCALE), round(y * SCALE)) for x, y in points]
        parts.append("M" + "L".join(f"{x} {y}" for x, y in coords) + "Z")
    return "".join(parts)


#: shire districts whose county the register leaves blank (created 2019 in Suffolk)
COUNTY_GAPS = {"E07000244": "E10000029", "E07000245": "E10000029"}


def counties(register: Path) -> dict[str, str]:
    """District GSS code -> its county council's GSS code (shire districts only; a
    ``county-la`` naming a combined authority or the GLA is not a county)."""
    with open(register, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    county_codes = {r["local-authority-code"]: r["gss-code"] for r in rows if r["local-authority-type"] == "CTY"}
    found = {r["gss-code"]: county_codes[r["county-la"]] for r in rows
             if r["nation"] == "England" and r["county-la"] in county_codes}
    return {**found, **COUNTY_GAPS}


def authority_names(codes: set[str]) -> dict[str, str]:
    """GSS code -> the authority's name in the project's register (codes it lacks are left out)."""
    sys.path.insert(0, str(ROOT))
    from core.authorities import register
    by_gss = register().by_gss
    return {code: by_gss[code].name for code in sorted(codes) if code in by_gss}


def main(argv: list[str]) -> int:
    boundaries = Path(argv[0]) if argv else SHARED / "la-boundaries" / "local_authority_districts_may_2023.geojson"
    register = Path(argv[1]) if len(argv) > 1 else SHARED / "uk_local_authorities.csv"
    county_of = counties(register)
    features = json.loads(boundaries.read_text(encoding="utf-8"))["features"]
    districts = []
    for f in features:
        code = f["properties"]["LAD23CD"]
        if not code.startswith("E"):
            continue
        d = path(f["geometry"])
        if d:
            districts.append({"district": code, "name": f["properties"]["LAD23NM"].strip(),
                              "authority": county_of.get(code, code), "d": d})
    xs, ys = [], []
    for dist in districts:
        for cmd in dist["d"].replace("M", "L").replace("Z", "").split("L"):
            if cmd:
                x, y = cmd.split()
                xs.append(int(x))
                ys.append(int(y))
    pad = 20
    out = {"viewBox": [min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad],
           "attribution": "Source: Office for National Statistics licensed under the Open Government "
                          "Licence v.3.0. Contains OS data © Crown copyright and database right 2023.",
           "districts": sorted(districts, key=lambda d: d["district"])}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, separators=(",", ":")), encoding="utf-8")
    authorities = {d["authority"] for d in districts}
    out["authorities"] = authority_names(authorities)
    OUT.write_text(json.dumps(out, separators=(",", ":")), encoding="utf-8")
    print(f"{len(districts)} districts of {len(authorities)} authorities, {OUT.stat().st_size // 1024} kB -> {OUT}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
