"""`open_db`: the only way into the SQLite file, and the file-level helpers around it.

Every service opens its own connection through `open_db` (one per thread). The file is created
owner-only, runs in WAL mode with a busy timeout so several people on one server can share it,
and is migrated forward on open after a backup copy of the older file is taken.

Connections are `CarteiraConnection`s: a transaction opened by `db.atomic()` takes the write lock
at once (`BEGIN IMMEDIATE`, retried with back-off while another writer holds it), so two writers
never deadlock on a lock upgrade; a write refused by the read-only switch (`set_read_only`, which
opens every connection with `PRAGMA query_only`) or by a lock held too long becomes a `StoreError`
with a pt-BR message.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from carteira_tui.store.files import StoreError, replacing
from carteira_tui.store.migrations import migrations
from carteira_tui.store.stamps import generation, generation_stamp, incarnation, reset_generation
from carteira_tui.vocab import store as words

__all__ = [
    "StoreError",
    "generation",
    "generation_stamp",
    "incarnation",
    "reset_generation",
]

BUSY_TIMEOUT_MS = 10_000
WRITE_RETRY_DELAYS = (0.2, 0.5, 1.0)
"""Back-off between attempts to take the write lock, each after a full busy timeout (so a
write waits up to ~42 s for a long import before the person is told to retry)."""
READ_ONLY_MESSAGE = words.READ_ONLY
BUSY_MESSAGE = words.BUSY

_read_only = False


def set_read_only(on: bool) -> None:
    """Switch this process's read-only mode: connections opened afterwards refuse every write."""
    global _read_only
    _read_only = on


def is_read_only() -> bool:
    """Whether this process opens databases read-only."""
    return _read_only


def _translated(error: sqlite3.OperationalError) -> Exception:
    """A pt-BR `StoreError` for a refused write or a lock held too long; others unchanged."""
    text = str(error).lower()
    if "readonly" in text or "read-only" in text:
        return StoreError(READ_ONLY_MESSAGE)
    if "database is locked" in text or "database is busy" in text:
        return StoreError(BUSY_MESSAGE)
    return error


class CarteiraCursor(sqlite3.Cursor):
    """A cursor whose refused writes raise `StoreError` (see `CarteiraConnection`)."""

    def execute(self, sql: str, parameters: Any = (), /) -> CarteiraCursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.OperationalError as error:
            raise _translated(error) from error

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> CarteiraCursor:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.OperationalError as error:
            raise _translated(error) from error


