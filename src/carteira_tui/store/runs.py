"""The recorded segmentation runs (`segment_runs`), read with the standard library alone.

`store.history` re-exports them and owns the writes; they live here so that `carteira board` on
a current run (`services.board.kept_board`) reads the last run without Polars or sqlite-utils.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carteira_tui.store.reader import Readable

__all__ = ["SegmentRunRow", "read_last_run", "read_segment_runs"]


@dataclass(frozen=True)
class SegmentRunRow:
    """One recorded segmentation run."""

    id: int
    at: str
    as_of: date
    clients: int
    changed: int
    has_previous: bool
    settings_hash: str | None = None
    settings_changed: bool = False
    """The run used other shared settings than the run before: its movements are the
    settings', not the clients' behaviour."""
    generation: int | None = None
    """The data generation the run was computed at (None for runs from before it was kept)."""


def read_segment_runs(db: Readable, *, since: date | None = None) -> list[SegmentRunRow]:
    """Recorded runs, oldest first; only those as of `since` or later when given."""
    sql = (
        "SELECT id, at, as_of, clients, changed, has_previous, settings_hash, settings_changed,"
        " generation FROM segment_runs"
    )
    params: list[Any] = []
    if since is not None:
        sql += " WHERE as_of >= ?"
        params.append(since.isoformat())
    rows = db.execute(sql + " ORDER BY id", params).fetchall()
    return [
        SegmentRunRow(
            int(i), str(at), date.fromisoformat(a), int(n), int(c), bool(p), h, bool(k), g
        )
        for i, at, a, n, c, p, h, k, g in rows
    ]


def read_last_run(db: Readable) -> SegmentRunRow | None:
    """The last recorded run, None before the first."""
    runs = read_segment_runs(db)
    return runs[-1] if runs else None
