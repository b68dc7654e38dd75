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
    """A time expression in a text: where, what, and its value (None: kept unresolved).

    ``reference`` marks a date told only as the starting point of a span of time ("since the
    outbreak of the war in 2011"): it dates what it is said of (the outbreak), never an event
    told in the same sentence or after it."""

    start: int
    end: int
    text: str
    value: TimeValue | None
    reference: bool = False


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
    r"|(?:(?:later|earlier) )?(?:that|the same) (?:day|morning|afternoon|evening|night)"
    r"|(?:a|one|two|three|four|five|six|seven|\d+) (?:days?|weeks?) (?:later|afterwards|earlier|after|before)"
    r"|(?:last|this|next) (?:week|month|year)"
    r"|yesterday|today|tonight|last night"
    r"|now|currently|at present|at the time|in the past|the past|recently|lately"
    r"|(?:early|late|mid|earlier|later) this year|this (?:fiscal )?year"
    r"|(?:the )?(?:1[5-9]|2[01])(?:st|nd|rd|th) century"
    r"|(?<![\d,.$£€])(?:1[89]|20)\d\d(?![\d,.%]\d|\d)"
    r"|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+|several|a few|a couple of)"
    r"(?: more)? (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)(?: ago| earlier| later)?"
    r")\b",
    re.IGNORECASE,
)
_NAMES = re.compile(rf"{_WEEKDAY}|{_MONTH}", re.IGNORECASE)
_CAPITALISED = re.compile(rf"^(?:(?:last|this|next|past|coming|previous) )?(?:{_WEEKDAY}|.*\b{_MONTH})", re.IGNORECASE)


# A bare year-like number that counts people ("more than 2000 people", "some 1500
# fighters"): a quantity word before it, or a word for people after it, unless it is a year
# by its preposition or article ("in 2013", "the 2014 elections" are years).
_YEAR_ALONE = re.compile(r"(?:1[89]|20)\d\d")
_COUNT_BEFORE = re.compile(
    r"\b(?:more than|less than|fewer than|at least|up to|over|about|around|some|nearly|almost|approximately|roughly|estimated|than|of the)\s+$",
    re.IGNORECASE,
)
_YEAR_BEFORE = re.compile(r"\b(?:in|since|from|until|till|by|during|before|after|early|late|mid|the|of|year)\s+$", re.IGNORECASE)
_PEOPLE_AFTER = re.compile(
    r"\s+(?:(?:more|other|[a-z]+ed)\s+)?(?:people|persons|civilians|fighters|militants|soldiers|troops|rebels|members|"
    r"children|women|men|residents|families|refugees|prisoners|detainees|casualties|victims|deaths|dead|bodies|"
    r"killed|wounded|injured|displaced|evacuees|gunmen|jihadists|insurgents|policemen|officers|personnel)\b",
    re.IGNORECASE,
)


def _counts_people(text: str, start: int, end: int) -> bool:
    """The bare number at ``start:end`` counts people rather than naming a year."""
    if not _YEAR_ALONE.fullmatch(text, start, end):
        return False
    before = text[max(0, start - 20) : start]
    if _COUNT_BEFORE.search(before):
        return True
    return bool(_PEOPLE_AFTER.match(text, end)) and not _YEAR_BEFORE.search(before)


def _candidates(text: str, doc: Any | None) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """Candidate spans, each with the pattern matches inside it to fall back on when the
    span as a whole does not resolve (spaCy's "eight years of war" holds "eight years").
    A bare number that counts people is none ("more than 2000 people")."""
    model = [
        (ent.start_char, ent.end_char) for ent in doc.ents
        if ent.label_ in ("DATE", "TIME") and not _counts_people(text, ent.start_char, ent.end_char)
    ] if doc is not None else []
    patterns = []
    for match in _PATTERNS.finditer(text):
        # Weekday and month names count only capitalised: "may" is a verb, "march" a walk.
        names = _NAMES.findall(match.group())
        if all(name[0].isupper() for name in names) and not _counts_people(text, *match.span()):
            patterns.append(match.span())
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {span: [] for span in model}
    for start, end in patterns:
        overlapping = [span for span in spans if span[0] < end and start < span[1]]
        if not overlapping:
            spans[(start, end)] = []
        elif all(s >= start and e <= end and (e - s) < (end - start) for s, e in overlapping):
            for span in overlapping:
                del spans[span]
            spans[(start, end)] = []
        else:
            for span in overlapping:
                if span[0] <= start and end <= span[1]:
                    spans[span].append((start, end))
    return sorted(spans.items())


