"""Events: detection, typing, arguments and claims of one document.

How a document becomes events (each step is documented where it is done):

1. **Sentences worth parsing.** A cheap lexical test (a trigger word or a casualty number)
   picks the sentences; the rest are never looked at again.
2. **Triggers** (:mod:`.triggers`): lemmas and phrases that tell an action. Context triggers
   are typed by what surrounds them: an attack on a market is violence against civilians, an
   attack on an army post a battle; capturing a town is territory, capturing fighters an
   arrest. Hypothetical, negated and future mentions are dropped.
3. **One event per action, place and date.** Triggers of one ACLED type in one sentence are
   one event unless they have different places or dates (several villages with separate
   dates are separate events); events of different types stay apart (a clash, and the
   arrests made in it). A following sentence that adds no new place or date to an event of
   the same type continues it ("The clashes continued until midnight").
4. **Arguments.** Actors from the actor layer, with roles from the dependency parse
   (subject and "by" agent: initiator; object, "against"/"on" and passive subject: target;
   "between X and Y": other), falling back on word order. Sources of statements are
   claimants, not actors. The place: the nearest resolved place in the clause, else in the
   sentence, else before it in the paragraph, else the dateline, else the article's country
   (precision 3). The date: by :func:`sitreps.times.choose_event_date`.
5. **Claims** (:mod:`.claims`) attach to the event of their sentence (the nearest trigger),
   else to the event just told; a casualty figure with no event becomes one, typed by its
   victims. Cumulative statistics are never events.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..records import ActorRef, Claim, Document, Event, EventDate, Evidence, Location
from ..times import TimeMention, choose_event_date, find_time_mentions
from . import triggers as T
from .claims import doc_text, find_claims, span_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..config import Settings
    from ..places.geoparse import Geoparser, PlaceMention

logger = logging.getLogger(__name__)

# Cheap test for sentences worth a look: any trigger stem, or a digit / number word near a
# casualty word. Lower-case stems; built from the lexicon so the two never drift apart.
_STEMS = sorted({lemma[:5] for lemma in T.LEMMAS} | {
    "suicide", "bomb", "mine", "ied", "strike", "raid", "warplane", "jet", "drone", "missile", "rocket",
    "mortar", "artiller", "shell", "control", "took", "taken", "captive", "hostage", "fire", "gunned", "shot",
    "deal", "agree", "accord", "talks", "negotiat", "war", "base", "headquarter", "allegiance", "torch", "burn",
    "tear gas", "withdr", "dead", "toll", "casualt", "bodies", "missing", "trapped", "prisoner", "seiz", "over",
    "advanc", "pushed", "blew", "blast",
})  # fmt: skip


def _any_stem(stems: Sequence[str]) -> str:
    """A pattern found in a text exactly when one of ``stems`` is: the stems as a tree of
    shared prefixes ("a(?:bduc|ccord|...)"), which the regex engine tries far faster than
    a flat alternation of a hundred words. A stem that another begins with ends its branch
    (the longer stem adds nothing to a search)."""
    tree: dict = {}
    for stem in stems:
        node = tree
        for char in stem:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        if "" in node:
            return ""
        options = [re.escape(char) + branch(child) for char, child in sorted(node.items())]
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return branch(tree)


# Only whether it is found matters (sentences without any stem are skipped).
_PREFILTER = re.compile(_any_stem(_STEMS), re.IGNORECASE)
_SPEECH = {"say", "claim", "announce", "report", "tell", "reveal", "state", "add", "confirm", "deny", "accuse", "allege", "quote", "cite", "warn", "declare"}
_REPORTED_OBJECTS = re.compile(r"^\W*(?:a |the |its |their )?(?:statement|video|footage|report|recording|photos?|images?|figures|data|list|details|names|communiqu|audio|message)", re.I)
_SHOT_DOWN = re.compile(r"\bshot down\b|\bshoot down\b", re.I)
_SPEECH_EVENTS = {"war", "truce", "ceasefire", "jihad", "mobilisation", "mobilization", "emergency", "curfew", "independence"}
_CONTROL_ROOTS = {"be", "seem", "remain", "consider", "become", "appear", "mean", "represent"}
_ROLE_DEPS = {"nsubj": "initiator", "csubj": "initiator", "agent": "initiator", "nsubjpass": "target", "dobj": "target", "poss": "initiator"}
_TARGET_PREPS = {"against", "on", "at", "targeting", "upon", "into"}
_ACTOR_KINDS = {"armed", "political", "person", "unidentified", "civilians"}
_SOLDIERS = re.compile(r"\b(?:soldiers?|troops|servicem[ae]n|policem[ae]n|police officers?|officers?|guards?|personnel|army)\b", re.I)
_REMOTE_VERBS = re.compile(
    r"\b(?:fir(?:e|ed|es|ing)|hit|hits|struck|strike|pound(?:ed|ing)?|shell(?:ed|ing)|launch(?:ed|ing)?|target(?:ed|ing)?|"
    r"rain(?:ed)?|land(?:ed)?|slam(?:med)?|crash(?:ed)?|kill(?:ed|ing)?|wound(?:ed|ing)?|destroy(?:ed)?|damag(?:ed|ing)|crush(?:ed)?|bombard(?:ed)?|attack(?:ed)?)\b",
    re.I,
)
_AGREEMENT_VERBS = re.compile(r"\b(?:agree|agreed|reach|reached|sign|signed|broker|brokered|announc\w*|into effect|under (?:an?|the)|accept\w*|struck)\b", re.I)
_MAX_MERGE_GAP = 2
_REGION_REACH_KM = 75  # how far from a region's reference point a place can still lie in it
_INTENT = {"prepare", "plan", "threaten", "vow", "want", "seek", "call", "demand", "fear", "warn", "expect", "consider", "propose", "urge", "avoid", "prevent"}
_MUTUAL = {"clash", "fight", "battle", "engage", "skirmish"}  # sentences between an event and the one that continues it


@dataclass
class _Hit:
    start: int
    end: int
    token: Any  # spaCy Token or None for phrases without one
    type: str
    subtype: str
    strength: str
    demoted: bool = False  # a noun told about, not reported: it may continue an event, never start one


@dataclass
class _Draft:
    type: str
    subtype: str
    strength: str
    sentence_index: int
    sentences: list[tuple[int, int]]
    hits: list[_Hit]
    paragraph: tuple[int, int]
    actors: dict[str, ActorRef] = field(default_factory=dict)
    place: Any = None  # PlaceMention
    place_own: bool = False  # told in the event's own sentence
    context_place: Any = None  # PlaceMention: where the text around it is, when it names none
    date: TimeMention | None = None
    date_value: Any = None
    date_own: bool = False
    dates: list = field(default_factory=list)  # every day-precise date told of it
    claims: list[Any] = field(default_factory=list)  # ClaimMention

    @property
    def anchor(self) -> int:
        return self.hits[0].start if self.hits else self.sentences[0][0]


def _sentence_hits(sent: Span) -> list[_Hit]:
    """Trigger mentions of one sentence: lemmas first, then phrases not already covered."""
    hits: list[_Hit] = []
    for token in sent:
        lemma, lower = token.lemma_.lower(), token.lower_
        # Most words are in no entry of the lexicon: they are passed over before their part
        # of speech and tag are read.
        if lemma not in T.LEMMAS and lower not in T.LEMMAS:
            continue
        pos = token.pos_
        participle = pos == "ADJ" and token.tag_ == "VBN"
        trigger = T.lemma_trigger(lemma, pos, participle=participle) or T.lemma_trigger(lower, pos, participle=participle)
        if trigger is None:
            continue
        hits.append(_Hit(token.idx, token.idx + len(token), token, trigger.type, trigger.subtype, trigger.strength + ":" + (trigger.rule or "")))
    text, offset = span_text(sent), sent.start_char
    doc = sent.doc
    phrases = T.PHRASES if T.ANY_PHRASE.search(text) else ()  # most sentences have none
    for pattern, trigger in phrases:
        for match in pattern.finditer(text):
            start, end = offset + match.start(), offset + match.end()
            if any(h.start < end and start < h.end for h in hits):
                # A phrase names the same words a lemma did ("car bomb" over "bomb"): the
                # phrase is more specific, so it replaces them.
                if trigger.strength == "strong":
                    hits = [h for h in hits if not (h.start < end and start < h.end)]
                else:
                    continue
            span = doc.char_span(start, end, alignment_mode="expand")
            token = span.root if span is not None and len(span) else None
            hits.append(_Hit(start, end, token, trigger.type, trigger.subtype, trigger.strength + ":" + (trigger.rule or "")))
    hits.sort(key=lambda h: h.start)
    return hits


_MEANT_TO = re.compile(r"\b(?:supposed|meant|designed) to\s+(?:\w+\s+){0,5}$", re.I)
_MODAL_BEFORE = re.compile(
    r"\b(?:will|would|could|might|threaten\w* to|plan\w* to|vow\w* to|intend\w* to|if|unless|fear\w* (?:of )?(?:a |an )?)\s+(?:\w+\s+){0,3}$",
    re.I,
)


def _hypothetical(hit: _Hit, sent: Span) -> bool:
    """A trigger that is negated, conditional, future or an intention, not a report."""
    token = hit.token
    if token is not None:
        chain = [token, *itertools.islice(token.ancestors, 2)]
        for item in chain:
            for child in item.children:
                if child.dep_ == "neg":
                    return True
                if child.dep_ == "aux" and child.lower_ == "to" and item is token:
                    return True  # "to fight", "in order to capture": a purpose, not a report
                if child.dep_ == "aux" and child.lower_ in ("will", "would", "could", "might", "may", "shall", "should", "must", "'ll", "wo", "ca"):
                    return True
            if item.lemma_ in ("accuse", "allege", "blame", "suspect", "deny") and item is not token:
                return True  # "accused of killing rebels": an allegation, not a report
            if item.dep_ == "xcomp" and item.head.lemma_ in ("threaten", "plan", "vow", "intend", "want", "try", "seek", "hope", "prepare", "aim", "fail", "refuse"):
                return True
        if token.tag_ == "VB" and token.dep_ == "xcomp":
            return True
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "pobj") and token.head.lemma_ in _INTENT:
            return True  # "preparing an offensive", "threatened an attack", "called for a strike"
    before = doc_text(sent.doc)[max(sent.start_char, hit.start - 45) : hit.start]
    if _MEANT_TO.search(before):
        return True  # "was supposed to be shielded from a major offensive"
    return bool(_MODAL_BEFORE.search(before))


def _object_text(hit: _Hit, sent: Span) -> str:
    """What the trigger acts on: its object's words, else the few words after it."""
    token = hit.token
    if token is not None:
        clause = _relative_clause(token)
        if clause is not None and not any(c.dep_ == "dobj" and c.lower_ not in ("that", "which", "who", "whom") for c in clause.children):
            # "the soldiers that ISIS took captive": the object is the noun the clause describes
            head = clause.head
            return doc_text(sent.doc)[head.left_edge.idx : head.idx + len(head)]
        for child in token.children:
            if child.dep_ in ("dobj", "attr", "oprd") or (child.dep_ == "prep" and child.lower_ in _TARGET_PREPS | {"of"}):
                return doc_text(sent.doc)[child.left_edge.idx : child.right_edge.idx + len(child.right_edge)]
        if token.dep_ in ("nsubjpass",) or any(c.dep_ == "auxpass" for c in token.children):
            subject = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
            if subject is not None:
                return doc_text(sent.doc)[subject.left_edge.idx : subject.right_edge.idx + len(subject.right_edge)]
    return doc_text(sent.doc)[hit.end : min(sent.end_char, hit.end + 60)]


