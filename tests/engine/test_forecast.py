"""BG/NBD + Gamma-Gamma: the published CDNOW fit, lifetimes' per-client values, hand-worked
likelihoods, recovery of known parameters, prospects, one-time buyers and the paths that
cannot fit."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from carteira_tui.engine import forecast as fc

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AS_OF = date(1997, 9, 30)


def cdnow_orders() -> pl.DataFrame:
    rows = [line.split() for line in (FIXTURES / "cdnow_sample.txt").read_text().splitlines()]
    return pl.DataFrame(
        {
            "client_id": [int(r[1]) for r in rows],
            "date": [r[2] for r in rows],
            "amount_cents": [round(float(r[4]) * 100) for r in rows],
        }
    ).with_columns(pl.col("date").str.to_date("%Y%m%d"))


@pytest.fixture(scope="module")
def cdnow() -> tuple[pl.DataFrame, fc.Forecast]:
    summary = fc.summary_from_orders(cdnow_orders().lazy(), as_of=AS_OF)
    return summary, fc.fit(summary, as_of=AS_OF)


@pytest.fixture(scope="module")
def reference() -> dict[str, object]:
    data: dict[str, object] = json.loads((FIXTURES / "cdnow_lifetimes.json").read_text())
    return data


def arrays(rows: list[dict[str, float]], *keys: str) -> list[np.ndarray]:
    return [np.array([row[k] for row in rows], dtype=np.float64) for k in keys]


def test_cdnow_fit_is_the_papers(cdnow: tuple[pl.DataFrame, fc.Forecast]) -> None:
    summary, forecast = cdnow
    assert summary.height == 2357
    bg, gg = forecast.bgnbd, forecast.gamma_gamma
    assert bg is not None and gg is not None
    assert forecast.purchases.converged and forecast.value.converged
    assert forecast.value.clients == 946
    published = {"r": 0.243, "alpha": 4.414 * 7, "a": 0.793, "b": 2.426}
    for name, value in published.items():
        assert getattr(bg, name) == pytest.approx(value, rel=0.01), name
    assert bg.alpha == pytest.approx(30.9, rel=0.01)
    for name, value in {"p": 6.25, "q": 3.74, "gamma": 15.44}.items():
        assert getattr(gg, name) == pytest.approx(value, rel=0.01), name
    # the paper's log-likelihood, −9582.4 in weeks; in days each repeat day's density is
    # divided by 7, so the days' value is lower by Σx · ln 7
    repeat_days = float(summary.get_column("x").sum())
    assert forecast.purchases.log_likelihood == pytest.approx(
        -9582.4 - repeat_days * math.log(7), abs=0.1
    )


def test_fit_equals_lifetimes(
    cdnow: tuple[pl.DataFrame, fc.Forecast], reference: dict[str, object]
) -> None:
    _, forecast = cdnow
    bg, gg = forecast.bgnbd, forecast.gamma_gamma
    assert bg is not None and gg is not None
    theirs = reference["bgnbd"]
    assert isinstance(theirs, dict)
    for name in ("r", "alpha", "a", "b"):
        assert getattr(bg, name) == pytest.approx(theirs[name], rel=1e-5), name
    theirs_gg = reference["gamma_gamma"]
    assert isinstance(theirs_gg, dict)
    assert (gg.p, gg.q, gg.gamma) == pytest.approx(
        (theirs_gg["p"], theirs_gg["q"], theirs_gg["v"]), rel=1e-5
    )


def test_per_client_values_equal_lifetimes(reference: dict[str, object]) -> None:
    theirs, theirs_gg, clients = reference["bgnbd"], reference["gamma_gamma"], reference["clients"]
    assert isinstance(theirs, dict) and isinstance(theirs_gg, dict) and isinstance(clients, list)
    assert len(clients) == 50
    bg = fc.BgNbd(theirs["r"], theirs["alpha"], theirs["a"], theirs["b"])
    gg = fc.GammaGamma(theirs_gg["p"], theirs_gg["q"], theirs_gg["v"])
    x, t_x, t_cal, m, alive, orders, ticket = arrays(
        clients, "x", "t_x", "T", "m", "p_alive", "expected_orders_90d", "expected_ticket"
    )
    assert fc.p_alive(bg, x, t_x, t_cal) == pytest.approx(alive, rel=1e-9)
    assert fc.expected_purchases(bg, 90, x, t_x, t_cal) == pytest.approx(orders, rel=1e-9)
    assert fc.expected_ticket(gg, x, m) == pytest.approx(ticket, rel=1e-9)


def test_score_on_cdnow_gives_lifetimes_values(
    cdnow: tuple[pl.DataFrame, fc.Forecast], reference: dict[str, object]
) -> None:
    summary, forecast = cdnow
    clients = reference["clients"]
    assert isinstance(clients, list)
    wanted = pl.DataFrame({"client_id": [int(c["client"]) for c in clients]})
    inputs = wanted.join(summary, on="client_id", how="left", maintain_order="left")
    assert inputs.get_column("x").to_list() == [c["x"] for c in clients]
    scored = fc.score(inputs, forecast)
    for column in ("p_alive", "expected_orders_90d", "expected_ticket"):
        expected = [c[column] for c in clients]
        assert scored.get_column(column).to_list() == pytest.approx(expected, rel=1e-4), column
    value = scored.get_column("expected_value_12m").to_numpy()
    x, t_x, t_cal, m = arrays(clients, "x", "t_x", "T", "m")
    assert forecast.bgnbd is not None and forecast.gamma_gamma is not None
    year = fc.expected_purchases(forecast.bgnbd, 365, x, t_x, t_cal)
    assert value == pytest.approx(year * fc.expected_ticket(forecast.gamma_gamma, x, m))


def test_bgnbd_likelihood_by_hand() -> None:
    one = fc.BgNbd(1.0, 1.0, 1.0, 1.0)
    # x = 0, T = 1: B(1,1)/B(1,1) · α^r/(α+T)^r = 1/2
    # x = 1, t_x = 1, T = 2: B(1,2)·Γ(2)/(α+T)² + B(2,1)/(α+t_x)² = 1/2·1/9 + 1/2·1/4 = 13/72
    ll, _ = fc.bgnbd_log_likelihood(
        one, np.array([0.0, 1.0]), np.array([0.0, 1.0]), np.array([1.0, 2.0])
    )
    assert ll == pytest.approx([math.log(0.5), math.log(13 / 72)], rel=1e-12)


def test_gamma_gamma_likelihood_by_hand() -> None:
    # p = 1, q = 2, γ = 1, x = 1, m = 1: Γ(3)/(Γ(1)Γ(2)) · 1 · 1 · 1/(1+1)³ = 2/8
    ll, _ = fc.gamma_gamma_log_likelihood(
        fc.GammaGamma(1.0, 2.0, 1.0), np.array([1.0]), np.array([1.0])
    )
    assert ll == pytest.approx([math.log(0.25)], rel=1e-12)


def test_gradients_match_finite_differences() -> None:
    x, t_x, t_cal = (
        np.array([0.0, 1.0, 5.0]),
        np.array([0.0, 30.0, 200.0]),
        np.array([90.0, 120.0, 260.0]),
    )
    point = np.array([0.4, 25.0, 0.8, 2.5])
    _, grad = fc.bgnbd_log_likelihood(fc.BgNbd(*point), x, t_x, t_cal)
    for i in range(4):
        step = np.zeros(4)
        step[i] = 1e-6 * point[i]
        up, _ = fc.bgnbd_log_likelihood(fc.BgNbd(*(point + step)), x, t_x, t_cal)
        down, _ = fc.bgnbd_log_likelihood(fc.BgNbd(*(point - step)), x, t_x, t_cal)
        assert grad[i] == pytest.approx((up - down) / (2 * step[i]), rel=1e-5, abs=1e-9)
    m = np.array([10.0, 42.5, 7.0])
    xs = np.array([1.0, 3.0, 8.0])
    gpoint = np.array([6.0, 3.5, 15.0])
    _, ggrad = fc.gamma_gamma_log_likelihood(fc.GammaGamma(*gpoint), xs, m)
    for i in range(3):
        step = np.zeros(3)
        step[i] = 1e-6 * gpoint[i]
        up, _ = fc.gamma_gamma_log_likelihood(fc.GammaGamma(*(gpoint + step)), xs, m)
        down, _ = fc.gamma_gamma_log_likelihood(fc.GammaGamma(*(gpoint - step)), xs, m)
        assert ggrad[i] == pytest.approx((up - down) / (2 * step[i]), rel=1e-5)


def simulate(n: int, seed: int) -> pl.DataFrame:
    """Buyers from BG/NBD r 0.5, alpha 20 days, a 0.8, b 3 and Gamma-Gamma p 4, q 3, gamma 50,
    observed over T uniform in 100..400 days after their first purchase."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.5, 1 / 20, n)
    drop = rng.beta(0.8, 3.0, n)
    t_cal = rng.integers(100, 401, n).astype(np.float64)
    x, t_x, clock = np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        clock[active] += rng.exponential(1 / rate[active])
        bought = active & (clock <= t_cal)
        x[bought] += 1
        t_x[bought] = clock[bought]
        active = bought & (rng.random(n) >= drop)
    nu = rng.gamma(3.0, 1 / 50, n)
    m = np.where(x > 0, rng.gamma(4.0 * np.maximum(x, 1), 1 / (nu * np.maximum(x, 1))), 0.0)
    return pl.DataFrame({"x": x, "t_x": np.floor(t_x), "T": t_cal, "m": np.round(m, 2)})


