"""Exports of events and incidents: every format written from hand-built records, loaded
back with pandas (or json) and checked value by value."""

from __future__ import annotations

import json
import math
import sys

import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

from sitreps.errors import MissingExtraError
from sitreps.outputs import exports
from sitreps.outputs.exports import (
    ACLED_COLUMNS,
    UCDP_COLUMNS,
    acled_interaction,
    columns,
    event_figures,
    export,
    priogrid_gid,
)
from sitreps.outputs.incident_view import incident_line, incident_page, safe, select_incidents
from sitreps.records import (
    ActorRef,
    Claim,
    Claimant,
    ClaimRef,
    Contradiction,
    ContradictionValue,
    Estimate,
    Event,
    EventDate,
    Evidence,
    Figures,
    Incident,
    Location,
    Source,
    from_dict,
)

HOSTILE_NAME = "=HYPERLINK(\"http://x.invalid\",\"ok\")"
HOSTILE_TEXT = "<script>alert('x')</script> & more"

MONITOR = Claimant("Valley Monitoring Group", "monitor_ngo", "neutral")
STATE_MEDIA = Claimant("State News Agency", "partisan_media", "adversary")
HOSTILE = Claimant(HOSTILE_NAME, "local_source", "unknown")


def claim(low, high, qualifier="exact", side="unknown", by=MONITOR, text="", scope=None):
    return Claim(low, high, qualifier, side, by, (0, 1), text or f"{low} killed", scope)


def day(start, end=None, precision="day", mention=None):
    return EventDate(start, end or start, precision, mention, None, "published")


ARMY = ActorRef("Military Forces of Exampleland", "troops", (0, 6), "initiator", 1)
REBELS = ActorRef("Northern Liberation Front", "the front", (20, 29), "target", 2)
MILITIA = ActorRef("Hill Guards", "guards", (30, 36), "initiator", 3)
CIVILIANS = ActorRef("Civilians", "villagers", (40, 49), "target", 7)

# Places in real countries (their codes feed iso/region), events invented.
HAMA = Location("Qasr Tallah", "Qasr Tallah", (50, 61), 2, None, 35.123456789, 36.6, "Hama", "SY")
MOPTI = Location("Mopti", "the Mopti region", (50, 66), 3, None, 14.5, -4.1, "Mopti", "ML")

EVENT_CLASH = Event(
    id="ev-clash",
    document_id="doc-a" * 4,
    type="battles",
    subtype="armed_clash",
    actors=(ARMY, REBELS),
    location=HAMA,
    date=day("2019-05-12", mention="on Sunday"),
    fatalities=(
        claim(9, 9, side="Northern Liberation Front"),
        claim(20, None, "at_least", side="Northern Liberation Front", by=STATE_MEDIA),
        claim(4, 4, side="Military Forces of Exampleland"),
    ),
    injuries=(claim(11, 11, "around"),),
    evidence=(Evidence(0, 30, "troops fought the front"),),
    confidence=0.8,
)
EVENT_STRIKE = Event(
    id="ev-strike",
    document_id="doc-b" * 4,
    type="explosions_remote_violence",
    subtype="air_drone_strike",
    actors=(MILITIA,),
    location=None,
    date=day("2020-02-03", "2020-02-09", "week"),
    fatalities=(
        claim(30, 30, side="mixed", by=HOSTILE, text=HOSTILE_TEXT),
        claim(6, 6, side="civilians", by=HOSTILE),
        claim(3, 3, side="civilians", by=HOSTILE, scope="subset"),
    ),
    evidence=(Evidence(0, 30, HOSTILE_TEXT),),
)
EVENT_ABDUCTION = Event(
    id="ev-abduction",
    document_id="doc-c" * 4,
    type="violence_against_civilians",
    subtype="abduction_forced_disappearance",
    actors=(ActorRef("Northern Liberation Front", "gunmen", (0, 6), "initiator", 2), CIVILIANS),
    location=MOPTI,
    date=day("2021-03-01", "2021-03-31", "month"),
    captured=(claim(12, 12, "around", side="civilians"),),
)
EVENTS = (EVENT_CLASH, EVENT_STRIKE, EVENT_ABDUCTION)


