"""Read-only mode: every write path is refused at the store with one pt-BR message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from carteira_tui.config import Settings, load_settings
from carteira_tui.services import clients, session
from carteira_tui.services.imports import ImportFailed, import_file
from carteira_tui.services.privacy import PrivacyError, export_person, forget_person
from carteira_tui.services.segmentation import current_results, resegment
from carteira_tui.store.db import READ_ONLY_MESSAGE, StoreError, connect

CLIENTS = "codigo;nome;email\nC1;Ana;ana@example.com\nC2;Bia;bia@example.com\n"


@pytest.fixture(autouse=True)
def _writable_again() -> Iterator[None]:
    yield
    session.set_read_only(False)


@pytest.fixture
def seeded(db_path: Path, tmp_path: Path) -> Path:
    (tmp_path / "c.csv").write_text(CLIENTS, encoding="utf-8")
    assert import_file(db_path, "clients", tmp_path / "c.csv").written
    return db_path


def _snapshot(db_path: Path) -> list[tuple[object, ...]]:
    with connect(db_path) as db:
        return [
            *db.execute("SELECT * FROM clients ORDER BY id").fetchall(),
            *db.execute("SELECT * FROM audit ORDER BY id").fetchall(),
            *db.execute("SELECT * FROM meta ORDER BY key").fetchall(),
        ]


def test_a_raw_write_is_refused_with_the_read_only_message(seeded: Path) -> None:
    session.set_read_only(True)
    with connect(seeded) as db:
        with pytest.raises(StoreError, match=READ_ONLY_MESSAGE), db.atomic():
            db.execute("UPDATE clients SET name = 'X'")
        assert db.execute("SELECT name FROM clients ORDER BY id").fetchall() == [("Ana",), ("Bia",)]


def test_executemany_and_executescript_are_refused_too(seeded: Path) -> None:
    session.set_read_only(True)
    with connect(seeded) as db:
        with pytest.raises(StoreError, match=READ_ONLY_MESSAGE):
            db.conn.executemany("INSERT INTO owners(name) VALUES (?)", [("a",), ("b",)])
        with pytest.raises(StoreError, match=READ_ONLY_MESSAGE):
            db.executescript("DELETE FROM clients;")


def test_an_import_is_refused_and_changes_nothing(seeded: Path, tmp_path: Path) -> None:
    before = _snapshot(seeded)
    session.set_read_only(True)
    (tmp_path / "novo.csv").write_text("codigo;nome\nC3;Caio\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=READ_ONLY_MESSAGE):
        import_file(seeded, "clients", tmp_path / "novo.csv")
    session.set_read_only(False)
    assert _snapshot(seeded) == before


def test_editing_a_client_is_refused(seeded: Path) -> None:
    before = _snapshot(seeded)
    session.set_read_only(True)
    with pytest.raises(StoreError, match=READ_ONLY_MESSAGE):
        clients.add_note(seeded, "C1", "ligar amanhã", on=date(2026, 11, 23))
    session.set_read_only(False)
    assert _snapshot(seeded) == before


def test_forget_is_refused_before_any_backup_is_taken(seeded: Path) -> None:
    session.set_read_only(True)
    with pytest.raises(PrivacyError, match=READ_ONLY_MESSAGE):
        forget_person(seeded, client="C1")
    assert not list(seeded.parent.glob("*.bak.db"))


def test_reading_still_works_read_only(seeded: Path) -> None:
    resegment(seeded, as_of=date(2026, 11, 23), settings=Settings())
    with connect(seeded) as db:
        audit_before = db.execute("SELECT count(*) FROM audit").fetchone()
    session.set_read_only(True)
    assert current_results(seeded, settings=Settings()).frame.height == 2
    document = export_person(seeded, client="C2").document
    assert document["cliente"]["name"] == "Bia"
    with connect(seeded) as db:
        assert db.execute("SELECT count(*) FROM audit").fetchone() == audit_before


def test_a_missing_file_is_not_created_read_only(tmp_path: Path) -> None:
    session.set_read_only(True)
    with pytest.raises(StoreError, match="banco não encontrado"):
        connect(tmp_path / "novo.db").__enter__()
    assert not (tmp_path / "novo.db").exists()


def test_settings_switch_read_only_on(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("read_only = true\n", encoding="utf-8")
    settings = load_settings(config)
    assert settings.read_only is True
    session.apply_settings(settings)
    assert session.is_read_only()
