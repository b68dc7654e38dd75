"""Actor mentions in text: knowledge-base phrases (longest match wins), case-sensitive
acronyms, generic state forces resolved by the article's country, "gunmen" and "civilians",
and "the group" / "the militants" / "the two sides" linked to the nearest compatible actor.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .fold import words
from .kb import Entry, KnowledgeBase

# Ranks of the ways a phrase can name an actor: curated names beat generated ones.
_RANK = {"alias": 0, "renaming": 0, "acronym": 1, "description": 2, "person": 3, "state_force": 4}

# Generic phrases, folded, resolved with the article's country.
_GENERIC_MILITARY = (
    "government forces", "pro government forces", "regime forces", "pro regime forces",
    "the army", "army troops", "the military", "government troops", "army units",
    "state forces", "loyalist forces", "the air force", "government warplanes",
)  # fmt: skip
_GENERIC_POLICE = ("the police", "security forces", "police forces", "policemen")
_UNIDENTIFIED = (
    "gunmen", "unidentified gunmen", "armed men", "unidentified armed men",
    "unidentified armed group", "unknown gunmen", "masked gunmen", "assailants",
    "unidentified assailants", "unknown assailants",
)  # fmt: skip
_CIVILIANS = ("civilians", "civilian", "residents", "villagers")
# Anaphors: phrase -> the actor types they can point to (ACLED inter codes).
_ANAPHORS = {
    "the group": (2, 3, 4), "the militant group": (2, 3, 4), "the militants": (2, 3, 4),
    "the jihadists": (2, 3, 4), "the jihadist group": (2, 3, 4), "the rebels": (2, 3),
    "the rebel group": (2, 3), "the insurgents": (2, 3), "the organization": (2, 3, 4),
    "the organisation": (2, 3, 4), "the movement": (2, 3, 4), "the militia": (3, 4),
    "the faction": (2, 3, 4), "the radical group": (2, 3, 4), "the terrorist group": (2, 3, 4),
    "the extremist group": (2, 3, 4), "the coalition": (2, 3, 8), "the alliance": (2, 3, 8),
    "the two sides": (1, 2, 3, 4, 8), "both sides": (1, 2, 3, 4, 8),
    "the two radical groups": (2, 3, 4), "the two groups": (2, 3, 4), "the two factions": (2, 3, 4),
}  # fmt: skip
_ANAPHOR_WINDOW = 600  # characters back to look for the antecedent
_ATTRIBUTION_BEFORE = re.compile(
    r"\b(?:according to|citing|quoting|quoted by|reported by|cited by|said by|sources? (?:close to|in|from)"
    r"|a statement (?:by|from)|spokesm[ae]n (?:for|of))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ATTRIBUTION_AFTER = re.compile(r"^['’]?s?\s+(?:told|tells)\b", re.IGNORECASE)
# What may stand between two words of one name: spaces, hyphens, quotes, "&"
_JOINS = re.compile(r"[\s\-‐‑‒–—'’‘`´&]*")


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One mention of an actor: where, what, and why it resolved as it did."""

    start: int
    end: int
    text: str
    actor_id: str | None
    name: str | None
    actor_type: int | None
    kind: str  # armed | political | claimant | person | civilians | unidentified
    how: str  # alias | acronym | description | renaming | person | state_force | generic | anaphor
    person: str | None = None
    country: str | None = None
    # Named as the source of a statement ("according to X", "citing X", "X told ..."): a
    # claimant in that sentence, whatever part it had in the events.
    attribution: bool = False

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


def _fold_keys(phrases) -> dict[tuple[str, ...], str]:
    from .fold import fold

    return {tuple(fold(p).split()): p for p in phrases}


_GENERIC_MILITARY_KEYS = _fold_keys(_GENERIC_MILITARY)
_GENERIC_POLICE_KEYS = _fold_keys(_GENERIC_POLICE)
_UNIDENTIFIED_KEYS = _fold_keys(_UNIDENTIFIED)
_CIVILIAN_KEYS = _fold_keys(_CIVILIANS)
_ANAPHOR_KEYS = {key: _ANAPHORS[phrase] for key, phrase in _fold_keys(_ANAPHORS).items()}


