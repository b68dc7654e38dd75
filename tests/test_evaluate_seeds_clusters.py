"""Tests of the ``seeds-clusters`` scorer: gold labels, the mapping of events to gold events,
cross-article pairwise and B-cubed scores, and the acceptance checks.

Every gold dict, event and incident here is written for these tests; no benchmark text is copied.
"""

from __future__ import annotations

import pytest

from sitreps.cluster import build_incident
from sitreps.evaluate import BENCHMARKS
from sitreps.evaluate import seeds_clusters as sc
from sitreps.records import ActorRef, Claim, Claimant, Event, EventDate, Evidence, Location

# --- builders ---------------------------------------------------------------------------------


def claim(low, *, qualifier="exact", side="unknown", by="reporter", by_type="reporter", alignment="unknown", span=(0, 1)):
    return Claim(low=low, high=None if qualifier in ("at_least", "more_than") else low, qualifier=qualifier, side=side,
                 claimed_by=Claimant(name=by, type=by_type, alignment=alignment), span=span, text=f"{low}")


def event(event_id, document_id, *, type_="battles", subtype="armed_clash", place="Kafr Nabl", start=None,
          evidence="words", actors=(), **claims):
    location = Location(name=place, mention=place, span=(0, 1), precision=1, country="SY") if place else None
    date = EventDate(start=start, end=start, precision="day", mention=None, span=None, anchor=None) if start else None
    refs = tuple(ActorRef(name=name, mention=name, span=(0, 1), role="initiator") for name in actors)
    return Event(id=event_id, document_id=document_id, type=type_, subtype=subtype, location=location, date=date,
                 actors=refs, evidence=(Evidence(0, len(evidence), evidence),), **claims)


def incident(*events):
    return build_incident(events, {})


def gold_event(place="Kafr Nabl", *, start=None, **figures):
    return {"type": "battle", "subtype": "armed_clash", "actors": [], "location": {"name": place, "country": "SY"},
            "date": {"start": start, "end": start, "text": None}, "evidence": "words", **figures}


def figure(low, *, qualifier="exact", side="unknown", by="reporter"):
    return {"count_low": low, "count_high": None, "qualifier": qualifier, "side": side, "claimed_by": by}


# --- labels and mapping ---------------------------------------------------------------------------


def test_gold_labels_with_and_without_probable_clusters():
    golds = {"a": {"events": [{}, {}]}, "b": {"events": [{}]}, "c": {"events": [{}]}}
    clusters = [
        {"cluster": "sure", "confidence": "certain", "members": [["a", 0], ["b", 0]]},
        {"cluster": "maybe", "confidence": "probable", "members": [["a", 1], ["c", 0]]},
        {"cluster": "elsewhere", "confidence": "certain", "members": [["z", 0]]},  # not among the golds
    ]
    assert sc.gold_labels(golds, clusters) == {"a#0": "sure", "b#0": "sure", "a#1": "maybe", "c#0": "maybe"}
    assert sc.gold_labels(golds, clusters, probable=False) == {"a#0": "sure", "b#0": "sure", "a#1": "a#1", "c#0": "c#0"}


def test_matched_events_use_the_per_article_matching():
    golds = {"a": {"events": [gold_event("Saraqib"), gold_event("Maarrat Misrin")]}, "b": {"events": [gold_event("Taftanaz")]}}
    first, second = event("e1", "da", place="Maarrat Misrin"), event("e2", "da", place="Binnish")
    elsewhere = event("e3", "db", place="Saraqib")  # matches a gold place of article a, not of b
    matched = sc.matched_events(golds, {"a": [first, second], "b": [elsewhere]})
    assert matched == {"a#1": first}


# --- scores ---------------------------------------------------------------------------------------


def test_pairwise_counts_only_pairs_from_different_articles():
    gold = {"a#0": "x", "a#1": "x", "b#0": "x", "c#0": "c#0"}
    predicted = {"a#0": "i1", "a#1": "i2", "b#0": "i1", "c#0": "i1"}
    score = sc.pairwise_across(predicted, gold)
    # across articles: (a0,b0) tp, (a1,b0) fn, (a0,c0) fp, (b0,c0) fp, (a1,c0) neither; (a0,a1) ignored
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 2, 1)
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 2)
    assert score.f1 == pytest.approx(2 / (2 + 2 + 1))


