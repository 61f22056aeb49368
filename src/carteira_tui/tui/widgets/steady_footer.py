"""`SteadyFooter`: Textual's `Footer` that rebuilds its keys only when the keys it shows change.

Textual's footer recomposes on every bindings update, and a pane updates its bindings each time
it is shown again — after every dialog (Hoje's `d`, `s`, `r`). Rebuilding ~30 key widgets and
their styles is most of what closing a dialog costs; when the keys are the same, this keeps them.
A pane's bindings are also updated as it is left (Textual's footer then rebuilt Clientes' ~17 keys
on the way to Hoje, before Hoje painted): a footer nobody sees is not rebuilt; the pane's bindings
update again when it is shown, and the footer is rebuilt then if its keys differ.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Signature = tuple[tuple[str, str, str, bool, str], ...]


def shown_keys(screen: Screen[object]) -> Signature:
    """What the footer shows for `screen`: each shown binding's key, label, action, whether it
    is enabled, and its tooltip."""
    return tuple(
        (binding.key, binding.description, binding.action, enabled, tooltip)
        for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show
    )


class SteadyFooter(Footer):
    """A footer that skips rebuilding when the shown keys are those it already shows."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Signature | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild (Textual's `Footer.bindings_changed`) unless the keys are unchanged."""
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            if not screen.is_current and self.children:
                return  # a pane being left: compared again when it is shown
            keys = shown_keys(screen)
            if keys == self._shown and self.children:
                return
            self._shown = keys
        super().bindings_changed(screen)
