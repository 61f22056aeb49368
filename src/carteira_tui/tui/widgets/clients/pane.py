"""`ClientsPane`: what the Clientes pane's features share — the portfolio on screen, the table
and query bar, the progress line, and what happens after a write (notify, re-segment, reload).

`ClientsScreen` (screens/clients.py) is this base plus one mixin per feature (`BulkActions`,
`SavedViews`, `FileTransfer`, `CommandDispatch`), each in its own module beside this one. The
features reach the pane only through what is declared here, including the view they drive
(loading, search, filter and sort: `apply_view`, `set_filter`, `refresh_view`); Textual's examples
split a large screen the same way: one class per concern, composed by inheritance, the widgets
composed in `compose`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from textual import work
from textual.reactive import var
from textual.screen import ModalScreen
from textual.worker import get_current_worker

from carteira_tui import vocab
from carteira_tui.services.segmentation import resegment
from carteira_tui.services.views import ClientViewBuilder, FilterFailed, SavedView, ViewQuery
from carteira_tui.tui.context import today
from carteira_tui.tui.messages import ClientsLoaded, ClientViewComputed, FilterRejected, Portfolio
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.widgets.clients.messages import Resegmented, WorkProgressed, WriteFinished
from carteira_tui.tui.widgets.clients.query_bar import QueryBar
from carteira_tui.tui.widgets.frame_table import FrameTable
from carteira_tui.tui.widgets.progress_line import ProgressLine
from carteira_tui.vocab import merged_into


class ClientsPane(PaneScreen):
    """The Clientes pane's shared state and its long-work plumbing."""

    PANE_TITLE = vocab.TITLE_CLIENTS

    search_text: var[str] = var("", init=False)
    """The search line's text; its watcher (the screen's) recomputes the view."""
    filter_text: var[str] = var("", init=False)
    """The filter line's text; its watcher (the screen's) recomputes the view."""

    def __init__(self, loader: Callable[[], Portfolio]) -> None:
        super().__init__()
        self.loader = loader
        self.view_builder = ClientViewBuilder()
        self.portfolio: Portfolio | None = None
        self.filter_error: str | None = None
        self.search_note = ""
        """What the search found beside its text (a merged-away code's survivor), else empty."""

    @property
    def table(self) -> FrameTable:
        """The pane's table."""
        return self.query_one("#clients-table", FrameTable)

    @property
    def query_bar(self) -> QueryBar:
        """The search and filter lines."""
        return self.query_one(QueryBar)

    @property
    def as_of(self) -> date | None:
        """The data-base date of the portfolio on screen (None before the first result)."""
        return self.portfolio.as_of if self.portfolio is not None else None

    # -- long work: progress and re-segmentation ----------------------------------------------

    def _progress(self, text: str, fraction: float) -> None:
        """A service's progress callback (called from a worker thread)."""
        self.post_message(WorkProgressed(text, fraction))

    def on_work_progressed(self, message: WorkProgressed) -> None:
        self.query_one(ProgressLine).progress = (message.text, message.fraction)

    def _hide_progress(self) -> None:
        self.query_one(ProgressLine).progress = None

    @work(thread=True, exclusive=True, group="clients-resegment", exit_on_error=False)
    def _resegment(self, as_of: date) -> None:
        first = self.as_of is None
        text = vocab.SEGMENTATION_FIRST if first else vocab.SEGMENTATION_AGAIN
        self.post_message(WorkProgressed(text, 0.0))
        run = resegment(
            self.db_path, as_of=as_of, settings=self.settings, on_progress=self._progress
        )
        self.post_message(Resegmented(run.as_of, run.describe()))

    def on_resegmented(self, message: Resegmented) -> None:
        self._hide_progress()
        self.notify_if_shown(message.text)
        self.action_reload()

    def notify_if_shown(self, text: str) -> None:
        """Say `text` only while the pane is on screen (under a dialog at most): background work
        of a hidden pane (after a merge in Limpeza, in another mode) must not replace the
        notification of the screen the person is in."""
        stack = self.app.screen_stack
        if self in stack and all(
            isinstance(screen, ModalScreen) for screen in stack[stack.index(self) + 1 :]
        ):
            self.notify(text, title=vocab.TITLE_CLIENTS, timeout=3)

    def on_write_finished(self, message: WriteFinished) -> None:
        """A write is committed: say what it did, drop the marks it used, re-segment if it
        changed clients (at the same data-base date, so the header's date does not move)."""
        self.notify(message.summary, title=vocab.TITLE_CLIENTS, timeout=5)
        self._hide_progress()
        if message.clear_marks:
            self.clear_marks()
        if message.changed:
            self._resegment(self.as_of or today())

    # -- the view: loading, search, filter and sort (the features drive it) ----------------

    @work(thread=True, exclusive=True, group="clients-load", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(ClientsLoaded(self.loader()))

    def action_reload(self) -> None:
        """Read the portfolio again (in a worker)."""
        self._load()

    def action_clear(self) -> None:
        """Clear search and filter, hide both bars and go back to the table."""
        self.query_bar.clear()
        self.search_text = ""  # the watchers refresh the view when a text was set
        self.filter_text = ""
        self.table.focus()

    def current_view(self) -> SavedView:
        """What the pane shows now, as an unnamed view."""
        return SavedView(
            "",
            self.search_text.strip(),
            self.filter_text.strip() if self.filter_error is None else "",
            self.table.sort_column,
            self.table.sort_descending,
        )

    def apply_view(
        self,
        *,
        search: str = "",
        filter_text: str = "",
        sort_column: str | None = None,
        sort_descending: bool = False,
    ) -> None:
        """Show the portfolio with this search, filter and sort (saved views, other panes)."""
        columns = self.portfolio.frame.columns if self.portfolio is not None else []
        known = sort_column is None or not columns or sort_column in columns
        self.table.sort_column = sort_column if known else None
        self.table.sort_descending = sort_descending and self.table.sort_column is not None
        self.query_bar.show(search, filter_text)
        unchanged = (search, filter_text) == (self.search_text, self.filter_text)
        self.search_text, self.filter_text = search, filter_text  # the watchers refresh
        self.table.focus()
        if unchanged:
            self.refresh_view()

    def set_filter(self, filter_text: str) -> None:
        """Filter the pane with filter-language text, keeping the sort (e.g. from Segmentos)."""
        self.apply_view(
            filter_text=filter_text,
            sort_column=self.table.sort_column,
            sort_descending=self.table.sort_descending,
        )

    def refresh_view(self) -> None:
        """Recompute the list for the current search, filter and sort (in a worker)."""
        if self.portfolio is None:
            return
        query = ViewQuery(
            self.table.sort_column, self.table.sort_descending, self.filter_text, self.search_text
        )
        self._compute_view(self.portfolio, query, self.table.cursor_id)

    @work(thread=True, exclusive=True, group="clients-view", exit_on_error=False)
    def _compute_view(self, portfolio: Portfolio, query: ViewQuery, keep_id: int | None) -> None:
        worker = get_current_worker()
        as_of = portfolio.as_of or today()
        note = ""
        try:
            frame = self.view_builder.build(portfolio.frame, query, as_of=as_of)
            survivor = None
            if frame.is_empty() and query.search.strip():
                from carteira_tui.services.clients import survivor_code  # only for a miss

                survivor = survivor_code(self.db_path, query.search)
            if survivor is not None:  # a merged-away code: its client lives on in the survivor
                frame = self.view_builder.build(
                    portfolio.frame, replace(query, search=survivor), as_of=as_of
                )
                note = merged_into(query.search.strip(), survivor)
        except FilterFailed as failure:
            self.post_message(FilterRejected(query.filter_text, failure.message, failure.column))
            return
        if not worker.is_cancelled:
            self.post_message(
                ClientViewComputed(
                    frame,
                    search=query.search,
                    filter_text=query.filter_text,
                    keep_id=keep_id,
                    note=note,
                )
            )

    def clear_marks(self) -> None:
        """Forget the marked rows (`BulkActions` overrides it)."""
