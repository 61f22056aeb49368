"""The Segmentos pane (key 2): the board of segments, the status × ABC matrix and the charts.

It opens on the last stored result at once (`services.reports.segments_overview`, over
`current_results`) and says "desatualizado" when data or settings moved since. `r` re-segments
in a worker with a progress bar (`services.segmentation.resegment`); `w` opens the what-if form
(status days and ABC cuts) whose counts `services.segmentation.preview_settings` computes beside
the current ones, and `ctrl+s` saves them (`config.save_settings`) and re-segments; enter drills
into Clientes filtered to the selected card or cell. `c` edits the selected segment's contact
cadence (`services.segmentation.edit_segment`, as `carteira segments edit NAME --cadence`) and
re-segments, so the card's cadence and its clients' states follow; `p` opens the action plans.

Coordination with the app (tui/app.py): `ClientsFilterRequested` bubbles to the app, which
switches to the Clientes pane and applies its filter text; `SegmentationFinished` bubbles too,
so the app reloads the Clientes pane after a re-segmentation here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from carteira_tui.config import Settings, SettingsError
from carteira_tui.engine.segments import parse_cadence
from carteira_tui.model import cents_to_brl
from carteira_tui.services.reports import (
    NO_VALUE,
    MonthlyRevenue,
    SegmentCadence,
    SegmentsOverview,
    monthly_revenue,
    segments_overview,
)
from carteira_tui.services.segmentation import (
    Preview,
    SegmentRun,
    edit_segment,
    preview_settings,
    resegment,
)
from carteira_tui.services.settings import set_shared
from carteira_tui.services.today import local_today
from carteira_tui.services.watch import Alerts, alerts
from carteira_tui.tui.context import AppContext
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.screens.plans import PlansScreen
from carteira_tui.tui.screens.text_modal import TextModal
from carteira_tui.tui.widgets.charts import MonthlyChart, ParetoChart, compact_brl, percent
from carteira_tui.tui.widgets.frame_table import format_int
from carteira_tui.tui.widgets.segment_board import CardData, SegmentCard
from carteira_tui.tui.widgets.status_line import StatusLine
from carteira_tui.tui.widgets.status_matrix import (
    CLASSES,
    STATUSES,
    TOTAL_COLUMN,
    TOTAL_ROW,
    StatusMatrix,
    cell_filter,
    cell_label,
)

WHAT_IF_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("active_days", "ativo ≤", "d"),
    ("recent_days", "recente ≤", "d"),
    ("abc_a", "A <", "%"),
    ("abc_b", "B <", "%"),
)
"""The settings the what-if form edits: (field, label before the input, unit after it)."""


def today() -> date:
    """The date `r` re-segments as of: today in Brazil, the one function the CLI uses
    (`services.today.local_today`); a module function so tests can pin it."""
    return local_today(Settings())


A_LEFT_ACTIVE = "cliente_a_saiu_de_ativo"
"""The alert kind (services.watch) that colours the alerts line: a class A client left ativo."""

PREVIEW_DELAY = 0.4
"""Seconds of quiet typing before the preview is recomputed."""


# -- messages -------------------------------------------------------------------------------


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


# -- helpers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A selectable place on the board: a card (`card` index) or a matrix cell."""

    row: int
    column: int
    card: int | None = None
    cell: tuple[int, int] | None = None


def segment_filter(name: str) -> str:
    """The filter-language text that keeps the clients of segment `name`."""
    if name == NO_VALUE:
        return "segmento is null"
    quote = "'" if '"' in name else '"'
    return f"segmento = {quote}{name}{quote}"


def cadence_label(cadence: SegmentCadence | None) -> str:
    """A card's bottom border: `cadência 30/60`, or nothing without a cadence."""
    return "" if cadence is None else f"cadência {cadence.ideal}/{cadence.maximum}"


def cadence_states(cadence: SegmentCadence) -> str:
    """`12 em dia · 3 atenção · 5 atrasados`."""
    late = cadence.states.get("atrasado", 0)
    return (
        f"{format_int(cadence.states.get('em_dia', 0))} em dia · "
        f"{format_int(cadence.states.get('atencao', 0))} atenção · "
        f"{format_int(late)} {'atrasado' if late == 1 else 'atrasados'}"
    )