def _relative_clause(token: Token) -> Token | None:
    """The verb of the relative clause the trigger is in, if it is one."""
    for item in (token, *itertools.islice(token.ancestors, 2)):
        if item.dep_ == "relcl":
            return item
    return None


def _type_hit(hit: _Hit, sent: Span, mentions: list[dict]) -> tuple[str, str] | None:
    """The type and sub-event type of a context trigger, or None when it is no event."""
    strength, _, rule = hit.strength.partition(":")
    text = span_text(sent)
    if rule == "attack":
        target = _object_text(hit, sent)
        civilians = T.CIVILIAN_TARGETS.search(target) and not _SOLDIERS.search(target)
        if civilians:
            # "attacks against Jaysh al-Fateh capturing three villages": an armed actor is the
            # target, whatever else the phrase names.
            start = doc_text(sent.doc).find(target, hit.start) if target else -1
            if start >= 0 and any(
                start <= m["start"] < start + len(target) and m.get("kind") == "armed" for m in mentions
            ):
                civilians = False
        for pattern, subtype in T.EXPLOSIVE_CONTEXT:
            if pattern.search(text):
                return T.EXPLOSIONS, subtype
        if civilians:
            return T.VAC, "attack"
        return T.BATTLES, "armed_clash"
    if rule == "capture":
        target = _object_text(hit, sent)
        ground = T.GROUND.search(target)
        people = T.PEOPLE.search(target)
        if people and not (ground and ground.start() < people.start()):
            return _captured_people(hit, sent, target, mentions)
        if not ground and not re.search(r"\b[A-Z][a-z]", target):
            return None  # neither ground nor a named place: nothing to say it was territory
        return T.BATTLES, "territory"  # decided with the actors: who took it
    if rule == "agreement":
        if T.NEGOTIATION.search(text):
            return T.STRATEGIC, "negotiation"
        if not _AGREEMENT_VERBS.search(text):
            return None  # "the truce collapsed", "violated the ceasefire": no agreement made
        return T.STRATEGIC, "agreement"
    if rule == "abduct":
        target = _object_text(hit, sent)
        if _SOLDIERS.search(target) and not T.CIVILIAN_TARGETS.search(target):
            return T.STRATEGIC, "abduction_forced_disappearance"
        return T.VAC, "abduction_forced_disappearance"
    if rule == "arrest":
        return T.STRATEGIC, "arrests"
    if rule == "release":
        if _REPORTED_OBJECTS.match(doc_text(sent.doc)[hit.end : hit.end + 40]) or _REPORTED_OBJECTS.match(_object_text(hit, sent)):
            return None
        token = hit.token
        if token is not None and token.dep_ in ("acl", "relcl", "amod") and _REPORTED_OBJECTS.match(token.head.text):
            return None  # "a video released by the group"
        return T.STRATEGIC, "release"
    if rule == "explosion" or rule == "bomb":
        for pattern, subtype in T.EXPLOSIVE_CONTEXT:
            if pattern.search(text):
                return T.EXPLOSIONS, subtype
        return T.EXPLOSIONS, "air_drone_strike" if rule == "bomb" else "remote_explosive_landmine_ied"
    if rule == "remote":
        # "rockets" alone is an arsenal; fired, hit, pounded ... make it an attack.
        if not _REMOTE_VERBS.search(text) or re.search(r"\bexchanges? of\b", text, re.I):
            return None  # an arsenal, or the fire two sides exchanged in a battle
        return T.EXPLOSIONS, "shelling_artillery_missile_attack"
    if rule == "shoot":
        if _SHOT_DOWN.search(text[max(0, hit.start - sent.start_char - 5) : hit.end - sent.start_char + 10]):
            return None
        target = _object_text(hit, sent)
        if _SOLDIERS.search(target) or re.search(r"\b(?:militants?|fighters?|rebels?)\b", target, re.I):
            return T.BATTLES, "armed_clash"
        return T.VAC, "attack"
    if rule == "burn":
        if re.search(r"\b(?:riot\w*|protest\w*|demonstrat\w*|mobs?)\b", text, re.I):
            return None  # fire set in a riot is the riot's
        return T.STRATEGIC, "looting_property_destruction"
    if rule == "protest":
        if re.search(r"\b(?:tear gas|dispers\w+|live (?:fire|ammunition)|rubber bullets|water cannon)\b", text, re.I):
            return T.PROTESTS, "protest_with_intervention"
        if re.search(r"\b(?:stones?|rocks?|torched|set fire|loot\w*|clash\w* with (?:police|security))\b", text, re.I):
            return T.RIOTS, "violent_demonstration"
        return T.PROTESTS, "peaceful_protest"
    return hit.type, hit.subtype


def _captured_people(hit: _Hit, sent: Span, target: str, mentions: list[dict]) -> tuple[str, str]:
    """Capture of people: arrests by a state or of rival fighters; abduction of soldiers by
    an armed group (a strategic development) or of civilians (violence against civilians)."""
    if T.CIVILIAN_TARGETS.search(target) and not _SOLDIERS.search(target) and not re.search(r"\bfighters?|militants?|members?\b", target, re.I):
        return T.VAC, "abduction_forced_disappearance"
    captors = [m for m in mentions if m["end"] <= hit.start and m.get("kind") in ("armed", "unidentified") and not m.get("attribution")]
    state_captor = any(m.get("actor_type") == 1 for m in captors[-2:])
    if _SOLDIERS.search(target) and not state_captor:
        return T.STRATEGIC, "abduction_forced_disappearance"
    return T.STRATEGIC, "arrests"


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right < 0 else right


