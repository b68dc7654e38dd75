"""Where the reports of an incident disagree, as records an analyst reads in seconds.

- **Figures** (``fatalities:<side>``, ``injuries:<side>``; ``mixed`` for totals): two claims
  disagree when their ranges lie further apart than the tolerance (2, or 20 % of the larger
  number). A claim's range: exact and around N -> [N, N]; at least N -> [N, inf); more than N
  -> [N+1, inf); up to N -> [N, N] (a claim that as many as N died asserts N, so "13" against
  "up to 120" is a dispute); an explicit range -> [low, high]. Wire copies of one claim count
  once. The contradiction lists every distinct (claimant, value) of that side and kind.
- **Initiator**: events naming initiators with nothing in common.
- **Location**: places more than 25 km apart (both with coordinates), or in different
  admin1 regions.
- **Date**: day-precise dates more than one day apart.

``summary`` reads: ``fatalities of Hezbollah: 13 (Nasrallah; armed_group, self) vs up to 120
(opposition media; partisan_media, adversary)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..places.geoparse import haversine_km
from ..records import Claim, ClaimRef, Contradiction, ContradictionValue, Event
from .reconcile import side_of
from .scoring import actor_key
from .similarity import day_number, fold

RELATIVE = 0.2
ABSOLUTE = 2
PLACE_KM = 25.0
DATE_DAYS = 1
_QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "more_than": "more than ", "up_to": "up to ", "around": "around "}


def claim_text(claim: Claim) -> str:
    """A claim's number as an analyst reads it: "13", "up to 120", "10-15"."""
    if claim.high is not None and claim.high != claim.low and claim.qualifier not in ("up_to", "more_than"):
        return f"{_QUALIFIER_WORDS[claim.qualifier]}{claim.low}-{claim.high}"
    return f"{_QUALIFIER_WORDS[claim.qualifier]}{claim.low}"


def _range(claim: Claim) -> tuple[float, float]:
    if claim.qualifier == "at_least":
        return float(claim.low), math.inf
    if claim.qualifier == "more_than":
        return float(claim.low + 1), math.inf
    if claim.high is not None and claim.qualifier != "up_to":
        return float(claim.low), float(max(claim.high, claim.low))
    return float(claim.low), float(claim.low)


def disagree(a: Claim, b: Claim, *, relative: float = RELATIVE, absolute: int = ABSOLUTE) -> bool:
    """Whether two claims' ranges lie further apart than the tolerance."""
    (a_low, a_high), (b_low, b_high) = _range(a), _range(b)
    gap = max(a_low - b_high, b_low - a_high, 0.0)
    larger = max(a_low, b_low)
    return gap > max(absolute, relative * larger)


def _who(claim: Claim) -> str:
    c = claim.claimed_by
    return f"{c.name}; {c.type}, {c.alignment}"


def figure_contradictions(kind: str, refs: Sequence[ClaimRef], groups: Mapping[str, str]) -> list[Contradiction]:
    by_side: dict[str, list[ClaimRef]] = {}
    for ref in refs:
        if ref.claim.scope != "subset":
            by_side.setdefault(side_of(ref.claim), []).append(ref)
    found = []
    for side, side_refs in sorted(by_side.items()):
        distinct: dict[tuple, ClaimRef] = {}
        for ref in side_refs:
            c = ref.claim
            key = (fold(c.claimed_by.name), c.low, c.high, c.qualifier)
            distinct.setdefault(key, ref)
        values = sorted(distinct.values(), key=lambda r: (_range(r.claim)[0], r.claim.claimed_by.name, r.document_id))
        if not any(disagree(x.claim, y.claim) for i, x in enumerate(values) for y in values[i + 1 :]):
            continue
        label = "in total" if side == "mixed" else f"of {side}"
        summary = f"{kind} {label}: " + " vs ".join(f"{claim_text(r.claim)} ({_who(r.claim)})" for r in values)
        found.append(
            Contradiction(
                field=f"{kind}:{side}",
                values=tuple(
                    ContradictionValue(
                        value=claim_text(r.claim), claimed_by=r.claim.claimed_by, document_id=r.document_id,
                        event_id=r.event_id, span=r.claim.span, text=r.claim.text,
                    )  # fmt: skip
                    for r in values
                ),
                summary=summary,
            )
        )
    return found


def _event_value(event: Event, value: str, span: tuple[int, int] | None, text: str) -> ContradictionValue:
    return ContradictionValue(value=value, claimed_by=None, document_id=event.document_id, event_id=event.id, span=span, text=text)


def _summary(field: str, values: Sequence[ContradictionValue]) -> str:
    return f"{field}: " + " vs ".join(f"{v.value} (report {v.document_id[:8]})" for v in values)


def event_contradictions(events: Sequence[Event]) -> list[Contradiction]:
    """Disagreements on the initiator, the place and the date among an incident's events."""
    found = []
    # initiator
    initiators: dict[frozenset[str], tuple[Event, str, tuple[int, int] | None, str]] = {}
    for event in events:
        actors = [a for a in event.actors if a.role == "initiator"]
        if actors:
            keys = frozenset(actor_key(a.id, a.name) for a in actors)
            names = " and ".join(sorted({a.name for a in actors}))
            initiators.setdefault(keys, (event, names, actors[0].span, actors[0].mention))
    groups = list(initiators.items())
    if any(not (a & b) for i, (a, _) in enumerate(groups) for b, _ in groups[i + 1 :]):
        values = [_event_value(e, names, span, text) for _, (e, names, span, text) in sorted(groups, key=lambda g: g[1][1])]
        found.append(Contradiction("initiator", tuple(values), _summary("initiator", values)))
    # location
    places: dict[str, Event] = {}
    for event in events:
        if event.location is not None and event.location.precision in (1, 2):
            places.setdefault(fold(event.location.name), event)
    located = sorted(places.values(), key=lambda e: (fold(e.location.name), e.id))  # type: ignore[union-attr]
    apart = False
    for i, x in enumerate(located):
        for y in located[i + 1 :]:
            lx, ly = x.location, y.location
            if lx.lat is not None and lx.lon is not None and ly.lat is not None and ly.lon is not None:  # type: ignore[union-attr]
                apart |= haversine_km(lx.lat, lx.lon, ly.lat, ly.lon) > PLACE_KM  # type: ignore[union-attr, arg-type]
            elif lx.admin1 and ly.admin1:  # type: ignore[union-attr]
                apart |= fold(lx.admin1) != fold(ly.admin1)  # type: ignore[union-attr]
    if apart:
        values = [_event_value(e, e.location.name, e.location.span, e.location.mention) for e in located]  # type: ignore[union-attr]
        found.append(Contradiction("location", tuple(values), _summary("location", values)))
    # date
    days: dict[str, Event] = {}
    for event in events:
        if event.date is not None and event.date.precision == "day" and event.date.start and event.date.start == event.date.end:
            days.setdefault(event.date.start, event)
    dated = sorted(days.items())
    if len(dated) > 1 and (day_number(dated[-1][0]) or 0) - (day_number(dated[0][0]) or 0) > DATE_DAYS:
        values = [_event_value(e, day, e.date.span, e.date.mention or day) for day, e in dated]  # type: ignore[union-attr]
        found.append(Contradiction("date", tuple(values), _summary("date", values)))
    return found
