"""`CarteiraApp`: the Textual shell — three panes as MODES (1/2/3), global keys and themes.

`carteira tui` (cli/app.py) runs it on a database path. The Clientes pane gets its data from a
loader callable (by default `load_portfolio` over `services.segmentation`), so tests hand it
frames they build.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.keys import key_to_character
from textual.notifications import Notify
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from carteira_tui.config import Settings
from carteira_tui.services import session
from carteira_tui.services.settings import effective_settings
from carteira_tui.tui.commands import PaneActionsProvider
from carteira_tui.tui.crash import CrashReportingApp
from carteira_tui.tui.messages import ClientOpenRequested, ClientsLoaded, DataChanged, Portfolio
from carteira_tui.tui.notifications import inline_title
from carteira_tui.tui.screens.cleaning import CleaningScreen
from carteira_tui.tui.screens.client_card import ClientCardScreen
from carteira_tui.tui.screens.clients import ClientsScreen, load_portfolio
from carteira_tui.tui.screens.confirm_modal import ConfirmModal
from carteira_tui.tui.screens.help import HelpModal
from carteira_tui.tui.screens.merge import MergeScreen
from carteira_tui.tui.screens.plans import PlansScreen
from carteira_tui.tui.screens.segments import (
    ClientsFilterRequested,
    SegmentationFinished,
    SegmentsScreen,
)
from carteira_tui.tui.screens.tasks import TasksScreen
from carteira_tui.tui.screens.today import TodayScreen
from carteira_tui.tui.terminal_safety import harden_text_rendering
from carteira_tui.vocab import app as app_words
from carteira_tui.vocab import segments as segment_words

harden_text_rendering()  # Trust: client text never drives the terminal

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"

KEY_WORDS: dict[str, str] = {
    "escape": "esc",
    "slash": "/",
    "question_mark": "?",
    "space": "espaço",
    "delete": "del",
    "bracketleft": "[",
    "bracketright": "]",
}
"""Keys shown by the word people write for them; printable keys show as their character."""


def key_as_written(key: str) -> str:
    """A Textual key name as people write it in help: `esc`, `:`, `*`, `?`, `ctrl+p`, `enter`."""
    if key in KEY_WORDS:
        return KEY_WORDS[key]
    character = key_to_character(key)
    return character if character is not None and character.isprintable() else key


PANES: dict[str, str] = {
    "clientes": "Clientes",
    "segmentos": "Segmentos",
    "hoje": "Hoje",
    "tarefas": "Tarefas",
}


class CarteiraApp(CrashReportingApp):
    """The portfolio app: Clientes, Segmentos and Tarefas panes over one database."""

    CSS_PATH = "app.tcss"
    TITLE = "carteira"
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMANDS = App.COMMANDS | {PaneActionsProvider}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('clientes')", "Clientes", show=False, id="app.clientes"),
        Binding("2", "switch_mode('segmentos')", "Segmentos", show=False, id="app.segmentos"),
        Binding("3", "switch_mode('hoje')", "Hoje", show=False, id="app.hoje"),
        Binding("l", "cleaning", "Limpeza", show=False, id="app.limpeza"),
        Binding("question_mark", "help", "Ajuda", id="app.help"),
        Binding("ctrl+t", "toggle_theme", "Tema", show=False, id="app.theme"),
        Binding("asterisk", "toggle_masking", "Ocultar dados", show=False, id="app.mask"),
        Binding("q", "quit", "Sair", id="app.quit"),
        Binding("colon", "command_line", "Comando", show=False, id="app.command"),
        Binding(
            "ctrl+p", "command_palette", "Comandos", show=False, priority=True, id="app.palette"
        ),
    ]

    db_name: reactive[str] = reactive("")
    as_of: reactive[date | None] = reactive(None)
    client_count: reactive[int | None] = reactive(None)
    masked: reactive[bool] = reactive(False)
    """Personal fields (CPF/CNPJ, phone, e-mail…) partly hidden, for screen sharing."""

    def __init__(
        self,
        db_path: Path | str,
        *,
        settings: Settings | None = None,
        loader: Callable[[], Portfolio] | None = None,
        watch_interval: float | None = None,
    ) -> None:
        super().__init__()
        # No animated scrolling anywhere: over SSH every frame of an animation is paid in bytes.
        self.animation_level = "none"
        self.db_path = Path(db_path)
        # defaults ← the shared settings in the database, with the person's own preferences
        self.settings = settings if settings is not None else effective_settings(self.db_path)
        session.apply_settings(self.settings)
        self.watch_interval = watch_interval
        self._data_token: str | None = None
        self.data_changes = 0
        """How many outside writes the app has noticed (panes compare it when shown again)."""
        self.loader = loader or (lambda: load_portfolio(self.db_path, self.settings))
        self.theme = DARK_THEME
        badge = " · somente leitura" if session.is_read_only() else ""
        self.set_reactive(CarteiraApp.db_name, self.db_path.name + badge)
        self.add_mode("clientes", lambda: ClientsScreen(self.loader))
        self.add_mode("segmentos", SegmentsScreen)
        self.add_mode("tarefas", TasksScreen)
        self.add_mode("hoje", TodayScreen)
        self.first_pane = "clientes"
        """The pane shown first; `carteira tui` sets the person's preference (Hoje by default)."""

    def _on_notify(self, event: Notify) -> None:
        """One notification at a time: a new one replaces the one on screen (Textual's own
        handler stacks them, and three toasts covered most of the list at 80×24), its title
        on the same line (`tui.notifications`)."""
        self._notifications.clear()
        event.notification = inline_title(event.notification)
        super()._on_notify(event)

    @property
    def me(self) -> str:
        """Who is using the app: the settings' `me` when set, else the system user."""
        configured = getattr(self.settings, "me", None)
        return str(configured) if configured else getpass.getuser()

    def on_mount(self) -> None:
        first = self.first_pane if self.first_pane in PANES else "clientes"
        self.switch_mode(first)
        if first != "clientes":
            self._load_header()  # the Clientes pane fills the header when it loads; not shown yet
        if self.watch_interval:
            self.set_interval(self.watch_interval, self._check_for_changes)

    @work(thread=True, group="header", exit_on_error=False)
    def _load_header(self) -> None:
        """The status line's data-base date and client count when the app opens on another pane
        than Clientes (the last kept result, read in a thread). A database without a kept result
        of its own (a copy, a backup restored elsewhere) is segmented here, as the Clientes pane
        would, so the line never says "0 clientes" over a portfolio that has clients."""
        portfolio = self.loader()
        if portfolio.as_of is None:
            from carteira_tui.services import segmentation
            from carteira_tui.tui.context import today

            shown = segmentation.shown_results(self.db_path, settings=self.settings)
            if shown.as_of is None and not session.is_read_only():
                run = segmentation.resegment(self.db_path, as_of=today(), settings=self.settings)
                shown = segmentation.SegmentResults(run.frame, run.as_of, run.generation, False)
            if shown.as_of is not None:
                portfolio = Portfolio(shown.frame, shown.as_of, stale=shown.stale)
        self.post_message(ClientsLoaded(portfolio))

    def on_unmount(self) -> None:
        session.close_watchers()

    def _check_for_changes(self) -> None:
        if not any(w.group == "data-watch" and w.is_running for w in self.workers):
            self._poll_data_version()

    @work(thread=True, group="data-watch", exit_on_error=False)
    def _poll_data_version(self) -> None:
        """Ask SQLite whether any other connection committed since the last look."""
        if not self.db_path.exists():
            return
        change = session.changed_since(self.db_path, self._data_token)
        self._data_token = change.token
        if change.changed:
            self.post_message(DataChanged())

    def on_data_changed(self, _message: DataChanged) -> None:
        """Someone (another person, a script, or this app's own worker) wrote to the file:
        reload the pane on screen so it never shows a stale picture; panes not on screen
        compare `data_changes` when they are shown again."""
        self.data_changes += 1
        reload = getattr(self.screen, "action_reload", None)
        if callable(reload):
            reload()

    def on_clients_loaded(self, message: ClientsLoaded) -> None:
        """Keep the status line's as-of date and client count current (and a stale Segmentos
        board in step, e.g. after the Clientes pane re-segmented in the background)."""
        self.as_of = message.portfolio.as_of
        self.client_count = message.portfolio.frame.height
        with suppress(KeyError):  # the Segmentos pane has not been opened yet
            for screen in self.get_screen_stack("segmentos"):
                if isinstance(screen, SegmentsScreen):
                    screen.reload_if_stale()

    def on_client_open_requested(self, message: ClientOpenRequested) -> None:
        """Open the Cliente card (from any list) on client `client_id`."""
        self.push_screen(ClientCardScreen(message.client_id))

    async def on_clients_filter_requested(self, message: ClientsFilterRequested) -> None:
        """Show the Clientes pane filtered by the message's text (the Segmentos drill-down)."""
        await self.switch_mode("clientes")
        for screen in self.get_screen_stack("clientes"):
            if isinstance(screen, ClientsScreen):
                screen.action_filter()
                screen.query_one("#filter-input", Input).value = message.filter_text
                screen.table.focus()
        self.notify(app_words.clients_of(message.label), title=segment_words.TITLE, timeout=3)

    def on_segmentation_finished(self, _message: SegmentationFinished) -> None:
        """Reload the Clientes pane after a re-segmentation in another pane."""
        with suppress(KeyError):  # the Clientes pane has not been opened yet (Hoje opens first)
            for screen in self.get_screen_stack("clientes"):
                if isinstance(screen, ClientsScreen):
                    screen.action_reload()

    async def action_switch_mode(self, mode: str) -> None:
        """Show pane `mode` (the keys 1/2/3), leaving Limpeza first when it is open over it."""
        while isinstance(self.screen, (CleaningScreen, PlansScreen)):
            self.pop_screen()
        await self.switch_mode(mode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`:` is the Clientes pane's command line: it does nothing on the other panes."""
        if action == "command_line":
            return isinstance(self.screen, ClientsScreen)
        return True

    async def action_command_line(self) -> None:
        """`:` on the Clientes pane opens its command line."""
        if isinstance(self.screen, ClientsScreen):
            await self.screen.run_action("command_line")

    def _unfinished_work(self) -> str | None:
        """What leaving now would abandon: an open review or dialog (None when nothing is)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MergeScreen):
                return app_words.OPEN_REVIEW
            if isinstance(screen, ModalScreen) and not isinstance(screen, HelpModal):
                return app_words.OPEN_DIALOG
        return None

    async def action_quit(self) -> None:
        """`q` leaves at once, but asks first when a review or a dialog is open."""
        unfinished = self._unfinished_work()
        if unfinished is None:
            self.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        self.push_screen(
            ConfirmModal(app_words.QUIT_QUESTION, app_words.quit_note(unfinished)),
            answered,
        )

    def action_cleaning(self) -> None:
        """Open the Limpeza screen over the current pane (once: it is not stacked twice)."""
        if not any(isinstance(screen, CleaningScreen) for screen in self.screen_stack):
            self.push_screen(CleaningScreen())

    def action_plans(self) -> None:
        """Open the Planos screen over the current pane (once: it is not stacked twice)."""
        if not any(isinstance(screen, PlansScreen) for screen in self.screen_stack):
            self.push_screen(PlansScreen())

    def action_toggle_masking(self) -> None:
        """Hide or show most of each personal field (CPF/CNPJ, phone, e-mail, CEP, birth date)."""
        self.masked = not self.masked
        state = "ocultos" if self.masked else "visíveis"
        self.notify(f"Dados pessoais {state}.", title="Privacidade", timeout=3)
        render = getattr(self.screen, "_render_card", None)
        if callable(render):
            render()

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME

    def action_help(self) -> None:
        """Show every key of the current pane."""
        by_action: dict[str, tuple[list[str], str]] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.id is None or not binding.description:
                continue
            key = key_as_written(binding.key)
            by_action.setdefault(binding.action, ([], binding.description))[0].append(key)
        keys = [
            (", ".join(sorted(k, key=lambda key: (len(key), key))), description)
            for k, description in by_action.values()
        ]
        title = getattr(self.screen, "PANE_TITLE", "") or "carteira"
        self.push_screen(HelpModal(title, keys))

    def action_command_palette(self) -> None:
        """Open the command palette, prompting in pt-BR."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(placeholder="Buscar comandos…", id="--command-palette"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette lists the panes, the theme switch, help and quit, in pt-BR."""
        for mode, title in PANES.items():
            yield SystemCommand(
                f"Ir para {title}", f"Mostra o painel {title}", self._switcher(mode)
            )
        yield SystemCommand(
            "Limpeza", "Duplicados, campos inválidos e contatos parados", self.action_cleaning
        )
        yield SystemCommand(
            "Planos de ação",
            "Planos e datas comemorativas (Natal, Dia das Mães…) que geram tarefas",
            self.action_plans,
        )
        yield SystemCommand("Alternar tema", "Tema claro / escuro", self.action_toggle_theme)
        yield SystemCommand(
            "Ocultar/mostrar dados pessoais",
            "CPF/CNPJ, telefone e e-mail parcialmente ocultos (compartilhar a tela)",
            self.action_toggle_masking,
        )
        yield SystemCommand("Ajuda", "Teclas do painel atual", self.action_help)
        yield SystemCommand("Sair", "Fecha o aplicativo", self.exit)

    def _switcher(self, mode: str) -> Callable[[], object]:
        return lambda: self.switch_mode(mode)
