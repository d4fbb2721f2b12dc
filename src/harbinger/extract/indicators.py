"""Indicators: the non-event signals an analyst tracks, read with the cues of ``indicators.yaml``.

- ``strength``: a count of fighters with a strength cue ("about 50,000 fighters"); a range keeps
  its low and high and codes the low figure as the value (the conservative reading).
- ``losses``: a count of dead that belongs to no event (no date, no place: a cumulative figure).
- ``withdrawal``: forces leaving ("the withdrawal of US troops from Syria").
- ``leadership``: leaders killed, captured, at large or appointed.
- ``tactic``: sleeper cells, assassinations, IEDs, ... (not the trigger of a coded event).
- ``resurgence``: a group regrouping, with the place (often a region such as the Badia).
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from harbinger.extract.context import DocumentContext, Hit, Sentence
from harbinger.extract.counts import CountReader
from harbinger.knowledge import Theatre
from harbinger.records import Event, Indicator, Place

if TYPE_CHECKING:
    from harbinger.geo import Gazetteer

_STATUS_ORDER = ("at large", "killed", "captured", "appointed")


def _ind_id(ctx: DocumentContext, kind: str, start: int, extra: str = "") -> str:
    key = f"{ctx.document.id}:{kind}:{start}:{extra}"
    return "in-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _actor_near(
    ctx: DocumentContext,
    theatre: Theatre,
    s: Sentence,
    offset: int,
    kinds: tuple[str, ...] | None = None,
    after: bool = False,
) -> str | None:
    candidates = []
    for h in s.actors:
        actor = ctx.resolve(h)
        if actor is None or actor.kind == "official":
            continue
        if kinds and actor.kind not in kinds:
            continue
        if after and h.start < offset:
            continue
        candidates.append((abs(h.start - offset), actor))
    if not candidates:
        return None
    actor = theatre.root_of(min(candidates, key=lambda c: c[0])[1])
    return actor.name if actor.kind == "rebel" else actor.acled_name(ctx.main_country(), ctx.year())


def _places(
    ctx: DocumentContext, gazetteer: Gazetteer, s: Sentence, after: int | None = None
) -> list[Place]:
    out: list[Place] = []
    for h in s.places:
        if after is not None and h.start < after:
            continue
        place = gazetteer.resolve(h.text, countries=ctx.countries, admin1_codes=ctx.admin1_codes)
        if place is not None and all(p.name != place.name for p in out):
            out.append(place)
    return out


def build_indicators(
    ctx: DocumentContext,
    theatre: Theatre,
    gazetteer: Gazetteer,
    counts: CountReader,
    events: list[Event],
) -> list[Indicator]:
    """The indicators of a prepared document (parses are used where present, not required)."""
    cfg = theatre.indicators
    fighter = "|".join(re.escape(w) for w in cfg["fighter_nouns"])
    after_count = re.compile(rf"^\s+(?:[\w'-]+\s+){{0,2}}?(?:{fighter})\b", re.IGNORECASE)
    killed_after = re.compile(
        r"^\s+(?:[\w'-]+\s+){0,2}?(?:were|was|have been|had been)?\s*(?:killed|dead|eliminated)\b",
        re.IGNORECASE,
    )
    statuses = cfg["leadership"]["status"]
    qualifiers = [*counts.approx, *counts.at_most, *counts.at_least]
    alternatives = "|".join(re.escape(q) for q in qualifiers)
    approx = re.compile(rf"\b(?:{alternatives})\s*$", re.IGNORECASE)
    # "thousands of fighters held in camps" counts detainees, not a fighting strength.
    detained_after = re.compile(
        rf"^\s+(?:[\w'-]+\s+){{0,2}}?(?:{fighter})\b(?:\s+[\w'-]+){{0,5}}?\s+"
        r"(?:held|detained|arrested|captured|imprisoned|killed|wounded|surrendered|in custody)\b",
        re.IGNORECASE,
    )
    event_sentences = {e.sentence for ev in events for e in ev.evidence}
    out: list[Indicator] = []
    for s in ctx.sentences:
        if not s.indicators and not s.events:
            continue
        sentence_in_event = ctx.evidence(s).sentence in event_sentences
        kinds = {c.kind for h in s.indicators for c in h.cues}
        # -- strength and losses (counts) --------------------------------------------------
        for count in counts.find(s.text):
            rest = s.text[count.end :]
            before = s.text[max(0, count.start - 40) : count.start].lower()
            start = s.start + count.start
            is_fighters = bool(after_count.match(rest))
            actor = _actor_near(ctx, theatre, s, start, ("rebel",)) or (
                ctx.last_armed_nonstate(start).name if ctx.last_armed_nonstate(start) else None  # type: ignore[union-attr]
            )
            if killed_after.match(rest) or re.search(r"(?:killed|lost)\s+(?:\w+\s+)?$", before):
                if sentence_in_event or ("losses" not in kinds and "strength" not in kinds):
                    continue
                out.append(
                    Indicator(
                        _ind_id(ctx, "losses", start),
                        ctx.document.id,
                        "losses",
                        count.value,
                        count.low,
                        count.high,
                        actor,
                        None,
                        (
                            ctx.evidence(
                                s, start, s.start + count.end + len(rest) - len(rest.lstrip()) + 12
                            ),
                        ),
                    )
                )
            elif (
                is_fighters
                and not sentence_in_event
                and ("strength" in kinds or approx.search(before))
                and not detained_after.match(rest)
            ):
                m = after_count.match(rest)
                end = s.start + count.end + (m.end() if m else 0)
                places = _places(ctx, gazetteer, s)
                out.append(
                    Indicator(
                        _ind_id(ctx, "strength", start),
                        ctx.document.id,
                        "strength",
                        count.value,
                        count.low,
                        count.high,
                        actor,
                        places[0] if len(places) == 1 else None,
                        (ctx.evidence(s, start, end),),
                    )
                )
        # -- cue-based kinds -----------------------------------------------------------------
        seen: set[tuple[str, str]] = set()
        trigger_spans = [
            (h.start, h.end) for h in s.events if any(c.kind == "trigger" for c in h.cues)
        ]
        for h in s.indicators:
            for cue in h.cues:
                ind = _cue_indicator(
                    ctx,
                    theatre,
                    gazetteer,
                    s,
                    h,
                    cue.kind,
                    cue.key,
                    statuses,
                    trigger_spans,
                    sentence_in_event,
                )
                for i in ind:
                    sig = (i.kind, str(i.value) + str(i.place.name if i.place else ""))
                    if sig not in seen:
                        seen.add(sig)
                        out.append(i)
    return out


def _cue_indicator(
    ctx: DocumentContext,
    theatre: Theatre,
    gazetteer: Gazetteer,
    s: Sentence,
    h: Hit,
    kind: str,
    key: str,
    statuses: dict[str, list[str]],
    trigger_spans: list[tuple[int, int]],
    in_event: bool,
) -> list[Indicator]:
    cfg = theatre.indicators
    ev = (ctx.evidence(s, h.start, h.end),)
    if kind == "tactic":
        if any(a < h.end and h.start < b for a, b in trigger_spans) and in_event:
            return []  # the tactic is the coded event itself
        actor = _actor_near(ctx, theatre, s, h.start, ("rebel",))
        if actor is None and ctx.last_armed_nonstate(h.start) is not None:
            actor = ctx.last_armed_nonstate(h.start).name  # type: ignore[union-attr]
        places = _places(ctx, gazetteer, s)
        return [
            Indicator(
                _ind_id(ctx, kind, h.start, key),
                ctx.document.id,
                "tactic",
                key,
                actor=actor,
                place=places[0] if places else None,
                evidence=ev,
            )
        ]
    if kind == "withdrawal":
        actor = _actor_near(
            ctx, theatre, s, h.start, ("external", "state"), after=True
        ) or _actor_near(ctx, theatre, s, h.start, ("external", "state"))
        places = _places(ctx, gazetteer, s, after=h.start)
        return [
            Indicator(
                _ind_id(ctx, kind, h.start),
                ctx.document.id,
                "withdrawal",
                cfg["withdrawal"]["value"],
                actor=actor,
                place=places[0] if places else None,
                evidence=ev,
            )
        ]
    if kind == "resurgence":
        actor = _actor_near(ctx, theatre, s, h.start, ("rebel",))
        if actor is None and ctx.last_armed_nonstate(h.start) is not None:
            actor = ctx.last_armed_nonstate(h.start).name  # type: ignore[union-attr]
        places = [p for p in _places(ctx, gazetteer, s) if p.precision >= 1]
        sub_country = [p for p in places if not (p.gazetteer_id or "").startswith("cty:")]
        chosen: list[Place | None] = list(sub_country) or [None]
        return [
            Indicator(
                _ind_id(ctx, kind, h.start, p.name if p else ""),
                ctx.document.id,
                "resurgence",
                cfg["resurgence"]["value"],
                actor=actor,
                place=p,
                evidence=ev,
            )
            for p in chosen
        ]
    if kind == "leadership":
        low = s.text.lower()
        for status in _STATUS_ORDER:
            for phrase in statuses.get(status, []):
                if re.search(rf"\b{re.escape(str(phrase).lower())}\b", low):
                    actor = _actor_near(ctx, theatre, s, h.start, ("rebel",))
                    if actor is None and ctx.last_armed_nonstate(h.start) is not None:
                        actor = ctx.last_armed_nonstate(h.start).name  # type: ignore[union-attr]
                    return [
                        Indicator(
                            _ind_id(ctx, kind, s.start),
                            ctx.document.id,
                            "leadership",
                            status,
                            actor=actor,
                            evidence=(ctx.evidence(s),),
                        )
                    ]
        return []
    return []
