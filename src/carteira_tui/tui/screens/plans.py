"""The Planos screen (`p` on Segmentos, or "Planos de ação" in the command palette): the action
plans and their triggers, including the date triggers (Natal, Dia das Mães, Dia dos Pais, Dia do
Cliente, Black Friday, any dd/mm) with their lead days.

A thread worker reads `services.plans.plan_rows` (the next date and the day its tasks fall due,
as of today in Brazil). `n` creates a plan and `e`/enter edits one in `PlanModal`, which saves
through `services.plans.add_plan`/`edit_plan`; `a` activates or deactivates it; `x` deletes it
after a confirmation (`delete_plan`: a plan that already generated tasks is deactivated). The
same functions are `carteira plans add|edit|delete`. esc goes back to the pane below.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

import polars as pl
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, Static

from carteira_tui.config import Settings
from carteira_tui.services import plans as service
from carteira_tui.services.today import local_today
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.screens.confirm_modal import ConfirmModal
from carteira_tui.tui.screens.plan_modal import PlanModal
from carteira_tui.tui.widgets.plan_table import PLAN_COLUMNS, PlanTable
from carteira_tui.tui.widgets.plan_text import detail_text, summary_text
from carteira_tui.tui.widgets.status_line import StatusLine
from carteira_tui.vocab import plans as plan_words


def today() -> date:
    """The day the next dates are counted from: today in Brazil (`services.today.local_today`,
    as the CLI); tests replace it for a fixed clock."""
    return local_today(Settings())


# -- messages -----------------------------------------------------------------------------------


class PlansLoaded(Message, bubble=False):
    """The plans were read as of `day`; `keep_code` is the plan the cursor should land on."""

    def __init__(self, plans: pl.DataFrame, day: date, keep_code: str | None) -> None:
        super().__init__()
        self.plans = plans
        self.day = day
        self.keep_code = keep_code


class PlanChanged(Message, bubble=False):
    """A plan was created, edited, (de)activated or deleted; `summary` says what happened."""

    def __init__(self, summary: str, keep_code: str | None) -> None:
        super().__init__()
        self.summary = summary
        self.keep_code = keep_code


# -- the screen ---------------------------------------------------------------------------------


class PlansScreen(PaneScreen):
    """The action plans: create, edit, (de)activate and delete them."""

    PANE_TITLE = plan_words.TITLE

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "Novo", id="plans.new"),
        Binding("e", "edit", "Editar", id="plans.edit"),
        Binding("a", "toggle_active", "Ativar/desativar", id="plans.toggle"),
        Binding("x,delete", "delete", "Apagar", id="plans.delete"),
        Binding("r,ctrl+r", "reload", "Recarregar", show=False, id="plans.reload"),
        Binding("escape", "close", "Voltar", id="plans.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day = today()

    @property
    def table(self) -> PlanTable:
        """The screen's table of plans."""
        return self.query_one("#plans-table", PlanTable)

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static(plan_words.LOADING, id="plans-summary", markup=False)
        yield PlanTable(PLAN_COLUMNS, id="plans-table")
        yield Static("", id="plans-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.table.focus()
        self._load(None)

    # -- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the plans again (the app calls it when someone else wrote to the database)."""
        plan = self.current_plan()
        self._load(None if plan is None else str(plan["code"]))

    @work(thread=True, exclusive=True, group="plans-load", exit_on_error=False)
    def _load(self, keep_code: str | None) -> None:
        day = today()
        plans = service.plan_rows(self.db_path, as_of=day, settings=self.settings)
        self.post_message(PlansLoaded(plans, day, keep_code))

    def on_plans_loaded(self, message: PlansLoaded) -> None:
        self.day = message.day
        plans = message.plans
        keep_id = None
        if message.keep_code is not None:
            found = plans.filter(pl.col("code") == message.keep_code)
            keep_id = int(found.item(0, "id")) if found.height else None
        self.table.empty_text = plan_words.NONE_YET
        self.table.show(plans, keep_id=keep_id)
        self.query_one("#plans-summary", Static).update(summary_text(plans, message.day))
        self._update_detail()
        self.refresh_bindings()

    def current_plan(self) -> dict[str, Any] | None:
        """The plan under the cursor, or None when there is none."""
        plan_id = self.table.cursor_id if self.is_mounted else None
        if plan_id is None:
            return None
        rows = self.table.frame.filter(pl.col("id") == plan_id)
        return rows.row(0, named=True) if rows.height else None

    def _update_detail(self) -> None:
        plan = self.current_plan()
        widget = self.query_one("#plans-detail", Static)
        width = max(20, widget.size.width - 2) if widget.size.width else 78
        detail = "" if plan is None else detail_text(plan, width)
        widget.update(detail, layout=False)

    @on(PlanTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._update_detail()

    @on(PlanTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Plan keys apply only with a plan under the cursor."""
        if action in {"edit", "toggle_active", "delete"}:
            return self.current_plan() is not None
        return True

    # -- actions ------------------------------------------------------------------------------

    def action_new(self) -> None:
        """Create a plan in the form (a date trigger by default: the commonest new plan)."""
        db_path = self.db_path

        def save(values: dict[str, Any]) -> dict[str, Any]:
            fields = {k: v for k, v in values.items() if k not in ("code", "title", "trigger")}
            return service.add_plan(
                db_path,
                code=str(values["code"]),
                title=str(values["title"]),
                trigger=str(values["trigger"] or ""),
                **fields,
            )

        template = {"trigger": "data", "priority": "M", "due_offset": 3}
        self.app.push_screen(
            PlanModal(plan_words.NEW_PLAN, save, template, creating=True), self._saved("criado")
        )

    def action_edit(self) -> None:
        """Edit the plan under the cursor in the form."""
        plan = self.current_plan()
        if plan is None:
            return
        db_path, code = self.db_path, str(plan["code"])

        def save(values: dict[str, Any]) -> dict[str, Any]:
            fields = {k: v for k, v in values.items() if k != "code"}
            return service.edit_plan(db_path, code, **fields)

        self.app.push_screen(PlanModal(f"Plano {code}", save, plan), self._saved("alterado"))

    def _saved(self, verb: str) -> Callable[[dict[str, Any] | None], None]:
        def saved(plan: dict[str, Any] | None) -> None:
            if plan is not None:
                self.post_message(
                    PlanChanged(plan_words.changed(str(plan["code"]), verb), str(plan["code"]))
                )

        return saved

    def action_toggle_active(self) -> None:
        """Activate or deactivate the plan under the cursor (`plans edit --active/--inactive`)."""
        plan = self.current_plan()
        if plan is not None:
            self._toggle(str(plan["code"]), not plan["active"])

    @work(thread=True, exclusive=True, group="plans-write", exit_on_error=False)
    def _toggle(self, code: str, active: bool) -> None:
        service.edit_plan(self.db_path, code, active=int(active))
        state = "ativado" if active else "desativado"
        self.post_message(PlanChanged(plan_words.changed(code, state), code))

    def action_delete(self) -> None:
        """Delete the plan under the cursor after a confirmation."""
        plan = self.current_plan()
        if plan is None:
            return
        code = str(plan["code"])

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(code)

        self.app.push_screen(
            ConfirmModal(
                plan_words.delete_question(code),
                plan_words.DELETE_NOTE,
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="plans-write", exit_on_error=False)
    def _delete(self, code: str) -> None:
        deleted = service.delete_plan(self.db_path, code)
        summary = plan_words.DELETED if deleted else plan_words.DEACTIVATED
        self.post_message(PlanChanged(plan_words.changed(code, summary), None if deleted else code))

    def on_plan_changed(self, message: PlanChanged) -> None:
        self.notify(message.summary, title="Planos", timeout=4)
        self._load(message.keep_code)

    def action_close(self) -> None:
        """Back to the pane below."""
        self.dismiss(None)
