"""`ClientModal`: every field of one client's row, read-only (the full card is elsewhere)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from carteira_tui import vocab
from carteira_tui.services.views import SEARCH_KEY
from carteira_tui.tui.widgets.clients.columns import FIELD_LABELS
from carteira_tui.tui.widgets.frame_table import (
    format_flag,
    format_money_cents,
    format_status,
    format_text,
)


class ClientModal(ModalScreen[None]):
    """A simple card with every field of one client's row (the full card comes later)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss", "Fechar", id="client.close"),
    ]

    def __init__(self, row: dict[str, Any]) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        lines = []
        for key, value in self.row.items():
            if key == SEARCH_KEY:
                continue
            label = FIELD_LABELS.get(key, key)
            if key == "monetary_cents":
                text = format_money_cents(value)
            elif key == "status":
                text = format_status(value)
            elif isinstance(value, bool):
                text = format_flag(value)
            elif isinstance(value, date):
                text = value.strftime("%d/%m/%Y")
            else:
                text = format_text(value)
            lines.append(f"{label}: {text}")
        with VerticalScroll(id="client-card"):
            yield Static(str(self.row.get("name") or "Cliente"), id="client-card-title")
            yield Static("\n".join(lines), id="client-card-fields", markup=False)
            yield Static(vocab.HINT_CLOSE, id="client-card-hint")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
