"""The interactions table (calls, messages, visits): bulk insert for imports.

Called by `services.imports` inside its transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
from sqlite_utils import Database

from carteira_tui.store.orders import load_temp_keys

INTERACTION_COLUMNS = (
    "external_id",
    "client_id",
    "at",
    "channel",
    "kind",
    "outcome",
    "note",
    "who",
)


def read_existing_interaction_ids(db: Database, external_ids: Sequence[str]) -> set[str]:
    """Which of `external_ids` already name an interaction in the database."""
    if not external_ids:
        return set()
    load_temp_keys(db, "import_interaction_ids", external_ids)
    rows = db.execute(
        "SELECT i.external_id FROM temp.import_interaction_ids k"
        " JOIN interactions i ON i.external_id = k.k"
    ).fetchall()
    db.execute("DROP TABLE temp.import_interaction_ids")
    return {str(row[0]) for row in rows}


INTERACTION_KEY = ("client_id", "at", "channel", "kind", "outcome", "note", "who")
"""What makes two interactions without a number the same contact (a re-exported file)."""


def read_unnumbered_interactions(db: Database, client_ids: Sequence[int]) -> pl.DataFrame:
    """The interactions without a number of `client_ids` (INTERACTION_KEY; `at` as Datetime),
    through the `interactions_client` index."""
    schema = {
        "client_id": pl.Int64(),
        "at": pl.String(),
        **{name: pl.String() for name in INTERACTION_KEY[2:]},
    }
    rows: list[tuple[object, ...]] = []
    if client_ids:
        load_temp_keys(db, "import_interaction_clients", client_ids)
        rows = db.execute(
            f"SELECT {', '.join('i.' + c for c in INTERACTION_KEY)}"
            " FROM temp.import_interaction_clients k CROSS JOIN interactions i"
            " ON i.client_id = k.k WHERE i.external_id IS NULL"
        ).fetchall()
        db.execute("DROP TABLE temp.import_interaction_clients")
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.with_columns(pl.col("at").str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False))


def insert_interactions(db: Database, interactions: pl.DataFrame) -> int:
    """Insert interactions; `at` (Datetime) is stored as ISO `aaaa-mm-ddThh:mm:ss`."""
    if interactions.is_empty():
        return 0
    rows = interactions.select(
        pl.col(c).dt.strftime("%Y-%m-%dT%H:%M:%S") if c == "at" else pl.col(c)
        for c in INTERACTION_COLUMNS
    )
    placeholders = ", ".join("?" for _ in INTERACTION_COLUMNS)
    sql = f"INSERT INTO interactions({', '.join(INTERACTION_COLUMNS)}) VALUES ({placeholders})"
    db.conn.executemany(sql, rows.iter_rows())
    return rows.height


def read_last_contacts(db: Database, *, before: date) -> pl.DataFrame:
    """Each client's last logged interaction day strictly before `before` (`id`,
    `last_interaction`), from `client_last_contact`; only a client whose last interaction is on
    or after `before` (a past as-of) is looked up in `interactions`, along its index."""
    cut = before.isoformat()
    rows = db.execute(
        "SELECT client_id, CASE WHEN last_interaction < :cut THEN last_interaction ELSE"
        " (SELECT max(at) FROM interactions i WHERE i.client_id = c.client_id AND i.at < :cut)"
        " END FROM client_last_contact c",
        {"cut": cut},
    ).fetchall()
    frame = pl.DataFrame(
        rows, schema={"id": pl.Int64(), "last_interaction": pl.String()}, orient="row"
    )
    return frame.filter(pl.col("last_interaction").is_not_null()).with_columns(
        pl.col("last_interaction").str.slice(0, 10).str.to_date("%Y-%m-%d")
    )
