"""`CommandDispatch`: the Clientes pane's `:` command line — `CommandLineModal` reads a line,
`parse_command` (screens/command_line.py) turns it into a `Command`, and `run_command` hands it
to the feature that does it (filter, search, sort, export, import, views, re-segmentation).
"""

from __future__ import annotations

from carteira_tui import vocab
from carteira_tui.services.views import sort_column_for
from carteira_tui.tui.context import today
from carteira_tui.tui.screens.command_line import (
    Command,
    CommandError,
    CommandLineModal,
    parse_command,
)
from carteira_tui.tui.screens.import_modal import ImportRequest
from carteira_tui.tui.widgets.clients.bulk_actions import BulkActions
from carteira_tui.tui.widgets.clients.columns import COLUMN_LABELS
from carteira_tui.tui.widgets.clients.file_transfer import FileTransfer
from carteira_tui.tui.widgets.clients.saved_views import SavedViews

EXPORT_SUFFIXES = frozenset({".csv", ".xlsx", ".json"})


class CommandDispatch(BulkActions, SavedViews, FileTransfer):
    """The `:` command line over the pane's features (mixed into `ClientsScreen`)."""

    def action_command_line(self) -> None:
        self.app.push_screen(CommandLineModal(), self._command_typed)

    def _command_typed(self, text: str | None) -> None:
        if text is not None and text.strip():
            self.run_command(text)

    def run_command(self, text: str) -> None:
        """Run one `:` command; a mistake is shown as a message, never raised."""
        try:
            self._dispatch(parse_command(text))
        except CommandError as error:
            self.notify(str(error), title=vocab.TITLE_COMMAND, severity="error", timeout=8)

    def _dispatch(self, command: Command) -> None:
        name = command.name
        if name == "filter":
            self.set_filter(command.text)
        elif name == "search":
            self.apply_view(
                search=command.text,
                filter_text=self.filter_text,
                sort_column=self.table.sort_column,
                sort_descending=self.table.sort_descending,
            )
        elif name == "sort":
            columns = self.portfolio.frame.columns if self.portfolio is not None else []
            column = sort_column_for(command.text, columns, COLUMN_LABELS)
            if column is None:
                raise CommandError(vocab.unknown_column(command.text))
            self.table.sort_column = column
            self.table.sort_descending = command.descending
            self.refresh_view()
        elif name == "export" and command.path is not None:
            if command.path.suffix.lower() not in EXPORT_SUFFIXES:
                raise CommandError(vocab.EXPORT_SUFFIX_REQUIRED)
            self.export_to(command.path)
        elif name == "import" and command.kind is not None and command.path is not None:
            self.import_file(ImportRequest(command.kind, command.path))
        elif name == "resegment":
            self._resegment(command.as_of or today())
        elif name == "view":
            self._open_view(command.text, False)
        elif name == "save":
            self._save_view(command.text, self.current_view())
        elif name == "clear":
            self.action_clear()
        elif name == "help":
            self.app.action_help()  # type: ignore[attr-defined]
        elif name == "quit":
            self.app.exit()
