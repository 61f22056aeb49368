"""`OverviewDisplay`: showing the last stored result once it is read — the summary line, the
cards and the status × ABC matrix with their movement, the Pareto curve, the vigilância lines,
then revenue per month (`services.reports.monthly_revenue`) and the alerts as of the board's
date (`services.watch.alerts`), each in its own worker.
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.widgets import Static

from carteira_tui.services.reports import monthly_revenue
from carteira_tui.services.watch import alerts
from carteira_tui.tui.widgets.charts import MonthlyChart, ParetoChart, compact_brl
from carteira_tui.tui.widgets.segments.board import BoardSelection
from carteira_tui.tui.widgets.segments.lines import (
    A_LEFT_ACTIVE,
    alerts_text,
    summary_text,
    watch_text,
)
from carteira_tui.tui.widgets.segments.messages import (
    AlertsLoaded,
    MonthlyRevenueLoaded,
    OverviewLoaded,
)
from carteira_tui.vocab import segments as segment_words


class OverviewDisplay(BoardSelection):
    """The board, matrix, charts and vigilância of a loaded overview (mixed into
    `SegmentsScreen`)."""

    @work(thread=True, exclusive=True, group="segments-monthly", exit_on_error=False)
    def _load_monthly(self, until: date | None) -> None:
        revenue = monthly_revenue(self.portfolio_app.db_path, months=24, until=until)
        self.post_message(MonthlyRevenueLoaded(revenue))

    async def on_overview_loaded(self, message: OverviewLoaded) -> None:
        if message.request != self._requests:
            return
        overview = message.overview
        self.overview = overview
        summary = self.query_one("#segments-summary", Static)
        summary.update(summary_text(overview))
        summary.set_class(overview.stale or overview.as_of is None, "-stale")
        await self._show_cards()
        self.matrix.show(
            {(c.status, c.abc): c.clients for c in overview.matrix},
            {
                row.value: (row.entered, row.left)
                for row in overview.board.rows
                if row.dimension == "status"
            }
            if overview.board.has_previous
            else {},
        )
        self.query_one("#pareto-chart", ParetoChart).show(
            overview.pareto, overview.class_shares, overview.clients_for_80
        )
        self.query_one("#segments-watch", Static).update(watch_text(overview))
        self._select(min(self.selected, len(self._targets()) - 1))
        self._load_monthly(overview.as_of)
        if overview.as_of is not None:
            self._load_alerts(overview.as_of)

    @work(thread=True, exclusive=True, group="segments-alerts", exit_on_error=False)
    def _load_alerts(self, as_of: date) -> None:
        app = self.portfolio_app
        self.post_message(AlertsLoaded(alerts(app.db_path, as_of=as_of, settings=app.settings)))

    def on_alerts_loaded(self, message: AlertsLoaded) -> None:
        widget = self.query_one("#segments-alerts", Static)
        widget.update(alerts_text(message.alerts))
        widget.set_class(message.alerts.counts.get(A_LEFT_ACTIVE, 0) > 0, "-alarm")

    def on_monthly_revenue_loaded(self, message: MonthlyRevenueLoaded) -> None:
        months = message.revenue.months
        chart = self.query_one("#monthly-chart", MonthlyChart)
        if not months:
            chart.show([], [], segment_words.NO_MONTHLY_REVENUE)
            return
        best = max(months, key=lambda m: m.revenue_cents)
        caption = segment_words.monthly_revenue(
            len(months),
            compact_brl(message.revenue.total_cents),
            best.month.strftime("%m/%Y"),
            compact_brl(best.revenue_cents),
        )
        chart.show(
            [m.revenue_cents for m in months],
            [(m.month.year, m.month.month) for m in months],
            caption,
        )
