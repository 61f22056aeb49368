"""The demo database's own dates, moved as a block so the sample portfolio looks current.

Called by `services.demo` only, on the demo's database (the shipped `sample_data/` files are
never touched). Every write runs inside the caller's `db.atomic()`.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

_DAY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("orders", "date"),
    ("client_aggregates", "first_purchase"),
    ("client_aggregates", "last_purchase"),
    ("interactions", "at"),
    ("tasks", "due"),
    ("tasks", "created_on"),
    ("tasks", "closed_on"),
    ("tasks", "period"),
    ("tasks", "urgency_on"),
)


def read_newest_order(db: Database) -> date | None:
    """The date of the newest order, or None without orders."""
    row = db.execute("SELECT max(date) FROM orders").fetchone()
    return date.fromisoformat(str(row[0])[:10]) if row and row[0] else None


def shift_dates(db: Database, days: int) -> None:
    """Move every order, aggregate, interaction and task date by `days` (times of day kept)."""
    modifier = f"{days:+d} days"
    for table, column in _DAY_COLUMNS:
        db.execute(
            f"UPDATE {table} SET {column} = CASE WHEN length({column}) > 10"
            f" THEN strftime('%Y-%m-%dT%H:%M:%S', {column}, ?) ELSE date({column}, ?) END"
            f" WHERE {column} IS NOT NULL",
            [modifier, modifier],
        )
