"""The Cliente card: one client's profile, orders, spend, tasks, timeline, segmentation, quality.

Opened with enter from any list (the app routes `ClientOpenRequested` here; the Tarefas pane posts
it too); esc goes back. It reads through `services.clients.client_card` and
`services.segmentation.explain_client` in a thread worker and acts through `services.clients`
(log a contact, add a note, edit a field, set a follow-up), reloading itself after each write.

The screen composes the sections and keeps the keys and scrolling; reading and showing the card
are the shared base `CardPane`, the writes are `CardEdits` and each section's text is
`sections.py` (`tui/widgets/card/`).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from carteira_tui.config import Settings
from carteira_tui.services.today import local_today
from carteira_tui.tui.widgets.card.edits import CardEdits
from carteira_tui.vocab import card as words


def today() -> date:
    """The day actions are dated with: today in Brazil, the one function the CLI uses
    (`services.today.local_today`); Tarefas reads it too, and tests replace it for a fixed clock."""
    return local_today(Settings())


class ClientCardScreen(CardEdits):
    """One client on a full screen; esc goes back to the list it was opened from."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Voltar", id="card.close"),
        Binding("i", "log_contact", "Registrar contato", id="card.log"),
        Binding("n", "add_note", "Nota", id="card.note"),
        Binding("e", "edit_field", "Editar", id="card.edit"),
        Binding("f", "follow_up", "Retorno", id="card.follow_up"),
        Binding("j,down", "scroll('down')", "Rolar abaixo", show=False, id="card.down"),
        Binding("k,up", "scroll('up')", "Rolar acima", show=False, id="card.up"),
        Binding("ctrl+d,pagedown", "scroll('page_down')", "Página", show=False, id="card.pgdn"),
        Binding("ctrl+u,pageup", "scroll('page_up')", "Página", show=False, id="card.pgup"),
        Binding("g,home", "scroll('home')", "Início", show=False, id="card.home"),
        Binding("G,end", "scroll('end')", "Fim", show=False, id="card.end"),
        Binding("r", "reload", "Recarregar", show=False, id="card.reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(words.LOADING, id="card-title", markup=False)
        yield Static("", id="card-headline", markup=False)
        with VerticalScroll(id="card-body"):
            for key, title in words.SECTIONS:
                yield Static(title, classes="card-section-title")
                yield Static("…", id=f"card-{key}", classes="card-section", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#card-body").focus()
        self._load()

    def action_reload(self) -> None:
        self._load()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#card-body", VerticalScroll)
        {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
            "home": body.scroll_home,
            "end": body.scroll_end,
        }[where](animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The write keys wait until the client is loaded."""
        if action in {"log_contact", "add_note", "edit_field", "follow_up"}:
            return self.card is not None
        return True
