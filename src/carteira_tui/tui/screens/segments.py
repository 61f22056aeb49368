"""The Segmentos pane (key 2): the board of segments, the status × ABC matrix and the charts.

It opens on the last stored result at once (`services.reports.segments_overview`, over
`current_results`) and says "desatualizado" when data or settings moved since. `r` re-segments
in a worker with a progress bar (`services.segmentation.resegment`); `w` opens the what-if form
(status days and ABC cuts) whose counts `services.segmentation.preview_settings` computes beside
the current ones, and `ctrl+s` saves them (`config.save_settings`) and re-segments; enter drills
into Clientes filtered to the selected card or cell. `c` edits the selected segment's contact
cadence (`services.segmentation.edit_segment`, as `carteira segments edit NAME --cadence`) and
re-segments, so the card's cadence and its clients' states follow; `p` opens the action plans.

The screen composes the widgets and keeps the keys; each feature is a mixin in
`tui/widgets/segments/` over the shared base `SegmentsPane` (pane.py): the cards and the
selection (`BoardSelection`), showing a loaded overview (`OverviewDisplay`), `r`
(`Resegmentation`), `w` (`WhatIf`) and `c` (`CadenceEditing`).

Coordination with the app (tui/app.py): `ClientsFilterRequested` bubbles to the app, which
switches to the Clientes pane and applies its filter text; `SegmentationFinished` bubbles too,
so the app reloads the Clientes pane after a re-segmentation here.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, ProgressBar, Static

from carteira_tui.config import Settings
from carteira_tui.services.today import local_today
from carteira_tui.tui.screens.plans import PlansScreen
from carteira_tui.tui.widgets.charts import MonthlyChart, ParetoChart
from carteira_tui.tui.widgets.segments.board import Target, build_cards
from carteira_tui.tui.widgets.segments.cadence import CadenceEditing
from carteira_tui.tui.widgets.segments.lines import (
    A_LEFT_ACTIVE,
    alerts_text,
    cadence_label,
    cadence_line,
    cadence_problem,
    cadence_states,
    clients_text,
    segment_filter,
    summary_text,
    watch_text,
)
from carteira_tui.tui.widgets.segments.messages import (
    AlertsLoaded,
    CadenceSaved,
    ClientsFilterRequested,
    MonthlyRevenueLoaded,
    OverviewLoaded,
    PreviewComputed,
    PreviewRejected,
    SegmentationFinished,
    SegmentationProgressed,
)
from carteira_tui.tui.widgets.segments.overview import OverviewDisplay
from carteira_tui.tui.widgets.segments.what_if import (
    PREVIEW_DELAY,
    WHAT_IF_FIELDS,
    WhatIf,
    form_value,
    settings_message,
)
from carteira_tui.tui.widgets.status_line import StatusLine
from carteira_tui.tui.widgets.status_matrix import StatusMatrix
from carteira_tui.vocab import segments as segment_words

__all__ = [
    "A_LEFT_ACTIVE",
    "PREVIEW_DELAY",
    "WHAT_IF_FIELDS",
    "AlertsLoaded",
    "CadenceSaved",
    "ClientsFilterRequested",
    "MonthlyRevenueLoaded",
    "OverviewLoaded",
    "PreviewComputed",
    "PreviewRejected",
    "SegmentationFinished",
    "SegmentationProgressed",
    "SegmentsScreen",
    "Target",
    "alerts_text",
    "build_cards",
    "cadence_label",
    "cadence_line",
    "cadence_problem",
    "cadence_states",
    "clients_text",
    "form_value",
    "segment_filter",
    "settings_message",
    "summary_text",
    "today",
    "watch_text",
]


def today() -> date:
    """The date `r` re-segments as of: today in Brazil, the one function the CLI uses
    (`services.today.local_today`); a module function so tests can pin it."""
    return local_today(Settings())


class SegmentsScreen(CadenceEditing, WhatIf, OverviewDisplay):
    """Board of segments with counts, revenue share and movement; what-if; drill into one."""

    AUTO_FOCUS = ""
    """Nothing takes focus on open: the screen's keys drive the board."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "step(1)", "Próximo", show=False, id="segments.next"),
        Binding("k", "step(-1)", "Anterior", show=False, id="segments.previous"),
        Binding("down", "move('down')", "Abaixo", show=False, id="segments.down"),
        Binding("up", "move('up')", "Acima", show=False, id="segments.up"),
        Binding("l,right", "move('right')", "Direita", show=False, id="segments.right"),
        Binding("h,left", "move('left')", "Esquerda", show=False, id="segments.left"),
        Binding("enter", "drill", "Clientes", id="segments.drill"),
        Binding("r", "resegment", "Recalcular", id="segments.resegment"),
        Binding("w", "what_if", "E se…", id="segments.what_if"),
        Binding("ctrl+s", "save_settings", "Salvar limites", id="segments.save"),
        Binding("escape", "leave_what_if", "Sair da prévia", id="segments.leave"),
        Binding("c", "cadence", "Cadência", id="segments.cadence"),
        Binding("p", "plans", "Planos", id="segments.plans"),
        Binding("g", "toggle_charts", "Gráficos", id="segments.charts"),
    ]

    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (110, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static(segment_words.LOADING, id="segments-summary")
        with Horizontal(id="segments-progress", classes="hidden"):
            yield Static("", id="segments-progress-text")
            yield ProgressBar(total=100, show_eta=False, id="segments-progress-bar")
        with Horizontal(id="whatif-form", classes="hidden"):
            yield Static(segment_words.WHAT_IF, classes="whatif-title")
            for field, label, unit in WHAT_IF_FIELDS:
                yield Static(label, classes="whatif-label")
                yield Input(id=f"whatif-{field}", restrict=r"[0-9.,%]*", max_length=6)
                yield Static(unit, classes="whatif-unit")
        yield Static("", id="whatif-message", classes="hidden")
        with VerticalScroll(id="segments-body", can_focus=False):
            with Vertical(id="board-view"):
                yield Grid(id="segment-board")
                yield StatusMatrix(id="status-matrix")
            with Vertical(id="charts-view"):
                yield MonthlyChart(id="monthly-chart")
                yield ParetoChart(id="pareto-chart")
                yield Static("", id="segments-watch")
                yield Static("", id="segments-alerts")
        yield Static("", id="segments-detail")
        yield Footer()

    def on_mount(self) -> None:
        self._load_overview()

    def today(self) -> date:
        """The date `r` and the preview use: this module's `today` (tests pin it)."""
        return today()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save_settings", "leave_what_if"):
            return self.what_if
        if action == "toggle_charts":
            return not self.has_class("-tall")
        if action == "resegment":
            return not self.running
        return True

    def action_toggle_charts(self) -> None:
        """Switch between the board and the charts (on short terminals)."""
        self.toggle_class("-charts")

    def action_plans(self) -> None:
        """Open the Planos screen (the action plans and their date triggers) over this pane."""
        self.app.push_screen(PlansScreen())
