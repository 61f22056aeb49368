"""`carteira privacy export|forget` and the global `--read-only` flag, through click's runner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.services import session
from carteira_tui.services.imports import import_file
from carteira_tui.store.db import connect

CLIENTS = "codigo;nome;cpf;email\nC1;Maria Souza;529.982.247-25;maria@example.com\n"
ORDERS = "pedido;cliente;data;valor\nP1;C1;01/02/2026;100,50\n"


@pytest.fixture
def seeded(db_path: Path, tmp_path: Path) -> Path:
    for kind, text in (("clients", CLIENTS), ("orders", ORDERS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        assert import_file(db_path, kind, path).written
    return db_path


def test_export_prints_the_person_as_json(seeded: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(seeded), "privacy", "export", "C1"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["cliente"]["name"] == "Maria Souza"
    assert document["pedidos"][0]["amount_cents"] == 10050


def test_export_writes_the_output_file(seeded: Path, tmp_path: Path) -> None:
    target = tmp_path / "maria.json"
    result = CliRunner().invoke(
        main, ["privacy", "export", "C1", "--output", str(target), "--db", str(seeded)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["cliente"]["external_id"] == "C1"


def test_forget_asks_for_confirmation_and_stops_on_no(seeded: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(seeded), "privacy", "forget", "C1"], input="n\n")
    assert result.exit_code == 1
    with connect(seeded) as db:
        assert db.execute("SELECT name FROM clients").fetchone() == ("Maria Souza",)


def test_forget_with_yes_anonymises_and_reports_kept_revenue(seeded: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(seeded), "privacy", "forget", "C1", "--yes"])
    assert result.exit_code == 0, result.output
    assert "C1 anonimizado: agora anon-1; 1 pedidos mantidos (R$ 100,50)" in result.output
    assert "cópia" not in result.output  # no full pre-erasure copy is kept


def test_unknown_client_is_a_message_not_a_traceback(seeded: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(seeded), "privacy", "export", "ZZ"])
    assert result.exit_code == 1
    assert "cliente não encontrado: ZZ" in result.output
    assert "Traceback" not in result.output


def test_read_only_flag_refuses_forget_and_resets_after_the_command(seeded: Path) -> None:
    result = CliRunner().invoke(
        main, ["--read-only", "--db", str(seeded), "privacy", "forget", "C1", "--yes"]
    )
    assert result.exit_code == 1
    assert "modo somente leitura: nada foi alterado" in result.output
    assert not session.is_read_only()


def test_read_only_refuses_a_write_in_any_command_with_the_message(
    seeded: Path, tmp_path: Path
) -> None:
    (tmp_path / "mais.csv").write_text("codigo;nome\nC2;Bia\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["--read-only", "--db", str(seeded), "client", "note", "C1", "ligar amanhã"],
    )
    assert result.exit_code == 1
    assert "modo somente leitura: nada foi alterado" in result.output
    assert "Traceback" not in result.output


def test_read_only_from_the_environment_in_a_real_process(seeded: Path, tmp_path: Path) -> None:
    (tmp_path / "mais.csv").write_text("codigo;nome\nC2;Bia\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "carteira_tui",
            "--db",
            str(seeded),
            "import",
            "clients",
            str(tmp_path / "mais.csv"),
        ],
        capture_output=True,
        text=True,
        env={
            "CARTEIRA_READ_ONLY": "1",
            "CARTEIRA_CONFIG": str(tmp_path / "none.toml"),
            "PATH": "/usr/bin:/bin",
        },
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "modo somente leitura: nada foi alterado" in done.stderr
    assert "Traceback" not in done.stderr
    with connect(seeded) as db:
        assert db.execute("SELECT count(*) FROM clients").fetchone() == (1,)


def test_help_has_an_example() -> None:
    for command in (["privacy", "export"], ["privacy", "forget"], ["privacy"]):
        result = CliRunner().invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert "Exemplo:" in result.output and "carteira privacy" in result.output
