"""The store over a real SQLite file and a real PostgreSQL server (never a fake database).

PostgreSQL cases run when SITREPS_TEST_POSTGRES names a server, e.g.
``postgresql://postgres@127.0.0.1:5432/test``; each test gets its own schema, dropped after.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import subprocess
import sys
import uuid
from os.path import commonprefix
from pathlib import Path

import pytest

import sitreps.store
from sitreps.errors import MissingExtraError, StoreError
from sitreps.records import (
    ActorRef,
    Claim,
    Claimant,
    Document,
    Event,
    Evidence,
    Line,
    Published,
    Segment,
    Skip,
    document_id,
    to_dict,
)
from sitreps.store import Store, base as store_base, mask_password, open_store

POSTGRES_ENV = "SITREPS_TEST_POSTGRES"
POSTGRES_SKIP = "set SITREPS_TEST_POSTGRES to a PostgreSQL URL to run the PostgreSQL store tests"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]

HEADER = "Kharbova Daily | Home | World\n"
REPORT = (
    "Shelling hit the covered market in Kharbova on Tuesday morning, killing at least three "
    "people, the district governor said."
)


# -- fixtures and builders ------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A URL to a fresh, empty store on each backend."""
    if request.param == "sqlite":
        # A missing parent directory: opening must create it.
        yield str(tmp_path / "nested" / "sitreps.db")
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(POSTGRES_SKIP)
    psycopg = pytest.importorskip("psycopg")
    schema = f"sitreps_test_{uuid.uuid4().hex[:12]}"
    yield f"{server}{'&' if '?' in server else '?'}schema={schema}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def store(store_url: str):
    with open_store(store_url) as store:
        yield store


@pytest.fixture
def run_id(store: Store) -> int:
    return store.begin_run(version="0.1.0", settings={"nlp": {"model": "test"}}, inputs=["news/"])


def make_document(
    text: str = REPORT,
    *,
    source: str = "news/kharbova.txt",
    source_id: str | None = None,
    url: str | None = "https://kharbova-daily.example/market",
) -> Document:
    """A fully populated document: every field differs from its default."""
    original = f"{HEADER}{text}\nShare this story"
    body = len(HEADER)
    return Document(
        id=document_id(text),
        source=source,
        text=text,
        original=original,
        source_id=source_id,
        url=url,
        outlet="Kharbova Daily",
        title="Market shelled",
        byline="By A. Reporter",
        dateline="KHARBOVA",
        wire="Reuters",
        published=Published(
            date="2024-03-05", source="text", evidence=Evidence(0, 8, "Kharbova", of="original")
        ),
        language="en",
        input_format="html",
        encoding="windows-1252",
        lines=(
            Line(0, body - 1, "junk", "navigation"),
            Line(body, body + len(text), "body", "paragraph"),
            Line(body + len(text) + 1, len(original), "junk", "share"),
        ),
        segments=(Segment(0, body, len(text)),),
        meta_evidence=(
            ("outlet", Evidence(0, 14, "Kharbova Daily", of="original")),
            ("title", Evidence(9, 15, "Market")),
        ),
    )


def make_event(document: Document, number: int = 0, **changes) -> Event:
    killed = document.text.find("killing at least three people")
    fields = dict(
        id=f"{document.id[:16]}-{number}",
        document_id=document.id,
        type="explosions_remote_violence",
        subtype="shelling_artillery_missile_attack",
        actors=(ActorRef(name="Unknown", mention="Shelling", span=(0, 8), role="initiator"),),
        fatalities=(
            Claim(
                low=3,
                high=None,
                qualifier="at_least",
                side="civilians",
                claimed_by=Claimant("district governor", "local_authority", "neutral"),
                span=(killed, killed + 29),
                text="killing at least three people",
            ),
        ),
        evidence=(Evidence(0, 8, "Shelling"),),
        confidence=0.75,
    )
    fields.update(changes)
    return Event(**fields)


def other_documents(count: int) -> list[Document]:
    return [
        make_document(f"Report {number}: fighting was reported near the river crossing.")
        for number in range(count)
    ]


@functools.cache
def colliding_texts() -> tuple[str, str]:
    """Two report texts whose ids share their first 6 hex characters."""
    seen: dict[str, str] = {}
    number = 0
    while True:
        text = f"Dispatch {number}: the checkpoint changed hands twice overnight."
        prefix = document_id(text)[:6]
        if prefix in seen:
            return seen[prefix], text
        seen[prefix] = text
        number += 1


