"""`TextModal`: one line of text (a note, a field's new value), prefilled when editing.

Given a `validate` callable, a value it rejects keeps the dialog open with what was typed, the
field marked and the reason under it, so a typo costs a correction, not the whole entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from carteira_tui import vocab


class TextModal(ModalScreen[str | None]):
    """Returns the text typed on enter (possibly empty), None on esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="text.cancel"),
    ]

    def __init__(
        self,
        title: str,
        initial: str = "",
        placeholder: str = "",
        hint: str = "",
        validate: Callable[[str], str | None] | None = None,
    ):
        super().__init__()
        self.text_title = title
        self.initial = initial
        self.placeholder = placeholder
        self.hint = hint
        self.validate = validate
        """Returns why a value is refused (pt-BR), or None when it is fine."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.text_title, classes="dialog-title", markup=False)
            yield Input(self.initial, placeholder=self.placeholder, id="text-input")
            if self.hint:
                yield Static(self.hint, classes="dialog-text", markup=False)
            yield Static("", id="text-error", classes="dialog-error hidden", markup=False)
            yield Static(vocab.HINT_CONFIRM, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#text-input", Input).focus()

    @on(Input.Submitted, "#text-input")
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.validate(event.value) if self.validate is not None else None
        error = self.query_one("#text-error", Static)
        event.input.set_class(problem is not None, "-invalid")
        error.set_class(problem is None, "hidden")
        if problem is not None:
            error.update(problem)  # the dialog stays, with what was typed and the field marked
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