def ref(event, kind, c):
    return ClaimRef(event.id, event.document_id, kind, c)


INCIDENT_CLASH = Incident(
    id="inc-clash",
    event_ids=("ev-clash", "ev-clash-2"),
    document_ids=("doc-a" * 4, "doc-d" * 4),
    type="battles",
    subtype="armed_clash",
    actors=(ARMY, REBELS),
    location=HAMA,
    date=day("2019-05-12"),
    fatalities=Figures(
        low=13,
        best=13,
        high=24,
        by_side=(
            ("Military Forces of Exampleland", Estimate(4, 4, 4)),
            ("Northern Liberation Front", Estimate(9, 9, 20)),
        ),
        claims=tuple(ref(EVENT_CLASH, "fatalities", c) for c in EVENT_CLASH.fatalities),
        rule="best: neutral monitor",
    ),
    injuries=Figures(low=11, best=11, high=11),
    sources=(
        Source("doc-a" * 4, "The Daily Example", None, "daily-example"),
        Source("doc-d" * 4, "Evening Courier", "Wire Agency", "wire-agency"),
    ),
    independent_sources=2,
    contradictions=(
        Contradiction(
            "fatalities:Northern Liberation Front",
            (
                ContradictionValue("9", MONITOR, "doc-a" * 4, "ev-clash", (0, 1), "9 fighters died"),
                ContradictionValue("at least 20", STATE_MEDIA, "doc-d" * 4, "ev-clash-2", (0, 1), "at least 20"),
            ),
            "fatalities of Northern Liberation Front: 9 (Valley Monitoring Group, monitor_ngo, neutral) "
            "vs at least 20 (State News Agency, partisan_media, adversary)",
        ),
    ),
    confidence=0.9,
)
INCIDENT_ONE_SIDED = Incident(
    id="inc-onesided",
    event_ids=("ev-abduction",),
    document_ids=("doc-c" * 4,),
    type="violence_against_civilians",
    subtype="attack",
    actors=(ActorRef("Northern Liberation Front", "gunmen", (0, 6), "initiator", 2), CIVILIANS),
    location=MOPTI,
    date=day("2021-03-01", "2021-03-31", "month"),
    fatalities=Figures(low=5, best=7, high=10, by_side=(("civilians", Estimate(5, 7, 10)),)),
    independent_sources=1,
)
INCIDENT_HOSTILE = Incident(
    id="inc-hostile",
    event_ids=("ev-strike",),
    document_ids=("doc-b" * 4,),
    type="explosions_remote_violence",
    subtype="air_drone_strike",
    actors=(ActorRef(HOSTILE_NAME, HOSTILE_TEXT, (0, 5), "initiator", 3),),
    fatalities=Figures(
        claims=(ref(EVENT_STRIKE, "fatalities", EVENT_STRIKE.fatalities[0]),),
    ),
    sources=(Source("doc-b" * 4, "-dash outlet\x1b[31m", None, "dash"),),
    independent_sources=1,
)
INCIDENTS = (INCIDENT_CLASH, INCIDENT_ONE_SIDED, INCIDENT_HOSTILE)
OUTLETS = {"doc-a" * 4: "The Daily Example", "doc-c" * 4: "@Sahel Radio"}


def _csv(path):
    # keep_default_na=False: empty cells stay "" so text is compared as written.
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# -- ACLED ---------------------------------------------------------------------------------


