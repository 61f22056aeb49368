"""Saved views in SQLite (`saved_views`): read, upsert and delete them by name (services.views).

A view is what the Clientes pane shows: a filter-language text, a search text and a sort. Names
are unique without regard to case; every write runs inside the caller's `db.atomic()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

_NOW = "strftime('%Y-%m-%dT%H:%M:%S', 'now')"
_COLUMNS = "name, search, filter, sort_column, sort_descending, who, updated_at"


@dataclass(frozen=True)
class ViewRow:
    """One stored view."""

    name: str
    search: str
    filter: str
    sort_column: str | None
    sort_descending: bool
    who: str | None
    updated_at: str


def _row(values: tuple[object, ...]) -> ViewRow:
    name, search, filter_text, sort_column, descending, who, updated_at = values
    return ViewRow(
        str(name),
        str(search or ""),
        str(filter_text or ""),
        None if sort_column is None else str(sort_column),
        bool(descending),
        None if who is None else str(who),
        str(updated_at),
    )


def read_views(db: Database) -> list[ViewRow]:
    """Every saved view, by name."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM saved_views ORDER BY name COLLATE NOCASE").fetchall()
    return [_row(tuple(row)) for row in rows]


def read_view(db: Database, name: str) -> ViewRow | None:
    """The view called `name` (any case), or None."""
    row = db.execute(f"SELECT {_COLUMNS} FROM saved_views WHERE name = ?", [name]).fetchone()
    return None if row is None else _row(tuple(row))


def upsert_view(db: Database, view: ViewRow) -> ViewRow:
    """Insert the view, or replace the one with the same name; returns it as stored."""
    db.execute(
        "INSERT INTO saved_views(name, search, filter, sort_column, sort_descending, who)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET search = excluded.search, filter = excluded.filter,"
        " sort_column = excluded.sort_column, sort_descending = excluded.sort_descending,"
        f" who = excluded.who, updated_at = {_NOW}",
        [
            view.name,
            view.search,
            view.filter,
            view.sort_column,
            int(view.sort_descending),
            view.who,
        ],
    )
    stored = read_view(db, view.name)
    assert stored is not None
    return stored


def delete_view(db: Database, name: str) -> bool:
    """Delete the view called `name`; False when there was none."""
    cursor = db.execute("DELETE FROM saved_views WHERE name = ?", [name])
    return cursor.rowcount > 0
