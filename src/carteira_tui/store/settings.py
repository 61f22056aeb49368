"""The shared settings in SQLite: the thresholds everybody sees, one row per changed key.

`services.settings` reads them (over the method defaults) for the CLI, the TUI and the
services, and writes them for `carteira config set|unset` inside its own `db.atomic()`.
A key without a row takes its default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # reads also take a light connection (store.reader): no sqlite-utils here
    from sqlite_utils import Database

    from carteira_tui.store.reader import Readable


@dataclass(frozen=True)
class SharedSetting:
    """One key set in the database, its value as text and when it was last changed."""

    key: str
    value: str
    changed_at: str


def read_shared_settings(db: Readable) -> dict[str, SharedSetting]:
    """Every key set in the database."""
    rows = db.execute("SELECT key, value, changed_at FROM shared_settings ORDER BY key").fetchall()
    return {str(k): SharedSetting(str(k), str(v), str(at)) for k, v, at in rows}


def write_shared_setting(db: Database, key: str, value: str) -> None:
    """Set a key (call inside the write's transaction)."""
    db.execute(
        "INSERT INTO shared_settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
        " SET value = excluded.value, changed_at = strftime('%Y-%m-%dT%H:%M:%S', 'now')",
        [key, value],
    )


def delete_shared_setting(db: Database, key: str) -> bool:
    """Remove a key (it takes its default again); False when it was not set."""
    cursor = db.execute("DELETE FROM shared_settings WHERE key = ?", [key])
    return bool(cursor.rowcount)
