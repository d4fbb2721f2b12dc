"""Plane geometry of the gazetteer: great-circle distance and point-in-polygon over (lon, lat) rings."""

from __future__ import annotations

import math
from collections.abc import Sequence


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _point_in_ring(lat: float, lon: float, ring: Sequence[tuple[float, float]]) -> bool:
    """Even-odd rule over a ring of (lon, lat) points."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _point_in_polygon(
    lat: float, lon: float, rings: Sequence[Sequence[tuple[float, float]]]
) -> bool:
    """Inside the outer ring and outside every hole."""
    if not rings or not _point_in_ring(lat, lon, rings[0]):
        return False
    return not any(_point_in_ring(lat, lon, hole) for hole in rings[1:])
