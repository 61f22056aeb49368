"""`TasksPane`: what the Tarefas pane's features share — the queue on screen and its filter,
the queue's day, reading the queue in a worker (`services.task_queue.fetch_queue`), the
summary and detail lines, the task under the cursor, and running one service call in a worker
then reloading the queue on the task the cursor should land on (`TaskActed`).

`TasksScreen` (screens/tasks.py) is this base plus `TaskActions` (task_actions.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
from rich.console import Group
from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import get_current_worker

from carteira_tui.model import channel_label
from carteira_tui.services import tasks as service
from carteira_tui.services.task_queue import (
    GROUP_OVERDUE,
    GROUP_TODAY,
    GROUP_UPCOMING,
    QueueFilter,
    fetch_queue,
)
from carteira_tui.tui.screens import client_card
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.widgets.frame_table import format_date, format_int
from carteira_tui.tui.widgets.task_queue import TaskQueue
from carteira_tui.tui.widgets.tasks.columns import PRIORITY_LABELS
from carteira_tui.tui.widgets.tasks.messages import QueueLoaded, QueueRejected, TaskActed
from carteira_tui.vocab import tasks as task_words


def today() -> date:
    """The queue's day (the card's clock, which tests fix)."""
    return client_card.today()


class TasksPane(PaneScreen):
    """The Tarefas pane's shared state, loading and acting."""

    PANE_TITLE = "Tarefas"

    def __init__(self) -> None:
        super().__init__()
        self.queue_filter = QueueFilter()
        self.day = today()
        self.capped = False

    @property
    def queue(self) -> TaskQueue:
        """The pane's table."""
        return self.query_one("#tasks-table", TaskQueue)

    def on_screen_resume(self) -> None:
        """Coming back (from a card, another pane) shows the queue as it is now."""
        if self.is_mounted and self.queue.row_count:
            self._load(self.queue_filter, self.queue.cursor_id)

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="tasks-load", exit_on_error=False)
    def _load(self, queue_filter: QueueFilter, keep_id: int | None) -> None:
        day = today()
        try:
            queue, capped = fetch_queue(self.db_path, queue_filter, day)
        except service.TaskError as error:
            self.post_message(QueueRejected(queue_filter, str(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(QueueLoaded(queue, queue_filter, day, keep_id, capped=capped))

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        self.queue_filter = message.queue_filter
        self.day = message.day
        self.query_one("#tasks-filter", Static).update(message.queue_filter.describe())
        self.queue.show(message.frame, keep_id=message.keep_id)
        self.capped = message.capped
        self._update_summary()
        self._update_detail()
        self.refresh_bindings()

    def on_queue_rejected(self, message: QueueRejected) -> None:
        self.notify(message.reason, title=task_words.TITLE, severity="warning")

    def _update_summary(self) -> None:
        frame = self.queue.frame
        if frame.is_empty() or "group" not in frame.columns:
            text = task_words.EMPTY
            if self.queue_filter == QueueFilter():
                text += task_words.EMPTY_GENERATE
        else:
            counts = frame.get_column("group").value_counts()
            by_group = dict(zip(counts["group"].to_list(), counts["count"].to_list(), strict=True))
            text = task_words.summary(
                format_int(frame.height),
                self.capped,
                format_int(by_group.get(GROUP_TODAY, 0)),
                format_int(by_group.get(GROUP_OVERDUE, 0)),
                format_int(by_group.get(GROUP_UPCOMING, 0)),
                self.day.strftime("%d/%m/%Y"),
            )
        self.query_one("#tasks-summary", Static).update(text)

    def _update_detail(self) -> None:
        task = self.current_task()
        detail = self.query_one("#tasks-detail", Static)
        if task is None:
            detail.update("", layout=False)
            return
        priority = PRIORITY_LABELS.get(task["priority"], task["priority"])
        facts = Text(
            f"{task['external_id']} {task['client_name']} · "
            f"{task['owner'] or 'sem responsável'} · vence {format_date(task['due'])} · "
            f"prioridade {priority} · {channel_label(task['channel']) or 'canal livre'}",
            no_wrap=True,
            overflow="ellipsis",
        )
        # The task's own words get the lines below, wrapped, never cut by the facts beside them.
        detail.update(
            Group(facts, Text(str(task["title"]))),
            layout=False,  # fixed-height lines: a cursor step repaints them, not the layout
        )

    def current_task(self) -> dict[str, Any] | None:
        """The row under the cursor, or None on an empty queue."""
        task_id = self.queue.cursor_id
        if task_id is None:
            return None
        rows = self.queue.frame.filter(pl.col("id") == task_id)
        return rows.row(0, named=True) if rows.height else None

    def action_reload(self) -> None:
        self._load(self.queue_filter, self.queue.cursor_id)

    @work(thread=True, exclusive=True, group="tasks-act", exit_on_error=False)
    def _act(self, call: Callable[[], object], summary: str, keep_id: int | None) -> None:
        call()
        self.post_message(TaskActed(summary, keep_id))

    def on_task_acted(self, message: TaskActed) -> None:
        self.notify(message.summary, title="Tarefas", timeout=3)
        self._load(self.queue_filter, message.keep_id)