def test_recovers_known_parameters() -> None:
    summary = simulate(40_000, seed=7)
    forecast = fc.fit(summary, as_of=AS_OF)
    bg, gg = forecast.bgnbd, forecast.gamma_gamma
    assert bg is not None and gg is not None
    assert (bg.r, bg.alpha, bg.a, bg.b) == pytest.approx((0.5, 20.0, 0.8, 3.0), rel=0.15)
    assert (gg.p, gg.q, gg.gamma) == pytest.approx((4.0, 3.0, 50.0), rel=0.15)


def test_gamma_gamma_rests_on_the_limit_when_purchases_do_not_vary_within_a_client() -> None:
    # the clients' mean values spread alike (the quantiles of InvGamma(q 3, s 200)) whether
    # they bought on 1 or on 7 repeat days: no sign that a mean over more purchases varies
    # less, so single purchases do not vary around a client's mean; the likelihood rises
    # with p forever and its limit p → ∞ is the model these data fit
    from scipy import stats

    means = 200.0 / stats.gamma.ppf((np.arange(500) + 0.5) / 500, 3.0)
    x = np.repeat(np.arange(1.0, 8.0), means.size)
    m = np.tile(means, 7)
    summary = pl.DataFrame({"x": x, "t_x": x * 10, "T": x * 10 + 30, "m": m})
    fit = fc.fit_gamma_gamma(summary)
    gg = fit.params
    assert isinstance(gg, fc.GammaGamma)
    assert fit.ok and fit.converged and fit.problem is None
    assert gg.p_at_limit
    assert gg.q == pytest.approx(3.0, rel=0.1)
    assert gg.p * gg.gamma == pytest.approx(200.0, rel=0.1)
    # the limit's expected ticket: a repeat buyer's own mean; nobody yet, s / (q − 1)
    ticket = fc.expected_ticket(gg, np.array([1.0, 5.0, 0.0]), np.array([37.5, 812.0, 0.0]))
    assert ticket[:2] == pytest.approx([37.5, 812.0], abs=0.01)
    assert ticket[2] == pytest.approx(gg.p * gg.gamma / (gg.q - 1))


