"""The store's logic, written once for both backends.

SQL here uses ``?`` placeholders; a backend translates them to its driver's style. Each
public write runs in one explicit transaction. A store object has one writer: use it from one
thread at a time (the runner's writer thread).
"""

from __future__ import annotations

import json
import logging
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, ClassVar, Collection, ContextManager, Iterator, Sequence

from ..errors import StoreError
from ..records import Document, Event, Incident, Skip, document_from_dict, from_dict, to_dict

logger = logging.getLogger(__name__)

RUN_STATUSES = ("running", "completed", "completed_with_skips", "failed", "interrupted")
FINAL_STATUSES = RUN_STATUSES[1:]
MIN_PREFIX = 6
MIGRATIONS: Traversable = resources.files(__package__).joinpath("migrations")

_BATCH = 500
_MIGRATION_FILE = re.compile(r"^(\d{4})_(\w+)\.sql$")
_HEX = re.compile(r"^[0-9a-f]+$")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

_CREATE_SCHEMA_MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)"
)

# Columns of `documents` that are Document fields of the same name.
_DOCUMENT_FIELDS = tuple(
    "id source source_id url outlet title byline dateline wire language input_format encoding "
    "text original".split()
)
_DOCUMENT_COLUMNS = _DOCUMENT_FIELDS + tuple(
    "published_date published_source published_evidence lines segments meta_evidence "
    "first_run_id created_at".split()
)
_INSERT_DOCUMENT = (
    f"INSERT INTO documents ({', '.join(_DOCUMENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _DOCUMENT_COLUMNS)}) ON CONFLICT (id) DO NOTHING"
)
_SELECT_DOCUMENT = f"SELECT {', '.join(_DOCUMENT_COLUMNS)} FROM documents"
_SELECT_SUMMARY = (
    "SELECT id, source, source_id, title, outlet, published_date, published_source, "
    "LENGTH(text) AS chars, created_at FROM documents"
)
_RUN_JSON = ("settings", "inputs", "counts", "timings")


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered migration file, its statements already chosen for one backend."""

    version: int
    name: str
    statements: tuple[str, ...]


def load_migrations(dialect: str, directory: Traversable | None = None) -> list[Migration]:
    """The migrations in ``directory`` (the package's ``migrations/``), in version order.

    Files are named ``NNNN_name.sql``. Statements end with ``;`` at the end of a line. A line
    starting with ``-- sqlite:`` or ``-- postgres:`` belongs to that backend's SQL only (the
    text after the colon); other ``--`` lines are comments.
    """
    directory = MIGRATIONS if directory is None else directory
    migrations: dict[int, Migration] = {}
    for entry in directory.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _MIGRATION_FILE.match(entry.name)
        if match is None:
            raise StoreError(
                f"migration file {entry.name!r} is misnamed: name it NNNN_description.sql"
            )
        version = int(match.group(1))
        if version in migrations:
            raise StoreError(
                f"two migration files have the version {version:04d}: "
                f"{migrations[version].name} and {match.group(2)}; renumber one"
            )
        statements = _statements(entry.read_text(encoding="utf-8"), dialect)
        migrations[version] = Migration(version, match.group(2), statements)
    return [migrations[version] for version in sorted(migrations)]


def _statements(sql: str, dialect: str) -> tuple[str, ...]:
    kept: list[str] = []
    for line in sql.splitlines():
        stripped = line.strip()
        if stripped.startswith("--"):
            marker, colon, rest = stripped[2:].partition(":")
            if colon and marker.strip() == dialect:
                kept.append(rest)
            continue
        kept.append(line)
    statements: list[str] = []
    current: list[str] = []
    for line in kept:
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).strip().rstrip(";").strip())
            current = []
    statements.append("\n".join(current).strip())
    return tuple(statement for statement in statements if statement)


def _dumps(value: Any) -> str:
    return json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_fspath
    )


def _fspath(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"a value of type {type(value).__name__} cannot be stored as JSON")


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def describe(error: BaseException) -> str:
    """A driver's error as one sentence (its lines joined, ending in punctuation)."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if text[-1] in ".?!" else f"{text}."


