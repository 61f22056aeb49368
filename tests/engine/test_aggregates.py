"""order_aggregates: DESIGN.md frequency, monetary and purchase days."""

from __future__ import annotations

from datetime import date

import polars as pl
from polars.testing import assert_frame_equal

from carteira_tui.engine.aggregates import AGGREGATE_SCHEMA, ORDER_SCHEMA, order_aggregates


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
