"""Recording segmentation runs in SQLite: the run, the settings it used, the clients that
moved and their state after it.

`record_run` is called by `services.segmentation.resegment` after every recorded run (and
re-exported by `services.watch`); it depends on no other service, so segmentation and the
vigilância do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from carteira_tui.engine import watch as engine
from carteira_tui.store import history as store
from carteira_tui.store.db import connect

__all__ = ["PatchedRunStale", "RunRecorded", "record_run"]


class PatchedRunStale(RuntimeError):
    """A patched run's history moved meanwhile (another run recorded, or the clients' state
    not of the run it patches): it must be computed whole."""


@dataclass(frozen=True)
class RunRecorded:
    """A segmentation run written to the history."""

    run_id: int
    changed: int
    has_previous: bool
    settings_changed: bool = False


def _snapshot(frame: pl.DataFrame) -> pl.LazyFrame:
    return frame.lazy().select(list(engine.SNAPSHOT_SCHEMA)).cast(engine.SNAPSHOT_SCHEMA)  # type: ignore[arg-type]


def record_run(
    db_path: Path,
    *,
    previous: pl.DataFrame | None,
    current: pl.DataFrame,
    as_of: date,
    previous_run_id: int | None = None,
    settings_json: str | None = None,
    settings_hash: str | None = None,
    generation: int | None = None,
    clients: int | None = None,
) -> RunRecorded:
    """Write a segmentation run, the settings it used, and every client whose status, segment
    or class changed since the run before (none on the first run).

    The run before is the last one SQLite recorded: `previous` (the cache's copy of run
    `previous_run_id`) when it is that one, else the clients' state kept in `segment_state`,
    so a restored backup or a copy without its cache finds the same movements. Only the
    clients that moved are written back to `segment_state` (all of them the first time).

    `clients` (the count of all clients) says `previous` and `current` hold only the clients
    that may have moved (a patched run): the run before must then be `previous_run_id` with
    its state in `segment_state`, or PatchedRunStale is raised and nothing is written.
    """
    now = _snapshot(current).collect()
    usable = previous is not None and all(c in previous.columns for c in engine.SNAPSHOT_SCHEMA)
    with connect(db_path) as db, db.atomic():
        last = store.read_last_run(db)
        kept = store.state_run(db)
        before: pl.DataFrame | None = None
        follows = last is not None and usable and previous_run_id == last.id
        if clients is not None and not (follows and kept == previous_run_id):
            raise PatchedRunStale(previous_run_id)
        if follows and previous is not None:
            before = _snapshot(previous).collect()
        elif last is not None and kept == last.id:
            before = store.read_segment_state(db)
        if before is not None:
            moves = engine.movements_between(before, now)
        else:
            moves = pl.DataFrame(schema=engine.MOVEMENT_SCHEMA)
        changed = (
            last is not None
            and last.settings_hash is not None
            and settings_hash is not None
            and last.settings_hash != settings_hash
        )
        run_id = store.write_segment_run(
            db,
            as_of=as_of,
            clients=current.height if clients is None else clients,
            moves=moves,
            has_previous=before is not None,
            settings_json=settings_json,
            settings_hash=settings_hash,
            settings_changed=changed,
            generation=generation,
        )
        whole = last is None or kept != last.id
        state = (
            now
            if whole
            else moves.select("id", *[pl.col(f"{d}_to").alias(d) for d in engine.DIMENSIONS])
        )
        store.write_segment_state(db, state, run_id=run_id, whole=whole)
    return RunRecorded(run_id, moves.height, before is not None, changed)
