"""The Cliente card's messages: its workers' answers, handled on the screen."""

from __future__ import annotations

from textual.message import Message

from carteira_tui.services.clients import ClientCard


class CardLoaded(Message, bubble=False):
    """The client's card data was read."""

    def __init__(self, card: ClientCard) -> None:
        super().__init__()
        self.card = card


class ExplanationLoaded(Message, bubble=False):
    """The segmentation explanation was computed (`lines`), or why not (`note`)."""

    def __init__(self, lines: list[str], headline: str, note: str | None = None) -> None:
        super().__init__()
        self.lines = lines
        self.headline = headline
        self.note = note


class ClientChanged(Message, bubble=False):
    """A write on this client finished; `summary` says what changed (pt-BR)."""

    def __init__(self, summary: str) -> None:
        super().__init__()
        self.summary = summary
