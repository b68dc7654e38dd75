"""The geoparser's ranking, precision and filters, on a small gazetteer built here."""

from __future__ import annotations

from collections import Counter

import pytest

from sitreps.places.gazetteer import Area, Continent, Country, Gazetteer, PackageData, build_gazetteer
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
        # Made up for the tests: a town that shares a country's name, a capital that lists
        # its country's name among its alternate names, and a Maryland village.
        _city(7, "Lebanon", 39.60, -77.30, "US", "MD", 5200),
        _city(8, "Mexico City", 19.43, -99.13, "MX", "09", 12294193, ["Mexico", "Ciudad de Mexico"]),
        _city(9, "Beallsville", 39.18, -77.41, "US", "MD", 900),
        # The State of Mexico shares the country's name; Arlington, Texas is named inside a
        # street's name in a Maryland story; and (made up) a Maryland town named like a demonym.
        _city(10, "Toluca", 19.28, -99.65, "MX", "15", 489333),
        _city(11, "Arlington", 32.74, -97.11, "US", "TX", 398112),
        _city(12, "Mexican", 39.50, -77.50, "US", "MD", 2000),
        # A town named like a landform ("Euphrates Valley" must not be read as it).
        _city(13, "Valley", 41.31, -96.35, "US", "NE", 1900),
    ],
    countries=[
        Country("SY", 163843, "Syria", "Damascus", 22933531, ()),
        Country("LB", 272103, "Lebanon", "Beirut", 6848925, ()),
        Country("US", 6252001, "United States", "Washington", 327167434, ()),
        Country("MX", 3996063, "Mexico", "Mexico City", 126190788, ()),
    ],
    areas=[
        Area(1, "SY.13", 170654, "Dimashq", ("Damascus Governorate",)),
        Area(1, "LB.08", 280282, "Beqaa", ("Bekaa",)),
        Area(1, "US.MD", 4361885, "Maryland", ()),
        Area(1, "MX.15", 3523272, "México", ("Estado de Mexico",)),
    ],
    admin2_of={},
    versions={"test": "1"},
    continents=[Continent("AS", 6255147, "Asia", 29.84064, 89.29688, 3812366000)],
)
ALIASES = """name,geonames_id,target,kind,provenance
Md.,4361885,Maryland (US.MD),abbreviation,test row written for the tests
Asian,6255147,Asia (continent),adjective,test row written for the tests
"""

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
    (folder / "places" / "aliases.csv").write_text(ALIASES, encoding="utf-8")  # not supplement rows
    return Geoparser(gazetteer, load_supplement(folder / "places", gazetteer), aliases=folder / "places" / "aliases.csv")


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


def test_a_country_by_its_name_over_the_town_that_shares_it(geoparser):
    # "Mexico" is the country's own name and only an alternate name of its capital; "Lebanon"
    # is a Maryland town too, but a country far more often.
    (mexico,) = _resolve(geoparser, "Talks in Mexico stalled.", "Mexico")
    assert mexico.place.feature_code == "PCLI" and mexico.place.country == "MX" and mexico.precision == 3
    lebanon = _resolve(geoparser, "Lebanon and Syria closed the road.", "Lebanon", "Syria")
    assert lebanon[0].place.country == "LB"


def test_a_qualifier_puts_a_place_in_its_area(geoparser):
    # ", Md." names Maryland (a curated abbreviation, matched as written): the Maryland town.
    mentions = _resolve(geoparser, "Police in Lebanon, Md., said the road was closed.", "Lebanon", "Md.")
    assert mentions[0].place.country == "US" and mentions[0].place.admin1_code == "MD"
    assert mentions[1].place.feature_code == "ADM1" and mentions[1].place.name == "Maryland"
    assert "as the text says" in mentions[0].reason


def test_an_admin_area_named_in_the_article_lifts_its_places(geoparser):
    mentions = _resolve(geoparser, "Damascus and Beallsville, two Maryland towns, voted.", "Damascus", "Beallsville", "Maryland")
    assert mentions[0].place.country == "US"


def test_abbreviations_are_matched_as_written(geoparser):
    # "Md." is Maryland; "MD" and "md" are not in the aliases, and no place is named so.
    (mention,) = _resolve(geoparser, "Frederick, Md.", "Md.")
    assert mention.place.name == "Maryland"
    assert geoparser.candidates("MD") == []


