"""Segmentation's inputs read from SQLite: the clients with their order aggregates and the orders.

`store.cache` builds its base and its orders mirror from these (a rebuild reads everything; a
patch only the rows written after the cache's generation).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import polars as pl
from sqlite_utils import Database

from carteira_tui.model import (
    AGGREGATE_COLUMNS,
    BASE_SCHEMA,
    CLIENT_COLUMNS,
    FORECAST_INPUT_COLUMNS,
    ID,
    Col,
)

_CHUNK_ROWS = 500_000
_BOOL_COLUMNS = [name for name, dtype in CLIENT_COLUMNS.items() if dtype == pl.Boolean()]
ORDER_MIRROR_SCHEMA: dict[str, pl.DataType] = {
    Col.CLIENT_ID: pl.Int64(),
    Col.DATE: pl.Date(),
    Col.AMOUNT_CENTS: pl.Int64(),
}


# --- reads from SQLite ---------------------------------------------------------------------


def _client_select() -> str:
    columns = [
        f"c.{name}" if name not in (ID, Col.OWNER) else ("c.id" if name == ID else "o.name")
        for name in CLIENT_COLUMNS
    ]
    aggregates = [f"a.{name}" for name in AGGREGATE_COLUMNS]
    # written with the aggregates (store.aggregates), so their generation covers it
    aggregates += [f"f.{name}" for name in FORECAST_INPUT_COLUMNS]
    return (
        f"SELECT {', '.join(columns + aggregates)} FROM clients c "
        "LEFT JOIN owners o ON o.id = c.owner_id "
        "LEFT JOIN client_aggregates a ON a.client_id = c.id "
        "LEFT JOIN client_first_day f ON f.client_id = c.id"
    )


def _frames(cursor: sqlite3.Cursor, schema: dict[str, pl.DataType]) -> Iterator[pl.DataFrame]:
    raw_schema = {
        name: (pl.String() if dtype in (pl.Date(), pl.Boolean()) else dtype)
        for name, dtype in schema.items()
    }
    while rows := cursor.fetchmany(_CHUNK_ROWS):
        yield pl.DataFrame(rows, schema=raw_schema, orient="row")


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    conversions = []
    for name, dtype in schema.items():
        if dtype == pl.Date():
            conversions.append(pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        elif dtype == pl.Boolean():
            conversions.append(pl.col(name).cast(pl.Int64, strict=False).cast(pl.Boolean))
    return frame.with_columns(conversions) if conversions else frame


def _read(
    db: Database, sql: str, params: list[object], schema: dict[str, pl.DataType]
) -> pl.DataFrame:
    raw_schema = {
        name: (pl.String() if dtype in (pl.Date(), pl.Boolean()) else dtype)
        for name, dtype in schema.items()
    }
    cursor = db.conn.execute(sql, params)
    parts = [_typed(part, schema) for part in _frames(cursor, schema)]
    if not parts:
        return _typed(pl.DataFrame(schema=raw_schema), schema)
    return pl.concat(parts, rechunk=True)


_CHANGED_SINCE = (
    "SELECT id FROM clients WHERE generation > ?"
    " UNION SELECT client_id FROM client_aggregates WHERE generation > ?"
)
"""The clients whose row or aggregates row was written after a generation: two indexed
look-ups (an OR across the joined tables would scan every client)."""

CLIENT_CHANGED = "_client_changed"
"""In `read_base(since_generation=…)`: whether the client's own row changed (not only its
aggregates), so that a patch compares only the aggregate columns of the others."""


def read_base(db: Database, *, since_generation: int | None = None) -> pl.DataFrame:
    """Clients with owner name and stored aggregates; only rows changed after a generation.

    A client is returned when its row or its aggregates row carries a generation above
    `since_generation` (all clients when None); then with CLIENT_CHANGED beside.
    """
    sql = _client_select()
    params: list[object] = []
    schema = BASE_SCHEMA
    if since_generation is not None:
        sql = sql.replace(" FROM clients c ", ", c.generation > ? FROM clients c ", 1)
        sql += f" WHERE c.id IN ({_CHANGED_SINCE})"
        params = [since_generation, since_generation, since_generation]
        schema = {**BASE_SCHEMA, CLIENT_CHANGED: pl.Boolean()}
    return _read_clients(db, sql, params, schema)


def _read_clients(
    db: Database, sql: str, params: list[object], schema: dict[str, pl.DataType]
) -> pl.DataFrame:
    frame = _read(db, sql, params, schema)
    return frame.with_columns(pl.col(name).fill_null(False) for name in _BOOL_COLUMNS)


def read_base_of(db: Database, ids: pl.Series) -> pl.DataFrame:
    """`read_base`'s rows of the clients `ids` (BASE_SCHEMA, in id order), along the primary
    key: a few clients' rows without touching the cached base's pages."""
    sql = _client_select() + " WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id"
    return _read_clients(db, sql, [json.dumps(ids.to_list())], BASE_SCHEMA)


def read_changed_ids(db: Database, *, since_generation: int) -> pl.Series:
    """The ids of the clients whose row or aggregates row was written after a generation (new
    clients included), in id order: the clients a run since then may class differently."""
    # sorted here: an ORDER BY makes SQLite merge both tables in id order, a scan of each
    rows = db.execute(_CHANGED_SINCE, [since_generation, since_generation]).fetchall()
    return pl.Series(ID, [row[0] for row in rows], dtype=pl.Int64).sort()


def read_order_rows(db: Database, *, since_generation: int = 0) -> pl.DataFrame:
    """Orders (client_id, date, amount_cents) written after `since_generation` (all when 0)."""
    sql = "SELECT client_id, date, amount_cents FROM orders"
    params: list[object] = []
    if since_generation > 0:
        sql += " WHERE generation > ?"
        params = [since_generation]
    return _read(db, sql, params, ORDER_MIRROR_SCHEMA)
