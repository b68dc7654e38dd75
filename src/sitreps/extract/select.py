"""Selective parsing: the model sees only the sentences extraction can use.

Events come only from sentences with a trigger (a word whose lemma is in
:data:`.triggers.LEMMAS`, or a phrase of :data:`.triggers.PHRASES`) and claims only from
sentences with a casualty word and a number (the claim reader's own test), so the
statistical pipeline has nothing to give the other sentences. :func:`select_text` splits a
clean text into sentences with a cheap regular expression and keeps

- every sentence where a word can be a trigger lemma by the regular English suffixes (and
  a few irregular forms), or a trigger phrase matches, or the claim test passes. This is
  tighter than ``events._PREFILTER``, whose stems also match inside words ("over" in
  "government", "count" in "country") and pass nine sentences in ten of a conflict report;
  a sentence it lets through without a trigger word gives no event anyway,
- the sentence before each kept one (claimants carry over: "The monitor said so. It added
  that 12 were killed"),
- the opening: the first sentence and any that starts in the first 80 characters, where
  extraction looks for the dateline's place,

and returns a text of the **same length** in which every other sentence is a full stop and
spaces (newlines are kept, so paragraphs stay where they were). Every character offset of the
model's Doc is therefore an offset of the clean text, and a blanked sentence is two tokens
that cost the model next to nothing. :func:`selection_doc` sets the sentence boundaries
around the blanks, so each blanked sentence is one empty sentence of the Doc.

What extraction takes from the whole text still comes from the whole text: time mentions
(``find_time_mentions`` scans ``document.text``), curated place names (``events.py`` scans
``document.text``) and actor mentions, which the actor component finds in the whole text
that :func:`selection_doc` hands it with the Doc (anaphors need what came before); only the
mentions in kept sentences become entities for the NER.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import triggers as T
from .claims import _PREFILTER_KIND, _PREFILTER_NUMBER

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# A sentence ends at . ! ? (closing quotes and brackets included) before a space and a
# capital, a digit or an opening quote; not after a title, a month or an initial.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Cpt|Sgt|Cpl|Adm|Brig|Cmdr|Gov|Sen|Rep|Rev|"
    r"St|Jr|Sr|No|Nos|Vol|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|etc|vs|al)"
    r"|\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z])$"
)


_MARK = "."  # the stand-in of a blanked sentence
_OPENING = 80  # characters: events.py takes the dateline's place from this far in


@dataclass(frozen=True, slots=True)
class Selection:
    """The text the model is given and what was kept of the clean text.

    ``text`` has the length of the source text; ``sentences`` are the (start, end) offsets of
    every sentence found, ``kept`` those given to the model."""

    text: str
    sentences: tuple[tuple[int, int], ...]
    kept: tuple[tuple[int, int], ...]

    @property
    def share(self) -> float:
        """The share of sentences the model sees (1.0 for an empty text)."""
        return len(self.kept) / len(self.sentences) if self.sentences else 1.0


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` as (start, end) offsets, surrounding whitespace left out: each
    line is split after sentence-final punctuation. Cheap and approximate; a missed boundary
    only keeps more text for the model."""
    sentences: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        start = 0
        for match in _END.finditer(line):
            if _ABBREVIATION.search(line, 0, match.start()) and match.group().startswith(".") and len(match.group()) == 1:
                continue
            _append(sentences, line, line_start, start, match.end())
            start = match.end()
        _append(sentences, line, line_start, start, len(line))
    return sentences


