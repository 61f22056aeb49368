"""The Hoje pane (key 3, where the app opens): whom to contact today, why and on which channel.

One row per client with contact work due up to today (`services.today.today_queue`), most urgent
first. `d` logs how the contact went (it closes the client's contact tasks when it reached them),
`s` snoozes and `r` reassigns the client's work as a whole. `d` and `s` open no dialog: the lines
under the table list the choices and one digit records it (enter opens the full dialog, for a
note, a follow-up or another day; esc cancels), so the next client shows without a screen to
close. `m` toggles mine/all, `/` searches,
`f` filters, enter opens the client's card, `t` shows the full task list. Reads and writes run in
thread workers that call one service and post a past-tense message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import polars as pl
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from carteira_tui.config import Settings
from carteira_tui.engine.calendar import holidays_around, roll_forward
from carteira_tui.engine.segments import CADENCE_LABELS
from carteira_tui.engine.tasks import reached_client
from carteira_tui.errors import CarteiraError
from carteira_tui.model import CHANNEL_LABELS, fold_text
from carteira_tui.services import session
from carteira_tui.services import tasks as task_service
from carteira_tui.services.clients import list_owners, resolve_when
from carteira_tui.services.today import contact_logged, local_today, today_queue
from carteira_tui.tui.messages import ClientOpenRequested
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.outcome_modal import OUTCOMES, Outcome, OutcomeModal
from carteira_tui.tui.screens.tasks import format_urgency
from carteira_tui.tui.screens.text_modal import TextModal
from carteira_tui.tui.screens.when_modal import WEEKDAYS, WhenModal
from carteira_tui.tui.widgets.frame_table import Column
from carteira_tui.tui.widgets.status_line import StatusLine
from carteira_tui.tui.widgets.steady_footer import SteadyFooter
from carteira_tui.tui.widgets.task_queue import TaskQueue
from carteira_tui.tui.widgets.today_detail import TodayDetail

Answer = TypeVar("Answer")


def _channel(value: Any) -> str:
    return CHANNEL_LABELS.get(value or "", "sem canal")


def _cadence(value: Any) -> str:
    return CADENCE_LABELS.get(value or "", "—")


TODAY_COLUMNS: list[Column] = [
    Column("urgency", "Urg.", 5, format_urgency, align_right=True, priority=0),
    Column("name", "Cliente", 20, priority=1),
    Column("channel", "Canal", 9, _channel, priority=2),
    Column("cadence", "Cadência", 9, _cadence, priority=5),
    Column("titles", "Tarefas", 24, priority=3),
    Column("why", "Por quê", 30, priority=4, flex=True),
]

FILTERS: dict[str, str] = {
    "": "todos",
    "atrasado": "cadência atrasada",
    "whatsapp": "por WhatsApp",
    "telefone": "por telefone",
    "email": "por e-mail",
    "sms": "por SMS",
}


SNOOZE_CHOICES: tuple[tuple[str, str], ...] = (
    ("amanhã", "amanhã"),
    ("+2du", "em 2 dias úteis"),
    ("+7d", "em 7 dias"),
    ("+30d", "em 30 dias"),
)
"""Snooze's one-key choices (`resolve_when` text, pt-BR label); enter opens the dialog."""


def outcome_choices(channel: str | None) -> str:
    """The outcome bar's choices as two lines, the dialog's outcomes with its digits."""
    labels = [*OUTCOMES[:-1], f"Não quer mais {_channel(channel)}" if channel else OUTCOMES[-1]]
    numbered = [f"{n} {label}" for n, label in enumerate(labels, start=1)]
    return f"{' · '.join(numbered[:4])}\n{' · '.join(numbered[4:])}"


def snooze_days(day: date, settings: Settings) -> list[date]:
    """The days snooze's one-key choices store, as of `day`: `resolve_when`, rolled forward to a
    business day with the extra holidays as `services.tasks.snooze_tasks` does."""
    days = [resolve_when(text, today=day) for text, _label in SNOOZE_CHOICES]
    return [
        roll_forward(when, holidays_around(when, extra=settings.extra_holidays)) for when in days
    ]


