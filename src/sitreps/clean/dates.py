"""Complete calendar dates in publication lines and URLs (day, month and year all present).

This is not the event-date resolver: it reads only dates that need no anchor, and only where a
page states when it was published. Anything partial stays unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = (
    re.compile(
        rf"\b{_YEAR}-(?P<nmonth>[01]\d)-(?P<day>[0-3]\d)"
        r"(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d)?(?:\.\d+)?(?:Z|[+-][0-2]\d:?[0-5]\d)?)?(?!\d)"
    ),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.]" + _YEAR + r"\b"),
)
_URL_PATTERNS = (
    re.compile(r"/(?P<year>(?:19|20)\d\d)[/_-](?P<month>[01]?\d)[/_-](?P<day>[0-3]?\d)(?=[/_.-]|$)"),
    re.compile(r"/(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?=[/_.-]|$)"),
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    date: dt.date
    start: int
    end: int

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Every complete, valid date in ``text``, in order. Numeric d/m/y forms count only when
    unambiguous (one side above 12)."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for number, pattern in enumerate(_PATTERNS):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            year = int(match.group("year"))
            if number == 0:
                date = _make(year, int(match.group("nmonth")), int(match.group("day")))
            elif number == 3:
                a, b = int(match.group("a")), int(match.group("b"))
                if a > 12 >= b:
                    date = _make(year, b, a)
                elif b > 12 >= a:
                    date = _make(year, a, b)
                else:
                    date = None  # 03/04/2015: March or April? Unknown stays unknown.
            else:
                month = MONTHS[match.group("month").lower().rstrip(".")]
                date = _make(year, month, int(match.group("day")))
            if date is not None:
                found.append(DateMatch(date, match.start(), match.end()))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda item: item.start)


def date_from_url(url: str) -> DateMatch | None:
    """A complete date in a URL path such as /2014/09/22/ or /20140922/; offsets into ``url``."""
    path_start = url.find("/", url.find("//") + 2) if "//" in url else 0
    if path_start < 0:
        return None
    for pattern in _URL_PATTERNS:
        for match in pattern.finditer(url, path_start):
            date = _make(int(match.group("year")), int(match.group("month")), int(match.group("day")))
            if date is not None:
                return DateMatch(date, match.start() + 1, match.end())
    return None


def parse_iso_date(value: str | None) -> dt.date | None:
    """The date of an ISO-like metadata value ('2015-05-24', '2015-05-24T10:00:00Z'); None
    when absent or not a date."""
    if not value:
        return None
    matches = find_dates(value.strip())
    return matches[0].date if matches else None


# --- the dateline that opens a text -------------------------------------------------------
# News texts copied from pages often open with the date they were published, run on into the
# headline: "Tue 4 Apr 2017 Shelling kills ...", "Posted on April 19 2017 by ...",
# "Last updated at Apr 232017" (digits run together), "16.04.2017", "29-07-2016". These are
# read only at the very opening of a text, where a date is a dateline and not a sentence's.

_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5,
    "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_WEEKDAY = (
    r"(?P<weekday>Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?"
    r"|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)\.?,?\s+"
)
_PREFIX = (
    r"(?P<prefix>(?:(?:first|last)\s+)?(?:published|posted|updated|modified)(?:\s+(?:on|at))?"
    r"|date\s+of\s+publication|publication\s+date|date)\s*:?\s*"
)
_MONTH_NAME = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_OPENING_DATE = (
    rf"(?:(?P<dm_day>[0-3]?\d){_ORDINAL}\s+(?:of\s+)?(?P<dm_month>{_MONTH_NAME})\.?,?\s+"
    r"(?P<dm_year>(?:19|20)\d\d)"
    rf"|(?P<md_month>{_MONTH_NAME})\.?\s+(?:(?P<md_day>[0-3]?\d){_ORDINAL},?\s+(?P<md_year>(?:19|20)\d\d)"
    r"|(?P<run>\d{5,6}))"
    r"|(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d)"
    r"|(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[01]?\d)(?P=sep)(?P<n_year>(?:19|20)\d\d))(?!\d)"
)
# At the start of a text: an optional 'Posted on' and weekday, then the date.
_OPENING = re.compile(rf"(?:{_PREFIX})?(?:{_WEEKDAY})?{_OPENING_DATE}", re.IGNORECASE)
# Further in, after a headline and a credit ('... Monitor AFP Friday 15 Jul 2016'): only a
# weekday-led date, after a capitalised word that is not a preposition.
_CREDITED = re.compile(rf"(?<![\w,])(?P<before>\S+)\s+{_WEEKDAY}{_OPENING_DATE}", re.IGNORECASE)
_NOT_A_CREDIT = frozenset(
    "on since until till from by before after of to and between as at in last next this "
    "every each early late dated".split()
)  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?;:][\"”’')\]]*\s")
# How far into a text a dateline may start.
OPENING_REACH = 80


@dataclass(frozen=True, slots=True)
class OpeningDate:
    date: dt.date
    start: int  # offsets of the date itself, prefix and weekday excluded
    end: int
    updated: bool  # stated as an update ('Last updated at ...'), not as the publication
    leads: bool  # the text starts with it (a 'Posted on' or weekday aside), no headline first

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def _run_together(run: str) -> tuple[int, int] | None:
    """(day, year) of digits a release ran together: '232017' -> 23, 2017. Five or six digits
    split one way only: the last four are the year, the rest a day."""
    day, year = run[:-4], run[-4:]
    if not year.startswith(("19", "20")) or not day or int(day) == 0:
        return None
    return int(day), int(year)


def _opening_match_date(match: re.Match[str]) -> dt.date | None:
    group = match.group
    if group("dm_day"):
        date = _make(int(group("dm_year")), MONTHS[group("dm_month").lower()], int(group("dm_day")))
    elif group("md_day"):
        date = _make(int(group("md_year")), MONTHS[group("md_month").lower()], int(group("md_day")))
    elif group("run"):
        split = _run_together(group("run"))
        date = _make(split[1], MONTHS[group("md_month").lower()], split[0]) if split else None
    elif group("iso_year"):
        date = _make(int(group("iso_year")), int(group("iso_month")), int(group("iso_day")))
    else:
        a, b, year = int(group("a")), int(group("b")), int(group("n_year"))
        if group("sep") == "/":
            # Slashes are written month first by many outlets: only an unambiguous one counts.
            date = _make(year, b, a) if a > 12 >= b else _make(year, a, b) if b > 12 >= a else None
        else:
            # Dots and dashes are day first (16.04.2017, 29-07-2016); never swapped to fit.
            date = _make(year, b, a)
    if date is None:
        return None
    weekday = group("weekday")
    if weekday and _WEEKDAYS[weekday.lower()] != date.weekday():
        return None  # 'Mon 16 Apr 2017' was a Sunday: misread or mistyped, so not trusted
    return date


def _date_start(match: re.Match[str]) -> int:
    return min(
        match.start(name)
        for name in ("dm_day", "md_month", "iso_year", "a")
        if match.group(name) is not None
    )


def opening_date(text: str, *, reach: int = OPENING_REACH) -> OpeningDate | None:
    """The publication date a text opens with, or None.

    At the start: '16 April 2017', 'Sun 16 Apr 2017', 'Posted on April 19 2017', 'Last
    updated at Apr 232017', '16.04.2017', '29-07-2016', '2017-04-16'. Within the first
    ``reach`` characters, after a headline and its credit: a weekday-led date ('... AFP
    Friday 15 Jul 2016'). Numeric dates with dots or dashes are read day first; impossible
    dates, and dates whose stated weekday disagrees, are refused. A date in a sentence ('On 4
    May 2015 fighters ...') is not a dateline.
    """
    stripped = len(text) - len(text.lstrip())
    match = _OPENING.match(text, stripped)
    if match is not None:
        date = _opening_match_date(match)
        if date is None:
            return None
        prefix = match.group("prefix") or ""
        updated = bool(re.match(r"(?:last\s+)?(?:updated|modified)", prefix, re.IGNORECASE))
        return OpeningDate(date, _date_start(match), match.end(), updated, True)
    head_of_text = text[: max(reach, 0) + 48]  # room for 'Wednesday 27 September 2017'
    for match in _CREDITED.finditer(head_of_text):
        if match.start("weekday") > reach or match.end() == len(head_of_text) < len(text):
            break  # past the opening, or cut off where the opening was sliced
        before = match.group("before")
        head = text[: match.start("before")]
        if (
            not before[0].isupper()
            or before.lower().strip(".,") in _NOT_A_CREDIT
            or _SENTENCE_END.search(head + before + " ")
        ):
            continue
        date = _opening_match_date(match)
        if date is not None:
            return OpeningDate(date, _date_start(match), match.end(), False, False)
    return None
