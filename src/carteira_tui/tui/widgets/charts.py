"""Small charts drawn with Unicode block characters: bars, columns and the ABC Pareto curve.

The Segmentos pane shows them (`MonthlyChart` for revenue per month, `ParetoChart` for the
Curva ABC); the status matrix uses `hbar`. The drawing helpers are pure functions of numbers to
text so tests can check them cell by cell; the widgets only size them to their content area.
Colours come from component classes in app.tcss.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil
from typing import Any, ClassVar

from rich.text import Text
from textual.widget import Widget

from carteira_tui.vocab import segments as segment_words

VERTICAL_EIGHTHS = " ▁▂▃▄▅▆▇█"
HORIZONTAL_EIGHTHS = " ▏▎▍▌▋▊▉█"
MONTHS_PT = ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez")


def hbar(fraction: float, width: int) -> str:
    """A bar `width` cells wide filled to `fraction` (0..1) in eighths of a cell, space-padded."""
    if width <= 0:
        return ""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    if fraction > 0 and eighths == 0:
        eighths = 1
    full, rest = divmod(eighths, 8)
    return ("█" * full + (HORIZONTAL_EIGHTHS[rest] if rest else "")).ljust(width)


def column_rows(heights: Sequence[float], rows: int) -> list[str]:
    """Columns of `heights` (fractions 0..1 of `rows`) as text lines, top line first.

    A positive height never vanishes: it shows at least the lowest eighth.
    """
    levels = []
    for height in heights:
        eighths = round(max(0.0, min(1.0, height)) * rows * 8)
        levels.append(1 if height > 0 and eighths == 0 else eighths)
    lines = []
    for line in range(rows):
        floor = (rows - 1 - line) * 8
        cells = []
        for level in levels:
            fill = level - floor
            cells.append("█" if fill >= 8 else VERTICAL_EIGHTHS[fill] if fill > 0 else " ")
        lines.append("".join(cells))
    return lines


def compact_brl(cents: int) -> str:
    """Money in few characters for chart axes: `R$ 1,2 mi`, `R$ 350 mil`, `R$ 999`."""
    reais = cents / 100
    for size, unit in ((1e9, "bi"), (1e6, "mi"), (1e3, "mil")):
        if abs(reais) >= size:
            value = reais / size
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return f"R$ {text.replace('.', ',')} {unit}"
    return f"R$ {reais:.0f}"


def percent(fraction: float, decimals: int = 1) -> str:
    """A share as pt-BR percent text: `38,2%`."""
    return f"{fraction * 100:.{decimals}f}%".replace(".", ",")


def monthly_lines(
    values: Sequence[int], labels: Sequence[str], width: int, rows: int
) -> tuple[str, list[str], str]:
    """Axis label, column lines and the month-label line of a monthly chart `width` wide.

    Each month gets the same slot width (its bar plus one blank), the axis on the left shows
    the highest month; labels are written under every month that has room for one.
    """
    top = max(values, default=0)
    axis = compact_brl(top)
    axis_width = len(axis) + 1
    count = max(1, len(values))
    slot = max(1, (width - axis_width) // count)
    bar = slot - 1 if slot > 1 else 1
    heights: list[float] = []
    for value in values:
        heights.extend([value / top if top > 0 else 0.0] * bar)
        heights.extend([0.0] * (slot - bar))
    columns = column_rows(heights, rows)
    lines = [
        (axis if index == 0 else "R$ 0" if index == rows - 1 else "").rjust(axis_width - 1)
        + " "
        + column
        for index, column in enumerate(columns)
    ]
    label_cells = [" "] * (slot * count)
    position = 0
    for label in labels:
        if label and position + len(label) <= len(label_cells):
            if all(
                cell == " " for cell in label_cells[max(0, position - 1) : position + len(label)]
            ):
                label_cells[position : position + len(label)] = list(label)
        position += slot
    return axis, lines, " " * axis_width + "".join(label_cells).rstrip()


def month_label(year: int, month: int, every: int) -> str:
    """`jan/25` for months that open a group of `every` months, else nothing."""
    if (month - 1) % every:
        return ""
    return f"{MONTHS_PT[month - 1]}/{year % 100:02d}"


def pareto_columns(curve: Sequence[float], width: int) -> list[float]:
    """The curve (cumulative share at each percent of clients) resampled to `width` columns."""
    if not curve or width <= 0:
        return []
    points = len(curve)
    return [curve[min(points, ceil((column + 1) * points / width)) - 1] for column in range(width)]


def class_of_column(column: int, width: int, shares: dict[str, float]) -> str:
    """The ABC class of the clients a Pareto column stands for (by its share of clients)."""
    position = (column + 0.5) / width
    a = shares.get("A", 0.0)
    if position <= a:
        return "A"
    if position <= a + shares.get("B", 0.0):
        return "B"
    return "C"


class MonthlyChart(Widget):
    """Revenue per month as columns, the highest month on the left axis, months below."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"chart--title", "chart--bar", "chart--axis"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.values: list[int] = []
        self.months: list[tuple[int, int]] = []
        self.caption = segment_words.MONTHLY_REVENUE_LOADING

    def show(self, values: Sequence[int], months: Sequence[tuple[int, int]], caption: str) -> None:
        """Draw `values` for the (year, month) pairs `months`, under the title `caption`."""
        self.values = list(values)
        self.months = list(months)
        self.caption = caption
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_size
        title = self.get_component_rich_style("chart--title")
        text = Text(self.caption[:width], style=title, no_wrap=True, end="")
        if not self.values or height < 3:
            return text
        every = 3 if width - 12 >= 2 * len(self.values) else 6
        labels = [month_label(year, month, every) for year, month in self.months]
        if (width - 12) // max(1, len(self.values)) >= 7:
            labels = [month_label(year, month, 1) for year, month in self.months]
        axis, lines, label_line = monthly_lines(self.values, labels, width, height - 2)
        bar = self.get_component_rich_style("chart--bar")
        axis_style = self.get_component_rich_style("chart--axis")
        axis_width = len(axis) + 1
        for line in lines:
            text.append("\n")
            text.append(line[:axis_width], style=axis_style)
            text.append(line[axis_width:], style=bar)
        text.append("\n")
        text.append(label_line, style=axis_style)
        return text


