"""The `client_aggregates` table: per-client order aggregates kept current by order imports.

`write_aggregates` stores what `engine.aggregates.order_aggregates` computed for the clients an
import touched; `rebuild_all` recomputes every row from all orders with the same definition
(DESIGN.md: purchase days are distinct order dates, monetary the sum of amounts).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlite_utils import Database

from carteira_tui.model import FIRST_DAY_CENTS, Col
from carteira_tui.store.db import bump_generation
from carteira_tui.store.forecast import refresh_first_day
from carteira_tui.store.orders import load_temp_keys, row_tuples

AGGREGATE_COLUMNS = (
    Col.CLIENT_ID,
    Col.FIRST_PURCHASE,
    Col.LAST_PURCHASE,
    Col.FREQUENCY,
    Col.MONETARY_CENTS,
    Col.PURCHASE_DAYS,
)


def write_aggregates(
    db: Database,
    aggregates: pl.DataFrame,
    *,
    generation: int,
    first_day: pl.DataFrame | None = None,
) -> int:
    """Replace the aggregate rows of the clients in `aggregates`, stamped with `generation`,
    and their first-day revenue (forecast's m).

    `first_day` (client_id, first_day_cents), computed from the same orders by
    `engine.aggregates.first_day_revenue`, is written as it is; without it the revenue is
    recomputed in SQL from the clients' orders.
    """
    if aggregates.is_empty():
        return 0
    # in client order, each row lands after the last one in the table's key (a bulk import
    # writes hundreds of thousands)
    rows = aggregates.sort(Col.CLIENT_ID).select(
        pl.col(Col.CLIENT_ID),
        pl.col(Col.FIRST_PURCHASE).dt.strftime("%Y-%m-%d"),
        pl.col(Col.LAST_PURCHASE).dt.strftime("%Y-%m-%d"),
        pl.col(Col.FREQUENCY),
        pl.col(Col.MONETARY_CENTS),
        pl.col(Col.PURCHASE_DAYS),
        pl.lit(generation),
    )
    sql = (
        f"INSERT OR REPLACE INTO client_aggregates({', '.join(AGGREGATE_COLUMNS)}, generation)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    db.conn.executemany(sql, row_tuples(rows))
    if first_day is None:
        refresh_first_day(db, aggregates.get_column(Col.CLIENT_ID).to_list())
    else:
        # a client with one purchase day has no row (m is 0): drop any it kept from before
        # (none to drop while the table is empty, as on a first load)
        if db.execute("SELECT 1 FROM client_first_day LIMIT 1").fetchone() is not None:
            db.execute(
                "DELETE FROM client_first_day WHERE client_id IN (SELECT client_id"
                " FROM client_aggregates WHERE generation = ? AND purchase_days <= 1)",
                [generation],
            )
        _write_first_day(db, first_day)
    return rows.height


def _write_first_day(db: Database, first_day: pl.DataFrame) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO client_first_day(client_id, first_day_cents) VALUES (?, ?)",
        row_tuples(first_day.select(Col.CLIENT_ID, FIRST_DAY_CENTS).sort(Col.CLIENT_ID)),
    )


def replace_aggregates(
    db: Database,
    client_ids: Sequence[int],
    aggregates: pl.DataFrame,
    *,
    generation: int,
    first_day: pl.DataFrame | None = None,
) -> int:
    """Drop the aggregate rows of `client_ids` and write `aggregates` (their fresh values):
    a client left with no purchase keeps no row. `first_day` as in `write_aggregates`."""
    tables = ["client_aggregates"] + (["client_first_day"] if first_day is not None else [])
    if len(client_ids) <= 500:
        marks = ", ".join("?" for _ in client_ids)
        for table in tables:
            db.execute(f"DELETE FROM {table} WHERE client_id IN ({marks})", client_ids)
    else:  # one indexed delete, not thousands of statements (a bulk import touches 850k)
        load_temp_keys(db, "replace_aggregate_ids", client_ids)
        for table in tables:
            db.execute(
                f"DELETE FROM {table} WHERE client_id IN (SELECT k FROM temp.replace_aggregate_ids)"
            )
        db.execute("DROP TABLE temp.replace_aggregate_ids")
    return write_aggregates(db, aggregates, generation=generation, first_day=first_day)


def rebuild_all(db: Database) -> int:
    """Recompute every client's aggregates from all orders, in one transaction; returns rows.

    Bumps the generation and stamps every row with it.
    """
    with db.atomic():
        generation = bump_generation(db)
        db.execute("DELETE FROM client_aggregates")
        db.execute(
            "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase, frequency,"
            " monetary_cents, purchase_days, generation)"
            # DESIGN.md "return": a negative amount lowers monetary and is never a purchase
            " SELECT client_id, MIN(date) FILTER (WHERE amount_cents >= 0),"
            " MAX(date) FILTER (WHERE amount_cents >= 0),"
            " COUNT(*) FILTER (WHERE amount_cents >= 0), SUM(amount_cents),"
            " COUNT(DISTINCT date) FILTER (WHERE amount_cents >= 0), ?"
            " FROM orders GROUP BY client_id HAVING COUNT(*) FILTER (WHERE amount_cents >= 0) > 0",
            [generation],
        )
        refresh_first_day(db)  # forecast's m
        count = db.execute("SELECT COUNT(*) FROM client_aggregates").fetchone()[0]
    return int(count)


def read_aggregates(db: Database) -> pl.DataFrame:
    """Every aggregate row, with dates as Date."""
    rows = db.execute(f"SELECT {', '.join(AGGREGATE_COLUMNS)} FROM client_aggregates").fetchall()
    return _aggregate_frame(rows)


def read_client_aggregates(db: Database, client_ids: Sequence[int]) -> pl.DataFrame:
    """The aggregate rows of `client_ids` (a client without a purchase has none), with dates
    as Date, through the table's key. Call inside the caller's `db.atomic()`."""
    if not client_ids:
        return _aggregate_frame([])
    load_temp_keys(db, "read_aggregate_clients", client_ids)
    columns = ", ".join(f"a.{name}" for name in AGGREGATE_COLUMNS)
    rows = db.execute(
        f"SELECT {columns} FROM temp.read_aggregate_clients k"
        " CROSS JOIN client_aggregates a ON a.client_id = k.k"
    ).fetchall()
    db.execute("DROP TABLE temp.read_aggregate_clients")
    return _aggregate_frame(rows)


def _aggregate_frame(rows: Sequence[tuple[object, ...]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        rows,
        schema={
            Col.CLIENT_ID: pl.Int64,
            Col.FIRST_PURCHASE: pl.String,
            Col.LAST_PURCHASE: pl.String,
            Col.FREQUENCY: pl.Int64,
            Col.MONETARY_CENTS: pl.Int64,
            Col.PURCHASE_DAYS: pl.Int64,
        },
        orient="row",
    )
    return frame.with_columns(
        pl.col(Col.FIRST_PURCHASE).str.to_date("%Y-%m-%d"),
        pl.col(Col.LAST_PURCHASE).str.to_date("%Y-%m-%d"),
    )
