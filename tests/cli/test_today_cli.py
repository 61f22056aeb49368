"""`carteira today`, `whoami` and `tasks explain --format json` through click's runner."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.config import Settings
from carteira_tui.services import tasks
from carteira_tui.services.segmentation import resegment
from carteira_tui.store.db import connect


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana'), (2, 'Bruno')")
        for client_id in range(1, 7):
            db.execute(
                "INSERT INTO clients(id, external_id, name, owner_id, consent_whatsapp)"
                " VALUES (?, ?, ?, ?, 1)",
                [client_id, f"c{client_id}", f"Cliente {client_id}", 1 + client_id % 2],
            )
            for day in ("2026-03-02", "2026-04-06", f"2026-05-{client_id + 10:02d}"):
                db.execute(
                    "INSERT INTO orders(client_id, date, amount_cents) VALUES (?, ?, ?)",
                    [client_id, day, 25_000 * client_id],
                )
    resegment(db_path, as_of=date(2026, 11, 16), settings=Settings())
    tasks.generate_tasks(db_path, as_of=date(2026, 11, 16), settings=Settings())
    return db_path


def run(*args: str, user: str | None = None) -> tuple[int, str]:
    env = {"CARTEIRA_USER": user} if user else {}
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_today_mine_as_json_agrees_with_explain(portfolio: Path) -> None:
    db = str(portfolio)
    code, out = run(
        "today", "--mine", "--as-of", "24/11/2026", "--format", "json", "--db", db, user="Ana"
    )
    assert code == 0, out
    rows = json.loads(out)
    assert [row["client_id"] for row in rows] and all(row["owner"] == "Ana" for row in rows)
    assert len({row["client_id"] for row in rows}) == len(rows)
    for row in rows:
        assert set(row) == {
            "client_id",
            "name",
            "owner",
            "urgency",
            "channel",
            "why",
            "cadence",
            "tasks",
        }
        assert row["channel"] == "whatsapp" and row["why"]
        assert set(row["tasks"][0]) == {"id", "kind", "title", "due"}
        code, out = run(
            "tasks",
            "explain",
            str(row["tasks"][0]["id"]),
            "--as-of",
            "24/11/2026",
            "--format",
            "json",
            "--db",
            db,
        )
        explained = json.loads(out)
        assert explained["total"] == row["urgency"]
        assert {t["name"] for t in explained["terms"]} >= {"due", "cycle", "value", "cadence"}
        assert all(abs(t["value"] - t["weight"] * t["factor"]) < 1e-3 for t in explained["terms"])


def test_today_as_csv_follows_the_one_convention_and_neutralises_formulas(
    portfolio: Path,
) -> None:
    with connect(portfolio) as db, db.atomic():
        db.execute("UPDATE clients SET name = '=HYPERLINK(\"x\")' WHERE owner_id = 1")
    db = str(portfolio)
    code, out = run(
        "today", "--owner", "Ana", "--as-of", "24/11/2026", "--format", "csv", "--db", db
    )
    assert code == 0, out
    header, first = out.splitlines()[:2]
    assert header.startswith("client_id;name;owner;urgency")
    assert "'=HYPERLINK" in first and "," in first.split(";")[3]  # decimal comma
    code, plain = run(
        "today", "--owner", "Ana", "--as-of", "24/11/2026", "--format", "csv", "--plain", "--db", db
    )
    assert code == 0 and plain.splitlines()[0].startswith("client_id,name,owner,urgency")


def test_whoami_names_the_owner_or_says_how_to_set_it(portfolio: Path) -> None:
    code, out = run("whoami", "--db", str(portfolio), user="bruno")
    assert (code, out.strip()) == (0, "Bruno (da variável CARTEIRA_USER)")
    code, out = run("today", "--mine", "--db", str(portfolio), user="Zé")
    assert code == 1 and "Ana, Bruno" in out
    code, out = run("today", "--owner", "Zé", "--db", str(portfolio))
    assert code == 1 and "responsável não encontrado: Zé (responsáveis: Ana, Bruno)" in out


def test_segments_edit_sets_a_cadence_and_refuses_unknown_plans_and_segments(
    portfolio: Path,
) -> None:
    db = str(portfolio)
    code, out = run("segments", "edit", "Ativos", "--cadence", "20/40", "--db", db)
    assert code == 0 and "20/40" in out
    code, out = run("segments", "edit", "Ativos", "--plan", "upsell", "--db", db)
    assert code == 1 and "plano desconhecido: 'upsell'" in out and "fidelizacao" in out
    code, out = run("segments", "edit", "Nada", "--cadence", "3/6", "--db", db)
    assert code == 1 and "Prospects" in out
    code, out = run("segments", "edit", "Ativos", "--cadence", "60/30", "--db", db)
    assert code == 2
    with connect(portfolio) as db_:
        row = db_.execute(
            "SELECT plan, cadence_ideal, cadence_max FROM segments WHERE name = 'Ativos'"
        ).fetchone()
    assert row == ("fidelizacao", 20, 40)


def test_plans_are_data_added_edited_and_deleted_with_bad_input_refused(portfolio: Path) -> None:
    db = str(portfolio)
    maes_args = ["--title", "Dia das Mães", "--trigger", "data", "--value", "dia_das_maes"]
    code, out = run(
        "plans", "add", "maes", *maes_args, "--lead", "3", "--channel", "Zap", "--db", db
    )
    assert code == 0, out
    code, out = run("plans", "list", "--format", "json", "--db", db)
    maes = next(p for p in json.loads(out) if p["code"] == "maes")
    assert (maes["trigger"], maes["channel"], maes["due_offset"]) == ("data", "whatsapp", 3)
    for args, expected in [
        (("add", "xa", "--title", "y", "--trigger", "foo"), "gatilhos: status"),
        (("add", "xb", "--title", "y", "--trigger", "data", "--value", "carnaval"), "dd/mm"),
        (
            (
                "add",
                "xc",
                "--title",
                "y",
                "--trigger",
                "status",
                "--value",
                "ativo",
                "--channel",
                "fax",
            ),
            "canais: WhatsApp",
        ),  # fmt: skip
        (("edit", "nada", "--priority", "H"), "planos: aniversario"),
    ]:
        code, out = run("plans", *args, "--db", db)
        assert code == 1 and expected in out, out
    code, out = run("plans", "edit", "maes", "--priority", "H", "--inactive", "--db", db)
    assert code == 0, out
    code, out = run("plans", "delete", "maes", "--db", db)
    assert code == 0 and "apagado" in out
    code, out = run("plans", "delete", "recompra", "--db", db)
    assert code == 0 and "desativado" in out
    with connect(portfolio) as db_:
        codes = [r[0] for r in db_.execute("SELECT code FROM action_plans WHERE code LIKE 'x%'")]
    assert codes == []


def test_on_the_demo_the_morning_queue_keeps_its_promises(tmp_path: Path) -> None:
    """Done means (issue Hoje): one row per client, consented channels, a why on every row,
    urgency equal to explain, fewer than 10 % ties in the top 100, contact takes it off."""
    from carteira_tui.services.demo import build_demo

    db = tmp_path / "demo.db"
    build_demo(db, settings=Settings())
    code, out = run("today", "--mine", "--format", "json", "--limit", "0", "--db", str(db),
                    user="Antônia Silva")  # fmt: skip
    assert code == 0, out
    rows = json.loads(out)
    assert len(rows) >= 100 and len({r["client_id"] for r in rows}) == len(rows)
    assert all(r["why"] and r["channel"] for r in rows)
    # the urgency as the JSON carries it (the one function's 4 places; the table shows 2)
    top = [r["urgency"] for r in rows[:100]]
    tied = sum(top.count(value) for value in set(top) if top.count(value) > 1)
    assert tied < 10
    for row in rows[:3]:
        code, out = run("tasks", "explain", str(row["tasks"][0]["id"]), "--format", "json",
                        "--db", str(db))  # fmt: skip
        assert json.loads(out)["total"] == row["urgency"]
    first = rows[0]["client_id"]
    code, out = run("client", "log", first, "--outcome", "Atendeu", "--channel", "whatsapp",
                    "--db", str(db))  # fmt: skip
    assert code == 0, out
    code, out = run("today", "--mine", "--format", "json", "--limit", "0", "--db", str(db),
                    user="Antônia Silva")  # fmt: skip
    assert first not in {r["client_id"] for r in json.loads(out)}


def test_today_and_whoami_load_neither_polars_nor_sqlite_utils_nor_textual(portfolio: Path) -> None:
    """The morning question is answered from one query and plain Python (a real process)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from carteira_tui.cli import main\n"
        "for args in (['today', '--mine', '--db', sys.argv[1]], ['whoami', '--db', sys.argv[1]]):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as end:\n"
        "        assert not end.code, end.code\n"
        "heavy = ('polars', 'sqlite_utils', 'textual', 'numpy', 'holidays')\n"
        "print('LOADED', [name for name in heavy if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(portfolio)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "CARTEIRA_USER": "Ana"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout, done.stdout
