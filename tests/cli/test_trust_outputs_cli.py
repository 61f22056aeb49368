"""Trust, the output side: the failures of issue "Trust" repeated as written, on the demo database.

No output destroys the database, every written file is private under umask 022, no CSV cell is a
formula, no escape sequence reaches the terminal, and the TUI will not spin without a terminal.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.store.db import connect

BAD_ORDERS = "pedido;cliente;data;valor\nZ1;C0000002;99/99/2026;10,00\n"
HOSTILE_NAME = "Ana \x1b]0;pwned\x07 \x1b]52;c;cHduZWQ=\x07\x1b[2J=HYPERLINK(1)"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "v.db"
    result = CliRunner().invoke(main, ["demo", "--db", str(path), "--no-ui"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo database (v.db) with its cache, in this test's folder."""
    target = tmp_path / "v.db"
    shutil.copyfile(demo_template, target)
    shutil.copytree(demo_template.with_name("v.db.cache"), tmp_path / "v.db.cache")
    return target


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    return result.exit_code, result.output


def intact(db: Path) -> int:
    """The number of clients, read through a fresh connection (fails if the file was hit)."""
    with connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM clients").fetchone()[0])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- outputs never destroy -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("segment", "--format", "csv", "--output", "{db}"),
        ("segment", "--format", "csv", "--output", "{db}-wal"),
        ("segment", "--format", "csv", "--output", "{db}.cache/base.arrow", "--force"),
        ("export", "--output", "{db}", "--force"),
        ("privacy", "export", "C0000002", "--output", "{db}", "--force"),
        ("backup", "{db}", "--force"),
        ("import", "orders", "{csv}", "--skip-bad", "--rejects", "{db}", "--force"),
    ],
)
def test_no_command_writes_over_the_database(demo: Path, args: tuple[str, ...]) -> None:
    before = intact(demo)
    bad = demo.with_name("ruim.csv")
    bad.write_text(BAD_ORDERS, encoding="utf-8")
    filled = [a.format(db=demo, csv=bad) for a in args]
    code, output = run(demo, *filled)
    assert code != 0
    assert "é o banco de dados" in output and "Traceback" not in output
    assert intact(demo) == before


def test_a_symlink_to_the_database_is_refused(demo: Path) -> None:
    link = demo.with_name("inocente.csv")
    link.symlink_to(demo)
    code, output = run(demo, "segment", "--format", "csv", "--output", str(link), "--force")
    assert code != 0 and "é o banco de dados" in output
    assert intact(demo) > 0


def test_an_existing_file_is_replaced_only_with_force(demo: Path) -> None:
    target = demo.with_name("saida.csv")
    target.write_text("meu trabalho\n", encoding="utf-8")
    code, output = run(demo, "export", "--output", str(target))
    assert code != 0 and "--force" in output
    assert target.read_text(encoding="utf-8") == "meu trabalho\n"
    code, output = run(demo, "export", "--output", str(target), "--force")
    assert code == 0, output
    assert target.read_text(encoding="utf-8-sig").startswith("client_id;name")


def test_a_missing_folder_is_a_clear_error_and_is_not_created(demo: Path, tmp_path: Path) -> None:
    for args in (
        ("export", "--output", str(tmp_path / "nao" / "existe" / "x.csv")),
        ("segment", "--format", "csv", "--output", str(tmp_path / "nao" / "x.csv")),
        ("backup", str(tmp_path / "nao" / "copia.db")),
    ):
        code, output = run(demo, *args)
        assert code != 0 and "não existe" in output and "Traceback" not in output, output
    assert not (tmp_path / "nao").exists()


# --- private files ---------------------------------------------------------------------------


def test_every_written_file_is_owner_only_under_umask_022(demo: Path, umask_022: None) -> None:
    os.chmod(demo, 0o600)
    shutil.rmtree(demo.with_name("v.db.cache"))
    folder = demo.parent
    bad = folder / "ruim.csv"
    bad.write_text(BAD_ORDERS, encoding="utf-8")
    for args in (
        ("segment", "--format", "csv", "--output", str(folder / "seg.csv")),
        ("export", "--output", str(folder / "exp.csv")),
        ("export", "--output", str(folder / "exp.xlsx")),
        ("privacy", "export", "C0000002", "--output", str(folder / "p.json")),
        ("backup", str(folder / "copia.db")),
        ("import", "orders", str(bad), "--skip-bad", "--rejects", str(folder / "rej.csv")),
    ):
        code, output = run(demo, *args)
        assert code == 0, (args, output)
    for name in ("seg.csv", "exp.csv", "exp.xlsx", "p.json", "copia.db", "rej.csv"):
        assert mode(folder / name) == 0o600, name
    cache = demo.with_name("v.db.cache")
    assert mode(cache) == 0o700
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files and all(mode(p) == 0o600 for p in files), [(p.name, oct(mode(p))) for p in files]


