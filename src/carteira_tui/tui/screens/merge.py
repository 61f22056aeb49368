"""The merge screen (Limpeza): one group of duplicates side by side; pick what stays; merge.

Opened with enter on a group of the Limpeza screen. A thread worker reads the group through
`services.cleaning.cluster_detail` (and each member's card, for its owner's name and orders);
the fields are rows and the members columns (`MergeGrid`), the suggested value of each field
marked. j/k move through the fields, ←/→ or a member's number pick the value that stays, `s`
chooses the client that stays, `m` merges after a confirmation (`services.cleaning.merge_clients`
in a worker) and the screen closes with a `MergeDone` for the Limpeza screen to report and undo.

The screen composes the lines and the grid and keeps the keys; reading the group and the lines
are the shared base `MergePane`, picking and merging are `MergeActions` and what the person
picks is `picks.py` (`tui/widgets/merge/`).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from carteira_tui.tui.widgets.merge.actions import MergeActions
from carteira_tui.tui.widgets.merge_grid import MergeGrid
from carteira_tui.vocab import merge as words

VALUE_GROUP = Binding.Group("Valor", compact=True)


class MergeScreen(MergeActions):
    """One duplicate group: pick the value of each field and the client that stays, then merge."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left,h",
            "step(-1)",
            "Valor anterior",
            key_display="←",
            group=VALUE_GROUP,
            id="merge.previous",
        ),
        Binding(
            "right,l",
            "step(1)",
            "Valor seguinte",
            key_display="→",
            group=VALUE_GROUP,
            id="merge.next",
        ),
        Binding("1", "pick(1)", "Valor do membro (1–9)", show=False, id="merge.pick1"),
        *[Binding(str(n), f"pick({n})", "", show=False, id=f"merge.pick{n}") for n in range(2, 10)],
        Binding("tab", "next_difference(1)", "Diferença", id="merge.next_difference"),
        Binding(
            "shift+tab",
            "next_difference(-1)",
            "Diferença anterior",
            show=False,
            id="merge.previous_difference",
        ),
        Binding("s", "survivor", "Quem fica", id="merge.survivor"),
        Binding("m", "merge", "Mesclar", id="merge.merge"),
        Binding("bracketleft", "page(-1)", "Membros anteriores", show=False, id="merge.page_back"),
        Binding("bracketright", "page(1)", "Membros seguintes", show=False, id="merge.page_next"),
        Binding("escape", "close", "Voltar", show=False, id="merge.close"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(words.loading(self.cluster_id), id="merge-title", markup=False)
        yield Static("", id="merge-members", markup=False)
        yield MergeGrid(id="merge-grid")
        yield Static("", id="merge-field", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.grid.focus()
        self._load(None)

    @on(MergeGrid.CursorMoved)
    def _cursor_moved(self) -> None:
        self._show_field()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Picking and merging wait for the group; a number applies only to a member shown."""
        if action in {"step", "survivor", "merge"}:
            return self.detail is not None and not self.merging
        if action == "next_difference":
            return self.detail is not None
        if action == "page":
            return self.is_mounted and len(self.grid.shown_members) < len(self.order)
        return True

    def action_close(self) -> None:
        self.dismiss(None)
