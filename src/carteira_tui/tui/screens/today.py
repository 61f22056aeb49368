"""The Hoje pane (key 3, where the app opens): whom to contact today, why and on which channel.

One row per client with contact work due up to today (`services.today.today_queue`), most urgent
first. `d` logs how the contact went (it closes the client's contact tasks when it reached them),
`s` snoozes and `r` reassigns the client's work as a whole. `d` and `s` open no dialog: the lines
under the table list the choices and one digit records it (enter opens the full dialog, for a
note, a follow-up or another day; esc cancels), so the next client shows without a screen to
close. `m` toggles mine/all, `/` searches,
`f` filters, enter opens the client's card, `t` shows the full task list. Reads and writes run in
thread workers that call one service and post a past-tense message.

The screen composes its widgets and keeps the keys, the view (whose queue, search, filter) and
opening the client; loading and the lines are the shared base `TodayPane`, acting on the client
is `ContactActions` and the one-digit bar `ChoiceBar` (`tui/widgets/today/`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from carteira_tui.services.clients import list_owners
from carteira_tui.tui.messages import ClientOpenRequested
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.outcome_modal import OUTCOMES
from carteira_tui.tui.screens.text_modal import TextModal
from carteira_tui.tui.widgets.status_line import StatusLine
from carteira_tui.tui.widgets.steady_footer import SteadyFooter
from carteira_tui.tui.widgets.task_queue import TaskQueue
from carteira_tui.tui.widgets.today.choice_bar import ChoiceBar
from carteira_tui.tui.widgets.today.view import FILTERS, TODAY_COLUMNS
from carteira_tui.tui.widgets.today_detail import TodayDetail
from carteira_tui.vocab import today as words


class TodayScreen(ChoiceBar):
    """Today's queue, one row per client: log the contact, snooze, reassign, open the client."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", "Contato feito", id="today.done"),
        Binding("s", "snooze", "Adiar", id="today.snooze"),
        Binding("r", "reassign", "Reatribuir", id="today.reassign"),
        Binding("m", "toggle_mine", "Minhas/todas", id="today.mine"),
        Binding("o", "pick_owner", "Responsável", show=False, id="today.owner"),
        Binding("slash", "search", "Buscar", id="today.search"),
        Binding("f", "filter", "Filtrar", id="today.filter"),
        Binding("t", "all_tasks", "Todas as tarefas", id="today.tasks"),
        Binding("ctrl+r", "reload", "Recarregar", show=False, id="today.reload"),
        # the choice bar's keys (d, s): active only while it is open, else they fall through
        *[
            Binding(
                str(n), f"choose({n})", f"Escolha {n} da barra", show=False, id=f"today.choose{n}"
            )
            for n in range(1, len(OUTCOMES) + 1)
        ],
        Binding("escape", "close_bar", "Cancelar", show=False, id="today.cancel"),
    ]

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static(self.view.describe(None), id="today-filter", markup=False)
        yield TaskQueue(TODAY_COLUMNS, id="today-table")
        yield TodayDetail(id="today-detail")
        yield Static(words.LOADING, id="today-summary", markup=False)
        yield SteadyFooter()  # closing a dialog keeps the footer's keys when they are the same

    def on_mount(self) -> None:
        self.table.focus()
        self._load(self.view, None)

    @on(TaskQueue.RowHighlighted)
    def _highlighted(self) -> None:
        self._update_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row keys apply only with a client under the cursor."""
        if action in {"done", "snooze", "reassign"}:
            return self.is_mounted and self.table.cursor_id is not None
        if action == "choose":
            return self.bar_choice_allowed(int(str(parameters[0])))  # else digits switch panes
        if action == "close_bar":
            return self._bar is not None  # esc does what it does elsewhere
        return True

    # -- view ---------------------------------------------------------------------------------

    def action_toggle_mine(self) -> None:
        self._load(replace(self.view, mine=not self.view.mine, owner=None), None)

    def action_pick_owner(self) -> None:
        """Any owner's queue (a picker), or everybody's."""
        self._list_owners()

    @work(thread=True, exclusive=True, group="today-owners", exit_on_error=False)
    def _list_owners(self) -> None:
        owners = list_owners(self.db_path)
        self.app.call_from_thread(self._choose_owner, owners)

    def _choose_owner(self, owners: list[str]) -> None:
        self._ask(
            ChoiceModal(
                words.PICK_OWNER,
                [("-", words.EVERY_OWNER), *[(name, name) for name in owners]],
                current=self.view.owner or "-",
            ),
            self._owner_chosen,
        )

    def _owner_chosen(self, owner: str | None) -> None:
        if owner is not None:
            chosen = None if owner == "-" else owner
            # set now: closing the picker resumes the pane, which reloads `self.view`
            self.view = replace(self.view, owner=chosen, mine=False)
            self._load(self.view, None)

    def action_reload(self) -> None:
        self._load(self.view, self.table.cursor_id)

    def action_search(self) -> None:
        self._ask(
            TextModal(words.SEARCH_TITLE, self.view.search, words.SEARCH_PLACEHOLDER),
            lambda text: (
                None if text is None else self._show(replace(self.view, search=text), None)
            ),
        )

    def action_filter(self) -> None:
        self._ask(
            ChoiceModal(
                words.FILTER_TITLE,
                [(key or "-", label) for key, label in FILTERS.items()],
                current=self.view.filter or "-",
            ),
            lambda key: (
                None
                if key is None
                else self._show(replace(self.view, filter="" if key == "-" else key), None)
            ),
        )

    async def action_all_tasks(self) -> None:
        """The full task list (every task, every state), one key away."""
        await self.app.switch_mode("tarefas")

    @on(TaskQueue.RowSelected)
    def _open_client(self, _event: TaskQueue.RowSelected) -> None:
        if self._bar is not None:  # enter in the choice bar: the full dialog, not the card
            self.action_full_dialog()  # (the table's enter, so "d" then enter typed at once
            return  # reach it in order)
        row = self.current_row()
        if row is not None:
            self.post_message(ClientOpenRequested(int(row["client_id"]), None))
