"""Backup, restore and check on real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest

from carteira_tui.services import maintenance
from carteira_tui.services.maintenance import MaintenanceError
from carteira_tui.store.db import connect


def _seed(db_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO clients(id, external_id, name) VALUES (1, 'c1', 'Ana')")
        db.execute(
            "INSERT INTO orders(client_id, date, amount_cents) VALUES (1, '2026-01-02', 1000),"
            " (1, '2026-01-02', 500)"
        )
        db.execute(
            "INSERT INTO client_aggregates VALUES (1, '2026-01-02', '2026-01-02', 2, 1500, 1, 1)"
        )


def test_backup_then_restore_brings_back_the_old_rows(db_path: Path, tmp_path: Path) -> None:
    _seed(db_path)
    copy = maintenance.backup(db_path, tmp_path / "copia.db").path
    with connect(db_path) as db, db.atomic():
        db.execute("UPDATE clients SET name = 'Outra' WHERE id = 1")
    maintenance.restore(db_path, copy)
    with connect(db_path) as db:
        assert db.execute("SELECT name FROM clients").fetchall() == [("Ana",)]
    assert list(tmp_path.glob("carteira.antes-de-restaurar.*.bak.db"))


def test_restore_refuses_a_file_that_is_not_a_database(db_path: Path, tmp_path: Path) -> None:
    _seed(db_path)
    junk = tmp_path / "lixo.db"
    junk.write_bytes(b"isto nao e um banco" * 100)
    with pytest.raises(MaintenanceError, match="nada foi restaurado"):
        maintenance.restore(db_path, junk)
    with connect(db_path) as db:
        assert db.execute("SELECT name FROM clients").fetchall() == [("Ana",)]


def test_check_passes_on_consistent_data(db_path: Path) -> None:
    _seed(db_path)
    report = maintenance.check(db_path)
    assert report.ok, report


def test_check_finds_aggregates_that_disagree_with_orders(db_path: Path) -> None:
    _seed(db_path)
    with connect(db_path) as db, db.atomic():
        db.execute("UPDATE client_aggregates SET monetary_cents = 1 WHERE client_id = 1")
    report = maintenance.check(db_path)
    assert report.violations == {"agregados que não batem com os pedidos": 2}


def test_check_finds_orders_without_a_client(db_path: Path) -> None:
    _seed(db_path)
    with connect(db_path) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        with db.atomic():
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents) VALUES (9, '2026-01-01', 1)"
            )
    report = maintenance.check(db_path)
    assert report.violations["pedidos sem cliente"] == 1


def test_restore_is_refused_in_read_only_mode(db_path: Path, tmp_path: Path) -> None:
    from carteira_tui.services import session

    _seed(db_path)
    copy = maintenance.backup(db_path, tmp_path / "copia.db").path
    session.set_read_only(True)
    try:
        with pytest.raises(MaintenanceError, match="somente leitura"):
            maintenance.restore(db_path, copy)
    finally:
        session.set_read_only(False)
