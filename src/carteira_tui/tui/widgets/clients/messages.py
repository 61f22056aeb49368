"""Messages the Clientes pane's workers post (past-tense facts, handled by the pane)."""

from __future__ import annotations

from datetime import date

from textual.message import Message

from carteira_tui.services.export import ExportResult
from carteira_tui.services.views import SavedView


class WorkProgressed(Message, bubble=False):
    """Long work (re-segmentation, import, export) reached `fraction` (0..1) at stage `text`."""

    def __init__(self, text: str, fraction: float) -> None:
        super().__init__()
        self.text = text
        self.fraction = fraction

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, WorkProgressed)


class WriteFinished(Message, bubble=False):
    """A write (bulk action, import) is committed; `summary` says what it did in pt-BR."""

    def __init__(self, summary: str, *, changed: bool, clear_marks: bool = False) -> None:
        super().__init__()
        self.summary = summary
        self.changed = changed
        self.clear_marks = clear_marks


class WorkFailed(Message, bubble=False):
    """A service refused the work; `message` is its pt-BR reason."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class Resegmented(Message, bubble=False):
    """Segmentation was recomputed as of `as_of` and stored; the table can reload."""

    def __init__(self, as_of: date, text: str) -> None:
        super().__init__()
        self.as_of = as_of
        self.text = text


class ExportFinished(Message, bubble=False):
    """The view was written to a file."""

    def __init__(self, result: ExportResult) -> None:
        super().__init__()
        self.result = result


class ImportRejected(Message, bubble=False):
    """An import wrote nothing because of bad rows (`errors` as `FILE:ROW: column: reason`)."""

    def __init__(self, summary: str, errors: list[str], total: int) -> None:
        super().__init__()
        self.summary = summary
        self.errors = errors
        self.total = total


class ViewsListed(Message, bubble=False):
    """The saved views were read (to pick one in `ViewsModal`)."""

    def __init__(self, views: list[SavedView]) -> None:
        super().__init__()
        self.views = views


class ViewOpened(Message, bubble=False):
    """A saved view was read and can be applied."""

    def __init__(self, view: SavedView) -> None:
        super().__init__()
        self.view = view
