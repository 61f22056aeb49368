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
    aggregates_after_adding,
    days_to_look_up,
    first_day_revenue,
    order_aggregates,
    order_aggregates_of_sorted,
)
from carteira_tui.model import DAY_CENTS


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


def _stored_days(orders: pl.DataFrame, wanted: pl.DataFrame | None = None) -> pl.DataFrame:
    """What `store.orders.read_purchase_days` answers over `orders`: the purchase revenue of
    each (client, date) with purchases, only for the `wanted` pairs when given."""
    days = (
        orders.filter(pl.col("amount_cents") >= 0)
        .group_by("client_id", "date")
        .agg(pl.col("amount_cents").sum().alias(DAY_CENTS))
    )
    if wanted is None:
        return days
    return days.join(wanted, on=["client_id", "date"], how="semi")


def _after_adding(
    stored_orders: pl.DataFrame, added: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`aggregates_after_adding` fed as the import feeds it: stored aggregates, and the stored
    days `days_to_look_up` names and nothing more."""
    stored = order_aggregates(stored_orders.lazy()).collect()
    wanted = days_to_look_up(stored, added)
    got, first_day = aggregates_after_adding(stored, _stored_days(stored_orders, wanted), added)
    return got.sort("client_id"), first_day.sort("client_id")


def test_adding_orders_moves_the_stored_aggregates_as_worked_by_hand() -> None:
    jan5, feb1, mar1, apr1 = date(2026, 1, 5), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)
    stored_orders = _orders(
        [
            (1, jan5, 1000),  # client 1: bought 5 Jan and 1 Mar, returned 200 on 1 Feb
            (1, feb1, -200),
            (1, mar1, 500),
            (2, feb1, 300),  # client 2: one purchase day (1 Feb), two orders
            (2, feb1, 100),
            (3, mar1, 50),  # client 3: one purchase
            (4, jan5, -90),  # client 4: a return alone, no row: not handled here
        ]
    ).collect()
    added = _orders(
        [
            (1, mar1, 70),  # a day client 1 bought on: no new purchase day
            (1, apr1, -30),  # a return: monetary only
            (1, apr1, 0),  # a zero order is a purchase: a new last purchase day
            (2, feb1, 25),  # client 2's first day again: still one day, no m row
            (3, jan5, 40),  # before client 3's first purchase: a new first day
            (3, mar1, 5),
            (4, apr1, 1000),  # client 4 has no stored row: left to the full path
        ]
    ).collect()
    got, first_day = _after_adding(stored_orders, added)
    want = pl.DataFrame(
        [
            # client 1: first 5 Jan, last 1 Apr; 2 + 2 purchases; 1300 + 70 - 30 + 0; 3 days
            (1, jan5, apr1, 4, 1340, 3),
            # client 2: first and last 1 Feb; 3 purchases; 425; one day
            (2, feb1, feb1, 3, 425, 1),
            # client 3: first 5 Jan, last 1 Mar; 3 purchases; 95; 2 days
            (3, jan5, mar1, 3, 95, 2),
        ],
        schema=AGGREGATE_SCHEMA,
        orient="row",
    )
    assert_frame_equal(got, want)
    # m's first-day revenue of repeat buyers: client 1's 5 Jan (1000), client 3's new 5 Jan
    assert first_day.rows() == [(1, 1000), (3, 40)]


def test_a_purchase_added_on_the_first_day_adds_to_its_revenue() -> None:
    jan5, mar1 = date(2026, 1, 5), date(2026, 3, 1)
    stored_orders = _orders([(1, jan5, 1000), (1, jan5, -100)]).collect()
    added = _orders([(1, jan5, 250), (1, mar1, 10)]).collect()
    got, first_day = _after_adding(stored_orders, added)
    assert got.select("frequency", "monetary_cents", "purchase_days").row(0) == (3, 1160, 2)
    assert first_day.rows() == [(1, 1250)]  # the return that day is not a purchase


few_days = st.lists(  # few clients and days: added orders often fall on a stored day
    st.tuples(
        st.integers(0, 4),
        st.sampled_from([date(2026, 1, d) for d in (1, 2, 3, 5, 8)]),
        st.sampled_from([-300, -1, 0, 1, 250, 4_000]),
    ),
    max_size=20,
)
stored_and_added = st.tuples(few_days, few_days)


@settings(max_examples=300, deadline=None)
@given(rows=stored_and_added)
def test_adding_orders_gives_the_aggregates_of_all_the_orders(
    rows: tuple[list[tuple[int, date, int]], list[tuple[int, date, int]]],
) -> None:
    stored_orders = _orders(rows[0]).collect()
    added = _orders(rows[1]).collect()
    got, first_day = _after_adding(stored_orders, added)
    everything = pl.concat([stored_orders, added])
    with_rows = got.get_column("client_id").implode()
    want = order_aggregates(everything.lazy()).collect()
    want = want.filter(pl.col("client_id").is_in(with_rows)).sort("client_id")
    assert_frame_equal(got, want)
    # the clients with a stored row are all that is moved; the others take the full path
    stored_ids = order_aggregates(stored_orders.lazy()).collect().get_column("client_id")
    assert got.get_column("client_id").to_list() == stored_ids.sort().to_list()
    want_first_day = first_day_revenue([everything], want).sort("client_id")
    assert_frame_equal(first_day, want_first_day)
    # more stored days than asked for change nothing
    stored = order_aggregates(stored_orders.lazy()).collect()
    more, more_first_day = aggregates_after_adding(stored, _stored_days(stored_orders), added)
    assert_frame_equal(more.sort("client_id"), got)
    assert_frame_equal(more_first_day.sort("client_id"), first_day)
