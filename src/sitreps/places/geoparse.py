"""The geoparser: place mentions resolved to gazetteer entries with an ACLED-style precision.

Candidates come from the curated supplement (``data/places``: conflict features GeoNames
lacks) and the gazetteer, by folded name. Each is scored on:

- its size (log population; countries and admin areas count as large);
- the feature class the text cues ("mountains", "valley", "crossing", "camp", "province");
- the article's country focus (countries named, demonyms, the dateline, the countries of the
  actors mentioned, the other places resolved without doubt);
- its distance to the other places of the article;
- being curated (a supplement row wins a tie with a GeoNames one).

Below ``ABSTAIN`` the mention stays unresolved. Precision: 1 the place itself; 2 near it,
its outskirts or countryside, or a small feature placed by its anchor; 3 only a region
(admin areas, countries, regions).
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from ..actors.fold import fold
from .gazetteer import Gazetteer, Place

SUPPLEMENT_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
ABSTAIN = 0.25  # chosen on GeoWebNews: 0.35 gave 0.661 within 161 km, 0.25 0.678, 0.15 0.680

# Words after (or before) a name that say what kind of place it is.
_CUES = {
    "T": re.compile(r"^\W*(?:mountains?|mount|mts?\.?|hills?|heights|range|ridge|peak|plateau|valley|valleys|barrens|highlands?)\b", re.I),
    "H": re.compile(r"^\W*(?:river|wadi|lake|dam|reservoir)\b", re.I),
    "S": re.compile(r"^\W*(?:crossing|border crossing|camp|airbase|air base|base|airport|checkpoint)\b", re.I),
    "A": re.compile(r"^\W*(?:province|governorate|region|district|state|oblast|county|countryside)\b", re.I),
}
_CUES_BEFORE = {
    "T": re.compile(r"\b(?:mount|mt\.?|jabal|jebel|tal|tell|tallat)\s*$", re.I),
    "A": re.compile(r"\b(?:province of|governorate of|region of|district of|state of)\s*$", re.I),
}
_NEAR = re.compile(r"\b(?:near|outside|outskirts of|around|close to|countryside of|vicinity of|west of|east of|north of|south of|(?:north|south|east|west)(?:east|west)? of)\s+(?:the\s+)?(?:town of\s+|city of\s+|village of\s+)?$", re.I)
_NEAR_AFTER = re.compile(r"^\W*(?:countryside|outskirts|suburbs|area)\b", re.I)
# "Damascus said": a capital standing for its government.
_METONYMY = re.compile(r"^\W*(?:said|says|say|announced|accused|warned|denied|claimed|blamed|demanded|urged|insisted|rejected|has (?:said|accused|warned)|responded|retaliated)\b", re.I)
_REGION_PHRASE = re.compile(
    r"^(?:(?:north|south|east|west|central|northern|southern|eastern|western|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)"
    r"|['’]s\s+(?:border\s+)?(?:region|area|side|border|countryside|frontier)$|\s+(?:border\s+)?(?:region|area|countryside|frontier)$",
    re.IGNORECASE,
)
_REGION_CODES = {"PCLI", "PCLD", "PCLS", "PCLF", "PCL", "ADM1", "ADM2", "ADM3", "RGN", "TERR", "ZN", "AREA"}


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One place mention: where, the place it resolved to (None: abstained), and why."""

    start: int
    end: int
    text: str
    place: Place | None
    precision: int | None  # 1 | 2 | 3
    score: float
    candidates: int
    metonymic: bool = False
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Context:
    """What the article says about where it is: countries weighed, places already placed."""

    countries: Counter
    anchors: tuple[Place, ...] = ()


