"""Casualty claims on sentences written for these tests: number forms, non-claims, sides,
claimants (attribution forms and chains), subsets and cumulative statistics."""

from __future__ import annotations

import pytest

from sitreps.config import load_settings
from sitreps.extract.claims import ClaimMention, find_claims
from sitreps.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(load_settings().nlp)


@pytest.fixture(scope="module")
def claims_of(nlp):
    def run(text: str, **options) -> list[ClaimMention]:
        doc = nlp(text)
        found = find_claims(doc, **options)
        for mention in found:  # evidence: the span points at its own text
            start, end = mention.claim.span
            assert text[start:end] == mention.claim.text
            assert text[mention.anchor[0] : mention.anchor[1]]
        return found

    return run


def _one(found: list[ClaimMention], low: int) -> ClaimMention:
    matching = [m for m in found if m.claim.low == low]
    assert matching, f"no claim of {low} in {[(m.kind, m.claim.low) for m in found]}"
    return matching[0]


# -- number forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "qualifier"),
    [
        ("Government troops stormed the farm, killing 17 militants, the army said.", "fatalities", 17, 17, "exact"),
        ("In the fighting near the bridge, 17 were killed.", "fatalities", 17, 17, "exact"),
        ("The death toll from the car bomb rose to 15, police said.", "fatalities", 15, 15, "exact"),
        ("At least 12 people died when the shells hit the square.", "fatalities", 12, None, "at_least"),
        ("The blast at the checkpoint left three dead.", "fatalities", 3, 3, "exact"),
        ("The rebels said they killed a dozen soldiers near the dam.", "fatalities", 12, 12, "exact"),
        ("The pilots killed dozens of them in the raid.", "fatalities", 24, None, "at_least"),
        ("We lost 4 soldiers in the ambush, the colonel said.", "fatalities", 4, 4, "exact"),
        ("Up to 5 people were trapped under the collapsed roof.", "missing", 5, 5, "up_to"),
        ("38 women were freed from the camp on Friday.", "released", 38, 38, "exact"),
        ("Around 50 women were abducted from the market town.", "captured", 50, 50, "around"),
        ("Gunmen kidnapped between 20 and 30 passengers from the bus.", "captured", 20, 30, "exact"),
        ("Police arrested more than 40 people after the riot.", "captured", 40, None, "more_than"),
        ("Seven fishermen are still missing after the attack on the port.", "missing", 7, 7, "exact"),
        ("Nearly 30 protesters were wounded by live fire.", "injuries", 30, 30, "up_to"),
        ("Rescuers pulled the bodies of 9 people from the rubble.", "fatalities", 9, 9, "exact"),
        ("The raid killed twenty-three villagers.", "fatalities", 23, 23, "exact"),
        ("An estimated 300 people were detained during the sweep.", "captured", 300, 300, "around"),
    ],
)  # fmt: skip
def test_number_forms(claims_of, text, kind, low, high, qualifier):
    mention = _one(claims_of(text, country="SY"), low)
    assert (mention.kind, mention.claim.high, mention.claim.qualifier) == (kind, high, qualifier)


def test_two_figures_of_two_sides_in_one_phrase(claims_of):
    found = claims_of("Two soldiers and a civilian were killed when the convoy hit a mine.", country="ML")
    assert [(m.kind, m.claim.low, m.claim.side) for m in found] == [
        ("fatalities", 2, "Military Forces of Mali"),
        ("fatalities", 1, "civilians"),
    ]


def test_dead_and_wounded(claims_of):
    found = claims_of("The shelling left 6 dead and 20 wounded in the old quarter.")
    assert [(m.kind, m.claim.low) for m in found] == [("fatalities", 6), ("injuries", 20)]


def test_more_injured_after_killed(claims_of):
    found = claims_of("The militants attacked the post, killing 17 and injuring over a dozen more.")
    injured = _one(found, 12)
    assert (injured.kind, injured.claim.qualifier, injured.claim.high) == ("injuries", "more_than", None)


def test_captured_others(claims_of):
    found = claims_of("The fighters killed two guards and captured three others.")
    assert [(m.kind, m.claim.low) for m in found] == [("fatalities", 2), ("captured", 3)]


