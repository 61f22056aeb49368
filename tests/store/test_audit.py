"""The audit trail table: rows written inside a change's transaction, read back newest first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carteira_tui.store.audit import read_audit, write_audit
from carteira_tui.store.db import connect


def test_audit_rows_keep_before_and_after_values(db_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        write_audit(
            db,
            action="editar",
            entity="client",
            entity_id=7,
            client_id=7,
            before={"name": "Ana"},
            after={"name": "Ana Lúcia"},
            who="maria",
        )
        write_audit(db, action="importar", entity="orders", summary="3 pedidos", who="joao")
    with connect(db_path) as db:
        trail = read_audit(db)
        mine = read_audit(db, client_id=7)
    assert trail["who"].to_list() == ["joao", "maria"]
    assert json.loads(mine["after"][0]) == {"name": "Ana Lúcia"}


def test_an_audit_row_rolls_back_with_its_change(db_path: Path) -> None:
    with connect(db_path) as db:
        with pytest.raises(RuntimeError), db.atomic():
            write_audit(db, action="editar", entity="client", who="maria")
            raise RuntimeError("falhou no meio")
        assert read_audit(db).height == 0
