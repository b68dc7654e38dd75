"""Event extraction on short reports written for these tests: every ACLED event type, actor
roles, places and dates, claims, what is not an event, one event per action, and evidence.

The reports are invented (plain newswire style, real place names). Places come from a small
gazetteer built here by hand, so the file needs no download and no 30-second build."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitreps.config import load_settings
from sitreps.extract import Extractor
from sitreps.places.gazetteer import Area, Country, Gazetteer, PackageData, build_gazetteer
from sitreps.places.geoparse import Geoparser
from sitreps.records import Document, Event

PUBLISHED = "2024-03-12"  # a Tuesday: "on Monday" is 2024-03-11


def _city(geonameid, name, lat, lon, country, admin1, population):
    return {
        "geonameid": geonameid, "name": name, "latitude": lat, "longitude": lon, "countrycode": country,
        "population": population, "timezone": "", "admin1code": admin1, "alternatenames": [],
    }  # fmt: skip


PLACES = PackageData(
    cities=[
        _city(101, "Maiduguri", 11.8464, 13.1571, "NG", "27", 1112449),
        _city(102, "Gwoza", 11.0861, 13.6914, "NG", "27", 30000),
        _city(103, "Bama", 11.5221, 13.6856, "NG", "27", 60000),
        _city(104, "Dikwa", 12.0361, 13.9172, "NG", "27", 25000),
        _city(105, "Monguno", 12.6707, 13.6131, "NG", "27", 30000),
        _city(106, "Kano", 12.0001, 8.5167, "NG", "29", 3626068),
        _city(107, "Kaduna", 10.5264, 7.4388, "NG", "23", 1582102),
        _city(201, "Gao", 16.2717, -0.0447, "ML", "09", 86633),
        _city(202, "Mopti", 14.4843, -4.1827, "ML", "04", 108456),
        _city(203, "Bamako", 12.6392, -8.0029, "ML", "08", 1297281),
        _city(204, "Kidal", 18.4411, 1.4078, "ML", "10", 25617),
        _city(301, "Algiers", 36.7372, 3.0865, "DZ", "01", 1977663),
    ],
    countries=[
        Country("NG", 2328926, "Nigeria", "Abuja", 195874740, ()),
        Country("ML", 2453866, "Mali", "Bamako", 19077690, ()),
        Country("DZ", 2589581, "Algeria", "Algiers", 42228429, ()),
    ],
    areas=[
        Area(1, "NG.27", 2346794, "Borno", ("Borno State",)),
        Area(1, "NG.29", 2335196, "Kano", ("Kano State",)),
    ],
    admin2_of={},
    versions={"test": "1"},
)


@pytest.fixture(scope="module")
def extractor(tmp_path_factory) -> Extractor:
    folder: Path = tmp_path_factory.mktemp("events-gazetteer")
    build_gazetteer(folder / "gazetteer.sqlite", data=PLACES)
    gazetteer = Gazetteer.open(folder / "gazetteer.sqlite", build=False)
    # No curated supplement: every place below is one the model labels itself.
    return Extractor(load_settings(environ={}), geoparser=Geoparser(gazetteer, {}))


def _check_spans(document: Document, events: tuple[Event, ...]) -> None:
    """Evidence or nothing: every span of every event points at the text it claims."""
    text = document.text
    for event in events:
        assert event.evidence, f"{event.subtype} without evidence"
        for evidence in event.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
        for actor in event.actors:
            assert text[actor.span[0] : actor.span[1]] == actor.mention
        if event.location is not None:
            assert text[event.location.span[0] : event.location.span[1]] == event.location.mention
        if event.date is not None and event.date.span is not None:
            assert text[event.date.span[0] : event.date.span[1]] == event.date.mention
        for kind in ("fatalities", "injuries", "captured", "released", "missing"):
            for claim in getattr(event, kind):
                assert text[claim.span[0] : claim.span[1]] == claim.text
                if claim.claimed_by.span is not None:
                    start, end = claim.claimed_by.span
                    assert text[start:end].strip()


@pytest.fixture(scope="module")
def extract(extractor):
    def run(text: str, published: str | None = PUBLISHED) -> tuple[Document, tuple[Event, ...]]:
        document, events = extractor.events_of_text(text, published=published)
        assert document is not None
        _check_spans(document, events)
        return document, events

    return run


def _one(events: tuple[Event, ...]) -> Event:
    assert len(events) == 1, [(e.type, e.subtype, [ev.text for ev in e.evidence]) for e in events]
    return events[0]


def _roles(event: Event) -> dict[str, str]:
    return {actor.name: actor.role for actor in event.actors}


NG_ARMY, ML_ARMY = "Military Forces of Nigeria", "Military Forces of Mali"
BOKO_HARAM, ISWAP = "Boko Haram", "Islamic State West Africa Province"


# -- every event type ----------------------------------------------------------------------
# (text, type, subtype, actors {name: role, None: any role}, date, place, claims [(kind, low)])

TYPES = [
    pytest.param(
        "Boko Haram fighters clashed with Nigerian troops near Maiduguri on Sunday, residents said.",
        "battles", "armed_clash", {BOKO_HARAM: None, NG_ARMY: None}, "2024-03-10", "Maiduguri", [],
        id="armed_clash",
    ),
    pytest.param(
        "Nigerian troops recaptured the town of Bama from Boko Haram fighters on Sunday, the army said.",
        "battles", "government_regains_territory", {NG_ARMY: "initiator", BOKO_HARAM: "target"}, "2024-03-10", "Bama", [],
        id="government_regains_territory",
    ),
    pytest.param(
        "Boko Haram fighters seized the town of Dikwa on Saturday after a night of fighting.",
        "battles", "non_state_actor_overtakes_territory", {BOKO_HARAM: "initiator"}, "2024-03-09", "Dikwa", [],
        id="non_state_actor_overtakes_territory",
    ),
    pytest.param(
        "Malian troops shelled positions of the Coordination of Azawad Movements near Mopti on Thursday.",
        "explosions_remote_violence", "shelling_artillery_missile_attack",
        {ML_ARMY: "initiator", "Coordination of Azawad Movements": "target"}, "2024-03-07", "Mopti", [],
        id="shelling",
    ),
    pytest.param(
        "Rebels fired mortar shells at the market in Mopti on Friday, wounding four people.",
        "explosions_remote_violence", "shelling_artillery_missile_attack", {}, "2024-03-08", "Mopti", [("injuries", 4)],
        id="mortar_fire",
    ),
    pytest.param(
        "Nigerian Air Force jets bombed Boko Haram camps near Dikwa on Wednesday.",
        "explosions_remote_violence", "air_drone_strike", {"Nigerian Air Force": "initiator", BOKO_HARAM: "target"},
        "2024-03-06", "Dikwa", [],
        id="air_strike",
    ),
    pytest.param(
        "A drone strike hit a militant hideout near Mopti on Sunday, the army said.",
        "explosions_remote_violence", "air_drone_strike", {}, "2024-03-10", "Mopti", [],
        id="drone_strike",
    ),
    pytest.param(
        "A suicide bomber blew himself up at a mosque in Maiduguri on Friday, killing 12 worshippers, police said.",
        "explosions_remote_violence", "suicide_bomb", {}, "2024-03-08", "Maiduguri", [("fatalities", 12)],
        id="suicide_bomb",
    ),
    pytest.param(
        "A roadside bomb struck a military convoy near Mopti on Monday, killing three soldiers.",
        "explosions_remote_violence", "remote_explosive_landmine_ied", {}, "2024-03-11", "Mopti", [("fatalities", 3)],
        id="roadside_bomb",
    ),
    pytest.param(
        "A car bomb exploded at a checkpoint in Maiduguri on Friday, killing four policemen.",
        "explosions_remote_violence", "remote_explosive_landmine_ied", {}, "2024-03-08", "Maiduguri", [("fatalities", 4)],
        id="car_bomb",
    ),
    pytest.param(
        "A landmine exploded under a bus near Kano on Sunday, killing five passengers.",
        "explosions_remote_violence", "remote_explosive_landmine_ied", {}, "2024-03-10", "Kano", [("fatalities", 5)],
        id="landmine",
    ),
    pytest.param(
        "Gunmen attacked worshippers at a mosque in Kaduna on Saturday, killing 23 people, a local official said.",
        "violence_against_civilians", "attack", {"Unidentified Armed Group (Nigeria)": "initiator"}, "2024-03-09", "Kaduna",
        [("fatalities", 23)],
        id="attack_on_civilians",
    ),
    pytest.param(
        "Gunmen shot dead six farmers in their fields near Bama on Friday, residents said.",
        "violence_against_civilians", "attack", {"Unidentified Armed Group (Nigeria)": "initiator"}, "2024-03-08", "Bama",
        [("fatalities", 6)],
        id="farmers_shot",
    ),
    pytest.param(
        "Boko Haram fighters abducted 40 women from a village near Gwoza on Thursday, residents said.",
        "violence_against_civilians", "abduction_forced_disappearance", {BOKO_HARAM: "initiator"}, "2024-03-07", "Gwoza",
        [("captured", 40)],
        id="abduction_of_civilians",
    ),
    pytest.param(
        "Gunmen kidnapped 15 students from a school in Kaduna on Monday, police said.",
        "violence_against_civilians", "abduction_forced_disappearance", {"Unidentified Armed Group (Nigeria)": "initiator"},
        "2024-03-11", "Kaduna", [("captured", 15)],
        id="kidnapping_of_students",
    ),
    pytest.param(
        "Islamic State West Africa Province fighters captured 12 soldiers near Monguno on Sunday.",
        "strategic_developments", "abduction_forced_disappearance", {ISWAP: "initiator"}, "2024-03-10", "Monguno",
        [("captured", 12)],
        id="capture_of_soldiers",
    ),
    pytest.param(
        "Police arrested 30 suspected Boko Haram members in Kano on Wednesday.",
        "strategic_developments", "arrests", {BOKO_HARAM: "target"}, "2024-03-06", "Kano", [("captured", 30)],
        id="arrests",
    ),
    pytest.param(
        "Boko Haram released 21 women in Maiduguri on Thursday, the government said.",
        "strategic_developments", "release", {BOKO_HARAM: "initiator"}, "2024-03-07", "Maiduguri", [("released", 21)],
        id="release",
    ),
    pytest.param(
        "The army and Boko Haram agreed a ceasefire in Bama on Monday.",
        "strategic_developments", "agreement", {NG_ARMY: None, BOKO_HARAM: None}, "2024-03-11", "Bama", [],
        id="ceasefire",
    ),
    pytest.param(
        "The army and Boko Haram agreed an evacuation deal for the town of Dikwa on Monday.",
        "strategic_developments", "agreement", {NG_ARMY: None, BOKO_HARAM: None}, "2024-03-11", "Dikwa", [],
        id="evacuation_deal",
    ),
    pytest.param(
        "The Malian government and the Coordination of Azawad Movements held talks in Algiers on Tuesday.",
        "strategic_developments", "negotiation", {"Coordination of Azawad Movements": None}, "2024-03-12", "Algiers", [],
        id="negotiation",
    ),
    pytest.param(
        "Fighters loyal to Boko Haram looted food stores in Dikwa on Friday.",
        "strategic_developments", "looting_property_destruction", {BOKO_HARAM: "initiator"}, "2024-03-08", "Dikwa", [],
        id="looting",
    ),
    pytest.param(
        "Hundreds of people protested peacefully in Mopti on Friday against rising fuel prices.",
        "protests", "peaceful_protest", {}, "2024-03-08", "Mopti", [],
        id="peaceful_protest",
    ),
    pytest.param(
        "Hundreds of people protested in Kano on Saturday against the killing of a trader, and police fired tear gas "
        "to disperse them.",
        "protests", "protest_with_intervention", {}, "2024-03-09", "Kano", [],
        id="protest_with_intervention",
    ),
    pytest.param(
        "Police fired tear gas to disperse hundreds of protesters in Kano on Saturday.",
        "protests", "protest_with_intervention", {}, "2024-03-09", "Kano", [],
        id="tear_gas_without_protest_verb",
    ),
    pytest.param(
        "Youths rioted in Kaduna on Monday, throwing stones at police and burning tyres.",
        "riots", "violent_demonstration", {}, "2024-03-11", "Kaduna", [],
        id="riot",
    ),
    pytest.param(
        "Rioters set fire to a police station in Kaduna on Monday.",
        "riots", "violent_demonstration", {}, "2024-03-11", "Kaduna", [],
        id="rioters_torch_police_station",
    ),
    pytest.param(
        "Gunmen attacked the village of Kuda near Gwoza on Saturday, killing 23 villagers, a local official said.",
        "violence_against_civilians", "attack", {"Unidentified Armed Group (Nigeria)": "initiator"}, "2024-03-09", "Gwoza",
        [("fatalities", 23)],
        id="attack_on_village",
        marks=pytest.mark.xfail(
            strict=True,
            reason="typed right (violence_against_civilians/attack) but placed nowhere: the model labels "
            "neither 'Kuda' nor 'Gwoza' as a place in this sentence and the test gazetteer has no curated names",
        ),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "type_", "subtype", "actors", "date", "place", "claims"), TYPES)
def test_event_types(extract, text, type_, subtype, actors, date, place, claims):
    _, events = extract(text)
    event = _one(events)
    assert (event.type, event.subtype) == (type_, subtype)
    roles = _roles(event)
    for name, role in actors.items():
        assert name in roles, f"{name} not among {roles}"
        if role is not None:
            assert roles[name] == role, f"{name}: {roles[name]} instead of {role}"
    assert event.date is not None and (event.date.start, event.date.end) == (date, date)
    assert event.location is not None and event.location.name == place
    found = [(kind, claim.low) for kind in ("fatalities", "injuries", "captured", "released", "missing") for claim in getattr(event, kind)]
    assert found == claims


@pytest.mark.parametrize(
    ("text", "subtype", "initiator"),
    [
        pytest.param(
            "Boko Haram fighters took control of the town of Bama on Sunday after soldiers withdrew.",
            "non_state_actor_overtakes_territory", BOKO_HARAM, id="took_control",
        ),
        pytest.param(
            "Nigerian troops regained control of Dikwa from Boko Haram fighters on Sunday.",
            "government_regains_territory", NG_ARMY, id="regained_control",
        ),
        pytest.param(
            "Nigerian troops retook the town of Bama from Boko Haram fighters on Sunday.",
            "government_regains_territory", NG_ARMY, id="retook",
        ),
    ],
)  # fmt: skip
def test_territory_subtype_follows_who_took_it(extract, text, subtype, initiator):
    _, events = extract(text)
    event = _one(events)
    assert (event.type, event.subtype) == ("battles", subtype)
    assert _roles(event)[initiator] == "initiator"


# -- voice and roles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        pytest.param(
            "Boko Haram fighters attacked Nigerian troops in Bama on Monday.",
            {BOKO_HARAM: "initiator", NG_ARMY: "target"}, id="active",
        ),
        pytest.param(
            "Nigerian troops were attacked by Boko Haram fighters near Maiduguri on Monday.",
            {BOKO_HARAM: "initiator", NG_ARMY: "target"}, id="passive",
        ),
        pytest.param(
            "Heavy fighting broke out between Boko Haram and Nigerian troops near Maiduguri on Tuesday.",
            {BOKO_HARAM: "other", NG_ARMY: "other"}, id="between",
        ),
        pytest.param(
            "Nigerian troops launched an offensive against Boko Haram fighters near Bama on Tuesday.",
            {NG_ARMY: "initiator", BOKO_HARAM: "target"}, id="against",
        ),
        pytest.param(
            "Nigerian troops ambushed Islamic State West Africa Province fighters near Monguno on Monday.",
            {NG_ARMY: "initiator", ISWAP: "target"}, id="ambush",
        ),
        pytest.param(
            "Nigerian troops and Boko Haram fighters clashed in Bama on Monday.",
            {NG_ARMY: "other", BOKO_HARAM: "other"}, id="x_and_y_clashed",
        ),
    ],
)  # fmt: skip
def test_roles(extract, text, roles):
    _, events = extract(text)
    event = _one(events)
    assert event.type == "battles"
    assert _roles(event) == roles


def test_a_speaker_is_a_claimant_not_an_actor(extract):
    _, events = extract("Boko Haram fighters attacked Nigerian troops in Bama on Monday, the Malian army said.")
    assert ML_ARMY not in _roles(_one(events))


# -- places ----------------------------------------------------------------------------------


def test_place_of_the_sentence_wins_over_the_paragraphs(extract):
    text = "Officials in Maiduguri said the situation was tense.\nBoko Haram fighters attacked Nigerian troops in Bama on Monday."
    document, events = extract(text)
    location = _one(events).location
    assert (location.name, location.mention, location.precision, location.country) == ("Bama", "Bama", 1, "NG")
    assert document.text[location.span[0] : location.span[1]] == "Bama"
    assert location.lat == pytest.approx(11.5221)


def test_near_a_place_is_precision_two(extract):
    _, events = extract("Boko Haram fighters attacked an army base near Gwoza on Monday.")
    location = _one(events).location
    assert (location.name, location.precision) == ("Gwoza", 2)


def test_place_from_the_paragraph_when_the_sentence_has_none(extract):
    text = "The town of Dikwa has been tense for weeks. Boko Haram fighters attacked Nigerian troops on Monday, killing four soldiers."
    _, events = extract(text)
    location = _one(events).location
    assert (location.name, location.mention) == ("Dikwa", "Dikwa")
    assert location.precision == 2  # placed by the paragraph, not by its own sentence


def test_the_scene_named_just_before_places_an_event_near_it(extract):
    text = "The town of Dikwa has been tense for weeks.\nBoko Haram fighters attacked Nigerian troops on Monday, killing four soldiers."
    _, events = extract(text)
    location = _one(events).location
    assert (location.name, location.country, location.precision) == ("Dikwa", "NG", 2)


def test_a_place_named_long_before_gives_only_the_country(extract):
    filler = "Residents said they feared for the harvest and the schools stayed shut. " * 10
    text = f"The town of Dikwa has been tense for weeks.\n{filler}\nBoko Haram fighters attacked Nigerian troops on Monday, killing four soldiers."
    _, events = extract(text)
    location = _one(events).location
    assert (location.name, location.country, location.precision) == ("Nigeria", "NG", 3)


# -- dates -----------------------------------------------------------------------------------


def test_weekday_resolved_against_published(extract):
    document, events = extract("Boko Haram fighters attacked Nigerian troops in Bama on Monday.")
    date = _one(events).date
    assert (date.start, date.end, date.precision, date.mention, date.anchor) == ("2024-03-11", "2024-03-11", "day", "Monday", "published")
    assert document.text[date.span[0] : date.span[1]] == "Monday"


def test_day_and_month(extract):
    _, events = extract("On 4 May, Boko Haram fighters attacked Nigerian troops in Bama.", published="2024-06-10")
    date = _one(events).date
    assert (date.start, date.end, date.precision, date.mention) == ("2024-05-04", "2024-05-04", "day", "4 May")


@pytest.mark.parametrize("phrase", ["on Monday", "on 4 May"])
def test_undated_document_keeps_the_phrase_unresolved(extract, phrase):
    _, events = extract(f"Boko Haram fighters attacked Nigerian troops in Bama {phrase}.", published=None)
    date = _one(events).date
    assert date is not None
    assert (date.start, date.end, date.anchor) == (None, None, None)
    assert date.mention == phrase.split(" ", 1)[1]


def test_an_attack_keeps_its_own_day_after_a_background_sentence(extract):
    text = "Fighting has flared around Dikwa this month. Boko Haram fighters attacked Nigerian troops on Monday, killing four soldiers."
    _, events = extract(text)
    attack = next(e for e in events if e.fatalities)
    assert (attack.date.start, attack.date.end, attack.date.mention) == ("2024-03-11", "2024-03-11", "Monday")


# -- claims ----------------------------------------------------------------------------------


def test_claim_of_the_events_sentence(extract):
    _, events = extract("Boko Haram fighters attacked Nigerian troops near Gwoza on Monday, killing nine soldiers, the army said.")
    (claim,) = _one(events).fatalities
    assert (claim.low, claim.high, claim.qualifier, claim.side) == (9, 9, "exact", NG_ARMY)
    assert (claim.claimed_by.type, claim.claimed_by.alignment) == ("state_military", "self")


def test_claim_of_the_next_sentence_joins_the_event(extract):
    text = "Boko Haram fighters attacked Nigerian troops near Gwoza on Monday. Nine soldiers were killed in the fighting, the army said."
    _, events = extract(text)
    event = _one(events)
    assert (event.type, event.subtype) == ("battles", "armed_clash")
    assert [(c.low, c.side) for c in event.fatalities] == [(9, NG_ARMY)]
    assert len(event.evidence) == 2


def test_claim_of_the_next_sentence_joins_an_attack_on_a_base(extract):
    text = "Boko Haram fighters attacked an army base near Gwoza on Monday. Nine soldiers were killed in the fighting, the army said."
    _, events = extract(text)
    event = _one(events)
    assert [c.low for c in event.fatalities] == [9]
    assert _roles(event)[BOKO_HARAM] == "initiator"


def test_two_claimants_make_two_claims(extract):
    text = "Boko Haram fighters attacked Nigerian troops near Gwoza on Monday, killing nine soldiers, the army and local residents said."
    _, events = extract(text)
    claims = _one(events).fatalities
    assert [c.low for c in claims] == [9, 9]
    by = {c.claimed_by.name: (c.claimed_by.type, c.claimed_by.alignment) for c in claims}
    assert len(by) == 2
    assert by[NG_ARMY] == ("state_military", "self")
    (other,) = [value for name, value in by.items() if name != NG_ARMY]
    assert other[0] == "local_source"


@pytest.mark.parametrize(
    ("text", "name", "type_", "alignment"),
    [
        ("Boko Haram fighters killed 14 Nigerian soldiers near Bama on Monday, the army said.", NG_ARMY, "state_military", "self"),
        ("Nigerian troops killed 14 Boko Haram fighters near Bama on Monday, the army said.", NG_ARMY, "state_military", "adversary"),
    ],
)
def test_claimant_alignment(extract, text, name, type_, alignment):
    _, events = extract(text)
    (claim,) = _one(events).fatalities
    assert claim.low == 14
    assert (claim.claimed_by.name, claim.claimed_by.type, claim.claimed_by.alignment) == (name, type_, alignment)


def test_generic_police_victims_are_the_countrys_police(extract):
    _, events = extract("A car bomb exploded at a checkpoint in Maiduguri on Friday, killing four policemen.")
    event = _one(events)
    (claim,) = event.fatalities
    assert claim.side == "Police Forces of Nigeria"
    assert {a.name for a in event.actors} <= {"Police Forces of Nigeria"}


# -- not events ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Boko Haram threatened to attack the town of Bama.", id="threat"),
        pytest.param("Boko Haram fighters will attack Bama next week, officials warned.", id="future"),
        pytest.param("Boko Haram did not attack the town of Bama on Monday, officials said.", id="negated"),
        pytest.param("Officials fear Boko Haram could attack Bama in the coming days.", id="could"),
        pytest.param("Boko Haram plans to attack the town of Bama, residents said.", id="plans_to"),
        pytest.param("Boko Haram has been fighting the Nigerian army for years.", id="background"),
        pytest.param(
            "The army said it was preparing an offensive against Boko Haram.",
            id="preparing_an_offensive",
        ),
        pytest.param("Boko Haram released a statement on Monday.", id="statement"),
        pytest.param("The conflict has killed more than 35,000 people since 2009, according to the United Nations.", id="war_toll"),
        pytest.param(
            "More than 1,000 Boko Haram fighters have been killed since 2013, the army said.",
            id="cumulative_fighters",
        ),
    ],
)
def test_not_an_event(extract, text):
    _, events = extract(text)
    assert events == ()


# -- one event per action, place and date ----------------------------------------------------


def test_two_villages_two_dates_are_two_events(extract):
    text = (
        "Boko Haram fighters attacked an army post in Bama on Monday.\n"
        "On Wednesday, Boko Haram fighters attacked a military checkpoint in Dikwa."
    )
    _, events = extract(text, published="2024-03-15")
    assert [(e.subtype, e.location.name, e.date.start) for e in events] == [
        ("armed_clash", "Bama", "2024-03-11"),
        ("armed_clash", "Dikwa", "2024-03-13"),
    ]
    assert len({e.id for e in events}) == 2


def test_a_continuing_sentence_is_the_same_event(extract):
    text = "Boko Haram fighters clashed with Nigerian troops in Bama on Monday. The fighting continued until late in the evening."
    document, events = extract(text)
    event = _one(events)
    assert event.subtype == "armed_clash" and event.location.name == "Bama"
    assert [e.text for e in event.evidence] == [
        "Boko Haram fighters clashed with Nigerian troops in Bama on Monday.",
        "The fighting continued until late in the evening.",
    ]


def test_events_of_two_types_in_one_sentence_stay_apart(extract):
    _, events = extract("Nigerian troops clashed with Boko Haram fighters near Bama on Monday and arrested 15 of them.")
    assert sorted((e.type, e.subtype) for e in events) == [("battles", "armed_clash"), ("strategic_developments", "arrests")]


# -- evidence and determinism ----------------------------------------------------------------


ARTICLE = (
    "MAIDUGURI, Nigeria — Boko Haram fighters attacked Nigerian troops near Gwoza on Monday, killing nine soldiers, "
    "the army and local residents said.\n"
    "Nigerian Air Force jets bombed Boko Haram camps near Dikwa on Wednesday.\n"
    "Police arrested 30 suspected Boko Haram members in Kano on Thursday."
)


@pytest.mark.parametrize("text", [ARTICLE, *(case.values[0] for case in TYPES if not case.marks)])
def test_every_span_points_at_its_text(extract, text):
    document, events = extract(text)  # _check_spans asserts inside
    assert events
    for event in events:
        assert event.document_id == document.id
        assert 0 < event.confidence <= 1


def test_ids_and_records_are_deterministic(extractor):
    first_document, first = extractor.events_of_text(ARTICLE, published=PUBLISHED)
    second_document, second = extractor.events_of_text(ARTICLE, published=PUBLISHED)
    assert first_document.id == second_document.id
    assert len(first) == 3
    assert [e.id for e in first] == [e.id for e in second]
    assert first == second
    assert len({e.id for e in first}) == 3
    _, other = extractor.events_of_text(ARTICLE.replace("nine", "ten"), published=PUBLISHED)
    assert not {e.id for e in other} & {e.id for e in first}  # another document, other ids


def test_a_dateline_at_the_top_dates_nothing(extract):
    # The body opens with the filing date; the attack itself is told without a day, so the
    # event is "on or before publication", not the dateline's day.
    document, events = extract("Tue 12 Mar 2024 Gunmen attacked a market in Kano, killing five traders.", published=None)
    assert document.published.date == "2024-03-12"
    (event,) = events
    assert (event.date.start, event.date.end, event.date.mention) == (None, "2024-03-12", None)
    # A day told in the text still dates it.
    _, events = extract("Tue 12 Mar 2024 Gunmen attacked a market in Kano on Sunday, killing five traders.", published=None)
    assert events[0].date.start == "2024-03-10"


@pytest.mark.parametrize(
    "text",
    [
        "The border district has come under frequent drone attack since the war began in 2022.",
        "Maiduguri is shelled almost daily by fighters hiding in the forest.",
        "Bama is the base of an army offensive that has pushed Boko Haram out of many villages since last year.",
        "The camp was supposed to be shielded from any offensive by a deal signed in 2019.",
    ],
    ids=["perfect_since_years_ago", "habitual", "offensive_that_has_pushed_since", "supposed_to"],
)
def test_background_and_habits_are_not_events(extract, text):
    _, events = extract(text)
    assert events == ()


# -- context: places and sides carried over, re-tellings, things only talked about ------------


def test_an_event_with_no_place_takes_the_place_of_its_sides_last_event(extract):
    filler = "Residents said they feared for the harvest and the schools stayed shut. " * 10
    text = (
        "Boko Haram fighters clashed with Nigerian troops in Bama on Monday.\n\n"
        f"{filler}\n\n"
        "Boko Haram declared war on ISWAP on Tuesday."
    )
    _, events = extract(text)
    declaration = next(e for e in events if e.subtype == "declaration_of_war")
    assert (declaration.location.name, declaration.location.precision) == ("Bama", 2)


def test_a_declaration_of_war_names_its_maker_as_an_actor(extract):
    _, events = extract("Boko Haram declared war on ISWAP in Gwoza on Monday.")
    event = _one(events)
    assert event.subtype == "declaration_of_war"
    assert _roles(event).get(BOKO_HARAM) == "initiator"


def test_a_countrys_border_region_is_a_region_of_it(extract):
    _, events = extract("Nigerian troops clashed with Boko Haram fighters in Nigeria's northeastern border region on Monday.")
    location = _one(events).location
    assert (location.name, location.mention, location.precision) == ("Nigeria", "Nigeria's northeastern border region", 3)


def test_ground_taken_in_the_offensive_just_told_is_one_event(extract):
    text = (
        "Nigerian troops launched an offensive against Boko Haram near Bama on Monday. "
        "Heavy fighting took place around the town. The troops recaptured Bama from Boko Haram by the evening."
    )
    _, events = extract(text)
    assert [(e.subtype, e.location.name) for e in events] == [("government_regains_territory", "Bama")]


def test_this_attack_points_back(extract):
    text = "Boko Haram fighters attacked an army post in Bama on Monday.\n\nThis attack in Borno on Monday shocked residents."
    _, events = extract(text)
    assert _one(events).location.name == "Bama"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Officials say Boko Haram is obstructing the offensive against ISWAP in Borno.", id="present_tense_object"),
        pytest.param("The government supplied weapons to militias fighting Boko Haram in Borno.", id="participle_of_a_bare_plural"),
        pytest.param("Residents released photographs on Monday of weapons found in the area during battles.", id="bare_plural_in_another_clause"),
    ],
)
def test_told_about_not_reported(extract, text):
    _, events = extract(text)
    assert [(e.subtype, [ev.text for ev in e.evidence]) for e in events if e.type == "battles"] == []


def test_a_campaign_of_arrests_and_the_detentions_are_one_event(extract):
    text = "Nigerian police started a campaign of arrests against Boko Haram cells in Kano. About 40 suspects were detained on Monday."
    _, events = extract(text)
    event = _one(events)
    assert event.subtype == "arrests"
    assert len(event.evidence) == 2


def test_talks_asked_for_later_do_not_join_an_abduction(extract):
    text = (
        "ISWAP fighters abducted 20 soldiers in Dikwa on Monday.\n\n"
        "ISWAP leaders in Gao had asked for negotiations, officials said."
    )
    _, events = extract(text)
    abduction = next(e for e in events if e.subtype == "abduction_forced_disappearance")
    assert abduction.location.name == "Dikwa"
    assert len(abduction.evidence) == 1


def test_then_is_the_time_of_the_event_just_told(extract):
    text = (
        "ISWAP fighters briefly overran the town of Monguno in 2019.\n\n"
        "The fate of twelve soldiers that ISWAP took captive then remains unknown."
    )
    _, events = extract(text)
    capture = next(e for e in events if e.subtype == "abduction_forced_disappearance")
    assert (capture.date.start, capture.date.end, capture.date.mention) == ("2019-01-01", "2019-12-31", "then")


def test_progress_in_the_ongoing_battles_spans_the_fighting_told_before(extract):
    text = (
        "On 2 March, Nigerian troops clashed with Boko Haram fighters in Bama.\n\n"
        "On 5 March, Nigerian troops attacked Boko Haram positions near Gwoza.\n\n"
        "On 9 March, the army said it had made progress in the ongoing battles by recapturing Dikwa from Boko Haram."
    )
    _, events = extract(text)
    assert [(e.date.start, e.date.end) for e in events] == [
        ("2024-03-02", "2024-03-02"),
        ("2024-03-05", "2024-03-05"),  # its own day: no summary in its sentence
        ("2024-03-02", "2024-03-09"),  # the gain claimed on 9 March, over the fighting since 2 March
    ]


def test_people_taken_beside_ground_taken_are_a_capture_of_their_own(extract):
    text = "ISWAP fighters overran the base in Monguno on Monday, capturing the depot and 30 soldiers, and later 10 of them were released."
    _, events = extract(text)
    kinds = {e.subtype: e for e in events}
    assert set(kinds) == {"non_state_actor_overtakes_territory", "abduction_forced_disappearance", "release"}
    assert [c.low for c in kinds["abduction_forced_disappearance"].captured] == [30]
    assert [c.low for c in kinds["release"].released] == [10]
    assert not kinds["non_state_actor_overtakes_territory"].captured


def test_fighters_taken_or_killed_by_the_subject_are_of_the_other_side(extract):
    text = (
        "Boko Haram fighters ambushed a patrol near Bama on Monday.\n\n"
        "Later, Nigerian troops raided a camp near Gwoza, capturing 12 fighters."
    )
    _, events = extract(text)
    arrests = next(e for e in events if e.subtype == "arrests")
    assert [(c.low, c.side) for c in arrests.captured] == [(12, BOKO_HARAM)]


def test_them_is_not_the_subject(extract):
    text = "Boko Haram fighters ambushed a patrol near Bama on Monday. Nigerian troops later repelled them, killing 14 of them."
    _, events = extract(text)
    assert [(c.low, c.side) for c in _one(events).fatalities] == [(14, BOKO_HARAM)]


def test_a_relative_clause_shares_the_date_of_the_clause_it_hangs_on(extract):
    text = (
        "Boko Haram fighters clashed with soldiers in Gwoza on Monday. "
        "The next day, the violence spread to Bama, where clashes broke out between Boko Haram and Nigerian troops."
    )
    _, events = extract(text)
    assert [e.date.start for e in events] == ["2024-03-11", "2024-03-12"]  # the clashes in Bama: an event of their own


def test_a_video_released_is_no_release(extract):
    _, events = extract("A video released by Boko Haram on Monday showed three soldiers giving their names.")
    assert events == ()


def test_later_that_day_in_a_paragraph_of_its_own_is_the_day_just_told(extract):
    text = (
        "Boko Haram fighters overran an army post near Bama on Monday, killing four soldiers.\n\n"
        "Nigerian Air Force jets bombed a Boko Haram camp near Gwoza later that day, the air force said."
    )
    _, events = extract(text)
    assert [(e.date.start, e.date.end) for e in events] == [("2024-03-11", "2024-03-11")] * 2
