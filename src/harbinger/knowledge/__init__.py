"""Knowledge of a theatre, kept as versioned data files and loaded once.

A theatre is a folder of YAML files beside this module: ``actors.yaml`` (actors and their
aliases), ``events.yaml`` (event triggers in ACLED's taxonomy), ``claims.yaml`` (reported speech and
stance cues), ``indicators.yaml`` (non-event signals), ``numbers.yaml`` (number words, ACLED's vague
quantities) and ``places.yaml`` (the gazetteer, read by :mod:`harbinger.geo`). Every file
is validated on load; a bad file raises :class:`~harbinger.errors.KnowledgeError` naming the file and
the entry.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from harbinger.errors import KnowledgeError

#: ACLED inter codes by actor kind (officials take the code of the body they belong to).
INTER_BY_KIND = {
    "state": 1,
    "rebel": 2,
    "political_militia": 3,
    "identity_militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external": 8,
}
ACTOR_KINDS = frozenset({*INTER_BY_KIND, "official", "other"})
#: Kinds that carry arms (the sides of a battle).
ARMED_KINDS = frozenset({"state", "rebel", "political_militia", "identity_militia", "external"})


def theatre_dir(theatre: str) -> Path:
    """The folder of a theatre's knowledge files inside the installed package."""
    path = Path(str(resources.files("harbinger.knowledge").joinpath(theatre)))
    if not path.is_dir():
        raise KnowledgeError(
            f"theatre {theatre!r} has no knowledge folder ({path}); "
            "pass an existing theatre such as 'iraq_syria'"
        )
    return path


