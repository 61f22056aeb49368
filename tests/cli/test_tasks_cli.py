"""`carteira tasks …` through click's runner and one real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.config import Settings
from carteira_tui.services.segmentation import resegment
from carteira_tui.store.db import connect

AS_OF = "17/04/2026"


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    """Ana owns an A client late for repurchase, Bruno a delinquent one; segmented on 17/04."""
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana'), (2, 'Bruno')")
        db.execute(
            "INSERT INTO clients(id, external_id, name, owner_id, delinquent, consent_whatsapp)"
            " VALUES (1, 'c1', 'Alfa', 1, 0, 1), (2, 'c2', 'Beta', 2, 1, 1),"
            " (3, 'c3', 'Gama', 1, 0, 1)"
        )
        for day in ("2026-01-05", "2026-02-05", "2026-03-05"):
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents) VALUES (1, ?, 100000)", [day]
            )
        db.execute(
            "INSERT INTO orders(client_id, date, amount_cents) VALUES (2, '2026-03-01', 500)"
        )
    resegment(db_path, as_of=date(2026, 4, 17), settings=Settings())
    return db_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_generate_then_list_in_urgency_order_as_json(portfolio: Path) -> None:
    db = str(portfolio)
    code, out = run("tasks", "generate", "--as-of", AS_OF, "--dry-run", "--db", db)
    assert code == 0, out
    assert "seriam criadas" in out
    code, out = run("tasks", "generate", "--as-of", AS_OF, "--db", db)
    assert code == 0, out
    assert "tarefas criadas em 17/04/2026" in out
    code, again = run("tasks", "generate", "--as-of", AS_OF, "--db", db)
    assert "0 tarefas criadas" in again
    code, out = run("tasks", "list", "--format", "json", "--as-of", AS_OF, "--db", db)
    assert code == 0, out
    queue = json.loads(out)
    assert [row["urgencia"] for row in queue] == sorted(
        (row["urgencia"] for row in queue), reverse=True
    )
    by_client = {(row["cliente"], row["tipo"]) for row in queue}
    assert ("c2", "cobranca") in by_client
    assert not any(c == "c2" and kind != "cobranca" for c, kind in by_client)
    assert ("c1", "recompra") in by_client
    assert all(row["responsavel"] == "Ana" for row in queue if row["cliente"] != "c2")


def _first_id(db: str, *filters: str) -> int:
    code, out = run("tasks", "list", "--format", "json", "--as-of", AS_OF, "--db", db, *filters)
    assert code == 0, out
    return int(json.loads(out)[0]["id"])


def test_done_snooze_reassign_cancel_add_and_explain(portfolio: Path) -> None:
    db = str(portfolio)
    run("tasks", "generate", "--as-of", AS_OF, "--db", db)
    task_id = _first_id(db, "--owner", "Ana")
    code, out = run("tasks", "explain", str(task_id), "--as-of", AS_OF, "--db", db)
    assert code == 0, out
    assert "vencimento" in out and "total" in out
    code, out = run("tasks", "snooze", str(task_id), "seg", "--as-of", AS_OF, "--db", db)
    assert code == 0, out
    assert "vence 20/04/2026" in out
    code, out = run("tasks", "reassign", str(task_id), "Bruno", "--db", db)
    assert "responsável Bruno" in out
    code, out = run(
        "tasks",
        "done",
        str(task_id),
        "--outcome",
        "pedido fechado",
        "--follow-up",
        "+4d",
        "--as-of",
        AS_OF,
        "--db",
        db,
    )
    assert code == 0, out
    assert "contato registrado" in out and "retorno criado" in out
    with connect(portfolio) as conn:
        assert conn.execute("SELECT outcome FROM interactions").fetchall() == [("pedido fechado",)]
    code, out = run("tasks", "done", str(task_id), "--outcome", "x", "--db", db)
    assert code == 1 and "já está concluída" in out
    code, out = run(
        "tasks", "add", "c3", "Levar catálogo", "--due", "21/04/2026", "--as-of", AS_OF, "--db", db
    )
    assert code == 0, out
    assert "vence 22/04/2026" in out  # Tiradentes
    new_id = int(out.split()[1])
    code, out = run("tasks", "cancel", str(new_id), "--db", db)
    assert "cancelada" in out


def test_bad_when_and_unknown_task_are_messages(portfolio: Path) -> None:
    db = str(portfolio)
    code, out = run("tasks", "snooze", "1", "ontem?", "--db", db)
    assert code == 2 and "data não reconhecida" in out
    code, out = run("tasks", "explain", "999", "--db", db)
    assert code == 1 and "tarefa 999 não encontrada" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    "command", ["generate", "list", "explain", "done", "snooze", "reassign", "cancel", "add"]
)
def test_every_tasks_command_help_has_an_example(command: str) -> None:
    code, out = run("tasks", command, "--help")
    assert code == 0
    assert "Exemplo:" in out and f"carteira tasks {command}" in out


def test_list_csv_in_a_real_subprocess(portfolio: Path) -> None:
    db = str(portfolio)
    run("tasks", "generate", "--as-of", AS_OF, "--db", db)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "carteira_tui",
            "--db",
            db,
            "tasks",
            "list",
            "--format",
            "csv",
            "--owner",
            "Bruno",
            "--as-of",
            AS_OF,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "id;cliente;nome;tarefa;tipo;prioridade;canal;responsavel;vencimento;urgencia"
    )
    assert [line.split(";")[4] for line in lines[1:]] == ["cobranca"]


def test_mine_without_an_owner_named_as_me_is_a_message(portfolio: Path) -> None:
    code, out = run("tasks", "list", "--mine", "--db", str(portfolio))
    assert code == 1 and "não sei qual responsável é você" in out
    assert "CARTEIRA_USER" in out and "--login" in out and "Ana, Bruno" in out
