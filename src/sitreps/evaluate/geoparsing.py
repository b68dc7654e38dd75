"""``geoparsing``: toponym resolution on gold spans (as Mordecai3 is scored), on GeoWebNews,
with LGL and TR-News beside it as a check that a change helps beyond one corpus.

Every gold toponym proper of GeoWebNews (the literal and associative groups of the README;
expressions and non-toponyms left out), and every toponym of LGL and TR-News, that has gold
coordinates is resolved by the geoparser with the article's other gold toponyms as its
context. Metrics, over GeoWebNews:

- ``acc_161km`` (the headline): share of those toponyms placed within 161 km (100 miles) of
  the gold point, the geoparser as the product runs it: a mention it leaves unresolved (no
  candidate, or a best score under its abstain threshold) is a miss;
- ``acc_161km_resolve_all``: the same with the abstain threshold off, every toponym that has
  a candidate resolved. The spans here are known toponyms, so abstaining on one is never
  right; in the product the spans come from a tagger and the threshold keeps a word that
  only looks like a place ("Booker", "Congress") off the map. The two figures bound what
  the threshold costs on this set;
- ``exact``: share with the gold GeoNames id, over toponyms that have one;
- ``country_acc``: share in the gold's country (taken from the gazetteer entry of the gold
  id), over toponyms whose gold id the gazetteer knows and has a country for;
- ``median_km``: the median error, an unresolved toponym counted at 20,039 km (half the
  Earth's circumference, as Gritta et al. do);
- ``abstained`` (of which ``no_candidate``), ``toponyms``, ``seconds``;
- ``acc_161km_<type>``: the headline per GeoWebNews type;
- ``lgl_acc_161km``, ``lgl_exact``, ``lgl_country_acc``, ``lgl_abstained``, ``lgl_toponyms``
  and the same for ``trnews_``: LGL (local US news, many small namesakes) and TR-News.

Reference: Mordecai3 reports 94.1 % within 161 km on its own selection of 474 GeoWebNews
toponyms (82.7 % on LGL, 87.3 % on TR-News).
"""

from __future__ import annotations

import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .base import Benchmark, read_jsonl, result

if TYPE_CHECKING:
    from ..config import Settings
    from ..places.gazetteer import Gazetteer
    from ..places.geoparse import Geoparser

NAME = "geoparsing"
TOPONYM_TYPES = {
    "Literal", "Mixed", "Coercion", "Literal_Modifier", "Embedded_Literal", "Metonymic",
    "Non_Literal_Modifier", "Embedded_Non_Lit", "Demonym", "Language", "Homonym",
}  # fmt: skip
MORDECAI3_ACC_161KM = 0.941
MAX_KM = 20039.0  # an unresolved toponym's error: half the Earth's circumference
# The other corpora: file, metric prefix, what the file is.
OTHERS = (("lgl.jsonl", "lgl", "LGL"), ("trnews.jsonl", "trnews", "TR-News"))


def run(data_dir: Path, *, settings: Settings, limit: int | None = None) -> dict[str, Any]:
    from ..places import Gazetteer
    from ..places.geoparse import Geoparser

    gazetteer = Gazetteer.open()
    geoparser = Geoparser(gazetteer)
    records = _records(data_dir / "geowebnews.jsonl", "GeoWebNews", limit, TOPONYM_TYPES)
    scored = _score(records, geoparser, gazetteer)
    forced = _score(records, geoparser, gazetteer, abstain=0.0)
    share = _share
    metrics: dict[str, Any] = {
        "acc_161km": share(scored["hits"]),
        "acc_161km_resolve_all": share(forced["hits"]),
        "exact": share(scored["exact"]),
        "country_acc": share(scored["country"]),
        "median_km": round(statistics.median(scored["km"])) if scored["km"] else None,
        "abstained": scored["abstained"],
        "no_candidate": scored["no_candidate"],
        "toponyms": len(scored["hits"]),
        "seconds": round(scored["seconds"], 2),
        **{f"acc_161km_{kind.lower()}": share(flags) for kind, flags in sorted(scored["by_type"].items())},
    }
    for file_name, prefix, what in OTHERS:
        if limit is not None or not (data_dir / file_name).exists():
            continue  # a quick run (--limit) or a folder with GeoWebNews only
        other = _score(_records(data_dir / file_name, what, None, None), geoparser, gazetteer)
        metrics |= {
            f"{prefix}_acc_161km": share(other["hits"]),
            f"{prefix}_exact": share(other["exact"]),
            f"{prefix}_country_acc": share(other["country"]),
            f"{prefix}_abstained": other["abstained"],
            f"{prefix}_toponyms": len(other["hits"]),
        }
    errors = scored["errors"]
    details = {
        "mordecai3_acc_161km": MORDECAI3_ACC_161KM,
        "errors": errors,
        "error_types": dict(Counter(e["type"] for e in errors)),
        "error_kinds": dict(Counter(e["kind"] for e in errors)),
    }
    return result(NAME, metrics, details)


