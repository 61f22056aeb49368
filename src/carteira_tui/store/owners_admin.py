"""Responsáveis in SQLite: owners (capacity, active), their pools per segment, pins, and the
assignment log of `carteira assign` and the giro de carteira.

`services.owners` calls these; every write runs inside the caller's `db.atomic()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from sqlite_utils import Database


class OwnerNotFound(LookupError):
    """No owner with that name."""


@dataclass(frozen=True)
class OwnerRow:
    """One owner as stored."""

    id: int
    name: str
    email: str | None
    capacity: int
    active: bool


OWNER_SCHEMA: dict[str, pl.DataType] = {
    "owner_id": pl.Int64(),
    "name": pl.String(),
    "email": pl.String(),
    "capacity": pl.Int64(),
    "active": pl.Boolean(),
}

CLIENT_OWNER_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "external_id": pl.String(),
    "name": pl.String(),
    "owner_id": pl.Int64(),
    "pinned": pl.Boolean(),
}

TOUCH_SCHEMA: dict[str, pl.DataType] = {"id": pl.Int64(), "last_touch": pl.Date()}

LOG_SCHEMA: dict[str, pl.DataType] = {
    "run_id": pl.Int64(),
    "at": pl.String(),
    "who": pl.String(),
    "id": pl.Int64(),
    "from_owner_id": pl.Int64(),
    "to_owner_id": pl.Int64(),
    "reason": pl.String(),
}


def _owner(row: tuple[Any, ...]) -> OwnerRow:
    return OwnerRow(int(row[0]), str(row[1]), row[2], int(row[3]), bool(row[4]))


def read_owners(db: Database) -> pl.DataFrame:
    """Every owner (OWNER_SCHEMA), by name."""
    rows = db.execute(
        "SELECT id, name, email, capacity, active FROM owners ORDER BY name COLLATE NOCASE"
    ).fetchall()
    return pl.DataFrame(rows, schema=OWNER_SCHEMA, orient="row")


def read_owner(db: Database, name: str) -> OwnerRow:
    """The owner called `name` (case-insensitive); `OwnerNotFound` otherwise."""
    row = db.execute(
        "SELECT id, name, email, capacity, active FROM owners WHERE name = ? COLLATE NOCASE",
        [name],
    ).fetchone()
    if row is None:
        raise OwnerNotFound(name)
    return _owner(row)


def insert_owner(
    db: Database, *, name: str, email: str | None, capacity: int, active: bool
) -> OwnerRow:
    """Create an owner (the name must be new)."""
    cursor = db.execute(
        "INSERT INTO owners(name, email, capacity, active) VALUES (?, ?, ?, ?)",
        [name, email, capacity, int(active)],
    )
    return OwnerRow(int(cursor.lastrowid or 0), name, email, capacity, active)


def update_owner(db: Database, owner_id: int, changes: dict[str, Any]) -> None:
    """Set some of `name`, `email`, `capacity`, `active`, `login`, `daily_target` on one owner."""
    allowed = {"name", "email", "capacity", "active", "login", "daily_target"}
    pairs = [(k, int(v) if isinstance(v, bool) else v) for k, v in changes.items() if k in allowed]
    if not pairs:
        return
    assignments = ", ".join(f"{k} = ?" for k, _ in pairs)
    db.execute(f"UPDATE owners SET {assignments} WHERE id = ?", [v for _, v in pairs] + [owner_id])


def touch_owner_clients(db: Database, owner_id: int, *, generation: int) -> int:
    """Mark an owner's clients as changed at `generation` (their rows carry the owner's name
    into derived results); returns how many."""
    cursor = db.execute(
        "UPDATE clients SET generation = ? WHERE owner_id = ?", [generation, owner_id]
    )
    return int(cursor.rowcount)


def read_pools(db: Database) -> pl.DataFrame:
    """Segment → owner pairs (`segment`, `owner_id`)."""
    rows = db.execute("SELECT segment, owner_id FROM owner_pools ORDER BY segment, owner_id")
    return pl.DataFrame(
        rows.fetchall(), schema={"segment": pl.String(), "owner_id": pl.Int64()}, orient="row"
    )


def write_owner_pools(db: Database, owner_id: int, segments: list[str]) -> None:
    """Replace the segments whose pool holds this owner."""
    db.execute("DELETE FROM owner_pools WHERE owner_id = ?", [owner_id])
    db.conn.executemany(
        "INSERT INTO owner_pools(segment, owner_id) VALUES (?, ?)",
        [(segment, owner_id) for segment in dict.fromkeys(segments)],
    )


def read_client_owners(db: Database) -> pl.DataFrame:
    """Every client not archived with its owner and pin (CLIENT_OWNER_SCHEMA)."""
    cursor = db.conn.execute(
        "SELECT id, external_id, name, owner_id, pinned FROM clients WHERE archived = 0"
    )
    raw = {**CLIENT_OWNER_SCHEMA, "pinned": pl.Int64()}
    parts = []
    while rows := cursor.fetchmany(500_000):
        parts.append(pl.DataFrame(rows, schema=raw, orient="row"))
    frame = pl.concat(parts) if parts else pl.DataFrame(schema=raw)
    return frame.with_columns(pl.col("pinned").cast(pl.Boolean))


def read_client_pin(db: Database, client_id: int) -> tuple[int | None, bool] | None:
    """(owner_id, pinned) of the client with internal id `client_id`, None when unknown."""
    row = db.execute("SELECT owner_id, pinned FROM clients WHERE id = ?", [client_id]).fetchone()
    if row is None:
        return None
    return (int(row[0]) if row[0] is not None else None), bool(row[1])


def read_last_touch(db: Database) -> pl.DataFrame:
    """Per client, the last day it was worked: an interaction, a task done, or its assignment
    to the owner it has now (TOUCH_SCHEMA; clients never touched are absent)."""
    rows = db.execute(
        "SELECT client_id, MAX(day) FROM ("
        " SELECT client_id, substr(at, 1, 10) AS day FROM interactions"
        " UNION ALL SELECT client_id, closed_on FROM tasks"
        "  WHERE status = 'concluida' AND closed_on IS NOT NULL"
        " UNION ALL SELECT l.client_id, r.as_of FROM assignment_log l"
        "  JOIN assignment_runs r ON r.id = l.run_id"
        "  JOIN clients c ON c.id = l.client_id AND c.owner_id = l.to_owner_id"
        ") GROUP BY client_id"
    ).fetchall()
    frame = pl.DataFrame(rows, schema={"id": pl.Int64(), "last_touch": pl.String()}, orient="row")
    return frame.with_columns(pl.col("last_touch").str.slice(0, 10).str.to_date("%Y-%m-%d"))


def read_owner_client_counts(db: Database) -> pl.DataFrame:
    """Active owners with their capacity and number of (not archived) clients."""
    rows = db.execute(
        "SELECT o.id, o.capacity, COUNT(c.id) FROM owners o"
        " LEFT JOIN clients c ON c.owner_id = o.id AND c.archived = 0"
        " WHERE o.active = 1 GROUP BY o.id ORDER BY o.id"
    ).fetchall()
    schema = {"owner_id": pl.Int64(), "capacity": pl.Int64(), "clients": pl.Int64()}
    return pl.DataFrame(rows, schema=schema, orient="row")


def write_assignments(
    db: Database,
    changes: pl.DataFrame,
    *,
    as_of: date,
    rotate: bool,
    idle_days: int | None,
    who: str,
    generation: int,
) -> int:
    """Apply owner changes (`id`, `from_owner_id`, `to_owner_id`, `reason`): the clients (stamped
    with `generation`), their open tasks, and the log; returns the run id."""
    cursor = db.execute(
        "INSERT INTO assignment_runs(who, as_of, rotate, idle_days, moved) VALUES (?, ?, ?, ?, ?)",
        [who, as_of.isoformat(), int(rotate), idle_days, changes.height],
    )
    run_id = int(cursor.lastrowid or 0)
    # one pass of Python rows into a temporary table, then set-based writes from it
    db.execute(
        "CREATE TEMP TABLE assign_changes (id INTEGER PRIMARY KEY, from_owner_id INTEGER,"
        " to_owner_id INTEGER NOT NULL, reason TEXT NOT NULL)"
    )
    try:
        db.conn.executemany(
            "INSERT INTO assign_changes(id, from_owner_id, to_owner_id, reason)"
            " VALUES (?, ?, ?, ?)",
            changes.select("id", "from_owner_id", "to_owner_id", "reason").iter_rows(),
        )
        db.execute(
            "UPDATE clients SET owner_id = a.to_owner_id, generation = ?,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now')"
            " FROM assign_changes a WHERE clients.id = a.id",
            [generation],
        )
        db.execute(
            "UPDATE tasks SET owner_id = a.to_owner_id FROM assign_changes a"
            " WHERE tasks.client_id = a.id AND tasks.status = 'aberta'"
        )
        db.execute(
            "INSERT INTO assignment_log(run_id, client_id, from_owner_id, to_owner_id, reason)"
            " SELECT ?, id, from_owner_id, to_owner_id, reason FROM assign_changes ORDER BY id",
            [run_id],
        )
    finally:
        db.execute("DROP TABLE temp.assign_changes")
    return run_id


def write_pinned(db: Database, client_id: int, *, pinned: bool) -> None:
    """Pin or unpin one client to its owner (no derived result depends on it)."""
    db.execute(
        "UPDATE clients SET pinned = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now')"
        " WHERE id = ?",
        [int(pinned), client_id],
    )


def read_assignment_log(db: Database, *, client_id: int | None = None) -> pl.DataFrame:
    """The assignment log (LOG_SCHEMA), newest run first; one client's when given."""
    sql = (
        "SELECT l.run_id, r.at, r.who, l.client_id, l.from_owner_id, l.to_owner_id, l.reason"
        " FROM assignment_log l JOIN assignment_runs r ON r.id = l.run_id"
    )
    params: list[Any] = []
    if client_id is not None:
        sql += " WHERE l.client_id = ?"
        params.append(client_id)
    rows = db.execute(sql + " ORDER BY l.run_id DESC, l.client_id", params).fetchall()
    return pl.DataFrame(rows, schema=LOG_SCHEMA, orient="row")


def upsert_owner_rows(db: Database, rows: pl.DataFrame) -> tuple[int, int]:
    """Create or update owners by exact name from an import (`name` and any of `email`,
    `capacity`, `active`); returns (inserted, updated). Columns absent keep their values."""
    known = set(read_owners(db).get_column("name").to_list())
    optional = [c for c in ("email", "capacity", "active") if c in rows.columns]
    inserted = updated = 0
    for row in rows.select("name", *optional).iter_rows(named=True):
        values: dict[str, Any] = {k: row[k] for k in optional if row[k] is not None}
        if row["name"] in known:
            update_owner(db, int(read_owner(db, row["name"]).id), values)
            updated += 1
        else:
            columns = ["name", *values]
            db.execute(
                f"INSERT INTO owners({', '.join(columns)}) VALUES"
                f" ({', '.join('?' for _ in columns)})",
                [row["name"], *(int(v) if isinstance(v, bool) else v for v in values.values())],
            )
            known.add(row["name"])
            inserted += 1
    return inserted, updated