def load_supplement(directory: Path = SUPPLEMENT_DIR, gazetteer: Gazetteer | None = None) -> dict[str, list[Place]]:
    """Folded name -> curated places. Rows without coordinates take their anchor's (another
    row's id, or "Town, CC" looked up in the gazetteer); their precision is kept in the
    feature code as "SUPP<precision>"."""
    rows: dict[str, dict] = {}
    for path in sorted(directory.glob("*.csv")) if directory.is_dir() else []:
        if path.name == "country_centroids.csv":
            continue
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                row["_file"] = path.name
                rows[row["id"]] = row
    index: dict[str, list[Place]] = {}
    for row in rows.values():
        lat, lon = row.get("lat"), row.get("lon")
        anchor = (row.get("anchor") or "").strip()
        for _ in range(4):  # follow a chain of anchors between curated rows
            if lat and lon or anchor not in rows:
                break
            lat, lon = rows[anchor].get("lat"), rows[anchor].get("lon")
            anchor = (rows[anchor].get("anchor") or "").strip()
        if not (lat and lon):
            if anchor and gazetteer is not None:
                # "Arsal, LB", or "Arsal" in the row's own country
                town, _, country = anchor.rpartition(",") if "," in anchor else (anchor, "", row.get("country") or "")
                found = [p for p in gazetteer.candidates(town.strip()) if p.country == country.strip().upper()]
                if found:
                    lat, lon = str(found[0].lat), str(found[0].lon)
        if not (lat and lon):
            continue
        precision = row.get("precision") or "1"
        place = Place(
            geonames_id=None,
            name=row["name"],
            lat=float(lat),
            lon=float(lon),
            country=(row.get("country") or None),
            admin1=row.get("admin1") or None,
            admin1_code=None,
            feature_class="T" if row.get("feature") in ("mountain_range", "mountain", "hill", "valley", "plain", "forest") else "S",
            feature_code=f"SUPP{precision}:{row.get('feature', 'other')}",
            population=0,
            source=f"supplement:{row['_file']}",
        )
        for name in [row["name"], *(row.get("aliases") or "").split("|")]:
            for key in {fold(name), _bare(fold(name))}:
                if key and place not in index.get(key, ()):
                    index.setdefault(key, []).append(place)
    return index


# Generic words of place names, in their folded spelling (doubled letters single).
_GENERIC = re.compile(r"^(?:(?:jabal|jebel|jbel|tal|tel|talat|wadi|mount|mt|the)\s+)+|\b(?:al)\s+|\s+(?:hils?|mountains?|mount|valeys?|crosing|camp|plain|range)$")


def _bare(folded: str) -> str:
    """A folded name without its generic words: "jabal al barouh" and "al barouh hill" are
    both "barouh"."""
    previous = None
    while previous != folded:
        previous, folded = folded, _GENERIC.sub(" ", folded).strip()
    return folded


def _demonyms() -> dict[str, str]:
    """Folded demonym -> country code, from the actor data's demonyms.csv."""
    from ..actors.kb import DATA_DIR

    table = {}
    path = DATA_DIR / "demonyms.csv"
    if path.exists():
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for demonym in row["demonyms"].split("|"):
                    if demonym.strip() and demonym.strip()[0].isupper():
                        table.setdefault(fold(demonym), row["country"].strip().upper())
    return table


