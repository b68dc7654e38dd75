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


def parse_iso_date(value: str) -> dt.date | None:
    """The date of an ISO-like metadata value ('2015-05-24', '2015-05-24T10:00:00Z')."""
    matches = find_dates(value.strip())
    return matches[0].date if matches else None