def read_yaml(path: Path) -> dict[str, Any]:
    """A knowledge file as a mapping, with a clear error when it is missing or not YAML."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KnowledgeError(f"{path}: knowledge file is missing") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected a mapping at the top level")
    return data


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise KnowledgeError(f"{where}: expected a list of strings")
    if any(isinstance(v, bool) for v in value):
        # YAML 1.1 reads bare no/yes/on/off as booleans: the word must be quoted.
        raise KnowledgeError(f"{where}: a bare no/yes/on/off became a boolean; quote the word")
    return tuple(str(v) for v in value)


def _years(value: Any, where: str) -> tuple[int | None, int | None]:
    if value is None:
        return (None, None)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(v is None or isinstance(v, int) for v in value)
    ):
        raise KnowledgeError(f"{where}: years must be [from, to] with integers or null")
    return (value[0], value[1])


def _in_years(years: tuple[int | None, int | None], year: int | None) -> bool:
    if year is None:
        return True
    lo, hi = years
    return (lo is None or year >= lo) and (hi is None or year <= hi)


@dataclass(frozen=True, slots=True)
class Alias:
    """One surface form of an actor, with the years it is in use."""

    text: str
    case_sensitive: bool = False
    years: tuple[int | None, int | None] = (None, None)
    #: A generic form ("security forces") that names another actor in another country: (ISO
    #: code, actor id) pairs, taken when the document is about that country.
    by_country: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """An actor of the theatre as the knowledge file describes it."""

    id: str
    name: str
    kind: str
    inter: int | None
    country: str | None
    aliases: tuple[Alias, ...]
    parent: str | None = None
    title: str | None = None
    years: tuple[int | None, int | None] = (None, None)
    country_names: tuple[tuple[str, str], ...] = ()
    names_by_period: tuple[tuple[int | None, int | None, str], ...] = ()
    #: A coalition's members: the actors it stands for when it is named with them (ACLED codes
    #: "Turkish forces and factions operating under OPS" as the coalition).
    members: tuple[str, ...] = ()

    @property
    def armed(self) -> bool:
        return self.kind in ARMED_KINDS

    def acled_name(
        self, country_code: str | None = None, year: int | None = None, month: int = 6
    ) -> str:
        """The ACLED-style name for an event in a country and year (regimes are named by period).

        A year where one period ends and the next begins goes to the earlier period in its first
        half and to the later one after (the month is the tie-break; regimes change mid-year).
        """
        if year is not None and self.names_by_period:
            matches = [
                (lo, hi, n) for lo, hi, n in self.names_by_period if _in_years((lo, hi), year)
            ]
            if matches:
                if len(matches) > 1 and month < 7:
                    return matches[0][2]
                return matches[-1][2]
        elif self.names_by_period:
            return self.names_by_period[-1][2]
        names = dict(self.country_names)
        code = country_code or self.country
        if code and code in names:
            return names[code]
        if "{country}" in self.name:
            return self.name.replace("{country}", _COUNTRY_NAMES.get(code or "", "Iraq"))
        if self.names_by_period:
            return self.names_by_period[-1][2]
        return self.name


_COUNTRY_NAMES = {"IQ": "Iraq", "SY": "Syria", "TR": "Turkey", "IR": "Iran", "JO": "Jordan"}


def _parse_actor(raw: Any, where: str) -> ActorEntry:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: an actor must be a mapping")
    for key in ("id", "name", "kind"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise KnowledgeError(f"{where}: actor needs a non-empty '{key}'")
    where = f"{where} ({raw['id']})"
    kind = raw["kind"]
    if kind not in ACTOR_KINDS:
        raise KnowledgeError(f"{where}: kind {kind!r} is not one of {sorted(ACTOR_KINDS)}")
    inter = raw.get("inter", INTER_BY_KIND.get(kind))
    if inter is not None and (not isinstance(inter, int) or not 1 <= inter <= 8):
        raise KnowledgeError(f"{where}: inter must be an ACLED inter code 1-8")
    aliases = []
    for i, a in enumerate(raw.get("aliases") or []):
        if isinstance(a, str):
            a = {"text": a}
        if not isinstance(a, dict) or not isinstance(a.get("text"), str) or not a["text"].strip():
            raise KnowledgeError(f"{where}: alias {i} needs a 'text'")
        by_country = a.get("by_country") or {}
        if not isinstance(by_country, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in by_country.items()
        ):
            raise KnowledgeError(f"{where}: alias {a['text']!r}: by_country maps ISO codes to ids")
        aliases.append(
            Alias(
                text=a["text"].strip(),
                case_sensitive=bool(a.get("case_sensitive", False)),
                years=_years(a.get("years"), f"{where} alias {a['text']!r}"),
                by_country=tuple(sorted(by_country.items())),
            )
        )
    # ACLED's "ABBR: Full Name" actors go by the abbreviation in ACLED's notes and in reports
    # ("JaS", "AAS"): it is an alias, matched as written (short acronyms collide with words).
    prefix = re.match(r"([A-Za-z]{2,6}): ", raw["name"])
    if prefix and all(a.text.casefold() != prefix.group(1).casefold() for a in aliases):
        aliases.append(Alias(text=prefix.group(1), case_sensitive=True))
    periods = []
    for p in raw.get("names_by_period") or []:
        if not isinstance(p, dict) or not isinstance(p.get("name"), str):
            raise KnowledgeError(f"{where}: names_by_period entries need 'name', 'from', 'to'")
        periods.append((p.get("from"), p.get("to"), p["name"]))
    country_names = raw.get("country_names") or {}
    if not isinstance(country_names, dict):
        raise KnowledgeError(f"{where}: country_names must map ISO codes to names")
    return ActorEntry(
        id=raw["id"],
        name=raw["name"],
        kind=kind,
        inter=inter,
        country=raw.get("country"),
        aliases=tuple(aliases),
        parent=raw.get("parent"),
        title=raw.get("title"),
        years=_years(raw.get("years"), where),
        country_names=tuple(sorted((str(k), str(v)) for k, v in country_names.items())),
        names_by_period=tuple(periods),
        members=_str_list(raw.get("members") or [], f"{where}: members"),
    )


@dataclass(frozen=True, slots=True)
class Trigger:
    """An event trigger: surface forms and the ACLED sub-event type they point to."""

    id: str
    words: tuple[str, ...]
    sub_event_type: str | None
    weight: int = 1
    outcome: str | None = None
    requires_agent_kind: tuple[str, ...] = ()
    #: Weapon nouns that name this kind of event only in an attack context ("fired rockets").
    weapon_words: tuple[str, ...] = ()
    #: The kind follows the target (armed: Armed clash; unarmed: the trigger's own type).
    by_target: bool = False


@dataclass(frozen=True, slots=True)
class Combination:
    """A verb-object pattern: the object names the event only under one of the verbs (lemmas)."""

    trigger: Trigger
    verbs: frozenset[str]
    objects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Modifier:
    cues: tuple[str, ...]
    from_types: tuple[str, ...]
    to_type: str


@dataclass(frozen=True, slots=True)
class Theatre:
    """All the knowledge files of one theatre, parsed and validated."""

    name: str
    path: Path
    actors: tuple[ActorEntry, ...]
    triggers: tuple[Trigger, ...]
    outcomes: dict[str, tuple[str, ...]]
    modifiers: tuple[Modifier, ...]
    outcome_rules: dict[str, str]
    combinations: tuple[Combination, ...]
    protest_rules: dict[str, tuple[str, ...]]
    attack_targets: dict[str, frozenset[str]]
    claims: dict[str, Any]
    indicators: dict[str, Any]
    numbers: dict[str, Any]
    language: dict[str, Any]
    actor_by_id: dict[str, ActorEntry] = field(default_factory=dict)
    #: ACLED's hierarchy within one event: the sub-event type an act takes when someone is killed
    #: ("abducted and then killed" is an Attack).
    when_killed: dict[str, str] = field(default_factory=dict)
    #: Sub-event types whose victims are the country's civilians when the text names none.
    civilians_when_no_target: frozenset[str] = frozenset()

    def actor(self, actor_id: str) -> ActorEntry:
        return self.actor_by_id[actor_id]

    def root_of(self, actor: ActorEntry) -> ActorEntry:
        """The top of an actor's parent chain (a unit's army, an official's force)."""
        seen = {actor.id}
        while actor.parent and actor.parent in self.actor_by_id and actor.parent not in seen:
            actor = self.actor_by_id[actor.parent]
            seen.add(actor.id)
        return actor


