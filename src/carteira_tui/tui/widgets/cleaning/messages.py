"""Messages the Limpeza pane's workers post, and what a session can undo there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from weakref import WeakKeyDictionary

from textual.app import App
from textual.message import Message

from carteira_tui.services.cleaning import ArchiveResult, CleaningReport


@dataclass(frozen=True)
class Undoable:
    """A write made on this screen in this session: merges (undone newest first) or one archive
    run. `label` completes "Desfazer …?" in pt-BR."""

    kind: Literal["merge", "archive"]
    ids: tuple[int, ...]
    label: str


_SESSION: WeakKeyDictionary[App[Any], list[Undoable]] = WeakKeyDictionary()


def session_undo(app: App[Any]) -> list[Undoable]:
    """The app session's undo list, newest last (it outlives the screen: esc and back keep it)."""
    return _SESSION.setdefault(app, [])


class ReportLoaded(Message, bubble=False):
    """The Limpeza report was computed."""

    def __init__(self, report: CleaningReport) -> None:
        super().__init__()
        self.report = report


class CleaningProgressed(Message, bubble=False):
    """The report (or a batch write) reached `fraction` (0..1) at stage `text`."""

    def __init__(self, text: str, fraction: float) -> None:
        super().__init__()
        self.text = text
        self.fraction = fraction

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CleaningProgressed)


class StaleProposed(Message, bubble=False):
    """The archive dry run found these stale contacts (nothing written)."""

    def __init__(self, proposal: ArchiveResult) -> None:
        super().__init__()
        self.proposal = proposal


class CleaningActed(Message, bubble=False):
    """A Limpeza write finished: `summary` for the person, what it added to or took from the
    session's undo list."""

    def __init__(
        self, summary: str, *, done: Undoable | None = None, undone: Undoable | None = None
    ) -> None:
        super().__init__()
        self.summary = summary
        self.done = done
        self.undone = undone
