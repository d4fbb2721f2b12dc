"""Reading an ACLED export: the columns it must have and the mapping of one row.

ACLED's coding is Harbinger's own taxonomy, so a row is taken as it is, with full confidence: the
event and sub-event types, the actors and associated actors by the names ACLED gives them, the
inter codes (the numbers of older exports, or the text labels of the current one), the date with
its time precision, the location with its geo precision and the fatalities. The governorate is
resolved through the gazetteer to its ISO 3166-2 code, and the notes become the synthetic
document's text and the event's evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from harbinger.ingest.tables.common import (
    CONFIDENCE,
    RowError,
    field_coord,
    field_int,
    field_text,
    parse_date,
    parse_inter,
    placeholder_event,
    resolve_place,
    synthetic_row,
)
from harbinger.records import GeoPrecision, ImportedRow, TimePrecision

__all__ = ["REQUIRED", "map_row"]

#: Columns a file must have to be read as an ACLED export.
REQUIRED: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "fatalities",
)


def map_row(row: Mapping[str, str], source: str, line: int) -> ImportedRow:
    event_id = field_text(row, "event_id_cnty")
    if event_id is None:
        raise RowError("event_id_cnty is empty; every ACLED row has one")
    day = parse_date(row.get("event_date"), "event_date")
    precision = field_int(row, "time_precision") or 1
    if precision not in (1, 2, 3):
        raise RowError(f"time_precision {precision} is not 1, 2 or 3")
    event_type, sub_type = field_text(row, "event_type"), field_text(row, "sub_event_type")
    if event_type is None or sub_type is None:
        raise RowError("event_type or sub_event_type is empty")
    geo = field_int(row, "geo_precision") or 1
    if geo not in (1, 2, 3):
        raise RowError(f"geo_precision {geo} is not 1, 2 or 3")
    fatalities = field_int(row, "fatalities", required=True) or 0
    place = resolve_place(
        field_text(row, "location"),
        field_text(row, "country"),
        field_text(row, "admin1"),
        field_text(row, "admin2"),
        field_coord(row, "latitude", 90),
        field_coord(row, "longitude", 180),
        cast(GeoPrecision, geo),
    )
    notes = field_text(row, "notes") or ""
    event = placeholder_event(
        event_type=event_type,
        sub_event_type=sub_type,
        date=day,
        time_precision=cast(TimePrecision, precision),
        actor1=field_text(row, "actor1"),
        assoc_actor1=field_text(row, "assoc_actor_1"),
        actor2=field_text(row, "actor2"),
        assoc_actor2=field_text(row, "assoc_actor_2"),
        inter1=parse_inter(row.get("inter1")),
        inter2=parse_inter(row.get("inter2")),
        place=place,
        fatalities=fatalities,
        confidence=CONFIDENCE["acled"],
        notes=notes,
    )
    title = f"ACLED {event_id}: {sub_type}, {place.name}"
    return synthetic_row("acled", event_id, source, notes, title, day, event, line)
