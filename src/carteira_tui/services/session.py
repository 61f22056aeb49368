"""The session: this process's read-only switch and a change detector for shared databases.

The CLI (`carteira --read-only`) and the TUI call `set_read_only` or `apply_settings` once at
start-up; from then on every connection `store.db.open_db` makes refuses writes with
"modo somente leitura: nada foi alterado". The TUI polls `changed_since` (cheap: one PRAGMA on a
connection kept open per database) to learn that someone else wrote to the file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.store import db as store_db

_watchers: dict[Path, Database] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Change:
    """The answer of `changed_since`: whether others wrote, and the token to pass next time."""

    changed: bool
    token: str


def set_read_only(on: bool) -> None:
    """Turn this process's read-only mode on or off (connections opened afterwards obey it)."""
    store_db.set_read_only(on)


def is_read_only() -> bool:
    """Whether this process refuses every write."""
    return store_db.is_read_only()


def apply_settings(settings: Settings) -> None:
    """Turn read-only mode on when the settings ask for it (`read_only = true`)."""
    if settings.read_only:
        set_read_only(True)


def changed_since(db_path: Path, token: str | None) -> Change:
    """Whether another connection committed to `db_path` since `token` was handed out.

    Pass None the first time (never reported as a change). Built on SQLite's `data_version`,
    read on one watcher connection per database kept open by this module.
    """
    key = Path(db_path).resolve()
    with _lock:
        watcher = _watchers.get(key)
        if watcher is None:
            watcher = store_db.open_watcher(key)
            _watchers[key] = watcher
        current = str(store_db.data_version(watcher))
    return Change(changed=token is not None and token != current, token=current)


def close_watchers() -> None:
    """Close the watcher connections (at exit, or in tests)."""
    with _lock:
        for watcher in _watchers.values():
            watcher.close()
        _watchers.clear()
