"""Action plans and tasks in SQLite: the reads and writes behind `services.tasks`.

Dates are ISO text in the tables and `pl.Date` in the frames these functions return or take;
`tasks.client_id` is the internal `clients.id`. Every write runs inside the caller's
`db.atomic()`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlite_utils import Database

from carteira_tui.model import TASK_CLIENT_CONTEXT
from carteira_tui.store.open_tasks import OPEN as OPEN
from carteira_tui.store.open_tasks import OPEN_TASK_COLUMNS as OPEN_TASK_COLUMNS
from carteira_tui.store.open_tasks import read_daily_progress as read_daily_progress
from carteira_tui.store.open_tasks import read_open_task_rows
from carteira_tui.store.open_tasks import read_owner_id as read_owner_id

BULK_CACHE_KIB = 256 * 1024
"""Page cache for bulk writes: the queue indexes are written in random order."""

DONE = "concluida"
CANCELLED = "cancelada"

STATUS_LABELS: dict[str, str] = {OPEN: "aberta", DONE: "concluída", CANCELLED: "cancelada"}

PLAN_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "code": pl.String(),
    "kind": pl.String(),
    "title": pl.String(),
    "trigger": pl.String(),
    "value": pl.String(),
    "abc": pl.String(),
    "due_offset": pl.Int64(),
    "priority": pl.String(),
    "channel": pl.String(),
    "recurrence": pl.String(),
    "anchor": pl.String(),
    "cooldown_days": pl.Int64(),
    "active": pl.Boolean(),
}

QUEUE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "client_id": pl.Int64(),
    "external_id": pl.String(),
    "client_name": pl.String(),
    "kind": pl.String(),
    "title": pl.String(),
    "priority": pl.String(),
    "channel": pl.String(),
    "owner": pl.String(),
    "due": pl.Date(),
    "urgency": pl.Float64(),
}

TASK_INSERT_COLUMNS: tuple[str, ...] = (
    "client_id",
    "plan_id",
    "period",
    "due",
    "priority",
    "channel",
    "owner_id",
    "abc",
    "overdue_days",
    "cooling",
    "urgency",
    "kind",
    "title",
    "segment",
)


def _frame(rows: list[Any], schema: dict[str, pl.DataType], dates: tuple[str, ...]) -> pl.DataFrame:
    """Rows to a frame, with ISO-text columns in `dates` parsed to `pl.Date`."""
    text_schema = {name: (pl.String() if name in dates else t) for name, t in schema.items()}
    frame = pl.DataFrame(rows, schema=text_schema, orient="row")
    return frame.with_columns(
        pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d") for name in dates
    )


def read_action_plans(db: Database) -> pl.DataFrame:
    """Every action plan, ordered by id."""
    rows = db.execute(f"SELECT {', '.join(PLAN_SCHEMA)} FROM action_plans ORDER BY id").fetchall()
    return pl.DataFrame(rows, schema=PLAN_SCHEMA, orient="row")


def read_segment_plans(db: Database) -> dict[str, str]:
    """Segment name → the action plan code it names (empty when segments do not exist yet)."""
    if "segments" not in db.table_names():
        return {}
    rows = db.execute("SELECT name, plan FROM segments WHERE plan IS NOT NULL").fetchall()
    return {str(name): str(plan) for name, plan in rows}


def read_task_keys(
    db: Database, *, closed_since: date | None = None, period_since: date | None = None
) -> pl.DataFrame:
    """Client, plan, period, open flag and close date of plan-generated tasks.

    With the two dates, only the tasks that can still block a new one: open, closed since
    `closed_since`, or of a period since `period_since`.
    """
    sql = (
        "SELECT t.client_id, t.plan_id, t.period, t.status = ? AS is_open, t.closed_on,"
        " COALESCE(t.kind, p.kind) FROM tasks t LEFT JOIN action_plans p ON p.id = t.plan_id"
        " WHERE t.plan_id IS NOT NULL"
    )
    params: list[Any] = [OPEN]
    if closed_since is not None and period_since is not None:
        sql += " AND (t.status = ? OR t.closed_on >= ? OR t.period >= ?)"
        params += [OPEN, closed_since.isoformat(), period_since.isoformat()]
    rows = db.execute(sql, params).fetchall()
    schema = {
        "client_id": pl.Int64(),
        "plan_id": pl.Int64(),
        "period": pl.Date(),
        "is_open": pl.Boolean(),
        "closed_on": pl.Date(),
        "kind": pl.String(),
    }
    return _frame(rows, schema, ("period", "closed_on"))


def insert_tasks(db: Database, tasks: pl.DataFrame, *, created_on: date) -> int:
    """Insert generated tasks (columns `TASK_INSERT_COLUMNS`) in one statement; returns count."""
    if tasks.is_empty():
        return 0
    tasks = tasks.with_columns(
        pl.lit(None, dtype=pl.String).alias(name)
        for name in ("kind", "title", "segment")
        if name not in tasks.columns
    )
    rows = tasks.select(
        pl.col("client_id"),
        pl.col("plan_id"),
        pl.col("period").cast(pl.String),
        pl.col("due").cast(pl.String),
        pl.col("priority"),
        pl.col("channel"),
        pl.col("owner_id"),
        pl.col("abc"),
        pl.col("overdue_days"),
        pl.col("cooling").cast(pl.Int64),
        pl.col("urgency"),
        pl.col("kind"),
        pl.col("title"),
        pl.col("segment"),
    ).rows()
    day = created_on.isoformat()
    db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    db.conn.executemany(
        f"INSERT INTO tasks({', '.join(TASK_INSERT_COLUMNS)}, created_on, urgency_on)"
        f" VALUES ({', '.join('?' for _ in TASK_INSERT_COLUMNS)}, '{day}', '{day}')",
        rows,
    )
    return len(rows)


OPEN_TASK_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "client_id": pl.Int64(),
    "external_id": pl.String(),
    "client_name": pl.String(),
    "kind": pl.String(),
    "title": pl.String(),
    "priority": pl.String(),
    "channel": pl.String(),
    "owner_id": pl.Int64(),
    "owner": pl.String(),
    "due": pl.Date(),
    "created_on": pl.Date(),
    "abc": pl.String(),
    "cooling": pl.Boolean(),
    **TASK_CLIENT_CONTEXT,
    "channel_pref": pl.String(),
    "consent_whatsapp": pl.Boolean(),
    "consent_phone": pl.Boolean(),
    "consent_email": pl.Boolean(),
    "consent_sms": pl.Boolean(),
    "opt_out": pl.Boolean(),
    **{name: pl.Float64() for name in ("fit_r", "fit_alpha", "fit_a", "fit_b")},
}
"""An open task with everything urgency, the channel and the "why" read about its client
(and the kept forecast's BG/NBD parameters, null without a kept fit)."""

_OPEN_TASK_DATES = ("due", "created_on", "first_purchase", "last_purchase", "last_interaction")


def read_open_tasks(
    db: Database,
    *,
    as_of: date,
    owner_id: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    task_id: int | None = None,
    client_id: int | None = None,
    any_status: bool = False,
    stale_on: date | None = None,
) -> pl.DataFrame:
    """Open tasks (or one task, `task_id`, in any state with `any_status`) with their client's
    aggregates, last interaction on or before `as_of`, segment cadence, channel preference and
    consents (`store.open_tasks.read_open_task_rows`, as a frame)."""
    rows = read_open_task_rows(
        db,
        as_of=as_of,
        owner_id=owner_id,
        due_from=due_from,
        due_to=due_to,
        task_id=task_id,
        client_id=client_id,
        any_status=any_status,
        stale_on=stale_on,
    )
    return _frame(rows, OPEN_TASK_SCHEMA, _OPEN_TASK_DATES)


def read_urgency_inputs(
    db: Database, *, stale_on: date, task_id: int | None = None
) -> pl.DataFrame:
    """The urgency inputs (`read_open_tasks`) of every open task, or of one task in any state;
    `stale_on` is the day the urgency is for (the caller's "today", never the server's)."""
    as_of = stale_on
    if task_id is not None:
        return read_open_tasks(db, as_of=as_of, task_id=task_id, any_status=True)
    return read_open_tasks(db, as_of=as_of)


def close_contact_tasks(
    db: Database,
    *,
    client_id: int,
    on: date,
    outcome: str,
    interaction_id: int | None,
    keep_kinds: tuple[str, ...],
    except_id: int | None = None,
) -> list[int]:
    """Close the client's open tasks due on or before `on` whose kind is not in `keep_kinds`,
    with the contact as their outcome; returns their ids."""
    kinds = ", ".join("?" for _ in keep_kinds)
    rows = db.execute(
        "SELECT t.id FROM tasks t LEFT JOIN action_plans p ON p.id = t.plan_id"
        " WHERE t.client_id = ? AND t.status = ? AND t.due <= ? AND t.id IS NOT ?"
        f" AND COALESCE(t.kind, p.kind, 'manual') NOT IN ({kinds})",
        [client_id, OPEN, on.isoformat(), except_id, *keep_kinds],
    ).fetchall()
    ids = [int(row[0]) for row in rows]
    for task_id in ids:
        update_task(
            db,
            task_id,
            {
                "status": DONE,
                "closed_on": on.isoformat(),
                "outcome": outcome,
                "interaction_id": interaction_id,
            },
        )
    return ids


def write_task_urgency(db: Database, urgencies: pl.DataFrame, *, urgency_on: date) -> int:
    """Store `urgency` (columns id, urgency) as computed on `urgency_on`; returns count."""
    if urgencies.is_empty():
        return 0
    db.execute("CREATE TEMP TABLE IF NOT EXISTS task_urgency_new (id INTEGER PRIMARY KEY, u REAL)")
    db.execute("DELETE FROM task_urgency_new")
    db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    db.conn.executemany(
        "INSERT INTO task_urgency_new(id, u) VALUES (?, ?)",
        urgencies.select("id", "urgency").rows(),
    )
    db.execute(
        "UPDATE tasks SET urgency = n.u, urgency_on = ? FROM task_urgency_new AS n"
        " WHERE tasks.id = n.id",
        [urgency_on.isoformat()],
    )
    db.execute("DELETE FROM task_urgency_new")
    return urgencies.height


def read_task(db: Database, task_id: int) -> dict[str, Any] | None:
    """One task with its client, plan title/kind and owner name, or None."""
    cursor = db.execute(
        "SELECT t.id, t.client_id, c.external_id, c.name AS client_name,"
        " COALESCE(t.kind, p.kind, 'manual') AS kind, COALESCE(t.title, p.title) AS title,"
        " p.code AS plan, t.status, t.priority, t.channel, t.owner_id, o.name AS owner,"
        " t.period, t.due, t.created_on, t.abc, t.overdue_days, t.cooling, t.urgency,"
        " t.urgency_on, t.closed_on, t.outcome, t.note, t.interaction_id, t.parent_id"
        " FROM tasks t JOIN clients c ON c.id = t.client_id"
        " LEFT JOIN action_plans p ON p.id = t.plan_id"
        " LEFT JOIN owners o ON o.id = t.owner_id WHERE t.id = ?",
        [task_id],
    )
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def read_queue(
    db: Database,
    *,
    owner_id: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    limit: int | None = None,
) -> pl.DataFrame:
    """Open tasks in queue order (stored urgency desc, due, id), optionally by owner and due."""
    where = ["t.status = ?"]
    params: list[Any] = [OPEN]
    if owner_id is not None:
        where.append("t.owner_id = ?")
        params.append(owner_id)
    if due_from is not None:
        where.append("t.due >= ?")
        params.append(due_from.isoformat())
    if due_to is not None:
        where.append("t.due <= ?")
        params.append(due_to.isoformat())
    sql = (
        "SELECT t.id, t.client_id, c.external_id, c.name,"
        " COALESCE(t.kind, p.kind, 'manual'), COALESCE(t.title, p.title), t.priority,"
        " t.channel, o.name, t.due, t.urgency"
        " FROM tasks t JOIN clients c ON c.id = t.client_id"
        " LEFT JOIN action_plans p ON p.id = t.plan_id"
        " LEFT JOIN owners o ON o.id = t.owner_id"
        f" WHERE {' AND '.join(where)} ORDER BY t.urgency DESC, t.due, t.id"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _frame(db.execute(sql, params).fetchall(), QUEUE_SCHEMA, ("due",))


def insert_task(db: Database, values: dict[str, Any]) -> int:
    """Insert one task (a manual task or follow-up); returns its id."""
    columns = list(values)
    cursor = db.execute(
        f"INSERT INTO tasks({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [values[c] for c in columns],
    )
    return int(cursor.lastrowid or 0)


def update_task(db: Database, task_id: int, values: dict[str, Any]) -> None:
    """Set `values` on one task and touch `updated_at`."""
    assignments = ", ".join(f"{column} = ?" for column in values)
    db.execute(
        f"UPDATE tasks SET {assignments}, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now')"
        " WHERE id = ?",
        [*values.values(), task_id],
    )


def insert_interaction(
    db: Database,
    *,
    client_id: int,
    at: str,
    channel: str | None,
    kind: str | None,
    outcome: str | None,
    note: str | None,
    who: str,
) -> int:
    """Record one interaction with a client; returns its id."""
    cursor = db.execute(
        "INSERT INTO interactions(client_id, at, channel, kind, outcome, note, who)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [client_id, at, channel, kind, outcome, note, who],
    )
    return int(cursor.lastrowid or 0)


def read_last_interactions(db: Database, *, before: date) -> pl.DataFrame:
    """Each client's last logged interaction day strictly before `before` (`id`,
    `last_interaction`), read along the `interactions_client` index."""
    rows = db.execute(
        "SELECT client_id, max(at) FROM interactions WHERE at < ? GROUP BY client_id",
        [before.isoformat()],
    ).fetchall()
    schema = {"id": pl.Int64(), "last_interaction": pl.Date()}
    return _frame(rows, schema, ("last_interaction",))


def read_client_owner(db: Database, client_id: int) -> int | None:
    """The owner id of the client with internal id `client_id` (None: no owner, or no client)."""
    row = db.execute("SELECT owner_id FROM clients WHERE id = ?", [client_id]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def read_owner_capacity(db: Database) -> pl.DataFrame:
    """Each active owner's capacity and number of open tasks."""
    rows = db.execute(
        "SELECT o.id, o.capacity, COUNT(t.id) FROM owners o"
        " LEFT JOIN tasks t ON t.owner_id = o.id AND t.status = ?"
        " WHERE o.active = 1 GROUP BY o.id",
        [OPEN],
    ).fetchall()
    schema = {"owner_id": pl.Int64(), "capacity": pl.Int64(), "open_tasks": pl.Int64()}
    return pl.DataFrame(rows, schema=schema, orient="row")


PLAN_EDITABLE: tuple[str, ...] = (
    "kind",
    "title",
    "trigger",
    "value",
    "abc",
    "due_offset",
    "priority",
    "channel",
    "recurrence",
    "anchor",
    "cooldown_days",
    "active",
)


def read_plan(db: Database, code: str) -> dict[str, Any] | None:
    """One action plan by code (PLAN_SCHEMA columns), or None."""
    cursor = db.execute(f"SELECT {', '.join(PLAN_SCHEMA)} FROM action_plans WHERE code = ?", [code])
    row = cursor.fetchone()
    return dict(zip(PLAN_SCHEMA, row, strict=True)) if row else None


def insert_plan(db: Database, values: dict[str, Any]) -> int:
    """Add an action plan (`code` and `PLAN_EDITABLE` columns); returns its id."""
    columns = ["code", *[c for c in PLAN_EDITABLE if c in values]]
    cursor = db.execute(
        f"INSERT INTO action_plans({', '.join(columns)})"
        f" VALUES ({', '.join('?' for _ in columns)})",
        [values[c] for c in columns],
    )
    return int(cursor.lastrowid or 0)


def update_plan(db: Database, code: str, values: dict[str, Any]) -> None:
    """Set some `PLAN_EDITABLE` columns of one plan and touch `updated_at`."""
    pairs = [(c, v) for c, v in values.items() if c in PLAN_EDITABLE]
    if not pairs:
        return
    assignments = ", ".join(f"{c} = ?" for c, _ in pairs)
    db.execute(
        f"UPDATE action_plans SET {assignments},"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE code = ?",
        [v for _, v in pairs] + [code],
    )


def count_plan_tasks(db: Database, plan_id: int) -> int:
    """How many tasks (any state) a plan generated."""
    return int(db.execute("SELECT count(*) FROM tasks WHERE plan_id = ?", [plan_id]).fetchone()[0])


def delete_plan(db: Database, code: str) -> None:
    """Remove a plan that generated no task."""
    db.execute("DELETE FROM action_plans WHERE code = ?", [code])


def write_consent_refused(db: Database, client_id: int, column: str, *, generation: int) -> Any:
    """Set one consent column (`consent_*`) of a client to 0 and stamp `generation` (the client's
    result row changes); returns the value it had."""
    if not column.startswith("consent_") or not column.replace("_", "").isalpha():
        raise ValueError(column)
    row = db.execute(f"SELECT {column} FROM clients WHERE id = ?", [client_id]).fetchone()
    db.execute(
        f"UPDATE clients SET {column} = 0, generation = ?,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
        [generation, client_id],
    )
    return row[0] if row else None
