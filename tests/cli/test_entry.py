"""The `carteira` command's entry point (`cli.run`): the exit code, the whole output and the
exit handlers survive leaving the process without Python's shutdown (real processes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from carteira_tui import __version__

PROBE = """
import atexit, sys
atexit.register(lambda: print("exit handler ran"))
sys.argv = ["carteira", *sys.argv[1:]]
from carteira_tui.cli import run
run()
print("never reached")
"""


def _carteira(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def test_a_command_ends_with_its_output_flushed_and_the_exit_handlers_run(tmp_path: Path) -> None:
    done = _carteira("--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout
    assert done.stdout.rstrip().endswith("exit handler ran")
    assert "never reached" not in done.stdout


def test_a_failing_command_keeps_its_exit_code_and_message(tmp_path: Path) -> None:
    done = _carteira("--db", str(tmp_path / "c.db"), "import", "orders", "falta.csv", cwd=tmp_path)
    assert done.returncode not in (0, None)
    assert "falta.csv" in done.stderr
    unknown = _carteira("desconhecido", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "desconhecido" in unknown.stderr


def test_a_long_output_arrives_whole_through_a_pipe(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    db = tmp_path / "c.db"
    clients = root / "sample_data" / "clientes.csv"
    assert (
        _carteira("--db", str(db), "import", "clients", str(clients), cwd=tmp_path).returncode == 0
    )
    done = _carteira("--db", str(db), "segment", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len([line for line in done.stdout.splitlines() if line.startswith("C0")]) == 2000
