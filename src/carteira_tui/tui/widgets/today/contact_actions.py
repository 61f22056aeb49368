"""`ContactActions`: what Hoje does to the client under the cursor, its work as a whole — log
how the contact went (it closes the client's contact tasks when it reached them), snooze, and
reassign — each run in a worker by one service call, the row taken off at once when the client
leaves the queue so the next one shows without waiting for the write (`ClientWorked`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl
from textual import work

from carteira_tui.engine.tasks import reached_client
from carteira_tui.services import tasks as task_service
from carteira_tui.services.clients import list_owners
from carteira_tui.services.today import contact_logged
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.outcome_modal import Outcome, OutcomeModal
from carteira_tui.tui.screens.when_modal import WhenModal
from carteira_tui.tui.widgets.today.messages import ClientWorked
from carteira_tui.tui.widgets.today.pane import TodayPane
from carteira_tui.tui.widgets.today.view import channel_label
from carteira_tui.vocab import tasks as task_words
from carteira_tui.vocab import today as words


class ContactActions(TodayPane):
    """Log the contact, snooze, reassign (mixed into `TodayScreen`)."""

    def _task_ids(self, row: dict[str, Any]) -> list[int]:
        return [int(task["id"]) for task in row["tasks"]]

    def _outcome_dialog(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self._ask(
            OutcomeModal(words.outcome_title(row["name"]), self.day),
            lambda outcome: self._done(row, outcome),
        )

    def _done(self, row: dict[str, Any], outcome: Outcome | None) -> None:
        if outcome is None:
            return
        if outcome.outcome == task_words.OUTCOME_NO_MORE and row["channel"]:
            # one key: the channel's consent becomes no (services.tasks.close_contacted)
            outcome = replace(outcome, outcome=task_words.no_more(channel_label(row["channel"])))
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
            words.contact_logged(row["name"], outcome.outcome),
            keep,
        )

    def _snooze_dialog(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self._ask(
            WhenModal(words.snooze_title(row["name"]), self.day, words.SNOOZE_DEFAULT),
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
            words.snoozed(row["name"]),
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
                words.reassign_title(row["name"]),
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
            words.reassigned(owner, row["name"]),
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
        self.notify(message.summary, title=words.TITLE, timeout=3)
        self._load(self.view, message.keep_id)
