"""store.cache's files on real Arrow files in tmp_path (the services' tests drive the rest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from carteira_tui.store import cache


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
    assert cache.read_orders(tmp_path, up_to_generation=6).height == 2
    assert cache.read_orders(tmp_path, up_to_generation=3).height == 1


def test_keep_as_links_the_file_so_the_original_can_be_replaced(tmp_path: Path) -> None:
    first = pl.DataFrame({"id": [1, 2]})
    cache.write_arrow(tmp_path / "results.arrow", first, {"generation": "1"})
    cache.keep_as(tmp_path / "results.arrow", tmp_path / "previous.arrow")
    cache.write_arrow(tmp_path / "results.arrow", pl.DataFrame({"id": [3]}), {"generation": "2"})
    kept, meta = cache.read_arrow(tmp_path / "previous.arrow")
    assert kept.get_column("id").to_list() == [1, 2] and meta == {"generation": "1"}
    cache.keep_as(tmp_path / "absent.arrow", tmp_path / "previous.arrow")  # nothing to keep
    assert cache.read_arrow(tmp_path / "previous.arrow")[1] == {"generation": "1"}


def test_the_mirror_continues_from_a_generation_only_along_an_unbroken_chain(
    tmp_path: Path,
) -> None:
    orders = pl.DataFrame(
        {"client_id": [1], "date": [date(2026, 1, 1)], "amount_cents": [5]},
        schema=cache.ORDER_MIRROR_SCHEMA,
    )
    for start, end in ((0, 3), (3, 5), (5, 8)):
        cache.write_order_part(tmp_path, orders, start=start, end=end)
    assert cache._mirror_continues(tmp_path, from_generation=3, to_generation=8)
    assert cache._mirror_continues(tmp_path, from_generation=8, to_generation=8)
    assert not cache._mirror_continues(tmp_path, from_generation=4, to_generation=8)  # straddled
    assert not cache._mirror_continues(tmp_path, from_generation=3, to_generation=9)  # gap
    found = cache.read_orders(tmp_path, up_to_generation=8, from_generation=3)
    assert found.height == 2  # the parts (3, 5] and (5, 8] only


def test_counts_added_to_kept_ones_sum_per_client_and_append_new_clients() -> None:
    kept = pl.DataFrame({"id": [2, 5, 9], "last": [1, 0, 3], "previous": [0, 2, 1]})
    added = pl.DataFrame({"id": [9, 1, 5], "last": [1, 4, 0], "previous": [2, 0, 1]})
    summed = cache._added_counts(kept, added).sort("id")
    assert summed.rows() == [(1, 4, 0), (2, 1, 0), (5, 0, 3), (9, 4, 3)]
    assert cache._added_counts(kept.clear(), added).equals(added)


def test_a_patch_compares_only_the_aggregates_of_clients_whose_own_row_is_unchanged() -> None:
    base = pl.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"], "frequency": [1, 1, 1]})
    changed = pl.DataFrame(
        {
            "id": [2, 3, 4],
            "name": ["b", "C", "d"],
            "frequency": [5, 1, 1],
            "_client_changed": [False, True, True],
        }
    )
    patched = cache._apply_changes(base, changed)
    assert patched.rows() == [(1, "a", 1), (2, "b", 5), (3, "C", 1), (4, "d", 1)]


def test_a_kept_run_compares_from_its_file_column_by_column_only_in_id_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delta of a run against the full file reads one column of it at a time (with views,
    as full files are written) and finds the same rows as against the whole frame."""
    full = pl.DataFrame({"id": [1, 2, 3], "segment": ["A", "B", None], "score": [1.0, 2.0, 3.0]})
    cache.write_arrow(tmp_path / "run-1-1.arrow", full, views=True)
    cache.write_arrow(tmp_path / "results.arrow", full.clear(), {"over": "run-1-1.arrow"})
    kept = cache._read_run(tmp_path, "results.arrow")
    assert kept.directory == tmp_path
    assert_frame_equal(kept.full_column("segment").to_frame(), full.select("segment"))
    now = pl.DataFrame(
        {"id": [1, 2, 3, 4], "segment": ["A", None, None, "C"], "score": [1.0, 2.0, 3.5, 4.0]}
    )
    monkeypatch.setattr(cache, "DELTA_SHARE", 1.0)  # three rows of four written as a delta
    by_column = cache._delta(kept.full, now, kept.full_column)
    assert by_column is not None
    assert by_column.get_column("id").to_list() == [2, 3, 4]
    assert_frame_equal(by_column, cache._delta(kept.full, now))  # type: ignore[arg-type]
    with pytest.raises(cache.CacheError):
        cache.read_arrow_column(tmp_path / "run-1-1.arrow", "absent")
    # a file not in id order is compared through the frame sorted in memory
    cache.write_arrow(tmp_path / "run-1-1.arrow", full.reverse(), views=True)
    assert cache._read_run(tmp_path, "results.arrow").directory is None
