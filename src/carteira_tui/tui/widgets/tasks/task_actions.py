"""`TaskActions`: what the Tarefas pane does to the task under the cursor, each asked in a
dialog and run in a worker by one service call (services.tasks) — `d` concludes it with an
outcome (the cursor lands on the next task), `s` snoozes, `r` reassigns, `x` cancels — and
`n` generates the tasks of the action plans.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from textual import work

from carteira_tui.services import tasks as service
from carteira_tui.services.clients import list_owners
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.confirm_modal import ConfirmModal
from carteira_tui.tui.screens.outcome_modal import Outcome, OutcomeModal
from carteira_tui.tui.screens.when_modal import WhenModal
from carteira_tui.tui.widgets.tasks.messages import TaskActed
from carteira_tui.tui.widgets.tasks.pane import TasksPane
from carteira_tui.vocab import tasks as task_words


class TaskActions(TasksPane):
    """Conclude, snooze, reassign, cancel and generate (mixed into `TasksScreen`)."""

    # -- actions: modal → worker → service → TaskActed → reload ---------------------------------

    def action_done(self) -> None:
        task = self.current_task()
        if task is None:
            return
        title = task_words.done_title(task["title"], task["client_name"])
        self.app.push_screen(
            OutcomeModal(title, self.day), lambda outcome: self._done(task, outcome)
        )

    def _done(self, task: dict[str, Any], outcome: Outcome | None) -> None:
        if outcome is None:
            return
        if outcome.outcome == task_words.OUTCOME_NO_MORE and task["channel"]:
            outcome = replace(outcome, outcome=task_words.no_more(task["channel"]))
        follow_up = outcome.follow_up.strftime("%d/%m/%Y") if outcome.follow_up else None
        summary = task_words.concluded(task["client_name"], outcome.outcome, follow_up)
        self._act(
            lambda: service.complete_task(
                self.db_path,
                task_id=int(task["id"]),
                outcome=outcome.outcome,
                note=outcome.note,
                follow_up=outcome.follow_up,
                on=self.day,
                settings=self.settings,
            ),
            summary,
            self.queue.next_id_after_cursor,
        )

    def action_snooze(self) -> None:
        task = self.current_task()
        if task is None:
            return
        self.app.push_screen(
            WhenModal(
                task_words.snooze_title(task["client_name"]), self.day, task_words.SNOOZE_DEFAULT
            ),
            lambda day: self._snooze(task, day),
        )

    def _snooze(self, task: dict[str, Any], day: date | None) -> None:
        if day is None:
            return
        self._act(
            lambda: service.snooze_task(
                self.db_path,
                task_id=int(task["id"]),
                until=day,
                as_of=self.day,
                settings=self.settings,
            ),
            task_words.snoozed(task["client_name"]),
            self.queue.next_id_after_cursor,
        )

    def action_reassign(self) -> None:
        task = self.current_task()
        if task is not None:
            self._pick_owner(task)

    @work(thread=True, exclusive=True, group="tasks-owners", exit_on_error=False)
    def _pick_owner(self, task: dict[str, Any]) -> None:
        owners = list_owners(self.db_path)
        self.app.call_from_thread(self._show_owners, task, owners)

    def _show_owners(self, task: dict[str, Any], owners: list[str]) -> None:
        if not owners:
            self.notify(task_words.NO_OWNERS, severity="warning")
            return
        self.app.push_screen(
            ChoiceModal(
                task_words.reassign_title(task["client_name"]),
                [(name, name) for name in owners],
                current=task["owner"],
            ),
            lambda owner: self._reassign(task, owner),
        )

    def _reassign(self, task: dict[str, Any], owner: str | None) -> None:
        if owner is None or owner == task["owner"]:
            return
        keep = self.queue.next_id_after_cursor if self.queue_filter.mine else int(task["id"])
        self._act(
            lambda: service.reassign_task(self.db_path, task_id=int(task["id"]), owner=owner),
            task_words.reassigned(owner, task["client_name"]),
            keep,
        )

    def action_cancel_task(self) -> None:
        task = self.current_task()
        if task is None:
            return
        self.app.push_screen(
            ConfirmModal(
                task_words.CANCEL_QUESTION, task_words.task_line(task["title"], task["client_name"])
            ),
            lambda yes: self._cancel(task, yes),
        )

    def _cancel(self, task: dict[str, Any], yes: bool | None) -> None:
        if yes:
            self._act(
                lambda: service.cancel_task(self.db_path, task_id=int(task["id"]), on=self.day),
                task_words.cancelled(task["client_name"]),
                self.queue.next_id_after_cursor,
            )

    def action_generate(self) -> None:
        day = self.day.strftime("%d/%m/%Y")
        self.app.push_screen(
            ConfirmModal(
                task_words.generate_question(day),
                task_words.GENERATE_NOTE,
            ),
            self._generate,
        )

    def _generate(self, yes: bool | None) -> None:
        if yes:
            self._run_generate()

    @work(thread=True, exclusive=True, group="tasks-act", exit_on_error=False)
    def _run_generate(self) -> None:
        done = service.generate_tasks(self.db_path, as_of=self.day, settings=self.settings)
        summary = task_words.generated(done.created, bool(done.stale_results))
        self.post_message(TaskActed(summary, self.queue.cursor_id))
