"""The SQLite backend: one file, WAL journal, foreign keys on (stdlib ``sqlite3``)."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..errors import StoreError
from .base import Store, describe

BUSY_TIMEOUT_MS = 30_000
# ON CONFLICT ... DO NOTHING (upsert) arrived in SQLite 3.24.
MIN_SQLITE = (3, 24, 0)


class SQLiteStore(Store):
    """A store in an SQLite file (or in memory for ``:memory:``)."""

    dialect = "sqlite"

    @classmethod
    def connect(cls, path: str, *, url: str) -> SQLiteStore:
        """Open (creating it and its parent directories if needed) the SQLite file at
        ``path`` and bring its schema up to date. ``url`` is what the user gave, for
        messages."""
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise StoreError(
                f"the store {url} needs SQLite {'.'.join(map(str, MIN_SQLITE))} or later, but "
                f"Python uses SQLite {sqlite3.sqlite_version}: use a newer Python build"
            )
        if path != ":memory:":
            target = Path(path).expanduser()
            if target.is_dir():
                raise StoreError(
                    f"the store {url} is a directory: give a file path such as "
                    f"{target / 'sitreps.db'}"
                )
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"cannot create the directory {target.parent} for the store {url}: "
                    f"{error.strerror or error}. Choose a path in a writable directory"
                ) from error
            path = str(target)
        try:
            # isolation_level=None: the sqlite3 module opens no transactions of its own; ours
            # are explicit. check_same_thread=False: the runner may open the store in one
            # thread and hand it to its writer thread.
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot open the SQLite store {url}: {describe(error)} "
                f"Check that the path is a writable file"
            ) from error
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA foreign_keys = ON")
            # Safe with WAL: a crash of the program loses nothing; a power cut may lose the
            # last transactions but never corrupts the file.
            connection.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as error:
            connection.close()
            raise StoreError(
                f"cannot open the SQLite store {url}: {describe(error)} Check that the file is a "
                f"sitreps store (an SQLite database) and that it is writable"
            ) from error
        return cls._migrated(connection, url=url, driver_errors=(sqlite3.Error,))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so a transaction never fails half-way
        # because another connection got the lock first.
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._connection.execute("COMMIT")
        except BaseException:
            # SQLite rolls back by itself after some errors (a full disk, for one).
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            raise

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        return int(self._execute(sql, params).lastrowid)

    def _event_date_sql(self, part: str) -> str | None:
        try:  # JSON functions are built into SQLite since 3.38, optional before
            self._connection.execute("SELECT json_extract('{}', '$.a')")
        except sqlite3.OperationalError:
            return None
        return f"json_extract(record, '$.date.{part}')" if part in ("start", "end") else None

    def _has_table(self, name: str) -> bool:
        return (
            self._scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
            is not None
        )
