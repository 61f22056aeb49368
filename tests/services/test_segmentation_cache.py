"""services.segmentation's cache at small scale: base parts instead of rewriting base.arrow,
the date-sorted orders mirror, and patches that always equal a full rebuild with them."""

from __future__ import annotations

import shutil
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
from carteira_tui.engine.schema import COMPUTED_SCHEMA
from carteira_tui.services import segmentation as svc
from carteira_tui.store import cache
from carteira_tui.store.db import connect


def test_a_small_patch_is_kept_as_a_base_part_not_a_new_base(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "COMPACT_SHARE", 10.0)
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
    monkeypatch.setattr(cache, "COMPACT_SHARE", 10.0)
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    import_rows(db_path, [], [("C2", date(2026, 6, 2), 1_000)])
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    monkeypatch.setattr(cache, "COMPACT_SHARE", 0.0)
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
    monkeypatch.setattr(cache, "COMPACT_SHARE", 10.0)
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
@given(
    batches=order_batches(),
    share=st.sampled_from([0.0, 0.5, 10.0]),
    delta_share=st.sampled_from([0.0, 0.5, 10.0]),
    past=st.booleans(),
)
def test_patches_through_base_parts_always_equal_a_full_rebuild(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batches: list[list[tuple[str, date, int]]],
    share: float,
    delta_share: float,
    past: bool,
) -> None:
    monkeypatch.setattr(cache, "COMPACT_SHARE", share)
    monkeypatch.setattr(cache, "DELTA_SHARE", delta_share)
    db_path = tmp_path / f"q{abs(hash((str(batches), share, delta_share, past)))}.db"
    as_of = AS_OF - timedelta(days=200) if past else AS_OF
    clients = [{"external_id": f"K{i}", "name": f"N{i}"} for i in range(6)]
    import_rows(db_path, clients, [])
    before = svc.resegment(db_path, as_of=as_of, settings=Settings())
    for batch in batches:
        import_rows(db_path, [], batch)
        patched = svc.resegment(db_path, as_of=as_of, settings=Settings())
        # what was kept reads back as the run, and the run before as the previous one
        assert_frame_equal(svc.current_results(db_path, settings=Settings()).frame, patched.frame)
        previous = svc.previous_run(db_path)
        assert previous is not None
        assert_frame_equal(previous, before.frame.select(list(COMPUTED_SCHEMA)))
        before = patched
    shutil.rmtree(cache.cache_dir(db_path))
    full = svc.resegment(db_path, as_of=as_of, settings=Settings())
    assert full.rebuilt
    assert_frame_equal(patched.frame, full.frame)


def _run_files(db_path: Path) -> set[str]:
    return {path.name for path in cache.cache_dir(db_path).glob("run-*.arrow")}


def test_a_small_change_is_kept_as_the_rows_that_differ_from_the_full_run(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "DELTA_SHARE", 0.9)  # four clients: one is a quarter of them
    seed_small(db_path)
    first = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    directory = cache.cache_dir(db_path)
    kept, meta = cache.read_arrow(directory / "results.arrow")
    assert kept.height == 0 and _run_files(db_path) == {meta["over"]}
    import_rows(db_path, [], [("C1", date(2026, 6, 20), 2_000)])
    second = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    delta, delta_meta = cache.read_arrow(directory / "results.arrow")
    assert delta_meta["over"] == meta["over"]  # no new full file
    assert "C1" not in delta.columns and "name" not in delta.columns  # computed columns only
    changed = (
        second.frame.join(first.frame, on="id", suffix="_before")
        .filter(pl.col("monetary_cents") != pl.col("monetary_cents_before"))
        .get_column("id")
    )
    assert set(changed.to_list()) <= set(delta.get_column("id").to_list())
    assert delta.height < second.frame.height
    assert_frame_equal(svc.current_results(db_path, settings=Settings()).frame, second.frame)
    previous = svc.previous_run(db_path)
    assert previous is not None
    assert previous.filter(pl.col("id") == changed[0]).item(0, "monetary_cents") == 20_000


