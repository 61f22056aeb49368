"""store.results and store.segments on real SQLite files and Arrow files in tmp_path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from carteira_tui.engine.schema import BASE_SCHEMA
from carteira_tui.engine.segments import DEFAULT_SEGMENTS
from carteira_tui.store import results as cache
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
        everyone = cache.read_base(db)
        changed = cache.read_base(db, since_generation=g1)
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
        assert cache.read_order_rows(db).height == 2
        newer = cache.read_order_rows(db, since_generation=g)
    assert newer.rows() == [(1, date(2026, 2, 1), 200)]


def test_arrow_files_round_trip_with_metadata(tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": [1, 2], "b": ["x", None]})
    path = tmp_path / "c" / "f.arrow"
    cache.write_arrow(path, frame, {"generation": "7", "as_of": "2026-06-30"})
    again, meta = cache.read_arrow(path)
    assert_frame_equal(again, frame)
    assert meta == {"generation": "7", "as_of": "2026-06-30"}
    assert cache.read_arrow_metadata(path)["generation"] == "7"
    assert [p.name for p in path.parent.iterdir()] == ["f.arrow"]


def test_a_missing_or_corrupt_file_is_a_cache_error(tmp_path: Path) -> None:
    with pytest.raises(cache.CacheError):
        cache.read_arrow(tmp_path / "absent.arrow")
    bad = tmp_path / "bad.arrow"
    bad.write_bytes(b"ARROW1 but truncated")
    with pytest.raises(cache.CacheError):
        cache.read_arrow(bad)


def test_order_parts_left_by_a_crash_are_dropped_before_appending(tmp_path: Path) -> None:
    orders = pl.DataFrame(
        {"client_id": [1], "date": [date(2026, 1, 1)], "amount_cents": [5]},
        schema=cache.ORDER_MIRROR_SCHEMA,
    )
    cache.write_order_part(tmp_path, orders, start=0, end=3)
    cache.write_order_part(tmp_path, orders, start=3, end=5)  # base.arrow never reached 5
    cache.write_order_part(tmp_path, orders, start=3, end=6)  # the retry
    assert [(s, e) for s, e, _p in cache.order_parts(tmp_path)] == [(0, 3), (3, 6)]
    assert cache.scan_orders(tmp_path, up_to_generation=6).collect().height == 2
    assert cache.scan_orders(tmp_path, up_to_generation=3).collect().height == 1


def test_the_mirror_continues_from_a_generation_only_along_an_unbroken_chain(
    tmp_path: Path,
) -> None:
    orders = pl.DataFrame(
        {"client_id": [1], "date": [date(2026, 1, 1)], "amount_cents": [5]},
        schema=cache.ORDER_MIRROR_SCHEMA,
    )
    for start, end in ((0, 3), (3, 5), (5, 8)):
        cache.write_order_part(tmp_path, orders, start=start, end=end)
    assert cache.mirror_continues(tmp_path, from_generation=3, to_generation=8)
    assert cache.mirror_continues(tmp_path, from_generation=8, to_generation=8)
    assert not cache.mirror_continues(tmp_path, from_generation=4, to_generation=8)  # straddled
    assert not cache.mirror_continues(tmp_path, from_generation=3, to_generation=9)  # gap
    found = cache.read_orders(tmp_path, up_to_generation=8, from_generation=3)
    assert found.height == 2  # the parts (3, 5] and (5, 8] only


def test_keep_as_links_the_file_so_the_original_can_be_replaced(tmp_path: Path) -> None:
    first = pl.DataFrame({"id": [1, 2]})
    cache.write_arrow(tmp_path / "results.arrow", first, {"generation": "1"})
    cache.keep_as(tmp_path / "results.arrow", tmp_path / "previous.arrow")
    cache.write_arrow(tmp_path / "results.arrow", pl.DataFrame({"id": [3]}), {"generation": "2"})
    kept, meta = cache.read_arrow(tmp_path / "previous.arrow")
    assert kept.get_column("id").to_list() == [1, 2] and meta == {"generation": "1"}
    cache.keep_as(tmp_path / "absent.arrow", tmp_path / "previous.arrow")  # nothing to keep
    assert cache.read_arrow(tmp_path / "previous.arrow")[1] == {"generation": "1"}