def test_prospects_are_null_and_one_time_buyers_get_the_population_ticket(
    cdnow: tuple[pl.DataFrame, fc.Forecast],
) -> None:
    _, forecast = cdnow
    gg = forecast.gamma_gamma
    assert gg is not None
    inputs = pl.DataFrame(
        {
            "x": [None, 0.0, 2.0],
            "t_x": [None, 0.0, 50.0],
            "T": [None, 100.0, 100.0],
            "m": [None, 0.0, 20.0],
        },
        schema={"x": pl.Float64, "t_x": pl.Float64, "T": pl.Float64, "m": pl.Float64},
    )
    scored = fc.score(inputs, forecast)
    assert scored.row(0) == (None, None, None, None)
    alive, orders, ticket, _ = scored.row(1)
    assert alive == 1.0
    assert 0 < orders < 1
    assert ticket == pytest.approx(gg.p * gg.gamma / (gg.q - 1))
    assert 0 < scored.item(2, "p_alive") < 1


def test_too_few_buyers_or_no_repeats_cannot_fit() -> None:
    few = pl.DataFrame({"x": [1.0, 0.0], "t_x": [10.0, 0.0], "T": [20.0, 5.0], "m": [5.0, 0.0]})
    forecast = fc.fit(few, as_of=AS_OF)
    assert forecast.bgnbd is None and forecast.purchases.problem is not None
    assert "poucos compradores" in forecast.purchases.problem
    once = pl.DataFrame(
        {
            "x": [0.0] * 50,
            "t_x": [0.0] * 50,
            "T": [float(10 + i) for i in range(50)],
            "m": [0.0] * 50,
        }
    )
    forecast = fc.fit(once, as_of=AS_OF)
    assert forecast.bgnbd is None and forecast.gamma_gamma is None
    assert fc.score(once, forecast).null_count().row(0) == (50, 50, 50, 50)


