"""The geoparser: place mentions resolved to gazetteer entries with an ACLED-style precision.

Candidates come, by folded name, from the curated supplement (``data/places``: conflict
features GeoNames lacks), the curated aliases (``data/places/aliases.csv``: abbreviations
such as "Calif.", "N.J.", "B.C." matched as written, continent adjectives), the countries'
names and demonyms of the actor data ("U.S.", "Holland", "Syrian") and the gazetteer. A name
found nowhere is tried without its generic words, as a region phrase, then by the names
inside it ("University of California" is in California, with precision 2). Each candidate is
scored on:

- its size (log population; countries, continents and admin areas count as large);
- whether the mention is its own name, rather than one of the many alternate names GeoNames
  lists ("Mexico" is the country's name, and only an alternate name of Mexico City);
- the feature class the text cues ("mountains", "valley", "crossing", "camp", "province");
- the article's country focus (countries named, demonyms, the dateline, the countries of the
  actors mentioned, the other places resolved without doubt) and the admin1 areas it names;
- the area a qualifier names ("Paris, Texas", "Lebanon, Tenn.");
- its distance to the other places of the article;
- being curated (a supplement row wins a tie with a GeoNames one).

The admin1 area and the closeness lift a small namesake less the bigger the largest candidate
is beside it (Buffalo, Texas against Buffalo, New York: ``_prominence``); and a name's own
first reading does not count in the article's country focus it is scored against (``resolve``).
A country's own name or a demonym leaves out what only shares it: the State of Mexico, Mexico
City (for which "Mexico" is an alternate name), a town called Canadian. A town named inside a
longer name must lie in a country the article is about, and a street ("Arlington Avenue") is
never placed by a name inside it: it goes, like a building, to the town the article names most.

Below ``ABSTAIN`` the mention stays unresolved (``abstain=0`` resolves every mention that has
a candidate). Precision: 1 the place itself; 2 near it, its outskirts or countryside, a small
feature placed by its anchor, or a place named inside the mention; 3 only a region (admin
areas, countries, continents, regions).

The weights (``W_*``) were set on LGL and TR-News and checked on GeoWebNews
(``sitreps evaluate geoparsing`` reports all three).
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from ..actors.fold import fold
from .gazetteer import Gazetteer, Place

SUPPLEMENT_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
ALIASES_FILE = SUPPLEMENT_DIR / "aliases.csv"
# Files of data/places that are not supplement rows.
_NOT_SUPPLEMENT = frozenset({"country_centroids.csv", "aliases.csv"})
ABSTAIN = 0.25  # chosen on GeoWebNews: 0.35 gave 0.661 within 161 km, 0.25 0.678, 0.15 0.680

# Weights of a candidate's score (``Geoparser.score``).
W_SIZE = 0.675  # times its size: log population, countries and continents 1
W_NAMED = 0.3  # the mention is its own name, not one of the alternate names GeoNames lists
W_COUNTRY = 0.3  # times its country's share of the article
W_AREA = 0.25  # in an admin1 area the article names
W_WITHIN = 0.6  # in the area a following ", Texas" names
W_CUE = 0.3  # of the feature class the text cues ("valley", "crossing")
W_NEAR = 0.35  # times its closeness (0 from 400 km on) to the article's unambiguous places
W_CURATED = 0.4  # curated
# A namesake this many times smaller than the largest candidate starts losing the lift of the
# article's context (its admin1 area, its closeness), and has lost all of it at PROMINENCE_END
# (set on LGL and TR-News beside GeoWebNews: 10 and 1000 lost LGL 0.4 points).
PROMINENCE_START = 30.0
PROMINENCE_END = 3000.0

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
# ", Texas", ", Tenn.", ", N.J.", ", Syria" right after a name.
_QUALIFIER = re.compile(r",\s*([A-Z][\w.]*(?: [A-Z][\w.]*){0,2})")
_WATER = frozenset({"ocean", "sea", "river", "lake", "gulf", "bay", "strait", "straits", "channel", "canal", "creek", "sound", "lagoon"})
# The last word of a facility's or a street's name: a small feature inside a town.
_FACILITY = re.compile(
    r"\b(?:street|st\.?|avenue|ave\.?|road|rd\.?|drive|boulevard|blvd\.?|lane|parkway|pkwy\.?|highway|hwy\.?|circle|"
    r"terrace|square|plaza|center|centre|hospital|"
    r"hall|church|cathedral|basilica|mosque|synagogue|temple|court|courthouse|estate|park|college|school|academy|"
    r"university|stadium|arena|theatre|theater|airport|station|office|club|hotel|restaurant|market|mall|library|"
    r"museum|bridge|prison|jail|embassy|ministry|palace|tower|building|graveyard|cemetery|racecourse)$",
    re.IGNORECASE,
)
# The last word of a street's name: a town named inside it is rarely where it is
# ("Arlington Avenue" in Pittsburgh, "Walnut Street" in Philadelphia), so a street is never
# placed by its parts (it goes to the article's town, as a building does).
_NO_PARTS = re.compile(
    r"\b(?:street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd|lane|ln|parkway|pkwy|highway|hwy|circle|way|place|"
    r"terrace|trail|pike|alley|court|ct)\.?$",
    re.IGNORECASE,
)
# An administrative word after a name: "Hama province", "Aleppo governorate".
_ADMIN_SUFFIX = re.compile(r"\s+(?:province|governorate|district|prefecture|oblast|region|state|county)$", re.IGNORECASE)
# Words that, standing alone, name no particular place.
_GENERIC_WORDS = frozenset(
    fold(word)
    for word in (
        "north south east west northern southern eastern western central upper lower greater new old great little "
        "saint st mount lake port fort city town village county state province district region royal national "
        "international general university college school high hospital church cathedral street avenue road park "
        "center centre square hall house court airport station bank hotel club market the of and a an united "
        "republic federal kingdom first second third metro home side golf marina estate police sheriff department office "
        "township parish borough "
        # landforms: "Euphrates Valley" is not a town called Valley
        "valley valleys heights hill hills mountain mountains plain plains desert river coast island islands "
        "peninsula canyon basin delta plateau ridge highlands gorge"
    ).split()
)
_IN_LOCALITY = "a street or building in"
_PART_REASON = " is part of the name"
_REGION_CODES = {"PCLI", "PCLD", "PCLS", "PCLF", "PCL", "ADM1", "ADM2", "ADM3", "RGN", "TERR", "ZN", "AREA", "CONT"}


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
    """What the article says about where it is: countries weighed, admin1 areas named,
    places already placed."""

    countries: Counter
    anchors: tuple[Place, ...] = ()
    areas: frozenset[tuple[str, str]] = frozenset()  # (country, admin1 code) of areas named
    locality: Place | None = None  # the populated place the article names most


def load_supplement(directory: Path = SUPPLEMENT_DIR, gazetteer: Gazetteer | None = None) -> dict[str, list[Place]]:
    """Folded name -> curated places. Rows without coordinates take their anchor's (another
    row's id, or "Town, CC" looked up in the gazetteer); their precision is kept in the
    feature code as "SUPP<precision>"."""
    rows: dict[str, dict] = {}
    for path in sorted(directory.glob("*.csv")) if directory.is_dir() else []:
        if path.name in _NOT_SUPPLEMENT:
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


def _country_table() -> tuple[dict[str, str], dict[str, str]]:
    """From the actor data's demonyms.csv: folded demonym -> country code ("syrian" -> SY),
    and folded country name -> country code ("us", "uk", "holland", "ivory coast")."""
    from ..actors.kb import DATA_DIR

    demonyms: dict[str, str] = {}
    names: dict[str, str] = {}
    path = DATA_DIR / "demonyms.csv"
    if path.exists():
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["country"].strip().upper()
                for demonym in row["demonyms"].split("|"):
                    if demonym.strip() and demonym.strip()[0].isupper():
                        demonyms.setdefault(fold(demonym), code)
                for name in row.get("names", "").split("|"):
                    if name.strip():
                        names.setdefault(fold(re.sub(r"^the\s+", "", name.strip(), flags=re.I)), code)
    return demonyms, names


def _demonyms() -> dict[str, str]:
    """Folded demonym -> country code, from the actor data's demonyms.csv."""
    return _country_table()[0]


