"""`Resegmentation`: `r` recomputes every client (`services.segmentation.resegment`) in a
worker with a progress bar, then reloads the board; `SegmentationFinished` bubbles on to the
app, which reloads the Clientes pane. The what-if form and the cadence dialog re-segment
through `action_resegment` after they save.
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

from carteira_tui.config import Settings
from carteira_tui.services.segmentation import resegment
from carteira_tui.tui.widgets.segments.messages import (
    SegmentationFinished,
    SegmentationProgressed,
)
from carteira_tui.tui.widgets.segments.pane import SegmentsPane


class Resegmentation(SegmentsPane):
    """Re-segmentation with progress (mixed into `SegmentsScreen`)."""

    def action_resegment(self, as_of: date | None = None) -> None:
        """Recompute every client now (as of today) in a worker; the board follows."""
        if self.running:
            return
        self.running = True
        self.refresh_bindings()
        self.query_one("#segments-progress").remove_class("hidden")
        self.query_one("#segments-progress-text", Static).update("Recalculando…")
        self.query_one("#segments-progress-bar", ProgressBar).update(progress=0)
        self._resegment(as_of or self.today(), self.portfolio_app.settings)

    @work(thread=True, exclusive=True, group="segments-run", exit_on_error=False)
    def _resegment(self, as_of: date, settings: Settings) -> None:
        def progressed(text: str, fraction: float) -> None:
            self.post_message(SegmentationProgressed(text, fraction))

        run = resegment(
            self.portfolio_app.db_path, as_of=as_of, settings=settings, on_progress=progressed
        )
        self.post_message(SegmentationFinished(run))

    def on_segmentation_progressed(self, message: SegmentationProgressed) -> None:
        self.query_one("#segments-progress-text", Static).update(message.text)
        bar = self.query_one("#segments-progress-bar", ProgressBar)
        bar.update(progress=round(message.fraction * 100))

    def on_segmentation_finished(self, message: SegmentationFinished) -> None:
        self._finish_run()
        run = message.run
        self.notify(run.describe(), title="Segmentos")
        self._load_overview()

    def _finish_run(self) -> None:
        self.running = False
        self.refresh_bindings()
        self.query_one("#segments-progress").add_class("hidden")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        super().on_worker_state_changed(event)
        if event.worker.group == "segments-run" and event.state is WorkerState.ERROR:
            self._finish_run()
