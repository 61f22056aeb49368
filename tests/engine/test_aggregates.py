"""order_aggregates: DESIGN.md frequency, monetary and purchase days."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from carteira_tui.engine.aggregates import (
    AGGREGATE_SCHEMA,
    ORDER_SCHEMA,
    PAIR_SORTED,
    first_day_revenue,
    order_aggregates,
    order_aggregates_of_sorted,
)


def _orders(rows: list[tuple[int, date, int]]) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema=ORDER_SCHEMA, orient="row")


def test_two_orders_on_one_day_are_one_purchase_day() -> None:
    orders = _orders(
        [
            (1, date(2026, 1, 5), 1000),
            (1, date(2026, 1, 5), 250),
            (1, date(2026, 3, 1), 0),
            (2, date(2025, 12, 31), 99),
        ]
    )
    got = order_aggregates(orders).sort("client_id").collect()
    want = pl.DataFrame(
        [
            (1, date(2026, 1, 5), date(2026, 3, 1), 3, 1250, 2),
            (2, date(2025, 12, 31), date(2025, 12, 31), 1, 99, 1),
        ],
        schema=AGGREGATE_SCHEMA,
        orient="row",
    )
    assert_frame_equal(got, want)


def test_up_to_ignores_later_orders() -> None:
    orders = _orders([(1, date(2026, 1, 5), 1000), (1, date(2026, 6, 5), 500)])
    got = order_aggregates(orders, up_to=date(2026, 1, 5)).collect()
    assert got.select("frequency", "monetary_cents", "last_purchase").row(0) == (
        1,
        1000,
        date(2026, 1, 5),
    )


order_rows = st.lists(
    st.tuples(
        st.integers(0, 6),
        st.dates(date(1965, 1, 1), date(2026, 12, 31)).filter(lambda d: d.day in (1, 2, 28)),
        st.integers(-500, 50_000),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(order_rows, min_size=1, max_size=4))
def test_sorted_parts_give_the_same_aggregates_as_one_distinct_count(
    parts: list[list[tuple[int, date, int]]],
) -> None:
    frames = [
        pl.DataFrame(rows, schema=ORDER_SCHEMA, orient="row").sort(*PAIR_SORTED) for rows in parts
    ]
    got = order_aggregates_of_sorted(frames).sort("client_id")
    want = order_aggregates(pl.concat(frames).lazy()).collect().sort("client_id")
    assert_frame_equal(got, want, check_dtypes=True)


def test_a_first_part_out_of_pair_order_is_still_counted_right() -> None:
    day = date(2026, 1, 5)
    unsorted = pl.DataFrame(
        [(1, day, 1), (2, day, 1), (1, day, 1)], schema=ORDER_SCHEMA, orient="row"
    )
    got = order_aggregates_of_sorted([unsorted]).sort("client_id")
    assert got.get_column("purchase_days").to_list() == [1, 1]
    assert got.get_column("frequency").to_list() == [2, 1]


def test_the_same_client_and_day_in_two_parts_is_one_purchase_day() -> None:
    day = date(2026, 1, 5)
    first = pl.DataFrame([(1, day, 10), (3, day, 5)], schema=ORDER_SCHEMA, orient="row")
    later = pl.DataFrame(
        [(1, day, 20), (1, date(2026, 2, 1), 1)], schema=ORDER_SCHEMA, orient="row"
    )
    got = order_aggregates_of_sorted([first, later]).sort("client_id")
    assert got.row(0, named=True)["purchase_days"] == 2 and got.row(0, named=True)["frequency"] == 3


def test_a_return_lowers_monetary_and_is_never_a_purchase() -> None:
    # Client 1 bought 100,00 on 5 Jan and returned 18,49 on 1 Mar: one purchase day, still
    # last purchase on 5 Jan, monetary 81,51. Client 2 only returned: no purchase, no row.
    orders = _orders(
        [
            (1, date(2026, 1, 5), 10000),
            (1, date(2026, 3, 1), -1849),
            (2, date(2026, 3, 1), -500),
        ]
    )
    want = pl.DataFrame(
        [(1, date(2026, 1, 5), date(2026, 1, 5), 1, 8151, 1)],
        schema=AGGREGATE_SCHEMA,
        orient="row",
    )
    assert_frame_equal(order_aggregates(orders).collect(), want)
    sorted_parts = [orders.collect().sort(*PAIR_SORTED)]
    assert_frame_equal(order_aggregates_of_sorted(sorted_parts), want)


def test_a_return_on_a_purchase_day_leaves_that_day_counted_once() -> None:
    orders = _orders([(1, date(2026, 1, 5), 10000), (1, date(2026, 1, 5), -2500)])
    got = order_aggregates(orders).collect().row(0, named=True)
    assert (got["frequency"], got["purchase_days"], got["monetary_cents"]) == (1, 1, 7500)


def test_first_day_revenue_counts_purchases_of_the_first_day_of_repeat_buyers() -> None:
    rows = [
        (1, date(2026, 1, 5), 1000),
        (1, date(2026, 1, 5), 250),
        (1, date(2026, 1, 5), -400),  # a return that day is not a purchase
        (1, date(2026, 3, 1), 700),
        (2, date(2026, 2, 1), 900),  # one purchase day: no row (m is 0)
        (2, date(2026, 2, 1), 100),
        (3, date(2026, 1, 2), -50),  # a return before the first purchase
        (3, date(2026, 1, 9), 0),  # a zero order is a purchase
        (3, date(2026, 1, 20), 300),
    ]
    orders = _orders(rows).collect()
    aggregates = order_aggregates(orders.lazy()).collect()
    got = first_day_revenue([orders], aggregates).sort("client_id")
    assert got.rows() == [(1, 1250), (3, 0)]
    assert first_day_revenue([], aggregates).height == 0