def test_no_convergence_is_reported_not_used() -> None:
    # everybody bought on the as-of date, at a steady pace: no sign of dropout, the likelihood
    # keeps rising toward a boundary
    n = 200
    summary = pl.DataFrame(
        {
            "x": [float(3 + i % 5) for i in range(n)],
            "t_x": [100.0 + i % 7 for i in range(n)],
            "T": [100.0 + i % 7 for i in range(n)],
            "m": [10.0] * n,
        }
    )
    forecast = fc.fit(summary, as_of=AS_OF)
    assert not forecast.purchases.converged
    assert forecast.purchases.problem is not None and "não convergiu" in forecast.purchases.problem
    assert forecast.bgnbd is None
    assert fc.score(summary, forecast).get_column("p_alive").null_count() == n


def test_filter_language_reads_the_forecast_columns_by_pt_br_names() -> None:
    from carteira_tui.engine.filters import compile_filter

    frame = pl.DataFrame(
        {
            "p_alive": [0.2, 0.9, None],
            "expected_orders_90d": [0.1, 1.5, None],
            "expected_ticket": [50.0, 120.0, None],
            "expected_value_12m": [10.0, 900.0, None],
        }
    )

    def rows(text: str) -> list[int]:
        mask = frame.select(compile_filter(text, as_of=AS_OF)).to_series()
        return [i for i, keep in enumerate(mask.to_list()) if keep]

    assert rows("chance_cliente < 0,5") == [0]
    assert rows("p_alive >= 0.5") == [1]
    assert rows("compras_90d > 1") == [1]
    assert rows("ticket_esperado > 100") == [1]
    assert rows("valor_12m <= 10") == [0]  # a prospect (null) matches no comparison


def test_explained_in_plain_portuguese() -> None:
    from datetime import timedelta

    day = date(2026, 6, 30)
    row = {
        "first_purchase": day - timedelta(days=200),
        "last_purchase": day - timedelta(days=150),
        "purchase_days": 4,
        "p_alive": 0.34,
        "expected_orders_90d": 0.412,
        "expected_ticket": 1234.5,
        "expected_value_12m": 2000.0,
    }
    head, value = fc.explain_lines(row, as_of=day)
    assert head == (
        "Chance de ainda ser cliente: 34 % — 4 compras em 200 dias, a última há 150; quem compra"
        " nesse ritmo costuma voltar em ~50 dias. Compras esperadas nos próximos 90 dias: 0,41."
    )
    assert value.startswith("Ticket esperado R$ 1.234,50; valor esperado em 12 meses R$ 2.000,00")
    once = {**row, "last_purchase": row["first_purchase"], "purchase_days": 1, "p_alive": 1.0}
    lines = fc.explain_lines(once, as_of=day)
    assert lines[0].startswith("Previsão: 1 compra, há 200 dias; compras esperadas")
    assert not any("100 %" in line or "Chance" in line for line in lines)
    assert fc.explain_lines({**row, "first_purchase": None}, as_of=day) == []
    unfitted = fc.explain_lines({**row, "p_alive": None}, as_of=day)
    assert unfitted == [
        "Previsão: ainda sem ajuste guardado (carteira forecast) ou o ajuste falhou."
    ]