def test_continents_and_their_adjectives(geoparser):
    asia, asian = _resolve(geoparser, "Asia and Asian markets fell.", "Asia", "Asian")
    assert (asia.place.feature_code, asia.place.geonames_id, asia.precision) == ("CONT", 6255147, 3)
    assert asian.place.geonames_id == 6255147


@pytest.mark.parametrize(
    ("text", "name", "place", "precision"),
    [
        ("Students of the University of Maryland marched.", "University of Maryland", "Maryland", 3),
        ("Fans met at the Baalbek Citadel gates.", "Baalbek Citadel", "Baalbek", 2),
        ("The Zahle Municipal Stadium was shelled.", "Zahle Municipal Stadium", "Zahle", 2),
    ],
)
def test_a_name_the_gazetteer_lacks_is_placed_by_a_name_inside_it(geoparser, text, name, place, precision):
    (mention,) = _resolve(geoparser, text, name)
    assert (mention.place.name, mention.precision) == (place, precision)
    assert "part of the name" in mention.reason


def test_a_name_with_province_is_the_area_of_that_name(geoparser):
    # "Bekaa" is only an alternate name of the area Beqaa: no town is placed by it.
    (mention,) = _resolve(geoparser, "Rebels shelled villages across Bekaa province on Monday.", "Bekaa province")
    assert (mention.place.name, mention.place.feature_code, mention.precision) == ("Beqaa", "ADM1", 3)


@pytest.mark.parametrize("name", ["Damascus River", "Royal Street", "City Hall", "Nowhere Lake", "Euphrates Valley"])
def test_names_inside_water_or_generic_words_are_not_guessed(geoparser, name):
    (mention,) = _resolve(geoparser, f"They met by the {name}.", name)
    assert mention.place is None


def test_a_street_or_building_is_placed_in_the_town_the_article_names_most(geoparser):
    text = "In Zahle, gunmen stormed the Saint Elias Hospital. Zahle officials and Arsal elders met."
    mentions = _resolve(geoparser, text, "Zahle", "Saint Elias Hospital", "Arsal")
    hospital = mentions[1]
    assert (hospital.place.name, hospital.precision, hospital.candidates) == ("Zahle", 2, 0)
    assert "town the article names most" in hospital.reason
    # Without a town in the article, or for a name that is no facility, nothing is guessed.
    (alone,) = _resolve(geoparser, "Gunmen stormed the Saint Elias Hospital.", "Saint Elias Hospital")
    assert alone.place is None
    unknown = _resolve(geoparser, "In Zahle, they met the Elias Group.", "Zahle", "Elias Group")
    assert unknown[1].place is None


def test_a_country_by_its_name_over_its_namesake_state(geoparser):
    # "Mexico" is also the State of Mexico's own name (México, folded): the country, even with
    # the capital named next to it.
    mentions = _resolve(geoparser, "MEXICO CITY (AP) Mexico's Senate met.", "MEXICO CITY", "Mexico")
    assert mentions[1].place.feature_code == "PCLI" and mentions[1].place.country == "MX"
    assert mentions[1].candidates == 1


def test_a_demonym_names_its_country_not_a_town_of_that_name(geoparser):
    # A Maryland town called "Mexican" (made up), in a story that names Maryland.
    mentions = _resolve(geoparser, "Mexican officials visited Frederick, in Maryland.", "Mexican", "Frederick", "Maryland")
    assert mentions[0].place.feature_code == "PCLI" and mentions[0].place.country == "MX"


def test_a_name_read_abroad_first_does_not_vote_for_itself(geoparser):
    # The first pass reads every "Damascus" as the Syrian capital (the biggest): those readings
    # must not make Syria the article's country when "Damascus" itself is scored again.
    text = "Damascus police said a Damascus man was held, as police across the United States do."
    mentions = _resolve(geoparser, text, "Damascus", "United States")
    assert mentions[0].place.country == "US" and mentions[0].place.admin1_code == "MD"
    # A country's name keeps its weight: "Lebanon and Syria" are the countries.
    lebanon = _resolve(geoparser, "Lebanon and Syria closed the road. Lebanon said so.", "Lebanon", "Syria")
    assert lebanon[0].place.feature_code == "PCLI"


def test_a_bigger_namesake_keeps_the_context_of_its_small_one_in_check():
    from sitreps.places.geoparse import PROMINENCE_END, PROMINENCE_START, _prominence

    assert _prominence(1000, 1000 * PROMINENCE_START) == 1.0
    assert _prominence(1000, int(1000 * PROMINENCE_END)) == 0.0
    middle = _prominence(1000, int(1000 * (PROMINENCE_START * PROMINENCE_END) ** 0.5))
    assert 0.45 < middle < 0.55
    assert _prominence(5, 0) == 1.0


