"""Tests of the time benchmarks (``tempeval3``, ``seeds-dates``): span matching, the value-prefix
rule, the metric arithmetic and the seed date rules on hand-made lists, then both benchmarks on
the real data when ../shared/benchmarks and the resolver are there.

Every text here is written for these tests; no benchmark text is copied.
"""

from __future__ import annotations

import pytest

from sitreps.config import load_settings
from sitreps.errors import EvaluationError
from sitreps.evaluate import BENCHMARKS, evaluate, find_benchmarks_root
from sitreps.evaluate.seeds import Seed
from sitreps.evaluate.seeds_dates import (
    date_matched,
    gold_dates,
    overlapping_mention,
    phrase_span,
    phrase_spans,
    unresolved_correct,
)
from sitreps.evaluate.tempeval3 import (
    PUBLISHED_REFERENCE,
    Counts,
    Timex,
    count_document,
    metrics_from_counts,
    relaxed_pairs,
    score,
    strict_pairs,
    value_prefix_ok,
    value_shape,
)


def _data_root():
    try:
        return find_benchmarks_root(None)
    except EvaluationError:
        return None


DATA_ROOT = _data_root()
NO_DATA = "benchmark data not found (no ../shared/benchmarks and $SITREPS_BENCHMARKS unset)"


def test_both_benchmarks_are_registered():
    assert BENCHMARKS["tempeval3"].folder == "tempeval3"
    assert BENCHMARKS["seeds-dates"].folder == "seeds"


# --- span matching ----------------------------------------------------------------------


def test_strict_pairs_need_the_same_span_and_are_one_to_one():
    gold = [Timex(0, 6, "DATE", "2020-01-03"), Timex(10, 19, "DATE", "2020-W01")]
    predicted = [Timex(0, 6, "DATE", "2020-01-03"), Timex(0, 6, "DATE", "2020-01-03"), Timex(14, 19, "DATE", "")]
    assert strict_pairs(gold, predicted) == [(0, 0)]
    # Two gold spans that are the same each take their own prediction.
    assert strict_pairs([gold[0], gold[0]], predicted) == [(0, 0), (1, 1)]
    assert strict_pairs(gold, []) == []


def test_relaxed_pairs_take_the_largest_overlap_first():
    # One prediction overlaps two gold spans: it goes to the one it overlaps most.
    gold = [Timex(0, 10, "DATE", "a"), Timex(12, 30, "DATE", "b")]
    predicted = [Timex(8, 28, "DATE", "x")]
    assert relaxed_pairs(gold, predicted) == [(1, 0)]
    # Touching spans do not overlap.
    assert relaxed_pairs([Timex(0, 5, "DATE", "a")], [Timex(5, 9, "DATE", "a")]) == []


def test_relaxed_pairs_are_one_to_one():
    gold = [Timex(0, 20, "DURATION", "P3Y")]
    predicted = [Timex(0, 8, "DATE", "x"), Timex(10, 20, "DURATION", "P3Y")]
    assert relaxed_pairs(gold, predicted) == [(0, 1)]  # 10 characters beat 8; one pair only
    gold = [Timex(0, 4, "DATE", "a"), Timex(6, 10, "DATE", "b")]
    assert relaxed_pairs(gold, [Timex(0, 10, "DATE", "a")]) == [(0, 0)]  # tie: the first gold


def test_relaxed_ties_prefer_the_span_of_the_same_length():
    gold = [Timex(0, 4, "DATE", "a")]
    predicted = [Timex(0, 12, "DATE", "long"), Timex(0, 4, "DATE", "exact")]
    assert relaxed_pairs(gold, predicted) == [(0, 1)]


# --- the value-prefix rule --------------------------------------------------------------


@pytest.mark.parametrize(
    "gold, predicted, ok",
    [
        ("2013-03-22", "2013-03-22", True),
        ("2013-03-22", "2013-03", True),
        ("2013-03-22", "2013", True),
        ("2013-03-22", "2013-W12", True),  # the ISO week holding that Friday
        ("2013-03-22", "2013-W11", False),
        ("2013-03-22TMO", "2013-03-22", True),
        ("2013-W11", "2013", True),
        ("2013-03", "2013-03-22", False),  # finer than the gold: not counted
        ("2013", "2013-03", False),
        ("2013-03-22", "2013-0", False),  # not a whole component
        ("2013-03-22", "201", False),
        ("2013-03-22", "2013-03-21", False),
        ("2013-03-22", "", False),
        ("PXM", "P", False),
        ("PRESENT_REF", "PRESENT_REF", True),
    ],
)
def test_value_prefix(gold, predicted, ok):
    assert value_prefix_ok(gold, predicted) is ok


