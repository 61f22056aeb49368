"""A code merged away by `carteira clean --apply` names its survivor in every command a person
types a client code into (`explain`, `tasks add`, `pin`/`unpin`, `privacy export|forget`), and
the command says so; driven through click's runner on a real SQLite file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.services.owners import assignment_log
from carteira_tui.store.db import connect

OLD = "ANTIGO-77"
"""The code merged away."""
KEPT = "NOVO-11"
"""The survivor's code."""
NOTE = f"{OLD} foi unificado em {KEPT}"
AS_OF = "01/06/2026"


def run(db_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db_path), *args])
    return result.exit_code, result.stdout, result.output


def rows(db_path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with connect(db_path) as db:
        return [tuple(row) for row in db.execute(sql, list(params)).fetchall()]


@pytest.fixture
def merged(db_path: Path, tmp_path: Path) -> Path:
    """NOVO-11 and ANTIGO-77: one person (same CPF) with their own orders, merged into NOVO-11;
    OUTRO-5 is someone else. NOVO-11 has an owner."""
    clients = tmp_path / "clientes.csv"
    clients.write_text(
        "Código;Nome;CPF/CNPJ;E-mail\n"
        f"{KEPT};Ana Souza;529.982.247-25;ana@example.com\n"
        f"{OLD};Ana Souza;529.982.247-25;ana.souza@example.com\n"
        "OUTRO-5;Bruno Lima;111.444.777-35;bruno@example.com\n",
        encoding="utf-8",
    )
    orders = tmp_path / "pedidos.csv"
    orders.write_text(
        "Pedido;Código do cliente;Data;Valor\n"
        f"P1;{KEPT};10/01/2026;100,00\nP2;{OLD};10/03/2026;50,00\nP3;OUTRO-5;10/02/2026;70,00\n",
        encoding="utf-8",
    )
    for kind, path in (("clients", clients), ("orders", orders)):
        code, _out, output = run(db_path, "import", kind, str(path))
        assert code == 0, output
    code, _out, output = run(db_path, "clean", "--apply")
    assert code == 0, output
    assert re.search(rf"^1\s+{KEPT}\s+{OLD}\s", output, re.MULTILINE), output
    assert run(db_path, "owners", "add", "Bia Lima")[0] == 0
    assert run(db_path, "client", "set", KEPT, "owner", "Bia Lima")[0] == 0
    return db_path


def client_id(db_path: Path, code: str) -> int:
    ((found,),) = rows(db_path, "SELECT id FROM clients WHERE external_id = ?", (code,))
    return int(str(found))


def test_explain_of_a_merged_away_code_explains_the_survivor_and_says_so(merged: Path) -> None:
    code, out, output = run(merged, "explain", OLD, "--as-of", AS_OF)
    assert code == 0, output
    lines = out.splitlines()
    assert lines[0].startswith(f"{KEPT} — Ana Souza") and lines[1] == NOTE
    # the same explanation as the survivor's own code gives, which says nothing of a merge
    code, own, output = run(merged, "explain", KEPT, "--as-of", AS_OF)
    assert code == 0, output
    assert NOTE not in own and own.splitlines() == [lines[0], *lines[2:]]
    # the survivor's orders include the merged-away one's: two orders, R$ 150,00
    assert "150,00" in out
    code, out, _output = run(merged, "explain", OLD, "--as-of", AS_OF, "--format", "json")
    document = json.loads(out)
    assert (document["client_id"], document["merged_code"]) == (KEPT, OLD)
    _code, out, _output = run(merged, "explain", KEPT, "--as-of", AS_OF, "--format", "json")
    assert json.loads(out)["merged_code"] is None
    code, _out, output = run(merged, "explain", "NADA-1", "--as-of", AS_OF)
    assert code == 1 and "não encontrado" in output


def test_tasks_add_on_a_merged_away_code_creates_the_survivors_task(merged: Path) -> None:
    code, out, output = run(
        merged, "tasks", "add", OLD, "Levar catálogo", "--due", "10/06/2026", "--as-of", AS_OF
    )
    assert code == 0, output
    assert out.splitlines()[0] == NOTE
    assert "responsável Bia Lima" in out  # the survivor's owner, by default
    tasks = rows(merged, "SELECT client_id, title FROM tasks")
    assert tasks == [(client_id(merged, KEPT), "Levar catálogo")]
    # the survivor's own code says nothing of a merge; an unknown code writes nothing
    code, out, output = run(merged, "tasks", "add", KEPT, "Outra", "--due", "10/06/2026")
    assert code == 0 and NOTE not in out, output
    code, _out, output = run(merged, "tasks", "add", "NADA-1", "X", "--due", "10/06/2026")
    assert code == 1 and "não encontrado" in output
    assert len(rows(merged, "SELECT id FROM tasks")) == 2


def test_pin_and_unpin_of_a_merged_away_code_act_on_the_survivor(merged: Path) -> None:
    survivor = client_id(merged, KEPT)
    code, out, output = run(merged, "pin", OLD)
    assert code == 0, output
    assert out.splitlines() == [NOTE, f"cliente {KEPT} fixado em Bia Lima: o giro não o move"]
    assert rows(merged, "SELECT pinned FROM clients WHERE id = ?", (survivor,)) == [(1,)]
    code, out, output = run(merged, "unpin", OLD)
    assert code == 0, output
    assert out.splitlines()[0] == NOTE
    assert rows(merged, "SELECT pinned FROM clients WHERE id = ?", (survivor,)) == [(0,)]
    code, _out, output = run(merged, "pin", "NADA-1")
    assert code == 1 and "não encontrado" in output
    # the assignment log asked for by the old code is the survivor's
    assert assignment_log(merged, client=OLD).equals(assignment_log(merged, client=KEPT))


def test_privacy_export_of_a_merged_away_code_is_the_survivors_with_its_old_codes(
    merged: Path,
) -> None:
    code, out, output = run(merged, "privacy", "export", OLD)
    assert code == 0, output
    assert NOTE in output and NOTE not in out  # said on stderr, the JSON stays clean
    document = json.loads(out)
    assert document["cliente"]["external_id"] == KEPT
    assert [row["code"] for row in document["codigos_unificados"]] == [OLD]
    assert sorted(order["external_id"] for order in document["pedidos"]) == ["P1", "P2"]


def test_forget_of_a_merged_away_code_forgets_the_survivor_and_the_old_code(
    merged: Path, tmp_path: Path
) -> None:
    survivor = client_id(merged, KEPT)
    code, out, output = run(merged, "privacy", "forget", OLD, "--yes")
    assert code == 0, output
    lines = out.splitlines()
    assert lines[0] == NOTE
    assert f"{KEPT} anonimizado: agora anon-{survivor}; 2 pedidos mantidos (R$ 150,00)" in out
    assert rows(merged, "SELECT external_id, name FROM clients WHERE id = ?", (survivor,)) == [
        (f"anon-{survivor}", "(anonimizado)")
    ]
    # the other person is untouched
    assert rows(merged, "SELECT name FROM clients WHERE external_id = 'OUTRO-5'") == [
        ("Bruno Lima",)
    ]
    # the old code names no one: not as an alias, nowhere in any table
    assert rows(merged, "SELECT * FROM client_aliases") == []
    tables = [str(t) for (t,) in rows(merged, "SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        for row in rows(merged, f'SELECT * FROM "{table}"'):
            texts = [str(value).lower() for value in row if value is not None]
            assert not any(word in text for text in texts for word in ("antigo-77", "novo-11"))
    # nor in any byte of the database, its side files or its cache (the import files are the
    # user's own)
    written = [p for p in merged.parent.rglob("*") if p.is_file() and p.suffix != ".csv"]
    assert any(p.name == merged.name for p in written)
    for path in written:
        assert OLD.encode() not in path.read_bytes(), path
    for args in (("client", "show", OLD), ("explain", OLD), ("privacy", "export", OLD)):
        code, _out, output = run(merged, *args)
        assert code == 1 and "não encontrado" in output, args
    # and a file bringing the old code back (any case) is refused: the person was erased
    again = tmp_path / "de-novo.csv"
    again.write_text(f"Código;Nome\n{OLD};Ana\n{OLD.lower()};Ana\n", encoding="utf-8")
    code, out, output = run(merged, "import", "clients", str(again))
    assert code == 0, output
    assert "novas 0" in out and "2 pessoas apagadas a pedido ignoradas" in out
    assert rows(merged, "SELECT count(*) FROM clients") == [(2,)]


def test_the_audit_trail_of_a_merged_away_code_is_the_survivors(merged: Path) -> None:
    code, out, output = run(merged, "audit", "--client", OLD, "--format", "json")
    assert code == 0, output
    assert NOTE in output and NOTE not in out  # said on stderr, the JSON stays clean
    trail = json.loads(out)
    assert {row["client_id"] for row in trail} == {client_id(merged, KEPT)}
    assert "mesclar" in {row["action"] for row in trail}
    assert trail == json.loads(run(merged, "audit", "--client", KEPT, "--format", "json")[1])
