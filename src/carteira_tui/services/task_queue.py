"""The Tarefas pane's queue: which open tasks it reads (a due window, whose) and in what order —
due today first, then the overdue, then the upcoming, by urgency within each — at most
`QUEUE_LIMIT` per due window (`services.tasks.list_tasks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from carteira_tui.services import tasks as service
from carteira_tui.vocab import owners as words

GROUP_TODAY, GROUP_OVERDUE, GROUP_UPCOMING = 0, 1, 2

WHEN_LABELS: dict[str | None, str] = {
    None: words.WHEN_ALL,
    "today": words.WHEN_TODAY,
    "overdue": words.WHEN_OVERDUE,
    "upcoming": words.WHEN_UPCOMING,
}


def ordered_queue(queue: pl.DataFrame, day: date) -> pl.DataFrame:
    """Tasks due `day` first, then the overdue, then the upcoming; by urgency within each.

    Adds `group` (0 hoje, 1 atrasada, 2 próxima) and the `when` text shown in the table.
    """
    due = pl.col("due")
    late = pl.lit(day) - due
    group = (
        pl.when(due == day)
        .then(pl.lit(GROUP_TODAY))
        .when(due < day)
        .then(pl.lit(GROUP_OVERDUE))
        .otherwise(pl.lit(GROUP_UPCOMING))
    )
    when = (
        pl.when(due == day)
        .then(pl.lit("hoje"))
        .when(due < day)
        .then(pl.format("atraso {}d", late.dt.total_days()))
        .otherwise(due.dt.strftime("%d/%m/%Y"))
    )
    return queue.with_columns(group.alias("group"), when.alias("when")).sort(
        ["group", "urgency", "due", "id"], descending=[False, True, False, False]
    )


QUEUE_LIMIT = 5_000
"""Most urgent tasks read per due window: a person works the top of the queue, and reading a
1M-client portfolio's whole queue would take seconds (151.500 tasks: ~1 s)."""


def fetch_queue(
    db_path: Path, queue_filter: QueueFilter, day: date, *, limit: int = QUEUE_LIMIT
) -> tuple[pl.DataFrame, bool]:
    """The queue for `queue_filter` in pane order, at most `limit` tasks per due window.

    Without a window, due-by-today and upcoming are read separately so neither crowds the
    other out. The flag says whether a window was cut at `limit`.
    """
    windows = [queue_filter.when] if queue_filter.when else ["today", "upcoming"]
    parts = [
        service.list_tasks(db_path, as_of=day, when=when, mine=queue_filter.mine, limit=limit)
        for when in windows
    ]
    capped = any(part.height >= limit for part in parts)
    return ordered_queue(pl.concat(parts), day), capped


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: a due window (`when`) and whose tasks (`mine`)."""

    when: str | None = None
    mine: bool = False

    def describe(self) -> str:
        """`Fila: todas · minhas` in pt-BR."""
        whose = words.WHOSE_MINE if self.mine else words.WHOSE_ALL
        return words.queue(WHEN_LABELS[self.when], whose)