def test_a_street_is_not_placed_by_a_town_inside_its_name(geoparser):
    # "Arlington Avenue" in a Frederick story is a street of Frederick, not Arlington, Texas.
    text = "Frederick police said the shooting was on Arlington Avenue. Frederick officials met."
    mentions = _resolve(geoparser, text, "Frederick", "Arlington Avenue")
    street = mentions[1]
    assert (street.place.name, street.place.admin1_code, street.precision, street.candidates) == ("Frederick", "MD", 2, 0)
    # Without a town in the article, the street stays unplaced.
    (alone,) = _resolve(geoparser, "It was on Arlington Avenue.", "Arlington Avenue")
    assert alone.place is None


def test_a_town_inside_a_longer_name_stays_in_the_articles_countries(geoparser):
    # In a Maryland story, "Zahle Relief Fund" is not placed in Lebanon by the "Zahle" in it;
    # with no country in the article, the name inside it still places it.
    text = "Frederick and Beallsville, two Maryland towns, gave to the Zahle Relief Fund."
    mentions = _resolve(geoparser, text, "Frederick", "Beallsville", "Maryland", "Zahle Relief Fund")
    assert mentions[3].place is None or mentions[3].place.country == "US"
    (alone,) = _resolve(geoparser, "They gave to the Zahle Relief Fund.", "Zahle Relief Fund")
    assert alone.place.name == "Zahle"


def test_streets_go_to_the_town_as_the_second_pass_placed_it(geoparser):
    # The first pass reads the bare "Damascus" as the Syrian capital; the second, with "Md."
    # and the anchor the qualified mention gives, as the Maryland town: the street goes there.
    text = "DAMASCUS, Md. (AP) Police said gunmen fired on Ridge Road. Damascus police and Damascus residents met."
    mentions = _resolve(geoparser, text, "DAMASCUS", "Md.", "Ridge Road", "Damascus police", "Damascus residents")
    street = mentions[2]
    assert street.place.country == "US" and street.place.name == "Damascus"
    assert "town the article names most" in street.reason


def test_abstain_zero_resolves_every_mention_with_a_candidate(geoparser):
    text = "Beallsville"
    weak = geoparser.resolve(text, [(0, len(text))], abstain=5.0)[0]
    assert weak.place is None and weak.candidates == 1 and weak.reason.startswith("abstained")
    assert geoparser.resolve(text, [(0, len(text))], abstain=0.0)[0].place.name == "Beallsville"


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


def test_geoparsing_evaluator_reports_the_product_and_resolve_all_figures(tmp_path, monkeypatch):
    import json

    from sitreps.config import load_settings
    from sitreps.evaluate import geoparsing
    from sitreps.places import default_path

    monkeypatch.setenv("SITREPS_HOME", str(tmp_path))
    build_gazetteer(default_path(), data=DATA)
    text = "Talks in Damascus went on while Zahle voted. Nowhereville stayed calm."

    def toponym(name, lat, lon, geonames_id, kind):
        start = text.index(name)
        return {"start": start, "end": start + len(name), "name": name, "lat": lat, "lon": lon, "geonames_id": geonames_id, "type": kind}

    gold = [toponym("Damascus", 33.5, 36.3, 1, "Literal"), toponym("Zahle", 33.85, 35.9, 4, "Literal"), toponym("Nowhereville", 10.0, 10.0, None, "Literal")]
    data = tmp_path / "geoparsing"
    data.mkdir()
    (data / "geowebnews.jsonl").write_text(json.dumps({"id": "gwn-test", "text": text, "toponyms": gold}) + "\n", encoding="utf-8")
    (data / "lgl.jsonl").write_text(json.dumps({"id": "lgl-test", "text": text, "toponyms": [{**t, "type": None} for t in gold[:2]]}) + "\n", encoding="utf-8")
    metrics = geoparsing.run(data, settings=load_settings(environ={}))["metrics"]
    assert metrics["acc_161km"] == metrics["acc_161km_resolve_all"] == pytest.approx(2 / 3)
    assert (metrics["abstained"], metrics["no_candidate"], metrics["toponyms"]) == (1, 1, 3)
    assert metrics["exact"] == 1.0 and metrics["country_acc"] == 1.0
    assert metrics["lgl_acc_161km"] == 1.0 and metrics["lgl_toponyms"] == 2
    assert "trnews_acc_161km" not in metrics  # no file, no figure
