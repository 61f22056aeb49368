"""`FrameTable`: a keyboard-driven table over a Polars frame that stays fast at 1M rows.

Built on Textual's Line API: `render_line` paints only the visible rows, sliced from the frame
(`frame.slice(top, height)`) and formatted once per window. Screens hand it a frame (already
filtered and sorted by `sorted_view` in their own workers) through `show`; the widget posts
`RowHighlighted` / `RowSelected` with the client `id` of the cursor row. Used by the Clientes pane.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

import polars as pl
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from carteira_tui.model import STATUS_LABELS, cents_to_brl, terminal_safe
from carteira_tui.vocab import clients as client_words

Formatter = Callable[[Any], str]

GUTTER = 2
"""Two leading cells per row: the cursor mark and the multi-select mark."""


def format_text(value: Any) -> str:
    """Any value as text; null as an em dash."""
    return "—" if value is None else str(value)


def format_money_cents(value: Any) -> str:
    """Centavos as `R$ 1.234,56`."""
    return cents_to_brl(None if value is None else int(value))


def format_date(value: Any) -> str:
    """A date (or ISO text) as `dd/mm/aaaa`."""
    if value is None:
        return "—"
    if isinstance(value, date | datetime):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return f"{text[8:10]}/{text[5:7]}/{text[0:4]}" if len(text) >= 10 else text


def format_int(value: Any) -> str:
    """An integer with `.` thousands separators."""
    return "—" if value is None else f"{int(value):,}".replace(",", ".")


def format_status(value: Any) -> str:
    """A status value as its pt-BR label."""
    return "—" if value is None else STATUS_LABELS.get(str(value), str(value))


def format_flag(value: Any) -> str:
    """A boolean as `sim`/`não`."""
    return "—" if value is None else ("sim" if value else "não")


@dataclass(frozen=True)
class Column:
    """One table column: frame column `key`, header `label`, cell `width` and `formatter`.

    `priority` decides which columns survive on a narrow terminal (lower shows first); a
    `flex` column takes the width left over by the others.
    """

    key: str
    label: str
    width: int
    formatter: Formatter = format_text
    align_right: bool = False
    priority: int = 50
    flex: bool = False


def fit_columns(columns: Sequence[Column], width: int) -> list[tuple[Column, int]]:
    """The columns that fit in `width` cells (by priority), in their order, with their widths."""
    available = width - GUTTER
    chosen: set[str] = set()
    used = 0
    for column in sorted(columns, key=lambda c: c.priority):
        needed = column.width + (1 if chosen else 0)
        if used + needed <= available:
            chosen.add(column.key)
            used += needed
    spare = max(0, available - used)
    fitted: list[tuple[Column, int]] = []
    flex_given = False
    for column in columns:
        if column.key not in chosen:
            continue
        extra = spare if column.flex and not flex_given else 0
        flex_given = flex_given or column.flex
        fitted.append((column, column.width + extra))
    return fitted


def _cell(text: str, width: int, align_right: bool) -> str:
    text = terminal_safe(text, newlines=False)  # Trust: client text never drives the terminal
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.rjust(width) if align_right else text.ljust(width)


class FrameTable(ScrollView, can_focus=True):
    """A table over a Polars frame with a cursor row, sorting and multi-select by client id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Descer", show=False, id="table.down"),
        Binding("k,up", "cursor_up", "Subir", show=False, id="table.up"),
        Binding("g,home", "first", "Início", show=False, id="table.first"),
        Binding("G,end", "last", "Fim", show=False, id="table.last"),
        Binding("ctrl+d,pagedown", "page_down", "Página abaixo", show=False, id="table.pgdn"),
        Binding("ctrl+u,pageup", "page_up", "Página acima", show=False, id="table.pgup"),
        Binding("enter", "select_row", "Abrir", id="table.open"),
        Binding("v", "toggle_mark", "Marcar", id="table.mark"),
        Binding("s", "pick_sort", "Ordenar", id="table.sort"),
        Binding("S", "reverse_sort", "Inverter ordem", show=False, id="table.reverse"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "frame-table--header",
        "frame-table--cursor",
        "frame-table--marked",
        "frame-table--empty",
    }

    class RowHighlighted(Message):
        """The cursor moved to the row of client `id`."""

        def __init__(self, table: FrameTable, client_id: int) -> None:
            super().__init__()
            self.table = table
            self.id = client_id

    class RowSelected(Message):
        """The person pressed enter on the row of client `id`."""

        def __init__(self, table: FrameTable, client_id: int) -> None:
            super().__init__()
            self.table = table
            self.id = client_id

    class MarksChanged(Message):
        """The set of marked client ids changed; `count` is its new size."""

        def __init__(self, table: FrameTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

    class SortChanged(Message):
        """The sort column or direction changed (the frame shown is already re-sorted)."""

        def __init__(self, table: FrameTable, column: str | None, descending: bool) -> None:
            super().__init__()
            self.table = table
            self.column = column
            self.descending = descending

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        id_column: str = "id",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: list[Column] = list(columns)
        self.id_column = id_column
        self.frame: pl.DataFrame = pl.DataFrame({id_column: pl.Series([], dtype=pl.Int64)})
        self.cursor_row = 0
        self.marked: set[int] = set()
        self.sort_column: str | None = None
        self.sort_descending = False
        self._window_key: tuple[int, int, int, tuple[str, ...]] | None = None
        self._window_ids: list[int] = []
        self._window_cells: list[list[str]] = []
        self._frame_version = 0
        self.empty_text = ""
        """What the first row says when the table is empty (why, and how to widen it)."""

    # -- data in ------------------------------------------------------------------------------

    def show(self, frame: pl.DataFrame, *, keep_id: int | None = None) -> None:
        """Display `frame` as is; keep the cursor on client `keep_id` when it is still there."""
        self.frame = frame
        self._frame_version += 1
        self._window_key = None
        target = 0
        if keep_id is not None and frame.height:
            found = frame.get_column(self.id_column).index_of(keep_id)
            target = 0 if found is None else int(found)
        self._fit_scroll_range(frame)
        self.refresh_bindings()
        self.cursor_row = -1
        self.move_cursor(target)
        self.refresh()

    def _fit_scroll_range(self, frame: pl.DataFrame) -> None:
        """Size the scroll range to `frame`'s rows (a change is a layout pass)."""
        self.virtual_size = Size(self.size.width, frame.height + 1)

    def sorted_view(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` sorted by the current sort column (safe to call from a thread worker)."""
        if self.sort_column is None or self.sort_column not in frame.columns:
            return frame
        return frame.sort(
            self.sort_column,
            descending=self.sort_descending,
            nulls_last=True,
            maintain_order=True,
        )

    @property
    def cursor_id(self) -> int | None:
        """The client id under the cursor, or None on an empty table."""
        if not 0 <= self.cursor_row < self.frame.height:
            return None
        return int(self.frame.get_column(self.id_column)[self.cursor_row])

    @property
    def row_count(self) -> int:
        """How many rows the table shows."""
        return self.frame.height

    def visible_columns(self) -> list[tuple[Column, int]]:
        """The columns drawn at the current width, with their widths."""
        present = [c for c in self.columns if c.key in self.frame.columns]
        return fit_columns(present, self.scrollable_content_region.width or 80)

    # -- cursor -------------------------------------------------------------------------------

    @property
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        """Put the cursor on `row` (clamped), scroll it into view and announce it."""
        row = max(0, min(row, self.frame.height - 1))
        if row == self.cursor_row:
            return
        previous, self.cursor_row = self.cursor_row, row
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
            self.refresh()
        elif row >= top + self._body_height:
            self.scroll_to(y=row - self._body_height + 1, animate=False, immediate=True)
            self.refresh()
        else:
            # Within the visible rows only the two lines the cursor left and reached change:
            # over SSH a step costs two lines, not the table (line y of row r is r + 1).
            self.refresh_row(previous)
            self.refresh_row(row)
        client_id = self.cursor_id
        if client_id is not None:
            self.post_message(self.RowHighlighted(self, client_id))

    def refresh_row(self, row: int) -> None:
        """Repaint the line of `row` alone (nothing when it is off screen)."""
        top = round(self.scroll_y)
        if top <= row < top + self._body_height:
            self.refresh_line(row + 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.frame.height - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._body_height)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._body_height)

    def action_select_row(self) -> None:
        client_id = self.cursor_id
        if client_id is not None:
            self.post_message(self.RowSelected(self, client_id))

    def action_toggle_mark(self) -> None:
        client_id = self.cursor_id
        if client_id is None:
            return
        self.marked.symmetric_difference_update({client_id})
        self.refresh_row(self.cursor_row)
        self.post_message(self.MarksChanged(self, len(self.marked)))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.move_cursor(round(self.scroll_y) + event.y - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the row keys (open, mark, sort) while the table is empty."""
        if action in {"select_row", "toggle_mark", "pick_sort", "reverse_sort"}:
            return self.frame.height > 0
        return True

    # -- sorting ------------------------------------------------------------------------------

    NO_SORT = "-"
    """The picker's option for "no sort" (the frame's own order)."""

    def sort_options(self) -> list[tuple[str, str]]:
        """The picker's options: every column of the table in the frame, then "sem ordem"."""
        options = [(c.key, c.label) for c in self.columns if c.key in self.frame.columns]
        return [*options, (self.NO_SORT, client_words.NO_SORT)]

    def action_pick_sort(self) -> None:
        """`s`: list the columns; the one picked sorts the table ascending (`S` reverses)."""
        from carteira_tui.tui.screens.choice_modal import ChoiceModal

        def picked(key: str | None) -> None:
            if key is not None:
                self.sort_by(None if key == self.NO_SORT else key)

        options = self.sort_options()
        self.app.push_screen(ChoiceModal(client_words.SORT_BY, options, self.sort_column), picked)

    def sort_by(self, column: str | None, *, descending: bool = False) -> None:
        """Sort by `column` (None: the frame's own order) and put the cursor on the first row."""
        self.sort_column = column
        self.sort_descending = descending and column is not None
        self._resort()

    def action_reverse_sort(self) -> None:
        if self.sort_column is None:
            self.sort_by(self.visible_columns()[0][0].key, descending=True)
        else:
            self.sort_by(self.sort_column, descending=not self.sort_descending)

    @work(thread=True, exclusive=True, group="frame-table-sort", exit_on_error=False)
    def _resort(self) -> None:
        frame = self.sorted_view(self.frame)
        self.app.call_from_thread(self._sorted, frame)

    def _sorted(self, frame: pl.DataFrame) -> None:
        self.show(frame)  # a new order starts at its first row
        self.scroll_to(y=0, animate=False, immediate=True)
        self.post_message(self.SortChanged(self, self.sort_column, self.sort_descending))

    # -- painting -----------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.frame.height + 1)
        self._window_key = None

    def _window(self, top: int, height: int, fitted: list[tuple[Column, int]]) -> None:
        keys = tuple(column.key for column, _ in fitted)
        window_key = (self._frame_version, top, height, keys)
        if window_key == self._window_key:
            return
        rows = self.frame.slice(top, height)
        self._window_ids = rows.get_column(self.id_column).to_list()
        formatted = [
            [column.formatter(value) for value in rows.get_column(column.key).to_list()]
            for column, _ in fitted
        ]
        self._window_cells = [list(cells) for cells in zip(*formatted, strict=True)]
        if not fitted:
            self._window_cells = [[] for _ in self._window_ids]
        self._window_key = window_key

    def _header_text(self, fitted: list[tuple[Column, int]]) -> str:
        cells = []
        for column, width in fitted:
            label = column.label
            if column.key == self.sort_column:
                # The arrow is never cut: a label too long for the cell gives way to it.
                arrow = "↓" if self.sort_descending else "↑"
                if len(label) + 1 > width:
                    label = label[: max(0, width - 1)]
                label = f"{label}{arrow}"
            cells.append(_cell(label, width, column.align_right))
        return " " * GUTTER + " ".join(cells)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        fitted = self.visible_columns()
        base = self.rich_style
        if y == 0:
            header_style = base + self.get_component_rich_style("frame-table--header")
            return Strip([Segment(_cell(self._header_text(fitted), width, False), header_style)])
        top = round(self.scroll_y)
        row = top + y - 1
        if row >= self.frame.height:
            if y == 1 and self.frame.height == 0 and self.empty_text:
                muted = base + self.get_component_rich_style("frame-table--empty")
                return Strip([Segment(_cell(" " * GUTTER + self.empty_text, width, False), muted)])
            return Strip([Segment(" " * width, base)])
        self._window(top, self._body_height, fitted)
        offset = row - top
        if offset >= len(self._window_ids):
            return Strip([Segment(" " * width, base)])
        client_id = self._window_ids[offset]
        is_marked = client_id in self.marked
        cursor_mark = "›" if row == self.cursor_row else " "
        cells = " ".join(
            _cell(text, cell_width, column.align_right)
            for text, (column, cell_width) in zip(self._window_cells[offset], fitted, strict=True)
        )
        text = _cell(cursor_mark + ("●" if is_marked else " ") + cells, width, False)
        style: Style = base
        if is_marked:
            style = style + self.get_component_rich_style("frame-table--marked")
        if row == self.cursor_row:
            style = style + self.get_component_rich_style("frame-table--cursor")
        return Strip([Segment(text, style)])