def test_pairwise_with_nothing_to_count_is_undefined():
    score = sc.pairwise_across({"a#0": "i1", "b#0": "i2"}, {"a#0": "a#0", "b#0": "b#0"})
    assert (score.precision, score.recall, score.f1) == (None, None, None)
    missed = sc.pairwise_across({"a#0": "i1", "b#0": "i2"}, {"a#0": "x", "b#0": "x"})
    assert (missed.precision, missed.recall, missed.f1) == (None, 0.0, 0.0)


def test_bcubed_over_the_predicted_items():
    gold = {"a#0": "x", "b#0": "x", "c#0": "c#0", "d#0": "d#0"}
    predicted = {"a#0": "i1", "b#0": "i1", "c#0": "i1"}  # d#0 unmatched: not scored
    precision, recall, f1 = sc.bcubed(predicted, gold)
    assert precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    assert recall == pytest.approx(1.0)
    assert f1 == pytest.approx(2 * precision / (precision + 1))
    assert sc.bcubed({}, gold) == (None, None, None)


def test_cluster_scores_name_the_metrics_and_the_singleton_baseline():
    gold = {"a#0": "x", "b#0": "x"}
    scores = sc.cluster_scores({"a#0": "i1", "b#0": "i1"}, gold, suffix="_certain")
    assert scores["pairwise_f1_certain"] == 1.0
    assert scores["bcubed_f1_certain"] == 1.0
    assert scores["bcubed_f1_singletons_certain"] == pytest.approx(2 * 0.5 / 1.5)
    assert scores["gold_pairs_certain"] == scores["predicted_pairs_certain"] == 1


# --- acceptance checks -------------------------------------------------------------------------


def _dispute_events():
    low = claim(4, side="Jaysh al-Islam", by="the group's commander", by_type="armed_group", alignment="self", span=(0, 1))
    high = claim(60, qualifier="up_to", side="Jaysh al-Islam", by="rival channels", by_type="partisan_media", span=(2, 3))
    return event("e1", "d1", fatalities=(low, high))


def test_contradiction_check_wants_every_number_with_its_claimant():
    incidents = [incident(_dispute_events())]
    disputed = [("fatalities", figure(4, side="Jaysh al-Islam", by="commander")),
                ("fatalities", figure(60, qualifier="up_to", side="Jaysh al-Islam", by="rival channels"))]
    assert sc.check_contradiction(incidents, disputed).passed
    wrong_claimant = [disputed[0], ("fatalities", figure(60, qualifier="up_to", side="Jaysh al-Islam", by="a monitor"))]
    result = sc.check_contradiction(incidents, wrong_claimant)
    assert not result.passed and "60 (a monitor)" in result.reason
    other_side = [("fatalities", {**f, "side": "Ahrar al-Sham"}) for _, f in disputed]
    assert not sc.check_contradiction(incidents, other_side).passed


def test_contradiction_check_fails_without_a_contradiction():
    agreeing = event("e1", "d1", fatalities=(claim(4, side="Jaysh al-Islam", by="x", by_type="media"),
                                             claim(5, side="Jaysh al-Islam", by="y", by_type="media", span=(2, 3))))
    result = sc.check_contradiction([incident(agreeing)], [("fatalities", figure(4, side="Jaysh al-Islam"))])
    assert not result.passed and "no incident" in result.reason


def _capture(event_id, document_id, low, qualifier="exact"):
    return event(event_id, document_id, type_="strategic_developments", subtype="arrests",
                 captured=(claim(low, qualifier=qualifier, side="Ahrar al-Sham", by="a local paper", by_type="media"),))