def _load_combinations(path: Path, data: dict[str, Any]) -> tuple[Combination, ...]:
    from harbinger.taxonomy import is_sub_event_type

    out = []
    for i, raw in enumerate(data.get("combinations") or []):
        where = f"{path}: combination {i}"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise KnowledgeError(f"{where}: needs an 'id'")
        sub = raw.get("sub_event_type")
        if not isinstance(sub, str) or not is_sub_event_type(sub):
            raise KnowledgeError(f"{where} ({raw['id']}): {sub!r} is not an ACLED sub-event type")
        trig = Trigger(
            id=raw["id"],
            words=(),
            sub_event_type=sub,
            weight=int(raw.get("weight", 1)),
            requires_agent_kind=_str_list(raw.get("requires_agent_kind"), where),
        )
        out.append(
            Combination(
                trig,
                frozenset(v.lower() for v in _str_list(raw.get("verbs"), where)),
                _str_list(raw.get("objects"), where),
            )
        )
    return tuple(out)


def _load_events(
    path: Path, data: dict[str, Any]
) -> tuple[tuple[Trigger, ...], dict[str, tuple[str, ...]], tuple[Modifier, ...], dict[str, str]]:
    from harbinger.taxonomy import is_sub_event_type  # the taxonomy validates sub-event types

    triggers = []
    for i, raw in enumerate(data.get("triggers") or []):
        where = f"{path}: trigger {i}"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise KnowledgeError(f"{where}: needs an 'id'")
        sub = raw.get("sub_event_type")
        if sub is not None and not is_sub_event_type(sub):
            raise KnowledgeError(f"{where} ({raw['id']}): {sub!r} is not an ACLED sub-event type")
        triggers.append(
            Trigger(
                id=raw["id"],
                words=_str_list(raw.get("words"), where),
                sub_event_type=sub,
                weight=int(raw.get("weight", 1)),
                outcome=raw.get("outcome"),
                requires_agent_kind=_str_list(raw.get("requires_agent_kind"), where),
                weapon_words=_str_list(raw.get("weapon_words"), where),
                by_target=bool(raw.get("by_target", False)),
            )
        )
    outcomes = {
        k: _str_list(v, f"{path}: outcomes.{k}") for k, v in (data.get("outcomes") or {}).items()
    }
    modifiers = []
    for i, raw in enumerate(data.get("modifiers") or []):
        where = f"{path}: modifier {i}"
        if not isinstance(raw, dict) or "to" not in raw:
            raise KnowledgeError(f"{where}: needs 'cue', 'from' and 'to'")
        modifiers.append(
            Modifier(_str_list(raw.get("cue"), where), _str_list(raw.get("from"), where), raw["to"])
        )
    rules = dict(data.get("outcome_rules") or {})
    attack = data.get("attack_words") or {}
    rules["attack_verbs"] = ",".join(_str_list(attack.get("verbs"), f"{path}: attack_words.verbs"))
    rules["attack_nouns"] = ",".join(_str_list(attack.get("nouns"), f"{path}: attack_words.nouns"))
    return tuple(triggers), outcomes, tuple(modifiers), rules


