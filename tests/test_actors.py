"""Actor matching rules on a small knowledge base written here, and the curated one's shape."""

from __future__ import annotations

import textwrap

import pytest

from sitreps.actors import ActorMatcher, load_knowledge_base
from sitreps.actors.fold import fold
from sitreps.errors import ConfigError

DEMONYMS = """country,names,demonyms
SY,Syria|Syrian Arab Republic,Syrian
LB,Lebanon,Lebanese
IR,Iran,Iranian
US,United States|USA|U.S.,American|US|U.S.
"""

ACTORS = """
[[actor]]
id = "front"
name = "Nusra Front"
aliases = ["Jabhat al-Nusra", "al-Nusra Front", "Nusra"]
acronyms = ["JaN"]
descriptions = ["Syria's al-Qaeda affiliate"]
actor_type = 2
countries = ["SY"]
source = "test"
[[actor.names]]
name = "Jabhat Fatah al-Sham"
aliases = ["JFS"]
start = "2016-07-28"
end = "2017-01-28"
[[actor.affiliations]]
actor = "coalition"
relation = "member_of"
start = "2015-03-24"
end = "2017-01-28"
[[actor.people]]
name = "Abu Mohammad al-Julani"
aliases = ["al-Julani"]
role = "leader"

[[actor]]
id = "coalition"
name = "Jaysh al-Fatah"
aliases = ["Army of Conquest", "Jaysh al-Fateh"]
descriptions = ["the Nusra-led rebel coalition"]
actor_type = 2
countries = ["SY"]

[[actor]]
id = "state"
name = "Islamic State"
aliases = ["Islamic State of Iraq and the Levant", "Islamic State group", "Daesh"]
acronyms = ["IS", "ISIS", "ISIL"]
actor_type = 2
countries = ["SY", "IQ"]

[[actor]]
id = "party"
name = "Hezbollah"
aliases = ["Hizbullah", "Hizballah"]
actor_type = 3
countries = ["LB", "SY"]
[[actor.people]]
name = "Hassan Nasrallah"
aliases = ["Sayyed Hassan Nasrallah", "Nasrallah"]
role = "leader"
start = "1992-02-16"
end = "2024-09-27"

[[actor]]
id = "monitor"
name = "Syrian Observatory for Human Rights"
acronyms = ["SOHR"]
aliases = ["the Observatory"]
actor_type = 8
kind = "claimant"
claimant_type = "monitor_ngo"

[[actor]]
id = "military_sy"
name = "ignored for generated actors"
aliases = ["Syrian Arab Army"]
acronyms = ["SAA"]
actor_type = 1
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb")
    (folder / "demonyms.csv").write_text(DEMONYMS, encoding="utf-8")
    (folder / "test.toml").write_text(ACTORS, encoding="utf-8")
    return load_knowledge_base(data_dir=folder)


@pytest.fixture(scope="module")
def matcher(kb):
    return ActorMatcher(kb)


def _found(matcher, text):
    return [(m.text, m.actor_id, m.how) for m in matcher.find(text)]


@pytest.mark.parametrize(
    "left, right",
    [
        ("al-Nusra", "el-Nusra"),
        ("Jabhat al-Nusra", "Jabhat an-Nuṣra"),
        ("Qalamoun", "Qalamun"),
        ("Jaysh", "Jaish"),
        ("Hay'at Tahrir", "Hayat Tahrir"),
        ("Hezbollah's", "Hezbollah"),
        ("Ḥizbullāh", "hizbullah"),
    ],
)
def test_folding(left, right):
    assert fold(left) == fold(right)


def test_longest_match_wins(matcher):
    found = _found(matcher, "Fighters of the Islamic State of Iraq and the Levant advanced.")
    assert found == [("Islamic State of Iraq and the Levant", "state", "alias")]


def test_acronyms_are_case_sensitive(matcher):
    assert _found(matcher, "It is what it is, he said.") == []
    assert _found(matcher, "IS fighters and ISIL units withdrew; IS-held villages fell.") == [
        ("IS", "state", "acronym"),
        ("ISIL", "state", "acronym"),
        ("IS", "state", "acronym"),
    ]
    assert _found(matcher, "The jan offensive") == []


def test_spelling_variants_and_possessives(matcher):
    found = _found(matcher, "El-Nusra and Jabhat an-Nuṣra fighters met Hizbullah's commanders.")
    assert [actor for _, actor, _ in found] == ["front", "front", "party"]
    assert found[2][0] == "Hizbullah's"


def test_descriptions_and_renamings(matcher):
    found = _found(matcher, "Syria's al-Qaeda affiliate, then called JFS, joined the Nusra-led rebel coalition.")
    assert found == [
        ("Syria's al-Qaeda affiliate", "front", "description"),
        ("JFS", "front", "acronym"),
        ("the Nusra-led rebel coalition", "coalition", "description"),
    ]


def test_demonyms_are_not_actors_but_demonym_forces_are(matcher):
    assert _found(matcher, "A Syrian official said Syrian farmers left.") == []
    found = _found(matcher, "Syrian troops and Lebanese soldiers shelled the ridge; Syria's army advanced.")
    assert [(actor, how) for _, actor, how in found] == [
        ("military_sy", "state_force"),
        ("military_lb", "state_force"),
        ("military_sy", "state_force"),
    ]
    assert matcher.kb.get("military_sy").name == "Military Forces of Syria"
    assert _found(matcher, "The SAA moved north.") == [("SAA", "military_sy", "acronym")]


def test_generic_forces_take_the_country_of_the_article(matcher):
    text = "In Syria, government forces shelled the town and the police closed roads."
    assert [(t, a) for t, a, _ in _found(matcher, text)] == [
        ("government forces", "military_sy"),
        ("the police", "police_sy"),
    ]
    assert _found(matcher, "Government forces shelled the town.") == []  # no country: unresolved


def test_anaphors_link_to_the_nearest_compatible_actor(matcher):
    mentions = matcher.find(
        "Hezbollah attacked Nusra Front positions. The group said it lost five men. "
        "The two sides clashed again on Monday."
    )
    anaphors = [(m.text, m.actor_id) for m in mentions if m.how == "anaphor"]
    assert anaphors == [("The group", "front"), ("The two sides", "front"), ("The two sides", "party")]


def test_people_are_linked_to_their_organisation(matcher):
    (mention,) = matcher.find("Sayyed Hassan Nasrallah said on Thursday that talks had begun.")
    assert (mention.actor_id, mention.kind, mention.person) == ("party", "person", "Hassan Nasrallah")


def test_gunmen_and_civilians(matcher):
    mentions = matcher.find("Unidentified gunmen killed three civilians near Homs in Syria.")
    assert [(m.actor_id, m.name) for m in mentions] == [
        ("unidentified_armed_group", "Unidentified Armed Group (Syria)"),
        ("civilians", "Civilians (Syria)"),
    ]


def test_claimants_are_resolved_with_their_kind(matcher):
    (mention,) = matcher.find("SOHR said the toll rose.")
    assert (mention.actor_id, mention.kind) == ("monitor", "claimant")


def test_date_bounded_names_and_affiliations(kb):
    front = kb.get("front")
    assert front.name_at("2016-09-01") == "Jabhat Fatah al-Sham"
    assert front.name_at("2015-06-01") == front.name_at(None) == "Nusra Front"
    assert [a.actor for a in kb.affiliations("front", "2016-01-01")] == ["coalition"]
    assert kb.affiliations("front", "2018-01-01") == []
    assert [entry.actor_id for entry in kb.lookup("JFS")] == ["front"]
    assert [entry.how for entry in kb.lookup("al-Julani")] == ["person"]


@pytest.mark.parametrize(
    "table, message",
    [
        ('[[actor]]\nid = "x"\nname = "X"\nactor_type = 9\n', "inter code"),
        ('[[actor]]\nid = "x"\nactor_type = 2\n', "no 'name'"),
        ('[[actor]]\nid = "x"\nname = "X"\nactor_type = 2\n[[actor.names]]\nname = "Y"\nstart = "2015-13-01"\n', "YYYY-MM-DD"),
        ('[[actor]]\nid = "x"\nname = "X"\nactor_type = 2\n[[actor.affiliations]]\nactor = "y"\nrelation = "likes"\n', "relation"),
        ('[[actor]]\nid = "x"\nname = "X"\nactor_type = 2\n[[actor]]\nid = "x"\nname = "Z"\nactor_type = 2\n', "defined twice"),
    ],
)
def test_bad_knowledge_base_files_name_the_problem(tmp_path, table, message):
    (tmp_path / "bad.toml").write_text(textwrap.dedent(table), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_knowledge_base(data_dir=tmp_path)


def test_an_article_inside_a_name_is_optional(matcher):
    found = _found(matcher, "The al-Nusra-led rebel coalition declared war.")
    assert found == [("The al-Nusra-led rebel coalition", "coalition", "description")]


def test_sources_of_statements_are_marked(matcher):
    mentions = matcher.find("Fighters were freed, according to Jaysh al-Fateh. Hezbollah told reporters it advanced.")
    assert [(m.actor_id, m.attribution) for m in mentions] == [("coalition", True), ("party", True)]
    (plain,) = matcher.find("Hezbollah advanced on the ridge.")
    assert plain.attribution is False


def test_fakes_prediction_weighs_the_perpetrator_position(kb):
    from sitreps.evaluate.fakes_actors import GOVERNMENT, UNKNOWN, predict

    matcher = ActorMatcher(load_knowledge_base(data_dir=None))
    text = "A blast hit the market on Monday, killing four people."
    assert predict(text, matcher.find(text))[0] == UNKNOWN
    from sitreps.actors import default_matcher

    curated = default_matcher()
    text = "Syrian warplanes struck a market held by the Islamic State, killing nine people."
    assert predict(text, curated.find(text))[0] == GOVERNMENT


def test_evidence_is_found_whitespace_blind():
    from sitreps.evaluate.seeds import phrase_spans

    text = "First line.\nThe army  advanced\non the town. Then it stopped."
    (span,) = phrase_spans(text, "The army advanced on the town.")
    assert text[span[0] : span[1]] == "The army  advanced\non the town."


@pytest.fixture(scope="module")
def curated():
    """The matcher over the curated knowledge base the package ships."""
    from sitreps.actors import default_matcher

    return default_matcher()


def test_a_lowercase_word_never_names_a_country(curated):
    matcher = curated
    # "a car bomb" is no mention of the Central African Republic ("CAR"): with no country
    # named, the generic police stay unresolved ...
    text = "A car bomb went off outside a police post in the market town, killing three policemen."
    assert [m for m in matcher.find(text) if m.how == "generic"] == []
    # ... until the caller says where the article is (from its places).
    police = [m for m in matcher.find(text, focus="NG") if m.how == "generic"]
    assert [(m.text, m.actor_id) for m in police] == [("policemen", "police_ng")]


def test_a_named_country_beats_the_callers_focus(curated):
    matcher = curated
    text = "Malian soldiers and the police patrolled Gao; the police said the road was calm."
    police = [m for m in matcher.find(text, focus="NG") if m.how == "generic"]
    assert police and all(m.actor_id == "police_ml" for m in police)


def test_a_based_country_is_not_the_articles_country(curated):
    text = "Residents fled the shelling, a Britain-based monitor said, and the army blamed rebels."
    found = {m.how: m for m in curated.find(text)}
    assert "generic" not in found or found["generic"].country != "GB"
