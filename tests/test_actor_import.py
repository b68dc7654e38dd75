"""Importers of actor dictionaries: a CAMEO/PETRARCH dictionary and our CSV, both written here
with made-up entries, turned into TOML that round-trips through tomllib and loads into the
knowledge base; bad input skipped with reasons (CAMEO) or refused line by line (CSV)."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitreps.actors import importers
from sitreps.actors.importers import (
    ActorImportError,
    ImportReport,
    detect_format,
    import_file,
    read_cameo,
    read_csv,
    to_toml,
    write_toml,
)
from sitreps.actors.kb import load_knowledge_base

# Made-up actors in the CAMEO/PETRARCH format, with each construct the reader must handle.
CAMEO = """\
# sitreps test dictionary: made-up actors in the CAMEO / PETRARCH format
<!-- an XML comment
     over two lines -->
+ORPHAN_SYNONYM_
HEZBOLLAH_  [LBNREBHEZ]   # an inline comment
+HIZBULLAH_
+HIZBOLLAH_

PARTY_OF_GOD_ [LBNREBHEZ] ; an old TABARI comment
SYRIAN_GOVERNMENT_ [SYRGOV]
+DAMASCUS_GOVERNMENT_ {a brace comment}
OMAR_EXAMPLE_
+PRESIDENT_EXAMPLE_
\t[SYRELI 900101-991231]
\t[SYRGOV >000101]
\t[SYRELI]
NORTHERN_SHIELD_MOVEMENT_(NSM)_ [MLIREB <150619]
NORTHERN_SHIELD_FRONT_
+SHIELD_FRONT_
\t[MLIREB >150620]
SAMPLE_DEFENCE_FORCES_\t[MLIUAF]
RURITANIAN_RELIEF_AGENCY_ [NGOHLH]
WORLD_PEACE_ORGANISATION_ [IGOUNO] [---]
W.P.O._
PEACE_ORGANISATION_ENVOY
\t[IGOUNO]# a comment right after the bracket
JANE_ROE_\t[IGOUNOHRI 20100101-20151231] [NGOHRI >160101]\t# two codes on one line
JOHN_DOE_ [NGAGOVMIL >190101]
MALI_ [MLI]
~EXCLUDED_PHRASE_
this line is junk, not a phrase!
BAD_DATE_ [SYRGOV 991399-000101]
---STOP---
AFTER_THE_STOP_ [SYRGOV]
"""

CSV_GOOD = '''\
id,name,aliases,acronyms,actor_type,countries,kind,claimant_type,aligned_with,descriptions,source,parent,relation
test_western_alliance,Western Test Alliance,,,2,LY,,,,,Made up for the tests,,
test_coastal_shield,Coastal Shield Brigade,"Coastal Shield|Dir' al-Sahil, the ""shield""",CSB,3,ly|TN,armed,,,the coastal brigade of Zuwara,Made up for the tests,test_western_alliance,member_of
# a comment row

