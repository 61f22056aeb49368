"""The orders table: bulk insert and update for imports, lookups by number, the bulk reader.

Called by `services.imports` inside its transaction and by anything that needs orders as a
frame (segmentation rebuilds, aggregates).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import polars as pl
from sqlite_utils import Database

from carteira_tui.model import DAY_CENTS, Col

ORDER_COLUMNS = ("external_id", "client_id", "date", "amount_cents", "channel", "generation")
_NOW = "strftime('%Y-%m-%dT%H:%M:%S', 'now')"
"""The orders' `created_at` default, as SQL."""


def load_temp_keys(db: Database, table: str, keys: Sequence[object] | pl.Series) -> None:
    """Fill a one-column temp table `table(k)` with `keys`, for indexed joins against them.

    Call inside the caller's `db.atomic()` (filling it opens an implicit transaction otherwise).
    Join it as `temp.t k CROSS JOIN orders o`: with a plain JOIN SQLite's planner scans all the
    orders and probes the keys (1.2 s at 10M orders for 1,000 keys, measured), the work growing
    with the database; CROSS JOIN keeps the keys outside and the orders' index inside (1 ms).
    """
    db.execute(f"DROP TABLE IF EXISTS temp.{table}")
    db.execute(f"CREATE TEMP TABLE {table}(k PRIMARY KEY) WITHOUT ROWID")
    # In key order each insert appends to the index instead of landing at a random page: at
    # 1M codes (a bulk import) it is several times faster. Keys of one call are of one type.
    ordered: list[object]
    if isinstance(keys, pl.Series):  # sorted and deduplicated in Polars: a bulk's million keys
        ordered = keys.drop_nulls().unique().sort().to_list()
    else:
        distinct = {k for k in keys if k is not None}  # a NULL key joins nothing
        try:
            ordered = sorted(distinct)  # type: ignore[type-var]
        except TypeError:  # keys that do not compare: any order does
            ordered = list(distinct)
    db.conn.executemany(f"INSERT INTO temp.{table}(k) VALUES (?)", ((k,) for k in ordered))


STORED_ORDER_SCHEMA: dict[str, type[pl.DataType]] = {
    Col.EXTERNAL_ID: pl.String,
    Col.CLIENT_ID: pl.Int64,
    Col.DATE: pl.String,
    Col.AMOUNT_CENTS: pl.Int64,
    "channel": pl.String,
}