def snooze_choices(days: list[date]) -> str:
    """The snooze bar's choices (`days`: `snooze_days`) as two lines: `1 amanhã, quarta
    25/11 · 2 …`."""
    numbered = [
        f"{n} {label}, {WEEKDAYS[when.weekday()]} {when.strftime('%d/%m')}"
        for n, ((_text, label), when) in enumerate(zip(SNOOZE_CHOICES, days, strict=True), start=1)
    ]
    return f"{' · '.join(numbered[:2])}\n{' · '.join(numbered[2:])}"


def today() -> date:
    """The pane's day: today in Brazil (tests replace it for a fixed clock)."""
    return local_today(Settings())


@dataclass(frozen=True)
class TodayView:
    """Whose queue (`mine`), the search text and the filter key (`FILTERS`)."""

    mine: bool = False
    search: str = ""
    filter: str = ""
    owner: str | None = None
    """Another owner's queue, chosen with `o` (None: mine or everybody's, by `mine`)."""

    def describe(self, owner: str | None) -> str:
        """`Hoje: Ana · cadência atrasada · busca "padaria"` in pt-BR."""
        whose = owner if (self.mine or self.owner) and owner else "todos os responsáveis"
        parts = [f"Hoje: {whose}"]
        if self.filter:
            parts.append(FILTERS[self.filter])
        if self.search:
            parts.append(f'busca "{self.search}"')
        return " · ".join(parts)


def shown_rows(rows: pl.DataFrame, view: TodayView) -> pl.DataFrame:
    """The queue's rows with `id` (the client id) and `titles`, narrowed by search and filter."""
    frame = rows.with_columns(
        pl.col("client_id").alias("id"),
        pl.col("tasks")
        .list.eval(pl.element().struct.field("title"))
        .list.join(" | ")
        .alias("titles"),
    )
    if view.filter == "atrasado":
        frame = frame.filter(pl.col("cadence") == "atrasado")
    elif view.filter:
        frame = frame.filter(pl.col("channel") == view.filter)
    if view.search:
        words = fold_text(view.search)
        text = pl.concat_str(
            [pl.col("external_id"), pl.col("name"), pl.col("titles"), pl.col("why")],
            separator=" ",
            ignore_nulls=True,
        )
        folded = text.str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{Mn}", "")
        frame = frame.filter(folded.str.contains(words, literal=True))
    return frame


class TodayLoaded(Message, bubble=False):
    """Today's rows were read for `view`; `keep_id` is the client the cursor should land on."""

    def __init__(
        self,
        rows: pl.DataFrame,
        view: TodayView,
        owner: str | None,
        day: date,
        keep_id: int | None,
        progress: str = "",
        token: str | None = None,
    ) -> None:
        super().__init__()
        self.progress = progress
        self.token = token
        """The database's change token before the read (`services.session.changed_since`)."""
        self.rows = rows
        self.view = view
        self.owner = owner
        self.day = day
        self.keep_id = keep_id


class TodayRejected(Message, bubble=False):
    """The queue could not be read for `view` (e.g. "me" is unknown)."""

    def __init__(self, view: TodayView, reason: str) -> None:
        super().__init__()
        self.view = view
        self.reason = reason


class ClientWorked(Message, bubble=False):
    """An action on a client's row finished; `summary` says what, `keep_id` where to go."""

    def __init__(self, summary: str, keep_id: int | None) -> None:
        super().__init__()
        self.summary = summary
        self.keep_id = keep_id


