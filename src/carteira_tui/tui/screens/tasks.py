"""The Tarefas pane (key 3): a placeholder until the task queue is built."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.widgets.status_line import StatusLine


class TasksScreen(PaneScreen):
    """Will show today's queue by urgency: done, snooze, reassign, log the call."""

    PANE_TITLE = "Tarefas"

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static(
            "Tarefas\n\n"
            "Aqui ficará a fila de tarefas do dia, da mais urgente para a menos urgente: "
            "concluir, adiar, reatribuir, registrar a ligação e abrir o cliente.",
            id="tasks-placeholder",
            classes="placeholder",
        )
        yield Footer()
