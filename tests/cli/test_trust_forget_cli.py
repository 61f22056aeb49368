"""LGPD forget that really forgets, repeated as issue "Trust" found it on the demo database.

Daniel Machado Campos (C0000002) has a second record with the same CPF and e-mail, a CPF in an
interaction's outcome text, a restore's safety copy and a rejected-rows file beside the
database. After `privacy forget`, no file beside the database but the person's own inputs and
the user's own backup holds any of their values; no import gives them back; a restore of an
older backup erases them again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.store.db import connect

NEEDLES = (
    "996.918.585-33",
    "99691858533",
    "danielcampos@gmail.com",
    "96400-9897",
    "34964009897",
    "38434-237",
    "Daniel Machado Campos",
    "Daniel M. Campos",
)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "v.db"
    result = CliRunner().invoke(main, ["demo", "--db", str(path), "--no-ui"])
    assert result.exit_code == 0, result.output
    return path


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def scene(demo_template: Path, tmp_path: Path) -> Path:
    """The demo with the traces the issue found, in `work/` (inputs and backups in `inputs/`)."""
    work, inputs = tmp_path / "work", tmp_path / "inputs"
    work.mkdir()
    inputs.mkdir()
    db = work / "v.db"
    shutil.copyfile(demo_template, db)
    files = {
        "dup.csv": "codigo;nome;cpf;email;telefone\n"
        "X900;Daniel M. Campos;99691858533;DanielCampos@gmail.com;34964009897\n",
        "int.csv": "cliente;data;canal;tipo;resultado\n"
        "C0000002;01/11/2026;telefone;ligacao;CPF 996.918.585-33 e danielcampos@gmail.com\n",
        "ruins.csv": "pedido;cliente;data;valor;obs\n"
        "Z1;C0000002;99/99/2026;10,00;Daniel Machado Campos\n"
        "Z2;C0000003;99/99/2026;10,00;outro\n",
    }
    for name, text in files.items():
        (inputs / name).write_text(text, encoding="utf-8")
    run(db, "import", "clients", str(inputs / "dup.csv"))
    run(db, "import", "interactions", str(inputs / "int.csv"))
    rejects = work / "ruins.rejeitados.csv"
    CliRunner().invoke(
        main,
        ["--db", str(db), "import", "orders", str(inputs / "ruins.csv"), "--skip-bad"]
        + ["--rejects", str(rejects)],
    )
    assert "Daniel Machado Campos" in rejects.read_text(encoding="utf-8-sig")
    run(db, "backup", str(inputs / "antes.db"))
    run(db, "restore", str(inputs / "antes.db"), "--yes")  # leaves a safety copy beside v.db
    run(db, "segment")
    return db


def traces(folder: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            hits = [n for n in NEEDLES if n.encode() in data]
            if hits:
                found[str(path.relative_to(folder))] = hits
    return found


def test_forget_leaves_no_trace_beside_the_database(scene: Path) -> None:
    assert traces(scene.parent)  # the scene holds the person everywhere before
    output = run(scene, "privacy", "forget", "C0000002", "--yes")
    assert "X900" in output and "mesmo CPF/CNPJ" in output  # listed for confirmation
    assert traces(scene.parent) == {}
    rejects = (scene.parent / "ruins.rejeitados.csv").read_text(encoding="utf-8-sig")
    assert "C0000003" in rejects  # someone else's rejected row is still there to fix
    with connect(scene) as db:
        names = db.execute("SELECT name FROM clients WHERE id IN (2, 2001)").fetchall()
        outcomes = db.execute("SELECT outcome, note FROM interactions WHERE client_id = 2")
        assert {n for (n,) in names} == {"(anonimizado)"}
        assert all(o is None and n is None for o, n in outcomes.fetchall())
    assert not [p for p in scene.parent.iterdir() if "antes-de-apagar" in p.name]


def test_no_import_gives_the_person_back(scene: Path, tmp_path: Path) -> None:
    run(scene, "privacy", "forget", "C0000002", "--yes")
    back = tmp_path / "inputs" / "back.csv"
    back.write_text(
        "codigo;nome;cpf;email\n"
        "anon-2;Daniel Machado Campos;996.918.585-33;danielcampos@gmail.com\n"
        "ANON-2;Daniel;;\n"
        "c0000002;Daniel Machado Campos;;\n"
        "C0000005;Outro;996.918.585-33;\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--db", str(scene), "import", "clients", str(back)])
    assert result.exit_code == 0, result.output  # skipped and counted, never a failure
    assert "novas 0" in result.output and "rejeitadas 0" in result.output
    assert "4 pessoas apagadas a pedido ignoradas" in result.output
    with connect(scene) as db:
        rows = db.execute(
            "SELECT external_id, name, document FROM clients WHERE id IN (2, 5)"
        ).fetchall()
        assert ("anon-2", "(anonimizado)", None) in rows
        assert all(doc != "996.918.585-33" for _code, _name, doc in rows)
        lower = db.execute("SELECT count(*) FROM clients WHERE lower(external_id) = 'c0000002'")
        assert lower.fetchone()[0] == 0
    assert traces(scene.parent) == {}  # the refused rows are not written to a rejects file


def test_restore_of_an_older_backup_erases_the_person_again(scene: Path, tmp_path: Path) -> None:
    run(scene, "privacy", "forget", "C0000002", "--yes")
    run(scene, "restore", str(tmp_path / "inputs" / "antes.db"), "--yes")
    with connect(scene) as db:
        names = db.execute("SELECT external_id, name FROM clients WHERE id IN (2, 2001)")
        assert sorted(names.fetchall()) == [
            ("anon-2", "(anonimizado)"),
            ("anon-2001", "(anonimizado)"),
        ]
    assert traces(scene.parent) == {}


def test_no_interaction_text_is_attached_to_an_erased_code(scene: Path, tmp_path: Path) -> None:
    run(scene, "privacy", "forget", "C0000002", "--yes")
    notes = tmp_path / "inputs" / "notas.csv"
    notes.write_text(
        "cliente;data;canal;tipo;resultado\nanon-2;02/11/2026;telefone;ligacao;CPF 99691858533\n",
        encoding="utf-8",
    )
    CliRunner().invoke(
        main, ["--db", str(scene), "import", "interactions", str(notes), "--skip-bad"]
    )
    with connect(scene) as db:
        outcomes = db.execute("SELECT outcome FROM interactions WHERE client_id = 2").fetchall()
    assert all(outcome is None for (outcome,) in outcomes)


def test_orders_re_exported_for_an_erased_person_are_skipped_and_revenue_stays(
    scene: Path, tmp_path: Path
) -> None:
    run(scene, "privacy", "forget", "C0000002", "--yes")
    with connect(scene) as db:
        total = "SELECT count(*), sum(amount_cents) FROM orders"
        before = db.execute(total).fetchone()
    orders = tmp_path / "inputs" / "reexport.csv"
    orders.write_text(
        "pedido;cliente;data;valor\n"
        "R1;C0000002;01/11/2026;10,00\n"
        "R2;c0000002;02/11/2026;20,00\n"
        "R3;anon-2;03/11/2026;30,00\n"
        "R4;C0000003;04/11/2026;40,00\n",
        encoding="utf-8",
    )
    output = run(scene, "import", "orders", str(orders))
    assert "novas 1" in output and "rejeitadas 0" in output
    assert "3 pessoas apagadas a pedido ignoradas" in output
    with connect(scene) as db:
        after = db.execute(total).fetchone()
        stored = db.execute("SELECT external_id FROM orders WHERE external_id LIKE 'R_'")
        assert [code for (code,) in stored.fetchall()] == ["R4"]
    assert after == (before[0] + 1, before[1] + 4000)
    assert traces(scene.parent) == {}
