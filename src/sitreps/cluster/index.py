"""Grouping events into incidents, in batches or incrementally.

Blocking: events are kept per country (unknown country apart) in lists sorted by their
reference day (the event's start date, else its document's publication date). An event is
compared only with events of its country (and of unknown country) whose reference day lies
within ``window_days`` (``undated_window_days`` when either is undated), so the work per event
depends on how many events happen nearby in time, not on the size of the corpus.

Events with no reference day at all (undated, from a document without a publication date)
are blocked on keys instead: their actors, precise place, figures and the names of their
evidence (:func:`~sitreps.cluster.scoring.blocking_keys`). Each is compared with the
``undated_candidates`` events of a compatible country that share the most keys with it (ties
by event id), kept exactly as events arrive: an event that enters that list pushes the last
one out, and the link to it is dropped unless the pair still meets another way.

Grouping: links (pairs scored by :func:`~sitreps.cluster.scoring.score_pair`) are taken best
first (ties by event ids); each joins two groups unless that would put two events of one
document together that are not repeats of each other, or stretch the dated events of the
group over more than ``max_span_days``. The result of a connected set of links depends only
on those links, so adding events and regrouping the linked set they touch gives exactly what
grouping everything at once gives.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import MissingExtraError  # noqa: F401  (re-exported for callers of embeddings)
from ..records import Document, Event, Incident
from .embeddings import Encoder, document_text, load_encoder
from .merge import build_incident, incident_id
from .scoring import ClusterOptions, DocumentFeatures, EventFeatures, PairScore, score_pair

_UNKNOWN = ""


@dataclass(slots=True)
class _Moves:
    """Pairs (floating event, other) that entered or left a floating event's nearest list."""

    added: set[tuple[str, str]] = field(default_factory=set)
    dropped: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    """What an :meth:`IncidentIndex.add` changed: the incidents that are new or whose
    records changed, and the ids of incidents that no longer exist (merged or split)."""

    incidents: tuple[Incident, ...]
    removed: tuple[str, ...]


