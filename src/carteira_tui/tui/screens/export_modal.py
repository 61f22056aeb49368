"""`ExportModal`: ask where to write the clients the Clientes pane shows (`e`, `:exportar`)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from carteira_tui.services.export import FORMATS
from carteira_tui.tui.widgets.frame_table import format_int
from carteira_tui.vocab import clients as client_words

DEFAULT_FILE = "clientes.csv"


class ExportModal(ModalScreen[Path | None]):
    """A file name (.csv, .xlsx or .json); enter exports, esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="export.cancel"),
    ]

    def __init__(self, count: int, *, default: str = DEFAULT_FILE) -> None:
        super().__init__()
        self.count = count
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="clients-dialog"):
            yield Static(
                client_words.export_title(format_int(self.count)),
                classes="clients-dialog-title",
            )
            with Horizontal(classes="clients-dialog-row"):
                yield Static("Arquivo:", classes="clients-dialog-label")
                yield Input(self.default, placeholder="clientes.csv", id="export-path")
            yield Static(
                client_words.EXPORT_HINT,
                classes="clients-dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip() or path.suffix.lower() not in FORMATS:
            self.notify(client_words.EXPORT_SUFFIX, severity="warning", timeout=3)
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
