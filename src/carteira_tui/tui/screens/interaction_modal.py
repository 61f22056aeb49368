"""`InteractionModal`: log a contact on the Cliente card (`i`): channel, kind, outcome, note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from carteira_tui.vocab import tasks as task_words

CHANNEL_HINT = "WhatsApp, telefone, e-mail, SMS, visita"


@dataclass(frozen=True)
class Contact:
    """What the person typed; validated by `services.clients.log_interaction`."""

    channel: str | None
    kind: str | None
    outcome: str
    note: str | None


class InteractionModal(ModalScreen[Contact | None]):
    """Four inputs; enter on any of them records the contact (the outcome is required)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="interaction.cancel"),
    ]

    FIELDS: ClassVar[list[tuple[str, str, str]]] = [
        ("channel", "Canal", CHANNEL_HINT),
        ("kind", "Tipo", task_words.INTERACTION_KIND_PLACEHOLDER),
        ("outcome", "Resultado", task_words.INTERACTION_OUTCOME_PLACEHOLDER),
        ("note", "Observação", "opcional"),
    ]

    def __init__(self, title: str, channel: str | None = None) -> None:
        super().__init__()
        self.contact_title = title
        self.channel = channel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.contact_title, classes="dialog-title", markup=False)
            for key, label, placeholder in self.FIELDS:
                with Horizontal(classes="dialog-row"):
                    yield Static(label, classes="dialog-label")
                    initial = (self.channel or "") if key == "channel" else ""
                    yield Input(initial, placeholder=placeholder, id=f"contact-{key}")
            yield Static(task_words.INTERACTION_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#contact-outcome", Input).focus()

    def _value(self, key: str) -> str | None:
        return self.query_one(f"#contact-{key}", Input).value.strip() or None

    @on(Input.Submitted)
    def _submitted(self) -> None:
        outcome = self._value("outcome")
        if outcome is None:
            self.notify(task_words.INTERACTION_OUTCOME_REQUIRED, severity="warning")
            self.query_one("#contact-outcome", Input).focus()
            return
        self.dismiss(
            Contact(self._value("channel"), self._value("kind"), outcome, self._value("note"))
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
