"""`PaneScreen`: what every pane shares — the status line, the footer and the worker-error rule.

Workers run with `exit_on_error=False`; when one fails its error is shown as a notification in
pt-BR instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from carteira_tui.config import Settings
from carteira_tui.errors import CarteiraError
from carteira_tui.tui.context import AppContext, app_context


class PaneScreen(Screen[None]):
    """A top-level pane (Clientes, Segmentos, Tarefas) switched with 1/2/3."""

    PANE_TITLE = ""

    @property
    def context(self) -> AppContext:
        """The app's database, settings and "me" (`tui.context`)."""
        return app_context(self)

    @property
    def db_path(self) -> Path:
        """The app's database."""
        return self.context.db_path

    @property
    def settings(self) -> Settings:
        """The settings in force."""
        return self.context.settings

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show a failed worker's error to the person: the product's own errors (`CarteiraError`)
        with their message and hint, anything else as "não foi possível concluir"."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and isinstance(error, CarteiraError):
            self.notify(error.describe(), title="Erro", severity="error", timeout=8)
        elif event.state is WorkerState.ERROR and error is not None:
            self.notify(
                f"Não foi possível concluir: {error}",
                title="Erro",
                severity="error",
                timeout=8,
            )
