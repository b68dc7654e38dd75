"""One time expression to a calendar range: rules written for news, no guessing.

``resolve(phrase, anchor=..., previous=...)`` reads one expression ("on Monday", "last week",
"early May", "two days later", "the six-year conflict") and returns a :class:`TimeValue`: a
TIMEX3-style value, the first and last day it covers, its precision, and what it was resolved
against. Rules (documented in docs/TIME.md):

- the anchor is the publication date; weekdays are the latest such day on or before it (the
  same weekday is the anchor itself), dates without a year take the anchor's year unless that
  puts them after the anchor (then the year before): news reports the past;
- "the next day", "two days later", "the day before" resolve against ``previous`` (the date of
  the event before), never against the publication date;
- with no anchor, only absolute dates resolve; the rest keep their phrase and a value with X's;
- durations ("three years", "the six-year conflict") and sets ("every week") are typed as such
  and have no calendar range; ages ("a 60-year-old") are not time expressions at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "a couple of": 2,
    "couple of": 2, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_VAGUE_NUMBERS = {"several", "few", "a few", "some", "many", "a number of", "numerous", "multiple"}
_UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
    "weekend": "WE", "month": "M", "year": "Y", "decade": "DE", "century": "CE", "quarter": "Q",
}  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI", "dawn": "MO", "dusk": "EV", "midnight": "NI", "noon": "MI", "midday": "MI"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}

_NUMBER = r"(?:\d+|" + "|".join(sorted((re.escape(k) for k in _NUMBERS), key=len, reverse=True)) + r")"
_VAGUE = r"(?:" + "|".join(sorted((re.escape(k) for k in _VAGUE_NUMBERS), key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>second|minute|hour|day|night|week|weekend|month|year|decade|centur(?:y|ie))s?"
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_PART = r"(?P<part>early|mid|middle|late|the (?:beginning|start|end|middle) of|the (?:first|second) half of)"
_LEAD = re.compile(
    r"^(?:(?:on|in|at|during|by|around|about|for|of|over|throughout|within|as of|as early as|as late as)\s+)+",
    re.IGNORECASE,
)
_BOUND = re.compile(r"^(?P<bound>since|from|until|till|til|up to|before|after|prior to|no later than)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A resolved time expression (TIMEX3-style ``value`` and a calendar range)."""

    value: str
    type: str  # DATE | TIME | DURATION | SET
    start: str | None = None
    end: str | None = None
    precision: str | None = None  # day | week | month | quarter | season | year | decade
    anchor: str | None = None  # published | previous_event | None
    mod: str | None = None


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _day(day: dt.date, anchor: str | None, mod: str | None = None) -> TimeValue:
    return TimeValue(_iso(day), "DATE", _iso(day), _iso(day), "day", anchor, mod)


def _week(day: dt.date, anchor: str | None) -> TimeValue:
    year, week, _ = day.isocalendar()
    monday = day - dt.timedelta(days=day.weekday())
    return TimeValue(f"{year}-W{week:02d}", "DATE", _iso(monday), _iso(monday + dt.timedelta(days=6)), "week", anchor)


def _month(year: int, month: int, anchor: str | None, part: str | None = None) -> TimeValue:
    last = calendar.monthrange(year, month)[1]
    first_day, last_day, mod = 1, last, None
    if part:
        part = part.lower()
        if part in ("early", "the beginning of", "the start of", "the first half of"):
            first_day, last_day, mod = 1, 10 if part != "the first half of" else 15, "START" if "of" in part else "EARLY"
        elif part in ("mid", "middle", "the middle of"):
            first_day, last_day, mod = 11, 20, "MID"
        elif part in ("late", "the end of", "the second half of"):
            first_day, last_day, mod = 21 if part != "the second half of" else 16, last, "END" if "of" in part else "LATE"
    return TimeValue(
        f"{year}-{month:02d}", "DATE", _iso(dt.date(year, month, first_day)), _iso(dt.date(year, month, last_day)), "month", anchor, mod
    )


