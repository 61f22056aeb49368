"""services.segmentation's cache at small scale: base parts instead of rewriting base.arrow,
the date-sorted orders mirror, and patches that always equal a full rebuild with them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from test_segmentation import AS_OF, import_rows, order_batches, seed_small

from carteira_tui.config import Settings
from carteira_tui.services import segmentation as svc
from carteira_tui.store import results as cache


def test_a_small_patch_is_kept_as_a_base_part_not_a_new_base(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "COMPACT_SHARE", 10.0)
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    directory = cache.cache_dir(db_path)
    base_generation = cache.read_arrow_metadata(directory / "base.arrow")["generation"]
    import_rows(db_path, [], [("C2", date(2026, 6, 2), 1_000)])
    patched = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert cache.read_arrow_metadata(directory / "base.arrow")["generation"] == base_generation
    parts = cache.order_parts(directory, "base")
    assert [(start, end) for start, end, _p in parts] == [(1, 2)]
    part, _meta = cache.read_arrow(parts[0][2])
    assert part.get_column("external_id").to_list() == ["C2"]
    bruno = patched.frame.filter(pl.col("client_id") == "C2")
    assert bruno.item(0, "frequency") == 2
    assert bruno.item(0, "last_purchase") == date(2026, 6, 2)


def test_base_parts_are_folded_in_once_they_are_a_large_share(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "COMPACT_SHARE", 10.0)
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    import_rows(db_path, [], [("C2", date(2026, 6, 2), 1_000)])
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    monkeypatch.setattr(svc, "COMPACT_SHARE", 0.0)
    import_rows(db_path, [{"external_id": "C5", "name": "Eva"}], [("C5", date(2026, 6, 3), 500)])
    run = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    directory = cache.cache_dir(db_path)
    assert cache.order_parts(directory, "base") == []
    base, meta = cache.read_arrow(directory / "base.arrow")
    assert meta["generation"] == str(run.generation)
    assert base.get_column("external_id").to_list() == ["C1", "C2", "C3", "C4", "C5"]


def test_a_base_part_past_a_crash_is_replaced_not_chained(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "COMPACT_SHARE", 10.0)
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    directory = cache.cache_dir(db_path)
    stray = pl.DataFrame({"id": [99]})
    cache.write_arrow(directory / "base-1-7.arrow", stray, {"generation": "7"})
    import_rows(db_path, [], [("C4", date(2026, 6, 2), 1_000)])
    run = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert [(s, e) for s, e, _p in cache.order_parts(directory, "base")] == [(1, 2)]
    assert run.frame.filter(pl.col("client_id") == "C4").item(0, "status") == "ativo"


def test_the_orders_mirror_is_sorted_by_date_and_read_by_date_range(db_path: Path) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    directory = cache.cache_dir(db_path)
    (_s, _e, path), *_ = cache.order_parts(directory)
    mirror, _meta = cache.read_arrow(path)
    assert mirror.get_column("date").is_sorted()
    june = cache.read_orders(
        directory, up_to_generation=1, after=date(2026, 5, 1), until=date(2026, 6, 29)
    )
    assert june.get_column("date").to_list() == [date(2026, 6, 1), date(2026, 6, 29)]
    unsorted = pl.DataFrame(
        {"client_id": [1, 1], "date": [date(2026, 6, 9), date(2026, 6, 8)], "amount_cents": [1, 2]}
    )
    cache.write_arrow(directory / "orders-1-2.arrow", unsorted)
    both = cache.read_orders(directory, up_to_generation=2, after=date(2026, 6, 8))
    assert both.get_column("date").to_list() == [date(2026, 6, 29), date(2026, 6, 9)]


@hsettings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=order_batches(), share=st.sampled_from([0.0, 0.5, 10.0]), past=st.booleans())
def test_patches_through_base_parts_always_equal_a_full_rebuild(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batches: list[list[tuple[str, date, int]]],
    share: float,
    past: bool,
) -> None:
    monkeypatch.setattr(svc, "COMPACT_SHARE", share)
    db_path = tmp_path / f"q{abs(hash((str(batches), share, past)))}.db"
    as_of = AS_OF - timedelta(days=200) if past else AS_OF
    clients = [{"external_id": f"K{i}", "name": f"N{i}"} for i in range(6)]
    import_rows(db_path, clients, [])
    svc.resegment(db_path, as_of=as_of, settings=Settings())
    for batch in batches:
        import_rows(db_path, [], batch)
        patched = svc.resegment(db_path, as_of=as_of, settings=Settings())
    cache.clear_cache(cache.cache_dir(db_path))
    full = svc.resegment(db_path, as_of=as_of, settings=Settings())
    assert_frame_equal(patched.frame, full.frame)


def test_an_order_without_a_date_is_never_read_into_a_date_range(tmp_path: Path) -> None:
    directory = tmp_path / "x.db.cache"
    orders = pl.DataFrame(
        {
            "client_id": [1, 2, 3],
            "date": [None, date(2026, 6, 1), date(2026, 6, 9)],
            "amount_cents": [1, 2, 3],
        },
        schema=cache.ORDER_MIRROR_SCHEMA,
    )
    cache.write_order_part(directory, orders, start=0, end=1)
    found = cache.read_orders(directory, up_to_generation=1, after=date(2026, 1, 1))
    assert found.get_column("client_id").to_list() == [2, 3]
