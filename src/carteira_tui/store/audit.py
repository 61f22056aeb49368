"""The audit trail table: every write records who, when, what, and before/after values.

Services call `write_audit` inside the same transaction as the change it describes, so the trail
and the data can never disagree.
"""

from __future__ import annotations

import getpass
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # writing an audit row (config set) must not load Polars or sqlite-utils
    import polars as pl
    from sqlite_utils import Database


def current_user() -> str:
    """The operating-system user running this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "desconhecido"


def write_audit(
    db: Database,
    *,
    action: str,
    entity: str,
    entity_id: int | None = None,
    client_id: int | None = None,
    summary: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    who: str | None = None,
) -> None:
    """Append one audit row (call inside the change's own `db.atomic()`)."""
    db.execute(
        "INSERT INTO audit(who, action, entity, entity_id, client_id, summary, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            who or current_user(),
            action,
            entity,
            entity_id,
            client_id,
            summary,
            json.dumps(before, ensure_ascii=False, default=str) if before is not None else None,
            json.dumps(after, ensure_ascii=False, default=str) if after is not None else None,
        ],
    )


def read_audit(
    db: Database, *, client_id: int | None = None, since: str | None = None, limit: int = 1000
) -> pl.DataFrame:
    """Audit rows, newest first, optionally for one client and/or since an ISO date."""
    where: list[str] = []
    params: list[Any] = []
    if client_id is not None:
        where.append("client_id = ?")
        params.append(client_id)
    if since is not None:
        where.append("at >= ?")
        params.append(since)
    sql = (
        "SELECT id, at, who, action, entity, entity_id, client_id, summary, before, after"
        " FROM audit"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY id DESC LIMIT {int(limit)}"
    rows = db.execute(sql, params).fetchall()
    import polars as pl

    schema = {
        "id": pl.Int64,
        "at": pl.String,
        "who": pl.String,
        "action": pl.String,
        "entity": pl.String,
        "entity_id": pl.Int64,
        "client_id": pl.Int64,
        "summary": pl.String,
        "before": pl.String,
        "after": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
