"""`ConfirmModal`: a yes/no question before an action that cannot be taken back lightly."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from carteira_tui import vocab


class ConfirmModal(ModalScreen[bool]):
    """Asks `question`; `s`/`y`/enter answer sim (True), `n`/esc answer não (False)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s,y,enter", "answer(True)", "Sim", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "Não", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, classes="dialog-text", markup=False)
            yield Static(vocab.HINT_YES_NO, classes="dialog-hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