def test_acled_incidents(tmp_path):
    result = export(INCIDENTS, path=tmp_path / "acled.csv", format="acled", kind="incidents")
    assert result.rows == 3
    frame = _csv(tmp_path / "acled.csv")
    assert tuple(frame.columns) == ACLED_COLUMNS
    clash, onesided, hostile = (frame.iloc[i] for i in range(3))
    assert clash["event_id_cnty"] == "inc-clash"
    assert (clash["event_type"], clash["sub_event_type"]) == ("Battles", "Armed clash")
    assert clash["disorder_type"] == "Political violence"
    assert (clash["actor1"], clash["inter1"], clash["actor2"], clash["inter2"]) == (
        "Military Forces of Exampleland", "1", "Northern Liberation Front", "2"
    )
    assert clash["interaction"] == "12"
    assert clash["fatalities"] == "13"  # the incident's low: ACLED's conservative figure
    assert (clash["event_date"], clash["year"], clash["time_precision"]) == ("2019-05-12", "2019", "1")
    assert (clash["iso"], clash["country"], clash["region"]) == ("760", "Syria", "Middle East")
    assert (clash["admin1"], clash["location"], clash["geo_precision"]) == ("Hama", "Qasr Tallah", "2")
    assert float(clash["latitude"]) == pytest.approx(35.123457)
    assert clash["source"] == "The Daily Example; Evening Courier"
    for text in ("Valley Monitoring Group", "at least 20", "State News Agency", "Disputed", "2 reports, 2 independent"):
        assert text in clash["notes"]
    assert clash["civilian_targeting"] == ""
    assert onesided["civilian_targeting"] == "Civilian targeting"
    assert onesided["interaction"] == "27"
    assert (onesided["iso"], onesided["region"], onesided["country"]) == ("466", "Western Africa", "Mali")
    assert (onesided["event_date"], onesided["time_precision"]) == ("2021-03-16", "3")
    assert onesided["fatalities"] == "5"
    assert (hostile["fatalities"], hostile["location"], hostile["interaction"]) == ("0", "", "30")
    # Formula guard: text cells starting with = + - @ get a leading apostrophe.
    assert hostile["actor1"] == "'" + HOSTILE_NAME
    assert hostile["source"] == "'-dash outlet\x1b[31m"
    assert HOSTILE_NAME in hostile["notes"]  # inside the text, where it is inert


def test_acled_events_use_the_lowest_credible_figure(tmp_path):
    export(EVENTS, path=tmp_path / "acled.csv", format="acled", kind="events", outlets=OUTLETS)
    frame = _csv(tmp_path / "acled.csv")
    assert list(frame["event_id_cnty"]) == ["ev-clash", "ev-strike", "ev-abduction"]
    # clash: 9 (lowest of 9 and "at least 20") + 4 soldiers; strike: the total of 30 beats
    # the 6 civilians; abduction: no fatality claim, so 0.
    assert list(frame["fatalities"]) == ["13", "30", "0"]
    assert list(frame["time_precision"]) == ["1", "2", "3"]
    assert list(frame["event_date"]) == ["2019-05-12", "2020-02-06", "2021-03-16"]
    assert list(frame["source"]) == ["The Daily Example", "", "'@Sahel Radio"]
    assert list(frame["sub_event_type"]) == ["Armed clash", "Air/drone strike", "Abduction/forced disappearance"]
    assert list(frame["event_type"]) == ["Battles", "Explosions/Remote violence", "Violence against civilians"]
    assert "about 12 civilians (Valley Monitoring Group; monitor_ngo, neutral)" in frame["notes"][2]


@pytest.mark.parametrize(
    ("inter1", "inter2", "expected"),
    [(1, 2, 12), (2, 1, 12), (7, 3, 37), (1, None, 10), (None, 6, 60), (None, None, None), (1, 1, 11)],
)
def test_acled_interaction(inter1, inter2, expected):
    assert acled_interaction(inter1, inter2) == expected


def test_unknown_subtype_is_written_readably():
    row = exports.acled_row(Event("e", "d", "battles", "tunnel_raid"))
    assert row["sub_event_type"] == "Tunnel raid"
    assert row["fatalities"] == 0


# -- UCDP ----------------------------------------------------------------------------------