def test_a_database_shared_with_its_group_gives_its_files_the_group_bits(
    demo: Path, umask_022: None
) -> None:
    os.chmod(demo, 0o660)
    code, output = run(demo, "export", "--output", str(demo.with_name("time.csv")))
    assert code == 0, output
    assert mode(demo.with_name("time.csv")) == 0o660


# --- spreadsheet safety ----------------------------------------------------------------------


def _hostile(demo: Path) -> None:
    """Names as a careless import (or an attacker) could have stored them, as a write would."""
    with sqlite3.connect(demo) as conn:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
        now = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation')"
        for code, name in (
            ("C0000002", HOSTILE_NAME),
            ("C0000003", '  =HYPERLINK("http://x","y")'),
        ):
            conn.execute(
                f"UPDATE clients SET name = ?, generation = {now} WHERE external_id = ?",
                [name, code],
            )


def test_segment_csv_neutralises_formulas_and_writes_phones_nationally(demo: Path) -> None:
    _hostile(demo)
    target = demo.with_name("v.csv")
    code, output = run(demo, "segment", "--format", "csv", "--output", str(target))
    assert code == 0, output
    frame = pl.read_csv(target, separator=";", infer_schema=False, encoding="utf8")
    names = dict(zip(frame["client_id"], frame["name"], strict=True))
    assert names["C0000003"] == '\'  =HYPERLINK("http://x","y")'
    assert not any(str(n).lstrip().startswith(("=", "+", "-", "@")) for n in frame["name"])
    money = frame["monetary"].drop_nulls()
    assert all("," in m or m.isdigit() for m in money) and not any("'" in m for m in money)


def test_export_writes_brazilian_phones_in_national_form(demo: Path) -> None:
    with sqlite3.connect(demo) as conn:
        conn.execute(
            "UPDATE clients SET consent_phone = 1, opt_out = 0 WHERE external_id = 'C0000002'"
        )
    target = demo.with_name("e.csv")
    code, output = run(demo, "export", "--output", str(target), "--where", "client_id = C0000002")
    assert code == 0, output
    frame = pl.read_csv(target, separator=";", infer_schema=False, encoding="utf8")
    assert frame["phone"].to_list() == ["(34) 96400-9897"]


def test_plain_csv_is_for_machines_and_still_neutralised(demo: Path) -> None:
    _hostile(demo)
    code, output = run(demo, "segment", "--format", "csv", "--plain")
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0].startswith("client_id,name,status")
    frame = pl.read_csv(output.encode(), infer_schema=False)
    assert "'  =HYPERLINK" in " ".join(frame["name"].to_list())
    assert all("," not in v for v in frame["monetary"].drop_nulls())


# --- terminal safety -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("client", "show", "C0000002"),
        ("segment",),
        ("segment", "--format", "csv"),
        ("explain", "C0000002"),
        ("tasks", "list"),
        ("client", "show", "\x1b]0;pwned\x07"),
    ],
)
def test_no_escape_sequence_reaches_the_terminal(demo: Path, args: tuple[str, ...]) -> None:
    _hostile(demo)
    done = subprocess.run(
        [sys.executable, "-m", "carteira_tui", "--db", str(demo), *args],
        capture_output=True,
        timeout=120,
    )
    for stream in (done.stdout, done.stderr):
        assert (
            b"\x1b" not in stream
            and b"\x07" not in stream
            and b"\x9b" not in stream.replace(b"\xc2\x9b", b"?")
        )
    if args[:2] == ("client", "show") and done.returncode == 0:
        assert "Ana" in done.stdout.decode()


def test_the_tui_refuses_to_start_without_a_terminal(demo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "carteira_tui", "--db", str(demo)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "precisa de um terminal" in done.stderr.decode()


def test_plain_is_offered_wherever_csv_is(demo: Path) -> None:
    code, output = run(demo, "tasks", "list", "--format", "csv", "--plain")
    assert code == 0, output
    assert output.splitlines()[0].startswith("id,cliente,nome")
    code, output = run(demo, "tasks", "list", "--format", "csv")
    assert output.splitlines()[0].startswith("id;cliente;nome")
