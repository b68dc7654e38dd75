"""Tests of the event scorers: ``seeds-events`` (matching, assignment, fields, figures,
attribution) and ``fakes`` (governorates, counts, alignment, the naive baseline).

Every gold dict, text and event here is written for these tests; no benchmark text is copied.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitreps.evaluate import BENCHMARKS, fakes
from sitreps.evaluate import seeds_events as se
from sitreps.evaluate.fakes_actors import GOVERNMENT, ISIS, UNKNOWN
from sitreps.records import ActorRef, Claim, Claimant, Event, EventDate, Evidence, Location

# --- builders ---------------------------------------------------------------------------------


def claim(low, *, high=None, qualifier="exact", side="unknown", by="reporter", by_type="reporter", scope=None,
          side_id=None, claimant_id=None, text="", span=(0, 1)):
    return Claim(
        low=low, high=low if high is None and qualifier == "exact" else high, qualifier=qualifier, side=side,
        claimed_by=Claimant(name=by, type=by_type, id=claimant_id), span=span, text=text or f"{low} killed",
        scope=scope, side_id=side_id,
    )


def event(type_="battles", subtype="armed_clash", *, place="Kafr Lusin", country="SY", admin1=None, start=None,
          end=None, actors=(), event_id="e", **claims):
    location = Location(name=place, mention=place, span=(0, 1), precision=1, country=country, admin1=admin1) if place else None
    date = EventDate(start=start, end=end or start, precision="day", mention=None, span=None, anchor=None) if start else None
    refs = tuple(ActorRef(name=name, mention=name, span=(0, 1), role=role, id=actor_id) for name, role, actor_id in actors)
    return Event(id=event_id, document_id="d", type=type_, subtype=subtype, actors=refs, location=location, date=date,
                 evidence=(Evidence(0, 5, "words"),), **claims)


def gold_event(type_="battle", subtype="armed_clash", *, place="Kafr Lusin", country="SY", start=None, end=None,
               actors=(), roles=None, **extra):
    return {
        "type": type_, "subtype": subtype, "actors": list(actors), "actor_roles": roles or {},
        "location": {"name": place, "country": country, **extra.pop("location_extra", {})},
        "date": {"start": start, "end": end or start, "text": None},
        "fatalities": extra.pop("fatalities", []), "injuries": extra.pop("injuries", []), "evidence": "words",
        **extra,
    }


def figure(low, *, high=None, qualifier="exact", side="unknown", by="reporter", by_type="reporter", **extra):
    return {"count_low": low, "count_high": high, "qualifier": qualifier, "side": side, "claimed_by": by,
            "claimed_by_type": by_type, "text": f"{low}", **extra}


def view(e, index=0):
    return se.predicted_view(e, index)


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Al-Barouh Hill", "barouh hill"),
        ("Jour Al-‘Anib", "jour anib"),
        ("  The  Élysée  ", "elysee"),
        ("az-Zamrani", "zamrani"),
        ("Hay'at Tahrir", "hayat tahrir"),
        (None, ""),
    ],
)
def test_normalize(text, expected):
    assert se.normalize(text) == expected


def test_names_match_on_whole_words_either_way():
    assert se.names_match("Juroud Arsal", "Arsal")
    assert se.names_match("arsal", "Juroud Arsal")
    assert se.names_match("Al-Zamrani", "az-Zamrani")
    assert not se.names_match("Homsi", "Homs")
    assert not se.names_match("", "Homs")


def test_types_subtypes_and_actors_map_to_the_gold_vocabulary():
    assert se.gold_type("battles") == "battle"
    assert se.gold_type("strategic_developments") == "strategic_development"
    assert se.gold_subtype("shelling_artillery_missile_attack") == "shelling_artillery_missile"
    assert se.gold_subtype("remote_explosive_landmine_ied") == "remote_explosive"
    assert se.gold_subtype("abduction_forced_disappearance") == "abduction"
    assert se.gold_subtype("armed_clash") == "armed_clash"
    assert se.gold_actor("Military Forces of Syria", "military_sy") == "Syrian Government Forces"
    assert se.gold_actor("Military Forces of Syria") == "Syrian Government Forces"
    assert se.gold_actor("Hay'at Tahrir al-Sham", "hayat_tahrir_al_sham") == "Nusra Front"
    assert se.gold_actor("Daesh") == "Islamic State"
    assert se.gold_actor("Some Brigade") == "Some Brigade"
    assert se.gold_side("civilians") == "civilians"


# --- attribution ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gold, alt, names, reporter, expected",
    [
        ("SOHR", (), ["SOHR"], False, True),
        ("the monitoring group", (), ["Monitoring Group"], False, True),  # normalised equal
        ("Nasrallah", (), ["Hassan Nasrallah"], False, True),  # contains
        ("local activist sources", (), ["local sources"], False, True),  # contained
        ("sources close to the group", (), ["close sources"], False, True),  # Jaccard 2/4
        ("pro-government military sources", (), ["opposition sources"], False, False),  # Jaccard 1/5
        ("military sources", ("Abu Omar",), ["Abu Omar"], False, True),  # claimed_by_alt
        ("reporter", (), ["reporter"], True, True),
        ("reporter", (), ["unattributed"], False, True),
        ("reporter", (), ["SOHR"], False, False),
        ("SOHR", (), ["reporter"], True, False),
    ],
)
def test_attribution_rules(gold, alt, names, reporter, expected):
    gold_figure = {"claimed_by": gold, "claimed_by_alt": list(alt)}
    assert se.claimant_correct(gold_figure, names, reporter=reporter) is expected


def test_knowledge_base_names_add_aliases_and_the_text_at_the_span():
    class FakeActor:
        id, name, aliases, acronyms, names = "watch", "Syrian Watch for Rights", ("the Watch",), ("SWR",), ()

    class FakeKb:
        def get(self, actor_id):
            return FakeActor() if actor_id == "watch" else None

    text = "the monitor said 5 died"
    names = se.knowledge_base_names(FakeKb(), text)(Claimant("Syrian Watch for Rights", "monitor_ngo", id="watch", span=(0, 11)))
    assert {"Syrian Watch for Rights", "the Watch", "SWR", "the monitor"} <= set(names)
    assert se.claimant_correct({"claimed_by": "SWR"}, names, reporter=False)


# --- assignment -------------------------------------------------------------------------------


def _brute_force(weights):
    rows, columns = len(weights), len(weights[0]) if weights else 0
    best = 0.0
    for k in range(min(rows, columns) + 1):
        for chosen_rows in itertools.combinations(range(rows), k):
            for chosen_columns in itertools.permutations(range(columns), k):
                pairs = list(zip(chosen_rows, chosen_columns))
                if all(weights[r][c] is not None for r, c in pairs):
                    best = max(best, sum(weights[r][c] for r, c in pairs))
    return best


def test_assignment_prefers_the_heavier_total_over_greedy():
    weights = [[3.0, 2.9], [2.0, None]]
    # Greedy would take (0, 0) = 3 and leave row 1 unmatched; the best total is 2.9 + 2.
    assert se.max_weight_assignment(weights) == [(0, 1), (1, 0)]


def test_assignment_never_uses_incompatible_pairs():
    assert se.max_weight_assignment([[None, None], [None, 1.0]]) == [(1, 1)]
    assert se.max_weight_assignment([]) == []
    assert se.max_weight_assignment([[None]]) == []


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.integers(1, 4).flatmap(
            lambda columns: st.lists(
                st.lists(st.one_of(st.none(), st.floats(0.01, 5.0)), min_size=columns, max_size=columns),
                min_size=rows, max_size=rows,
            )
        )
    )
)
def test_assignment_is_optimal(weights):
    pairs = se.max_weight_assignment(weights)
    assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
    assert all(weights[r][c] is not None for r, c in pairs)
    assert sum(weights[r][c] for r, c in pairs) == pytest.approx(_brute_force(weights))


# --- matching ---------------------------------------------------------------------------------


def test_compatibility_criteria():
    gold = gold_event(place="Kafr Lusin", start="2016-03-10", location_extra={"alt_names": ["Lusin Valley"], "country_alt": ["LB"]})
    assert se.compatible(gold, view(event(start="2016-03-11")))  # a day off is inside the window
    assert not se.compatible(gold, view(event(start="2016-03-13")))  # three days off is not
    assert se.compatible(gold, view(event()))  # no predicted date: not judged
    assert se.compatible(gold, view(event(place="Lusin Valley")))  # alt_names
    assert se.compatible(gold, view(event(country="LB")))  # country_alt
    assert not se.compatible(gold, view(event(country="TR")))
    assert not se.compatible(gold, view(event(place="Tell Hamra")))
    assert not se.compatible(gold, view(event(place=None)))
    assert not se.compatible(gold, view(event("protests", "peaceful_protest")))
    assert se.compatible(gold, view(event("protests", "peaceful_protest")), relaxed=True)
    aggregate = {**gold, "aggregate": True}
    assert se.compatible(aggregate, view(event(start="2016-03-13")))  # aggregates get three days


def test_gold_without_place_accepts_its_country_or_no_place():
    gold = gold_event(place=None, country="LB")
    assert se.compatible(gold, view(event(place="Somewhere", country="LB")))
    assert se.compatible(gold, view(event(place=None)))
    assert not se.compatible(gold, view(event(place="Somewhere", country="SY")))


def test_gold_bound_dates_use_open_ends():
    gold = gold_event(start=None, end="2016-03-20")  # "recently" before publication
    gold["date"]["start"] = None
    assert se.compatible(gold, view(event(start="2016-03-01")))
    assert not se.compatible(gold, view(event(start="2016-03-25")))


def test_weight_counts_place_subtype_actors_and_start():
    gold = gold_event(start="2016-03-10", actors=["Islamic State", "Syrian Government Forces"])
    full = event(start="2016-03-10", actors=[("Islamic State", "initiator", "islamic_state"), ("Military Forces of Syria", "target", "military_sy")])
    assert se.pair_weight(gold, view(full)) == pytest.approx(2 + 1 + 1 + 1)
    half = event(subtype="attack", actors=[("Islamic State", "initiator", None), ("Hezbollah", "target", None)])
    assert se.pair_weight(gold, view(half)) == pytest.approx(2 + 0 + 1 / 3 + 0)


def test_matching_counts_and_neutral_golds():
    golds = [
        gold_event(place="Kafr Lusin"),
        gold_event(place="Tell Hamra"),  # required, not predicted: a false negative
        gold_event(place="Ain Waraq", optional=True),  # optional, matched: neutral
        gold_event(place="Qalaat Siman", aggregate=True),  # aggregate, matched: neutral
        gold_event(place="Deir Sunbul", optional=True),  # optional, not predicted: nothing
    ]
    predictions = [view(event(place=p), i) for i, p in enumerate(["Kafr Lusin", "Ain Waraq", "Qalaat Siman", "Bab Nour"])]
    matching = se.match_events(golds, predictions)
    assert [(g, p) for g, p, _ in matching.pairs] == [(0, 0), (2, 1), (3, 2)]
    assert matching.false_negatives == (1,)
    assert matching.false_positives == (3,)
    assert matching.neutral == (2, 3)
    assert matching.true_positives == 1


def test_matching_is_one_to_one_and_maximises_weight():
    # Two golds in one place; the prediction with the right subtype goes to the gold of that subtype.
    golds = [gold_event(subtype="armed_clash"), gold_event(subtype="government_regains_territory")]
    predictions = [view(event(subtype="government_regains_territory"), 0), view(event(subtype="armed_clash"), 1)]
    matching = se.match_events(golds, predictions)
    assert [(g, p) for g, p, _ in matching.pairs] == [(0, 1), (1, 0)]


def test_actor_alternatives_rename_an_accepted_actor():
    gold = gold_event(actors=["Army of the Hills", "Islamic State"], actor_alternatives={"Army of the Hills": ["Nusra Front"]})
    prediction = view(event(actors=[("Nusra Front", "initiator", "nusra_front"), ("Islamic State", "target", "islamic_state")]))
    gold_set, predicted_set = se._actor_sets(gold, prediction)
    assert gold_set == predicted_set


# --- figures ----------------------------------------------------------------------------------


def test_figure_alignment_tiers():
    golds = [
        figure(13, side="Hezbollah", by="Nasrallah", by_type="armed_group"),
        figure(120, qualifier="up_to", side="Hezbollah", by="opposition media", by_type="partisan_media"),
        figure(9, side="civilians", by="SOHR", by_type="monitor_ngo"),
    ]
    ours = [
        se._figure(claim(120, qualifier="up_to", side="Hezbollah", by="opposition media", by_type="partisan_media"), se.plain_claimant_names),
        se._figure(claim(13, side="Hezbollah", by="Hassan Nasrallah", by_type="armed_group"), se.plain_claimant_names),
        se._figure(claim(8, side="civilians", by="SOHR", by_type="monitor_ngo"), se.plain_claimant_names),  # same side and claimant
    ]
    assert sorted(se.align_figures(golds, ours)) == [(0, 1), (1, 0), (2, 2)]


def test_same_number_different_claimants_align_by_claimant_first():
    golds = [figure(17, qualifier="at_least", side="Nusra Front", by="local sources"),
             figure(17, side="Nusra Front", by="pro-ISIS sources")]
    ours = [se._figure(claim(17, side="Nusra Front", by="pro-ISIS sources", by_type="armed_group"), se.plain_claimant_names),
            se._figure(claim(17, qualifier="at_least", side="Nusra Front", by="local sources", by_type="local_source"), se.plain_claimant_names)]
    assert sorted(se.align_figures(golds, ours)) == [(0, 1), (1, 0)]


@pytest.mark.parametrize(
    "qualifier, low, high, value, expected",
    [
        ("exact", 10, None, 10, True), ("exact", 10, None, 11, False),
        ("at_least", 10, None, 50, True), ("more_than", 10, None, 9, False),
        ("up_to", 10, None, 0, True), ("up_to", 10, None, 11, False),
        ("around", 50, None, 40, True), ("around", 50, None, 61, False),
        ("exact", 10, 20, 15, True),
    ],
)
def test_within_range(qualifier, low, high, value, expected):
    assert se.within_range({"count_low": low, "count_high": high, "qualifier": qualifier}, value) is expected


def test_open_ended_and_exact_claims_compare_with_the_gold_high():
    exact = se._figure(claim(5), se.plain_claimant_names)
    assert exact.high is None and se.figure_exact(figure(5), exact)
    ranged = se._figure(claim(5, high=8, qualifier="around"), se.plain_claimant_names)
    assert ranged.high == 8 and se.figure_exact(figure(5, high=8, qualifier="around"), ranged)


def _article(events, **extra):
    return {"id": "x", "published": "2016-03-12", "published_source": "text", "events": events, **extra}


def test_score_article_figures_and_neutral_subsets():
    gold = _article([
        gold_event(
            start="2016-03-10", actors=["Islamic State", "Syrian Government Forces"],
            roles={"Islamic State": "initiator", "Syrian Government Forces": "target"},
            fatalities=[
                figure(12, qualifier="at_least", side="Syrian Government Forces", by="SOHR", by_type="monitor_ngo"),
                figure(1, side="Syrian Government Forces", by="SOHR", by_type="monitor_ngo", scope="subset"),
                figure(3, side="civilians", by="reporter", by_type="reporter"),
            ],
        )
    ])
    ours = event(
        start="2016-03-10",
        actors=[("Islamic State", "initiator", "islamic_state"), ("Military Forces of Syria", "initiator", "military_sy")],
        fatalities=(
            claim(12, qualifier="at_least", high=None, side="Military Forces of Syria", side_id="military_sy", by="SOHR", by_type="monitor_ngo"),
            claim(4, side="civilians"),  # same side and claimant as the gold 3: aligned, number wrong
            claim(2, side="Islamic State", by="SOHR", by_type="monitor_ngo"),  # nothing to align: spurious
            claim(1, side="Military Forces of Syria", scope="subset", by="someone else"),  # our subset: neutral
        ),
    )
    score = se.score_article(gold, [ours])
    c = score.counts
    assert (c["events_tp"], c["events_fp"], c["events_fn"]) == (1, 0, 0)
    assert (c["figures_tp"], c["figures_fp"], c["figures_fn"]) == (2, 1, 0)
    assert c["figure_exact_ok"] == 1 and c["figure_number_ok"] == 1 and c["figure_side_ok"] == 2
    assert c["figure_claimant_ok"] == 2 and c["claimant_type_ok"] == 2
    assert (c["role_ok"], c["role_n"]) == (1, 2)
    assert (c["date_ok"], c["date_n"]) == (1, 1)
    assert score.details["figure_mismatches"][0]["wrong"] == ["exact", "number", "within_range"]
    metrics = se.summarise([score])
    assert metrics["event_f1"] == 1.0 and metrics["figure_precision"] == pytest.approx(2 / 3)
    assert metrics["actor_f1"] == 1.0 and metrics["role_accuracy"] == 0.5


def test_score_article_dates_hallucinated_and_left_out():
    gold = _article([gold_event(start=None)])
    gold["events"][0]["date"] = {"start": None, "end": None, "text": "Tuesday"}
    made_up = se.score_article(gold, [event(start="2016-03-08")])
    assert (made_up.counts["date_hallucinated"], made_up.counts["date_null_n"]) == (1, 1)
    unscored = se.score_article(gold, [event(start="2016-03-08")], score_dates=False)
    assert unscored.counts["date_null_n"] == 0


def test_false_positives_and_negatives_are_listed_with_their_figures():
    gold = _article([gold_event(place="Tell Hamra", fatalities=[figure(4)])])
    score = se.score_article(gold, [event(place="Bab Nour", fatalities=(claim(9),))])
    assert score.details["false_negatives"][0]["place"] == "Tell Hamra"
    assert score.details["false_positives"][0]["places"] == ["Bab Nour"]
    assert score.counts["figures_fn_unmatched"] == 1 and score.counts["figures_fp_unmatched"] == 1
    metrics = se.summarise([score])
    assert metrics["event_f1"] == 0.0 and metrics["figure_recall_overall"] == 0.0
    assert metrics["figure_recall"] is None  # no matched event: undefined, left out


def test_type_accuracy_and_relaxed_matching():
    gold = _article([gold_event("battle", "armed_clash")])
    score = se.score_article(gold, [event("violence_against_civilians", "attack")])
    assert (score.counts["events_tp"], score.counts["relaxed_tp"]) == (0, 1)
    assert (score.counts["type_ok"], score.counts["type_n"]) == (0, 1)


def test_macro_f1_averages_over_event_types():
    gold = _article([gold_event(place="Tell Hamra"), gold_event("strategic_development", "arrests", place="Bab Nour")])
    score = se.score_article(gold, [event(place="Tell Hamra")])
    metrics = se.summarise([score])
    assert metrics["event_f1"] == pytest.approx(2 / 3)
    assert metrics["event_f1_macro"] == pytest.approx((1.0 + 0.0) / 2)


def test_disputes_and_contested_recall():
    gold = _article([
        gold_event(
            place="Tell Hamra", aggregate=True,
            fatalities=[
                figure(13, side="Hezbollah", by="Nasrallah"),
                figure(120, qualifier="up_to", side="Hezbollah", by="opposition media"),
                figure(7, side="Syrian Government Forces", by="Nasrallah"),
                figure(2, side="Hezbollah", by="Nasrallah", scope="subset"),
            ],
        ),
        gold_event(place="Bab Nour", fatalities=[figure(17, qualifier="at_least", side="Nusra Front", by="locals"),
                                                 figure(17, side="Nusra Front", by="pro-ISIS sources")]),
    ])
    found = se.disputes(gold)
    assert [(d["event"], d["figures"]) for d in found] == [(0, [0, 1]), (1, [0, 1])]
    # Both Hezbollah claims, in an event matched elsewhere; only one of the 17s.
    ours = [
        event(place="Tell Hamra", fatalities=(claim(13, side="Hezbollah", by="Nasrallah"),)),
        event(place="Qalaat Siman", fatalities=(claim(120, qualifier="up_to", side="Hezbollah", by="reporter"),)),
        event(place="Bab Nour", fatalities=(claim(17, side="Nusra Front", by="pro-ISIS sources"),)),
    ]
    score = se.score_article(gold, ours)
    assert (score.counts["contested_ok"], score.counts["contested_n"]) == (1, 2)
    assert score.counts["contested_attributed_ok"] == 0  # "reporter" is not "opposition media"


def test_predicted_view_reads_our_records():
    ours = event("explosions_remote_violence", "shelling_artillery_missile_attack", start="2016-03-10",
                 actors=[("Military Forces of Syria", "initiator", "military_sy")])
    predicted = se.predicted_view(ours, 3)
    assert (predicted.type, predicted.subtype) == ("explosion_remote_violence", "shelling_artillery_missile")
    assert predicted.actors == (("Syrian Government Forces", "initiator"),)
    assert predicted.start == predicted.end == datetime.date(2016, 3, 10)
    assert predicted.index == 3


def test_both_benchmarks_are_registered():
    assert BENCHMARKS["seeds-events"].folder == "seeds"
    assert BENCHMARKS["fakes"].folder == "fakes"


# --- fakes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "admin1, name, country, expected",
    [
        ("Rīf Dimashq", "Douma", "SY", "damascus"),
        ("Rif Dimashq", "Douma", "SY", "damascus"),
        ("SY.08", "Douma", "SY", "damascus"),
        ("08", "Douma", "SY", "damascus"),
        ("Ḩalab", "Manbij", "SY", "aleppo"),
        ("Dayr az Zawr", "Mayadin", "SY", "deir ezzor"),
        ("Al Ḩasakah", "Qamishli", "SY", "hasakeh"),
        ("Al Lādhiqīyah", "Jableh", "SY", "lattakia"),
        ("Dar'ā", "Nawa", "SY", "daraa"),
        ("Ţarţūs", "Baniyas", "SY", "tartous"),
        (None, "Homs", "SY", "homs"),  # no admin1: the place itself
        (None, "Douma", "SY", None),
        ("Baalbek-Hermel", "Arsal", "LB", None),
        ("As Suwaydā'", "Shahba", "SY", "suwayda"),
    ],
)
def test_governorate_of_a_place(admin1, name, country, expected):
    location = Location(name=name, mention=name, span=(0, 1), precision=1, admin1=admin1, country=country)
    assert fakes.governorate(location) == expected


def test_casualty_counts_by_category():
    counts, spans = fakes.casualty_counts((
        claim(22, side="mixed", span=(0, 2)),
        claim(6, side="civilians", span=(10, 11), text="six civilians"),
        claim(16, side="Islamic State", span=(20, 22)),
        claim(2, side="civilians", scope="subset", text="two children", span=(30, 33)),
    ))
    assert counts == {"civilians": 6, "noncivilians": 16, "children": 2, "women": 0}
    assert spans["civilians"] == ((10, 11),) and spans["children"] == ((30, 33),)


@pytest.mark.parametrize(
    "claims, civilians, noncivilians",
    [
        ((claim(5, side="unknown"),), 5, 0),  # "five people": civilians, as FA-KES counts them
        ((claim(12, side="mixed"), claim(4, side="Hezbollah")), 8, 4),  # a total less the armed side
        ((claim(12, side="mixed"), claim(5, side="civilians")), 5, 7),  # a total less the civilians
        ((claim(10, side="civilians", by="A"), claim(14, side="civilians", by="B")), 14, 0),  # readings, not parts
        ((claim(3, side="Islamic State"), claim(2, side="Nusra Front")), 0, 5),
        ((), 0, 0),
    ],
)
def test_casualty_count_rules(claims, civilians, noncivilians):
    counts, _ = fakes.casualty_counts(claims)
    assert (counts["civilians"], counts["noncivilians"]) == (civilians, noncivilians)


def test_women_and_children_are_read_from_the_claim_words():
    counts, _ = fakes.casualty_counts((claim(9, side="civilians", text="nine people including"),
                                       claim(3, side="civilians", scope="subset", text="three women"),
                                       claim(4, side="civilians", scope="subset", text="four kids")))
    assert (counts["children"], counts["women"], counts["civilians"]) == (4, 3, 9)


def test_actor_category_and_cause():
    ours = event("explosions_remote_violence", "air_drone_strike",
                 actors=[("Civilians", "target", None), ("Military Forces of Russia", "initiator", "military_ru")])
    assert fakes.actor_category(ours) == GOVERNMENT
    assert fakes.actor_category(event(actors=[("IS fighters", "initiator", None)])) == UNKNOWN
    assert fakes.actor_category(event(actors=[("Islamic State group", "initiator", None)])) == ISIS
    assert fakes.actor_category(event(actors=[("Islamic State", "target", "islamic_state")])) == UNKNOWN
    assert fakes.cause_of_death("air_drone_strike") == "shelling"
    assert fakes.cause_of_death("suicide_bomb") == "explosion"
    assert fakes.cause_of_death("arrests") == "unknown"


def _guess(gov, start, civilians, noncivilians=0, **extra):
    date = datetime.date.fromisoformat(start) if start else None
    return fakes.Guess(governorate=gov, start=date, end=date,
                       counts={"civilians": civilians, "noncivilians": noncivilians, "children": 0, "women": 0}, **extra)


def _annotation(location, date, civilians, noncivilians=0, **extra):
    return {"id": "a", "location": location, "date": date, "civilians": civilians, "noncivilians": noncivilians,
            "children": 0, "women": 0, "actor": extra.pop("actor", None), "cause_of_death": None, "label": extra.pop("label", 1),
            "crowd": extra.pop("crowd", None), **extra}


def test_alignment_by_governorate_date_and_closest_total():
    annotations = [_annotation("idlib", "2017-04-04", 70), _annotation("hama", "2017-04-04", 3)]
    guesses = [
        _guess("idlib", "2017-04-01", 70),  # three days off: not a candidate
        _guess("idlib", "2017-04-05", 10),
        _guess("idlib", None, 60),  # no date: a candidate, and the closest total
        _guess("aleppo", "2017-04-04", 3),
    ]
    assert fakes.align(annotations, guesses) == [2, None]


def test_alignment_is_one_to_one():
    annotations = [_annotation("homs", None, 5), _annotation("homs", None, 6)]
    assert fakes.align(annotations, [_guess("homs", None, 5)]) == [0, None]


def test_scoring_rows_and_metrics():
    text = "Eight civilians died in the shelling of a market"
    article = {"id": "1"}
    annotations = [_annotation("homs", "2016-05-01", 8, crowd={"civilians": "Eight civilians"}, actor=GOVERNMENT),
                   _annotation("hama", "2016-05-01", 4, label=0)]
    guesses = [_guess("homs", "2016-05-01", 8, spans={"civilians": ((0, 15),)}, actor=GOVERNMENT)]
    rows = fakes.score_annotations([fakes.Article(article, annotations, guesses, text)])
    assert [row["aligned"] for row in rows] == [True, False]
    assert rows[0]["crowd_overlap"] == {"civilians": True}
    # The unaligned annotation is scored on the closest event for place and date, 0 for counts.
    assert rows[1]["predicted"]["civilians"] == 0 and rows[1]["governorate_ok"] is False and rows[1]["date_exact"] is True
    metrics = fakes.summarise(rows)
    assert metrics["aligned"] == 0.5
    assert metrics["civilians_exact"] == 0.5 and metrics["civilians_mae"] == 2.0
    assert metrics["civilians_exact_aligned"] == 1.0
    assert metrics["crowd_span_overlap"] == 1.0
    assert metrics["actor_accuracy"] == 1.0  # only the first annotation has an actor
    both = fakes.metrics_of(rows, rows)
    assert both["credible_civilians_exact"] == 1.0 and both["fake_civilians_exact"] == 0.0
    assert both["baseline_aligned"] == 0.5


def test_over_extraction_counts_non_zero_where_the_gold_is_zero():
    rows = fakes.score_annotations([fakes.Article({"id": "1"}, [_annotation("homs", None, 0, 0)], [_guess("homs", None, 3)])])
    assert fakes.summarise(rows)["civilians_over_extraction"] == 1.0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sun 16 Apr 2017 Blast in the north", datetime.date(2017, 4, 16)),
        ("Posted on April 19 2017 by the desk", datetime.date(2017, 4, 19)),
        ("Last updated at Apr 232017 A strike", datetime.date(2017, 4, 23)),
        ("02.10.2017Get short URL", datetime.date(2017, 10, 2)),
        ("29-07-2016 Shelling", datetime.date(2016, 7, 29)),
        ("Date of publication 5 July 2016 The bomber", datetime.date(2016, 7, 5)),
        ("No date at all here", None),
    ],
)
def test_read_dateline(text, expected):
    assert fakes.read_dateline(text) == expected


def test_baseline_takes_the_largest_number_near_a_kill_word():
    text = "Tue 03 May 2016 Since 2011 more than 4 towns were hit. Shelling killed 12 people in the old market while 30 were wounded; later 15 died."
    count, span = fakes.baseline_count(text)
    assert count == 15 and text[span[0]:span[1]] == "15"
    assert fakes.baseline_count("Rockets killed seven people in the square")[0] == 7
    assert fakes.baseline_count("Nobody was hurt")[0] == 0
    guess = fakes.baseline_guess("Mon 02 May 2016 In Hama and Aleppo, twenty-one were killed.")
    assert (guess.governorate, guess.start, guess.counts["civilians"]) == ("hama", datetime.date(2016, 5, 2), 21)


def test_crowd_agreement():
    annotations = [
        _annotation("homs", None, 12, crowd={"civilians": "12 people"}),
        _annotation("homs", None, 5, crowd={"civilians": "6 civilians"}),
        _annotation("homs", None, 5, crowd={"civilians": "five people"}),  # not digits: not counted
    ]
    assert fakes.crowd_agreement(annotations) == 0.5
