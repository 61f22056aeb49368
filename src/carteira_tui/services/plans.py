"""Action plans are data: list, add, edit and delete them (`carteira plans …` and the Planos
screen of the TUI call these same functions).

Every change is validated (trigger, value, priority, channel through the one channel vocabulary,
commemorative date, segment, ABC classes) and audited in one transaction; bad input writes nothing,
names the valid choices and says which field is wrong (`PlanError.field`, so a form marks it). A
plan that already generated tasks is deactivated instead of deleted (its tasks keep their history).
`plan_rows` is the list as a screen shows it: labels and, for a date trigger, the next date and
the day its tasks fall due.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine.calendar import add_business_days, holidays_around, roll_backward
from carteira_tui.engine.tasks import (
    COMMEMORATIVE_DATES,
    PRIORITY_LABELS,
    Trigger,
    commemorative_day,
    next_commemorative_day,
)
from carteira_tui.errors import CarteiraError
from carteira_tui.model import CHANNEL_LABELS, CONTACT_CHANNELS, Status, channel_key
from carteira_tui.store import segments as segment_store
from carteira_tui.store import tasks as store
from carteira_tui.store.audit import write_audit
from carteira_tui.store.db import connect
from carteira_tui.vocab import plans as words

TRIGGER_LABELS: dict[str, str] = {
    Trigger.STATUS: words.TRIGGER_STATUS,
    Trigger.SEGMENT: words.TRIGGER_SEGMENT,
    Trigger.REPURCHASE: words.TRIGGER_REPURCHASE,
    Trigger.COOLING: words.TRIGGER_COOLING,
    Trigger.BIRTHDAY: words.TRIGGER_BIRTHDAY,
    Trigger.DELINQUENT: words.TRIGGER_DELINQUENT,
    Trigger.CADENCE: words.TRIGGER_CADENCE,
    Trigger.DATE: words.trigger_date(COMMEMORATIVE_DATES),
}


SHORT_TRIGGER_LABELS: dict[str, str] = {
    Trigger.STATUS: "status",
    Trigger.SEGMENT: "segmento",
    Trigger.REPURCHASE: "recompra",
    Trigger.COOLING: "esfriando",
    Trigger.BIRTHDAY: "aniversário",
    Trigger.DELINQUENT: "inadimplente",
    Trigger.CADENCE: "cadência",
    Trigger.DATE: "data",
}
"""Each trigger in a few pt-BR words, for a table cell."""

DATE_NAMES: dict[str, str] = dict(COMMEMORATIVE_DATES)
"""The named date triggers with their pt-BR description (any dd/mm is accepted too)."""

TRIGGER_CHOICES: tuple[str, ...] = tuple(trigger.value for trigger in Trigger)
"""Every trigger as the CLI and the form take it."""

CHANNEL_CHOICES: tuple[str, ...] = tuple(CHANNEL_LABELS[c] for c in CONTACT_CHANNELS)
"""The channels a plan can suggest, as people write them."""


class PlanError(CarteiraError, ValueError):
    """A plan change that cannot be made, with a message naming the valid choices and the
    `field` at fault (a `store.PLAN_EDITABLE` column, `code`, or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def list_plans(db_path: Path) -> pl.DataFrame:
    """Every action plan, by id."""
    with connect(db_path) as db:
        return store.read_action_plans(db)


def _codes(db: Any) -> str:
    return ", ".join(sorted(str(code) for code in store.read_action_plans(db)["code"]))


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    """`values` validated and normalised (channel key, date names); PlanError otherwise."""
    checked = {k: v for k, v in values.items() if v is not None}
    for optional in ("value", "channel", "abc"):  # an empty text clears the column
        if optional in checked and not str(checked[optional]).strip():
            checked[optional] = None
    if "trigger" in checked and checked["trigger"] not in set(Trigger):
        raise PlanError(
            words.unknown_trigger(checked["trigger"], (t.value for t in Trigger)), "trigger"
        )
    if "priority" in checked and checked["priority"] not in PRIORITY_LABELS:
        raise PlanError(words.PRIORITY_CHOICES, "priority")
    if checked.get("channel") is not None:
        key = channel_key(checked["channel"])
        if key not in CONTACT_CHANNELS:
            raise PlanError(words.unknown_channel(checked["channel"], CHANNEL_CHOICES), "channel")
        checked["channel"] = key
    for number in ("due_offset", "cooldown_days"):
        if number in checked and int(checked[number]) < 0:
            raise PlanError(words.negative(number), number)
    if checked.get("abc") is not None:
        classes = [part.strip().upper() for part in str(checked["abc"]).split(",")]
        if not all(part in {"A", "B", "C"} for part in classes):
            raise PlanError(words.invalid_abc(checked["abc"]), "abc")
        checked["abc"] = ",".join(classes)
    return checked


def _check_value(db: Any, trigger: str, value: str | None) -> None:
    if trigger == Trigger.STATUS and value not in set(Status):
        raise PlanError(words.unknown_status(value, (s.value for s in Status)), "value")
    if trigger == Trigger.DATE:
        try:
            commemorative_day(value or "", 2026)
        except ValueError as error:
            raise PlanError(str(error), "value") from error
    if trigger == Trigger.SEGMENT and value:
        names = [row.name for row in segment_store.read_segments(db)]
        if value not in names:
            raise PlanError(words.unknown_segment(value, names), "value")


def add_plan(
    db_path: Path, *, code: str, title: str, trigger: str, **fields: Any
) -> dict[str, Any]:
    """Create a plan; `fields` are `store.PLAN_EDITABLE` columns (kind defaults to the code,
    or `data` for a date trigger)."""
    if not re.fullmatch(r"[a-z0-9_]{2,40}", code):
        raise PlanError(words.CODE_SHAPE, "code")
    if not title.strip():
        raise PlanError(words.TITLE_REQUIRED, "title")
    values = _checked({**fields, "title": title.strip(), "trigger": trigger})
    values.setdefault("kind", "data" if trigger == Trigger.DATE else code)
    with connect(db_path) as db, db.atomic():
        _check_value(db, trigger, values.get("value"))
        if store.read_plan(db, code) is not None:
            raise PlanError(words.plan_exists(code), "code")
        store.insert_plan(db, {"code": code, **values})
        write_audit(db, action="criar plano", entity="action_plan", summary=code, after=values)
        return store.read_plan(db, code) or {}


def edit_plan(db_path: Path, code: str, **fields: Any) -> dict[str, Any]:
    """Change some columns of a plan (None keeps a column)."""
    values = _checked(fields)
    if "title" in values and not str(values["title"]).strip():
        raise PlanError(words.TITLE_REQUIRED, "title")
    with connect(db_path) as db, db.atomic():
        before = store.read_plan(db, code)
        if before is None:
            raise PlanError(words.unknown_plan(code, _codes(db)), "code")
        trigger = str(values.get("trigger", before["trigger"]))
        _check_value(db, trigger, values.get("value", before["value"]))
        store.update_plan(db, code, values)
        write_audit(
            db,
            action="editar plano",
            entity="action_plan",
            summary=code,
            before={k: before[k] for k in values},
            after=values,
        )
        return store.read_plan(db, code) or {}


def delete_plan(db_path: Path, code: str) -> bool:
    """Delete a plan, or deactivate it when it already generated tasks; True when deleted."""
    with connect(db_path) as db, db.atomic():
        plan = store.read_plan(db, code)
        if plan is None:
            raise PlanError(words.unknown_plan(code, _codes(db)), "code")
        used = store.count_plan_tasks(db, int(plan["id"])) > 0
        if used:
            store.update_plan(db, code, {"active": 0})
        else:
            store.delete_plan(db, code)
        write_audit(
            db,
            action="desativar plano" if used else "apagar plano",
            entity="action_plan",
            summary=code,
            before=plan,
        )
        return not used


def date_plan_days(
    value: str, lead: int, *, as_of: date, settings: Settings
) -> tuple[date, date] | None:
    """A date trigger's next occurrence on or after `as_of` and the business day its tasks fall
    due (`lead` business days before, as `tasks generate` computes it); None for a bad value."""
    try:
        occurrence = next_commemorative_day(value, as_of)
    except ValueError:
        return None
    holidays = holidays_around(occurrence, extra=settings.extra_holidays)
    ahead = add_business_days(occurrence, -lead, holidays) if lead else occurrence
    return occurrence, max(roll_backward(ahead, holidays), as_of)


def plan_rows(db_path: Path, *, as_of: date, settings: Settings) -> pl.DataFrame:
    """Every plan (`list_plans`) with what a screen shows: `trigger_label`, `channel_label`,
    `value_label` (the date's name, the status, or the segments that name the plan), and for
    date triggers `next_date` and `due_date`."""
    with connect(db_path) as db:
        plans = store.read_action_plans(db)
        segments_of: dict[str, list[str]] = {}
        for segment, code in store.read_segment_plans(db).items():
            segments_of.setdefault(code, []).append(segment)
    next_dates: list[date | None] = []
    due_dates: list[date | None] = []
    labels: list[str] = []
    for row in plans.iter_rows(named=True):
        value = row["value"] or ""
        days = None
        if row["trigger"] == Trigger.DATE:
            days = date_plan_days(
                value, int(row["due_offset"] or 0), as_of=as_of, settings=settings
            )
            value = DATE_NAMES.get(value, value).split(" (")[0]
        elif row["trigger"] == Trigger.SEGMENT and not value:
            value = ", ".join(segments_of.get(row["code"], []))
        next_dates.append(days[0] if days else None)
        due_dates.append(days[1] if days else None)
        labels.append(value)
    return plans.with_columns(
        pl.col("trigger")
        .replace_strict(SHORT_TRIGGER_LABELS, default=pl.col("trigger"), return_dtype=pl.String)
        .alias("trigger_label"),
        pl.col("channel")
        .replace_strict(CHANNEL_LABELS, default=pl.col("channel"), return_dtype=pl.String)
        .alias("channel_label"),
        pl.Series("value_label", labels, dtype=pl.String),
        pl.Series("next_date", next_dates, dtype=pl.Date),
        pl.Series("due_date", due_dates, dtype=pl.Date),
    )
