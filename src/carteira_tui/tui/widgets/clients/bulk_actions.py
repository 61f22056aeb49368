"""`BulkActions`: the Clientes pane's marks and bulk actions — `v` marks a row (the table's own
key), `V` marks the range from the last mark to the cursor, `b` runs one action of
services.bulk on the marked rows (or the cursor's row) after `BulkModal` asks which.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work

from carteira_tui import vocab
from carteira_tui.services.bulk import run_bulk_action
from carteira_tui.tui.context import today
from carteira_tui.tui.messages import Portfolio
from carteira_tui.tui.screens.bulk_modal import BulkModal, BulkRequest
from carteira_tui.tui.widgets.clients.messages import WriteFinished
from carteira_tui.tui.widgets.clients.pane import ClientsPane
from carteira_tui.tui.widgets.frame_table import FrameTable


class BulkActions(ClientsPane):
    """Marks and bulk actions (mixed into `ClientsScreen`)."""

    def __init__(self, loader: Callable[[], Portfolio]) -> None:
        super().__init__(loader)
        self._last_mark: int | None = None
        self._marks_seen: set[int] = set()

    @on(FrameTable.MarksChanged)
    def _remember_mark(self) -> None:
        self._sync_marks()

    def _sync_marks(self) -> None:
        """Remember the row `v` marked last: the one new in the table's marks since last time.

        Diffing the set (not reading the cursor) stays right when keys outrun the messages.
        """
        added = self.table.marked - self._marks_seen
        if added:
            self._last_mark = max(added) if len(added) > 1 else next(iter(added))
        self._marks_seen = set(self.table.marked)

    def action_mark_range(self) -> None:
        """Mark every row from the last marked one to the cursor (both included)."""
        table = self.table
        cursor = table.cursor_id
        if cursor is None:
            return
        self._sync_marks()
        ids = table.frame.get_column(table.id_column)
        start = None if self._last_mark is None else ids.index_of(self._last_mark)
        if start is None:
            table.marked.add(cursor)
            self.notify(vocab.MARK_RANGE_HINT, timeout=3)
        else:
            low, high = sorted((int(start), table.cursor_row))
            table.marked.update(ids.slice(low, high - low + 1).to_list())
        self._last_mark = cursor
        self._marks_seen = set(table.marked)
        table.refresh()
        table.post_message(FrameTable.MarksChanged(table, len(table.marked)))

    def clear_marks(self) -> None:
        if not self.table.marked:
            return
        self.table.marked.clear()
        self._last_mark = None
        self._marks_seen = set()
        self.table.refresh()
        self.table.post_message(FrameTable.MarksChanged(self.table, 0))

    def selected_ids(self) -> list[int]:
        """The marked clients, or the cursor's when none is marked."""
        if self.table.marked:
            return sorted(self.table.marked)
        cursor = self.table.cursor_id
        return [] if cursor is None else [cursor]

    def action_bulk(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        self.app.push_screen(
            BulkModal(len(ids), today=today()),
            lambda request: self._bulk_chosen(request, ids),
        )

    def _bulk_chosen(self, request: BulkRequest | None, ids: list[int]) -> None:
        if request is not None:
            self._run_bulk(request, ids)

    @work(thread=True, exclusive=True, group="clients-write", exit_on_error=False)
    def _run_bulk(self, request: BulkRequest, ids: list[int]) -> None:
        # A refused action (BulkError) is shown by the pane's base with its message and hint.
        result = run_bulk_action(
            self.db_path,
            action=request.action,
            value=request.value,
            due=request.due,
            client_ids=ids,
            today=today(),
            settings=self.settings,
            on_progress=self._progress,
        )
        self.post_message(
            WriteFinished(result.summary, changed=result.changed > 0, clear_marks=True)
        )
