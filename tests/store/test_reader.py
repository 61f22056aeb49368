"""`store.reader`: the light query-only connection for fast reads, and its fallback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from carteira_tui.store.db import connect, latest_schema_version
from carteira_tui.store.reader import known_migrations, open_reader, reading


def test_the_migrations_counted_without_importing_them_are_those_the_code_applies() -> None:
    assert known_migrations() == latest_schema_version()


def test_an_up_to_date_file_opens_light_and_read_only(db_path: Path) -> None:
    with connect(db_path):
        pass
    conn = open_reader(db_path)
    assert isinstance(conn, sqlite3.Connection)
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("INSERT INTO owners(name) VALUES ('Ana')")
    conn.close()


def test_a_file_behind_the_code_is_migrated_by_the_full_path(db_path: Path) -> None:
    with connect(db_path) as db:
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'hojespeed_interactions_at'")
        db.execute("DROP INDEX interactions_at")
        db.conn.commit()
    assert open_reader(db_path) is None
    with reading(db_path) as db:  # falls back to connect, which migrates
        assert db.execute("SELECT count(*) FROM owners").fetchone() is not None
    assert open_reader(db_path) is not None


def test_a_missing_or_foreign_file_is_not_opened_light(tmp_path: Path) -> None:
    assert open_reader(tmp_path / "nada.db") is None
    foreign = tmp_path / "outro.db"
    sqlite3.connect(foreign).execute("CREATE TABLE x(y)").connection.close()
    assert open_reader(foreign) is None


def test_the_frame_of_open_tasks_has_the_rows_columns_in_their_order() -> None:
    from carteira_tui.store.open_tasks import OPEN_TASK_COLUMNS
    from carteira_tui.store.tasks import OPEN_TASK_SCHEMA

    assert tuple(OPEN_TASK_SCHEMA) == OPEN_TASK_COLUMNS
