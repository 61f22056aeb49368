"""`TodayPane`: what the Hoje pane's features share — the queue on screen and its view, the
pane's day, reading the queue in a worker (`services.today.today_queue`), the summary and detail
lines (with the choice bar when one is open), the client row under the cursor and asking one of
the pane's dialogs.

`TodayScreen` (screens/today.py) is this base plus `ContactActions` (contact_actions.py) and
`ChoiceBar` (choice_bar.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
from textual import work
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from carteira_tui.config import Settings
from carteira_tui.errors import CarteiraError
from carteira_tui.services import session
from carteira_tui.services import tasks as task_service
from carteira_tui.services.today import today_queue
from carteira_tui.tui.screens import client_card
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.widgets.task_queue import TaskQueue
from carteira_tui.tui.widgets.today.choices import bar_text, snooze_days
from carteira_tui.tui.widgets.today.messages import TodayLoaded, TodayRejected
from carteira_tui.tui.widgets.today.view import TodayView, channel_label, shown_rows
from carteira_tui.tui.widgets.today_detail import TodayDetail
from carteira_tui.vocab import today as words

Answer = TypeVar("Answer")


def today() -> date:
    """The pane's day: today in Brazil, the card's clock (which tests fix)."""
    return client_card.today()


class TodayPane(PaneScreen):
    """The Hoje pane's shared state, loading and lines."""

    PANE_TITLE = words.TITLE

    def __init__(self, *, mine: bool = True) -> None:
        super().__init__()
        self.view = TodayView(mine=mine)
        self._opening = mine
        self._requested = self.view
        """The first load asks for "me"; when "me" is unknown it falls back to everybody's."""
        self.day = today()
        self.owner: str | None = None
        self.progress = ""
        self.rows = pl.DataFrame()
        self._had_rows = False
        self._asking = False
        self._token: str | None = None
        self._bar: tuple[str, dict[str, Any]] | None = None
        """The open choice bar: "done" or "snooze", and the client row it acts on."""
        self._snooze_days: tuple[date, list[date]] | None = None
        """Snooze's one-key days, for the day they were worked out for."""

    @property
    def db_path(self) -> Path:
        """The app's database."""
        return Path(self.app.db_path)  # type: ignore[attr-defined]

    @property
    def settings(self) -> Settings:
        """The app's settings."""
        found = getattr(self.app, "settings", None)
        return found if isinstance(found, Settings) else Settings()

    @property
    def table(self) -> TaskQueue:
        """The pane's table (row ids are client ids)."""
        return self.query_one("#today-table", TaskQueue)

    def on_screen_resume(self) -> None:
        """Coming back (from a card, the task list) shows the queue as it is now; closing one of
        the pane's own dialogs does not re-read it (the action it starts re-reads after its
        write), so the next client shows at once."""
        if self._asking:
            self._asking = False
            return
        if self.is_mounted and not self._opening and not self._unchanged():
            self._load(self.view, self.table.cursor_id)

    def _unchanged(self) -> bool:
        """Whether the queue shown is still today's: the same day, and nobody (this app
        included) wrote to the database since it was read."""
        if self._token is None or today() != self.day:
            return False
        return self._change_token(self._token) == self._token

    def _change_token(self, since: str | None) -> str | None:
        """The database's change token now (`services.session.changed_since`); None when the
        file cannot be watched (not created yet): then every visit reads the queue."""
        try:
            change = session.changed_since(self.db_path, since)
        except CarteiraError:
            return None
        return None if change.changed else change.token

    def _ask(self, dialog: Screen[Answer], then: Callable[[Answer | None], None]) -> None:
        """Open one of the pane's dialogs; `then` gets its answer (None when cancelled)."""
        self._asking = True
        self.app.push_screen(dialog, then)

    # -- loading ------------------------------------------------------------------------------

    def _load(self, view: TodayView, keep_id: int | None) -> None:
        """Read the queue for `view` in a worker (the latest request wins)."""
        self._requested = view
        self._load_worker(view, keep_id)

    @work(thread=True, exclusive=True, group="today-load", exit_on_error=False)
    def _load_worker(self, view: TodayView, keep_id: int | None) -> None:
        day = today()
        token = self._change_token(None)
        try:
            try:
                queue = today_queue(
                    self.db_path,
                    as_of=day,
                    settings=self.settings,
                    mine=view.mine and view.owner is None,
                    owner=view.owner,
                )
            except task_service.TaskError:
                if not (self._opening and view.mine):
                    raise
                # "me" is unknown: open on everybody's queue (m says how to set "me"), in this
                # same worker: a second one would cancel this one while it posts its answer
                view = replace(view, mine=False)
                queue = today_queue(self.db_path, as_of=day, settings=self.settings, mine=False)
        except task_service.TaskError as error:
            self.post_message(TodayRejected(view, str(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(
                TodayLoaded(queue.rows, view, queue.owner, day, keep_id, queue.progress(), token)
            )

    def on_today_loaded(self, message: TodayLoaded) -> None:
        self._opening = False
        if (
            message.view == self.view
            and message.day == self.day
            and message.progress == self.progress
            and self.rows.height
            and message.rows.equals(self.rows)
        ):
            # a re-read that found what is shown (the app's change poll, coming back after
            # someone else's write elsewhere): nothing to repaint, the cursor stays
            self._token = message.token
            self.table.settle_scroll_range()  # after a row taken off (`_take_off`)
            return
        self.rows = message.rows
        self.owner = message.owner
        self.progress = message.progress
        self.day = message.day
        self._token = message.token
        self._show(message.view, message.keep_id)

    def _show(self, view: TodayView, keep_id: int | None) -> None:
        self.view = view
        # one-line bars of fixed height: no layout pass when their text changes
        self.query_one("#today-filter", Static).update(view.describe(self.owner), layout=False)
        frame = shown_rows(self.rows, view) if self.rows.height else pl.DataFrame()
        self.table.show(frame if frame.width else pl.DataFrame({"id": []}), keep_id=keep_id)
        summary = words.summary(frame.height, self.progress, self.day.strftime("%d/%m/%Y"))
        self.query_one("#today-summary", Static).update(summary, layout=False)
        self._update_detail()
        has_rows = self.table.cursor_id is not None
        if has_rows != self._had_rows:  # d/s/r apply only on a row: the footer is rebuilt
            self._had_rows = has_rows  # only when that changes, not on every reload
            self.refresh_bindings()

    def on_today_rejected(self, message: TodayRejected) -> None:
        self._opening = False
        if message.view != self._requested:
            return  # a late answer for a view already left
        self.notify(message.reason, title=words.TITLE, severity="warning", timeout=8)

    def current_row(self) -> dict[str, Any] | None:
        """The client row under the cursor, or None on an empty queue."""
        client_id = self.table.cursor_id
        if client_id is None or "id" not in self.table.frame.columns:
            return None
        rows = self.table.frame.filter(pl.col("id") == client_id)
        return rows.row(0, named=True) if rows.height else None

    def _update_detail(self) -> None:
        row = self.current_row()
        detail = self.query_one("#today-detail", TodayDetail)
        if row is None:
            self._bar = None
            detail.show("")
            return
        who = (
            f"{row['external_id']} {row['name']} · {channel_label(row['channel'])} · "
            f"{row['owner'] or words.NO_OWNER}"
        )
        if self._bar is not None and self._bar[1]["client_id"] == row["client_id"]:
            kind = self._bar[0]
            detail.show(f"{who}\n{bar_text(kind, row, self._days() if kind == 'snooze' else [])}")
            return
        self._bar = None  # the cursor left the row the bar was for: it closes
        tasks = "; ".join(
            words.task_due(task["title"], task["due"].strftime("%d/%m")) for task in row["tasks"]
        )
        # repaints only the cells that differ from the row before
        detail.show(f"{who}\n{row['why']}\n{tasks}")

    def _days(self) -> list[date]:
        """Snooze's one-key days as of the pane's day (worked out once a day)."""
        if self._snooze_days is None or self._snooze_days[0] != self.day:
            self._snooze_days = (self.day, snooze_days(self.day, self.settings))
        return self._snooze_days[1]
