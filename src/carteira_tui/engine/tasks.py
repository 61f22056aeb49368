"""Action plans → task candidates, idempotent new tasks, and Taskwarrior-style urgency.

Called by `services.tasks` (generate, list, explain, snooze). Input is the per-client
segmentation result frame (`id`, `status`, `abc`, `overdue_days`, `cooling`, `excluded`,
`segment`, `owner_id`, `birth_date`, `delinquent`, `opt_out`, `channel_pref`, `consent_*`) and the
action-plan table; output frames use `client_id` for the internal client id (`clients.id`),
as the `tasks` table does. Pure Polars: the as-of date and the holidays are parameters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine.calendar import (
    add_business_days,
    next_occurrence,
    roll_backward,
    roll_forward,
)
from carteira_tui.engine.segments import cadence_state, last_contact
from carteira_tui.engine.today import NOT_CONTACT_KINDS as NOT_CONTACT_KINDS
from carteira_tui.engine.urgency import URGENCY_TERMS as URGENCY_TERMS
from carteira_tui.engine.urgency import (
    UrgencyInputs,
    Weights,
    total,
    urgency_terms,
)
from carteira_tui.engine.urgency import (
    UrgencyTerm as UrgencyTerm,
)
from carteira_tui.model import CHANNEL_ALIASES, CONSENT_COLUMNS, TASK_CLIENT_CONTEXT, fold_text
from carteira_tui.vocab import plans as words


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
    CADENCE = "cadencia"
    """Clients whose cadence state is `atrasado` (no contact for longer than the segment's max)."""
    DATE = "data"
    """Every eligible client ahead of a date (`value`: natal, dia_das_maes, dia_dos_pais,
    dia_do_cliente, black_friday or a fixed dd/mm), `due_offset` business days before it."""


COMMEMORATIVE_DATES: dict[str, str] = {
    "natal": "Natal (25/12)",
    "dia_das_maes": "Dia das Mães (2º domingo de maio)",
    "dia_dos_pais": "Dia dos Pais (2º domingo de agosto)",
    "dia_do_cliente": "Dia do Cliente (15/09)",
    "black_friday": "Black Friday (sexta após a 4ª quinta de novembro)",
}
"""Date-trigger names with their pt-BR description; any fixed `dd/mm` is also accepted, and a
computed day written as people say it: `2º domingo de maio`, `último sábado de novembro`."""

WEEKDAY_NAMES: dict[str, int] = {
    "segunda": 0,
    "terca": 1,
    "quarta": 2,
    "quinta": 3,
    "sexta": 4,
    "sabado": 5,
    "domingo": 6,
}
MONTHS = "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro"
MONTH_NAMES: dict[str, int] = {name: number for number, name in enumerate(MONTHS.split(), 1)}
_NTH_WEEKDAY = re.compile(
    r"(?P<nth>[1-4]|primeir[oa]|segund[oa]|terceir[oa]|quart[oa]|ultim[oa])[oa]?"
    r" (?P<weekday>[a-z]+)(?:-feira)? de (?P<month>[a-z]+)"
)
_ORDINAL_WORDS = {"primeir": 1, "segund": 2, "terceir": 3, "quart": 4, "ultim": -1}

DATE_WINDOW_DAYS = 7
"""A date plan selects its clients from this many days before its due day up to the date."""


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def commemorative_day(value: str, year: int) -> date:
    """The day a date trigger names in `year`; ValueError (pt-BR) for an unknown name."""
    key = value.strip().lower()
    if key == "natal":
        return date(year, 12, 25)
    if key == "dia_das_maes":
        return _nth_weekday(year, 5, 6, 2)
    if key == "dia_dos_pais":
        return _nth_weekday(year, 8, 6, 2)
    if key == "dia_do_cliente":
        return date(year, 9, 15)
    if key == "black_friday":
        return _nth_weekday(year, 11, 3, 4) + timedelta(days=1)
    parts = key.split("/")
    if len(parts) == 2 and all(part.isdigit() for part in parts):
        try:
            return date(year, int(parts[1]), int(parts[0]))
        except ValueError:
            pass
    computed = _nth_weekday_of(key, year)
    if computed is not None:
        return computed
    raise ValueError(words.unknown_commemorative_date(value, COMMEMORATIVE_DATES))


def _nth_weekday_of(text: str, year: int) -> date | None:
    """`2º domingo de maio`, `última sexta de novembro` in `year` (1st to 4th or last weekday of
    a month, so it exists every year); None when `text` is not such a phrase."""
    found = _NTH_WEEKDAY.fullmatch(fold_text(text))
    if found is None:
        return None
    weekday = WEEKDAY_NAMES.get(found["weekday"])
    month = MONTH_NAMES.get(found["month"])
    if weekday is None or month is None:
        return None
    nth_text = found["nth"]
    nth = int(nth_text) if nth_text.isdigit() else _ORDINAL_WORDS[nth_text[:-1]]
    if nth == -1:
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    return _nth_weekday(year, month, weekday, nth)


def next_commemorative_day(value: str, on_or_after: date) -> date:
    """The first occurrence of a date trigger on or after a day."""
    this_year = commemorative_day(value, on_or_after.year)
    return this_year if this_year >= on_or_after else commemorative_day(value, on_or_after.year + 1)


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
    "first_purchase": pl.Date(),
    "last_purchase": pl.Date(),
    "purchase_days": pl.Int64(),
    "monetary_cents": pl.Int64(),
    "last_interaction": pl.Date(),
    "cadence_ideal": pl.Int64(),
    "cadence_max": pl.Int64(),
}
"""Columns read from the segmentation frame (plus the last interaction and the segment's
cadence, which the service joins); all but `id` and `status` may be missing (null)."""


