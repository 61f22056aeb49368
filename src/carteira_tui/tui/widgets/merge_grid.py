"""`MergeGrid`: the merge screen's records side by side — fields as rows, one column per member.

Built on Textual's Line API like `FrameTable`. The screen hands it plain rows (`GridRow`: the
field's label, each member's value as text, which member's value is chosen and which one the
service suggests, and the value the merged client will keep); the grid draws as many member
columns as fit (at least `MIN_MEMBER_WIDTH` cells each, plus the result column), pages through
the others with `first_member`, keeps a cursor row and posts `CursorMoved`. It never decides a
value: picking is the screen's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

LABEL_WIDTH = 15
MIN_MEMBER_WIDTH = 14
CHOSEN_MARK = "●"
SUGGESTED_MARK = "○"
CHANGED_MARK = "*"


@dataclass(frozen=True)
class GridRow:
    """One field: `cells` per member; `chosen`/`suggested` are member indexes (None: neither).

    `result` is what the merged client keeps; `same` says every member has the same value;
    `changed` says the person picked something other than the suggestion.
    """

    label: str
    cells: list[str]
    chosen: int | None
    suggested: int | None
    result: str
    same: bool = False
    changed: bool = False


def members_that_fit(width: int, members: int) -> int:
    """How many member columns fit in `width` cells beside the label and result columns."""
    available = width - 2 - LABEL_WIDTH
    fit = max(1, available // (MIN_MEMBER_WIDTH + 1) - 1)
    return min(members, fit)


def _cell(text: str, width: int) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


class MergeGrid(ScrollView, can_focus=True):
    """Fields as rows, members as columns, the chosen value of each field marked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Próximo campo", show=False, id="merge-grid.down"),
        Binding("k,up", "cursor(-1)", "Campo anterior", show=False, id="merge-grid.up"),
        Binding("g,home", "first", "Primeiro campo", show=False, id="merge-grid.first"),
        Binding("G,end", "last", "Último campo", show=False, id="merge-grid.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "merge-grid--header",
        "merge-grid--cursor",
        "merge-grid--chosen",
        "merge-grid--suggested",
        "merge-grid--same",
        "merge-grid--result",
    }

    class CursorMoved(Message):
        """The cursor is on row `row` (a field index)."""

        def __init__(self, grid: MergeGrid, row: int) -> None:
            super().__init__()
            self.grid = grid
            self.row = row

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.headers: list[str] = []
        self.rows: list[GridRow] = []
        self.cursor_row = 0
        self.first_member = 0

    def show(self, headers: Sequence[str], rows: Sequence[GridRow]) -> None:
        """Display `rows` under member `headers`; the cursor stays on its row."""
        self.headers = list(headers)
        self.rows = list(rows)
        self.first_member = min(self.first_member, max(0, len(self.headers) - 1))
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self.cursor_row = min(self.cursor_row, max(0, len(self.rows) - 1))
        self.refresh()

    @property
    def shown_members(self) -> range:
        """The member indexes drawn at the current width."""
        count = members_that_fit(self.scrollable_content_region.width or 80, len(self.headers))
        start = min(self.first_member, max(0, len(self.headers) - count))
        return range(start, start + count)

    def page_members(self, step: int) -> bool:
        """Show the next (`step` 1) or previous (-1) page of members; False if there is none."""
        shown = self.shown_members
        start = shown.start + step * max(1, len(shown))
        start = max(0, min(start, len(self.headers) - len(shown)))
        if start == shown.start:
            return False
        self.first_member = start
        self.refresh()
        return True

    def reveal_member(self, member: int) -> None:
        """Page so that member `member` is drawn."""
        shown = self.shown_members
        if member not in shown:
            self.first_member = max(0, member - len(shown) + 1) if member > shown.start else member
            self.refresh()

    # -- cursor -------------------------------------------------------------------------------

    @property
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        """Put the cursor on `row` (clamped), scroll it into view and announce it."""
        row = max(0, min(row, len(self.rows) - 1))
        self.cursor_row = row
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + self._body_height:
            self.scroll_to(y=row - self._body_height + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.CursorMoved(self, row))

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self.rows) - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.move_cursor(round(self.scroll_y) + event.y - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)

    # -- painting -----------------------------------------------------------------------------

    def _widths(self, width: int, members: int) -> tuple[int, int]:
        """(member column width, result column width) for `members` columns in `width` cells."""
        available = width - 2 - LABEL_WIDTH
        column = max(MIN_MEMBER_WIDTH, available // (members + 1) - 1)
        return column, max(MIN_MEMBER_WIDTH, available - members * (column + 1) - 1)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        shown = self.shown_members
        column, result_width = self._widths(width, len(shown))
        more_left = "‹" if shown.start > 0 else " "
        more_right = "›" if shown.stop < len(self.headers) else " "
        if y == 0:
            header = (
                more_left
                + more_right
                + _cell("Campo", LABEL_WIDTH)
                + "".join(" " + _cell(self.headers[i], column) for i in shown)
                + " "
                + _cell("= Fica", result_width)
            )
            style = base + self.get_component_rich_style("merge-grid--header")
            return Strip([Segment(_cell(header, width), style)])
        row_index = round(self.scroll_y) + y - 1
        if row_index >= len(self.rows):
            return Strip([Segment(" " * width, base)])
        row = self.rows[row_index]
        is_cursor = row_index == self.cursor_row
        line_style: Style = base
        if row.same:
            line_style = line_style + self.get_component_rich_style("merge-grid--same")
        if is_cursor:
            line_style = line_style + self.get_component_rich_style("merge-grid--cursor")
        label = row.label + (CHANGED_MARK if row.changed else "")
        segments = [
            Segment(("›" if is_cursor else " ") + " " + _cell(label, LABEL_WIDTH), line_style)
        ]
        for member in shown:
            text = row.cells[member] if member < len(row.cells) else ""
            style = line_style
            mark = "  "
            if member == row.chosen:
                mark = CHOSEN_MARK + " "
                style = style + self.get_component_rich_style("merge-grid--chosen")
            elif member == row.suggested:
                mark = SUGGESTED_MARK + " "
                style = style + self.get_component_rich_style("merge-grid--suggested")
            segments.append(Segment(" ", line_style))
            segments.append(Segment(_cell(mark + text, column), style))
        result_style = line_style + self.get_component_rich_style("merge-grid--result")
        segments.append(Segment(" ", line_style))
        segments.append(Segment(_cell(row.result, result_width), result_style))
        used = sum(len(s.text) for s in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), line_style))
        return Strip(segments).crop(0, width)
