"""Vigilância: movements between two segmentation runs, their net effect over time, and alerts.

Called by `services.watch` (after every `resegment`, by `carteira watch` and `carteira alerts`,
and by the Segmentos board). Pure Polars: runs, tasks and owners come in as frames; the as-of
date and thresholds are parameters.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

import polars as pl

from carteira_tui.engine.schema import same_clients
from carteira_tui.model import AbcClass, Status
from carteira_tui.vocab import watch as words

DIMENSIONS: tuple[str, ...] = ("status", "segment", "abc")
"""What a movement tracks; history keeps `<dimension>_from` and `<dimension>_to`."""

DIMENSION_LABELS: dict[str, str] = {"status": "status", "segment": "segmento", "abc": "classe"}

MOVEMENT_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    **{f"{d}_{side}": pl.String() for d in DIMENSIONS for side in ("from", "to")},
}

SNAPSHOT_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "status": pl.String(),
    "segment": pl.String(),
    "abc": pl.String(),
}

SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "dimension": pl.String(),
    "from": pl.String(),
    "to": pl.String(),
    "clients": pl.Int64(),
    "class_a": pl.Int64(),
}


class AlertKind(StrEnum):
    """The alerts of the vigilância, most serious first."""

    A_LEFT_ACTIVE = "cliente_a_saiu_de_ativo"
    COOLING = "cliente_esfriando"
    HEADING_OUT = "a_caminho_da_inativacao"
    TASK_OVERDUE = "tarefa_atrasada"
    OWNER_OVER_CAPACITY = "responsavel_acima_da_capacidade"


ALERT_LABELS: dict[str, str] = {
    AlertKind.A_LEFT_ACTIVE: words.ALERT_A_LEFT_ACTIVE,
    AlertKind.COOLING: words.ALERT_COOLING,
    AlertKind.HEADING_OUT: words.ALERT_HEADING_OUT,
    AlertKind.TASK_OVERDUE: words.ALERT_TASK_OVERDUE,
    AlertKind.OWNER_OVER_CAPACITY: words.ALERT_OWNER_OVER_CAPACITY,
}

ALERT_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "id": pl.Int64(),
    "owner_id": pl.Int64(),
    "task_id": pl.Int64(),
    "amount": pl.Int64(),
    "detail": pl.String(),
}
"""One alert: its kind, the client (`id`), owner and task it is about, a number (the client's
revenue in centavos, the task's days overdue, the owner's clients) and a pt-BR detail."""


def _check(frame: pl.LazyFrame, schema: dict[str, pl.DataType], what: str) -> None:
    have = frame.collect_schema()
    missing = [name for name in schema if name not in have]
    if missing:
        raise ValueError(words.missing_columns(what, missing))


def _sides(frame: pl.LazyFrame, side: str) -> pl.LazyFrame:
    return frame.select("id", *[pl.col(d).cast(pl.String).alias(f"{d}_{side}") for d in DIMENSIONS])


def _changed() -> pl.Expr:
    return pl.any_horizontal(pl.col(f"{d}_from").ne_missing(pl.col(f"{d}_to")) for d in DIMENSIONS)


def movements(previous: pl.LazyFrame, current: pl.LazyFrame) -> pl.LazyFrame:
    """Clients whose status, segment or ABC class differs from the previous run (MOVEMENT_SCHEMA).

    A client the previous run did not have moves from nulls; a client gone since (merged,
    forgotten) is not a movement.
    """
    _check(previous, SNAPSHOT_SCHEMA, words.FRAME_PREVIOUS_RUN)
    _check(current, SNAPSHOT_SCHEMA, words.FRAME_CURRENT_RUN)
    joined = _sides(current, "to").join(_sides(previous, "from"), on="id", how="left")
    return joined.filter(_changed()).select(list(MOVEMENT_SCHEMA))


def movements_between(previous: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """`movements` of two runs in memory: when both hold the same clients in the same order
    (the usual case: no client added or removed since), the rows are compared in place
    instead of joined."""
    if not same_clients(previous, current):
        return movements(previous.lazy(), current.lazy()).collect()
    _check(previous.lazy(), SNAPSHOT_SCHEMA, words.FRAME_PREVIOUS_RUN)
    _check(current.lazy(), SNAPSHOT_SCHEMA, words.FRAME_CURRENT_RUN)
    before = _sides(previous.lazy(), "from").drop("id").collect()
    side_by_side = pl.concat([_sides(current.lazy(), "to").collect(), before], how="horizontal")
    return side_by_side.filter(_changed()).select(list(MOVEMENT_SCHEMA))


def net_movements(history: pl.LazyFrame) -> pl.LazyFrame:
    """Per client, where it stood before the first recorded movement and where it is after the
    last one (history rows carry `run_id`); clients back where they started are dropped."""
    _check(history, {"run_id": pl.Int64(), **MOVEMENT_SCHEMA}, words.FRAME_HISTORY)
    ordered = history.sort("run_id")
    net = ordered.group_by("id").agg(
        *[pl.col(f"{d}_from").first() for d in DIMENSIONS],
        *[pl.col(f"{d}_to").last() for d in DIMENSIONS],
    )
    changed = pl.any_horizontal(
        pl.col(f"{d}_from").ne_missing(pl.col(f"{d}_to")) for d in DIMENSIONS
    )
    return net.filter(changed).select(list(MOVEMENT_SCHEMA)).sort("id")


def movement_summary(moves: pl.LazyFrame) -> pl.LazyFrame:
    """Counts per dimension and (from, to), with how many of those clients were class A.

    A client's class is the one it had before the movement (its current one when it is new).
    """
    was_a = (pl.coalesce("abc_from", "abc_to") == AbcClass.A.value).fill_null(False)
    parts = [
        moves.filter(pl.col(f"{d}_from").ne_missing(pl.col(f"{d}_to")))
        .group_by(pl.col(f"{d}_from").alias("from"), pl.col(f"{d}_to").alias("to"))
        .agg(pl.len().cast(pl.Int64).alias("clients"), was_a.sum().cast(pl.Int64).alias("class_a"))
        .select(pl.lit(d).alias("dimension"), "from", "to", "clients", "class_a")
        for d in DIMENSIONS
    ]
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    return (
        pl.concat(parts, how="vertical")
        .with_columns(pl.col("dimension").replace_strict(order, return_dtype=pl.Int64).alias("o"))
        .sort(["o", "clients", "from", "to"], descending=[False, True, False, False])
        .drop("o")
    )


def _empty_alerts() -> pl.LazyFrame:
    return pl.LazyFrame(schema=ALERT_SCHEMA)


def a_clients_leaving_active(last_moves: pl.LazyFrame, results: pl.LazyFrame) -> pl.LazyFrame:
    """Class A clients (before or now) that left `ativo` in the last run."""
    left = last_moves.filter(
        (pl.col("status_from") == Status.ATIVO.value)
        & (pl.col("status_to") != Status.ATIVO.value)
        & (pl.coalesce("abc_from", "abc_to") == AbcClass.A.value)
    )
    return left.join(
        results.select("id", "owner_id", "monetary_cents"), on="id", how="left"
    ).select(
        pl.lit(AlertKind.A_LEFT_ACTIVE.value).alias("kind"),
        "id",
        "owner_id",
        pl.lit(None, dtype=pl.Int64).alias("task_id"),
        pl.col("monetary_cents").alias("amount"),
        pl.format("ativo → {}", pl.col("status_to").fill_null("(removido)")).alias("detail"),
    )


def cooling_clients(results: pl.LazyFrame) -> pl.LazyFrame:
    """Active clients, not excluded, whose purchase pace is cooling (DESIGN.md cooling)."""
    return results.filter(
        pl.col("cooling").fill_null(False)
        & ~pl.col("excluded").fill_null(False)
        & (pl.col("status") == Status.ATIVO.value)
    ).select(
        pl.lit(AlertKind.COOLING.value).alias("kind"),
        "id",
        "owner_id",
        pl.lit(None, dtype=pl.Int64).alias("task_id"),
        pl.col("monetary_cents").alias("amount"),
        pl.when(pl.col("overdue_days").fill_null(0) > pl.col("cycle_days").fill_null(0))
        .then(
            pl.format(
                words.DETAIL_REPURCHASE_LATE,
                pl.col("overdue_days").round(0).cast(pl.Int64),
                pl.col("cycle_days").round(0).cast(pl.Int64),
            )
        )
        .otherwise(
            pl.format(
                words.DETAIL_ORDERS_FELL,
                pl.col("orders_previous_window").fill_null(0),
                pl.col("orders_last_window").fill_null(0),
            )
        )
        .alias("detail"),
    )


def overdue_tasks(tasks: pl.LazyFrame, *, as_of: date, more_than_days: int) -> pl.LazyFrame:
    """Open tasks (`task_id`, `id`, `owner_id`, `due`, `title`) overdue by more than N days."""
    limit = as_of - timedelta(days=more_than_days)
    days = (pl.lit(as_of) - pl.col("due")).dt.total_days().cast(pl.Int64)
    return tasks.filter(pl.col("due") < pl.lit(limit)).select(
        pl.lit(AlertKind.TASK_OVERDUE.value).alias("kind"),
        "id",
        "owner_id",
        "task_id",
        days.alias("amount"),
        pl.format(
            words.DETAIL_TASK_LATE, pl.col("title").fill_null(words.UNTITLED_TASK), days
        ).alias("detail"),
    )


def owners_over_capacity(loads: pl.LazyFrame) -> pl.LazyFrame:
    """Active owners with more clients than their capacity (`owner_id`, `clients`, `capacity`)."""
    return loads.filter(pl.col("clients") > pl.col("capacity")).select(
        pl.lit(AlertKind.OWNER_OVER_CAPACITY.value).alias("kind"),
        pl.lit(None, dtype=pl.Int64).alias("id"),
        "owner_id",
        pl.lit(None, dtype=pl.Int64).alias("task_id"),
        pl.col("clients").alias("amount"),
        pl.format(words.DETAIL_OVER_CAPACITY, "clients", "capacity").alias("detail"),
    )


def alerts(*parts: pl.LazyFrame) -> pl.LazyFrame:
    """The alerts in order: by kind (most serious first), then largest amount, then id."""
    order = {kind.value: i for i, kind in enumerate(AlertKind)}
    frames = [part.select(list(ALERT_SCHEMA)).cast(ALERT_SCHEMA) for part in parts]  # type: ignore[arg-type]
    return (
        pl.concat([_empty_alerts(), *frames], how="vertical")
        .with_columns(pl.col("kind").replace_strict(order, return_dtype=pl.Int64).alias("o"))
        .sort(
            ["o", "amount", "id", "owner_id"],
            descending=[False, True, False, False],
            nulls_last=True,
        )
        .drop("o")
    )
