"""`CadenceEditing`: `c` edits the selected segment's contact cadence (ideal/max days between
contacts, `services.segmentation.edit_segment`, as `carteira segments edit NAME --cadence`) in
a dialog that refuses what `parse_cadence` refuses, then re-segments so the card's cadence and
its clients' states follow.
"""

from __future__ import annotations

from textual import work

from carteira_tui.engine.segments import parse_cadence
from carteira_tui.services.segmentation import edit_segment
from carteira_tui.tui.screens.text_modal import TextModal
from carteira_tui.tui.widgets.segments.board import BoardSelection
from carteira_tui.tui.widgets.segments.lines import cadence_problem
from carteira_tui.tui.widgets.segments.messages import CadenceSaved
from carteira_tui.tui.widgets.segments.resegmentation import Resegmentation
from carteira_tui.vocab import segments as segment_words


class CadenceEditing(BoardSelection, Resegmentation):
    """The segment's cadence dialog (mixed into `SegmentsScreen`)."""

    def action_cadence(self) -> None:
        """Edit the selected segment's contact cadence (ideal/max days between contacts)."""
        name = self.selected_segment()
        if name is None or self.overview is None:
            self.notify(segment_words.PICK_A_CARD, timeout=4)
            return
        cadence = self.overview.cadences.get(name)
        initial = "" if cadence is None else f"{cadence.ideal}/{cadence.maximum}"

        def typed(text: str | None) -> None:
            if text is not None:
                self._save_cadence(name, parse_cadence(text))

        self.app.push_screen(
            TextModal(
                segment_words.cadence_title(name),
                initial,
                placeholder=segment_words.CADENCE_PLACEHOLDER,
                hint=segment_words.CADENCE_HINT,
                validate=cadence_problem,
            ),
            typed,
        )

    @work(thread=True, exclusive=True, group="segments-cadence", exit_on_error=False)
    def _save_cadence(self, name: str, pair: tuple[int, int] | None) -> None:
        edit_segment(self.portfolio_app.db_path, name, cadence=pair)
        self.post_message(CadenceSaved(name, pair))

    def on_cadence_saved(self, message: CadenceSaved) -> None:
        """Say what changed and re-segment, so the clients' cadence states follow."""
        pair = message.pair
        self.notify(segment_words.cadence_saved(message.name, pair), title=segment_words.TITLE)
        overview = self.overview
        self.action_resegment(overview.as_of if overview and overview.as_of else None)