_FUTURE = re.compile(
    r"\b(?:will|won't|shall|'ll|is (?:due|set|scheduled|expected|planned) to|are (?:due|set|scheduled|expected|planned) to"
    r"|to be held|scheduled for|planned for|due on|upcoming)\b",
    re.IGNORECASE,
)


_BOUND_BEFORE = re.compile(r"\b(since|from|until|till)\s+$", re.IGNORECASE)
# A "first" or a superlative measured "since" a starting point told with its date ("the first
# explosion to hit the town since the outbreak of the war in 2011", "the deadliest attack
# since the conflict began in 2011"): the date is that of the starting point, not of the
# event. ("... have been killed since the army began its offensive two weeks ago" dates a
# toll from then; "since they did not take part in the attack on Monday" is a reason.)
_SINCE_PHRASE = re.compile(
    r"\b(?:first|worst|deadliest|bloodiest|biggest|largest|heaviest|highest|only|most\s+\w+)\b[^,;:.()]{0,80}?"
    r"\bsince\s+(?:[^\s,;:.()\[\]\"“”]+\s+){0,9}?"
    r"(?:outbreak|start|beginning|onset|outset|eruption|began|begun|started|erupted|broke out|launch(?:ed)?|uprising|revolution|revolt|war|conflict|crisis)"
    r"\b(?:\s+[^\s,;:.()\[\]\"“”]+){0,6}\s+$",
    re.IGNORECASE,
)


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right = min((i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0), default=len(text))
    return text[left + 1 : right]


def resolve_mentions(text: str, spans: list, *, anchor: dt.date | None) -> list[TimeMention]:
    """Resolve candidate spans in text order; event-relative phrases take the day before,
    and a sentence about the future ("will", "is scheduled to") reads dates forward."""
    mentions = []
    previous: dt.date | None = None
    for span, inside in spans:
        for start, end in [span, *inside]:
            phrase = text[start:end]
            future = bool(_FUTURE.search(_sentence_around(text, start, end)))
            # "from 4 May", "since Friday": the signal before the span makes it a bound.
            bound = _BOUND_BEFORE.search(text, max(0, start - 12), start)
            phrase_read = (bound.group(1) + " " + phrase) if bound else phrase
            value = resolve(phrase_read, anchor=anchor, previous=previous, future=future)
            if value is None:
                continue
            reference = bool(_SINCE_PHRASE.search(text, max(0, start - 200), start))
            mentions.append(TimeMention(start, end, phrase, value, reference))
            if value.type in ("DATE", "TIME") and value.precision == "day" and value.start:
                previous = dt.date.fromisoformat(value.start)
            if (start, end) == span:
                break  # the whole span resolved: its parts are not mentions of their own
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
       it (durations and sets never date an event, nor a date that only marks where a span
       of time starts: "since the outbreak of the war in 2011");
    2. else the nearest preceding one in the same paragraph;
    3. else the publication date, as a range that ends on it: "on or before publication"
       (start open, precision lowered to None) — never the day itself;
    4. else nothing: the event stays undated.

    Returns the mention it came from (None for rules 3 and 4) and the value.
    """
    dated = [m for m in mentions if m.value is not None and m.value.type in ("DATE", "TIME") and not m.reference]
    inside = [m for m in dated if sentence[0] <= m.start and m.end <= sentence[1]]
    if inside:
        return inside[0], inside[0].value
    before = [m for m in dated if paragraph[0] <= m.start and m.end <= sentence[0]]
    if before:
        return before[-1], before[-1].value
    if published is not None:
        return None, TimeValue("PAST_REF", "DATE", None, published.isoformat(), None, "published", "ON_OR_BEFORE")
    return None, None