def test_heading_to_inactive_alerts_valuable_repeat_buyers_whose_chance_fell() -> None:
    current = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6],
            "abc": ["A", "A", "A", "B", "A", "A"],
            "excluded": [False, False, False, False, True, False],
            "purchase_days": [5, 5, 1, 5, 5, 3],
            "p_alive": [0.45, 0.75, 1.0, 0.1, 0.1, 0.59],
            "owner_id": [10, 10, 10, 10, 10, 11],
            "monetary_cents": [500_00, 400_00, 300_00, 200_00, 100_00, 50_00],
        }
    )
    previous = pl.DataFrame({"id": [1, 2, 3, 4, 5, 6], "p_alive": [0.8, 0.8, 1.0, 0.9, 0.9, 0.8]})
    found = fc.heading_to_inactive(current.lazy(), previous.lazy(), kind="k").collect()
    # 1: A, fell 35 points; 2: fell 5; 3: one-time buyer; 4: class B; 5: excluded;
    # 6: fell 21 points
    assert found.select("id", "amount", "detail").rows() == [
        (1, 500_00, "chance de ainda ser cliente caiu de 80 % para 45 %"),
        (6, 50_00, "chance de ainda ser cliente caiu de 80 % para 59 %"),
    ]


def test_heading_out_marks_the_clients_the_alert_names() -> None:
    current = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6, 7],
            "abc": ["A", "A", "A", "B", "A", "A", None],
            "excluded": [False, False, False, False, False, False, False],
            "purchase_days": [4, 4, 1, 4, 4, 3, None],
            "p_alive": [0.6, 0.8, 1.0, 0.1, None, 0.1, None],
            "owner_id": [10, 10, 10, 10, 10, 10, 10],
            "monetary_cents": [100_00, 90_00, 80_00, 70_00, 60_00, 50_00, None],
        }
    )
    # 6 is new since the previous run (no p_alive before); the previous run is in another order
    previous = pl.DataFrame({"id": [5, 4, 3, 2, 1, 7], "p_alive": [0.9, 0.9, 1.0, 0.9, 0.9, None]})
    marked = fc.with_heading_out(current.lazy(), previous.lazy()).collect()
    # 1: A, repeat days, 0.9 -> 0.6 (30 points); 2: 0.9 -> 0.8 (10 points); 3: one-time buyer;
    # 4: class B though it fell 80 points; 5: no p_alive now; 6: none before; 7: a prospect
    assert marked.columns == [*current.columns, "heading_out"]
    assert marked.get_column("id").to_list() == [1, 2, 3, 4, 5, 6, 7]
    assert marked.get_column("heading_out").to_list() == [
        True, False, False, False, None, None, None,
    ]  # fmt: skip
    alerted = fc.heading_to_inactive(current.lazy(), previous.lazy(), kind="k").collect()
    assert alerted.get_column("id").to_list() == [1]
    first_run = fc.with_heading_out(current.lazy(), None).collect()
    assert first_run.get_column("heading_out").null_count() == 7


def test_a_fall_of_exactly_twenty_points_is_heading_out() -> None:
    current = pl.DataFrame(
        {"id": [1], "abc": ["A"], "excluded": [False], "purchase_days": [2], "p_alive": [0.1]}
    )
    previous = pl.DataFrame({"id": [1], "p_alive": [0.3]})  # 0.3 - 0.1 < 0.2 in floating point
    marked = fc.with_heading_out(current.lazy(), previous.lazy()).collect()
    assert marked.get_column("heading_out").to_list() == [True]


