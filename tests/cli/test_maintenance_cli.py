"""`carteira backup|restore|check` through click's runner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.store.db import connect


def test_backup_check_and_restore_round_trip(db_path: Path, tmp_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO clients(external_id, name) VALUES ('c1', 'Ana')")
    runner = CliRunner()
    copy = tmp_path / "copia.db"
    result = runner.invoke(main, ["--db", str(db_path), "backup", str(copy)])
    assert result.exit_code == 0, result.output
    assert "cópia salva em" in result.output

    result = runner.invoke(main, ["check", "--db", str(db_path)])
    assert result.exit_code == 0
    assert "banco íntegro" in result.output

    with connect(db_path) as db, db.atomic():
        db.execute("DELETE FROM clients")
    result = runner.invoke(main, ["restore", str(copy), "--yes", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    with connect(db_path) as db:
        assert db.execute("SELECT name FROM clients").fetchall() == [("Ana",)]


def test_check_on_a_missing_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--db", str(tmp_path / "nada.db")])
    assert result.exit_code == 1
    assert "banco não encontrado" in result.output
    assert "Traceback" not in result.output
