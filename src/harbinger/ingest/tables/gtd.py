"""Reading a Global Terrorism Database table (CSV): the columns it must have and the row mapping.

The GTD codes an attack by its tactic, ACLED by what happened, so the mapping is an
approximation, and the tables below say, beside each entry, where the GTD's coding does not fit
ACLED's and what was chosen: an attack type becomes an ACLED event and sub-event type (an armed
assault on an armed target is a battle, a bombing flagged as suicide a Suicide bomb, an attack
on a facility looting or property destruction); the perpetrator group becomes actor 1 through the
theatre's actor knowledge and the target type, where it names one, the victim as actor 2; an
unknown day dates the event mid-month with month precision and an unknown month drops it; the
low estimate of fatalities leaves out the perpetrators killed. The older ``year``/``month``/
``day`` column names of derived files are read as well as ``iyear``/``imonth``/``iday``. These
events are stored with a lower confidence than ACLED's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from harbinger.ingest.tables.common import (
    CONFIDENCE,
    RowError,
    RowExcluded,
    Side,
    actor_by_id,
    actor_side,
    country_code_of,
    field_coord,
    field_int,
    field_text,
    placeholder_event,
    resolve_place,
    synthetic_row,
)
from harbinger.records import GeoPrecision, ImportedRow, TimePrecision

__all__ = ["REQUIRED", "map_row"]

#: Columns a file must have to be read as a GTD table (alternatives separated by "|").
REQUIRED: tuple[str, ...] = (
    "eventid",
    "iyear|year",
    "imonth|month",
    "iday|day",
    "country_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "attacktype1_txt",
    "gname",
    "nkill",
)

#: GTD perpetrator group names (gname) -> actor ids of actors.yaml.
_GTD_ACTORS: dict[str, str] = {
    "Islamic State of Iraq and the Levant (ISIL)": "islamic-state",
    "Khorasan Chapter of the Islamic State": "islamic-state",
    "Al-Qaida in Iraq": "al-qaeda-in-iraq",
    "Al-Nusrah Front": "hts",
    "Hay'at Tahrir al-Sham": "hts",
    "Kurdistan Workers' Party (PKK)": "pkk",
    "People's Protection Units (YPG)": "ypg",
    "Syrian Democratic Forces": "sdf",
    "Free Syrian Army": "fsa",
    "Ahrar al-Sham": "ahrar-al-sham",
    "Jaysh al-Islam": "jaysh-al-islam",
    "Popular Mobilization Forces (PMF)": "iraq-pmf",
    "Asa'ib Ahl al-Haqq": "asaib-ahl-al-haq",
    "Kata'ib Hizballah": "kataib-hezbollah",
    "Hizballah": "hezbollah",
    "Unknown": "unidentified-armed-group",
}

#: GTD target types -> the actor id standing for the victim (actor 2); others leave it empty.
_GTD_TARGETS: dict[str, str] = {
    "Private Citizens & Property": "civilians",
    "Educational Institution": "civilians",
    "Religious Figures/Institutions": "civilians",
    "Journalists & Media": "civilians",
    "Military": "{state}-military",
    "Police": "{state}-police",
}

#: GTD targets that are armed: an armed assault on them is a battle, not violence against civilians.
_GTD_ARMED_TARGETS = frozenset({"Military", "Police", "Terrorists/Non-State Militia"})

#: GTD attack types -> (event type, sub-event type) in ACLED's taxonomy. The GTD codes an attack
#: by its tactic, ACLED by what happened, so this is an approximation:
#: - Armed Assault becomes Battles/Armed clash when the target is armed (military, police, a
#:   militia) and Violence against civilians/Attack otherwise;
#: - Bombing/Explosion becomes Suicide bomb when the GTD's ``suicide`` flag is 1;
#: - Facility/Infrastructure Attack becomes Looting/property destruction (ACLED codes arson and
#:   sabotage without casualties there);
#: - Unknown becomes Violence against civilians/Attack, the commonest GTD outcome.
_GTD_ATTACKS: dict[str, tuple[str, str]] = {
    "Assassination": ("Violence against civilians", "Attack"),
    "Armed Assault": ("Violence against civilians", "Attack"),
    "Bombing/Explosion": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "Hijacking": ("Violence against civilians", "Abduction/forced disappearance"),
    "Hostage Taking (Barricade Incident)": (
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    "Hostage Taking (Kidnapping)": ("Violence against civilians", "Abduction/forced disappearance"),
    "Facility/Infrastructure Attack": ("Strategic developments", "Looting/property destruction"),
    "Unarmed Assault": ("Violence against civilians", "Attack"),
    "Unknown": ("Violence against civilians", "Attack"),
}


#: GTD specificity -> ACLED geo precision.
_GTD_GEO: dict[int, GeoPrecision] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}


def _first(row: Mapping[str, str], *keys: str) -> str | None:
    for key in keys:
        if key in row:
            return row[key]
    return None


def map_row(row: Mapping[str, str], source: str, line: int) -> ImportedRow:
    event_id = field_text(row, "eventid")
    if event_id is None:
        raise RowError("eventid is empty; every GTD row has one")
    year = field_int({"year": _first(row, "iyear", "year") or ""}, "year", required=True) or 0
    month = field_int({"month": _first(row, "imonth", "month") or ""}, "month") or 0
    day_n = field_int({"day": _first(row, "iday", "day") or ""}, "day") or 0
    if month == 0:
        raise RowExcluded("month unknown (imonth 0): dropped, as ACLED drops year-only events")
    try:
        # An unknown day (iday 0) is the month: ACLED's precision 3, dated mid-month.
        day = dt.date(year, month, day_n or 15)
    except ValueError:
        raise RowError(f"{year}-{month}-{day_n} is not a date") from None
    precision: TimePrecision = 1 if day_n else 3
    country = field_text(row, "country_txt")
    code = country_code_of(country) if country else None
    attack = field_text(row, "attacktype1_txt") or "Unknown"
    if attack not in _GTD_ATTACKS:
        raise RowError(f"attacktype1_txt {attack!r} is not a GTD attack type")
    event_type, sub_type = _GTD_ATTACKS[attack]
    target = field_text(row, "targtype1_txt")
    if attack == "Armed Assault" and target in _GTD_ARMED_TARGETS:
        event_type, sub_type = "Battles", "Armed clash"
    if attack == "Bombing/Explosion" and field_text(row, "suicide") == "1":
        sub_type = "Suicide bomb"
    nkill = field_int(row, "nkill") or 0
    nkillter = field_int(row, "nkillter")
    specificity = field_int(row, "specificity") or 1
    place = resolve_place(
        field_text(row, "city"),
        country,
        field_text(row, "provstate"),
        None,
        field_coord(row, "latitude", 90),
        field_coord(row, "longitude", 180),
        _GTD_GEO.get(specificity, 3),
    )
    perpetrator = actor_side(field_text(row, "gname") or "Unknown", _GTD_ACTORS, code, day)
    others = [field_text(row, k) for k in ("gname2", "gname3")]
    assoc = [actor_side(n, _GTD_ACTORS, code, day).name for n in others if n]
    victim: Side | None = None
    if target in _GTD_TARGETS:
        state = {"IQ": "iraq", "SY": "syria"}.get(code or "")
        target_id = _GTD_TARGETS[target]
        if "{state}" not in target_id:
            victim = actor_by_id(target_id, code, day)
        elif state:
            victim = actor_by_id(target_id.replace("{state}", state), code, day)
    summary = field_text(row, "summary") or ""
    event = placeholder_event(
        event_type=event_type,
        sub_event_type=sub_type,
        date=day,
        time_precision=precision,
        actor1=perpetrator.name,
        assoc_actor1="; ".join(assoc) or None,
        actor2=victim.name if victim else None,
        inter1=perpetrator.inter,
        inter2=victim.inter if victim else None,
        place=place,
        fatalities=nkill,
        fatalities_low=max(0, nkill - nkillter) if nkillter is not None else None,
        wounded=field_int(row, "nwound"),
        confidence=CONFIDENCE["gtd"],
        notes=summary,
    )
    title = f"GTD {event_id}: {attack}, {place.name}"
    return synthetic_row("gtd", event_id, source, summary, title, day, event, line)