@pytest.mark.parametrize(
    "value, shape",
    [("2013-03-22", "day"), ("2013-03-22TMO", "time"), ("2013-W11", "week"), ("2013-03", "month"),
     ("2013-Q1", "quarter"), ("2013-WI", "season"), ("2013", "year"), ("201", "decade"),
     ("P3Y", "duration"), ("PXM", "duration"), ("PRESENT_REF", "ref"), ("PAST_REF", "ref"),
     ("", "none"), ("XXXX-WI", "other")],
)
def test_value_shape(value, shape):
    assert value_shape(value) == shape


# --- metric arithmetic ------------------------------------------------------------------


def _document():
    gold = [
        Timex(0, 6, "DATE", "2013-03-22"),  # strict match, right value
        Timex(10, 23, "DATE", "2013-W11"),  # relaxed match only, value at a coarser precision
        Timex(30, 37, "DURATION", "P1M"),  # strict match, wrong type and value
        Timex(40, 45, "DATE", "2012"),  # missed
    ]
    predicted = [
        Timex(0, 6, "DATE", "2013-03-22"),
        Timex(15, 23, "DATE", "2013"),
        Timex(30, 37, "DATE", ""),  # unresolved: empty value
        Timex(50, 55, "TIME", "2013-03-22TEV"),  # spurious
    ]
    return gold, predicted


def test_count_document():
    counts = count_document(*_document())
    assert counts == Counts(
        gold=4, predicted=4, strict=2, relaxed=3, value_correct=1, type_correct=2, gold_dates=3,
        date_strict=1, date_relaxed=2, date_value_strict=1, date_value_relaxed=1, date_value_prefix=2,
    )


def test_metrics_arithmetic():
    metrics = score([_document()])
    assert metrics["strict_precision"] == metrics["strict_recall"] == metrics["strict_f1"] == 0.5
    assert metrics["relaxed_precision"] == metrics["relaxed_recall"] == metrics["relaxed_f1"] == 0.75
    assert metrics["value_accuracy"] == pytest.approx(1 / 3)
    assert metrics["value_f1"] == pytest.approx(0.25)
    assert metrics["type_accuracy"] == pytest.approx(2 / 3)
    assert metrics["type_f1"] == pytest.approx(0.5)
    assert metrics["date_relaxed_recall"] == pytest.approx(2 / 3)
    assert metrics["date_strict_recall"] == pytest.approx(1 / 3)
    assert metrics["date_value_accuracy_relaxed"] == 0.5
    assert metrics["date_value_accuracy_strict"] == 1.0
    assert metrics["date_value_prefix_accuracy"] == 1.0
    assert (metrics["gold_timexes"], metrics["gold_dates"], metrics["predicted"]) == (4, 3, 4)


def test_metrics_are_micro_averaged_over_documents():
    one = ([Timex(0, 4, "DATE", "2013")], [Timex(0, 4, "DATE", "2013")])
    other = ([Timex(0, 4, "DATE", "2014"), Timex(8, 12, "DATE", "2015")], [])
    metrics = score([one, other])
    assert metrics["relaxed_precision"] == 1.0
    assert metrics["relaxed_recall"] == pytest.approx(1 / 3)
    assert metrics["relaxed_f1"] == pytest.approx(0.5)  # 2 * 1 / (3 + 1)
    assert count_document(*one) + count_document(*other) == Counts(
        gold=3, predicted=1, strict=1, relaxed=1, value_correct=1, type_correct=1, gold_dates=3,
        date_strict=1, date_relaxed=1, date_value_strict=1, date_value_relaxed=1, date_value_prefix=1,
    )


