"""``seeds-places``: the places of the seed gold events, resolved in their article.

For every gold event location with a name, the name (or one of its ``alt_names``) is found
in the cleaned article and resolved by the geoparser with the article's other place mentions
(spaCy GPE/LOC/FAC entities) as context. Metrics:

- ``country_acc``: share resolved in the gold country (or one of ``country_alt``);
- ``within_25km``: over the places the gazetteer or the supplement knows in the gold country
  under that name, share resolved within 25 km of the reference entry — the curated row, else
  the most populous entry of that name in the gold country — (the right homonym, not a
  namesake elsewhere);
- ``resolved``: share not abstained.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Document
from .base import Benchmark, result, share
from .seeds import read_seeds

if TYPE_CHECKING:
    from ..config import Settings

NAME = "seeds-places"


def run(data_dir: Path, *, settings: Settings) -> dict[str, Any]:
    from ..clean import make_document
    from ..ingest import RawInput
    from ..nlp import load_pipeline
    from ..places import Gazetteer
    from ..places.geoparse import Geoparser, distance_km

    geoparser = Geoparser(Gazetteer.open())
    nlp = load_pipeline(settings.nlp)
    country_flags, near_flags, resolved_flags, misses = [], [], [], []
    seen: set[tuple[str, str]] = set()
    for seed in read_seeds(data_dir):
        document = make_document(RawInput(source=str(seed.path), content=seed.text), settings=settings)
        if not isinstance(document, Document):
            continue
        doc = nlp(document.text)
        spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")]
        for event in seed.gold["events"]:
            location = event.get("location") or {}
            if not location.get("name") or (seed.id, location["name"]) in seen:
                continue
            seen.add((seed.id, location["name"]))
            countries = {location.get("country"), *location.get("country_alt", ())} - {None}
            names = [location["name"], *location.get("alt_names", ())]
            found = next(((n, document.text.find(n)) for n in names if document.text.find(n) >= 0), None)
            if found is None:
                misses.append({"seed": seed.id, "place": location["name"], "why": "name not in the cleaned text"})
                country_flags.append(False)
                resolved_flags.append(False)
                continue
            name, start = found
            end = start + len(name)
            others = [span for span in spans if not (span[0] < end and start < span[1])]
            mentions = geoparser.resolve(document.text, [(start, end), *others])
            mention = next(m for m in mentions if (m.start, m.end) == (start, end))
            placed = mention.place
            resolved_flags.append(placed is not None)
            ok_country = placed is not None and placed.country in countries
            country_flags.append(ok_country)
            # The reference entry, chosen without the article: the curated row for that name
            # in the gold country, else the most populous gazetteer entry there.
            known = [p for p in geoparser.candidates(name) if p.country in countries]
            curated = [p for p in known if p.source.startswith("supplement")]
            reference = (curated or sorted(known, key=lambda p: -p.population) or [None])[0]
            if reference is not None:
                near_flags.append(placed is not None and distance_km(placed, reference) <= 25)
            if not ok_country:
                misses.append({
                    "seed": seed.id, "place": name, "gold_country": sorted(countries),
                    "resolved": None if placed is None else f"{placed.name} ({placed.country}, {placed.source})",
                    "why": mention.reason,
                })
    metrics = {
        "country_acc": share(country_flags),
        "within_25km": share(near_flags),
        "resolved": share(resolved_flags),
        "places": len(country_flags),
        "known_places": len(near_flags),
    }
    return result(NAME, metrics, {"misses": misses})


BENCHMARK = Benchmark(
    name=NAME,
    folder="seeds",
    description="Places of the seed gold events: right country, right homonym (25 km).",
    run=run,
)
