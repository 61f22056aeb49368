"""`AppContext`: the one typed way a screen or widget reaches what the app holds for everyone —
the database path, the settings in force, who "me" is, the reference date and the masking switch.

`CarteiraApp` provides these attributes; `app_context(node)` reads them with their types, so a
screen never casts the app to `Any`, ignores a type error or guesses a default with `getattr`.
(posting reads its settings through one accessor the same way.)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Protocol, cast

from textual.dom import DOMNode

from carteira_tui.config import Settings


class AppContext(Protocol):
    """What the app holds for every pane."""

    db_path: Path
    settings: Settings
    as_of: date | None
    masked: bool
    data_changes: int

    @property
    def me(self) -> str:
        """Who is using the app (for "minhas" and the audit)."""
        ...


def app_context(node: DOMNode) -> AppContext:
    """The app's context, seen from any screen or widget mounted in it."""
    return cast(AppContext, node.app)


def today() -> date:
    """Today's date where the team works (`services.today.local_today`: Brazil by default), for
    the panes that have no clock of their own to pin in tests."""
    from carteira_tui.services.today import local_today

    return local_today(Settings())
