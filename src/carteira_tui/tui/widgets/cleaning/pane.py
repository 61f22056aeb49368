"""`CleaningPane`: what the Limpeza pane's features share — the report on screen, the reference
date, the session's undo list, the progress line and the busy state (a write is running), and
what happens after a write (say it, reload these lists and the Clientes pane).

`CleaningScreen` (screens/cleaning.py) is this base plus `CleaningWrites` (writes.py), as the
Clientes pane is `ClientsPane` plus its feature mixins.
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.reactive import var
from textual.worker import Worker, WorkerState

from carteira_tui import vocab
from carteira_tui.services import cleaning as service
from carteira_tui.services.cleaning import CleaningReport
from carteira_tui.tui.screens import client_card
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.screens.clients import ClientsScreen
from carteira_tui.tui.widgets.cleaning.messages import (
    CleaningActed,
    CleaningProgressed,
    ReportLoaded,
    Undoable,
    session_undo,
)
from carteira_tui.tui.widgets.progress_line import ProgressLine
from carteira_tui.vocab import cleaning as cleaning_words


class CleaningPane(PaneScreen):
    """The Limpeza pane's shared state and its long-work plumbing."""

    PANE_TITLE = vocab.TITLE_CLEANING

    busy: var[bool] = var(False, init=False)
    """A write is running: the keys that write hide until it ends (`check_action`)."""

    def __init__(self, *, as_of: date | None = None) -> None:
        super().__init__()
        self._as_of = as_of
        self.report: CleaningReport | None = None

    @property
    def as_of(self) -> date:
        """The reference date for stale contacts: the last segmentation's, else today."""
        return self._as_of or self.context.as_of or client_card.today()

    @property
    def undo_list(self) -> list[Undoable]:
        """What this session can undo, newest last."""
        return session_undo(self.app)

    def watch_busy(self) -> None:
        self.refresh_bindings()

    # -- reading the report, with progress ----------------------------------------------------

    @work(thread=True, exclusive=True, group="cleaning-load", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(CleaningProgressed(cleaning_words.VALIDATING, 0.0))
        report = service.cleaning_report(
            self.db_path, as_of=self.as_of, settings=self.settings, on_progress=self._progress
        )
        self.post_message(ReportLoaded(report))

    def action_reload(self) -> None:
        self._load()

    def _progress(self, text: str, fraction: float) -> None:
        """A service's progress callback (called from a worker thread)."""
        self.post_message(CleaningProgressed(text, fraction))

    def on_cleaning_progressed(self, message: CleaningProgressed) -> None:
        self.query_one(ProgressLine).progress = (message.text, message.fraction)

    def _hide_progress(self) -> None:
        self.query_one(ProgressLine).progress = None

    # -- after a write ------------------------------------------------------------------------

    def _stop(self) -> None:
        self.busy = False
        self._hide_progress()

    def on_cleaning_acted(self, message: CleaningActed) -> None:
        self._stop()
        if message.done is not None:
            self.undo_list.append(message.done)
        if message.undone is not None and message.undone in self.undo_list:
            self.undo_list.remove(message.undone)
        self.notify(message.summary, title=vocab.TITLE_CLEANING, timeout=6)
        self._changed()

    def _changed(self) -> None:
        """After a write: reload these lists, and the Clientes pane (clients came or went)."""
        self._load()
        for screen in self.app.get_screen_stack("clientes"):
            if isinstance(screen, ClientsScreen):
                screen.action_reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read or write frees the keys again; `PaneScreen` then shows the error."""
        if event.state is WorkerState.ERROR:
            self._stop()
