"""`SegmentCard`: one card of the Segmentos board — clients, revenue, share and movement.

The Segmentos screen lays the cards out in a grid (app.tcss), keeps which one is selected and
toggles the `-selected` class; a card only draws its `CardData`, choosing the long or the short
wording by the width it gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widget import Widget

from carteira_tui.model import cents_to_brl
from carteira_tui.tui.widgets.charts import compact_brl, percent
from carteira_tui.tui.widgets.frame_table import format_int
from carteira_tui.vocab import segments as segment_words


@dataclass(frozen=True)
class CardData:
    """What one card shows; `proposed` is the what-if count (None outside what-if mode)."""

    name: str
    clients: int
    revenue_cents: int
    share: float
    entered: int
    left: int
    has_previous: bool
    proposed: int | None = None
    cadence: str = ""
    """The segment's contact cadence as its card's bottom border shows it (`30/60 d · 3
    atrasados`); empty without one."""


def signed(number: int) -> str:
    """`+12`, `−5` (a real minus sign) or `=` for zero."""
    if number == 0:
        return "="
    return f"+{format_int(number)}" if number > 0 else f"−{format_int(-number)}"


def card_lines(card: CardData, width: int) -> list[str]:
    """The three lines of a card's body, each fitted to `width` cells."""
    clients = format_int(card.clients)
    share = percent(card.share)
    first = segment_words.card_clients(clients, card.clients)
    money = cents_to_brl(card.revenue_cents)
    if len(first) + 1 + len(share) <= width:
        first = first + share.rjust(width - len(first))
    else:
        if len(money) + 1 + len(share) > width:
            money = compact_brl(card.revenue_cents)
        money = money + share.rjust(width - len(money))
    if card.proposed is not None:
        delta = signed(card.proposed - card.clients)
        third = segment_words.card_preview(format_int(card.proposed), delta)
    elif not card.has_previous:
        third = segment_words.NO_PREVIOUS
    else:
        entered, left = format_int(card.entered), format_int(card.left)
        wordings = segment_words.card_moves(entered, left)
        third = next((w for w in wordings if len(w) <= width), wordings[-1])
    return [line[:width] for line in (first, money, third)]


class SegmentCard(Widget):
    """One segment's card; its border title is the segment's name."""

    def __init__(self, card: CardData, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.card = card
        self.border_title = card.name
        self.border_subtitle = card.cadence

    def show(self, card: CardData) -> None:
        """Draw `card` instead of the current data."""
        self.card = card
        self.border_title = card.name
        self.border_subtitle = card.cadence
        self.refresh()

    def render(self) -> Text:
        return Text("\n".join(card_lines(self.card, self.content_size.width)), no_wrap=True)
