"""Where sitreps keeps runs, documents, skips and events: SQLite or PostgreSQL behind one
interface, with the schema in numbered SQL migrations (``store/migrations/``).

>>> with open_store("sitreps.db") as store:  # doctest: +SKIP
...     run_id = store.begin_run(version="0.1.0", settings={}, inputs=["news/"])
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit, urlunsplit

from ..errors import StoreError
from .base import Store

__all__ = ["Store", "open_store"]

_EXAMPLES = "sitreps.db, sqlite:///sitreps.db or postgresql://USER@HOST:5432/DATABASE"


def open_store(url: str) -> Store:
    """Open the store at ``url`` and bring its schema up to date.

    ``url`` is one of:

    - a file path (``sitreps.db``, ``~/data/sitreps.db``): an SQLite file, created with its
      parent directories when missing;
    - ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or
      ``sqlite:///:memory:`` (the path is what follows ``sqlite:///``);
    - ``postgresql://USER:PASSWORD@HOST:PORT/DATABASE`` (or ``postgres://``), which needs
      the ``postgres`` extra. A ``schema=NAME`` query parameter keeps the tables in that
      schema, created if needed; other parameters go to libpq.

    Raises StoreError when the URL is malformed or the store cannot be opened or migrated,
    and MissingExtraError when a PostgreSQL URL is given without psycopg installed.
    """
    if not isinstance(url, str) or not url.strip():
        raise StoreError(f"the store URL is empty: give one such as {_EXAMPLES}")
    masked = mask_password(url)
    scheme, separator, rest = url.partition("://")
    if not separator:
        from .sqlite import SQLiteStore

        return SQLiteStore.connect(url, url=url)
    scheme = scheme.lower()
    if scheme == "sqlite":
        path = rest[1:] if rest.startswith("/") else ""
        if not path:
            raise StoreError(
                f"the SQLite URL {masked} has no file path: write sqlite:///relative/path.db, "
                f"sqlite:////absolute/path.db or sqlite:///:memory:"
            )
        from .sqlite import SQLiteStore

        return SQLiteStore.connect(path, url=masked)
    if scheme in ("postgresql", "postgres"):
        try:
            urlsplit(url).port
        except ValueError as error:
            raise StoreError(
                f"the PostgreSQL URL {masked} is malformed ({error}): write "
                f"postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
            ) from error
        from .postgres import PostgresStore

        return PostgresStore.connect(url, masked=masked)
    raise StoreError(
        f"the store URL {masked} has the unsupported scheme {scheme!r}: give one such as "
        f"{_EXAMPLES}"
    )


def mask_password(url: str) -> str:
    """``url`` with any password (in the user part or a ``password`` parameter) shown as
    ``***``, fit for messages and logs."""
    if "://" not in url:
        return url
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url.partition("://")[0] + "://***"
    netloc = parts.netloc
    if password is not None:
        userinfo, _, hostinfo = netloc.rpartition("@")
        netloc = f"{userinfo.partition(':')[0]}:***@{hostinfo}"
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(key == "password" for key, _ in pairs):
        query = "&".join(
            f"{key}={'***' if key == 'password' else value}" for key, value in pairs
        )
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit(parts._replace(netloc=netloc, query=query))