@pytest.mark.parametrize(
    ("text", "low", "subset_low"),
    [
        ("The air strike killed 7 people, including 3 children.", 7, 3),
        ("Twenty people were killed, 16 of them children.", 20, 16),
        ("At least 11 fighters died and three commanders were among the dead.", 11, 3),
    ],
)
def test_subsets(claims_of, text, low, subset_low):
    found = claims_of(text)
    assert _one(found, low).claim.scope is None
    assert _one(found, subset_low).claim.scope == "subset"


# -- what is not a claim ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "not_low"),
    [
        ("A 60-year-old farmer was killed by a stray shell.", 60),
        ("In 2015, the militants killed the village chief.", 2015),
        ("The attack began at 10:30 and killed one guard.", 10),
        ("The rebels seized $5 million and killed a guard.", 5),
        ("On 4 May the army killed the commander of the cell.", 4),
        ("The air defences shot down 12 drones and killed nobody.", 12),
        ("The two sides fought for three days before anyone was killed.", 3),
        ("One of the villages was destroyed and a shepherd was killed.", 2),
        ("The convoy of 40 trucks was hit and a driver was killed.", 40),
        ("Gunmen killed a guard 15 km from the border.", 15),
    ],
)
def test_non_claims(claims_of, text, not_low):
    assert all(m.claim.low != not_low for m in claims_of(text))


def test_drones_and_tanks_are_no_people(claims_of):
    assert claims_of("Troops destroyed four tanks and captured 12 vehicles.") == []


def test_an_actors_things_are_no_people(claims_of):
    # "520 US airstrikes" counts strikes, not members of the US forces; "18 Hezbollah" does.
    found = claims_of("More than 520 US airstrikes have killed 229 civilians since June.", country="SY")
    assert [m.claim.low for m in found] == [229]


# -- sides --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "side"),
    [
        ("At least 17 militants of the Nusra Front were killed in the clashes.", 17, "Nusra Front"),
        ("Nine Hezbollah fighters were killed near the ridge.", 9, "Hezbollah"),
        ("The shelling killed 14 civilians in the town.", 14, "civilians"),
        ("Five worshippers were wounded when the mosque was hit.", 5, "civilians"),
        ("Six students were abducted from the school.", 6, "civilians"),
        ("Dozens of fighters were wounded on both sides.", 24, "mixed"),
        ("Twelve soldiers were killed in the ambush.", 12, "Syrian Arab Army"),
    ],
)
def test_sides(claims_of, text, low, side):
    assert _one(claims_of(text, country="SY", date="2015-05-01"), low).claim.side == side


def test_soldiers_take_the_country_and_the_date(claims_of):
    after = _one(claims_of("Twelve soldiers were killed in the ambush.", country="SY", date="2025-03-01"), 12)
    assert after.claim.side == "Military Forces of Syria"
    assert after.claim.side_id == "military_sy"


def test_fighters_without_a_name_take_the_armed_group_just_named(claims_of):
    text = "Islamic State attacked an army post near Palmyra. Eleven militants were killed in the assault."
    assert _one(claims_of(text, country="SY"), 11).claim.side == "Islamic State"


def test_its_fighters_are_the_subject_group(claims_of):
    text = "Hezbollah said on Monday that 13 of its fighters were killed."
    mention = _one(claims_of(text), 13)
    assert mention.claim.side == "Hezbollah"
    assert mention.claim.claimed_by.alignment == "self"


# -- claimants ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "type_", "alignment"),
    [
        ("Eight civilians were killed in the strike, according to the Syrian Observatory for Human Rights.",
         "Syrian Observatory for Human Rights", "monitor_ngo", "neutral"),
        ("Eight civilians were killed in the strike, local sources said.", "local sources", "local_source", "unknown"),
        ("Medics said eight civilians were killed in the strike.", "Medics", "local_source", "unknown"),
        ("Hezbollah claimed it had killed 20 Nusra Front fighters.", "Hezbollah", "armed_group", "adversary"),
        ("The Nusra Front reported that 20 of its fighters had been killed.", "Nusra Front", "armed_group", "self"),
        ("State media reported that eight civilians were killed.", "State media", "state_official", "unknown"),
        ("Eight civilians were killed in the strike.", "reporter", "reporter", "neutral"),
        # The parse hangs the speaker on the figure and leaves "said" without a subject.
        ("Air strikes on Douma killed eight civilians, the Syrian Observatory for Human Rights said.",
         "Syrian Observatory for Human Rights", "monitor_ngo", "neutral"),
        ("A local official told reporters that eight civilians were killed.", "local official", "local_authority", "unknown"),
    ],
)  # fmt: skip
def test_claimants(claims_of, text, name, type_, alignment):
    claimant = _one(claims_of(text, country="SY"), 8 if "eight" in text.lower() else 20).claim.claimed_by
    assert (claimant.name, claimant.type, claimant.alignment) == (name, type_, alignment)


