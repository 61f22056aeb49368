"""`carteira segment|board|explain|segments|config` through click's runner and a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.store.db import bump_generation, connect

KEYS = {
    "cadence",
    "client_id",
    "name",
    "status",
    "recency_days",
    "frequency",
    "monetary",
    "avg_ticket",
    "cycle_days",
    "overdue_days",
    "r",
    "f",
    "m",
    "rfm_segment",
    "abc",
    "cooling",
    "excluded",
    "segment",
    "owner",
    "p_alive",
    "expected_orders_90d",
    "expected_ticket",
    "expected_value_12m",
    "heading_out",
}


def seed(db_path: Path) -> None:
    """C1 buys twice (R$ 100,00 + R$ 50,05), C2 never buys; aggregates kept as the importer does."""
    with connect(db_path) as db, db.atomic():
        gen = bump_generation(db)
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Rita')")
        db.execute(
            "INSERT INTO clients(id, external_id, name, owner_id, generation) VALUES "
            "(1, 'C1', 'Ana', 1, ?), (2, 'C2', 'Bruno', NULL, ?)",
            [gen, gen],
        )
        db.execute(
            "INSERT INTO orders(client_id, date, amount_cents, generation) VALUES "
            "(1, '2026-05-01', 10000, ?), (1, '2026-06-01', 5005, ?)",
            [gen, gen],
        )
        db.execute(
            "INSERT INTO client_aggregates VALUES (1, '2026-05-01', '2026-06-01', 2, 15005, 2, ?)",
            [gen],
        )


def run(db_path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_segment_json_has_the_issue_keys_numbers_and_nulls(db_path: Path) -> None:
    seed(db_path)
    rows = json.loads(run(db_path, "segment", "--as-of", "30/06/2026", "--format", "json"))
    assert [set(r) for r in rows] == [KEYS, KEYS]
    ana, bruno = rows
    assert ana["client_id"] == "C1" and ana["owner"] == "Rita"
    assert ana["monetary"] == 150.05 and ana["avg_ticket"] == 75.03
    assert ana["recency_days"] == 29 and ana["cycle_days"] == 31.0 and ana["overdue_days"] == -2.0
    assert (ana["r"], ana["f"], ana["m"], ana["abc"]) == (1, 1, 1, "A")
    assert ana["status"] == "ativo" and ana["segment"] == "Ativos" and ana["cooling"] is False
    assert bruno["status"] == "prospect" and bruno["recency_days"] is None
    assert bruno["r"] is None and bruno["abc"] is None and bruno["monetary"] is None
    assert bruno["frequency"] is None and bruno["segment"] == "Prospects"


def test_segment_table_shows_money_in_brl_and_csv_writes_to_a_file(
    db_path: Path, tmp_path: Path
) -> None:
    seed(db_path)
    table = run(db_path, "segment", "--as-of", "2026-06-30")
    assert "R$ 150,05" in table and "R$ 75,03" in table
    ana = next(line for line in table.splitlines() if line.startswith("C1"))
    assert "31,00" in ana and "-2,00" in ana  # cycle and overdue days, decimal comma
    target = tmp_path / "out.csv"
    run(db_path, "segment", "--as-of", "2026-06-30", "--format", "csv", "--output", str(target))
    lines = target.read_text(encoding="utf-8-sig").splitlines()  # the one CSV convention
    assert lines[0].startswith("client_id;name;status") and lines[1].startswith("C1;Ana;ativo")


def test_segment_where_keeps_only_matching_clients(db_path: Path) -> None:
    seed(db_path)
    rows = json.loads(
        run(
            db_path,
            "segment",
            "--as-of",
            "30/06/2026",
            "--where",
            "status = prospect",
            "--format",
            "json",
        )
    )
    assert [r["client_id"] for r in rows] == ["C2"]


def test_segment_preview_prints_current_and_proposed_counts(db_path: Path) -> None:
    seed(db_path)
    rows = json.loads(
        run(
            db_path,
            "segment",
            "--as-of",
            "30/06/2026",
            "--preview",
            "active_days=20",
            "--format",
            "json",
        )
    )
    by_key = {(r["dimensao"], r["valor"]): (r["atual"], r["proposto"]) for r in rows}
    assert by_key[("status", "ativo")] == (1, 0)
    assert by_key[("status", "inativo_recente")] == (0, 1)
    table = run(db_path, "segment", "--as-of", "30/06/2026", "--preview", "active_days=20")
    ativo = next(line for line in table.splitlines() if line.startswith("status    ativo"))
    assert ativo.split()[-3:] == ["1", "0", "-1"]
    assert next(line for line in table.splitlines() if "inativo_recente" in line).endswith("+1")


def test_board_table_groups_thousands_and_aligns_numbers_right(db_path: Path) -> None:
    seed(db_path)
    lines = run(db_path, "board", "--as-of", "30/06/2026").splitlines()
    header, rule, *rows = lines
    assert header.split()[:3] == ["dimensão", "valor", "clientes"]
    end = header.index("clientes") + len("clientes")
    ativos = next(line for line in rows if "Ativos" in line)
    assert ativos[end - 1] == "1" and ativos[end - 2] == " "  # right-aligned under the header


def test_board_json_lists_segments_and_statuses_with_shares(db_path: Path) -> None:
    seed(db_path)
    rows = json.loads(run(db_path, "board", "--as-of", "30/06/2026", "--format", "json"))
    ativos = next(r for r in rows if r["valor"] == "Ativos")
    assert ativos == {
        "dimensao": "segmento",
        "valor": "Ativos",
        "clientes": 1,
        "receita": 150.05,
        "participacao": 1.0,
        "entraram": 0,
        "sairam": 0,
        "receita_esperada_90d": None,  # no forecast kept
    }


def test_explain_prints_the_status_rule(db_path: Path) -> None:
    seed(db_path)
    out = run(db_path, "explain", "C1", "--as-of", "30/06/2026")
    assert "recência 29 ≤ 90 (active_days) → ativo" in out


def test_explain_unknown_client_fails_with_a_message(db_path: Path) -> None:
    seed(db_path)
    result = CliRunner().invoke(
        main, ["--db", str(db_path), "explain", "X9", "--as-of", "30/06/2026"]
    )
    assert result.exit_code == 1 and "cliente não encontrado" in result.output


def test_segments_commands_add_move_and_delete(db_path: Path) -> None:
    seed(db_path)
    run(db_path, "segments", "move", "Prospects", "1")
    listed = json.loads(run(db_path, "segments", "list", "--format", "json"))
    assert listed[0]["name"] == "Prospects" and listed[0]["position"] == 1
    run(db_path, "segments", "delete", "Prospects")
    listed = json.loads(run(db_path, "segments", "list", "--format", "json"))
    assert [r["name"] for r in listed][0] == "Clientes A em risco" and len(listed) == 4


def test_config_ignores_a_shared_key_in_the_personal_file_and_says_so(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("active_days = 60\n", encoding="utf-8")
    env = {**os.environ, "CARTEIRA_CONFIG": str(config)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from carteira_tui.cli import main; main()",
            "--db",
            str(tmp_path / "c.db"),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    values = {row["chave"]: row for row in json.loads(done.stdout)["configuracoes"]}
    assert values["active_days"]["valor"] == "90" and values["active_days"]["origem"] == "padrão"
    assert "carteira config set active_days" in done.stderr and str(config) in done.stderr


def test_every_segmentation_command_help_has_an_example() -> None:
    for args in (
        ["segment"],
        ["board"],
        ["explain"],
        ["segments"],
        ["segments", "add"],
        ["config"],
        ["config", "set"],
        ["config", "show"],
        ["config", "unset"],
    ):
        out = CliRunner().invoke(main, [*args, "--help"]).output
        assert "Exemplo:" in out, args


def test_json_dates_unaffected_by_the_as_of_format(db_path: Path) -> None:
    seed(db_path)
    iso = json.loads(run(db_path, "segment", "--as-of", "2026-06-30", "--format", "json"))
    br = json.loads(run(db_path, "segment", "--as-of", "30/06/2026", "--format", "json"))
    assert iso == br


def test_a_bad_where_filter_is_a_message_with_its_column(db_path: Path) -> None:
    seed(db_path)
    result = CliRunner().invoke(
        main, ["--db", str(db_path), "segment", "--as-of", "30/06/2026", "--where", "uf >"]
    )
    assert result.exit_code == 1 and "filtro inválido: coluna" in result.output


def test_segments_add_rejects_a_filter_that_does_not_compile(db_path: Path) -> None:
    seed(db_path)
    result = CliRunner().invoke(
        main, ["--db", str(db_path), "segments", "add", "X", "--filter", "nada ==", "--plan", "p"]
    )
    assert result.exit_code == 1 and "filtro inválido" in result.output
    listed = json.loads(run(db_path, "segments", "list", "--format", "json"))
    assert "X" not in [r["name"] for r in listed]


def test_click_s_own_words_are_in_portuguese() -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["--help"], prog_name="carteira").output
    assert shown.startswith("Uso: carteira [OPÇÕES] [COMANDO] [ARGS]...")
    assert "\nOpções:\n" in shown and "\nComandos:\n" in shown
    assert "Mostra esta ajuda e sai." in shown
    wrong = runner.invoke(main, ["segment", "--bogus"], prog_name="carteira")
    assert wrong.exit_code == 2
    assert "Erro: Opção desconhecida '--bogus'." in wrong.output
    assert "Tente 'carteira segment --help' para ver a ajuda." in wrong.output
    typo = runner.invoke(main, ["segmnt"], prog_name="carteira")
    assert "Comando desconhecido 'segmnt'." in typo.output and "Você quis dizer" in typo.output


def test_a_board_current_for_the_day_loads_neither_polars_nor_sqlite_utils(db_path: Path) -> None:
    """The kept board is read through a light connection: a real process, whole."""
    seed(db_path)
    first = run(db_path, "board", "--as-of", "30/06/2026")  # computes and keeps the run
    code = (
        "import sys\n"
        "from carteira_tui.cli import main\n"
        f"sys.argv = ['carteira', '--db', {str(db_path)!r}, 'board', '--as-of', '30/06/2026']\n"
        "try:\n    main()\nexcept SystemExit as end:\n    assert not end.code, end.code\n"
        "heavy = ('polars', 'sqlite_utils', 'numpy', 'pyarrow', 'textual')\n"
        "print([name for name in heavy if name in sys.modules])\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    table, loaded = found.rstrip("\n").rsplit("\n", 1)
    assert loaded == "[]"
    assert table + "\n" == first
    # a board no longer current (another day) is computed, and then Polars is loaded
    later = code.replace("30/06/2026", "01/07/2026")
    found = subprocess.run(
        [sys.executable, "-c", later], capture_output=True, text=True, check=True
    ).stdout
    assert "'polars'" in found.rstrip("\n").rsplit("\n", 1)[1]


def test_a_board_current_for_the_day_is_read_without_the_engine(db_path: Path) -> None:
    seed(db_path)
    first = run(db_path, "board", "--as-of", "30/06/2026")  # computes and keeps the run
    code = (
        "import sys\n"
        "from carteira_tui.cli import main\n"
        f"sys.argv = ['carteira', '--db', {str(db_path)!r}, 'board', '--as-of', '30/06/2026']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('carteira_tui.engine')"
        " or m in ('pyarrow', 'carteira_tui.services.segmentation')))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    table, imported = found.rstrip("\n").rsplit("\n", 1)
    assert imported == "[]"
    assert table + "\n" == first
