"""Action plans → task candidates, idempotent new tasks, and Taskwarrior-style urgency.

Called by `services.tasks` (generate, list, explain, snooze). Input is the per-client
segmentation result frame (`id`, `status`, `abc`, `overdue_days`, `cooling`, `excluded`,
`segment`, `owner_id`, `birth_date`, `delinquent`, `opt_out`, `channel_pref`, `consent_*`) and the
action-plan table; output frames use `client_id` for the internal client id (`clients.id`),
as the `tasks` table does. Pure Polars: the as-of date and the holidays are parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine.calendar import add_business_days, next_occurrence, roll_forward


class Trigger(StrEnum):
    """What selects a plan's clients (`action_plans.trigger`)."""

    STATUS = "status"
    """Clients whose recency status equals the plan's `value`."""
    SEGMENT = "segment"
    """Clients whose segment names this plan (`segments.plan` = the plan's `code`), or whose
    segment equals the plan's `value`."""
    REPURCHASE = "recompra"
    """Clients late for their expected repurchase (overdue_days > 0)."""
    COOLING = "esfriando"
    """Clients whose purchase pace is cooling."""
    BIRTHDAY = "aniversario"
    """Clients with a birthday within the birthday window."""
    DELINQUENT = "inadimplente"
    """Delinquent clients: the only plan they get, even though they are excluded."""


PRIORITY_LABELS: dict[str, str] = {"H": "alta", "M": "média", "L": "baixa"}

CLIENT_COLUMNS: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "status": pl.String(),
    "abc": pl.String(),
    "overdue_days": pl.Float64(),
    "cooling": pl.Boolean(),
    "excluded": pl.Boolean(),
    "segment": pl.String(),
    "plan": pl.String(),
    "owner_id": pl.Int64(),
    "birth_date": pl.Date(),
    "delinquent": pl.Boolean(),
    "opt_out": pl.Boolean(),
    "channel_pref": pl.String(),
    "consent_email": pl.Boolean(),
    "consent_phone": pl.Boolean(),
    "consent_whatsapp": pl.Boolean(),
    "consent_sms": pl.Boolean(),
}
"""Columns read from the segmentation frame; all but `id` and `status` may be missing (null)."""

CONSENT_BY_CHANNEL: dict[str, str] = {
    "email": "consent_email",
    "telefone": "consent_phone",
    "whatsapp": "consent_whatsapp",
    "sms": "consent_sms",
}

CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "client_id": pl.Int64(),
    "plan_id": pl.Int64(),
    "period": pl.Date(),
    "due": pl.Date(),
    "priority": pl.String(),
    "channel": pl.String(),
    "owner_id": pl.Int64(),
    "abc": pl.String(),
    "overdue_days": pl.Float64(),
    "cooling": pl.Boolean(),
}


@dataclass(frozen=True)
class UrgencyTerm:
    """One addend of urgency: `weight × factor`, with its pt-BR label for `tasks explain`."""

    name: str
    label: str


URGENCY_TERMS: tuple[UrgencyTerm, ...] = (
    UrgencyTerm("due", "vencimento"),
    UrgencyTerm("priority", "prioridade"),
    UrgencyTerm("abc", "curva ABC"),
    UrgencyTerm("repurchase", "recompra atrasada"),
    UrgencyTerm("cooling", "esfriando"),
    UrgencyTerm("age", "idade da tarefa"),
)


def client_frame(results: pl.LazyFrame) -> pl.LazyFrame:
    """The segmentation columns the plans read, cast to one schema; missing ones become null."""
    names = results.collect_schema().names()
    for required in ("id", "status"):
        if required not in names:
            raise ValueError(f"segmentation frame lacks column {required!r}")
    columns: list[pl.Expr] = []
    for name, dtype in CLIENT_COLUMNS.items():
        if name not in names:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
        elif name == "birth_date":
            columns.append(_as_date(pl.col(name), results.collect_schema()[name]).alias(name))
        else:
            columns.append(pl.col(name).cast(dtype, strict=False).alias(name))
    return results.select(columns)


