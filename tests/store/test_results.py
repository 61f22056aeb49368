"""store.results and store.segments on real SQLite files in tmp_path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carteira_tui.engine.schema import BASE_SCHEMA
from carteira_tui.engine.segments import DEFAULT_SEGMENTS
from carteira_tui.store import results
from carteira_tui.store import segments as segment_store
from carteira_tui.store.db import StoreError, bump_generation, connect


def test_the_migration_seeds_the_default_segments_in_order(db_path: Path) -> None:
    with connect(db_path) as db:
        rows = segment_store.read_segments(db)
    assert [(r.name, r.filter, r.plan) for r in rows] == [
        (s.name, s.filter, s.plan) for s in DEFAULT_SEGMENTS
    ]
    assert [r.position for r in rows] == [1, 2, 3, 4, 5]


def test_segment_positions_stay_dense_after_add_move_delete(db_path: Path) -> None:
    with connect(db_path) as db:
        segment_store.write_segment(db, name="VIP", filter_text="abc = A", plan="vip", position=2)
        names = [r.name for r in segment_store.read_segments(db)]
        assert names[:3] == ["Clientes A em risco", "VIP", "Ativos"]
        segment_store.move_segment(db, "VIP", 99)
        segment_store.delete_segment(db, "Ativos")
        rows = segment_store.read_segments(db)
        assert [r.position for r in rows] == [1, 2, 3, 4, 5]
        assert rows[-1].name == "VIP"
        with pytest.raises(StoreError, match="já existe"):
            segment_store.write_segment(db, name="vip", filter_text="x", plan="y")


def test_read_base_returns_only_clients_changed_after_a_generation(db_path: Path) -> None:
    with connect(db_path) as db:
        with db.atomic():
            g1 = bump_generation(db)
            db.execute(
                "INSERT INTO clients(id, external_id, name, opt_out, birth_date, generation) "
                "VALUES (1, 'A', 'Ana', 1, '1990-02-03', ?), (2, 'B', 'Bia', 0, NULL, ?)",
                [g1, g1],
            )
        with db.atomic():
            g2 = bump_generation(db)
            db.execute(
                "INSERT INTO client_aggregates "
                "VALUES (2, '2026-01-02', '2026-03-04', 3, 900, 2, ?)",
                [g2],
            )
        everyone = results.read_base(db)
        changed = results.read_base(db, since_generation=g1)
    assert dict(everyone.schema) == BASE_SCHEMA
    assert everyone.get_column("opt_out").to_list() == [True, False]
    assert everyone.get_column("birth_date").to_list() == [date(1990, 2, 3), None]
    assert changed.get_column("id").to_list() == [2]
    assert changed.row(0, named=True)["last_purchase"] == date(2026, 3, 4)


def test_read_order_rows_since_a_generation(db_path: Path) -> None:
    with connect(db_path) as db:
        with db.atomic():
            g = bump_generation(db)
            db.execute("INSERT INTO clients(id, external_id) VALUES (1, 'A')")
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents, generation) VALUES "
                "(1, '2026-01-01', 100, ?), (1, '2026-02-01', 200, ?)",
                [g, g + 1],
            )
        assert results.read_order_rows(db).height == 2
        newer = results.read_order_rows(db, since_generation=g)
    assert newer.rows() == [(1, date(2026, 2, 1), 200)]
