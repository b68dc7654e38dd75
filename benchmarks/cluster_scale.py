"""Time to group 10,000 and 100,000 synthetic events, to show how the cost grows.

The events are copies of a dozen hand-made event shapes (shelling, clashes, air strikes,
protests, arrests; figures by several claimants), shifted in date and place: copy k of a
shape happens on day k // DENSITY of a span that grows with the corpus, in one of 40 towns
of 8 countries, reported by one to three documents. The number of events per country and
day stays about the same at both sizes (a bigger corpus covers more time), which is what a
growing archive looks like.

    python benchmarks/cluster_scale.py [--sizes 10000 100000]

Prints the seconds per size and the ratio of the per-event cost, 100k against 10k.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time

from sitreps.cluster import IncidentIndex
from sitreps.records import ActorRef, Claim, Claimant, Document, Event, EventDate, Evidence, Location, Published

SHAPES = [
    ("explosions_remote_violence", "shelling_artillery_missile_attack", "Shelling hit the market in {town}"),
    ("explosions_remote_violence", "air_drone_strike", "A drone strike hit a car near {town}"),
    ("battles", "armed_clash", "Troops clashed with rebels outside {town}"),
    ("battles", "government_regains_territory", "The army retook the hills above {town}"),
    ("violence_against_civilians", "attack", "Gunmen attacked a bus on the road to {town}"),
    ("protests", "peaceful_protest", "Hundreds marched through {town} demanding water"),
    ("strategic_developments", "arrests", "Security forces detained a dozen men in {town}"),
]
ACTORS = ["Velmar Army", "Red Hand", "Northern Front", "Coast Guard Militia"]
CLAIMANTS = [
    Claimant("Observatory", "monitor_ngo", "neutral"),
    Claimant("army spokesman", "state_military", "self"),
    Claimant("rebel media", "partisan_media", "adversary"),
]
DENSITY = 25  # events per day across all countries


def synthetic(count: int, seed: int = 1) -> tuple[list[Event], list[Document]]:
    rng = random.Random(seed)
    events, documents = [], []
    n = 0
    while len(events) < count:
        day = 738000 + n // DENSITY  # a proleptic ordinal in 2021
        iso = __import__("datetime").date.fromordinal(day).isoformat()
        country = f"C{n % 8}"
        town_number = rng.randrange(5)
        town = f"Town{n % 8}-{town_number}"
        lat, lon = 10.0 + (n % 8) * 5 + town_number * 0.4, 20.0 + town_number * 0.4
        type_, subtype, sentence = SHAPES[n % len(SHAPES)]
        actors = (ActorRef(ACTORS[n % 4], ACTORS[n % 4], (0, 1), "initiator"),)
        deaths = rng.randrange(1, 30)
        for copy in range(rng.choice((1, 1, 2, 3))):
            text = f"{sentence.format(town=town)} on {iso}, report {n}-{copy}. {deaths + copy} people were killed."
            document = Document(
                id=hashlib.sha256(text.encode()).hexdigest(), source="synthetic", text=text, original=text,
                published=Published(iso, "metadata"),
            )  # fmt: skip
            claimant = CLAIMANTS[(n + copy) % 3]
            events.append(Event(
                id=f"{document.id[:16]}-0", document_id=document.id, type=type_, subtype=subtype, actors=actors,
                location=Location(town, town, (0, 1), 1, lat=lat, lon=lon, admin1=f"A{town_number}", country=country),
                date=EventDate(iso, iso, "day", "on that day", (0, 1), "published"),
                fatalities=(Claim(deaths + copy, deaths + copy, "exact", "civilians", claimant, (0, 1), "killed"),),
                evidence=(Evidence(0, len(text), text),), confidence=0.7,
            ))  # fmt: skip
            documents.append(document)
        n += 1
    return events[:count], documents


def time_grouping(count: int) -> tuple[float, int]:
    events, documents = synthetic(count)
    started = time.perf_counter()
    index = IncidentIndex()
    index.add(events, documents)
    return time.perf_counter() - started, len(index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    per_event = {}
    for size in args.sizes:
        seconds, incidents = time_grouping(size)
        per_event[size] = seconds / size
        print(f"{size:>7} events: {seconds:7.1f} s, {incidents} incidents, {1e6 * seconds / size:.0f} us/event")
    if len(args.sizes) >= 2:
        small, large = args.sizes[0], args.sizes[-1]
        print(f"per-event cost {large} vs {small}: x{per_event[large] / per_event[small]:.2f}")


if __name__ == "__main__":
    main()
