"""engine.assign: who needs an owner, the giro de carteira, and balance by capacity and value."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from carteira_tui.engine import assign

AS_OF = date(2026, 4, 17)


def clients(*rows: dict[str, Any]) -> pl.LazyFrame:
    defaults: dict[str, Any] = {
        "owner_id": None,
        "pinned": False,
        "segment": "Ativos",
        "abc": None,
        "monetary_cents": 0,
        "last_touch": None,
    }
    return pl.LazyFrame([{**defaults, **row} for row in rows], schema=assign.CLIENT_SCHEMA)


def owners(*rows: tuple[int, int, bool]) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema=assign.OWNER_SCHEMA, orient="row")


def pools(*rows: tuple[str, int]) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema=assign.POOL_SCHEMA, orient="row")


def run(
    portfolio: pl.LazyFrame,
    team: pl.LazyFrame,
    pool: pl.LazyFrame | None = None,
    *,
    rotate: bool = False,
    idle_days: int = 60,
) -> pl.DataFrame:
    candidates = assign.assignment_candidates(
        portfolio, team, rotate=rotate, as_of=AS_OF, idle_days=idle_days
    )
    return assign.balanced_assignments(
        portfolio, candidates, team, pool if pool is not None else pools()
    ).collect()


def owner_of(changes: pl.DataFrame) -> dict[int, int]:
    return dict(changes.select("id", "to_owner_id").iter_rows())


def test_unowned_clients_without_class_are_dealt_in_proportion_to_capacity() -> None:
    portfolio = clients(*({"id": i} for i in range(1, 7)))
    changes = run(portfolio, owners((1, 200, True), (2, 100, True)))
    assert changes.height == 6
    counts = changes.group_by("to_owner_id").len().sort("to_owner_id")
    assert counts.rows() == [(1, 4), (2, 2)]
    assert set(changes["reason"]) == {"sem_responsavel"}
    assert changes["from_owner_id"].null_count() == 6


def test_value_is_balanced_within_a_class_on_a_worked_example() -> None:
    # A values 100, 90, 80, 70 between two equal owners: snake order gives 100+70 and 90+80.
    portfolio = clients(
        {"id": 1, "abc": "A", "monetary_cents": 100},
        {"id": 2, "abc": "A", "monetary_cents": 90},
        {"id": 3, "abc": "A", "monetary_cents": 80},
        {"id": 4, "abc": "A", "monetary_cents": 70},
    )
    changes = run(portfolio, owners((1, 10, True), (2, 10, True)))
    assert owner_of(changes) == {1: 1, 2: 2, 3: 2, 4: 1}


def test_an_owner_already_holding_class_a_revenue_gets_the_new_a_clients_elsewhere() -> None:
    portfolio = clients(
        {"id": 1, "owner_id": 1, "abc": "A", "monetary_cents": 200},
        {"id": 2, "abc": "A", "monetary_cents": 100},
        {"id": 3, "abc": "A", "monetary_cents": 100},
        {"id": 4, "abc": "C", "monetary_cents": 5},
        {"id": 5, "abc": "C", "monetary_cents": 5},
    )
    changes = run(portfolio, owners((1, 10, True), (2, 10, True)))
    assert owner_of(changes) == {2: 2, 3: 2, 4: 1, 5: 2}


@settings(max_examples=25)
@given(
    st.lists(st.integers(min_value=1, max_value=1_000_000), min_size=300, max_size=600),
    st.sampled_from([(1, 1, 1), (2, 1, 1), (3, 2, 1)]),
)
def test_each_owner_share_of_class_revenue_follows_capacity_within_tolerance(
    values: list[int], capacities: tuple[int, int, int]
) -> None:
    portfolio = clients(
        *({"id": i, "abc": "B", "monetary_cents": v} for i, v in enumerate(values, start=1))
    )
    team = owners(*((i, c * 100, True) for i, c in enumerate(capacities, start=1)))
    changes = run(portfolio, team)
    assert changes.height == len(values)
    loads = assign.owner_loads(assign.with_changes(portfolio, changes.lazy()), team).collect()
    total = sum(capacities)
    # dealt round by round from the top, an owner is off by at most about two of the largest
    # clients (one per rounding at each end of the ranking)
    tolerance = 2 * max(values) / sum(values) + 0.01
    for owner_id, share in loads.select("owner_id", "share_b").iter_rows():
        assert abs(share - capacities[owner_id - 1] / total) <= tolerance


def test_rotation_moves_only_clients_idle_for_the_whole_period() -> None:
    portfolio = clients(
        {"id": 1, "owner_id": 1, "last_touch": AS_OF - timedelta(days=60)},
        {"id": 2, "owner_id": 1, "last_touch": AS_OF - timedelta(days=59)},
        {"id": 3, "owner_id": 1, "last_touch": None},
    )
    changes = run(portfolio, owners((1, 10, True), (2, 10, True)), rotate=True)
    assert changes.rows() == [(1, 1, 2, "giro"), (3, 1, 2, "giro")]


def test_pinned_clients_never_rotate_even_when_idle_or_their_owner_is_inactive() -> None:
    portfolio = clients(
        {"id": 1, "owner_id": 1, "pinned": True},
        {"id": 2, "owner_id": 3, "pinned": True},
        {"id": 3, "owner_id": 1},
    )
    changes = run(portfolio, owners((1, 10, True), (2, 10, True), (3, 10, False)), rotate=True)
    assert changes.rows() == [(3, 1, 2, "giro")]


def test_without_rotate_owned_clients_stay_even_when_idle() -> None:
    portfolio = clients({"id": 1, "owner_id": 1}, {"id": 2})
    changes = run(portfolio, owners((1, 10, True), (2, 10, True)))
    assert changes.select("id", "reason").rows() == [(2, "sem_responsavel")]


def test_rotation_never_hands_a_client_back_to_its_owner() -> None:
    portfolio = clients(
        *({"id": i, "owner_id": 1 + i % 3, "abc": "A", "monetary_cents": i} for i in range(30))
    )
    changes = run(portfolio, owners((1, 10, True), (2, 10, True), (3, 10, True)), rotate=True)
    assert changes.height == 30
    assert (changes["from_owner_id"] != changes["to_owner_id"]).all()


def test_a_client_with_no_other_owner_in_its_pool_is_not_rotated() -> None:
    portfolio = clients({"id": 1, "owner_id": 1, "segment": "Prospects"})
    changes = run(
        portfolio, owners((1, 10, True), (2, 10, True)), pools(("Prospects", 1)), rotate=True
    )
    assert changes.height == 0


def test_a_segment_with_a_pool_goes_only_to_its_active_owners() -> None:
    portfolio = clients(
        *({"id": i, "segment": "Clientes A em risco"} for i in range(1, 5)),
        {"id": 5, "segment": "Ativos"},
    )
    team = owners((1, 10, True), (2, 10, True), (3, 10, False))
    changes = run(portfolio, team, pools(("Clientes A em risco", 2), ("Clientes A em risco", 3)))
    dealt = owner_of(changes)
    assert [dealt[i] for i in range(1, 5)] == [2, 2, 2, 2]
    assert dealt[5] in (1, 2)  # a segment without a pool goes to any active owner


def test_clients_of_an_inactive_owner_are_reassigned() -> None:
    portfolio = clients({"id": 1, "owner_id": 3}, {"id": 2, "owner_id": 1})
    changes = run(portfolio, owners((1, 10, True), (2, 10, True), (3, 10, False)))
    assert changes.rows() == [(1, 3, 2, "responsavel_inativo")]


def test_no_active_owner_changes_nothing() -> None:
    changes = run(clients({"id": 1}), owners((1, 10, False)))
    assert changes.height == 0


def test_owner_loads_count_revenue_and_class_shares() -> None:
    portfolio = clients(
        {"id": 1, "owner_id": 1, "abc": "A", "monetary_cents": 300},
        {"id": 2, "owner_id": 2, "abc": "A", "monetary_cents": 100},
        {"id": 3, "owner_id": 2, "abc": "C", "monetary_cents": 10},
        {"id": 4, "owner_id": None},
    )
    loads = assign.owner_loads(portfolio, owners((1, 1, True), (2, 1, True), (3, 1, True)))
    rows = loads.select("owner_id", "clients", "revenue_cents", "share_a", "share_c").collect()
    assert rows.rows() == [(1, 1, 300, 0.75, 0.0), (2, 2, 110, 0.25, 1.0), (3, 0, 0, 0.0, 0.0)]
