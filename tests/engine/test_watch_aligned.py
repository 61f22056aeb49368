"""engine.watch.movements_between: runs holding the same clients in the same order are compared
in place, and that gives exactly what the join of `movements` gives."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from carteira_tui.engine import watch

VALUES = {
    "status": [None, "ativo", "inativo_recente", "prospect"],
    "segment": [None, "Ativos", "Prospects"],
    "abc": [None, "A", "B", "C"],
}


def _run(ids: list[int], picks: list[tuple[int, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": ids,
            **{
                name: [VALUES[name][p[i] % len(VALUES[name])] for p in picks]
                for i, name in enumerate(VALUES)
            },
        },
        schema=watch.SNAPSHOT_SCHEMA,
    )


def test_aligned_runs_report_only_the_clients_that_moved() -> None:
    before = _run([1, 2, 3], [(1, 1, 1), (1, 1, 2), (0, 0, 0)])
    after = _run([1, 2, 3], [(1, 1, 1), (2, 1, 2), (3, 2, 3)])
    moves = watch.movements_between(before, after)
    assert moves.get_column("id").to_list() == [2, 3]
    assert moves.row(0, named=True) == {
        "id": 2,
        "status_from": "ativo",
        "status_to": "inativo_recente",
        "segment_from": "Ativos",
        "segment_to": "Ativos",
        "abc_from": "B",
        "abc_to": "B",
    }
    assert moves.row(1, named=True)["status_from"] is None  # null to a value is a movement


picks = st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3))


@given(
    before=st.lists(picks, min_size=0, max_size=12),
    after=st.lists(picks, min_size=0, max_size=12),
    shuffle=st.booleans(),
)
def test_in_place_comparison_equals_the_join(
    before: list[tuple[int, int, int]], after: list[tuple[int, int, int]], shuffle: bool
) -> None:
    n = min(len(before), len(after))
    previous = _run(list(range(1, len(before) + 1)), before)
    current = _run(list(range(1, len(after) + 1)), after)
    if shuffle:
        current = current.reverse()
    fast = watch.movements_between(previous, current)
    joined = watch.movements(previous.lazy(), current.lazy()).collect()
    assert_frame_equal(fast.sort("id"), joined.sort("id"))
    if not shuffle and len(before) == len(after):
        assert fast.height <= n
