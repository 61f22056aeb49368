"""The Clientes pane: the whole portfolio in a `FrameTable`, with search, filter and sort.

The screen composes its feature widgets (`QueryBar`, `FrameTable`, `ProgressLine`, the summary)
and keeps what shows the list: what a loaded portfolio and a computed view put on screen, the
summary, the sort notices and opening a client. Loading (`load_portfolio`, through
services.segmentation) and the view for the search, filter and sort (`ClientViewBuilder` of
services.views, in a thread worker) live on the shared base `ClientsPane`, which the feature
mixins in `tui/widgets/clients/` drive: marks and bulk actions (`BulkActions`), named views
(`SavedViews`), export and import (`FileTransfer`) and the `:` line (`CommandDispatch`). Other
panes drive it through `apply_view` / `set_filter`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import polars as pl
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from carteira_tui import vocab
from carteira_tui.config import Settings
from carteira_tui.services.segmentation import current_results
from carteira_tui.services.views import (
    SEARCH_KEY,
    client_list,
    normalize_text,
    search_clients,
    with_search_key,
)
from carteira_tui.services.views import sort_column_for as _sort_column_for
from carteira_tui.tui.context import today
from carteira_tui.tui.messages import (
    ClientOpenRequested,
    ClientsLoaded,
    ClientViewComputed,
    FilterRejected,
    Portfolio,
)
from carteira_tui.tui.widgets.clients.client_modal import ClientModal
from carteira_tui.tui.widgets.clients.columns import CLIENT_COLUMNS, COLUMN_LABELS, FIELD_LABELS
from carteira_tui.tui.widgets.clients.command_dispatch import CommandDispatch
from carteira_tui.tui.widgets.clients.messages import WorkProgressed
from carteira_tui.tui.widgets.clients.query_bar import QueryBar
from carteira_tui.tui.widgets.frame_table import FrameTable, format_int
from carteira_tui.tui.widgets.progress_line import ProgressLine
from carteira_tui.tui.widgets.status_line import StatusLine
from carteira_tui.tui.widgets.steady_footer import SteadyFooter
from carteira_tui.vocab import clients as client_words

FILTER_TEXT_OFFSET = 8
"""Cells between the message line's text start and the filter input's first character."""

__all__ = [
    "CLIENT_COLUMNS",
    "FIELD_LABELS",
    "SEARCH_KEY",
    "ClientModal",
    "ClientsScreen",
    "WorkProgressed",
    "load_portfolio",
    "normalize_text",
    "search_clients",
    "sort_column_for",
    "with_search_key",
]


def load_portfolio(db_path: Path, settings: Settings) -> Portfolio:
    """The last segmentation result as the pane's frame (runs in a thread worker). No result of
    this database kept (none yet, or another copy's) is never shown: the pane computes it first."""
    results = current_results(db_path, settings=settings)
    return Portfolio(client_list(results.frame), results.as_of, stale=results.stale)


def error_line(message: str, column: int | None) -> str:
    """The filter error under the filter bar: a caret under the bad character, then the text."""
    if column is None:
        return vocab.filter_error(message)
    caret = f"{' ' * (FILTER_TEXT_OFFSET + column - 1)}^"
    return f"{caret}\n{vocab.filter_error(message, column)}"


def sort_column_for(word: str, columns: Sequence[str]) -> str | None:
    """The frame column a person means by `word` (name, the table's header or an alias)."""
    return _sort_column_for(word, columns, COLUMN_LABELS)


class ClientsScreen(CommandDispatch):
    """Scroll, search, sort and filter the whole portfolio; enter opens a client."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Buscar", id="clients.search"),
        Binding("f", "filter", "Filtrar", id="clients.filter"),
        Binding("escape", "clear", "Limpar", show=False, id="clients.clear"),
        Binding("r", "reload", "Recarregar", show=False, id="clients.reload"),
        Binding("V", "mark_range", "Marcar intervalo", show=False, id="clients.mark_range"),
        Binding("b", "bulk", "Lote", id="clients.bulk"),
        Binding("colon", "command_line", "Comando", show=False, id="clients.command"),
        Binding("ctrl+s", "save_view", "Salvar visão", show=False, id="clients.save_view"),
        Binding("ctrl+o", "open_views", "Abrir visão", show=False, id="clients.views"),
        Binding("e", "export", "Exportar", show=False, id="clients.export"),
        Binding("i", "import_file", "Importar", show=False, id="clients.import"),
        Binding("R", "resegment", "Resegmentar", show=False, id="clients.resegment"),
    ]

    def __init__(self, loader: Callable[[], Portfolio]) -> None:
        super().__init__(loader)
        self._auto_refreshed = False

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield QueryBar(id="query-bar")
        yield FrameTable(CLIENT_COLUMNS, id="clients-table")
        yield ProgressLine(id="clients-progress")
        yield Static(vocab.LOADING_CLIENTS, id="clients-summary")
        yield SteadyFooter()  # not rebuilt as the pane is left for another

    def on_mount(self) -> None:
        self.table.focus()
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row actions (range mark, bulk, export) need rows on the table."""
        if action in {"mark_range", "bulk", "export"}:
            return self.table.row_count > 0
        return True

    # -- loading ------------------------------------------------------------------------------

    def on_clients_loaded(self, message: ClientsLoaded) -> None:
        self.portfolio = message.portfolio
        if message.portfolio.note:
            self.notify(message.portfolio.note, title=vocab.TITLE_CLIENTS)
        elif message.portfolio.stale and not self._auto_refreshed:
            # A write elsewhere (a merge in Limpeza, its undo, an import) left the result
            # behind: bring it up to date at the same data-base date, not today's, so a merge
            # neither moves the header's date nor recomputes every client for a new day.
            self._auto_refreshed = True
            if message.portfolio.as_of is not None:
                self.notify_if_shown(vocab.STALE_RECOMPUTING)
            self._resegment(message.portfolio.as_of or today())
        if not message.portfolio.stale:
            self._auto_refreshed = False  # the next write that leaves it behind refreshes again
        self.refresh_view()

    def action_resegment(self) -> None:
        self._resegment(today())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Hide the progress line when a worker fails; a busy database is said plainly here,
        anything else by `PaneScreen`'s handler (Textual calls it after this one)."""
        if event.state is not WorkerState.ERROR:
            return
        self._hide_progress()
        error = event.worker.error
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            self.notify(vocab.DATABASE_BUSY, title=vocab.TITLE_ERROR, severity="error", timeout=8)
            event.prevent_default()

    # -- search, filter and sort: the view ----------------------------------------------------

    def action_search(self) -> None:
        self.query_bar.open_search()

    def action_filter(self) -> None:
        self.query_bar.open_filter()

    @on(Input.Changed, "#search-input")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value

    @on(Input.Changed, "#filter-input")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    def watch_search_text(self) -> None:
        self.refresh_view()

    def watch_filter_text(self) -> None:
        self.filter_error = None
        self.refresh_view()

    @on(Input.Submitted)
    def _input_submitted(self) -> None:
        self.table.focus()

    def on_client_view_computed(self, message: ClientViewComputed) -> None:
        if (message.search, message.filter_text) != (self.search_text, self.filter_text):
            return
        self.filter_error = None
        self.table.empty_text = vocab.no_clients(message.search, message.filter_text)
        self.table.show(message.frame, keep_id=message.keep_id)
        self.search_note = message.note
        count_line = ""
        if message.filter_text.strip():
            count = format_int(message.frame.height)
            count_line = vocab.filter_count(count, bool(message.search.strip()))
        self.query_bar.message = (count_line, False)
        self._update_summary()

    def on_filter_rejected(self, message: FilterRejected) -> None:
        if message.filter_text != self.filter_text:
            return
        self.filter_error = message.message
        self.query_bar.message = (error_line(message.message, message.column), True)
        self._update_summary()

    @on(FrameTable.MarksChanged)
    def _update_summary(self) -> None:
        total = 0 if self.portfolio is None else self.portfolio.frame.height
        summary = client_words.shown_of(format_int(self.table.row_count), format_int(total))
        if self.portfolio is not None and self.portfolio.as_of is None:
            summary = vocab.COMPUTING_SEGMENTATION
        if self.search_text.strip():
            summary += f" · busca: {self.search_text.strip()}"
            if self.search_note:
                summary += f" ({self.search_note})"
        if self.filter_text.strip() and self.filter_error is None:
            summary += f" · filtro: {self.filter_text.strip()}"
        if self.table.marked:
            summary += f" · {format_int(len(self.table.marked))} marcados"
        self.query_one("#clients-summary", Static).update(summary)

    @on(FrameTable.SortChanged)
    def _sort_changed(self, event: FrameTable.SortChanged) -> None:
        if event.column is None:
            self.notify(vocab.NO_SORT, timeout=2)
        else:
            label = COLUMN_LABELS.get(event.column, event.column)
            self.notify(vocab.sorted_by(label, event.descending), timeout=2)

    # -- opening a client ---------------------------------------------------------------------

    @on(FrameTable.RowSelected)
    def _row_selected(self, event: FrameTable.RowSelected) -> None:
        self.post_message(ClientOpenRequested(event.id, self.client_row(event.id)))

    def client_row(self, client_id: int) -> dict[str, Any] | None:
        """Every field of client `client_id`, or None when it is not in the portfolio."""
        if self.portfolio is None:
            return None
        rows = self.portfolio.frame.filter(pl.col("id") == client_id).head(1)
        return rows.row(0, named=True) if rows.height else None
