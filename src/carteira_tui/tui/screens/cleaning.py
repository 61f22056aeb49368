"""The Limpeza screen (key `l`): duplicate groups, invalid fields and stale contacts to review.

The screen composes its feature widgets (`SectionTabs`, three `CleaningTable`s whose columns
and rows are in `widgets/cleaning/rows.py`, a `ProgressLine`, the detail lines) and keeps what
shows them: the report (read by `CleaningPane` in a worker), the current section (a reactive:
tab switches it) and opening a row — enter on a group opens the merge screen (`MergeScreen`), on
a client its card. What writes — `a` merges every high-confidence group, `x` archives stale
contacts, `u` undoes the session's last merge or archive — is `CleaningWrites`
(`widgets/cleaning/writes.py`). esc goes back to the pane below.
"""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.widgets import Footer, Static

from carteira_tui import vocab
from carteira_tui.tui.messages import ClientOpenRequested
from carteira_tui.tui.screens.merge import MergeScreen
from carteira_tui.tui.widgets.cleaning.messages import (
    CleaningProgressed,
    ReportLoaded,
    Undoable,
    session_undo,
)
from carteira_tui.tui.widgets.cleaning.rows import (
    CLUSTER_COLUMNS,
    EMPTY_TEXT,
    ISSUE_COLUMNS,
    SECTIONS,
    STALE_COLUMNS,
    Section,
    cluster_detail,
    cluster_rows,
    issue_detail,
    issue_rows,
    stale_detail,
    stale_rows,
    summary_text,
)
from carteira_tui.tui.widgets.cleaning.section_tabs import SectionTabs
from carteira_tui.tui.widgets.cleaning.writes import CleaningWrites
from carteira_tui.tui.widgets.cleaning_table import CleaningTable
from carteira_tui.tui.widgets.merge.messages import MergeDone
from carteira_tui.tui.widgets.progress_line import ProgressLine
from carteira_tui.tui.widgets.status_line import StatusLine
from carteira_tui.vocab import cleaning as cleaning_words

__all__ = ["CleaningProgressed", "CleaningScreen", "Undoable", "cluster_rows", "session_undo"]