def _exact_alias(name: str) -> bool:
    """Whether an alias is matched as written: abbreviations ("La.", "Ind.", "WA") would be
    ordinary words ("la", "ind") once folded."""
    return "." in name or (len(name) <= 4 and name.isupper())


def load_aliases(gazetteer: Gazetteer, path: Path = ALIASES_FILE) -> tuple[dict[str, list[Place]], dict[str, list[Place]], dict[str, list[Place]]]:
    """The curated aliases of ``path`` (``data/places/aliases.csv``: name, geonames_id,
    target, provenance) as three indexes to the gazetteer's places: names matched as written
    (abbreviations: "Calif.", "N.J.", "WA"), names matched folded ("European Union") and
    adjectives ("European", "African": matched folded, weighed as demonyms are). Rows whose
    place the gazetteer lacks are left out."""
    exact: dict[str, list[Place]] = {}
    folded: dict[str, list[Place]] = {}
    adjectives: dict[str, list[Place]] = {}
    if not path.exists():
        return exact, folded, adjectives
    places: dict[int, Place | None] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            geonames_id = int(row["geonames_id"])
            if geonames_id not in places:
                places[geonames_id] = gazetteer.by_id(geonames_id)
            place = places[geonames_id]
            if place is None:
                continue
            name = row["name"].strip()
            if _exact_alias(name):
                index, key = exact, " ".join(name.split())
            else:
                index, key = (adjectives if row.get("kind") == "adjective" else folded), fold(name)
            if place not in index.get(key, ()):
                index.setdefault(key, []).append(place)
    return exact, folded, adjectives


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
    if place.feature_code in ("PCLI", "PCLD", "PCLS", "PCLF", "PCL", "CONT"):
        return 1.0
    if place.feature_code.startswith("ADM1"):
        return 0.8
    if place.feature_code.startswith(("ADM2", "ADM3")):
        # A county rarely is what a bare name means when a town shares it ("Franklin").
        return min(0.5, math.log10(place.population + 1) / 7.0)
    if place.feature_code == "PPLC":
        return 0.95
    return min(1.0, math.log10(place.population + 1) / 7.0) if place.population else 0.1


