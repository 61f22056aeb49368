"""Saved views of the Clientes pane: `SaveViewModal` (`ctrl+s`) and `ViewsModal` (`ctrl+o`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from carteira_tui.services.views import SavedView
from carteira_tui.vocab import clients as client_words


def describe_view(view: SavedView, labels: Mapping[str, str] | None = None) -> str:
    """One pt-BR line: the view's filter, search and sort (`labels` names the sort column)."""
    parts = []
    if view.filter_text:
        parts.append(f"filtro: {view.filter_text}")
    if view.search:
        parts.append(f"busca: {view.search}")
    if view.sort_column:
        column = (labels or {}).get(view.sort_column, view.sort_column)
        parts.append(f"ordem: {column}{' ↓' if view.sort_descending else ' ↑'}")
    return " · ".join(parts) or client_words.ALL_CLIENTS


@dataclass(frozen=True)
class ViewChoice:
    """The view picked in `ViewsModal`, to open or (with `delete`) to delete."""

    name: str
    delete: bool = False


class SaveViewModal(ModalScreen[str | None]):
    """A name for the current filter + search + sort; enter saves, esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="save-view.cancel"),
    ]

    def __init__(self, description: str, *, name: str = "") -> None:
        super().__init__()
        self.description = description
        self.initial = name

    def compose(self) -> ComposeResult:
        with Vertical(id="save-view-dialog", classes="clients-dialog"):
            yield Static(client_words.SAVE_VIEW_TITLE, classes="clients-dialog-title")
            yield Static(self.description, markup=False)
            with Horizontal(classes="clients-dialog-row"):
                yield Static("Nome:", classes="clients-dialog-label")
                yield Input(self.initial, placeholder=client_words.VIEW_PLACEHOLDER, id="view-name")
            yield Static(client_words.SAVE_VIEW_HINT, classes="clients-dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#view-name", Input).focus()

    @on(Input.Submitted, "#view-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.notify(client_words.VIEW_NAME_REQUIRED, severity="warning", timeout=3)
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ViewsModal(ModalScreen[ViewChoice | None]):
    """The saved views: enter opens one, `d` deletes it, esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Fechar", id="views.cancel"),
        Binding("d,delete", "delete", "Apagar", id="views.delete"),
    ]

    def __init__(self, views: list[SavedView], labels: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.views = views
        self.labels = labels

    def compose(self) -> ComposeResult:
        with Vertical(id="views-dialog", classes="clients-dialog"):
            yield Static(client_words.SAVED_VIEWS_TITLE, classes="clients-dialog-title")
            if self.views:
                yield OptionList(
                    *[
                        Option(f"{view.name}\n  {describe_view(view, self.labels)}", id=view.name)
                        for view in self.views
                    ],
                    id="views-list",
                )
            else:
                yield Static(client_words.NO_SAVED_VIEWS)
            yield Static("enter abre · d apaga · esc fecha", classes="clients-dialog-hint")

    def on_mount(self) -> None:
        if self.views:
            self.query_one("#views-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#views-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(ViewChoice(event.option.id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`d` applies only when there is a view to delete."""
        if action == "delete":
            return bool(self.views)
        return True

    def action_delete(self) -> None:
        options = self.query_one("#views-list", OptionList)
        if options.highlighted is None:
            return
        option_id = options.get_option_at_index(options.highlighted).id
        if option_id is not None:
            self.dismiss(ViewChoice(option_id, delete=True))

    def action_cancel(self) -> None:
        self.dismiss(None)