def _sub_type_map(path: Path, key: str, raw: Any) -> dict[str, str]:
    """A mapping of ACLED sub-event types to sub-event types, each one checked."""
    from harbinger.taxonomy import is_sub_event_type

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise KnowledgeError(
            f"{path}: {key}: expected a mapping of sub-event type to sub-event type"
        )
    for k, v in raw.items():
        for value in (k, v):
            if not isinstance(value, str) or not is_sub_event_type(value):
                raise KnowledgeError(f"{path}: {key}: {value!r} is not an ACLED sub-event type")
    return {str(k): str(v) for k, v in raw.items()}


def _sub_type_list(path: Path, key: str, raw: Any) -> frozenset[str]:
    """A list of ACLED sub-event types, each one checked."""
    from harbinger.taxonomy import is_sub_event_type

    values = _str_list(raw or [], f"{path}: {key}")
    for value in values:
        if not is_sub_event_type(value):
            raise KnowledgeError(f"{path}: {key}: {value!r} is not an ACLED sub-event type")
    return frozenset(values)


@functools.lru_cache(maxsize=4)
def load_theatre(name: str = "iraq_syria") -> Theatre:
    """Load and validate the knowledge files of a theatre (once per process)."""
    path = theatre_dir(name)
    actors_file = path / "actors.yaml"
    raw_actors = read_yaml(actors_file).get("actors")
    if not isinstance(raw_actors, list) or not raw_actors:
        raise KnowledgeError(f"{actors_file}: needs a non-empty 'actors' list")
    actors = tuple(_parse_actor(a, f"{actors_file}: actor {i}") for i, a in enumerate(raw_actors))
    by_id: dict[str, ActorEntry] = {}
    for a in actors:
        if a.id in by_id:
            raise KnowledgeError(f"{actors_file}: actor id {a.id!r} is used twice")
        by_id[a.id] = a
    for a in actors:
        if a.parent and a.parent not in by_id:
            raise KnowledgeError(f"{actors_file}: actor {a.id!r} has unknown parent {a.parent!r}")
        for member in a.members:
            if member not in by_id:
                raise KnowledgeError(f"{actors_file}: actor {a.id!r} has unknown member {member!r}")
        for alias in a.aliases:
            for _code, other in alias.by_country:
                if other not in by_id:
                    raise KnowledgeError(
                        f"{actors_file}: actor {a.id!r} alias {alias.text!r}: "
                        f"unknown actor {other!r} in by_country"
                    )
    events_data = read_yaml(path / "events.yaml")  # read once, validated part by part
    triggers, outcomes, modifiers, rules = _load_events(path / "events.yaml", events_data)
    targets = events_data.get("attack_targets") or {}
    attack_targets = {
        k: frozenset(w.lower() for w in _str_list(v, f"{path / 'events.yaml'}: attack_targets.{k}"))
        for k, v in targets.items()
    }
    protest = {
        k: _str_list(v, f"{path / 'events.yaml'}: protest_rules.{k}")
        for k, v in (events_data.get("protest_rules") or {}).items()
    }
    when_killed = _sub_type_map(path / "events.yaml", "when_killed", events_data.get("when_killed"))
    civilian_types = _sub_type_list(
        path / "events.yaml", "civilians_when_no_target", events_data.get("civilians_when_no_target")
    )
    return Theatre(
        name=name,
        path=path,
        actors=actors,
        triggers=triggers,
        outcomes=outcomes,
        modifiers=modifiers,
        outcome_rules=rules,
        combinations=_load_combinations(path / "events.yaml", events_data),
        protest_rules=protest,
        attack_targets=attack_targets,
        claims=read_yaml(path / "claims.yaml"),
        indicators=read_yaml(path / "indicators.yaml"),
        numbers=read_yaml(path / "numbers.yaml"),
        language=read_yaml(path / "language.yaml"),
        actor_by_id=by_id,
        when_killed=when_killed,
        civilians_when_no_target=civilian_types,
    )
