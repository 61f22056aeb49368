"""`TodayDetail`: the few lines under Hoje's table about the client under the cursor (who, why,
which tasks), painted with the Line API so that a cursor step repaints only the lines that
changed, each up to its last changed cell — over SSH a step costs what differs, not the box.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from textual.events import Resize
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


def wrap_lines(text: str, width: int) -> list[str]:
    """`text` word-wrapped to `width` cells: each of its lines on its own, a word longer than the
    width cut where it reaches it."""
    if width <= 0:
        return []
    wrapped: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if cell_len(candidate) <= width:
                line = candidate
                continue
            if line:
                wrapped.append(line)
            while cell_len(word) > width:
                wrapped.append(word[:width])
                word = word[width:]
            line = word
        wrapped.append(line)
    return wrapped


def changed_span(before: str, after: str) -> tuple[int, int] | None:
    """The cells [start, end) where two lines differ (None when they are the same). Text with
    wide characters counts as changed over its whole length."""
    if before == after:
        return None
    length = max(cell_len(before), cell_len(after))
    if len(before) != cell_len(before) or len(after) != cell_len(after):
        return 0, length
    old, new = before.ljust(length), after.ljust(length)
    start = 0
    while old[start] == new[start]:
        start += 1
    end = length
    while old[end - 1] == new[end - 1]:
        end -= 1
    return start, end


class TodayDetail(Widget):
    """Lines of plain text in the widget's own style; `show` repaints only what changed."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._text = ""
        self._lines: list[str] = []

    @property
    def text(self) -> str:
        """The text shown (lines separated by newlines, before wrapping)."""
        return self._text

    def show(self, text: str) -> None:
        """Show `text`, refreshing only the cells of the lines that differ from what is shown."""
        self._text = text
        width, height = self.size
        if not self.is_mounted or width <= 0:
            return
        old, new = self._lines, wrap_lines(text, width)
        self._lines = new
        for y in range(min(height, max(len(old), len(new)))):
            span = changed_span(old[y] if y < len(old) else "", new[y] if y < len(new) else "")
            if span is not None:  # Textual writes the line from its start to the span's end
                self.refresh(Region(span[0], y, span[1] - span[0], 1))

    def on_resize(self, _event: Resize) -> None:
        self._lines = wrap_lines(self._text, self.size.width)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """Line `y` of the wrapped text, padded to the width in the widget's style."""
        text = self._lines[y] if y < len(self._lines) else ""
        style = self.rich_style
        return Strip([Segment(text, style)], cell_len(text)).adjust_cell_length(
            self.size.width, style
        )