def _centroids() -> dict[str, tuple[float, float]]:
    path = SUPPLEMENT_DIR / "country_centroids.csv"
    table = {}
    if path.exists():
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                try:
                    table[row["country"].strip().upper()] = (float(row["lat"]), float(row["lon"]))
                except (KeyError, ValueError):
                    continue
    return table


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points."""
    p1, q1, p2, q2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((q2 - q1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _size(place: Place) -> float:
    if place.feature_code in ("PCLI", "PCLD", "PCLS", "PCLF", "PCL"):
        return 1.0
    if place.feature_code.startswith("ADM1"):
        return 0.8
    if place.feature_code.startswith(("ADM2", "ADM3")):
        # A county rarely is what a bare name means when a town shares it ("Franklin").
        return min(0.5, math.log10(place.population + 1) / 7.0)
    if place.feature_code == "PPLC":
        return 0.95
    return min(1.0, math.log10(place.population + 1) / 7.0) if place.population else 0.1


class Geoparser:
    """Resolves place mentions with one gazetteer and the curated supplement."""

    def __init__(self, gazetteer: Gazetteer, supplement: dict[str, list[Place]] | None = None) -> None:
        self.gazetteer = gazetteer
        self.supplement = load_supplement(gazetteer=gazetteer) if supplement is None else supplement
        self.demonyms = _demonyms()
        self.centroids = _centroids()

    def candidates(self, name: str) -> list[Place]:
        """Curated places, then the country a demonym names ("Syrian", "French"), then the
        gazetteer's places of that name. A name found nowhere is tried without its generic
        words ("Al-Barouh hill"), and a region phrase as its place ("northeast Lebanon",
        "Lebanon's border region" are Lebanon, as a region)."""
        found = self._candidates(name)
        if not found:
            bare = _bare(fold(name))
            if bare and bare != fold(name):
                found = list(self.supplement.get(bare, ())) or self._candidates(bare)
        if not found:
            stripped = _REGION_PHRASE.sub("", name).strip()
            if stripped and stripped != name:
                found = [replace(p, feature_code="RGN") if not p.feature_code.startswith(("PCL", "ADM")) else p for p in self._candidates(stripped)]
        return found

    def _candidates(self, name: str) -> list[Place]:
        key = fold(name)
        found = list(self.supplement.get(key, ()))
        code = self.demonyms.get(key) or self.demonyms.get(key.rstrip("s"))
        if code:
            country = self.gazetteer.country(code)
            if country is not None:
                found.append(country)
        found += self.gazetteer.candidates(name)
        return [self._centred(place) for place in found]

    def _centred(self, place: Place) -> Place:
        """A country at its reference point (data/places/country_centroids.csv), not at its
        capital: the gazetteer's packages carry no country coordinates."""
        if place.feature_code.startswith("PCL") and place.country in self.centroids:
            lat, lon = self.centroids[place.country]
            return replace(place, lat=lat, lon=lon, source="geonames:centroid=reference")
        return place

    def score(self, place: Place, *, context: Context, cue: str | None) -> tuple[float, str]:
        """A candidate's score in [0, ~2] and the main reason."""
        score = 0.45 * _size(place)
        reasons = []
        weight = context.countries.get(place.country, 0)
        total = sum(context.countries.values())
        if total:
            share = weight / total
            score += 0.6 * share
            if share:
                reasons.append(f"country {place.country} {share:.0%} of the article")
        if cue and place.feature_class == cue:
            score += 0.3
            reasons.append(f"cued {cue}")
        if context.anchors:
            nearest = min(distance_km(place, anchor) for anchor in context.anchors)
            score += 0.35 * max(0.0, 1 - nearest / 400.0)
            if nearest < 400:
                reasons.append(f"{nearest:.0f} km from a place of the article")
        if place.source.startswith("supplement"):
            # A curated conflict place named in the text is strong evidence by itself.
            score += 0.4
            reasons.append("curated")
        return score, "; ".join(reasons) or "size"

    def resolve_span(self, text: str, start: int, end: int, *, context: Context) -> PlaceMention:
        name = text[start:end]
        candidates = self.candidates(name)
        after, before = text[end : end + 25], text[max(0, start - 30) : start]
        cue = next((cls for cls, pattern in _CUES.items() if pattern.match(after)), None)
        cue = cue or next((cls for cls, pattern in _CUES_BEFORE.items() if pattern.search(before)), None)
        metonymic = bool(_METONYMY.match(after))
        if not candidates:
            return PlaceMention(start, end, name, None, None, 0.0, 0, metonymic, "no candidate")
        scored = sorted(
            ((self.score(place, context=context, cue=cue), place) for place in candidates),
            key=lambda item: (-item[0][0], -item[1].population, item[1].geonames_id or 0),
        )
        (best_score, reason), best = scored[0]
        if best_score < ABSTAIN:
            return PlaceMention(start, end, name, None, None, best_score, len(candidates), metonymic, f"abstained: {reason}")
        precision = 1
        if best.feature_code.startswith("SUPP"):
            precision = int(best.feature_code[4])
        if best.feature_code in _REGION_CODES or best.feature_code.startswith(("ADM", "PCL")):
            precision = 3
        if precision == 1 and (_NEAR.search(before) or _NEAR_AFTER.match(after)):
            precision = 2
        return PlaceMention(start, end, name, best, precision, best_score, len(candidates), metonymic, reason)

    def resolve(self, text: str, spans: Iterable[tuple[int, int]], *, countries: Counter | None = None) -> list[PlaceMention]:
        """Resolve every span of ``text``. Two passes: unambiguous mentions (one candidate,
        or a clear winner) first, then the rest with those as anchors."""
        spans = sorted(spans)
        focus = Counter(countries or {})
        first = Context(focus)
        provisional = [self.resolve_span(text, start, end, context=first) for start, end in spans]
        for mention in provisional:
            if mention.place is not None and mention.place.country:
                if fold(mention.text) in self.demonyms:
                    weight = 0.25  # "French engineers" says little about where the story is
                else:
                    weight = 1 if mention.candidates == 1 else 0.5
                focus[mention.place.country] += weight
        anchors = tuple(
            m.place for m in provisional if m.place is not None and m.candidates <= 2 and not m.place.feature_code.startswith(("PCL", "ADM"))
        )
        second = Context(focus, anchors)
        return [self.resolve_span(text, start, end, context=replace(second, anchors=tuple(a for a in anchors if a is not m.place))) for (start, end), m in zip(spans, provisional)]
