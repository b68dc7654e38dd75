"""Time: every date expression of a text resolved to a calendar range, with its precision and
anchor. See ``resolve.py`` for the rules and docs/TIME.md for the decisions behind them.

``find_time_mentions(text, anchor=...)`` finds the expressions (spaCy's DATE and TIME
entities, plus sitreps' own patterns for what the model misses) and resolves them in text
order, so that "the next day" follows the date before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .resolve import TimeValue, resolve

__all__ = ["TimeMention", "TimeValue", "choose_event_date", "find_time_mentions", "resolve", "resolve_mentions"]


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression in a text: where, what, and its value (None: kept unresolved)."""

    start: int
    end: int
    text: str
    value: TimeValue | None


_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
# Expressions the statistical model often misses or cuts short.
_PATTERNS = re.compile(
    r"\b(?:"
    rf"(?:(?:last|this|next|past|coming|previous) )?{_WEEKDAY}(?: (?:morning|afternoon|evening|night))?"
    rf"|(?:early|mid|late|the (?:beginning|start|end|middle) of)[ -]{_MONTH}(?: (?:19|20)\d\d)?"
    rf"|[0-3]?\d(?:st|nd|rd|th)? (?:of )?{_MONTH}(?:,? (?:19|20)\d\d)?"
    rf"|{_MONTH} [0-3]?\d(?:st|nd|rd|th)?(?:,? (?:19|20)\d\d)?"
    r"|(?:earlier|later) (?:this|in the) (?:week|month|year)"
    r"|(?:over|at|during) the weekend|this weekend|last weekend"
    r"|(?:the )?(?:next|following|previous|preceding) (?:day|morning|evening|night)"
    r"|the day (?:before|after)"
    r"|(?:a|one|two|three|four|five|six|seven|\d+) (?:days?|weeks?) (?:later|afterwards|earlier)"
    r"|(?:last|this|next) (?:week|month|year)"
    r"|yesterday|today|tonight|last night"
    r")\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(rf"^(?:(?:last|this|next|past|coming|previous) )?(?:{_WEEKDAY}|.*\b{_MONTH})", re.IGNORECASE)


def _candidates(text: str, doc: Any | None) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if doc is not None:
        spans = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ in ("DATE", "TIME")]
    for match in _PATTERNS.finditer(text):
        # Weekday and month names count only capitalised: "may" is a verb, "march" a walk.
        found = match.group()
        names = re.findall(rf"{_WEEKDAY}|{_MONTH}", found, re.IGNORECASE)
        if any(not name[0].isupper() for name in names):
            continue
        start, end = match.span()
        overlapping = [(s, e) for s, e in spans if s < end and start < e]
        if not overlapping:
            spans.append((start, end))
        elif all(s >= start and e <= end and (e - s) < (end - start) for s, e in overlapping):
            spans = [span for span in spans if span not in overlapping] + [(start, end)]
    return sorted(set(spans))


def resolve_mentions(text: str, spans: list[tuple[int, int]], *, anchor: dt.date | None) -> list[TimeMention]:
    """Resolve candidate spans in text order; event-relative phrases take the day before."""
    mentions = []
    previous: dt.date | None = None
    for start, end in spans:
        phrase = text[start:end]
        value = resolve(phrase, anchor=anchor, previous=previous)
        if value is None:
            continue
        mentions.append(TimeMention(start, end, phrase, value))
        if value.type in ("DATE", "TIME") and value.precision == "day" and value.start:
            previous = dt.date.fromisoformat(value.start)
    return mentions


def find_time_mentions(text: str, *, anchor: dt.date | None, nlp: Any | None = None, doc: Any | None = None) -> list[TimeMention]:
    """Every time expression of ``text`` resolved against ``anchor`` (the publication date).

    Candidates come from ``doc`` (a spaCy Doc of ``text``) when given, else from ``nlp``
    run over ``text``, plus sitreps' own patterns; with neither, from the patterns alone.
    """
    if doc is None and nlp is not None:
        doc = nlp(text)
    return resolve_mentions(text, _candidates(text, doc), anchor=anchor)


def choose_event_date(
    mentions: list[TimeMention],
    *,
    sentence: tuple[int, int],
    paragraph: tuple[int, int],
    published: dt.date | None,
) -> tuple[TimeMention | None, TimeValue | None]:
    """The date of an event told in ``sentence`` (offsets), by the rule of docs/TIME.md:

    1. the expression that governs the sentence: the first resolved DATE/TIME mention inside
       it (durations and sets never date an event);
    2. else the nearest preceding one in the same paragraph;
    3. else the publication date, as a range that ends on it: "on or before publication"
       (start open, precision lowered to None) — never the day itself;
    4. else nothing: the event stays undated.

    Returns the mention it came from (None for rules 3 and 4) and the value.
    """
    dated = [m for m in mentions if m.value is not None and m.value.type in ("DATE", "TIME")]
    inside = [m for m in dated if sentence[0] <= m.start and m.end <= sentence[1]]
    if inside:
        return inside[0], inside[0].value
    before = [m for m in dated if paragraph[0] <= m.start and m.end <= sentence[0]]
    if before:
        return before[-1], before[-1].value
    if published is not None:
        return None, TimeValue("PAST_REF", "DATE", None, published.isoformat(), None, "published", "ON_OR_BEFORE")
    return None, None
