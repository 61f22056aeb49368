"""`WhenModal`: ask for a day the way people say it (amanhã, +3d, seg, dd/mm), with a preview.

Used to snooze a task (Tarefas, `s`) and to set a follow-up (Cliente, `f`). The text is parsed by
`services.clients.resolve_when` as it is typed; enter returns the date only when it parses.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from carteira_tui.services.clients import ClientError, resolve_when
from carteira_tui.vocab import tasks as task_words

WEEKDAYS = ("segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo")


def describe_day(day: date, today: date) -> str:
    """`terça, 24/11/2026 (amanhã)`: weekday, date and how far from today."""
    delta = (day - today).days
    distance = {0: "hoje", 1: "amanhã"}.get(
        delta, task_words.in_days(delta) if delta > 0 else "passado"
    )
    return f"{WEEKDAYS[day.weekday()]}, {day.strftime('%d/%m/%Y')} ({distance})"


class WhenModal(ModalScreen[date | None]):
    """One input for a day; the line below shows the date understood or why it is not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="when.cancel"),
    ]

    def __init__(self, title: str, today: date, initial: str = "") -> None:
        super().__init__()
        self.when_title = title
        self.today = today
        self.initial = initial
        self.day: date | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.when_title, classes="dialog-title", markup=False)
            yield Input(self.initial, placeholder=task_words.WHEN_HINT, id="when-input")
            yield Static("", id="when-preview", classes="dialog-text")
            yield Static("enter confirma · esc cancela", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#when-input", Input).focus()
        self._preview(self.initial)

    @on(Input.Changed, "#when-input")
    def _changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def _preview(self, text: str) -> None:
        preview = self.query_one("#when-preview", Static)
        self.day = None
        if not text.strip():
            preview.update(task_words.WHEN_PLACEHOLDER)
            preview.remove_class("error")
            return
        try:
            self.day = resolve_when(text, today=self.today)
        except ClientError as error:
            preview.update(str(error))
            preview.add_class("error")
            return
        preview.update(f"→ {describe_day(self.day, self.today)}")
        preview.remove_class("error")

    @on(Input.Submitted, "#when-input")
    def _submitted(self) -> None:
        if self.day is not None:
            self.dismiss(self.day)

    def action_cancel(self) -> None:
        self.dismiss(None)
