"""Line classes: every line of a page's text is body, meta, caption or junk.

The rules are ordered, cheap regular expressions over one line and its neighbours; the first
that fires names the class and the reason. They are written for text as it arrives from news
pages copied as text or extracted from HTML: share buttons, captcha sums, comment forms,
newsletter prompts, related-post tails, photo credits, bylines and publication lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import CleanSettings
from ..records import Line
from .dates import OPENING_REACH, find_dates, opening_date

_NUMBER_WORD = (
    r"(?:\d{1,3}|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
)
_RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, reason, re.compile(pattern, re.IGNORECASE))
    for kind, reason, pattern in (
        # Arithmetic captchas of comment forms: "nine − 5 =", "8 + 17 =", "four × 2 = ?".
        ("junk", "captcha", rf"^(?:what is\s+|solve\s*:?\s*)?{_NUMBER_WORD}\s*[-+−–×x*÷/]\s*"
         rf"{_NUMBER_WORD}\s*=\s*(?:\?|_+|\.+|{_NUMBER_WORD})?\s*$"),
        ("junk", "captcha", r"^(?:please )?(?:solve|enter) the (?:captcha|answer|sum|code)\b.{0,60}$"),
        ("junk", "share", r"^(?:[•·|/\-–]\s*)?(?:share(?: this)?(?: article| story| post| page)?"
         r"(?: on \w+)?|tweet|e-?mail|print|whatsapp|telegram|facebook|twitter|linkedin|reddit"
         r"|pinterest|messenger|copy(?: the)? link|link copied|send this to a friend"
         r"|short ?link\s*:?.{0,80}|permalink\s*:?.{0,80}|\d+\s+shares?|shares?)\s*:?\s*$"),
        ("junk", "share", r"^(?:(?:share|tweet|e-?mail|print|whatsapp|telegram|facebook|twitter"
         r"|linkedin|reddit|pinterest|copy link)\W*){2,}$"),
        ("junk", "comment", r"^(?:leave a (?:comment|reply)|post a comment|add (?:a )?comment"
         r"|no comments?\s*:?|\d+\s+comments?|comments?\s*(?:\(\d+\))?\s*:?|post comment"
         r"|submit(?: comment)?|cancel reply|join the (?:discussion|conversation)"
         r"|be the first to comment.{0,40}|view comments|show comments|load(?:ing)? comments"
         r"|(?:name|e-?mail|website|comment)\s*\*?\s*:?)\s*$"),
        ("junk", "comment", r"your email address will not be published|required fields are marked"
         r"|save my name,? email|you must be (?:logged|signed) in to (?:post|leave) a comment"
         r"|notify me of (?:new|follow-up) (?:posts|comments)|comments are (?:closed|moderated)"),
        ("junk", "newsletter", r"^(?:join|subscribe to|sign up (?:for|to)|get)\b.{0,60}"
         r"(?:newsletter|briefing|digest|mailing list|updates|alerts|in your inbox)\b.{0,40}$"),
        ("junk", "newsletter", r"^(?:newsletter|subscribe(?: now)?|sign up|enter your e-?mail"
         r"(?: address)?|your e-?mail address)\s*:?\s*$"),
        ("junk", "follow", r"\bfollow us (?:on|at|for|@)|\blike us on facebook\b|^follow\s+@?\w+\s*(?:on \w+)?$"),
        ("junk", "cookie", r"\b(?:we|this (?:web)?site) uses? cookies\b|^accept(?: all)? cookies$"
         r"|\bcookie (?:policy|settings|preferences)\b"),
        ("junk", "share", r"^(?:like this|liked? by .{0,40}|loading\s*(?:\.\.\.|…)?)\s*:?\s*$"),
        ("junk", "advertisement", r"^(?:advertisement|advertising|sponsored(?: content)?|ad"
         r"|story continues below(?: advertisement)?|continue reading below)\s*$"),
        ("junk", "copyright", r"^(?:©|\(c\)\s|copyright\b)|\ball rights reserved\b"),
        ("junk", "navigation", r"^(?:skip to (?:main )?content|back to top|home|menu|search"
         r"|log ?in|sign in|register|close|next|previous|next article|previous article)\s*$"),
        ("junk", "related_header", r"^(?:related(?: posts?| articles?| stories| items?| news"
         r"| content| coverage| reading| topics)?|you (?:may|might) also like|more (?:from|on)"
         r"\b.{0,40}|read (?:also|next)|recommended(?: for you| stories)?|most (?:read|popular)"
         r"|trending(?: now)?|also read|see also|more stories|latest (?:news|stories)"
         r"|editor'?s picks|don'?t miss)\s*:?\s*$"),
        ("junk", "teaser", r"(?:\bread more|\bcontinue reading|\bfull story|\[…\]|\[\.\.\.\])"
         r"\s*(?:»|›|→|>>)?\s*$"),
        # Reference lists of blogs: "Outlet: headline (English) – [link]".
        ("junk", "reference_link", r"(?:\((?:english|arabic|french)\)\s*)?[-–—]\s*\[[^\]]*\]?\s*$"),
        ("caption", "photo_credit", r"^(?:photo(?:graph)?s?|image|picture|video|credit"
         r"|courtesy)(?: by| credit)?\s*:\s*\S.{0,60}$"),
        ("caption", "caption", r"\b(?:photo(?:graph)?|image|picture|credit)s?(?: by)?\s*:"
         r"\s*[\w .,&'/-]{2,60}$|\bfile (?:photo|image|picture)\b\.?\s*$|\(\s*(?:photo|image)\b"
         r"[^)]{0,80}\)\s*$|\b(?:getty images|afp photo|ap photo|reuters/[\w .-]+|epa-efe"
         r"|anadolu agency via getty)\b.{0,40}$"),
        ("caption", "caption", r"\((?:reuters|afp|ap|epa|anadolu)\s*/\s*[^)]{2,60}\)\s*$"),
        ("meta", "byline", r"^(?:by|written by|reporting by|reported by|report by|words by"
         r"|editing by|edited by|compiled by|additional reporting by)\s*:?\s+\S.{0,120}$"),
        ("meta", "source_line", r"^(?:source|sources|via|origin)\s*:\s*\S.{0,80}$"),
        ("meta", "signature", r"^[\w .&'-]{2,40}\s+(?:and|with|&)\s+agencies\.?$"),
        ("meta", "tags", r"^(?:tags|topics|filed under|categories|category|keywords)\s*:"),
    )
)
_PUBLISHED_PREFIX = re.compile(
    r"^(?:(?:first |last )?(?:published|updated|posted|modified|date|released)(?: on| at)?\s*:?\s*)",
    re.IGNORECASE,
)
_UPDATED = re.compile(r"^(?:last )?(?:updated|modified)\b", re.IGNORECASE)
_DATE_LINE_FILLER = re.compile(
    r"(?i)\b(?:published|updated|posted|modified|last|first|on|at|date|gmt|utc|bst|est|edt|cet"
    r"|cest|eet|eest|ast|am|pm|a\.m\.|p\.m\.|local time|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b|\d{1,2}[:.]\d{2}"
    r"(?::\d{2})?|[+-]\d{2}:?\d{2}|[|,.:;()\-–—/]"
)
# Words that end the names of news outlets; a short capitalised line near the top ending in
# one is the masthead, not a heading.
OUTLET_WORDS = (
    "news|post|times|daily|wire|ledger|observer|voices?|brief|now|today|herald|journal|tribune"
    "|gazette|dispatch|monitor|press|agency|tv|radio|online|world|star|mail|express|chronicle"
    "|review|report|reporter|standard|guardian|telegraph|insider|network|media|informer|sun"
)
_MASTHEAD = re.compile(rf"^(?:[A-Z][\w'&.-]*\s+){{0,3}}(?i:{OUTLET_WORDS})$")
_TIMEZONE = re.compile(r"\b[A-Z]{2,5}\b")  # EAT, CEST, IST...: an abbreviation after a time
_TERMINAL = re.compile(r"[.!?…:;][\"”’'»)\]]*\s*$")
_SLASH_CREDIT = re.compile(r"\s/\s?[\w .'&-]{2,30}$")
_WORD = re.compile(r"\w+")
_WHITESPACE = re.compile(r"\s+")
_MAX_FURNITURE_WORDS = 45


@dataclass(frozen=True, slots=True)
class ClassifiedLines:
    lines: tuple[Line, ...]
    published: list[tuple[Line, str, int, int, bool]]  # line, iso date, start, end, is_update
    title: Line | None


def _split_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, newline excluded, whitespace around the content trimmed."""
    spans = []
    position = 0
    for raw in text.split("\n"):
        start, end = position, position + len(raw)
        position = end + 1
        content = raw.strip()
        if content:
            offset = raw.index(content[0])
            spans.append((start + offset, start + offset + len(content)))
        else:
            spans.append((start, start))
    return spans


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _date_line(content: str) -> tuple[str, int, int, bool] | None:
    """(iso date, start, end, is_update) when the line states a publication date."""
    dates = find_dates(content)
    if not dates:
        return None
    match = dates[0]
    prefixed = bool(_PUBLISHED_PREFIX.match(content))
    rest = content[: match.start] + " " + content[match.end :]
    rest = _TIMEZONE.sub(" ", _DATE_LINE_FILLER.sub(" ", rest))
    if prefixed and _words(content) <= 16 or _words(rest) == 0:
        return match.iso, match.start, match.end, bool(_UPDATED.match(content))
    return None


