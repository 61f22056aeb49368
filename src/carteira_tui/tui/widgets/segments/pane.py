"""`SegmentsPane`: what the Segmentos pane's features share — the overview on screen, the
what-if preview and whether the form is open, whether a re-segmentation runs, the selected
place on the board, the board's widgets, the date `r` re-segments as of, and reading the
last stored result (`services.reports.segments_overview`) in a worker.

`SegmentsScreen` (screens/segments.py) is this base plus the feature mixins of this folder:
`BoardSelection` (board.py), `OverviewDisplay` (overview.py), `Resegmentation`
(resegmentation.py), `WhatIf` (what_if.py) and `CadenceEditing` (cadence.py).
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.containers import Grid
from textual.timer import Timer

from carteira_tui.config import Settings
from carteira_tui.services.reports import SegmentsOverview, segments_overview
from carteira_tui.services.segmentation import Preview
from carteira_tui.services.today import local_today
from carteira_tui.tui.context import AppContext
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.widgets.segment_board import SegmentCard
from carteira_tui.tui.widgets.segments.messages import OverviewLoaded
from carteira_tui.tui.widgets.status_matrix import StatusMatrix


class SegmentsPane(PaneScreen):
    """The Segmentos pane's shared state, widgets and loading."""

    PANE_TITLE = "Segmentos"

    def __init__(self) -> None:
        super().__init__()
        self.overview: SegmentsOverview | None = None
        self.preview: Preview | None = None
        self.what_if = False
        self.running = False
        self.selected = 0
        self._requests = 0
        self._seen_changes = 0
        self._preview_timer: Timer | None = None

    @property
    def portfolio_app(self) -> AppContext:
        """The app's context (database, settings), as every pane reads it."""
        return self.context

    @property
    def matrix(self) -> StatusMatrix:
        """The status × ABC matrix."""
        return self.query_one("#status-matrix", StatusMatrix)

    @property
    def cards(self) -> list[SegmentCard]:
        """The board's cards in order."""
        return list(self.query_one("#segment-board", Grid).query_children(SegmentCard))

    def today(self) -> date:
        """The date `r` re-segments as of: today in Brazil (`services.today.local_today`).
        The screen answers with its module's `today`, which tests pin."""
        return local_today(Settings())

    def reload_if_stale(self) -> None:
        """Reload the board unless it shows a current result (someone may have re-segmented);
        a load still under way is superseded."""
        stale = self.overview is None or self.overview.stale
        if self.is_mounted and stale and not self.running:
            self._load_overview()

    def on_screen_resume(self) -> None:
        """Reload on coming back only when the data changed meanwhile (the app counts the
        changes it notices) or the board is stale, so switching panes stays instant."""
        changed = self.context.data_changes != self._seen_changes
        stale = self.overview is not None and self.overview.stale
        if self.overview is not None and not self.running and (changed or stale):
            self._load_overview()

    def action_reload(self) -> None:
        """Reload the board (the app calls it when someone else wrote to the database)."""
        if not self.running:
            self._load_overview()

    # -- loading --------------------------------------------------------------------------

    def _load_overview(self) -> None:
        self._seen_changes = self.context.data_changes
        self._requests += 1
        self._read_overview(self._requests)

    @work(thread=True, group="segments-load", exit_on_error=False)
    def _read_overview(self, request: int) -> None:
        app = self.portfolio_app
        overview = segments_overview(app.db_path, settings=app.settings)
        self.post_message(OverviewLoaded(overview, request))