def _as_date(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.String():
        return column.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    return column.cast(pl.Date, strict=False)


def task_candidates(
    results: pl.LazyFrame,
    plans: pl.DataFrame,
    *,
    as_of: date,
    holidays: Sequence[date],
    segment_plans: dict[str, str] | None = None,
    birthday_window_days: int = 7,
) -> pl.LazyFrame:
    """Every (client, plan) pair an active plan selects as of `as_of`, with its due date.

    Excluded and opted-out clients are skipped except by the delinquency plan (cobrança), which
    is the only plan delinquent clients get. The channel is the client's preference, else the
    plan's, skipping a channel without the client's consent (then null: the seller chooses).
    Due dates are business days: `due_offset` business days after the as-of date (or after the
    period start of a recurring plan, never before the as-of date); a birthday task is due on
    the last business day on or before the birthday. A segment plan selects the clients whose
    `plan` column (or whose segment, through `segment_plans`) names its code.
    """
    clients = client_frame(results).with_columns(
        pl.coalesce(
            pl.col("plan"),
            pl.col("segment").replace_strict(
                segment_plans or {}, default=None, return_dtype=pl.String
            ),
        ).alias("segment_plan")
    )
    today = roll_forward(as_of, holidays)
    parts: list[pl.LazyFrame] = []
    for plan in plans.filter(pl.col("active")).iter_rows(named=True):
        trigger = Trigger(plan["trigger"])
        selected = clients.filter(_selects(plan, trigger, as_of, birthday_window_days))
        period, due = _period_and_due(plan, trigger, as_of, today, holidays)
        parts.append(
            selected.with_columns(_channel(plan["channel"]).alias("channel")).select(
                pl.col("id").alias("client_id"),
                pl.lit(plan["id"], dtype=pl.Int64).alias("plan_id"),
                period.alias("period"),
                due.alias("due"),
                pl.lit(plan["priority"], dtype=pl.String).alias("priority"),
                "channel",
                "owner_id",
                "abc",
                "overdue_days",
                "cooling",
            )
        )
    if not parts:
        return pl.LazyFrame(schema=CANDIDATE_SCHEMA)
    return pl.concat(parts, how="vertical")


def _selects(plan: dict[str, object], trigger: Trigger, as_of: date, window_days: int) -> pl.Expr:
    flag = {name: pl.col(name).fill_null(False) for name in ("excluded", "opt_out", "delinquent")}
    if trigger is Trigger.DELINQUENT:
        return flag["delinquent"]
    eligible = ~flag["excluded"] & ~flag["opt_out"] & ~flag["delinquent"]
    match trigger:
        case Trigger.STATUS:
            chosen = pl.col("status") == pl.lit(plan["value"], dtype=pl.String)
        case Trigger.SEGMENT:
            chosen = (pl.col("segment_plan") == pl.lit(plan["code"], dtype=pl.String)) | (
                pl.col("segment") == pl.lit(plan["value"], dtype=pl.String)
            ).fill_null(False)
        case Trigger.REPURCHASE:
            chosen = pl.col("overdue_days") > 0
        case Trigger.COOLING:
            chosen = pl.col("cooling")
        case Trigger.BIRTHDAY:
            upcoming = next_birthday(pl.col("birth_date"), as_of)
            chosen = upcoming <= pl.lit(as_of + timedelta(days=window_days))
    abc_classes = _abc_classes(plan.get("abc"))
    if abc_classes:
        chosen = chosen & pl.col("abc").is_in(abc_classes)
    return eligible & chosen.fill_null(False)


def _abc_classes(raw: object) -> list[str]:
    if not isinstance(raw, str):
        return []
    return [part.strip().upper() for part in raw.split(",") if part.strip()]


def next_birthday(birth_date: pl.Expr, as_of: date) -> pl.Expr:
    """The first birthday on or after `as_of` (29/02 is celebrated on 28/02 in common years)."""
    this_year = _birthday_in(birth_date, as_of.year)
    return (
        pl.when(this_year >= pl.lit(as_of))
        .then(this_year)
        .otherwise(_birthday_in(birth_date, as_of.year + 1))
    )


def _birthday_in(birth_date: pl.Expr, year: int) -> pl.Expr:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    month = birth_date.dt.month()
    day = birth_date.dt.day()
    if not leap:
        day = pl.when((month == 2) & (day == 29)).then(28).otherwise(day)
    return pl.date(pl.lit(year), month, day)


def _period_and_due(
    plan: dict[str, object],
    trigger: Trigger,
    as_of: date,
    today: date,
    holidays: Sequence[date],
) -> tuple[pl.Expr, pl.Expr]:
    offset = int(plan["due_offset"] or 0)  # type: ignore[call-overload]
    if trigger is Trigger.BIRTHDAY:
        birthday = next_birthday(pl.col("birth_date"), as_of)
        before = birthday.dt.add_business_days(0, holidays=holidays, roll="backward")
        due = pl.max_horizontal(before, pl.lit(today))
        return birthday, due
    rule = plan.get("recurrence")
    if isinstance(rule, str) and rule.strip():
        anchor = _anchor(plan.get("anchor"))
        start = previous_period_start(rule, anchor=anchor, on_or_before=as_of)
        due_day = max(add_business_days(start, offset, holidays), today)
        return pl.lit(start, dtype=pl.Date), pl.lit(due_day, dtype=pl.Date)
    due_day = add_business_days(as_of, offset, holidays)
    return pl.lit(None, dtype=pl.Date), pl.lit(due_day, dtype=pl.Date)


def _anchor(raw: object) -> date:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and raw:
        return date.fromisoformat(raw[:10])
    return date(2000, 1, 1)


def previous_period_start(rule: str, *, anchor: date, on_or_before: date) -> date:
    """The recurrence's last occurrence on or before a day (its first one if none yet)."""
    from datetime import datetime

    from dateutil.rrule import rrulestr

    recurrence = rrulestr(rule, dtstart=datetime(anchor.year, anchor.month, anchor.day))
    limit = datetime(on_or_before.year, on_or_before.month, on_or_before.day)
    found = recurrence.before(limit, inc=True)
    if found is not None:
        return found.date()
    upcoming = next_occurrence(rule, anchor=anchor, on_or_after=on_or_before)
    return upcoming or on_or_before


def _channel(plan_channel: object) -> pl.Expr:
    """The client's preferred channel, else the plan's, when not lacking consent; else null.

    The segmentation frame carries consent as a boolean where false also means "not given", so
    a channel is usable unless its consent column is false.
    """
    preferred = pl.col("channel_pref")
    fallback = pl.lit(plan_channel if isinstance(plan_channel, str) else None, dtype=pl.String)
    return (
        pl.when(preferred.is_not_null() & _consented(preferred))
        .then(preferred)
        .when(fallback.is_not_null() & _consented(fallback))
        .then(fallback)
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def _consented(channel: pl.Expr) -> pl.Expr:
    """False only when the consent column of `channel` is false."""
    refused = pl.lit(False)
    for name, column in CONSENT_BY_CHANNEL.items():
        refused = refused | ((channel == name) & (pl.col(column) == pl.lit(False))).fill_null(False)
    return ~refused


EXISTING_SCHEMA: dict[str, pl.DataType] = {
    "client_id": pl.Int64(),
    "plan_id": pl.Int64(),
    "period": pl.Date(),
    "is_open": pl.Boolean(),
    "closed_on": pl.Date(),
}


def new_tasks(
    candidates: pl.LazyFrame, existing: pl.LazyFrame, plans: pl.DataFrame, *, as_of: date
) -> pl.LazyFrame:
    """Candidates that would not duplicate a task: the idempotency rule of `tasks generate`.

    A candidate is dropped when the same client and plan has an open task, a task for the same
    period (a recurring plan's occurrence, a birthday) in any state, or — for plans without
    periods — a task closed less than the plan's `cooldown_days` before the as-of date.
    """
    cooldowns = plans.lazy().select(
        pl.col("id").cast(pl.Int64).alias("plan_id"),
        pl.col("cooldown_days").cast(pl.Int64).fill_null(0),
    )
    blocking = (
        existing.join(cooldowns, on="plan_id", how="left")
        .filter(
            pl.col("is_open")
            | (
                pl.col("period").is_null()
                & (pl.col("closed_on") + pl.duration(days=pl.col("cooldown_days")) > as_of)
            )
        )
        .select("client_id", "plan_id")
    )
    same_period = existing.filter(pl.col("period").is_not_null()).select(
        "client_id", "plan_id", "period"
    )
    return (
        candidates.unique(["client_id", "plan_id"], keep="first", maintain_order=True)
        .join(blocking, on=["client_id", "plan_id"], how="anti")
        .join(same_period, on=["client_id", "plan_id", "period"], how="anti", nulls_equal=False)
    )


URGENCY_INPUT: tuple[str, ...] = (
    "due",
    "priority",
    "abc",
    "overdue_days",
    "cooling",
    "created_on",
)


def urgency_factors(as_of: date, settings: Settings) -> list[pl.Expr]:
    """One expression per urgency term, `weight × factor`, named `u_<term>`.

    due: Taskwarrior's ramp, 0.2 when due 14+ days away, linear to 1.0 at 7+ days overdue;
    priority: the H/M/L weight; abc: the A/B weight; repurchase: overdue_days / 30 capped at 1;
    cooling: 1 when cooling; age: days since creation / `urgency_age_days`, capped at 1.
    """
    days_overdue = (pl.lit(as_of) - pl.col("due")).dt.total_days().cast(pl.Float64)
    due = (
        pl.when(pl.col("due").is_null())
        .then(0.0)
        .when(days_overdue >= 7)
        .then(1.0)
        .when(days_overdue >= -14)
        .then((days_overdue + 14.0) * 0.8 / 21.0 + 0.2)
        .otherwise(0.2)
    )
    priority = pl.col("priority").replace_strict(
        {
            "H": settings.urgency_priority_h,
            "M": settings.urgency_priority_m,
            "L": settings.urgency_priority_l,
        },
        default=0.0,
        return_dtype=pl.Float64,
    )
    abc = pl.col("abc").replace_strict(
        {"A": settings.urgency_abc_a, "B": settings.urgency_abc_b},
        default=0.0,
        return_dtype=pl.Float64,
    )
    repurchase = (pl.col("overdue_days").cast(pl.Float64) / 30.0).clip(0.0, 1.0).fill_null(0.0)
    cooling = pl.col("cooling").cast(pl.Float64).fill_null(0.0)
    age_days = (pl.lit(as_of) - pl.col("created_on")).dt.total_days().cast(pl.Float64)
    age = (age_days / max(settings.urgency_age_days, 1)).clip(0.0, 1.0).fill_null(0.0)
    return [
        (due * settings.urgency_due).alias("u_due"),
        priority.alias("u_priority"),
        abc.alias("u_abc"),
        (repurchase * settings.urgency_repurchase).alias("u_repurchase"),
        (cooling * settings.urgency_cooling).alias("u_cooling"),
        (age * settings.urgency_age).alias("u_age"),
    ]


def with_urgency(tasks: pl.LazyFrame, *, as_of: date, settings: Settings) -> pl.LazyFrame:
    """`tasks` with the `u_<term>` columns and their sum `urgency` (rounded to 4 places)."""
    names = tasks.collect_schema().names()
    missing = [name for name in URGENCY_INPUT if name not in names]
    if missing:
        raise ValueError(f"tasks frame lacks columns {missing}")
    term_columns = [f"u_{term.name}" for term in URGENCY_TERMS]
    return tasks.with_columns(urgency_factors(as_of, settings)).with_columns(
        pl.sum_horizontal(term_columns).round(4).alias("urgency")
    )


def queue_order(tasks: pl.LazyFrame) -> pl.LazyFrame:
    """The queue: urgency descending, then earliest due, then oldest id."""
    return tasks.sort(["urgency", "due", "id"], descending=[True, False, False], nulls_last=True)


CAPACITY_SCHEMA: dict[str, pl.DataType] = {
    "owner_id": pl.Int64(),
    "capacity": pl.Int64(),
    "open_tasks": pl.Int64(),
}


def within_capacity(
    fresh: pl.LazyFrame, capacity: pl.LazyFrame, *, uncapped_plans: Sequence[int] = ()
) -> pl.LazyFrame:
    """The most urgent new tasks each owner has room for: capacity minus their open tasks.

    Tasks of clients without an owner, or of owners not in `capacity`, are all kept, and so are
    those of `uncapped_plans` (time-bound kinds such as a collection or a birthday cannot wait
    for room); the rest wait for a later run (the next `generate` offers them again).
    """
    room = capacity.select(
        pl.col("owner_id"),
        (pl.col("capacity") - pl.col("open_tasks")).clip(lower_bound=0).alias("room"),
    )
    uncapped = pl.col("plan_id").is_in(list(uncapped_plans)) if uncapped_plans else pl.lit(False)
    rank = pl.col("urgency").rank(method="ordinal", descending=True).over("owner_id").cast(pl.Int64)
    return (
        fresh.join(room, on="owner_id", how="left")
        .filter(pl.col("room").is_null() | uncapped | (rank <= pl.col("room")))
        .drop("room")
    )


UNCAPPED_KINDS = ("cobranca", "aniversario")
"""Plan kinds whose tasks are created even when the owner is over capacity."""