class IncidentIndex:
    """Incidents over a growing set of events.

    >>> index = IncidentIndex()
    >>> update = index.add(events, documents)  # doctest: +SKIP
    >>> update.incidents, update.removed  # doctest: +SKIP

    ``options`` sets the rule; ``encoder`` (anything with ``encode(list[str])``) gives the
    embedding signal when ``options.embeddings`` is set (without it the ``embeddings`` extra
    is loaded, or MissingExtraError raised).
    """

    def __init__(self, *, options: ClusterOptions = ClusterOptions(), encoder: Encoder | None = None) -> None:
        self.options = options
        self._encoder = encoder
        self._events: dict[str, Event] = {}
        self._features: dict[str, EventFeatures] = {}
        self._documents: dict[str, Document] = {}
        self._doc_features: dict[str, DocumentFeatures] = {}
        self._blocks: dict[str, list[tuple[int, str]]] = {}
        # Sorted (reference day, event id) per country: dated events, and undated events
        # placed by their document's publication date.
        self._undated: dict[str, list[tuple[int, str]]] = {}
        self._links: dict[str, dict[str, PairScore]] = {}
        self._incident_of: dict[str, str] = {}
        self._incidents: dict[str, Incident] = {}
        self._doc_events: dict[str, list[str]] = {}
        # Key blocking of events without a reference day: every event by key, those events
        # by key, and for each of them its nearest events (sorted by -shared keys, id).
        self._postings: dict[str, set[str]] = {}
        self._floating: dict[str, set[str]] = {}
        self._near: dict[str, list[tuple[int, str]]] = {}
        self._near_of: dict[str, set[str]] = {}

    # -- reading ------------------------------------------------------------------------

    def incidents(self) -> tuple[Incident, ...]:
        """Every incident, by id."""
        return tuple(self._incidents[key] for key in sorted(self._incidents))

    def incident_of(self, event_id: str) -> Incident | None:
        key = self._incident_of.get(event_id)
        return None if key is None else self._incidents[key]

    def links(self, event_id: str) -> dict[str, PairScore]:
        """The events ``event_id`` is linked to, with the scores (for explanations)."""
        return dict(self._links.get(event_id, {}))

    def __len__(self) -> int:
        return len(self._incidents)

    # -- adding -------------------------------------------------------------------------

    def add(self, events: Iterable[Event], documents: Iterable[Document] = ()) -> IndexUpdate:
        """Add events (and the documents they come from) and regroup only what they touch.

        An event id already in the index with the same record is ignored; with another
        record it raises ValueError (events are immutable; rebuild the index to revise one).
        A document given again is ignored. Events whose document is never given still group
        (without its text, title and publication date).
        """
        new_documents = []
        for document in documents:
            if document.id not in self._documents:
                self._documents[document.id] = document
                self._doc_features[document.id] = DocumentFeatures.of(document)
                new_documents.append(document)
        if self.options.embeddings and new_documents:
            self._embed(new_documents)
        fresh: list[Event] = []
        fresh_ids: set[str] = set()
        for event in sorted(events, key=lambda e: e.id):
            old = self._events.get(event.id)
            if old is not None:
                if old != event:
                    raise ValueError(
                        f"event {event.id} is already in the index with another record: events are "
                        "immutable here; build a new IncidentIndex to revise one"
                    )
                continue
            if event.id in fresh_ids:
                continue
            fresh.append(event)
            fresh_ids.add(event.id)
        for event in fresh:
            self._insert(event)
        moved = self._update_near(fresh)
        # The document text signal by pair of documents, for this call only: the documents'
        # features are fixed until it returns (a document given later may change a pair's).
        stories: dict[tuple[str, str], float | None] = {}
        for event in fresh:
            for other in self._candidates(event.id):
                if other in fresh_ids and other < event.id:
                    continue  # that pair is scored from the other side
                self._score(event.id, other, stories)
        for floating, other in sorted(moved.added):
            if other not in fresh_ids and floating not in fresh_ids:
                self._score(floating, other, stories)
        for floating, other in sorted(moved.dropped):
            if not self._meet(floating, other):
                self._links.get(floating, {}).pop(other, None)
                self._links.get(other, {}).pop(floating, None)
        seeds = set(fresh_ids) | {e for pair in moved.dropped for e in pair}
        return self._regroup(seeds)

    def _embed(self, documents: Sequence[Document]) -> None:
        if self._encoder is None:
            self._encoder = load_encoder()
        vectors = self._encoder.encode([document_text(d.title, d.text) for d in documents])
        for document, vector in zip(documents, vectors):
            self._doc_features[document.id].vector = tuple(float(x) for x in vector)

    def _insert(self, event: Event) -> None:
        features = EventFeatures.of(
            event, self._doc_features.get(event.document_id), strong_figure_min=self.options.strong_figure_min
        )
        self._events[event.id] = event
        self._features[event.id] = features
        self._doc_events.setdefault(event.document_id, []).append(event.id)
        if features.ref is not None:
            blocks = self._blocks if features.dated else self._undated
            bisect.insort(blocks.setdefault(features.country or _UNKNOWN, []), (features.ref, event.id))
        for key in features.keys:
            self._postings.setdefault(key, set()).add(event.id)
            if features.ref is None:
                self._floating.setdefault(key, set()).add(event.id)

    def _compatible(self, a: str, b: str) -> bool:
        ca, cb = self._features[a].country, self._features[b].country
        return a != b and (ca is None or cb is None or ca == cb)

    def _update_near(self, fresh: list[Event]) -> _Moves:
        """Keep each floating event's nearest events (by shared keys) exact as events arrive."""
        limit = self.options.undated_candidates
        moves = _Moves()
        fresh_floating = [e.id for e in fresh if self._features[e.id].ref is None]
        for event_id in fresh_floating:
            shared: dict[str, int] = {}
            for key in self._features[event_id].keys:
                for other in self._postings.get(key, ()):
                    shared[other] = shared.get(other, 0) + 1
            near = sorted((-count, other) for other, count in shared.items() if self._compatible(event_id, other))[:limit]
            self._near[event_id] = near
            for _, other in near:
                self._near_of.setdefault(other, set()).add(event_id)
        done = set(fresh_floating)
        for event in fresh:  # sorted by id: the result does not depend on arrival order
            keys = self._features[event.id].keys
            touched = sorted({f for key in keys for f in self._floating.get(key, ()) if f not in done})
            for floating in touched:
                if not self._compatible(floating, event.id):
                    continue
                entry = (-len(keys & self._features[floating].keys), event.id)
                near = self._near[floating]
                if len(near) >= limit and entry >= near[-1]:
                    continue
                bisect.insort(near, entry)
                self._near_of.setdefault(event.id, set()).add(floating)
                moves.added.add((floating, event.id))
                if len(near) > limit:
                    _, out = near.pop()
                    self._near_of[out].discard(floating)
                    if (floating, out) in moves.added:
                        moves.added.discard((floating, out))
                    else:
                        moves.dropped.add((floating, out))
        return moves

    def _meet(self, a: str, b: str) -> bool:
        """Whether two events are still compared (a pair dropped from a nearest list)."""
        return b in self._candidates(a)

    def _candidates(self, event_id: str) -> list[str]:
        features = self._features[event_id]
        country = features.country or _UNKNOWN
        options = self.options
        found: set[str] = set()
        if features.ref is not None:
            dated_window = options.window_days if features.dated else options.undated_window_days
            for blocks, window in ((self._blocks, dated_window), (self._undated, options.undated_window_days)):
                names = list(blocks) if country == _UNKNOWN else [country, _UNKNOWN]
                for name in names:
                    ordered = blocks.get(name)
                    if not ordered:
                        continue
                    lo = bisect.bisect_left(ordered, (features.ref - window, ""))
                    hi = bisect.bisect_right(ordered, (features.ref + window, "\uffff"))
                    found.update(other for _, other in ordered[lo:hi])
        # Events without a reference day meet their nearest events by shared keys.
        found.update(other for _, other in self._near.get(event_id, ()))
        found.update(self._near_of.get(event_id, ()))
        # Events of one document always meet (a report may repeat itself).
        found.update(self._doc_events.get(features.event.document_id, []))
        found.discard(event_id)
        return sorted(found)

    def _score(self, a: str, b: str, stories: dict[tuple[str, str], float | None]) -> None:
        if b in self._links.get(a, {}):
            return
        fa, fb = self._features[a], self._features[b]
        pair = score_pair(
            fa,
            fb,
            self._doc_features.get(fa.event.document_id),
            self._doc_features.get(fb.event.document_id),
            self.options,
            stories=stories,
        )
        if pair is not None:
            self._links.setdefault(a, {})[b] = pair
            self._links.setdefault(b, {})[a] = pair

    # -- grouping -----------------------------------------------------------------------

    def _regroup(self, fresh: set[str]) -> IndexUpdate:
        # The linked set the new events touch (incidents are always inside one).
        touched: set[str] = set()
        stack = sorted(fresh)
        while stack:
            node = stack.pop()
            if node in touched:
                continue
            touched.add(node)
            stack.extend(n for n in self._links.get(node, {}) if n not in touched)
        before = {self._incident_of[e] for e in touched if e in self._incident_of}
        groups = self._group(sorted(touched))
        after: dict[str, Incident] = {}
        for members in groups:
            key = incident_id(members)
            if key in before and key in self._incidents:
                continue  # same events: the record is unchanged (events are immutable)
            after[key] = build_incident([self._events[e] for e in members], self._documents)
        kept = {incident_id(members) for members in groups}
        removed = tuple(sorted(before - kept))
        for key in removed:
            del self._incidents[key]
        for members in groups:
            key = incident_id(members)
            for event_id in members:
                self._incident_of[event_id] = key
        self._incidents.update(after)
        return IndexUpdate(incidents=tuple(after[k] for k in sorted(after)), removed=removed)

    def _group(self, nodes: list[str]) -> list[list[str]]:
        """Constrained best-first grouping of ``nodes`` over their links."""
        node_set = set(nodes)
        parent = {n: n for n in nodes}
        members: dict[str, list[str]] = {n: [n] for n in nodes}
        # What the join test reads of each group, merged as groups merge (so a test does not
        # walk both groups' events again).
        summaries = {n: self._summary(n) for n in nodes}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        edges = sorted(
            (-pair.score, a, b)
            for a in nodes
            for b, pair in self._links.get(a, {}).items()
            if a < b and b in node_set
        )
        for _, a, b in edges:
            ra, rb = find(a), find(b)
            if ra == rb or not self._may_join(summaries[ra], summaries[rb]):
                continue
            root, child = min(ra, rb), max(ra, rb)
            parent[child] = root
            members[root] = members[root] + members.pop(child)
            summaries[root] = summaries[root].merge(summaries.pop(child))
        return sorted(sorted(group) for group in members.values())

    def _summary(self, event_id: str) -> _GroupSummary:
        features = self._features[event_id]
        return _GroupSummary(
            by_document={features.event.document_id: [event_id]},
            last_start=features.start if features.dated else None,
            first_end=features.end if features.dated else None,
            first_bound=features.before,
        )

    def _may_join(self, a: _GroupSummary, b: _GroupSummary) -> bool:
        # Two events of one document join only as repeats of each other. Links are kept
        # both ways, so the documents of the group with fewer are walked.
        small, large = (a, b) if len(a.by_document) <= len(b.by_document) else (b, a)
        for document_id, ids in small.by_document.items():
            others = large.by_document.get(document_id)
            if not others:
                continue
            for event_id in ids:
                links = self._links.get(event_id, {})
                for other in others:
                    link = links.get(other)
                    if link is None or not link.repeat:
                        return False
        last_start = _latest(a.last_start, b.last_start)
        if last_start is None:
            return True
        # The dated events span at most max_span_days.
        if last_start - _earliest(a.first_end, b.first_end) > self.options.max_span_days:  # type: ignore[operator]
            return False
        # An undated report joins two groups only if neither is past the other's bound.
        first_bound = _earliest(a.first_bound, b.first_bound)
        if first_bound is not None and last_start - first_bound > self.options.date_tolerance_days:
            return False
        return True


@dataclass(slots=True)
class _GroupSummary:
    """What joining a group checks, for a group being built: its events by document, the
    latest start and earliest end of its dated events, its earliest bound ("on or before")."""

    by_document: dict[str, list[str]]
    last_start: int | None
    first_end: int | None
    first_bound: int | None

    def merge(self, other: _GroupSummary) -> _GroupSummary:
        """This summary with ``other``'s events added (both are changed: use only the result)."""
        big, small = (self, other) if len(self.by_document) >= len(other.by_document) else (other, self)
        for document_id, ids in small.by_document.items():
            big.by_document.setdefault(document_id, []).extend(ids)
        big.last_start = _latest(self.last_start, other.last_start)
        big.first_end = _earliest(self.first_end, other.first_end)
        big.first_bound = _earliest(self.first_bound, other.first_bound)
        return big


def _latest(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _earliest(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def cluster_events(
    events: Iterable[Event],
    documents: Iterable[Document] = (),
    *,
    options: ClusterOptions = ClusterOptions(),
    encoder: Encoder | None = None,
) -> tuple[Incident, ...]:
    """Group ``events`` (of many documents) into incidents, sorted by id."""
    index = IncidentIndex(options=options, encoder=encoder)
    index.add(events, documents)
    return index.incidents()
