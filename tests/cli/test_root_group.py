"""The root group: commands loaded on use (help and errors stay light), and the one place a
`CarteiraError` becomes a message, a hint and exit code 1."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import click
import pytest
from click.testing import CliRunner

from carteira_tui.cli import COMMANDS, load_command, main
from carteira_tui.errors import CarteiraError
from carteira_tui.model import CarteiraError as CarteiraErrorFromModel
from carteira_tui.store.db import StoreError

HEAVY = ("polars", "textual", "pyarrow", "sqlite_utils", "carteira_tui.store")


def modules_after(*args: str) -> tuple[list[str], int]:
    """Run `carteira ARGS` in a fresh interpreter; the heavy modules it imported, its exit code."""
    script = (
        "import json, sys\n"
        "from carteira_tui.cli import main\n"
        "try:\n"
        f"    main({list(args)!r}, prog_name='carteira')\n"
        "except SystemExit as done:\n"
        "    code = done.code or 0\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({HEAVY!r}))\n"
        "print(json.dumps([heavy, code]), file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    heavy, code = json.loads(run.stderr.strip().splitlines()[-1])
    return heavy, code


@pytest.mark.parametrize(
    "args",
    [("--help",), ("--version",), ("nao-existe",), ("--opcao-errada",)],
)
def test_help_version_and_errors_import_neither_polars_nor_textual(args: tuple[str, ...]) -> None:
    heavy, _code = modules_after(*args)
    assert heavy == []


def test_a_command_that_computes_loads_its_module_but_never_textual() -> None:
    heavy, code = modules_after("segment", "--help")
    assert code == 0
    assert "polars" in heavy  # the segmentation command's module did load
    assert not [m for m in heavy if m.startswith("textual")]


def test_help_lists_every_command_with_its_line_without_loading_it() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name, lazy in COMMANDS.items():
        assert f"  {name} " in result.output
        assert lazy.short_help[:20] in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_entry_of_the_map_is_the_command_of_that_name(name: str) -> None:
    command = load_command(COMMANDS[name].target)
    assert isinstance(command, click.Command)
    assert command.name == name
    assert command.options_metavar == "[OPÇÕES]"  # pt-BR usage line, as the eager group had


def test_a_mistyped_command_suggests_the_right_one_in_portuguese() -> None:
    result = CliRunner().invoke(main, ["segmnt"])
    assert result.exit_code == 2
    assert "Comando desconhecido" in result.output


def test_a_carteira_error_ends_the_command_with_its_message_and_hint() -> None:
    @main.command("falha-de-teste")
    def failing() -> None:
        raise CarteiraError("o banco não abre", hint="confira o caminho em --db")

    try:
        result = CliRunner().invoke(main, ["falha-de-teste"])
    finally:
        main.commands.pop("falha-de-teste")
    assert result.exit_code == 1
    assert "o banco não abre" in result.output
    assert "confira o caminho em --db" in result.output
    assert "Traceback" not in result.output


def test_the_errors_of_every_layer_share_the_base() -> None:
    assert CarteiraErrorFromModel is CarteiraError
    error = StoreError("somente leitura")
    assert isinstance(error, CarteiraError) and isinstance(error, RuntimeError)
    assert str(error) == "somente leitura" and error.describe() == "somente leitura"


def test_the_map_and_the_package_have_no_import_circle() -> None:
    """The package imports none of its command modules; each loads after it, on use."""
    script = (
        "import sys\n"
        "import carteira_tui.cli\n"
        "print(sorted(m for m in sys.modules if m.startswith('carteira_tui.cli.')))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = json.loads(run.stdout.replace("'", '"'))
    assert loaded == ["carteira_tui.cli._common", "carteira_tui.cli._portuguese"]


def test_config_shows_the_settings_without_polars_or_textual() -> None:
    # the shared settings live in the database, so `config` opens the store, but computes nothing
    heavy, code = modules_after("config", "--format", "json")
    assert code == 0
    assert [m for m in heavy if m.split(".")[0] in ("polars", "textual")] == []


def test_as_of_reads_day_first_and_iso_dates_and_refuses_impossible_ones() -> None:
    from carteira_tui.cli._common import parse_as_of

    assert parse_as_of("30/06/2026") == date(2026, 6, 30)
    assert parse_as_of("1/2/2026") == date(2026, 2, 1)  # day first, as typed in Brazil
    assert parse_as_of("2026-06-30") == date(2026, 6, 30)
    assert parse_as_of(" 05/03/2026 ") == date(2026, 3, 5)  # other shapes: dateutil
    for wrong in ("31/02/2026", "2026-13-01", "ontem"):
        with pytest.raises(click.BadParameter):
            parse_as_of(wrong)
