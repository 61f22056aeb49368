"""A crash (an exception nobody foresaw) never shows a Python traceback: the person reads which
command failed and where the details were written, a private log in their state folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from carteira_tui.cli import CRASH_EXIT_CODE, main

CRASHING_AUDIT = (
    "import sys\n"
    "from carteira_tui.services import privacy\n"
    "def broken(*args, **kwargs):\n"
    "    raise KeyError('coluna_que_sumiu')\n"
    "privacy.audit_trail = broken\n"
    "from carteira_tui.cli import main\n"
    "main(sys.argv[1:], prog_name='carteira')\n"
)


def test_a_crash_prints_what_failed_and_where_the_private_log_is(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "CARTEIRA_USER": "ana"}
    run = subprocess.run(
        [sys.executable, "-c", CRASHING_AUDIT, "--db", str(tmp_path / "c.db"), "audit"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    log = tmp_path / "state" / "carteira" / "log" / "erros.log"
    assert run.returncode == CRASH_EXIT_CODE
    assert "Traceback" not in run.stderr + run.stdout
    assert "Erro inesperado em `carteira audit`: a operação não foi concluída." in run.stderr
    assert f"Os detalhes técnicos foram gravados em {log}" in run.stderr
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    details = log.read_text(encoding="utf-8")
    assert "em `carteira audit`" in details
    assert "Traceback (most recent call last)" in details
    assert "KeyError: 'coluna_que_sumiu'" in details


def test_the_crash_names_the_subcommand_and_appends_to_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))

    @main.group("grupo-de-teste")
    def group() -> None:
        """A group for this test."""

    @group.command("quebra")
    def crashing() -> None:
        _ = 1 / 0

    try:
        first = CliRunner().invoke(main, ["grupo-de-teste", "quebra"])
        second = CliRunner().invoke(main, ["grupo-de-teste", "quebra"])
    finally:
        main.commands.pop("grupo-de-teste")
    assert first.exit_code == second.exit_code == CRASH_EXIT_CODE
    assert "Erro inesperado em `carteira grupo-de-teste quebra`" in first.output
    assert "Traceback" not in first.output
    details = (tmp_path / "carteira" / "log" / "erros.log").read_text(encoding="utf-8")
    assert details.count("ZeroDivisionError: division by zero") == 2


def test_a_crash_whose_log_cannot_be_written_still_shows_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "arquivo"
    blocker.write_text("não é uma pasta")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))

    @main.command("quebra-de-teste")
    def crashing() -> None:
        raise RuntimeError("falha interna")

    try:
        result = CliRunner().invoke(main, ["quebra-de-teste"])
    finally:
        main.commands.pop("quebra-de-teste")
    assert result.exit_code == CRASH_EXIT_CODE
    assert "Erro inesperado em `carteira quebra-de-teste`" in result.output
    assert "não foi possível gravar os detalhes" in result.output
    assert "Traceback" not in result.output


def test_click_and_product_errors_keep_their_own_messages(tmp_path: Path) -> None:
    @main.command("erro-de-uso")
    def usage() -> None:
        raise click.UsageError("faltou o arquivo")

    try:
        result = CliRunner().invoke(main, ["erro-de-uso"])
    finally:
        main.commands.pop("erro-de-uso")
    assert result.exit_code == 2
    assert "faltou o arquivo" in result.output
    assert "Erro inesperado" not in result.output
