"""Time expressions: resolution rules, mentions in text, the event-date rule, and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from sitreps.times import choose_event_date, find_time_mentions, resolve

ANCHOR = dt.date(2015, 7, 28)  # a Tuesday


def _range(phrase, anchor=ANCHOR, previous=None):
    value = resolve(phrase, anchor=anchor, previous=previous)
    return None if value is None else (value.start, value.end, value.precision)


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("Monday", ("2015-07-27", "2015-07-27", "day")),
        ("on Monday", ("2015-07-27", "2015-07-27", "day")),
        ("Tuesday", ("2015-07-28", "2015-07-28", "day")),  # the same weekday is the anchor itself
        ("last Tuesday", ("2015-07-21", "2015-07-21", "day")),
        ("next Monday", ("2015-08-03", "2015-08-03", "day")),
        ("yesterday", ("2015-07-27", "2015-07-27", "day")),
        ("4 May", ("2015-05-04", "2015-05-04", "day")),
        ("the 11th of May", ("2015-05-11", "2015-05-11", "day")),
        ("August 3", ("2014-08-03", "2014-08-03", "day")),  # after the anchor: the year before
        ("May 4, 2013", ("2013-05-04", "2013-05-04", "day")),
        ("last week", ("2015-07-20", "2015-07-26", "week")),
        ("earlier this month", ("2015-07-01", "2015-07-28", "month")),
        ("over the weekend", ("2015-07-25", "2015-07-26", "week")),
        ("early May", ("2015-05-01", "2015-05-10", "month")),
        ("mid-June", ("2015-06-11", "2015-06-20", "month")),
        ("late May", ("2015-05-21", "2015-05-31", "month")),
        ("December", ("2014-12-01", "2014-12-31", "month")),
        ("2014", ("2014-01-01", "2014-12-31", "year")),
        ("two weeks ago", ("2015-07-13", "2015-07-19", "week")),
        ("since Friday", ("2015-07-24", "2015-07-28", "day")),
        ("from 4 May", ("2015-05-04", "2015-07-28", "day")),
        ("until Tuesday midnight", (None, "2015-07-28", "day")),
        ("recently", (None, "2015-07-28", None)),
    ],
)
def test_resolution_against_the_publication_date(phrase, expected):
    assert _range(phrase) == expected


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("the next day", ("2015-05-05", "2015-05-05", "day")),
        ("two days later", ("2015-05-06", "2015-05-06", "day")),
        ("the day before", ("2015-05-03", "2015-05-03", "day")),
        ("the same day", ("2015-05-04", "2015-05-04", "day")),
        ("later that day", ("2015-05-04", "2015-05-04", "day")),
        ("that night", ("2015-05-04", "2015-05-04", "day")),
    ],
)
def test_event_relative_phrases_follow_the_previous_event(phrase, expected):
    assert _range(phrase, previous=dt.date(2015, 5, 4)) == expected
    assert resolve(phrase, anchor=ANCHOR, previous=None).start is None  # never the anchor


@pytest.mark.parametrize(
    "phrase, value, kind",
    [
        ("the six-year conflict", "P6Y", "DURATION"),
        ("a one-day visit", "P1D", "DURATION"),
        ("three years", "P3Y", "DURATION"),
        ("several months", "PXM", "DURATION"),
        ("every week", "P1W", "SET"),
        ("now", "PRESENT_REF", "DATE"),
    ],
)
def test_durations_and_sets_are_not_dates(phrase, value, kind):
    resolved = resolve(phrase, anchor=ANCHOR)
    assert (resolved.value, resolved.type) == (value, kind)
    if kind != "DATE":
        assert resolved.start is None and resolved.end is None


@pytest.mark.parametrize("phrase", ["a 60-year-old", "60-year-old", "the weather", "1,000"])
def test_ages_and_non_times_are_rejected(phrase):
    assert resolve(phrase, anchor=ANCHOR) is None


def test_without_an_anchor_only_absolute_dates_resolve():
    assert _range("Monday", anchor=None) == (None, None, "day")
    assert resolve("Monday", anchor=None).value.startswith("XXXX")
    assert _range("4 May", anchor=None) == (None, None, "day")
    assert _range("4 May 2015", anchor=None) == ("2015-05-04", "2015-05-04", "day")
    assert _range("last week", anchor=None) == (None, None, "week")


def test_mentions_in_text_resolve_in_order():
    text = (
        "On 4 May, fighters attacked the post. The next day they withdrew. "
        "Officials said on Monday that the six-year conflict was far from over. "
        "A 60-year-old man was among the dead. Talks may resume in March."
    )
    mentions = find_time_mentions(text, anchor=ANCHOR)
    found = [(m.text, m.value.value) for m in mentions]
    assert ("On 4 May", "2015-05-04") in found or ("4 May", "2015-05-04") in found
    assert ("The next day", "2015-05-05") in found
    assert ("Monday", "2015-07-27") in found or ("on Monday", "2015-07-27") in found
    assert not any("60" in text for text, _ in found)
    assert not any(text.lower() == "may" for text, _ in found)  # the verb


@pytest.mark.parametrize(
    "text, years",
    [
        ("More than 2000 people were evacuated under the deal.", []),
        ("Some 1500 fighters and 2013 civilians left the town.", []),
        ("Rebels said 2014 soldiers had defected.", []),
        ("The 2014 elections were held in 2014.", ["2014", "2014"]),  # a year as a modifier, and after "in"
        ("In 2012 residents fled.", ["2012"]),  # a year by its preposition
        ("Fighting in 2013 killed dozens.", ["2013"]),
    ],
)
def test_a_bare_number_that_counts_people_is_no_year(text, years):
    found = [m.text for m in find_time_mentions(text, anchor=ANCHOR) if m.value is not None and m.value.precision == "year"]
    assert found == years


def test_a_starting_point_measured_since_does_not_date_the_event():
    text = (
        "The bombing, the first to hit the town since the outbreak of the war in 2011, killed four. "
        "Four people died in the attack. "
        "At least 40 people have been killed since the army began its offensive two weeks ago."
    )
    mentions = find_time_mentions(text, anchor=ANCHOR)
    flags = {m.text: m.reference for m in mentions}
    assert flags["2011"] is True and flags["two weeks ago"] is False
    first = (0, text.index(" Four"))
    second = (first[1] + 1, text.index(" At least"))
    # Neither the bombing nor the next sentence is dated 2011: the publication fallback.
    for sentence in (first, second):
        mention, value = choose_event_date(mentions, sentence=sentence, paragraph=(0, len(text)), published=ANCHOR)
        assert mention is None and value.mod == "ON_OR_BEFORE"
    # A toll "since" a start is dated from it.
    third = (second[1] + 1, len(text))
    mention, value = choose_event_date(mentions, sentence=third, paragraph=(0, len(text)), published=ANCHOR)
    assert mention.text == "two weeks ago"


def test_the_event_date_rule():
    text = "Clashes broke out on Monday. Fighters died. \n\nA new paragraph without dates."
    mentions = find_time_mentions(text, anchor=ANCHOR)
    first = (0, 28)
    mention, value = choose_event_date(mentions, sentence=first, paragraph=(0, 44), published=ANCHOR)
    assert value.start == "2015-07-27" and mention.text.endswith("Monday")
    mention, value = choose_event_date(mentions, sentence=(29, 44), paragraph=(0, 44), published=ANCHOR)
    assert value.start == "2015-07-27"  # the nearest preceding one in the paragraph
    mention, value = choose_event_date(mentions, sentence=(46, 79), paragraph=(46, 79), published=ANCHOR)
    assert mention is None and (value.start, value.end, value.mod) == (None, "2015-07-28", "ON_OR_BEFORE")
    assert choose_event_date([], sentence=(0, 5), paragraph=(0, 5), published=None) == (None, None)


_ANCHORS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
_PAST_PHRASES = st.sampled_from(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "yesterday",
     "last week", "last month", "last year", "earlier this month", "over the weekend",
     "two days ago", "three weeks ago", "last Friday", "4 May", "31 December", "29 February",
     "early March", "late November", "mid-August", "January"]
)  # fmt: skip


@hypothesis_settings(max_examples=400, deadline=None)
@given(anchor=_ANCHORS, phrase=_PAST_PHRASES)
def test_past_readings_never_lie_after_the_anchor(anchor, phrase):
    value = resolve(phrase, anchor=anchor)
    assert value is not None
    if value.start is not None:
        assert value.start <= value.end
        assert dt.date.fromisoformat(value.start) <= anchor
    if phrase in ("yesterday", "two days ago", "last week", "last month", "last year") or phrase.startswith("last "):
        assert dt.date.fromisoformat(value.end) < anchor


@hypothesis_settings(max_examples=300, deadline=None)
@given(anchor=_ANCHORS, days_back=st.integers(min_value=0, max_value=6))
def test_weekday_is_the_latest_such_day_on_or_before_the_anchor(anchor, days_back):
    day = anchor - dt.timedelta(days=days_back)
    value = resolve(day.strftime("%A"), anchor=anchor)
    assert value.start == value.end == day.isoformat()


@hypothesis_settings(max_examples=300, deadline=None)
@given(anchor=_ANCHORS, truth=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_day_month_contains_the_truth_within_a_year_before(anchor, truth):
    if not (anchor - dt.timedelta(days=364) <= truth <= anchor):
        return
    value = resolve(f"{truth.day} {truth.strftime('%B')}", anchor=anchor)
    assert value.start == truth.isoformat()