def _prominence(population: int, largest: int) -> float:
    """How much of the article's context a candidate keeps beside a bigger namesake: all of it
    within PROMINENCE_START times the largest candidate's population, none from PROMINENCE_END
    times on, in between by the log of the ratio. Buffalo (New York, 258,000 people) is what a
    text means more often than Buffalo, Texas (1,900), even when Texas is named elsewhere."""
    if largest <= 0 or population * PROMINENCE_START >= largest:
        return 1.0
    ratio = largest / max(population, 1)
    return max(0.0, 1 - math.log(ratio / PROMINENCE_START) / math.log(PROMINENCE_END / PROMINENCE_START))


def _locality(mentions: list[PlaceMention]) -> Place | None:
    """The town the mentions name most (the first named of those named as often), counting
    only towns found by their own name, not by a name inside a longer one."""
    towns: dict[tuple, list] = {}  # key -> [times named, -first position, place]
    for position, mention in enumerate(mentions):
        if mention.place is not None and mention.candidates and mention.place.feature_class in ("P", "S") and _PART_REASON not in mention.reason:
            towns.setdefault(_key(mention.place), [0, -position, mention.place])[0] += 1
    return max(towns.values(), key=lambda town: town[:2])[2] if towns else None


def _key(place: Place) -> tuple:
    return (place.geonames_id,) if place.geonames_id is not None else (place.name, place.lat, place.lon, place.source)


def _parts(name: str) -> Iterator[str]:
    """Shorter names inside a name the gazetteer lacks, longest first: what follows "of"
    ("University of California", "Embassy of the Republic of Armenia"), then the leading and
    the trailing words ("Colorado State University", "Old Town Manassas"). Not for water
    ("Indian Ocean" is not India), and never a generic word alone ("Royal", "City")."""
    words = name.split()
    if len(words) < 2 or words[-1].casefold().strip(".,") in _WATER:
        return
    seen = set()
    found = []
    lowered = [word.casefold() for word in words]
    if "of" in lowered:
        after = words[len(lowered) - lowered[::-1].index("of") :]
        while after and after[0].casefold() == "the":
            after = after[1:]
        found.append(after)
    for size in range(len(words) - 1, 0, -1):
        found.append(words[:size])
        found.append(words[len(words) - size :])
    for part in found:
        text = " ".join(part).strip(" ,.'’")
        key = fold(text)
        if not text or key in seen or not text[0].isupper():
            continue
        seen.add(key)
        if all(word in _GENERIC_WORDS for word in key.split()):
            continue
        yield text


