"""SQLite connections the project's way: one place for pragmas, read-only opens, transactions.

Used by the review store (decisions and audit trail), the counterparty store of ``rescreen``
and anything else that keeps state in SQLite. Connections are in autocommit mode
(``isolation_level=None``) so that every transaction is explicit: :func:`transaction` opens
one, joins an enclosing one, and rolls back on any exception. :func:`connect_readonly` is for
checks, which must never change what they check: it never creates the file, never runs a
schema statement and never changes the journal mode.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from compliance.errors import IntegrityError, NotFoundError

BUSY_TIMEOUT_S = 30.0
"""How long a connection waits for another writer's lock before failing."""

Synchronous = Literal["FULL", "NORMAL"]


class StoreNotFoundError(NotFoundError):
    """A database that a read-only check was asked to open does not exist."""


class StoreUnreadableError(IntegrityError):
    """A file where a database should be is not a readable SQLite database: damaged, or
    replaced by something else. For an audit trail that is itself a finding."""


@contextmanager
def readable(path: Path | str) -> Iterator[None]:
    """Turn SQLite's "file is not a database" / "database disk image is malformed" into
    :class:`StoreUnreadableError` naming the file; busy and locked errors pass through."""
    try:
        yield
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:
        raise StoreUnreadableError(
            f"{path}: not a SQLite database, or a damaged one ({exc}): replaced or damaged"
        ) from None


def _probe(db: sqlite3.Connection, path: Path | str) -> sqlite3.Connection:
    """Read the schema once, so a file that is not a database fails here, by name."""
    try:
        with readable(path):
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        db.close()
        raise
    return db


def connect(path: Path | str, *, synchronous: Synchronous = "FULL") -> sqlite3.Connection:
    """Open (creating if needed) a database in WAL mode with the project's pragmas.

    ``synchronous=FULL`` (the default) for records that were reported written and must survive
    a crash (audit trail, decisions); ``NORMAL`` for stores that can be rebuilt.
    """
    name = str(path)
    if name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    db = _probe(sqlite3.connect(name, isolation_level=None, timeout=BUSY_TIMEOUT_S), name)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("PRAGMA temp_store=MEMORY")
    return db


def connect_readonly(path: Path | str) -> sqlite3.Connection:
    """Open an existing database read-only (SQLite URI ``mode=ro``); never creates it.

    Raises :class:`StoreNotFoundError` when the file does not exist. Any write through the
    connection fails with ``sqlite3.OperationalError``. (For a WAL database SQLite may create
    the ``-wal``/``-shm`` side files it needs for locking; the database file is not written.)
    """
    resolved = Path(path).resolve()
    if not resolved.is_file():
        raise StoreNotFoundError(f"{path}: no such database")
    uri = f"{resolved.as_uri()}?mode=ro"
    return _probe(
        sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S), path
    )


@contextmanager
def transaction(db: sqlite3.Connection, *, immediate: bool = False) -> Iterator[sqlite3.Connection]:
    """``BEGIN`` (``BEGIN IMMEDIATE`` with ``immediate``) ... ``COMMIT``, or ``ROLLBACK`` on error.

    ``immediate`` takes the write lock at once, so two writers cannot both read the same
    "last record" and fork a chain. Inside an open transaction the block joins it and the
    outer one commits.
    """
    if db.in_transaction:
        yield db
        return
    db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


__all__ = [
    "BUSY_TIMEOUT_S",
    "StoreNotFoundError",
    "StoreUnreadableError",
    "connect",
    "connect_readonly",
    "readable",
    "transaction",
]
