"""The Tarefas pane (key 3): today's queue by urgency, then the overdue, then the upcoming.

Each row is an open task (`services.tasks.list_tasks`); `d` concludes it with an outcome (and the
cursor lands on the next task: the one-key path through the queue), `s` snoozes, `r` reassigns,
`x` cancels, `n` generates tasks from the action plans, enter opens the client's card. Filters
(`t` hoje, `a` atrasadas, `p` próximas, `T` todas, `m` minhas) reload the queue. Every read and
write runs in a thread worker that calls one service and posts a past-tense message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import polars as pl
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from carteira_tui.services import tasks as service
from carteira_tui.services.clients import list_owners
from carteira_tui.tui.messages import ClientOpenRequested
from carteira_tui.tui.screens import client_card
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.confirm_modal import ConfirmModal
from carteira_tui.tui.screens.outcome_modal import Outcome, OutcomeModal
from carteira_tui.tui.screens.when_modal import WhenModal
from carteira_tui.tui.widgets.frame_table import Column, format_date, format_int
from carteira_tui.tui.widgets.status_line import StatusLine
from carteira_tui.tui.widgets.task_queue import TaskQueue

GROUP_TODAY, GROUP_OVERDUE, GROUP_UPCOMING = 0, 1, 2

WHEN_LABELS: dict[str | None, str] = {
    None: "todas",
    "today": "hoje e atrasadas",
    "overdue": "atrasadas",
    "upcoming": "próximas",
}

PRIORITY_LABELS = {"H": "alta", "M": "média", "L": "baixa"}


def format_urgency(value: Any) -> str:
    """Urgency with one decimal and a decimal comma."""
    return "—" if value is None else f"{float(value):.1f}".replace(".", ",")


TASK_COLUMNS: list[Column] = [
    Column("when", "Quando", 10, priority=0),
    Column("priority", "P", 1, priority=3),
    Column("client_name", "Cliente", 18, priority=1, flex=True),
    Column("title", "Tarefa", 24, priority=2),
    Column("channel", "Canal", 8, priority=5),
    Column("owner", "Responsável", 14, priority=6),
    Column("urgency", "Urg.", 5, format_urgency, align_right=True, priority=4),
]


def today() -> date:
    """The queue's day (the card's clock, which tests fix)."""
    return client_card.today()


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
        whose = "minhas" if self.mine else "todos os responsáveis"
        return f"Fila: {WHEN_LABELS[self.when]} · {whose}"


# -- messages -----------------------------------------------------------------------------------


class QueueLoaded(Message, bubble=False):
    """The queue was read for `queue_filter`; `keep_id` is the task the cursor should land on."""

    def __init__(
        self,
        frame: pl.DataFrame,
        queue_filter: QueueFilter,
        day: date,
        keep_id: int | None,
        *,
        capped: bool = False,
    ) -> None:
        super().__init__()
        self.frame = frame
        self.queue_filter = queue_filter
        self.day = day
        self.keep_id = keep_id
        self.capped = capped


class QueueRejected(Message, bubble=False):
    """The queue could not be read for `queue_filter` (e.g. you are not an owner)."""

    def __init__(self, queue_filter: QueueFilter, reason: str) -> None:
        super().__init__()
        self.queue_filter = queue_filter
        self.reason = reason


class TaskActed(Message, bubble=False):
    """An action on a task finished; `summary` says what happened, `keep_id` where to go."""

    def __init__(self, summary: str, keep_id: int | None) -> None:
        super().__init__()
        self.summary = summary
        self.keep_id = keep_id


# -- the pane -----------------------------------------------------------------------------------


class TasksScreen(PaneScreen):
    """Today's queue by urgency: done, snooze, reassign, cancel, generate, open the client."""

    PANE_TITLE = "Tarefas"

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

    def __init__(self) -> None:
        super().__init__()
        self.queue_filter = QueueFilter()
        self.day = today()
        self.capped = False

    @property
    def queue(self) -> TaskQueue:
        """The pane's table."""
        return self.query_one("#tasks-table", TaskQueue)

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static(self.queue_filter.describe(), id="tasks-filter", markup=False)
        yield TaskQueue(TASK_COLUMNS, id="tasks-table")
        yield Static("", id="tasks-detail", markup=False)
        yield Static("Carregando tarefas…", id="tasks-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.queue.focus()
        self._load(self.queue_filter, None)

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
        self.notify(message.reason, title="Tarefas", severity="warning")

    def _update_summary(self) -> None:
        frame = self.queue.frame
        if frame.is_empty() or "group" not in frame.columns:
            text = "Nenhuma tarefa aberta nesta fila."
            if self.queue_filter == QueueFilter():
                text += " n gera as tarefas dos planos de ação."
        else:
            counts = frame.get_column("group").value_counts()
            by_group = dict(zip(counts["group"].to_list(), counts["count"].to_list(), strict=True))
            shown = format_int(frame.height) + (" mais urgentes" if self.capped else "")
            text = (
                f"{shown} tarefas · hoje {format_int(by_group.get(GROUP_TODAY, 0))} · "
                f"atrasadas {format_int(by_group.get(GROUP_OVERDUE, 0))} · "
                f"próximas {format_int(by_group.get(GROUP_UPCOMING, 0))} · "
                f"{self.day.strftime('%d/%m/%Y')}"
            )
        self.query_one("#tasks-summary", Static).update(text)

    def _update_detail(self) -> None:
        task = self.current_task()
        detail = self.query_one("#tasks-detail", Static)
        if task is None:
            detail.update("", layout=False)
            return
        priority = PRIORITY_LABELS.get(task["priority"], task["priority"])
        detail.update(
            f"{task['external_id']} {task['client_name']} · "
            f"{task['owner'] or 'sem responsável'}\n"
            f"{task['title']} · vence {format_date(task['due'])} · prioridade {priority} · "
            f"{task['channel'] or 'canal livre'}",
            layout=False,  # a fixed-height line: a cursor step repaints it, not the layout
        )

    @on(TaskQueue.RowHighlighted)
    def _highlighted(self) -> None:
        self._update_detail()

    def current_task(self) -> dict[str, Any] | None:
        """The row under the cursor, or None on an empty queue."""
        task_id = self.queue.cursor_id
        if task_id is None:
            return None
        rows = self.queue.frame.filter(pl.col("id") == task_id)
        return rows.row(0, named=True) if rows.height else None

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

    def action_reload(self) -> None:
        self._load(self.queue_filter, self.queue.cursor_id)

    # -- opening the client -------------------------------------------------------------------

    @on(TaskQueue.RowSelected)
    def _open_client(self, event: TaskQueue.RowSelected) -> None:
        task = self.current_task()
        if task is not None:
            self.post_message(ClientOpenRequested(int(task["client_id"]), None))

    # -- actions: modal → worker → service → TaskActed → reload ---------------------------------

    def action_done(self) -> None:
        task = self.current_task()
        if task is None:
            return
        title = f"Concluir: {task['title']} — {task['client_name']}"
        self.app.push_screen(
            OutcomeModal(title, self.day), lambda outcome: self._done(task, outcome)
        )

    def _done(self, task: dict[str, Any], outcome: Outcome | None) -> None:
        if outcome is None:
            return
        if outcome.outcome == "Não quer mais este canal" and task["channel"]:
            outcome = replace(outcome, outcome=f"Não quer mais {task['channel']}")
        summary = f"Concluída: {task['client_name']} ({outcome.outcome})"
        if outcome.follow_up is not None:
            summary += f"; retorno em {outcome.follow_up.strftime('%d/%m/%Y')}"
        self._act(
            lambda: service.complete_task(
                self.db_path,
                task_id=int(task["id"]),
                outcome=outcome.outcome,
                note=outcome.note,
                follow_up=outcome.follow_up,
                on=self.day,
                settings=self.settings,
            ),
            summary,
            self.queue.next_id_after_cursor,
        )

    def action_snooze(self) -> None:
        task = self.current_task()
        if task is None:
            return
        self.app.push_screen(
            WhenModal(f"Adiar até quando? {task['client_name']}", self.day, "amanhã"),
            lambda day: self._snooze(task, day),
        )

    def _snooze(self, task: dict[str, Any], day: date | None) -> None:
        if day is None:
            return
        self._act(
            lambda: service.snooze_task(
                self.db_path,
                task_id=int(task["id"]),
                until=day,
                as_of=self.day,
                settings=self.settings,
            ),
            f"Adiada: {task['client_name']}",
            self.queue.next_id_after_cursor,
        )

    def action_reassign(self) -> None:
        task = self.current_task()
        if task is not None:
            self._pick_owner(task)

    @work(thread=True, exclusive=True, group="tasks-owners", exit_on_error=False)
    def _pick_owner(self, task: dict[str, Any]) -> None:
        owners = list_owners(self.db_path)
        self.app.call_from_thread(self._show_owners, task, owners)

    def _show_owners(self, task: dict[str, Any], owners: list[str]) -> None:
        if not owners:
            self.notify("Nenhum responsável cadastrado.", severity="warning")
            return
        self.app.push_screen(
            ChoiceModal(
                f"Reatribuir a quem? {task['client_name']}",
                [(name, name) for name in owners],
                current=task["owner"],
            ),
            lambda owner: self._reassign(task, owner),
        )

    def _reassign(self, task: dict[str, Any], owner: str | None) -> None:
        if owner is None or owner == task["owner"]:
            return
        keep = self.queue.next_id_after_cursor if self.queue_filter.mine else int(task["id"])
        self._act(
            lambda: service.reassign_task(self.db_path, task_id=int(task["id"]), owner=owner),
            f"Reatribuída a {owner}: {task['client_name']}",
            keep,
        )

    def action_cancel_task(self) -> None:
        task = self.current_task()
        if task is None:
            return
        self.app.push_screen(
            ConfirmModal("Cancelar esta tarefa?", f"{task['title']} — {task['client_name']}"),
            lambda yes: self._cancel(task, yes),
        )

    def _cancel(self, task: dict[str, Any], yes: bool | None) -> None:
        if yes:
            self._act(
                lambda: service.cancel_task(self.db_path, task_id=int(task["id"]), on=self.day),
                f"Cancelada: {task['client_name']}",
                self.queue.next_id_after_cursor,
            )

    def action_generate(self) -> None:
        day = self.day.strftime("%d/%m/%Y")
        self.app.push_screen(
            ConfirmModal(
                f"Gerar as tarefas dos planos de ação para {day}?",
                "Nenhuma tarefa aberta é duplicada; clientes excluídos são pulados.",
            ),
            self._generate,
        )

    def _generate(self, yes: bool | None) -> None:
        if yes:
            self._run_generate()

    @work(thread=True, exclusive=True, group="tasks-act", exit_on_error=False)
    def _run_generate(self) -> None:
        done = service.generate_tasks(self.db_path, as_of=self.day, settings=self.settings)
        summary = f"{done.created} tarefas criadas"
        if done.stale_results:
            summary += " (segmentação desatualizada)"
        self.post_message(TaskActed(summary, self.queue.cursor_id))

    @work(thread=True, exclusive=True, group="tasks-act", exit_on_error=False)
    def _act(self, call: Callable[[], object], summary: str, keep_id: int | None) -> None:
        call()
        self.post_message(TaskActed(summary, keep_id))

    def on_task_acted(self, message: TaskActed) -> None:
        self.notify(message.summary, title="Tarefas", timeout=3)
        self._load(self.queue_filter, message.keep_id)
