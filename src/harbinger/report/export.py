"""Exports of stored events: an ACLED-format CSV, GeoJSON for maps, and JSON Lines.

The ACLED CSV uses ACLED's column names and conventions so that tools written for ACLED
downloads read Harbinger's events unchanged: ``disorder_type`` comes from the sub-event type via
the packaged taxonomy, ``iso`` is the ISO 3166-1 numeric country code, ``region`` is ACLED's
region of the country, inter codes and interaction are ACLED's numbers. Each exporter takes any
iterable of ``StoredEvent`` (it streams, so a large query need not fit in memory), writes to an
open text stream, and returns how many events it wrote.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, TextIO

import pycountry

from harbinger.store import StoredEvent
from harbinger.taxonomy import taxonomy

__all__ = ["ACLED_COLUMNS", "export_acled_csv", "export_geojson", "export_jsonl"]

#: ACLED's export columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)


@lru_cache(maxsize=256)
def _country(code: str | None, name: str | None) -> tuple[int | None, str | None]:
    """(ISO numeric code, alpha-2 code) of a country given by alpha-2 code or by name."""
    found: Any = None
    if code:
        found = pycountry.countries.get(alpha_2=code.upper()) or pycountry.countries.get(
            alpha_3=code.upper()
        )
    if found is None and name:
        try:
            found = pycountry.countries.lookup(name)
        except LookupError:
            found = None
    if found is None:
        return None, None
    return int(found.numeric), str(found.alpha_2)


def _blank(value: object) -> object:
    return "" if value is None else value


def _coordinate(value: float | None) -> str:
    # ACLED writes coordinates with four decimals (about 11 m), which is all a gazetteer gives.
    return "" if value is None else f"{value:.4f}"


def _acled_row(event: StoredEvent) -> dict[str, object]:
    tax = taxonomy()
    sub = tax.find(event.sub_event_type)
    iso, alpha2 = _country(event.country_code, event.country)
    # ACLED's victim is always actor 2; "Civilians (Iraq)" is how it names civilian victims.
    targeted = (event.actor2 or "").startswith("Civilians")
    timestamp = int(event.ingested_at.timestamp()) if event.ingested_at else ""
    return {
        # An imported event keeps the dataset's own id, so it can be matched back to it.
        "event_id_cnty": event.source_event_id or event.id,
        "event_date": event.date.isoformat() if event.date else "",
        "year": event.date.year if event.date else "",
        "time_precision": event.time_precision,
        "disorder_type": sub.disorder_type if sub else "",
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": _blank(event.actor1),
        "assoc_actor_1": _blank(event.assoc_actor1),
        "inter1": _blank(event.inter1),
        "actor2": _blank(event.actor2),
        "assoc_actor_2": _blank(event.assoc_actor2),
        "inter2": _blank(event.inter2),
        "interaction": _blank(event.interaction),
        "civilian_targeting": "Civilians targeted" if targeted else "",
        "iso": _blank(iso),
        "region": tax.regions.get(alpha2, "") if alpha2 else "",
        "country": _blank(event.country),
        "admin1": _blank(event.admin1),
        "admin2": _blank(event.admin2),
        "admin3": "",
        "location": _blank(event.location),
        "latitude": _coordinate(event.latitude),
        "longitude": _coordinate(event.longitude),
        "geo_precision": _blank(event.geo_precision),
        "source": _blank(event.source),
        "source_scale": "",
        "notes": event.notes,
        "fatalities": event.fatalities,
        "tags": "",
        "timestamp": timestamp,
    }


def export_acled_csv(events: Iterable[StoredEvent], out: TextIO) -> int:
    """Write events as an ACLED-format CSV (header row first); returns the number written.

    Open ``out`` with ``newline=""`` as the csv module asks; rows end in ``\\n``.
    """
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(_acled_row(event))
        count += 1
    return count


def _has_point(event: StoredEvent) -> bool:
    lat, lon = event.latitude, event.longitude
    return (
        lat is not None
        and lon is not None
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90.0 <= lat <= 90.0
        and -180.0 <= lon <= 180.0
    )


def export_geojson(events: Iterable[StoredEvent], out: TextIO) -> int:
    """Write a GeoJSON FeatureCollection of Points; returns the number of features written.

    Events without usable coordinates are left out and counted in the collection's
    ``skipped_without_coordinates`` member. Features are written as they come, one per line.
    """
    out.write('{"type": "FeatureCollection", "features": [')
    written = skipped = 0
    for event in events:
        if not _has_point(event):
            skipped += 1
            continue
        feature = {
            "type": "Feature",
            "id": event.id,
            # GeoJSON puts longitude first (RFC 7946 §3.1.1).
            "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
            "properties": event.to_dict(),
        }
        out.write(("\n" if written == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
        written += 1
    out.write(f'\n], "skipped_without_coordinates": {skipped}}}\n')
    return written


def export_jsonl(events: Iterable[StoredEvent], out: TextIO) -> int:
    """Write one JSON object per line (``StoredEvent.to_dict()``); returns the number written."""
    count = 0
    for event in events:
        out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count
