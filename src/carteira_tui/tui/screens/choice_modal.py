"""`ChoiceModal`: pick one of a few options (an owner to reassign to, a field to edit)."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from carteira_tui import vocab


class ChoiceModal(ModalScreen[str | None]):
    """Options as (key, label); enter returns the key of the highlighted one, esc None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="choice.cancel"),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str | None = None):
        super().__init__()
        self.choice_title = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.choice_title, classes="dialog-title", markup=False)
            yield OptionList(
                *[
                    Option(f"{label} (atual)" if key == self.current else label, id=key)
                    for key, label in self.options
                ],
                id="choice-list",
            )
            yield Static(vocab.HINT_CHOOSE, classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#choice-list", OptionList)
        keys = [key for key, _ in self.options]
        if self.current in keys:
            options.highlighted = keys.index(self.current)
        options.focus()

    def on_key(self, event: events.Key) -> None:
        key = event.key
        options = self.query_one("#choice-list", OptionList)
        if key == "j":
            options.action_cursor_down()
        elif key == "k":
            options.action_cursor_up()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
