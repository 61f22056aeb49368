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

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
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


def _cuts_of_sorted(ordered: pl.Series, n: int) -> tuple[int, ...]:
    """The four order statistics an RFM score compares with (`score_from_cuts`), from values
    sorted ascending, nulls last (`n` not null): the c-th smallest for c = ceil(k × n / 5),
    k = 1..4; none when every value is null.

    rank = "min" rank ascending; score = floor((rank − 1) × 5 / n) + 1. Without ranking: rank − 1
    is the count of values below the row's, so the score passes k exactly when that count
    reaches c, i.e. when the value is above the c-th smallest one. One sort gives the four.
    """
    if n == 0:
        return ()
    return tuple(int(ordered[(k * n + 4) // 5 - 1]) for k in range(1, 5))


def score_from_cuts(value: pl.Expr, cuts: Sequence[int]) -> pl.Expr:
    """RFM score 1..5 of `value` (higher is better) from its cuts (`Figures`); null for a null
    value (and for every row when there are no cuts: no value was present)."""
    score = pl.lit(1, dtype=pl.Int64)
    for cut in cuts:
        score = score + (value > cut).cast(pl.Int64)
    return pl.when(value.is_not_null()).then(score).otherwise(None)


_ABC_CLASSES = pl.Series(["A", "B", "C"], dtype=pl.String)


def abc_cents_expr() -> pl.Expr:
    """A row's revenue in the ABC order: monetary for a buyer, 0 for a prospect (who gets no
    class)."""
    buyer = pl.col(Col.LAST_PURCHASE).is_not_null()
    return pl.when(buyer).then(pl.col(Col.MONETARY_CENTS)).otherwise(0)


@dataclass(frozen=True)
class FirstRows:
    """The first `count` buyers in (revenue desc, id asc) order, told apart from the others by
    a value and an id: a row is inside when its revenue beats `value` (the last revenue
    inside), or ties with it and its id is no later than `last_id` (the last tied id inside).
    Ids, not positions, so a few rows are classed as they would be among all."""

    count: int
    value: int = 0
    last_id: int = -1

    def expr(self) -> pl.Expr:
        if self.count <= 0:
            return pl.lit(False)
        cents = abc_cents_expr()
        return (cents > self.value) | ((cents == self.value) & (pl.col(ID) <= self.last_id))


@dataclass(frozen=True)
class AbcCuts:
    """Where the Curva ABC cuts fall in a portfolio (`abc_cuts`), for `abc_expr`."""

    positive: bool
    """Total revenue above zero (otherwise every buyer is C)."""
    a: tuple[FirstRows, FirstRows]
    b: tuple[FirstRows, FirstRows]


def _first_rows(ids: pl.Series, cents: pl.Series, ordered: pl.Series, count: int) -> FirstRows:
    if count <= 0:
        return FirstRows(count)
    value = int(ordered[count - 1])
    greater = int(ordered.search_sorted(value, side="left", descending=True))
    tied = ids.filter(cents == value)
    return FirstRows(count, value, int(tied[count - greater - 1]))


def abc_cuts(
    ids: pl.Series, cents: pl.Series, settings: Settings, *, ordered: pl.Series | None = None
) -> AbcCuts:
    """The cuts of `cents` (`abc_cents_expr` of every client, beside `ids` in id order).

    No permutation is built: only the values are sorted; a cut (revenue strictly before it
    below a share of the total) is found on their running sum. Along the order, revenue before
    only rises over non-negative values and only falls over negative ones (sorted last), so the
    rows below a cut are a head and a tail of the order: the first `head` rows, and all but the
    first `n − tail`. `ordered`: `cents` sorted descending, when the caller has it.
    """
    if ordered is None:
        ordered = cents.sort(descending=True)
    total = float(cents.sum())
    before = (ordered.cum_sum() - ordered).cast(pl.Float64)
    length = cents.len()

    def below(share: float) -> tuple[FirstRows, FirstRows]:
        under = before < share * total
        not_under = (~under).arg_true()
        head = int(not_under[0]) if not_under.len() else length
        tail = int(under.sum()) - head
        return (
            _first_rows(ids, cents, ordered, head),
            _first_rows(ids, cents, ordered, length - tail),
        )

    return AbcCuts(total > 0, below(settings.abc_a), below(settings.abc_b))


def abc_index_expr(cuts: AbcCuts) -> pl.Expr:
    """The Curva ABC class of each row as 0, 1, 2 (A, B, C; null for a prospect): buyers by
    monetary desc then internal id asc; cut on revenue strictly before (A if < abc_a of the
    total, B if < abc_b, else C)."""

    def below(pair: tuple[FirstRows, FirstRows]) -> pl.Expr:
        head, rest = pair
        return head.expr() | ~rest.expr()

    return (
        pl.when(pl.col(Col.LAST_PURCHASE).is_null())
        .then(pl.lit(None, dtype=pl.Int64))
        .when(pl.lit(not cuts.positive))
        .then(2)
        .when(below(cuts.a))
        .then(0)
        .when(below(cuts.b))
        .then(1)
        .otherwise(2)
    )


def abc_expr(cuts: AbcCuts) -> pl.Expr:
    """The class as text: one gather from "A", "B", "C" by `abc_index_expr`."""
    return pl.lit(_ABC_CLASSES).gather(abc_index_expr(cuts))


@dataclass(frozen=True)
class Figures:
    """The portfolio-wide figures every client's r, f, m and class compare with: computed once
    over all clients (`portfolio_figures`), they class any subset of them as among all."""

    r: tuple[int, ...]
    f: tuple[int, ...]
    m: tuple[int, ...]
    abc: AbcCuts

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Figures:
        raw = json.loads(text)
        abc = raw["abc"]
        return cls(
            tuple(raw["r"]),
            tuple(raw["f"]),
            tuple(raw["m"]),
            AbcCuts(
                bool(abc["positive"]),
                (FirstRows(**abc["a"][0]), FirstRows(**abc["a"][1])),
                (FirstRows(**abc["b"][0]), FirstRows(**abc["b"][1])),
            ),
        )


_R_VALUE = "_minus_recency"


def figure_inputs(base: pl.LazyFrame, *, as_of: date) -> pl.LazyFrame:
    """What the figures are computed from (base in id order): id, last purchase, frequency,
    monetary and minus recency (a higher r is a more recent purchase)."""
    return base.select(
        ID,
        Col.LAST_PURCHASE,
        Col.FREQUENCY,
        Col.MONETARY_CENTS,
        (-recency_expr(as_of)).alias(_R_VALUE),
    )


def portfolio_figures(inputs: pl.DataFrame, settings: Settings) -> Figures:
    """The figures of every client's `figure_inputs` (in id order).

    Monetary is sorted once for its r/f/m cuts and the ABC order: the buyers' revenue (a
    prospect has none) sorted descending, with a zero for each prospect among the zeros. The
    three sorts run side by side (one query: a sort alone keeps one core busy).
    """
    monetary = inputs.get_column(Col.MONETARY_CENTS)
    buyers = monetary.len() - monetary.null_count()
    names = (_R_VALUE, Col.FREQUENCY, Col.MONETARY_CENTS)
    sorted_ = inputs.select(
        *[pl.col(name).sort(nulls_last=True) for name in names], abc_cents_expr().alias(Col.ABC)
    )
    recency, frequency, ascending = (sorted_.get_column(name) for name in names)
    cents = sorted_.get_column(Col.ABC)
    ordered = None
    if inputs.get_column(Col.LAST_PURCHASE).is_null().equals(monetary.is_null()):
        present = ascending.head(buyers).reverse()
        at = int((present >= 0).sum())
        prospects = pl.zeros(monetary.null_count(), dtype=present.dtype, eager=True)
        ordered = pl.concat([present.head(at), prospects, present.slice(at)])
    return Figures(
        _cuts_of_sorted(recency, recency.len() - recency.null_count()),
        _cuts_of_sorted(frequency, frequency.len() - frequency.null_count()),
        _cuts_of_sorted(ascending, buyers),
        abc_cuts(inputs.get_column(ID), cents, settings, ordered=ordered),
    )


def figures_of(base: pl.LazyFrame, *, as_of: date, settings: Settings) -> Figures:
    """`portfolio_figures` of every client of `base` (in id order)."""
    return portfolio_figures(figure_inputs(base, as_of=as_of).collect(), settings)


def moved_by_figures(inputs: pl.DataFrame, before: Figures, after: Figures) -> pl.Series:
    """The ids whose r, f, m or class differ between two sets of figures, their own values
    unchanged (`figure_inputs` of the clients): the rows a move of the cuts reclassifies."""
    value = {
        Col.R: pl.col(_R_VALUE),
        Col.F: pl.col(Col.FREQUENCY),
        Col.M: pl.col(Col.MONETARY_CENTS),
    }
    differ: list[pl.Expr] = []
    for name, old, new in (
        (Col.R, before.r, after.r),
        (Col.F, before.f, after.f),
        (Col.M, before.m, after.m),
    ):
        if old != new:
            differ.append(
                score_from_cuts(value[name], old).ne_missing(score_from_cuts(value[name], new))
            )
    if before.abc != after.abc:
        differ.append(abc_index_expr(before.abc).ne_missing(abc_index_expr(after.abc)))
    if not differ:
        return pl.Series(ID, [], dtype=pl.Int64)
    return inputs.filter(pl.any_horizontal(differ)).get_column(ID)


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
