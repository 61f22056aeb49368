"""Vigilância in SQLite: segmentation runs, the segment history, and the reads behind alerts.

`services.watch` writes one `segment_runs` row per segmentation run (with the settings it
used), one `segment_history` row per client that moved in it, and keeps `segment_state` (each
client's status, segment and class in the last run) by writing only those clients, all inside
the caller's `db.atomic()`; it reads them back for `carteira watch`, the Segmentos board and
`carteira alerts`. `meta.segment_state_run` names the run `segment_state` reflects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl
from sqlite_utils import Database

from carteira_tui.store.runs import SegmentRunRow as SegmentRunRow
from carteira_tui.store.runs import read_last_run as read_last_run
from carteira_tui.store.runs import read_segment_runs as read_segment_runs

HISTORY_COLUMNS: tuple[str, ...] = (
    "status_from",
    "status_to",
    "segment_from",
    "segment_to",
    "abc_from",
    "abc_to",
)

HISTORY_SCHEMA: dict[str, pl.DataType] = {
    "run_id": pl.Int64(),
    "as_of": pl.Date(),
    "id": pl.Int64(),
    **{name: pl.String() for name in HISTORY_COLUMNS},
}

OVERDUE_SCHEMA: dict[str, pl.DataType] = {
    "task_id": pl.Int64(),
    "id": pl.Int64(),
    "owner_id": pl.Int64(),
    "due": pl.Date(),
    "title": pl.String(),
}


def _dated(rows: list[Any], schema: dict[str, pl.DataType], dates: tuple[str, ...]) -> pl.DataFrame:
    raw = {name: (pl.String() if name in dates else dtype) for name, dtype in schema.items()}
    frame = pl.DataFrame(rows, schema=raw, orient="row")
    return frame.with_columns(pl.col(d).str.slice(0, 10).str.to_date("%Y-%m-%d") for d in dates)


def write_segment_run(
    db: Database,
    *,
    as_of: date,
    clients: int,
    moves: pl.DataFrame,
    has_previous: bool,
    settings_json: str | None = None,
    settings_hash: str | None = None,
    settings_changed: bool = False,
    generation: int | None = None,
) -> int:
    """Record a run, the settings it used and its movements (`id` + HISTORY_COLUMNS); returns
    the run id."""
    cursor = db.execute(
        "INSERT INTO segment_runs(as_of, clients, changed, has_previous, settings,"
        " settings_hash, settings_changed, generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            as_of.isoformat(),
            clients,
            moves.height,
            int(has_previous),
            settings_json,
            settings_hash,
            int(settings_changed),
            generation,
        ],
    )
    run_id = int(cursor.lastrowid or 0)
    if moves.height:
        placeholders = ", ".join("?" for _ in range(len(HISTORY_COLUMNS) + 2))
        db.conn.executemany(
            f"INSERT INTO segment_history(run_id, client_id, {', '.join(HISTORY_COLUMNS)})"
            f" VALUES ({placeholders})",
            ((run_id, *row) for row in moves.select("id", *HISTORY_COLUMNS).iter_rows()),
        )
    return run_id


STATE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "status": pl.String(),
    "segment": pl.String(),
    "abc": pl.String(),
}


def state_run(db: Database) -> int | None:
    """The run whose clients `segment_state` holds (None when it holds none)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'segment_state_run'").fetchone()
    return int(row[0]) if row else None


def read_segment_state(db: Database) -> pl.DataFrame:
    """Each client's status, segment and ABC class in the last run (STATE_SCHEMA), id order."""
    rows = db.execute(
        "SELECT client_id, status, segment, abc FROM segment_state ORDER BY client_id"
    ).fetchall()
    return pl.DataFrame(rows, schema=STATE_SCHEMA, orient="row")


def write_segment_state(db: Database, rows: pl.DataFrame, *, run_id: int, whole: bool) -> None:
    """Keep `rows` (STATE_SCHEMA) as the clients' state after `run_id`: every client when
    `whole` (the table is replaced), else only the clients that moved (upserted)."""
    if whole:
        db.execute("DELETE FROM segment_state")
    if rows.height:
        db.conn.executemany(
            "INSERT OR REPLACE INTO segment_state(client_id, status, segment, abc)"
            " VALUES (?, ?, ?, ?)",
            rows.select(list(STATE_SCHEMA)).iter_rows(),
        )
    db.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('segment_state_run', ?)", [str(run_id)]
    )


def read_history(db: Database, *, run_ids: list[int]) -> pl.DataFrame:
    """The movements recorded by the runs named (HISTORY_SCHEMA), in run order."""
    if not run_ids:
        return pl.DataFrame(schema=HISTORY_SCHEMA)
    placeholders = ", ".join("?" for _ in run_ids)
    rows = db.execute(
        f"SELECT h.run_id, r.as_of, h.client_id, {', '.join('h.' + c for c in HISTORY_COLUMNS)}"
        " FROM segment_history h JOIN segment_runs r ON r.id = h.run_id"
        f" WHERE h.run_id IN ({placeholders}) ORDER BY h.run_id, h.client_id",
        run_ids,
    ).fetchall()
    return _dated(rows, HISTORY_SCHEMA, ("as_of",))


CLIENT_NAME_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "external_id": pl.String(),
    "name": pl.String(),
    "owner": pl.String(),
}


def read_client_names(db: Database, ids: Sequence[int]) -> pl.DataFrame:
    """(id, external_id, name, owner) of the given clients (the ones a report names)."""
    rows = db.execute(
        "SELECT c.id, c.external_id, c.name, o.name FROM clients c"
        " LEFT JOIN owners o ON o.id = c.owner_id"
        " WHERE c.id IN (SELECT value FROM json_each(?))",
        [json.dumps([int(i) for i in ids])],
    ).fetchall()
    return pl.DataFrame(rows, schema=CLIENT_NAME_SCHEMA, orient="row")


def read_client_history(db: Database, client_id: int) -> pl.DataFrame:
    """Every movement of one client (HISTORY_SCHEMA), oldest first."""
    rows = db.execute(
        f"SELECT h.run_id, r.as_of, h.client_id, {', '.join('h.' + c for c in HISTORY_COLUMNS)}"
        " FROM segment_history h JOIN segment_runs r ON r.id = h.run_id"
        " WHERE h.client_id = ? ORDER BY h.run_id",
        [client_id],
    ).fetchall()
    return _dated(rows, HISTORY_SCHEMA, ("as_of",))


def read_open_tasks_due_before(db: Database, day: date) -> pl.DataFrame:
    """Open tasks due before `day` (OVERDUE_SCHEMA): the candidates for the overdue alert."""
    rows = db.execute(
        "SELECT t.id, t.client_id, t.owner_id, t.due, COALESCE(t.title, p.title) FROM tasks t"
        " LEFT JOIN action_plans p ON p.id = t.plan_id"
        " WHERE t.status = 'aberta' AND t.due < ? ORDER BY t.due, t.id",
        [day.isoformat()],
    ).fetchall()
    return _dated(rows, OVERDUE_SCHEMA, ("due",))
