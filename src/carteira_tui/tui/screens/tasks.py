"""The Tarefas pane (key 3): today's queue by urgency, then the overdue, then the upcoming.

Each row is an open task (`services.tasks.list_tasks`); `d` concludes it with an outcome (and the
cursor lands on the next task: the one-key path through the queue), `s` snoozes, `r` reassigns,
`x` cancels, `n` generates tasks from the action plans, enter opens the client's card. Filters
(`t` hoje, `a` atrasadas, `p` próximas, `T` todas, `m` minhas) reload the queue. Every read and
write runs in a thread worker that calls one service and posts a past-tense message.

The screen composes its widgets and keeps the keys, the filters and opening the client; the
queue's reading and order are `services.task_queue`; loading, the summary and detail lines and
acting are the shared base `TasksPane`, and the task keys are `TaskActions`
(`tui/widgets/tasks/`).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from carteira_tui.services.task_queue import (
    GROUP_OVERDUE,
    GROUP_TODAY,
    GROUP_UPCOMING,
    QUEUE_LIMIT,
    WHEN_LABELS,
    QueueFilter,
    fetch_queue,
    ordered_queue,
)
from carteira_tui.tui.messages import ClientOpenRequested
from carteira_tui.tui.widgets.status_line import StatusLine
from carteira_tui.tui.widgets.task_queue import TaskQueue
from carteira_tui.tui.widgets.tasks.columns import PRIORITY_LABELS, TASK_COLUMNS, format_urgency
from carteira_tui.tui.widgets.tasks.messages import QueueLoaded, QueueRejected, TaskActed
from carteira_tui.tui.widgets.tasks.pane import today
from carteira_tui.tui.widgets.tasks.task_actions import TaskActions
from carteira_tui.vocab import tasks as task_words

__all__ = [
    "GROUP_OVERDUE",
    "GROUP_TODAY",
    "GROUP_UPCOMING",
    "PRIORITY_LABELS",
    "QUEUE_LIMIT",
    "TASK_COLUMNS",
    "WHEN_LABELS",
    "QueueFilter",
    "QueueLoaded",
    "QueueRejected",
    "TaskActed",
    "TasksScreen",
    "fetch_queue",
    "format_urgency",
    "ordered_queue",
    "today",
]


class TasksScreen(TaskActions):
    """Today's queue by urgency: done, snooze, reassign, cancel, generate, open the client."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", "Concluir", id="tasks.done"),
        Binding("s", "snooze", "Adiar", id="tasks.snooze"),
        Binding("r", "reassign", "Reatribuir", id="tasks.reassign"),
        Binding("x", "cancel_task", "Cancelar", id="tasks.cancel"),
        Binding("n", "generate", "Gerar", id="tasks.generate"),
        Binding("t", "when('today')", "Hoje", show=False, id="tasks.today"),
        Binding("a", "when('overdue')", "Atrasadas", show=False, id="tasks.overdue"),
        Binding("p", "when('upcoming')", "Próximas", show=False, id="tasks.upcoming"),
        Binding("T", "when('')", "Todas", show=False, id="tasks.all"),
        Binding("m", "toggle_mine", "Minhas", show=False, id="tasks.mine"),
        Binding("ctrl+r", "reload", "Recarregar", show=False, id="tasks.reload"),
    ]

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static(self.queue_filter.describe(), id="tasks-filter", markup=False)
        yield TaskQueue(TASK_COLUMNS, id="tasks-table")
        yield Static("", id="tasks-detail", markup=False)
        yield Static(task_words.LOADING, id="tasks-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.queue.focus()
        self._load(self.queue_filter, None)

    @on(TaskQueue.RowHighlighted)
    def _highlighted(self) -> None:
        self._update_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Task keys apply only with a task under the cursor."""
        if action in {"done", "snooze", "reassign", "cancel_task"}:
            return self.is_mounted and self.queue.cursor_id is not None
        return True

    # -- filters ------------------------------------------------------------------------------

    def action_when(self, when: str) -> None:
        self._load(QueueFilter(when or None, self.queue_filter.mine), None)

    def action_toggle_mine(self) -> None:
        self._load(QueueFilter(self.queue_filter.when, not self.queue_filter.mine), None)

    # -- opening the client -------------------------------------------------------------------

    @on(TaskQueue.RowSelected)
    def _open_client(self, event: TaskQueue.RowSelected) -> None:
        task = self.current_task()
        if task is not None:
            self.post_message(ClientOpenRequested(int(task["client_id"]), None))
