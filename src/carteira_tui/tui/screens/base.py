"""`PaneScreen`: what every pane shares — the app's context, and the one place a worker's error
becomes a notification.

Workers run with `exit_on_error=False`; when one fails, the product's own errors
(`CarteiraError`) show their message and hint, and anything else — a crash — shows a short
pt-BR line naming the pane while its traceback goes to the private crash log (`crash_log`),
as the CLI's root group does for commands.
"""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from carteira_tui import vocab
from carteira_tui.config import Settings
from carteira_tui.crash_log import report_pane_crash
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
        """Show a failed worker's error to the person: a `CarteiraError` with its message and
        hint; anything else as "erro inesperado", its traceback written to the crash log."""
        error = event.worker.error
        if event.state is not WorkerState.ERROR or error is None:
            return
        if isinstance(error, CarteiraError):
            text = error.describe()
        else:
            text = report_pane_crash(error, self.PANE_TITLE or type(self).__name__)
        self.notify(text, title=vocab.TITLE_ERROR, severity="error", timeout=8)