def _token_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _role(mention: dict, hit: _Hit, doc: Doc) -> str:
    """initiator | target | other for one actor mention and the trigger it stands beside."""
    span = _token_span(doc, mention["start"], mention["end"])
    token = hit.token
    text_between = doc_text(doc)[min(mention["end"], hit.start) : max(mention["start"], hit.end)]
    if span is None or token is None:
        return "initiator" if mention["end"] <= hit.start else "target"
    root = span.root
    if root.kind == "civilians" if hasattr(root, "kind") else False:  # pragma: no cover
        return "target"
    # "between X and Y", "X and Y clashed": both sides, no initiator.
    before = doc_text(doc)[max(0, mention["start"] - 40) : mention["start"]].lower()
    if re.search(r"\bbetween\s+(?:\S+\s+){0,5}$", before) and mention["start"] > hit.start:
        return "other"
    # Heads whose relation to the mention decides the role: the trigger, and for a noun
    # trigger the verb it hangs on ("launched an attack").
    heads = {token.i}
    if token.pos_ in ("NOUN", "PROPN") and token.head.i != token.i:
        heads.add(token.head.i)
        if token.dep_ == "pobj" and token.head.head.i != token.head.i:
            heads.add(token.head.head.i)
    clause = _relative_clause(token)
    if clause is not None and clause.head.i in {t.i for t in span} and not any(c.dep_ == "dobj" and c.lower_ not in ("that", "which", "who", "whom") for c in clause.children):
        return "target"  # "the soldiers that ISIS took captive"
    node, path = root, [root]
    while node.head.i != node.i and node.i not in heads:
        node = node.head
        path.append(node)
    if node.i in heads and len(path) >= 2:
        child = path[-2]
        dep = child.dep_
        # conj of a subject takes the subject's role ("Hezbollah and the army launched")
        for item in path[:-1]:
            if item.dep_ in _ROLE_DEPS and item.dep_ != "poss":
                dep = item.dep_
                break
        for prep in (p for p in path if p.dep_ in ("prep", "agent")):
            # the preposition nearest the mention decides: "against X", "by X", "with X"
            word = prep.lower_
            if word in _TARGET_PREPS:
                return "target"
            if word in ("by", "with", "alongside", "beside"):
                return "initiator"
            if word in ("between",):
                return "other"
        if dep in ("nsubj",) and token.lemma_.lower() in _MUTUAL and any(
            t.dep_ == "conj" for t in (path[-2].children if len(path) >= 2 else ())
        ) | any(t.dep_ == "conj" and t.head.dep_ == "nsubj" for t in path):
            return "other"  # "X and Y clashed": both sides, no initiator
        if dep in _ROLE_DEPS:
            role = _ROLE_DEPS[dep]
            if dep == "poss" and node.i != token.i:
                role = "target"
            return role
        if dep == "agent":
            return "initiator"
    if re.search(r"\b(?:backed by|supported by|with the help of|alongside|along with|allied with|together with)\s", text_between, re.I):
        return "initiator"
    if re.search(r"\bby\s+(?:the\s+)?$", doc_text(doc)[max(0, mention["start"] - 12) : mention["start"]], re.I):
        return "initiator"
    if re.search(r"\b(?:against|on|targeting|at)\s+(?:the\s+)?(?:\S+\s+){0,2}$", doc_text(doc)[max(0, mention["start"] - 30) : mention["start"]], re.I) and mention["start"] > hit.start:
        return "target"
    passive = token.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in token.children)
    if mention["end"] <= hit.start:
        return "target" if passive else "initiator"
    return "target"


def _is_speaker(mention: dict, doc: Doc) -> bool:
    """The mention is the source of a statement ("X said", "according to X")."""
    if mention.get("attribution"):
        return True
    span = _token_span(doc, mention["start"], mention["end"])
    if span is None:
        return False
    root = span.root
    while root.dep_ in ("conj", "appos", "compound") and root.head.i != root.i:
        root = root.head
    if root.dep_ != "nsubj" or root.head.lemma_ not in _SPEECH:
        return False
    # "declared war", "announced a truce": the speech act is the event, its subject the actor
    return not any(child.dep_ == "dobj" and child.lemma_ in _SPEECH_EVENTS for child in root.head.children)


class _DocumentContext:
    """What one document offers every event: sentences, places, dates, actors, claims."""

    def __init__(self, document: Document, doc: Doc, geoparser: Geoparser | None, *, times: list[TimeMention] | None = None) -> None:
        self.document = document
        self.doc = doc
        self.text = document.text
        self.published = dt.date.fromisoformat(document.published.date) if document.published.date else None
        self.mentions: list[dict] = list(doc._.actor_mentions or []) if doc.has_extension("actor_mentions") else []
        times = times if times is not None else find_time_mentions(self.text, anchor=self.published, doc=doc)
        # The dateline at the top of a body ("Sun 16 Apr 2017 Shelling kills ...") is when the
        # report was filed, not when its events happened: it dates nothing.
        self.times = [t for t in times if not self._dateline(t)]
        self.places = self._places(geoparser)
        self.country = self._country()
        if self.country is not None and not any(m.get("country") for m in self.mentions):
            # Nothing in the text named a country or a national actor, so "the army" and
            # "policemen" went unresolved: the places say where the article is.
            from ..actors import default_matcher

            self.mentions = [m.to_dict() for m in default_matcher().find(self.text, focus=self.country)]
        self.claims: list = []  # filled by extract_events once the country is known

    def _dateline(self, mention: TimeMention) -> bool:
        published = self.document.published.date
        if published is None or mention.value is None or mention.start > 60:
            return False
        if mention.value.start != published or mention.value.precision != "day":
            return False
        before = self.text[:mention.start]
        return not re.search(r"\b(?:on|since|from|until|by)\s*$", before, re.I) and "." not in before

    def _places(self, geoparser: Geoparser | None) -> list[PlaceMention]:
        if geoparser is None:
            return []
        doc = self.doc
        entities = doc.ents  # spaCy builds the tuple anew each time it is read
        spans = {(e.start_char, e.end_char) for e in entities if e.label_ in ("GPE", "LOC", "FAC")}
        # Curated conflict places the model does not label ("Tallat Mussa", "Jour al-Anib").
        people = [(e.start_char, e.end_char) for e in entities if e.label_ == "PERSON"]
        for start, end in _curated_spans(self.text, geoparser):
            # "Abu al-Baraa" is a man, not the village of al-Bara.
            if re.search(r"\b(?:Abu|Abou|Umm|Um|bin|ibn|Emir|Sheikh)\s*$", self.text[max(0, start - 8) : start]):
                continue
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in people):
                continue
            spans.add((start, end))
        actor_spans = [(m["start"], m["end"]) for m in self.mentions if m.get("actor_id")]
        kept = []
        for start, end in sorted(spans):
            # "the Syrian army", "Jaysh al-Fateh al-Qalamoun": a place inside an actor's name
            # is the actor's, not the event's.
            if any(s <= start and end <= e for s, e in actor_spans):
                continue
            kept.append((start, end))
        countries = Counter(m["country"] for m in self.mentions if m.get("country") and m.get("kind") in ("armed", "political"))
        resolved = [
            m for m in geoparser.resolve(self.text, kept, countries=countries)
            if m.place is not None and not m.metonymic and _place_word(m.text, geoparser)
            # "a Britain-based monitor", "Iran-backed": a description, not a scene
            and not re.match(r"^[-‐‑]?\s*(?:based|backed|born|funded|led|made|linked|allied|aligned|run)\b", self.text[m.end : m.end + 10])
            and not _acting_state(self.text, m.start, m.end)
        ]
        resolved = _without_stray_namesakes(resolved, countries)
        resolved = [_country_region(m, self.text) for m in resolved]
        # Overlapping mentions ("western Qalamoun" from the model, "Qalamoun" from the
        # curated names): the longest one that resolved.
        chosen: list = []
        for mention in sorted(resolved, key=lambda m: (-(m.end - m.start), m.start)):
            if all(mention.end <= c.start or c.end <= mention.start for c in chosen):
                chosen.append(mention)
        return sorted(chosen, key=lambda m: m.start)

    def _country(self) -> str | None:
        counts: Counter = Counter()
        for mention in self.places:
            counts[mention.place.country] += 1 if mention.precision != 3 else 0.5
        for mention in self.mentions:
            if mention.get("country") and mention.get("kind") in ("armed",):
                counts[mention["country"]] += 0.5
        counts.pop(None, None)
        return counts.most_common(1)[0][0] if counts else None


_COUNTRY_REGION = re.compile(
    r"['’]s\s+(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
    r"(?:border\s+(?:region|area|zone|strip|villages|towns)|borderlands?|frontier(?:\s+(?:region|area|zone))?|"
    r"(?:northern|southern|eastern|western|central)\s+(?:region|regions|provinces|countryside)|countryside|hinterland)\b",
    re.IGNORECASE,
)


def _country_region(mention: Any, text: str) -> Any:
    """"Lebanon's border region", "Syria's eastern countryside": a part of the country, not
    all of it. The mention takes the whole phrase, placed only to a region (precision 3)."""
    if not mention.place.feature_code.startswith("PCL"):
        return mention
    found = _COUNTRY_REGION.match(text, mention.end)
    if found is None:
        return mention
    return replace(mention, end=found.end(), text=text[mention.start : found.end()], precision=3)


