"""Bulk actions on real SQLite files: owner, tags, archive, tasks; atomic and audited."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from carteira_tui.config import Settings
from carteira_tui.services import bulk
from carteira_tui.services.bulk import BulkError
from carteira_tui.store.db import connect, generation

MONDAY = date(2026, 11, 23)


def seed(db_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana'), (2, 'Bruno')")
        rows = [
            (1, "c1", "Alfa", 1, "vip, atacado", 0),
            (2, "c2", "Beta", 2, None, 0),
            (3, "c3", "Gama", 2, "VIP;varejo", 0),
            (4, "c4", "Delta", None, "", 1),
        ]
        for row in rows:
            db.execute(
                "INSERT INTO clients(id, external_id, name, owner_id, tags, archived)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                list(row),
            )


def column(db_path: Path, name: str) -> dict[int, Any]:
    with connect(db_path) as db:
        return dict(db.execute(f"SELECT id, {name} FROM clients ORDER BY id").fetchall())


def audit(db_path: Path) -> list[tuple[Any, ...]]:
    with connect(db_path) as db:
        return db.execute(
            "SELECT action, client_id, before, after FROM audit ORDER BY id"
        ).fetchall()


def current_generation(db_path: Path) -> int:
    with connect(db_path) as db:
        return generation(db)


def test_reassign_moves_only_clients_of_other_owners_and_audits_each(db_path: Path) -> None:
    seed(db_path)
    result = bulk.reassign_clients(db_path, client_ids=[1, 2, 4], owner="bruno")
    assert (result.requested, result.changed, result.unchanged) == (3, 2, 1)
    assert column(db_path, "owner_id") == {1: 2, 2: 2, 3: 2, 4: 2}
    assert result.generation == current_generation(db_path) == 1
    assert column(db_path, "generation") == {1: 1, 2: 0, 3: 0, 4: 1}
    rows = audit(db_path)
    assert [(r[0], r[1]) for r in rows] == [("trocar_responsavel", 1), ("trocar_responsavel", 4)]
    assert json.loads(rows[0][2]) == {"owner": "Ana"}
    assert json.loads(rows[0][3]) == {"owner": "Bruno"}
    assert json.loads(rows[1][2]) == {"owner": None}


def test_reassign_to_an_unknown_owner_changes_nothing(db_path: Path) -> None:
    seed(db_path)
    with pytest.raises(BulkError, match="responsável não encontrado: 'Carla'.*Ana, Bruno"):
        bulk.reassign_clients(db_path, client_ids=[1], owner="Carla")
    assert column(db_path, "owner_id") == {1: 1, 2: 2, 3: 2, 4: None}
    assert audit(db_path) == []
    assert current_generation(db_path) == 0


def test_a_missing_client_id_fails_the_whole_action(db_path: Path) -> None:
    seed(db_path)
    with pytest.raises(BulkError, match="não encontrado"):
        bulk.tag_clients(db_path, client_ids=[1, 2, 99], tag="novo")
    assert column(db_path, "tags") == {1: "vip, atacado", 2: None, 3: "VIP;varejo", 4: ""}
    assert audit(db_path) == []


def test_tag_is_appended_once_ignoring_case(db_path: Path) -> None:
    seed(db_path)
    result = bulk.tag_clients(db_path, client_ids=[1, 2, 3, 4], tag="vip")
    assert (result.changed, result.unchanged) == (2, 2)
    assert column(db_path, "tags") == {1: "vip, atacado", 2: "vip", 3: "VIP;varejo", 4: "vip"}
    assert [r[1] for r in audit(db_path)] == [2, 4]
    assert result.summary == "2 cliente(s) com a etiqueta · 2 já estavam assim"


def test_untag_removes_every_spelling_and_leaves_null_when_none_is_left(db_path: Path) -> None:
    seed(db_path)
    result = bulk.untag_clients(db_path, client_ids=[1, 2, 3], tag="Vip")
    assert (result.changed, result.unchanged) == (2, 1)
    assert column(db_path, "tags") == {1: "atacado", 2: None, 3: "varejo", 4: ""}
    bulk.untag_clients(db_path, client_ids=[1], tag="atacado")
    assert column(db_path, "tags")[1] is None


def test_a_tag_with_a_separator_is_refused(db_path: Path) -> None:
    seed(db_path)
    with pytest.raises(BulkError, match="uma etiqueta por vez"):
        bulk.tag_clients(db_path, client_ids=[1], tag="a, b")


def test_with_tag_and_without_tag_on_a_frame() -> None:
    frame = pl.DataFrame({"id": [1, 2, 3], "tags": ["a | B", None, "b"]})
    assert bulk.with_tag(frame, "c")["new_tags"].to_list() == ["a, B, c", "c", "b, c"]
    assert bulk.without_tag(frame, "b")["new_tags"].to_list() == ["a", None, None]


def test_archive_skips_archived_clients_and_bumps_the_generation_once(db_path: Path) -> None:
    seed(db_path)
    result = bulk.archive_clients(db_path, client_ids=[2, 3, 4])
    assert (result.changed, result.unchanged) == (2, 1)
    assert column(db_path, "archived") == {1: 0, 2: 1, 3: 1, 4: 1}
    stamps = column(db_path, "archived_at")
    assert stamps[1] is None and stamps[4] is None
    assert stamps[2] is not None and stamps[2] == stamps[3]
    assert current_generation(db_path) == 1
    assert [(r[0], r[1], json.loads(r[3])["archived"]) for r in audit(db_path)] == [
        ("arquivar", 2, 1),
        ("arquivar", 3, 1),
    ]


def test_nothing_to_change_writes_nothing(db_path: Path) -> None:
    seed(db_path)
    result = bulk.archive_clients(db_path, client_ids=[4])
    assert (result.changed, result.generation) == (0, None)
    assert current_generation(db_path) == 0
    assert audit(db_path) == []


def test_an_empty_selection_is_refused(db_path: Path) -> None:
    seed(db_path)
    with pytest.raises(BulkError, match="nenhum cliente selecionado"):
        bulk.archive_clients(db_path, client_ids=[])


def test_create_tasks_adds_one_manual_task_per_client_with_its_owner(db_path: Path) -> None:
    seed(db_path)
    result = bulk.create_tasks(
        db_path,
        client_ids=[1, 2],
        title="Ligar sobre a promoção",
        due=date(2026, 11, 28),  # a Saturday: rolled forward to Monday 30/11
        as_of=MONDAY,
        settings=Settings(),
    )
    assert result.changed == 2 and len(result.task_ids) == 2
    with connect(db_path) as db:
        rows = db.execute(
            "SELECT client_id, title, due, owner_id, kind, status FROM tasks ORDER BY client_id"
        ).fetchall()
    assert rows == [
        (1, "Ligar sobre a promoção", "2026-11-30", 1, "manual", "aberta"),
        (2, "Ligar sobre a promoção", "2026-11-30", 2, "manual", "aberta"),
    ]


def test_create_tasks_checks_every_client_before_writing(db_path: Path) -> None:
    seed(db_path)
    with pytest.raises(BulkError):
        bulk.create_tasks(
            db_path,
            client_ids=[1, 77],
            title="Ligar",
            due=MONDAY,
            as_of=MONDAY,
            settings=Settings(),
        )
    with connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0


def test_create_tasks_failing_halfway_writes_no_task(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carteira_tui.services import tasks as task_service

    seed(db_path)
    calls = []
    real_audit = task_service.write_audit

    def audit_then_fail(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disco cheio")
        real_audit(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(task_service, "write_audit", audit_then_fail)
    with pytest.raises(RuntimeError):
        bulk.create_tasks(
            db_path,
            client_ids=[1, 2],
            title="Ligar",
            due=MONDAY,
            as_of=MONDAY,
            settings=Settings(),
        )
    with connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM audit WHERE entity = 'tasks'").fetchone()[0] == 0


def test_run_bulk_action_dispatches_by_name_and_refuses_an_unknown_one(db_path: Path) -> None:
    seed(db_path)
    today = date(2026, 11, 20)
    tagged = bulk.run_bulk_action(
        db_path, action="tag", value="vip", client_ids=[1, 2], today=today, settings=Settings()
    )
    assert (tagged.requested, tagged.changed) == (2, 1)  # client 1 had the tag already
    assert column(db_path, "tags")[2] == "vip"
    with pytest.raises(BulkError, match="desconhecida"):
        bulk.run_bulk_action(
            db_path, action="apagar", client_ids=[1], today=today, settings=Settings()
        )