def _year(year: int, anchor: str | None, part: str | None = None) -> TimeValue:
    start, end, mod = dt.date(year, 1, 1), dt.date(year, 12, 31), None
    if part:
        part = part.lower()
        if part in ("early", "the beginning of", "the start of", "the first half of"):
            end, mod = (dt.date(year, 4, 30) if part != "the first half of" else dt.date(year, 6, 30)), "EARLY" if "of" not in part else "START"
        elif part in ("mid", "middle", "the middle of"):
            start, end, mod = dt.date(year, 5, 1), dt.date(year, 8, 31), "MID"
        elif part in ("late", "the end of", "the second half of"):
            start, mod = (dt.date(year, 9, 1) if part != "the second half of" else dt.date(year, 7, 1)), "LATE" if "of" not in part else "END"
    return TimeValue(str(year), "DATE", _iso(start), _iso(end), "year", anchor, mod)


def _past_year(month: int, day: int, anchor: dt.date) -> int:
    """The latest year that puts day/month on or before the anchor (news reports the past;
    29 February goes back to the last leap year)."""
    for year in range(anchor.year, anchor.year - 9, -1):
        try:
            if dt.date(year, month, day) <= anchor:
                return year
        except ValueError:
            continue
    return anchor.year - 1


def _number(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    return _NUMBERS.get(text)


def _shift_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def resolve(
    phrase: str, *, anchor: dt.date | None, previous: dt.date | None = None, future: bool = False
) -> TimeValue | None:
    """The value of one time expression, or None when ``phrase`` is not one (an age, a
    number, a bare word). Phrases that are time expressions but cannot be placed without an
    anchor get a value with X's and no range. ``future`` says the sentence speaks of what is
    to come ("talks will resume on 7 April"): dates without a year then take the reading on
    or after the anchor instead of the past one."""
    value = _resolve(phrase, anchor=anchor, previous=previous)
    calendar_only = _CALENDAR_ONLY.search(phrase) and not _RELATIVE_WORDS.search(phrase)
    if future and calendar_only and value is not None and anchor is not None and value.start and value.start < _iso(anchor) and value.anchor == "published":
        later = _resolve(phrase, anchor=dt.date(anchor.year + 1, anchor.month, min(anchor.day, 28)), previous=previous)
        if later is not None and later.start and later.start >= _iso(anchor) and not _WEEKDAY_ONLY.search(phrase):
            return replace(later, anchor="published")
    return value


# A month named without a year ("7 April", "June") is what a future sentence can move forward.
_CALENDAR_ONLY = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE)
_RELATIVE_WORDS = re.compile(r"\b(?:last|past|previous|ago|earlier|this|next)\b|\b(?:19|20)\d\d\b", re.IGNORECASE)
_WEEKDAY_ONLY = re.compile(r"^\W*(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)


def _resolve(phrase: str, *, anchor: dt.date | None, previous: dt.date | None) -> TimeValue | None:
    text = re.sub(r"\s+", " ", phrase.strip()).strip(" ,.;:'\"“”’‘()")
    lowered = text.lower()
    if not lowered or re.search(r"\b\d+[- ]years?[- ]old\b|\byear-old\b|\bold\b$", lowered):
        return None  # ages
    bound = _BOUND.match(text)
    if bound:
        inner = _resolve(text[bound.end() :], anchor=anchor, previous=previous)
        if inner is None or inner.type not in ("DATE", "TIME"):
            return inner
        kind = bound.group("bound").lower()
        if kind in ("since", "from", "after"):
            end = _iso(anchor) if anchor is not None and inner.start and inner.start <= _iso(anchor) else None
            return replace(inner, end=end, mod="AFTER" if kind == "after" else "START")
        return replace(inner, start=None, mod="BEFORE" if kind in ("before", "prior to") else "END")
    text = _LEAD.sub("", text)
    lowered = text.lower()
    anchor_name = "published" if anchor is not None else None

    for rule in _RULES:
        match = rule.pattern.fullmatch(lowered)
        if match:
            return rule.apply(match, anchor, previous, anchor_name)
    return None


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    apply: object


def _rule(pattern: str):
    def register(function):
        _RULES.append(_Rule(re.compile(pattern, re.IGNORECASE), function))
        return function

    return register


_RULES: list[_Rule] = []


# -- absolute dates --------------------------------------------------------------------------


@_rule(rf"(?:(?:{_WEEKDAY}),? )?{_MONTH} {_DAY},? {_YEAR}")
@_rule(rf"(?:(?:{_WEEKDAY}),? )?(?:the )?{_DAY} (?:of )?{_MONTH},? {_YEAR}")
def _full_date(match, anchor, previous, anchor_name):
    try:
        day = dt.date(int(match.group("year")), _MONTHS[match.group("month")], int(match.group("day")))
    except ValueError:
        return None
    return _day(day, None)


@_rule(r"(?P<y>(?:1[89]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)")
def _iso_date(match, anchor, previous, anchor_name):
    try:
        return _day(dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d"))), None)
    except ValueError:
        return None


@_rule(rf"(?:(?:{_WEEKDAY}),? )?{_MONTH} (?:the )?{_DAY}")
@_rule(rf"(?:(?:{_WEEKDAY}),? )?(?:the )?{_DAY} (?:of )?{_MONTH}")
def _day_month(match, anchor, previous, anchor_name):
    month, day = _MONTHS[match.group("month")], int(match.group("day"))
    if not 1 <= day <= 31:
        return None
    if anchor is None:
        return TimeValue(f"XXXX-{month:02d}-{day:02d}", "DATE", None, None, "day", None)
    try:
        return _day(dt.date(_past_year(month, day, anchor), month, day), anchor_name)
    except ValueError:
        return None


@_rule(rf"(?:{_PART}[ -])?{_MONTH},? {_YEAR}")
def _month_year(match, anchor, previous, anchor_name):
    return _month(int(match.group("year")), _MONTHS[match.group("month")], None, match.group("part"))


@_rule(rf"(?:{_PART}[ -])?(?:(?P<rel>this|last|next|past) )?{_MONTH}")
def _month_only(match, anchor, previous, anchor_name):
    month = _MONTHS[match.group("month")]
    if anchor is None:
        return TimeValue(f"XXXX-{month:02d}", "DATE", None, None, "month", None)
    relation = match.group("rel")
    year = anchor.year if month <= anchor.month else anchor.year - 1
    if relation == "next":
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif relation in ("last", "past") and month >= anchor.month:
        year = anchor.year - 1
    value = _month(year, month, anchor_name, match.group("part"))
    if relation != "next" and value.start > _iso(anchor):
        value = _month(year - 1, month, anchor_name, match.group("part"))  # "late November" on 1 November
    return value


@_rule(rf"(?:{_PART}[ -])?{_YEAR}")
def _year_only(match, anchor, previous, anchor_name):
    return _year(int(match.group("year")), None, match.group("part"))


@_rule(r"(?:the )?(?:(?P<c>1[89]|20)(?P<d>\d)0)'?s")
def _decade(match, anchor, previous, anchor_name):
    first = int(match.group("c") + match.group("d") + "0")
    return TimeValue(f"{match.group('c')}{match.group('d')}", "DATE", f"{first}-01-01", f"{first + 9}-12-31", "decade", None)


@_rule(r"(?:the )?(?P<n>1[5-9]|2[01])(?:st|nd|rd|th) century")
def _century(match, anchor, previous, anchor_name):
    first = (int(match.group("n")) - 1) * 100
    return TimeValue(f"{first // 100:02d}", "DATE", f"{first:04d}-01-01", f"{first + 99:04d}-12-31", "century", None)


@_rule(r"(?:(?P<part>early|mid|late|the (?:beginning|start|end|middle) of) )?(?:this|the current) (?:fiscal )?year")
def _this_year_part(match, anchor, previous, anchor_name):
    if anchor is None:
        return TimeValue("XXXX", "DATE", None, None, "year", None)
    return _year(anchor.year, anchor_name, match.group("part"))


@_rule(r"(?:the )?(?P<ord>first|second|third|fourth|last) quarter(?: of (?P<year>(?:19|20)\d\d))?|(?P<q>q[1-4])(?: (?P<year2>(?:19|20)\d\d))?")
def _quarter(match, anchor, previous, anchor_name):
    number = _ORDINALS.get(match.group("ord") or "", None) or (int(match.group("q")[1]) if match.group("q") else None)
    year_text = match.group("year") or match.group("year2")
    if year_text is None and anchor is None:
        return TimeValue(f"XXXX-Q{number}", "DATE", None, None, "quarter", None)
    year = int(year_text) if year_text else anchor.year
    start = dt.date(year, 3 * number - 2, 1)
    end = dt.date(year, 3 * number, calendar.monthrange(year, 3 * number)[1])
    return TimeValue(f"{year}-Q{number}", "DATE", _iso(start), _iso(end), "quarter", None if year_text else anchor_name)


@_rule(r"(?:(?P<rel>this|last|next|past|the) )?(?P<season>spring|summer|autumn|fall|winter)(?: of (?P<year>(?:19|20)\d\d))?")
def _season(match, anchor, previous, anchor_name):
    code = _SEASONS[match.group("season")]
    if match.group("year"):
        year = int(match.group("year"))
    elif anchor is None:
        return TimeValue(f"XXXX-{code}", "DATE", None, None, "season", None)
    else:
        year = anchor.year - (1 if match.group("rel") in ("last", "past") else 0) + (1 if match.group("rel") == "next" else 0)
    return TimeValue(f"{year}-{code}", "DATE", None, None, "season", None if match.group("year") else anchor_name)


# -- relative to the anchor ------------------------------------------------------------------


@_rule(r"(?P<word>today|yesterday|tomorrow|the day before yesterday|the day after tomorrow)(?: (?P<part>morning|afternoon|evening|night|midnight|noon|dawn))?")
def _relative_day(match, anchor, previous, anchor_name):
    if anchor is None:
        return TimeValue("XXXX-XX-XX", "DATE", None, None, "day", None)
    offset = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}[match.group("word")]
    value = _day(anchor + dt.timedelta(days=offset), anchor_name)
    if match.group("part"):
        return replace(value, value=f"{value.value}T{_PARTS_OF_DAY[match.group('part')]}", type="TIME")
    return value


@_rule(r"(?P<word>tonight|this (?:morning|afternoon|evening)|last night|overnight)")
def _part_today(match, anchor, previous, anchor_name):
    word = match.group("word")
    if anchor is None:
        return TimeValue("XXXX-XX-XX", "TIME", None, None, "day", None)
    day = anchor - dt.timedelta(days=1) if word == "last night" else anchor
    part = _PARTS_OF_DAY[word.split()[-1] if " " in word else ("night" if word != "overnight" else "overnight")]
    return TimeValue(f"{_iso(day)}T{part}", "TIME", _iso(day), _iso(day), "day", anchor_name)


@_rule(rf"(?:(?P<rel>last|this|next|past|coming|previous) )?{_WEEKDAY}(?: (?P<part>morning|afternoon|evening|night|midnight|noon|dawn))?")
def _weekday(match, anchor, previous, anchor_name):
    weekday = _WEEKDAYS[match.group("weekday")]
    part = match.group("part")
    if anchor is None:
        return TimeValue("XXXX-WXX-" + str(weekday + 1) + (f"T{_PARTS_OF_DAY[part]}" if part else ""), "TIME" if part else "DATE", None, None, "day", None)
    relation = match.group("rel")
    back = (anchor.weekday() - weekday) % 7
    if relation in ("next", "coming"):
        day = anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    elif relation in ("last", "past", "previous"):
        day = anchor - dt.timedelta(days=back or 7)
    else:
        day = anchor - dt.timedelta(days=back)  # the latest such day on or before the anchor
    value = _day(day, anchor_name)
    if part:
        return replace(value, value=f"{value.value}T{_PARTS_OF_DAY[part]}", type="TIME")
    return value


@_rule(r"(?:(?P<rel>last|this|next|the past|the previous|the coming|the last) )(?P<unit>week|month|year|weekend)")
def _this_last_next(match, anchor, previous, anchor_name):
    unit, relation = match.group("unit"), match.group("rel")
    if anchor is None:
        return TimeValue({"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX", "weekend": "XXXX-WXX-WE"}[unit], "DATE", None, None, unit if unit != "weekend" else "week", None)
    step = {"last": -1, "the past": -1, "the previous": -1, "the last": -1, "this": 0, "next": 1, "the coming": 1}[relation]
    if unit == "week":
        return _week(anchor + dt.timedelta(weeks=step), anchor_name)
    if unit == "weekend":
        return _weekend(anchor, anchor_name, step)
    if unit == "month":
        year, month = _shift_months(anchor, step)
        return _month(year, month, anchor_name)
    return _year(anchor.year + step, anchor_name)


def _weekend(anchor: dt.date, anchor_name: str | None, step: int = 0) -> TimeValue:
    saturday = anchor - dt.timedelta(days=(anchor.weekday() - 5) % 7)
    if step > 0:
        saturday += dt.timedelta(weeks=1 if saturday < anchor else 0)
    elif step < 0 and anchor.weekday() >= 5:
        saturday -= dt.timedelta(weeks=1)
    year, week, _ = saturday.isocalendar()
    return TimeValue(f"{year}-W{week:02d}-WE", "DATE", _iso(saturday), _iso(saturday + dt.timedelta(days=1)), "week", anchor_name)


@_rule(r"(?:over |at |during )?(?:the|this) weekend")
def _the_weekend(match, anchor, previous, anchor_name):
    if anchor is None:
        return TimeValue("XXXX-WXX-WE", "DATE", None, None, "week", None)
    return _weekend(anchor, anchor_name)


@_rule(r"(?P<when>earlier|later) (?:this|in the) (?P<unit>week|month|year)")
def _earlier_later(match, anchor, previous, anchor_name):
    unit = match.group("unit")
    if anchor is None:
        return TimeValue({"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], "DATE", None, None, unit, None)
    base = {"week": _week(anchor, anchor_name), "month": _month(anchor.year, anchor.month, anchor_name), "year": _year(anchor.year, anchor_name)}[unit]
    if match.group("when") == "earlier":
        return replace(base, end=_iso(anchor), mod="BEFORE")
    return replace(base, start=_iso(anchor), mod="AFTER")


@_rule(rf"(?P<n>{_NUMBER}|{_VAGUE}) {_UNIT} (?:ago|earlier|before)")
def _ago(match, anchor, previous, anchor_name):
    unit = match.group("unit").rstrip("s").replace("centurie", "century")
    count = _number(match.group("n"))
    if count is None or anchor is None:
        return TimeValue("PAST_REF", "DATE", None, _iso(anchor) if anchor else None, None, anchor_name)
    if unit in ("day", "night"):
        return _day(anchor - dt.timedelta(days=count), anchor_name)
    if unit == "week":
        return _week(anchor - dt.timedelta(weeks=count), anchor_name)
    if unit == "month":
        year, month = _shift_months(anchor, -count)
        return _month(year, month, anchor_name)
    if unit == "year":
        return _year(anchor.year - count, anchor_name)
    return None


# -- relative to the previous event -----------------------------------------------------------


@_rule(r"(?:about |around |some )?(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d+) (?P<unit>days?|weeks?) (?P<dir>after|before)")
def _clause_relative(match, anchor, previous, anchor_name):
    """'X came a week after Y': Y is a week before the event told before it. Weeks are
    approximate, so the range is two days either side."""
    if previous is None:
        return TimeValue("XXXX-XX-XX", "DATE", None, None, "day", None)
    count = _number(match.group("n")) or 0
    unit = match.group("unit").rstrip("s")
    sign = -1 if match.group("dir") == "after" else 1
    if unit == "day":
        return _day(previous + sign * dt.timedelta(days=count), "previous_event")
    centre = previous + sign * dt.timedelta(weeks=count)
    slack = dt.timedelta(days=2)
    return TimeValue(_iso(centre), "DATE", _iso(centre - slack), _iso(centre + slack), "week", "previous_event", "APPROX")


@_rule(r"(?:the )?(?P<which>next|following|previous|preceding) (?P<unit>day|morning|evening|night|week)|the day (?P<ba>before|after)|(?P<n>a|one|two|three|four|five|six|seven|\d+) (?P<unit2>days?|weeks?) (?P<dir>later|afterwards|after|before|earlier)|(?:(?:later|earlier) )?(?:that|the same) (?:day|morning|afternoon|evening|night)")
def _event_relative(match, anchor, previous, anchor_name):
    if previous is None:
        return TimeValue("XXXX-XX-XX", "DATE", None, None, "day", None)
    which = match.group("which") or match.group("ba")
    if match.group("n"):
        count = _number(match.group("n")) or 0
        unit = match.group("unit2").rstrip("s")
        sign = 1 if match.group("dir") in ("later", "afterwards", "after") else -1
        delta = dt.timedelta(days=count) if unit == "day" else dt.timedelta(weeks=count)
        day = previous + sign * delta
        return (_day(day, "previous_event") if unit == "day" else replace(_week(day, "previous_event")))
    if which is None:
        return _day(previous, "previous_event")
    sign = 1 if which in ("next", "following", "after") else -1
    unit = match.group("unit") or "day"
    if unit == "week":
        return _week(previous + sign * dt.timedelta(weeks=1), "previous_event")
    return _day(previous + sign * dt.timedelta(days=1), "previous_event")


# -- references, durations and sets -------------------------------------------------------------


@_rule(r"now|right now|currently|at present|presently|at the moment|nowadays|these days|at this time|the present|this time")
def _present(match, anchor, previous, anchor_name):
    return TimeValue("PRESENT_REF", "DATE", _iso(anchor) if anchor else None, _iso(anchor) if anchor else None, None, anchor_name)


@_rule(r"(?:in )?recent (?P<unit>day|week|month|year)s")
def _recent_units(match, anchor, previous, anchor_name):
    return TimeValue(f"PX{_UNITS[match.group('unit')]}", "DURATION")


@_rule(r"recently|lately|in the past|the past|previously|formerly|earlier|at the time|at that time|then")
def _past(match, anchor, previous, anchor_name):
    return TimeValue("PAST_REF", "DATE", None, _iso(anchor) if anchor else None, None, anchor_name, "BEFORE")


@_rule(r"(?:in )?the (?:near |distant )?future|soon|shortly|in the coming (?:days|weeks|months|years)|the coming (?:days|weeks|months|years)")
def _future(match, anchor, previous, anchor_name):
    return TimeValue("FUTURE_REF", "DATE", _iso(anchor) if anchor else None, None, None, anchor_name, "AFTER")


@_rule(rf"(?:the |a |an |more than |less than |nearly |almost |about |some |over |at least |up to |(?:the )?(?:past|last|next|coming|previous|first|final) )?(?P<n>{_NUMBER}|{_VAGUE})?[- ]?(?:more )?{_UNIT}(?:[- ]long)?(?: (?:conflict|war|campaign|siege|visit|ceasefire|truce|offensive|battle|period|history|sentence|term|old))?")
def _duration(match, anchor, previous, anchor_name):
    unit = match.group("unit").lower().rstrip("s").replace("centurie", "century")
    code = _UNITS[unit]
    count = _number(match.group("n")) if match.group("n") else None
    if match.group("n") and count is None:
        amount = "X"
    elif count is None:
        # "the year", "a month" -> one; a bare plural ("months") -> some
        amount = "X" if match.group(0).endswith("s") else "1"
    else:
        amount = str(count)
    if code in ("H", "M", "S") and unit in ("hour", "minute", "second"):
        return TimeValue(f"PT{amount}{code}", "DURATION")
    if code == "WE":
        return TimeValue(f"P{amount}WE", "DURATION")
    if code in ("DE", "CE"):  # TimeML writes decades and centuries in years
        years = 10 if code == "DE" else 100
        return TimeValue(f"P{int(amount) * years}Y" if amount != "X" else "PXY", "DURATION")
    return TimeValue(f"P{amount}{code}", "DURATION")


@_rule(r"(?:every|each) (?P<unit>day|week|month|year|morning|night)|(?P<adv>daily|weekly|monthly|annually|yearly|nightly)")
def _set(match, anchor, previous, anchor_name):
    unit = match.group("unit") or {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year", "nightly": "night"}[match.group("adv")]
    code = {"day": "D", "week": "W", "month": "M", "year": "Y", "morning": "D", "night": "D"}[unit]
    return TimeValue(f"P1{code}", "SET")