class Geoparser:
    """Resolves place mentions with one gazetteer, the curated supplement and aliases."""

    def __init__(self, gazetteer: Gazetteer, supplement: dict[str, list[Place]] | None = None, *, aliases: Path = ALIASES_FILE) -> None:
        self.gazetteer = gazetteer
        self.supplement = load_supplement(gazetteer=gazetteer) if supplement is None else supplement
        self.demonyms, self.country_names = _country_table()
        self.exact_aliases, self.aliases, self.adjectives = load_aliases(gazetteer, aliases)
        self.centroids = _centroids()

    def candidates(self, name: str) -> list[Place]:
        """Curated places, then the country a demonym names ("Syrian", "French"), then the
        gazetteer's places of that name. A name found nowhere is tried without its generic
        words ("Al-Barouh hill"), as a region phrase's place ("northeast Lebanon", "Lebanon's
        border region" are Lebanon, as a region), then by the names inside it ("University of
        California" is in California)."""
        return [place for place, _ in self._lookup(name)[0]]

    def _lookup(self, name: str) -> tuple[list[tuple[Place, bool]], str]:
        """The candidates of ``name``, each with whether the name is its own (its main name,
        a country's name or demonym, a curated name or alias, not only one of GeoNames'
        alternate names); and how they were found: "name", "bare", "region", "area" or
        "part"."""
        found = self._candidates(name)
        if found:
            return found, "name"
        bare = _bare(fold(name))
        if bare and bare != fold(name):
            found = [(place, True) for place in self.supplement.get(bare, ())] or self._candidates(bare)
            if found:
                return found, "bare"
        stripped = _REGION_PHRASE.sub("", name).strip()
        if stripped and stripped != name:
            found = [
                (replace(p, feature_code="RGN") if not p.feature_code.startswith(("PCL", "ADM", "CONT")) else p, named)
                for p, named in self._candidates(stripped)
            ]
            if found:
                return found, "region"
        area = _ADMIN_SUFFIX.sub("", name).strip()
        if area and area != name.strip():
            # "Hama province", "Aleppo governorate": the administrative area of that name (the
            # name alone may be only an alternate name of it, "Hama" of Ḩamāh).
            found = [(place, True) for place, _ in self._candidates(area) if place.feature_code.startswith("ADM")]
            if found:
                return found, "area"
        for part in () if _NO_PARTS.search(name.strip()) else _parts(name):
            # Only places whose own name it is: "Brands Hatch" is not a town with an
            # alternate name "Hatch".
            found = [(place, named) for place, named in self._candidates(part) if named]
            if found:
                return found, "part"
        return [], "none"

    def _facility(self, name: str, context: Context) -> Place | None:
        """The article's main town for a street or a building the gazetteer cannot know
        ("Royal Street", "the Barclays Center"), as an ACLED coder places a feature too small
        to find: at the nearest known populated place, with precision 2."""
        if context.locality is not None and len(name.split()) > 1 and _FACILITY.search(name.strip()):
            return context.locality
        return None

    def _candidates(self, name: str) -> list[tuple[Place, bool]]:
        key = fold(name)
        found = [(place, True) for place in self.supplement.get(key, ())]
        found += [(place, True) for place in self.exact_aliases.get(" ".join(name.split()), ())]
        found += [(place, True) for place in [*self.aliases.get(key, ()), *self.adjectives.get(key, ())]]
        for code in {self.demonyms.get(key) or self.demonyms.get(key.rstrip("s")), self.country_names.get(key)} - {None}:
            country = self.gazetteer.country(code)
            if country is not None:
                found.append((country, True))
        found += [(place, fold(place.name) == key) for place in self.gazetteer.candidates(name)]
        unique: dict[tuple, tuple[Place, bool]] = {}
        for place, named in found:
            kept = unique.get(_key(place))
            unique[_key(place)] = (place, named or (kept is not None and kept[1]))
        return [(self._centred(place), named) for place, named in unique.values()]

    def _centred(self, place: Place) -> Place:
        """A country at its reference point (data/places/country_centroids.csv), not at its
        capital: the gazetteer's packages carry no country coordinates."""
        if place.feature_code.startswith("PCL") and place.country in self.centroids:
            lat, lon = self.centroids[place.country]
            return replace(place, lat=lat, lon=lon, source="geonames:centroid=reference")
        return place

    def score(
        self, place: Place, *, context: Context, cue: str | None, named: bool = False, within: tuple[str, str | None] | None = None,
        largest: int = 0,
    ) -> tuple[float, str]:
        """A candidate's score in [0, ~2.5] and the main reasons. ``named``: the mention is
        the place's own name (not only an alternate name GeoNames lists); ``within``: the
        (country, admin1 code) the text puts the mention in ("Paris, Texas")."""
        score = W_SIZE * _size(place)
        reasons = []
        if named:
            score += W_NAMED
            reasons.append("its own name")
        weight = context.countries.get(place.country, 0)
        total = sum(context.countries.values())
        if total:
            share = weight / total
            score += W_COUNTRY * share
            if share:
                reasons.append(f"country {place.country} {share:.0%} of the article")
        prominence = _prominence(place.population, largest)
        if prominence < 1:
            reasons.append(f"a namesake {largest / max(place.population, 1):.0f} times its size")
        if place.admin1_code and (place.country, place.admin1_code) in context.areas and not place.feature_code.startswith("ADM1"):
            score += W_AREA * prominence
            reasons.append(f"in {place.admin1 or place.admin1_code}, named in the article")
        if within is not None and place.country == within[0] and (within[1] is None or place.admin1_code == within[1]):
            score += W_WITHIN
            reasons.append(f"in {within[1] or within[0]} as the text says")
        if cue and place.feature_class == cue:
            score += W_CUE
            reasons.append(f"cued {cue}")
        # A country's or a continent's point is only a representative one: being near the
        # article's places says nothing for it (its country share does).
        if context.anchors and not place.feature_code.startswith(("PCL", "CONT")):
            nearest = min(distance_km(place, anchor) for anchor in context.anchors)
            score += W_NEAR * max(0.0, 1 - nearest / 400.0) * prominence
            if nearest < 400:
                reasons.append(f"{nearest:.0f} km from a place of the article")
        if place.source.startswith("supplement"):
            # A curated conflict place named in the text is strong evidence by itself.
            score += W_CURATED
            reasons.append("curated")
        return score, "; ".join(reasons) or "size"

    def _country_first(self, name: str, candidates: list[tuple[Place, bool]], cue: str | None) -> list[tuple[Place, bool]]:
        """Where the mention is a country's own name or a demonym ("Mexico", "Canadian",
        "English"), the candidates that only share it: its admin areas of that name (the State
        of Mexico), places for which it is only an alternate name (Mexico City) and, for a
        demonym, towns (Canadian, Texas). All are kept, to be scored, when the text cues an
        area ("Mexico state")."""
        if cue == "A":
            return candidates
        key = fold(name)
        adjective = key in self.demonyms or key.rstrip("s") in self.demonyms or key in self.adjectives
        countries = {place.country for place, named in candidates if named and place.feature_code.startswith("PCL")}
        if adjective:
            countries |= {place.country for place, named in candidates if place.feature_code.startswith(("PCL", "ADM1", "CONT", "RGN"))}
        if not countries:
            return candidates
        kept = []
        for place, named in candidates:
            if place.feature_code.startswith(("PCL", "CONT", "RGN")) or (adjective and place.feature_code.startswith("ADM1")):
                kept.append((place, named))
            elif adjective and place.feature_class == "P":
                continue  # "Canadian" is Canada, not Canadian, Texas
            elif place.country in countries and (not named or place.feature_code.startswith(("ADM1", "ADM2"))):
                continue  # "Mexico" is the country, not the State of Mexico nor Mexico City
            else:
                kept.append((place, named))
        return kept or candidates

    def _within(self, text: str, end: int) -> tuple[str, str | None] | None:
        """The area a following ", Texas" / ", Tenn." / ", Syria" puts a mention in:
        (country, admin1 code or None)."""
        match = _QUALIFIER.match(text, end)
        if not match:
            return None
        words = match.group(1).split()
        for size in range(len(words), 0, -1):
            qualifier = " ".join(words[:size])
            for place, named in self._candidates(qualifier):
                if place.feature_code == "ADM1" and named:
                    return place.country, place.admin1_code
                if place.feature_code.startswith("PCL") and named:
                    return place.country, None
        return None

    def resolve_span(self, text: str, start: int, end: int, *, context: Context, abstain: float = ABSTAIN) -> PlaceMention:
        name = text[start:end]
        candidates, how = self._lookup(name)
        total = sum(context.countries.values())
        if how == "part" and total:
            # A town named inside a longer name is only a guess: keep it in the countries the
            # article is about ("Allegheny Township Police" is not Police, Poland).
            candidates = [
                (place, named) for place, named in candidates
                if context.countries.get(place.country, 0) > 0 or place.feature_code.startswith(("PCL", "CONT", "RGN"))
            ]
        after, before = text[end : end + 25], text[max(0, start - 30) : start]
        cue = next((cls for cls, pattern in _CUES.items() if pattern.match(after)), None)
        cue = cue or next((cls for cls, pattern in _CUES_BEFORE.items() if pattern.search(before)), None)
        metonymic = bool(_METONYMY.match(after))
        if not candidates:
            town = self._facility(name, context)
            if town is None:
                return PlaceMention(start, end, name, None, None, 0.0, 0, metonymic, "no candidate")
            return PlaceMention(start, end, name, town, 2, 0.0, 0, metonymic, f"{_IN_LOCALITY} {town.name}, the town the article names most")
        candidates = self._country_first(name, candidates, cue)
        within = self._within(text, end)
        named_sizes = [place.population for place, named in candidates if named]
        largest = max(named_sizes or [place.population for place, _ in candidates])
        scored = sorted(
            (
                (self.score(place, context=context, cue=cue, named=named, within=within, largest=largest), place)
                for place, named in candidates
            ),
            key=lambda item: (-item[0][0], -item[1].population, item[1].geonames_id or 0),
        )
        (best_score, reason), best = scored[0]
        if how == "part":
            reason = f"{best.name}{_PART_REASON}; {reason}"
        if best_score < abstain:
            return PlaceMention(start, end, name, None, None, best_score, len(candidates), metonymic, f"abstained: {reason}")
        precision = 1
        if best.feature_code.startswith("SUPP"):
            precision = int(best.feature_code[4])
        if best.feature_code in _REGION_CODES or best.feature_code.startswith(("ADM", "PCL")):
            precision = 3
        if precision == 1 and (how == "part" or _NEAR.search(before) or _NEAR_AFTER.match(after)):
            precision = 2
        return PlaceMention(start, end, name, best, precision, best_score, len(candidates), metonymic, reason)

    def resolve(self, text: str, spans: Iterable[tuple[int, int]], *, countries: Counter | None = None, abstain: float = ABSTAIN) -> list[PlaceMention]:
        """Resolve every span of ``text``. Two passes: unambiguous mentions (one candidate,
        or a clear winner) first, then the rest with those as anchors, with the countries and
        admin1 areas the first pass found as the article's focus. A name's own first reading
        does not vote for itself in the second pass: what its mentions added to the focus is
        taken out of the focus it is scored with ("London" read as London, England in the first
        pass does not make England the article's country for "London"), unless they named a
        country, an admin1 area or a continent. Streets and buildings go, last, to the town the
        second pass names most. ``abstain``: the least score a place needs (0 resolves every
        mention that has a candidate)."""
        spans = sorted(spans)
        focus = Counter(countries or {})
        first = Context(focus)
        provisional = [self.resolve_span(text, start, end, context=first, abstain=abstain) for start, end in spans]
        areas: set[tuple[str, str]] = set()
        own: dict[str, Counter] = {}  # folded name -> what its mentions added to the focus
        for mention in provisional:
            if mention.place is not None and mention.place.country:
                key = fold(mention.text)
                if key in self.demonyms or key in self.adjectives:
                    weight = 0.25  # "French engineers" says little about where the story is
                else:
                    weight = 1 if mention.candidates == 1 else 0.5
                focus[mention.place.country] += weight
                if not mention.place.feature_code.startswith(("PCL", "ADM1", "CONT")):
                    own.setdefault(key, Counter())[mention.place.country] += weight
                if mention.place.feature_code == "ADM1" and mention.place.admin1_code:
                    areas.add((mention.place.country, mention.place.admin1_code))
        anchors = tuple(
            m.place for m in provisional if m.place is not None and m.candidates <= 2 and not m.place.feature_code.startswith(("PCL", "ADM", "CONT"))
        )
        locality = _locality(provisional)
        second = Context(focus, anchors, frozenset(areas), locality)
        resolved = []
        for (start, end), m in zip(spans, provisional):
            context = replace(second, anchors=tuple(a for a in anchors if a is not m.place))
            if fold(m.text) in own:
                context = replace(context, countries=focus - own[fold(m.text)])
            resolved.append(self.resolve_span(text, start, end, context=context, abstain=abstain))
        # Streets and buildings go to the town the article names most as the second pass placed
        # it: a "Salisbury" after "SALISBURY, N.C." is the one in North Carolina there.
        town = _locality(resolved)
        if town is not None and town != locality:
            second = replace(second, locality=town)
            resolved = [
                self.resolve_span(text, m.start, m.end, context=second, abstain=abstain) if m.reason.startswith(_IN_LOCALITY) else m
                for m in resolved
            ]
        return resolved
