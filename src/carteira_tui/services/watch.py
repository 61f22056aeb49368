"""Vigilância services: record each segmentation run's movements, report them, list alerts.

`record_run` is called by `services.segmentation.resegment` after every run; `movements` feeds
`carteira watch` and the Segmentos board; `alerts` feeds `carteira alerts` and the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine import watch as engine
from carteira_tui.engine.forecast import heading_to_inactive
from carteira_tui.services.segmentation import current_results, previous_run
from carteira_tui.store import history as store
from carteira_tui.store import owners_admin
from carteira_tui.store.db import connect

__all__ = [
    "Alerts",
    "Movements",
    "RunRecorded",
    "alerts",
    "movements",
    "record_run",
]


@dataclass(frozen=True)
class RunRecorded:
    """A segmentation run written to the history."""

    run_id: int
    changed: int
    has_previous: bool


@dataclass(frozen=True)
class Movements:
    """Who moved where: per client (net over the runs covered) and counted per (from, to).

    `clients` has `id`, `external_id`, `name`, `owner` and MOVEMENT_SCHEMA's from/to columns;
    `summary` has `dimension`, `from`, `to`, `clients`, `class_a`.
    """

    since: date | None
    runs: int
    first_as_of: date | None
    last_as_of: date | None
    has_previous: bool
    summary: pl.DataFrame = field(repr=False)
    clients: pl.DataFrame = field(repr=False)


@dataclass(frozen=True)
class Alerts:
    """The alerts as of a day: `frame` (kind, label, id, external_id, name, owner, task_id,
    amount, detail), counts per kind, and whether the segmentation they read is stale."""

    as_of: date
    counts: dict[str, int]
    stale: bool
    frame: pl.DataFrame = field(repr=False)


def _snapshot(frame: pl.DataFrame) -> pl.LazyFrame:
    return frame.lazy().select(list(engine.SNAPSHOT_SCHEMA)).cast(engine.SNAPSHOT_SCHEMA)  # type: ignore[arg-type]


def record_run(
    db_path: Path, *, previous: pl.DataFrame | None, current: pl.DataFrame, as_of: date
) -> RunRecorded:
    """Write a segmentation run and every client whose status, segment or class changed since
    `previous` (the run before; None on the first run, which records no movement)."""
    if previous is not None and all(c in previous.columns for c in engine.SNAPSHOT_SCHEMA):
        moves = engine.movements_between(
            _snapshot(previous).collect(), _snapshot(current).collect()
        )
        has_previous = True
    else:
        moves = pl.DataFrame(schema=engine.MOVEMENT_SCHEMA)
        has_previous = False
    with connect(db_path) as db, db.atomic():
        run_id = store.write_segment_run(
            db, as_of=as_of, clients=current.height, moves=moves, has_previous=has_previous
        )
    return RunRecorded(run_id, moves.height, has_previous)


def _client_names(db_path: Path, settings: Settings | None) -> pl.DataFrame:
    frame = current_results(db_path, settings=settings or Settings()).frame
    return frame.select("id", pl.col("client_id").alias("external_id"), "name", "owner")


def movements(
    db_path: Path, *, since: date | None = None, settings: Settings | None = None
) -> Movements:
    """Movements of the runs as of `since` or later (net per client), or of the last run only."""
    with connect(db_path) as db:
        runs = store.read_segment_runs(db, since=since)
        if since is None:
            runs = runs[-1:]
        history = store.read_history(db, run_ids=[run.id for run in runs])
    moves = engine.net_movements(history.lazy().drop("as_of")).collect()
    summary = engine.movement_summary(moves.lazy()).collect()
    names = _client_names(db_path, settings)
    clients = moves.join(names, on="id", how="left", maintain_order="left").select(
        "id", "external_id", "name", "owner", *[c for c in moves.columns if c != "id"]
    )
    return Movements(
        since=since,
        runs=len(runs),
        first_as_of=runs[0].as_of if runs else None,
        last_as_of=runs[-1].as_of if runs else None,
        has_previous=any(run.has_previous for run in runs),
        summary=summary,
        clients=clients,
    )


def alerts(db_path: Path, *, as_of: date, settings: Settings) -> Alerts:
    """A clients that left `ativo` in the last run, active clients cooling, open tasks overdue
    by more than `settings.alert_task_overdue_days`, and owners over their capacity."""
    results = current_results(db_path, settings=settings)
    with connect(db_path) as db:
        runs = store.read_segment_runs(db)
        last_moves = store.read_history(db, run_ids=[runs[-1].id] if runs else [])
        overdue = store.read_open_tasks_due_before(
            db, as_of - timedelta(days=settings.alert_task_overdue_days)
        )
        loads = owners_admin.read_owner_client_counts(db)
        owners = owners_admin.read_owners(db).select("owner_id", pl.col("name").alias("owner"))
    frame = results.frame.lazy()
    before = previous_run(db_path)
    found = engine.alerts(
        engine.a_clients_leaving_active(last_moves.lazy(), frame),
        engine.cooling_clients(frame),
        *(  # the forecast's alert (issue 17): needs a run before the last
            [heading_to_inactive(frame, before.lazy(), kind=engine.AlertKind.HEADING_OUT.value)]
            if before is not None and "p_alive" in before.columns
            else []
        ),
        engine.overdue_tasks(
            overdue.lazy(), as_of=as_of, more_than_days=settings.alert_task_overdue_days
        ),
        engine.owners_over_capacity(loads.lazy()),
    ).collect()
    names = results.frame.select("id", pl.col("client_id").alias("external_id"), "name")
    labelled = (
        found.join(names, on="id", how="left", maintain_order="left")
        .join(owners, on="owner_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("kind")
            .replace_strict(engine.ALERT_LABELS, return_dtype=pl.String)
            .alias("label")
        )
        .select(
            "kind", "label", "id", "external_id", "name", "owner", "task_id", "amount", "detail"
        )
    )
    counts = {kind.value: 0 for kind in engine.AlertKind}
    for kind, n in found.group_by("kind").len().iter_rows():
        counts[str(kind)] = int(n)
    return Alerts(as_of, counts, results.stale, labelled)
