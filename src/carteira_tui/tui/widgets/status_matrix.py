"""`StatusMatrix`: clients by status (rows) × ABC class (columns), with the status distribution.

Rows are the four statuses and a total; columns A, B, C, "sem" (no class) and the total, then
the movement since the previous run and a horizontal bar of each status's share of clients.
In what-if mode a "prévia" column and row show the counts under the proposed settings. The
Segmentos screen sets `cursor` (row, column) and reads `filter_for` to drill into Clientes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.widget import Widget

from carteira_tui.model import STATUS_LABELS, Status
from carteira_tui.tui.widgets.charts import hbar, percent
from carteira_tui.tui.widgets.frame_table import format_int
from carteira_tui.tui.widgets.segment_board import signed
from carteira_tui.vocab import segments as segment_words

STATUSES: tuple[str, ...] = tuple(status.value for status in Status)
CLASSES: tuple[str | None, ...] = ("A", "B", "C", None)
CLASS_HEADERS = ("A", "B", "C", "sem", "Total")
LABEL_WIDTH = 16
TOTAL_ROW = len(STATUSES)
TOTAL_COLUMN = len(CLASSES)


def cell_filter(row: int, column: int) -> str:
    """The filter-language text for a matrix cell (rows: statuses then total; columns: classes,
    no class, total); empty for the grand total (every client)."""
    parts = []
    if row < TOTAL_ROW:
        parts.append(f"status = {STATUSES[row]}")
    if column < TOTAL_COLUMN:
        abc = CLASSES[column]
        parts.append("curva is null" if abc is None else f"curva = {abc}")
    return " and ".join(parts)


def cell_label(row: int, column: int) -> str:
    """The pt-BR name of a matrix cell, for the detail line."""
    status = STATUS_LABELS[STATUSES[row]] if row < TOTAL_ROW else segment_words.ALL_STATUSES
    if column == TOTAL_COLUMN:
        return status
    abc = CLASSES[column]
    return segment_words.matrix_cell(status, abc)


class StatusMatrix(Widget):
    """The status × ABC table; the selected cell is drawn with the cursor style."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status-matrix--header",
        "status-matrix--cursor",
        "status-matrix--bar",
        "status-matrix--total",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.counts: dict[tuple[str, str | None], int] = {}
        self.moves: dict[str, tuple[int, int]] = {}
        self.preview_status: dict[str, int] | None = None
        self.preview_abc: dict[str | None, int] | None = None
        self.cursor: tuple[int, int] | None = None

    def show(
        self,
        counts: Mapping[tuple[str, str | None], int],
        moves: Mapping[str, tuple[int, int]],
    ) -> None:
        """Counts per (status, class) and (entered, left) per status (empty: no previous run)."""
        self.counts = dict(counts)
        self.moves = dict(moves)
        self.refresh(layout=True)

    def show_preview(
        self, status: Mapping[str, int] | None, abc: Mapping[str | None, int] | None
    ) -> None:
        """Counts per status and per class under proposed settings (None leaves what-if)."""
        self.preview_status = None if status is None else dict(status)
        self.preview_abc = None if abc is None else dict(abc)
        self.refresh(layout=True)

    def set_cursor(self, cursor: tuple[int, int] | None) -> None:
        """Select a cell (row, column) or none."""
        self.cursor = cursor
        self.refresh()

    def value(self, row: int, column: int) -> int:
        """The count in a cell (totals included)."""
        statuses = STATUSES if row == TOTAL_ROW else (STATUSES[row],)
        classes = CLASSES if column == TOTAL_COLUMN else (CLASSES[column],)
        return sum(self.counts.get((s, c), 0) for s in statuses for c in classes)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return 2 + TOTAL_ROW + 1 + (1 if self.preview_abc is not None else 0)

    def _widths(self) -> int:
        return max(6, len(format_int(self.value(TOTAL_ROW, TOTAL_COLUMN))) + 1)

    def render(self) -> Text:
        width = self.content_size.width
        number = self._widths()
        header = self.get_component_rich_style("status-matrix--header")
        cursor = self.get_component_rich_style("status-matrix--cursor")
        bar_style = self.get_component_rich_style("status-matrix--bar")
        total_style = self.get_component_rich_style("status-matrix--total")
        preview = self.preview_status is not None
        fixed = LABEL_WIDTH + number * 5 + (number + 2 if preview else 0)
        show_moves = bool(self.moves) and not preview and width - fixed >= 11 + 12
        moves_width = 11 if show_moves else 0
        bar_width = max(0, width - fixed - moves_width - 8)
        text = Text(no_wrap=True, end="")
        head = "Status × curva ABC".ljust(LABEL_WIDTH)
        head += "".join(h.rjust(number) for h in CLASS_HEADERS)
        if preview:
            head += "prévia".rjust(number + 2)
        if show_moves:
            head += "movimento".rjust(moves_width)
        if bar_width:
            head += "  distribuição" if bar_width >= 12 else "  dist."
        text.append(head[:width], style=header)
        grand = self.value(TOTAL_ROW, TOTAL_COLUMN)
        for row in range(TOTAL_ROW + 1):
            text.append("\n")
            label = STATUS_LABELS[STATUSES[row]] if row < TOTAL_ROW else "Total"
            row_style = total_style if row == TOTAL_ROW else None
            text.append(label[: LABEL_WIDTH - 1].ljust(LABEL_WIDTH), style=row_style)
            for column in range(TOTAL_COLUMN + 1):
                cell = format_int(self.value(row, column)).rjust(number)
                style = cursor if self.cursor == (row, column) else row_style
                text.append(cell, style=style)
            status = STATUSES[row] if row < TOTAL_ROW else None
            if preview and self.preview_status is not None:
                proposed = (
                    sum(self.preview_status.values())
                    if status is None
                    else self.preview_status.get(status, 0)
                )
                text.append(f"→{format_int(proposed)}".rjust(number + 2), style=row_style)
            if show_moves:
                entered, left = self.moves.get(status, (0, 0)) if status else (0, 0)
                moved = f"+{format_int(entered)} −{format_int(left)}" if status else ""
                text.append(moved.rjust(moves_width), style=row_style)
            if bar_width and status is not None:
                share = self.value(row, TOTAL_COLUMN) / grand if grand else 0.0
                text.append("  ")
                text.append(hbar(share, bar_width), style=bar_style)
                text.append(percent(share).rjust(6))
        if self.preview_abc is not None:
            text.append("\n")
            text.append("Prévia".ljust(LABEL_WIDTH), style=total_style)
            for abc in CLASSES:
                text.append(f"{format_int(self.preview_abc.get(abc, 0))}".rjust(number))
            text.append(format_int(sum(self.preview_abc.values())).rjust(number))
        return text


def moves_by_status(rows: list[tuple[str, int, int]]) -> dict[str, tuple[int, int]]:
    """(status, entered, left) rows as the mapping `StatusMatrix.show` takes."""
    return {status: (entered, left) for status, entered, left in rows}


__all__ = [
    "CLASSES",
    "STATUSES",
    "StatusMatrix",
    "cell_filter",
    "cell_label",
    "moves_by_status",
    "signed",
]