def test_ucdp_incidents(tmp_path):
    export(INCIDENTS, path=tmp_path / "ged.csv", format="ucdp", kind="incidents")
    frame = _csv(tmp_path / "ged.csv")
    assert tuple(frame.columns) == UCDP_COLUMNS
    clash, onesided, hostile = (frame.iloc[i] for i in range(3))
    assert (clash["best"], clash["low"], clash["high"]) == ("13", "13", "24")
    assert clash["type_of_violence"] == "1"
    assert (clash["side_a"], clash["side_b"]) == ("Military Forces of Exampleland", "Northern Liberation Front")
    assert clash["dyad_name"] == "Military Forces of Exampleland - Northern Liberation Front"
    assert (clash["deaths_a"], clash["deaths_b"], clash["deaths_civilians"], clash["deaths_unknown"]) == ("4", "9", "0", "0")
    assert (clash["where_prec"], clash["date_prec"]) == ("2", "1")
    assert (clash["date_start"], clash["date_end"], clash["year"]) == ("2019-05-12", "2019-05-12", "2019")
    assert (clash["country"], clash["region"]) == ("Syria", "Middle East")
    assert clash["number_of_sources"] == "2"
    assert clash["source_office"] == "The Daily Example; Evening Courier"
    assert clash["geom_wkt"] == "POINT (36.6 35.123457)"
    assert int(clash["priogrid_gid"]) == priogrid_gid(35.123457, 36.6)
    assert clash["gwnoa"] == clash["conflict_name"] == clash["country_id"] == ""
    assert onesided["type_of_violence"] == "3"
    assert (onesided["side_a"], onesided["side_b"]) == ("Northern Liberation Front", "Civilians")
    assert (onesided["deaths_a"], onesided["deaths_civilians"], onesided["deaths_unknown"]) == ("0", "7", "0")
    assert (onesided["where_prec"], onesided["date_prec"]) == ("4", "4")
    assert (onesided["date_start"], onesided["date_end"]) == ("2021-03-01", "2021-03-31")
    assert onesided["region"] == "Africa"
    # No figure: best/low/high and the deaths stay empty; one actor alone has no dyad.
    assert (hostile["best"], hostile["deaths_a"], hostile["type_of_violence"], hostile["dyad_name"]) == ("", "", "", "")


def test_ucdp_events(tmp_path):
    export(EVENTS, path=tmp_path / "ged.csv", format="ucdp", kind="events")
    frame = pd.read_csv(tmp_path / "ged.csv")
    assert list(frame["low"].fillna(-1)) == [13, 30, -1]
    # clash: best from the neutral monitor (9) + 4; high: "at least 20" + 4.
    assert list(frame["best"].fillna(-1)) == [13, 30, -1]
    assert list(frame["high"].fillna(-1)) == [24, 30, -1]
    assert list(frame["date_prec"]) == [1, 3, 4]
    # strike: 6 of the 30 are civilians, the rest no side accounts for.
    assert (frame["deaths_civilians"][1], frame["deaths_unknown"][1]) == (6, 24)
    assert list(frame["number_of_sources"]) == [1, 1, 1]


@pytest.mark.parametrize(
    ("lat", "lon", "gid"),
    [(-90, -180, 1), (-89.9, -179.9, 1), (-90, -179.4, 2), (-89.4, -180, 721), (90, 180, 360 * 720), (None, 3, None)],
)
def test_priogrid(lat, lon, gid):
    assert priogrid_gid(lat, lon) == gid


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ((), (None, None, None)),
        ((claim(5, 5),), (5, 5, 5)),
        # two claimants of one total: the lowest, the neutral one's, the highest
        ((claim(5, 5, by=STATE_MEDIA), claim(8, 8)), (5, 8, 8)),
        # per side are summed
        ((claim(2, 2, side="A"), claim(3, 6, side="B")), (5, 5, 8)),
        # a subset alone still bounds the figure from below
        ((claim(7, 7, side="civilians", scope="subset"),), (7, 7, 7)),
        # a subset next to a figure of its own is ignored
        ((claim(7, 7, side="civilians", scope="subset"), claim(10, 10)), (10, 10, 10)),
        # open-ended: its low is also its high
        ((claim(17, None, "at_least"),), (17, 17, 17)),
    ],
)
def test_event_figures(claims, expected):
    assert event_figures(claims) == expected