def test_claimant_span_points_at_the_name(claims_of):
    text = "Eight civilians were killed in the strike, according to the Syrian Observatory for Human Rights."
    claimant = _one(claims_of(text), 8).claim.claimed_by
    assert text[claimant.span[0] : claimant.span[1]] == "Syrian Observatory for Human Rights"
    assert claimant.id == "sohr"


def test_person_of_an_organisation_told_an_outlet(claims_of):
    text = "Rami Abdel Rahman, who heads the Observatory, told AFP that 31 fighters were killed."
    claimant = _one(claims_of(text), 31).claim.claimed_by
    assert claimant.name == "Syrian Observatory for Human Rights"
    assert claimant.chain[0] in ("AFP", "Agence France-Presse")
    assert claimant.chain[-1] == "Syrian Observatory for Human Rights"


def test_citing_names_the_origin(claims_of):
    text = "An activist reported, citing the Syrian Observatory for Human Rights, that 31 fighters were killed."
    claimant = _one(claims_of(text), 31).claim.claimed_by
    assert claimant.name == "Syrian Observatory for Human Rights"
    assert claimant.chain[-1] == "Syrian Observatory for Human Rights"
    assert len(claimant.chain) == 2


def test_a_leader_speaks_for_the_group(claims_of):
    text = "Nasrallah revealed that 13 Hezbollah fighters and 7 Syrian soldiers were killed."
    found = claims_of(text, date="2015-05-16")
    fighters, soldiers = _one(found, 13), _one(found, 7)
    assert fighters.claim.claimed_by.name == "Hassan Nasrallah"
    assert fighters.claim.claimed_by.alignment == "self"
    assert soldiers.claim.side == "Syrian Arab Army"
    assert soldiers.claim.claimed_by.alignment == "adversary"


def test_a_number_from_two_claimants_is_two_claims(claims_of):
    text = "The Syrian Observatory for Human Rights and local sources said 25 civilians were killed."
    found = [m for m in claims_of(text) if m.claim.low == 25]
    assert sorted(m.claim.claimed_by.name for m in found) == ["Syrian Observatory for Human Rights", "local sources"]


def test_claimant_carries_over_to_he_added(claims_of):
    text = (
        "The governor of the province spoke to reporters on Sunday. "
        "He added that 14 people were wounded in the strike."
    )
    claimant = _one(claims_of(text), 14).claim.claimed_by
    assert claimant.name != "reporter"


def test_competing_claims_of_one_number(claims_of):
    text = (
        "Nasrallah said 13 Hezbollah fighters were killed. "
        "Opposition media channels claimed up to 120 Hezbollah fighters had been killed."
    )
    found = claims_of(text)
    assert _one(found, 13).claim.claimed_by.name == "Hassan Nasrallah"
    opposition = _one(found, 120)
    assert opposition.claim.qualifier == "up_to"
    assert opposition.claim.claimed_by.type == "partisan_media"


# -- cumulative statistics -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The group has lost more than 1,000 members since 2013.",
        "More than 10,000 civilians have been killed since the war began.",
        "So far this year, 240 people have been killed in the province, the UN said.",
        "The mission has lost 170 peacekeepers since it was deployed.",
    ],
)
def test_cumulative_statistics(claims_of, text):
    found = claims_of(text)
    assert found and all(m.cumulative for m in found)


def test_one_event_is_not_cumulative(claims_of):
    assert not any(m.cumulative for m in claims_of("A roadside bomb killed 4 soldiers on Monday."))


