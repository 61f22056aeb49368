"""The Hoje pane's messages: its workers' answers, handled on the screen."""

from __future__ import annotations

from datetime import date

import polars as pl
from textual.message import Message

from carteira_tui.tui.widgets.today.view import TodayView


class TodayLoaded(Message, bubble=False):
    """Today's rows were read for `view`; `keep_id` is the client the cursor should land on."""

    def __init__(
        self,
        rows: pl.DataFrame,
        view: TodayView,
        owner: str | None,
        day: date,
        keep_id: int | None,
        progress: str = "",
        token: str | None = None,
    ) -> None:
        super().__init__()
        self.progress = progress
        self.token = token
        """The database's change token before the read (`services.session.changed_since`)."""
        self.rows = rows
        self.view = view
        self.owner = owner
        self.day = day
        self.keep_id = keep_id


class TodayRejected(Message, bubble=False):
    """The queue could not be read for `view` (e.g. "me" is unknown)."""

    def __init__(self, view: TodayView, reason: str) -> None:
        super().__init__()
        self.view = view
        self.reason = reason


class ClientWorked(Message, bubble=False):
    """An action on a client's row finished; `summary` says what, `keep_id` where to go."""

    def __init__(self, summary: str, keep_id: int | None) -> None:
        super().__init__()
        self.summary = summary
        self.keep_id = keep_id
