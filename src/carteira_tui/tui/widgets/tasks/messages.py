"""The Tarefas pane's messages: its workers' answers, handled on the screen."""

from __future__ import annotations

from datetime import date

import polars as pl
from textual.message import Message

from carteira_tui.services.task_queue import QueueFilter


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
