"""The gazetteer: a build from a few places written here (real GeoNames facts where an id is
given), lookups by folded names, countries and areas at their centroids; the import of our
GeoNames-format fixtures (tests/fixtures/geonames), again without adding anything, and bad
files refused; the CLI; and once per session the real build from the installed packages."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from sitreps.cli.main import main
from sitreps.places import Gazetteer, GazetteerError, build_gazetteer, default_path, import_geonames
from sitreps.places import gazetteer as gazetteer_module
from sitreps.places.gazetteer import CENTROID_BOX, CENTROID_CAPITAL, CENTROID_LARGEST, CENTROID_REGION, Area, Continent, Country, PackageData, Region

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"


def _city(geonameid, name, lat, lon, country, admin1, population, alternates=()):
    return {
        "geonameid": geonameid, "name": name, "latitude": lat, "longitude": lon, "countrycode": country,
        "population": population, "timezone": "", "admin1code": admin1, "alternatenames": list(alternates),
    }


# Ids below 90,000,000 are GeoNames' own; the others are made up.
DATA = PackageData(
    cities=[
        _city(170063, "Aleppo", 36.20124, 37.16117, "SY", "09", 2098210, ["Halab", "Alep", "Ḩalab", "حلب", "Beroea"]),
        _city(170654, "Damascus", 33.5102, 36.29128, "SY", "13", 1569394, ["Dimashq", "Damas", "Esh Sham", "دمشق"]),
        _city(4352728, "Damascus", 39.28844, -77.20387, "US", "MD", 15257, ["Damascus", "Black Ankle"]),
        _city(99100001, "Douma", 33.57175, 36.4027, "SY", "08", 110893, ["Duma", "دوما"]),
        _city(99100002, "Az Zabadānī", 33.72, 36.10, "SY", "08", 26285, ["Zabadani", "Zabadani"]),
        _city(276781, "Beirut", 33.89332, 35.50157, "LB", "04", 1916100, ["Bayrut", "Beyrouth"]),
        _city(99100003, "Zahlé", 33.84675, 35.90203, "LB", "08", 78145, ["Zahle", "Zahleh"]),
    ],
    countries=[
        Country("SY", 163843, "Syria", "Damascus", 22933531, ("Syrian Arab Republic", "سوريا")),
        Country("LB", 272103, "Lebanon", "Beirut", 6848925, ("Lebanese Republic",)),
        Country("US", 6252001, "United States", "Washington", 327167434, ("United States of America", "USA")),
        Country("AQ", 6697173, "Antarctica", "", 0),
    ],
    areas=[
        Area(1, "SY.09", 170062, "Ḩalab", ("Aleppo", "Aleppo Governorate", "حلب")),
        Area(1, "SY.13", 167541, "Dimashq", ("Damascus City", "دمشق")),
        Area(1, "SY.08", 170652, "Rīf Dimashq", ("Damascus Countryside", "Rif-dimashq Governorate")),
        Area(1, "SY.11", 169575, "Ḩimş", ("Homs",)),  # no place in DATA: left out
        Area(1, "LB.08", 280282, "Al Biqā‘", ("Bekaa",)),
        Area(1, "US.MD", 4361885, "Maryland", ()),
        Area(1, None, None, "An area with an ISO code only", ()),
        Area(2, "SY.09.169326", 169326, "Mount Simeon District", ()),
    ],
    admin2_of={170063: "SY.09.169326"},
    versions={"test": "1"},
    continents=[Continent("AS", 6255147, "Asia", 29.84064, 89.29688, 3812366000, ("Asia", "Asie"))],
    regions=[Region("145", "Western Asia", ("SY", "LB", "IQ"), ("Middle East", "Middle Eastern"))],  # no Iraq in DATA
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.sqlite"
    return path, build_gazetteer(path, data=DATA)


@pytest.fixture
def gazetteer(built):
    with Gazetteer.open(built[0], build=False) as opened:
        yield opened


@pytest.fixture
def copy(built, tmp_path) -> Path:
    """A fresh copy of the test gazetteer, to import into."""
    return Path(shutil.copy(built[0], tmp_path / "gazetteer.sqlite"))


def _ids(places) -> list[int | None]:
    return [place.geonames_id for place in places]


# --- build and lookups ------------------------------------------------------------------------


def test_build_report_counts_what_was_built_and_what_was_left_out(built):
    path, report = built
    assert (report["cities"], report["countries"], report["admin1"], report["admin2"], report["continents"], report["regions"]) == (7, 3, 5, 1, 1, 1)
    assert report["places"] == 18
    assert report["bytes"] == path.stat().st_size > 0
    assert report["skipped"] == {
        "country without a populated place": 1,
        "admin1 area without a populated place": 1,
        "admin1 area without a GeoNames code": 1,
    }
    assert not list(path.parent.glob(".*building"))


@pytest.mark.parametrize("name", ["Halab", "halab", "Ḩalab", "Aleppo", "ALEPPO", "Alep"])
def test_aleppo_by_its_alternate_names(gazetteer, name):
    assert 170063 in _ids(gazetteer.candidates(name))


def test_halab_gives_the_city_and_its_governorate(gazetteer):
    places = gazetteer.candidates("Halab")
    assert set(_ids(places)) == {170062, 170063}
    city = gazetteer.by_id(170063)
    assert (city.name, city.feature_class, city.feature_code, city.source) == ("Aleppo", "P", "PPL", "geonames")
    assert (city.country, city.admin1_code, city.admin1) == ("SY", "09", "Ḩalab")


def test_damascus_most_populous_first(gazetteer):
    assert _ids(gazetteer.candidates("Damascus")) == [170654, 4352728]
    assert _ids(gazetteer.candidates("Damascus", limit=1)) == [170654]
    assert set(_ids(gazetteer.candidates("Dimashq"))) == {170654, 167541}
    assert gazetteer.by_id(170654).feature_code == "PPLC"


def test_names_in_other_scripts_are_not_indexed(gazetteer):
    assert gazetteer.candidates("حلب") == []
    assert gazetteer.candidates("دمشق") == []
    assert gazetteer.candidates("") == []
    assert gazetteer.candidates("Nowhere at all") == []


def test_countries_sit_at_their_capital(gazetteer):
    syria = gazetteer.country("SY")
    assert (syria.name, syria.feature_class, syria.feature_code, syria.geonames_id) == ("Syria", "A", "PCLI", 163843)
    assert (syria.lat, syria.lon, syria.source) == (33.5102, 36.29128, CENTROID_CAPITAL)
    assert (syria.admin1, syria.admin1_code, syria.population) == (None, None, 22933531)
    assert gazetteer.country("sy") == syria
    assert _ids(gazetteer.candidates("Syrian Arab Republic")) == [163843]
    assert gazetteer.country("LB").lat == 33.89332
    # No "Washington" among the places: the largest place stands in, and the source says so.
    assert gazetteer.country("US").source == CENTROID_LARGEST
    assert gazetteer.country("AQ") is None


def test_admin_areas_sit_at_the_middle_of_their_places(gazetteer):
    rif = gazetteer.admin1("SY", "08")
    assert (rif.name, rif.admin1, rif.feature_code, rif.source) == ("Rīf Dimashq", "Rīf Dimashq", "ADM1", CENTROID_BOX)
    assert (rif.lat, rif.lon) == (round((33.57175 + 33.72) / 2, 5), round((36.4027 + 36.10) / 2, 5))  # Douma, Zabadani
    assert rif.population == 110893 + 26285
    assert _ids(gazetteer.candidates("Rif Dimashq")) == [170652]
    assert _ids(gazetteer.candidates("Damascus Countryside")) == [170652]
    assert gazetteer.admin1("LB", "08").name == "Al Biqā‘"
    assert _ids(gazetteer.candidates("Bekaa")) == [280282]
    assert gazetteer.admin1("SY", "11") is None
    district = gazetteer.by_id(169326)
    assert (district.feature_code, district.admin1_code, district.admin1) == ("ADM2", "09", "Ḩalab")


def test_continents_keep_their_geonames_point(gazetteer):
    (asia,) = gazetteer.candidates("Asie")
    assert (asia.geonames_id, asia.feature_class, asia.feature_code, asia.country) == (6255147, "L", "CONT", None)
    assert (asia.lat, asia.lon, asia.source) == (29.84064, 89.29688, "geonames")


def test_regions_sit_at_the_middle_of_their_countries(gazetteer):
    (region,) = gazetteer.candidates("Middle East")
    assert (region.name, region.feature_class, region.feature_code, region.country, region.source) == ("Western Asia", "L", "RGN", None, CENTROID_REGION)
    # Syria and Lebanon at their capitals, Damascus and Beirut
    assert (region.lat, region.lon) == (round((33.5102 + 33.89332) / 2, 5), round((36.29128 + 35.50157) / 2, 5))
    assert region.population == 22933531 + 6848925
    assert _ids(gazetteer.candidates("Middle Eastern")) == [None]


@pytest.mark.parametrize(
    ("points", "middle"),
    [
        ([(10.0, 20.0), (12.0, 30.0), (11.0, 21.0)], (11.0, 25.0)),  # the box, not the mean point
        ([(52.0, 179.0), (54.0, -179.0), (53.0, 178.0)], (53.0, 179.5)),  # across the 180th meridian
        ([(-40.0, -10.0), (40.0, 10.0)], (0.0, 0.0)),  # across the prime meridian: the usual box
    ],
)
def test_middle_of_a_box_of_places(points, middle):
    boxes: dict = {}
    for lat, lon in points:
        gazetteer_module._widen(boxes, ("XX",), lat, lon)
    assert gazetteer_module._middle(boxes[("XX",)]) == middle


def test_stats(gazetteer, built):
    stats = gazetteer.stats()
    assert stats["places"] == built[1]["places"]
    assert stats["names"] == built[1]["names"]
    assert stats["by_class"] == {"A": 9, "L": 2, "P": 7}
    assert stats["by_source"] == {"geonames": 8, CENTROID_CAPITAL: 2, CENTROID_LARGEST: 1, CENTROID_BOX: 6, CENTROID_REGION: 1}
    assert stats["schema_version"] == 3 and stats["build_seconds"] >= 0
    assert stats["versions"] == {"test": "1"}


def test_read_only(gazetteer):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        gazetteer._connection.execute("DELETE FROM places")


def test_open_builds_the_default_gazetteer_once(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREPS_HOME", str(tmp_path))
    monkeypatch.setattr(gazetteer_module, "load_package_data", lambda **options: DATA)
    assert default_path() == tmp_path / "gazetteer-3.sqlite"
    with Gazetteer.open() as opened:
        assert _ids(opened.candidates("Halab"))
    modified = default_path().stat().st_mtime_ns
    with Gazetteer.open() as opened:
        assert opened.country("SY") is not None
    assert default_path().stat().st_mtime_ns == modified


def test_open_refuses_a_missing_or_foreign_file(tmp_path):
    with pytest.raises(GazetteerError, match="sitreps gazetteer build"):
        Gazetteer.open(tmp_path / "missing.sqlite", build=False)
    foreign = tmp_path / "foreign.sqlite"
    foreign.write_text("not a database")
    with pytest.raises(GazetteerError, match="not a sitreps gazetteer"):
        Gazetteer.open(foreign)


def test_min_population_must_be_a_package_set(tmp_path):
    with pytest.raises(GazetteerError, match="500, 1000, 5000, 15000"):
        build_gazetteer(tmp_path / "gazetteer.sqlite", min_population=100)


# --- import -----------------------------------------------------------------------------------


def _zip(tmp_path: Path, name: str = "LB.zip", members: dict[str, str] | None = None) -> Path:
    members = members if members is not None else {"LB.txt": (FIXTURES / "LB.txt").read_text("utf-8"), "readme.txt": "GeoNames readme"}
    archive = tmp_path / name
    with zipfile.ZipFile(archive, "w") as writing:
        for member, text in members.items():
            writing.writestr(member, text)
    return archive


def _all_files(tmp_path: Path) -> list[Path]:
    # Alternate names first: the import reads the main dumps before them whatever the order.
    return [FIXTURES / "alternateNamesV2.txt", FIXTURES / "admin1CodesASCII.txt", FIXTURES / "SY.txt", _zip(tmp_path)]


def test_import_keeps_terrain_wadis_regions_crossings_and_camps(copy, tmp_path):
    report = import_geonames(copy, _all_files(tmp_path))
    assert [(f["file"], f["kind"]) for f in report["files"]] == [
        ("SY.txt", "places"), ("LB.zip", "places"), ("admin1CodesASCII.txt", "admin_codes"), ("alternateNamesV2.txt", "alternate_names"),
    ]
    assert [f["bad_rows"] for f in report["files"]] == [0, 0, 0, 0]
    # SY.txt: 6 features + Safita (Aleppo is there already; the lake and the hotel are not kept);
    # LB.zip: 3 more (the Anti-Lebanon again); admin1 codes: Tartus.
    assert report["places_added"] == 7 + 3 + 1
    with Gazetteer.open(copy, build=False) as gazetteer:
        expected = {
            "Anti-Lebanon Mountains": ("T", "MTS"),
            "Wadi Barada": ("T", "VAL"),
            "Jdeidet Yabous": ("S", "PSTB"),
            "Wadi Houran": ("H", "WAD"),
            "Qalamoun": ("L", "RGN"),
            "Zaatari Camp": ("S", "CMPRF"),
            "Mount Hermon": ("T", "MT"),
            "Bekaa Valley": ("T", "VAL"),
            "Masnaa": ("S", "PSTB"),
        }
        for name, (feature_class, feature_code) in expected.items():
            places = gazetteer.candidates(name)
            assert [(p.feature_class, p.feature_code) for p in places] == [(feature_class, feature_code)], name
        assert gazetteer.candidates("Lake Assad") == []
        assert gazetteer.candidates("Example Hotel Damascus") == []
        assert _ids(gazetteer.candidates("Aleppo")).count(170063) == 1
        assert gazetteer.by_id(170063).source == "geonames"  # present before: left as it was

        barada = gazetteer.candidates("Wādī Baradá")[0]
        assert (barada.country, barada.admin1_code, barada.admin1, barada.source) == ("SY", "08", "Rīf Dimashq", "import:SY.txt")
        assert (barada.lat, barada.lon) == (33.62, 36.17)
        assert gazetteer.candidates("Anti-Lebanon Mountains")[0].source == "import:LB.zip"  # updated by the later file
        safita = gazetteer.candidates("Safita")[0]
        assert (safita.feature_code, safita.population, safita.source) == ("PPLA2", 32000, "import:SY.txt")

        # Alternate names: added to places present, in Latin script, not links or codes.
        assert _ids(gazetteer.candidates("Eastern Lebanon Range")) == [99000001]
        assert _ids(gazetteer.candidates("Halab ash-Shahba")) == [170063]
        assert _ids(gazetteer.candidates("Qalamoun Mountains")) == [99000005]
        assert gazetteer.candidates("JDY") == []
        assert gazetteer.candidates("A place the gazetteer lacks") == []

        # Admin codes: names for the areas present; an area missing is added at its largest place.
        tartus = gazetteer.admin1("SY", "14")
        assert (tartus.geonames_id, tartus.name, tartus.lat, tartus.lon) == (163342, "Tartus", 34.82, 36.12)
        assert tartus.source == "import:admin1CodesASCII.txt:centroid=largest-place"
        assert safita.admin1 == "Tartus"
        assert gazetteer.by_id(98999998) is None
        assert gazetteer.stats()["by_source"]["import:SY.txt"] == 6  # the Anti-Lebanon is LB.zip's now


def test_import_again_adds_nothing(copy, tmp_path):
    first = import_geonames(copy, _all_files(tmp_path))
    with Gazetteer.open(copy, build=False) as gazetteer:
        before = gazetteer.stats()
    again = import_geonames(copy, _all_files(tmp_path))
    assert (again["places_added"], again["names_added"]) == (0, 0)
    assert [f["rows"] for f in again["files"]] == [f["rows"] for f in first["files"]]
    with Gazetteer.open(copy, build=False) as gazetteer:
        after = gazetteer.stats()
        assert len(gazetteer.candidates("Mount Hermon")) == 1
    assert {key: after[key] for key in ("places", "names", "by_source", "by_class")} == {
        key: before[key] for key in ("places", "names", "by_source", "by_class")
    }


def test_a_malformed_row_is_skipped_and_counted(copy, tmp_path):
    dump = tmp_path / "SY.txt"
    lines = (FIXTURES / "SY.txt").read_text("utf-8").splitlines(keepends=True)
    broken = lines[1].split("\t")
    broken[4] = "north"  # latitude
    dump.write_text("".join([lines[0], "\t".join(broken), *lines[2:], "truncated\trow\n"]), encoding="utf-8")
    report = import_geonames(copy, [dump])
    assert (report["files"][0]["bad_rows"], report["files"][0]["first_bad_lines"]) == (2, [2, 11])
    assert report["places_added"] == 6


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("allCountries.zip", None, "no such file"),
        ("places.csv", "id,name\n1,Aleppo\n", "line 1 has 1 tab-separated columns"),
        ("SY.zip", "not a zip", "not a zip archive"),
        ("empty.txt", "\n# a comment\n", "no data rows"),
        ("latin1.txt", "Alep\tAl\xe9p\n".encode("latin-1"), "line 1 is not UTF-8"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error(copy, tmp_path, name, content, message):
    bad = tmp_path / name
    if isinstance(content, str):
        bad.write_text(content, encoding="utf-8")
    elif content is not None:
        bad.write_bytes(content)
    _refused(copy, bad, message)


def test_a_zip_of_several_dumps_is_refused(copy, tmp_path):
    _refused(copy, _zip(tmp_path, "two.zip", {"SY.txt": "x", "LB.txt": "y", "readme.txt": "z"}), "holds 2 (SY.txt, LB.txt)")


def _refused(copy: Path, bad: Path, message: str) -> None:
    with Gazetteer.open(copy, build=False) as gazetteer:
        before = gazetteer.stats()["places"]
    with pytest.raises(GazetteerError, match=re.escape(message)) as raised:
        import_geonames(copy, [FIXTURES / "SY.txt", bad])
    assert raised.value.path == bad
    with Gazetteer.open(copy, build=False) as gazetteer:
        assert gazetteer.stats()["places"] == before  # refused before anything is written


def test_import_needs_a_gazetteer(tmp_path):
    with pytest.raises(GazetteerError, match="Build it first"):
        import_geonames(tmp_path / "missing.sqlite", [FIXTURES / "SY.txt"])


# --- CLI --------------------------------------------------------------------------------------


def test_cli_build_import_stats(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(gazetteer_module, "load_package_data", lambda **options: DATA)
    path = tmp_path / "gazetteer.sqlite"
    assert main(["gazetteer", "build", "--path", str(path)]) == 0
    assert "18 places" in capsys.readouterr().out
    assert main(["gazetteer", "import", "--path", str(path), str(FIXTURES / "SY.txt")]) == 0
    assert "7 places added" in capsys.readouterr().out
    assert main(["gazetteer", "stats", "--path", str(path), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["by_source"]["import:SY.txt"] == 7
    assert main(["gazetteer", "stats", "--path", str(tmp_path / "missing.sqlite")]) == 1
    assert "sitreps gazetteer build" in capsys.readouterr().err


# --- the real default gazetteer ---------------------------------------------------------------


@pytest.fixture(scope="session")
def real_gazetteer(tmp_path_factory):
    """The default gazetteer, built from the installed packages into a temporary
    SITREPS_HOME once per session (about half a minute). Its speed is measured by
    benchmarks/gazetteer.py, not asserted here."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITREPS_HOME", str(tmp_path_factory.mktemp("sitreps-home")))
        Gazetteer.open().close()
        path = default_path()
    gazetteer = Gazetteer.open(path, build=False)
    yield gazetteer
    gazetteer.close()


