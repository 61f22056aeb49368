"""`carteira audit`: the trail, filtered by client and date, as table, CSV or JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.services import clients
from carteira_tui.services.imports import import_file
from carteira_tui.store.db import connect


@pytest.fixture
def audited(db_path: Path, tmp_path: Path) -> Path:
    """The import's own row, C1 with one note, C2 with one note, and an old row dated 2020."""
    (tmp_path / "c.csv").write_text("codigo;nome\nC1;Ana\nC2;Bia\n", encoding="utf-8")
    assert import_file(db_path, "clients", tmp_path / "c.csv").written
    clients.add_note(db_path, "C1", "ligar amanhã", on=date(2026, 11, 23))
    clients.add_note(db_path, "C2", "mandar proposta", on=date(2026, 11, 23))
    with connect(db_path) as db, db.atomic():
        db.execute(
            "INSERT INTO audit(at, who, action, entity, client_id, summary)"
            " VALUES ('2020-01-02T03:04:05', 'velho', 'antigo', 'client', 1, 'linha antiga')"
        )
    return db_path


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_json_lists_every_row_newest_first(audited: Path) -> None:
    code, output = _invoke("--db", str(audited), "audit", "--format", "json")
    assert code == 0, output
    rows = json.loads(output)
    ids = [r["id"] for r in rows]
    assert ids == sorted(ids, reverse=True) and len(ids) == 4
    assert {r["action"] for r in rows} == {"importar", "anotar", "antigo"}
    assert rows[-1]["after"] is not None


def test_client_filter_keeps_only_that_client(audited: Path) -> None:
    code, output = _invoke("audit", "--client", "C2", "--format", "json", "--db", str(audited))
    assert code == 0, output
    rows = json.loads(output)
    assert len(rows) == 1 and rows[0]["client_id"] == 2


def test_since_accepts_a_brazilian_date(audited: Path) -> None:
    code, output = _invoke(
        "audit", "--since", "01/01/2021", "--format", "json", "--db", str(audited)
    )
    assert code == 0, output
    assert "velho" not in {r["who"] for r in json.loads(output)}
    assert len(json.loads(output)) == 3


def test_table_shows_brazilian_timestamps(audited: Path) -> None:
    code, output = _invoke("audit", "--client", "#1", "--db", str(audited))
    assert code == 0, output
    assert "02/01/2020 03:04" in output and "linha antiga" in output
    assert output.splitlines()[0].split() == ["quando", "quem", "ação", "cliente", "resumo"]


def test_csv_has_a_header_and_one_line_per_row(audited: Path) -> None:
    code, output = _invoke("audit", "--format", "csv", "--db", str(audited))
    assert code == 0, output
    lines = output.strip().splitlines()
    assert lines[0].startswith("id;at;who;action")  # the one CSV convention
    assert len(lines) == 5


def test_bad_date_and_unknown_client_are_messages(audited: Path) -> None:
    code, output = _invoke("audit", "--since", "ontem à noite", "--db", str(audited))
    assert code == 2 and "data inválida" in output
    code, output = _invoke("audit", "--client", "ZZ", "--db", str(audited))
    assert code == 1 and "cliente não encontrado: ZZ" in output


def test_missing_database_is_a_message(tmp_path: Path) -> None:
    code, output = _invoke("audit", "--db", str(tmp_path / "nada.db"))
    assert code == 1 and "banco não encontrado" in output
    assert not (tmp_path / "nada.db").exists()


def test_help_has_an_example() -> None:
    code, output = _invoke("audit", "--help")
    assert code == 0 and "Exemplo:" in output and "carteira audit" in output
