"""Reads for the reports the Segmentos pane draws (monthly revenue), straight from `orders`.

Called by `services.reports`; the SQL stays here like every other query of the app.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlite_utils import Database

MONTHLY_SCHEMA: dict[str, pl.DataType] = {
    "month": pl.String(),
    "revenue_cents": pl.Int64(),
    "orders": pl.Int64(),
}
"""One row per calendar month with orders: `aaaa-mm`, the sum of amounts and the order count."""


def read_monthly_revenue(db: Database, *, start: date, end: date) -> pl.DataFrame:
    """Revenue and orders per month for orders dated `start <= date < end` (months with none
    are absent)."""
    rows = db.execute(
        """
        SELECT substr(date, 1, 7) AS month, SUM(amount_cents), COUNT(*)
        FROM orders
        WHERE date >= ? AND date < ?
        GROUP BY month
        ORDER BY month
        """,
        [start.isoformat(), end.isoformat()],
    ).fetchall()
    return pl.DataFrame(rows, schema=MONTHLY_SCHEMA, orient="row")


def read_last_order_date(db: Database) -> date | None:
    """The date of the most recent order, or None without orders."""
    row = db.execute("SELECT MAX(date) FROM orders").fetchone()
    if row is None or row[0] is None:
        return None
    return date.fromisoformat(str(row[0])[:10])
