"""Cheap similarity measures the grouping uses: token sets, shingles, Jaccard, distances.

No model and no corpus statistics: a token set is the lowercased ``\\w+`` words of a text
minus a short stopword list, so the same text always gives the same set, whatever else is in
the corpus (which keeps incremental grouping equal to grouping everything at once).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
import zlib
from collections.abc import Iterable, Set

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:['’][a-z]+)?\b")

# Function words and the vocabulary every conflict or crime report shares: they say nothing
# about which incident a report tells.
STOPWORDS = frozenset(
    """
    a about after again against all also an and any are around as at be been before being
    between both but by can could did do does during each from further had has have having he
    her here hers him his how i if in into is it its itself just me more most my no nor not
    now of off on once only or other our out over own same she should so some such than that
    the their theirs them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your said says
    say told according news report reports reported reporting one two three four five six
    seven eight nine ten first second last new year years day days time people man men woman
    women police officers officer killed kill killing wounded injured shot shooting shootings
    dead death died attack attacks fire fired gun guns gunman gunmen weapon hospital victim
    victims suspect suspects incident scene morning afternoon evening night tonight today
    yesterday monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december am pm mr mrs ms
    """.split()
)

# Capitalised words that begin sentences or name days and months: not names of people or places.
_NOT_NAMES = STOPWORDS | frozenset(
    "the a an he she it they we i this that his her police officials authorities".split()
)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """Casefolded, accents stripped: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    # No ASCII character is a combining mark, so only the non-ASCII runs are filtered: the
    # per-character loop then covers a few characters instead of a whole document.
    return _NON_ASCII.sub(_without_marks, decomposed)


def _without_marks(match: re.Match[str]) -> str:
    return "".join(ch for ch in match.group() if not unicodedata.combining(ch))


def content_tokens(text: str | None) -> frozenset[str]:
    """The set of folded words of ``text`` that are not stopwords (nor 1-character)."""
    if not text:
        return frozenset()
    return frozenset(word for word in _WORD.findall(fold(text)) if len(word) > 1 and word not in STOPWORDS)


def name_tokens(text: str | None) -> frozenset[str]:
    """Folded capitalised words (names of people, streets, towns, groups) of ``text``.

    Rare words that identify an incident: a victim's surname, a street, a town."""
    if not text:
        return frozenset()
    return frozenset(word for word in fold(" ".join(_CAPITALISED.findall(text))).split() if word not in _NOT_NAMES)


@functools.lru_cache(maxsize=4096)
def shingles(text: str | None, size: int = 4) -> frozenset[int]:
    """CRC-32 hashes of the ``size``-word shingles of ``text`` (folded words, stopwords
    kept): two copies of one wire story share most of them."""
    if not text:
        return frozenset()
    words = _WORD.findall(fold(text))
    if len(words) < size:
        return frozenset([_crc(" ".join(words))]) if words else frozenset()
    return frozenset(_crc(" ".join(words[i : i + size])) for i in range(len(words) - size + 1))


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def jaccard(a: Set, b: Set) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 when both are empty."""
    if not a or not b:
        return 0.0
    # The intersection is counted in C (the smaller set is walked): grouping scores this
    # hundreds of thousands of times on sets of hundreds of words.
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def containment(a: Set, b: Set) -> float:
    """|a ∩ b| / min(|a|, |b|): how much of the shorter set the longer one holds."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def day_number(iso: str | None) -> int | None:
    """An ISO date (``YYYY-MM-DD``, or a ``YYYY-MM`` / ``YYYY`` prefix: its first day) as a
    proleptic ordinal; None when absent or malformed."""
    if not iso:
        return None
    parts = iso[:10].split("-")
    try:
        numbers = [int(part) for part in parts] + [1, 1]
        return dt.date(numbers[0], numbers[1], numbers[2]).toordinal()
    except (ValueError, IndexError):
        return None


def cosine(a: Iterable[float], b: Iterable[float]) -> float:
    """Cosine similarity of two vectors; 0.0 when either is all zeros."""
    a, b = list(a), list(b)
    dot = sum(x * y for x, y in zip(a, b))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
