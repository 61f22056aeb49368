"""`MergeActions`: what the person does in the merge review — pick the value that stays (←/→, a
member's number), jump to the next difference, page through members, choose the client that
stays (`s`, which re-reads the group) and merge after a confirmation (`m`,
`services.cleaning.merge_clients` in a worker; the screen closes with a `MergeDone`).
"""

from __future__ import annotations

from typing import Any

from textual import work

from carteira_tui.services import cleaning as service
from carteira_tui.services.cleaning import ClusterDetail
from carteira_tui.tui.screens import client_card as card_screen
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.confirm_modal import ConfirmModal
from carteira_tui.tui.widgets.merge.messages import ClientsMerged, MergeDone
from carteira_tui.tui.widgets.merge.pane import MergePane
from carteira_tui.tui.widgets.merge.picks import FieldPick, chosen_values
from carteira_tui.vocab import merge as words


class MergeActions(MergePane):
    """Picking, the survivor and merging (mixed into `MergeScreen`)."""

    # -- picking ------------------------------------------------------------------------------

    def _choose(self, index: int) -> None:
        pick = self.picks[self.grid.cursor_row]
        index = index % len(pick.options)
        self.picks[self.grid.cursor_row] = FieldPick(
            pick.field, pick.label, pick.options, pick.suggested, index
        )
        if index == pick.suggested:
            self.overrides.pop(pick.field, None)
        else:
            self.overrides[pick.field] = pick.options[index]
        if index < len(self.order):
            self.grid.reveal_member(index)
        self._show_rows()

    def action_step(self, step: int) -> None:
        if self.picks:
            self._choose(self.picks[self.grid.cursor_row].chosen + step)

    def action_pick(self, number: int) -> None:
        """The value of member `number` (a number with no member is taken here, so it never
        reaches the app's pane keys)."""
        if not self.picks:
            return
        if number > len(self.order):
            self.notify(words.group_size(len(self.order)), title=words.TITLE, timeout=3)
            return
        self._choose(number - 1)

    def action_next_difference(self, step: int) -> None:
        """Move to the next (or previous) field where the members disagree."""
        rows = self.grid.rows
        for offset in range(1, len(rows)):
            row = (self.grid.cursor_row + step * offset) % len(rows)
            if not rows[row].same:
                self.grid.move_cursor(row)
                return

    def action_page(self, step: int) -> None:
        self.grid.page_members(step)

    def action_survivor(self) -> None:
        if self.detail is None:
            return
        options = [
            (str(i), f"{n} {self._code(i)} {self._member(i)['name'] or '—'}")
            for n, i in enumerate(self.order, start=1)
        ]
        self.app.push_screen(
            ChoiceModal(words.WHICH_STAYS, options, current=str(self.detail.survivor_id)),
            self._survivor_chosen,
        )

    def _survivor_chosen(self, key: str | None) -> None:
        if key is not None and self.detail is not None and int(key) != self.detail.survivor_id:
            self._load(int(key))

    # -- merging ------------------------------------------------------------------------------

    def action_merge(self) -> None:
        detail = self.detail
        if detail is None:
            return
        survivor = self._code(detail.survivor_id)
        leaving = [self._code(i) for i in self.order if i != detail.survivor_id]
        changed = [p.label for p in self.picks if p.chosen != p.suggested]
        self.app.push_screen(
            ConfirmModal(
                words.confirm_title(len(self.order), survivor),
                words.confirm_text(leaving, survivor, changed),
            ),
            self._confirmed,
        )

    def _confirmed(self, yes: bool | None) -> None:
        if yes and self.detail is not None:
            self.merging = True
            self.refresh_bindings()
            self._merge(self.detail, chosen_values(self.picks))

    @work(thread=True, exclusive=True, group="merge-write", exit_on_error=False)
    def _merge(self, detail: ClusterDetail, values: dict[str, Any]) -> None:
        result = service.merge_clients(
            self.db_path,
            self.order,
            survivor_id=detail.survivor_id,
            field_values=values,
            today=card_screen.today(),
            confidence=detail.confidence,
        )
        self.post_message(ClientsMerged(MergeDone(result, self._code(detail.survivor_id))))

    def on_clients_merged(self, message: ClientsMerged) -> None:
        self.dismiss(message.done)