def _place_word(text: str, geoparser: Geoparser) -> bool:
    """Not a demonym ("Syrian") standing alone."""
    from ..actors.fold import fold

    return fold(text) not in geoparser.demonyms


def _curated_spans(text: str, geoparser: Geoparser) -> list[tuple[int, int]]:
    """Spans of ``text`` that name a curated place (folded, longest match)."""
    from ..actors.fold import words

    index, longest = _curated_index(geoparser)
    folded = words(text)
    spans = []
    i = 0
    while i < len(folded):
        best = None
        # Only words that begin some curated name start a search (most words begin none).
        for length in range(min(longest.get(folded[i][0], 0), len(folded) - i), 0, -1):
            key = " ".join(w for w, _, _ in folded[i : i + length])
            if key in index:
                best = length
                break
        if best:
            start, end = folded[i][1], folded[i + best - 1][2]
            if any(word[:1].isupper() for word in re.split(r"[\s\-‐‑]+", text[start:end])):
                spans.append((start, end))
            i += best
        else:
            i += 1
    return spans


def _curated_index(geoparser: Geoparser) -> tuple[set[str], dict[str, int]]:
    """The curated names worth scanning for, and the most words of a name by its first
    word, kept on the geoparser (built once)."""
    cached = getattr(geoparser, "_sitreps_curated_names", None)
    if cached is None:
        # Names of three letters or fewer would match everywhere.
        index = {name for name in geoparser.supplement if len(name) > 3}
        longest: dict[str, int] = {}
        for name in index:
            parts = name.split()
            longest[parts[0]] = max(longest.get(parts[0], 0), len(parts))
        cached = geoparser._sitreps_curated_names = (index, longest)
    return cached


def _clause_distance(hit: _Hit, start: int, end: int, hits: list[_Hit]) -> float:
    """How far a place or date mention is from a trigger; mentions past another trigger
    belong to it, not to this one."""
    if start >= hit.end:
        if any(
            hit.end <= other.start < start and other is not hit and other.strength.split(":")[0] != "weak" and other.type != hit.type
            for other in hits
        ):
            return float("inf")
        return start - hit.end
    return (hit.start - end) * 1.5  # before the trigger: a little weaker than after


def _choose_place(ctx: _DocumentContext, hit: _Hit, sent: Span, hits: list[_Hit]) -> Any:
    inside = [p for p in ctx.places if sent.start_char <= p.start and p.end <= sent.end_char]
    if not inside:
        return None
    # The finest place wins over a country or region named in the same clause.
    def rank(p) -> tuple:
        penalty = 400 if p.place.feature_code.startswith("PCL") else 100 if p.place.feature_code.startswith("ADM1") else 0
        return (_clause_distance(hit, p.start, p.end, hits) + penalty, p.start)

    best = min(inside, key=rank)
    return best if rank(best)[0] != float("inf") else min(inside, key=lambda p: (abs(p.start - hit.start), p.start))


# A country or its capital standing for its government, beyond the geoparser's "Damascus
# said": the one who acts ("Washington is leading a coalition", "Moscow vetoed", "the deal
# brokered by Russia", "accused by Washington", "regime ally Iran", "opposition backer
# Qatar", "the West blames"). Where something happens is never told this way.
_ACTS_AFTER = re.compile(
    r"\s*(?:(?:has|have|had|is|was|also|been)\s+){0,3}(?:vetoed|vetoes|intervened|intervenes|brokered|brokers|backs|backed|"
    r"supports|supported|sponsored|sponsors|mediated|condemned|condemns|sanctioned|blames|pledged|vowed|threatened|"
    r"recognised|recognized|leading|leads|agreed|agrees|welcomed|proposed|signed|shipping|ships|sent|sends|began|begun|"
    r"reported|reports|denied|denies|staging|staged|called|calls|rejected|rejects|announced|announces|insists|insisted)\b",
    re.IGNORECASE,
)
_ACTS_BEFORE = re.compile(
    r"(?:\b(?:accused|backed|brokered|supported|sponsored|mediated|condemned|blamed|opposed|funded|armed|led|vetoed|proposed|"
    r"signed|agreed|announced|rejected)\s+by\s+(?:the\s+)?(?:[A-Z][\w.-]*,?\s+(?:(?:and|or)\s+)?(?:the\s+)?){0,3}"
    r"|\b(?:ally|allies|backer|backers|patron|patrons|rival|rivals|adversary|foe|partner|sponsor)\s+"
    r")$",
)


_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|from|to|into|around|outside|of|across|towards?|on|inside|within|throughout|over|between)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _acting_state(text: str, start: int, end: int) -> bool:
    """The place name at ``start:end`` names a government that acts, not a scene."""
    if text[start:end] == "West" and text[max(0, start - 4) : start] == "the " and not re.match(r"\s+[A-Z]", text[end : end + 2]):
        return True  # "the West": the Western governments (not "the West Bank")
    if _ACTS_BEFORE.search(text, max(0, start - 40), start):
        return True
    # A verb after it is the place's own only when nothing makes the place a scene
    # ("fighting in Homs began" is about Homs as a place).
    return bool(_ACTS_AFTER.match(text, end, end + 40)) and not _LOCATIVE_BEFORE.search(text, max(0, start - 16), start)


# A namesake abroad that nothing else in the article points to is a wrong reading more
# often than a scene: "Hass" in Idlib read as Ha'il in Saudi Arabia, "Fuaa" as Foix in
# France. Left out when the article's places are mostly in one other country, that country
# is not named elsewhere (no other place, no actor of it), and the place is no big city.
_STRAY_MAX_POPULATION = 1_000_000


def _without_stray_namesakes(mentions: list, actor_countries: Counter) -> list:
    by_country = Counter(m.place.country for m in mentions if m.place.country)
    if not by_country:
        return mentions
    main, count = by_country.most_common(1)[0]
    if count < 3 or count < 0.6 * sum(by_country.values()):
        return mentions
    kept = []
    for mention in mentions:
        place = mention.place
        stray = (
            place.country not in (None, main)
            and by_country[place.country] == 1
            and not actor_countries.get(place.country)
            and place.population < _STRAY_MAX_POPULATION
            and not place.feature_code.startswith(("PCL", "ADM1", "CONT", "RGN"))
        )
        if not stray:
            kept.append(mention)
    return kept


def _choose_date(ctx: _DocumentContext, hit: _Hit, sent: Span, hits: list[_Hit]) -> TimeMention | None:
    dated = [
        m for m in ctx.times
        if m.value is not None and m.value.type in ("DATE", "TIME") and not m.reference
        and sent.start_char <= m.start and m.end <= sent.end_char
    ]
    if not dated:
        return None
    scored = sorted(dated, key=lambda m: (_clause_distance(hit, m.start, m.end, hits), m.start))
    best = scored[0]
    if _clause_distance(hit, best.start, best.end, hits) == float("inf"):
        return None
    return best


def _then(draft: _Draft) -> Token | None:
    """"... that ISIS took captive then": "then", at the time just told."""
    for hit in draft.hits:
        token = hit.token
        if token is None:
            continue
        # Just after the trigger and its object (the parse often hangs it elsewhere).
        following = token.doc[token.i + 1 : min(token.i + 4, token.sent.end)]
        for word in following:
            if word.lower_ == "then" and word.dep_ == "advmod":
                return word
            if word.is_punct:
                break
    return None


_SUMMARY_WORDS = {"recent", "ongoing", "continuing", "current", "latest"}


def _summarises(draft: _Draft) -> bool:
    """"killed in the recent battles", "progress in the ongoing battles": a toll or a gain
    over the whole fighting told so far, not one clash."""
    first = draft.sentences[0]
    for hit in draft.hits:
        token = hit.token
        if token is None or hit.type != T.BATTLES or token.tag_ != "NNS" or not first[0] <= hit.start < first[1]:
            continue  # in the event's own sentence: a toll told after a clash does not widen it
        words = {child.lower_ for child in token.children if child.dep_ in ("amod", "det")}
        if "the" in words and words & _SUMMARY_WORDS:
            return True
    return False


def _event_date(draft: _Draft, ctx: _DocumentContext, earlier: Sequence[Event] = ()) -> EventDate | None:
    previous = earlier[-1].date if earlier else None
    then = _then(draft) if draft.date is None and previous is not None and previous.span is not None else None
    if then is not None:
        # The time of the event told just before (a resolved date of its own, not the
        # publication fallback).
        return replace(previous, mention=then.text, span=(then.idx, then.idx + len(then.text)), anchor=previous.start)
    date = _own_event_date(draft, ctx)
    if date is not None and date.end and _summarises(draft):
        # Over the fighting told so far: from the first of the battles before it, in the
        # two months before it ended.
        end = dt.date.fromisoformat(date.end)
        starts = [
            e.date.start for e in earlier
            if e.type == T.BATTLES and e.date is not None and e.date.start and e.date.span is not None
            and 0 <= (end - dt.date.fromisoformat(e.date.start)).days <= 62
        ]
        if starts and min(starts) < (date.start or date.end):
            date = replace(date, start=min(starts), precision="day" if date.precision == "day" else date.precision)
    return date


