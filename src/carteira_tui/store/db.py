"""`open_db`: the only way into the SQLite file, and the file-level helpers around it.

Every service opens its own connection through `open_db` (one per thread). The file is created
owner-only, runs in WAL mode with a busy timeout so several people on one server can share it,
and is migrated forward on open after a backup copy of the older file is taken.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from carteira_tui.store.migrations import migrations

BUSY_TIMEOUT_MS = 10_000


class StoreError(RuntimeError):
    """A database that cannot be opened or used, with a message for people."""


def open_db(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at `path`, configured and migrated."""
    path = Path(path)
    if str(path) != ":memory:":
        _create_owner_only(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: não é um banco do carteira ({error})") from error
    db = Database(conn)
    if migrate:
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
    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {schema_version(db)}")


def backup_path(path: Path, label: str) -> Path:
    """A timestamped sibling of `path` for a backup copy."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.{label}.{stamp}.bak{path.suffix}")


def backup_to(db: Database, target: Path) -> Path:
    """Copy the live database to `target` with SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _create_owner_only(target)
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def generation(db: Database) -> int:
    """The data generation: bumped by every write that can change derived results."""
    row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


def bump_generation(db: Database) -> int:
    """Advance the data generation (call inside the write's transaction)."""
    db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    return generation(db)


def reset_generation(db: Database) -> int:
    """The generation of the last write that removed or re-keyed rows (merge, forget, delete).

    Caches built before it cannot be patched incrementally and must be rebuilt whole.
    """
    row = db.execute("SELECT value FROM meta WHERE key = 'reset_generation'").fetchone()
    return int(row[0]) if row else 0


def mark_reset(db: Database) -> int:
    """Bump the generation and record it as a reset point (call inside the transaction)."""
    new = bump_generation(db)
    db.execute("UPDATE meta SET value = ? WHERE key = 'reset_generation'", [str(new)])
    return new