def test_metrics_with_nothing_to_compare():
    nothing = metrics_from_counts(Counts())
    assert nothing["relaxed_f1"] is None and nothing["value_accuracy"] is None
    # No predictions at all: recall and F1 are 0, precision and accuracy undefined.
    metrics = score([([Timex(0, 4, "DATE", "2013")], [])])
    assert metrics["relaxed_recall"] == 0.0 and metrics["relaxed_f1"] == 0.0
    assert metrics["relaxed_precision"] is None and metrics["value_accuracy"] is None
    assert metrics["value_f1"] == 0.0


def test_published_reference_is_marked_unchecked():
    assert "recalled, not re-checked" in PUBLISHED_REFERENCE["note"]
    assert PUBLISHED_REFERENCE["HeidelTime"]["value_f1"] == pytest.approx(0.776)


# --- seed date rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    "gold_start, gold_end, start, end, ok",
    [
        ("2015-07-27", "2015-07-27", "2015-07-27", "2015-07-27", True),
        ("2015-07-27", "2015-07-27", "2015-07-27", "2015-08-02", True),  # a single gold day: the start decides
        ("2015-07-27", None, "2015-07-27", None, True),
        ("2015-07-27", "2015-07-27", "2015-07-26", "2015-07-27", False),
        ("2015-07-27", "2015-07-27", None, None, False),
        ("2015-05-04", "2015-05-05", "2015-05-04", "2015-05-05", True),  # a range: both ends
        ("2015-05-04", "2015-05-05", "2015-05-04", "2015-05-04", False),
        ("2015-05-04", "2015-05-05", "2015-05-04", None, False),
    ],
)
def test_date_matched(gold_start, gold_end, start, end, ok):
    assert date_matched(gold_start, gold_end, start, end) is ok


@pytest.mark.parametrize(
    "gold_end, start, end, ok",
    [
        (None, None, None, True),  # "on Tuesday" with no publication date: left unresolved
        (None, "2015-07-21", "2015-07-21", False),  # a made-up day
        (None, None, "2015-07-21", False),  # a made-up bound
        ("2015-05-24", None, "2015-05-24", True),  # "lately": ends on the publication date
        ("2015-05-24", None, None, True),
        ("2015-05-24", None, "2015-05-20", False),
        ("2015-05-24", "2015-05-01", "2015-05-24", False),
    ],
)
def test_unresolved_correct(gold_end, start, end, ok):
    assert unresolved_correct(gold_end, start, end) is ok


def test_phrase_spans_ignore_whitespace_differences():
    text = "Talks ended on\nFriday.  Fighting resumed on  Friday\u00a0night."
    second = text.index("on  Friday")
    assert phrase_spans(text, "on Friday") == [(12, 21), (second, second + len("on  Friday"))]
    assert phrase_spans(text, "on Sunday") == []
    assert phrase_spans(text, "   ") == []


def test_phrase_span_prefers_the_occurrence_nearest_the_evidence():
    text = "On Friday the market opened. Later, shelling resumed on Friday near the bridge."
    second = text.rindex("on Friday")
    assert phrase_span(text, "On Friday") == (0, 9)  # case counts: the gold quotes the text
    assert phrase_span(text, "Friday", ["shelling resumed on Friday"]) == (second + 3, second + 9)
    # Evidence not in the text: the first occurrence.
    assert phrase_span(text, "Friday", ["not there"]) == (3, 9)
    assert phrase_span(text, "Sunday", ["shelling resumed"]) is None


class _Mention:
    def __init__(self, start, end, value):
        self.start, self.end, self.value = start, end, value


def test_overlapping_mention_takes_the_largest_overlap_then_a_resolved_one():
    small, large, unresolved = _Mention(0, 3, "v"), _Mention(2, 12, "v"), _Mention(2, 12, None)
    assert overlapping_mention([small, large], (0, 12)) is large
    assert overlapping_mention([unresolved, large], (0, 12)) is large
    assert overlapping_mention([small], (5, 9)) is None
    assert overlapping_mention([], (0, 1)) is None