class CarteiraConnection(sqlite3.Connection):
    """The connection `open_db` makes: immediate transactions with retries, pt-BR errors.

    sqlite-utils' `atomic()` starts its transaction with a bare `BEGIN`; here that becomes
    `BEGIN IMMEDIATE` (unless read-only), so the write lock is taken before the first read and a
    busy writer is waited for (busy timeout, then `WRITE_RETRY_DELAYS`) instead of failing later
    with "database is locked" when a read transaction tries to become a write.
    """

    read_only = False

    def cursor(self, factory: Any = None) -> CarteiraCursor:  # type: ignore[override]
        return super().cursor(factory or CarteiraCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> CarteiraCursor:
        if not self.read_only and sql.strip().upper() == "BEGIN":
            return self._begin_immediate()
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> CarteiraCursor:
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        try:
            return super().executescript(sql_script)
        except sqlite3.OperationalError as error:
            raise _translated(error) from error

    def _begin_immediate(self) -> CarteiraCursor:
        for delay in (*WRITE_RETRY_DELAYS, None):
            try:
                return super().cursor(CarteiraCursor).execute("BEGIN IMMEDIATE")
            except StoreError as error:
                if str(error) != BUSY_MESSAGE or delay is None:
                    raise
                time.sleep(delay)
        raise AssertionError("unreachable")


WAL_SWITCH_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode unless it is already.

    The switch needs the file to itself, and SQLite reports "locked" at once, without waiting
    out the busy timeout, while another connection holds it (people opening a new file at the
    same moment): the switch is retried with back-off, and often finds the other did it.
    """
    for delay in (*WAL_SWITCH_DELAYS, None):
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except StoreError as error:
            if delay is None or str(error) != BUSY_MESSAGE:
                raise
            time.sleep(delay)


def open_db(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at `path`, configured and migrated.

    In read-only mode (`set_read_only`) the file must exist and be migrated already, and the
    connection runs with `PRAGMA query_only = ON`.
    """
    path = Path(path)
    read_only = _read_only
    if str(path) != ":memory:":
        if read_only and not path.exists():
            raise StoreError(words.database_not_found(path, read_only=True))
        _create_owner_only(path)
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, factory=CarteiraConnection
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only:
            _use_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if read_only:
            conn.execute("PRAGMA query_only = ON")
            conn.read_only = True
    except sqlite3.DatabaseError as error:
        raise StoreError(words.not_a_database(path, error)) from error
    db = Database(conn)
    if migrate:
        if read_only and migrations.pending(db):
            db.close()
            raise StoreError(words.read_only_needs_migration(path))
        _migrate(db, path)
    return db


@contextmanager
def connect(path: Path | str) -> Iterator[Database]:
    """`open_db` as a context manager that closes the connection."""
    db = open_db(path)
    try:
        yield db
    finally:
        db.close()


def schema_version(db: Database) -> int:
    """How many migrations this file has applied (the database's own schema version)."""
    return len(migrations.applied(db))


def latest_schema_version() -> int:
    """The schema version this code writes."""
    return len(migrations._migrations)


def _create_owner_only(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def _migrate(db: Database, path: Path) -> None:
    pending = migrations.pending(db)
    if not pending:
        return
    if migrations.applied(db) and str(path) != ":memory:":
        backup_to(db, backup_path(path, f"v{schema_version(db)}"))
    # Under the write lock, so of several people opening the file at once only the first
    # migrates; the others wait, then find nothing pending.
    with db.atomic():
        if migrations.pending(db):
            migrations.apply(db)
            renew_incarnation(db)  # a cache built before the migration is not this file's
    db.execute(f"PRAGMA user_version = {schema_version(db)}")


def backup_path(path: Path, label: str) -> Path:
    """A timestamped sibling of `path` for a backup copy."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{label}.{stamp}.bak{path.suffix}")
    number = 1
    while candidate.exists():  # two copies in the same second: never one over the other
        number += 1
        candidate = path.with_name(f"{path.stem}.{label}.{stamp}-{number}.bak{path.suffix}")
    return candidate


def database_file(db: Database) -> Path | None:
    """The file a connection has open (None for an in-memory database)."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def backup_to(db: Database, target: Path, *, force: bool = False, checked: bool = False) -> Path:
    """Copy the live database to `target` with SQLite's online backup API.

    The copy is as private as the database and replaces `target` atomically. A path a person
    chose is `checked` (never the database itself, an existing file only with `force`); the
    product's own stamped copies beside the database are not.
    """
    source = database_file(db)
    if not checked:
        target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target, db_path=source, force=force, checked=checked) as temporary:
        dest = sqlite3.connect(str(temporary))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
    return target


def open_watcher(path: Path | str) -> Database:
    """A query-only connection to an existing file, usable from any thread, for `data_version`."""
    path = Path(path)
    if not path.exists():
        raise StoreError(words.database_not_found(path))
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            factory=CarteiraConnection,
        )
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as error:
        raise StoreError(words.not_a_database(path, error)) from error
    conn.read_only = True
    return Database(conn)


def data_version(db: Database) -> int:
    """SQLite's `PRAGMA data_version` of this connection: changes when another connection commits.

    Only comparable between calls on the same connection (a watcher keeps one open).
    """
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def bump_generation(db: Database) -> int:
    """Advance the data generation (call inside the write's transaction).

    Each generation gets a random stamp (`generation_stamp`): a file copied back over the
    database (a backup put in place by hand) reaches the same generation numbers again, never
    the same stamps, so a cache can tell its history from the file's.
    """
    db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    new = generation(db)
    db.execute(
        "INSERT OR REPLACE INTO generation_stamps(generation, stamp) VALUES (?, ?)",
        [new, secrets.token_hex(8)],
    )
    return new


def mark_reset(db: Database) -> int:
    """Bump the generation and record it as a reset point (call inside the transaction)."""
    new = bump_generation(db)
    db.execute("UPDATE meta SET value = ? WHERE key = 'reset_generation'", [str(new)])
    return new


def renew_incarnation(db: Database) -> str:
    """Give the file a new incarnation (call inside the write's transaction): every derived
    file built before it becomes foreign."""
    value = secrets.token_hex(16)
    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('incarnation', ?)", [value])
    return value
