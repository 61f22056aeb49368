"""`ChoiceBar`: `d` and `s` open no dialog — the lines under the table list the choices
(`choices.py`) and one digit records it; enter opens the full dialog (a note, a follow-up,
another day), esc closes the bar, and moving the cursor off the row closes it too.
"""

from __future__ import annotations

from carteira_tui.tui.screens.outcome_modal import OUTCOMES, Outcome
from carteira_tui.tui.widgets.today.choices import SNOOZE_CHOICES
from carteira_tui.tui.widgets.today.contact_actions import ContactActions


class ChoiceBar(ContactActions):
    """The one-digit bar of `d` (the contact's outcome) and `s` (snooze's day)."""

    def bar_choice_allowed(self, number: int) -> bool:
        """Whether a digit picks one of the open bar's choices (else it switches panes)."""
        if self._bar is None:
            return False
        count = len(OUTCOMES) if self._bar[0] == "done" else len(SNOOZE_CHOICES)
        return 1 <= number <= count

    def _open_bar(self, kind: str) -> None:
        """Show the choice bar for the row under the cursor (no screen: a digit records)."""
        row = self.current_row()
        if row is None:
            return
        self._bar = (kind, row)
        self._update_detail()

    def action_done(self) -> None:
        self._open_bar("done")

    def action_snooze(self) -> None:
        self._open_bar("snooze")

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