class Store:
    """A sitreps store: runs, documents, where each was seen, skips and events.

    Get one with :func:`sitreps.store.open_store`, which picks the backend from the URL and
    brings the schema up to date. Use it as a context manager or call :meth:`close`. Every
    method raises :class:`~sitreps.errors.StoreError` when the database fails.
    """

    dialect: ClassVar[str]

    def __init__(self, connection: Any, *, url: str, driver_errors: tuple[type[Exception], ...]):
        self._connection = connection
        self._driver_errors = driver_errors
        self._last_time = ""
        #: The store's URL with any password masked, for messages.
        self.url = url

    @classmethod
    def _migrated(
        cls, connection: Any, *, url: str, driver_errors: tuple[type[Exception], ...]
    ) -> Store:
        """A store over an open connection, its schema brought up to date; the connection
        is closed when that fails."""
        store = cls(connection, url=url, driver_errors=driver_errors)
        try:
            store._migrate()
        except BaseException:
            connection.close()
            raise
        return store

    # -- backend hooks ------------------------------------------------------------------

    def _placeholders(self, sql: str) -> str:
        return sql

    def _transaction(self) -> ContextManager[Any]:
        raise NotImplementedError

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        raise NotImplementedError

    def _has_table(self, name: str) -> bool:
        raise NotImplementedError

    def _lock_migrations(self) -> None:
        """Keep two processes from migrating the same store at once."""

    def _event_date_sql(self, part: str) -> str | None:
        """SQL for ``part`` ("start" or "end") of an event's date in its stored record (NULL
        when the event has none), or None when the backend cannot read JSON in SQL."""
        return None

    # -- plumbing -----------------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._connection.execute(self._placeholders(sql), params)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self._execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._execute(sql, params).fetchone()
        return None if row is None else row[0]

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except self._driver_errors as error:
            raise StoreError(f"{what} in the store {self.url}: {describe(error)}") from error

    def _now(self) -> str:
        now = datetime.now(timezone.utc).strftime(_TIME_FORMAT)
        # Documents are listed by created_at, so the times one store object hands out must
        # keep the order of its writes even when two fall in the same clock tick.
        if now <= self._last_time:
            last = datetime.strptime(self._last_time, _TIME_FORMAT)
            now = (last + timedelta(microseconds=1)).strftime(_TIME_FORMAT)
        self._last_time = now
        return now

    # -- schema -------------------------------------------------------------------------

    def _migrate(self) -> None:
        migrations = load_migrations(self.dialect)
        with self._errors("cannot read the schema version"):
            applied = (
                {row["version"] for row in self.migrations()}
                if self._has_table("schema_migrations")
                else set()
            )
        known = max((migration.version for migration in migrations), default=0)
        if applied and max(applied) > known:
            raise StoreError(
                f"the store {self.url} has schema version {max(applied):04d}, newer than this "
                f"sitreps knows ({known:04d}): upgrade sitreps, or use another store"
            )
        for migration in migrations:
            if migration.version not in applied:
                self._apply(migration)

    def _apply(self, migration: Migration) -> None:
        label = f"{migration.version:04d}_{migration.name}"
        try:
            with self._transaction():
                self._lock_migrations()
                self._execute(_CREATE_SCHEMA_MIGRATIONS)
                if self._scalar(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
                ):
                    return  # another process applied it while we waited for the lock
                for statement in migration.statements:
                    self._connection.execute(statement)
                self._execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, self._now()),
                )
        except self._driver_errors as error:
            raise StoreError(
                f"cannot apply the migration {label} to the store {self.url}: "
                f"{describe(error)} Nothing of it was applied; fix the cause (permissions, "
                f"disk space, a table of the same name) and open the store again"
            ) from error
        logger.info("applied migration %s to %s", label, self.url)

    def migrations(self) -> list[dict[str, Any]]:
        """The migrations applied to this store: ``version``, ``name``, ``applied_at``."""
        with self._errors("cannot list the migrations"):
            return self._rows(
                "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
            )

    # -- runs ---------------------------------------------------------------------------

    def begin_run(self, *, version: str, settings: dict[str, Any], inputs: list[str]) -> int:
        """Record the start of a run and return its id (status ``running``)."""
        try:
            row = (self._now(), "running", version, _dumps(settings), _dumps(list(inputs)))
        except (TypeError, ValueError) as error:
            raise StoreError(
                f"cannot record the run's settings or inputs as JSON: {error}"
            ) from error
        with self._errors("cannot record the start of a run"), self._transaction():
            return self._insert_id(
                "INSERT INTO runs (started_at, status, version, settings, inputs) "
                "VALUES (?, ?, ?, ?, ?)",
                row,
            )

    def finish_run(
        self, run_id: int, *, status: str, counts: dict[str, Any], timings: dict[str, Any]
    ) -> None:
        """Record how run ``run_id`` ended: ``status`` is one of completed,
        completed_with_skips, failed or interrupted."""
        if status not in FINAL_STATUSES:
            raise StoreError(
                f"cannot finish run {run_id} with the status {status!r}: "
                f"use one of {', '.join(FINAL_STATUSES)}"
            )
        try:
            values = (self._now(), status, _dumps(counts), _dumps(timings), run_id)
        except (TypeError, ValueError) as error:
            raise StoreError(
                f"cannot record the counts or timings of run {run_id} as JSON: {error}"
            ) from error
        with self._errors(f"cannot record the end of run {run_id}"), self._transaction():
            updated = self._execute(
                "UPDATE runs SET finished_at = ?, status = ?, counts = ?, timings = ? "
                "WHERE id = ?",
                values,
            ).rowcount
        if updated == 0:
            raise StoreError(
                f"there is no run {run_id} in the store {self.url}: "
                f"finish the run id that begin_run returned"
            )

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first, with settings, inputs, counts and timings decoded."""
        with self._errors("cannot list the runs"):
            rows = self._rows(
                "SELECT id, started_at, finished_at, status, version, settings, inputs, "
                "counts, timings FROM runs ORDER BY id"
            )
        for row in rows:
            for name in _RUN_JSON:
                row[name] = _loads(row[name])
        return rows

    # -- documents ----------------------------------------------------------------------

    def has_document(self, document_id: str, *, processed: bool = False) -> bool:
        """Whether a document with exactly this id is stored; with ``processed``, whether it
        also went through the whole pipeline (not only ``sitreps ingest``)."""
        condition = " AND processed_run_id IS NOT NULL" if processed else ""
        with self._errors(f"cannot look up document {document_id}"):
            return (
                self._scalar(f"SELECT 1 FROM documents WHERE id = ?{condition}", (document_id,))
                is not None
            )

    def record_source(self, document: Document, *, run_id: int) -> None:
        """Record that an already stored document was seen again at ``document.source``
        (a copy in another file or outlet, or a rerun); idempotent."""
        with self._errors(f"cannot record a source of document {document.id}"), self._transaction():
            self._insert_source(document, run_id, self._now())

    def _insert_source(self, document: Document, run_id: int, now: str) -> None:
        self._execute(
            "INSERT INTO document_sources "
            "(document_id, source, source_id, url, outlet, run_id, seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (document_id, source, source_id) DO NOTHING",
            (
                document.id,
                document.source,
                document.source_id or "",
                document.url,
                document.outlet,
                run_id,
                now,
            ),
        )

    def write_document(
        self,
        document: Document,
        *,
        run_id: int,
        events: Sequence[Event] = (),
        processed: bool = True,
    ) -> bool:
        """Store a document, where it was seen, and its events, all in one transaction.

        The document is inserted when its id is new and left as it is otherwise; its source
        (``source``, ``source_id``) is added to :meth:`document_sources` unless already there.
        With ``processed`` (the whole pipeline ran), its stored events are replaced by
        ``events`` (an empty sequence removes them) and it is marked processed by this run;
        without, only the document and its source are written (``sitreps ingest``).
        Returns True when the document was new. On failure nothing is written and a
        StoreError naming the document is raised.
        """
        if events and not processed:
            raise StoreError(
                f"cannot store events of document {document.id} as unprocessed: events come "
                "from the whole pipeline, so write them with processed=True"
            )
        for event in events:
            if event.document_id != document.id:
                raise StoreError(
                    f"cannot store event {event.id} with document {document.id}: the event "
                    f"belongs to document {event.document_id}"
                )
        now = self._now()
        try:
            with self._transaction():
                inserted = self._execute(
                    _INSERT_DOCUMENT, _document_row(document, run_id, now)
                ).rowcount
                self._insert_source(document, run_id, now)
                if not processed:
                    return inserted == 1
                self._execute(
                    "UPDATE documents SET processed_run_id = ? WHERE id = ?", (run_id, document.id)
                )
                self._execute("DELETE FROM events WHERE document_id = ?", (document.id,))
                rows = [
                    (event.id, document.id, n, event.type, event.subtype, _dumps(to_dict(event)))
                    for n, event in enumerate(events)
                ]
                if rows:
                    self._connection.cursor().executemany(
                        self._placeholders(
                            "INSERT INTO events (id, document_id, ordinal, type, subtype, record) "
                            "VALUES (?, ?, ?, ?, ?, ?)"
                        ),
                        rows,
                    )
        except (*self._driver_errors, TypeError, ValueError) as error:
            raise StoreError(
                f"cannot write document {document.id} (from {document.source}) to the store "
                f"{self.url}: {describe(error)} Nothing of it was written."
            ) from error
        return inserted == 1

    def get_document(self, id_or_prefix: str) -> Document | None:
        """The document with this id, or with the one id starting with this prefix (at
        least 6 hex characters); None when there is none. An ambiguous prefix raises
        StoreError."""
        with self._errors(f"cannot read document {id_or_prefix}"):
            rows = self._rows(f"{_SELECT_DOCUMENT} WHERE id = ?", (id_or_prefix,))
            if not rows:
                prefix = id_or_prefix.strip().lower()
                if len(prefix) < MIN_PREFIX:
                    raise StoreError(
                        f"the document id prefix {id_or_prefix!r} is too short: "
                        f"give at least {MIN_PREFIX} hex characters of the id"
                    )
                if not _HEX.match(prefix):
                    return None
                # A range, not LIKE, so the primary key index serves it on both backends.
                bounds = (prefix, prefix + "g")
                rows = self._rows(
                    f"{_SELECT_DOCUMENT} WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", bounds
                )
                if len(rows) > 1:
                    count = self._scalar(
                        "SELECT COUNT(*) FROM documents WHERE id >= ? AND id < ?", bounds
                    )
                    raise StoreError(
                        f"the document id prefix {id_or_prefix!r} is ambiguous: it matches "
                        f"{count} documents; give more characters of the id"
                    )
        return _document_from_row(rows[0]) if rows else None

    def iter_documents(
        self, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[dict[str, Any]]:
        """Summaries of the stored documents in the order they were first stored: ``id``,
        ``source``, ``source_id``, ``title``, ``outlet``, ``published_date``,
        ``published_source``, ``chars`` (length of the clean text) and ``created_at``.

        Read in batches, so a large store is never loaded whole.
        """
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be None or at least 0, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must be at least 0, not {offset}")
        return self._summaries(limit, offset)

    def _summaries(self, limit: int | None, offset: int) -> Iterator[dict[str, Any]]:
        remaining = limit
        after: tuple[str, str] | None = None
        while remaining is None or remaining > 0:
            size = _BATCH if remaining is None else min(_BATCH, remaining)
            with self._errors("cannot list the documents"):
                if after is None:
                    rows = self._rows(
                        f"{_SELECT_SUMMARY} ORDER BY created_at, id LIMIT ? OFFSET ?",
                        (size, offset),
                    )
                else:
                    # Keyset paging: no cursor or transaction stays open between batches.
                    rows = self._rows(
                        f"{_SELECT_SUMMARY} WHERE created_at > ? OR (created_at = ? AND id > ?) "
                        "ORDER BY created_at, id LIMIT ?",
                        (after[0], after[0], after[1], size),
                    )
            yield from rows
            if len(rows) < size:
                return
            after = (rows[-1]["created_at"], rows[-1]["id"])
            if remaining is not None:
                remaining -= len(rows)

    def count_documents(self) -> int:
        """How many documents are stored."""
        with self._errors("cannot count the documents"):
            return int(self._scalar("SELECT COUNT(*) FROM documents"))

    def document_sources(self, document_id: str) -> list[dict[str, Any]]:
        """Every place a document was seen, first seen first: ``document_id``, ``source``,
        ``source_id``, ``url``, ``outlet``, ``run_id``, ``seen_at``."""
        with self._errors(f"cannot list the sources of document {document_id}"):
            rows = self._rows(
                "SELECT document_id, source, source_id, url, outlet, run_id, seen_at "
                "FROM document_sources WHERE document_id = ? "
                "ORDER BY seen_at, source, source_id",
                (document_id,),
            )
        for row in rows:
            row["source_id"] = row["source_id"] or None
        return rows

    # -- events and skips ---------------------------------------------------------------

    def events_for(self, document_id: str) -> list[dict[str, Any]]:
        """The events of a document, as :func:`sitreps.records.to_dict` gave them, in the
        order they were written."""
        with self._errors(f"cannot read the events of document {document_id}"):
            cursor = self._execute(
                "SELECT record FROM events WHERE document_id = ? ORDER BY ordinal",
                (document_id,),
            )
            return [json.loads(row[0]) for row in cursor.fetchall()]

    def record_skip(self, skip: Skip, *, run_id: int) -> None:
        """Record an input of run ``run_id`` that was not turned into a document."""
        with self._errors(f"cannot record the skip of {skip.source}"), self._transaction():
            self._execute(
                "INSERT INTO skips (run_id, source, source_id, line, reason, message, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    skip.source,
                    skip.source_id,
                    skip.line,
                    skip.reason,
                    skip.message,
                    self._now(),
                ),
            )

    def skips(self, *, run_id: int | None = None) -> list[dict[str, Any]]:
        """Recorded skips in the order they were recorded, of one run or of all: ``id``,
        ``run_id``, ``source``, ``source_id``, ``line``, ``reason``, ``message``,
        ``created_at``."""
        sql = "SELECT id, run_id, source, source_id, line, reason, message, created_at FROM skips"
        with self._errors("cannot list the skips"):
            if run_id is None:
                return self._rows(f"{sql} ORDER BY id")
            return self._rows(f"{sql} WHERE run_id = ? ORDER BY id", (run_id,))

    def iter_events(
        self,
        *,
        start: str | None = None,
        end: str | None = None,
        country: str | None = None,
        exclude: Collection[str] = (),
        near: tuple[str, str] | None = None,
    ) -> Iterator[Event]:
        """Every stored event as an Event record, by id, read in batches. ``start`` and
        ``end`` (ISO dates, inclusive) keep events whose date range meets that window
        (undated events are left out when either is given); ``country`` (ISO alpha-2) keeps
        events placed in that country; the ids in ``exclude`` are passed over unread.
        ``near`` (low, high: ISO dates, inclusive) keeps events whose date range meets that
        window and the undated ones, which may belong anywhere (what incident grouping
        reads); the database selects them, so the others are never read into Python."""
        after = ""
        where, window = "id > ?", ()
        first, last = self._event_date_sql("start"), self._event_date_sql("end")
        if near is not None and first is not None and last is not None:
            begin, finish = f"COALESCE({first}, {last})", f"COALESCE({last}, {first})"
            where += f" AND ({begin} IS NULL OR ({begin} <= ? AND {finish} >= ?))"
            window = (near[1], near[0])
        while True:
            with self._errors("cannot read the events"):
                rows = self._rows(
                    f"SELECT id, record FROM events WHERE {where} ORDER BY id LIMIT ?", (after, *window, _BATCH)
                )
            for row in rows:
                if row["id"] in exclude:
                    continue
                event = from_dict(Event, json.loads(row["record"]))
                if _event_in(event, start, end, country) and (near is None or _event_near(event, *near)):
                    yield event
            if len(rows) < _BATCH:
                return
            after = rows[-1]["id"]

    # -- incidents ----------------------------------------------------------------------

    def replace_incidents(
        self, incidents: Sequence[Incident], *, removed: Sequence[str] = ()
    ) -> None:
        """Write incidents in one transaction: the ids in ``removed`` are deleted, and each
        incident replaces the stored one of the same id and any stored incident that holds
        one of its events (an event belongs to one incident). Pass an
        :class:`~sitreps.cluster.IndexUpdate`'s ``incidents`` and ``removed``. On failure
        nothing is written."""
        try:
            rows = [
                (
                    incident.id,
                    incident.type,
                    incident.subtype,
                    incident.date.start if incident.date is not None else None,
                    incident.location.country if incident.location is not None else None,
                    _dumps(to_dict(incident)),
                )
                for incident in incidents
            ]
        except (TypeError, ValueError) as error:
            raise StoreError(f"cannot store the incidents as JSON: {error}") from error
        now = self._now()
        try:
            with self._transaction():
                stale = set(removed) | {incident.id for incident in incidents}
                for incident in incidents:
                    for event_id in incident.event_ids:
                        stale.update(
                            row["incident_id"]
                            for row in self._rows(
                                "SELECT incident_id FROM incident_events WHERE event_id = ?",
                                (event_id,),
                            )
                        )
                for incident_id in sorted(stale):
                    self._execute("DELETE FROM incident_events WHERE incident_id = ?", (incident_id,))
                    self._execute("DELETE FROM incidents WHERE id = ?", (incident_id,))
                cursor = self._connection.cursor()
                if rows:
                    cursor.executemany(
                        self._placeholders(
                            "INSERT INTO incidents "
                            "(id, type, subtype, date_start, country, record, updated_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)"
                        ),
                        [row + (now,) for row in rows],
                    )
                links = [
                    (incident.id, event_id) for incident in incidents for event_id in incident.event_ids
                ]
                if links:
                    cursor.executemany(
                        self._placeholders(
                            "INSERT INTO incident_events (incident_id, event_id) VALUES (?, ?)"
                        ),
                        links,
                    )
        except self._driver_errors as error:
            raise StoreError(
                f"cannot write {len(rows)} incident(s) to the store {self.url}: "
                f"{describe(error)} Nothing of them was written."
            ) from error

    def get_incident(self, incident_id: str) -> Incident | None:
        """The incident with this id, or None."""
        with self._errors(f"cannot read incident {incident_id}"):
            record = self._scalar("SELECT record FROM incidents WHERE id = ?", (incident_id,))
        return None if record is None else from_dict(Incident, json.loads(record))

    def incident_of_event(self, event_id: str) -> str | None:
        """The id of the incident holding an event, or None."""
        with self._errors(f"cannot look up the incident of event {event_id}"):
            return self._scalar(
                "SELECT incident_id FROM incident_events WHERE event_id = ?", (event_id,)
            )

    def iter_incidents(self) -> Iterator[Incident]:
        """Every stored incident, by id, read in batches."""
        after = ""
        while True:
            with self._errors("cannot read the incidents"):
                rows = self._rows(
                    "SELECT id, record FROM incidents WHERE id > ? ORDER BY id LIMIT ?",
                    (after, _BATCH),
                )
            for row in rows:
                yield from_dict(Incident, json.loads(row["record"]))
            if len(rows) < _BATCH:
                return
            after = rows[-1]["id"]

    def count_incidents(self) -> int:
        """How many incidents are stored."""
        with self._errors("cannot count the incidents"):
            return int(self._scalar("SELECT COUNT(*) FROM incidents"))

    # -- life cycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection. Closing twice is harmless."""
        with self._errors("cannot close the connection"):
            self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


