"""The Clientes pane: the whole portfolio in a `FrameTable`, with search, filter and sort.

The screen receives its data through a loader callable (by default `load_portfolio`, which reads
the last segmentation result through `services.segmentation.current_results`); loading, search and
filtering run in thread workers that post messages, so the UI never waits on Polars or SQLite.

Round 2 adds what acts on the rows: `v`/`V` mark rows and `b` runs a bulk action on them
(services.bulk), `ctrl+s`/`ctrl+o` save and open views (services.views), `e` exports the view
(services.export), `i` imports a file (services.imports), `:` is the command line. After every
write the screen re-segments in a worker (with a progress line) and reloads, keeping the cursor.
Other panes drive it through `apply_view` / `set_filter`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import polars as pl
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from carteira_tui.config import Settings
from carteira_tui.engine.filters import FilterError, compile_filter
from carteira_tui.services import bulk, views
from carteira_tui.services.bulk import BulkError, BulkResult
from carteira_tui.services.export import ExportError, export_clients
from carteira_tui.services.imports import ImportFailed, import_and_segment
from carteira_tui.services.segmentation import current_results, resegment
from carteira_tui.services.views import (
    SEARCH_KEY,
    SavedView,
    ViewError,
    client_list,
    normalize_text,
    search_clients,
    search_needle,
    with_search_key,
)
from carteira_tui.services.views import sort_column_for as _sort_column_for
from carteira_tui.tui.messages import (
    ClientOpenRequested,
    ClientsLoaded,
    ClientViewComputed,
    FilterRejected,
    Portfolio,
)
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.screens.bulk_modal import BulkModal, BulkRequest
from carteira_tui.tui.screens.command_line import (
    Command,
    CommandError,
    CommandLineModal,
    parse_command,
)
from carteira_tui.tui.screens.export_modal import ExportModal
from carteira_tui.tui.screens.import_modal import (
    KIND_LABELS,
    ImportErrorsModal,
    ImportModal,
    ImportRequest,
)
from carteira_tui.tui.screens.views_modal import (
    SaveViewModal,
    ViewChoice,
    ViewsModal,
    describe_view,
)
from carteira_tui.tui.widgets.clients.client_modal import ClientModal
from carteira_tui.tui.widgets.clients.columns import CLIENT_COLUMNS, COLUMN_LABELS, FIELD_LABELS
from carteira_tui.tui.widgets.clients.messages import (
    ExportFinished,
    ImportRejected,
    Resegmented,
    ViewOpened,
    ViewsListed,
    WorkFailed,
    WorkProgressed,
    WriteFinished,
)
from carteira_tui.tui.widgets.clients.progress_line import ProgressLine
from carteira_tui.tui.widgets.clients.query_bar import QueryBar
from carteira_tui.tui.widgets.frame_table import (
    FrameTable,
    format_int,
)
from carteira_tui.tui.widgets.status_line import StatusLine

FILTER_TEXT_OFFSET = 8
"""Cells between the message line's text start and the filter input's first character."""

# -- data: pure Polars helpers, called from thread workers --------------------------------------


def empty_reason(search: str, filter_text: str) -> str:
    """Why the list is empty, and the key that widens it again."""
    search, filter_text = search.strip(), filter_text.strip()
    if search and filter_text:
        return f"nenhum cliente com '{search}' neste filtro — esc limpa a busca"
    if search:
        return f"nenhum cliente com '{search}' — esc limpa a busca"
    if filter_text:
        return f"nenhum cliente atende ao filtro '{filter_text}' — esc limpa o filtro"
    return "nenhum cliente na carteira — i importa um arquivo de clientes"


class FilterFailed(Exception):
    """The filter text cannot be applied; `message` (pt-BR) and the 1-based text `column`."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


def apply_filter(frame: pl.DataFrame, filter_text: str, portfolio: Portfolio) -> pl.DataFrame:
    """The rows of `frame` the filter-language text keeps (all rows for empty text)."""
    if not filter_text.strip():
        return frame
    try:
        expression = compile_filter(
            filter_text,
            as_of=portfolio.as_of or date.today(),
            schema=dict(portfolio.frame.schema),
        )
        return frame.filter(expression)
    except FilterError as error:
        raise FilterFailed(error.message, error.column) from error
    except pl.exceptions.PolarsError as error:
        raise FilterFailed(str(error).splitlines()[0]) from error


