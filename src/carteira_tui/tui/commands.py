"""`PaneActionsProvider`: the command palette (`ctrl+p`) lists every action of every pane.

The actions are read from the panes' own `BINDINGS` (and those of the widgets they are built
on), so a key added to a pane shows up here with its pt-BR description and key. Choosing one
switches to its pane and runs the action there, as if its key had been pressed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from carteira_tui.tui.screens.clients import ClientsScreen
from carteira_tui.tui.screens.segments import SegmentsScreen
from carteira_tui.tui.screens.tasks import TasksScreen
from carteira_tui.tui.widgets.frame_table import FrameTable
from carteira_tui.vocab import app as app_words

PANE_NODES: dict[str, tuple[str, tuple[type[DOMNode], ...]]] = {
    "clientes": ("Clientes", (ClientsScreen, FrameTable)),
    "segmentos": ("Segmentos", (SegmentsScreen,)),
    "tarefas": ("Tarefas", (TasksScreen,)),
}
"""Per app mode: the pane's title and the classes whose bindings are its actions."""

KEY_NAMES: dict[str, str] = {
    "question_mark": "?",
    "slash": "/",
    "colon": ":",
    "enter": "⏎",
    "escape": "esc",
    "delete": "del",
}


@dataclass(frozen=True)
class PaneAction:
    """One action of one pane: where it runs, what it is called and which key does it."""

    mode: str
    pane: str
    node: type[DOMNode]
    action: str
    description: str
    key: str

    @property
    def title(self) -> str:
        """What the palette shows: `Clientes: Filtrar`."""
        return f"{self.pane}: {self.description}"

    @property
    def help(self) -> str:
        return f"tecla {self.key}"


def key_label(keys: str) -> str:
    """The first key of a binding's key string, as a person reads it."""
    first = keys.split(",")[0].strip()
    return KEY_NAMES.get(first, first)


def pane_actions() -> Iterator[PaneAction]:
    """Every action with a description on every pane, one per (pane, action)."""
    for mode, (pane, nodes) in PANE_NODES.items():
        seen: set[str] = set()
        for node in nodes:
            for item in node.BINDINGS:
                if not isinstance(item, Binding) or not item.description:
                    continue
                if item.action in seen:
                    continue
                seen.add(item.action)
                yield PaneAction(
                    mode, pane, node, item.action, item.description, key_label(item.key)
                )


async def run_pane_action(app: Any, item: PaneAction) -> None:
    """Switch to the action's pane and run it on the screen or widget that owns it."""
    if app.current_mode != item.mode:
        await app.switch_mode(item.mode)
    screen = app.screen
    target: Any = screen
    if not isinstance(screen, item.node):
        found = screen.query(item.node)
        if not found:
            app.notify(app_words.NOT_AVAILABLE, severity="warning")
            return
        target = found.first()
    if target.check_action(item.action.split("(")[0], ()) is False:
        app.notify(app_words.not_now(item.description), severity="warning", timeout=3)
        return
    await target.run_action(item.action)


class PaneActionsProvider(Provider):
    """Every pane's actions in the command palette, searchable in pt-BR."""

    def _command(self, item: PaneAction) -> Callable[[], Any]:
        return partial(run_pane_action, self.app, item)

    async def discover(self) -> Hits:
        for item in pane_actions():
            yield DiscoveryHit(item.title, self._command(item), help=item.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for item in pane_actions():
            score = matcher.match(item.title)
            if score > 0:
                yield Hit(score, matcher.highlight(item.title), self._command(item), help=item.help)
