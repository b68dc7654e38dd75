"""One Incident record from the events grouped into it."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence

from ..records import ActorRef, ClaimRef, Document, Event, EventDate, Incident, Location
from .contradictions import event_contradictions, figure_contradictions
from .independence import count_independent, source_groups
from .reconcile import reconcile
from .scoring import actor_key

_TYPE_ORDER = (
    "battles", "explosions_remote_violence", "violence_against_civilians", "riots", "protests",
    "strategic_developments",
)  # fmt: skip
_DATE_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, None: 4}


def incident_id(event_ids: Sequence[str]) -> str:
    """sha256 (hex) of the sorted event ids, one a line: the same events, the same id."""
    return hashlib.sha256("\n".join(sorted(event_ids)).encode("utf-8")).hexdigest()


def build_incident(events: Sequence[Event], documents: Mapping[str, Document]) -> Incident:
    """The Incident of ``events`` (all of one group); ``documents`` by id (missing ones are
    counted as sources of their own)."""
    events = sorted(events, key=lambda e: e.id)
    document_ids = tuple(sorted({e.document_id for e in events}))
    known = [documents[d] for d in document_ids if d in documents]
    sources = source_groups(known, events)
    groups = {s.document_id: s.group for s in sources}
    missing = [d for d in document_ids if d not in documents]
    independent = count_independent(sources) + len(missing)
    refs = {kind: [ClaimRef(e.id, e.document_id, kind, c) for e in events for c in getattr(e, kind)]
            for kind in ("fatalities", "injuries")}  # fmt: skip
    contradictions = []
    for kind, kind_refs in refs.items():
        contradictions += figure_contradictions(kind, kind_refs, groups)
    contradictions += event_contradictions(events)
    type_, subtype = _type(events)
    return Incident(
        id=incident_id([e.id for e in events]),
        event_ids=tuple(e.id for e in events),
        document_ids=document_ids,
        type=type_,
        subtype=subtype,
        actors=_actors(events),
        location=_location(events),
        date=_date(events),
        fatalities=reconcile(refs["fatalities"], groups),
        injuries=reconcile(refs["injuries"], groups),
        sources=sources,
        independent_sources=independent,
        contradictions=tuple(contradictions),
        confidence=max((e.confidence for e in events), default=0.0),
    )


def _type(events: Sequence[Event]) -> tuple[str, str]:
    """The most frequent (type, subtype), ties broken by ACLED's order then name."""
    votes = Counter((e.type, e.subtype) for e in events if e.type)
    if not votes:
        return events[0].type, events[0].subtype
    rank = {t: i for i, t in enumerate(_TYPE_ORDER)}
    return min(votes, key=lambda ts: (-votes[ts], rank.get(ts[0], len(rank)), ts))


def _actors(events: Sequence[Event]) -> tuple[ActorRef, ...]:
    """Every actor once (by KB id or folded name), the first mention kept, role by majority."""
    first: dict[str, ActorRef] = {}
    roles: dict[str, Counter] = {}
    for event in events:
        for actor in event.actors:
            key = actor_key(actor.id, actor.name)
            first.setdefault(key, actor)
            roles.setdefault(key, Counter())[actor.role] += 1
    merged = []
    for key, actor in first.items():
        votes = roles[key]
        role = min(votes, key=lambda r: (-votes[r], ("initiator", "target", "other").index(r)))
        merged.append(ActorRef(actor.name, actor.mention, actor.span, role, actor.actor_type, actor.id))  # type: ignore[arg-type]
    return tuple(sorted(merged, key=lambda a: (("initiator", "target", "other").index(a.role), a.name)))


def _location(events: Sequence[Event]) -> Location | None:
    """The most precise place, the most often named among those, ties by name."""
    located = [e.location for e in events if e.location is not None]
    if not located:
        return None
    best = min(l.precision for l in located)
    votes = Counter(l.name for l in located if l.precision == best)
    name = min(votes, key=lambda n: (-votes[n], n))
    candidates = [l for l in located if l.precision == best and l.name == name]
    return max(candidates, key=lambda l: (l.lat is not None, l.admin1 is not None, l.geonames_id is not None))


def _date(events: Sequence[Event]) -> EventDate | None:
    """The most precise resolved date, the most often given among those."""
    dated = [e.date for e in events if e.date is not None and (e.date.start or e.date.end)]
    if not dated:
        return None
    best = min(_DATE_ORDER.get(d.precision, 4) for d in dated)
    votes = Counter((d.start, d.end) for d in dated if _DATE_ORDER.get(d.precision, 4) == best)
    chosen = min(votes, key=lambda se: (-votes[se], se[0] or "", se[1] or ""))
    return next(d for d in dated if (d.start, d.end) == chosen and _DATE_ORDER.get(d.precision, 4) == best)