def test_a_run_that_changes_many_rows_is_written_whole_and_old_full_files_go(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "DELTA_SHARE", 0.0)
    monkeypatch.setattr(cache, "RUN_FILE_GRACE_SECONDS", 0.0)
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    names = []
    for day in (AS_OF + timedelta(days=1), AS_OF + timedelta(days=2)):
        svc.resegment(db_path, as_of=day, settings=Settings())
        names.append(cache.read_arrow_metadata(cache.cache_dir(db_path) / "results.arrow")["over"])
    # the last run's full file and the previous run's stay; the first run's is removed
    assert _run_files(db_path) == set(names)
    previous = svc.previous_run(db_path)
    assert previous is not None
    assert (
        previous.filter(pl.col("recency_days").is_not_null()).get_column("recency_days").min()
        == (AS_OF + timedelta(days=1) - date(2026, 6, 29)).days
    )


def test_resegmenting_with_nothing_changed_returns_the_kept_run_and_records_nothing(
    db_path: Path,
) -> None:
    seed_small(db_path)
    first = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    again = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert_frame_equal(again.frame, first.frame)
    assert not again.rebuilt
    with connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM segment_runs").fetchone()[0] == 1
    other = svc.resegment(db_path, as_of=AS_OF, settings=Settings(active_days=10))
    assert other.frame.filter(pl.col("status") == "ativo").height == 1
    with connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM segment_runs").fetchone()[0] == 2


def test_a_cache_of_an_older_layout_is_never_found_but_rebuilt_and_removed(
    db_path: Path,
) -> None:
    seed_small(db_path)
    first = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    shutil.rmtree(cache.cache_dir(db_path))
    # the files of the layout before the versioned folder, straight in `<db>.cache/`
    old = cache.root_dir(db_path)
    cache.write_arrow(old / "results.arrow", first.frame, {"generation": str(first.generation)})
    (old / "identity").write_text("2 whatever 1 -", encoding="ascii")
    assert svc.current_results(db_path, settings=Settings()).missing
    import_rows(db_path, [], [("C2", date(2026, 6, 2), 1_000)])
    second = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert second.rebuilt and not svc.current_results(db_path, settings=Settings()).missing
    assert second.frame.height == first.frame.height
    assert sorted(path.name for path in old.iterdir()) == [cache.VERSION]


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


def test_a_run_describes_itself_in_portuguese(db_path: Path) -> None:
    seed_small(db_path)
    first = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert first.describe().startswith("Segmentação de 30/06/2026 recalculada em ")
    assert first.describe().endswith(" s (4 clientes).") and "," in first.describe()
    again = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert again.unchanged
    assert again.describe() == (
        "Segmentação de 30/06/2026 já estava em dia: nada mudou (4 clientes)."
    )


def test_client_edits_and_orders_patched_through_parts_equal_a_full_rebuild(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hand-made portfolio re-segmented after each small change (parts kept, never folded)
    equals the same portfolio segmented from nothing: a client's own row edited in one part
    and only its orders in the next keeps the edit (the part that changed the row says so)."""
    monkeypatch.setattr(cache, "COMPACT_SHARE", 10.0)
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    steps: list[tuple[list[dict[str, object]], list[tuple[str, date, int]]]] = [
        ([{"external_id": "C2", "name": "Bruno Souza", "delinquent": 1}], []),
        ([], [("C2", date(2026, 6, 25), 40_000), ("C4", date(2026, 6, 1), 700)]),
        ([{"external_id": "C5", "name": "Eva"}], [("C5", date(2026, 6, 28), 90_000)]),
        ([], [("C1", date(2026, 6, 30), -2_500), ("C2", date(2026, 6, 26), 1_000)]),
    ]
    for clients, orders in steps:
        import_rows(db_path, clients, orders)
        patched = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
        assert not patched.rebuilt
    parts = cache.order_parts(cache.cache_dir(db_path), "base")
    assert len(parts) == len(steps)  # every change kept as a part over the first base
    bruno = patched.frame.filter(pl.col("client_id") == "C2")
    assert bruno.item(0, "name") == "Bruno Souza" and bruno.item(0, "excluded")
    assert bruno.item(0, "frequency") == 3
    board = svc.board(db_path, settings=Settings())
    shutil.rmtree(cache.cache_dir(db_path))
    full = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert full.rebuilt
    assert_frame_equal(patched.frame, full.frame)
    assert_frame_equal(svc.current_results(db_path, settings=Settings()).frame, full.frame)
    assert {(r.dimension, r.value, r.clients, r.revenue_cents) for r in board.rows} == {
        (r.dimension, r.value, r.clients, r.revenue_cents)
        for r in svc.board(db_path, settings=Settings()).rows
    }
