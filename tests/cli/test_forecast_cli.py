"""`carteira forecast` through click's runner on a database built from the CDNOW sample."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]


def build_cdnow(db_path: Path, tmp_path: Path) -> None:
    """CDNOW's CSVs (scripts/cdnow_to_carteira.py) imported with `carteira import`."""
    spec = importlib.util.spec_from_file_location(
        "cdnow", ROOT / "scripts" / "cdnow_to_carteira.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    clients, orders = module.convert(ROOT / "tests" / "fixtures" / "cdnow_sample.txt", tmp_path)
    run(db_path, "import", "clients", str(clients))
    run(db_path, "import", "orders", str(orders))


@pytest.fixture
def cdnow_db(db_path: Path, tmp_path: Path) -> Path:
    build_cdnow(db_path, tmp_path)
    return db_path


def run(db_path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db_path), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_prints_the_papers_parameters(cdnow_db: Path) -> None:
    data = json.loads(run(cdnow_db, "forecast", "--as-of", "1997-09-30", "--format", "json"))
    assert data["as_of"] == "1997-09-30" and data["reused"] is False
    bg, gg = data["bgnbd"], data["gamma_gamma"]
    assert bg["r"] == pytest.approx(0.243, rel=0.01)
    assert bg["alpha"] == pytest.approx(30.9, rel=0.01)
    assert bg["a"] == pytest.approx(0.793, rel=0.01)
    assert bg["b"] == pytest.approx(2.426, rel=0.01)
    assert (gg["p"], gg["q"], gg["gamma"]) == pytest.approx((6.25, 3.74, 15.44), rel=0.01)
    assert bg["clients"] == 2357 and gg["clients"] == 946
    assert bg["converged"] and gg["converged"] and bg["problem"] is None
    again = json.loads(run(cdnow_db, "forecast", "--as-of", "30/09/1997", "--format", "json"))
    assert again["reused"] is True


def test_table_and_holdout_in_portuguese(cdnow_db: Path) -> None:
    out = run(cdnow_db, "forecast", "--as-of", "30/06/1998", "--holdout-from", "30/09/1997")
    assert "Compras (BG/NBD):" in out
    assert "alpha  30,8952 dias" in out
    assert "Teste: ajuste até 30/09/1997" in out
    assert "1.411" in out and "7+" in out


def test_segment_json_rows_carry_the_forecast(cdnow_db: Path) -> None:
    run(cdnow_db, "forecast", "--as-of", "1997-09-30")
    rows = json.loads(run(cdnow_db, "segment", "--as-of", "1997-09-30", "--format", "json"))
    first = next(row for row in rows if row["client_id"] == "CD00001")
    assert first["p_alive"] == pytest.approx(0.7266, abs=1e-4)
    assert first["expected_orders_90d"] == pytest.approx(0.4525, abs=1e-4)
    assert first["expected_ticket"] == pytest.approx(24.65, abs=0.01)
    assert first["expected_value_12m"] == pytest.approx(38.51, abs=0.01)


def test_board_shows_expected_revenue_in_90_days_per_segment(cdnow_db: Path) -> None:
    run(cdnow_db, "forecast", "--as-of", "1997-09-30")
    rows = json.loads(run(cdnow_db, "segment", "--as-of", "1997-09-30", "--format", "json"))
    board = json.loads(run(cdnow_db, "board", "--as-of", "1997-09-30", "--format", "json"))
    for line in board:
        if line["dimensao"] != "status":
            continue
        members = [r for r in rows if r["status"] == line["valor"]]
        if not members:  # a status only clients who left it had: nothing to forecast
            assert line["receita_esperada_90d"] is None
            continue
        # rows carry rounded values; the board sums the unrounded ones
        expected = sum(r["expected_orders_90d"] * r["expected_ticket"] for r in members)
        assert line["receita_esperada_90d"] == pytest.approx(expected, rel=1e-3)
    table = run(cdnow_db, "board", "--as-of", "1997-09-30")
    assert "prev. 90 dias" in table.splitlines()[0]


def test_read_only_fits_and_keeps_nothing(cdnow_db: Path) -> None:
    import sqlite3

    out = run(cdnow_db, "--read-only", "forecast", "--as-of", "1997-09-30", "--format", "json")
    assert json.loads(out)["bgnbd"]["r"] == pytest.approx(0.243, rel=0.01)
    conn = sqlite3.connect(cdnow_db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM forecast_fits").fetchone()[0] == 0
    finally:
        conn.close()