def load_portfolio(db_path: Path, settings: Settings) -> Portfolio:
    """The last segmentation result as the pane's frame (runs in a thread worker)."""
    results = current_results(db_path, settings=settings)
    # No result of this database kept (none yet, or another copy's): never shown, the pane
    # computes it first (stale, no as-of) with progress.
    note = None
    return Portfolio(client_list(results.frame), results.as_of, stale=results.stale, note=note)


def error_line(message: str, column: int | None) -> str:
    """The filter error under the filter bar: a caret under the bad character, then the text."""
    if column is None:
        return f"Erro no filtro: {message}"
    caret = f"{' ' * (FILTER_TEXT_OFFSET + column - 1)}^"
    return f"{caret}\nErro no filtro, coluna {column}: {message}"


def sort_column_for(word: str, columns: Sequence[str]) -> str | None:
    """The frame column a person means by `word` (name, the table's header or an alias)."""
    return _sort_column_for(word, columns, COLUMN_LABELS)


__all__ = [
    "CLIENT_COLUMNS",
    "FIELD_LABELS",
    "SEARCH_KEY",
    "ClientModal",
    "WorkProgressed",
    "normalize_text",
    "search_clients",
    "with_search_key",
]


class ClientsScreen(PaneScreen):
    """Scroll, search, sort and filter the whole portfolio; enter opens a client."""

    PANE_TITLE = "Clientes"

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
        super().__init__()
        self.loader = loader
        self.portfolio: Portfolio | None = None
        self.search_text = ""
        self.filter_text = ""
        self.filter_error: str | None = None
        self._sorted_base: tuple[object, pl.DataFrame] | None = None
        self._filtered: tuple[object, pl.DataFrame] | None = None
        self._searched: tuple[object, str, pl.DataFrame] | None = None
        self._last_mark: int | None = None
        self._marks_seen: set[int] = set()
        self._auto_refreshed = False
        self._write_as_of: date | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield QueryBar(id="query-bar")
        yield FrameTable(CLIENT_COLUMNS, id="clients-table")
        yield ProgressLine(id="clients-progress")
        yield Static("Carregando clientes…", id="clients-summary")
        yield Footer()

    @property
    def table(self) -> FrameTable:
        """The pane's table."""
        return self.query_one("#clients-table", FrameTable)

    def on_mount(self) -> None:
        self.table.focus()
        self._load()

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="clients-load", exit_on_error=False)
    def _load(self) -> None:
        portfolio = self.loader()
        self.post_message(ClientsLoaded(portfolio))

    def on_clients_loaded(self, message: ClientsLoaded) -> None:
        self.portfolio = message.portfolio
        if message.portfolio.note:
            self.notify(message.portfolio.note, title="Clientes")
        elif message.portfolio.stale and not self._auto_refreshed:
            # A write elsewhere (a merge in Limpeza, its undo, an import) left the result
            # behind: bring it up to date at the same data-base date, not today's, so a merge
            # neither moves the header's date nor recomputes every client for a new day.
            self._auto_refreshed = True
            if message.portfolio.as_of is not None:
                self.notify(
                    "Resultado desatualizado: recalculando em segundo plano…", title="Clientes"
                )
            self._resegment(message.portfolio.as_of or date.today())
        if not message.portfolio.stale:
            self._auto_refreshed = False  # the next write that leaves it behind refreshes again
        self._refresh_view()

    def action_reload(self) -> None:
        self._load()

    # -- search and filter --------------------------------------------------------------------

    @property
    def query_bar(self) -> QueryBar:
        """The search and filter lines."""
        return self.query_one(QueryBar)

    def action_search(self) -> None:
        self.query_bar.open_search()

    def action_filter(self) -> None:
        self.query_bar.open_filter()

    def action_clear(self) -> None:
        """Clear search and filter, hide both bars and go back to the table."""
        changed = bool(self.search_text or self.filter_text)
        self.query_bar.clear()
        self.search_text = ""
        self.filter_text = ""
        self.filter_error = None
        self.table.focus()
        if changed:
            self._refresh_view()

    @on(Input.Changed, "#search-input")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value != self.search_text:
            self.search_text = event.value
            self._refresh_view()

    @on(Input.Changed, "#filter-input")
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.value != self.filter_text:
            self.filter_text = event.value
            self._refresh_view()

    @on(Input.Submitted)
    def _input_submitted(self) -> None:
        self.table.focus()

    def _refresh_view(self) -> None:
        if self.portfolio is None:
            return
        self._compute_view(self.portfolio, self.search_text, self.filter_text, self.table.cursor_id)

    @work(thread=True, exclusive=True, group="clients-view", exit_on_error=False)
    def _compute_view(
        self, portfolio: Portfolio, search: str, filter_text: str, keep_id: int | None
    ) -> None:
        worker = get_current_worker()
        try:
            frame = self._view(portfolio, search, filter_text)
        except FilterFailed as failure:
            self.post_message(FilterRejected(filter_text, failure.message, failure.column))
            return
        if not worker.is_cancelled:
            self.post_message(
                ClientViewComputed(frame, search=search, filter_text=filter_text, keep_id=keep_id)
            )

    def _view(self, portfolio: Portfolio, search: str, filter_text: str) -> pl.DataFrame:
        """Sorted base -> filter -> search, each step cached so typing only redoes the last.

        Filtering keeps row order, so the base is sorted once per sort order and never again;
        a query that extends the previous one searches the previous result only.
        """
        sort_key = (id(portfolio.frame), self.table.sort_column, self.table.sort_descending)
        cached_sort = self._sorted_base
        if cached_sort is None or cached_sort[0] != sort_key:
            cached_sort = (sort_key, self.table.sorted_view(portfolio.frame))
            self._sorted_base = cached_sort
        filter_key = (sort_key, filter_text.strip())
        cached_filter = self._filtered
        if cached_filter is None or cached_filter[0] != filter_key:
            cached_filter = (filter_key, apply_filter(cached_sort[1], filter_text, portfolio))
            self._filtered = cached_filter
        needle = search_needle(search)
        previous = self._searched
        source = cached_filter[1]
        if previous is not None and previous[0] == filter_key and previous[1] in needle:
            source = previous[2]
        result = search_clients(source, search)
        self._searched = (filter_key, needle, result)
        return result

    def on_client_view_computed(self, message: ClientViewComputed) -> None:
        if (message.search, message.filter_text) != (self.search_text, self.filter_text):
            return
        self.filter_error = None
        self.table.empty_text = empty_reason(message.search, message.filter_text)
        self.table.show(message.frame, keep_id=message.keep_id)
        if message.filter_text.strip():
            count = format_int(message.frame.height)
            scope = "à busca e ao filtro" if message.search.strip() else "ao filtro"
            self._show_filter_message(f"{count} clientes atendem {scope}", False)
        else:
            self._show_filter_message("", False)
        self._update_summary()

    def _update_summary(self) -> None:
        total = 0 if self.portfolio is None else self.portfolio.frame.height
        summary = f"{format_int(self.table.row_count)} de {format_int(total)} clientes"
        if self.portfolio is not None and self.portfolio.as_of is None:
            summary = "calculando a segmentação…"
        if self.search_text.strip():
            summary += f" · busca: {self.search_text.strip()}"
        if self.filter_text.strip() and self.filter_error is None:
            summary += f" · filtro: {self.filter_text.strip()}"
        if self.table.marked:
            summary += f" · {format_int(len(self.table.marked))} marcados"
        self.query_one("#clients-summary", Static).update(summary)

    @on(FrameTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._update_summary()

    def on_filter_rejected(self, message: FilterRejected) -> None:
        if message.filter_text != self.filter_text:
            return
        self.filter_error = message.message
        self._show_filter_message(error_line(message.message, message.column), True)
        self._update_summary()

    def _show_filter_message(self, text: str, is_error: bool) -> None:
        self.query_bar.show_message(text, is_error)

    # -- opening a client ---------------------------------------------------------------------

    @on(FrameTable.RowSelected)
    def _row_selected(self, event: FrameTable.RowSelected) -> None:
        self.post_message(ClientOpenRequested(event.id, self.client_row(event.id)))

    @on(FrameTable.SortChanged)
    def _sort_changed(self, event: FrameTable.SortChanged) -> None:
        if event.column is None:
            self.notify("Sem ordenação", timeout=2)
        else:
            label = next((c.label for c in CLIENT_COLUMNS if c.key == event.column), event.column)
            direction = "decrescente" if event.descending else "crescente"
            self.notify(f"Ordenado por {label} ({direction})", timeout=2)

    def client_row(self, client_id: int) -> dict[str, Any] | None:
        """Every field of client `client_id`, or None when it is not in the portfolio."""
        if self.portfolio is None:
            return None
        rows = self.portfolio.frame.filter(pl.col("id") == client_id).head(1)
        return rows.row(0, named=True) if rows.height else None

    # -- marks and bulk actions ---------------------------------------------------------------

    @on(FrameTable.MarksChanged)
    def _remember_mark(self, event: FrameTable.MarksChanged) -> None:
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
            self.notify("Marque o início com v e o fim com V.", timeout=3)
        else:
            low, high = sorted((int(start), table.cursor_row))
            table.marked.update(ids.slice(low, high - low + 1).to_list())
        self._last_mark = cursor
        self._marks_seen = set(table.marked)
        table.refresh()
        table.post_message(FrameTable.MarksChanged(table, len(table.marked)))

    def selected_ids(self) -> list[int]:
        """The marked clients, or the cursor's when none is marked."""
        if self.table.marked:
            return sorted(self.table.marked)
        cursor = self.table.cursor_id
        return [] if cursor is None else [cursor]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row actions (range mark, bulk, export) need rows on the table."""
        if action in {"mark_range", "bulk", "export"}:
            return self.table.row_count > 0
        return True

    def action_bulk(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        self.app.push_screen(
            BulkModal(len(ids), today=date.today()),
            lambda request: self._bulk_chosen(request, ids),
        )

    def _bulk_chosen(self, request: BulkRequest | None, ids: list[int]) -> None:
        if request is not None:
            self._run_bulk(request, ids)

    @work(thread=True, exclusive=True, group="clients-write", exit_on_error=False)
    def _run_bulk(self, request: BulkRequest, ids: list[int]) -> None:
        db_path, settings = self._database()
        try:
            result = run_bulk(db_path, settings, request, ids, on_progress=self._progress)
        except BulkError as error:
            self.post_message(WorkFailed(str(error)))
            return
        self.post_message(
            WriteFinished(result.summary, changed=result.changed > 0, clear_marks=True)
        )

    def on_write_finished(self, message: WriteFinished) -> None:
        self.notify(message.summary, title="Clientes", timeout=5)
        self._hide_progress()
        if message.clear_marks and self.table.marked:
            self.table.marked.clear()
            self._last_mark = None
            self._marks_seen = set()
            self.table.refresh()
            self._update_summary()
        if message.changed:
            as_of = self.portfolio.as_of if self.portfolio is not None else None
            self._resegment(as_of or date.today())

    def on_work_failed(self, message: WorkFailed) -> None:
        self._hide_progress()
        self.notify(message.message, title="Erro", severity="error", timeout=8)

    # -- re-segmentation in the background ----------------------------------------------------

    def action_resegment(self) -> None:
        self._resegment(date.today())

    @work(thread=True, exclusive=True, group="clients-resegment", exit_on_error=False)
    def _resegment(self, as_of: date) -> None:
        db_path, settings = self._database()
        first = self.portfolio is None or self.portfolio.as_of is None
        text = "Calculando a segmentação…" if first else "Recalculando a segmentação…"
        self.post_message(WorkProgressed(text, 0.0))
        run = resegment(db_path, as_of=as_of, settings=settings, on_progress=self._progress)
        self.post_message(Resegmented(run.as_of, run.describe()))

    def _progress(self, text: str, fraction: float) -> None:
        self.post_message(WorkProgressed(text, fraction))

    def on_work_progressed(self, message: WorkProgressed) -> None:
        self.query_one(ProgressLine).progress = (message.text, message.fraction)

    def _hide_progress(self) -> None:
        self.query_one(ProgressLine).progress = None

    def on_resegmented(self, message: Resegmented) -> None:
        self._hide_progress()
        self.notify(message.text, title="Clientes", timeout=3)
        self._load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Hide the progress line when a worker fails, then show its error in pt-BR."""
        if event.state is not WorkerState.ERROR:
            return
        self._hide_progress()
        error = event.worker.error
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            self.notify(
                "O banco está ocupado (outra pessoa gravando agora): nada mudou, tente de novo.",
                title="Erro",
                severity="error",
                timeout=8,
            )
            event.prevent_default()  # this is the whole message: PaneScreen's would replace it
        # Anything else: PaneScreen's handler (Textual calls it after this one) reports it.

    # -- views --------------------------------------------------------------------------------

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
        self.search_text = search
        self.filter_text = filter_text
        self.filter_error = None
        self.query_bar.show(search, filter_text)
        columns = self.portfolio.frame.columns if self.portfolio is not None else []
        known = sort_column is None or not columns or sort_column in columns
        self.table.sort_column = sort_column if known else None
        self.table.sort_descending = sort_descending and self.table.sort_column is not None
        self.table.focus()
        self._refresh_view()

    def set_filter(self, filter_text: str) -> None:
        """Filter the pane with filter-language text, keeping the sort (e.g. from Segmentos)."""
        self.apply_view(
            filter_text=filter_text,
            sort_column=self.table.sort_column,
            sort_descending=self.table.sort_descending,
        )

    def action_save_view(self) -> None:
        description = describe_view(self.current_view(), COLUMN_LABELS)
        self.app.push_screen(SaveViewModal(description), self._save_named)

    def _save_named(self, name: str | None) -> None:
        if name:
            self._save_view(name, self.current_view())

    @work(thread=True, exclusive=True, group="clients-views", exit_on_error=False)
    def _save_view(self, name: str, view: SavedView) -> None:
        db_path, _settings = self._database()
        try:
            saved = views.save_view(
                db_path,
                name=name,
                search=view.search,
                filter_text=view.filter_text,
                sort_column=view.sort_column,
                sort_descending=view.sort_descending,
            )
        except ViewError as error:
            self.post_message(WorkFailed(str(error)))
            return
        self.post_message(WriteFinished(f"Visão {saved.name!r} salva.", changed=False))

    def action_open_views(self) -> None:
        self._list_views()

    @work(thread=True, exclusive=True, group="clients-views", exit_on_error=False)
    def _list_views(self) -> None:
        db_path, _settings = self._database()
        self.post_message(ViewsListed(views.list_views(db_path)))

    def on_views_listed(self, message: ViewsListed) -> None:
        self.app.push_screen(ViewsModal(message.views, COLUMN_LABELS), self._view_chosen)

    def _view_chosen(self, choice: ViewChoice | None) -> None:
        if choice is not None:
            self._open_view(choice.name, choice.delete)

    @work(thread=True, exclusive=True, group="clients-views", exit_on_error=False)
    def _open_view(self, name: str, delete: bool) -> None:
        db_path, _settings = self._database()
        try:
            if delete:
                views.delete_view(db_path, name=name)
                self.post_message(WriteFinished(f"Visão {name!r} apagada.", changed=False))
            else:
                self.post_message(ViewOpened(views.open_view(db_path, name=name)))
        except ViewError as error:
            self.post_message(WorkFailed(str(error)))

    def on_view_opened(self, message: ViewOpened) -> None:
        view = message.view
        self.apply_view(
            search=view.search,
            filter_text=view.filter_text,
            sort_column=view.sort_column,
            sort_descending=view.sort_descending,
        )
        self.notify(f"Visão {view.name!r}", timeout=2)

    # -- export and import --------------------------------------------------------------------

    def action_export(self) -> None:
        self.app.push_screen(ExportModal(self.table.row_count), self._export_to)

    def _export_to(self, path: Path | None) -> None:
        if path is not None:
            self._export(path, self.table.frame, self.portfolio.as_of if self.portfolio else None)

    @work(thread=True, exclusive=True, group="clients-export", exit_on_error=False)
    def _export(self, path: Path, frame: pl.DataFrame, as_of: date | None) -> None:
        db_path, settings = self._database()
        self.post_message(WorkProgressed(f"Exportando para {path.name}…", 0.0))
        try:
            result = export_clients(
                db_path,
                output=path,
                settings=settings,
                frame=frame,
                as_of=as_of,
                on_progress=self._progress,
            )
        except ExportError as error:
            self.post_message(WorkFailed(str(error)))
            return
        self.post_message(ExportFinished(result))

    def on_export_finished(self, message: ExportFinished) -> None:
        self._hide_progress()
        result = message.result
        self.notify(
            f"{format_int(result.rows)} clientes exportados para {result.path}",
            title="Exportar",
            timeout=6,
        )

    def action_import_file(self) -> None:
        self.app.push_screen(ImportModal(), self._import_chosen)

    def _import_chosen(self, request: ImportRequest | None) -> None:
        if request is not None:
            self._import(request)

    @work(thread=True, exclusive=True, group="clients-write", exit_on_error=False)
    def _import(self, request: ImportRequest) -> None:
        db_path, settings = self._database()
        self.post_message(WorkProgressed(f"Importando {request.path.name}…", 0.0))
        as_of = (self.portfolio.as_of if self.portfolio is not None else None) or date.today()
        try:
            outcome = import_and_segment(
                db_path,
                request.kind,
                request.path,
                as_of=as_of,
                settings=settings,
                on_progress=self._progress,
            )
        except ImportFailed as error:
            self.post_message(WorkFailed(f"Importação recusada: {error}"))
            return
        report = outcome.report
        if report.errors and not report.written:
            errors = [str(e) for e in report.errors[:50]]
            self.post_message(ImportRejected(report.summary, errors, len(report.errors)))
            return
        label = KIND_LABELS.get(request.kind, request.kind)
        notes = "".join(f"\n{note}" for note in report.notes[:3])
        self.post_message(WriteFinished(f"{label}: {report.summary}{notes}", changed=False))
        if outcome.run is not None:
            self.post_message(Resegmented(outcome.run.as_of, outcome.run.describe()))

    def on_import_rejected(self, message: ImportRejected) -> None:
        self._hide_progress()
        self.app.push_screen(ImportErrorsModal(message.summary, message.errors, message.total))

    # -- the command line ---------------------------------------------------------------------

    def action_command_line(self) -> None:
        self.app.push_screen(CommandLineModal(), self._command_typed)

    def _command_typed(self, text: str | None) -> None:
        if text is not None and text.strip():
            self.run_command(text)

    def run_command(self, text: str) -> None:
        """Run one `:` command; a mistake is shown as a message, never raised."""
        try:
            command = parse_command(text)
            self._dispatch(command)
        except CommandError as error:
            self.notify(str(error), title="Comando", severity="error", timeout=8)

    def _dispatch(self, command: Command) -> None:
        name = command.name
        if name == "filter":
            self.set_filter(command.text)
        elif name == "search":
            self.apply_view(
                search=command.text,
                filter_text=self.filter_text,
                sort_column=self.table.sort_column,
                sort_descending=self.table.sort_descending,
            )
        elif name == "sort":
            columns = self.portfolio.frame.columns if self.portfolio is not None else []
            column = sort_column_for(command.text, columns)
            if column is None:
                raise CommandError(f"coluna desconhecida: {command.text!r}")
            self.table.sort_column = column
            self.table.sort_descending = command.descending
            self._refresh_view()
        elif name == "export" and command.path is not None:
            if command.path.suffix.lower() not in {".csv", ".xlsx", ".json"}:
                raise CommandError("use um arquivo .csv, .xlsx ou .json")
            self._export_to(command.path)
        elif name == "import" and command.kind is not None and command.path is not None:
            self._import(ImportRequest(command.kind, command.path))
        elif name == "resegment":
            self._resegment(command.as_of or date.today())
        elif name == "view":
            self._open_view(command.text, False)
        elif name == "save":
            self._save_view(command.text, self.current_view())
        elif name == "clear":
            self.action_clear()
        elif name == "help":
            self.app.action_help()  # type: ignore[attr-defined]
        elif name == "quit":
            self.app.exit()

    # -- helpers ------------------------------------------------------------------------------

    def _database(self) -> tuple[Path, Settings]:
        """The app's database path and settings (safe to read from a worker)."""
        return self.db_path, self.settings


def run_bulk(
    db_path: Path,
    settings: Settings,
    request: BulkRequest,
    client_ids: list[int],
    *,
    on_progress: Callable[[str, float], None] | None = None,
) -> BulkResult:
    """Run one bulk request through services.bulk (called from the screen's worker)."""
    ids, progress = client_ids, on_progress
    if request.action == "reassign":
        return bulk.reassign_clients(
            db_path, client_ids=ids, owner=request.value, on_progress=progress
        )
    if request.action == "tag":
        return bulk.tag_clients(db_path, client_ids=ids, tag=request.value, on_progress=progress)
    if request.action == "untag":
        return bulk.untag_clients(db_path, client_ids=ids, tag=request.value, on_progress=progress)
    if request.action == "archive":
        return bulk.archive_clients(db_path, client_ids=ids, on_progress=progress)
    today = date.today()
    return bulk.create_tasks(
        db_path,
        client_ids=ids,
        title=request.value,
        due=request.due or today,
        as_of=today,
        settings=settings,
        on_progress=progress,
    )
