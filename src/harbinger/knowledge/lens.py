"""An actor lens: the names under which one actor, or a family of actors, appears in coded events.

An analyst asks for "Islamic State", "IS", "Daesh" or "ISIS" and means the group with its Iraq and
Syria branches, its affiliates and its leaders; a stored event names it "Islamic State (Iraq)" or
"Islamic State (Syria)" (ACLED's names, which the table importers also give UCDP's "IS"). The lens
resolves what the analyst typed through the actor knowledge (names, country names, names by period
and aliases) and collects every name the actor and the actors below it in the parent chain take.

A state force is a family too: "Military Forces of Iraq" takes its periods and the units ACLED
appends after the state name ("Military Forces of Iraq (2014-2018) Peshmerga"), so a name
matches when it is one of the family's names or begins with one followed by a space.

A name the knowledge does not know is kept as written and matched exactly (an actor of an imported
table that the theatre files do not list): ``known`` is then false, so a caller can say so.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from harbinger.knowledge import ActorEntry, Theatre, load_theatre


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


#: ACLED's period in brackets after a state's name: "Military Forces of Iraq (2014-2018)".
_PERIOD = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)")


@dataclass(frozen=True, slots=True)
class ActorLens:
    """The names of one actor family, to select the events it is a party to."""

    #: What the analyst asked for, as typed.
    query: str
    #: The actor the query resolved to (its ACLED name without country), or the query itself.
    label: str
    #: Every stored name of the family, exactly as events carry them.
    names: frozenset[str]
    #: Whether the query resolved through the actor knowledge.
    known: bool = True
    #: The knowledge ids of the family (empty when not known).
    actor_ids: frozenset[str] = frozenset()
    #: State names without their period ("Military Forces of Iraq"): a name that begins with one
    #: and a bracket is the state in a period the knowledge may not list ("(2018-2022)").
    stems: frozenset[str] = frozenset()

    def matches(self, name: str | None) -> bool:
        """Whether an event's actor name belongs to the family (units after a state name count)."""
        if not name:
            return False
        if name in self.names:
            return True
        return any(name.startswith(n + " ") for n in self.names) or any(
            name.startswith(s + " (") for s in self.stems
        )

    def matches_any(self, names: Iterable[str | None]) -> bool:
        return any(self.matches(n) for n in names)

    def is_party(
        self,
        actor1: str | None,
        actor2: str | None,
        assoc_actor1: Iterable[str] | str | None = (),
        assoc_actor2: Iterable[str] | str | None = (),
    ) -> bool:
        """Whether the family is a side of an event: actor 1 or 2, or associated with either."""
        assoc: list[str] = []
        for value in (assoc_actor1, assoc_actor2):
            if isinstance(value, str):
                assoc += [v.strip() for v in value.split(";")]
            elif value:
                assoc += list(value)
        return self.matches(actor1) or self.matches(actor2) or self.matches_any(assoc)

    def is_side(self, actor1: str | None, actor2: str | None) -> bool:
        """Whether the family is actor 1 or actor 2 (UCDP's side A or side B)."""
        return self.matches(actor1) or self.matches(actor2)


def _entry_names(entry: ActorEntry) -> set[str]:
    names = {entry.name}
    names.update(n for _code, n in entry.country_names)
    names.update(n for _lo, _hi, n in entry.names_by_period)
    if "{country}" in entry.name:
        names.discard(entry.name)
        names.update(entry.acled_name(code) for code in ("IQ", "SY"))
    return names


@functools.lru_cache(maxsize=8)
def _index(theatre_name: str) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Folded surface form -> actor ids: (names the knowledge writes, aliases)."""
    theatre = load_theatre(theatre_name)
    by_name: dict[str, set[str]] = {}
    by_alias: dict[str, set[str]] = {}
    for entry in theatre.actors:
        for name in (*_entry_names(entry), entry.id):
            by_name.setdefault(_fold(name), set()).add(entry.id)
            # The name without its period ("Military Forces of Iraq") is the state across periods.
            by_name.setdefault(_fold(_PERIOD.sub("", name)), set()).add(entry.id)
        for alias in entry.aliases:
            by_alias.setdefault(_fold(alias.text), set()).add(entry.id)
    return (
        {k: tuple(sorted(v)) for k, v in by_name.items()},
        {k: tuple(sorted(v)) for k, v in by_alias.items()},
    )


def _family(theatre: Theatre, root_id: str) -> list[ActorEntry]:
    children: dict[str, list[ActorEntry]] = {}
    for entry in theatre.actors:
        if entry.parent:
            children.setdefault(entry.parent, []).append(entry)
    found: list[ActorEntry] = []
    todo = [theatre.actor(root_id)]
    seen: set[str] = set()
    while todo:
        entry = todo.pop()
        if entry.id in seen:
            continue
        seen.add(entry.id)
        found.append(entry)
        todo.extend(children.get(entry.id, []))
    return found


def actor_lens(query: str, theatre_name: str = "iraq_syria") -> ActorLens:
    """The lens for what an analyst typed: a name, a country name, an alias or an actor id.

    A country's own name ("Islamic State (Iraq)") selects that branch only; the group's name or any
    alias selects the whole family. Several actors sharing an alias are all taken (the knowledge
    keeps aliases unique, so this happens only for user-typed lower-case acronyms).
    """
    text = " ".join(query.split())
    if not text:
        raise ValueError("an actor name is needed")
    theatre = load_theatre(theatre_name)
    by_name, by_alias = _index(theatre_name)
    folded = _fold(text)
    ids = by_name.get(folded) or by_alias.get(folded) or ()
    if not ids:
        return ActorLens(query=text, label=text, names=frozenset({text}), known=False)
    names: set[str] = set()
    stems: set[str] = set()
    family_ids: set[str] = set()
    for actor_id in ids:
        entry = theatre.actor(actor_id)
        branch = [n for _code, n in entry.country_names if _fold(n) == folded]
        for member in _family(theatre, actor_id):
            family_ids.add(member.id)
            member_names = _entry_names(member)
            if branch and member.country_names:
                # A branch asked for by its country name: that country's names of the family.
                codes = {c for c, n in entry.country_names if _fold(n) == folded}
                member_names = {n for c, n in member.country_names if c in codes} or member_names
            names.update(member_names)
            stems.update(_PERIOD.sub("", n) for _lo, _hi, n in member.names_by_period)
    label = theatre.actor(ids[0]).name if len(ids) == 1 else text
    if len(ids) == 1 and any(_fold(n) == folded for _c, n in theatre.actor(ids[0]).country_names):
        label = text
    return ActorLens(
        query=text,
        label=label,
        names=frozenset(names),
        known=True,
        actor_ids=frozenset(family_ids),
        stems=frozenset(stems),
    )
