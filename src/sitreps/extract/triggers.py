"""The event lexicon: words and phrases that tell an action, with the ACLED type they suggest.

A trigger is a lemma (one word, matched on spaCy's lemma with the part of speech it must
have) or a phrase (a regular expression over the sentence). Each gives a type, a sub-event
type and a strength: ``strong`` triggers make an event by themselves; ``weak`` ones (killed,
wounded, casualties) only when nothing stronger is told, and otherwise add to the event
beside them. ``context`` triggers (attack, capture, offensive) are typed by their
surroundings in :mod:`sitreps.extract.events` (what was attacked, who was captured).

Sub-event types are ACLED's in snake_case, plus three of sitreps' own for strategic
developments ACLED files under "Other" or "Agreement": ``release``, ``negotiation`` and
``declaration_of_war`` (exports map them back to ACLED's labels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BATTLES = "battles"
EXPLOSIONS = "explosions_remote_violence"
VAC = "violence_against_civilians"
PROTESTS = "protests"
RIOTS = "riots"
STRATEGIC = "strategic_developments"


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    subtype: str
    strength: str  # strong | weak | context
    rule: str  # what the context rule is: attack | capture | kill | explosion | ...


def _t(type_: str, subtype: str, strength: str = "strong", rule: str = "") -> Trigger:
    return Trigger(type_, subtype, strength, rule)


# Lemma -> the triggers it can be, each with the parts of speech it counts as ("release" the
# verb and "release" the noun are one trigger; "capture" the noun another than the verb).
LEMMAS: dict[str, tuple[tuple[frozenset[str], Trigger], ...]] = {}


def _add(lemmas: str, pos: str, trigger: Trigger) -> None:
    for lemma in lemmas.split():
        key = lemma.replace("_", " ")
        LEMMAS[key] = (*LEMMAS.get(key, ()), (frozenset(pos.split()), trigger))


def lemma_trigger(lemma: str, pos: str, *, participle: bool = False) -> Trigger | None:
    """The trigger a word is, given its lemma and part of speech (a participle used as an
    adjective counts as the verb: "the captured town")."""
    for parts, trigger in LEMMAS.get(lemma, ()):
        if pos in parts or (pos == "PROPN" and "NOUN" in parts) or (participle and "VERB" in parts):
            return trigger
    return None


_V, _N, _VN = "VERB", "NOUN", "VERB NOUN"
# Fighting between armed actors.
_add("clash fighting battle firefight skirmish gunfight confrontation", "NOUN VERB", _t(BATTLES, "armed_clash"))
_add("fight engage", _V, _t(BATTLES, "armed_clash", "weak", "fight"))
_add("ambush", _VN, _t(BATTLES, "armed_clash", "context", "attack"))
_add("attack assault offensive raid storm counteroffensive counter-offensive incursion", _VN, _t(BATTLES, "armed_clash", "context", "attack"))
_add("repel repulse", _V, _t(BATTLES, "armed_clash"))
# Territory.
_add("capture seize overrun overran recapture retake retook regain liberate", _V, _t(BATTLES, "armed_clash", "context", "capture"))
_add("capture recapture seizure", _N, _t(BATTLES, "armed_clash", "context", "capture"))
# Remote violence.
_add("shell shelling bombard bombardment", _VN, _t(EXPLOSIONS, "shelling_artillery_missile_attack"))
_add("airstrike airstrikes", _N, _t(EXPLOSIONS, "air_drone_strike"))
_add("bomb", _V, _t(EXPLOSIONS, "air_drone_strike", "context", "bomb"))
_add("explosion blast explode detonate", _VN, _t(EXPLOSIONS, "remote_explosive_landmine_ied", "context", "explosion"))
_add("landmine ied", _N, _t(EXPLOSIONS, "remote_explosive_landmine_ied"))
_add("grenade", _N, _t(EXPLOSIONS, "grenade"))
# Violence against civilians.
_add("massacre execute behead", _VN, _t(VAC, "attack"))
_add("abduct kidnap abduction kidnapping", _VN, _t(VAC, "abduction_forced_disappearance", "context", "abduct"))
_add("rape", _VN, _t(VAC, "sexual_violence"))
_add("shoot shooting stab stabbing", _VN, _t(VAC, "attack", "context", "shoot"))
# Consequences only: they type the event by the victims when nothing else does.
_add("kill", _V, _t(BATTLES, "armed_clash", "weak", "kill"))
_add("die", _V, _t(BATTLES, "armed_clash", "weak", "kill"))
_add("wound injure", _V, _t(BATTLES, "armed_clash", "weak", "kill"))
# Strategic developments.
_add("arrest detain", _VN, _t(STRATEGIC, "arrests", "context", "arrest"))
_add("detention", _N, _t(STRATEGIC, "arrests", "context", "arrest"))
_add("release free", _V, _t(STRATEGIC, "release", "context", "release"))
_add("release", _N, _t(STRATEGIC, "release", "context", "release"))
_add("ceasefire truce", _N, _t(STRATEGIC, "agreement", "context", "agreement"))
_add("loot plunder ransack pillage", _VN, _t(STRATEGIC, "looting_property_destruction"))
_add("looting", _N, _t(STRATEGIC, "looting_property_destruction"))
_add("defect defection", _VN, _t(STRATEGIC, "change_to_group_activity"))
# Demonstrations.
_add("protest demonstrate demonstration rally", _VN, _t(PROTESTS, "peaceful_protest", "context", "protest"))
_add("protester demonstrator", _N, _t(PROTESTS, "peaceful_protest", "context", "protest"))
_add("riot rioting rioter", _VN, _t(RIOTS, "violent_demonstration"))
_add("mob", _N, _t(RIOTS, "mob_violence", "weak", "protest"))

# Phrases: (pattern, trigger). Matched case-insensitively over a sentence.
PHRASES: tuple[tuple[re.Pattern[str], Trigger], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), trigger)
    for pattern, trigger in (
        (r"\bsuicide (?:car )?(?:bomb(?:er|ing)?s?|attacks?|blasts?|vests?)\b|\bblew (?:him|her|them)sel(?:f|ves) up\b", _t(EXPLOSIONS, "suicide_bomb")),
        (r"\b(?:car|truck|roadside|vehicle|motorcycle)[ -]bomb(?:s|ing)?\b|\bvehicle (?:packed|filled|laden|loaded) with explosives\b"
         r"|\bexplosive device\b|\bbooby[ -]trap|\bland ?mines?\b|\bimprovised explosive\b|\bIEDs?\b", _t(EXPLOSIONS, "remote_explosive_landmine_ied")),
        (r"\bblew up\b", _t(EXPLOSIONS, "remote_explosive_landmine_ied", "context", "explosion")),
        (r"\b(?:air|drone|missile)[ -]?(?:strikes?|raids?|attacks?)\b|\bwarplanes?\b|\bfighter jets?\b|\bhelicopter gunships?\b"
         r"|\bbarrel bombs?\b|\bair force (?:struck|bombed|hit)\b|\bdrones? (?:struck|hit|attacked)\b", _t(EXPLOSIONS, "air_drone_strike")),
        (r"\b(?:artillery|mortars?|rockets?|missiles?|shells?|grad|katyusha)(?: (?:fire|shells?|rounds?|barrages?|bombs?))?\b", _t(EXPLOSIONS, "shelling_artillery_missile_attack", "context", "remote")),
        (r"\b(?:took|take|taken|taking|seized|gained|wrested|regained|retook) (?:full |complete |back )?control (?:of|over)\b"
         r"|\b(?:took|taken|taking) over\b", _t(BATTLES, "armed_clash", "context", "capture")),
        (r"\b(?:took|taken|take|taking) (?:\w+ )?(?:captives?|hostages?|prisoners?)\b|\btook captive\b", _t(STRATEGIC, "abduction_forced_disappearance", "context", "abduct")),
        (r"\b(?:opened|open) fire\b|\bgunned down\b|\bshot dead\b", _t(VAC, "attack", "context", "shoot")),
        (r"\bexchanges? of (?:artillery |rocket |heavy )?(?:fire|artillery)\b", _t(BATTLES, "armed_clash")),
        (r"\b(?:evacuation|ceasefire|truce|peace|surrender|reconciliation|prisoner[- ]swap|exchange) (?:deal|agreement|accord|pact)\b"
         r"|\b(?:signed|reached|agreed(?: on| to)?|brokered) (?:an? |the )?(?:deal|agreement|accord|truce|ceasefire)\b|\bprisoner (?:swap|exchange)\b",
         _t(STRATEGIC, "agreement")),
        (r"\b(?:talks|negotiations)\b(?! (?:about|on) the)", _t(STRATEGIC, "negotiation", "weak", "talks")),
        (r"\bdeclar(?:ed|es|ing|e) (?:a )?war\b|\bdeclaration of war\b", _t(STRATEGIC, "declaration_of_war")),
        (r"\b(?:set up|established|establish|set) (?:a |its |their )?(?:new )?(?:base|headquarters|outpost)\b", _t(STRATEGIC, "headquarters_or_base_established")),
        (r"\bpledged? allegiance\b|\bswitched sides\b", _t(STRATEGIC, "change_to_group_activity")),
        (r"\b(?:set (?:fire to|on fire|ablaze)|torched|burned down|burnt down)\b", _t(STRATEGIC, "looting_property_destruction", "context", "burn")),
        (r"\btear gas\b|\bdispers\w* (?:the )?(?:\w+ )?(?:protest|crowd|demonstrat)", _t(PROTESTS, "protest_with_intervention", "context", "protest")),
        (r"\b(?:withdrew|withdrawn|pulled out|left|evacuated) (?:from )?(?:the )?(?:town|city|area|region|positions?|border region)\b.{0,80}\b(?:deal|agreement)\b",
         _t(STRATEGIC, "non_violent_transfer_of_territory")),
    )
)
# Found in a sentence exactly when some phrase is (one alternative per phrase): one scan
# that rules most sentences out, instead of a scan per phrase.
ANY_PHRASE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in PHRASES), re.IGNORECASE)

# Within one ACLED type, the sub-event type that wins when two triggers tell one event.
PRECEDENCE: dict[str, int] = {
    "government_regains_territory": 9, "non_state_actor_overtakes_territory": 9, "territory": 9,
    "suicide_bomb": 8, "remote_explosive_landmine_ied": 7, "air_drone_strike": 7, "grenade": 6,
    "shelling_artillery_missile_attack": 5, "abduction_forced_disappearance": 6, "sexual_violence": 6,
    "attack": 4, "armed_clash": 3, "violent_demonstration": 4, "mob_violence": 4,
    "protest_with_intervention": 5, "excessive_force_against_protesters": 6, "peaceful_protest": 3,
    "agreement": 5, "negotiation": 3,
}  # fmt: skip

# Nouns that make a target civilian (an attack on them is violence against civilians).
CIVILIAN_TARGETS = re.compile(
    r"\b(?:civilians?|villagers?|villages?|residents?|people|women|children|girls?|boys?|worshippers?|passengers?|students?|pupils?|"
    r"farmers?|shepherds?|families|family|homes?|houses?|markets?|schools?|hospitals?|clinics?|mosques?|churches?|"
    r"displaced|refugees?|camps? for|aid workers?|journalists?|patients?|wedding|funeral|bus(?:es)?|shoppers?|crowds?|"
    r"neighbou?rhoods?|residential)\b",
    re.IGNORECASE,
)
# Words that make the object of "capture" people rather than ground.
PEOPLE = re.compile(
    r"\b(?:fighters?|soldiers?|troops|militants?|members?|people|civilians?|men|women|children|hostages?|prisoners?|captives?|"
    r"officers?|commanders?|leaders?|emirs?|jihadists?|rebels?|insurgents?|policem[ae]n|guards?|personnel|servicem[ae]n|"
    r"him|her|them|suspects?|persons?|individuals?|others)\b",
    re.IGNORECASE,
)
GROUND = re.compile(
    r"\b(?:towns?|villages?|cit(?:y|ies)|positions?|posts?|outposts?|bases?|checkpoints?|hills?|heights|ridges?|mountains?|"
    r"areas?|districts?|neighbou?rhoods?|territor(?:y|ies)|region|strongholds?|pockets?|footholds?|crossings?|airports?|"
    r"airbases?|roads?|highways?|junctions?|farms?|barracks|headquarters|compounds?|villages|parts of|much of|control)\b",
    re.IGNORECASE,
)
EXPLOSIVE_CONTEXT = (
    (re.compile(r"\bsuicide\b", re.I), "suicide_bomb"),
    (re.compile(r"\b(?:car|truck|roadside|vehicle)[ -]bomb|\bIEDs?\b|\bexplosive device|\blandmine|\bexplosives\b|\bbomb blast\b", re.I), "remote_explosive_landmine_ied"),
    (re.compile(r"\b(?:air ?strikes?|air raids?|warplanes?|jets?|drones?|helicopters?|aircraft|barrel bombs?)\b", re.I), "air_drone_strike"),
    (re.compile(r"\b(?:shell(?:s|ing|ed)?|artillery|mortars?|rockets?|missiles?)\b", re.I), "shelling_artillery_missile_attack"),
)
NEGOTIATION = re.compile(r"\b(?:talks|negotiat\w+|mediat\w+)\b", re.IGNORECASE)
