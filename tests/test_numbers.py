"""Number phrases: digits, words, vague amounts, ranges and qualifiers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitreps.extract.numbers import PREFIXES, Count, find_counts, parse_count, parse_number

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def to_words(n: int, *, hyphen: bool = True, use_and: bool = True) -> str:
    """English words for 0 <= n < 10**9, written independently of the parser."""
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + (("-" if hyphen else " ") + _UNITS[unit] if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        joiner = " and " if use_and else " "
        return _UNITS[hundreds] + " hundred" + (joiner + to_words(rest, hyphen=hyphen) if rest else "")
    for scale, word in ((1_000_000, "million"), (1_000, "thousand")):
        if n >= scale:
            high, rest = divmod(n, scale)
            head = to_words(high, hyphen=hyphen, use_and=use_and) + " " + word
            return head + (" " + to_words(rest, hyphen=hyphen, use_and=use_and) if rest else "")
    raise ValueError(n)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17", 17), ("1,200", 1200), ("12,500", 12500), ("seven", 7), ("twenty-three", 23),
        ("twenty three", 23), ("one hundred and five", 105), ("a dozen", 12),
        ("two dozen", 24), ("half a dozen", 6), ("a hundred", 100), ("1.8 million", 1_800_000),
        ("3 thousand", 3000), ("a couple of", 2), ("a score", 20), ("Nineteen", 19),
    ],
)  # fmt: skip
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "many", "2.5", "dozens of", "xyz"])
def test_parse_number_refuses_what_is_no_number(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17", Count(17, 17, "exact")),
        ("a dozen", Count(12, 12, "exact")),
        ("a woman", Count(1, 1, "exact")),
        ("a child", Count(1, 1, "exact")),
        ("one person", Count(1, 1, "exact")),
        ("dozens", Count(24, None, "at_least")),
        ("scores", Count(40, None, "at_least")),
        ("hundreds", Count(200, None, "at_least")),
        ("tens", Count(20, None, "at_least")),
        ("several", Count(3, None, "at_least")),
        ("a few", Count(2, None, "at_least")),
        ("several dozen", Count(36, None, "at_least")),
        ("tens of thousands", Count(20_000, None, "at_least")),
        ("hundreds of thousands", Count(200_000, None, "at_least")),
        ("between 20 and 30", Count(20, 30, "exact")),
        ("from twenty to thirty", Count(20, 30, "exact")),
        ("20 to 30", Count(20, 30, "exact")),
        ("20-30", Count(20, 30, "exact")),
        ("two or three", Count(2, 3, "exact")),
        ("around 20-30", Count(20, 30, "around")),
        ("at least 17", Count(17, None, "at_least")),
        ("a minimum of 9", Count(9, None, "at_least")),
        ("no fewer than 40", Count(40, None, "at_least")),
        ("more than 1,000", Count(1000, None, "more_than")),
        ("over a dozen", Count(12, None, "more_than")),
        ("upwards of 50", Count(50, None, "more_than")),
        ("in excess of 200", Count(200, None, "more_than")),
        ("up to 120", Count(120, 120, "up_to")),
        ("as many as 60", Count(60, 60, "up_to")),
        ("nearly 40", Count(40, 40, "up_to")),
        ("almost fifty", Count(50, 50, "up_to")),
        ("around 50", Count(50, 50, "around")),
        ("about thirty", Count(30, 30, "around")),
        ("approximately 47", Count(47, 47, "around")),
        ("some 300", Count(300, 300, "around")),
        ("roughly 15", Count(15, 15, "around")),
        ("an estimated 2,000", Count(2000, 2000, "around")),
        ("17 or more", Count(17, None, "at_least")),
        ("50 or so", Count(50, 50, "around")),
        ("more than dozens", Count(24, None, "more_than")),
    ],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["", "the army", "many people", "at least"])
def test_parse_count_refuses_what_is_no_count(text):
    assert parse_count(text) is None


def test_find_counts_offsets_and_number_span():
    text = "Officials said at least 17 fighters and between 20 and 30 civilians died; dozens fled."
    found = list(find_counts(text))
    assert [f.text for f in found] == ["at least 17", "between 20 and 30", "dozens"]
    for f in found:
        assert text[f.start : f.end] == f.text
    assert text[found[0].number[0] : found[0].number[1]] == "17"
    assert found[2].vague and not found[0].vague


def test_find_counts_does_not_split_words():
    assert list(find_counts("tenants often seven-storey")) == [] or all(
        f.text.lower().startswith("seven") for f in find_counts("tenants often seven-storey")
    )
    assert [f.text for f in find_counts("seventy-seven tenants")] == ["seventy-seven"]


# -- properties ------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_digits_round_trip(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@given(st.integers(min_value=0, max_value=999_999_999), st.booleans(), st.booleans())
def test_words_round_trip(n, hyphen, use_and):
    assert parse_number(to_words(n, hyphen=hyphen, use_and=use_and)) == n


@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(sorted(PREFIXES)))
def test_prefix_sets_qualifier(n, prefix):
    count = parse_count(f"{prefix} {n:,}")
    qualifier = PREFIXES[prefix]
    assert count == Count(n, None if qualifier in ("at_least", "more_than") else n, qualifier)


@given(st.integers(min_value=1, max_value=9_999), st.integers(min_value=0, max_value=9_999))
def test_ranges_round_trip(low, extra):
    high = low + extra
    assert parse_count(f"between {low} and {high}") == Count(low, high, "exact")
    assert parse_count(f"{to_words(low)} to {to_words(high)}") == Count(low, high, "exact")


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["killed", "were wounded", "people died"]))
def test_find_counts_in_text_round_trip(n, tail):
    text = f"Officials said {to_words(n)} {tail} on Monday."
    found = [f for f in find_counts(text) if f.low == n]
    assert found and text[found[0].start : found[0].end] == found[0].text
