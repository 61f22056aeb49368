"""Per-client metrics as of a date: recency, cycle, status, RFM scores, ABC, cooling, exclusion.

Each function implements one DESIGN.md definition as a Polars expression or a small lazy step;
`engine.segment.segment_clients` applies them in order. Decisions the issue leaves open:

- ABC ties on monetary are broken by the INTERNAL integer id ascending (`id`), so the order is
  total and stable; a portfolio whose total revenue is zero (or negative) puts every buyer in C,
  because no client's revenue can come before a share of nothing.
- Cooling compares two windows of `cooling_window_days` ending at as_of, half-open on the left:
  last = (as_of − W, as_of], previous = (as_of − 2W, as_of − W]. "Fell" needs at least one order
  in the previous window and last ≤ cooling_ratio × previous. A buyer is also cooling when overdue
  by more than one cycle (overdue_days > cycle_days). Prospects never cool.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine.schema import ID
from carteira_tui.model import Col, ExclusionReason, Status

LAST_WINDOW = "orders_last_window"
PREVIOUS_WINDOW = "orders_previous_window"

EXCLUSION_COLUMNS: dict[str, str] = {
    ExclusionReason.INADIMPLENTE: "delinquent",
    ExclusionReason.RESTRICAO_CREDITO: "credit_restriction",
    ExclusionReason.OPT_OUT: "opt_out",
    ExclusionReason.ARQUIVADO: "archived",
}
"""Which client flag each exclusion filter of the settings reads."""


def window_bounds(as_of: date, window_days: int) -> tuple[date, date, date]:
    """(start of previous, start of last, end) — both windows exclude their start day."""
    return as_of - timedelta(days=2 * window_days), as_of - timedelta(days=window_days), as_of


def window_counts(orders: pl.LazyFrame, *, as_of: date, window_days: int) -> pl.LazyFrame:
    """Orders per client in the last and the previous cooling window (clients with any).

    Returns (negative amounts, DESIGN.md "return") are not purchases and are not counted.
    """
    previous_start, last_start, end = window_bounds(as_of, window_days)
    day = pl.col(Col.DATE)
    return (
        orders.filter((day > previous_start) & (day <= end) & (pl.col(Col.AMOUNT_CENTS) >= 0))
        .group_by(pl.col(Col.CLIENT_ID).alias(ID))
        .agg(
            (day > last_start).sum().cast(pl.Int64).alias(LAST_WINDOW),
            (day <= last_start).sum().cast(pl.Int64).alias(PREVIOUS_WINDOW),
        )
    )


def recency_expr(as_of: date) -> pl.Expr:
    """recency_days = as_of − last purchase (null for prospects)."""
    return (pl.lit(as_of) - pl.col(Col.LAST_PURCHASE)).dt.total_days().cast(pl.Int64)


def cycle_expr() -> pl.Expr:
    """cycle_days = (last − first) / (purchase days − 1); null with fewer than 2 purchase days."""
    span = (pl.col(Col.LAST_PURCHASE) - pl.col(Col.FIRST_PURCHASE)).dt.total_days()
    return (
        pl.when(pl.col(Col.PURCHASE_DAYS) >= 2)
        .then(span.cast(pl.Float64) / (pl.col(Col.PURCHASE_DAYS) - 1).cast(pl.Float64))
        .otherwise(None)
    )


_STATUSES = pl.Series(
    [
        Status.PROSPECT.value,
        Status.ATIVO.value,
        Status.INATIVO_RECENTE.value,
        Status.INATIVO_ANTIGO.value,
    ],
    dtype=pl.String,
)


def status_expr(settings: Settings) -> pl.Expr:
    """DESIGN.md status from recency_days with the settings' cut days.

    Decided as an index into the four names and turned into text by one gather: a chain of
    string literals builds a string per row at every step.
    """
    recency = pl.col(Col.RECENCY_DAYS)
    index = (
        pl.when(recency.is_null())
        .then(0)
        .when(recency <= settings.active_days)
        .then(1)
        .when(recency <= settings.recent_days)
        .then(2)
        .otherwise(3)
    )
    return pl.lit(_STATUSES).gather(index)


def score_expr(value: pl.Expr) -> pl.Expr:
    """RFM score 1..5 of `value` (higher is better) among non-null rows.

    rank = "min" rank ascending; score = floor((rank − 1) × 5 / n) + 1, n = non-null rows.

    Computed without ranking: rank − 1 is the count of values below the row's, so the score
    passes k (k = 1..4) exactly when that count reaches c = ceil(k × n / 5), i.e. when the value
    is above the c-th smallest one. One sort (nulls last) gives the four order statistics, four
    comparisons the scores; nulls compare to null and stay null. (bottom_k finds them a little
    faster in memory but takes seconds on the streaming engine.)
    """
    n = value.count().cast(pl.Int64)
    ordered = value.sort(nulls_last=True)
    score = pl.lit(1, dtype=pl.Int64)
    for k in range(1, 5):
        smallest = ordered.get((k * n + 4) // 5 - 1, null_on_oob=True)
        score = score + (value > smallest).cast(pl.Int64)
    return score


_ABC_CLASSES = pl.Series(["A", "B", "C"], dtype=pl.String)


def _in_first(count: pl.Expr) -> pl.Expr:
    """Whether the row is among the first `count` rows in (monetary desc, row order) order.

    Needs only the values sorted (`_abc_sorted`): the row is before position `count` when its
    value beats the last one inside, or ties with it and is no later (in row order) than the
    last tied row inside. Scalars are found by binary search and one filter; the row-wide work
    is three comparisons.
    """
    cents = pl.col("_abc_cents")
    ordered = pl.col("_abc_sorted")
    last_inside = ordered.get((count - 1).clip(lower_bound=0), null_on_oob=True)
    greater = ordered.search_sorted(last_inside, side="left", descending=True).cast(pl.Int64)
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    tied = cents == last_inside
    last_tied_row = row.filter(tied).get(
        (count - greater - 1).clip(lower_bound=0), null_on_oob=True
    )
    return (count > 0) & ((cents > last_inside) | (tied & (row <= last_tied_row)))


def _below(cut: pl.Expr) -> pl.Expr:
    """Whether the row's revenue strictly before it is below `cut`.

    Along the order, revenue before only rises over non-negative values and only falls over
    negative ones (sorted last), so the rows below a cut are a head and a tail of the order.
    """
    below = pl.col("_abc_cum_before") < cut
    length = pl.len().cast(pl.Int64)
    # The first row not below (arg_max would do, but the streaming engine does not return the
    # first of tied maxima).
    head = (~below).arg_true().first().cast(pl.Int64).fill_null(length)
    tail = below.sum().cast(pl.Int64) - head
    return _in_first(head) | ~_in_first(length - tail)


def with_abc(frame: pl.LazyFrame, settings: Settings) -> pl.LazyFrame:
    """Add the Curva ABC class: buyers by monetary desc then internal id asc; cut on revenue
    strictly before (A if < abc_a of the total, B if < abc_b, else C; none for prospects).

    The rows must be in id order (segment_clients sorts its base by id), which breaks ties on
    monetary. No permutation is built: only the values are sorted, the cuts are found on their
    running sum, and each row's side of a cut is decided from its value and its rank among ties.
    """
    buyer = pl.col(Col.LAST_PURCHASE).is_not_null()
    cents = pl.col("_abc_cents")
    ordered = pl.col("_abc_sorted")
    total = cents.sum().cast(pl.Float64)
    # The class as an index into "A", "B", "C", turned into text by one gather.
    abc_index = (
        pl.when(~buyer)
        .then(pl.lit(None, dtype=pl.Int64))
        .when(total <= 0)
        .then(2)
        .when(pl.col("_abc_a"))
        .then(0)
        .when(pl.col("_abc_b"))
        .then(1)
        .otherwise(2)
    )
    return (
        frame.with_columns(
            pl.when(buyer).then(pl.col(Col.MONETARY_CENTS)).otherwise(0).alias("_abc_cents")
        )
        .with_columns(cents.sort(descending=True).alias("_abc_sorted"))
        .with_columns((ordered.cum_sum() - ordered).cast(pl.Float64).alias("_abc_cum_before"))
        .with_columns(
            _below(settings.abc_a * total).alias("_abc_a"),
            _below(settings.abc_b * total).alias("_abc_b"),
        )
        .with_columns(pl.lit(_ABC_CLASSES).gather(abc_index).alias(Col.ABC))
        .drop("_abc_cents", "_abc_sorted", "_abc_cum_before", "_abc_a", "_abc_b")
    )


def cooling_expr(settings: Settings) -> pl.Expr:
    """Cooling ("esfriando"): orders fell to ≤ ratio of the window before, or overdue > a cycle."""
    last = pl.col(LAST_WINDOW)
    previous = pl.col(PREVIOUS_WINDOW)
    fell = (previous >= 1) & (last.cast(pl.Float64) <= settings.cooling_ratio * previous)
    overdue = (pl.col(Col.OVERDUE_DAYS) > pl.col(Col.CYCLE_DAYS)).fill_null(False)
    return pl.col(Col.LAST_PURCHASE).is_not_null() & (fell | overdue)


def exclusion_reason_expr(settings: Settings) -> pl.Expr:
    """The first exclusion filter of the settings (in their order) that removes the client."""
    reason: pl.Expr = pl.lit(None, dtype=pl.String)
    for name in reversed(settings.exclusions):
        column = EXCLUSION_COLUMNS.get(name)
        if column is None:
            continue
        reason = pl.when(pl.col(column).fill_null(False)).then(pl.lit(name)).otherwise(reason)
    return reason
