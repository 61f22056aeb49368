"""Messages the TUI's screens and workers post: past-tense facts, posted from thread workers.

`ClientsLoaded` bubbles from the Clientes screen to the app (which shows the counts in every
pane's status line); the others stay on the screen that owns the worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from textual.message import Message


@dataclass(frozen=True)
class Portfolio:
    """What the Clientes pane shows: one row per client, with its precomputed search key."""

    frame: pl.DataFrame
    as_of: date | None
    stale: bool = False
    note: str | None = None
    """A pt-BR remark for the person (e.g. no segmentation has run yet)."""


class ClientsLoaded(Message):
    """The portfolio frame is in memory and ready to show."""

    def __init__(self, portfolio: Portfolio) -> None:
        super().__init__()
        self.portfolio = portfolio


class ClientViewComputed(Message, bubble=False):
    """The filtered and sorted view for the current search and filter text is ready."""

    def __init__(
        self,
        frame: pl.DataFrame,
        *,
        search: str,
        filter_text: str,
        keep_id: int | None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.frame = frame
        self.search = search
        self.filter_text = filter_text
        self.keep_id = keep_id
        self.note = note
        """Said under the search (a merged-away code found its survivor), else empty."""


class FilterRejected(Message, bubble=False):
    """The filter text does not compile; `column` is the 1-based character at fault, if known."""

    def __init__(self, filter_text: str, message: str, column: int | None) -> None:
        super().__init__()
        self.filter_text = filter_text
        self.message = message
        self.column = column


class ClientOpenRequested(Message):
    """The person asked to open client `client_id` (enter on the table); `row` is its data."""

    def __init__(self, client_id: int, row: dict[str, Any] | None) -> None:
        super().__init__()
        self.client_id = client_id
        self.row = row


class DataChanged(Message):
    """Another connection committed to the database since the app last looked."""