# The version a migration added by a test gets: one past the package's newest.
NEXT = max(migration.version for migration in store_base.load_migrations("sqlite")) + 1


def use_migrations(monkeypatch: pytest.MonkeyPatch, directory: Path, notes_sql: str) -> None:
    """Make stores read their migrations from ``directory``: a copy of the package's own
    files plus ``NNNN_notes.sql`` (version NEXT) holding ``notes_sql``."""
    directory.mkdir(exist_ok=True)
    for entry in store_base.MIGRATIONS.iterdir():
        if entry.name.endswith(".sql"):
            (directory / entry.name).write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
    (directory / f"{NEXT:04d}_notes.sql").write_text(notes_sql, encoding="utf-8")
    monkeypatch.setattr(store_base, "MIGRATIONS", directory)


def driver_error(store: Store) -> type[Exception]:
    return store._driver_errors[0]


# -- migrations -----------------------------------------------------------------------------


def test_migrations_applied_once(store_url: str) -> None:
    with open_store(store_url) as store:
        first = store.migrations()
    shipped = store_base.load_migrations("sqlite")
    assert [row["version"] for row in first] == [migration.version for migration in shipped]
    assert first[0]["version"] == 1 and first[0]["name"] == "initial"
    with open_store(store_url) as store:
        assert store.migrations() == first  # same applied_at: nothing applied again
        assert store.count_documents() == 0