def _own_event_date(draft: _Draft, ctx: _DocumentContext) -> EventDate | None:
    if draft.date is not None and draft.date.value is not None:
        mention, value = draft.date, draft.date.value
    else:
        mention, value = choose_event_date(
            ctx.times, sentence=draft.sentences[0], paragraph=draft.paragraph, published=ctx.published
        )
    if value is None:
        return None
    precision = value.precision if value.precision in ("day", "week", "month", "year") else None
    if value.precision in ("quarter", "season"):
        precision = "month"
    start, end = value.start, value.end
    if precision == "day" and start:
        # An event told over several days ("On 4 May ... by the next day captured") spans them.
        days = sorted({d.value.start for d in draft.dates if d.value is not None and d.value.precision == "day" and d.value.start})
        if len(days) > 1 and (dt.date.fromisoformat(days[-1]) - dt.date.fromisoformat(days[0])).days <= 31:
            start, end = min(days[0], start), max(days[-1], end or start)
    return EventDate(
        start=start,
        end=end,
        precision=precision,
        mention=mention.text if mention is not None else None,
        span=(mention.start, mention.end) if mention is not None else None,
        anchor=value.anchor,
    )


def _context_place(draft: _Draft, ctx: _DocumentContext) -> Any:
    """Where the text around an event that names no place of its own is: a place earlier in
    its paragraph, nearest first, else the scene last named a paragraph or two back ("... a
    besieged hospital near Jisr al-Shughur." then "Rebels blew up a vehicle near the
    hospital."). None when neither."""
    start = draft.sentences[0][0]
    before = [p for p in ctx.places if draft.paragraph[0] <= p.start and p.end <= start]
    if before:
        return max(before, key=lambda p: (p.precision != 3, p.start))
    recent = [p for p in ctx.places if start - 600 <= p.end <= start and not p.place.feature_code.startswith("PCL")]
    return recent[-1] if recent else None


def _inherited_location(draft: _Draft, ctx: _DocumentContext, earlier: Sequence[tuple[_Draft, Location]]) -> Location | None:
    """Where the nearest earlier event with a side in common took place, when the text says
    nowhere for this one ("... declared war on the Islamic State on Monday" after the
    fighting between them in Qalamoun): the region that event was told in, else near its
    place (precision 2)."""
    named = _named(draft)
    if not named:
        return None
    for previous, location in reversed(earlier):
        if not _named(previous) & named:
            continue
        regions = [
            p for p in ctx.places
            if any(a <= p.start < b for a, b in previous.sentences) and _regional(p) and not p.place.feature_code.startswith("PCL")
        ]
        if regions:
            return _location_of(regions[0], 3)
        return replace(location, precision=3 if location.precision == 3 else 2)
    return None


def _location(
    draft: _Draft, ctx: _DocumentContext, geoparser: Geoparser | None, earlier: Sequence[tuple[_Draft, Location]] = ()
) -> Location | None:
    mention = draft.place or draft.context_place  # set for every placeless draft before merging
    if mention is None or mention is not draft.place and mention.place.feature_code.startswith("PCL"):
        # Nowhere, or only a country around it: where the story of its sides was told.
        inherited = _inherited_location(draft, ctx, earlier)
        if inherited is not None and (mention is None or inherited.country == mention.place.country):
            return inherited
    if mention is None and ctx.document.dateline and geoparser is not None:
        # The dateline's place ("KHARKIV, Ukraine —") is where the reporter filed from: the
        # event's place only approximately.
        dateline = next((m for m in ctx.places if m.start < 80 and m.text.upper() == m.text), None)
        if dateline is not None:
            mention = dateline
    if mention is None:
        return _country_location(ctx, geoparser)
    precision = mention.precision or 1
    if mention is not draft.place and precision == 1:
        precision = 2  # placed by the paragraph, not by the sentence
    return _location_of(mention, precision)


def _location_of(mention: Any, precision: int) -> Location:
    place = mention.place
    return Location(
        name=place.name,
        mention=mention.text,
        span=(mention.start, mention.end),
        precision=precision,  # type: ignore[arg-type]
        geonames_id=place.geonames_id,
        lat=place.lat,
        lon=place.lon,
        admin1=place.admin1,
        country=place.country,
    )


def _country_location(ctx: _DocumentContext, geoparser: Geoparser | None) -> Location | None:
    """Only the article's country is known: precision 3, pointing at a mention of it."""
    if ctx.country is None or geoparser is None:
        return None
    country_mentions = [p for p in ctx.places if p.place.country == ctx.country]
    if not country_mentions:
        return None
    mention = min(country_mentions, key=lambda p: (not p.place.feature_code.startswith("PCL"), p.start))
    place = geoparser.gazetteer.country(ctx.country) or mention.place
    return Location(
        name=place.name, mention=mention.text, span=(mention.start, mention.end), precision=3,
        geonames_id=place.geonames_id, lat=place.lat, lon=place.lon, admin1=None, country=ctx.country,
    )


def _actor_ref(mention: dict, role: str) -> ActorRef:
    return ActorRef(
        name=mention["name"],
        mention=mention["text"],
        span=(mention["start"], mention["end"]),
        role=role,  # type: ignore[arg-type]
        actor_type=mention.get("actor_type"),
        id=mention.get("actor_id"),
    )


def _add_actor(draft: _Draft, ref: ActorRef) -> None:
    key = ref.id or ref.name
    known = draft.actors.get(key)
    if known is None or (known.role == "other" and ref.role != "other"):
        draft.actors[key] = ref


def _drafts_of_sentence(ctx: _DocumentContext, sent: Span, index: int) -> list[_Draft]:
    doc = ctx.doc
    hits = [h for h in _sentence_hits(sent) if not _hypothetical(h, sent)]
    if not hits:
        return []
    in_sentence = [m for m in ctx.mentions if sent.start_char <= m["start"] and m["end"] <= sent.end_char]
    typed: list[_Hit] = []
    for hit in hits:
        kind = _type_hit(hit, sent, [m for m in ctx.mentions if m["end"] <= sent.end_char])
        if kind is None:
            continue
        hit.type, hit.subtype = kind
        token = hit.token
        # A noun trigger that is only talked about ("the battle is important") is no report.
        if token is not None and token.pos_ in ("NOUN", "PROPN") and not hit.strength.startswith("weak"):
            root = token
            while root.head.i != root.i:
                root = root.head
            if root.lemma_ in _CONTROL_ROOTS and not any(t for t in ctx.times if sent.start_char <= t.start < sent.end_char):
                if not any(m.get("kind") == "armed" for m in in_sentence):
                    continue
                hit.strength = "weak:" + hit.strength.partition(":")[2]  # described, not reported
                hit.demoted = True
        if token is not None and (_describes(token) or _object_of_state(token)):
            hit.strength = "weak:" + hit.strength.partition(":")[2]
            hit.demoted = True
        if hit.strength.startswith("strong") or hit.strength.startswith("context"):
            if _ongoing(hit, sent, ctx):
                continue  # a state of affairs or a habit: no event, and nothing to continue
            if _background(hit) or (token is not None and token.pos_ in ("NOUN", "PROPN") and (
                not _has_arguments(ctx, sent, in_sentence) or _refers_back(token, ctx, sent) or _generic_plural(token, ctx, sent)
            )):
                # "have been fighting for years", "the battle was nearing victory": told
                # about, not reported; it may still continue an event, never start one.
                hit.strength = "weak:" + hit.strength.partition(":")[2]
                hit.demoted = True
        typed.append(hit)
    if not typed:
        return []
    paragraph = _paragraph(ctx.text, sent.start_char, sent.end_char)
    drafts: list[_Draft] = []
    strong = [h for h in typed if not h.strength.startswith("weak")]
    for hit in typed:
        place = _choose_place(ctx, hit, sent, typed)
        date = _choose_date(ctx, hit, sent, typed)
        weak = hit.strength.startswith("weak")
        target = None
        for draft in drafts:
            same_type = draft.type == hit.type or weak or draft.strength == "weak"
            if hit.type == T.STRATEGIC and draft.type == T.STRATEGIC and hit.subtype != draft.subtype and not weak:
                same_type = False
            if not same_type:
                continue
            if weak and strong:
                target = draft
                break
            place_ok = _same_place(place, draft.place) is not False
            date_ok = date is None or draft.date is None or _days_apart(date, draft.date) <= (1 if hit.type == T.BATTLES == draft.type else 0)
            if place_ok and date_ok:
                target = draft
                break
        if weak and strong and target is None:
            continue  # a weak trigger beside a strong one of another type adds nothing
        if target is None:
            drafts.append(_Draft(hit.type, hit.subtype, "weak" if weak else "strong", index, [(sent.start_char, sent.end_char)], [hit], paragraph, place=place, place_own=place is not None, date=date, date_own=date is not None, dates=[date] if date is not None else []))
            continue
        if date is not None and not weak:
            target.dates.append(date)
        target.hits.append(hit)
        if target.strength == "weak" and not weak:
            target.type, target.subtype, target.strength = hit.type, hit.subtype, "strong"
        elif hit.type == target.type and T.PRECEDENCE.get(hit.subtype, 0) > T.PRECEDENCE.get(target.subtype, 0) and not weak:
            target.subtype = hit.subtype
        target.place = target.place or place
        target.place_own = target.place is not None
        target.date = target.date or date
        target.date_own = target.date is not None
    for draft in drafts:
        anchor = next((h for h in draft.hits if not h.strength.startswith("weak")), draft.hits[0])
        for mention in in_sentence:
            if mention.get("kind") not in _ACTOR_KINDS or not mention.get("actor_id") and mention.get("kind") != "civilians":
                continue
            if _is_speaker(mention, doc):
                continue
            if mention.get("kind") == "civilians":
                _add_actor(draft, _actor_ref({**mention, "name": mention.get("name") or "Civilians"}, "target"))
                continue
            _add_actor(draft, _actor_ref(mention, _role(mention, anchor, doc)))
    return drafts


