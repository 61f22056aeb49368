"""`carteira export`: through click's CliRunner and one real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.config import Settings
from carteira_tui.services.imports import import_file
from carteira_tui.services.segmentation import resegment

CARTEIRA = Path(sys.executable).parent / "carteira"


@pytest.fixture
def seeded(db_path: Path, tmp_path: Path) -> Path:
    (tmp_path / "clientes.csv").write_text(
        "Código;Nome;Cidade;UF\nc1;Alfa;Recife;PE\nc2;=Beta;Natal;RN\nc3;Gama;Natal;RN\n",
        encoding="utf-8",
    )
    (tmp_path / "pedidos.csv").write_text(
        "Pedido;Código do cliente;Data;Valor\n1;c1;01/11/2026;10,00\n2;c2;02/11/2026;900,00\n",
        encoding="utf-8",
    )
    import_file(db_path, "clients", tmp_path / "clientes.csv")
    import_file(db_path, "orders", tmp_path / "pedidos.csv")
    resegment(db_path, as_of=date(2026, 11, 23), settings=Settings())
    return db_path


def _run(db_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db_path), "export", *args])
    return result.exit_code, result.stdout, result.stderr


def test_export_with_where_and_sort_writes_the_rows_and_says_how_many(
    seeded: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ativos.json"
    code, stdout, _ = _run(
        seeded, "--where", "frequency >= 1", "--sort", "monetary_cents", "--desc", "-o", str(out)
    )
    assert code == 0
    assert stdout.strip() == f"2 clientes exportados para {out}"
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["client_id"], r["monetary"]) for r in rows] == [("c2", 900.0), ("c1", 10.0)]


def test_export_csv_neutralises_a_formula_in_a_name(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "todos.csv"
    code, _, _ = _run(seeded, "--output", str(out))
    assert code == 0
    names = pl.read_csv(out, separator=";").sort("client_id")["name"].to_list()
    assert names == ["Alfa", "'=Beta", "Gama"]


def test_a_bad_filter_exits_non_zero_with_the_column(seeded: Path, tmp_path: Path) -> None:
    code, _, err = _run(seeded, "--where", "abc = = A", "-o", str(tmp_path / "x.csv"))
    assert code == 1
    assert "filtro inválido, coluna 7" in err
    assert not (tmp_path / "x.csv").exists()


def test_an_unknown_format_is_refused(seeded: Path, tmp_path: Path) -> None:
    code, _, err = _run(seeded, "-o", str(tmp_path / "x.pdf"))
    assert code == 1
    assert "formato desconhecido" in err


def test_help_is_in_portuguese_with_an_example() -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    assert "Exemplo:" in result.stdout
    assert "carteira export --where" in result.stdout


def test_export_runs_as_a_real_command(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "planilha.xlsx"
    done = subprocess.run(
        [str(CARTEIRA), "--db", str(seeded), "export", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert pl.read_excel(out, sheet_name="clientes").height == 3
