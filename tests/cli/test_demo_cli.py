"""The README's first command, non-interactive: `carteira demo --no-ui` as a real subprocess."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from carteira_tui.config import Settings
from carteira_tui.services.today import local_today
from carteira_tui.store.db import connect


def test_demo_builds_the_sample_database_and_prints_its_summary(tmp_path: Path) -> None:
    db_path = tmp_path / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "carteira_tui", "demo", "--db", str(db_path), "--no-ui"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    today = local_today(Settings())
    assert f"data de referência: {today.strftime('%d/%m/%Y')}" in result.stdout
    with connect(db_path) as db:
        newest = db.execute("SELECT max(date) FROM orders").fetchone()[0]
        assert newest == (today - timedelta(days=1)).isoformat()  # the demo is a current morning
        clients = db.execute("SELECT count(*) FROM clients").fetchone()[0]
        orders = db.execute("SELECT count(*) FROM orders").fetchone()[0]
        cents = db.execute("SELECT sum(amount_cents) FROM orders").fetchone()[0]
        open_tasks = db.execute("SELECT count(*) FROM tasks").fetchone()[0]
    assert f"clientes: {clients:,}".replace(",", ".") in result.stdout
    assert f"pedidos: {orders:,}".replace(",", ".") in result.stdout
    reais, centavos = divmod(cents, 100)
    assert f"receita: R$ {reais:,}".replace(",", ".") + f",{centavos:02d}" in result.stdout
    assert f"tarefas criadas: {open_tasks}" in result.stdout
    assert clients == 2000


def test_running_demo_again_reuses_the_database(tmp_path: Path) -> None:
    db_path = tmp_path / "demo.db"
    command = [sys.executable, "-m", "carteira_tui", "demo", "--db", str(db_path), "--no-ui"]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "importando" not in again.stderr
    assert "tarefas criadas: 0" in again.stdout