def _stored(rows: Sequence[tuple[object, ...]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        list(rows), schema={k: v() for k, v in STORED_ORDER_SCHEMA.items()}, orient="row"
    )
    return frame.with_columns(pl.col(Col.DATE).str.to_date("%Y-%m-%d"))


def has_orders(db: Database) -> bool:
    """Whether the orders table holds any row (one step down the primary key)."""
    return db.execute("SELECT 1 FROM orders LIMIT 1").fetchone() is not None


def read_orders_by_external_id(
    db: Database, external_ids: Sequence[str] | pl.Series
) -> pl.DataFrame:
    """The stored orders named by `external_ids` (external_id, client_id, date, amount_cents,
    channel), found through the unique index: the work grows with the file, not the table."""
    if len(external_ids) == 0 or not has_orders(db):
        return _stored([])
    load_temp_keys(db, "import_order_ids", external_ids)
    rows = db.execute(
        "SELECT o.external_id, o.client_id, o.date, o.amount_cents, o.channel"
        " FROM temp.import_order_ids k CROSS JOIN orders o ON o.external_id = k.k"
    ).fetchall()
    db.execute("DROP TABLE temp.import_order_ids")
    return _stored(rows)


def read_existing_order_ids(db: Database, external_ids: Sequence[str]) -> set[str]:
    """Which of `external_ids` already name an order in the database."""
    found = read_orders_by_external_id(db, external_ids)
    return set(found.get_column(Col.EXTERNAL_ID).to_list())


def read_unnumbered_orders(db: Database, client_ids: Sequence[int]) -> pl.DataFrame:
    """The orders without a number of `client_ids` (through the `orders_client` index)."""
    if not client_ids:
        return _stored([])
    load_temp_keys(db, "import_order_clients", client_ids)
    rows = db.execute(
        "SELECT o.external_id, o.client_id, o.date, o.amount_cents, o.channel"
        " FROM temp.import_order_clients k CROSS JOIN orders o ON o.client_id = k.k"
        " WHERE o.external_id IS NULL"
    ).fetchall()
    db.execute("DROP TABLE temp.import_order_clients")
    return _stored(rows)


def update_orders(db: Database, orders: pl.DataFrame, *, generation: int) -> tuple[int, ...]:
    """Rewrite the numbered orders in `orders` (by external_id) at `generation`; returns the
    client ids they belonged to before, whose aggregates change too."""
    if orders.is_empty():
        return ()
    load_temp_keys(db, "update_order_ids", orders.get_column(Col.EXTERNAL_ID).to_list())
    before = db.execute(
        "SELECT DISTINCT o.client_id FROM temp.update_order_ids k"
        " CROSS JOIN orders o ON o.external_id = k.k"
    ).fetchall()
    db.execute("DROP TABLE temp.update_order_ids")
    rows = orders.select(
        pl.col(Col.CLIENT_ID),
        pl.col(Col.DATE).dt.strftime("%Y-%m-%d"),
        pl.col(Col.AMOUNT_CENTS),
        pl.col("channel"),
        pl.lit(generation),
        pl.col(Col.EXTERNAL_ID),
    )
    db.conn.executemany(
        "UPDATE orders SET client_id = ?, date = ?, amount_cents = ?, channel = ?,"
        " generation = ? WHERE external_id = ?",
        rows.iter_rows(),
    )
    return tuple(int(row[0]) for row in before)


BULK_CACHE_MIN_ROWS = 5_000
"""Fewest rows for which a load gets the big page cache (`use_bulk_cache`)."""


def use_bulk_cache(db: Database, mebibytes: int = 256, *, rows: int | None = None) -> None:
    """Give this connection a page cache big enough for bulk index inserts.

    The default 2 MiB cache thrashes once the orders indexes outgrow it; measured on 300k
    orders it is the difference between ~15 µs and a few µs per inserted row. A load of fewer
    than BULK_CACHE_MIN_ROWS `rows` keeps the default: the pages a big cache fills stay in the
    process's heap after the connection closes (~70 MB of a 1,000-order import's peak, at 1M
    clients), and such a load is no slower without them (measured: 1,000 orders as fast or
    faster with the default, 10,000 ~10 % slower).
    """
    if rows is not None and rows < BULK_CACHE_MIN_ROWS:
        return
    db.execute(f"PRAGMA cache_size = -{mebibytes * 1024}")


def order_count_bound(db: Database) -> int:
    """An upper bound of the orders stored (the largest id: one step down the primary key)."""
    row = db.execute("SELECT MAX(id) FROM orders").fetchone()
    return int(row[0] or 0) if row else 0


BULK_MIN_ROWS = 20_000
"""Fewest new orders for which `insert_orders` may rebuild the secondary indexes."""


def is_bulk_load(db: Database, new_rows: int) -> bool:
    """Whether `new_rows` orders are a bulk load for this table: at least `BULK_MIN_ROWS` and at
    least half as many as the table holds. Then dropping the secondary indexes, inserting and
    building them again (one sort each) beats inserting into them row by row: measured at 1M
    orders into a table of none, 3.3 s of CPU against 5.1-5.7 s (foreign keys off in both)."""
    return new_rows >= BULK_MIN_ROWS and new_rows * 2 >= order_count_bound(db)


@contextmanager
def secondary_indexes_dropped(db: Database, table: str) -> Iterator[None]:
    """Drop `table`'s own indexes (those made by CREATE INDEX; a UNIQUE column's index stays)
    for the block, then create them again from their stored SQL.

    Inside the caller's transaction only: an error in the block propagates and the rollback
    brings the indexes back with everything else; other connections keep seeing them meanwhile
    (WAL readers read the last commit, and writers wait for the lock).
    """
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master"
        " WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        [table],
    ).fetchall()
    for name, _sql in indexes:
        db.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        db.execute(sql)


def trust_foreign_keys(db: Database) -> None:
    """Stop checking this connection's foreign keys, for a bulk load whose references were just
    read from their tables under the same write lock (so they exist).

    SQLite looks each new order's client up again otherwise: about half of a million-row
    insert's time (measured). Call before the transaction (the pragma is ignored inside one);
    the connection is the caller's own and is closed after the load.
    """
    db.execute("PRAGMA foreign_keys = OFF")