def _background(hit: _Hit) -> bool:
    """An ongoing or habitual activity ("has been fighting", "have long attacked"), not an
    action on a day."""
    token = hit.token
    if token is None:
        return False
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ in ("aux", "auxpass")}
    if "been" in auxiliaries and verb.tag_ == "VBG":
        return True
    if any(child.lower_ in ("long", "often", "frequently", "repeatedly", "regularly", "usually") and child.dep_ == "advmod" for child in verb.children):
        return True
    return verb.lemma_ == "play" or (token.dep_ == "pobj" and token.head.lower_ == "in" and token.head.head.lower_ in ("role", "part", "experience"))


def _object_of_state(token: Token) -> bool:
    """"ISIS is obstructing the battle against the regime", "supports the offensive": a
    noun trigger that a present-tense verb acts on is a state of affairs, not a report."""
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ != "dobj":
        return False
    verb = token.head
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("is", "are", "am", "'s", "'re") for c in verb.children)


def _describes(token: Token) -> bool:
    """"rebels fighting the government", "groups battling ISIS": a participle that says
    what a bare plural does in general, not an action told."""
    head = token.head
    return (
        token.dep_ == "acl" and token.tag_ == "VBG" and head.tag_ in ("NNS", "NNPS")
        and not any(child.dep_ in ("det", "nummod", "poss") for child in head.children)
    )


def _generic_plural(token: Token, ctx: _DocumentContext, sent: Span) -> bool:
    """"attacks against rebel battalions" in a list of grievances: a bare plural with no
    place or date of its own names a kind of action, not one action."""
    if token.tag_ not in ("NNS", "NNPS") or any(child.dep_ in ("det", "nummod", "poss") for child in token.children):
        return False
    # Only the trigger's own clause counts: in "released photographs on the weekend of
    # weapons found in the area during battles", the weekend dates the release.
    start, end = _clause_of(token, sent)
    if any(start <= p.start < end for p in ctx.places):
        return False
    return not any(start <= t.start < end and t.value is not None and t.value.type in ("DATE", "TIME") for t in ctx.times)


def _clause_of(token: Token, sent: Span) -> tuple[int, int]:
    """Character bounds of the clause ``token`` sits in: the subtree of its nearest verb,
    or the sentence when the verb is the sentence's root (or there is none). A relative
    clause counts with the clause of what it describes ("the unrest spread the next day to
    Butembo, where demonstrators threw stones": the next day is theirs too)."""
    verb = token.head
    while verb.head.i != verb.i and (verb.pos_ not in ("VERB", "AUX") or verb.dep_ == "relcl"):
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or verb.head.i == verb.i:
        return sent.start_char, sent.end_char
    left, right = verb.left_edge, verb.right_edge
    return max(left.idx, sent.start_char), min(right.idx + len(right.text), sent.end_char)


def _refers_back(token: Token, ctx: _DocumentContext, sent: Span) -> bool:
    """"in the fighting", "during the clashes": a definite noun with no place or date of
    its own points at an event already told; "this battle", "these attacks" always do."""
    determiners = {child.lower_ for child in token.children if child.dep_ == "det"}
    if determiners & {"this", "these"}:
        return True  # "This battle came a week after ...": the one just told, whatever else the sentence names
    if not determiners & {"the", "that", "those"}:
        return False
    start, end = sent.start_char, sent.end_char
    if any(start <= p.start < end for p in ctx.places):
        return False
    return not any(start <= t.start < end and t.value is not None and t.value.type in ("DATE", "TIME") for t in ctx.times)


_HABITUAL = re.compile(
    r"\b(?:almost |nearly )?(?:daily|nightly|weekly|frequent(?:ly)?|regularly|repeatedly|routinely|often|several times|many times|"
    r"time and again|again and again|on a daily basis)\b",
    re.IGNORECASE,
)


def _ongoing(hit: _Hit, sent: Span, ctx: _DocumentContext) -> bool:
    """A state of affairs, not an action on a day: the perfect with "since" a date a month or
    more back ("has pushed al-Shabaab out of dozens of towns since last August", "has come
    under frequent attack since 2022"), or a habit ("is hit almost daily")."""
    text = doc_text(sent.doc)
    if _HABITUAL.search(text, sent.start_char, sent.end_char):
        return True
    token = hit.token
    if token is None:
        return False
    verbs = [token if token.pos_ in ("VERB", "AUX") else token.head]
    verbs += [child for child in token.children if child.dep_ in ("relcl", "acl")]  # "the offensive that has pushed"
    perfect = any(
        child.dep_ in ("aux", "auxpass") and child.lower_ in ("has", "have", "had", "'s", "'ve")
        for verb in verbs for child in verb.children
    )
    if not perfect or not re.search(r"\bsince\b", text[sent.start_char : sent.end_char], re.I):
        return False
    published = ctx.published
    for mention in ctx.times:
        if sent.start_char <= mention.start < sent.end_char and (
            re.search(r"\bsince\s+$", text[max(0, mention.start - 8) : mention.start], re.I)
            or mention.text.lower().startswith("since")
        ):
            value = mention.value
            if value is None or not value.start:
                return True
            if published is None or (published - dt.date.fromisoformat(value.start)).days >= 30:
                return True
    return False


def _has_arguments(ctx: _DocumentContext, sent: Span, in_sentence: list[dict]) -> bool:
    """The sentence names a place, a date, an armed actor or a casualty figure."""
    start, end = sent.start_char, sent.end_char
    if any(start <= p.start < end for p in ctx.places):
        return True
    if any(start <= t.start < end and t.value is not None and t.value.type in ("DATE", "TIME") for t in ctx.times):
        return True
    if any(m.get("kind") in ("armed", "unidentified") and m.get("actor_id") for m in in_sentence):
        return True
    return any(c.sentence[0] == start for c in ctx.claims)


def _finish_type(draft: _Draft) -> None:
    """Decisions that need the actors: who took ground, what a killing was."""
    initiators = [a for a in draft.actors.values() if a.role == "initiator"]
    if draft.subtype == "territory":
        state = any(a.actor_type == 1 for a in initiators) or (not initiators and any(a.actor_type == 1 for a in draft.actors.values() if a.role != "target"))
        draft.subtype = "government_regains_territory" if state else "non_state_actor_overtakes_territory"
    sides = {c.claim.side for c in draft.claims if c.kind == "fatalities" or c.kind == "injuries"}
    if draft.type == T.BATTLES and draft.subtype == "armed_clash" and sides == {"civilians"}:
        armed_targets = [a for a in draft.actors.values() if a.role == "target" and a.actor_type not in (7, None)]
        if not armed_targets:
            draft.type, draft.subtype = T.VAC, "attack"  # only civilians fell: an attack on them
    if draft.strength == "weak":
        targets = [a for a in draft.actors.values() if a.role == "target"]
        if sides == {"civilians"} or (targets and all(a.actor_type == 7 for a in targets)):
            draft.type, draft.subtype = T.VAC, "attack"
        elif draft.subtype in ("negotiation",) or draft.type == T.STRATEGIC and all(h.demoted for h in draft.hits):
            draft.type = T.STRATEGIC  # "a campaign of arrests": told about, and of its own kind
        elif draft.type == T.PROTESTS:
            pass
        else:
            draft.type, draft.subtype = T.BATTLES, "armed_clash"


