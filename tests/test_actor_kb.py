"""The curated knowledge base (data/actors) and the actor component in the spaCy pipeline."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from sitreps.actors import load_knowledge_base
from sitreps.actors.kb import DATA_DIR
from sitreps.config import load_settings
from sitreps.nlp import build_pipeline

# Countries each region of the issue must cover with at least one curated armed actor.
REGIONS = {
    "Syria": "SY", "Iraq": "IQ", "Lebanon": "LB", "Yemen": "YE", "Ukraine": "UA", "Sudan": "SD",
    "Mali": "ML", "Burkina Faso": "BF", "Niger": "NE", "Nigeria": "NG", "Somalia": "SO",
    "Afghanistan": "AF", "Pakistan": "PK", "Myanmar": "MM", "Colombia": "CO", "DR Congo": "CD",
    "Palestine": "PS", "Israel": "IL", "Mexico": "MX", "Ethiopia": "ET", "Libya": "LY",
}  # fmt: skip


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(data_dir=DATA_DIR)


def test_curated_base_is_large_and_consistent(kb):
    curated = [a for a in kb.actors.values() if a.origin != "generated"]
    assert len(curated) >= 250
    for actor in kb.actors.values():
        for affiliation in actor.affiliations:
            assert affiliation.actor in kb.actors, f"{actor.id} -> {affiliation.actor}"
        assert actor.source, actor.id
    covered = Counter(code for a in curated if a.kind != "claimant" for code in a.countries)
    missing = [region for region, code in REGIONS.items() if covered[code] == 0]
    assert missing == []


def test_claimants_say_how_they_count(kb):
    claimants = [a for a in kb.actors.values() if a.kind == "claimant"]
    assert len(claimants) >= 30
    allowed = {"state_military", "state_official", "local_authority", "armed_group", "partisan_media", "media", "monitor_ngo", "un"}
    for actor in claimants:
        assert actor.claimant_type in allowed, actor.id
        assert all(kb.get(side) for side in actor.aligned_with), actor.id
    assert kb.get(kb.lookup("SOHR")[0].actor_id).claimant_type == "monitor_ngo"
    manar = kb.get(kb.lookup("Al-Manar")[0].actor_id)
    assert manar.claimant_type == "partisan_media" and "hezbollah" in manar.aligned_with


def test_every_country_has_state_forces():
    pycountry = pytest.importorskip("pycountry", reason="pycountry (dev extra) checks the country list")
    with open(DATA_DIR / "demonyms.csv", encoding="utf-8", newline="") as handle:
        codes = {row["country"] for row in csv.DictReader(handle)}
    assert {country.alpha_2 for country in pycountry.countries} <= codes


@pytest.mark.parametrize(
    "name, actor_id, when, named",
    [
        ("Jabhat Fatah al-Sham", "nusra_front", "2016-09-01", "Jabhat Fatah al-Sham"),
        ("Jabhat al-Nusra", "nusra_front", "2015-06-01", "Nusra Front"),
        ("ISIL", "islamic_state", None, "Islamic State"),
        ("Hizbullah", "hezbollah", None, "Hezbollah"),
        ("al-Shabaab", "al_shabaab", None, None),
        ("RSF", "rsf", None, None),
        ("Tatmadaw", "military_mm", None, "Military Forces of Myanmar"),
    ],
)
def test_well_known_names_resolve(kb, name, actor_id, when, named):
    assert actor_id in [entry.actor_id for entry in kb.lookup(name)]
    if named:
        assert kb.get(actor_id).name_at(when) == named


def test_nusra_joined_the_coalition_for_a_time(kb):
    during = {a.actor for a in kb.affiliations("nusra_front", "2016-01-01")}
    after = {a.actor for a in kb.affiliations("nusra_front", "2018-01-01")}
    assert "jaysh_al_fatah" in during and "jaysh_al_fatah" not in after


@pytest.fixture(scope="module")
def nlp():
    settings = load_settings(environ={})
    return build_pipeline(settings.nlp)


def test_the_component_runs_before_the_ner(nlp):
    assert nlp.pipe_names.index("actors") < nlp.pipe_names.index("ner")


def test_actors_are_entities_the_ner_keeps(nlp):
    doc = nlp("Hezbollah and the Syrian army attacked Jabhat al-Nusra near Arsal. IS fighters fled. It is over.")
    labelled = {(ent.text, ent.label_, ent.kb_id_) for ent in doc.ents}
    assert ("Hezbollah", "ACTOR", "hezbollah") in labelled
    assert ("Syrian army", "ACTOR", "military_sy") in labelled
    assert ("Jabhat al-Nusra", "ACTOR", "nusra_front") in labelled
    assert ("IS", "ACTOR", "islamic_state") in labelled
    assert not any(ent.text == "is" for ent in doc.ents)
    assert [m["actor_id"] for m in doc._.actor_mentions] == ["hezbollah", "military_sy", "nusra_front", "islamic_state"]


def test_the_component_survives_process_pools(nlp):
    docs = list(nlp.pipe(["Hezbollah fighters advanced.", "Jabhat al-Nusra retreated."], n_process=2))
    assert [d._.actor_mentions[0]["actor_id"] for d in docs] == ["hezbollah", "nusra_front"]


def test_an_ambiguous_acronym_takes_the_article_country():
    from sitreps.actors import default_matcher

    matcher = default_matcher()
    somalia = matcher.find("In Somalia, the SNA retook a town from al-Shabaab near Mogadishu.")
    syria = matcher.find("In northern Syria, the SNA shelled Kurdish positions near Afrin.")
    assert [m.actor_id for m in somalia if m.text == "SNA"] == ["military_so"]
    assert [m.actor_id for m in syria if m.text == "SNA"] == ["syrian_national_army"]


def test_a_name_never_shrinks_to_a_common_english_word():
    from sitreps.actors import ActorMatcher, load_knowledge_base

    matcher = ActorMatcher(load_knowledge_base())
    found = [(m.text, m.name) for m in matcher.find("A war monitor counted the dead; Al-Monitor reported it too.")]
    assert found == [("Al-Monitor", "Al-Monitor")]
