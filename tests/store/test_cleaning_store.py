"""store.cleaning on real SQLite files: quality rows, stale candidates, merge log and undo."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlite_utils import Database

from carteira_tui.store import cleaning as store
from carteira_tui.store.db import connect, open_db

CLEANING_TABLES = {"client_issues", "client_quality", "merges", "archive_runs", "archive_log"}


@pytest.fixture
def db(db_path: Path) -> Any:
    database = open_db(db_path)
    with database.atomic():
        database.execute(
            "INSERT INTO clients(id, external_id, name, created_at) VALUES"
            " (1, 'C1', 'Ana', '2020-01-01T08:00:00'), (2, 'C2', 'Ana B', '2026-01-01T08:00:00'),"
            " (3, 'C3', 'Caio', '2019-01-01T08:00:00'), (4, '77', 'Dora', '2019-01-01T08:00:00')"
        )
    yield database
    database.close()


def rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in db.execute(sql).fetchall()]


def test_cleaning_migration_creates_its_tables_and_reopening_is_idempotent(db_path: Path) -> None:
    open_db(db_path).close()
    with connect(db_path) as db:
        assert CLEANING_TABLES <= set(db.table_names())
        versions = rows(db, "SELECT name FROM _sqlite_migrations WHERE name = 'm_cleaning'")
    assert len(versions) == 1


def test_write_quality_replaces_only_the_given_clients(db: Database) -> None:
    issues = pl.DataFrame(
        {"client_id": [1, 2], "field": ["phone", "cep"], "raw_value": ["9054", "1"]},
    ).with_columns(issue=pl.Series(["telefone_invalido", "cep_invalido"]))
    quality = pl.DataFrame({"client_id": [1, 2], "completeness": [80, 70], "generation": [0, 0]})
    with db.atomic():
        store.write_quality(db, issues, quality)
    fixed = issues.filter(pl.col("client_id") == 1).clear()
    with db.atomic():
        store.write_quality(
            db,
            fixed,
            pl.DataFrame({"client_id": [1], "completeness": [100], "generation": [3]}),
            client_ids=[1],
        )
    assert store.read_issues(db).select("client_id", "field", "issue").rows() == [
        (2, "cep", "cep_invalido")
    ]
    assert store.read_quality(db, 1) == (100, 3)
    assert store.read_quality(db, 2) == (70, 0)


def test_issues_and_quality_go_with_their_client(db: Database) -> None:
    with db.atomic():
        db.execute("INSERT INTO client_issues VALUES (3, 'phone', 'x', 'telefone_invalido')")
        db.execute(
            "INSERT INTO client_quality(client_id, completeness, generation) VALUES (3, 5, 0)"
        )
        db.execute("DELETE FROM clients WHERE id = 3")
    assert rows(db, "SELECT COUNT(*) FROM client_issues") == [(0,)]
    assert rows(db, "SELECT COUNT(*) FROM client_quality") == [(0,)]


def test_read_client_id_by_code_then_by_internal_id(db: Database) -> None:
    assert store.read_client_id(db, "C2") == 2
    assert store.read_client_id(db, "77") == 4  # a code wins over an id
    assert store.read_client_id(db, "3") == 3
    assert store.read_client_id(db, "C9") is None


def test_stale_candidates_count_from_last_interaction_purchase_or_registration(
    db: Database,
) -> None:
    with db.atomic():
        # 1: prospect registered 2020, contacted 2025-06-01 -> not stale before 2025-06-01
        db.execute("INSERT INTO interactions(client_id, at) VALUES (1, '2025-06-01T10:00:00')")
        # 3: former client, last purchase 2021-05-01, contacted 2022-01-01
        db.execute(
            "INSERT INTO client_aggregates VALUES (3, '2020-01-01', '2021-05-01', 2, 100, 2, 0)"
        )
        db.execute("INSERT INTO interactions(client_id, at) VALUES (3, '2022-01-01T09:00:00')")
        db.execute("UPDATE clients SET archived = 1 WHERE id = 4")
    stale = store.read_stale_candidates(
        db, prospect_before=date(2025, 6, 2), client_before=date(2022, 1, 2)
    )
    assert stale.select("client_id", "kind", "last_activity").rows() == [
        (1, "prospect", "2025-06-01"),
        (3, "ex_cliente", "2022-01-01"),
    ]
    none = store.read_stale_candidates(
        db, prospect_before=date(2025, 6, 1), client_before=date(2022, 1, 1)
    )
    assert none.is_empty()


def test_client_reference_columns_finds_tables_pointing_at_clients(db: Database) -> None:
    db.execute(
        "CREATE TABLE notes_log (id INTEGER PRIMARY KEY, who INTEGER REFERENCES clients(id))"
    )
    assert ("notes_log", "who") in store.client_reference_columns(db)
    assert all(t not in store.HANDLED_TABLES for t, _ in store.client_reference_columns(db))


def test_write_merge_moves_other_tables_rows_and_undo_puts_them_back(db: Database) -> None:
    db.execute(
        "CREATE TABLE notes_log (id INTEGER PRIMARY KEY, who INTEGER REFERENCES clients(id))"
    )
    with db.atomic():
        db.execute("INSERT INTO notes_log(id, who) VALUES (1, 2), (2, 3), (3, 1)")
    with db.atomic():
        written = store.write_merge(
            db,
            survivor_id=1,
            removed_ids=[2, 3],
            values={"name": "Ana Beatriz"},
            generation=9,
            who="teste",
            confidence="alta",
            today=date(2026, 11, 23),
        )
    assert rows(db, "SELECT id, who FROM notes_log ORDER BY id") == [(1, 1), (2, 1), (3, 1)]
    assert rows(db, "SELECT id, name, generation FROM clients ORDER BY id") == [
        (1, "Ana Beatriz", 9),
        (4, "Dora", 0),
    ]
    merge = store.read_merge(db, written.merge_id)
    assert merge is not None and merge.removed_ids == [2, 3]
    with db.atomic():
        store.write_merge_undo(db, merge)
    assert rows(db, "SELECT id, who FROM notes_log ORDER BY id") == [(1, 2), (2, 3), (3, 1)]
    assert rows(db, "SELECT id, name, generation FROM clients ORDER BY id") == [
        (1, "Ana", 0),
        (2, "Ana B", 0),
        (3, "Caio", 0),
        (4, "Dora", 0),
    ]
    assert store.read_merges(db)["undone_at"].is_not_null().all()


def test_a_failure_inside_the_merge_transaction_leaves_nothing(db: Database) -> None:
    before = rows(db, "SELECT * FROM clients ORDER BY id")
    with pytest.raises(RuntimeError), db.atomic():
        store.write_merge(
            db,
            survivor_id=1,
            removed_ids=[2],
            values={},
            generation=1,
            who="teste",
            confidence=None,
            today=date(2026, 11, 23),
        )
        raise RuntimeError("falha no meio")
    assert rows(db, "SELECT * FROM clients ORDER BY id") == before
    assert rows(db, "SELECT COUNT(*) FROM merges") == [(0,)]


def test_archive_run_logs_previous_columns_and_undo_restores_them(db: Database) -> None:
    stale = pl.DataFrame({"client_id": [3], "kind": ["prospect"], "last_activity": ["2019-01-01"]})
    before = rows(db, "SELECT * FROM clients WHERE id = 3")
    with db.atomic():
        run_id, stamp = store.write_archive_run(
            db, stale, as_of=date(2026, 11, 23), prospect_years=2, client_years=5,
            who="teste", generation=4,
        )  # fmt: skip
    assert rows(db, "SELECT archived, archived_at, generation FROM clients WHERE id = 3") == [
        (1, stamp, 4)
    ]
    run = store.read_archive_run(db, run_id)
    assert run is not None and run.clients == 1
    with db.atomic():
        assert store.write_archive_undo(db, run) == [3]
    assert rows(db, "SELECT * FROM clients WHERE id = 3") == before
