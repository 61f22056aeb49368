"""`OutcomeModal`: how a contact went, when a task is marked done (Tarefas, `d`).

A digit picks an outcome and concludes at once (the one-key path through the queue); tab reaches
the optional note and follow-up day. The result becomes an interaction on the client's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from carteira_tui.services.clients import ClientError, resolve_when
from carteira_tui.tui.screens.when_modal import describe_day
from carteira_tui.vocab import tasks as task_words
from carteira_tui.vocab.tasks import OUTCOMES

__all__ = ["OUTCOMES", "Outcome", "OutcomeModal"]


@dataclass(frozen=True)
class Outcome:
    """The outcome chosen, an optional note and an optional follow-up day."""

    outcome: str
    note: str | None
    follow_up: date | None


class OutcomeModal(ModalScreen[Outcome | None]):
    """Pick the outcome (1–5 or enter), optionally add a note and a follow-up day."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(n), f"pick({n - 1})", name, show=False, id=f"outcome.{n}")
            for n, name in enumerate(OUTCOMES, start=1)
        ],
        Binding("escape", "cancel", "Cancelar", id="outcome.cancel"),
    ]

    def __init__(self, title: str, today: date) -> None:
        super().__init__()
        self.outcome_title = title
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.outcome_title, classes="dialog-title", markup=False)
            yield OptionList(
                *[Option(f"{n} {name}", id=name) for n, name in enumerate(OUTCOMES, start=1)],
                id="outcome-list",
            )
            with Horizontal(classes="dialog-row"):
                yield Static("Observação", classes="dialog-label")
                yield Input(placeholder="opcional", id="outcome-note")
            with Horizontal(classes="dialog-row"):
                yield Static("Retorno", classes="dialog-label")
                yield Input(placeholder=task_words.FOLLOW_UP_PLACEHOLDER, id="outcome-follow-up")
            yield Static("", id="outcome-preview", classes="dialog-text")
            yield Static(
                task_words.OUTCOME_HINT,
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        options = self.query_one("#outcome-list", OptionList)
        options.highlighted = 0
        options.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Digits type into the inputs; they pick an outcome only from the list."""
        if action == "pick":
            return isinstance(self.focused, OptionList)
        return True

    @on(Input.Changed, "#outcome-follow-up")
    def _follow_up_changed(self, event: Input.Changed) -> None:
        preview = self.query_one("#outcome-preview", Static)
        if not event.value.strip():
            preview.update("")
            return
        try:
            day = resolve_when(event.value, today=self.today)
        except ClientError as error:
            preview.update(str(error))
            return
        preview.update(f"retorno → {describe_day(day, self.today)}")

    @on(OptionList.OptionSelected, "#outcome-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._finish(str(event.option.id))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        highlighted = self.query_one("#outcome-list", OptionList).highlighted or 0
        self._finish(OUTCOMES[highlighted])

    def action_pick(self, index: int) -> None:
        self._finish(OUTCOMES[index])

    def _finish(self, outcome: str) -> None:
        note = self.query_one("#outcome-note", Input).value.strip() or None
        follow_text = self.query_one("#outcome-follow-up", Input).value.strip()
        follow_up = None
        if follow_text:
            try:
                follow_up = resolve_when(follow_text, today=self.today)
            except ClientError as error:
                self.notify(str(error), severity="error")
                return
        self.dismiss(Outcome(outcome, note, follow_up))

    def action_cancel(self) -> None:
        self.dismiss(None)