def _opening_line(content: str, *, line_start: int) -> tuple[str, int, int, bool, bool] | None:
    """(iso date, start, end, is_update, stands_alone) when a line near the top opens with a
    dateline: alone ('Last updated at Apr 232017', '16.04.2017') or run on into the headline
    or body ('Sun 16 Apr 2017 Death toll ...'). ``line_start`` is the line's offset in the
    text: only the first ~80 characters of a text are searched for a dateline after a headline."""
    found = opening_date(content, reach=max(OPENING_REACH - line_start, -1))
    if found is None:
        return None
    rest = _TIMEZONE.sub(" ", _DATE_LINE_FILLER.sub(" ", content[found.end :]))
    alone = found.leads and _words(rest) == 0
    return found.iso, found.start, found.end, found.updated, alone


def _is_caption_by_slash(content: str) -> bool:
    """'Fighters on a ridge / twitter': short line ending in a slash and a source name."""
    return (
        _words(content) <= 25
        and bool(_SLASH_CREDIT.search(content))
        and not content.rstrip().endswith((".", "!", "?"))
    )


def classify_lines(
    original: str, *, settings: CleanSettings, title: str | None = None, structured: bool = False
) -> ClassifiedLines:
    """Classify every line of ``original``; empty lines are not returned.

    ``title`` is the title when already known (HTML metadata): a first line that repeats it
    is the title, and no other line is taken for one. ``structured`` says each line is already a block of the page (text that
    an HTML extractor produced): short lines are then list items, table cells or subheads of
    the article and stay in the body.
    """
    spans = _split_lines(original)
    nonempty = [index for index, (start, end) in enumerate(spans) if end > start]
    results: dict[int, tuple[str, str]] = {}
    published: list[tuple[int, str, int, int, bool]] = []
    opening: set[int] = set()  # body lines that open with the publication date
    tail_from = None

    for rank, index in enumerate(nonempty):
        start, end = spans[index]
        content = original[start:end]
        kind_reason = None
        if _words(content) <= _MAX_FURNITURE_WORDS:  # long paragraphs are never page furniture
            for kind, reason, pattern in _RULES:
                if pattern.search(content):
                    kind_reason = (kind, reason)
                    break
        if kind_reason and kind_reason[1] == "related_header":
            if (
                settings.drop_related_tail
                and tail_from is None
                and rank >= settings.related_tail_after * len(nonempty)
            ):
                tail_from = rank
        if kind_reason is None:
            dated = _date_line(content)
            near_edge = rank < 15 or rank >= len(nonempty) - 10
            if dated and (near_edge or _PUBLISHED_PREFIX.match(content)):
                published.append((index, *dated))
                kind_reason = ("meta", "date")
            elif not dated and rank < 15 and (leading := _opening_line(content, line_start=start)):
                iso, date_start, date_end, updated, alone = leading
                if alone:
                    published.append((index, iso, date_start, date_end, updated))
                    kind_reason = ("meta", "date")
                elif rank == 0 or start <= OPENING_REACH:
                    # The dateline runs on into the text: the date is read, the line stays.
                    published.append((index, iso, date_start, date_end, updated))
                    opening.add(index)
        if kind_reason is None and _is_caption_by_slash(content):
            kind_reason = ("caption", "caption")
        results[index] = kind_reason or ("body", "")

    # A short line touching a credit line ("Photo: AFP") is the photo's description.
    for position, index in enumerate(nonempty):
        if results[index] != ("caption", "photo_credit"):
            continue
        for neighbour in (index - 1, index + 1):
            if neighbour in results and results[neighbour][0] == "body" and not results[neighbour][1]:
                start, end = spans[neighbour]
                if _words(original[start:end]) <= 30:
                    results[neighbour] = ("caption", "caption")

    # The title: the first candidate line near the top (publication lines, credits and junk
    # passed over), when it reads like a headline: short, no final full stop.
    title_index = None
    if title is not None:
        for index in nonempty[:3]:
            start, end = spans[index]
            if _WHITESPACE.sub(" ", original[start:end]).casefold() == _WHITESPACE.sub(" ", title.strip()).casefold():
                results[index] = ("meta", "title")
                title_index = index
                break
    else:
        for index in nonempty[:3]:
            if results[index][0] != "body":
                continue
            start, end = spans[index]
            content = original[start:end]
            if _words(content) <= 30 and not content.endswith("."):
                results[index] = ("meta", "title")
                title_index = index
            break

    # A masthead: the outlet's name as a line of its own near the top ("Kyiv Ledger").
    for index in nonempty[:5]:
        start, end = spans[index]
        if results[index] == ("body", "") and _MASTHEAD.match(original[start:end]):
            results[index] = ("meta", "masthead")
            break

    # Headings: short lines without final punctuation between paragraphs; a line that runs on
    # into a lowercase next line is a wrapped paragraph, not a heading.
    for position, index in enumerate(nonempty):
        kind, reason = results[index]
        if kind != "body" or reason:
            continue
        start, end = spans[index]
        content = original[start:end]
        next_index = nonempty[position + 1] if position + 1 < len(nonempty) else None
        runs_on = (
            next_index == index + 1
            and original[spans[next_index][0] : spans[next_index][0] + 1].islower()
        )
        if structured:
            results[index] = ("body", "paragraph")
        elif _words(content) <= 14 and not _TERMINAL.search(content) and not runs_on:
            results[index] = ("meta", "heading")
        else:
            results[index] = ("body", "paragraph")

    if tail_from is not None:
        for index in nonempty[tail_from:]:
            if results[index][0] != "junk" or results[index][1] == "related_header":
                results[index] = ("junk", "related_tail" if index != nonempty[tail_from] else "related_header")

    lines = tuple(
        Line(spans[index][0], spans[index][1], results[index][0], results[index][1])
        for index in nonempty
    )
    by_index = dict(zip(nonempty, lines))
    return ClassifiedLines(
        lines=lines,
        published=[
            (by_index[index], iso, start, end, updated)
            for index, iso, start, end, updated in published
            if by_index[index].kind == "meta" or (index in opening and by_index[index].kind == "body")
        ],
        title=by_index.get(title_index) if title_index is not None else None,
    )
