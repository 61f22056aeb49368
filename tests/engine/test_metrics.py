"""engine.metrics: one test per DESIGN.md definition, hand-worked, plus invariants."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from polars.testing import assert_series_equal

from carteira_tui.config import Settings
from carteira_tui.engine import metrics
from carteira_tui.engine.schema import ID

AS_OF = date(2026, 6, 30)


def figures(frame: pl.DataFrame, settings: Settings) -> metrics.Figures:
    """The portfolio's figures of `frame` (id, last purchase, frequency, monetary; id order),
    as segmentation computes them."""
    return metrics.figures_of(frame.lazy(), as_of=AS_OF, settings=settings)


def scores(values: list[int | None]) -> list[int | None]:
    """The m score of each value (as monetary; null for a prospect)."""
    frame = pl.DataFrame(
        {
            ID: list(range(1, len(values) + 1)),
            "last_purchase": [None if v is None else AS_OF for v in values],
            "frequency": [None if v is None else 1 for v in values],
            "monetary_cents": values,
        },
        schema={
            ID: pl.Int64,
            "last_purchase": pl.Date,
            "frequency": pl.Int64,
            "monetary_cents": pl.Int64,
        },
    )
    cuts = figures(frame, Settings()).m
    return (
        frame.select(metrics.score_from_cuts(pl.col("monetary_cents"), cuts)).to_series().to_list()
    )


def abc(monetary: list[int], ids: list[int] | None = None, **kw: float) -> list[str]:
    ids = ids or list(range(1, len(monetary) + 1))
    frame = (
        pl.DataFrame(
            {ID: ids, "monetary_cents": monetary, "last_purchase": [AS_OF] * len(ids)},
            schema={ID: pl.Int64, "monetary_cents": pl.Int64, "last_purchase": pl.Date},
        )
        .with_columns(pl.lit(1, dtype=pl.Int64).alias("frequency"))
        .sort(ID)
    )
    cuts = figures(frame, Settings(**kw)).abc  # type: ignore[arg-type]
    out = frame.select(ID, metrics.abc_expr(cuts).alias("abc"))
    classes = dict(out.iter_rows())
    return [classes[i] for i in ids]


def test_scores_follow_the_min_rank_formula() -> None:
    # n = 5, distinct: ranks 1..5 → floor((rank-1)*5/5)+1 = rank.
    assert scores([10, 20, 30, 40, 50]) == [1, 2, 3, 4, 5]
    # n = 3: ranks 1,2,3 → floor(0)+1=1, floor(5/3)+1=2, floor(10/3)+1=4.
    assert scores([1, 2, 3]) == [1, 2, 4]


def test_scores_give_ties_the_lowest_position() -> None:
    # 7,7,7 share rank 1 → 1; 9 has rank 4 of 4 → floor(15/4)+1 = 4.
    assert scores([7, 9, 7, 7]) == [1, 4, 1, 1]


def test_all_tied_clients_score_one() -> None:
    assert scores([5, 5, 5, 5, 5, 5]) == [1] * 6


def test_a_single_buyer_scores_one() -> None:
    assert scores([42]) == [1]


def test_prospects_have_no_score_and_do_not_count_in_n() -> None:
    # n = 2 buyers: ranks 1, 2 → 1, floor(5/2)+1 = 3.
    assert scores([None, 3, 8, None]) == [None, 1, 3, None]


def test_recency_status_cuts_are_inclusive_at_90_and_365() -> None:
    recency = pl.DataFrame({"recency_days": [0, 90, 91, 365, 366, None]})
    out = recency.select(metrics.status_expr(Settings())).to_series().to_list()
    assert out == [
        "ativo",
        "ativo",
        "inativo_recente",
        "inativo_recente",
        "inativo_antigo",
        "prospect",
    ]


def test_cycle_days_is_null_with_one_purchase_day() -> None:
    frame = pl.DataFrame(
        {
            "first_purchase": [date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1)],
            "last_purchase": [date(2026, 1, 1), date(2026, 1, 31), date(2026, 4, 1)],
            "purchase_days": [1, 2, 4],
        }
    )
    out = frame.select(metrics.cycle_expr().alias("c")).to_series()
    # 30 / 1 = 30.0; 90 / 3 = 30.0
    assert_series_equal(out, pl.Series("c", [None, 30.0, 30.0]))


def test_recency_days_counts_calendar_days_to_as_of() -> None:
    frame = pl.DataFrame({"last_purchase": [date(2026, 6, 30), date(2026, 1, 1), None]})
    out = frame.select(metrics.recency_expr(AS_OF).alias("r")).to_series().to_list()
    assert out == [0, 180, None]


def test_abc_cuts_on_revenue_strictly_before() -> None:
    # total 100: cum_before 0 → A; 70 → A (< 80); 85 → B (< 95); 95 → C (not < 95).
    assert abc([70, 15, 10, 5]) == ["A", "A", "B", "C"]


def test_abc_breaks_ties_by_internal_id() -> None:
    # 40/40/20: id 3 before id 9 (cum 0 and 40 → A, A); id 5 has cum 80, not < 80 → B.
    assert abc([40, 40, 20], ids=[9, 3, 5]) == ["A", "A", "B"]
    # five equal clients: ids 1..4 have cum 0..3 of 5 (< 80 %) → A; id 5 has 4/5 = 80 % → B.
    assert abc([1, 1, 1, 1, 1], ids=[5, 4, 3, 2, 1]) == ["B", "A", "A", "A", "A"]


def test_a_zero_revenue_portfolio_puts_every_buyer_in_c() -> None:
    assert abc([0, 0, 0]) == ["C", "C", "C"]


def test_a_zero_revenue_order_client_is_c_after_the_paying_ones() -> None:
    # total 100: the zero-revenue client comes last with cum_before 100 → C.
    assert abc([100, 0]) == ["A", "C"]


def test_window_counts_use_half_open_windows() -> None:
    orders = pl.LazyFrame(
        {
            "client_id": [1, 1, 1, 1, 1],
            "date": [
                AS_OF,  # last
                AS_OF - timedelta(days=179),  # last
                AS_OF - timedelta(days=180),  # previous (last window excludes its start)
                AS_OF - timedelta(days=359),  # previous
                AS_OF - timedelta(days=360),  # outside
            ],
            "amount_cents": [1, 1, 1, 1, 1],
        }
    )
    out = metrics.window_counts(orders, as_of=AS_OF, window_days=180).collect()
    assert out.row(0, named=True) == {
        ID: 1,
        "orders_last_window": 2,
        "orders_previous_window": 2,
    }


def cooling(last: int, previous: int, overdue: float | None, cycle: float | None) -> bool:
    frame = pl.DataFrame(
        {
            "last_purchase": [AS_OF],
            "orders_last_window": [last],
            "orders_previous_window": [previous],
            "overdue_days": [overdue],
            "cycle_days": [cycle],
        },
        schema_overrides={"overdue_days": pl.Float64, "cycle_days": pl.Float64},
    )
    return bool(frame.select(metrics.cooling_expr(Settings())).item())


def test_cooling_when_orders_fall_to_half_or_less() -> None:
    assert cooling(2, 4, None, None) is True  # exactly half
    assert cooling(3, 4, None, None) is False
    assert cooling(0, 1, None, None) is True


def test_cooling_needs_an_order_in_the_previous_window() -> None:
    assert cooling(0, 0, None, None) is False


def test_cooling_when_overdue_by_more_than_one_cycle() -> None:
    assert cooling(5, 5, 31.0, 30.0) is True
    assert cooling(5, 5, 30.0, 30.0) is False


def test_exclusion_reason_takes_the_first_filter_in_settings_order() -> None:
    frame = pl.DataFrame(
        {
            "delinquent": [True, False, False, None],
            "credit_restriction": [False, False, True, None],
            "opt_out": [True, False, False, None],
            "archived": [False, False, False, None],
        }
    )
    out = frame.select(metrics.exclusion_reason_expr(Settings())).to_series().to_list()
    assert out == ["inadimplente", None, "restricao_credito", None]
    only_opt_out = Settings(exclusions=("opt_out",))
    out = frame.select(metrics.exclusion_reason_expr(only_opt_out)).to_series().to_list()
    assert out == ["opt_out", None, None, None]


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-1000, 1000)), min_size=1, max_size=60))
def test_scores_are_always_in_1_to_5_for_buyers(values: list[int | None]) -> None:
    out = scores(values)
    for value, score in zip(values, out, strict=True):
        assert (score is None) == (value is None)
        assert score is None or 1 <= score <= 5


def reference_scores(values: list[int | None]) -> list[int | None]:
    """DESIGN.md's score read plainly: min rank among non-null values, floor((rank-1)*5/n)+1."""
    present = [v for v in values if v is not None]
    n = len(present)
    return [
        None if v is None else (1 + sum(1 for w in present if w < v) - 1) * 5 // n + 1
        for v in values
    ]


@hsettings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.integers(-50, 50), st.sampled_from([0, 7, 7, 7, 2**40])),
        max_size=80,
    )
)
def test_scores_equal_the_min_rank_formula_with_ties_and_nulls(values: list[int | None]) -> None:
    assert scores(values) == reference_scores(values)


def test_scores_of_only_prospects_are_all_null() -> None:
    assert scores([None, None, None]) == [None, None, None]
    assert scores([]) == []


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 10_000), min_size=1, max_size=60))
def test_class_a_holds_at_most_80_percent_plus_the_crossing_client(monetary: list[int]) -> None:
    classes = abc(monetary)
    total = sum(monetary)
    a_values = sorted((m for m, c in zip(monetary, classes, strict=True) if c == "A"), reverse=True)
    assert a_values, "the first client is always A"
    assert sum(a_values) - a_values[-1] < 0.8 * total
