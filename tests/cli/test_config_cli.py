"""Shared settings in the database: `carteira config set|show|unset`, personal files that
cannot change what everybody sees, and runs after a settings change marked as such."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.config import Settings
from carteira_tui.services import settings as service
from carteira_tui.services import watch
from carteira_tui.services.segmentation import board
from carteira_tui.store.db import connect


def seed(db_path: Path) -> None:
    """c1 bought 60 days before 30/06 and c2 20 days before: both ativo at 90 days."""
    with connect(db_path) as db, db.atomic():
        db.execute(
            "INSERT INTO clients(id, external_id, name) VALUES (1, 'c1', 'A'), (2, 'c2', 'B')"
        )
        for client_id, day in ((1, "2026-05-01"), (2, "2026-06-10")):
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents) VALUES (?, ?, 1000)",
                [client_id, day],
            )
            db.execute(
                "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase,"
                " frequency, monetary_cents, purchase_days) VALUES (?, ?, ?, 1, 1000, 1)",
                [client_id, day, day],
            )


def cli(db_path: Path, *args: str, config: Path | None = None) -> tuple[int, str, str]:
    env = {"CARTEIRA_CONFIG": str(config)} if config else None
    result = CliRunner().invoke(main, ["--db", str(db_path), *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_config_set_changes_it_for_everybody_and_is_audited(db_path: Path) -> None:
    seed(db_path)
    code, out, _err = cli(db_path, "config", "set", "active_days", "45")
    assert code == 0 and "active_days = 45" in out
    assert service.effective_settings(db_path, Settings()).active_days == 45
    _code, shown, _err = cli(db_path, "config", "show", "--format", "json")
    rows = {r["chave"]: r for r in json.loads(shown)["configuracoes"]}
    assert rows["active_days"]["valor"] == "45" and rows["active_days"]["origem"].startswith(
        "banco"
    )
    assert rows["recent_days"]["origem"] == "padrão"
    with connect(db_path) as db:
        audit = db.execute("SELECT action, before, after FROM audit").fetchall()
    assert audit == [("alterar configuração", '{"active_days": "90"}', '{"active_days": "45"}')]
    code, out, _err = cli(db_path, "config", "unset", "active_days")
    assert code == 0 and service.effective_settings(db_path, Settings()).active_days == 90


def test_config_set_is_refused_read_only_and_for_bad_or_personal_keys(db_path: Path) -> None:
    seed(db_path)
    code, out, err = cli(db_path, "--read-only", "config", "set", "active_days", "45")
    assert code != 0 and "modo somente leitura: nada foi alterado" in out + err
    code, out, err = cli(db_path, "config", "set", "active_days", "500")
    assert code != 0 and "active_days < recent_days" in out + err
    code, out, err = cli(db_path, "config", "set", "read_only", "true")
    assert code != 0 and "preferência pessoal" in out + err
    with connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM shared_settings").fetchone() == (0,)


def test_two_people_with_different_personal_files_record_no_false_movements(
    db_path: Path, tmp_path: Path
) -> None:
    seed(db_path)
    mine, theirs = tmp_path / "mine.toml", tmp_path / "theirs.toml"
    mine.write_text("active_days = 30\nrecent_days = 400\n", encoding="utf-8")
    theirs.write_text("read_only = false\n", encoding="utf-8")
    code, _out, err = cli(db_path, "segment", "--as-of", "30/06/2026", config=mine)
    assert code == 0 and "carteira config set active_days" in err
    assert cli(db_path, "segment", "--as-of", "30/06/2026", config=theirs)[0] == 0
    moved = watch.movements(db_path, since=date(2026, 1, 1))
    assert moved.clients.height == 0 and moved.settings_moves == 0


def test_a_run_after_a_settings_change_is_marked_and_not_shown_as_behaviour(
    db_path: Path,
) -> None:
    seed(db_path)
    assert cli(db_path, "segment", "--as-of", "30/06/2026")[0] == 0
    assert cli(db_path, "config", "set", "active_days", "30")[0] == 0
    assert cli(db_path, "segment", "--as-of", "30/06/2026")[0] == 0
    moved = watch.movements(db_path)
    assert moved.clients.height == 0 and moved.settings_runs == 1 and moved.settings_moves == 1
    _code, out, _err = cli(db_path, "watch")
    assert "1 movimentos por mudança de configuração" in out
    assert board(db_path, settings=service.effective_settings(db_path)).settings_changed
    _code, out, _err = cli(db_path, "board", "--as-of", "30/06/2026")
    assert "movimentos por mudança de configuração" in out


def test_the_segmentos_overview_shows_no_movements_of_a_settings_change(db_path: Path) -> None:
    from carteira_tui.services.reports import segments_overview

    seed(db_path)
    assert cli(db_path, "segment", "--as-of", "30/06/2026")[0] == 0
    assert cli(db_path, "config", "set", "active_days", "30")[0] == 0
    assert cli(db_path, "segment", "--as-of", "30/06/2026")[0] == 0
    overview = segments_overview(db_path, settings=service.effective_settings(db_path))
    assert overview.movements == []
