"""`CleaningWrites`: what the Limpeza pane writes, each after a confirmation and in a worker —
`a` merges every high-confidence group (`merge_duplicates`), `x` proposes the stale contacts
for archiving (`archive_stale` dry run) and archives them, `u` undoes the session's last merge
or archive (`undo_merge`, `undo_archive`). The rules are services.cleaning's.
"""

from __future__ import annotations

from textual import work

from carteira_tui import vocab
from carteira_tui.services import cleaning as service
from carteira_tui.tui.screens import client_card
from carteira_tui.tui.screens.confirm_modal import ConfirmModal
from carteira_tui.tui.widgets.cleaning.messages import CleaningActed, StaleProposed, Undoable
from carteira_tui.tui.widgets.cleaning.pane import CleaningPane
from carteira_tui.tui.widgets.cleaning.rows import counted
from carteira_tui.tui.widgets.frame_table import format_int
from carteira_tui.vocab import cleaning as cleaning_words


class CleaningWrites(CleaningPane):
    """Merge, archive and undo (mixed into `CleaningScreen`)."""

    # -- merge every high-confidence group ----------------------------------------------------

    def action_merge_high(self) -> None:
        if self.report is None:
            return
        groups = self.report.cluster_counts.get("alta", 0)
        self.app.push_screen(
            ConfirmModal(
                cleaning_words.merge_high_question(groups, format_int(groups)),
                cleaning_words.MERGE_HIGH_NOTE,
            ),
            self._merge_high_confirmed,
        )

    def _merge_high_confirmed(self, yes: bool | None) -> None:
        if yes:
            self.busy = True
            self._merge_high()

    @work(thread=True, exclusive=True, group="cleaning-write", exit_on_error=False)
    def _merge_high(self) -> None:
        done = service.merge_duplicates(
            self.db_path, today=client_card.today(), on_progress=self._progress
        )
        clients = sum(len(m.removed_ids) + 1 for m in done)
        groups = counted(len(done), *cleaning_words.GROUPS)
        undo = Undoable(
            "merge", tuple(m.merge_id for m in done), cleaning_words.merge_high_label(groups)
        )
        summary = cleaning_words.merged_high(groups, counted(clients, *cleaning_words.CLIENTS))
        self.post_message(CleaningActed(summary, done=undo if done else None))

    # -- archive stale contacts ---------------------------------------------------------------

    def action_archive(self) -> None:
        self.busy = True
        self._propose_archive()

    @work(thread=True, exclusive=True, group="cleaning-write", exit_on_error=False)
    def _propose_archive(self) -> None:
        proposal = service.archive_stale(
            self.db_path, as_of=self.as_of, settings=self.settings, apply=False
        )
        self.post_message(StaleProposed(proposal))

    def on_stale_proposed(self, message: StaleProposed) -> None:
        self._stop()
        proposal = message.proposal
        if proposal.stale.is_empty():
            self.notify(vocab.NO_STALE_CONTACTS, title=vocab.TITLE_CLEANING, timeout=4)
            return
        by_kind = " · ".join(
            f"{service.STALE_LABELS[kind].lower()}: {format_int(n)}"
            for kind, n in proposal.counts.items()
        )
        self.app.push_screen(
            ConfirmModal(
                cleaning_words.archive_question(
                    counted(proposal.stale.height, *cleaning_words.STALE_CONTACTS)
                ),
                cleaning_words.archive_note(by_kind),
            ),
            self._archive_confirmed,
        )

    def _archive_confirmed(self, yes: bool | None) -> None:
        if yes:
            self.busy = True
            self._archive()

    @work(thread=True, exclusive=True, group="cleaning-write", exit_on_error=False)
    def _archive(self) -> None:
        done = service.archive_stale(
            self.db_path, as_of=self.as_of, settings=self.settings, apply=True
        )
        contacts = counted(done.stale.height, *cleaning_words.CONTACTS)
        undo = None
        if done.run_id is not None:
            undo = Undoable("archive", (done.run_id,), cleaning_words.archive_label(contacts))
        self.post_message(CleaningActed(cleaning_words.archived(contacts), done=undo))

    # -- undo ---------------------------------------------------------------------------------

    def action_undo(self) -> None:
        if not self.undo_list:
            return
        last = self.undo_list[-1]
        self.app.push_screen(
            ConfirmModal(cleaning_words.undo_question(last.label), cleaning_words.UNDO_NOTE),
            lambda yes: self._undo_confirmed(last, yes),
        )

    def _undo_confirmed(self, last: Undoable, yes: bool | None) -> None:
        if yes:
            self.busy = True
            self._undo(last)

    @work(thread=True, exclusive=True, group="cleaning-write", exit_on_error=False)
    def _undo(self, last: Undoable) -> None:
        if last.kind == "merge":
            restored = 0
            for done, merge_id in enumerate(reversed(last.ids)):
                self._progress(cleaning_words.UNDOING_MERGES, done / len(last.ids))
                restored += len(service.undo_merge(self.db_path, merge_id).restored_ids)
            back = counted(restored, *cleaning_words.CLIENTS)
            summary = cleaning_words.undone_merge(last.label, back)
        else:
            archive = service.undo_archive(self.db_path, last.ids[0])
            back = counted(len(archive.restored_ids), *cleaning_words.CLIENTS)
            summary = cleaning_words.undone_archive(last.label, back)
        self.post_message(CleaningActed(summary, undone=last))