UNMERGED_KINDS: tuple[str, ...] = ("cobranca", "aniversario", "data")
"""Contact kinds kept apart from the one merged contact task: collections and date greetings."""

OUTCOMES_NOT_REACHED: tuple[str, ...] = (
    "nao atendeu",
    "sem resposta",
    "nao respondeu",
    "caixa postal",
    "ocupado",
    "numero errado",
    "nao localizado",
    "fora de area",
)
"""Folded outcome phrases of a contact that did not reach the client (closes nothing)."""

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
    "kind": pl.String(),
    "title": pl.String(),
    **TASK_CLIENT_CONTEXT,
    "cooldown_days": pl.Int64(),
}


def reached_client(outcome: str) -> bool:
    """Whether a contact's outcome says it reached the client ("Atendeu", "Respondeu", "Comprou"),
    as opposed to "Não atendeu", "Sem resposta", "Caixa postal"."""
    folded = fold_text(outcome)
    return bool(folded) and not any(phrase in folded for phrase in OUTCOMES_NOT_REACHED)


def refused_channel(outcome: str) -> str | None:
    """The channel an outcome says the client no longer accepts ("não quer mais WhatsApp",
    "não quer receber e-mail"), or None."""
    folded = fold_text(outcome)
    for opener in ("nao quer", "nao aceita", "nao deseja", "parar de receber", "sem mais"):
        if opener in folded:
            rest = folded.split(opener, 1)[1]
            words = rest.replace(",", " ").replace(".", " ").split()
            for size in (3, 2, 1):
                for start in range(len(words) - size + 1):
                    key = CHANNEL_ALIASES.get(" ".join(words[start : start + size]))
                    if key in CONSENT_COLUMNS:
                        return key
    return None


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
        cadence_state(
            _days_since(last_contact(pl.col("last_interaction"), pl.col("last_purchase")), as_of),
            pl.col("cadence_ideal"),
            pl.col("cadence_max"),
        ).alias("cadence"),
        pl.coalesce(
            pl.col("plan"),
            pl.col("segment").replace_strict(
                segment_plans or {}, default=None, return_dtype=pl.String
            ),
        ).alias("segment_plan"),
    )
    today = roll_forward(as_of, holidays)
    parts: list[pl.LazyFrame] = []
    for plan in plans.filter(pl.col("active")).iter_rows(named=True):
        trigger = Trigger(plan["trigger"])
        selected = clients.filter(_selects(plan, trigger, as_of, birthday_window_days))
        period, due = _period_and_due(plan, trigger, as_of, today, holidays)
        plan_channel = pl.lit(plan["channel"], dtype=pl.String)
        channel = usable_channel(pl.col("channel_pref"), plan_channel)
        if trigger is not Trigger.DELINQUENT:
            # contact work goes only through a channel the client accepted
            selected = selected.filter(channel.is_not_null())
        parts.append(
            selected.with_columns(channel.alias("channel")).select(
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
                pl.lit(plan["kind"], dtype=pl.String).alias("kind"),
                pl.lit(plan["title"], dtype=pl.String).alias("title"),
                "segment",
                "first_purchase",
                "last_purchase",
                "purchase_days",
                "monetary_cents",
                "last_interaction",
                "cadence_ideal",
                "cadence_max",
                pl.lit(plan.get("cooldown_days") or 0, dtype=pl.Int64).alias("cooldown_days"),
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
        case Trigger.CADENCE:
            chosen = pl.col("cadence") == pl.lit("atrasado")
        case Trigger.DATE:
            occurrence = next_commemorative_day(str(plan["value"]), as_of)
            lead = int(plan.get("due_offset") or 0)  # type: ignore[call-overload]
            opens = occurrence - timedelta(days=lead + DATE_WINDOW_DAYS)
            chosen = pl.lit(opens <= as_of)
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
    if trigger is Trigger.DATE:
        occurrence = next_commemorative_day(str(plan["value"]), as_of)
        ahead = add_business_days(occurrence, -offset, holidays) if offset else occurrence
        due_day = max(roll_backward(ahead, holidays), today)
        return pl.lit(occurrence, dtype=pl.Date), pl.lit(due_day, dtype=pl.Date)
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


def channel_key_expr(channel: pl.Expr) -> pl.Expr:
    """`model.channel_key` as an expression: any spelling (`E-mail`, `WhatsApp`, `zap`) to its
    channel key, null when it names no known channel."""
    folded = (
        channel.str.to_lowercase()
        .str.normalize("NFKD")
        .str.replace_all(r"\p{Mn}", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    return folded.replace_strict(CHANNEL_ALIASES, default=None, return_dtype=pl.String)


def _consented(key: pl.Expr) -> pl.Expr:
    """True when the client gave consent (`consent_* = 1`) for the channel `key` names."""
    given = pl.lit(False)
    for channel, column in CONSENT_COLUMNS.items():
        given = given | ((key == channel) & pl.col(column)).fill_null(False)
    return given


def usable_channel(preferred: pl.Expr, plan_channel: pl.Expr) -> pl.Expr:
    """The channel to use: the client's preferred one if consented, else the plan's if
    consented, else the first consented one (WhatsApp, telefone, e-mail, SMS); null when the
    client accepted none or opted out. A refused channel (`consent_* = 0`) is never chosen."""
    preferred_key = channel_key_expr(preferred)
    plan_key = channel_key_expr(plan_channel)
    chosen = (
        pl.when(pl.col("opt_out").fill_null(False))
        .then(pl.lit(None, dtype=pl.String))
        .when(_consented(preferred_key))
        .then(preferred_key)
        .when(_consented(plan_key))
        .then(plan_key)
    )
    for channel, column in CONSENT_COLUMNS.items():
        chosen = chosen.when(pl.col(column).fill_null(False)).then(pl.lit(channel))
    return chosen.otherwise(pl.lit(None, dtype=pl.String))


def _days_since(day: pl.Expr, as_of: date) -> pl.Expr:
    return (pl.lit(as_of) - day).dt.total_days()


EXISTING_SCHEMA: dict[str, pl.DataType] = {
    "client_id": pl.Int64(),
    "plan_id": pl.Int64(),
    "period": pl.Date(),
    "is_open": pl.Boolean(),
    "closed_on": pl.Date(),
    "kind": pl.String(),
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


def one_contact_task(fresh: pl.LazyFrame, existing: pl.LazyFrame, *, as_of: date) -> pl.LazyFrame:
    """New tasks with contact work folded into at most one open contact task per client.

    A plan's contact (any kind but collections and date greetings) is dropped for a client
    contacted within the segment's ideal cadence — or the plan's cooldown where the segment has
    none — and for a client who already has an open merged contact task; the reasons left for
    one client become one task: the most pressing plan's (priority, then plan id), titled with
    every reason (`Retenção de cliente A em risco; Contato de recompra`).
    """
    mergeable = ~pl.col("kind").is_in(UNMERGED_KINDS)
    days_since_contact = _days_since(pl.col("last_interaction"), as_of)
    quiet_days = pl.coalesce(pl.col("cadence_ideal"), pl.col("cooldown_days"), pl.lit(0))
    contacted_lately = (days_since_contact <= quiet_days).fill_null(False) & (
        pl.col("kind") != "cadencia"
    )
    open_contact = (
        existing.filter(pl.col("is_open") & ~pl.col("kind").fill_null("").is_in(UNMERGED_KINDS))
        .select("client_id")
        .unique()
    )
    kept_apart = fresh.filter(~mergeable)
    rank = pl.col("priority").replace_strict({"H": 0, "M": 1, "L": 2}, default=3)
    merged = (
        fresh.filter(mergeable & ~contacted_lately)
        .join(open_contact, on="client_id", how="anti")
        .sort([pl.col("client_id"), rank, pl.col("plan_id")])
        .group_by("client_id", maintain_order=True)
        .agg(
            pl.exclude("title").first(),
            pl.col("title").unique(maintain_order=True).alias("titles"),
        )
        .with_columns(pl.col("titles").list.join("; ").alias("title"))
        .drop("titles")
    )
    return pl.concat([kept_apart, merged.select(kept_apart.collect_schema().names())])


URGENCY_INPUT: dict[str, pl.DataType] = {
    "due": pl.Date(),
    "priority": pl.String(),
    "abc": pl.String(),
    "cooling": pl.Boolean(),
    "created_on": pl.Date(),
    "first_purchase": pl.Date(),
    "last_purchase": pl.Date(),
    "purchase_days": pl.Int64(),
    "monetary_cents": pl.Int64(),
    "last_interaction": pl.Date(),
    "cadence_max": pl.Int64(),
    **{name: pl.Float64() for name in ("fit_r", "fit_alpha", "fit_a", "fit_b")},
}
"""What urgency reads (`engine.urgency.UrgencyInputs`, in its order). `due` is required; a
missing other column counts as null (its term is 0)."""


def with_urgency(tasks: pl.LazyFrame, *, as_of: date, settings: Settings) -> pl.LazyFrame:
    """`tasks` with the `w_`/`f_`/`u_<term>` columns and their sum `urgency` (4 places): the one
    urgency of DESIGN.md (`engine.urgency.urgency_terms`, row by row), used by the queue,
    `tasks list`, Hoje and `tasks explain`."""
    names = tasks.collect_schema().names()
    if "due" not in names:
        raise ValueError("tasks frame lacks column 'due'")
    frame = tasks.with_columns(
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in URGENCY_INPUT.items()
        if name not in names
    ).collect()
    weights = Weights.of(settings)
    inputs = frame.select(
        pl.col(name).cast(dtype, strict=False) for name, dtype in URGENCY_INPUT.items()
    )
    scored = [
        urgency_terms(UrgencyInputs(*row), as_of=as_of, weights=weights)
        for row in inputs.iter_rows()
    ]
    columns: dict[str, list[float]] = {}
    for index, term in enumerate(URGENCY_TERMS):
        weight = [terms[index][0] for terms in scored]
        factor = [terms[index][1] for terms in scored]
        columns[f"w_{term.name}"] = weight
        columns[f"f_{term.name}"] = factor
        columns[f"u_{term.name}"] = [w * f for w, f in zip(weight, factor, strict=True)]
    columns["urgency"] = [total(terms) for terms in scored]
    added = pl.DataFrame(columns, schema={name: pl.Float64() for name in columns})
    return frame.drop(list(columns), strict=False).hstack(added).lazy()


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
