"""Limpeza in SQLite: stored issues and completeness, the merge log and the archive log.

Called by `services.cleaning` inside its `db.atomic()`. A merge is written here as plain row
moves (orders, interactions, tasks and any other table referencing `clients`), with every row it
removes or changes kept as JSON in `merges`, so `write_merge_undo` puts the database back exactly.
An archive run keeps each client's previous archive columns in `archive_log`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from sqlite_utils import Database

from carteira_tui.model import Col
from carteira_tui.store.orders import load_temp_keys
from carteira_tui.vocab import cleaning_rules as words

_NOW = "strftime('%Y-%m-%dT%H:%M:%S', 'now')"

CLEAN_INPUT_SCHEMA: dict[str, pl.DataType] = {
    Col.CLIENT_ID: pl.Int64(),
    Col.EXTERNAL_ID: pl.String(),
    "name": pl.String(),
    "document": pl.String(),
    "email": pl.String(),
    "phone": pl.String(),
    "city": pl.String(),
    "uf": pl.String(),
    "cep": pl.String(),
    "archived": pl.Int64(),
    "generation": pl.Int64(),
}

ISSUE_SCHEMA: dict[str, pl.DataType] = {
    Col.CLIENT_ID: pl.Int64(),
    Col.EXTERNAL_ID: pl.String(),
    "name": pl.String(),
    "field": pl.String(),
    "raw_value": pl.String(),
    "issue": pl.String(),
}

STALE_SCHEMA: dict[str, pl.DataType] = {
    Col.CLIENT_ID: pl.Int64(),
    Col.EXTERNAL_ID: pl.String(),
    "name": pl.String(),
    "kind": pl.String(),
    "last_activity": pl.String(),
}

# Tables whose client rows a merge handles itself (moves, recomputes or lets cascade).
HANDLED_TABLES = frozenset(
    {"orders", "interactions", "tasks", "client_aggregates", "client_issues", "client_quality"}
)

# Client columns a merge never takes from `field_values`: identity and bookkeeping.
FIXED_CLIENT_COLUMNS = frozenset(
    {"id", "external_id", "created_at", "updated_at", "generation", "archived", "archived_at"}
)

STALE_PROSPECT = "prospect"
STALE_FORMER = "ex_cliente"


def _frame(rows: Sequence[Sequence[Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


# --- clients ----------------------------------------------------------------------------------


def read_clean_input(db: Database, *, client_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """The raw fields Limpeza checks, per client (`CLEAN_INPUT_SCHEMA`), all or `client_ids`."""
    columns = "c.id, c.external_id, c.name, c.document, c.email, c.phone, c.city, c.uf, c.cep"
    columns += ", c.archived, c.generation"
    if client_ids is None:
        rows = db.execute(f"SELECT {columns} FROM clients c ORDER BY c.id").fetchall()
    else:
        load_temp_keys(db, "clean_ids", client_ids)
        rows = db.execute(
            f"SELECT {columns} FROM temp.clean_ids k JOIN clients c ON c.id = k.k ORDER BY c.id"
        ).fetchall()
        db.execute("DROP TABLE temp.clean_ids")
    return _frame(rows, CLEAN_INPUT_SCHEMA)


def read_client_id(db: Database, key: str) -> int | None:
    """The internal id of the client whose code (external id) is `key`, else whose id it is."""
    row = db.execute("SELECT id FROM clients WHERE external_id = ?", [key]).fetchone()
    if row is None and key.strip().isdigit():
        row = db.execute("SELECT id FROM clients WHERE id = ?", [int(key)]).fetchone()
    return int(row[0]) if row else None


def read_client_rows(db: Database, client_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Full `clients` rows (every column, as stored) of `client_ids`, ordered by id."""
    return read_rows(db, "clients", "id", list(client_ids))