class TodayScreen(PaneScreen):
    """Today's queue, one row per client: log the contact, snooze, reassign, open the client."""

    PANE_TITLE = "Hoje"

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

    def __init__(self, *, mine: bool = True) -> None:
        super().__init__()
        self.view = TodayView(mine=mine)
        self._opening = mine
        self._requested = self.view
        """The first load asks for "me"; when "me" is unknown it falls back to everybody's."""
        self.day = today()
        self.owner: str | None = None
        self.progress = ""
        self.rows = pl.DataFrame()
        self._had_rows = False
        self._asking = False
        self._token: str | None = None
        self._bar: tuple[str, dict[str, Any]] | None = None
        self._snooze_days: tuple[date, list[date]] | None = None
        """Snooze's one-key days, for the day they were worked out for."""
        """The open choice bar: "done" or "snooze", and the client row it acts on."""

    @property
    def db_path(self) -> Path:
        """The app's database."""
        return Path(self.app.db_path)  # type: ignore[attr-defined]

    @property
    def settings(self) -> Settings:
        """The app's settings."""
        found = getattr(self.app, "settings", None)
        return found if isinstance(found, Settings) else Settings()

    @property
    def table(self) -> TaskQueue:
        """The pane's table (row ids are client ids)."""
        return self.query_one("#today-table", TaskQueue)

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static(self.view.describe(None), id="today-filter", markup=False)
        yield TaskQueue(TODAY_COLUMNS, id="today-table")
        yield TodayDetail(id="today-detail")
        yield Static("Carregando…", id="today-summary", markup=False)
        yield SteadyFooter()  # closing a dialog keeps the footer's keys when they are the same

    def on_mount(self) -> None:
        self.table.focus()
        self._load(self.view, None)

    def on_screen_resume(self) -> None:
        """Coming back (from a card, the task list) shows the queue as it is now; closing one of
        the pane's own dialogs does not re-read it (the action it starts re-reads after its
        write), so the next client shows at once."""
        if self._asking:
            self._asking = False
            return
        if self.is_mounted and not self._opening and not self._unchanged():
            self._load(self.view, self.table.cursor_id)

    def _unchanged(self) -> bool:
        """Whether the queue shown is still today's: the same day, and nobody (this app
        included) wrote to the database since it was read."""
        if self._token is None or today() != self.day:
            return False
        return self._change_token(self._token) == self._token

    def _change_token(self, since: str | None) -> str | None:
        """The database's change token now (`services.session.changed_since`); None when the
        file cannot be watched (not created yet): then every visit reads the queue."""
        try:
            change = session.changed_since(self.db_path, since)
        except CarteiraError:
            return None
        return None if change.changed else change.token

    def _ask(self, dialog: Screen[Answer], then: Callable[[Answer | None], None]) -> None:
        """Open one of the pane's dialogs; `then` gets its answer (None when cancelled)."""
        self._asking = True
        self.app.push_screen(dialog, then)

    # -- loading ------------------------------------------------------------------------------

    def _load(self, view: TodayView, keep_id: int | None) -> None:
        """Read the queue for `view` in a worker (the latest request wins)."""
        self._requested = view
        self._load_worker(view, keep_id)

    @work(thread=True, exclusive=True, group="today-load", exit_on_error=False)
    def _load_worker(self, view: TodayView, keep_id: int | None) -> None:
        day = today()
        token = self._change_token(None)
        try:
            try:
                queue = today_queue(
                    self.db_path,
                    as_of=day,
                    settings=self.settings,
                    mine=view.mine and view.owner is None,
                    owner=view.owner,
                )
            except task_service.TaskError:
                if not (self._opening and view.mine):
                    raise
                # "me" is unknown: open on everybody's queue (m says how to set "me"), in this
                # same worker: a second one would cancel this one while it posts its answer
                view = replace(view, mine=False)
                queue = today_queue(self.db_path, as_of=day, settings=self.settings, mine=False)
        except task_service.TaskError as error:
            self.post_message(TodayRejected(view, str(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(
                TodayLoaded(queue.rows, view, queue.owner, day, keep_id, queue.progress(), token)
            )

    def on_today_loaded(self, message: TodayLoaded) -> None:
        self._opening = False
        if (
            message.view == self.view
            and message.day == self.day
            and message.progress == self.progress
            and self.rows.height
            and message.rows.equals(self.rows)
        ):
            # a re-read that found what is shown (the app's change poll, coming back after
            # someone else's write elsewhere): nothing to repaint, the cursor stays
            self._token = message.token
            self.table.settle_scroll_range()  # after a row taken off (`_take_off`)
            return
        self.rows = message.rows
        self.owner = message.owner
        self.progress = message.progress
        self.day = message.day
        self._token = message.token
        self._show(message.view, message.keep_id)

    def _show(self, view: TodayView, keep_id: int | None) -> None:
        self.view = view
        # one-line bars of fixed height: no layout pass when their text changes
        self.query_one("#today-filter", Static).update(view.describe(self.owner), layout=False)
        frame = shown_rows(self.rows, view) if self.rows.height else pl.DataFrame()
        self.table.show(frame if frame.width else pl.DataFrame({"id": []}), keep_id=keep_id)
        clients = frame.height
        progress = f" · {self.progress}" if self.progress else ""
        summary = (
            f"{clients} clientes para contatar{progress} · {self.day.strftime('%d/%m/%Y')}"
            if clients
            else f"Nada para hoje ({self.day.strftime('%d/%m/%Y')}). t mostra todas as tarefas."
        )
        self.query_one("#today-summary", Static).update(summary, layout=False)
        self._update_detail()
        has_rows = self.table.cursor_id is not None
        if has_rows != self._had_rows:  # d/s/r apply only on a row: the footer is rebuilt
            self._had_rows = has_rows  # only when that changes, not on every reload
            self.refresh_bindings()

    def on_today_rejected(self, message: TodayRejected) -> None:
        self._opening = False
        if message.view != self._requested:
            return  # a late answer for a view already left
        self.notify(message.reason, title="Hoje", severity="warning", timeout=8)

    def current_row(self) -> dict[str, Any] | None:
        """The client row under the cursor, or None on an empty queue."""
        client_id = self.table.cursor_id
        if client_id is None or "id" not in self.table.frame.columns:
            return None
        rows = self.table.frame.filter(pl.col("id") == client_id)
        return rows.row(0, named=True) if rows.height else None

    def _update_detail(self) -> None:
        row = self.current_row()
        detail = self.query_one("#today-detail", TodayDetail)
        if row is None:
            self._bar = None
            detail.show("")
            return
        who = (
            f"{row['external_id']} {row['name']} · {_channel(row['channel'])} · "
            f"{row['owner'] or 'sem responsável'}"
        )
        if self._bar is not None and self._bar[1]["client_id"] == row["client_id"]:
            detail.show(f"{who}\n{self._bar_text(self._bar[0], row)}")
            return
        self._bar = None  # the cursor left the row the bar was for: it closes
        tasks = "; ".join(
            f"{task['title']} (vence {task['due'].strftime('%d/%m')})" for task in row["tasks"]
        )
        # repaints only the cells that differ from the row before
        detail.show(f"{who}\n{row['why']}\n{tasks}")

    def _bar_text(self, kind: str, row: dict[str, Any]) -> str:
        """The choice bar's three lines under the client's line."""
        if kind == "done":
            return (
                "Como foi o contato? 1–6 registra · enter observação, retorno · esc cancela\n"
                + outcome_choices(row["channel"])
            )
        return "Adiar até quando? 1–4 adia · enter outro dia · esc cancela\n" + (
            snooze_choices(self._days())
        )

    def _days(self) -> list[date]:
        """Snooze's one-key days as of the pane's day (worked out once a day)."""
        if self._snooze_days is None or self._snooze_days[0] != self.day:
            self._snooze_days = (self.day, snooze_days(self.day, self.settings))
        return self._snooze_days[1]

    @on(TaskQueue.RowHighlighted)
    def _highlighted(self) -> None:
        self._update_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row keys apply only with a client under the cursor."""
        if action in {"done", "snooze", "reassign"}:
            return self.is_mounted and self.table.cursor_id is not None
        if action == "choose":
            if self._bar is None:
                return False  # digits switch panes as everywhere else
            count = len(OUTCOMES) if self._bar[0] == "done" else len(SNOOZE_CHOICES)
            return 1 <= int(str(parameters[0])) <= count
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
                "Hoje de qual responsável?",
                [("-", "todos os responsáveis"), *[(name, name) for name in owners]],
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
            TextModal("Buscar em Hoje", self.view.search, "nome, código, tarefa ou motivo"),
            lambda text: (
                None if text is None else self._show(replace(self.view, search=text), None)
            ),
        )

    def action_filter(self) -> None:
        self._ask(
            ChoiceModal(
                "Filtrar Hoje",
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

    # -- acting on the client's work as a whole -----------------------------------------------

    def _task_ids(self, row: dict[str, Any]) -> list[int]:
        return [int(task["id"]) for task in row["tasks"]]

    def _open_bar(self, kind: str) -> None:
        """Show the choice bar for the row under the cursor (no screen: a digit records)."""
        row = self.current_row()
        if row is None:
            return
        self._bar = (kind, row)
        self._update_detail()

    def action_close_bar(self) -> None:
        self._bar = None
        self._update_detail()

    def action_choose(self, number: int) -> None:
        """A digit in the open bar: the outcome or the snooze day it lists."""
        if self._bar is None:
            return
        kind, row = self._bar
        self._bar = None
        if kind == "done":
            self._done(row, Outcome(OUTCOMES[number - 1], None, None))
            return
        self._snooze(row, self._days()[number - 1])

    def action_full_dialog(self) -> None:
        """The full dialog for the bar's choice (a note, a follow-up, another day)."""
        if self._bar is None:
            return
        kind, _row = self._bar
        self._bar = None
        self._update_detail()
        if kind == "done":
            self._outcome_dialog()
        else:
            self._snooze_dialog()

    def action_done(self) -> None:
        self._open_bar("done")

    def _outcome_dialog(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self._ask(
            OutcomeModal(f"Como foi o contato? {row['name']}", self.day),
            lambda outcome: self._done(row, outcome),
        )

    def _done(self, row: dict[str, Any], outcome: Outcome | None) -> None:
        if outcome is None:
            return
        if outcome.outcome == "Não quer mais este canal" and row["channel"]:
            # one key: the channel's consent becomes no (services.tasks.close_contacted)
            outcome = replace(outcome, outcome=f"Não quer mais {_channel(row['channel'])}")
        keep: int | None = int(row["client_id"])  # a contact that did not reach them: it stays
        if reached_client(outcome.outcome):
            keep = self._take_off(row)
        self._act(
            lambda: contact_logged(
                self.db_path,
                client_id=int(row["client_id"]),
                outcome=outcome.outcome,
                channel=row["channel"],
                on=self.day,
                settings=self.settings,
                note=outcome.note,
                follow_up=outcome.follow_up,
            ),
            f"Contato registrado: {row['name']} ({outcome.outcome})",
            keep,
        )

    def action_snooze(self) -> None:
        self._open_bar("snooze")

    def _snooze_dialog(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self._ask(
            WhenModal(f"Adiar até quando? {row['name']}", self.day, "amanhã"),
            lambda day: self._snooze(row, day),
        )

    def _snooze(self, row: dict[str, Any], day: date | None) -> None:
        if day is None:
            return
        keep = self._take_off(row)
        self._act(
            lambda: task_service.snooze_tasks(
                self.db_path,
                task_ids=self._task_ids(row),
                until=day,
                as_of=self.day,
                settings=self.settings,
            ),
            f"Adiado: {row['name']}",
            keep,
        )

    def action_reassign(self) -> None:
        row = self.current_row()
        if row is not None:
            self._pick_owner(row)

    @work(thread=True, exclusive=True, group="today-owners", exit_on_error=False)
    def _pick_owner(self, row: dict[str, Any]) -> None:
        owners = list_owners(self.db_path)
        self.app.call_from_thread(self._show_owners, row, owners)

    def _show_owners(self, row: dict[str, Any], owners: list[str]) -> None:
        self._ask(
            ChoiceModal(
                f"Reatribuir a quem? {row['name']}",
                [(name, name) for name in owners],
                current=row["owner"],
            ),
            lambda owner: self._reassign(row, owner),
        )

    def _reassign(self, row: dict[str, Any], owner: str | None) -> None:
        if owner is None or owner == row["owner"]:
            return
        leaves = self.view.mine or self.view.owner is not None
        keep = self._take_off(row) if leaves else int(row["client_id"])
        self._act(
            lambda: task_service.reassign_tasks(
                self.db_path, task_ids=self._task_ids(row), owner=owner
            ),
            f"Reatribuído a {owner}: {row['name']}",
            keep,
        )

    def _take_off(self, row: dict[str, Any]) -> int | None:
        """Take a worked client's row off at once (the reload that follows confirms it), so the
        next client shows without waiting for the write; returns the row to land on."""
        keep = self.table.next_id_after_cursor
        self.rows = self.rows.filter(pl.col("client_id") != int(row["client_id"]))
        self.table.keep_scroll_range = True  # the re-read fits it, off the way to the next row
        try:
            self._show(self.view, keep)
        finally:
            self.table.keep_scroll_range = False
        return keep

    @work(thread=True, exclusive=True, group="today-act", exit_on_error=False)
    def _act(self, call: Callable[[], object], summary: str, keep_id: int | None) -> None:
        call()
        self.post_message(ClientWorked(summary, keep_id))

    def on_client_worked(self, message: ClientWorked) -> None:
        self.notify(message.summary, title="Hoje", timeout=3)
        self._load(self.view, message.keep_id)