def _merge_into(previous: _Draft, draft: _Draft) -> None:
    previous.sentences.extend(s for s in draft.sentences if s not in previous.sentences)
    previous.hits.extend(draft.hits)
    previous.claims.extend(draft.claims)
    for ref in draft.actors.values():
        _add_actor(previous, ref)
    if previous.place is None or (
        draft.place is not None and _fineness(draft.place) > _fineness(previous.place)
        and (draft.place.place.country == previous.place.place.country or _fineness(previous.place) == 0)
    ):
        # The finer place wins: a region over a country, a town over a region; but a village
        # across the border from a border range ("near Nahle" in the Qalamoun Mountains)
        # does not move the event into the other country.
        previous.place = draft.place
    if previous.date is None or (
        draft.date is not None and draft.date.value is not None and draft.date.value.precision == "day"
        and (previous.date.value is None or previous.date.value.precision != "day")
    ):
        previous.date = draft.date  # the finer date wins ("this month", then "on Monday")
    previous.sentence_index = max(previous.sentence_index, draft.sentence_index)
    previous.dates.extend(draft.dates)
    if previous.strength == "weak" and draft.strength != "weak":
        previous.type, previous.subtype, previous.strength = draft.type, draft.subtype, draft.strength
    elif _takes_ground_in(previous, draft):
        previous.subtype = "territory"  # who took it: decided again with the sides of both


def _fineness(mention: Any) -> int:
    """0 a country, 1 an admin area or region, 2 a place near which, 3 the place itself."""
    if mention.place.feature_code.startswith("PCL"):
        return 0
    return {3: 1, 2: 2, 1: 3}.get(mention.precision or 1, 3)


def _days_apart(a: TimeMention, b: TimeMention) -> float:
    """Days between two day-precise dates; infinite when either is not a day."""
    va, vb = a.value, b.value
    if va is None or vb is None or not va.start or not vb.start or va.precision != "day" or vb.precision != "day":
        return 0.0 if va is not None and vb is not None and va.start == vb.start else float("inf")
    return abs((dt.date.fromisoformat(va.start) - dt.date.fromisoformat(vb.start)).days)


def _same_place(a: Any, b: Any) -> bool | None:
    """True: the same place or one near the other; None: one is only a region or country
    (compatible, not evidence); False: two different places."""
    if a is None or b is None:
        return None
    if a.place == b.place:
        return True
    if a.place.feature_code.startswith("PCL") or b.place.feature_code.startswith("PCL"):
        return None  # "Syria's side of the border with Lebanon": a country says little
    from ..places.geoparse import distance_km

    if _regional(a) or _regional(b):
        # A region ("the Qalamoun Mountains") and a place: compatible when the place is
        # within the region's reach, whichever side of a border it lies on.
        return None if distance_km(a.place, b.place) <= _REGION_REACH_KM else False
    if a.place.country and b.place.country and a.place.country != b.place.country:
        return False
    return distance_km(a.place, b.place) <= 15


def _regional(mention: Any) -> bool:
    """A region rather than a point: placed only to a region, or an area, a range, a valley."""
    return mention.precision == 3 or mention.place.feature_class in ("A", "L", "T")


def _date_range(draft: _Draft) -> tuple[str | None, str | None] | None:
    value = draft.date.value if draft.date is not None else None
    if value is None or (value.start is None and value.end is None):
        return None
    return value.start, value.end


def _same_date(a: _Draft, b: _Draft) -> bool | None:
    ra, rb = _date_range(a), _date_range(b)
    if ra is None or rb is None:
        return None
    a0, a1 = ra[0] or "0000", ra[1] or "9999"
    b0, b1 = rb[0] or "0000", rb[1] or "9999"
    return a0 <= b1 and b0 <= a1


def _named(draft: _Draft) -> set[str]:
    return {key for key, actor in draft.actors.items() if actor.actor_type != 7 and actor.actor_type is not None}


_TERRITORY = ("government_regains_territory", "non_state_actor_overtakes_territory")


def _takes_ground_in(previous: _Draft, draft: _Draft) -> bool:
    """The paragraph that tells of an offensive goes on to say who took ground in it ("...
    launched a counter-offensive in the Qalamoun Mountains. ... succeeded in recapturing large
    areas in the Qalamoun Mountains"): one event, of the finer sub-event type."""
    return (
        previous.subtype == "armed_clash" and draft.subtype in _TERRITORY
        and draft.paragraph[0] == previous.paragraph[0] and draft.sentence_index - previous.sentence_index <= _MAX_MERGE_GAP
        and bool(_named(previous) & _named(draft)) and _same_place(previous.place, draft.place) is not False
    )


def _continues(previous: _Draft, draft: _Draft) -> bool:
    """``draft`` (told later) is more of ``previous`` rather than a new event: the report
    repeats itself or goes on ("The clashes continued until midnight", "... were killed
    during the fighting"). Same type (a bare killing or clash fits any), no place or date
    that contradicts, and the same sides."""
    weak = draft.strength == "weak"
    if not weak:
        if draft.type != previous.type:
            return False
        generic = ("armed_clash", "attack")
        if draft.subtype != previous.subtype and draft.subtype not in generic and not _takes_ground_in(previous, draft):
            return False
        if draft.type == T.STRATEGIC and draft.subtype != previous.subtype:
            return False
    elif previous.type in (T.STRATEGIC, T.PROTESTS) and previous.subtype not in ("abduction_forced_disappearance", draft.subtype):
        return False
    elif draft.type == T.STRATEGIC and draft.subtype != previous.subtype:
        return False  # "had asked for negotiations" goes on no capture or battle
    place = _same_place(previous.place, draft.place)
    date = _same_date(previous, draft)
    if place is False or date is False:
        return False
    if place is None and (previous.context_place is not None or draft.context_place is not None):
        # Where the text around them is: evidence that they are one, never that they are two.
        place = _same_place(previous.place or previous.context_place, draft.place or draft.context_place) or None
    near = draft.sentence_index - previous.sentence_index <= _MAX_MERGE_GAP
    named, known = _named(draft), _named(previous)
    if draft.date_own and date is None and not near and not (place and named and named <= known and draft.subtype == previous.subtype):
        return False  # a dated sentence far from an undated event: likely another one
    if weak and near:
        return True  # "... were killed in the fighting": the event just told
    vague = (
        not draft.date_own and (draft.place is None or draft.place.precision == 3)
        # nor, for an action of its own kind, does the text around it name another scene in
        # the same country (one abroad is more often a capital standing for its government:
        # "which Washington classifies"); "repelled the attack" tells the same fight again
        and (
            draft.subtype in ("armed_clash", "attack") or draft.context_place is None or previous.place is None
            or draft.context_place.place.country != previous.place.place.country
            or _same_place(previous.place, draft.context_place) is True
        )
    )
    if vague and named and known and named <= known and place is not False:
        return True  # told again later, with the same sides and nothing new on where or when
    if named and known:
        if not (named <= known or known <= named or len(named & known) / len(named | known) >= 0.5):
            return False
    elif not near and not (place or date):
        return False
    if not near and not (place or date) and not (weak and named and known):
        return False
    return True


_FIGHTERS = re.compile(r"\b(?:fighters?|militants?|members?|commanders?|emirs?|leaders?|jihadists?|rebels?|insurgents?|gunmen)\b", re.I)
# Claims that make an event of their own kind when the sentence's events are of another.
_OWN_EVENT = {
    "captured": ("arrests", "abduction_forced_disappearance"),
    "released": ("release",),
}


def _claim_event(claim: Any, beside: _Draft) -> _Draft:
    """The capture or release a claim tells, in the sentence of the event ``beside`` it: its
    place, date and sides. Fighters taken, or anyone taken by state forces, are arrests;
    anyone else taken is an abduction."""
    if claim.kind == "released":
        subtype = "release"
    else:
        captors = [a for a in beside.actors.values() if a.role == "initiator"]
        fighters = _FIGHTERS.search(claim.claim.text) is not None
        subtype = "arrests" if fighters or any(a.actor_type == 1 for a in captors) else "abduction_forced_disappearance"
    hit = _Hit(claim.anchor[0], claim.anchor[1], None, T.STRATEGIC, subtype, "strong:claim")
    draft = _Draft(
        T.STRATEGIC, subtype, "strong", beside.sentence_index, list(beside.sentences[:1]), [hit], beside.paragraph,
        actors=dict(beside.actors), place=beside.place, place_own=beside.place_own, context_place=beside.context_place,
        date=beside.date, date_own=beside.date_own, dates=list(beside.dates),
    )
    draft.claims.append(claim)
    return draft