def test_new_migration_applied_on_open(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(store_url) as store:
        before = store.migrations()
    notes = "CREATE TABLE notes (\n    id INTEGER PRIMARY KEY,\n    body TEXT\n);\n"
    use_migrations(monkeypatch, tmp_path / "migrations", notes)
    with open_store(store_url) as store:
        after = store.migrations()
        assert after[: len(before)] == before
        assert [(row["version"], row["name"]) for row in after[len(before) :]] == [(NEXT, "notes")]
    with open_store(store_url) as store:
        assert store.migrations() == after


def test_failed_migration_is_rolled_back(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = "CREATE TABLE notes (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n"
    use_migrations(monkeypatch, tmp_path / "migrations", broken)
    with pytest.raises(StoreError, match=f"{NEXT:04d}_notes") as raised:
        open_store(store_url)
    assert "Nothing of it was applied" in str(raised.value)
    # Had the failed attempt left its table behind, this CREATE TABLE would fail.
    fixed = "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n"
    use_migrations(monkeypatch, tmp_path / "migrations", fixed)
    with open_store(store_url) as store:
        assert [row["version"] for row in store.migrations()] == list(range(1, NEXT + 1))


def test_store_newer_than_code_is_refused(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_migrations(monkeypatch, tmp_path / "migrations", "CREATE TABLE notes (id INTEGER);")
    open_store(store_url).close()
    monkeypatch.undo()
    with pytest.raises(StoreError, match="newer than this sitreps knows"):
        open_store(store_url)


@pytest.mark.parametrize(
    ("dialect", "wanted", "unwanted"),
    [("sqlite", "AUTOINCREMENT", "IDENTITY"), ("postgres", "IDENTITY", "AUTOINCREMENT")],
)
def test_dialect_lines_pick_the_backend_sql(dialect: str, wanted: str, unwanted: str) -> None:
    initial = store_base.load_migrations(dialect)[0]
    runs = next(statement for statement in initial.statements if "CREATE TABLE runs" in statement)
    assert wanted in runs and unwanted not in runs
    assert not any(statement.lstrip().startswith("--") for statement in initial.statements)


# -- documents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        make_document(),
        # Every optional field left at its default.
        Document(
            id=document_id("Two soldiers were wounded."),
            source="-",
            text="Two soldiers were wounded.",
            original="Two soldiers were wounded.",
        ),
    ],
    ids=["full", "minimal"],
)
def test_document_round_trip(store: Store, run_id: int, document: Document) -> None:
    assert not store.has_document(document.id)
    assert store.write_document(document, run_id=run_id) is True
    assert store.has_document(document.id)
    assert store.get_document(document.id) == document
    assert store.count_documents() == 1


def test_same_content_from_two_sources(store: Store, run_id: int) -> None:
    first = make_document(source="news/kharbova.txt")
    copy = make_document(
        source="feeds/wire.jsonl", source_id="item-17", url="https://wire.example/17"
    )
    assert first.id == copy.id
    assert store.write_document(first, run_id=run_id) is True
    assert store.write_document(copy, run_id=run_id) is False
    assert store.count_documents() == 1
    assert store.get_document(first.id) == first  # the first copy seen is kept

    def seen() -> list[tuple]:
        return [
            (row["source"], row["source_id"], row["url"], row["run_id"])
            for row in store.document_sources(first.id)
        ]

    expected = [
        ("news/kharbova.txt", None, "https://kharbova-daily.example/market", run_id),
        ("feeds/wire.jsonl", "item-17", "https://wire.example/17", run_id),
    ]
    assert seen() == expected

    rerun = store.begin_run(version="0.1.0", settings={}, inputs=["news/", "feeds/"])
    assert store.write_document(first, run_id=rerun) is False
    assert store.write_document(copy, run_id=rerun) is False
    assert store.count_documents() == 1
    assert seen() == expected


def test_events_are_replaced(store: Store, run_id: int) -> None:
    document = make_document()
    events = [make_event(document, 0), make_event(document, 1, subtype="air_drone_strike")]
    store.write_document(document, run_id=run_id, events=events)
    assert store.events_for(document.id) == [to_dict(event) for event in events]
    store.write_document(document, run_id=run_id, events=events[1:])
    assert store.events_for(document.id) == [to_dict(events[1])]
    store.write_document(document, run_id=run_id)
    assert store.events_for(document.id) == []


def test_event_of_another_document_is_refused(store: Store, run_id: int) -> None:
    document, other = other_documents(2)
    with pytest.raises(StoreError, match=other.id):
        store.write_document(document, run_id=run_id, events=[make_event(other)])
    assert store.count_documents() == 0


def test_unknown_run_is_refused(store: Store) -> None:
    document = make_document()
    with pytest.raises(StoreError, match=document.id):
        store.write_document(document, run_id=999)
    assert not store.has_document(document.id)


def _unserialisable(document: Document) -> list[Event]:
    # A set is not JSON: serialising the event fails after the document row is inserted.
    return [make_event(document, evidence=(Evidence(0, 8, {"Shelling"}),))]


def _duplicate_ids(document: Document) -> list[Event]:
    # Two events with one id: the database refuses the second after the document row is in.
    return [make_event(document, 0), make_event(document, 0, subtype="air_drone_strike")]


@pytest.mark.parametrize(
    "bad_events", [_unserialisable, _duplicate_ids], ids=["unserialisable", "duplicate-id"]
)
def test_failed_write_leaves_nothing(store: Store, run_id: int, bad_events) -> None:
    document = make_document()
    with pytest.raises(StoreError, match=document.id) as raised:
        store.write_document(document, run_id=run_id, events=bad_events(document))
    assert "Nothing of it was written" in str(raised.value)
    assert not store.has_document(document.id)
    assert store.count_documents() == 0
    assert store.document_sources(document.id) == []
    assert store.events_for(document.id) == []
    # The connection is not left inside a broken transaction.
    assert store.write_document(document, run_id=run_id, events=[make_event(document)]) is True


def test_failed_rewrite_keeps_what_was_stored(store: Store, run_id: int) -> None:
    document = make_document()
    event = make_event(document)
    store.write_document(document, run_id=run_id, events=[event])
    copy = make_document(source="feeds/wire.jsonl", source_id="item-17")
    with pytest.raises(StoreError, match=document.id):
        store.write_document(copy, run_id=run_id, events=_duplicate_ids(copy))
    assert store.events_for(document.id) == [to_dict(event)]
    assert [row["source"] for row in store.document_sources(document.id)] == ["news/kharbova.txt"]


def test_failure_after_document_insert_is_rolled_back(
    store: Store, run_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = make_document()
    execute = store._execute

    def failing(sql, params=()):
        if sql.startswith("INSERT INTO document_sources"):
            assert execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1  # inserted...
            raise driver_error(store)("simulated failure")
        return execute(sql, params)

    monkeypatch.setattr(store, "_execute", failing)
    with pytest.raises(StoreError, match="simulated failure"):
        store.write_document(document, run_id=run_id)
    monkeypatch.undo()
    assert store.count_documents() == 0  # ...and rolled back


# -- lookup and listing ---------------------------------------------------------------------


def test_prefix_lookup(store: Store, run_id: int) -> None:
    document = make_document()
    store.write_document(document, run_id=run_id)
    assert store.get_document(document.id[:6]) == document
    assert store.get_document(document.id[:10].upper()) == document
    assert store.get_document("0" * 64) is None
    assert store.get_document("not-an-id") is None
    with pytest.raises(StoreError, match="at least 6"):
        store.get_document(document.id[:5])


def test_ambiguous_prefix(store: Store, run_id: int) -> None:
    documents = [make_document(text) for text in colliding_texts()]
    for document in documents:
        store.write_document(document, run_id=run_id)
    shared = commonprefix([document.id for document in documents])
    with pytest.raises(StoreError, match="matches 2 documents"):
        store.get_document(shared[:6])
    for document in documents:
        assert store.get_document(document.id[: len(shared) + 1]) == document


def test_iter_documents_order_and_paging(
    store: Store, run_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = other_documents(7)
    for document in documents:
        store.write_document(document, run_id=run_id)
    ids = [document.id for document in documents]
    assert [row["id"] for row in store.iter_documents()] == ids  # the order they were stored

    monkeypatch.setattr(store_base, "_BATCH", 2)  # several batches, so keyset paging is used
    assert [row["id"] for row in store.iter_documents()] == ids
    assert [row["id"] for row in store.iter_documents(limit=3)] == ids[:3]
    assert [row["id"] for row in store.iter_documents(limit=4, offset=2)] == ids[2:6]
    assert [row["id"] for row in store.iter_documents(offset=5)] == ids[5:]
    assert list(store.iter_documents(limit=0)) == []
    assert list(store.iter_documents(offset=50)) == []
    with pytest.raises(ValueError):
        store.iter_documents(limit=-1)

    summary = next(store.iter_documents())
    first = documents[0]
    assert summary["created_at"]
    del summary["created_at"]
    assert summary == {
        "id": first.id,
        "source": first.source,
        "source_id": None,
        "title": "Market shelled",
        "outlet": "Kharbova Daily",
        "published_date": "2024-03-05",
        "published_source": "text",
        "chars": len(first.text),
    }


# -- runs and skips -------------------------------------------------------------------------


def test_runs_and_skips(store: Store) -> None:
    settings = {"nlp": {"model": "en_core_web_sm", "batch_size": 64}, "store": {"url": "x.db"}}
    first = store.begin_run(version="0.1.0", settings=settings, inputs=["news/", Path("feeds")])
    second = store.begin_run(version="0.1.0", settings={}, inputs=[])
    assert second != first

    store.record_skip(Skip("news/empty.txt", "empty", "news/empty.txt has no text"), run_id=first)
    store.record_skip(
        Skip("feeds/a.jsonl", "malformed_record", "line 3 is not JSON", source_id="item-3", line=3),
        run_id=first,
    )
    store.record_skip(Skip("b.bin", "binary", "b.bin has NUL bytes"), run_id=second)

    store.finish_run(
        first,
        status="completed_with_skips",
        counts={"documents": 5, "skips": 2},
        timings={"clean": 0.5, "total": 1.25},
    )

    skips = store.skips(run_id=first)
    assert [(row["source"], row["reason"], row["source_id"], row["line"]) for row in skips] == [
        ("news/empty.txt", "empty", None, None),
        ("feeds/a.jsonl", "malformed_record", "item-3", 3),
    ]
    assert skips[1]["message"] == "line 3 is not JSON" and skips[1]["run_id"] == first
    assert [row["source"] for row in store.skips()] == ["news/empty.txt", "feeds/a.jsonl", "b.bin"]

    runs = store.runs()
    assert [run["id"] for run in runs] == [first, second]
    assert runs[0]["status"] == "completed_with_skips"
    assert runs[0]["settings"] == settings
    assert runs[0]["inputs"] == ["news/", "feeds"]
    assert runs[0]["counts"] == {"documents": 5, "skips": 2}
    assert runs[0]["timings"] == {"clean": 0.5, "total": 1.25}
    assert runs[0]["finished_at"] >= runs[0]["started_at"]
    assert runs[1]["status"] == "running"
    assert runs[1]["finished_at"] is None and runs[1]["counts"] is None


def test_finish_run_checks_its_arguments(store: Store, run_id: int) -> None:
    with pytest.raises(StoreError, match="completed_with_skips"):
        store.finish_run(run_id, status="done", counts={}, timings={})
    with pytest.raises(StoreError, match="no run 999"):
        store.finish_run(999, status="failed", counts={}, timings={})
    with pytest.raises(StoreError, match="JSON"):
        store.finish_run(run_id, status="failed", counts={"bad": object()}, timings={})


def test_closed_store_raises_store_error(store_url: str) -> None:
    with open_store(store_url) as store:
        pass
    store.close()  # twice is harmless
    with pytest.raises(StoreError):
        store.count_documents()


# -- opening --------------------------------------------------------------------------------


def test_sqlite_file_settings(tmp_path: Path) -> None:
    path = tmp_path / "sitreps.db"
    with open_store(f"sqlite:///{path}") as store:  # sqlite:/// + an absolute path
        assert store.url == f"sqlite:///{path}"
        pragma = store._connection.execute
        assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
        assert pragma("PRAGMA busy_timeout").fetchone()[0] > 0
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] >= 1


def test_sqlite_in_memory() -> None:
    with open_store("sqlite:///:memory:") as store:
        run_id = store.begin_run(version="0.1.0", settings={}, inputs=[])
        assert store.write_document(make_document(), run_id=run_id) is True


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("mysql://db.example/sitreps", "unsupported scheme 'mysql'"),
        ("sqlite://db.example/sitreps.db", "no file path"),
        ("sqlite:///", "no file path"),
        ("postgresql://db.example:port/sitreps", "malformed"),
        ("postgresql://u:hunter2@db.example/sitreps?schema=1-bad", "schema"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match=message) as raised:
        open_store(url)
    assert "hunter2" not in str(raised.value)


def test_unwritable_sqlite_paths(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="writable directory") as raised:
        open_store(str(blocker / "sitreps.db"))
    assert str(blocker / "sitreps.db") in str(raised.value)

    with pytest.raises(StoreError, match="is a directory"):
        open_store(str(tmp_path))

    with pytest.raises(StoreError, match="not a database") as raised:
        open_store(str(blocker))
    assert str(blocker) in str(raised.value)


def test_unreachable_postgres() -> None:
    pytest.importorskip("psycopg")
    url = "postgresql://sitreps:hunter2@127.0.0.1:1/sitreps"
    with pytest.raises(StoreError) as raised:
        open_store(url)
    message = str(raised.value)
    assert "postgresql://sitreps:***@127.0.0.1:1/sitreps" in message
    assert "hunter2" not in message
    assert "Check that the server is running" in message


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://u:hunter2@db.example:5432/x", "postgresql://u:***@db.example:5432/x"),
        (
            "postgresql://db.example/x?user=u&password=hunter2",
            "postgresql://db.example/x?user=u&password=***",
        ),
        ("postgresql://u@db.example/x?schema=s", "postgresql://u@db.example/x?schema=s"),
        ("sqlite:///sitreps.db", "sqlite:///sitreps.db"),
        ("data/sitreps.db", "data/sitreps.db"),
    ],
)
def test_mask_password(url: str, masked: str) -> None:
    assert mask_password(url) == masked


def test_missing_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # makes `import psycopg` fail
    with pytest.raises(MissingExtraError, match=r"pip install 'sitreps\[postgres\]'") as raised:
        open_store("postgresql://postgres@127.0.0.1:5432/test")
    assert raised.value.extra == "postgres"


def test_import_does_not_import_psycopg() -> None:
    src = Path(sitreps.store.__file__).resolve().parents[2]
    path = os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONPATH=path)
    code = "import sys, sitreps.store; assert 'psycopg' not in sys.modules, 'psycopg imported'"
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_events_are_not_written_with_an_unprocessed_document(tmp_path: Path) -> None:
    from sitreps.records import Document, Event

    document = Document(id="f" * 64, source="x.txt", text="Shells fell on the market.", original="Shells fell on the market.")
    with open_store(str(tmp_path / "s.db")) as store:
        run_id = store.begin_run(version="t", settings={}, inputs=[])
        with pytest.raises(StoreError, match="processed=True"):
            store.write_document(document, run_id=run_id, events=[Event("e1", document.id, "battles", "armed_clash")], processed=False)
        assert not store.has_document(document.id)
