"""`TextModal`: one line of text (a note, a field's new value), prefilled when editing."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class TextModal(ModalScreen[str | None]):
    """Returns the text typed on enter (possibly empty), None on esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="text.cancel"),
    ]

    def __init__(self, title: str, initial: str = "", placeholder: str = "", hint: str = ""):
        super().__init__()
        self.text_title = title
        self.initial = initial
        self.placeholder = placeholder
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.text_title, classes="dialog-title", markup=False)
            yield Input(self.initial, placeholder=self.placeholder, id="text-input")
            if self.hint:
                yield Static(self.hint, classes="dialog-text", markup=False)
            yield Static("enter confirma · esc cancela", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#text-input", Input).focus()

    @on(Input.Submitted, "#text-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
