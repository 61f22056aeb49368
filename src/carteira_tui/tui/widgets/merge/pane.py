"""`MergePane`: what the merge review's features share — the group and its members' cards, read
in a worker (`services.cleaning.cluster_detail`, `services.clients.client_card`), the member
order and the person's picks, and the lines around the grid (title, members, the field under
the cursor).

`MergeScreen` (screens/merge.py) is this base plus `MergeActions` (actions.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual import work
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from carteira_tui.model import cents_to_brl
from carteira_tui.services import cleaning as service
from carteira_tui.services.cleaning import ClusterDetail
from carteira_tui.services.clients import ClientCard, client_card
from carteira_tui.tui.widgets.merge.messages import ClusterLoaded, MergeDone
from carteira_tui.tui.widgets.merge.picks import (
    CONFIDENCE_LABELS,
    SHORT_REASONS,
    FieldPick,
    field_picks,
    grid_rows,
    score_text,
    value_text,
)
from carteira_tui.tui.widgets.merge_grid import MergeGrid
from carteira_tui.vocab import merge as words

SURVIVOR_MARK = "★"
NAME_WIDTH = 26


class MergePane(Screen[MergeDone | None]):
    """The merge review's shared state, loading and lines."""

    PANE_TITLE = words.TITLE

    def __init__(self, cluster_id: int, *, db_path: Path, as_of: date) -> None:
        super().__init__()
        self.cluster_id = cluster_id
        self.db_path = db_path
        self.as_of = as_of
        self.detail: ClusterDetail | None = None
        self.cards: dict[int, ClientCard] = {}
        self.order: list[int] = []
        self.overrides: dict[str, Any] = {}
        self.picks: list[FieldPick] = []
        self.merging = False

    @property
    def grid(self) -> MergeGrid:
        """The side-by-side grid."""
        return self.query_one("#merge-grid", MergeGrid)

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="merge-load", exit_on_error=False)
    def _load(self, survivor_id: int | None) -> None:
        detail = service.cluster_detail(self.db_path, self.cluster_id, survivor_id=survivor_id)
        cards = {
            int(member["id"]): client_card(self.db_path, int(member["id"]), as_of=self.as_of)
            for member in detail.members
        }
        self.post_message(ClusterLoaded(detail, cards))

    def on_cluster_loaded(self, message: ClusterLoaded) -> None:
        detail = message.detail
        self.detail = detail
        self.cards = message.cards
        ids = [int(member["id"]) for member in detail.members]
        if sorted(self.order) != sorted(ids):
            self.order = ids
        self.picks = field_picks(detail, self.order, self.overrides)
        reasons = ", ".join(SHORT_REASONS.get(r, r) for r in detail.reasons)
        self.query_one("#merge-title", Static).update(
            words.title(
                detail.cluster_id,
                CONFIDENCE_LABELS.get(detail.confidence, detail.confidence).lower(),
                score_text(detail.score),
                reasons,
            )
        )
        self.query_one("#merge-members", Static).update(self._members_text())
        self._show_rows()
        self.refresh_bindings()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read or merge is shown as a message; nothing was changed."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.merging = False
            self.refresh_bindings()
            self.notify(str(event.worker.error), title=words.TITLE, severity="error", timeout=8)
            if self.detail is None:
                self.query_one("#merge-title", Static).update(words.not_found(self.cluster_id))

    def _member(self, client_id: int) -> dict[str, Any]:
        assert self.detail is not None
        return next(m for m in self.detail.members if int(m["id"]) == client_id)

    def _code(self, client_id: int) -> str:
        return str(self._member(client_id)["external_id"])

    @property
    def owners(self) -> dict[int, str]:
        """Owner id -> name, from the members' cards."""
        return {
            int(card.profile["owner_id"]): str(card.profile.get("owner") or "")
            for card in self.cards.values()
            if card.profile.get("owner_id") is not None
        }

    # -- the lines ------------------------------------------------------------------------------

    def _members_text(self) -> str:
        assert self.detail is not None
        lines = []
        for number, client_id in enumerate(self.order, start=1):
            member = self._member(client_id)
            card = self.cards.get(client_id)
            name = str(member["name"] or "—")
            name = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
            stays = (
                f" {SURVIVOR_MARK} {words.STAYS}" if client_id == self.detail.survivor_id else ""
            )
            parts = [f"{number} {member['external_id']} {name}{stays}"]
            if card is not None:
                if card.quality is not None:
                    parts.append(f"{card.quality.completeness}%")
                parts.append(words.orders(card.order_count))
                if card.order_count:
                    parts.append(cents_to_brl(card.monetary_cents))
            lines.append(" · ".join(parts))
        return "\n".join(lines)

    def _headers(self) -> list[str]:
        assert self.detail is not None
        return [
            f"{n} {self._code(i)}" + (f" {SURVIVOR_MARK}" if i == self.detail.survivor_id else "")
            for n, i in enumerate(self.order, start=1)
        ]

    def _show_rows(self) -> None:
        self.grid.show(self._headers(), grid_rows(self.picks, len(self.order), self.owners))
        self._show_field()

    def _show_field(self) -> None:
        """Full values of the field under the cursor (cells may be cut) and where the kept one
        comes from."""
        if not self.picks:
            return
        pick = self.picks[self.grid.cursor_row]
        owners = self.owners
        kept = value_text(pick.field, pick.value, owners)
        if pick.chosen < len(self.order):
            source = words.from_member(pick.chosen + 1, self._code(self.order[pick.chosen]))
        else:
            source = words.COMBINED
        why = words.SUGGESTED if pick.chosen == pick.suggested else words.YOUR_CHOICE
        values = " · ".join(
            f"{n}: {value_text(pick.field, value, owners)}"
            for n, value in enumerate(pick.options[: len(self.order)], start=1)
        )
        self.query_one("#merge-field", Static).update(
            f"{words.field_line(pick.label, kept, source, why)}\n{values}"
        )