def cadence_line(cadence: SegmentCadence | None) -> str:
    """The detail's second line for a segment: its cadence and its clients by state."""
    if cadence is None:
        return "Sem cadência de contato · c define"
    return f"Cadência {cadence.ideal}/{cadence.maximum} dias: {cadence_states(cadence)} · c edita"


def cadence_problem(text: str) -> str | None:
    """Why the cadence dialog refuses `text` (`parse_cadence`'s reason, as the CLI), or None;
    an empty field is refused too, so a stray enter never clears a cadence (`-` does)."""
    if not text.strip():
        return "informe IDEAL/MÁX em dias (ex.: 30/60), ou - para tirar a cadência"
    try:
        parse_cadence(text)
    except ValueError as error:
        return str(error)
    return None


def build_cards(overview: SegmentsOverview, preview: Preview | None) -> list[CardData]:
    """One card per named segment in evaluation order, then any other value of the board."""
    rows = {row.value: row for row in overview.board.rows if row.dimension == "segmento"}
    proposed = {} if preview is None else {v: n for d, v, _c, n in preview.rows if d == "segmento"}
    names = list(overview.segment_order)
    names += [name for name in [*rows, *proposed] if name not in names]
    cards = []
    for name in names:
        row = rows.get(name)
        if row is None and name not in overview.segment_order and proposed.get(name, 0) == 0:
            continue
        cards.append(
            CardData(
                name=name,
                clients=row.clients if row else 0,
                revenue_cents=row.revenue_cents if row else 0,
                share=row.share if row else 0.0,
                entered=row.entered if row else 0,
                left=row.left if row else 0,
                has_previous=overview.board.has_previous,
                proposed=None if preview is None else proposed.get(name, 0),
                cadence=cadence_label(overview.cadences.get(name)),
            )
        )
    return cards


def clients_text(count: int) -> str:
    """`1 cliente`, `2.345 clientes`."""
    return f"{format_int(count)} {'cliente' if count == 1 else 'clientes'}"


def summary_text(overview: SegmentsOverview) -> str:
    """The pane's first line: when the result is from, how many clients, whether it is stale."""
    if overview.as_of is None:
        return "Nenhuma segmentação calculada ainda: tecle r para calcular agora."
    text = (
        f"Segmentação de {overview.as_of.strftime('%d/%m/%Y')} · "
        f"{clients_text(overview.clients)} · receita {cents_to_brl(overview.revenue_cents)}"
    )
    if overview.stale:
        text += " · desatualizado (r recalcula)"
    return text


def watch_text(overview: SegmentsOverview) -> str:
    """Vigilância: how many moved since the previous run, and the biggest moves."""
    if not overview.board.has_previous:
        return "Vigilância: sem execução anterior para comparar (r recalcula)."
    moved = sum(movement.clients for movement in overview.movements)
    lines = [
        f"Vigilância: {format_int(moved)} {'mudou' if moved == 1 else 'mudaram'} de segmento "
        "desde a execução anterior"
    ]
    top = [f"{m.source} → {m.target}: {format_int(m.clients)}" for m in overview.movements[:3]]
    if top:
        lines.append("  " + " · ".join(top))
    return "\n".join(lines)


def alerts_text(alerts: Alerts) -> str:
    """Alerts: how many of each kind (services.watch), in the vigilância's order."""
    labels = dict(alerts.frame.select("kind", "label").unique().iter_rows())
    parts = [
        f"{labels.get(kind, kind)}: {format_int(count)}"
        for kind, count in alerts.counts.items()
        if count
    ]
    return "Alertas: " + " · ".join(parts) if parts else "Alertas: nenhum"


def settings_message(error: SettingsError) -> str:
    """A settings error with the form's labels instead of the settings' field names."""
    text = str(error)
    for field, label, _unit in WHAT_IF_FIELDS:
        text = text.replace(field, label.split()[0])
    return text


