"""Number phrases: how many, as a low bound, a high bound and a qualifier.

``parse_number("twenty-three") == 23``; ``parse_count("at least a dozen") == Count(12, None,
"at_least")``; ``find_counts(text)`` yields every number phrase of a text with its offsets.

Conventions (the Claim contract: ``high`` is None when open-ended, equal to ``low`` for one
figure):

- exact: "17", "seventeen", "a dozen" (12), "two dozen" (24), "half a dozen" (6), "a score"
  (20), "a couple of" (2), "one person" (1): ``high == low``.
- explicit ranges: "between 20 and 30", "from 20 to 30", "20 to 30", "20-30", "two or three":
  ``low, high`` as written, qualifier exact (or the prefix's, "around 20-30" is around).
- vague plurals are open lower bounds, qualifier at_least, ``high`` None: "several" 3,
  "a few" 2, "a handful" 2, "dozens" 24, "scores" 40, "tens" 20, "hundreds" 200,
  "thousands" 2,000, "tens of thousands" 20,000, "hundreds of thousands" 200,000,
  "several dozen" 36, "a few hundred" 200. A written prefix overrides the qualifier
  ("more than dozens" is more_than 24).
- prefixes: at_least ("at least", "a minimum of", "no fewer than", "no less than", "not less
  than"); more_than ("more than", "over", "upwards of", "in excess of", "above", "well over",
  "just over"); up_to ("up to", "as many as", "nearly", "almost", "close to", "fewer than",
  "less than", "under", "at most", "no more than", "a maximum of", "just under": a figure that
  bounds the count from above); around ("around", "about", "approximately", "some",
  "roughly", "an estimated", "estimated", "an approximate", "circa", "an approximately").
- suffixes: "17 or more", "20-plus", "20+" are at_least; "50 or so" is around.

For up_to and around, ``high == low`` (the stated number is the figure given; its reading as a
bound is the qualifier's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Literal, NamedTuple

Qualifier = Literal["exact", "at_least", "more_than", "up_to", "around"]
QUALIFIERS: tuple[str, ...] = ("exact", "at_least", "more_than", "up_to", "around")

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_GROUPS = {"dozen": 12, "score": 20, "couple": 2}
# Vague amounts: the least they can mean, read as an open lower bound.
_VAGUE = {
    "several": 3, "a few": 2, "a handful": 2, "few": 2, "dozens": 24, "scores": 40,
    "tens": 20, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000,
}  # fmt: skip

PREFIXES: dict[str, Qualifier] = {
    "at least": "at_least", "at the very least": "at_least", "a minimum of": "at_least",
    "no fewer than": "at_least", "no less than": "at_least", "not less than": "at_least",
    "not fewer than": "at_least",
    "more than": "more_than", "over": "more_than", "upwards of": "more_than",
    "in excess of": "more_than", "above": "more_than", "well over": "more_than",
    "just over": "more_than", "well above": "more_than", "more then": "more_than",
    "up to": "up_to", "as many as": "up_to", "nearly": "up_to", "almost": "up_to",
    "close to": "up_to", "fewer than": "up_to", "less than": "up_to", "under": "up_to",
    "at most": "up_to", "no more than": "up_to", "a maximum of": "up_to",
    "just under": "up_to", "not more than": "up_to",
    "around": "around", "about": "around", "approximately": "around", "some": "around",
    "roughly": "around", "an estimated": "around", "estimated": "around",
    "an approximate": "around", "circa": "around", "approx.": "around", "approx": "around",
    "an approximately": "around", "about some": "around", "around some": "around",
}  # fmt: skip

_SUFFIXES: dict[str, Qualifier] = {
    "or more": "at_least", "and more": "at_least", "plus": "at_least", "+": "at_least",
    "or so": "around", "odd": "around",
}  # fmt: skip


class Count(NamedTuple):
    """A parsed amount: ``low``, ``high`` (None: open-ended) and the qualifier."""

    low: int
    high: int | None
    qualifier: Qualifier


@dataclass(frozen=True, slots=True)
class CountSpan:
    """A number phrase found in a text: where (``start``/``end``, qualifier included), what
    it says, and where the number itself is (``number``, without the qualifier)."""

    start: int
    end: int
    text: str
    low: int
    high: int | None
    qualifier: Qualifier
    number: tuple[int, int]
    vague: bool = False  # "dozens", "several": an amount, not a figure

    @property
    def count(self) -> Count:
        return Count(self.low, self.high, self.qualifier)


# -- regular expressions ----------------------------------------------------------------

_DIGITS = r"\d{1,3}(?:,\d{3})+(?![\d,]*\d)|\d+(?:\.\d+)?"
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))
# A written number: "twenty-three", "one hundred and twenty", "two dozen".
_WORDS = rf"(?:{_WORD})\b(?:(?:[\s-]+|\s+and\s+)(?:{_WORD})\b)*"
_SCALE_AFTER = r"(?:\s+(?:hundred|thousand|million|billion|dozen))?"
_A_GROUP = r"(?:half\s+a\s+dozen|a\s+(?:dozen|score|hundred|thousand|million)|a\s+couple(?:\s+of)?)"
_VAGUE_RE = (
    r"(?:(?:several|a\s+few|a\s+handful\s+of|few)\s+(?:dozen|hundred|thousand|million)s?"
    r"|(?:tens|hundreds|dozens)\s+of\s+(?:thousands|millions)"
    r"|several|a\s+few|a\s+handful|dozens|scores|tens|hundreds|thousands|millions)"
)
_NUMBER = rf"(?:{_A_GROUP}|(?:{_DIGITS}){_SCALE_AFTER}|{_WORDS})"
_PREFIX = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(PREFIXES, key=len, reverse=True))
_SUFFIX = r"(?:\s+or\s+more|\s+and\s+more|-?\s?plus\b|\+|\s+or\s+so|-odd)"

_COUNT_RE = re.compile(
    rf"(?<![\w.,-])(?:(?P<prefix>{_PREFIX})\s+)?"
    rf"(?:between\s+(?P<b1>{_NUMBER})\s+and\s+(?P<b2>{_NUMBER})"
    rf"|from\s+(?P<f1>{_NUMBER})\s+to\s+(?P<f2>{_NUMBER})"
    rf"|(?P<r1>{_NUMBER})(?:\s*[-–—]\s*(?=\d)|\s+to\s+|\s+or\s+)(?P<r2>{_NUMBER})"
    rf"|(?P<vague>{_VAGUE_RE})"
    rf"|(?P<one>{_NUMBER}))"
    rf"(?P<suffix>{_SUFFIX})?"
    rf"(?![\w])",
    re.IGNORECASE,
)


def _norm(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", text.strip().lower())


def parse_number(text: str) -> int | None:
    """The integer a number written in digits or words means, or None.

    "1,200" 1200; "1.8 million" 1800000; "twenty-three" 23; "one hundred and five" 105;
    "a dozen" 12; "two dozen" 24; "half a dozen" 6; "a couple of" 2; "one" 1."""
    words = _norm(text).replace("-", " ").split()
    if not words:
        return None
    if words[-1] == "of" and len(words) > 1:  # "a couple of"
        words = words[:-1]
    if words[:3] == ["half", "a", "dozen"] and len(words) == 3:
        return 6
    if words[0] in ("a", "an") and len(words) > 1:
        words = ["one", *words[1:]]
    first = words[0].replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", first):
        value = float(first)
        for word in words[1:]:
            scale = _SCALES.get(word) or _GROUPS.get(word)
            if scale is None:
                return None
            value *= scale
        if len(words) == 1 and "." in first:
            return None  # "2.5" alone is no count of people
        return int(round(value))
    total, current, seen = 0, 0, False
    for word in words:
        if word == "and" and seen:
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in ("thousand", "million", "billion"):
            total += max(current, 1) * _SCALES[word]
            current = 0
        elif word in _GROUPS:
            current = max(current, 1) * _GROUPS[word]
        else:
            return None
        seen = True
    return total + current if seen else None


def _vague(text: str) -> int | None:
    words = _norm(text).split()
    if words and words[-1] in ("dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions") and len(words) >= 2:
        head = " ".join(words[:-1])
        unit = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}[words[-1].rstrip("s")]
        if head.endswith(" of"):  # "tens of thousands"
            base = _VAGUE.get(head[:-3])
            return base * unit if base is not None else None
        base = {"several": 3, "a few": 2, "few": 2, "a handful of": 2}.get(head)
        return base * unit if base is not None else None
    return _VAGUE.get(" ".join(words))


def _span_count(match: re.Match) -> tuple[int, int | None, Qualifier, bool] | None:
    prefix = PREFIXES.get(_norm(match.group("prefix") or "")) if match.group("prefix") else None
    suffix = match.group("suffix")
    suffix_q = None
    if suffix:
        suffix_q = _SUFFIXES.get(_norm(suffix).lstrip("-").strip())
    for a, b in (("b1", "b2"), ("f1", "f2"), ("r1", "r2")):
        if match.group(a):
            low, high = parse_number(match.group(a)), parse_number(match.group(b))
            if low is None or high is None:
                return None
            if high < low:  # "twenty to one" style: not a range of people
                return None
            return low, high, prefix or "exact", False
    if match.group("vague"):
        value = _vague(match.group("vague"))
        if value is None:
            return None
        return value, None, prefix or "at_least", True
    value = parse_number(match.group("one"))
    if value is None:
        return None
    qualifier: Qualifier = prefix or suffix_q or "exact"
    return value, (None if qualifier in ("at_least", "more_than") else value), qualifier, False


def find_counts(text: str) -> Iterator[CountSpan]:
    """Every number phrase of ``text``, in order, with its qualifier: "at least 17",
    "between 20 and 30", "a dozen", "dozens", "twenty-three". Years, ages and the like are
    found too; telling them from counts of people is the caller's business."""
    for match in _COUNT_RE.finditer(text):
        parsed = _span_count(match)
        if parsed is None:
            continue
        low, high, qualifier, vague = parsed
        if qualifier in ("at_least", "more_than"):
            high = None if not any(match.group(g) for g in ("b2", "f2", "r2")) else high
        start, end = match.span()
        number_start = match.end("prefix") if match.group("prefix") else start
        while number_start < end and text[number_start].isspace():
            number_start += 1
        yield CountSpan(
            start, end, text[start:end], low, high, qualifier, (number_start, end), vague
        )


def parse_count(text: str) -> Count | None:
    """The amount a whole phrase states, or None when it is not one number phrase.

    ``parse_count("at least 17") == Count(17, None, "at_least")``,
    ``parse_count("between 20 and 30") == Count(20, 30, "exact")``,
    ``parse_count("dozens") == Count(24, None, "at_least")``."""
    stripped = text.strip()
    words = _norm(stripped)
    # "a woman", "one person": a single person named by a noun.
    if re.fullmatch(r"(?:a|an|one)\s+[a-z][a-z-]*", words) and words.split()[1] not in (
        *_SCALES, *_GROUPS, "few", "handful",
    ):
        return Count(1, 1, "exact")
    match = _COUNT_RE.fullmatch(stripped)
    if match is None:
        return None
    parsed = _span_count(match)
    if parsed is None:
        return None
    low, high, qualifier, _ = parsed
    return Count(low, high, qualifier)