def test_a_warm_start_from_the_last_fit_reaches_the_same_parameters(
    cdnow: tuple[pl.DataFrame, fc.Forecast],
) -> None:
    summary, cold = cdnow
    later = fc.Forecast(
        AS_OF,
        fc.Fit(fc.BgNbd(0.3, 25.0, 0.7, 2.0), None, 0, True),
        fc.Fit(fc.GammaGamma(6.0, 3.5, 15.0), None, 0, True),
    )
    warm = fc.fit(summary, as_of=AS_OF, start=later)
    assert warm.bgnbd is not None and cold.bgnbd is not None
    assert warm.gamma_gamma is not None and cold.gamma_gamma is not None
    assert warm.bgnbd.r == pytest.approx(cold.bgnbd.r, rel=1e-4)
    assert warm.bgnbd.alpha == pytest.approx(cold.bgnbd.alpha, rel=1e-4)
    assert warm.gamma_gamma.q == pytest.approx(cold.gamma_gamma.q, rel=1e-4)


def test_summed_likelihoods_equal_the_sums_of_the_per_buyer_ones() -> None:
    # what the fits maximise (terms gathered per distinct x, T) is the per-buyer formula summed
    summary = simulate(3000, seed=11)
    x, t_x, t_cal, m = (summary.get_column(c).to_numpy() for c in ("x", "t_x", "T", "m"))
    bg = fc.BgNbd(0.7, 25.0, 0.9, 2.5)
    rows, row_grad = fc.bgnbd_log_likelihood(bg, x, t_x, t_cal)
    total, grad = fc._bgnbd_total(bg, fc._BgNbdData.of(x, t_x, t_cal))
    assert total == pytest.approx(rows.sum(), rel=1e-12)
    assert grad == pytest.approx(row_grad.sum(axis=1), rel=1e-9)
    repeat = (x > 0) & (m > 0)
    gg = fc.GammaGamma(4.5, 2.8, 40.0)
    rows, row_grad = fc.gamma_gamma_log_likelihood(gg, x[repeat], m[repeat])
    total, grad = fc._gamma_gamma_total(gg, fc._GammaGammaData.of(x[repeat], m[repeat]))
    assert total == pytest.approx(rows.sum(), rel=1e-12)
    assert grad == pytest.approx(row_grad.sum(axis=1), rel=1e-9)


def test_a_big_portfolio_fitted_from_a_sample_reaches_the_same_maximum() -> None:
    # from SAMPLE_FROM buyers the fit starts on a sample and finishes on everyone: the
    # maximum found is the one the optimiser finds on everyone from nothing
    summary = simulate(40_000, seed=5)
    whole = fc.fit(summary, as_of=AS_OF)
    bg, gg = (
        fc.fit_bgnbd(summary, sample_from=1_000),
        fc.fit_gamma_gamma(summary, sample_from=1_000),
    )
    assert whole.bgnbd is not None and whole.gamma_gamma is not None
    assert isinstance(bg.params, fc.BgNbd) and isinstance(gg.params, fc.GammaGamma)
    assert bg.converged and gg.converged
    for name in ("r", "alpha", "a", "b"):
        assert getattr(bg.params, name) == pytest.approx(getattr(whole.bgnbd, name), rel=1e-5)
    for name in ("p", "q", "gamma"):
        assert getattr(gg.params, name) == pytest.approx(getattr(whole.gamma_gamma, name), rel=1e-5)
    assert bg.log_likelihood == pytest.approx(whole.purchases.log_likelihood, abs=1e-4)


def test_heading_out_of_aligned_runs_equals_the_joined_one() -> None:
    current = pl.LazyFrame(
        {
            "id": [1, 2, 3],
            "abc": ["A", "A", "B"],
            "excluded": [False, False, False],
            "purchase_days": [3, 4, 5],
            "p_alive": [0.2, 0.8, 0.1],
            "heading_out": [None, None, None],
            "name": ["x", "y", "z"],
        },
        schema_overrides={"heading_out": pl.Boolean},
    )
    previous = pl.LazyFrame({"id": [1, 2, 3], "p_alive": [0.5, 0.85, 0.9]})
    joined = fc.with_heading_out(current, previous).collect()
    beside = fc.with_heading_out(current, previous, aligned=True).collect()
    assert joined.equals(beside)
    assert joined.columns == current.collect_schema().names()
    assert joined.get_column("heading_out").to_list() == [True, False, False]
