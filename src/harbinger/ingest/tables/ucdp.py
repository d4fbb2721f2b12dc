"""Reading a UCDP GED table (the Georeferenced Event Dataset as CSV): its columns and row mapping.

UCDP codes conflict deaths, ACLED what happened, and the mapping tables below say, beside each
entry, where UCDP's coding does not fit ACLED's and what was chosen: a side's groups become
actors through the theatre's actor knowledge (a coalition's first group is the actor, the others
its associated actors, and a name not known is kept as UCDP writes it); one-sided violence
becomes Violence against civilians/Attack, with civilians as actor 2 when side B is not a known
actor, and state-based and non-state conflict become Battles/Armed clash, since UCDP does not
tell ground fighting from shelling or air strikes; an event known to the week or the month is dated on the middle day of its span, and
one known only to the year is dropped, as ACLED drops it; a location coded to a province or
wider keeps ACLED's geo precision 3; the best estimate of deaths is the fatalities, with the low
and high estimates kept beside it. These events are stored with a lower confidence than ACLED's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from harbinger.ingest.tables.common import (
    CONFIDENCE,
    RowError,
    RowExcluded,
    Side,
    actor_side,
    country_code_of,
    field_coord,
    field_int,
    field_text,
    is_blank,
    parse_date,
    placeholder_event,
    resolve_place,
    synthetic_row,
)
from harbinger.records import GeoPrecision, ImportedRow, TimePrecision

__all__ = ["REQUIRED", "map_row"]

#: Columns a file must have to be read as a UCDP GED table.
REQUIRED: tuple[str, ...] = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "country",
    "adm_1",
    "where_coordinates",
    "latitude",
    "longitude",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
)

#: UCDP GED actor names -> actor ids of the theatre's actors.yaml (ACLED names come from there,
#: by country and year). Names not listed are looked up among the actors' names and aliases, and
#: kept as UCDP writes them when that finds nothing.
_UCDP_ACTORS: dict[str, str] = {
    "IS": "islamic-state",
    "SDF": "sdf",
    "Government of Syria": "syria-military",
    "Government of Iraq": "iraq-military",
    "Government of Turkey": "turkey-military",
    "Government of Russia (Soviet Union)": "russia-military",
    "Government of Israel": "israel-military",
    "Government of United States of America": "us-military",
    "Government of Iran": "iran-military",
    "Syrian insurgents": "syrian-opposition-rebels",
    "Civilians": "civilians",
    "HTS": "hts",
    "Jabhat Fateh al-Sham": "hts",
    "SNA": "sna",
    "National Front for Liberation": "nfl",
    "Ahrar al-Sham": "ahrar-al-sham",
    "Jaysh al-Islam": "jaysh-al-islam",
    "Sham Legion": "faylaq-al-sham",
    "Rahman Corps": "faylaq-al-sham",
    "Nour al-Din al-Zenki": "nour-al-din-al-zenki",
    "Hezbollah": "hezbollah",
    "PKK": "pkk",
    "YPG": "ypg",
    "al-Qaida": "al-qaeda",
    "Liwa al-Sultan Murad": "sultan-murad-division",
    "Hamza Division": "hamza-division",
    "Jaysh al-Nukhba": "jaysh-al-nukhba",
}

#: UCDP where_prec -> ACLED geo precision (5 "larger than a province" and 6 "country" -> 3: the
#: event is kept, its point says little).
_UCDP_GEO: dict[int, GeoPrecision] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
#: UCDP date_prec -> ACLED time precision; 5 (the year only) is dropped, as ACLED drops it.
_UCDP_TIME: dict[int, TimePrecision] = {1: 1, 2: 2, 3: 2, 4: 3}


def _ucdp_side(value: str | None, country: str | None, day: dt.date) -> tuple[Side, str | None]:
    """A UCDP side: its first group as the actor, the others as associated actors."""
    if value is None:
        return Side("", None), None
    # Coalitions are written "Ahrar al-Sham, HTS, Southern Front"; "Government of X" has no comma.
    names = [n.strip() for n in value.split(",") if n.strip()]
    mapped = [actor_side(n, _UCDP_ACTORS, country, day) for n in names]
    assoc = "; ".join(dict.fromkeys(a.name for a in mapped[1:])) or None
    return mapped[0], assoc


def map_row(row: Mapping[str, str], source: str, line: int) -> ImportedRow:
    event_id = field_text(row, "id")
    if event_id is None:
        raise RowError("id is empty; every UCDP GED row has one")
    start = parse_date(row.get("date_start"), "date_start")
    end = (
        parse_date(row.get("date_end"), "date_end") if not is_blank(row.get("date_end")) else start
    )
    if end < start:
        raise RowError(f"date_end {end} is before date_start {start}")
    prec = field_int(row, "date_prec", required=True) or 0
    if prec == 5:
        raise RowExcluded("date known only to the year (date_prec 5): dropped, as ACLED drops it")
    if prec not in _UCDP_TIME:
        raise RowError(f"date_prec {prec} is not 1 to 5")
    precision = _UCDP_TIME[prec]
    # ACLED dates a week- or month-precise event on the middle day of its span.
    day = start if precision == 1 else start + (end - start) / 2
    violence = field_int(row, "type_of_violence", required=True)
    if violence not in (1, 2, 3):
        raise RowError(f"type_of_violence {violence} is not 1, 2 or 3")
    best = field_int(row, "best", required=True) or 0
    low, high = field_int(row, "low"), field_int(row, "high")
    where = field_int(row, "where_prec") or 4
    country = field_text(row, "country")
    code = country_code_of(country) if country else None
    admin1 = field_text(row, "adm_1")
    place = resolve_place(
        field_text(row, "where_coordinates"),
        country,
        admin1,
        field_text(row, "adm_2"),
        field_coord(row, "latitude", 90),
        field_coord(row, "longitude", 180),
        _UCDP_GEO.get(where, 3),
    )
    side_a, assoc_a = _ucdp_side(field_text(row, "side_a"), code, day)
    side_b, assoc_b = _ucdp_side(field_text(row, "side_b"), code, day)
    if violence == 3:
        # One-sided violence: an organised actor against unarmed people (always actor 2).
        event_type, sub_type = "Violence against civilians", "Attack"
        if not side_b.name or side_b.inter is None:
            side_b = actor_side("Civilians", _UCDP_ACTORS, code, day)
    else:
        # State-based (1) and non-state (2) conflict: two organised armed sides. UCDP does not
        # tell ground fighting from shelling or air strikes, so all of it is an armed clash.
        event_type, sub_type = "Battles", "Armed clash"
    headline = field_text(row, "source_headline") or ""
    kind = {1: "state-based", 2: "non-state", 3: "one-sided"}[violence]
    notes = (
        f"UCDP GED {event_id} ({kind}, {field_text(row, 'conflict_name') or 'conflict not named'}): "
        f"{field_text(row, 'side_a') or '?'} - {field_text(row, 'side_b') or '?'} at {place.name}"
        f"{f' ({admin1})' if admin1 else ''}, {start.isoformat()}"
        f"{f' to {end.isoformat()}' if end != start else ''}; deaths best {best}"
        f"{f' (low {low}, high {high})' if low is not None or high is not None else ''}."
    )
    event = placeholder_event(
        event_type=event_type,
        sub_event_type=sub_type,
        date=day,
        time_precision=precision,
        actor1=side_a.name or None,
        assoc_actor1=assoc_a,
        actor2=side_b.name or None,
        assoc_actor2=assoc_b,
        inter1=side_a.inter,
        inter2=side_b.inter,
        place=place,
        fatalities=best,
        fatalities_low=low,
        fatalities_high=high,
        confidence=CONFIDENCE["ucdp"],
        notes=notes,
    )
    # Several sources write several dates ("2016-01-23;2016-02-08"): the first report counts.
    published = None
    for part in (field_text(row, "source_date") or "").split(";"):
        try:
            published = parse_date(part, "source_date")
            break
        except RowError:
            continue
    text = headline or notes
    title = f"UCDP GED {event_id}: {field_text(row, 'dyad_name') or kind}, {place.name}"
    return synthetic_row("ucdp", event_id, source, text, title, published or day, event, line)
