"""`BoardSelection`: the board's cards and moving over them — one card per segment
(`build_cards`, with the what-if counts beside them), the cards then the status × ABC matrix's
cells in reading order (`Target`), j/k and the arrows to select, the detail line of the
selected card or cell, and enter to drill into Clientes filtered to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.containers import Grid
from textual.widgets import Static

from carteira_tui.model import cents_to_brl
from carteira_tui.services.reports import SegmentsOverview
from carteira_tui.services.segmentation import Preview
from carteira_tui.tui.widgets.charts import percent
from carteira_tui.tui.widgets.segment_board import CardData, SegmentCard
from carteira_tui.tui.widgets.segments.lines import (
    cadence_label,
    cadence_line,
    clients_text,
    segment_filter,
)
from carteira_tui.tui.widgets.segments.messages import ClientsFilterRequested
from carteira_tui.tui.widgets.segments.pane import SegmentsPane
from carteira_tui.tui.widgets.status_matrix import (
    CLASSES,
    STATUSES,
    TOTAL_COLUMN,
    TOTAL_ROW,
    cell_filter,
    cell_label,
)


@dataclass(frozen=True)
class Target:
    """A selectable place on the board: a card (`card` index) or a matrix cell."""

    row: int
    column: int
    card: int | None = None
    cell: tuple[int, int] | None = None


def build_cards(overview: SegmentsOverview, preview: Preview | None) -> list[CardData]:
    """One card per named segment in evaluation order, then any other value of the board."""
    rows = {row.value: row for row in overview.board.rows if row.dimension == "segmento"}
    proposed = {} if preview is None else {v: n for d, v, _c, n in preview.rows if d == "segmento"}
    names = list(overview.segment_order)
    names += [name for name in [*rows, *proposed] if name not in names]
    cards = []
    for name in names:
        row = rows.get(name)
        if row is None and name not in overview.segment_order and proposed.get(name, 0) == 0:
            continue
        cards.append(
            CardData(
                name=name,
                clients=row.clients if row else 0,
                revenue_cents=row.revenue_cents if row else 0,
                share=row.share if row else 0.0,
                entered=row.entered if row else 0,
                left=row.left if row else 0,
                has_previous=overview.board.has_previous,
                proposed=None if preview is None else proposed.get(name, 0),
                cadence=cadence_label(overview.cadences.get(name)),
            )
        )
    return cards


class BoardSelection(SegmentsPane):
    """The cards, the selection and the drill (mixed into `SegmentsScreen`)."""

    async def _show_cards(self) -> None:
        if self.overview is None:
            return
        data = build_cards(self.overview, self.preview if self.what_if else None)
        board = self.query_one("#segment-board", Grid)
        current = self.cards
        if [card.card.name for card in current] == [card.name for card in data]:
            for widget, card in zip(current, data, strict=True):
                widget.show(card)
            return
        await board.remove_children()
        await board.mount_all(SegmentCard(card) for card in data)

    # -- selection ------------------------------------------------------------------------

    def _columns(self) -> int:
        columns = self.query_one("#segment-board", Grid).styles.grid_size_columns
        return max(1, int(columns or 1))

    def _targets(self) -> list[Target]:
        columns = self._columns()
        count = len(self.cards)
        targets = [Target(i // columns, i % columns, card=i) for i in range(count)]
        first_row = -(-count // columns)
        targets += [
            Target(first_row + row, column, cell=(row, column))
            for row in range(TOTAL_ROW + 1)
            for column in range(TOTAL_COLUMN + 1)
        ]
        return targets

    def _select(self, index: int) -> None:
        targets = self._targets()
        self.selected = max(0, min(index, len(targets) - 1))
        target = targets[self.selected]
        for position, card in enumerate(self.cards):
            card.set_class(position == target.card, "-selected")
        self.matrix.set_cursor(target.cell)
        if target.card is not None:
            self.cards[target.card].scroll_visible()
        self._update_detail(target)

    def _update_detail(self, target: Target) -> None:
        detail = self.query_one("#segments-detail", Static)
        if self.overview is None:
            detail.update("")
            return
        if target.card is not None:
            card = self.cards[target.card].card
            clients, revenue, label = card.clients, card.revenue_cents, card.name
        elif target.cell is not None:
            row, column = target.cell
            clients = self.matrix.value(row, column)
            statuses = STATUSES if row == TOTAL_ROW else (STATUSES[row],)
            classes = CLASSES if column == TOTAL_COLUMN else (CLASSES[column],)
            revenue = sum(
                c.revenue_cents
                for c in self.overview.matrix
                if c.status in statuses and c.abc in classes
            )
            label = cell_label(row, column)
        else:
            return
        share = revenue / self.overview.revenue_cents if self.overview.revenue_cents else 0.0
        text = (
            f"{label}: {clients_text(clients)} · {cents_to_brl(revenue)} "
            f"({percent(share)}) · enter abre"
        )
        if target.card is not None and label in self.overview.segment_order:
            text += "\n" + cadence_line(self.overview.cadences.get(label))
        detail.update(text)

    def action_step(self, delta: int) -> None:
        """Select the next (1) or previous (-1) card or cell in reading order."""
        self._select(self.selected + delta)

    def action_move(self, direction: str) -> None:
        """Select the card or cell nearest in `direction` (up, down, left, right)."""
        targets = self._targets()
        here = targets[self.selected]
        if direction in ("left", "right"):
            step = 1 if direction == "right" else -1
            candidates = [
                i
                for i, t in enumerate(targets)
                if t.row == here.row and (t.column - here.column) * step > 0
            ]
            key: Callable[[int], int] = lambda i: abs(targets[i].column - here.column)  # noqa: E731
        else:
            step = 1 if direction == "down" else -1
            rows = [t.row for t in targets if (t.row - here.row) * step > 0]
            if not rows:
                return
            row = min(rows) if step > 0 else max(rows)
            candidates = [i for i, t in enumerate(targets) if t.row == row]
            key = lambda i: abs(targets[i].column - here.column)  # noqa: E731
        if candidates:
            self._select(min(candidates, key=key))

    def action_drill(self) -> None:
        """Open the Clientes pane filtered to the selected card or cell."""
        targets = self._targets()
        if self.overview is None or not targets:
            return
        target = targets[self.selected]
        if target.card is not None:
            name = self.cards[target.card].card.name
            self.post_message(ClientsFilterRequested(segment_filter(name), name))
        elif target.cell is not None:
            row, column = target.cell
            self.post_message(
                ClientsFilterRequested(cell_filter(row, column), cell_label(row, column))
            )

    def selected_segment(self) -> str | None:
        """The named segment whose card is selected, or None (a matrix cell, "(nenhum)")."""
        targets = self._targets()
        if self.overview is None or not targets:
            return None
        target = targets[min(self.selected, len(targets) - 1)]
        if target.card is None:
            return None
        name = self.cards[target.card].card.name
        return name if name in self.overview.segment_order else None
