"""``seeds-actors``: are the actors of the seed gold events found, and resolved right?

Each seed article is cleaned from its text alone and its actor mentions resolved against the
knowledge base (the same matcher the pipeline's ``sitreps_actors`` component runs).

- ``recall``: over every (article, gold actor) pair, where the gold actors are those of the
  article's gold events (optional ones included), the share found among the article's
  resolved mentions. A gold ``actor_alternatives`` name found instead counts.
- ``precision``: over every resolved actor mention (claimants and "civilians" left out; people
  count as their organisation) that lies inside the evidence of a gold event, the share whose
  actor is one of that event's actors or their alternatives. Mentions outside any evidence
  cannot be judged against the gold and are not counted; nor are mentions named only as the
  source of a statement ("according to Jaysh al-Fateh"), which are claimants of that sentence.

The gold names its actors with the seed README's canonical names; ``SEED_NAMES`` maps our
knowledge-base ids to them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Document
from .base import Benchmark, result, share
from .seeds import phrase_spans, read_seeds

if TYPE_CHECKING:
    from ..config import Settings

NAME = "seeds-actors"

# Our knowledge-base ids -> the seed gold's canonical actor names.
SEED_NAMES = {
    "nusra_front": "Nusra Front",
    "hayat_tahrir_al_sham": "Nusra Front",
    "jaysh_al_fatah": "Jaysh al-Fatah",
    "islamic_state": "Islamic State",
    "hezbollah": "Hezbollah",
    "military_sy": "Syrian Government Forces",
    "national_defence_forces": "National Defence Forces",
    "irgc_quds_force": "IRGC Quds Force",
    "military_lb": "Lebanese Armed Forces",
    "liwa_fatemiyoun": "Afghan militias",
    "israeli_air_force": "Israeli Air Force",
}
# Mentions of these kinds are not actors of events.
_NOT_ACTORS = {"claimant", "civilians"}


def _gold_name(mention: dict) -> str:
    return SEED_NAMES.get(mention["actor_id"], mention["name"])


def run(data_dir: Path, *, settings: Settings) -> dict[str, Any]:
    from ..actors import default_matcher
    from ..clean import make_document
    from ..ingest import RawInput

    matcher = default_matcher()
    found_flags: list[bool] = []
    correct_flags: list[bool] = []
    per_seed, misses, wrong = [], [], []
    seconds = 0.0
    for seed in read_seeds(data_dir):
        document = make_document(RawInput(source=str(seed.path), content=seed.text), settings=settings)
        if not isinstance(document, Document):
            continue
        started = time.perf_counter()
        mentions = [m.to_dict() for m in matcher.find(document.text)]
        seconds += time.perf_counter() - started
        actors = [m for m in mentions if m["actor_id"] and m["kind"] not in _NOT_ACTORS]
        predicted = {_gold_name(m) for m in actors}
        # A mention named only as a source ("according to X") is judged with the claims.
        in_events = [m for m in actors if not m["attribution"]]

        gold: dict[str, set[str]] = {}
        for event in seed.gold["events"]:
            alternatives = event.get("actor_alternatives", {})
            for actor in event["actors"]:
                gold.setdefault(actor, {actor}).update(alternatives.get(actor, ()))
        for actor, accepted in sorted(gold.items()):
            hit = bool(accepted & predicted)
            found_flags.append(hit)
            if not hit:
                misses.append({"seed": seed.id, "actor": actor})

        judged = 0
        for event_index, event in enumerate(seed.gold["events"]):
            accepted = set(event["actors"])
            for actor in event["actors"]:
                accepted.update(event.get("actor_alternatives", {}).get(actor, ()))
            for start, end in phrase_spans(document.text, event["evidence"]):
                for mention in in_events:
                    if start <= mention["start"] and mention["end"] <= end:
                        ok = _gold_name(mention) in accepted
                        correct_flags.append(ok)
                        judged += 1
                        if not ok:
                            wrong.append({"seed": seed.id, "event": event_index, "mention": mention["text"], "resolved": mention["name"], "how": mention["how"], "gold": sorted(accepted)})
        per_seed.append({"seed": seed.id, "gold_actors": sorted(gold), "predicted": sorted(predicted), "mentions": len(actors), "judged_mentions": judged})

    metrics = {
        "recall": share(found_flags),
        "precision": share(correct_flags),
        "gold_actors": len(found_flags),
        "judged_mentions": len(correct_flags),
        "seconds": round(seconds, 4),
    }
    if metrics["recall"] is not None and metrics["precision"] is not None and metrics["recall"] + metrics["precision"] > 0:
        metrics["f1"] = 2 * metrics["recall"] * metrics["precision"] / (metrics["recall"] + metrics["precision"])
    return result(NAME, metrics, {"seeds": per_seed, "missed": misses, "wrong": wrong})


BENCHMARK = Benchmark(
    name=NAME,
    folder="seeds",
    description="Actor mentions on the 5 seed articles: gold actors found, mentions in gold evidence resolved right.",
    run=run,
)
