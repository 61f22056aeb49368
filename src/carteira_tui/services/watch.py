"""Vigilância services: record each segmentation run's movements, report them, list alerts.

`movements` feeds `carteira watch` and the Segmentos board; `alerts` feeds `carteira alerts` and
the app. The runs are recorded by `services.history.record_run` (re-exported here), which
`services.segmentation.resegment` calls after every run: this module reads results through
segmentation, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine import watch as engine
from carteira_tui.engine.forecast import heading_to_inactive
from carteira_tui.services.history import RunRecorded, record_run
from carteira_tui.services.segmentation import (
    SegmentResults,
    current_results,
    previous_run,
    resegment,
)
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
    settings_runs: int = 0
    """Runs covered that used other settings than the run before: their movements are the
    settings' ("movimentos por mudança de configuração"), left out of `clients`/`summary`."""
    settings_moves: int = 0
    """How many client movements those runs recorded."""


@dataclass(frozen=True)
class Alerts:
    """The alerts as of a day: `frame` (kind, label, id, external_id, name, owner, task_id,
    amount, detail), counts per kind, and whether the segmentation they read is stale."""

    as_of: date
    counts: dict[str, int]
    stale: bool
    frame: pl.DataFrame = field(repr=False)


def movements(
    db_path: Path,
    *,
    since: date | None = None,
    settings: Settings | None = None,  # noqa: ARG001 - kept for callers; names come from SQLite
) -> Movements:
    """Movements of the runs as of `since` or later (net per client), or of the last run only.

    The clients who moved are named from SQLite (a few rows), not from the whole result.
    """
    with connect(db_path) as db:
        runs = store.read_segment_runs(db, since=since)
        if since is None:
            runs = runs[-1:]
        behaviour = [run for run in runs if not run.settings_changed]
        history = store.read_history(db, run_ids=[run.id for run in behaviour])
        moves = engine.net_movements(history.lazy().drop("as_of")).collect()
        names = store.read_client_names(db, moves.get_column("id").to_list())
    by_settings = [run for run in runs if run.settings_changed]
    summary = engine.movement_summary(moves.lazy()).collect()
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
        settings_runs=len(by_settings),
        settings_moves=sum(run.changed for run in by_settings),
    )


def alerts(db_path: Path, *, as_of: date, settings: Settings) -> Alerts:
    """A clients that left `ativo` in the last run, active clients cooling, open tasks overdue
    by more than `settings.alert_task_overdue_days`, and owners over their capacity."""
    results = current_results(db_path, settings=settings)
    if results.missing:  # a copy or a restored backup without its cache: computed, never empty
        run = resegment(db_path, as_of=as_of, settings=settings)
        results = SegmentResults(run.frame, run.as_of, run.generation, stale=False)
    with connect(db_path) as db:
        runs = store.read_segment_runs(db)
        # a run after a settings change moved clients by the settings, not by their behaviour
        behaviour = bool(runs) and not runs[-1].settings_changed
        last_moves = store.read_history(db, run_ids=[runs[-1].id] if behaviour else [])
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
