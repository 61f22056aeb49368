"""`carteira import`: through click's CliRunner and one real subprocess."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
CARTEIRA = Path(sys.executable).parent / "carteira"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    target = tmp_path / "files"
    shutil.copytree(FIXTURES, target)
    return target


def _run(db_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db_path), "import", *args])
    return result.exit_code, result.stdout, result.stderr


def test_import_clients_prints_summary_line(db_path: Path, files: Path) -> None:
    code, out, _ = _run(db_path, "clients", str(files / "clientes_cp1252.csv"))
    assert code == 0
    assert out.strip().splitlines()[-1] == (
        "clientes_cp1252.csv: lidas 3, novas 3, atualizadas 0, iguais 0, rejeitadas 0"
    )


def test_bad_rows_are_listed_and_exit_non_zero(db_path: Path, files: Path) -> None:
    _run(db_path, "clients", str(files / "clientes_cp1252.csv"))
    code, out, err = _run(db_path, "orders", str(files / "pedidos_ruins.csv"))
    assert code == 1
    assert "pedidos_ruins.csv:3: Código do Cliente: cliente desconhecido: C999" in err
    assert "nada gravado: pedidos_ruins.csv: lidas 8, novas 0" in out
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0


def test_skip_bad_with_rejects_and_map(db_path: Path, files: Path, tmp_path: Path) -> None:
    _run(db_path, "clients", str(files / "clientes_cp1252.csv"))
    rejects = tmp_path / "r.csv"
    code, out, _ = _run(
        db_path,
        "orders",
        str(files / "pedidos_ruins.csv"),
        "--skip-bad",
        "--rejects",
        str(rejects),
        "--map",
        "Canal=channel",
    )
    assert code == 0
    assert f"linhas rejeitadas gravadas em {rejects}" in out
    assert out.strip().endswith("novas 2, atualizadas 0, iguais 0, rejeitadas 6")


def test_dry_run_and_sheet_options(db_path: Path, files: Path) -> None:
    _run(db_path, "clients", str(files / "clientes_cp1252.csv"))
    code, out, _ = _run(
        db_path, "orders", str(files / "pedidos.xlsx"), "--sheet", "Outra", "--dry-run"
    )
    assert code == 0
    assert out.strip().splitlines() == [
        # the sheet's one date has day and month ≤ 12: read day first, and said so
        "Data: nenhuma data mostra a ordem de dia e mês (todas com os dois até 12); "
        "lidas como dia/mês/ano (dd/mm/aaaa)",
        "simulação (nada gravado): pedidos.xlsx: lidas 1, novas 1, atualizadas 0, "
        "iguais 0, rejeitadas 0",
    ]


def test_missing_file_and_bad_map_are_one_line_messages(db_path: Path, tmp_path: Path) -> None:
    code, _, err = _run(db_path, "clients", str(tmp_path / "nada.csv"))
    assert code == 1
    assert err.strip() == f"Erro: {tmp_path / 'nada.csv'}: arquivo não encontrado"
    code, _, err = _run(db_path, "clients", str(tmp_path / "nada.csv"), "--map", "semigual")
    assert code == 2 and "COLUNA=campo" in err


def test_help_is_portuguese_with_an_example() -> None:
    result = CliRunner().invoke(main, ["import", "--help"])
    assert result.exit_code == 0
    assert "Exemplo:" in result.stdout and "--skip-bad" in result.stdout


def test_real_subprocess_import_and_traceback_free_failure(tmp_path: Path, files: Path) -> None:
    db_path = tmp_path / "sub.db"
    done = subprocess.run(
        [
            str(CARTEIRA),
            "--db",
            str(db_path),
            "import",
            "clients",
            str(files / "clients_utf8_bom.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "lidas 2, novas 2" in done.stdout
    broken = tmp_path / "x.ods"
    broken.write_text("lixo")
    failed = subprocess.run(
        [str(CARTEIRA), "--db", str(db_path), "import", "orders", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1


def test_an_orders_import_resegments_the_portfolio(tmp_path: Path) -> None:
    from carteira_tui.config import Settings
    from carteira_tui.services.segmentation import current_results

    db_path = tmp_path / "seg.db"
    clients = tmp_path / "c.csv"
    clients.write_text("Código;Nome\nC1;Ana\nC2;Bia\n", encoding="utf-8")
    orders = tmp_path / "p.csv"
    orders.write_text("Código do cliente;Data;Valor\nC1;01/11/2026;100,00\n", encoding="utf-8")
    runner = CliRunner()
    for kind, path in (("clients", clients), ("orders", orders)):
        result = runner.invoke(
            main, ["--db", str(db_path), "import", kind, str(path), "--as-of", "23/11/2026"]
        )
        assert result.exit_code == 0, result.output
        assert "Segmentação de 23/11/2026 recalculada em " in result.output
        assert "(2 clientes)." in result.output
    results = current_results(db_path, settings=Settings())
    assert not results.stale
    by_id = dict(zip(results.frame["client_id"], results.frame["status"], strict=True))
    assert by_id == {"C1": "ativo", "C2": "prospect"}


def test_sample_files_again_after_clean_apply_give_the_same_portfolio(tmp_path: Path) -> None:
    """Done-means of issue "Imports": import, merge the sure duplicates, import the same files
    again: the same active clients, orders and revenue, and no duplicate comes back."""
    from carteira_tui.config import Settings
    from carteira_tui.services.segmentation import current_results

    sample = Path(__file__).parents[2] / "sample_data"
    db_path = tmp_path / "idem.db"
    runner = CliRunner()

    def cli(*args: str) -> str:
        result = runner.invoke(main, ["--db", str(db_path), *args])
        assert result.exit_code == 0, result.output
        return result.output

    def portfolio() -> tuple[int, int, int, int]:
        active = current_results(db_path, settings=Settings()).frame["status"].eq("ativo").sum()
        with sqlite3.connect(db_path) as conn:
            clients, orders, revenue = conn.execute(
                "SELECT (SELECT COUNT(*) FROM clients), COUNT(*), SUM(amount_cents) FROM orders"
            ).fetchone()
        return int(active), clients, orders, revenue

    as_of = ("--as-of", "23/11/2026")
    cli("import", "clients", str(sample / "clientes.csv"), *as_of)
    cli("import", "orders", str(sample / "pedidos.csv"), *as_of)
    cli("clean", "--apply")
    cli("segment", *as_of)
    merged = portfolio()
    assert merged[1] < 2000  # some clients were merged away
    again = cli("import", "clients", str(sample / "clientes.csv"), *as_of)
    assert "novas 0" in again and "já mesclado" in again
    assert "novas 0, atualizadas 0, iguais 25044" in cli(
        "import", "orders", str(sample / "pedidos.csv"), *as_of
    )
    cli("segment", *as_of)
    assert portfolio() == merged


def test_order_dates_with_a_time_of_day_are_read_as_dates_and_the_summary_says_so(
    db_path: Path, files: Path
) -> None:
    _run(db_path, "clients", str(files / "clientes_cp1252.csv"))
    code, out, err = _run(db_path, "orders", str(files / "pedidos_com_hora.csv"))
    assert code == 0, err
    assert out.strip().splitlines() == [
        # 03/04 10:00, 13/04 10:00:00, 2024-04-05T10:00:00, 2024-04-06 10:00:00; not 00:00:00
        "Data do Pedido: horário ignorado em 4 valor(es); lida só a data",
        "pedidos_com_hora.csv: lidas 6, novas 6, atualizadas 0, iguais 0, rejeitadas 0",
    ]
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute("SELECT external_id, date FROM orders ORDER BY external_id")
        assert stored.fetchall() == [
            ("P20", "2024-04-03"),  # day first: 13/04 in the same column decides it
            ("P21", "2024-04-13"),
            ("P22", "2024-04-05"),
            ("P23", "2024-04-06"),
            ("P24", "2024-04-07"),
            ("P25", "2024-04-08"),
        ]


def test_an_impossible_time_or_text_after_a_date_is_still_refused_by_row(
    db_path: Path, files: Path
) -> None:
    _run(db_path, "clients", str(files / "clientes_cp1252.csv"))
    code, out, err = _run(db_path, "orders", str(files / "pedidos_hora_invalida.csv"))
    assert code == 1
    assert err.splitlines()[:2] == [
        "pedidos_hora_invalida.csv:2: Data do Pedido: data inválida: '03/04/2024 25:00'",
        "pedidos_hora_invalida.csv:4: Data do Pedido: data inválida: '2024-04-06 lixo'",
    ]
    assert "nada gravado: pedidos_hora_invalida.csv: lidas 3, novas 0" in out
    assert "horário ignorado em 1 valor(es)" in out  # the good row's time, counted
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0
