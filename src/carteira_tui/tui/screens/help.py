"""`HelpModal`: every key of the pane it was opened from, with its pt-BR description."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from carteira_tui import vocab


class HelpModal(ModalScreen[None]):
    """A list of (keys, description) pairs; esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Fechar", id="help.close"),
    ]

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.help_title = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self.keys), default=4)
        lines = [f"{k.ljust(width)}  {description}" for k, description in self.keys]
        with VerticalScroll(id="help-body"):
            yield Static(f"Teclas — {self.help_title}", id="help-title")
            yield Static("\n".join(lines), id="help-keys", markup=False)
            yield Static(vocab.HINT_CLOSE, id="help-hint")

    def action_close(self) -> None:
        self.dismiss(None)