@pytest.mark.gazetteer_build
def test_real_gazetteer(real_gazetteer):
    gazetteer = real_gazetteer
    stats = gazetteer.stats()
    assert stats["bytes"] < 150e6
    assert stats["by_class"]["P"] > 200_000 and stats["by_class"]["A"] > 30_000
    assert gazetteer.candidates("Halab")[0].country == "SY"
    assert 170063 in _ids(gazetteer.candidates("Halab"))  # Aleppo
    assert 170654 in _ids(gazetteer.candidates("Dimashq"))  # Damascus
    damascus = next(p for p in gazetteer.candidates("Damascus") if p.feature_class == "P")
    assert (damascus.geonames_id, damascus.feature_code, damascus.admin1) == (170654, "PPLC", "Dimashq")
    syria = gazetteer.country("SY")
    assert (syria.name, syria.lat, syria.lon) == ("Syria", damascus.lat, damascus.lon)
    assert gazetteer.admin1("SY", "08").name == "Rīf Dimashq"
    assert gazetteer.admin1("LB", "08") is not None
    assert any(p.feature_code == "PCLI" for p in gazetteer.candidates("Lebanon"))
    for name in ("Halab", "Homs", "Raqqa", "Idlib", "Deir ez-Zor"):
        assert gazetteer.candidates(name)
    # The continents, at GeoNames' own points.
    europe = next(p for p in gazetteer.candidates("Europe") if p.feature_code == "CONT")
    assert (europe.geonames_id, europe.feature_class, europe.country) == (6255148, "L", None)
    assert stats["by_class"]["L"] >= 7 + 15  # continents, regions
    middle_east = next(p for p in gazetteer.candidates("Middle East") if p.feature_code == "RGN")
    assert middle_east.name == "Western Asia" and 20 < middle_east.lat < 40 and 35 < middle_east.lon < 55


@pytest.mark.gazetteer_build
def test_every_curated_alias_points_at_the_place_its_row_names(real_gazetteer):
    # data/places/aliases.csv: each row's GeoNames id is in the default gazetteer, and is the
    # place the row's target column names ("England (GB.ENG)", "Russia (RU)").
    from sitreps.places.geoparse import ALIASES_FILE

    with open(ALIASES_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        place = real_gazetteer.by_id(int(row["geonames_id"]))
        assert place is not None, row
        assert row["target"].startswith(place.name) or place.feature_code == "CONT", (row, place)
        assert row["provenance"].strip(), row