class ActorMatcher:
    """Finds actor mentions with one knowledge base; build once per process."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._trie: dict = {}
        for key, entries in kb.phrases.items():
            self._insert(key, ("kb", tuple(sorted(entries, key=lambda e: _RANK[e.how]))))
        for key in _GENERIC_MILITARY_KEYS:
            self._insert(key, ("generic", "military"), weak=True)
        for key in _GENERIC_POLICE_KEYS:
            self._insert(key, ("generic", "police"), weak=True)
        for key in _UNIDENTIFIED_KEYS:
            self._insert(key, ("unidentified", None), weak=True)
        for key in _CIVILIAN_KEYS:
            self._insert(key, ("civilians", None), weak=True)
        for key, types in _ANAPHOR_KEYS.items():
            self._insert(key, ("anaphor", types), weak=True)
        for key, code in kb.country_words.items():
            self._insert(key, ("country", code), weak=True)
        acronyms = sorted(kb.acronyms, key=len, reverse=True)
        self._acronyms = (
            re.compile(r"(?<![\w.&-])(" + "|".join(re.escape(a) for a in acronyms) + r")(?![\w&])")
            if acronyms
            else None
        )

    def _insert(self, key: tuple[str, ...], value, *, weak: bool = False) -> None:
        node = self._trie
        for word in key:
            node = node.setdefault(word, {})
        if weak and None in node:
            return  # a knowledge-base phrase of the same words wins
        node[None] = value

    def _longest(self, folded: list[tuple[str, int, int]], text: str):
        """(start index, end index, value) of the longest trie matches, left to right.

        A phrase never spans punctuation ("Syria, government forces" is not "Syria's
        government forces"), and an "al" inside it may be left out ("the al-Nusra-led
        coalition" is "the Nusra-led coalition"), so both readings are followed."""
        position = 0
        root = self._trie
        while position < len(folded):
            if folded[position][0] not in root:
                position += 1  # no phrase starts with this word (most words)
                continue
            active, best = [root], None
            for index in range(position, len(folded)):
                if index > position and not _JOINS.fullmatch(text[folded[index - 1][2] : folded[index][1]]):
                    break
                word = folded[index][0]
                consumed = [node[word] for node in active if word in node]
                ends = [node[None] for node in consumed if None in node]
                if ends:
                    best = (index + 1, ends[0])
                # An "al" may also be passed over, its phrase going on at the next word.
                active = consumed + (active if word == "al" and index > position else [])
                if not active:
                    break
            if best is None:
                position += 1
                continue
            yield position, best[0], best[1]
            position = best[0]

    def find(self, text: str, *, focus: str | None = None) -> list[ActorMention]:
        """Every actor mention in ``text``, in order, resolved. ``focus`` (ISO alpha-2) is the
        article's country when the caller knows it from elsewhere (its places); the actors
        and countries the text names come first."""
        folded = words(text)
        raw: list[tuple[int, int, tuple]] = []
        for first, last, value in self._longest(folded, text):
            raw.append((folded[first][1], folded[last - 1][2], value))
        if self._acronyms is not None:
            taken = [(start, end) for start, end, _ in raw]
            for match in self._acronyms.finditer(text):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                entries = tuple(self.kb.acronyms[match.group()])
                raw.append((start, end, ("kb", entries)))
        raw.sort(key=lambda item: item[0])

        # Country names are proper nouns: "a car bomb" does not name the Central African
        # Republic ("CAR").
        raw = [
            item for item in raw
            if item[2][0] != "country" or (
                any(c.isupper() for c in text[item[0] : item[1]])
                # "a Britain-based monitor" says where the monitor sits, not the story
                and not re.match(r"[-‐‑]\s*based\b", text[item[1] : item[1] + 8])
            )
        ]
        countries = Counter(value[1] for _, _, value in raw if value[0] == "country")
        for _, _, value in raw:
            if value[0] == "kb":
                for country in self.kb.actors[value[1][0].actor_id].countries[:1]:
                    countries[country] += 0.5
        focus = countries.most_common(1)[0][0] if countries else focus

        mentions: list[ActorMention] = []
        for start, end, (what, payload) in raw:
            attribution = bool(
                _ATTRIBUTION_BEFORE.search(text[max(0, start - 40) : start])
                or _ATTRIBUTION_AFTER.match(text[end : end + 30])
            )
            surface = text[start:end]
            if what == "kb":
                mentions.append(self._from_entry(self._choose(payload, focus), start, end, surface, attribution))
            elif what == "generic" and focus:
                actor = self.kb.state_force(focus, police=payload == "police")
                if actor is not None:
                    mentions.append(ActorMention(start, end, surface, actor.id, actor.name, 1, "armed", "generic", country=focus))
            elif what == "unidentified":
                suffix = f" ({self.kb.country_name(focus)})" if focus else ""
                mentions.append(ActorMention(start, end, surface, "unidentified_armed_group", f"Unidentified Armed Group{suffix}", 3, "unidentified", "generic", country=focus))
            elif what == "civilians":
                suffix = f" ({self.kb.country_name(focus)})" if focus else ""
                mentions.append(ActorMention(start, end, surface, "civilians", f"Civilians{suffix}", 7, "civilians", "generic", country=focus))
            elif what == "anaphor":
                mentions.extend(self._antecedents(mentions, start, end, surface, payload))
        return mentions

    def _choose(self, entries: tuple[Entry, ...], focus: str | None) -> Entry:
        """Of the actors one phrase can name ("SNA": Syria's or Somalia's), the one of the
        best kind that operates in the article's country."""
        best = _RANK[entries[0].how]
        candidates = [entry for entry in entries if _RANK[entry.how] == best]
        if focus and len(candidates) > 1:
            for entry in candidates:
                if focus in self.kb.actors[entry.actor_id].countries:
                    return entry
        return candidates[0]

    def _from_entry(self, entry: Entry, start: int, end: int, surface: str, attribution: bool) -> ActorMention:
        actor = self.kb.actors[entry.actor_id]
        kind = "person" if entry.how == "person" else actor.kind
        return ActorMention(
            start, end, surface, actor.id, actor.name, actor.actor_type, kind, entry.how,
            person=entry.person, country=actor.countries[0] if actor.countries else None,
            attribution=attribution,
        )

    @staticmethod
    def _antecedents(mentions: list[ActorMention], start: int, end: int, surface: str, types) -> list[ActorMention]:
        """The nearest compatible actors before an anaphor (two for "the two sides")."""
        wanted = 2 if surface.lower().startswith(("the two", "both")) else 1
        found: list[ActorMention] = []
        for mention in reversed(mentions):
            if start - mention.end > _ANAPHOR_WINDOW:
                break
            if mention.kind in ("armed", "political", "person") and mention.actor_type in types:
                if all(m.actor_id != mention.actor_id for m in found):
                    found.append(mention)
                if len(found) == wanted:
                    break
        return [
            ActorMention(start, end, surface, m.actor_id, m.name, m.actor_type, "armed" if m.kind == "person" else m.kind, "anaphor", country=m.country)
            for m in found
        ]
