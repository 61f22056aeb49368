"""`carteira watch` and `carteira alerts` through click's runner and one real subprocess."""

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


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    """Ana owns c1 (A, 900 reais on 01/03) and c2 (B, 100 reais on 20/01); segmented on 17/04
    and on 16/06, when both have left ativo."""
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name, capacity) VALUES (1, 'Ana', 1)")
        db.execute(
            "INSERT INTO clients(id, external_id, name, owner_id) VALUES"
            " (1, 'c1', 'Alfa', 1), (2, 'c2', 'Beta', 1)"
        )
        for client_id, day, amount in ((1, "2026-03-01", 90000), (2, "2026-01-20", 10000)):
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents) VALUES (?, ?, ?)",
                [client_id, day, amount],
            )
            db.execute(
                "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase,"
                " frequency, monetary_cents, purchase_days) VALUES (?, ?, ?, 1, ?, 1)",
                [client_id, day, day, amount],
            )
    resegment(db_path, as_of=date(2026, 4, 17), settings=Settings())
    resegment(db_path, as_of=date(2026, 6, 16), settings=Settings())
    return db_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("command", ["watch", "alerts"])
def test_help_has_an_example(command: str) -> None:
    code, out = run(command, "--help")
    assert code == 0
    assert "Exemplo:" in out and "carteira " in out.split("Exemplo:")[1]


def test_watch_before_any_run_says_what_to_do(db_path: Path) -> None:
    code, out = run("watch", "--db", str(db_path))
    assert code == 0 and "rode `carteira segment`" in out


def test_watch_counts_moves_with_class_a_and_lists_clients(portfolio: Path) -> None:
    code, out = run("watch", "--clients", "--db", str(portfolio))
    assert code == 0, out
    assert "2 clientes mudaram na segmentação de 16/06/2026" in out
    line = next(x for x in out.splitlines() if x.startswith("status"))
    assert line.split() == ["status", "Ativo", "Inativo", "recente", "2", "1"]
    assert "Ativo → Inativo recente" in out and "Alfa" in out


def test_watch_since_a_date_as_json(portfolio: Path) -> None:
    code, out = run("watch", "--since", "17/04/2026", "--format", "json", "--db", str(portfolio))
    assert code == 0, out
    report = json.loads(out)
    assert report["execucoes"] == 2
    assert report["resumo"][0] == {
        "dimensao": "status",
        "de": "ativo",
        "para": "inativo_recente",
        "clientes": 2,
        "classe_a": 1,
    }
    assert [c["external_id"] for c in report["clientes"]] == ["c1", "c2"]


def test_alerts_list_counts_and_rows(portfolio: Path) -> None:
    code, out = run("alerts", "--as-of", "16/06/2026", "--db", str(portfolio))
    assert code == 0, out
    assert "Cliente A saiu de ativo: 1" in out
    assert "Responsável acima da capacidade: 1" in out
    assert "R$ 900,00" in out and "2 clientes para capacidade 1" in out
    code, out = run(
        "alerts", "--kind", "cliente_a_saiu_de_ativo", "--format", "json", "--db", str(portfolio)
    )
    report = json.loads(out)
    assert [a["external_id"] for a in report["alertas"]] == ["c1"]


def test_alerts_run_as_a_real_subprocess(portfolio: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "carteira_tui", "--db", str(portfolio), "alerts", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[1:] == [
        "cliente_a_saiu_de_ativo;c1;Alfa;Ana;;90000;ativo → inativo_recente",
        "responsavel_acima_da_capacidade;;;Ana;;2;2 clientes para capacidade 1",
    ]
