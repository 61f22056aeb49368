"""`CleaningTable`: a Limpeza list (duplicate groups, invalid fields, stale contacts).

A `FrameTable` with its cursor and enter keys but not its sort and mark keys, so `s`, `v` and
the Limpeza keys reach the screen. Row ids are group ids or client ids, by section.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from carteira_tui.tui.widgets.frame_table import FrameTable


class CleaningTable(FrameTable, inherit_bindings=False):
    """One section of the Limpeza screen; enter posts `RowSelected` with the row's id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Descer", show=False, id="cleaning-table.down"),
        Binding("k,up", "cursor_up", "Subir", show=False, id="cleaning-table.up"),
        Binding("g,home", "first", "Início", show=False, id="cleaning-table.first"),
        Binding("G,end", "last", "Fim", show=False, id="cleaning-table.last"),
        Binding(
            "ctrl+d,pagedown", "page_down", "Página abaixo", show=False, id="cleaning-table.pgdn"
        ),
        Binding("ctrl+u,pageup", "page_up", "Página acima", show=False, id="cleaning-table.pgup"),
    ]