# -- GeoJSON, JSON Lines, flat CSV, Parquet ------------------------------------------------


def test_geojson(tmp_path):
    result = export(INCIDENTS, path=tmp_path / "i.geojson", format="geojson")
    assert (result.rows, result.unlocated) == (2, 1)
    raw = (tmp_path / "i.geojson").read_text("utf-8")
    data = json.loads(raw)
    assert data["type"] == "FeatureCollection"
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [36.6, 35.123457]}
    assert first["id"] == "inc-clash"
    assert set(first["properties"]) == set(columns("csv", "incidents"))
    assert first["properties"]["fatalities_low"] == 13
    assert first["properties"]["fatalities_by_side"] == "Military Forces of Exampleland: 4/4/4; Northern Liberation Front: 9/9/20"
    assert not any(isinstance(v, (dict, list)) for v in first["properties"].values())

    export(EVENTS, path=tmp_path / "e.geojson", format="geojson", kind="events")
    events = json.loads((tmp_path / "e.geojson").read_text("utf-8"))
    assert [f["id"] for f in events["features"]] == ["ev-clash", "ev-abduction"]


def test_json_escapes_markup_and_reads_back(tmp_path):
    export(INCIDENTS, path=tmp_path / "i.jsonl", format="jsonl")
    raw = (tmp_path / "i.jsonl").read_text("utf-8")
    assert "<script>" not in raw and "\\u003cscript\\u003e" in raw
    records = [from_dict(Incident, json.loads(line)) for line in raw.splitlines()]
    assert tuple(records) == INCIDENTS
    assert records[2].fatalities.claims[0].claim.text == HOSTILE_TEXT

    export(EVENTS, path=tmp_path / "e.jsonl", format="jsonl", kind="events")
    lines = (tmp_path / "e.jsonl").read_text("utf-8").splitlines()
    assert tuple(from_dict(Event, json.loads(line)) for line in lines) == EVENTS


def test_flat_csv_and_parquet_agree(tmp_path):
    for kind, records in (("incidents", INCIDENTS), ("events", EVENTS)):
        export(records, path=tmp_path / f"{kind}.csv", format="csv", kind=kind, outlets=OUTLETS, formula_guard=False)
        export(records, path=tmp_path / f"{kind}.parquet", format="parquet", kind=kind, outlets=OUTLETS)
        from_csv = pd.read_csv(tmp_path / f"{kind}.csv", keep_default_na=False, dtype=str)
        from_parquet = pd.read_parquet(tmp_path / f"{kind}.parquet")
        assert tuple(from_csv.columns) == tuple(from_parquet.columns) == columns("csv", kind)
        assert len(from_csv) == len(from_parquet) == 3
        for name in from_csv.columns:
            for written, typed in zip(from_csv[name], from_parquet[name]):
                if typed is None or (isinstance(typed, float) and math.isnan(typed)) or typed is pd.NA:
                    assert written == ""
                else:
                    assert type(typed)(written) == typed, (kind, name)
    frame = pd.read_parquet(tmp_path / "incidents.parquet")
    assert str(frame["fatalities_low"].dtype) in ("Int64", "float64", "int64")
    assert list(frame["fatalities_best"].fillna(-1).astype(int)) == [13, 7, -1]
    assert list(frame["independent_sources"]) == [2, 1, 1]
    assert frame["contradictions"][0] == 1
    assert frame["initiators"][2] == HOSTILE_NAME  # Parquet is not a spreadsheet: no guard
    events = pd.read_parquet(tmp_path / "events.parquet")
    assert events["evidence"][1] == HOSTILE_TEXT
    assert list(events["outlet"].fillna("")) == ["The Daily Example", "", "@Sahel Radio"]
    assert events["captured_low"][2] == 12
    assert events["fatalities_high"][0] == 24