def _records(path: Path, what: str, limit: int | None, types: set[str] | None) -> list[tuple[dict, list[dict]]]:
    """(record, its gold toponyms with coordinates) of one corpus; ``types``: the GeoWebNews
    types that count (None: every annotated toponym, as in LGL and TR-News)."""
    records = []
    for number, record in enumerate(read_jsonl(path, what=what)):
        if limit is not None and number >= limit:
            break
        gold = [t for t in record["toponyms"] if t["lat"] is not None and (types is None or t["type"] in types)]
        if gold:
            records.append((record, gold))
    return records


def _score(records: list[tuple[dict, list[dict]]], geoparser: Geoparser, gazetteer: Gazetteer, *, abstain: float | None = None) -> dict[str, Any]:
    from ..places.geoparse import haversine_km

    options = {} if abstain is None else {"abstain": abstain}
    out: dict[str, Any] = {"hits": [], "exact": [], "country": [], "km": [], "by_type": defaultdict(list), "abstained": 0, "no_candidate": 0, "errors": [], "seconds": 0.0}
    for record, gold in records:
        started = time.perf_counter()
        mentions = geoparser.resolve(record["text"], [(t["start"], t["end"]) for t in gold], **options)
        out["seconds"] += time.perf_counter() - started
        by_span = {(m.start, m.end): m for m in mentions}
        for toponym in gold:
            mention = by_span[(toponym["start"], toponym["end"])]
            placed = mention.place
            km = MAX_KM if placed is None else haversine_km(placed.lat, placed.lon, toponym["lat"], toponym["lon"])
            if placed is None:
                out["abstained"] += 1
                out["no_candidate"] += mention.candidates == 0
            within = km <= 161
            out["hits"].append(within)
            out["km"].append(km)
            if toponym.get("type"):
                out["by_type"][toponym["type"]].append(within)
            gold_place = None
            if toponym.get("geonames_id"):
                out["exact"].append(placed is not None and placed.geonames_id == toponym["geonames_id"])
                gold_place = gazetteer.by_id(toponym["geonames_id"])
                if gold_place is not None and gold_place.country:
                    out["country"].append(placed is not None and placed.country == gold_place.country)
            if not within:
                out["errors"].append({
                    "doc": record["id"], "name": toponym["name"], "type": toponym.get("type"),
                    "kind": _error_kind(mention, gold_place, toponym),
                    "predicted": None if placed is None else f"{placed.name} ({placed.country}, {placed.feature_code})",
                    "km": None if placed is None else round(km),
                    "reason": mention.reason,
                })  # fmt: skip
    return out


def _error_kind(mention, gold_place, toponym: dict) -> str:
    """Why a toponym was missed, coarsely: no candidate, abstained, the gold place absent from
    the gazetteer, another country, or the right country but the wrong place or point."""
    if mention.place is None:
        return "no candidate" if mention.candidates == 0 else "abstained"
    if toponym.get("geonames_id") and gold_place is None:
        return "gold not in the gazetteer"
    if gold_place is not None and gold_place.country and mention.place.country != gold_place.country:
        return "another country"
    return "same country, too far"


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


BENCHMARK = Benchmark(
    name=NAME,
    folder="geoparsing",
    description="Toponym resolution on gold spans (GeoWebNews; LGL and TR-News beside it): within 161 km, exact GeoNames id, country.",
    run=run,
)