def test_sentence_and_anchor_offsets(claims_of):
    text = "Clashes went on all day. By evening 9 rebels had been killed."
    mention = _one(claims_of(text), 9)
    assert text[mention.sentence[0] : mention.sentence[1]] == "By evening 9 rebels had been killed."
    assert text[mention.anchor[0] : mention.anchor[1]] == "killed"


def test_mentions_can_be_given(claims_of, nlp):
    doc = nlp("Nine fighters were killed.")
    given = [{"start": 5, "end": 13, "text": "fighters", "actor_id": "hezbollah", "name": "Hezbollah",
              "actor_type": 3, "kind": "armed", "how": "alias", "person": None, "country": "LB",
              "attribution": False}]  # fmt: skip
    assert find_claims(doc, mentions=given)[0].claim.side == "Hezbollah"


# -- crime reports -------------------------------------------------------------------------


def _figures(found: list[ClaimMention]) -> list[tuple[str, int]]:
    return [(m.kind, m.claim.low) for m in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A man was shot and killed outside a store on Sunday.", [("fatalities", 1)]),
        ("A 12-year-old boy was fatally shot by his cousin.", [("fatalities", 1)]),
        ("Jordan Ellis was pronounced dead at the scene.", [("fatalities", 1)]),
        ("Two men were wounded and a woman was found shot to death in the apartment.",
         [("injuries", 2), ("fatalities", 1)]),
        ("A 23-year-old woman was shot in the leg on Friday night.", [("injuries", 1)]),
        ("Three people were shot, one fatally.", [("injuries", 2), ("fatalities", 1)]),
        ("Four men were shot and two of them died.", [("injuries", 2), ("fatalities", 2)]),
        ("Police shot at the car but nobody was hit.", []),
    ],
)  # fmt: skip
def test_crime_report_victims(claims_of, text, expected):
    assert _figures(claims_of(text)) == expected


def test_one_victim_told_twice_is_one(claims_of):
    found = claims_of("A teenager was shot on Pine Street late Saturday. He died at the hospital.")
    assert _figures(found) == [("fatalities", 1)]


def test_another_victim_shot_is_injured(claims_of):
    found = claims_of("A man was shot and killed on Sunday. Police said a second man was also shot.")
    assert _figures(found) == [("fatalities", 1), ("injuries", 1)]


def test_the_shooter_is_a_side_of_its_own(claims_of):
    found = claims_of("Officers shot and killed the gunman after he wounded two people.")
    gunman, wounded = _one(found, 1), _one(found, 2)
    assert gunman.kind == "fatalities"
    assert gunman.claim.side.startswith("Unidentified Armed Group")
    assert (wounded.kind, wounded.claim.side) == ("injuries", "unknown")


def test_an_arrest_is_no_casualty(claims_of):
    assert [m.kind for m in claims_of("The suspect was arrested at his home on Tuesday.")] == ["captured"]


def test_a_victims_age_is_no_count(claims_of):
    found = claims_of("Marcus Reed, 23, was killed in the shooting.")
    assert _figures(found) == [("fatalities", 1)]
    assert found[0].claim.text == "Marcus Reed"


def test_a_verb_with_several_subjects_keeps_only_the_nearest(nlp):
    """A run-on sentence parsed wrong hangs three subjects on "released"; only the one just
    before it is its own (the others are read off the verb before them)."""
    from spacy.tokens import Doc

    from sitreps.extract.claims import _Reader

    words = ["bases", "and", "12", "fighters", "later", "5", "of", "them", "were", "released"]
    heads = [9, 0, 3, 9, 9, 9, 5, 6, 9, 9]
    deps = ["nsubjpass", "cc", "nummod", "nsubjpass", "advmod", "nsubjpass", "prep", "pobj", "auxpass", "ROOT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps)
    released = doc[9]
    assert _Reader._another_subject(released, doc[3])  # "12 fighters": not its subject
    assert not _Reader._another_subject(released, doc[5])  # "5 of them": its own
    single = Doc(nlp.vocab, words=["5", "were", "released"], heads=[2, 2, 2], deps=["nsubjpass", "auxpass", "ROOT"])
    assert not _Reader._another_subject(single[2], single[0])