test_shield_media,Shield Media Office,,,7,LY,claimant,partisan_media,test_coastal_shield,,,,
'''

CSV_BAD = """\
id,name,actor_type,kind
test_good,Good Actor,2,
test_bad_type,Bad Type,9,
Test Bad Id,Bad Id,2,
test_short,Short Row
test_bad_kind,Bad Kind,2,militant
"""

HAVE_PYCOUNTRY = importers._alpha3() is not None


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cameo_actors(tmp_path) -> dict[str, dict]:
    return {actor["id"]: actor for actor in read_cameo(_write(tmp_path, "test.actors.txt", CAMEO))}


# --- CAMEO: constructs -----------------------------------------------------------------------


def test_cameo_groups_entries_by_code_with_synonyms(cameo_actors):
    hezbollah = cameo_actors["cameo_lbnrebhez"]
    assert hezbollah["name"] == "HEZBOLLAH"  # the first phrase, in the dictionary's case
    assert hezbollah["aliases"] == ["HIZBULLAH", "HIZBOLLAH", "PARTY OF GOD"]  # comments gone
    assert hezbollah["source"] == "imported from test.actors.txt (CAMEO code LBNREBHEZ)"
    assert cameo_actors["cameo_syrgov"]["aliases"] == ["DAMASCUS GOVERNMENT"]
    # Phrase lines without a code share the codes of the next (PETRARCH's reading).
    assert cameo_actors["cameo_igouno"]["aliases"] == ["W.P.O.", "PEACE ORGANISATION ENVOY"]


@pytest.mark.parametrize(
    ("code", "actor_type", "kind"),
    [
        ("SYRGOV", 1, "armed"),
        ("LBNREBHEZ", 2, "armed"),
        ("MLIUAF", 3, "armed"),
        ("NGOHLH", 8, "political"),
        ("IGOUNO", 8, "political"),
        ("NGAGOVMIL_JOHN_DOE", 1, "armed"),
    ],
)
def test_cameo_actor_type_from_the_role(cameo_actors, code, actor_type, kind):
    actor = cameo_actors[f"cameo_{code.lower()}"]
    assert (actor["actor_type"], actor["kind"]) == (actor_type, kind)


@pytest.mark.parametrize(
    ("code", "actor_type"),
    [("SYRGOVMED", 1), ("PSEREBHMS", 2), ("IMGMUSALQ", 2), ("AFGOPP", 3), ("IRQSHI", 4),
     ("NGACVL", 7), ("ELI", 7), ("MNC", 7), ("MEAREB", 2), ("ETHMIL", 1), ("AFG", None),
     ("ETH", None), ("SAS", None)],
)  # fmt: skip
def test_cameo_code_table(code, actor_type):
    assert importers._code_type(code)[0] == actor_type


def test_cameo_countries_from_the_iso_prefix(cameo_actors):
    if not HAVE_PYCOUNTRY:
        pytest.skip("pycountry is not installed")
    assert cameo_actors["cameo_lbnrebhez"]["countries"] == ["LB"]
    assert cameo_actors["cameo_mliuaf"]["countries"] == ["ML"]
    assert "countries" not in cameo_actors["cameo_igouno"]  # international: no country


def test_cameo_without_pycountry_keeps_no_country(tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "_alpha3", lambda: None)
    actors = {a["id"]: a for a in read_cameo(_write(tmp_path, "d.txt", CAMEO))}
    assert actors["cameo_lbnrebhez"]["actor_type"] == 2
    assert all("countries" not in actor for actor in actors.values())


def test_cameo_dated_organisation_entries_become_renamings(cameo_actors):
    shield = cameo_actors["cameo_mlireb"]
    # No undated entry: the name of the latest (open) period is the canonical one.
    assert shield["name"] == "NORTHERN SHIELD FRONT"
    assert shield["aliases"] == ["SHIELD FRONT"]
    assert shield["names"] == [{"name": "NORTHERN SHIELD MOVEMENT", "aliases": ["NSM"], "end": "2015-06-19"}]
    assert "NORTHERN SHIELD FRONT: MLIREB from 2015-06-20" in shield["source"]


def test_cameo_persons_become_people_of_their_organisation(cameo_actors):
    assert cameo_actors["cameo_syrgov"]["people"] == [
        {"name": "OMAR EXAMPLE", "aliases": ["PRESIDENT EXAMPLE"], "role": "official", "start": "2000-01-01"}
    ]
    # IGOUNOHRI has no entry of its own: the person joins IGOUNO, the longest known prefix.
    assert cameo_actors["cameo_igouno"]["people"] == [
        {"name": "JANE ROE", "role": "official", "start": "2010-01-01", "end": "2015-12-31"}
    ]
    assert not any(key.startswith("cameo_syrgov_") or "jane_roe" in key for key in cameo_actors)


def test_cameo_person_without_organisation_is_its_own_actor(cameo_actors):
    doe = cameo_actors["cameo_ngagovmil_john_doe"]
    assert doe["name"] == "JOHN DOE"
    assert doe["source"] == "imported from test.actors.txt (CAMEO code NGAGOVMIL); codes: NGAGOVMIL from 2019-01-01"


def test_cameo_undated_code_after_ended_periods_dates_the_person(tmp_path):
    text = "OFFICE_OF_THINGS_ [SYRGOV]\nMARY_MAJOR_\n\t[SYRELI 900101-991231]\n\t[SYRGOV]\n"
    (actor,) = read_cameo(_write(tmp_path, "d.txt", text))
    assert actor["people"] == [{"name": "MARY MAJOR", "role": "official", "start": "2000-01-01"}]


@pytest.mark.parametrize(
    ("restriction", "period"),
    [
        (">000101", {"start": "2000-01-01"}),
        ("<991231", {"end": "1999-12-31"}),
        ("19990101-20001231", {"start": "1999-01-01", "end": "2000-12-31"}),
        ("300101 - 301231", {"start": "2030-01-01", "end": "2030-12-31"}),  # YY <= 30: 20YY
        ("  >310101", {"start": "1931-01-01"}),
    ],
)
def test_cameo_date_restrictions(tmp_path, restriction, period):
    text = f"STATE_OF_THINGS_ [SYRGOV]\nRICHARD_ROE_ [SYRGOV {restriction}]\n"
    (actor,) = read_cameo(_write(tmp_path, "d.txt", text))
    assert actor["people"] == [{"name": "RICHARD ROE", "role": "official", **period}]


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=dt.date(1931, 1, 1), max_value=dt.date(2030, 12, 31)), st.booleans())
def test_cameo_dates_both_widths(tmp_path_factory, date, long_form):
    digits = date.strftime("%Y%m%d" if long_form else "%y%m%d")
    path = _write(tmp_path_factory.mktemp("d"), "d.txt", f"STATE_X_ [SYRGOV]\nRICHARD_ROE_ [SYRGOV >{digits}]\n")
    (actor,) = read_cameo(path)
    assert actor["people"][0]["start"] == date.isoformat()


def test_cameo_skips_are_reported_with_lines_and_reasons(tmp_path):
    report = import_file(_write(tmp_path, "test.actors.txt", CAMEO), out_dir=tmp_path / "out", data_dir=None)
    assert [(skip.line, skip.reason) for skip in report.skipped] == [
        (4, "synonym or code without an entry"),  # +ORPHAN_SYNONYM_
        (29, "code MLI names a country or region, not an actor"),
        (30, "~ line"),
        (31, "unparseable line"),
        (32, "bad date in [SYRGOV 991399-000101]"),
        (32, "entry has no CAMEO code"),  # BAD_DATE_: its only code was bad
        (33, "---STOP---: the lines after it are not read"),
    ]
    assert report.ignored_lines == 4  # the comment, the XML comment's 2 lines, a blank line
    assert report.entries_read == 14
    assert report.actors_written == 7 and report.people == 2
    assert "AFTER THE STOP" not in report.path.read_text("utf-8")
    summary = report.summary()
    assert summary.startswith("Imported 7 actors (2 people attached) from 14 entries of ")
    assert "line 31: unparseable line: 'this line is junk, not a phrase!'" in summary


@pytest.mark.parametrize(
    "text",
    ["", "\n\n# only comments\n", "[SYRGOV]\n", "+LONELY_\n", "A_ [\n", "A_ [B] ]\n", "\t\t\n", "\x00\x01 [\x02]\n",
     "A_ [SYRGOV 9999-1]\nB_ [LBN<0]\n", "<!-- never closed\nA_ [SYRGOV]\n"],
)  # fmt: skip
def test_cameo_reader_never_crashes(tmp_path, text):
    assert read_cameo(_write(tmp_path, "d.txt", text)) == []


def test_cameo_acronyms_only_from_initials(tmp_path):
    text = (
        "ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_ [YEMREB]\n"
        "DIRECT_ACTION_(GREECE)_ [GRCREB]\n"
        "HIZBUL_MUJAHIDEEN_(HM)_ [INDREB]\n"
    )
    actors = {a["id"]: a for a in read_cameo(_write(tmp_path, "d.txt", text))}
    assert (actors["cameo_yemreb"]["name"], actors["cameo_yemreb"]["acronyms"]) == ("ADEN ABYAN ISLAMIC ARMY", ["AAIA"])
    assert actors["cameo_grcreb"]["name"] == "DIRECT ACTION (GREECE)"  # a qualifier, kept whole
    assert actors["cameo_indreb"]["name"] == "HIZBUL MUJAHIDEEN" and "acronyms" not in actors["cameo_indreb"]


# --- CSV -------------------------------------------------------------------------------------


def test_csv_good_rows(tmp_path):
    actors = {a["id"]: a for a in read_csv(_write(tmp_path, "ours.csv", CSV_GOOD))}
    assert list(actors) == ["test_western_alliance", "test_coastal_shield", "test_shield_media"]
    shield = actors["test_coastal_shield"]
    assert shield["aliases"] == ["Coastal Shield", 'Dir\' al-Sahil, the "shield"']
    assert shield["countries"] == ["LY", "TN"]
    assert shield["affiliations"] == [{"actor": "test_western_alliance", "relation": "member_of"}]
    assert actors["test_western_alliance"]["kind"] == "armed"  # default for types 1-4
    assert actors["test_western_alliance"]["source"] == "Made up for the tests"
    media = actors["test_shield_media"]
    assert (media["kind"], media["claimant_type"], media["aligned_with"]) == ("claimant", "partisan_media", ["test_coastal_shield"])
    assert media["source"] == "imported from ours.csv"


def test_csv_errors_name_every_bad_line(tmp_path):
    with pytest.raises(ValueError) as caught:
        read_csv(_write(tmp_path, "bad.csv", CSV_BAD))
    message = str(caught.value)
    assert isinstance(caught.value, ActorImportError) and caught.value.line == 3
    assert "line 2" not in message
    assert "line 3: actor_type '9' is not an ACLED inter code" in message
    assert "line 4: id 'Test Bad Id' must be lowercase" in message
    assert "line 5: 2 fields where the header has 4" in message
    assert "line 6: kind 'militant' is not one of" in message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("id,name,kind", "line 2 (the header): required columns missing: actor_type"),
        ("id,name,actor_type,colour", "unknown columns: colour"),
        ("id,name,actor_type,name", "columns given twice: name"),
    ],
)
def test_csv_header_errors(tmp_path, header, expected):
    with pytest.raises(ActorImportError, match="line 2") as caught:  # a comment line comes first
        read_csv(_write(tmp_path, "bad.csv", f"# a note first\n{header}\ntest_a,A,2,x\n"))
    assert caught.value.line == 2 and expected.split(": ", 1)[-1] in str(caught.value)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("test_a,A,2,LY,,,nope_relation", "relation 'nope_relation' is not one of"),
        ("test_a,A,2,LY,,,member_of", "relation is given without a parent"),
        ("test_a,A,2,Libya,,,", "countries ['LIBYA'] are not ISO 3166 alpha-2"),
        ("test_a,A,2,LY,spokesman,,", "claimant_type 'spokesman' is not one of"),
        ("test_a,,2,LY,,,", "name is empty"),
    ],
)
def test_csv_value_errors(tmp_path, row, expected):
    text = f"id,name,actor_type,countries,claimant_type,parent,relation\n{row}\n"
    with pytest.raises(ActorImportError, match="line 2") as caught:
        read_csv(_write(tmp_path, "bad.csv", text))
    assert expected in str(caught.value)


def test_csv_duplicate_ids_name_both_lines(tmp_path):
    text = "id,name,actor_type\ntest_a,A,2\ntest_a,A again,2\n"
    with pytest.raises(ActorImportError, match="line 3: id 'test_a' is already used on line 2"):
        read_csv(_write(tmp_path, "bad.csv", text))


# --- TOML ------------------------------------------------------------------------------------


def test_toml_round_trips(tmp_path, cameo_actors):
    actors = list(cameo_actors.values()) + read_csv(_write(tmp_path, "ours.csv", CSV_GOOD))
    path = tmp_path / "all.toml"
    write_toml(actors, path, comment="a header\nover two lines")
    text = path.read_text("utf-8")
    assert text.startswith("# a header\n# over two lines\n")
    assert tomllib.loads(text) == {"actor": actors}
    assert "[[actor.people]]" in text and "[[actor.names]]" in text and "[[actor.affiliations]]" in text


@settings(max_examples=200, deadline=None)
@given(st.text(), st.lists(st.text(), max_size=3), st.text(min_size=1))
def test_toml_strings_escaped(name, aliases, key):
    actor = {"id": "x", "name": name, "aliases": aliases, "actor_type": 2, key: name}
    expected = {k: v for k, v in actor.items() if v != []}
    assert tomllib.loads(to_toml([actor])) == {"actor": [expected]}


def test_toml_rejects_what_the_schema_has_not(tmp_path):
    with pytest.raises(TypeError, match="actor.start"):
        to_toml([{"id": "x", "start": dt.date(2020, 1, 1)}])
    with pytest.raises(TypeError, match="plain tables"):
        to_toml([{"id": "x", "extra": {"a": 1}}])


# --- import_file -----------------------------------------------------------------------------


def test_imported_cameo_loads_and_resolves(tmp_path):
    out = tmp_path / "imported"
    report = import_file(_write(tmp_path, "test.actors.txt", CAMEO), out_dir=out, data_dir=None)
    assert isinstance(report, ImportReport) and report.path == out / "test.actors.toml"
    assert report.format == "cameo" and not report.replaced
    kb = load_knowledge_base([out], data_dir=None)
    assert {entry.actor_id for entry in kb.lookup("Hizbullah")} == {"cameo_lbnrebhez"}
    assert {entry.actor_id for entry in kb.lookup("party of god")} == {"cameo_lbnrebhez"}
    (person,) = kb.lookup("President Example")
    assert (person.actor_id, person.how, person.person) == ("cameo_syrgov", "person", "OMAR EXAMPLE")
    assert [entry.how for entry in kb.lookup("NSM")] == ["acronym"]
    shield = kb.get("cameo_mlireb")
    assert shield.name_at("2014-01-01") == "NORTHERN SHIELD MOVEMENT"
    assert shield.name_at("2016-01-01") == "NORTHERN SHIELD FRONT"
    assert kb.get("cameo_syrgov").people[0].period.start == "2000-01-01"


def test_imported_csv_loads_with_affiliations(tmp_path):
    out = tmp_path / "imported"
    report = import_file(_write(tmp_path, "ours.csv", CSV_GOOD), out_dir=out, name="ours_v1", data_dir=None)
    assert report.path == out / "ours_v1.toml"
    assert (report.format, report.actors_written, report.entries_read, report.skipped) == ("csv", 3, 3, ())
    kb = load_knowledge_base([out], data_dir=None)
    assert [a.actor for a in kb.affiliations("test_coastal_shield")] == ["test_western_alliance"]
    assert [entry.how for entry in kb.lookup("CSB")] == ["acronym"]
    assert kb.lookup("coastal shield")[0].actor_id == "test_coastal_shield"


def test_import_refuses_bad_csv_and_writes_nothing(tmp_path):
    with pytest.raises(ActorImportError, match="line 3"):
        import_file(_write(tmp_path, "bad.csv", CSV_BAD), out_dir=tmp_path / "out", data_dir=None)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("x.csv", "anything", "csv"),
        ("x.CSV", "anything", "csv"),
        ("x.txt", "anything", "cameo"),
        ("x.actors", "anything", "cameo"),
        ("dictionary.dat", "# comment\nHEZBOLLAH_ [LBNREBHEZ]\n", "cameo"),
        ("dictionary.dat", "FRONT_\n+THE_FRONT_\n", "cameo"),
        ("table.dat", "\ufeffid,name,actor_type\ntest_a,A,2\n", "csv"),
    ],
)
def test_format_detection(tmp_path, name, text, expected):
    assert detect_format(_write(tmp_path, name, text)) == expected


def test_format_detection_gives_up_clearly(tmp_path):
    with pytest.raises(ActorImportError, match="--format cameo or --format csv"):
        import_file(_write(tmp_path, "notes.dat", "Just some notes.\nNothing here.\n"), out_dir=tmp_path)


def test_import_with_the_wrong_format_says_so(tmp_path):
    with pytest.raises(ActorImportError, match="No actors found .* Pass --format csv"):
        import_file(_write(tmp_path, "ours.txt", CSV_GOOD), out_dir=tmp_path / "out", data_dir=None)
    with pytest.raises(ActorImportError, match="Unknown dictionary format 'xml'"):
        import_file(_write(tmp_path, "ours.csv", CSV_GOOD), fmt="xml", out_dir=tmp_path / "out")


@pytest.mark.parametrize("name", ["../escape", "a/b", ".hidden", ""])
def test_import_name_must_be_a_plain_file_name(tmp_path, name):
    with pytest.raises(ActorImportError, match="Cannot name the imported file"):
        import_file(_write(tmp_path, "ours.csv", CSV_GOOD), out_dir=tmp_path / "out", name=name, data_dir=None)


def test_reimport_replaces_the_file_atomically(tmp_path, monkeypatch):
    out = tmp_path / "out"
    source = _write(tmp_path, "ours.csv", CSV_GOOD)
    first = import_file(source, out_dir=out, data_dir=None)
    _write(tmp_path, "ours.csv", CSV_GOOD.replace("Western Test Alliance", "Western Alliance Renamed"))
    second = import_file(source, out_dir=out, data_dir=None)
    assert second.replaced and second.path == first.path
    assert "Western Alliance Renamed" in second.path.read_text("utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["ours.toml"]  # no temporary file left
    # A write that fails half-way leaves the previous import whole.
    before = second.path.read_bytes()
    monkeypatch.setattr(importers.os, "replace", lambda *args: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(ActorImportError, match="Cannot write .*ours.toml: disk full"):
        import_file(_write(tmp_path, "ours.csv", CSV_GOOD.replace("Coastal", "Other")), out_dir=out, data_dir=None)
    assert second.path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["ours.toml"]


def test_import_refuses_ids_defined_elsewhere(tmp_path):
    out = tmp_path / "out"
    _write(out.mkdir() or out, "other.toml", '[[actor]]\nid = "test_coastal_shield"\nname = "X"\nactor_type = 2\n')
    with pytest.raises(ActorImportError, match=r"test_coastal_shield \(in .*other.toml\)"):
        import_file(_write(tmp_path, "ours.csv", CSV_GOOD), out_dir=out, data_dir=None)
    curated = tmp_path / "curated"
    _write(curated.mkdir() or curated, "region.toml", '[[actor]]\nid = "test_shield_media"\nname = "Y"\nactor_type = 7\n')
    (out / "other.toml").unlink()
    with pytest.raises(ActorImportError, match="test_shield_media"):
        import_file(_write(tmp_path, "ours.csv", CSV_GOOD), out_dir=out, data_dir=curated)


def test_import_warns_of_unknown_affiliations(tmp_path):
    text = "id,name,actor_type,parent\ntest_a,A,2,test_nobody\ntest_b,B,2,military_sy\n"
    report = import_file(_write(tmp_path, "ours.csv", text), out_dir=tmp_path / "out", data_dir=None)
    assert report.warnings == ("test_a is affiliated to 'test_nobody', which no file defines yet",)
    assert "Warning: test_a is affiliated" in report.summary()


def test_import_keeps_the_file_mode_on_replace(tmp_path):
    out = tmp_path / "out"
    source = _write(tmp_path, "ours.csv", CSV_GOOD)
    report = import_file(source, out_dir=out, data_dir=None)
    assert report.path.stat().st_mode & 0o777 == 0o644
    os.chmod(report.path, 0o640)
    import_file(source, out_dir=out, data_dir=None)
    assert report.path.stat().st_mode & 0o777 == 0o640