def test_gold_dates_keep_only_events_with_a_phrase(tmp_path):
    gold = {
        "events": [
            {"date": {"start": "2015-05-04", "end": "2015-05-04", "text": "on Monday"}, "evidence": "It fell on Monday."},
            {"date": {"start": None, "end": None, "text": None}, "evidence": "x"},
            {"evidence": "no date"},
            {"date": {"start": None, "end": "2015-05-24", "text": "lately"}, "evidence": ["a", "b"], "optional": True},
        ]
    }
    dates = gold_dates(Seed(id="seed_x", path=tmp_path / "seed_x.txt", text="", gold=gold))
    assert [(d.event, d.phrase, d.start, d.end, d.evidence, d.optional) for d in dates] == [
        (0, "on Monday", "2015-05-04", "2015-05-04", ("It fell on Monday.",), False),
        (3, "lately", None, "2015-05-24", ("a", "b"), True),
    ]


# --- the real data ----------------------------------------------------------------------


def _run(name: str):
    if DATA_ROOT is None:
        pytest.skip(NO_DATA)
    if not (DATA_ROOT / BENCHMARKS[name].folder).is_dir():
        pytest.skip(f"{DATA_ROOT} has no {BENCHMARKS[name].folder}/ folder")
    pytest.importorskip("sitreps.times", reason="the date resolver (sitreps.times) is not written yet")
    return evaluate(name, data_dir=DATA_ROOT, settings=load_settings(environ={}))


@pytest.fixture(scope="module")
def tempeval3_result():
    return _run("tempeval3")


@pytest.fixture(scope="module")
def seeds_dates_result():
    return _run("seeds-dates")


@pytest.mark.benchmark_data
def test_tempeval3_on_the_platinum_set(tempeval3_result):
    metrics = tempeval3_result["metrics"]
    assert tempeval3_result["benchmark"] == "tempeval3"
    assert metrics["documents"] == 20 and metrics["gold_timexes"] == 138 and metrics["gold_dates"] == 96
    for key in ("strict_precision", "strict_recall", "strict_f1", "relaxed_precision", "relaxed_recall",
                "relaxed_f1", "value_accuracy", "value_f1", "type_accuracy", "type_f1",
                "date_relaxed_recall", "date_value_accuracy_relaxed", "date_value_accuracy_strict",
                "date_value_prefix_accuracy"):
        assert 0.0 <= metrics[key] <= 1.0, key
    assert metrics["strict_f1"] <= metrics["relaxed_f1"]
    assert metrics["value_f1"] <= metrics["relaxed_f1"]
    assert metrics["date_value_accuracy_relaxed"] <= metrics["date_value_prefix_accuracy"]
    assert metrics["seconds"] >= 0
    details = tempeval3_result["details"]
    assert "recalled, not re-checked" in details["published_reference"]["note"]
    assert len(details["documents"]) == 20
    assert {"value_errors", "missed", "spurious"} <= set(details)


@pytest.mark.benchmark_data
def test_seeds_dates_on_the_seeds(seeds_dates_result):
    metrics = seeds_dates_result["metrics"]
    assert seeds_dates_result["benchmark"] == "seeds-dates"
    for key in ("mode_a_date_matched", "mode_b_date_matched", "mode_a_unresolved_correct",
                "mode_b_unresolved_correct", "phrase_found"):
        assert 0.0 <= metrics[key] <= 1.0, key
    assert metrics["gold_dates"] > 0 and metrics["gold_unresolved"] > 0
    assert isinstance(seeds_dates_result["details"]["misses"], list)
    # Per event, as the pipeline dates them: every dated gold event is in some extracted event.
    for key in ("mode_a_event_date_matched", "mode_b_event_date_matched", "mode_a_event_date_matched_required",
                "mode_b_event_date_matched_required", "mode_a_event_unresolved_correct", "mode_b_event_unresolved_correct"):
        assert 0.0 <= metrics[key] <= 1.0, key
    counts = seeds_dates_result["details"]["counts"]["mode_b"]
    assert counts["event_dated"] == metrics["gold_dates"]
    assert counts["event_dated_required_matched"] <= counts["event_dated_required"] <= counts["event_dated"]
    assert metrics["mode_b_event_date_matched"] == counts["event_dated_matched"] / counts["event_dated"]
    assert metrics["mode_b_event_date_matched_required"] == counts["event_dated_required_matched"] / counts["event_dated_required"]
    assert all(miss["reason"] in ("wrong date", "no extracted event matches it") for miss in seeds_dates_result["details"]["event_misses"])
