"""Pairwise compatibility of two events: vetoes, signals, and the score grouping uses.

See ``docs/INCIDENTS.md`` for the rule in prose. In short: a pair is vetoed when the two
events cannot be one incident (another type family, another country, dates more than a day
apart, places farther apart than a town's reach). Otherwise each signal both events carry
gives a value in [0, 1]; the score is their weighted mean over the signals present, so a
missing signal neither helps nor hurts. A pair is linked when the score reaches the threshold
*and* at least one identifying signal (place, actors, text, embedding, a distinctive figure)
is strong; undated events need strong text or embedding evidence, a precise place and shared
actors, the same actors on both sides with some text support, or a shared distinctive figure
(one number of one named side). Reports telling the same story soften the date and place vetoes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..places.geoparse import haversine_km
from ..records import Document, Event
from .similarity import containment, content_tokens, day_number, fold, jaccard, name_tokens

# ACLED event types by family: events of two families are never one incident.
FAMILIES = {
    "battles": "violence",
    "explosions_remote_violence": "violence",
    "violence_against_civilians": "violence",
    "protests": "demonstrations",
    "riots": "demonstrations",
    "strategic_developments": "strategic",
}


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """How events are grouped into incidents. The defaults are documented in
    ``docs/INCIDENTS.md`` and were chosen on the GVC train split and hand-built cases."""

    #: Events whose dates (or, undated, whose documents' publication dates) lie further
    #: apart than this are never compared (blocking).
    window_days: int = 7
    undated_window_days: int = 60
    #: Dated events further apart than this (gap between their date ranges) are vetoed.
    date_tolerance_days: int = 1
    #: Places further apart than this are vetoed: precise places (precision 1-2), regions.
    max_km: float = 40.0
    max_km_region: float = 150.0
    #: Weighted-mean score a pair needs to be linked.
    threshold: float = 0.6
    #: The strength an identifying signal needs (place, actors, text, embedding; a shared
    #: distinctive figure always identifies).
    identifying: float = 0.5
    #: Text (or embedding) evidence an undated pair needs.
    undated_text: float = 0.6
    undated_embedding: float = 0.8
    #: Reports this alike as wholes give their undated events strong text evidence, whatever
    #: the events' own evidence says.
    undated_story: float = 0.7
    #: Text evidence an undated pair naming the same actors on both sides needs.
    undated_actors_text: float = 0.5
    #: Reports whose texts tell the same story (document text signal at least this) soften
    #: the date and place vetoes of their events (a relative date a week off, places up to
    #: ``max_km_same_story`` apart): one shooting told twice gets different dates and places.
    same_story_text: float = 0.6
    #: Place veto distance for events of two reports that tell the same story (a city's
    #: centre and a street or neighbourhood in it).
    max_km_same_story: float = 80.0
    #: A figure is distinctive (strong evidence on its own) when its side is a named party,
    #: or when it is at least this large for any side.
    strong_figure_min: int = 10
    #: Undated events without a publication date are compared with at most this many events
    #: that share the most keys (actors, precise place, figures, names) with them.
    undated_candidates: int = 30
    #: An incident's dated events span at most this many days (stops chains).
    max_span_days: int = 10
    #: Text similarity saturates at these Jaccard values (content words, capitalised names).
    content_scale: float = 0.15
    names_scale: float = 0.3
    evidence_scale: float = 0.3
    #: Share of the events' evidence in the text signal of events of two documents.
    evidence_share: float = 0.3
    #: Signal weights.
    w_date: float = 0.20
    w_place: float = 0.20
    w_type: float = 0.10
    w_actors: float = 0.15
    w_figures: float = 0.10
    w_text: float = 0.25
    w_embedding: float = 0.20
    #: Use the sentence-embedding signal (needs the ``embeddings`` extra or an encoder).
    embeddings: bool = False


@dataclass(slots=True)
class DocumentFeatures:
    """What the grouping keeps of a document: its words, names, date and embedding."""

    content: frozenset[str]
    names: frozenset[str]
    published: int | None
    vector: tuple[float, ...] | None = None

    @classmethod
    def of(cls, document: Document) -> DocumentFeatures:
        text = f"{document.title or ''}\n{document.text}"
        return cls(content_tokens(text), name_tokens(text), day_number(document.published.date))


@dataclass(slots=True)
class EventFeatures:
    """An event reduced to what pair scoring reads, computed once per event."""

    event: Event
    family: str | None
    start: int | None
    end: int | None
    day_precise: bool
    ref: int | None  # the day blocking sorts on
    lat: float | None
    lon: float | None
    region: bool  # location only to a region (precision 3)
    place: str | None
    admin1: str | None
    country: str | None
    actors: frozenset[str]
    initiators: frozenset[str]
    figures: tuple[int, ...]
    evidence: frozenset[str]
    relative: bool = False  # the date was resolved against the publication date or the event before
    before: int | None = None  # the end bound of a date known only as a bound ("on or before publication")
    distinctive: frozenset[tuple[str, int, str]] = frozenset()  # (kind, number, side) of distinctive figures
    keys: frozenset[str] = frozenset()  # what undated events are blocked on (see ``blocking_keys``)

    @property
    def dated(self) -> bool:
        return self.start is not None and self.end is not None

    @classmethod
    def of(cls, event: Event, document: DocumentFeatures | None, *, strong_figure_min: int = 10) -> EventFeatures:
        start = end = before = None
        precise = False
        if event.date is not None:
            start, end = day_number(event.date.start), day_number(event.date.end)
            if start is None or end is None:
                # A bound only ("before Sunday"): undated, but nothing after the bound is it.
                before = end if start is None else None
                start = end = None
            precise = event.date.precision == "day" and start == end
        published = document.published if document is not None else None
        location = event.location
        lat = location.lat if location is not None else None
        lon = location.lon if location is not None else None
        place = fold(location.name) if location is not None and location.name else None
        admin1 = fold(location.admin1) if location is not None and location.admin1 else None
        region = location is not None and location.precision == 3
        if region and admin1 is None:
            # A whole country says nothing about where in it: only the country is compared.
            lat = lon = place = None
        elif region and place == admin1:
            # A whole state or province: compared by its admin1 name, not by its centre.
            lat = lon = place = None
        actors = frozenset(actor_key(a.id, a.name) for a in event.actors)
        initiators = frozenset(actor_key(a.id, a.name) for a in event.actors if a.role == "initiator")
        figures = tuple(
            sorted({c.low for c in event.fatalities if c.scope != "subset" and c.qualifier != "up_to"})
        )
        return cls(
            event=event,
            family=FAMILIES.get(event.type),
            start=start,
            end=end,
            day_precise=precise,
            ref=start if start is not None else published,
            lat=lat,
            lon=lon,
            region=region,
            place=place,
            admin1=admin1,
            country=location.country.upper() if location is not None and location.country else None,
            actors=actors,
            initiators=initiators,
            figures=figures,
            evidence=content_tokens(" ".join(e.text for e in event.evidence)),
            relative=event.date is not None and event.date.anchor in ("published", "previous_event") and start is not None,
            before=before,
            distinctive=distinctive_figures(event, minimum=strong_figure_min),
            keys=blocking_keys(event, place if location is not None and location.precision in (1, 2) else None),
        )


def actor_key(actor_id: str | None, name: str) -> str:
    """How actors are compared: the knowledge-base id, else the folded name."""
    return f"id:{actor_id}" if actor_id else f"name:{fold(name)}"


_KINDS = ("fatalities", "injuries", "captured", "released", "missing")
_NOT_PARTIES = frozenset({"civilians", "mixed", "unknown", ""})


def distinctive_figures(event: Event, *, minimum: int = 10) -> frozenset[tuple[str, int, str]]:
    """(kind, number, side) of the event's figures that identify an incident: exact or
    approximate numbers (not "up to", not subsets) whose side is a named party, or that are
    at least ``minimum`` for any side. Two reports giving 18 dead of one named group are
    telling one incident; two giving 2 dead civilians may not be."""
    found = set()
    for kind in _KINDS:
        for claim in getattr(event, kind):
            if claim.scope == "subset" or claim.qualifier == "up_to":
                continue
            side = claim.side_id or fold(claim.side or "")
            if side in _NOT_PARTIES and claim.low < minimum:
                continue
            found.add((kind, claim.low, side))
    return frozenset(found)


def blocking_keys(event: Event, precise_place: str | None) -> frozenset[str]:
    """What an event without a reference day is compared on: its actors, its precise place,
    its figures (kind, number, side) and the names in its evidence."""
    keys = {f"a:{actor_key(a.id, a.name)}" for a in event.actors}
    if precise_place:
        keys.add(f"p:{precise_place}")
    for kind in _KINDS:
        for claim in getattr(event, kind):
            if claim.scope != "subset":
                keys.add(f"f:{kind}:{claim.low}:{claim.side_id or fold(claim.side or '')}")
    keys.update(f"n:{name}" for name in name_tokens(" ".join(e.text for e in event.evidence)))
    return frozenset(keys)


def close_figures(a: int, b: int, *, relative: float = 0.2, absolute: int = 2) -> bool:
    """Whether two counts agree within the tolerance (absolute 2, or 20 % of the larger)."""
    return abs(a - b) <= max(absolute, relative * max(a, b))


@dataclass(frozen=True, slots=True)
class PairScore:
    score: float
    repeat: bool  # same type, subtype, place, date and actors: a report repeating itself
    signals: tuple[tuple[str, float], ...]


def after_bound(bounded: EventFeatures, other: EventFeatures, tolerance: int) -> bool:
    """``other`` began after the day ``bounded`` is known to have happened by: a capture
    reported on 24 May is not the one dated 18-22 July."""
    return bounded.before is not None and other.start is not None and other.start - bounded.before > tolerance


def score_pair(
    a: EventFeatures,
    b: EventFeatures,
    da: DocumentFeatures | None,
    db: DocumentFeatures | None,
    options: ClusterOptions,
    *,
    stories: dict[tuple[str, str], float | None] | None = None,
) -> PairScore | None:
    """The pair's score, or None when a veto applies or the evidence is too weak to link.

    ``stories`` is a memo of the document text signal by pair of document ids, for a caller
    that scores many event pairs of the same documents (and keeps each id's features fixed
    while the memo lives): the signal is then computed once per pair of documents.
    """
    ea, eb = a.event, b.event
    # -- vetoes -----------------------------------------------------------------------
    if a.family and b.family and a.family != b.family:
        return None
    if a.family == b.family == "strategic" and ea.subtype != eb.subtype and "other" not in (ea.subtype, eb.subtype):
        return None
    if a.country and b.country and a.country != b.country:
        return None
    same_document = ea.document_id == eb.document_id
    # How alike the two reports are as wholes: it softens the date and place vetoes.
    if same_document:
        story = None
    elif stories is None:
        story = document_text(da, db, options)
    else:
        # document_text is symmetric: one entry per unordered pair.
        key = (ea.document_id, eb.document_id) if ea.document_id < eb.document_id else (eb.document_id, ea.document_id)
        if key in stories:
            story = stories[key]
        else:
            story = stories[key] = document_text(da, db, options)
    same_story = story is not None and story >= options.same_story_text
    signals: list[tuple[str, float, float]] = []  # (name, value, weight)
    # type
    if a.family and b.family:
        value = 1.0 if ea.subtype == eb.subtype else 0.7 if ea.type == eb.type else 0.4
        signals.append(("type", value, options.w_type))
    # date
    both_dated = a.dated and b.dated
    if both_dated:
        gap = max(a.start - b.end, b.start - a.end, 0)  # type: ignore[operator]
        if gap > options.date_tolerance_days:
            # A weekday resolved against the publication date names the day of the week
            # before when the report came out a week later ("Friday" read on the next
            # Saturday): reports telling the same story keep such a pair, with no date signal.
            week_off = abs(gap - 7) <= options.date_tolerance_days
            if not (same_story and (a.relative or b.relative) and week_off):
                return None
        else:
            value = 1.0 if a.day_precise and b.day_precise and a.start == b.start else 0.7 if gap == 0 else 0.4
            signals.append(("date", value, options.w_date))
    if after_bound(a, b, options.date_tolerance_days) or after_bound(b, a, options.date_tolerance_days):
        return None
    # place
    place = _place(a, b, options, same_story=same_story)
    if place is False:
        return None
    if place is not None:
        signals.append(("place", place, options.w_place))
    # actors
    if a.actors and b.actors:
        signals.append(("actors", jaccard(a.actors, b.actors), options.w_actors))
    # figures
    distinctive = bool(a.distinctive & b.distinctive) and not same_document
    if distinctive:
        signals.append(("figures", 1.0, options.w_figures))
    elif a.figures and b.figures:
        agree = any(close_figures(x, y) for x in a.figures for y in b.figures)
        signals.append(("figures", 1.0 if agree else 0.0, options.w_figures))
    # text
    evidence = (
        min(1.0, jaccard(a.evidence, b.evidence) / options.evidence_scale) if a.evidence and b.evidence else None
    )
    text = None
    if story is not None:
        text = story
        if evidence is not None:
            text = (1 - options.evidence_share) * text + options.evidence_share * evidence
    elif evidence is not None:
        text = evidence
    if text is not None:
        signals.append(("text", text, options.w_text))
    # embedding
    embedding = None
    if options.embeddings and not same_document and da is not None and db is not None and da.vector and db.vector:
        from .similarity import cosine

        embedding = max(0.0, cosine(da.vector, db.vector))
        signals.append(("embedding", embedding, options.w_embedding))
    # -- decision ----------------------------------------------------------------------
    weight = sum(w for _, _, w in signals)
    if weight == 0:
        return None
    score = sum(v * w for _, v, w in signals) / weight
    values = {name: value for name, value, _ in signals}
    repeat = (
        same_document
        and ea.type == eb.type
        and ea.subtype == eb.subtype
        and values.get("place", 1.0 if a.place is None and b.place is None else 0.0) >= 0.7
        and (a.start, a.end) == (b.start, b.end)
        and a.actors == b.actors
    )
    # Figures identify an incident only when distinctive: "one man died" fits many.
    identifying = max(
        (values.get(name, 0.0) for name in ("place", "actors", "text", "embedding")), default=0.0
    )
    if distinctive:
        identifying = 1.0
    if identifying < options.identifying and not repeat:
        return None
    if not both_dated and not repeat:
        text_value = text or 0.0
        if story is not None and story >= options.undated_story:
            text_value = max(text_value, story)  # two reports telling the same story as wholes
        precise_place = not (a.region or b.region) and values.get("place", 0.0) >= 0.7
        strong = (
            text_value >= options.undated_text
            or (embedding is not None and embedding >= options.undated_embedding)
            # a shared precise place (not a region) and shared actors
            or (precise_place and values.get("actors", 0.0) >= 0.5)
            # the same named actors on both sides, with some support of the texts: two
            # parties fight many times, so the actors alone do not make one incident
            or (len(a.actors) >= 2 and a.actors == b.actors and text_value >= options.undated_actors_text)
            # the same distinctive figure (number and side)
            or distinctive
        )
        if not strong:
            return None
    if score < options.threshold and not repeat:
        return None
    return PairScore(score, repeat, tuple((name, round(value, 4)) for name, value, _ in signals))


def document_text(da: DocumentFeatures | None, db: DocumentFeatures | None, options: ClusterOptions) -> float | None:
    """The text signal of two reports as wholes (content words and names); None without text."""
    if da is None or db is None or not (da.content or da.names) or not (db.content or db.names):
        return None
    return 0.5 * min(1.0, jaccard(da.content, db.content) / options.content_scale) + 0.5 * min(
        1.0, jaccard(da.names, db.names) / options.names_scale
    )


def _place(a: EventFeatures, b: EventFeatures, options: ClusterOptions, *, same_story: bool = False) -> float | None | bool:
    """The place signal; None when either has no place, or both name the same place read as
    two namesakes; False for a veto. Places of events of two reports telling the same story
    may lie up to ``max_km_same_story`` apart."""
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        km = haversine_km(a.lat, a.lon, b.lat, b.lon)
        limit = options.max_km_region if (a.region or b.region) else options.max_km
        if same_story:
            limit = max(limit, options.max_km_same_story)
        if km > limit:
            # One name read as two namesakes ("Marion County" in Texas and in Indiana): the
            # gazetteer's ambiguity, not a disagreement of the reports.
            return None if a.place is not None and a.place == b.place else False
        if km <= 5 or (a.place is not None and a.place == b.place):
            return 1.0
        return 0.7 if km <= 25 else 0.4
    if a.place is None or b.place is None:
        # A whole state or province against anything placed in one.
        if (a.place is None) != (b.place is None) and a.admin1 and b.admin1 and (a.region or b.region):
            return 0.5 if a.admin1 == b.admin1 else False
        return None
    if a.place == b.place or containment(frozenset(a.place.split()), frozenset(b.place.split())) == 1.0:
        return 1.0
    if a.admin1 and b.admin1:
        return 0.5 if a.admin1 == b.admin1 else False
    return 0.2
