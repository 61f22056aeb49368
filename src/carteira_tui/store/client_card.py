"""One client's card in SQLite: profile, orders, monthly spend, interactions, open tasks.

Reads and writes behind `services.clients` (the Cliente card and `carteira client …`). Every
read goes through an index on `client_id`; every write runs inside the caller's `db.atomic()`.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlite_utils import Database

from carteira_tui.store.clients import CLIENT_COLUMNS

ORDER_SCHEMA: dict[str, pl.DataType] = {
    "external_id": pl.String(),
    "date": pl.String(),
    "amount_cents": pl.Int64(),
    "channel": pl.String(),
}

MONTHLY_SCHEMA: dict[str, pl.DataType] = {"month": pl.String(), "amount_cents": pl.Int64()}

INTERACTION_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "at": pl.String(),
    "channel": pl.String(),
    "kind": pl.String(),
    "outcome": pl.String(),
    "note": pl.String(),
    "who": pl.String(),
}

OPEN_TASK_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "title": pl.String(),
    "kind": pl.String(),
    "priority": pl.String(),
    "channel": pl.String(),
    "owner": pl.String(),
    "due": pl.String(),
    "urgency": pl.Float64(),
}

_NOW = "strftime('%Y-%m-%dT%H:%M:%S', 'now')"


def read_client_or_alias(
    db: Database, key: str | int, *, any_case: bool = False
) -> tuple[int, str, bool] | None:
    """(id, external_id, merged) of the client `key` names: its internal id (int), its code
    (text), or a code merged away into it (an alias: `merged` is True). An alias matches in
    any case when `any_case`; a client's own code always as written. None when none."""
    if isinstance(key, int):
        row = db.execute("SELECT id, external_id FROM clients WHERE id = ?", [key]).fetchone()
        return (int(row[0]), str(row[1]), False) if row else None
    row = db.execute("SELECT id, external_id FROM clients WHERE external_id = ?", [key]).fetchone()
    if row:
        return int(row[0]), str(row[1]), False
    collate = " COLLATE NOCASE" if any_case else ""
    row = db.execute(
        "SELECT c.id, c.external_id FROM client_aliases a JOIN clients c ON c.id = a.client_id"
        f" WHERE a.code = ?{collate} ORDER BY a.code = ? DESC LIMIT 1",
        [key, key],
    ).fetchone()
    return (int(row[0]), str(row[1]), True) if row else None


def read_client_profile(db: Database, client_id: int) -> dict[str, Any] | None:
    """Every column of one client's row plus its owner's name (`owner`), or None."""
    columns = ", ".join(f"c.{name}" for name in CLIENT_COLUMNS)
    cursor = db.execute(
        f"SELECT {columns}, o.name AS owner FROM clients c"
        " LEFT JOIN owners o ON o.id = c.owner_id WHERE c.id = ?",
        [client_id],
    )
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def read_order_totals(db: Database, client_id: int) -> tuple[int, int]:
    """(number of orders, sum of amounts in centavos) of one client."""
    row = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM orders WHERE client_id = ?",
        [client_id],
    ).fetchone()
    return int(row[0]), int(row[1])


def read_client_orders(db: Database, client_id: int, *, limit: int = 20) -> pl.DataFrame:
    """One client's latest orders, newest first (date as ISO text)."""
    rows = db.execute(
        "SELECT external_id, date, amount_cents, channel FROM orders WHERE client_id = ?"
        " ORDER BY date DESC, id DESC LIMIT ?",
        [client_id, limit],
    ).fetchall()
    return pl.DataFrame(rows, schema=ORDER_SCHEMA, orient="row")


def read_monthly_spend(db: Database, client_id: int, *, since: str) -> pl.DataFrame:
    """Sum of one client's orders per month (`aaaa-mm`) from the ISO date `since` on."""
    rows = db.execute(
        "SELECT substr(date, 1, 7) AS month, SUM(amount_cents) FROM orders"
        " WHERE client_id = ? AND date >= ? GROUP BY month ORDER BY month",
        [client_id, since],
    ).fetchall()
    return pl.DataFrame(rows, schema=MONTHLY_SCHEMA, orient="row")


def read_client_interactions(db: Database, client_id: int, *, limit: int = 50) -> pl.DataFrame:
    """One client's interactions, newest first."""
    rows = db.execute(
        "SELECT id, at, channel, kind, outcome, note, who FROM interactions"
        " WHERE client_id = ? ORDER BY at DESC, id DESC LIMIT ?",
        [client_id, limit],
    ).fetchall()
    return pl.DataFrame(rows, schema=INTERACTION_SCHEMA, orient="row")


def read_client_open_tasks(db: Database, client_id: int) -> pl.DataFrame:
    """One client's open tasks, by due date then urgency."""
    rows = db.execute(
        "SELECT t.id, COALESCE(t.title, p.title), COALESCE(t.kind, p.kind, 'manual'),"
        " t.priority, t.channel, o.name, t.due, t.urgency FROM tasks t"
        " LEFT JOIN action_plans p ON p.id = t.plan_id"
        " LEFT JOIN owners o ON o.id = t.owner_id"
        " WHERE t.client_id = ? AND t.status = 'aberta' ORDER BY t.due, t.urgency DESC, t.id",
        [client_id],
    ).fetchall()
    return pl.DataFrame(rows, schema=OPEN_TASK_SCHEMA, orient="row")


def read_owner_names(db: Database) -> list[str]:
    """Names of the active owners, alphabetically."""
    rows = db.execute("SELECT name FROM owners WHERE active = 1 ORDER BY name").fetchall()
    return [str(row[0]) for row in rows]


def read_owner_id(db: Database, name: str) -> int | None:
    """The id of the owner called `name` (case-insensitive), or None."""
    row = db.execute("SELECT id FROM owners WHERE lower(name) = lower(?)", [name]).fetchone()
    return int(row[0]) if row else None


def update_client_column(
    db: Database, client_id: int, column: str, value: object, *, generation: int
) -> None:
    """Set one column of one client, stamping `updated_at` and the write's generation.

    `column` must be a column of the clients table (checked here: it is spliced into SQL).
    """
    if column not in CLIENT_COLUMNS or column in {"id", "created_at", "generation"}:
        raise KeyError(column)
    db.execute(
        f"UPDATE clients SET {column} = ?, updated_at = {_NOW}, generation = ? WHERE id = ?",
        [value, generation, client_id],
    )
