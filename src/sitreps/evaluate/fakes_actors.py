"""``fakes-actors``: agreement with the perpetrator ("actor") field of FA-KES (dev split).

FA-KES codes one perpetrator category per annotated event (7 values). sitreps has no event
roles yet (extraction is a later stage), so this measures the actor layer alone: every
resolved mention of the article is mapped to a FA-KES category (``CATEGORIES``) and weighed by
where it stands — in the headline or lead, after "by", or before an attack word ("raids",
"shelling", "warplanes") counts more; after "on", "against" or "targeting" less — and the
heaviest category is the prediction, "unknown" when no armed actor is named. Reported beside
the majority-class baseline, with the confusion pairs for the error analysis.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .base import Benchmark, read_jsonl, result

if TYPE_CHECKING:
    from ..config import Settings

NAME = "fakes-actors"
GOVERNMENT = "syrian government or russian troops"
ISIS = "the organization of the islamic state in iraq and the levant - isis"
COALITION = "international coalition forces"
OPPOSITION = "armed opposition groups"
SELF_ADMINISTRATION = "self administration forces"
NUSRA = "al-nusra front"
UNKNOWN = "unknown"

# Knowledge-base ids -> FA-KES perpetrator categories (FA-KES counts Syria's allies with it).
CATEGORIES = {
    **dict.fromkeys(
        ["military_sy", "police_sy", "military_ru", "syrian_air_force", "republican_guard_sy",
         "fourth_armoured_division", "tiger_forces", "air_force_intelligence_sy",
         "general_security_sy", "national_defence_forces", "shabiha", "liwa_al_quds",
         "desert_hawks_brigade", "fifth_corps_sy", "wagner_group", "military_ir", "irgc",
         "irgc_quds_force", "basij", "liwa_fatemiyoun", "liwa_zainebiyoun", "hezbollah"],
        GOVERNMENT,
    ),
    "islamic_state": ISIS,
    **dict.fromkeys(
        ["cjtf_oir", "centcom", "military_us", "military_fr", "military_gb", "military_au",
         "military_be", "military_nl", "military_dk", "military_jo", "military_ca"],
        COALITION,
    ),
    **dict.fromkeys(
        ["free_syrian_army", "syrian_national_army", "jaysh_al_islam", "ahrar_al_sham",
         "faylaq_al_rahman", "faylaq_al_sham", "levant_front", "liwa_al_tawhid", "islamic_front",
         "syrian_islamic_front", "nour_al_din_al_zenki", "syrian_liberation_front",
         "national_front_for_liberation", "jaysh_al_fatah", "turkistan_islamic_party",
         "jund_al_aqsa", "southern_front_sy", "jaysh_al_izza", "sultan_murad_division",
         "hamza_division", "sultan_suleiman_shah_division", "ahrar_al_sharqiya",
         "maghawir_al_thawra", "military_tr", "mit_tr", "jaysh_khalid_ibn_al_walid",
         "liwa_shuhada_al_yarmouk"],
        OPPOSITION,
    ),
    **dict.fromkeys(
        ["syrian_democratic_forces", "ypg", "ypj", "pyd", "aanes", "asayish",
         "manbij_military_council", "deir_ez_zor_military_council", "jaysh_al_thuwar",
         "syriac_military_council", "pkk", "hpg"],
        SELF_ADMINISTRATION,
    ),
    **dict.fromkeys(["nusra_front", "hayat_tahrir_al_sham", "hurras_al_din"], NUSRA),
}
_ATTACK_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:air ?strikes?|raids?|shell\w*|bomb\w*|warplanes?|jets?|attack\w*|"
    r"killed|kills|fired|targeted|struck|strikes?|barrel|rockets?|mortars?|missiles?|sniper|executed|stormed|offensive)\b",
    re.IGNORECASE,
)
_BY_BEFORE = re.compile(r"\b(?:by|blamed on|carried out by|claimed by)\W*$", re.IGNORECASE)
_TARGET_BEFORE = re.compile(r"\b(?:on|against|targeting|targeted|held by|controlled by|from)\W*(?:the\W+)?$", re.IGNORECASE)


def category(actor_id: str | None) -> str | None:
    """The FA-KES category of one of our actors; None for actors outside FA-KES's seven."""
    if actor_id is None:
        return None
    if actor_id == "unidentified_armed_group":
        return UNKNOWN
    return CATEGORIES.get(actor_id)


def predict(text: str, mentions: list) -> tuple[str, dict[str, float]]:
    """The predicted category and the weight of each, from an article's mentions."""
    weights: dict[str, float] = defaultdict(float)
    lead = min(len(text), 300)
    for mention in mentions:
        found = category(mention.actor_id)
        if found is None or mention.kind == "claimant":
            continue
        weight = 1.0
        if mention.start < lead:
            weight += 1.0
        if _ATTACK_AFTER.match(text[mention.end : mention.end + 40]):
            weight *= 3.0
        before = text[max(0, mention.start - 20) : mention.start]
        if _BY_BEFORE.search(before):
            weight *= 3.0
        elif _TARGET_BEFORE.search(before):
            weight *= 0.3
        weights[found] += weight
    if not weights:
        return UNKNOWN, {}
    return max(sorted(weights), key=weights.get), dict(weights)


def run(data_dir: Path, *, settings: Settings) -> dict[str, Any]:
    from ..actors import default_matcher

    matcher = default_matcher()
    articles = {record["id"]: record for record in read_jsonl(data_dir / "articles.dev.jsonl", what="FA-KES articles")}
    pairs: list[tuple[str, str]] = []
    per_article_cache: dict[str, tuple[str, dict]] = {}
    for annotation in read_jsonl(data_dir / "annotations.dev.jsonl", what="FA-KES annotations"):
        gold = annotation.get("actor")
        if gold is None:
            continue
        article_id = annotation["article_id"]
        if article_id not in per_article_cache:
            text = articles[article_id]["text"]
            per_article_cache[article_id] = predict(text, matcher.find(text))
        pairs.append((gold, per_article_cache[article_id][0]))
    gold_counts = Counter(gold for gold, _ in pairs)
    majority, majority_count = gold_counts.most_common(1)[0]
    correct = sum(gold == predicted for gold, predicted in pairs)
    confusion = Counter((gold, predicted) for gold, predicted in pairs if gold != predicted)
    per_category = {
        gold: sum(1 for g, p in pairs if g == gold and p == gold) / count for gold, count in gold_counts.items()
    }
    metrics = {
        "accuracy": correct / len(pairs),
        "majority_baseline": majority_count / len(pairs),
        "annotations": len(pairs),
        **{f"recall_{_short(gold)}": value for gold, value in sorted(per_category.items())},
    }
    details = {
        "majority_class": majority,
        "gold_counts": dict(gold_counts),
        "confusion": [{"gold": g, "predicted": p, "count": n} for (g, p), n in confusion.most_common()],
    }
    return result(NAME, metrics, details)


def _short(category_name: str) -> str:
    return {
        GOVERNMENT: "government", ISIS: "isis", COALITION: "coalition", OPPOSITION: "opposition",
        SELF_ADMINISTRATION: "self_administration", NUSRA: "nusra", UNKNOWN: "unknown",
    }.get(category_name, re.sub(r"\W+", "_", category_name))


BENCHMARK = Benchmark(
    name=NAME,
    folder="fakes",
    description="FA-KES dev: perpetrator category from the article's resolved actor mentions (no event roles yet).",
    run=run,
)
