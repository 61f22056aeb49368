"""The choices Hoje's one-digit bar lists: the contact's outcomes (`d`) and snooze's days
(`s`), worked out as the dialogs they stand for would."""

from __future__ import annotations

from datetime import date
from typing import Any

from carteira_tui.config import Settings
from carteira_tui.engine.calendar import holidays_around, roll_forward
from carteira_tui.services.clients import resolve_when
from carteira_tui.tui.screens.outcome_modal import OUTCOMES
from carteira_tui.tui.screens.when_modal import WEEKDAYS
from carteira_tui.tui.widgets.today.view import channel_label
from carteira_tui.vocab import tasks as task_words
from carteira_tui.vocab import today as words

SNOOZE_CHOICES = words.SNOOZE_CHOICES


def outcome_choices(channel: str | None) -> str:
    """The outcome bar's choices as two lines, the dialog's outcomes with its digits."""
    last = task_words.no_more(channel_label(channel)) if channel else OUTCOMES[-1]
    labels = [*OUTCOMES[:-1], last]
    numbered = [f"{n} {label}" for n, label in enumerate(labels, start=1)]
    return f"{' · '.join(numbered[:4])}\n{' · '.join(numbered[4:])}"


def snooze_days(day: date, settings: Settings) -> list[date]:
    """The days snooze's one-key choices store, as of `day`: `resolve_when`, rolled forward to a
    business day with the extra holidays as `services.tasks.snooze_tasks` does."""
    days = [resolve_when(text, today=day) for text, _label in SNOOZE_CHOICES]
    return [
        roll_forward(when, holidays_around(when, extra=settings.extra_holidays)) for when in days
    ]


def snooze_choices(days: list[date]) -> str:
    """The snooze bar's choices (`days`: `snooze_days`) as two lines: `1 amanhã, quarta
    25/11 · 2 …`."""
    numbered = [
        f"{n} {label}, {WEEKDAYS[when.weekday()]} {when.strftime('%d/%m')}"
        for n, ((_text, label), when) in enumerate(zip(SNOOZE_CHOICES, days, strict=True), start=1)
    ]
    return f"{' · '.join(numbered[:2])}\n{' · '.join(numbered[2:])}"


def bar_text(kind: str, row: dict[str, Any], days: list[date]) -> str:
    """The choice bar's three lines under the client's line ("done" or "snooze")."""
    if kind == "done":
        return f"{words.OUTCOME_BAR}\n{outcome_choices(row['channel'])}"
    return f"{words.SNOOZE_BAR}\n{snooze_choices(days)}"
