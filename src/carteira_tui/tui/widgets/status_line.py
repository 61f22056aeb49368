"""`StatusLine`: the top line of every pane — database name, as-of date, number of clients.

It watches the app's `db_name`, `as_of` and `client_count` reactives, so a pane never has to
push these values itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.widgets import Static

from carteira_tui.tui.widgets.frame_table import format_int
from carteira_tui.vocab import clients as client_words


def status_text(pane: str, db_name: str, as_of: date | None, client_count: int | None) -> str:
    """The status line's text, in pt-BR."""
    as_of_text = as_of.strftime("%d/%m/%Y") if as_of else "—"
    count_text = "…" if client_count is None else format_int(client_count)
    return client_words.status_line(pane, db_name, as_of_text, count_text)


class StatusLine(Static):
    """One line at the top of a pane."""

    def __init__(self, pane: str, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.pane = pane

    def on_mount(self) -> None:
        for name in ("db_name", "as_of", "client_count"):
            self.watch(self.app, name, self._changed, init=False)
        self._changed()

    def _changed(self, _value: object = None) -> None:
        app: Any = self.app
        self.update(
            status_text(
                self.pane,
                getattr(app, "db_name", ""),
                getattr(app, "as_of", None),
                getattr(app, "client_count", None),
            )
        )
