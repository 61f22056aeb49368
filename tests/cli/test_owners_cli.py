"""`carteira owners|assign|pin|unpin` through click's runner and one real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.cli.owners import parse_idle
from carteira_tui.store.db import connect

AS_OF = "17/04/2026"


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    """Three unowned clients with no orders; no owner yet."""
    with connect(db_path) as db, db.atomic():
        db.execute(
            "INSERT INTO clients(id, external_id, name) VALUES"
            " (1, 'c1', 'Alfa'), (2, 'c2', 'Beta'), (3, 'c3', 'Gama')"
        )
    return db_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "command",
    [
        ["owners"],
        ["owners", "list"],
        ["owners", "add"],
        ["owners", "set"],
        ["assign"],
        ["pin"],
        ["unpin"],
    ],
)
def test_every_command_help_has_an_example(command: list[str]) -> None:
    code, out = run(*command, "--help")
    assert code == 0
    assert "Exemplo:" in out and "carteira " in out.split("Exemplo:")[1]


def test_idle_accepts_days_weeks_and_months() -> None:
    assert [parse_idle(t) for t in ("60d", "60", "8s", "2w", "2m", "3 dias")] == [
        60,
        60,
        56,
        14,
        60,
        3,
    ]


def test_owners_add_list_set_and_assign_dry_run_then_for_real(portfolio: Path) -> None:
    db = str(portfolio)
    code, out = run("assign", "--db", db)
    assert code == 1 and "owners add" in out
    assert run("owners", "add", "Ana", "--capacity", "20", "--db", db)[0] == 0
    code, out = run("owners", "add", "Bruno", "--capacity", "10", "--pool", "Prospects", "--db", db)
    assert code == 0, out
    code, out = run("owners", "add", "ana", "--db", db)
    assert code == 1 and "já existe" in out
    code, out = run("assign", "--dry-run", "--as-of", AS_OF, "--db", db)
    assert code == 0, out
    assert "3 clientes seriam movidos em 17/04/2026" in out
    assert "simulação: nada foi gravado" in out
    code, out = run("assign", "--as-of", AS_OF, "--format", "json", "--db", db)
    assert code == 0, out
    done = json.loads(out)
    assert done["movidos"] == 3 and done["por_motivo"] == {"sem_responsavel": 3}
    assert {c["para"] for c in done["mudancas"]} <= {"Ana", "Bruno"}
    code, out = run("owners", "list", "--format", "json", "--db", db)
    listed = {o["responsavel"]: o for o in json.loads(out)}
    assert listed["Ana"]["clientes"] + listed["Bruno"]["clientes"] == 3
    assert listed["Bruno"]["segmentos"] == ["Prospects"]
    code, out = run("owners", "set", "Bruno", "--inactive", "--no-pool", "--db", db)
    assert code == 0 and "inativo" in out
    code, out = run("assign", "--as-of", AS_OF, "--db", db)
    assert code == 0, out
    code, out = run("owners", "list", "--db", db)
    assert "Bruno" in out and "não" in out


def test_pin_unpin_and_rotate_with_idle(portfolio: Path) -> None:
    db = str(portfolio)
    run("owners", "add", "Ana", "--db", db)
    run("assign", "--as-of", AS_OF, "--db", db)
    run("owners", "add", "Bruno", "--db", db)
    code, out = run("pin", "c1", "--db", db)
    assert code == 0 and "c1 fixado em Ana" in out
    code, out = run("pin", "zz", "--db", db)
    assert code == 1 and "cliente não encontrado" in out
    code, out = run("assign", "--idle", "30d", "--db", db)
    assert code == 2 and "--idle só vale com --rotate" in out
    code, out = run("assign", "--rotate", "--idle", "60d", "--as-of", "16/06/2026", "--db", db)
    assert code == 0, out
    assert "2 clientes movidos" in out and "giro de carteira: 2" in out
    code, out = run("unpin", "c1", "--db", db)
    assert code == 0 and "liberado" in out


def test_assign_runs_as_a_real_subprocess(portfolio: Path) -> None:
    run("owners", "add", "Ana", "--db", str(portfolio))
    completed = subprocess.run(
        [sys.executable, "-m", "carteira_tui", "--db", str(portfolio), "assign", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "cliente;nome;de;para;motivo"
    assert lines[1:] == [
        "c1;Alfa;;Ana;sem_responsavel",
        "c2;Beta;;Ana;sem_responsavel",
        "c3;Gama;;Ana;sem_responsavel",
    ]
