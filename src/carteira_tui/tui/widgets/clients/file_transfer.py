"""`FileTransfer`: the Clientes pane's files — `e` exports the rows on screen (`ExportModal`,
services.export), `i` imports a file of clients, orders or interactions (`ImportModal`,
services.imports, which re-segments in the same action); progress on the pane's progress line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from textual import work

from carteira_tui import vocab
from carteira_tui.services.export import export_clients
from carteira_tui.services.imports import ImportFailed, import_and_segment
from carteira_tui.tui.context import today
from carteira_tui.tui.screens.export_modal import ExportModal
from carteira_tui.tui.screens.import_modal import (
    KIND_LABELS,
    ImportErrorsModal,
    ImportModal,
    ImportRequest,
)
from carteira_tui.tui.widgets.clients.messages import (
    ExportFinished,
    ImportRejected,
    Resegmented,
    WorkFailed,
    WorkProgressed,
    WriteFinished,
)
from carteira_tui.tui.widgets.clients.pane import ClientsPane
from carteira_tui.tui.widgets.frame_table import format_int


class FileTransfer(ClientsPane):
    """Export the view and import files (mixed into `ClientsScreen`)."""

    def action_export(self) -> None:
        self.app.push_screen(ExportModal(self.table.row_count), self.export_to)

    def export_to(self, path: Path | None) -> None:
        """Write the rows on screen to `path` (.csv, .xlsx or .json) in a worker."""
        if path is not None:
            self._export(path, self.table.frame, self.as_of)

    @work(thread=True, exclusive=True, group="clients-export", exit_on_error=False)
    def _export(self, path: Path, frame: pl.DataFrame, as_of: date | None) -> None:
        self.post_message(WorkProgressed(vocab.exporting(path.name), 0.0))
        result = export_clients(
            self.db_path,
            output=path,
            settings=self.settings,
            frame=frame,
            as_of=as_of,
            on_progress=self._progress,
        )
        self.post_message(ExportFinished(result))

    def on_export_finished(self, message: ExportFinished) -> None:
        self._hide_progress()
        result = message.result
        text = vocab.exported(format_int(result.rows), result.path)
        self.notify(text, title=vocab.TITLE_EXPORT, timeout=6)

    def action_import_file(self) -> None:
        self.app.push_screen(ImportModal(), self._import_chosen)

    def _import_chosen(self, request: ImportRequest | None) -> None:
        if request is not None:
            self.import_file(request)

    @work(thread=True, exclusive=True, group="clients-write", exit_on_error=False)
    def import_file(self, request: ImportRequest) -> None:
        """Import `request.path` as `request.kind` and re-segment, in a worker."""
        self.post_message(WorkProgressed(vocab.importing(request.path.name), 0.0))
        try:
            outcome = import_and_segment(
                self.db_path,
                request.kind,
                request.path,
                as_of=self.as_of or today(),
                settings=self.settings,
                on_progress=self._progress,
            )
        except ImportFailed as error:
            self.post_message(WorkFailed(vocab.import_refused(error.describe())))
            return
        report = outcome.report
        if report.errors and not report.written:
            errors = [str(e) for e in report.errors[:50]]
            self.post_message(ImportRejected(report.summary, errors, len(report.errors)))
            return
        label = KIND_LABELS.get(request.kind, request.kind)
        notes = "".join(f"\n{note}" for note in report.notes[:3])
        self.post_message(WriteFinished(f"{label}: {report.summary}{notes}", changed=False))
        if outcome.run is not None:
            self.post_message(Resegmented(outcome.run.as_of, outcome.run.describe()))

    def on_import_rejected(self, message: ImportRejected) -> None:
        self._hide_progress()
        self.app.push_screen(ImportErrorsModal(message.summary, message.errors, message.total))

    def on_work_failed(self, message: WorkFailed) -> None:
        self._hide_progress()
        self.notify(message.message, title=vocab.TITLE_ERROR, severity="error", timeout=8)
