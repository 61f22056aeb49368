"""`ProgressLine`: a pane's one line of long work ("⟳ Recalculando… 40%"), Clientes and Limpeza.

State lives in the `progress` reactive; `watch_progress` shows or hides the line, so the pane
sets a value instead of toggling classes by hand.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class ProgressLine(Static):
    """Shows `progress` (stage text, fraction 0..1); hidden while it is None."""

    progress: reactive[tuple[str, float] | None] = reactive(None)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, classes="hidden", markup=False)

    def watch_progress(self, progress: tuple[str, float] | None) -> None:
        self.set_class(progress is None, "hidden")
        if progress is not None:
            text, fraction = progress
            self.update(f"⟳ {text} {round(fraction * 100)}%")
