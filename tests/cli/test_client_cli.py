"""`carteira client show|log|note|set|follow-up` with CliRunner and one real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.store.db import connect


def seed(db_path: Path) -> None:
    """Owner Ana; client C001 with two orders (R$ 100,00 in sep, R$ 50,50 in oct 2026)."""
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana'), (2, 'Bruno')")
        db.execute(
            "INSERT INTO clients(id, external_id, name, owner_id, channel_pref)"
            " VALUES (1, 'C001', 'Alfa Comércio', 1, 'WhatsApp')"
        )
        db.execute(
            "INSERT INTO orders(external_id, client_id, date, amount_cents) VALUES"
            " ('P1', 1, '2026-09-10', 10000), ('P2', 1, '2026-10-05', 5050)"
        )


@pytest.fixture
def seeded(db_path: Path) -> Path:
    seed(db_path)
    return db_path


def run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db_path), *args])
    return result.exit_code, result.output


def test_show_prints_profile_orders_with_sparkline_and_money(seeded: Path) -> None:
    code, out = run(seeded, "client", "show", "C001", "--as-of", "20/11/2026")
    assert code == 0, out
    assert "Alfa Comércio (C001)" in out
    assert "Responsável            Ana" in out
    assert "2 pedidos · total R$ 150,50 · ticket médio R$ 75,25" in out
    assert "gasto mensal dez/2024 a nov/2026:" in out
    assert "10/09/2026" in out and "R$ 100,00" in out


def test_show_json_parses_and_has_the_monthly_window(seeded: Path) -> None:
    code, out = run(seeded, "client", "show", "#1", "--format", "json", "--as-of", "2026-11-20")
    assert code == 0, out
    card = json.loads(out)
    assert card["client_id"] == "C001"
    assert card["monetary_cents"] == 15_050
    assert len(card["monthly_spend"]) == 24
    assert {"month": "2026-10", "amount_cents": 5_050} in card["monthly_spend"]


def test_show_unknown_client_fails_with_a_message(seeded: Path) -> None:
    code, out = run(seeded, "client", "show", "C404")
    assert code == 1
    assert "cliente não encontrado: C404" in out


def test_log_records_an_interaction(seeded: Path) -> None:
    code, out = run(
        seeded, "client", "log", "C001", "--channel", "zap", "--kind", "Oferta",
        "--outcome", "Atendeu", "--note", "pediu proposta", "--at", "19/11/2026",
    )  # fmt: skip
    assert code == 0, out
    assert "contato registrado em 19/11/2026" in out
    with connect(seeded) as db:
        row = db.execute("SELECT at, channel, kind, outcome, note FROM interactions").fetchone()
    assert row == ("2026-11-19T00:00:00", "WhatsApp", "Oferta", "Atendeu", "pediu proposta")


def test_set_validates_and_reports_before_and_after(seeded: Path) -> None:
    code, out = run(seeded, "client", "set", "C001", "uf", "pe")
    assert (code, out.strip()) == (0, "UF: — → PE")
    code, out = run(seeded, "client", "set", "C001", "email", "sem-arroba")
    assert code == 1
    assert "e-mail inválido" in out
    with connect(seeded) as db:
        assert db.execute("SELECT uf, email FROM clients").fetchone() == ("PE", None)


def test_note_appends_to_the_client_notes(seeded: Path) -> None:
    code, out = run(seeded, "client", "note", "C001", "prefere ligação de manhã")
    assert (code, out.strip()) == (0, "observação adicionada")
    with connect(seeded) as db:
        notes = db.execute("SELECT notes FROM clients").fetchone()[0]
    assert notes.endswith(": prefere ligação de manhã")


def test_follow_up_creates_a_task_on_the_next_business_day(seeded: Path) -> None:
    code, out = run(seeded, "client", "follow-up", "C001", "amanhã", "--as-of", "20/11/2026")
    assert code == 0, out
    assert "retorno agendado para 23/11/2026" in out
    with connect(seeded) as db:
        assert db.execute("SELECT kind, due, owner_id FROM tasks").fetchone() == (
            "retorno",
            "2026-11-23",
            1,
        )


@pytest.mark.parametrize("command", ["show", "log", "note", "set", "follow-up"])
def test_every_client_command_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(main, ["client", command, "--help"])
    assert result.exit_code == 0
    assert "Exemplo:" in result.output
    assert "carteira client " in result.output


def test_show_runs_as_a_real_subprocess(seeded: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "carteira_tui", "--db", str(seeded), "client", "show", "C001"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Alfa Comércio (C001)" in done.stdout
