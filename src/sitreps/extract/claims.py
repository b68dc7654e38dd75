"""Casualty claims: every number of people killed, injured, captured, released or missing in
a Doc, with the side it counts and who gives it.

``find_claims(doc, mentions=None, country=None, date=None, kb=None)`` takes a Doc that went
through the sitreps pipeline (it uses the Doc's sentences and dependency parse and the actor
component's ``doc._.actor_mentions``; it never runs the model again) and returns one
:class:`ClaimMention` per number per claimant, in text order:

- ``kind``: fatalities | injuries | captured | released | missing (``records.CLAIM_KINDS``);
- ``claim``: the :class:`~sitreps.records.Claim` (low, high, qualifier from
  :mod:`.numbers`; side and side_id; claimed_by; span and text of the figure phrase, e.g.
  "at least 17 militants of the Nusra Front"; scope "subset" for a part of another figure,
  "including 3 children", "16 of them children", "two commanders were among the dead");
- ``sentence``: the sentence's character offsets, ``anchor``: the offsets of the casualty
  word the number hangs on ("killed", "dead", "wounded", "toll"): events attach claims by them;
- ``cumulative``: a war statistic rather than the figure of one event ("since 2013",
  "since the war began", "so far this year", "over the past 24 hours", "has killed
  hundreds").

Sides: an actor mention inside the figure phrase or its "of/from X" complement; civilian
nouns (women, children, residents, passengers, ...) are "civilians"; soldiers, troops and
policemen without a named actor are the state forces of ``country`` (the article's main
country; else the country the mentions point to); militants, fighters, rebels without one
are the only non-state armed actor named in the sentence or the one before, else "unknown";
"people" is "civilians" where the sentence speaks of civilians or civilian places, "mixed"
where "both sides" are counted, else "unknown"; "its/their fighters" and "of them" resolve
through the sentence's actors; "our men", "we lost" count the claimant's side.

Claimants: "according to X", "X said/told/reported/claimed/confirmed ...", "citing X",
"a statement by X", "sources close to X"; nested attributions keep the chain from the
outermost relay to the origin (``Claimant.chain``); "he added", "the statement said" carry
the previous sentence's claimant over; unattributed numbers are the reporter's. A number
stated by two claimants ("SOHR and local sources said") is two claims.

Crime reports: one person is a figure of 1 ("a man was shot and killed", "Smith, 23, was
pronounced dead", "he died at the hospital", "the fatal shooting of Smith"); an age after a
name is no count. People "shot" without their fate are settled at the end of the document:
those shot less those reported dead (in the sentence, else in the document) are injuries,
unless the phrase names survivors ("shot in the leg") or other victims ("a second man").
A shooter or suspect hit ("police shot and killed the gunman") is the side "Unidentified
Armed Group", apart from the victims.

Speed: sentences are first filtered by a regular expression (a casualty word and a number
or number word); only those are looked at token by token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..records import Claim, Claimant
from .numbers import CountSpan, find_counts

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..actors.kb import Actor, KnowledgeBase


@dataclass(frozen=True, slots=True)
class ClaimMention:
    """One casualty figure as one claimant gives it, and where it sits in the Doc."""

    kind: str  # fatalities | injuries | captured | released | missing
    claim: Claim
    sentence: tuple[int, int]  # character offsets of the sentence
    anchor: tuple[int, int]  # the casualty word the number hangs on
    cumulative: bool = False  # a war statistic, not the figure of one event


# ---------------------------------------------------------------------------------------
# Lexicons

_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "fatalities": (
        "kill", "kills", "killed", "killing", "dead", "die", "died", "dies", "dying", "death",
        "deaths", "slain", "slay", "slew", "executed", "execute", "executing", "beheaded",
        "massacred", "perished", "perish", "neutralised", "neutralized", "neutralising",
        "neutralizing", "neutralise", "neutralize", "eliminated", "eliminating", "murdered",
        "murdering", "assassinated", "martyred", "martyrs", "fatalities", "fatality", "bodies",
        "corpses", "toll", "lives", "lost", "lose", "losing", "lynched", "shot",
    ),
    "injuries": (
        "wounded", "wounding", "wound", "wounds", "injured", "injuring", "injure", "injuries",
        "injury", "hurt", "maimed",
    ),
    "captured": (
        "captured", "capturing", "capture", "captive", "captives", "detained", "detaining",
        "detain", "arrested", "arresting", "arrest", "arrests", "abducted", "abducting",
        "abduct", "kidnapped", "kidnapping", "kidnap", "hostage", "hostages", "prisoner",
        "prisoners", "seized", "taken", "took", "abductions", "rounded",
    ),
    "released": (
        "released", "releasing", "release", "freed", "freeing", "free", "rescued", "rescuing",
        "liberated", "realsed", "relased", "releasd",
    ),
    "missing": ("missing", "unaccounted", "trapped", "disappeared"),
}  # fmt: skip
_KIND_OF = {word: kind for kind, words in _KIND_WORDS.items() for word in words}
# Words that name a casualty only with something else: "shot dead", "lost their lives",
# "took captive", "taken hostage".
_WEAK = {"lives", "lost", "lose", "losing", "shot", "taken", "took", "seized", "free", "rounded", "toll"}

# Crime reports ("a man was shot and killed", "was pronounced dead", "a 23-year-old woman was
# shot in the leg"): "shot" alone says a person was hit, not whether they lived. Such figures
# are read as kind "shot" and settled once the whole document is read (``_settle_shot``):
# the people shot less those reported dead are the injured.
_FATAL_ADVERBS = {"fatally", "mortally"}
_SHOT_NOT_HIT = {"at", "down", "up", "through", "into", "off", "out", "back", "video", "footage", "film"}
# One person named by a noun in a crime report, beyond the conflict lexicon's person nouns.
_VICTIM_NOUNS = {
    "teen", "teenager", "youth", "juvenile", "male", "female", "victim", "person", "man",
    "woman", "boy", "girl", "child", "toddler", "baby", "infant", "wife", "husband",
    "girlfriend", "boyfriend", "fiancee", "fiance", "son", "daughter", "stepson",
    "stepdaughter", "stepfather", "stepmother", "father", "mother", "brother", "sister",
    "cousin", "nephew", "niece", "uncle", "aunt", "grandson", "granddaughter", "grandmother",
    "grandfather", "friend", "neighbor", "neighbour", "roommate", "bystander", "officer",
    "deputy", "trooper", "clerk", "cashier", "customer", "owner", "homeowner", "resident",
    "student", "driver", "passenger", "employee", "worker", "guard", "pedestrian", "motorist",
    "gunman", "shooter", "suspect", "attacker", "assailant", "killer", "robber", "intruder",
}  # fmt: skip
_NOT_PERSON_ENTS = {"GPE", "LOC", "FAC", "DATE", "TIME", "NORP", "EVENT", "MONEY", "CARDINAL", "ORDINAL", "QUANTITY", "PRODUCT", "LAW", "WORK_OF_ART"}
# The one who shot: killed or wounded, a side of their own (not the victims').
_SHOOTER_NOUNS = {"gunman", "shooter", "suspect", "attacker", "assailant", "killer", "robber", "intruder"}
# "the shooting death of X", "the fatal shooting of X"
_DEATH_NOUNS = {"death", "killing", "murder", "slaying", "homicide", "shooting"}
# A figure of people shot that names survivors, or others than the dead.
_SURVIVED = re.compile(
    r"\b(?:in the (?:leg|legs|arm|arms|foot|feet|hand|hands|shoulder|back|buttocks|hip|thigh|ankle|knee|stomach|abdomen|side|wrist|elbow)"
    r"|non-?\s?life[- ]threatening|not life[- ]threatening|(?:stable|good|fair) condition|expected to (?:survive|recover)"
    r"|treated and released|survived|graze[ds]?)\b",
    re.IGNORECASE,
)
_OTHER_VICTIMS = re.compile(r"\b(?:another|other|others|second|third|fourth|also|additional)\b", re.IGNORECASE)

_PREFILTER_KIND = re.compile(
    r"\b(?:kill|dead|die[ds]?\b|dying|death|slain|slay|slew|execut|behead|massacr|perish|neutrali[sz]"
    r"|eliminat|murder|assassinat|martyr|fatalit|bodies|corpses|toll|lives|lost|los[ei]"
    r"|wound|injur|hurt|maim|captur|captive|detain|arrest|abduct|kidnap|hostage|prisoner|seiz"
    r"|taken|took|rounded|releas|realsed|relased|freed|free\b|rescu|liberat|missing"
    r"|unaccounted|trapped|disappeared|shot\b)",
    re.IGNORECASE,
)
_PREFILTER_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|thousand|dozen|dozens|scores|several|few|handful|tens|couple|a|an|the)\b",
    re.IGNORECASE,
)

# One person without a number word: "he died", "Smith was killed".
_PREFILTER_PERSON = re.compile(r"\b(?:[Hh]e|[Ss]he|him|her)\b|\b[A-Z][a-z]")

_CIVILIAN_NOUNS = {
    "civilian", "civilians", "woman", "women", "child", "children", "kid", "kids", "boy", "boys",
    "girl", "girls", "baby", "babies", "infant", "infants", "toddler", "resident", "residents",
    "villager", "villagers", "worshipper", "worshippers", "worshiper", "worshipers",
    "passenger", "passengers", "student", "students", "pupil", "pupils", "farmer", "farmers",
    "worker", "workers", "shepherd", "shepherds", "teacher", "teachers", "doctor", "doctors",
    "nurse", "nurses", "journalist", "journalists", "reporter", "reporters", "driver",
    "drivers", "shopper", "shoppers", "protester", "protesters", "protestors", "protestor",
    "demonstrator", "demonstrators", "pilgrim", "pilgrims", "refugee", "refugees",
    "family", "families", "mother", "mothers", "father", "fathers", "daughter", "daughters",
    "son", "sons", "brother", "brothers", "sister", "sisters", "elderly", "minors", "minor",
    "girls", "teenager", "teenagers", "aid", "volunteers", "volunteer", "medic", "medics",
    "paramedic", "paramedics", "rescuer", "rescuers", "traders", "trader", "merchant",
    "merchants", "fishermen", "fisherman", "herders", "herder", "miners", "miner",
    "mourners", "guests", "wedding", "displaced", "migrants", "migrant", "inmates",
    "patients", "patient", "employees", "employee", "staff", "truckers", "motorists",
    "pedestrians", "pedestrian", "bystanders", "bystander", "vendors", "vendor", "man", "men",
}  # fmt: skip
_STATE_NOUNS = {
    "soldier", "soldiers", "troops", "trooper", "troopers", "servicemen", "serviceman",
    "servicemembers", "policemen", "policeman", "police", "officers", "officer", "gendarmes",
    "gendarme", "guards", "guard", "conscripts", "conscript", "recruits", "personnel",
    "sailors", "airmen", "marines", "paratroopers", "commandos", "army", "policewomen",
}  # fmt: skip
_POLICE_NOUNS = {"policemen", "policeman", "police", "gendarmes", "gendarme", "policewomen"}
# Words of an actor's name that count its people ("20 Syrian forces"), unlike its things
# ("520 US airstrikes").
_FORCE_WORDS = {"forces", "force", "army", "troops", "militias", "units", "battalions", "brigades", "guards", "fighters"}
_FIGHTER_NOUNS = {
    "militant", "militants", "fighter", "fighters", "jihadist", "jihadists", "jihadi",
    "jihadis", "terrorist", "terrorists", "rebel", "rebels", "insurgent", "insurgents",
    "gunman", "gunmen", "assailant", "assailants", "attacker", "attackers", "militiamen",
    "militiaman", "militia", "combatant", "combatants", "extremist", "extremists", "members",
    "member", "commander", "commanders", "leader", "leaders", "emir", "emirs", "emirs",
    "operatives", "operative", "bandits", "bandit", "raiders", "elements", "mercenaries",
    "mujahideen", "recruits", "snipers", "sniper", "suicide", "bombers", "bomber",
    "separatists", "guerrillas", "guerrilla", "loyalists", "occupiers", "invaders", "enemy",
    "enemies", "peacekeepers", "peacekeeper", "troopers", "volunteers",
}  # fmt: skip
_PEOPLE_NOUNS = {
    "people", "persons", "person", "individuals", "individual", "others", "victims",
    "victim", "lives", "casualties", "hostages", "hostage", "captives", "captive",
    "prisoners", "prisoner", "detainees", "detainee", "abductees", "bodies", "body",
    "corpses", "dead", "wounded", "injured", "missing", "more", "suspects", "suspect",
    "men", "human", "humans", "souls", "ones", "deaths", "death", "fatalities",
}  # fmt: skip
_PERSON_NOUNS = _CIVILIAN_NOUNS | _STATE_NOUNS | _FIGHTER_NOUNS | _PEOPLE_NOUNS
# Nouns after a number that show it is no count of people.
_NOT_PEOPLE = re.compile(
    r"^[\s-]*(?:year|years|yr|month|months|week|weeks|day|days|hour|hours|minute|minutes|"
    r"second|seconds|km|kilometres?|kilometers?|miles?|metres?|meters?|m\b|kg|tons?|tonnes?|"
    r"per\s*cent|percent|%|am\b|pm\b|a\.m|p\.m|o'clock|GMT|GMT|UTC|dollars?|euros?|pounds?|"
    r"th\b|st\b|nd\b|rd\b|square|sq\b|acres?|hectares?|feet|foot|inch)",
    re.IGNORECASE,
)
_MONTHS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$",
    re.IGNORECASE,
)
_MONTH_AFTER = re.compile(
    r"^\s*(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥]|\b(?:US|USD|EUR|Rs|No|no|number|nos|#|page|article|resolution))\s*$")

_CIVILIAN_CONTEXT = re.compile(
    r"\b(?:civilians?|market|residential|homes?|houses?|neighbou?rhood|school|hospital|mosque|"
    r"church|wedding|funeral|camp for (?:the )?displaced|displacement camp|bus|passengers|"
    r"shoppers|apartment|block of flats|city cent(?:re|er)|bakery|worshippers)\b",
    re.IGNORECASE,
)
_BOTH_SIDES = re.compile(r"\b(?:on|from|of|among) (?:both|either|all) sides\b", re.IGNORECASE)

_CUMULATIVE = re.compile(
    r"\bsince (?:the (?:start|beginning|outbreak|onset)|the (?:war|conflict|uprising|revolution|"
    r"invasion|full-scale|insurgency)|(?:it|they|its|their|the group) (?:entered|began|started|"
    r"was deployed|deployed|joined)|(?:it|they) (?:was|were) (?:deployed|formed|created)|"
    r"(?:early |late |mid-)?(?:19|20)\d\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (?:19|20)\d\d|"
    r"the (?:group|movement|mission) (?:was|began)|its (?:deployment|creation|inception|founding))"
    r"|\bso far this (?:year|month)\b|\bthis year alone\b|\bin total since\b|\bto date\b"
    r"|\bover the (?:past|last|previous) (?:(?:few|several|two|three|four|five|six|ten) )?"
    r"(?:years?|decades?|months?|24 hours|day)\b|\bthroughout the (?:war|conflict)\b"
    r"|\b(?:in|during) the (?:[\w-]+ )?(?:war|conflict|civil war)\b(?! (?:zone|area))"
    r"|\bsince (?:it|they) (?:entered|joined)",
    re.IGNORECASE,
)
_LARGE_OPEN = 1000

# Attribution ----------------------------------------------------------------------------

_SPEECH_LEMMAS = {
    "say", "tell", "report", "claim", "confirm", "reveal", "state", "announce", "add",
    "allege", "admit", "acknowledge", "declare", "note", "write", "tweet", "insist", "assert",
    "publish", "post", "explain", "estimate", "indicate", "warn", "quote", "cite", "document",
    "record", "count", "put", "show", "accord", "disclose", "speak",
}  # fmt: skip
_SPEECH_WORDS = {
    "said", "says", "saying", "told", "tells", "reported", "reports", "reporting", "claimed",
    "claims", "claiming", "confirmed", "confirms", "revealed", "reveals", "stated", "states",
    "announced", "announces", "added", "adds", "alleged", "admitted", "acknowledged",
    "declared", "noted", "wrote", "tweeted", "insisted", "asserted", "published", "posted",
    "explained", "estimated", "indicated", "documented", "recorded", "counted", "disclosed",
    "spoke", "speaking",
}  # fmt: skip
_PRONOUN_SOURCES = {"he", "she", "they", "it", "we", "i"}
_STATEMENT_NOUNS = {
    "statement", "announcement", "report", "communique", "communiqué", "message", "post",
    "tweet", "video", "release", "bulletin", "update", "claim",
}  # fmt: skip
_MEDIA_TYPES = ("media", "partisan_media", "state_official")
# "the <noun>" naming a claimant met before: the types of claimant it can name (None: any).
_SOURCE_ANAPHORS: dict[str, tuple[str, ...] | None] = {
    "station": _MEDIA_TYPES, "channel": _MEDIA_TYPES, "broadcaster": _MEDIA_TYPES,
    "paper": _MEDIA_TYPES, "newspaper": _MEDIA_TYPES, "daily": _MEDIA_TYPES,
    "agency": _MEDIA_TYPES, "outlet": _MEDIA_TYPES, "network": None, "television": _MEDIA_TYPES,
    "monitor": ("monitor_ngo",), "observatory": ("monitor_ngo",), "organisation": None,
    "organization": None, "source": None, "spokesman": None, "spokeswoman": None,
    "spokesperson": None, "official": None, "army": ("state_military",),
    "military": ("state_military",), "ministry": ("state_official", "state_military"),
    "group": ("armed_group", "monitor_ngo"), "movement": ("armed_group",),
    "militants": ("armed_group",), "rebels": ("armed_group",), "mission": ("un",),
}  # fmt: skip
_CONTINUATION = re.compile(
    r"^\W*(?:the (?:statement|group|army|ministry|spokes(?:man|woman|person)|official|monitor|"
    r"report|source|sources|agency|military|police|governor|observatory)|he|she|they|it)\b",
    re.IGNORECASE,
)

_SOURCE_TYPES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\b(?:state|official|government|regime)[- ](?:media|television|tv|news agency|run media|broadcaster)\b", re.I), "state_official"),
    (re.compile(r"\b(?:opposition|rebel|pro-[\w-]+|jihadist|militant|partisan|insurgent)[- ](?:media|channels?|outlets?|news|tv|websites?|accounts?|news agency)\b", re.I), "partisan_media"),
    (re.compile(r"\b(?:local (?:official|officials|authorit(?:y|ies)|government|administrator|councillor|council|leader|chief)|mayor|district (?:commissioner|official|chief)|village (?:chief|head|leader)|provincial (?:government|official|council)|municipal|elected official|prefect|sub-prefect|county (?:official|commissioner)|regional (?:official|administration|authorit(?:y|ies))|local elected)\b", re.I), "local_authority"),
    (re.compile(r"\b(?:local sources?|residents?|witness(?:es)?|eyewitness(?:es)?|medics?|medical (?:sources?|workers?|staff|officials?)|hospital|doctors?|nurses?|activists?|rescuers?|rescue workers?|relatives|sources on the ground|tribal|elders?|community leaders?|survivors?|villagers?|paramedics?|ambulance)\b", re.I), "local_source"),
    (re.compile(r"\b(?:army|military|armed forces|defen[cs]e ministry|ministry of defen[cs]e|security sources?|military sources?|security officials?|troops|commanders?|general staff|army spokes\w+|military spokes\w+|security forces)\b", re.I), "state_military"),
    (re.compile(r"\b(?:monitor|observatory|rights group|human rights|ngo|watchdog|charity|aid group|red cross|red crescent)\b", re.I), "monitor_ngo"),
    (re.compile(r"\b(?:united nations|u\.n\.|un\b|peacekeeping mission|ocha|unicef|unhcr)\b", re.I), "un"),
    (re.compile(r"\b(?:governor|minister|ministry|government|president|prime minister|officials?|authorit(?:y|ies)|spokes(?:man|woman|person) for the government|police|interior|presidency|prosecutor'?s? office|prosecutors?|administration|kremlin|white house|pentagon)\b", re.I), "state_official"),
    (re.compile(r"\b(?:media|news|agency|television|tv|channel|newspaper|daily|outlet|journalists?|correspondents?|reporters?|broadcaster|radio|wire|website|sources?)\b", re.I), "media"),
    (re.compile(r"\b(?:militants?|rebels?|jihadists?|insurgents?|fighters?|the group|the movement|militia|spokes(?:man|woman|person))\b", re.I), "armed_group"),
)


# ---------------------------------------------------------------------------------------
# Internal records


@dataclass(slots=True)
class _Source:
    """One attribution found in a sentence."""

    name: str
    type: str
    start: int
    end: int
    actor_id: str | None = None  # the KB actor the claimant is (or is a person of)
    aligned: tuple[str, ...] = ()  # actor ids whose side it speaks for
    chain: tuple[str, ...] = ()
    verb: int | None = None  # token index of the speech verb or "according"
    pronoun: bool = False  # "he said": to be resolved from earlier sentences


@dataclass(slots=True)
class _Figure:
    count: CountSpan
    start: int  # token indices of the figure phrase (inclusive start, exclusive end)
    end: int
    num: int  # the number's head token
    noun: int | None  # the counted noun's token
    kind: str | None = None
    anchor: int | None = None
    subset: bool = False
    span: tuple[int, int] = (0, 0)
    possessor: str | None = None  # its | their | our | them | we


# ---------------------------------------------------------------------------------------
# Public API


def find_claims(
    doc: Doc,
    *,
    mentions: list[dict] | None = None,
    country: str | None = None,
    date: str | None = None,
    kb: KnowledgeBase | None = None,
) -> list[ClaimMention]:
    """Every casualty figure of ``doc`` as a :class:`ClaimMention`, in text order.

    ``mentions`` are the actor mentions (default ``doc._.actor_mentions``); ``country`` the
    article's main country (ISO alpha-2), which names bare "soldiers" and "police"; ``date``
    the ISO date the figures are read at (actor renamings); ``kb`` the knowledge base
    (default: the process's, as the actor component uses)."""
    if kb is None:
        from ..actors import default_matcher

        kb = default_matcher().kb
    if mentions is None:
        mentions = list(getattr(doc._, "actor_mentions", None) or [])
    mentions = sorted(
        (m for m in mentions if not _common_word(m)), key=lambda m: (m["start"], m["end"])
    )
    if country is None:
        country = _focus_country(mentions)
    reader = _Reader(doc, mentions, kb, country, date)
    return reader.run()


# ---------------------------------------------------------------------------------------


def _focus_country(mentions: list[dict]) -> str | None:
    counts: dict[str, float] = {}
    for mention in mentions:
        if mention.get("country"):
            weight = 1.0 if mention.get("how") in ("generic", "state_force") else 0.5
            counts[mention["country"]] = counts.get(mention["country"], 0) + weight
    if not counts:
        return None
    return max(sorted(counts), key=lambda code: counts[code])


def _common_word(mention: dict) -> bool:
    """A knowledge-base match on one ordinary lowercase word ("monitor" for Al-Monitor)."""
    text = mention.get("text") or ""
    return (
        mention.get("how") in ("alias", "renaming", "description")
        and mention.get("kind") in ("claimant", "political")
        and " " not in text
        and text.islower()
    )


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once and kept in ``doc.user_data`` (it lives and dies with the
    Doc): spaCy joins every token each time ``doc.text`` is read. Shared by the claim and
    event readers."""
    text = doc.user_data.get("sitreps_text")
    if text is None:
        text = doc.user_data["sitreps_text"] = doc.text
    return text


def span_text(span: Span) -> str:
    """``span.text`` cut from the Doc's text instead of joined from its tokens (the same
    string: a span runs from its first token's offset to its last token's end)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:.\"'“”‘’()[]")
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    return text