def test_flat_csv_guards_formulas(tmp_path):
    export(INCIDENTS, path=tmp_path / "i.csv", format="csv")
    frame = _csv(tmp_path / "i.csv")
    assert frame["initiators"][2] == "'" + HOSTILE_NAME
    # Numbers are never guarded: a negative longitude stays a number.
    assert frame["longitude"][1] == "-4.1"


@pytest.mark.parametrize("format", exports.FORMATS)
@pytest.mark.parametrize(("kind", "records"), [("incidents", INCIDENTS), ("events", EVENTS)])
def test_same_records_same_bytes(tmp_path, format, kind, records):
    first = export(records, path=tmp_path / "a", format=format, kind=kind, outlets=OUTLETS)
    export(list(records), path=tmp_path / "b", format=format, kind=kind, outlets=dict(OUTLETS))
    assert first.rows >= 2
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


@pytest.mark.parametrize("format", exports.FORMATS)
def test_empty_exports_load(tmp_path, format):
    path = tmp_path / f"empty.{format}"
    assert export([], path=path, format=format).rows == 0
    if format in ("acled", "ucdp", "csv"):
        assert tuple(pd.read_csv(path).columns) == columns(format, "incidents")
    elif format == "parquet":
        assert tuple(pd.read_parquet(path).columns) == columns("parquet", "incidents")
    elif format == "geojson":
        assert json.loads(path.read_text()) == {"type": "FeatureCollection", "features": []}
    else:
        assert path.read_text() == ""


def test_a_failed_export_leaves_the_previous_file(tmp_path):
    path = tmp_path / "out.csv"
    export(INCIDENTS, path=path, format="acled")
    before = path.read_bytes()

    def failing():
        yield INCIDENT_CLASH
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        export(failing(), path=path, format="acled")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_wrong_record_kind_is_refused(tmp_path):
    with pytest.raises(ValueError, match="--events"):
        export(EVENTS, path=tmp_path / "x.csv", format="acled", kind="incidents")
    with pytest.raises(ValueError, match="unknown export format"):
        export(EVENTS, path=tmp_path / "x.csv", format="xlsx", kind="events")
    assert not list(tmp_path.iterdir())


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError, match=r"sitreps\[parquet\]"):
        export(INCIDENTS, path=tmp_path / "x.parquet", format="parquet")
    assert not list(tmp_path.iterdir())


# -- the incident views --------------------------------------------------------------------


def test_select_incidents():
    def ids(**filters):
        return [i.id for i in select_incidents(INCIDENTS, **filters)]

    assert ids() == ["inc-clash", "inc-onesided", "inc-hostile"]
    assert ids(date_from="2020-01-01") == ["inc-onesided"]
    assert ids(date_to="2021-03-01") == ["inc-clash", "inc-onesided"]
    assert ids(date_from="2021-03-20", date_to="2021-04-01") == ["inc-onesided"]
    assert ids(country="sy") == ["inc-clash"]
    assert ids(actor="liberation") == ["inc-clash", "inc-onesided"]
    assert ids(type="Armed clash") == ids(type="battles") == ["inc-clash"]
    assert ids(type="explosions/remote violence") == ["inc-hostile"]
    assert ids(limit=1) == ["inc-clash"]
    assert ids(actor="liberation", limit=1) == ["inc-clash"]


def test_incident_page_shows_claims_contradictions_and_sources():
    page = incident_page(INCIDENT_CLASH)
    for text in (
        "best 13   low 13   high 24",
        "at least 20 Northern Liberation Front",
        "State News Agency (partisan_media, adversary)",
        "CONTRADICTIONS (1)",
        "Evening Courier (wire: Wire Agency)",
        "group wire-agency",
        "2 reports, 2 independent",
    ):
        assert text in page
    line = incident_line(INCIDENT_CLASH)
    assert line.startswith("inc-clash") and "!1" in line and "13 (13-24)" in line


def test_terminal_views_drop_control_characters():
    assert safe("a\x1b[31mb\nc\u202e") == "a [31mb c"
    page = incident_page(INCIDENT_HOSTILE)
    assert "\x1b" not in page and "\x1b" not in incident_line(INCIDENT_HOSTILE)
