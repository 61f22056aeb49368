"""`PlanTable`: the Planos screen's table — a `FrameTable` of action plans with only its cursor
keys, so `n`, `e`, `x` and `a` reach the screen (`PLAN_COLUMNS`). Row ids are plan ids."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from carteira_tui.tui.widgets.frame_table import (
    Column,
    FrameTable,
    format_date,
    format_flag,
    format_int,
)

PLAN_COLUMNS: list[Column] = [
    Column("code", "Código", 14, priority=0),
    Column("title", "Título", 18, priority=1, flex=True),
    Column("trigger_label", "Gatilho", 12, priority=2),
    Column("value_label", "Data/valor", 14, priority=3),
    Column("due_date", "Vence", 10, format_date, priority=4),
    Column("due_offset", "Ant.", 4, format_int, align_right=True, priority=6),
    Column("priority", "P", 1, priority=7),
    Column("channel_label", "Canal", 8, priority=8),
    Column("active", "Ativo", 5, format_flag, priority=5),
]
"""The Planos table's columns, narrowest-first dropped by `priority`."""


class PlanTable(FrameTable, inherit_bindings=False):
    """The action plans, one row per plan (`id` is the plan id)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Descer", show=False, id="plans.down"),
        Binding("k,up", "cursor_up", "Subir", show=False, id="plans.up"),
        Binding("g,home", "first", "Início", show=False, id="plans.first"),
        Binding("G,end", "last", "Fim", show=False, id="plans.last"),
        Binding("enter", "select_row", "Editar", show=False, id="plans.open"),
    ]
