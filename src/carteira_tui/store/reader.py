"""`reading`: a light, query-only way into a database that is already up to date.

Commands that only read and must start fast (`carteira today`, the settings every command
loads) open the file with the standard library's `sqlite3` alone, without sqlite-utils or the
migrations: when the file exists and has applied every migration this code knows, a plain
query-only connection is all a read needs. Otherwise (a new file, one to migrate) `reading`
falls back to `store.db.connect`, which creates and migrates it as always.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from sqlite_utils import Database

Readable: TypeAlias = "Database | sqlite3.Connection"
"""What a read takes: a full connection (`store.db.open_db`) or a light one (`reading`)."""

BUSY_TIMEOUT_MS = 10_000
_MIGRATION = re.compile(r"^@migrations\(", re.MULTILINE)


@cache
def known_migrations() -> int:
    """How many migrations this code knows (counted in `migrations.py` without importing it,
    which would load sqlite-utils; a test checks it equals `store.db.latest_schema_version`)."""
    source = Path(__file__).with_name("migrations.py").read_text(encoding="utf-8")
    return len(_MIGRATION.findall(source))


def open_reader(path: Path | str) -> sqlite3.Connection | None:
    """A query-only `sqlite3` connection to `path` when the file exists and is migrated to this
    code's schema; None otherwise (the caller then opens it through `store.db`)."""
    path = Path(path)
    if str(path) == ":memory:" or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only = ON")
        applied = conn.execute(
            "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'carteira'"
        ).fetchone()
        if applied is not None and int(applied[0]) == known_migrations():
            return conn
    except sqlite3.Error:
        pass  # not a carteira file, or one never migrated: the full path says why
    conn.close()
    return None


@contextmanager
def reading(path: Path | str) -> Iterator[Readable]:
    """A connection for reads: the light one when the file is up to date, else `connect`'s."""
    conn = open_reader(path)
    if conn is None:
        from carteira_tui.store.db import connect

        with connect(path) as db:
            yield db
        return
    try:
        yield conn
    finally:
        conn.close()
