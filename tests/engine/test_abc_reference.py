"""engine.metrics' ABC class (the portfolio's cuts, then each row compared with them) against a
plain-Python reading of DESIGN.md's ABC definition.

The engine finds the cuts without building a sort permutation; this checks it, ties and negative
revenue (refunds) included, against the definition computed the obvious way.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from carteira_tui.config import Settings
from carteira_tui.engine import metrics
from carteira_tui.engine.schema import ID
from carteira_tui.model import Col


def reference_abc(rows: list[tuple[int, int | None]], settings: Settings) -> dict[int, str | None]:
    """(id, monetary or None for a prospect) → class, straight from the definition."""
    buyers = sorted(((m, i) for i, m in rows if m is not None), key=lambda r: (-r[0], r[1]))
    total = float(sum(m for m, _i in buyers))
    classes: dict[int, str | None] = {i: None for i, m in rows if m is None}
    before = 0
    for monetary, client in buyers:
        if total <= 0:
            classes[client] = "C"
        elif float(before) < settings.abc_a * total:
            classes[client] = "A"
        elif float(before) < settings.abc_b * total:
            classes[client] = "B"
        else:
            classes[client] = "C"
        before += monetary
    return classes


def engine_abc(
    rows: list[tuple[int, int | None]],
    settings: Settings,
    engine: Literal["streaming", "in-memory"] = "streaming",
) -> dict[int, str | None]:
    frame = pl.DataFrame(
        {
            ID: [i for i, _m in rows],
            Col.LAST_PURCHASE: [None if m is None else date(2026, 1, 1) for _i, m in rows],
            Col.FREQUENCY: [None if m is None else 1 for _i, m in rows],
            Col.MONETARY_CENTS: [m for _i, m in rows],
        },
        schema={
            ID: pl.Int64,
            Col.LAST_PURCHASE: pl.Date,
            Col.FREQUENCY: pl.Int64,
            Col.MONETARY_CENTS: pl.Int64,
        },
    ).sort(ID)
    cuts = metrics.figures_of(frame.lazy(), as_of=date(2026, 6, 30), settings=settings).abc
    out = frame.lazy().select(ID, metrics.abc_expr(cuts).alias(Col.ABC)).collect(engine=engine)
    return dict(out.select(ID, Col.ABC).iter_rows())


def test_abc_with_a_refund_client_sorted_last_follows_the_definition() -> None:
    rows = [(1, 50), (2, -30), (3, 40), (4, 20), (5, None)]
    # order 1 (50), 3 (40), 4 (20), 2 (-30); total 80; before: 0, 50, 90, 110
    assert engine_abc(rows, Settings()) == {1: "A", 3: "A", 4: "C", 2: "C", 5: None}


def test_abc_of_no_clients_is_an_empty_frame() -> None:
    assert engine_abc([], Settings()) == {}


@hsettings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(-500, 2_000), st.sampled_from([0, 100, 100, 300]))),
    st.sampled_from([(0.8, 0.95), (0.5, 0.9), (0.2, 0.3), (1.0, 1.0)]),
)
def test_abc_equals_the_definition_with_ties_prospects_and_refunds(
    monetary: list[int | None], cuts: tuple[float, float]
) -> None:
    settings = Settings(abc_a=cuts[0], abc_b=cuts[1])
    rows = [(i * 7 % 101 + i * 1000, m) for i, m in enumerate(monetary)]
    expected = reference_abc(rows, settings)
    # Both engines: segment_clients runs in memory; scalars such as arg_max have differed.
    assert engine_abc(rows, settings, "streaming") == expected
    assert engine_abc(rows, settings, "in-memory") == expected


@hsettings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.integers(min_value=-50, max_value=80), st.just(0)),
        min_size=1,
        max_size=25,
    )
)
def test_the_portfolio_figures_sort_monetary_once_into_the_abc_order(
    monetary: list[int | None],
) -> None:
    """portfolio_figures builds the ABC order from the ascending sort of monetary (prospects'
    zeros put among the zeros); the cuts equal those of sorting the ABC revenue itself."""
    settings = Settings()
    frame = pl.DataFrame(
        {
            ID: list(range(1, len(monetary) + 1)),
            Col.LAST_PURCHASE: [None if m is None else date(2026, 1, 1) for m in monetary],
            Col.FREQUENCY: [None if m is None else 1 for m in monetary],
            Col.MONETARY_CENTS: monetary,
        },
        schema={
            ID: pl.Int64,
            Col.LAST_PURCHASE: pl.Date,
            Col.FREQUENCY: pl.Int64,
            Col.MONETARY_CENTS: pl.Int64,
        },
    )
    inputs = metrics.figure_inputs(frame.lazy(), as_of=date(2026, 6, 30)).collect()
    cents = inputs.select(metrics.abc_cents_expr()).to_series()
    direct = metrics.abc_cuts(inputs.get_column(ID), cents, settings)
    assert metrics.portfolio_figures(inputs, settings).abc == direct
