"""The geoparser's ranking, precision and filters, on a small gazetteer built here."""

from __future__ import annotations

from collections import Counter

import pytest

from sitreps.places.gazetteer import Area, Country, Gazetteer, PackageData, build_gazetteer
from sitreps.places.geoparse import Geoparser, load_supplement


def _city(geonameid, name, lat, lon, country, admin1, population, alternates=()):
    return {
        "geonameid": geonameid, "name": name, "latitude": lat, "longitude": lon, "countrycode": country,
        "population": population, "timezone": "", "admin1code": admin1, "alternatenames": list(alternates),
    }  # fmt: skip


DATA = PackageData(
    cities=[
        _city(1, "Damascus", 33.5102, 36.29128, "SY", "13", 1569394, ["Dimashq"]),
        _city(2, "Damascus", 39.28844, -77.20387, "US", "MD", 15257),
        _city(3, "Frederick", 39.41427, -77.41054, "US", "MD", 72000),
        _city(4, "Zahle", 33.84675, 35.90203, "LB", "08", 78145, ["Zahleh"]),
        _city(5, "Arsal", 34.17887, 36.41964, "LB", "08", 40000, ["Aarsal"]),
        _city(6, "Baalbek", 34.00583, 36.21806, "LB", "08", 82608),
    ],
    countries=[
        Country("SY", 163843, "Syria", "Damascus", 22933531, ()),
        Country("LB", 272103, "Lebanon", "Beirut", 6848925, ()),
        Country("US", 6252001, "United States", "Washington", 327167434, ()),
    ],
    areas=[
        Area(1, "SY.13", 170654, "Dimashq", ("Damascus Governorate",)),
        Area(1, "LB.08", 280282, "Beqaa", ("Bekaa",)),
        Area(1, "US.MD", 4361885, "Maryland", ()),
    ],
    admin2_of={},
    versions={"test": "1"},
)

SUPPLEMENT = """id,name,aliases,feature,country,admin1,lat,lon,precision,anchor,provenance
lb_juroud_arsal,Juroud Arsal,Jurud Arsal|Arsal barrens,region,LB,Baalbek-Hermel,,,2,Arsal,test row written for the tests
sy_test_hill,Tal Test,Tal Tester,hill,SY,Rif Dimashq,33.9,36.5,1,,test row written for the tests
"""


@pytest.fixture(scope="module")
def geoparser(tmp_path_factory) -> Geoparser:
    folder = tmp_path_factory.mktemp("geo")
    build_gazetteer(folder / "g.sqlite", data=DATA)
    gazetteer = Gazetteer.open(folder / "g.sqlite", build=False)
    (folder / "places").mkdir()
    (folder / "places" / "test.csv").write_text(SUPPLEMENT, encoding="utf-8")
    return Geoparser(gazetteer, load_supplement(folder / "places", gazetteer))


def _resolve(geoparser, text, *names, countries=None):
    spans = []
    for name in names:
        start = text.index(name)
        spans.append((start, start + len(name)))
    return geoparser.resolve(text, spans, countries=Counter(countries or {}))


def test_the_article_decides_between_namesakes(geoparser):
    syria = _resolve(geoparser, "Shelling hit Damascus and Zahle, near the Syria border.", "Damascus", "Zahle", "Syria")
    assert syria[0].place.country == "SY"
    maryland = _resolve(geoparser, "Damascus, a town near Frederick in Maryland, voted.", "Damascus", "Frederick", "Maryland")
    assert maryland[0].place.country == "US"


def test_the_biggest_wins_without_context(geoparser):
    (mention,) = _resolve(geoparser, "Damascus", "Damascus")
    assert mention.place.country == "SY" and mention.precision == 1


def test_demonyms_name_their_country(geoparser):
    (mention,) = _resolve(geoparser, "Syrian officials met.", "Syrian")
    assert mention.place.feature_code.startswith("PCL") and mention.place.country == "SY"
    assert mention.precision == 3


def test_precision_from_the_text(geoparser):
    mentions = _resolve(geoparser, "Fighting near Baalbek spread to Zahle and the Beqaa.", "Baalbek", "Zahle", "Beqaa")
    assert [m.precision for m in mentions] == [2, 1, 3]


def test_curated_places_keep_their_precision_and_anchor(geoparser):
    (mention,) = _resolve(geoparser, "Militants held the Jurud Arsal area.", "Jurud Arsal")
    assert mention.place.source.startswith("supplement")
    assert mention.precision == 2
    assert (mention.place.lat, mention.place.lon) == (34.17887, 36.41964)  # Arsal's point
    (hill,) = _resolve(geoparser, "Troops took Tal Tester.", "Tal Tester")
    assert hill.place.name == "Tal Test" and hill.precision == 1


def test_metonymy_is_flagged(geoparser):
    (mention,) = _resolve(geoparser, "Damascus said the strike was illegal.", "Damascus")
    assert mention.metonymic


def test_unknown_names_are_not_guessed(geoparser):
    (mention,) = _resolve(geoparser, "They reached Nowhereville.", "Nowhereville")
    assert mention.place is None and mention.reason == "no candidate"


def test_places_lookup_command(tmp_path, monkeypatch, capsys):
    from sitreps.cli.main import EXIT_ERROR, EXIT_OK, main
    from sitreps.places import default_path

    monkeypatch.setenv("SITREPS_HOME", str(tmp_path))
    build_gazetteer(default_path(), data=DATA)
    assert main(["places", "lookup", "Damascus", "--country", "US"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "in an article about US" in out and "Maryland" in out
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert "(US," in lines[0]  # the article's country lifts the Maryland town to the top
    assert main(["places", "lookup", "Nowhereville"]) == EXIT_ERROR
