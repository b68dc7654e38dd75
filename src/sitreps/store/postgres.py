"""The PostgreSQL backend, over psycopg 3 (the ``postgres`` extra), imported only when a
PostgreSQL store is opened."""

from __future__ import annotations

import re
from typing import Any, ContextManager, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import MissingExtraError, StoreError
from .base import Store, describe

CONNECT_TIMEOUT_S = 10
# Any constant works; every sitreps process migrating a database takes the same lock.
_MIGRATION_LOCK = 0x73697472
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class PostgresStore(Store):
    """A store in a PostgreSQL database (optionally in one schema of it)."""

    dialect = "postgres"

    @classmethod
    def connect(cls, url: str, *, masked: str) -> PostgresStore:
        """Connect to ``url`` (``postgresql://`` or ``postgres://``) and bring the schema up
        to date. A ``schema`` query parameter puts the tables in that schema, created if
        needed. ``masked`` is the URL without its password, for messages."""
        try:
            import psycopg
            from psycopg import sql
        except ImportError as error:
            raise MissingExtraError("psycopg", "postgres", "A PostgreSQL store") from error

        conninfo, schema = _split_schema(url, masked)
        options: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in dict(parse_qsl(urlsplit(conninfo).query)):
            options["connect_timeout"] = CONNECT_TIMEOUT_S
        try:
            connection = psycopg.connect(conninfo, **options)
        except psycopg.Error as error:
            raise StoreError(
                f"cannot connect to the PostgreSQL store {masked}: {describe(error)} "
                f"Check that the server is running and that the user, password, host, port "
                f"and database in the URL are right"
            ) from error
        try:
            if schema is not None:
                identifier = sql.Identifier(schema)
                connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(identifier))
                connection.execute(sql.SQL("SET search_path TO {}").format(identifier))
        except psycopg.Error as error:
            connection.close()
            raise StoreError(
                f"cannot use the schema {schema!r} of the PostgreSQL store {masked}: "
                f"{describe(error)} Create it, or grant the user CREATE on the "
                f"database"
            ) from error
        return cls._migrated(connection, url=masked, driver_errors=(psycopg.Error,))

    def _placeholders(self, sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def _transaction(self) -> ContextManager[Any]:
        return self._connection.transaction()

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        return int(self._execute(f"{sql} RETURNING id", params).fetchone()[0])

    def _event_date_sql(self, part: str) -> str | None:
        return f"(record::json #>> '{{date,{part}}}')" if part in ("start", "end") else None

    def _has_table(self, name: str) -> bool:
        return bool(self._scalar("SELECT to_regclass(?) IS NOT NULL", (name,)))

    def _lock_migrations(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))


def _split_schema(url: str, masked: str) -> tuple[str, str | None]:
    """The URL without its ``schema`` query parameter, and that parameter."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [value for key, value in query if key == "schema"]
    if not schemas:
        return url, None
    if len(schemas) > 1 or not _SCHEMA_NAME.match(schemas[0]):
        raise StoreError(
            f"the schema in the store URL {masked} is not usable: give one schema=NAME, "
            f"NAME being letters, digits and underscores (not starting with a digit)"
        )
    rest = urlencode([(key, value) for key, value in query if key != "schema"])
    return urlunsplit(parts._replace(query=rest)), schemas[0]
