"""Named segments in SQLite: read in order, add, edit, move and delete (services.segmentation).

Positions are kept dense (1..n); every write runs in `db.atomic()`. The reads take a light
connection too (`store.reader`) and the module loads no sqlite-utils: `carteira board` on a
current run digests the segments without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from carteira_tui.store.files import StoreError
from carteira_tui.vocab import store as words

if TYPE_CHECKING:
    from sqlite_utils import Database

    from carteira_tui.store.reader import Readable


@dataclass(frozen=True)
class SegmentRow:
    """A stored segment."""

    id: int
    position: int
    name: str
    filter: str
    plan: str
    cadence_ideal: int | None = None
    cadence_max: int | None = None


def read_segments(db: Readable) -> list[SegmentRow]:
    """Every segment in evaluation order."""
    rows = db.execute(
        "SELECT id, position, name, filter, plan, cadence_ideal, cadence_max FROM segments"
        " ORDER BY position, id"
    ).fetchall()
    return [SegmentRow(*row) for row in rows]


def _find(db: Database, name: str) -> SegmentRow:
    rows = read_segments(db)
    for row in rows:
        if row.name.casefold() == name.casefold():
            return row
    names = ", ".join(row.name for row in rows)
    raise StoreError(words.segment_not_found(name, names))


def check_plan_code(db: Database, plan: str) -> None:
    """StoreError naming the plans when no action plan has the code `plan`."""
    codes = [str(row[0]) for row in db.execute("SELECT code FROM action_plans ORDER BY code")]
    if plan not in codes:
        raise StoreError(words.unknown_plan(plan, codes))


def _renumber(db: Database, names_in_order: list[int]) -> None:
    for position, segment_id in enumerate(names_in_order, start=1):
        db.execute("UPDATE segments SET position = ? WHERE id = ?", [position, segment_id])


def write_segment(
    db: Database, *, name: str, filter_text: str, plan: str, position: int | None = None
) -> SegmentRow:
    """Add a segment at `position` (1-based; at the end when None)."""
    with db.atomic():
        existing = read_segments(db)
        if any(row.name.casefold() == name.casefold() for row in existing):
            raise StoreError(words.segment_exists(name))
        cursor = db.execute(
            "INSERT INTO segments(position, name, filter, plan) VALUES (?, ?, ?, ?)",
            [len(existing) + 1, name, filter_text, plan],
        )
        new_id = int(cursor.lastrowid or 0)
        order = [row.id for row in existing]
        at = len(order) if position is None else max(0, min(position - 1, len(order)))
        order.insert(at, new_id)
        _renumber(db, order)
    return _find(db, name)


def update_segment(
    db: Database,
    name: str,
    *,
    new_name: str | None = None,
    filter_text: str | None = None,
    plan: str | None = None,
) -> SegmentRow:
    """Change a segment's name, filter or plan."""
    with db.atomic():
        row = _find(db, name)
        db.execute(
            "UPDATE segments SET name = ?, filter = ?, plan = ?, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
            [new_name or row.name, filter_text or row.filter, plan or row.plan, row.id],
        )
    return _find(db, new_name or row.name)


def write_segment_cadence(db: Database, name: str, cadence: tuple[int, int] | None) -> SegmentRow:
    """Set (or clear, None) a segment's cadence: (ideal, max) days between contacts."""
    with db.atomic():
        row = _find(db, name)
        ideal, maximum = cadence if cadence is not None else (None, None)
        db.execute(
            "UPDATE segments SET cadence_ideal = ?, cadence_max = ?,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
            [ideal, maximum, row.id],
        )
    return _find(db, row.name)


def read_segment_cadences(db: Readable) -> dict[str, tuple[int, int]]:
    """Segment name → (ideal, max) days, for the segments that have a cadence."""
    rows = db.execute(
        "SELECT name, cadence_ideal, cadence_max FROM segments"
        " WHERE cadence_ideal IS NOT NULL AND cadence_max IS NOT NULL"
    ).fetchall()
    return {str(name): (int(ideal), int(maximum)) for name, ideal, maximum in rows}


def move_segment(db: Database, name: str, position: int) -> list[SegmentRow]:
    """Move a segment to `position` (1-based, clamped) and renumber the rest."""
    with db.atomic():
        row = _find(db, name)
        order = [r.id for r in read_segments(db) if r.id != row.id]
        order.insert(max(0, min(position - 1, len(order))), row.id)
        _renumber(db, order)
    return read_segments(db)


def delete_segment(db: Database, name: str) -> None:
    """Remove a segment and close the gap in positions."""
    with db.atomic():
        row = _find(db, name)
        db.execute("DELETE FROM segments WHERE id = ?", [row.id])
        _renumber(db, [r.id for r in read_segments(db)])
