"""The Segmentos pane's messages: its workers' answers (overview, monthly revenue, alerts,
progress, preview, cadence) stay on the screen; `SegmentationFinished` and
`ClientsFilterRequested` bubble to the app (tui/app.py), which reloads or switches to Clientes.
"""

from __future__ import annotations

from textual.message import Message

from carteira_tui.services.reports import MonthlyRevenue, SegmentsOverview
from carteira_tui.services.segmentation import Preview, SegmentRun
from carteira_tui.services.watch import Alerts


class OverviewLoaded(Message, bubble=False):
    """The board, matrix and Pareto curve of the last stored result are ready."""

    def __init__(self, overview: SegmentsOverview, request: int) -> None:
        super().__init__()
        self.overview = overview
        self.request = request
        """Which load asked for it (an older load's answer is dropped)."""


class MonthlyRevenueLoaded(Message, bubble=False):
    """Revenue per month is ready."""

    def __init__(self, revenue: MonthlyRevenue) -> None:
        super().__init__()
        self.revenue = revenue


class AlertsLoaded(Message, bubble=False):
    """The vigilância alerts as of the board's date are counted."""

    def __init__(self, alerts: Alerts) -> None:
        super().__init__()
        self.alerts = alerts


class SegmentationProgressed(Message, bubble=False):
    """The re-segmentation worker reached a step (`fraction` of the work done)."""

    def __init__(self, text: str, fraction: float) -> None:
        super().__init__()
        self.text = text
        self.fraction = fraction


class SegmentationFinished(Message):
    """A re-segmentation finished and its result is stored (bubbles to the app)."""

    def __init__(self, run: SegmentRun) -> None:
        super().__init__()
        self.run = run


class PreviewComputed(Message, bubble=False):
    """Counts under the what-if values `overrides` are ready."""

    def __init__(self, overrides: dict[str, str], preview: Preview) -> None:
        super().__init__()
        self.overrides = overrides
        self.preview = preview


class PreviewRejected(Message, bubble=False):
    """The what-if values cannot be used; `message` says why in pt-BR."""

    def __init__(self, overrides: dict[str, str], message: str) -> None:
        super().__init__()
        self.overrides = overrides
        self.message = message


class CadenceSaved(Message, bubble=False):
    """Segment `name`'s cadence was stored (`pair` (ideal, max) days; None: cleared)."""

    def __init__(self, name: str, pair: tuple[int, int] | None) -> None:
        super().__init__()
        self.name = name
        self.pair = pair


class ClientsFilterRequested(Message):
    """Show the Clientes pane filtered by `filter_text` (filter language; empty: every client).

    Posted by the Segmentos pane on enter; the app routes it (switch to Clientes, fill its
    filter bar). `label` names what was drilled into, for a notification.
    """

    def __init__(self, filter_text: str, label: str) -> None:
        super().__init__()
        self.filter_text = filter_text
        self.label = label