def read_rows(db: Database, table: str, column: str, keys: Sequence[Any]) -> list[dict[str, Any]]:
    """Every column of the rows of `table` whose `column` is in `keys`, ordered by rowid."""
    if not keys:
        return []
    placeholders = ", ".join("?" for _ in keys)
    cursor = db.execute(
        f"SELECT * FROM [{table}] WHERE [{column}] IN ({placeholders}) ORDER BY rowid", list(keys)
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def update_client_values(
    db: Database, client_id: int, values: dict[str, Any], *, generation: int | None
) -> None:
    """Set `values` on one client; with a generation also stamp it and touch `updated_at`."""
    sets = [f"[{name}] = ?" for name in values]
    params = list(values.values())
    if generation is not None:
        sets += [f"updated_at = {_NOW}", "generation = ?"]
        params.append(generation)
    if sets:
        db.execute(f"UPDATE clients SET {', '.join(sets)} WHERE id = ?", [*params, client_id])


def write_normalized_values(db: Database, changes: pl.DataFrame, *, generation: int) -> int:
    """Write normalised values: `changes` has client_id and field columns (null keeps a value)."""
    fields = [c for c in changes.columns if c != Col.CLIENT_ID]
    if changes.is_empty() or not fields:
        return 0
    sets = [f"[{f}] = COALESCE(?, [{f}])" for f in fields]
    sets += [f"updated_at = {_NOW}", "generation = ?"]
    rows = changes.select(*fields, pl.lit(generation), Col.CLIENT_ID)
    db.conn.executemany(f"UPDATE clients SET {', '.join(sets)} WHERE id = ?", rows.iter_rows())
    return changes.height


def write_audit_rows(db: Database, rows: pl.DataFrame, *, who: str) -> int:
    """Bulk audit rows (action, entity, client_id, summary, before, after as JSON text)."""
    if rows.is_empty():
        return 0
    ordered = rows.select(
        pl.lit(who).alias("who"),
        "action",
        "entity",
        pl.col(Col.CLIENT_ID).alias("entity_id"),
        Col.CLIENT_ID,
        "summary",
        "before",
        "after",
    )
    db.conn.executemany(
        "INSERT INTO audit(who, action, entity, entity_id, client_id, summary, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ordered.iter_rows(),
    )
    return rows.height


# --- issues and completeness --------------------------------------------------------------------


def write_quality(
    db: Database,
    issues: pl.DataFrame,
    quality: pl.DataFrame,
    *,
    client_ids: Sequence[int] | None = None,
) -> None:
    """Replace the stored issues and completeness of `client_ids` (every client when None).

    `issues`: client_id, field, raw_value, issue. `quality`: client_id, completeness, generation.
    """
    if client_ids is None:
        db.execute("DELETE FROM client_issues")
        db.execute("DELETE FROM client_quality")
    elif client_ids:
        load_temp_keys(db, "quality_ids", client_ids)
        db.execute("DELETE FROM client_issues WHERE client_id IN (SELECT k FROM temp.quality_ids)")
        db.execute("DELETE FROM client_quality WHERE client_id IN (SELECT k FROM temp.quality_ids)")
        db.execute("DROP TABLE temp.quality_ids")
    db.conn.executemany(
        "INSERT INTO client_issues(client_id, field, raw_value, issue) VALUES (?, ?, ?, ?)",
        issues.select(Col.CLIENT_ID, "field", "raw_value", "issue").iter_rows(),
    )
    db.conn.executemany(
        "INSERT INTO client_quality(client_id, completeness, generation) VALUES (?, ?, ?)",
        quality.select(Col.CLIENT_ID, "completeness", "generation").iter_rows(),
    )


def read_issues(db: Database, *, client_id: int | None = None) -> pl.DataFrame:
    """Stored issues with the client's code and name (`ISSUE_SCHEMA`), by client then field."""
    sql = (
        "SELECT i.client_id, c.external_id, c.name, i.field, i.raw_value, i.issue"
        " FROM client_issues i JOIN clients c ON c.id = i.client_id"
    )
    params: list[Any] = []
    if client_id is not None:
        sql += " WHERE i.client_id = ?"
        params.append(client_id)
    rows = db.execute(sql + " ORDER BY i.client_id, i.field", params).fetchall()
    return _frame(rows, ISSUE_SCHEMA)


def read_quality(db: Database, client_id: int) -> tuple[int, int] | None:
    """(completeness, generation checked) of one client, or None if never checked."""
    row = db.execute(
        "SELECT completeness, generation FROM client_quality WHERE client_id = ?", [client_id]
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def read_unchecked_client_ids(db: Database) -> list[int]:
    """Clients never checked, or changed since their check (their generation moved on)."""
    return _ids(
        db,
        "SELECT c.id FROM clients c LEFT JOIN client_quality q ON q.client_id = c.id"
        " WHERE q.client_id IS NULL OR q.generation != c.generation ORDER BY c.id",
        [],
    )


def read_completeness(db: Database) -> pl.DataFrame:
    """client_id and stored completeness of every checked client."""
    rows = db.execute("SELECT client_id, completeness FROM client_quality").fetchall()
    return _frame(rows, {Col.CLIENT_ID: pl.Int64(), "completeness": pl.Int64()})


# --- merges -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeWritten:
    """What `write_merge` moved: row ids per table, and tasks it cancelled as duplicates."""

    merge_id: int
    orders: list[int]
    interactions: list[int]
    tasks: list[int]
    cancelled_tasks: list[int]


def client_reference_columns(db: Database) -> list[tuple[str, str]]:
    """(table, column) of every foreign key to `clients` outside `HANDLED_TABLES`."""
    tables = [
        str(row[0])
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    found: list[tuple[str, str]] = []
    for table in tables:
        if table in HANDLED_TABLES or table == "clients":
            continue
        for key in db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall():
            if key[2] == "clients":
                found.append((table, str(key[3])))
    return found


def _ids(db: Database, sql: str, params: Sequence[Any]) -> list[int]:
    return [int(row[0]) for row in db.execute(sql, list(params)).fetchall()]


def _pairs(db: Database, sql: str, params: Sequence[Any]) -> list[list[int]]:
    """[row key, client id] pairs (JSON-friendly) of the rows `sql` selects."""
    return [[int(row[0]), int(row[1])] for row in db.execute(sql, list(params)).fetchall()]


def _reassign(
    db: Database, table: str, column: str, keys: list[int], client_id: int, *, key: str = "rowid"
) -> None:
    """Point `column` of the rows of `table` whose `key` is in `keys` at `client_id`."""
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        db.execute(
            f"UPDATE [{table}] SET [{column}] = ? WHERE [{key}] IN ({_in(chunk)})",
            [client_id, *chunk],
        )


def _in(ids: Sequence[int]) -> str:
    return ", ".join("?" for _ in ids)


def write_merge(
    db: Database,
    *,
    survivor_id: int,
    removed_ids: Sequence[int],
    values: dict[str, Any],
    generation: int,
    who: str,
    confidence: str | None,
    today: date,
) -> MergeWritten:
    """Fold `removed_ids` into `survivor_id` (inside the caller's transaction) and log it.

    Moves orders, interactions, tasks and rows of other tables referencing the removed clients;
    an open task repeating a plan the survivor (or an earlier moved task) already has open is
    cancelled. Sets `values` on the survivor, deletes the removed clients and their aggregates.
    The survivor's aggregates are the caller's to recompute.
    """
    removed = list(removed_ids)
    members = [survivor_id, *removed]
    survivor_before = read_client_rows(db, [survivor_id])[0]
    removed_rows = read_client_rows(db, removed)
    aggregates_before = read_rows(db, "client_aggregates", "client_id", members)
    where = f"client_id IN ({_in(removed)})"
    orders = _pairs(db, f"SELECT id, client_id FROM orders WHERE {where} ORDER BY id", removed)
    interactions = _pairs(
        db, f"SELECT id, client_id FROM interactions WHERE {where} ORDER BY id", removed
    )
    tasks_before = read_rows(db, "tasks", "client_id", removed)
    other: dict[str, dict[str, list[list[int]]]] = {}
    for table, column in client_reference_columns(db):
        pairs = _pairs(
            db, f"SELECT rowid, [{column}] FROM [{table}] WHERE [{column}] IN ({_in(removed)})",
            removed,
        )  # fmt: skip
        if pairs:
            other.setdefault(table, {})[column] = pairs

    open_plans = set(
        _ids(
            db,
            "SELECT plan_id FROM tasks WHERE client_id = ? AND status = 'aberta'"
            " AND plan_id IS NOT NULL",
            [survivor_id],
        )
    )
    cancelled: list[int] = []
    for task in sorted(tasks_before, key=lambda t: int(t["id"])):
        if task["status"] != "aberta" or task["plan_id"] is None:
            continue
        if task["plan_id"] in open_plans:
            cancelled.append(int(task["id"]))
        else:
            open_plans.add(task["plan_id"])
    if cancelled:
        db.execute(
            "UPDATE tasks SET status = 'cancelada', closed_on = ?, note = ?,"
            f" updated_at = {_NOW} WHERE id IN ({_in(cancelled)})",
            [today.isoformat(), words.MERGE_CANCEL_NOTE, *cancelled],
        )
    for table, pairs in (("orders", orders), ("interactions", interactions)):
        _reassign(db, table, "client_id", [row_id for row_id, _ in pairs], survivor_id, key="id")
    task_ids = [int(t["id"]) for t in tasks_before]
    if task_ids:
        db.execute(
            f"UPDATE tasks SET client_id = ? WHERE id IN ({_in(task_ids)})",
            [survivor_id, *task_ids],
        )
    for table, columns in other.items():
        for column, pairs in columns.items():
            _reassign(db, table, column, [rowid for rowid, _ in pairs], survivor_id)
    db.execute(f"DELETE FROM client_aggregates WHERE client_id IN ({_in(removed)})", removed)
    db.execute(f"DELETE FROM clients WHERE id IN ({_in(removed)})", removed)
    update_client_values(db, survivor_id, values, generation=generation)
    moved = {
        "orders": orders,
        "interactions": interactions,
        "tasks": tasks_before,
        "other": other,
    }
    cursor = db.execute(
        "INSERT INTO merges(who, survivor_id, removed_ids, confidence, survivor_before,"
        " removed_rows, aggregates_before, moved) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            who,
            survivor_id,
            json.dumps(removed),
            confidence,
            json.dumps(survivor_before, ensure_ascii=False),
            json.dumps(removed_rows, ensure_ascii=False),
            json.dumps(aggregates_before, ensure_ascii=False),
            json.dumps(moved, ensure_ascii=False),
        ],
    )
    merge_id = int(cursor.lastrowid or 0)
    _write_aliases(db, [str(row["external_id"]) for row in removed_rows], survivor_id, merge_id)
    return MergeWritten(
        merge_id=merge_id,
        orders=[row_id for row_id, _ in orders],
        interactions=[row_id for row_id, _ in interactions],
        tasks=task_ids,
        cancelled_tasks=cancelled,
    )


@dataclass(frozen=True)
class MergeLog:
    """One row of `merges`, decoded."""

    merge_id: int
    at: str
    who: str
    survivor_id: int
    removed_ids: list[int]
    confidence: str | None
    survivor_before: dict[str, Any]
    removed_rows: list[dict[str, Any]]
    aggregates_before: list[dict[str, Any]]
    moved: dict[str, Any]
    undone_at: str | None


def read_merge(db: Database, merge_id: int) -> MergeLog | None:
    """The logged merge `merge_id`, or None."""
    row = db.execute(
        "SELECT id, at, who, survivor_id, removed_ids, confidence, survivor_before, removed_rows,"
        " aggregates_before, moved, undone_at FROM merges WHERE id = ?",
        [merge_id],
    ).fetchone()
    if row is None:
        return None
    return MergeLog(
        merge_id=int(row[0]),
        at=str(row[1]),
        who=str(row[2]),
        survivor_id=int(row[3]),
        removed_ids=[int(i) for i in json.loads(row[4])],
        confidence=row[5],
        survivor_before=json.loads(row[6]),
        removed_rows=json.loads(row[7]),
        aggregates_before=json.loads(row[8]),
        moved=json.loads(row[9]),
        undone_at=row[10],
    )


def read_merges(db: Database, *, limit: int = 100) -> pl.DataFrame:
    """The latest merges: id, at, who, survivor_id, removed_ids (JSON), confidence, undone_at."""
    rows = db.execute(
        "SELECT id, at, who, survivor_id, removed_ids, confidence, undone_at FROM merges"
        f" ORDER BY id DESC LIMIT {int(limit)}"
    ).fetchall()
    schema: dict[str, pl.DataType] = {
        "id": pl.Int64(),
        "at": pl.String(),
        "who": pl.String(),
        "survivor_id": pl.Int64(),
        "removed_ids": pl.String(),
        "confidence": pl.String(),
        "undone_at": pl.String(),
    }
    return _frame(rows, schema)


def later_merges_touching(db: Database, merge: MergeLog) -> list[int]:
    """Ids of not-undone merges after `merge` whose clients include its survivor."""
    rows = db.execute(
        "SELECT id, survivor_id, removed_ids FROM merges WHERE id > ? AND undone_at IS NULL",
        [merge.merge_id],
    ).fetchall()
    return [
        int(row[0])
        for row in rows
        if merge.survivor_id == row[1] or merge.survivor_id in json.loads(row[2])
    ]


def _insert_row(db: Database, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(f"[{name}]" for name in row)
    db.execute(
        f"INSERT INTO [{table}]({columns}) VALUES ({', '.join('?' for _ in row)})",
        list(row.values()),
    )


def _update_row(db: Database, table: str, row: dict[str, Any]) -> None:
    sets = ", ".join(f"[{name}] = ?" for name in row if name != "id")
    values = [value for name, value in row.items() if name != "id"]
    db.execute(f"UPDATE [{table}] SET {sets} WHERE id = ?", [*values, row["id"]])


def write_merge_undo(db: Database, merge: MergeLog) -> None:
    """Put back exactly what `write_merge` changed (inside the caller's transaction)."""
    for row in merge.removed_rows:
        _insert_row(db, "clients", row)
    _update_row(db, "clients", merge.survivor_before)
    for table in ("orders", "interactions"):
        for client_id, ids in _by_client(merge.moved[table]).items():
            _reassign(db, table, "client_id", ids, client_id, key="id")
    # the removed clients' tasks go back whole (client, and status/note when cancelled)
    for task in merge.moved["tasks"]:
        _update_row(db, "tasks", task)
    for table, columns in merge.moved["other"].items():
        for column, pairs in columns.items():
            for client_id, rowids in _by_client(pairs).items():
                _reassign(db, table, column, rowids, client_id)
    members = [merge.survivor_id, *merge.removed_ids]
    db.execute(f"DELETE FROM client_aggregates WHERE client_id IN ({_in(members)})", members)
    for row in merge.aggregates_before:
        _insert_row(db, "client_aggregates", row)
    db.execute("DELETE FROM client_aliases WHERE merge_id = ?", [merge.merge_id])
    db.execute(f"UPDATE merges SET undone_at = {_NOW} WHERE id = ?", [merge.merge_id])


def _write_aliases(db: Database, codes: Sequence[str], survivor_id: int, merge_id: int) -> None:
    """Keep the merged-away `codes` as aliases of the survivor (imports resolve them to it)."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO client_aliases(code, client_id, merge_id) VALUES (?, ?, ?)",
        [(code, survivor_id, merge_id) for code in codes],
    )


def _by_client(pairs: list[list[int]]) -> dict[int, list[int]]:
    """[row key, client id] pairs grouped as client id -> row keys."""
    grouped: dict[int, list[int]] = {}
    for row_key, client_id in pairs:
        grouped.setdefault(int(client_id), []).append(int(row_key))
    return grouped


# --- stale contacts and archive runs ------------------------------------------------------------


def read_stale_candidates(
    db: Database, *, prospect_before: date, client_before: date
) -> pl.DataFrame:
    """Unarchived clients whose last activity is before the cutoff of their kind (`STALE_SCHEMA`).

    A prospect's (no orders) last activity is its latest interaction or, without one, the day it
    was registered; a former client's is its latest purchase or interaction.
    """
    rows = db.execute(
        """
        WITH touched AS (
            SELECT client_id, MAX(substr(at, 1, 10)) AS last_at FROM interactions
            GROUP BY client_id
        ), activity AS (
            SELECT c.id, c.external_id, c.name,
                CASE WHEN a.client_id IS NULL THEN ? ELSE ? END AS kind,
                CASE WHEN a.client_id IS NULL
                    THEN max(COALESCE(t.last_at, ''), substr(c.created_at, 1, 10))
                    ELSE max(a.last_purchase, COALESCE(t.last_at, ''))
                END AS last_activity
            FROM clients c
            LEFT JOIN client_aggregates a ON a.client_id = c.id
            LEFT JOIN touched t ON t.client_id = c.id
            WHERE c.archived = 0
        )
        SELECT id, external_id, name, kind, last_activity FROM activity
        WHERE (kind = ? AND last_activity < ?) OR (kind = ? AND last_activity < ?)
        ORDER BY id
        """,
        [
            STALE_PROSPECT,
            STALE_FORMER,
            STALE_PROSPECT,
            prospect_before.isoformat(),
            STALE_FORMER,
            client_before.isoformat(),
        ],
    ).fetchall()
    return _frame(rows, STALE_SCHEMA)


def write_archive_run(
    db: Database,
    stale: pl.DataFrame,
    *,
    as_of: date,
    prospect_years: int,
    client_years: int,
    who: str,
    generation: int,
) -> tuple[int, str]:
    """Archive the `stale` clients as one logged run; returns (run id, the run's timestamp)."""
    cursor = db.execute(
        "INSERT INTO archive_runs(who, as_of, prospect_years, client_years, clients)"
        " VALUES (?, ?, ?, ?, ?)",
        [who, as_of.isoformat(), prospect_years, client_years, stale.height],
    )
    run_id = int(cursor.lastrowid or 0)
    stamp = str(db.execute("SELECT at FROM archive_runs WHERE id = ?", [run_id]).fetchone()[0])
    ids = stale[Col.CLIENT_ID].to_list()
    before = {int(r["id"]): r for r in read_archive_columns(db, ids)}
    db.conn.executemany(
        "INSERT INTO archive_log(run_id, client_id, reason, last_activity, before)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            (run_id, client_id, kind, last, json.dumps(before[client_id]))
            for client_id, kind, last in stale.select(
                Col.CLIENT_ID, "kind", "last_activity"
            ).iter_rows()
        ),
    )
    db.conn.executemany(
        f"UPDATE clients SET archived = 1, archived_at = ?, updated_at = {_NOW}, generation = ?"
        " WHERE id = ?",
        ((stamp, generation, client_id) for client_id in ids),
    )
    return run_id, stamp


def read_archive_columns(db: Database, client_ids: Sequence[int]) -> list[dict[str, Any]]:
    """id, archived, archived_at, updated_at, generation of `client_ids`."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(client_ids), 500):
        chunk = list(client_ids[start : start + 500])
        cursor = db.execute(
            "SELECT id, archived, archived_at, updated_at, generation FROM clients"
            f" WHERE id IN ({_in(chunk)})",
            chunk,
        )
        names = [d[0] for d in cursor.description]
        rows.extend(dict(zip(names, row, strict=True)) for row in cursor.fetchall())
    return rows


@dataclass(frozen=True)
class ArchiveRun:
    """One row of `archive_runs`."""

    run_id: int
    at: str
    as_of: str
    clients: int
    undone_at: str | None


def read_archive_run(db: Database, run_id: int) -> ArchiveRun | None:
    """The archive run `run_id`, or None."""
    row = db.execute(
        "SELECT id, at, as_of, clients, undone_at FROM archive_runs WHERE id = ?", [run_id]
    ).fetchone()
    if row is None:
        return None
    return ArchiveRun(int(row[0]), str(row[1]), str(row[2]), int(row[3]), row[4])


def write_archive_undo(db: Database, run: ArchiveRun) -> list[int]:
    """Un-archive the run's clients still archived by it, with their previous columns; ids."""
    rows = db.execute(
        "SELECT l.client_id, l.before FROM archive_log l JOIN clients c ON c.id = l.client_id"
        " WHERE l.run_id = ? AND c.archived = 1 AND c.archived_at = ? ORDER BY l.client_id",
        [run.run_id, run.at],
    ).fetchall()
    restored: list[int] = []
    for client_id, before_text in rows:
        before = json.loads(before_text)
        db.execute(
            "UPDATE clients SET archived = ?, archived_at = ?, updated_at = ?, generation = ?"
            " WHERE id = ?",
            [
                before["archived"],
                before["archived_at"],
                before["updated_at"],
                before["generation"],
                client_id,
            ],
        )
        restored.append(int(client_id))
    db.execute(f"UPDATE archive_runs SET undone_at = {_NOW} WHERE id = ?", [run.run_id])
    return restored


def write_unarchive(db: Database, client_id: int, *, generation: int) -> None:
    """Bring one archived client back to the lists."""
    db.execute(
        f"UPDATE clients SET archived = 0, archived_at = NULL, updated_at = {_NOW},"
        " generation = ? WHERE id = ?",
        [generation, client_id],
    )


def read_archive_state(db: Database, client_id: int) -> tuple[int, str | None]:
    """(archived, archived_at) of one existing client."""
    row = db.execute(
        "SELECT archived, archived_at FROM clients WHERE id = ?", [client_id]
    ).fetchone()
    return int(row[0]), row[1]


def delete_aggregates(db: Database, client_ids: Sequence[int]) -> None:
    """Drop the `client_aggregates` rows of `client_ids` (before writing recomputed ones)."""
    for start in range(0, len(client_ids), 500):
        chunk = list(client_ids[start : start + 500])
        db.execute(f"DELETE FROM client_aggregates WHERE client_id IN ({_in(chunk)})", chunk)
