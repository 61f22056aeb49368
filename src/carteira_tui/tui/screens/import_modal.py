"""`ImportModal` (what to import, from which file) and `ImportErrorsModal` (why nothing was).

Both belong to the Clientes pane (`i`, `:importar`); the import itself runs in the screen's
worker through services.imports.import_file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from carteira_tui.vocab import clients as client_words

KIND_LABELS: dict[str, str] = {
    "clients": "Clientes",
    "orders": "Pedidos",
    "interactions": "Interações",
}

KIND_WORDS: dict[str, str] = {
    "clientes": "clients",
    "clients": "clients",
    "pedidos": "orders",
    "orders": "orders",
    "interacoes": "interactions",
    "interações": "interactions",
    "interactions": "interactions",
}
"""What a person may type for each kind in `:importar KIND FILE`."""

ERRORS_SHOWN = 20


@dataclass(frozen=True)
class ImportRequest:
    """Import `path` as `kind` (clients, orders or interactions)."""

    kind: str
    path: Path


class ImportModal(ModalScreen[ImportRequest | None]):
    """Pick the kind of file, then type its path; enter imports, esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="import.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="clients-dialog"):
            yield Static(client_words.IMPORT_TITLE, classes="clients-dialog-title")
            yield OptionList(
                *[Option(label, id=key) for key, label in KIND_LABELS.items()], id="import-kinds"
            )
            with Horizontal(id="import-file", classes="clients-dialog-row hidden"):
                yield Static("Arquivo:", classes="clients-dialog-label")
                yield Input(placeholder=client_words.IMPORT_PLACEHOLDER, id="import-path")
            yield Static(
                client_words.IMPORT_HINT,
                classes="clients-dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#import-kinds", OptionList).focus()

    @on(OptionList.OptionSelected, "#import-kinds")
    def _kind_chosen(self, event: OptionList.OptionSelected) -> None:
        self.kind = event.option.id
        self.query_one("#import-kinds").add_class("hidden")
        self.query_one("#import-file").remove_class("hidden")
        self.query_one("#import-path", Input).focus()

    @on(Input.Submitted, "#import-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text or self.kind is None:
            self.notify(client_words.IMPORT_FILE_REQUIRED, severity="warning", timeout=3)
            return
        self.dismiss(ImportRequest(self.kind, Path(text).expanduser()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportErrorsModal(ModalScreen[None]):
    """The first bad rows of a failed import, as `FILE:ROW: column: reason`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Fechar", id="import-errors.close"),
    ]

    def __init__(self, summary: str, errors: list[str], total: int) -> None:
        super().__init__()
        self.summary = summary
        self.errors = errors
        self.total = total

    def compose(self) -> ComposeResult:
        lines = self.errors[:ERRORS_SHOWN]
        more = self.total - len(lines)
        if more > 0:
            lines = [*lines, client_words.more_errors(more)]
        with VerticalScroll(id="import-errors", classes="clients-dialog"):
            yield Static(client_words.IMPORT_REFUSED_TITLE, classes="clients-dialog-title")
            yield Static(self.summary, markup=False)
            yield Static("\n".join(lines), id="import-error-lines", markup=False)
            yield Static(
                client_words.IMPORT_REFUSED_HINT,
                classes="clients-dialog-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
