"""Report services for the Segmentos pane: monthly revenue and the segment overview.

`monthly_revenue` sums orders per calendar month from SQLite (store.reports);
`segments_overview` gathers, from the last stored segmentation result, what the pane draws at
once: the board (services.segmentation.board), the status × ABC matrix, the Pareto curve and the
movements since the previous run. Both are read-only and return plain dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from dateutil.relativedelta import relativedelta

from carteira_tui.config import Settings
from carteira_tui.engine.segments import CADENCE_LABELS
from carteira_tui.model import Col, Status
from carteira_tui.services.segmentation import (
    Board,
    board,
    last_run_changed_settings,
    list_segments,
    previous_run,
    shown_results,
)
from carteira_tui.store import reports as report_store
from carteira_tui.store.db import connect
from carteira_tui.store.segments import SegmentRow

__all__ = [
    "MatrixCell",
    "MonthRevenue",
    "MonthlyRevenue",
    "Movement",
    "SegmentCadence",
    "SegmentsOverview",
    "monthly_revenue",
    "segments_overview",
]

NO_VALUE = "(nenhum)"
"""How a missing segment or class is named in board rows and matrix cells."""

PARETO_POINTS = 100
"""The Pareto curve is sampled at every whole percent of the clients with orders."""


@dataclass(frozen=True)
class MonthRevenue:
    """One calendar month: its first day, revenue in centavos and number of orders."""

    month: date
    revenue_cents: int
    orders: int


@dataclass(frozen=True)
class MonthlyRevenue:
    """Revenue per month, oldest first, every month present (zero when nothing was sold)."""

    months: list[MonthRevenue]
    until: date | None

    @property
    def total_cents(self) -> int:
        """The revenue of every month listed."""
        return sum(month.revenue_cents for month in self.months)


@dataclass(frozen=True)
class MatrixCell:
    """Clients and revenue with one status and one ABC class (`abc` None: no class)."""

    status: str
    abc: str | None
    clients: int
    revenue_cents: int


@dataclass(frozen=True)
class Movement:
    """How many clients went from segment `source` to segment `target` since the previous run."""

    source: str
    target: str
    clients: int


@dataclass(frozen=True)
class SegmentsOverview:
    """Everything the Segmentos pane shows from the last stored result."""

    board: Board
    as_of: date | None
    stale: bool
    clients: int
    revenue_cents: int
    segment_order: list[str]
    """The named segments in evaluation order (cards are shown in this order)."""
    matrix: list[MatrixCell]
    pareto: list[float]
    """Cumulative revenue share after the top 1 %, 2 % … 100 % of clients with orders."""
    class_shares: dict[str, float]
    """Share of the clients with orders in each ABC class."""
    clients_for_80: float | None
    """Smallest share of the clients with orders (best first) whose revenue reaches 80 % of
    the total; None without revenue."""
    movements: list[Movement]
    """Segment changes since the previous run, biggest first."""
    a_gone_inactive: int
    """Class A clients that were `ativo` in the previous run and are inactive now."""
    cadences: dict[str, SegmentCadence] = field(default_factory=dict)
    """Each named segment with a cadence: its (ideal, max) days and its clients by state."""


@dataclass(frozen=True)
class SegmentCadence:
    """A segment's contact cadence (ideal, max days) and how many of its clients are in each
    state of the last stored result (DESIGN.md: `em_dia`, `atencao`, `atrasado`)."""

    ideal: int
    maximum: int
    states: dict[str, int]


def _month_start(day: date) -> date:
    return day.replace(day=1)


def monthly_revenue(
    db_path: Path, *, months: int = 24, until: date | None = None
) -> MonthlyRevenue:
    """Revenue per calendar month for the `months` months ending with the month of `until`
    (default: the month of the last order)."""
    with connect(db_path) as db:
        last = until or report_store.read_last_order_date(db)
        if last is None or months <= 0:
            return MonthlyRevenue([], last)
        end = _month_start(last) + relativedelta(months=1)
        start = end - relativedelta(months=months)
        frame = report_store.read_monthly_revenue(db, start=start, end=end)
    found = {row[0]: (int(row[1]), int(row[2])) for row in frame.iter_rows()}
    result: list[MonthRevenue] = []
    for offset in range(months):
        month = start + relativedelta(months=offset)
        revenue, orders = found.get(month.strftime("%Y-%m"), (0, 0))
        result.append(MonthRevenue(month, revenue, orders))
    return MonthlyRevenue(result, last)


def _cadences(frame: pl.DataFrame, segments: list[SegmentRow]) -> dict[str, SegmentCadence]:
    counts: dict[tuple[str, str], int] = {}
    if "cadence" in frame.columns:
        grouped = frame.group_by(Col.SEGMENT, "cadence").len()
        counts = {(str(s), str(c)): int(n) for s, c, n in grouped.iter_rows() if c is not None}
    return {
        row.name: SegmentCadence(
            row.cadence_ideal,
            row.cadence_max,
            {state: counts.get((row.name, state), 0) for state in CADENCE_LABELS},
        )
        for row in segments
        if row.cadence_ideal is not None and row.cadence_max is not None
    }


def _matrix(frame: pl.DataFrame) -> list[MatrixCell]:
    grouped = frame.group_by(Col.STATUS, Col.ABC).agg(
        pl.len().alias("clients"), pl.col(Col.MONETARY_CENTS).sum().fill_null(0).alias("revenue")
    )
    cells = {
        (row[Col.STATUS], row[Col.ABC]): (int(row["clients"]), int(row["revenue"]))
        for row in grouped.iter_rows(named=True)
    }
    return [
        MatrixCell(status.value, abc, *cells.get((status.value, abc), (0, 0)))
        for status in Status
        for abc in ("A", "B", "C", None)
    ]


def _pareto(frame: pl.DataFrame) -> tuple[list[float], dict[str, float], float | None]:
    buyers = frame.select(Col.ABC, Col.MONETARY_CENTS).filter(pl.col(Col.ABC).is_not_null())
    count = buyers.height
    total = int(buyers.get_column(Col.MONETARY_CENTS).sum() or 0)
    if count == 0 or total <= 0:
        return [], {}, None
    cumulative = buyers.get_column(Col.MONETARY_CENTS).sort(descending=True).cum_sum()
    at = [max(1, -(-point * count // PARETO_POINTS)) - 1 for point in range(1, PARETO_POINTS + 1)]
    curve = [value / total for value in cumulative.gather(at).to_list()]
    shares = {
        abc: n / count for abc, n in buyers.group_by(Col.ABC).len().iter_rows() if abc is not None
    }
    reaching = int((cumulative * 10 >= total * 8).arg_true()[0])
    return curve, shares, (reaching + 1) / count


def _movements(db_path: Path, frame: pl.DataFrame) -> tuple[list[Movement], int]:
    stored = previous_run(db_path)
    if stored is None or last_run_changed_settings(db_path):
        return [], 0  # a settings change moved them, not the clients' behaviour
    previous = stored.select("id", Col.SEGMENT, Col.STATUS, Col.ABC)
    now = frame.select("id", Col.SEGMENT, Col.STATUS, Col.ABC)
    joined = now.join(previous, on="id", how="inner", suffix="_before")
    moved = (
        joined.with_columns(
            pl.col(Col.SEGMENT).fill_null(NO_VALUE), pl.col("segment_before").fill_null(NO_VALUE)
        )
        .filter(pl.col(Col.SEGMENT) != pl.col("segment_before"))
        .group_by("segment_before", Col.SEGMENT)
        .len("clients")
        .sort(["clients", "segment_before", Col.SEGMENT], descending=[True, False, False])
    )
    movements = [Movement(source, target, int(n)) for source, target, n in moved.iter_rows()]
    inactive = [Status.INATIVO_RECENTE.value, Status.INATIVO_ANTIGO.value]
    gone = joined.filter(
        (pl.col(Col.ABC) == "A")
        & (pl.col("status_before") == Status.ATIVO.value)
        & pl.col(Col.STATUS).is_in(inactive)
    ).height
    return movements, gone


def segments_overview(db_path: Path, *, settings: Settings) -> SegmentsOverview:
    """The board, status × ABC matrix, Pareto curve and movements of the last stored result."""
    results = shown_results(db_path, settings=settings)
    frame = results.frame
    curve, shares, for_80 = _pareto(frame)
    movements, gone = _movements(db_path, frame)
    segments = list_segments(db_path)
    return SegmentsOverview(
        board=board(db_path, settings=settings),
        as_of=results.as_of,
        stale=results.stale,
        clients=frame.height,
        revenue_cents=int(frame.get_column(Col.MONETARY_CENTS).sum() or 0),
        segment_order=[row.name for row in segments],
        matrix=_matrix(frame),
        pareto=curve,
        class_shares=shares,
        clients_for_80=for_80,
        movements=movements,
        a_gone_inactive=gone,
        cadences=_cadences(frame, segments),
    )