def form_value(field: str, settings: Settings) -> str:
    """A setting as the what-if form shows it (ABC cuts in percent)."""
    value = getattr(settings, field)
    if isinstance(value, float):
        return f"{value * 100:g}".replace(".", ",")
    return str(value)


# -- the screen -----------------------------------------------------------------------------


class SegmentsScreen(PaneScreen):
    """Board of segments with counts, revenue share and movement; what-if; drill into one."""

    PANE_TITLE = "Segmentos"
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

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static("Carregando segmentação…", id="segments-summary")
        with Horizontal(id="segments-progress", classes="hidden"):
            yield Static("", id="segments-progress-text")
            yield ProgressBar(total=100, show_eta=False, id="segments-progress-bar")
        with Horizontal(id="whatif-form", classes="hidden"):
            yield Static("E se:", classes="whatif-title")
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

    def on_mount(self) -> None:
        self._load_overview()

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
            chart.show([], [], "Receita mensal: nenhum pedido")
            return
        best = max(months, key=lambda m: m.revenue_cents)
        caption = (
            f"Receita mensal · {len(months)} meses · total "
            f"{compact_brl(message.revenue.total_cents)} · maior "
            f"{best.month.strftime('%m/%Y')} ({compact_brl(best.revenue_cents)})"
        )
        chart.show(
            [m.revenue_cents for m in months],
            [(m.month.year, m.month.month) for m in months],
            caption,
        )

    async def _show_cards(self) -> None:
        if self.overview is None:
            return
        data = build_cards(self.overview, self.preview if self.what_if else None)
        board = self.query_one("#segment-board", Grid)
        current = self.cards
        if [card.card.name for card in current] == [card.name for card in data]:
            for widget, card in zip(current, data, strict=True):
                widget.show(card)
            return
        await board.remove_children()
        await board.mount_all(SegmentCard(card) for card in data)

    # -- selection ------------------------------------------------------------------------

    def _columns(self) -> int:
        columns = self.query_one("#segment-board", Grid).styles.grid_size_columns
        return max(1, int(columns or 1))

    def _targets(self) -> list[Target]:
        columns = self._columns()
        count = len(self.cards)
        targets = [Target(i // columns, i % columns, card=i) for i in range(count)]
        first_row = -(-count // columns)
        targets += [
            Target(first_row + row, column, cell=(row, column))
            for row in range(TOTAL_ROW + 1)
            for column in range(TOTAL_COLUMN + 1)
        ]
        return targets

    def _select(self, index: int) -> None:
        targets = self._targets()
        self.selected = max(0, min(index, len(targets) - 1))
        target = targets[self.selected]
        for position, card in enumerate(self.cards):
            card.set_class(position == target.card, "-selected")
        self.matrix.set_cursor(target.cell)
        if target.card is not None:
            self.cards[target.card].scroll_visible()
        self._update_detail(target)

    def _update_detail(self, target: Target) -> None:
        detail = self.query_one("#segments-detail", Static)
        if self.overview is None:
            detail.update("")
            return
        if target.card is not None:
            card = self.cards[target.card].card
            clients, revenue, label = card.clients, card.revenue_cents, card.name
        elif target.cell is not None:
            row, column = target.cell
            clients = self.matrix.value(row, column)
            statuses = STATUSES if row == TOTAL_ROW else (STATUSES[row],)
            classes = CLASSES if column == TOTAL_COLUMN else (CLASSES[column],)
            revenue = sum(
                c.revenue_cents
                for c in self.overview.matrix
                if c.status in statuses and c.abc in classes
            )
            label = cell_label(row, column)
        else:
            return
        share = revenue / self.overview.revenue_cents if self.overview.revenue_cents else 0.0
        text = (
            f"{label}: {clients_text(clients)} · {cents_to_brl(revenue)} "
            f"({percent(share)}) · enter abre"
        )
        if target.card is not None and label in self.overview.segment_order:
            text += "\n" + cadence_line(self.overview.cadences.get(label))
        detail.update(text)

    def action_step(self, delta: int) -> None:
        """Select the next (1) or previous (-1) card or cell in reading order."""
        self._select(self.selected + delta)

    def action_move(self, direction: str) -> None:
        """Select the card or cell nearest in `direction` (up, down, left, right)."""
        targets = self._targets()
        here = targets[self.selected]
        if direction in ("left", "right"):
            step = 1 if direction == "right" else -1
            candidates = [
                i
                for i, t in enumerate(targets)
                if t.row == here.row and (t.column - here.column) * step > 0
            ]
            key: Callable[[int], int] = lambda i: abs(targets[i].column - here.column)  # noqa: E731
        else:
            step = 1 if direction == "down" else -1
            rows = [t.row for t in targets if (t.row - here.row) * step > 0]
            if not rows:
                return
            row = min(rows) if step > 0 else max(rows)
            candidates = [i for i, t in enumerate(targets) if t.row == row]
            key = lambda i: abs(targets[i].column - here.column)  # noqa: E731
        if candidates:
            self._select(min(candidates, key=key))

    def action_drill(self) -> None:
        """Open the Clientes pane filtered to the selected card or cell."""
        targets = self._targets()
        if self.overview is None or not targets:
            return
        target = targets[self.selected]
        if target.card is not None:
            name = self.cards[target.card].card.name
            self.post_message(ClientsFilterRequested(segment_filter(name), name))
        elif target.cell is not None:
            row, column = target.cell
            self.post_message(
                ClientsFilterRequested(cell_filter(row, column), cell_label(row, column))
            )

    # -- re-segmentation ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save_settings", "leave_what_if"):
            return self.what_if
        if action == "toggle_charts":
            return not self.has_class("-tall")
        if action == "resegment":
            return not self.running
        return True

    def action_resegment(self, as_of: date | None = None) -> None:
        """Recompute every client now (as of today) in a worker; the board follows."""
        if self.running:
            return
        self.running = True
        self.refresh_bindings()
        self.query_one("#segments-progress").remove_class("hidden")
        self.query_one("#segments-progress-text", Static).update("Recalculando…")
        self.query_one("#segments-progress-bar", ProgressBar).update(progress=0)
        self._resegment(as_of or today(), self.portfolio_app.settings)

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

    # -- what-if --------------------------------------------------------------------------

    def action_what_if(self) -> None:
        """Open the what-if form on the settings in force and preview them."""
        settings = self.portfolio_app.settings
        for field, _label, _unit in WHAT_IF_FIELDS:
            self.query_one(f"#whatif-{field}", Input).value = form_value(field, settings)
        self.what_if = True
        self.query_one("#whatif-form").remove_class("hidden")
        message = self.query_one("#whatif-message", Static)
        message.remove_class("hidden")
        message.update("Calculando prévia…")
        self.refresh_bindings()
        self.query_one(f"#whatif-{WHAT_IF_FIELDS[0][0]}", Input).focus()
        self._schedule_preview(0.0)

    def overrides(self) -> dict[str, str]:
        """The form's values as `key=value` overrides (percent signs dropped)."""
        return {
            field: self.query_one(f"#whatif-{field}", Input).value.replace("%", "").strip()
            for field, _label, _unit in WHAT_IF_FIELDS
        }

    @on(Input.Changed, "#whatif-form Input")
    def _what_if_changed(self) -> None:
        if self.what_if:
            self._schedule_preview(PREVIEW_DELAY)

    @on(Input.Submitted, "#whatif-form Input")
    def _what_if_submitted(self) -> None:
        self._schedule_preview(0.0)
        self.set_focus(None)

    def _schedule_preview(self, delay: float) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(delay, self._start_preview)

    def _start_preview(self) -> None:
        if not self.what_if:
            return
        overview = self.overview
        as_of = overview.as_of if overview and overview.as_of else today()
        self._preview(self.overrides(), self.portfolio_app.settings, as_of)

    @work(thread=True, exclusive=True, group="segments-preview", exit_on_error=False)
    def _preview(self, overrides: dict[str, str], settings: Settings, as_of: date) -> None:
        try:
            preview = preview_settings(
                self.portfolio_app.db_path, overrides, settings=settings, as_of=as_of
            )
        except SettingsError as error:
            self.post_message(PreviewRejected(overrides, settings_message(error)))
            return
        self.post_message(PreviewComputed(overrides, preview))

    async def on_preview_computed(self, message: PreviewComputed) -> None:
        if not self.what_if or message.overrides != self.overrides():
            return
        self.preview = message.preview
        rows = message.preview.rows
        self.matrix.show_preview(
            {v: n for d, v, _c, n in rows if d == "status"},
            {(None if v == NO_VALUE else v): n for d, v, _c, n in rows if d == "abc"},
        )
        await self._show_cards()
        message_line = self.query_one("#whatif-message", Static)
        message_line.set_class(False, "error")
        message_line.update("Prévia pronta · ctrl+s salva estes limites · esc sai sem salvar")
        self._select(self.selected)

    def on_preview_rejected(self, message: PreviewRejected) -> None:
        if not self.what_if or message.overrides != self.overrides():
            return
        message_line = self.query_one("#whatif-message", Static)
        message_line.set_class(True, "error")
        message_line.update(f"Valores inválidos: {message.message}")

    async def action_leave_what_if(self) -> None:
        """Close the what-if form without saving."""
        if not self.what_if:
            return
        self.what_if = False
        self.preview = None
        self.query_one("#whatif-form").add_class("hidden")
        self.query_one("#whatif-message").add_class("hidden")
        self.matrix.show_preview(None, None)
        self.set_focus(None)
        self.refresh_bindings()
        await self._show_cards()
        self._select(self.selected)

    async def action_save_settings(self) -> None:
        """Save the what-if values as the shared settings and re-segment with them."""
        if not self.what_if:
            return
        try:
            # shared settings: saved in the database for everybody (`carteira config set`)
            settings = set_shared(self.portfolio_app.db_path, self.overrides())
        except SettingsError as error:
            message_line = self.query_one("#whatif-message", Static)
            message_line.set_class(True, "error")
            message_line.update(f"Valores inválidos: {settings_message(error)}")
            return
        self.portfolio_app.settings = settings
        await self.action_leave_what_if()
        self.notify("Limites salvos; recalculando a segmentação.", title="Segmentos")
        overview = self.overview
        self.action_resegment(overview.as_of if overview and overview.as_of else None)

    # -- charts ---------------------------------------------------------------------------

    def action_toggle_charts(self) -> None:
        """Switch between the board and the charts (on short terminals)."""
        self.toggle_class("-charts")

    # -- cadence and plans ----------------------------------------------------------------

    def selected_segment(self) -> str | None:
        """The named segment whose card is selected, or None (a matrix cell, "(nenhum)")."""
        targets = self._targets()
        if self.overview is None or not targets:
            return None
        target = targets[min(self.selected, len(targets) - 1)]
        if target.card is None:
            return None
        name = self.cards[target.card].card.name
        return name if name in self.overview.segment_order else None

    def action_cadence(self) -> None:
        """Edit the selected segment's contact cadence (ideal/max days between contacts)."""
        name = self.selected_segment()
        if name is None or self.overview is None:
            self.notify("Escolha o cartão de um segmento para editar a cadência.", timeout=4)
            return
        cadence = self.overview.cadences.get(name)
        initial = "" if cadence is None else f"{cadence.ideal}/{cadence.maximum}"

        def typed(text: str | None) -> None:
            if text is not None:
                self._save_cadence(name, parse_cadence(text))

        self.app.push_screen(
            TextModal(
                f"Cadência de contato de {name}",
                initial,
                placeholder="ex.: 30/60",
                hint="Dias entre contatos: ideal/máximo (ex.: 30/60); - tira a cadência. "
                "Vale para toda a equipe.",
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
        what = "sem cadência" if pair is None else f"cadência {pair[0]}/{pair[1]} dias"
        self.notify(f"{message.name}: {what}; recalculando.", title="Segmentos")
        overview = self.overview
        self.action_resegment(overview.as_of if overview and overview.as_of else None)

    def action_plans(self) -> None:
        """Open the Planos screen (the action plans and their date triggers) over this pane."""
        self.app.push_screen(PlansScreen())
