"""open_db: configuration, permissions, schema version and forward migration."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from carteira_tui.store import db as store_db
from carteira_tui.store.db import (
    bump_generation,
    generation,
    latest_schema_version,
    open_db,
    schema_version,
)


def test_a_new_file_is_owner_only_in_wal_mode(db_path: Path) -> None:
    db = open_db(db_path)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == store_db.BUSY_TIMEOUT_MS
    db.close()


def test_a_new_file_is_at_the_latest_schema_version(db_path: Path) -> None:
    db = open_db(db_path)
    assert schema_version(db) == latest_schema_version()
    assert db.execute("PRAGMA user_version").fetchone()[0] == latest_schema_version()
    db.close()


def test_opening_twice_applies_nothing_more(db_path: Path) -> None:
    open_db(db_path).close()
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM _sqlite_migrations").fetchone()
    open_db(db_path).close()
    after = sqlite3.connect(db_path).execute("SELECT count(*) FROM _sqlite_migrations").fetchone()
    assert before == after


def test_an_older_file_is_backed_up_then_migrated(db_path: Path) -> None:
    first = store_db.migrations._migrations[0].name
    db = open_db(db_path, migrate=False)
    store_db.migrations.apply(db, stop_before=[m.name for m in store_db.migrations._migrations[1:]])
    db.execute("INSERT INTO clients(external_id, name) VALUES ('c1', 'Ana')")
    db.conn.commit()
    assert [m.name for m in store_db.migrations.applied(db)] == [first]
    db.close()

    db = open_db(db_path)
    assert schema_version(db) == latest_schema_version()
    assert db.execute("SELECT name FROM clients").fetchall() == [("Ana",)]
    db.close()
    if latest_schema_version() > 1:
        backups = list(db_path.parent.glob("carteira.v1.*.bak.db"))
        assert len(backups) == 1
        copy = sqlite3.connect(backups[0])
        assert copy.execute("SELECT count(*) FROM _sqlite_migrations").fetchone() == (1,)


def test_generation_advances_only_when_bumped(db_path: Path) -> None:
    db = open_db(db_path)
    start = generation(db)
    with db.atomic():
        bump_generation(db)
    assert generation(db) == start + 1
    db.close()
