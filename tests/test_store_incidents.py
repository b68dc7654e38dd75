"""Incidents and events in the store, over a real SQLite file and a real PostgreSQL server.

PostgreSQL cases run when SITREPS_TEST_POSTGRES names a server (see tests/test_store.py).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from sitreps.cluster import IncidentIndex
from sitreps.errors import StoreError
from sitreps.records import (
    ActorRef,
    Claim,
    Claimant,
    Document,
    Event,
    EventDate,
    Evidence,
    Location,
    Published,
    document_id,
)
from sitreps.store import Store, open_store

POSTGRES_ENV = "SITREPS_TEST_POSTGRES"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        with open_store(str(tmp_path / "sitreps.db")) as opened:
            yield opened
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip("set SITREPS_TEST_POSTGRES to a PostgreSQL URL to run the PostgreSQL store tests")
    psycopg = pytest.importorskip("psycopg")
    schema = f"sitreps_test_{uuid.uuid4().hex[:12]}"
    with open_store(f"{server}{'&' if '?' in server else '?'}schema={schema}") as opened:
        yield opened
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def make_document(text: str, published: str) -> Document:
    return Document(id=document_id(text), source="test", text=text, original=text,
                    published=Published(published, "metadata"))  # fmt: skip


def make_event(document: Document, day: str, place: str = "Kharbova", country: str = "SY", deaths: int = 5) -> Event:
    by = Claimant("district governor", "local_authority", "neutral")
    return Event(
        id=f"{document.id[:10]}-0", document_id=document.id, type="explosions_remote_violence",
        subtype="shelling_artillery_missile_attack",
        actors=(ActorRef("Velmar Army", "the army", (0, 8), "initiator"),),
        location=Location(place, place, (10, 18), 1, lat=35.1, lon=38.2, admin1="Velmar", country=country),
        date=EventDate(day, day, "day", "on Monday", (20, 29), "published"),
        fatalities=(Claim(deaths, deaths, "exact", "civilians", by, (30, 40), f"killing {deaths}"),),
        evidence=(Evidence(0, 20, document.text[:20]),), confidence=0.7,
    )  # fmt: skip


def stored(store: Store, documents: list[Document], events: list[Event]) -> None:
    run_id = store.begin_run(version="0.1.0", settings={}, inputs=["news/"])
    for document in documents:
        store.write_document(document, run_id=run_id, events=[e for e in events if e.document_id == document.id])


def test_incidents_round_trip_and_are_replaced_when_regrouped(store: Store) -> None:
    a = make_document("Shelling hit the market in Kharbova on Monday, killing five people.", "2024-03-05")
    b = make_document("Five people died as shells hit Kharbova's market, the governor said.", "2024-03-05")
    ea, eb = make_event(a, "2024-03-04"), make_event(b, "2024-03-04", deaths=6)
    stored(store, [a, b], [ea, eb])
    index = IncidentIndex()
    first = index.add([ea], [a])
    store.replace_incidents(first.incidents, removed=first.removed)
    assert store.count_incidents() == 1
    assert store.get_incident(first.incidents[0].id) == first.incidents[0]
    second = index.add([eb], [b])
    assert second.removed == (first.incidents[0].id,)
    store.replace_incidents(second.incidents, removed=second.removed)
    [incident] = list(store.iter_incidents())
    assert incident == index.incidents()[0]
    assert set(incident.event_ids) == {ea.id, eb.id}
    assert store.incident_of_event(ea.id) == incident.id
    assert store.get_incident(first.incidents[0].id) is None
    # Writing the same incidents again changes nothing (idempotent).
    store.replace_incidents(second.incidents)
    assert [i.id for i in store.iter_incidents()] == [incident.id]


def test_an_incident_replaces_any_stored_incident_holding_its_events(store: Store) -> None:
    a = make_document("Shelling hit the market in Kharbova on Monday.", "2024-03-05")
    b = make_document("Shells hit Kharbova's market on Monday, the governor said.", "2024-03-05")
    ea, eb = make_event(a, "2024-03-04"), make_event(b, "2024-03-04")
    single = IncidentIndex().add([ea], [a]).incidents
    store.replace_incidents(single)
    merged = IncidentIndex().add([ea, eb], [a, b]).incidents
    store.replace_incidents(merged)  # no removed ids given: the stale one goes all the same
    assert [i.id for i in store.iter_incidents()] == [merged[0].id]


def test_a_failed_write_leaves_the_store_as_it_was(store: Store) -> None:
    a = make_document("Shelling hit the market in Kharbova on Monday.", "2024-03-05")
    incidents = IncidentIndex().add([make_event(a, "2024-03-04")], [a]).incidents
    store.replace_incidents(incidents)
    with pytest.raises(StoreError, match="Nothing of them was written"):
        store.replace_incidents(incidents + incidents)  # the same id twice
    assert [i.id for i in store.iter_incidents()] == [incidents[0].id]


def test_events_are_read_back_as_records_and_filtered(store: Store) -> None:
    docs = [make_document(f"Report {n} of shelling.", f"2024-03-{n + 2:02d}") for n in range(4)]
    events = [
        make_event(docs[0], "2024-03-01"),
        make_event(docs[1], "2024-03-05"),
        make_event(docs[2], "2024-03-09", place="Lakeside", country="LB"),
        dataclasses_replace_date(make_event(docs[3], "2024-03-05")),
    ]
    stored(store, docs, events)
    everything = list(store.iter_events())
    assert sorted(everything, key=lambda e: e.id) == sorted(events, key=lambda e: e.id)
    in_window = {e.id for e in store.iter_events(start="2024-03-04", end="2024-03-10")}
    assert in_window == {events[1].id, events[2].id}
    assert {e.id for e in store.iter_events(country="lb")} == {events[2].id}


def dataclasses_replace_date(event: Event) -> Event:
    import dataclasses

    return dataclasses.replace(event, date=None)


def test_events_near_a_window_are_selected_by_the_database(store: Store) -> None:
    """What incident grouping reads: events whose range meets the window, a bound alone
    counting as both ends, undated ones always; the excluded ids never."""
    import dataclasses

    docs = [make_document(f"Report {n} of shelling near the river.", "2024-03-20") for n in range(7)]
    dated = [make_event(docs[0], "2024-03-01"), make_event(docs[1], "2024-03-10"), make_event(docs[2], "2024-03-19")]
    bounded_end = dataclasses.replace(make_event(docs[3], "2024-03-11"), date=EventDate(None, "2024-03-11", None, None, None, "published"))
    bounded_start = dataclasses.replace(make_event(docs[4], "2024-03-02"), date=EventDate("2024-03-02", None, None, "since", (0, 5), "published"))
    undated = dataclasses_replace_date(make_event(docs[5], "2024-03-05"))
    spanning = dataclasses.replace(make_event(docs[6], "2024-02-25"), date=EventDate("2024-02-25", "2024-03-15", None, "weeks", (0, 5), "published"))
    events = [*dated, bounded_end, bounded_start, undated, spanning]
    stored(store, docs, events)
    near = {e.id for e in store.iter_events(near=("2024-03-09", "2024-03-12"))}
    assert near == {dated[1].id, bounded_end.id, undated.id, spanning.id}
    near_start = {e.id for e in store.iter_events(near=("2024-03-01", "2024-03-03"))}
    assert near_start == {dated[0].id, bounded_start.id, undated.id, spanning.id}
    assert {e.id for e in store.iter_events(near=("2024-03-09", "2024-03-12"), exclude={undated.id, dated[1].id})} == {bounded_end.id, spanning.id}