def insert_orders(
    db: Database, orders: pl.DataFrame, *, generation: int, bulk: bool = False
) -> int:
    """Insert orders (external_id, client_id, date, amount_cents, channel) at `generation`.

    `bulk` (see `is_bulk_load`) drops the orders' secondary indexes around the insert and
    builds them again after it, inside the caller's transaction.
    """
    if orders.is_empty():
        return 0
    if bulk:
        with secondary_indexes_dropped(db, "orders"):
            # in number order each row appends to the external_id index (the one left)
            return _insert_orders(db, orders.sort(Col.EXTERNAL_ID, nulls_last=True), generation)
    # Inserting in (client_id, date) order keeps the orders_client index appends local.
    return _insert_orders(db, orders.sort(Col.CLIENT_ID, Col.DATE, maintain_order=True), generation)


def _insert_orders(db: Database, orders: pl.DataFrame, generation: int) -> int:
    rows = orders.select(
        pl.col(Col.EXTERNAL_ID),
        pl.col(Col.CLIENT_ID),
        pl.col(Col.DATE).dt.strftime("%Y-%m-%d"),
        pl.col(Col.AMOUNT_CENTS),
        pl.col("channel"),
    )
    # The moment and generation are written into the statement once: the column default runs
    # strftime for every row (a fifth of the insert's time at a million rows, measured).
    now = db.execute(f"SELECT {_NOW}").fetchone()[0]
    sql = (
        f"INSERT INTO orders({', '.join(ORDER_COLUMNS)}, created_at)"
        f" VALUES (?, ?, ?, ?, ?, {int(generation)}, '{now}')"
    )
    db.conn.executemany(sql, row_tuples(rows))
    return rows.height


def row_tuples(frame: pl.DataFrame) -> Iterator[tuple[object, ...]]:
    """The frame's rows as tuples for `executemany`: built from whole columns, several times
    faster than `iter_rows` on a million rows."""
    return zip(*(column.to_list() for column in frame.iter_columns()), strict=True)


def read_purchase_days(db: Database, days: pl.DataFrame) -> pl.DataFrame:
    """(client_id, date, day_cents) for each (client_id, date) of `days` on which the client
    has stored purchases (DESIGN.md "return": a negative amount is not one): their revenue that
    day. One indexed lookup per day (`orders_client`); call inside the caller's `db.atomic()`."""
    schema = {Col.CLIENT_ID: pl.Int64, Col.DATE: pl.String, DAY_CENTS: pl.Int64}
    if days.is_empty():
        return pl.DataFrame(schema=schema).with_columns(pl.col(Col.DATE).str.to_date())
    db.execute("DROP TABLE IF EXISTS temp.purchase_day_keys")
    db.execute("CREATE TEMP TABLE purchase_day_keys(c, d, PRIMARY KEY (c, d)) WITHOUT ROWID")
    pairs = days.select(Col.CLIENT_ID, pl.col(Col.DATE).dt.strftime("%Y-%m-%d")).unique()
    db.conn.executemany(
        "INSERT INTO temp.purchase_day_keys(c, d) VALUES (?, ?)",
        row_tuples(pairs.sort(Col.CLIENT_ID, Col.DATE)),
    )
    rows = db.execute(
        "SELECT k.c, k.d, SUM(o.amount_cents) FROM temp.purchase_day_keys k"
        " CROSS JOIN orders o ON o.client_id = k.c AND o.date = k.d"
        " WHERE o.amount_cents >= 0 GROUP BY k.c, k.d"
    ).fetchall()
    db.execute("DROP TABLE temp.purchase_day_keys")
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.with_columns(pl.col(Col.DATE).str.to_date("%Y-%m-%d"))


def read_orders(db: Database, *, client_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Orders as (client_id Int64, date Date, amount_cents Int64); only `client_ids` if given.

    With `client_ids` the read goes through the `orders_client` index via a temp-table join.
    """
    if client_ids is None:
        cursor = db.execute("SELECT client_id, date, amount_cents FROM orders")
    else:
        load_temp_keys(db, "read_order_clients", client_ids)
        cursor = db.execute(
            "SELECT o.client_id, o.date, o.amount_cents FROM temp.read_order_clients k"
            " CROSS JOIN orders o ON o.client_id = k.k"
        )
    rows = cursor.fetchall()
    if client_ids is not None:
        db.execute("DROP TABLE temp.read_order_clients")
    frame = pl.DataFrame(
        rows,
        schema={Col.CLIENT_ID: pl.Int64, Col.DATE: pl.String, Col.AMOUNT_CENTS: pl.Int64},
        orient="row",
    )
    return frame.with_columns(pl.col(Col.DATE).str.to_date("%Y-%m-%d"))