class ParetoChart(Widget):
    """The Curva ABC: cumulative revenue share by share of clients, classes marked below."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "chart--title",
        "chart--axis",
        "pareto--a",
        "pareto--b",
        "pareto--c",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.curve: list[float] = []
        self.shares: dict[str, float] = {}
        self.clients_for_80: float | None = None

    def show(
        self, curve: Sequence[float], shares: dict[str, float], clients_for_80: float | None
    ) -> None:
        """Draw `curve` (cumulative share per percent of clients) with the class `shares`;
        `clients_for_80` is the share of clients that makes 80 % of revenue."""
        self.curve = list(curve)
        self.shares = dict(shares)
        self.clients_for_80 = clients_for_80
        self.refresh()

    def caption(self) -> str:
        """The one-line reading of the curve: which share of clients makes 80 % of revenue."""
        if not self.curve or self.clients_for_80 is None:
            return segment_words.NO_ABC_CURVE
        return segment_words.abc_curve(percent(self.clients_for_80, 0))

    def render(self) -> Text:
        width, height = self.content_size
        text = Text(
            self.caption()[:width],
            style=self.get_component_rich_style("chart--title"),
            no_wrap=True,
            end="",
        )
        if not self.curve or height < 4:
            return text
        axis_width = 5
        plot_width = max(1, width - axis_width)
        rows = height - 3
        heights = pareto_columns(self.curve, plot_width)
        classes = [class_of_column(c, plot_width, self.shares) for c in range(plot_width)]
        styles = {k: self.get_component_rich_style(f"pareto--{k.lower()}") for k in "ABC"}
        axis_style = self.get_component_rich_style("chart--axis")
        for index, line in enumerate(column_rows(heights, rows)):
            label = "100%" if index == 0 else "0%" if index == rows - 1 else ""
            text.append("\n")
            text.append(label.rjust(axis_width - 1) + " ", style=axis_style)
            start = 0
            for column in range(1, plot_width + 1):
                if column == plot_width or classes[column] != classes[start]:
                    text.append(line[start:column], style=styles[classes[start]])
                    start = column
        text.append("\n" + " " * axis_width)
        text.append(self._class_axis(classes), style=axis_style)
        text.append("\n" + " " * axis_width)
        text.append(self._class_labels(classes), style=axis_style)
        return text

    @staticmethod
    def _class_axis(classes: list[str]) -> str:
        cells = ["─"] * len(classes)
        for column in range(1, len(classes)):
            if classes[column] != classes[column - 1]:
                cells[column] = "┼"
        return "".join(cells)

    def _class_labels(self, classes: list[str]) -> str:
        cells = [" "] * len(classes)
        start = 0
        for column in range(1, len(classes) + 1):
            if column == len(classes) or classes[column] != classes[start]:
                name = classes[start]
                label = f"{name} {percent(self.shares.get(name, 0.0), 0)}"
                if len(label) > column - start:
                    label = name
                if len(label) <= column - start:
                    offset = start + (column - start - len(label)) // 2
                    cells[offset : offset + len(label)] = list(label)
                start = column
        return "".join(cells).rstrip()
