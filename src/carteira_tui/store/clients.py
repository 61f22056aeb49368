"""The clients table: bulk upsert by external id for imports, and the bulk reader.

Writes run inside the caller's `db.atomic()` with `executemany` over tuples (measured faster
than sqlite-utils `insert_all`; see benchmarks/import_bench.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlite_utils import Database

from carteira_tui.model import Col
from carteira_tui.store.orders import load_temp_keys

CLIENT_COLUMNS: dict[str, type[pl.DataType]] = {
    "id": pl.Int64,
    "external_id": pl.String,
    "name": pl.String,
    "document": pl.String,
    "email": pl.String,
    "phone": pl.String,
    "channel_pref": pl.String,
    "consent_email": pl.Int64,
    "consent_phone": pl.Int64,
    "consent_whatsapp": pl.Int64,
    "consent_sms": pl.Int64,
    "opt_out": pl.Int64,
    "city": pl.String,
    "uf": pl.String,
    "cep": pl.String,
    "birth_date": pl.Date,
    "gender": pl.String,
    "marital_status": pl.String,
    "children": pl.Int64,
    "life_stage": pl.String,
    "income_band": pl.String,
    "owner_id": pl.Int64,
    "pinned": pl.Int64,
    "delinquent": pl.Int64,
    "credit_restriction": pl.Int64,
    "archived": pl.Int64,
    "archived_at": pl.String,
    "tags": pl.String,
    "notes": pl.String,
    "created_at": pl.String,
    "updated_at": pl.String,
    "generation": pl.Int64,
}

# Columns that are NOT NULL in the schema, with the value a new client gets when a file has no
# value for them.
NOT_NULL_DEFAULTS: dict[str, object] = {
    "name": "",
    "opt_out": 0,
    "pinned": 0,
    "delinquent": 0,
    "credit_restriction": 0,
    "archived": 0,
}

_NOW = "strftime('%Y-%m-%dT%H:%M:%S', 'now')"


def frame_from_rows(
    rows: Sequence[tuple[object, ...]], schema: dict[str, pl.DataType]
) -> pl.DataFrame:
    """A frame from fetched tuples, with ISO date text turned into Date columns."""
    text_schema = {
        name: (pl.String if dtype == pl.Date else dtype) for name, dtype in schema.items()
    }
    frame = pl.DataFrame(list(rows), schema=text_schema, orient="row")
    dates = [name for name, dtype in schema.items() if dtype == pl.Date]
    return frame.with_columns(pl.col(d).str.slice(0, 10).str.to_date("%Y-%m-%d") for d in dates)


def read_clients(db: Database) -> pl.DataFrame:
    """Every client with every column of the table (dates as Date), ordered by id."""
    columns = ", ".join(CLIENT_COLUMNS)
    rows = db.execute(f"SELECT {columns} FROM clients ORDER BY id").fetchall()
    return frame_from_rows(rows, {k: v() for k, v in CLIENT_COLUMNS.items()})


def read_client_ids(db: Database, codes: Sequence[str] | None = None) -> pl.DataFrame:
    """`external_id` → `client_id` for every client, or only for `codes` (looked up through
    the unique index, so an import's work grows with its file, not with the table)."""
    if codes is None or _most_of_the_table(db, "clients", codes):
        rows = db.execute("SELECT external_id, id FROM clients").fetchall()
        if codes is not None:  # one pass over the table beats a lookup per code
            return _frame_of_ids(rows).filter(
                pl.col(Col.EXTERNAL_ID).is_in(pl.Series(codes, dtype=pl.String).implode())
            )
    else:
        load_temp_keys(db, "import_client_codes", codes)
        rows = db.execute(
            "SELECT c.external_id, c.id FROM temp.import_client_codes k"
            " JOIN clients c ON c.external_id = k.k"
        ).fetchall()
        db.execute("DROP TABLE temp.import_client_codes")
    return _frame_of_ids(rows)


def _frame_of_ids(rows: Sequence[tuple[object, ...]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={Col.EXTERNAL_ID: pl.String, Col.CLIENT_ID: pl.Int64}, orient="row"
    )


def _most_of_the_table(db: Database, table: str, keys: Sequence[object]) -> bool:
    """Whether `keys` are many against `table`'s rows (a quarter of its largest rowid or
    more): reading the whole table once is then cheaper than an index lookup per key (a bulk
    import of a million orders names most clients)."""
    if len(keys) < LOOKUP_SCAN_MIN:
        return False
    largest = db.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0] or 0
    return len(keys) * 4 >= largest


LOOKUP_SCAN_MIN = 20_000
"""Fewest keys for which a lookup may read the whole table instead (`_most_of_the_table`)."""


def read_aliases(db: Database, codes: Sequence[str]) -> pl.DataFrame:
    """(alias, client_id, external_id) for the `codes` that are merged-away aliases: the
    survivor's id and own code."""
    if not codes or db.execute("SELECT 1 FROM client_aliases LIMIT 1").fetchone() is None:
        return pl.DataFrame(schema=ALIAS_SCHEMA)  # no merge yet: nothing to look up
    if _most_of_the_table(db, "client_aliases", codes):
        rows = db.execute(
            "SELECT a.code, c.id, c.external_id FROM client_aliases a"
            " JOIN clients c ON c.id = a.client_id"
        ).fetchall()
        return pl.DataFrame(rows, schema=ALIAS_SCHEMA, orient="row").filter(
            pl.col("alias").is_in(pl.Series(codes, dtype=pl.String).implode())
        )
    load_temp_keys(db, "import_alias_codes", codes)
    rows = db.execute(
        "SELECT a.code, c.id, c.external_id FROM temp.import_alias_codes k"
        " JOIN client_aliases a ON a.code = k.k JOIN clients c ON c.id = a.client_id"
    ).fetchall()
    db.execute("DROP TABLE temp.import_alias_codes")
    return pl.DataFrame(rows, schema=ALIAS_SCHEMA, orient="row")


ALIAS_SCHEMA: dict[str, pl.DataType] = {
    "alias": pl.String(),
    Col.CLIENT_ID: pl.Int64(),
    Col.EXTERNAL_ID: pl.String(),
}


def read_client_ids_or_aliases(db: Database, codes: Sequence[str]) -> pl.DataFrame:
    """`external_id` → `client_id` for `codes`, a merged-away code resolving to its survivor."""
    own = read_client_ids(db, codes)
    aliases = read_aliases(db, codes).select(pl.col("alias").alias(Col.EXTERNAL_ID), Col.CLIENT_ID)
    fresh = aliases.filter(~pl.col(Col.EXTERNAL_ID).is_in(own[Col.EXTERNAL_ID].implode()))
    return pl.concat([own, fresh])


def read_client_values(db: Database, codes: Sequence[str], columns: Sequence[str]) -> pl.DataFrame:
    """The stored `columns` of the clients coded `codes`, as text (`owner` as the owner's name,
    dates ISO), found through the unique index: to tell an unchanged row from an update."""
    names = [c for c in columns if c in CLIENT_COLUMNS or c == "owner"]
    selected = ", ".join(
        "(SELECT o.name FROM owners o WHERE o.id = c.owner_id)" if c == "owner" else f"c.{c}"
        for c in names
    )
    load_temp_keys(db, "import_client_values", codes)
    rows = db.execute(
        f"SELECT c.external_id{', ' if names else ''}{selected}"
        " FROM temp.import_client_values k JOIN clients c ON c.external_id = k.k"
    ).fetchall()
    db.execute("DROP TABLE temp.import_client_values")
    schema = {Col.EXTERNAL_ID: pl.String, **{c: pl.String for c in names}}
    frame = pl.DataFrame(
        [tuple(None if v is None else str(v) for v in row) for row in rows],
        schema=schema,
        orient="row",
    )
    return frame


def read_contact_keys(db: Database) -> pl.DataFrame:
    """(external_id, document, email) of every client with a document or an e-mail, to name
    the probable duplicates a clients import brings."""
    rows = db.execute(
        "SELECT external_id, document, email FROM clients"
        " WHERE document IS NOT NULL OR email IS NOT NULL"
    ).fetchall()
    return pl.DataFrame(
        rows,
        schema={Col.EXTERNAL_ID: pl.String, "document": pl.String, "email": pl.String},
        orient="row",
    )


def insert_clients(db: Database, clients: pl.DataFrame, *, generation: int) -> int:
    """Insert new clients (columns named as the table; NOT NULL ones defaulted when null)."""
    if clients.is_empty():
        return 0
    filled = clients.with_columns(
        pl.col(name).fill_null(default)
        for name, default in NOT_NULL_DEFAULTS.items()
        if name in clients.columns
    ).with_columns(pl.lit(generation).alias("generation"))
    columns = filled.columns
    sql = f"INSERT INTO clients({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    db.conn.executemany(sql, filled.iter_rows())
    return filled.height


def update_clients(db: Database, clients: pl.DataFrame, *, generation: int) -> int:
    """Update clients by `external_id`, only the columns given; a null keeps the old value."""
    if clients.is_empty():
        return 0
    columns = [c for c in clients.columns if c != Col.EXTERNAL_ID]
    sets = [f"{c} = COALESCE(?, {c})" for c in columns]
    sets += [f"updated_at = {_NOW}", "generation = ?"]
    sql = f"UPDATE clients SET {', '.join(sets)} WHERE external_id = ?"
    ordered = clients.select(*columns, pl.lit(generation), Col.EXTERNAL_ID)
    db.conn.executemany(sql, ordered.iter_rows())
    return ordered.height


def stamp_archived_at(db: Database, *, generation: int) -> None:
    """Keep `archived_at` in step with `archived` for the clients written at `generation`."""
    db.execute(
        f"UPDATE clients SET archived_at = {_NOW}"
        " WHERE generation = ? AND archived = 1 AND archived_at IS NULL",
        [generation],
    )
    db.execute(
        "UPDATE clients SET archived_at = NULL WHERE generation = ? AND archived = 0",
        [generation],
    )