def test_together_check_passes_when_both_figures_share_an_incident_and_the_other_stays_out():
    a, b, c = _capture("e1", "d1", 31), _capture("e2", "d2", 31, "around"), _capture("e3", "d3", 40, "around")
    events = {"x": [a], "y": [b], "z": [c]}
    together = [("x", "captured", figure(31, side="Ahrar al-Sham")), ("y", "captured", figure(31, qualifier="around", side="Ahrar al-Sham"))]
    apart = [("z", "captured", figure(40, qualifier="around", side="Ahrar al-Sham"))]
    assert sc.check_together([incident(a, b), incident(c)], events, together, apart).passed
    merged = sc.check_together([incident(a, b, c)], events, together, apart)
    assert not merged.passed and "also holds" in merged.reason
    split = sc.check_together([incident(a), incident(b), incident(c)], events, together, apart)
    assert not split.passed and "not in one incident" in split.reason


def test_together_check_names_a_figure_no_event_holds():
    a = _capture("e1", "d1", 31)
    result = sc.check_together([incident(a)], {"x": [a], "y": []},
                               [("x", "captured", figure(31, side="Ahrar al-Sham")), ("y", "captured", figure(31, side="Ahrar al-Sham"))])
    assert not result.passed and "no event of y" in result.reason


def test_together_check_on_fatalities_wants_both_claims_in_the_reconciled_figures():
    a = event("e1", "d1", start="2019-03-02", fatalities=(claim(9, side="Ahrar al-Sham", by="a monitor", by_type="monitor_ngo"),))
    b = event("e2", "d2", start="2019-03-02", fatalities=(claim(9, side="Ahrar al-Sham", by="the rival group", by_type="armed_group"),))
    together = [("x", "fatalities", figure(9, side="Ahrar al-Sham")), ("y", "fatalities", figure(9, side="Ahrar al-Sham"))]
    result = sc.check_together([incident(a, b)], {"x": [a], "y": [b]}, together)
    assert result.passed, result.reason


def test_together_check_wants_separate_claims():
    one = event("e1", "d1", fatalities=(claim(9, side="Ahrar al-Sham"),))
    together = [("x", "fatalities", figure(9, side="Ahrar al-Sham"))] * 2
    result = sc.check_together([incident(one)], {"x": [one]}, together)
    assert not result.passed and "not separate claims" in result.reason


@pytest.mark.parametrize(
    ("evidence", "passed"),
    [("A convoy was hit near Maaret.", True), ("See also: Ziad Haddad killed in 2011.", False),
     ("The haddadin clan met.", True)],
)
def test_no_events_mention(evidence, passed):
    assert sc.check_no_events_mention([event("e1", "d1", evidence=evidence)], "Haddad").passed is passed


def test_run_checks_reads_the_figures_from_the_gold():
    golds = {"x": {"events": [gold_event(captured=[figure(31, side="Ahrar al-Sham")])]},
             "y": {"events": [gold_event(captured=[figure(31, qualifier="around", side="Ahrar al-Sham")])]}}
    a, b = _capture("e1", "d1", 31), _capture("e2", "d2", 31, "around")
    checks = {"together": {"together": [("x", 0, "captured", 0), ("y", 0, "captured", 0)]},
              "footer": {"article": "y", "word": "Haddad"}}
    results = sc.run_checks(golds, {"x": [a], "y": [b]}, [incident(a, b)], checks=checks)
    assert {name: check.passed for name, check in results.items()} == {"together": True, "footer": True}


def test_incident_details_list_members_multi_event_incidents_first():
    a, b, c = event("e1", "d1", start="2019-03-02"), event("e2", "d2", place="Binnish"), event("e3", "d3")
    details = sc.incident_details([incident(c), incident(a, b)], {"x": [a], "y": [b], "z": [c]}, {"x#0": a}, {"x#0": "cl"})
    assert [d["events"] for d in details] == [2, 1]
    first = details[0]["members"][0]
    assert (first["article"], first["type"], first["place"], first["date"], first["gold"], first["gold_cluster"]) == (
        "x", "battles", "Kafr Nabl", ["2019-03-02", "2019-03-02"], "x#0", "cl")


def test_benchmark_is_registered():
    assert BENCHMARKS["seeds-clusters"].folder == "seeds"
