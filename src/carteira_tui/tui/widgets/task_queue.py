"""`TaskQueue`: the Tarefas pane's table — a `FrameTable` of tasks with the pane's own keys.

It keeps FrameTable's painting and cursor but not its sort and mark keys, so `s` (adiar) and the
other task keys reach the Tarefas screen. Row ids are task ids.
"""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from textual.binding import Binding, BindingType

from carteira_tui.tui.widgets.frame_table import FrameTable


class TaskQueue(FrameTable, inherit_bindings=False):
    """The queue of open tasks, one row per task (`id` is the task id)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Descer", show=False, id="queue.down"),
        Binding("k,up", "cursor_up", "Subir", show=False, id="queue.up"),
        Binding("g,home", "first", "Início", show=False, id="queue.first"),
        Binding("G,end", "last", "Fim", show=False, id="queue.last"),
        Binding("ctrl+d,pagedown", "page_down", "Página abaixo", show=False, id="queue.pgdn"),
        Binding("ctrl+u,pageup", "page_up", "Página acima", show=False, id="queue.pgup"),
        Binding("enter", "select_row", "Abrir", id="queue.open"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_scroll_range = False
        """While set, rows taken off a queue longer than the view keep the scroll range, so the
        next row shows without a layout pass (Hoje closing a row); `settle_scroll_range` fits
        it once the queue is re-read."""

    def _fit_scroll_range(self, frame: pl.DataFrame) -> None:
        rows = frame.height + 1
        if self.keep_scroll_range and self.size.height < rows < self.virtual_size.height:
            return  # the scrollbar stays as it is (it neither appears nor goes): no layout
        super()._fit_scroll_range(frame)

    def settle_scroll_range(self) -> None:
        """Fit the scroll range to the rows shown, if a row taken off left it larger."""
        if self.virtual_size.height != self.frame.height + 1:
            super()._fit_scroll_range(self.frame)

    @property
    def next_id_after_cursor(self) -> int | None:
        """The task that takes the cursor's place once the cursor row leaves the queue."""
        ids = self.frame.get_column(self.id_column)
        if self.frame.height < 2 or not 0 <= self.cursor_row < self.frame.height:
            return None
        row = (
            self.cursor_row + 1 if self.cursor_row + 1 < self.frame.height else self.cursor_row - 1
        )
        return int(ids[row])