def _attach_claims(drafts: list[_Draft], claim_mentions: list, sentences: list[Span], ctx: _DocumentContext) -> list[_Draft]:
    """Give every claim to an event; a figure with no event makes one (typed by victims)."""
    starts = [s.start_char for s in sentences]
    for claim in claim_mentions:
        if getattr(claim, "cumulative", False):
            continue
        s_start, s_end = claim.sentence
        same = [d for d in drafts if any(a <= claim.anchor[0] < b for a, b in d.sentences)]
        if same and claim.kind in _OWN_EVENT and not any(d.subtype in _OWN_EVENT[claim.kind] for d in same):
            # "... capturing their bases, 47 fighters, ... later 27 of them were released": a
            # capture or a release of people told beside a fight is an event of its own.
            drafts.append(_claim_event(claim, min(same, key=lambda d: abs(d.anchor - claim.anchor[0]))))
            drafts.sort(key=lambda d: (d.sentence_index, d.anchor))
            continue
        if same:
            fitting = [d for d in same if d.subtype in _OWN_EVENT.get(claim.kind, ())]
            same = fitting or same
            target = min(same, key=lambda d: min(abs(h.start - claim.anchor[0]) for h in d.hits) if d.hits else 0)
            target.claims.append(claim)
            continue
        index = max((i for i, start in enumerate(starts) if start <= s_start), default=0)
        earlier = [d for d in drafts if d.sentence_index < index and index - d.sentence_index <= _MAX_MERGE_GAP + 1 and d.paragraph == _paragraph(ctx.text, s_start, s_end)]
        if not earlier:
            earlier = [d for d in drafts if d.sentence_index < index and index - d.sentence_index <= 1]
        if earlier:
            max(earlier, key=lambda d: d.sentence_index).claims.append(claim)
            continue
        sent = sentences[index] if index < len(sentences) else None
        paragraph = _paragraph(ctx.text, s_start, s_end)
        hit = _Hit(claim.anchor[0], claim.anchor[1], None, T.BATTLES, "armed_clash", "weak:kill")
        place = _choose_place(ctx, hit, sent, [hit]) if sent is not None else None
        date = _choose_date(ctx, hit, sent, [hit]) if sent is not None else None
        draft = _Draft(T.BATTLES, "armed_clash", "weak", index, [(s_start, s_end)], [hit], paragraph, place=place, place_own=place is not None, date=date, date_own=date is not None)
        draft.claims.append(claim)
        if sent is not None:
            for mention in ctx.mentions:
                if s_start <= mention["start"] and mention["end"] <= s_end and mention.get("kind") in ("armed", "unidentified") and not _is_speaker(mention, ctx.doc):
                    _add_actor(draft, _actor_ref(mention, _role(mention, hit, ctx.doc)))
        drafts.append(draft)
        drafts.sort(key=lambda d: (d.sentence_index, d.anchor))
    return drafts


def _claims_for(ctx: _DocumentContext) -> list:
    return find_claims(ctx.doc, mentions=ctx.mentions, country=ctx.country, date=ctx.document.published.date)


def _event_id(document_id: str, draft: _Draft) -> str:
    key = f"{document_id}:{draft.anchor}:{draft.type}:{draft.subtype}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _confidence(draft: _Draft, location: Location | None, date: EventDate | None) -> float:
    score = 0.45 if draft.strength == "weak" else 0.6
    if any(a.role in ("initiator", "target") and a.actor_type != 7 for a in draft.actors.values()):
        score += 0.1
    if location is not None and location.precision in (1, 2):
        score += 0.1
    if date is not None and date.span is not None:
        score += 0.05
    if draft.claims:
        score += 0.05
    return round(min(score, 0.95), 2)


def extract_events(
    document: Document, doc: Doc, *, geoparser: Geoparser | None = None, times: list[TimeMention] | None = None
) -> tuple[Event, ...]:
    """The events told in ``document`` (``doc`` is the pipeline's Doc of its text), each with
    its claims, in text order. The document's published date anchors relative dates; without
    ``geoparser`` events have no location. ``times`` are the document's time mentions when
    the caller has them already (:func:`sitreps.times.find_time_mentions`)."""
    if not document.text.strip():
        return ()
    ctx = _DocumentContext(document, doc, geoparser, times=times)
    sentences = list(doc.sents)
    claim_mentions = _claims_for(ctx)
    ctx.claims = claim_mentions
    claim_sentences = {c.sentence[0] for c in claim_mentions}
    drafts: list[_Draft] = []
    for index, sent in enumerate(sentences):
        if not _PREFILTER.search(span_text(sent)) and sent.start_char not in claim_sentences:
            continue
        for draft in _drafts_of_sentence(ctx, sent, index):
            drafts.append(draft)
    drafts.sort(key=lambda d: (d.sentence_index, d.anchor))
    drafts = _attach_claims(drafts, claim_mentions, sentences, ctx)
    # Claims added actors (the side counted) and fix weak types.
    for draft in drafts:
        for claim in draft.claims:
            if claim.claim.side_id and claim.claim.side not in ("civilians", "mixed", "unknown"):
                ref = ActorRef(claim.claim.side, claim.claim.text, claim.claim.span, "target", None, claim.claim.side_id)
                if ref.id not in draft.actors:
                    match = next((m for m in ctx.mentions if m.get("actor_id") == ref.id), None)
                    if match is not None:
                        _add_actor(draft, ActorRef(ref.name, ref.mention, ref.span, "target", match.get("actor_type"), ref.id))
        _finish_type(draft)
    for draft in drafts:
        if draft.place is None:
            draft.context_place = _context_place(draft, ctx)
    merged: list[_Draft] = []
    for draft in drafts:
        # The nearest earlier event it continues, if any (a report that comes back to an
        # event after telling another).
        previous = next((m for m in reversed(merged) if _continues(m, draft)), None)
        if previous is not None:
            _merge_into(previous, draft)
            _finish_type(previous)
            continue
        merged.append(draft)
    # Weak events left with nothing to say (no claim, no actor) are noise.
    cumulative = {c.sentence for c in claim_mentions if getattr(c, "cumulative", False)}
    merged = [
        d for d in merged
        if d.strength != "weak" or d.claims
        or (not all(h.demoted for h in d.hits) and _named(d) and (d.place_own or d.date_own) and not any(s in cumulative for s in d.sentences))
    ]
    events = []
    placed: list[tuple[_Draft, Location]] = []  # events placed finer than a country
    for draft in merged:
        location = _location(draft, ctx, geoparser, placed)
        if location is not None and not (location.precision == 3 and location.admin1 is None):
            placed.append((draft, location))
        date = _event_date(draft, ctx, events)
        claims: dict[str, list[Claim]] = {kind: [] for kind in ("fatalities", "injuries", "captured", "released", "missing")}
        for claim in sorted(draft.claims, key=lambda c: c.claim.span):
            claims[claim.kind].append(claim.claim)
        evidence = tuple(Evidence(start, end, ctx.text[start:end]) for start, end in sorted(draft.sentences))
        events.append(
            Event(
                id=_event_id(document.id, draft),
                document_id=document.id,
                type=draft.type,
                subtype=draft.subtype,
                actors=tuple(sorted(draft.actors.values(), key=lambda a: a.span)),
                location=location,
                date=date,
                fatalities=tuple(claims["fatalities"]),
                injuries=tuple(claims["injuries"]),
                captured=tuple(claims["captured"]),
                released=tuple(claims["released"]),
                missing=tuple(claims["missing"]),
                evidence=evidence,
                confidence=_confidence(draft, location, date),
            )
        )
    return tuple(events)


class Extractor:
    """Everything extraction needs, built once: the spaCy pipeline and the geoparser.

    ``events(document)`` annotates and extracts one cleaned document;
    ``events_of_text(text, published=...)`` cleans raw text first (as ``sitreps run`` does).
    With ``places=False`` no gazetteer is opened and events carry no location.
    """

    def __init__(self, settings: Settings, *, geoparser: Geoparser | None = None, places: bool = True) -> None:
        from ..nlp import load_pipeline

        self.settings = settings
        self.nlp = load_pipeline(settings.nlp)
        if geoparser is None and places:
            geoparser = default_geoparser()
        self.geoparser = geoparser

    def events(self, document: Document) -> tuple[Event, ...]:
        from ..nlp import nlp_text

        doc = self.nlp(nlp_text(document.text, self.settings.nlp))
        return extract_events(document, doc, geoparser=self.geoparser)

    def events_of_text(self, text: str, *, published: str | None = None, source: str = "-") -> tuple[Document | None, tuple[Event, ...]]:
        from ..clean import make_document
        from ..ingest import RawInput

        document = make_document(RawInput(source=source, content=text, published=published), settings=self.settings)
        if not isinstance(document, Document):
            return None, ()
        return document, self.events(document)


@functools.lru_cache(maxsize=1)
def default_geoparser() -> Geoparser:
    """The process's geoparser over the default gazetteer (built on first use)."""
    from ..places import Gazetteer
    from ..places.geoparse import Geoparser

    return Geoparser(Gazetteer.open())
