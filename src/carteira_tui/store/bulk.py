"""SQL for bulk actions on a set of clients (services.bulk): owner, tags, archive.

Reads return Polars frames; writes take the new generation and run inside the caller's
`db.atomic()`, one `executemany` per action, so a thousand clients cost one statement plan.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlite_utils import Database

_NOW = "strftime('%Y-%m-%dT%H:%M:%S', 'now')"
_CHUNK = 500

CLIENT_STATE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "external_id": pl.String(),
    "owner_id": pl.Int64(),
    "owner": pl.String(),
    "tags": pl.String(),
    "archived": pl.Int64(),
    "archived_at": pl.String(),
}


def read_client_state(db: Database, client_ids: Sequence[int]) -> pl.DataFrame:
    """id, external_id, owner_id, owner (name), tags, archived, archived_at of the clients."""
    rows: list[tuple[object, ...]] = []
    ids = sorted(set(client_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        rows.extend(
            db.execute(
                "SELECT c.id, c.external_id, c.owner_id, o.name, c.tags, c.archived,"
                " c.archived_at FROM clients c LEFT JOIN owners o ON o.id = c.owner_id"
                f" WHERE c.id IN ({marks}) ORDER BY c.id",
                chunk,
            ).fetchall()
        )
    return pl.DataFrame(rows, schema=CLIENT_STATE_SCHEMA, orient="row")


def read_owner(db: Database, name: str) -> tuple[int, str] | None:
    """(id, name as stored) of the owner called `name`, ignoring case; None when unknown."""
    row = db.execute(
        "SELECT id, name FROM owners WHERE lower(name) = lower(?)", [name.strip()]
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def read_owner_names(db: Database) -> list[str]:
    """The names of the active owners, alphabetically."""
    rows = db.execute("SELECT name FROM owners WHERE active = 1 ORDER BY name").fetchall()
    return [str(row[0]) for row in rows]


def write_owner(db: Database, client_ids: Sequence[int], owner_id: int, *, generation: int) -> int:
    """Give the clients to owner `owner_id`; returns how many rows changed."""
    cursor = db.conn.executemany(
        f"UPDATE clients SET owner_id = ?, updated_at = {_NOW}, generation = ? WHERE id = ?",
        ((owner_id, generation, client_id) for client_id in client_ids),
    )
    return cursor.rowcount


def write_tags(db: Database, tags: pl.DataFrame, *, generation: int) -> int:
    """Write the new `tags` text (null for none) of each row of an (id, tags) frame."""
    cursor = db.conn.executemany(
        f"UPDATE clients SET tags = ?, updated_at = {_NOW}, generation = ? WHERE id = ?",
        (
            (text, generation, client_id)
            for client_id, text in tags.select("id", "tags").iter_rows()
        ),
    )
    return cursor.rowcount


def write_archived(
    db: Database, client_ids: Sequence[int], *, archived_at: str, generation: int
) -> int:
    """Archive the clients (never deletes): archived = 1 and the moment it happened."""
    cursor = db.conn.executemany(
        f"UPDATE clients SET archived = 1, archived_at = ?, updated_at = {_NOW}, generation = ?"
        " WHERE id = ?",
        ((archived_at, generation, client_id) for client_id in client_ids),
    )
    return cursor.rowcount


def read_now(db: Database) -> str:
    """The database's current timestamp, as the other columns store it."""
    return str(db.execute(f"SELECT {_NOW}").fetchone()[0])
