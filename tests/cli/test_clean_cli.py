"""`carteira clean` through click's runner and one real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from carteira_tui.cli import main
from carteira_tui.store.aggregates import rebuild_all
from carteira_tui.store.db import connect

AS_OF = "23/11/2026"


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    """Ana and her upper-case duplicate (same CPF), and Caio, a prospect silent since 2020."""
    with connect(db_path) as db, db.atomic():
        db.execute(
            "INSERT INTO clients(id, external_id, name, document, email, phone, city, uf,"
            " created_at) VALUES"
            " (1, 'C1', 'Ana Souza', '529.982.247-25', 'ana@exemplo.com', '(11) 91234-5678',"
            "  'São Paulo', 'SP', '2024-01-01T08:00:00'),"
            " (2, 'C2', 'ANA SOUZA', '52998224725', 'ANA@EXEMPLO.COM', '11912345678',"
            "  'São Paulo', 'SP', '2024-01-01T08:00:00'),"
            " (3, 'C3', 'Caio Prado', '529.982.247-24', 'caio@exemplo.com', '9054',"
            "  'Campinas', 'SP', '2020-01-01T08:00:00')"
        )
        db.execute(
            "INSERT INTO orders(client_id, date, amount_cents) VALUES"
            " (1, '2026-10-01', 10000), (2, '2026-09-01', 5000)"
        )
    with connect(db_path) as db:
        rebuild_all(db)
    return db_path


def run(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db_path), "clean", *args])


def test_clean_prints_the_report_with_duplicates_invalid_fields_and_stale(
    portfolio: Path,
) -> None:
    result = run(portfolio, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Relatório de limpeza em 23/11/2026: 3 clientes" in out
    assert "Duplicados: 1 grupo(s) (alta 1 · média 0 · baixa 0)" in out
    assert "Campos inválidos: 2 (CPF inválido 1 · Telefone inválido 1)" in out
    assert "Contatos parados: 1 (prospect sem contato 1" in out
    assert "C3" in out.split("Contatos parados")[1]


def test_clean_json_parses_and_carries_the_counts(portfolio: Path) -> None:
    result = run(portfolio, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["duplicates"]["clusters"] == {"alta": 1, "media": 0, "baixa": 0}
    assert report["invalid_fields"]["counts"] == {"cpf_invalido": 1, "telefone_invalido": 1}
    assert [r["external_id"] for r in report["stale"]["rows"]] == ["C3"]


def test_clean_apply_merges_high_confidence_and_undo_brings_the_client_back(
    portfolio: Path,
) -> None:
    merged = run(portfolio, "--apply")
    assert merged.exit_code == 0, merged.output
    assert "1 mesclagem(ns), 1 cadastro(s) a menos" in merged.output
    with connect(portfolio) as db:
        assert db.execute("SELECT COUNT(*) FROM orders WHERE client_id = 1").fetchone()[0] == 2
    undone = run(portfolio, "--undo", "1")
    assert undone.exit_code == 0, undone.output
    assert "mesclagem 1 desfeita: 1 cliente(s) de volta" in undone.output
    with connect(portfolio) as db:
        assert db.execute("SELECT client_id FROM orders ORDER BY id").fetchall() == [(1,), (2,)]
    again = run(portfolio, "--apply")
    assert "carteira clean --undo 2-2" in again.output  # the command that undoes them all
    assert "mesclagem 2 desfeita" in run(portfolio, "--undo", "2-2").output


def test_clean_normalize_is_a_dry_run_until_apply(portfolio: Path) -> None:
    dry = run(portfolio, "--normalize")
    assert dry.exit_code == 0, dry.output
    assert "simulação, nada gravado" in dry.output
    with connect(portfolio) as db:
        assert db.execute("SELECT email FROM clients WHERE id = 2").fetchone()[0].isupper()
    applied = run(portfolio, "--normalize", "--apply")
    assert applied.exit_code == 0, applied.output
    with connect(portfolio) as db:
        assert db.execute("SELECT email, phone FROM clients WHERE id = 2").fetchone() == (
            "ana@exemplo.com",
            "+5511912345678",
        )
        assert db.execute("SELECT phone FROM clients WHERE id = 3").fetchone()[0] == "9054"


def test_clean_archive_stale_apply_restore_and_undo_archive(portfolio: Path) -> None:
    proposed = run(portfolio, "--archive-stale", "--as-of", AS_OF)
    assert "1 contato(s) parado(s)" in proposed.output
    archived = run(portfolio, "--archive-stale", "--apply", "--as-of", AS_OF)
    assert archived.exit_code == 0, archived.output
    assert "rodada 1: 1 cliente(s) arquivado(s)" in archived.output
    assert run(portfolio, "--restore", "C3").output.strip() == "cliente C3 restaurado"
    run(portfolio, "--archive-stale", "--apply", "--as-of", AS_OF)
    undone = run(portfolio, "--undo-archive", "2")
    assert "arquivamento 2 desfeito: 1 cliente(s) de volta" in undone.output
    with connect(portfolio) as db:
        assert db.execute("SELECT archived FROM clients WHERE id = 3").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--undo", "42"], "Erro: mesclagem 42 não encontrada"),
        (["--undo-archive", "5"], "Erro: rodada de arquivamento 5 não encontrada"),
        (["--restore", "ZZ"], "Erro: cliente não encontrado: ZZ"),
        (["--restore", "C1"], "Erro: o cliente C1 não está arquivado"),
        (["--normalize", "--archive-stale"], "use uma ação por vez"),
        (["--undo", "abc"], "Erro: --undo espera um número, uma lista (7,9) ou um intervalo"),
        (["--undo", "3-x"], "Erro: --undo espera um número"),
    ],
)
def test_clean_bad_ids_give_a_message_and_no_traceback(
    portfolio: Path, args: list[str], message: str
) -> None:
    result = run(portfolio, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_clean_on_a_missing_database_says_so(tmp_path: Path) -> None:
    result = run(tmp_path / "nada.db")
    assert result.exit_code == 1
    assert "banco não encontrado" in result.output
    assert not (tmp_path / "nada.db").exists()


def test_clean_help_is_in_portuguese_with_an_example_in_a_real_process(portfolio: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "carteira_tui", "clean", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Limpeza: duplicados, campos inválidos e contatos parados." in done.stdout
    assert "carteira clean --normalize --apply" in done.stdout
    report = subprocess.run(
        [sys.executable, "-m", "carteira_tui", "--db", str(portfolio), "clean", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(report.stdout)["clients"] == 3
