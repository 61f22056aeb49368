"""File-level checks: SQLite's integrity check and the app's own invariants.

Called by `services.maintenance` (backup, restore, check).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from carteira_tui.vocab import store as words

INVARIANTS: dict[str, str] = {
    words.CHECK_ORPHAN_ORDERS: """
        SELECT count(*) FROM orders o LEFT JOIN clients c ON c.id = o.client_id WHERE c.id IS NULL
    """,
    words.CHECK_ORPHAN_INTERACTIONS: """
        SELECT count(*) FROM interactions i LEFT JOIN clients c ON c.id = i.client_id
        WHERE c.id IS NULL
    """,
    words.CHECK_AGGREGATES: """
        WITH truth AS (
            SELECT client_id, min(date) AS first_purchase, max(date) AS last_purchase,
                   count(*) AS frequency, sum(amount_cents) AS monetary_cents,
                   count(DISTINCT date) AS purchase_days
            FROM orders GROUP BY client_id
        )
        SELECT (SELECT count(*) FROM (SELECT * FROM truth EXCEPT
                    SELECT client_id, first_purchase, last_purchase, frequency, monetary_cents,
                           purchase_days FROM client_aggregates))
             + (SELECT count(*) FROM (SELECT client_id, first_purchase, last_purchase, frequency,
                           monetary_cents, purchase_days FROM client_aggregates
                    EXCEPT SELECT * FROM truth))
    """,
}


def integrity_errors(db: Database) -> list[str]:
    """SQLite's `PRAGMA integrity_check` lines other than `ok`."""
    rows = db.execute("PRAGMA integrity_check").fetchall()
    return [str(row[0]) for row in rows if row[0] != "ok"]


def file_integrity_errors(path: Path) -> list[str]:
    """Integrity check of a file that is not (yet) the live database, opened read-only."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            conn.execute("SELECT count(*) FROM clients").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [str(row[0]) for row in rows if row[0] != "ok"]


def invariant_violations(db: Database) -> dict[str, int]:
    """Each invariant's name and how many rows break it (only the broken ones)."""
    broken: dict[str, int] = {}
    for name, sql in INVARIANTS.items():
        count = int(db.execute(sql).fetchone()[0])
        if count:
            broken[name] = count
    return broken


def restore_from(source: Path, target: Path) -> None:
    """Copy `source` over the live database at `target` through the backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dest = sqlite3.connect(str(target), timeout=10)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