def _document_row(document: Document, run_id: int, now: str) -> tuple[Any, ...]:
    published = document.published
    values = [getattr(document, name) for name in _DOCUMENT_FIELDS]
    values += [
        published.date,
        published.source,
        None if published.evidence is None else _dumps(to_dict(published.evidence)),
        _dumps(to_dict(document.lines)),
        _dumps(to_dict(document.segments)),
        _dumps(to_dict(document.meta_evidence)),
        run_id,
        now,
    ]
    return tuple(values)


def _document_from_row(row: dict[str, Any]) -> Document:
    data = {name: row[name] for name in _DOCUMENT_FIELDS}
    data["published"] = {
        "date": row["published_date"],
        "source": row["published_source"],
        "evidence": _loads(row["published_evidence"]),
    }
    for name in ("lines", "segments", "meta_evidence"):
        data[name] = json.loads(row[name])
    return document_from_dict(data)


def _event_near(event: Event, low: str, high: str) -> bool:
    first = event.date and (event.date.start or event.date.end)
    last = event.date and (event.date.end or event.date.start)
    return not first or not (first > high or last < low)


def _event_in(event: Event, start: str | None, end: str | None, country: str | None) -> bool:
    if country is not None:
        if event.location is None or (event.location.country or "").upper() != country.upper():
            return False
    if start is None and end is None:
        return True
    if event.date is None:
        return False
    first = event.date.start or event.date.end
    last = event.date.end or event.date.start
    if first is None or last is None:
        return False
    return (end is None or first <= end) and (start is None or last >= start)