class CleaningScreen(CleaningWrites):
    """Duplicates, invalid fields and stale contacts: review, merge, archive, undo."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Revisar", id="cleaning.open"),
        Binding("tab", "section(1)", "Seção", id="cleaning.next_section"),
        Binding("shift+tab", "section(-1)", "Seção anterior", show=False, id="cleaning.previous"),
        Binding("a", "merge_high", "Mesclar altas", id="cleaning.merge_high"),
        Binding("x", "archive", "Arquivar", id="cleaning.archive"),
        Binding("u", "undo", "Desfazer", id="cleaning.undo"),
        Binding("r,ctrl+r", "reload", "Recarregar", show=False, id="cleaning.reload"),
        Binding("escape", "close", "Voltar", show=False, id="cleaning.close"),
    ]

    section: var[Section] = var[Section]("clusters", init=False)
    """The list on screen; its watcher shows that table and marks its tab."""

    card_opened = False
    """A client's card was opened from here (coming back reloads: it may have been edited)."""

    def table(self, section: Section) -> CleaningTable:
        """The list of one section."""
        return self.query_one(f"#cleaning-{section}", CleaningTable)

    @property
    def current(self) -> CleaningTable:
        """The list on screen."""
        return self.table(self.section)

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static("Procurando duplicados…", id="cleaning-summary", markup=False)
        yield ProgressLine(id="cleaning-progress")
        yield SectionTabs(id="cleaning-sections")
        yield CleaningTable(CLUSTER_COLUMNS, id="cleaning-clusters")
        yield CleaningTable(ISSUE_COLUMNS, id_column="client_id", id="cleaning-issues")
        yield CleaningTable(STALE_COLUMNS, id_column="client_id", id="cleaning-stale")
        yield Static("", id="cleaning-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.watch_section(self.section)
        self._load()

    def on_report_loaded(self, message: ReportLoaded) -> None:
        report = message.report
        self.report = report
        self._hide_progress()
        self.query_one("#cleaning-summary", Static).update(summary_text(report))
        self.query_one(SectionTabs).counts = {
            "clusters": sum(report.cluster_counts.values()),
            "issues": report.issues.height,
            "stale": report.stale.height,
        }
        frames = {
            "clusters": cluster_rows(report.clusters),
            "issues": issue_rows(report.issues),
            "stale": stale_rows(report.stale),
        }
        for section in SECTIONS:
            self._refill(self.table(section), frames[section])
        self._show_detail()
        self.refresh_bindings()

    @staticmethod
    def _refill(table: CleaningTable, frame: pl.DataFrame) -> None:
        """Show `frame`, the cursor on the same row id, else (a merged group) the same place."""
        keep_id = table.cursor_id
        ids = frame.get_column(table.id_column)
        if keep_id is not None and not ids.is_in([keep_id]).any() and frame.height:
            keep_id = int(ids[min(table.cursor_row, frame.height - 1)])
        table.show(frame, keep_id=keep_id)

    def on_screen_resume(self) -> None:
        """Coming back from a client's card (where it may have been edited) reloads the lists."""
        if self.card_opened and not self.busy:
            self.card_opened = False
            self._load()

    # -- sections and detail ------------------------------------------------------------------

    def action_section(self, step: int) -> None:
        self.section = SECTIONS[(SECTIONS.index(self.section) + step) % len(SECTIONS)]

    def watch_section(self, current: Section) -> None:
        for section in SECTIONS:
            self.table(section).display = section == current
        self.query_one(SectionTabs).section = current
        self.current.focus()
        self._show_detail()
        self.refresh_bindings()

    @on(CleaningTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _current_row(self) -> dict[str, Any] | None:
        table = self.current
        row = table.cursor_row
        if not 0 <= row < table.row_count:
            return None
        return table.frame.row(row, named=True)

    def _show_detail(self) -> None:
        row = self._current_row()
        if self.report is None:
            text = ""
        elif row is None:
            text = EMPTY_TEXT[self.section]
        elif self.section == "clusters":
            text = cluster_detail(self.report.clusters, int(row["id"]))
        elif self.section == "issues":
            text = issue_detail(row)
        else:
            text = stale_detail(row)
        self.query_one("#cleaning-detail", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that need a row, a stale contact or something to undo hide otherwise."""
        if not self.is_mounted:
            return True
        if action == "open":
            return self.report is not None and self.current.cursor_id is not None
        if action == "merge_high":
            return (
                self.report is not None
                and self.report.cluster_counts.get("alta", 0) > 0
                and not self.busy
            )
        if action == "archive":
            return self.report is not None and self.report.stale.height > 0 and not self.busy
        if action == "undo":
            return bool(self.undo_list) and not self.busy
        return True

    # -- opening ------------------------------------------------------------------------------

    def action_open(self) -> None:
        row_id = self.current.cursor_id
        if row_id is None:
            return
        if self.section == "clusters":
            self.app.push_screen(
                MergeScreen(row_id, db_path=self.db_path, as_of=self.as_of), self._merged
            )
        else:
            self.card_opened = True
            self.post_message(ClientOpenRequested(row_id, None))

    def _merged(self, done: MergeDone | None) -> None:
        if done is None:
            return
        self.undo_list.append(
            Undoable(
                "merge",
                (done.result.merge_id,),
                cleaning_words.merge_label(done.clients, done.survivor_code),
            )
        )
        self.notify(
            cleaning_words.merged(done.clients, done.survivor_code),
            title=vocab.TITLE_CLEANING,
            timeout=6,
        )
        self._changed()

    def action_close(self) -> None:
        self.dismiss(None)
