"""Folding: the spelling-blind form names are compared in.

"al-Nusra", "Al Nusra", "el-Nusra" and "an-Nuṣra" fold to the same words; so do "Qalamoun" and
"Qalamun", "Jaysh" and "Jaish", "Hezbollah's" and "Hezbollah". The rules:

- diacritics dropped, case folded;
- apostrophes, ayn and hamza marks dropped; a possessive "'s" dropped with its apostrophe;
- hyphens and other punctuation separate words;
- an Arabic article joined by a hyphen (al-, el-, as-, ad-, ash-, az-, an-, ar-, at-, ul-) is "al";
- ou -> u, oo -> u, ee -> i, ay -> ai, ph -> f, and doubled letters single.

Places (issue 4) fold with the same function.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'’‘ʿʾ`´ʻʼ′"
# An initialism ("U.S.", "U.N.") is one word, as "US" and "UN" are; else letters and digits
# with inner apostrophes ("Hay'at") and a possessive ("Hezbollah's").
_WORD = re.compile(
    rf"(?<!\w)(?:[^\W\d_]\.){{2,}}|[^\W_]+(?:[{_APOSTROPHES}][^\W_]+)*[{_APOSTROPHES}]?", re.UNICODE
)
_ARTICLES = frozenset({"al", "el", "as", "ad", "ash", "az", "an", "ar", "at", "ath", "adh", "ul", "ud", "us", "es", "ed", "ez", "ech", "et"})
_HYPHENS = "-‐‑‒–—"
_SUBSTITUTIONS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ay", "ai"), ("ph", "f"))
_DOUBLE = re.compile(r"(\w)\1+")


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """The folded form of one word (no spaces in, none out; may be empty)."""
    decomposed = unicodedata.normalize("NFKD", word)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    for apostrophe in _APOSTROPHES:
        if letters.endswith(apostrophe + "s"):
            letters = letters[:-2]
        letters = letters.replace(apostrophe, "")
    for old, new in _SUBSTITUTIONS:
        letters = letters.replace(old, new)
    return _DOUBLE.sub(r"\1", letters)


def words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for every word of ``text``; offsets are into ``text``."""
    found = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        raw = match.group()
        if raw.endswith(".") and len(raw) >= 4 and raw[1] == ".":
            found.append((raw.replace(".", "").casefold(), start, end))
            continue
        follows = text[end : end + 1]
        if raw.casefold() in _ARTICLES and follows and follows in _HYPHENS:
            folded = "al"
        else:
            folded = fold_word(raw)
        if folded:
            found.append((folded, start, end))
    return found


def fold(text: str) -> str:
    """``text`` folded: its folded words joined by single spaces."""
    return " ".join(word for word, _, _ in words(text))
