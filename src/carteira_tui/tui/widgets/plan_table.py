"""`PlanTable`: the Planos screen's table — a `FrameTable` of action plans with only its cursor
keys, so `n`, `e`, `x` and `a` reach the screen. Row ids are plan ids."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from carteira_tui.tui.widgets.frame_table import FrameTable


class PlanTable(FrameTable, inherit_bindings=False):
    """The action plans, one row per plan (`id` is the plan id)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Descer", show=False, id="plans.down"),
        Binding("k,up", "cursor_up", "Subir", show=False, id="plans.up"),
        Binding("g,home", "first", "Início", show=False, id="plans.first"),
        Binding("G,end", "last", "Fim", show=False, id="plans.last"),
        Binding("enter", "select_row", "Editar", show=False, id="plans.open"),
    ]