class _Reader:
    def __init__(self, doc: Doc, mentions: list[dict], kb: KnowledgeBase, country: str | None, date: str | None) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.mentions = mentions
        self.kb = kb
        self.country = country
        self.date = date
        self.history: list[_Source] = []  # claimants named so far, in text order

    # -- driver ---------------------------------------------------------------------------

    def run(self) -> list[ClaimMention]:
        results: list[ClaimMention] = []
        previous_sources: list[_Source] = []
        previous_sent: Span | None = None
        for sent in self.doc.sents:
            sent_text = span_text(sent)
            sources: list[_Source] | None = None
            figures: list[_Figure] = []
            if _PREFILTER_KIND.search(sent_text) and (_PREFILTER_NUMBER.search(sent_text) or _PREFILTER_PERSON.search(sent_text[1:])):
                figures = self._figures(sent)
            if figures:
                sources = self._sources(sent)
                resolved = self._resolve_pronoun_sources(sources, previous_sources, sent)
                for figure in figures:
                    results.extend(self._claims(sent, figure, figures, resolved, previous_sources, previous_sent))
            # Claimants carry over to the next sentence ("He added that ...").
            if sources is None and re.search(r"\b(?:said|says|told|according|reported|reports|claimed|added|stated|announced|citing|confirmed|revealed|spoke|told)\b", sent_text):
                sources = self._sources(sent)
            self._reported = None
            if sources:
                resolved = self._resolve_pronoun_sources(sources, previous_sources, sent)
                self.history.extend(s for s in resolved if not s.pronoun)
                speech = [s for s in resolved if s.verb is not None and any(c.dep_ == "ccomp" for c in self.doc[s.verb].children)]
                if speech and sent.end < len(self.doc):
                    self._reported = (sent.end, sent.end_char, speech)
                if any(not s.pronoun for s in resolved) or resolved:
                    previous_sources = resolved
            elif sources is not None or not _quote_continues(sent_text):
                # A sentence of the reporter's own breaks the chain unless it opens a quote.
                if not sources and previous_sources and not _CONTINUATION.match(sent_text):
                    previous_sources = previous_sources if _in_quote(sent_text) else []
            previous_sent = sent
        return self._settle_shot(results)

    def _settle_shot(self, results: list[ClaimMention]) -> list[ClaimMention]:
        """People "shot" become injuries: those shot less those reported dead, in the same
        sentence ("four men were shot and two of them died") or, where the sentence names
        no dead, in the whole document ("a man was shot ... he died at the hospital"); a
        figure that names survivors ("shot in the leg") or other victims ("another man was
        also shot") keeps its number."""
        fatal = [m for m in results if m.kind == "fatalities" and not m.cumulative and m.claim.scope != "subset"]
        in_document = max((m.claim.low for m in fatal), default=0)
        settled = []
        for mention in results:
            if mention.kind != "shot":
                settled.append(mention)
                continue
            sentence = self.text[mention.sentence[0] : mention.sentence[1]]
            same = [m.claim.low for m in fatal if m.sentence == mention.sentence]
            if same:
                dead = sum(same)
            elif _SURVIVED.search(sentence) or _OTHER_VICTIMS.search(mention.claim.text):
                dead = 0
            else:
                dead = in_document
            low = mention.claim.low - dead
            if low <= 0:
                continue
            high = mention.claim.high - dead if mention.claim.high is not None else None
            claim = replace(mention.claim, low=low, high=high)
            settled.append(replace(mention, kind="injuries", claim=claim))
        return settled

    # -- figures ------------------------------------------------------------------------

    def _token_at(self, char: int, sent: Span) -> Token | None:
        for token in sent:
            if token.idx <= char < token.idx + len(token.text):
                return token
        return None

    def _figures(self, sent: Span) -> list[_Figure]:
        doc = self.doc
        offset = sent.start_char
        sent_text = span_text(sent)
        figures: list[_Figure] = []
        taken: list[tuple[int, int]] = []
        for count in find_counts(sent_text):
            start, end = count.start + offset, count.end + offset
            before = self.text[max(0, start - 12) : start]
            after = self.text[end : end + 14]
            if _NOT_PEOPLE.match(after) or _MONTHS.search(before.strip()) or _MONTH_AFTER.match(after):
                continue
            if _CURRENCY_BEFORE.search(before) or re.match(r"^\s*(?:st|nd|rd|th)\b|^\d", after):
                continue
            if re.match(r"^[.:]\d", after) or re.search(r"\d[.:]$", before):
                continue  # times, decimals, list numbering
            if 1900 <= count.low <= 2100 and count.high in (None, count.low) and re.fullmatch(r"\d{4}", count.text.strip()):
                continue  # a year
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            if self._is_age(count, span, before, after):
                continue
            figure = self._figure(count, span, sent)
            if figure is not None:
                figures.append(figure)
                taken.append((figure.start, figure.end))
        singles = self._singles(sent, taken)
        figures.extend(singles)
        taken.extend((f.start, f.end) for f in singles)
        figures.sort(key=lambda f: f.start)
        for figure in figures:
            self._anchor(figure, sent)
        # victims of crime reports come with their casualty word already read; a casualty
        # word that counts a figure already is not told again by one person on it
        used = {f.anchor for f in figures if f.kind is not None}
        figures.extend(f for f in self._victims(sent, taken) if f.anchor not in used)
        figures.sort(key=lambda f: f.start)
        self._share_anchors(figures, sent)
        self._share_qualifiers(figures)
        return [f for f in figures if f.kind is not None]

    def _figure(self, count: CountSpan, span: Span, sent: Span) -> _Figure | None:
        doc = self.doc
        num = span[-1]
        i = num.i + 1
        noun: int | None = None
        possessor: str | None = None
        end = num.i + 1
        # "one of the ...", "13 of its fighters", "dozens of them", "90 of them"
        if i < sent.end and doc[i].lower_ in ("of", "from") and i + 1 < sent.end:
            j = i + 1
            if doc[j].lower_ in ("them", "whom", "those", "these", "us"):
                possessor = "them" if doc[j].lower_ != "us" else "our"
                k = j + 1
                while k < sent.end and doc[k].lower_ in ("were", "was", "being", "are"):
                    k += 1
                if k < sent.end and doc[k].lower_ in _PERSON_NOUNS and doc[k].pos_ == "NOUN":
                    # "16 of them children": the noun says who they were
                    return _Figure(count, span.start, k + 1, num.i, k, possessor=possessor)
                return _Figure(count, span.start, j + 1, num.i, None, possessor=possessor)
            while j < sent.end and doc[j].lower_ in ("the", "its", "their", "our", "his", "her", "those", "these") or (j < sent.end and doc[j].pos_ in ("ADJ", "PROPN") and j + 1 < sent.end and doc[j + 1].pos_ in ("NOUN", "PROPN", "ADJ")):
                if doc[j].lower_ in ("its", "their", "our"):
                    possessor = doc[j].lower_
                j += 1
                if j - i > 6:
                    break
            # the noun: the first person noun or actor mention token
            k = j
            while k < sent.end and k - j < 4:
                if doc[k].lower_ in _PERSON_NOUNS or self._mention_at(doc[k].idx):
                    noun = k
                    break
                if doc[k].pos_ not in ("ADJ", "PROPN", "NOUN", "PUNCT") and doc[k].lower_ != "-":
                    break
                k += 1
            if noun is None:
                return None  # "one of the villages"
            while noun + 1 < sent.end and doc[noun + 1].lower_ in _PERSON_NOUNS:
                noun += 1
            return _Figure(count, span.start, noun + 1, num.i, noun, possessor=possessor)
        # The counted noun: the first noun after the number, over adjectives and names.
        k = i
        while k < sent.end and k - i < 5:
            token = doc[k]
            lower = token.lower_
            if lower in _PERSON_NOUNS or (lower.endswith("s") and lower[:-1] in _PERSON_NOUNS):
                noun = k
                # "17 militants", "3 wounded": keep going over compounds "NDF fighters"
                while noun + 1 < sent.end and doc[noun + 1].lower_ in (_PERSON_NOUNS - {"dead", "wounded", "injured", "missing", "more"}) and doc[noun + 1].pos_ in ("NOUN", "PROPN"):
                    noun += 1
                break
            if token.pos_ in ("ADJ", "PROPN") or lower in ("-", "pro", "government", "opposition", "regime", "army", "security", "police", "rebel", "militia", "islamic", "state", "other", "more", "of") or self._mention_at(token.idx) or token.ent_type_:
                k += 1
                continue
            if token.pos_ == "NOUN":
                # "18 Hezbollah" is a count of the actor itself; a noun we do not know is no person
                break
            break
        if noun is None:
            # "18 Hezbollah": an actor named right after the number counts its members.
            if i < sent.end and self._mention_at(doc[i].idx) and self._mention_at(doc[i].idx).get("kind") in ("armed", "political"):
                m = self._mention_at(doc[i].idx)
                last = i
                while last + 1 < sent.end and doc[last + 1].idx < m["end"]:
                    last += 1
                after = doc[last + 1] if last + 1 < sent.end else None
                for word in (doc[last], after):
                    if word is not None and word.pos_ == "NOUN" and word.lower_ not in _PERSON_NOUNS | _FORCE_WORDS:
                        return None  # "520 US airstrikes", "12 Russian jets": the actor's things
                return _Figure(count, span.start, last + 1, num.i, last)
            # A bare number: "17 were killed", "killing 17", "three dead" -- but not "12 drones".
            if i < sent.end and doc[i].pos_ in ("NOUN", "PROPN") and doc[i].lower_ not in _KIND_OF and not self._mention_at(doc[i].idx):
                return None
            if count.vague and i < sent.end and doc[i].lower_ == "of":
                return None
            if count.text.strip().lower() in ("some", "several", "a few", "tens") and (i >= sent.end or doc[i].is_punct):
                return None
            return _Figure(count, span.start, num.i + 1, num.i, None)
        end = noun + 1
        # "17 militants of the Nusra Front", "12 militants from ISIS", "fighters loyal to X"
        if end < sent.end and doc[end].lower_ in ("of", "from", "belonging", "loyal", "affiliated", "with", "in") :
            j = end + 1
            if doc[end].lower_ in ("belonging", "loyal", "affiliated") and j < sent.end and doc[j].lower_ == "to":
                j += 1
            while j < sent.end and doc[j].lower_ in ("the", "a", "an"):
                j += 1
            mention = self._mention_at(doc[j].idx) if j < sent.end else None
            if mention and mention.get("kind") in ("armed", "political", "unidentified", "claimant", "person"):
                last = j
                while last + 1 < sent.end and doc[last + 1].idx < mention["end"]:
                    last += 1
                end = last + 1
        return _Figure(count, span.start, end, num.i, noun, possessor=possessor)

    def _singles(self, sent: Span, taken: list[tuple[int, int]]) -> list[_Figure]:
        """A single person: "a civilian was killed", "killing the driver", "one soldier"."""
        doc = self.doc
        figures = []
        for token in sent:
            lower = token.lower_
            if token.pos_ not in ("NOUN", "PROPN") or token.tag_ in ("NNS", "NNPS"):
                continue
            if lower not in _PERSON_NOUNS or lower in ("people", "dead", "wounded", "injured", "missing", "more", "others", "death", "lives", "bodies", "casualties", "fatalities", "deaths", "body", "police", "army", "staff", "personnel", "militia", "aid", "wedding", "displaced", "elderly", "family"):
                continue
            if any(s <= token.i < e for s, e in taken):
                continue
            det = [c for c in token.children if c.dep_ in ("det", "nummod", "poss")]
            if not det or det[0].lower_ not in ("a", "an", "one", "the", "another"):
                continue
            argument = token
            while argument.dep_ == "conj" and argument.head.i != argument.i:
                argument = argument.head  # "two soldiers and a civilian were killed"
            head = argument.head
            # only a direct argument of a casualty word: "killing the driver", "a soldier was wounded"
            if argument.dep_ not in ("nsubjpass", "dobj", "nsubj") or head.lower_ not in _KIND_OF or head.lower_ in _WEAK:
                continue
            if argument.dep_ == "nsubj" and head.lower_ not in ("died", "dies", "die", "missing"):
                continue
            first = min(det[0].i, min((c.i for c in token.lefts), default=token.i))
            text = self.text[doc[first].idx : token.idx + len(token.text)]
            number_span = (doc[first].idx, doc[first].idx + len(doc[first].text))
            count = CountSpan(doc[first].idx - sent.start_char, token.idx + len(token.text) - sent.start_char, text, 1, 1, "exact", number_span)
            figures.append(_Figure(count, first, token.i + 1, det[0].i, token.i))
        return figures

    def _is_age(self, count: CountSpan, span: Span, before: str, after: str) -> bool:
        """An age, not a count: "John Smith, 23, was killed", "two boys, ages 15 and 16",
        "Smith (23)", "both 17"."""
        if not re.fullmatch(r"\d{1,3}", count.text.strip()) or count.low > 120:
            return False
        if re.search(r"\b(?:ages?|aged|both)\s*$", before, re.IGNORECASE):
            return True
        if not re.match(r"^\s*(?:[,);]|and\b|of\b|\.\s|$)", after):
            return False
        doc = self.doc
        i = span.start - 1
        if i >= 0 and doc[i].text in (",", "("):
            i -= 1
            return i >= 0 and (doc[i].pos_ == "PROPN" or doc[i].ent_type_ == "PERSON" or doc[i].lower_ in _VICTIM_NOUNS)
        return False

    def _victims(self, sent: Span, taken: list[tuple[int, int]]) -> list[_Figure]:
        """One person in a crime report: "a man was shot and killed", "Smith was pronounced
        dead", "he died at the hospital", "a 17-year-old was shot in the leg", "the shooting
        death of Smith", "the gunman took his own life". Each is a figure of 1 with its kind
        ("shot" for people hit whose fate the phrase does not say) and anchor set."""
        doc = self.doc
        figures = []
        for token in sent:
            if any(s <= token.i < e for s, e in taken) or not self._victim_head(token):
                continue
            found = self._victim_predicate(token)
            if found is None:
                continue
            anchor, kind = found
            first = token.i
            if token.pos_ != "PRON":
                lefts = [c.i for c in token.lefts if c.dep_ in ("det", "poss", "nummod", "amod", "compound", "npadvmod", "punct")]
                first = min([token.i, *lefts])
                if doc[first].is_punct:
                    first += 1
            if token.pos_ == "PROPN":
                while first > sent.start and doc[first - 1].dep_ == "compound" and doc[first - 1].pos_ == "PROPN":
                    first -= 1
            text = self.text[doc[first].idx : token.idx + len(token.text)]
            if "\n" in text:
                continue
            number_span = (doc[first].idx, doc[first].idx + len(doc[first].text))
            count = CountSpan(doc[first].idx - sent.start_char, token.idx + len(token.text) - sent.start_char, text, 1, 1, "exact", number_span)
            figure = _Figure(count, first, token.i + 1, token.i, token.i, kind=kind, anchor=anchor)
            figures.append(figure)
            taken.append((first, token.i + 1))
        return figures

    def _victim_head(self, token: Token) -> bool:
        doc = self.doc
        lower = token.lower_
        if token.pos_ == "PRON":
            return lower in ("he", "she") or (lower in ("him", "her") and token.dep_ == "dobj")
        if token.pos_ == "PROPN":
            # a name (the NER often takes one for an organisation), not a place or an actor
            return (
                token.dep_ not in ("compound", "poss")
                and not token.text.isupper()  # a dateline, an acronym
                and token.ent_type_ not in _NOT_PERSON_ENTS
                and self._mention_at(token.idx) is None
            )
        if lower == "old" and token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ in ("year", "month"):
            return token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos")  # "a 17-year-old"
        if token.pos_ != "NOUN" or token.tag_ in ("NNS", "NNPS"):
            return False
        if lower not in _VICTIM_NOUNS and lower not in _PERSON_NOUNS:
            return False
        if lower in ("people", "dead", "wounded", "injured", "missing", "more", "others", "death", "lives", "bodies", "police", "army", "staff", "personnel", "militia", "aid", "wedding", "displaced", "elderly", "family"):
            return False
        return any(c.dep_ in ("det", "poss", "nummod") and c.lower_ not in ("no", "every", "each", "any", "some") for c in token.children)

    def _victim_predicate(self, token: Token) -> tuple[int, str] | None:
        """The casualty word one person is an argument of, and its kind."""
        # "a man shot to death in his car", "the third man killed": a participle on the noun;
        # "a boy shot on Friday has died": the clause's word wins when it says more
        participle = None
        for child in token.children:
            if child.dep_ == "acl" and child.tag_ == "VBN":
                kind = self._verb_kind(child)
                if kind is not None:
                    participle = (child.i, kind)
                    break
        found = self._clause_predicate(token)
        if found is not None and (found[1] == "fatalities" or participle is None):
            return found
        return participle or found

    def _clause_predicate(self, token: Token) -> tuple[int, str] | None:
        argument = token
        while argument.dep_ in ("conj", "appos") and argument.head.i != argument.i:
            argument = argument.head  # "Smith and a woman were shot"
        dep, head = argument.dep_, argument.head
        if head.i == argument.i:
            return None
        # "the shooting death of Smith", "the killing of a teenager"
        if dep == "pobj" and head.lower_ == "of" and head.head.lower_ in _DEATH_NOUNS:
            # only a shooting named as fatal: "the killing of a trader" may be another event's
            noun = head.head
            words = {c.lower_ for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
            if words & {"shooting", "gunshot", "fatal", "deadly"}:
                return noun.i, "fatalities"
            return None
        passive = dep == "nsubjpass" or any(c.dep_ == "auxpass" for c in head.children)
        if dep in ("nsubjpass", "dobj") or (dep == "nsubj" and (passive or head.dep_ in ("ccomp", "xcomp", "acl", "advcl") and head.tag_ == "VBN")):
            kind = self._verb_kind(head)
            if kind is not None:
                return head.i, kind
        if dep == "nsubj":
            lower = head.lower_
            if lower in ("died", "dies", "die", "dying"):
                return head.i, "fatalities"
            if head.lemma_ == "be" and any(c.dep_ == "acomp" and c.lower_ == "dead" for c in head.children):
                return head.i, "fatalities"  # "she is dead"
            if head.lemma_ in ("take", "end") and any(c.dep_ == "dobj" and c.lower_ == "life" and any(g.lower_ == "own" for g in c.children) for c in head.children):
                return head.i, "fatalities"  # "took his own life"
            if head.lemma_ in ("kill", "shoot") and any(c.dep_ == "dobj" and c.lower_ in ("himself", "herself") for c in head.children):
                kind = self._verb_kind(head)
                if kind == "shot" and not _SURVIVED.search(span_text(head.sent)):
                    return None  # "shot himself": accident or suicide, told elsewhere
                return (head.i, kind) if kind is not None else None
            if head.lemma_ in ("suffer", "sustain", "receive"):
                for c in head.children:
                    if c.dep_ == "dobj" and c.lower_ in ("wound", "wounds", "injury", "injuries"):
                        fatal = any(g.lower_ in ("fatal", "mortal", "deadly") for g in c.children)
                        gunshot = any(g.lower_ in ("gunshot", "gunshots", "bullet") for g in c.subtree)
                        if fatal:
                            return c.i, "fatalities"
                        if gunshot or c.lower_ in ("injury", "injuries"):
                            return c.i, "shot" if gunshot else "injuries"
        return None

    def _verb_kind(self, verb: Token) -> str | None:
        """The kind a verb gives the person it acts on: "killed" fatalities, "shot" shot,
        "shot and killed" fatalities, "pronounced dead" fatalities, "wounded" injuries."""
        lower = verb.lower_
        if lower == "shot":
            return self._shot_kind(verb)
        if lower in ("pronounced", "declared", "found", "confirmed", "reported", "left", "leaving", "leave"):
            for c in verb.children:
                if c.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "advcl", "conj", "attr") and c.lower_ in ("dead", "deceased"):
                    return "fatalities"
                if c.dep_ in ("oprd", "xcomp", "ccomp", "advcl") and c.lower_ == "shot":
                    return self._shot_kind(c)  # "found shot"
            return None
        if lower in ("killed", "killing", "kills", "kill", "murdered", "murdering", "slain", "slaying", "executed", "gunned", "assassinated"):
            return "fatalities"
        if lower in ("wounded", "injured", "hurt", "struck", "hit", "grazed"):
            if any(c.lower_ in _FATAL_ADVERBS for c in verb.children):
                return "fatalities"
            if lower in ("struck", "hit"):
                window = " ".join(t.lower_ for t in verb.subtree)
                return "shot" if re.search(r"\b(?:bullets?|gunfire|gunshots?|rounds?|shots?)\b", window) else None
            return "injuries"
        return None

    def _shot_kind(self, verb: Token) -> str | None:
        """"shot" as a verb: "fatalities" when the phrase says the person died ("shot dead",
        "shot to death", "fatally shot", "shot and killed"), "shot" when it does not, None
        when nobody was hit ("shot at", "shot down", "a shot")."""
        doc = self.doc
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        nxt = doc[verb.i + 1].lower_ if verb.i + 1 < len(doc) else ""
        if nxt == "dead":
            return "fatalities"
        if nxt in _SHOT_NOT_HIT:
            return None
        for c in verb.children:
            if c.lower_ in _FATAL_ADVERBS:
                return "fatalities"
            if c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children):
                return "fatalities"
            if c.dep_ == "conj" and c.lemma_ in ("kill", "die") and c.i - verb.i <= 6 and not any(g.dep_.startswith("nsubj") for g in c.children):
                return "fatalities"
            if c.dep_ in ("prt", "prep") and c.lower_ in ("at", "down", "up"):
                return None
        prev = doc[verb.i - 1].lower_ if verb.i else ""
        if prev in _FATAL_ADVERBS:
            return "fatalities"
        return "shot"

    def _mention_at(self, char: int) -> dict | None:
        for mention in self.mentions:
            if mention["start"] <= char < mention["end"]:
                return mention
            if mention["start"] > char:
                break
        return None

    # -- anchors ------------------------------------------------------------------------

    def _kind_of(self, token: Token, figure: _Figure) -> str | None:
        lower = token.lower_
        kind = _KIND_OF.get(lower)
        if kind is None:
            return None
        doc = self.doc
        if lower in _WEAK:
            if lower == "toll":
                prev = doc[token.i - 1].lower_ if token.i else ""
                if prev in ("injury", "wounded"):
                    return "injuries"
                return "fatalities" if prev in ("death", "casualty", "the", "a", "its", "final") or True else None
            if lower == "shot":
                kind = self._shot_kind(token)
                after = doc[figure.end].lower_ if figure.end < len(doc) else ""
                if kind == "shot" and after in _FATAL_ADVERBS:
                    return "fatalities"  # "two people were shot, one fatally"
                return kind
            if lower == "lives":
                prev = doc[token.i - 1].lower_ if token.i else ""
                prev2 = doc[token.i - 2].lower_ if token.i > 1 else ""
                return "fatalities" if prev in ("lost", "claimed", "claiming", "their") or prev2 in ("lost", "claimed") else None
            if lower in ("lost", "lose", "losing"):
                # "we lost 4 soldiers" (a person noun right after), not "lost ground"
                if figure.noun is not None and doc[figure.noun].lower_ in _PERSON_NOUNS and figure.start > token.i and figure.start - token.i <= 3:
                    return "fatalities"
                if figure.noun is None and figure.possessor and figure.start > token.i:
                    return "fatalities"
                return None
            if lower in ("taken", "took", "seized", "rounded"):
                window = " ".join(t.lower_ for t in doc[token.i + 1 : min(len(doc), token.i + 8)])
                if re.search(r"\b(?:hostage|captive|prisoner|prisoners|hostages|away|up)\b", window) and "hospital" not in window:
                    return "captured"
                if lower in ("taken", "seized") and figure.noun is not None and doc[figure.noun].lower_ in _PERSON_NOUNS - {"bodies", "body"} and "hospital" not in window and not window.startswith("to "):
                    return "captured"
                return None
            if lower == "free":
                prev = doc[token.i - 1].lower_ if token.i else ""
                return "released" if prev in ("set", "sets", "setting", "to", "were", "was") else None
        if kind == "injuries" and (
            any(c.lower_ in _FATAL_ADVERBS for c in token.children) or (token.i and doc[token.i - 1].lower_ in _FATAL_ADVERBS)
        ):
            return "fatalities"  # "fatally wounded"
        if lower in ("death", "deaths") and figure.noun is not None and figure.noun != token.i:
            return None  # "sentenced three men to death"
        if lower == "wound" and token.pos_ == "NOUN" and figure.noun is None:
            return None
        if lower in ("release", "capture", "arrest", "arrests") and token.pos_ == "NOUN" and figure.noun is None:
            return None
        if lower == "missing" and figure.noun is not None and doc[figure.noun].lower_ in ("people", "persons"):
            return kind
        return kind

    def _anchor(self, figure: _Figure, sent: Span) -> None:
        doc = self.doc
        if figure.kind is not None:
            return
        # The counted noun may itself be the casualty word: "14 wounded", "three dead".
        if figure.noun is not None and doc[figure.noun].lower_ in ("dead", "wounded", "injured", "missing", "bodies", "corpses", "deaths", "fatalities", "hostages", "captives", "prisoners", "detainees", "abductees"):
            token = doc[figure.noun]
            kind = {"dead": "fatalities", "bodies": "fatalities", "corpses": "fatalities", "deaths": "fatalities", "fatalities": "fatalities", "wounded": "injuries", "injured": "injuries", "missing": "missing", "hostages": "captured", "captives": "captured", "prisoners": "captured", "detainees": "captured", "abductees": "captured"}[token.lower_]
            # prisoners/hostages that are released or freed are releases
            if kind == "captured":
                found = self._walk(figure, sent)
                if found is not None:
                    figure.anchor, figure.kind = found
                    self._mark_subset(figure, sent)
                    return
                if token.lower_ in ("prisoners", "detainees"):
                    return  # "200 prisoners" alone is no capture
            figure.anchor, figure.kind = token.i, kind
            self._mark_subset(figure, sent)
            return
        found = self._walk(figure, sent)
        if found is None:
            found = self._window(figure, sent)
        if found is not None:
            figure.anchor, figure.kind = found
            self._mark_subset(figure, sent)

    def _walk(self, figure: _Figure, sent: Span) -> tuple[int, str] | None:
        """The casualty word above the figure in the dependency tree (a few steps up)."""
        doc = self.doc
        start = doc[figure.noun] if figure.noun is not None else doc[figure.num]
        # number words parsed as the head ("dozens of them": dozens is the head)
        token = start
        if token.dep_ in ("nummod", "quantmod") and token.head.i != token.i and figure.noun is None:
            token = token.head
        # children first: "three dead" (amod), "the dead", "bodies of 9"
        for child in token.children:
            if child.dep_ in ("amod", "acl", "oprd", "relcl") and child.i > token.i:
                kind = self._kind_of(child, figure)
                if kind is None and child.dep_ == "relcl":
                    # "soldiers that ISIS took captive"
                    for grandchild in child.children:
                        if grandchild.dep_ in ("oprd", "acomp", "xcomp", "dobj") and grandchild.lower_ in ("captive", "hostage", "prisoner", "hostages", "captives", "prisoners"):
                            kind = "captured"
                if kind is None:
                    continue
                if child.dep_ == "relcl":
                    # the noun must be what the clause's verb acts on: "who were killed",
                    # "whom they abducted", not "who killed five"
                    pronoun = [c for c in child.children if c.lower_ in ("who", "whom", "that", "which")]
                    passive = any(c.dep_ == "auxpass" for c in child.children)
                    if not (passive or (pronoun and pronoun[0].dep_ in ("dobj", "nsubjpass"))):
                        continue
                return child.i, kind
        # "30 wounded people", "two dead soldiers"
        if figure.noun is not None:
            for between in self.doc[figure.num + 1 : figure.noun]:
                if between.lower_ in ("dead", "wounded", "injured", "missing", "abducted", "kidnapped", "detained", "captured", "released", "freed", "killed"):
                    return between.i, _KIND_OF[between.lower_]
        steps = 0
        while token.head.i != token.i and steps < 5:
            dep = token.dep_
            head = token.head
            steps += 1
            if not (sent.start <= head.i < sent.end):
                break
            kind = self._kind_of(head, figure)
            if kind:
                if self._another_subject(head, token):
                    return self._verb_before(figure, sent) or (head.i, kind)
                return head.i, kind
            if head.lemma_ in _SPEECH_LEMMAS or head.lower_ in _SPEECH_WORDS:
                break
            # bridges: "the toll rose to 15", "left three dead", "were among the dead",
            # "put the death toll at 12", "bringing the number of dead to 20"
            if head.pos_ in ("VERB", "AUX") or head.lemma_ in ("among", "including"):
                for child in head.children:
                    if child.i == token.i:
                        continue
                    if child.dep_ in ("nsubj", "nsubjpass", "dobj", "oprd", "acomp", "attr", "prep", "xcomp", "ccomp", "conj", "pobj"):
                        hit = self._bridge(child, figure)
                        if hit is not None:
                            return hit
                if head.pos_ == "VERB" and head.lemma_ not in ("rise", "reach", "climb", "put", "leave", "include", "be", "bring", "stand", "increase", "jump", "hit", "number", "total", "raise", "count", "have", "see", "report", "confirm", "find", "recover", "pull", "retrieve", "identify", "receive", "treat"):
                    if dep not in ("conj", "appos"):
                        break
            if dep in ("relcl", "advcl", "ccomp", "parataxis") and head.pos_ == "VERB":
                break
            token = head
        return None

    @staticmethod
    def _another_subject(verb: Token, child: Token) -> bool:
        """A parse gone wrong: the verb has several subjects and ``child`` (the way up from
        the figure) is not the one nearest before it ("capturing bases including two Emirs,
        47 fighters and killing 90 of them later 27 of them were realsed", run together, gives
        "realsed" three subjects; only "27 of them" is its own)."""
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if len(subjects) < 2 or child not in subjects:
            return False
        before = [c for c in subjects if c.i < verb.i]
        return bool(before) and child.i != max(c.i for c in before)

    def _verb_before(self, figure: _Figure, sent: Span) -> tuple[int, str] | None:
        """The nearest casualty verb before the figure in its sentence, read in text order."""
        for token in reversed(self.doc[sent.start : figure.start]):
            if token.pos_ == "VERB":
                kind = self._kind_of(token, figure)
                if kind:
                    return token.i, kind
        return None

    def _bridge(self, child: Token, figure: _Figure) -> tuple[int, str] | None:
        lower = child.lower_
        if lower in ("toll",):
            return child.i, "fatalities" if not any(c.lower_ in ("injury", "wounded") for c in child.children) else "injuries"
        if lower in ("dead", "wounded", "injured", "missing", "fatalities", "deaths", "casualties") and child.dep_ != "prep":
            if lower == "casualties":
                return None
            return child.i, _KIND_OF.get(lower, "fatalities")
        if child.dep_ == "prep" and lower in ("among", "to", "at"):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    if grandchild.lower_ in ("dead", "wounded", "injured", "killed", "victims", "fatalities", "casualties", "missing", "hostages", "toll"):
                        kind = {"wounded": "injuries", "injured": "injuries", "missing": "missing", "hostages": "captured"}.get(grandchild.lower_, "fatalities")
                        return grandchild.i, kind
        if child.dep_ in ("nsubj", "dobj") and child.lower_ in ("number", "tally", "count"):
            for grandchild in child.subtree:
                if grandchild.lower_ in ("dead", "killed", "deaths", "victims", "fatalities"):
                    return child.i, "fatalities"
                if grandchild.lower_ in ("wounded", "injured"):
                    return child.i, "injuries"
        return None

    def _window(self, figure: _Figure, sent: Span) -> tuple[int, str] | None:
        """No path in the parse: the casualty word next to the figure in the same clause."""
        doc = self.doc
        # right: "17 militants of the Nusra Front were killed", "were reported dead"
        for j in range(figure.end, min(sent.end, figure.end + 5)):
            token = doc[j]
            if token.is_punct and token.text not in ("-", "’", "'"):
                break
            if token.like_num and j > figure.end:
                break
            kind = self._kind_of(token, figure)
            if kind:
                # "17 died", "were killed", "are missing": an auxiliary or the word itself
                between = [t for t in doc[figure.end : j] if not (t.pos_ in ("AUX", "ADV", "PART") or t.lower_ in ("reportedly", "also", "later", "been", "have", "had", "were", "was", "are", "is", "still"))]
                if not between:
                    return j, kind
                break
        # left: "killing 17", "killed at least 12", "captured three others", "injuring over a dozen"
        for j in range(figure.start - 1, max(sent.start - 1, figure.start - 3), -1):
            token = doc[j]
            if token.is_punct:
                break
            kind = self._kind_of(token, figure)
            if kind:
                return j, kind
            if token.pos_ not in ("ADV", "ADP", "DET", "PART", "AUX"):
                break
        return None

    def _share_anchors(self, figures: list[_Figure], sent: Span) -> None:
        """Coordinated figures share one casualty word: "36 opposition fighters, 18 Hezbollah
        and 13 NDF fighters were killed"; "X dead and Y wounded" keeps its own words."""
        for index in range(len(figures) - 2, -1, -1):
            figure, following = figures[index], figures[index + 1]
            if figure.kind is not None or following.kind is None:
                continue
            between = self.text[self.doc[figure.end - 1].idx + len(self.doc[figure.end - 1].text) : self.doc[following.start].idx]
            if re.fullmatch(r"\s*(?:,\s*|\s+and\s+|,\s*and\s+|\s*and\s+)?", between) and between.strip(" ") in (",", "and", ", and", ""):
                if following.anchor is not None and following.anchor > following.start:
                    figure.anchor, figure.kind = following.anchor, following.kind
        for index in range(1, len(figures)):
            figure, before = figures[index], figures[index - 1]
            if figure.kind is not None or before.kind is None:
                continue
            between = self.text[self.doc[before.end - 1].idx + len(self.doc[before.end - 1].text) : self.doc[figure.start].idx]
            of_them = figure.possessor == "them" and before.anchor is not None and before.anchor < figure.start and self.text[
                self.doc[before.anchor].idx + len(self.doc[before.anchor].text) : self.doc[figure.start].idx
            ].strip() == ","
            if of_them:
                between = ","
            if between.strip() in (",", "and", ", and") and before.anchor is not None and (before.anchor < before.start or of_them):
                figure.anchor, figure.kind = before.anchor, before.kind
                if of_them:
                    figure.subset = True  # "twenty were killed, 16 of them children"

    def _share_qualifiers(self, figures: list[_Figure]) -> None:
        """"up to 120 Hezbollah fighters and 32 Syrian soldiers": the qualifier scopes over
        the coordinated figures that have none of their own."""
        for index in range(1, len(figures)):
            figure, before = figures[index], figures[index - 1]
            if figure.count.qualifier != "exact" or before.count.qualifier in ("exact",) or figure.count.vague:
                continue
            if figure.anchor != before.anchor or figure.anchor is None:
                continue
            between = self.text[self.doc[before.end - 1].idx + len(self.doc[before.end - 1].text) : self.doc[figure.start].idx]
            if between.strip() in ("and", ",", ", and") and figure.count.high == figure.count.low:
                qualifier = before.count.qualifier
                high = figure.count.low if qualifier in ("up_to", "around") else None
                figure.count = replace(figure.count, qualifier=qualifier, high=high)

    def _mark_subset(self, figure: _Figure, sent: Span) -> None:
        doc = self.doc
        left = self.text[max(sent.start_char, doc[figure.start].idx - 30) : doc[figure.start].idx].lower()
        right = self.text[doc[figure.end - 1].idx : min(sent.end_char, doc[figure.end - 1].idx + 40)].lower()
        if re.search(r"\b(?:including|includ(?:ed|es)|among them|among whom|of whom|of them|among those)\s*[\[(]?\s*$", left):
            figure.subset = True
        elif re.search(r"^\w+\s+(?:were|was)\s+among\s+(?:the|those)\b", right):
            figure.subset = True
        elif figure.possessor == "them" and re.search(r"\bof them\s+(?:were\s+)?\w+", self.text[doc[figure.start].idx : doc[figure.end - 1].idx + 40]) and doc[figure.num].i + 3 < sent.end and doc[figure.num + 3].lower_ in _PERSON_NOUNS:
            figure.subset = True  # "16 of them children"
        elif re.search(r"^\w*\s*of the (?:dead|killed|victims|wounded|injured)\b", self.text[doc[figure.num].idx + len(doc[figure.num].text) : sent.end_char].lower()):
            figure.subset = True  # "at least 9 of the dead were soldiers"

    # -- sides ----------------------------------------------------------------------------

    def _actor_side(self, mention: dict) -> tuple[str, str | None]:
        kind = mention.get("kind")
        if kind == "civilians":
            return "civilians", None
        actor_id = mention.get("actor_id")
        actor = self.kb.get(actor_id) if actor_id else None
        if actor is None:
            return (mention.get("name") or "unknown"), actor_id
        return actor.name_at(self.date), actor.id

    def _state_side(self, police: bool) -> tuple[str, str | None]:
        if self.country:
            actor = self.kb.state_force(self.country, police=police)
            if actor is not None:
                return actor.name_at(self.date), actor.id
        return "unknown", None

    def _side(self, figure: _Figure, sent: Span, previous_sent: Span | None, claimant: _Source | None) -> tuple[str, str | None]:
        doc = self.doc
        start_char = doc[figure.start].idx
        end_char = doc[figure.end - 1].idx + len(doc[figure.end - 1].text)
        noun = doc[figure.noun].lower_ if figure.noun is not None else None
        # "of both sides", "on both sides"
        window = self.text[start_char : min(sent.end_char, end_char + 60)]
        if _BOTH_SIDES.search(window) or _BOTH_SIDES.search(self.text[doc[figure.anchor].idx : doc[figure.anchor].idx + 40] if figure.anchor is not None else ""):
            return "mixed", None
        # named actors inside the figure phrase
        for mention in self.mentions:
            if mention["start"] >= end_char:
                break
            if mention["end"] <= start_char or mention.get("attribution"):
                continue
            if mention.get("kind") == "person":
                actor = self.kb.get(mention["actor_id"]) if mention.get("actor_id") else None
                if actor is not None:
                    return actor.name_at(self.date), actor.id
                continue
            if mention.get("kind") == "claimant" and noun not in _FIGHTER_NOUNS and noun not in _STATE_NOUNS:
                continue
            return self._actor_side(mention)
        if noun in _SHOOTER_NOUNS:
            # "the gunman was shot by police": the shooter's side, not the victims'
            found = self._nearest_armed(figure, sent, previous_sent, claimant) if noun in _FIGHTER_NOUNS else None
            return found or self._perpetrator_side()
        # "Syrian soldiers": demonym + noun already resolved by the matcher
        if noun in _CIVILIAN_NOUNS and noun not in ("man", "men"):
            return "civilians", None
        if figure.possessor in ("our",) or (figure.noun is not None and any(t.lower_ in ("we", "our") for t in doc[max(sent.start, figure.start - 3) : figure.start])):
            if claimant is not None and (claimant.actor_id or claimant.aligned):
                actor = self.kb.get(claimant.actor_id or claimant.aligned[0])
                if actor is not None:
                    return actor.name_at(self.date), actor.id
        if figure.possessor in ("its", "their"):
            found = self._possessor(figure, sent, claimant)
            if found is not None:
                return found
        if figure.possessor == "them":
            found = self._them(figure, sent, previous_sent, claimant)
            if found is not None:
                return found
        if noun in _STATE_NOUNS:
            return self._state_side(police=noun in _POLICE_NOUNS)
        if noun in _FIGHTER_NOUNS and figure.kind in ("fatalities", "captured") and self._armed_subject_before(figure, sent):
            # "Nusra Front ... capturing 47 fighters": taken or killed by the subject, so of
            # the other side, named before ("them").
            found = self._them(figure, sent, previous_sent, claimant)
            if found is not None:
                return found
        if noun in _FIGHTER_NOUNS or noun in ("men",):
            found = self._nearest_armed(figure, sent, previous_sent, claimant)
            if found is not None:
                return found
            if noun in ("men",) and _CIVILIAN_CONTEXT.search(span_text(sent)):
                return "civilians", None
            return "unknown", None
        # people, victims, others, bare numbers
        if noun in (None, "people", "persons", "person", "individuals", "victims", "dead", "wounded", "injured", "others", "more", "bodies", "casualties", "lives", "deaths", "fatalities", "hostages", "missing", "captives"):
            if noun in ("others", "more", None):
                # "captured three others", "over a dozen more": the side of the figure before
                return self._previous_side(figure, sent, previous_sent, claimant)
            if _CIVILIAN_CONTEXT.search(span_text(sent)):
                return "civilians", None
            return "unknown", None
        return "unknown", None

    def _perpetrator_side(self) -> tuple[str, str | None]:
        """An unnamed shooter or suspect: the unidentified armed group, as the actor layer
        names "gunmen" (a side of its own, so it adds to the victims)."""
        suffix = f" ({self.kb.country_name(self.country)})" if self.country else ""
        return f"Unidentified Armed Group{suffix}", "unidentified_armed_group"

    def _previous_side(self, figure, sent, previous_sent, claimant) -> tuple[str, str | None]:
        last = getattr(self, "_last_side", None)
        if last is not None and last[2] >= (previous_sent.start_char if previous_sent is not None else sent.start_char):
            return last[0], last[1]
        if _CIVILIAN_CONTEXT.search(span_text(sent)):
            return "civilians", None
        return "unknown", None

    def _possessor(self, figure, sent, claimant) -> tuple[str, str | None] | None:
        """"13 of its fighters", "their fighters": the subject group of the sentence, else
        the claimant's side."""
        for token in sent:
            if token.dep_ in ("nsubj", "nsubjpass") and token.i < figure.start:
                for t in token.subtree:
                    mention = self._mention_at(t.idx)
                    if mention and mention.get("kind") in ("armed", "political", "person", "claimant") and mention.get("actor_id"):
                        actor = self.kb.get(mention["actor_id"])
                        if actor is None:
                            continue
                        aligned = self._aligned_armed(actor) or (actor if actor.claimant_type == "un" else None)
                        if aligned is not None:
                            return aligned.name_at(self.date), aligned.id
        if claimant is not None:
            ids = ([claimant.actor_id] if claimant.actor_id else []) + list(claimant.aligned)
            for actor_id in ids:
                actor = self.kb.get(actor_id)
                if actor is None:
                    continue
                aligned = self._aligned_armed(actor) or actor  # "MONUSCO said one of its peacekeepers"
                return aligned.name_at(self.date), aligned.id
        return self._nearest_armed(figure, sent, None, None, before_only=True)

    def _aligned_armed(self, actor: Actor) -> Actor | None:
        if actor.kind in ("armed", "political"):
            return actor
        for actor_id in actor.aligned_with:
            other = self.kb.get(actor_id)
            if other is not None:
                return other
        return None

    def _armed_subject_before(self, figure, sent) -> bool:
        """An armed actor is the subject of a verb before the figure in its sentence."""
        figure_start = self.doc[figure.start].idx
        for token in sent:
            if token.idx >= figure_start:
                return False
            if token.dep_ == "nsubj":
                for t in token.subtree:
                    mention = self._mention_at(t.idx)
                    if mention and mention.get("actor_id") and mention.get("kind") == "armed" and not mention.get("attribution"):
                        return True
        return False

    def _them(self, figure, sent, previous_sent, claimant) -> tuple[str, str | None] | None:
        """"killed dozens of them": the armed actor named last before it that is not the
        claimant's nor the subject's own side."""
        doc = self.doc
        exclude: set[str] = set()
        if claimant is not None:
            exclude.update(filter(None, [claimant.actor_id, *claimant.aligned]))
        anchor = doc[figure.anchor] if figure.anchor is not None else None
        node, steps = anchor, 0
        while node is not None and steps < 6:
            for child in node.children:
                if child.dep_ == "nsubj":
                    for t in child.subtree:
                        mention = self._mention_at(t.idx)
                        if mention and mention.get("actor_id"):
                            exclude.add(mention["actor_id"])
            if node.head.i == node.i:
                break
            node, steps = node.head, steps + 1
        figure_start = doc[figure.start].idx
        # "Nusra Front has managed to defeat them ... killing 90 of them": whoever the
        # sentence has acting before the figure is not who "them" are.
        for token in sent:
            if token.idx >= figure_start:
                break
            if token.dep_ in ("nsubj", "csubj"):
                for t in token.subtree:
                    mention = self._mention_at(t.idx)
                    if mention and mention.get("actor_id"):
                        exclude.add(mention["actor_id"])
        start = previous_sent.start_char if previous_sent is not None else sent.start_char
        for mention in reversed(self.mentions):
            if mention["start"] >= figure_start:
                continue
            if mention["end"] <= start - 400:
                break
            if mention.get("kind") in ("armed", "political") and mention.get("actor_id") not in exclude and not mention.get("attribution"):
                return self._actor_side(mention)
        return None

    def _nearest_armed(self, figure, sent, previous_sent, claimant, *, before_only: bool = False) -> tuple[str, str | None] | None:
        """The only non-state armed actor (ACLED types 2-4) named in this sentence or the one
        before; None when there is none or more than one."""
        start = previous_sent.start_char if previous_sent is not None else sent.start_char
        end = self.doc[figure.start].idx if before_only else sent.end_char
        found: dict[str, dict] = {}
        for mention in self.mentions:
            if mention["start"] < start or mention["start"] >= end:
                continue
            if mention.get("kind") in ("armed", "unidentified") and mention.get("actor_type") in (2, 3, 4) and not mention.get("attribution"):
                found.setdefault(mention["actor_id"], mention)
        if claimant is not None and (claimant.actor_id or claimant.aligned) and len(found) > 1:
            # the claimant's own fighters are not the ones it says it killed
            own = {claimant.actor_id, *claimant.aligned}
            rest = {k: v for k, v in found.items() if k not in own}
            if len(rest) == 1:
                found = rest
        if len(found) == 1:
            return self._actor_side(next(iter(found.values())))
        if not found and not before_only:
            # none near: the only non-state armed actor the article has named so far
            early: dict[str, dict] = {}
            for mention in self.mentions:
                if mention["start"] >= start:
                    break
                if mention.get("kind") in ("armed",) and mention.get("actor_type") in (2, 3, 4) and not mention.get("attribution"):
                    early.setdefault(mention["actor_id"], mention)
            if len(early) == 1:
                return self._actor_side(next(iter(early.values())))
        return None

    # -- claimants ------------------------------------------------------------------------

    def _phrase_before(self, verb: Token, sent: Span) -> Token | None:
        """The head of the noun phrase that stands between a comma (or the sentence's start)
        and ``verb``, at most eight words: the speaker of ", the monitor said"."""
        doc = self.doc
        j = verb.i - 1
        while j >= sent.start and verb.i - j <= 8 and not doc[j].is_punct:
            j -= 1
        if j >= sent.start and doc[j].text not in (",", "—", "–"):
            return None
        phrase = doc[j + 1 : verb.i]
        if not len(phrase) or not any(t.pos_ in ("NOUN", "PROPN") for t in phrase):
            return None
        if any(t.pos_ in ("VERB", "AUX") for t in phrase):
            return None  # a clause of its own, not a name
        heads = [t for t in phrase if not phrase.start <= t.head.i < phrase.end]
        return heads[0] if heads else None

    def _sources(self, sent: Span) -> list[_Source]:
        doc = self.doc
        sources: list[_Source] = []
        for token in sent:
            lower = token.lower_
            if lower == "according" and token.i + 1 < sent.end and doc[token.i + 1].lower_ == "to":
                objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
                if not objects:
                    # parse missed: the next noun phrase
                    j = token.i + 2
                    if j < sent.end:
                        objects = [doc[j]]
                for obj in objects:
                    sources.extend(self._sources_of(obj, token.i, sent))
            elif lower in ("citing", "quoting"):
                continue  # handled with the verb that governs it
            elif (token.lemma_ in _SPEECH_LEMMAS or lower in _SPEECH_WORDS) and token.pos_ in ("VERB", "AUX") and lower not in ("according",):
                subjects = [c for c in token.children if c.dep_ == "nsubj" or (c.dep_ == "agent" and lower != "claimed")]
                if not subjects and token.dep_ not in ("acl", "amod"):
                    # "... killed 8 civilians, the Syrian Observatory for Human Rights said.":
                    # the parse hangs the speaker on the figure (an apposition) and leaves the
                    # verb without a subject; the phrase between the comma and the verb is it.
                    speaker = self._phrase_before(token, sent)
                    if speaker is not None:
                        subjects = [speaker]
                if token.dep_ in ("acl", "amod") and not subjects:
                    # "..., local sources reported on Tuesday": parsed as a participle
                    if token.head.i < token.i and token.head.pos_ in ("NOUN", "PROPN") and self._generic_type(token.head.text) != "unknown":
                        subjects = [token.head]
                    else:
                        continue
                if len(subjects) > 1:
                    # "The Lebanese paper As-Safir reported": the named one
                    named = [t for t in subjects if any(m["start"] <= t.idx < m["end"] for m in self.mentions)]
                    subjects = named[:1] or subjects[:1]
                for subject in subjects:
                    if subject.dep_ == "agent":
                        subject = next((c for c in subject.children if c.dep_ == "pobj"), None)
                        if subject is None:
                            continue
                    if subject.lower_ in ("who", "which", "that") and token.dep_ == "relcl":
                        subject = token.head
                    found = self._sources_of(subject, token.i, sent)
                    # "X told AFP": the outlet relays X
                    relay = [c for c in token.children if c.dep_ in ("dative", "dobj") and lower in ("told", "tells", "tell")]
                    relay_name = None
                    for r in relay:
                        mention = self._mention_at(r.idx)
                        relay_name = self._mention_name(mention) if mention else (_clean_name(r.text) if r.pos_ == "PROPN" else None)
                    # "X said, citing Y": Y is the origin
                    cited = [c for c in sent if c.lower_ in ("citing", "quoting") and (c.head.i == token.i or 0 < c.i - token.i <= 4)]
                    origin: list[_Source] = []
                    for c in cited:
                        for obj in c.children:
                            if obj.dep_ in ("dobj", "pobj", "nsubj", "attr", "npadvmod"):
                                origin.extend(self._sources_of(obj, c.i, sent))
                    for source in found:
                        chain = tuple(filter(None, [relay_name, source.name]))
                        if origin:
                            for o in origin:
                                sources.append(replace(o, chain=chain + (o.name,), verb=token.i))
                        else:
                            source.chain = chain if len(chain) > 1 else ()
                            source.verb = token.i
                            sources.append(source)
        # "AFP, citing the Observatory, said ..." is handled above; a bare "citing X" with no
        # speech verb ("..., AFP reported citing X") still names X. Sentences without either
        # word (nearly all) are not walked again.
        lowered = span_text(sent).lower()
        citing = sent if "citing" in lowered or "quoting" in lowered else ()
        for token in citing:
            if token.lower_ in ("citing", "quoting") and not any(s.verb == token.head.i for s in sources):
                for obj in token.children:
                    if obj.dep_ in ("dobj", "pobj"):
                        for o in self._sources_of(obj, token.i, sent):
                            sources.append(o)
        # "a statement by X", "in a statement"
        for match in re.finditer(r"\b(?:a|the) statement (?:by|from|of)\s+", span_text(sent), re.I):
            char = sent.start_char + match.end()
            token = self._token_at(char, sent)
            if token is not None and not any(s.start <= char < s.end for s in sources):
                sources.extend(self._sources_of(token, token.i, sent, phrase_head=True))
        return sources

    def _sources_of(self, head: Token, verb: int, sent: Span, *, phrase_head: bool = False) -> list[_Source]:
        """The claimants a noun phrase names (two for "SOHR and local sources")."""
        if phrase_head and head.head.i != head.i and head.dep_ in ("compound", "amod", "det"):
            head = head.head
        own = next((m for m in self.mentions if m["start"] <= head.idx < m["end"]), None)
        heads = [head] + [
            t for t in head.subtree
            if t.dep_ == "conj" and t.i != head.i and t.pos_ in ("NOUN", "PROPN")
            and (t.head.i == head.i or (own is not None and own["start"] <= t.head.idx < own["end"]))
            and not (own is not None and own["start"] <= t.idx < own["end"])
        ]
        out = []
        for h in heads:
            source = self._source_of(h, verb, sent)
            if source is not None:
                out.append(source)
        return out

    def _source_of(self, head: Token, verb: int, sent: Span) -> _Source | None:
        doc = self.doc
        # The phrase: the head with its modifiers, without clauses, appositions and conjuncts
        skip = {"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "parataxis"}
        tokens = [head]
        stack = [c for c in head.children if c.dep_ not in skip]
        while stack:
            t = stack.pop()
            tokens.append(t)
            stack.extend(c for c in t.children if c.dep_ not in skip)
        tokens.sort(key=lambda t: t.i)
        # keep a contiguous run around the head
        first, last = head.i, head.i
        indices = {t.i for t in tokens}
        while first - 1 in indices:
            first -= 1
        while last + 1 in indices:
            last += 1
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        phrase = self.text[start:end]
        lower = head.lower_
        if lower in _PRONOUN_SOURCES:
            return _Source(name=lower, type="unknown", start=start, end=end, verb=verb, pronoun=True)
        if head.lemma_.lower() in _STATEMENT_NOUNS:
            # "a statement by X", "an announcement made by the group", "X's statement"
            for t in head.subtree:
                if t.lower_ in ("by", "from", "of") and t.i > head.i:
                    for obj in t.children:
                        if obj.dep_ == "pobj" and obj.lemma_.lower() not in _STATEMENT_NOUNS:
                            return self._source_of(obj, verb, sent)
            for child in head.children:
                if child.dep_ == "poss" and child.lower_ not in ("its", "their", "his", "her"):
                    return self._source_of(child, verb, sent)
            return _Source(name=lower, type="unknown", start=start, end=end, verb=verb, pronoun=True)
        # "..., the Sahel's main Al-Qaeda affiliate, which said": an apposition of the actor before it
        before = self.text[max(sent.start_char, start - 4) : start]
        if before.rstrip().endswith(",") and head.pos_ == "NOUN":
            comma = start - (len(before) - before.rstrip().rfind(","))
            for mention in reversed(self.mentions):
                if mention["end"] <= comma and re.fullmatch(r"[\s)\]]*", self.text[mention["end"] : comma]):
                    if mention.get("actor_id") and mention.get("kind") in ("armed", "political", "claimant"):
                        actor = self.kb.get(mention["actor_id"])
                        if actor is not None:
                            return self._kb_source(actor, mention, verb)
                    break
                if mention["end"] <= comma:
                    break
        whole = list(head.subtree)
        w_start, w_end = whole[0].idx, whole[-1].idx + len(whole[-1].text)
        # "the station", "the monitor", "the source": a claimant named before
        determiners = [c.lower_ for c in head.children if c.dep_ == "det"]
        if determiners[:1] == ["the"] and lower in _SOURCE_ANAPHORS and not any(
            m for m in self.mentions if start <= m["start"] < w_end
        ) and not any(t.pos_ == "PROPN" for t in head.subtree):
            wanted = _SOURCE_ANAPHORS[lower]
            for previous in reversed(self.history):
                if wanted is None or previous.type in wanted:
                    return replace(previous, start=start, end=end, verb=verb, chain=())
        # KB actors in the phrase and in its appositions/relative clauses
        whole = list(head.subtree)
        w_start, w_end = whole[0].idx, whole[-1].idx + len(whole[-1].text)
        inner = [m for m in self.mentions if m["start"] < end and m["end"] > start]
        around = [m for m in self.mentions if w_start <= m["start"] < w_end and m not in inner and not self._is_conj_mention(m, head)]
        # "sources close to ISIS", "pro-ISIS military sources": a generic source aligned to an actor
        generic_word = re.search(r"\b(?:sources?|media|channels?|outlets?|activists?|websites?|accounts?)\b", phrase, re.I)
        pro = re.search(r"\b(?:pro|anti)-([\w'’-]+(?: [A-Z][\w'’-]+)*)", phrase)
        if pro and generic_word and not inner:
            entries = self.kb.lookup(pro.group(1))
            actor = self.kb.get(entries[0].actor_id) if entries else None
            if actor is not None and pro.group(0).lower().startswith("pro"):
                type_ = "partisan_media" if re.search(r"\b(?:media|channels?|outlets?|websites?|tv)\b", phrase, re.I) else self._actor_type(actor)
                return _Source(name=_clean_name(phrase), type=type_, start=start, end=end, aligned=(actor.id,), verb=verb)
        if inner and generic_word and not any(m["start"] <= head.idx < m["end"] for m in inner):
            mention = inner[0]
            actor = self.kb.get(mention["actor_id"]) if mention.get("actor_id") else None
            if actor is not None:
                type_ = self._generic_type(phrase) if re.search(r"\bmedia|channels?|outlets?|websites?\b", phrase, re.I) else self._actor_type(actor)
                if re.search(r"\b(?:media|channels?|outlets?|websites?|tv)\b", phrase, re.I) and type_ in ("armed_group", "state_military"):
                    type_ = "partisan_media"
                return _Source(name=_clean_name(phrase), type=type_, start=start, end=end, aligned=(actor.id,), verb=verb)
        head_mention = next((m for m in inner if m["start"] <= head.idx < m["end"]), None) or (inner[-1] if inner else None)
        org_mention = next((m for m in around if m.get("kind") in ("claimant", "armed", "political")), None)
        if head_mention is not None and head_mention.get("how") == "anaphor":
            # "an announcement made by the group": the group the sentence is about
            for token in sent:
                if token.dep_ == "nsubj" and token.i < head.i:
                    mention = next((m for m in self.mentions if m["start"] <= token.idx < m["end"] and m.get("kind") in ("armed", "political")), None)
                    if mention is not None:
                        head_mention = mention
                        break
        if head_mention is not None and head_mention.get("actor_id"):
            actor = self.kb.get(head_mention["actor_id"])
            if actor is not None:
                if head_mention.get("kind") == "person":
                    if org_mention is not None and org_mention.get("actor_id") == actor.id:
                        return self._kb_source(actor, org_mention, verb)
                    return _Source(
                        name=head_mention.get("person") or head_mention["text"], type=self._person_type(actor),
                        start=head_mention["start"], end=head_mention["end"], actor_id=actor.id,
                        aligned=(actor.id, *actor.aligned_with), verb=verb,
                    )
                if head_mention.get("kind") == "civilians":
                    return _Source(name=_clean_name(phrase), type="local_source", start=start, end=end, verb=verb)
                return self._kb_source(actor, head_mention, verb)
        if org_mention is not None and org_mention.get("actor_id") and head.ent_type_ == "PERSON":
            # "Rami Abdel Rahman, who heads the Observatory": the organisation speaks
            actor = self.kb.get(org_mention["actor_id"])
            if actor is not None and actor.kind == "claimant":
                return self._kb_source(actor, org_mention, verb)
        # a person named by the NER: the person's name, typed by the words around it
        name = _clean_name(phrase)
        if head.ent_type_ == "PERSON" or head.ent_type_ == "ORG":
            ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
            context = self.text[w_start:w_end]
            type_ = self._generic_type(context) if head.ent_type_ == "PERSON" else self._generic_type(phrase, default="media")
            if ent is not None:
                name = ent.text
            aligned = ()
            if org_mention is not None and org_mention.get("actor_id"):
                actor = self.kb.get(org_mention["actor_id"])
                if actor is not None:
                    type_ = self._actor_type(actor) if head.ent_type_ == "PERSON" else type_
                    aligned = (actor.id, *actor.aligned_with)
            return _Source(name=name, type=type_, start=start, end=end, aligned=aligned, verb=verb)
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        type_ = self._generic_type(phrase)
        if type_ == "unknown" and head.pos_ != "PROPN":
            return None
        generic_state = re.fullmatch(r"(?:the\s+)?(?:army|military|armed forces|police|government|authorities)", phrase.strip(), re.I)
        if generic_state and self.country:
            actor = self.kb.state_force(self.country, police="police" in phrase.lower())
            if actor is not None and "government" not in phrase.lower() and "authorities" not in phrase.lower():
                return self._kb_source(actor, None, verb)
        return _Source(name=name, type=type_, start=start, end=end, verb=verb)

    def _is_conj_mention(self, mention: dict, head: Token) -> bool:
        for c in head.children:
            if c.dep_ == "conj":
                sub = list(c.subtree)
                if sub[0].idx <= mention["start"] < sub[-1].idx + len(sub[-1].text):
                    return True
        return False

    def _mention_name(self, mention: dict) -> str:
        if mention.get("kind") == "person" and mention.get("person"):
            return mention["person"]
        actor = self.kb.get(mention["actor_id"]) if mention.get("actor_id") else None
        return actor.name_at(self.date) if actor is not None else mention["text"]

    def _kb_source(self, actor: Actor, mention: dict | None, verb: int) -> _Source:
        start, end = (mention["start"], mention["end"]) if mention else (0, 0)
        # As short as the text allows: an acronym the text uses ("SOHR") stays; the id names it.
        name = mention["text"] if mention and mention.get("how") == "acronym" else actor.name_at(self.date)
        return _Source(
            name=name, type=self._actor_type(actor), start=start, end=end,
            actor_id=actor.id, aligned=(actor.id, *actor.aligned_with), verb=verb,
        )

    def _actor_type(self, actor: Actor) -> str:
        if actor.kind == "claimant" and actor.claimant_type:
            return actor.claimant_type
        if actor.actor_type == 1:
            return actor.claimant_type or "state_military"
        if actor.actor_type in (2, 3, 4):
            return "armed_group"
        if actor.claimant_type:
            return actor.claimant_type
        if actor.actor_type == 8:
            return "state_military"
        return "unknown"

    def _person_type(self, actor: Actor) -> str:
        if actor.kind == "claimant":
            return actor.claimant_type or "unknown"
        if actor.actor_type == 1:
            return "state_official" if actor.id.startswith("police_") else "state_military"
        return self._actor_type(actor)

    def _generic_type(self, phrase: str, default: str = "unknown") -> str:
        for pattern, type_ in _SOURCE_TYPES:
            if pattern.search(phrase):
                return type_
        return default

    def _resolve_pronoun_sources(self, sources: list[_Source], previous: list[_Source], sent: Span) -> list[_Source]:
        resolved: list[_Source] = []
        for source in sources:
            if source.pronoun:
                if source.name in ("we", "i"):
                    resolved.extend(previous[:1])
                else:
                    resolved.extend(previous[:1])
            else:
                resolved.append(source)
        return resolved

    # -- claims -------------------------------------------------------------------------

    def _claims(self, sent: Span, figure: _Figure, figures: list[_Figure], sources: list[_Source], previous: list[_Source], previous_sent: Span | None) -> list[ClaimMention]:
        doc = self.doc
        anchor = doc[figure.anchor]
        chosen = self._choose_sources(figure, anchor, sources, sent)
        if not chosen:
            chosen = self._carried(sent, previous)
        if not chosen:
            chosen = [None]
        start = doc[figure.start].idx
        # the figure phrase runs from the qualifier to the end of the counted noun phrase
        start = min(start, sent.start_char + figure.count.start)
        end = doc[figure.end - 1].idx + len(doc[figure.end - 1].text)
        end = max(end, sent.start_char + figure.count.end)
        cumulative = self._cumulative(figure, sent)
        out = []
        for source in chosen:
            side, side_id = self._side(figure, sent, previous_sent, source)
            last = getattr(self, "_last_side", None)
            noun = doc[figure.noun].lower_ if figure.noun is not None else None
            if side == "unknown" and last is not None and last[2] >= sent.start_char and (
                figure.subset or noun in (None, "dead", "wounded", "injured", "more", "others", "missing")
            ):
                side, side_id = last[0], last[1]  # "10 soldiers were killed and 14 wounded"
            claimant = self._claimant(source, side, side_id)
            count = figure.count
            claim = Claim(
                low=count.low, high=count.high, qualifier=count.qualifier, side=side,
                claimed_by=claimant, span=(start, end), text=self.text[start:end],
                scope="subset" if figure.subset else None, side_id=side_id,
            )
            out.append(ClaimMention(
                kind=figure.kind, claim=claim, sentence=(sent.start_char, sent.end_char),
                anchor=(anchor.idx, anchor.idx + len(anchor.text)), cumulative=cumulative,
            ))
        if out:
            self._last_side = (out[0].claim.side, out[0].claim.side_id, start)
        return out

    def _carried(self, sent: Span, previous: list[_Source]) -> list[_Source]:
        if previous and (_CONTINUATION.match(span_text(sent)) or _in_quote(span_text(sent))):
            return previous[:1]
        # "The paper reported that ... . Approximately 47 fighters were detained": the next
        # sentence of the same paragraph goes on with the report
        reported = getattr(self, "_reported", None)
        if reported is not None and reported[0] == sent.start and "\n" not in self.text[reported[1] : sent.start_char]:
            return reported[2][:1]
        return []

    def _choose_sources(self, figure: _Figure, anchor: Token, sources: list[_Source], sent: Span) -> list[_Source]:
        if not sources:
            return []
        # a speech verb above the casualty word governs it
        token, steps = anchor, 0
        by_verb: dict[int, list[_Source]] = {}
        for source in sources:
            if source.verb is not None:
                by_verb.setdefault(source.verb, []).append(source)
        while steps < 8:
            if token.i in by_verb:
                return by_verb[token.i]
            if token.head.i == token.i:
                break
            token = token.head
            steps += 1
        # a speech verb under the root beside the figure's clause ("..., X said.") or
        # "according to X" anywhere in the sentence: the nearest one
        def distance(source: _Source) -> int:
            return abs((source.verb or 0) - anchor.i)

        candidates = [s for s in sources if not self._inside_other_clause(s, anchor)]
        if not candidates:
            return []
        best = min(candidates, key=distance)
        return [s for s in candidates if s.verb == best.verb]

    def _inside_other_clause(self, source: _Source, anchor: Token) -> bool:
        """A source whose verb sits in a relative clause that does not contain the figure."""
        if source.verb is None:
            return False
        verb = self.doc[source.verb]
        if verb.dep_ == "relcl":
            sub = list(verb.subtree)
            return not (sub[0].i <= anchor.i <= sub[-1].i)
        return False

    def _claimant(self, source: _Source | None, side: str, side_id: str | None) -> Claimant:
        if source is None:
            return Claimant(name="reporter", type="reporter", alignment="neutral")
        alignment = self._alignment(source, side, side_id)
        return Claimant(
            name=source.name, type=source.type, alignment=alignment, id=source.actor_id,
            chain=source.chain, span=(source.start, source.end) if source.end > source.start else None,
        )

    def _alignment(self, source: _Source, side: str, side_id: str | None) -> str:
        if source.type in ("monitor_ngo", "un", "media", "reporter"):
            return "neutral"
        own = {source.actor_id, *source.aligned} - {None}
        if side_id is not None and own:
            related = set(own)
            for actor_id in list(own):
                actor = self.kb.get(actor_id)
                if actor is None:
                    continue
                related.update(actor.aligned_with)
                related.update(a.actor for a in actor.affiliations if a.relation in ("part_of", "armed_wing_of", "member_of") and a.period.covers(self.date))
            side_actor = self.kb.get(side_id)
            if side_actor is not None:
                related_side = {side_id} | {a.actor for a in side_actor.affiliations if a.relation in ("part_of", "armed_wing_of", "member_of") and a.period.covers(self.date)}
                if related & related_side:
                    return "self"
                if source.type in ("armed_group", "state_military", "state_official", "partisan_media") and side_actor.kind == "armed":
                    return "adversary"
        if source.type in ("armed_group", "state_military", "state_official", "partisan_media") and side_id is not None and not own:
            return "unknown"
        return "unknown"

    def _cumulative(self, figure: _Figure, sent: Span) -> bool:
        text = span_text(sent)
        if _CUMULATIVE.search(text):
            return True
        anchor = self.doc[figure.anchor]
        perfect = any(c.lower_ in ("has", "have") and c.dep_ == "aux" for c in anchor.children)
        if perfect and (figure.count.low >= _LARGE_OPEN or (figure.count.vague and figure.count.low >= 200)):
            return True
        return figure.count.low >= 10_000 and figure.count.vague


def _in_quote(text: str) -> bool:
    """The sentence is (part of) a quotation: it starts inside quote marks."""
    stripped = text.lstrip()
    return stripped[:1] in ("“", '"', "‘") or (text.count("”") > text.count("“"))


def _quote_continues(text: str) -> bool:
    return text.count("“") > text.count("”")
