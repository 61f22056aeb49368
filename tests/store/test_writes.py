"""store.{clients,orders,owners,aggregates}: bulk writes and readers on a real SQLite file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from carteira_tui.store import aggregates, clients, orders
from carteira_tui.store.db import connect
from carteira_tui.store.owners import upsert_owners


def _seed_clients(db_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        clients.insert_clients(
            db,
            pl.DataFrame(
                {"external_id": ["C1", "C2"], "name": ["Ana", None], "opt_out": [None, 1]}
            ),
            generation=1,
        )


def test_insert_clients_defaults_not_null_columns(db_path: Path) -> None:
    _seed_clients(db_path)
    with connect(db_path) as db:
        frame = clients.read_clients(db)
    assert frame.select("external_id", "name", "opt_out", "pinned", "generation").rows() == [
        ("C1", "Ana", 0, 0, 1),
        ("C2", "", 1, 0, 1),
    ]
    assert frame.schema["birth_date"] == pl.Date


def test_update_clients_changes_only_given_non_null_values(db_path: Path) -> None:
    _seed_clients(db_path)
    with connect(db_path) as db, db.atomic():
        clients.update_clients(
            db,
            pl.DataFrame(
                {"external_id": ["C1", "C2"], "name": [None, "Bia"], "city": ["Recife", None]}
            ),
            generation=2,
        )
    with connect(db_path) as db:
        frame = clients.read_clients(db)
    assert frame.select("name", "city", "opt_out", "generation").rows() == [
        ("Ana", "Recife", 0, 2),
        ("Bia", None, 1, 2),
    ]


def test_upsert_owners_creates_only_new_names(db_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        first = upsert_owners(db, ["Ana", "Bruno", "Ana"])
        second = upsert_owners(db, ["Bruno", "Carla"])
    assert second["Bruno"] == first["Bruno"]
    assert set(second) == {"Bruno", "Carla"}
    with connect(db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM owners").fetchone()[0] == 3


def _seed_orders(db_path: Path) -> None:
    _seed_clients(db_path)
    with connect(db_path) as db, db.atomic():
        orders.insert_orders(
            db,
            pl.DataFrame(
                {
                    "external_id": ["P1", "P2", "P3", None],
                    "client_id": [1, 1, 1, 2],
                    "date": [
                        date(2024, 1, 5),
                        date(2024, 1, 5),
                        date(2024, 2, 1),
                        date(2024, 3, 1),
                    ],
                    "amount_cents": [1000, 250, 99, 5000],
                    "channel": ["loja", None, "site", None],
                }
            ),
            generation=3,
        )


def test_read_orders_for_some_clients(db_path: Path) -> None:
    _seed_orders(db_path)
    with connect(db_path) as db, db.atomic():
        some = orders.read_orders(db, client_ids=[2])
        every = orders.read_orders(db)
        existing = orders.read_existing_order_ids(db, ["P2", "P9"])
    assert_frame_equal(
        some,
        pl.DataFrame({"client_id": [2], "date": [date(2024, 3, 1)], "amount_cents": [5000]}),
    )
    assert every.height == 4
    assert every.schema == pl.Schema(
        {"client_id": pl.Int64, "date": pl.Date, "amount_cents": pl.Int64}
    )
    assert existing == {"P2"}


def test_rebuild_all_recomputes_every_aggregate_from_orders(db_path: Path) -> None:
    _seed_orders(db_path)
    with connect(db_path) as db:
        assert aggregates.rebuild_all(db) == 2
        rows = aggregates.read_aggregates(db).sort("client_id").rows()
        stamped = db.execute("SELECT DISTINCT generation FROM client_aggregates").fetchall()
        generation = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0]
    # Client 1: 3 orders on 2 distinct days, 10,00 + 2,50 + 0,99.
    assert rows == [
        (1, date(2024, 1, 5), date(2024, 2, 1), 3, 1349, 2),
        (2, date(2024, 3, 1), date(2024, 3, 1), 1, 5000, 1),
    ]
    assert stamped == [(int(generation),)]


def test_a_failing_row_inside_atomic_leaves_nothing(db_path: Path) -> None:
    _seed_clients(db_path)
    with connect(db_path) as db:
        with pytest.raises(Exception, match="UNIQUE"), db.atomic():
            clients.insert_clients(
                db, pl.DataFrame({"external_id": ["C3", "C1"], "name": ["x", "y"]}), generation=9
            )
        assert db.execute("SELECT COUNT(*) FROM clients").fetchone()[0] == 2


def test_bulk_page_cache_only_for_loads_of_many_rows(db_path: Path) -> None:
    """A small load keeps SQLite's page cache (its pages would stay in the heap after close);
    a large one, or one of unknown size, gets the big cache."""

    def cache_kib(rows: int | None) -> int:
        with connect(db_path) as db:
            default = int(db.execute("PRAGMA cache_size").fetchone()[0])
            orders.use_bulk_cache(db, rows=rows)
            size = int(db.execute("PRAGMA cache_size").fetchone()[0])
        return default if size == default else -size

    with connect(db_path) as db:
        default = int(db.execute("PRAGMA cache_size").fetchone()[0])
    assert cache_kib(orders.BULK_CACHE_MIN_ROWS - 1) == default
    assert cache_kib(orders.BULK_CACHE_MIN_ROWS) == 256 * 1024
    assert cache_kib(None) == 256 * 1024