def _append(sentences: list[tuple[int, int]], line: str, offset: int, start: int, end: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    left = start + len(piece) - len(piece.lstrip())
    sentences.append((offset + left, offset + left + len(stripped)))


# Past forms of trigger lemmas that no suffix rule gives.
_IRREGULAR = {"fought": "fight", "shot": "shoot", "overran": "overrun", "retook": "retake", "retaken": "retake", "dying": "die"}
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _lemmas_of(word: str) -> set[str]:
    """The lemmas an English word form can have, by the regular suffix rules (a superset:
    "bombs" gives "bomb" and "bombs"); irregular forms from :data:`_IRREGULAR`."""
    lemmas = {word}
    if word in _IRREGULAR:
        lemmas.add(_IRREGULAR[word])
    for suffix, replacements in (("ies", ("y",)), ("ied", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ed", ("", "e")), ("d", ("",)), ("ing", ("", "e"))):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)]
            lemmas.update(stem + r for r in replacements)
            if suffix in ("ed", "ing") and len(stem) > 2 and stem[-1] == stem[-2]:
                lemmas.add(stem[:-1])  # stabbed, kidnapping, repelled
    return lemmas


def has_trigger(sentence: str) -> bool:
    """A word of ``sentence`` can be a trigger lemma of :mod:`.triggers`, or a trigger
    phrase matches: the sentence may hold an event (what ``_sentence_hits`` looks for)."""
    for word in _WORD.findall(sentence.lower()):
        for part in {word, *word.split("-")}:
            if not _lemmas_of(part).isdisjoint(T.LEMMAS):
                return True
    return any(pattern.search(sentence) for pattern, _ in T.PHRASES)


def has_figure(sentence: str) -> bool:
    """The sentence can hold a casualty figure (the claim reader's own test)."""
    return bool(_PREFILTER_KIND.search(sentence) and _PREFILTER_NUMBER.search(sentence))


def worth_parsing(sentence: str) -> bool:
    """The sentence can give extraction something: a trigger or a casualty figure."""
    return has_trigger(sentence) or has_figure(sentence)


def select_text(text: str) -> Selection:
    """The text to give the model: ``text`` with the sentences not worth parsing blanked
    (same length, newlines kept). See the module docstring for what is kept."""
    sentences = split_sentences(text)
    if not sentences:
        return Selection(text, (), ())
    keep = [False] * len(sentences)
    for index, (start, end) in enumerate(sentences):
        if index == 0 or start < _OPENING or worth_parsing(text[start:end]):
            keep[index] = True
            if index:
                keep[index - 1] = True
    kept = tuple(span for span, flag in zip(sentences, keep) if flag)
    if len(kept) == len(sentences):
        return Selection(text, tuple(sentences), kept)
    dropped = [span for span, flag in zip(sentences, keep) if not flag]
    return Selection(blank(text, dropped), tuple(sentences), kept)


def blank(text: str, dropped: list[tuple[int, int]]) -> str:
    """``text`` with each ``dropped`` sentence turned into a full stop and spaces: same
    length, same offsets, newlines kept. The stop is the sentence's stand-in, so the model's
    Doc has one (empty) sentence where the text had one (extraction counts sentences to
    decide what continues an event)."""
    chars = list(text)
    for start, end in dropped:
        chars[start] = _MARK
        chars[start + 1 : end] = " " * (end - start - 1)
    return "".join(chars)


def selection_doc(nlp: Language, selection: Selection, *, text: str | None = None) -> Doc:
    """The tokenized, not yet annotated Doc of ``selection.text``, with the sentence
    boundaries of the blanked stretches set, which the parser keeps: each stand-in starts a
    sentence of its own, its blank is part of it, and the kept sentence after it starts anew
    (otherwise the blank would join the sentence before, and that sentence's span would
    cover text the model never saw).

    ``text``, the whole text the selection was made from, goes with the Doc to the actor
    component, which finds the actor mentions in all of it (anaphors and the article's
    country need what was blanked) and makes entities of those in the kept sentences."""
    doc = nlp.make_doc(selection.text)
    if text is not None:
        from ..actors.component import WHOLE_TEXT

        doc.user_data[WHOLE_TEXT] = text
    kept = set(selection.kept)
    kept_starts = {start for start, _ in kept}
    blank_ends = {start: end for start, end in selection.sentences if (start, end) not in kept}
    inside_until = -1  # end of the blank the tokens are in
    after_blank = False
    for token in doc:
        if token.idx in blank_ends:
            token.is_sent_start = True
            inside_until = blank_ends[token.idx]
            after_blank = True
        elif token.is_space and token.idx < inside_until:
            token.is_sent_start = False
        elif not token.is_space and after_blank:
            if token.idx in kept_starts:
                token.is_sent_start = True
            after_blank = False
    return doc


def parse_selectively(nlp: Language, text: str) -> tuple[Doc, Selection]:
    """``nlp`` over the selected sentences of ``text``: the Doc (its text the blanked copy,
    its actor mentions those of the whole text) and the selection. What ``sitreps run`` does
    document by document with ``extract.selective_parse`` on."""
    selection = select_text(text)
    if selection.text is text:
        return nlp(text), selection
    return nlp(selection_doc(nlp, selection, text=text)), selection
