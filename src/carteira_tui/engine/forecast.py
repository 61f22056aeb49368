"""Forecast: BG/NBD for purchase days and Gamma-Gamma for value (Fader, Hardie & Lee 2005).

DESIGN.md "forecast": per buyer as of D, in days, x = purchase days − 1, t_x = last − first
purchase, T = D − first purchase, m = mean revenue of the repeat purchase days (first day
excluded; 0 when x = 0). The parameters (r, alpha, a, b) and (p, q, gamma) are fitted by maximum
likelihood over all buyers (Gamma-Gamma over buyers with x > 0 and m > 0); the per-client
columns are `p_alive`, `expected_orders_90d`, `expected_ticket` and `expected_value_12m`
(expected purchase days in the next 365 days × expected ticket). Prospects get nulls.

Pure: Polars frames and NumPy arrays in, numbers out. Where the speed is: the fits maximise
the summed log-likelihoods with every term that depends on x or T alone gathered per distinct
value (a few hundred values, days and counts used as indices), so only the BG/NBD mixture
term of the repeat buyers and Gamma-Gamma's ln(γ + x·m) are computed row by row; a big
portfolio is first fitted on a sample and finished on everyone with a few Newton steps
(SAMPLE_FROM). The per-buyer formulas (`bgnbd_log_likelihood`, `gamma_gamma_log_likelihood`)
stay for checking by hand.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from carteira_tui.model import Col
from carteira_tui.vocab import forecast as words

# NumPy is imported inside the functions that fit and score: a run without a kept fit (most
# re-segmentations) never loads it, nor SciPy.
if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Array = NDArray[np.float64]

# SciPy's L-BFGS-B calls its bundled OpenBLAS on 4-element vectors; a pool of BLAS threads
# spinning on a shared 2-core server made the fits 3-4 times slower (measured at 100k buyers).
# OpenBLAS reads this when SciPy loads it, which is inside the fits below, after this line;
# a value the user set wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ID_COLUMN = "id"
"""The internal client id of the segmentation results (engine.schema.ID)."""

X, T_X, T_CAL, M = "x", "t_x", "T", "m"
"""The model's per-buyer inputs: repeat purchase days, last − first, as-of − first, mean repeat."""

P_ALIVE = "p_alive"
EXPECTED_ORDERS_90D = "expected_orders_90d"
EXPECTED_TICKET = "expected_ticket"
EXPECTED_VALUE_12M = "expected_value_12m"
FORECAST_COLUMNS: dict[str, pl.DataType] = {
    P_ALIVE: pl.Float64(),
    EXPECTED_ORDERS_90D: pl.Float64(),
    EXPECTED_TICKET: pl.Float64(),
    EXPECTED_VALUE_12M: pl.Float64(),
}
"""The columns the forecast adds to each client's segmentation result (null for prospects)."""

HORIZON_DAYS = 90
YEAR_DAYS = 365
MIN_BUYERS = 20
"""Fewer buyers than this, or fewer than this many with a repeat day, is too little to fit."""
MIN_REPEAT_BUYERS = 5


@dataclass(frozen=True)
class BgNbd:
    """BG/NBD parameters: purchase rate Gamma(r, alpha) with alpha in days, dropout Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class GammaGamma:
    """Gamma-Gamma parameters of the mean value per purchase day: p, q, gamma (reais)."""

    p: float
    q: float
    gamma: float

    @property
    def p_at_limit(self) -> bool:
        """p on its upper bound: single purchases hardly vary around each client's mean, the
        model's limit p → ∞ (see `fit_gamma_gamma`)."""
        return self.p >= math.exp(LOG_BOUND) * (1 - 1e-6)

    @property
    def population_mean(self) -> float:
        """E(M) = p·gamma/(q − 1): the expected ticket of a buyer with no repeat day yet."""
        return self.p * self.gamma / (self.q - 1)


@dataclass(frozen=True)
class Fit:
    """One maximum-likelihood fit: its parameters or, when it could not fit, why not (pt-BR)."""

    params: BgNbd | GammaGamma | None
    log_likelihood: float | None
    clients: int
    converged: bool
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.params is not None and self.problem is None


@dataclass(frozen=True)
class Forecast:
    """Both fits of a portfolio as of a date: what `carteira forecast` prints and keeps."""

    as_of: date
    purchases: Fit
    value: Fit

    @property
    def bgnbd(self) -> BgNbd | None:
        params = self.purchases.params
        return params if isinstance(params, BgNbd) and self.purchases.ok else None

    @property
    def gamma_gamma(self) -> GammaGamma | None:
        params = self.value.params
        return params if isinstance(params, GammaGamma) and self.value.ok else None


def load_scipy() -> None:
    """Import what the fits use from SciPy (they import it when first called: it costs a
    process start a few tenths of a second), so a caller can do it while waiting on I/O."""
    from scipy import optimize, special  # noqa: F401


# ---------------------------------------------------------------- inputs


def summary_from_orders(orders: pl.LazyFrame, *, as_of: date) -> pl.DataFrame:
    """Per buyer (client_id): x, t_x, T (days) and m (reais) from orders as of `as_of`.

    Orders with a negative amount (returns) are not purchases (DESIGN.md "return").
    Orders carry `client_id`, `date` and `amount_cents`.
    """
    day = (
        orders.filter((pl.col(Col.DATE) <= as_of) & (pl.col(Col.AMOUNT_CENTS) >= 0))
        .group_by(Col.CLIENT_ID, Col.DATE)
        .agg(pl.col(Col.AMOUNT_CENTS).sum())
    )
    per_client = day.group_by(Col.CLIENT_ID).agg(
        pl.col(Col.DATE).min().alias(Col.FIRST_PURCHASE),
        pl.col(Col.DATE).max().alias(Col.LAST_PURCHASE),
        pl.len().cast(pl.Int64).alias(Col.PURCHASE_DAYS),
        pl.col(Col.AMOUNT_CENTS).sum().cast(pl.Int64).alias("_cents"),
        pl.col(Col.AMOUNT_CENTS).sort_by(Col.DATE).first().cast(pl.Int64).alias("_first_cents"),
    )
    return (
        per_client.select(
            Col.CLIENT_ID,
            *_inputs(
                pl.col(Col.FIRST_PURCHASE),
                pl.col(Col.LAST_PURCHASE),
                pl.col(Col.PURCHASE_DAYS),
                pl.col("_cents") - pl.col("_first_cents"),
                as_of,
            ),
        )
        .sort(Col.CLIENT_ID)
        .collect()
    )


def summary_from_spans(frame: pl.DataFrame) -> pl.DataFrame:
    """x, t_x, T, m from kept per-client spans: purchase days, t_x and T in days, and the
    revenue of the repeat days in centavos (`repeat_cents`); `client_id` kept when present."""
    x = (pl.col(Col.PURCHASE_DAYS) - 1).cast(pl.Float64)
    return frame.select(
        *([Col.CLIENT_ID] if Col.CLIENT_ID in frame.columns else []),
        x.alias(X),
        pl.col(T_X).cast(pl.Float64),
        pl.col(T_CAL).cast(pl.Float64),
        pl.when(x > 0)
        .then((pl.col("repeat_cents").cast(pl.Float64) / 100 / x).clip(lower_bound=0.0))
        .otherwise(0.0)
        .alias(M),
    )


def _inputs(
    first: pl.Expr, last: pl.Expr, days: pl.Expr, repeat_cents: pl.Expr, as_of: date
) -> list[pl.Expr]:
    x = (days - 1).cast(pl.Float64)
    return [
        x.alias(X),
        (last - first).dt.total_days().cast(pl.Float64).alias(T_X),
        (pl.lit(as_of) - first).dt.total_days().cast(pl.Float64).alias(T_CAL),
        pl.when(x > 0)
        .then((repeat_cents.cast(pl.Float64) / 100 / x).clip(lower_bound=0.0))
        .otherwise(0.0)
        .alias(M),
    ]


def input_exprs(first_day_cents: str, *, as_of: date) -> list[pl.Expr]:
    """x, t_x, T, m over a per-client frame with first/last purchase, purchase days, monetary
    cents and the revenue of the first purchase day (`first_day_cents`); null for prospects."""
    return _inputs(
        pl.col(Col.FIRST_PURCHASE),
        pl.col(Col.LAST_PURCHASE),
        pl.col(Col.PURCHASE_DAYS),
        pl.col(Col.MONETARY_CENTS) - pl.col(first_day_cents),
        as_of,
    )


# ---------------------------------------------------------------- BG/NBD


@dataclass(frozen=True)
class _Coded:
    """Rows as codes into their distinct values: the special functions of the likelihoods run
    on the few distinct x (and T, t_x) and are gathered back, so each row costs arithmetic."""

    x: Array
    ux: Array
    xi: NDArray[np.intp]
    ut: Array
    ti: NDArray[np.intp]
    u_cal: Array
    cal_i: NDArray[np.intp]

    @classmethod
    def of(cls, x: Array, t_x: Array, t_cal: Array) -> _Coded:
        import numpy as np

        ux, xi = np.unique(x, return_inverse=True)
        ut, ti = np.unique(t_x, return_inverse=True)
        u_cal, cal_i = np.unique(t_cal, return_inverse=True)
        return cls(x, ux, xi.ravel(), ut, ti.ravel(), u_cal, cal_i.ravel())


def bgnbd_log_likelihood(params: BgNbd, x: Array, t_x: Array, t_cal: Array) -> tuple[Array, Array]:
    """Per buyer ln L(r, alpha, a, b | x, t_x, T) and its gradient (4 × n) in the parameters.

    ln L = lnΓ(r+x) − lnΓ(r) + r ln α − ln B(a, b) + ln(e^c1 + δ(x>0) e^c2), with
    c1 = ln B(a, b+x) − (r+x) ln(α+T) and c2 = ln B(a+1, b+x−1) − (r+x) ln(α+t_x).
    """
    return _bgnbd(params, _Coded.of(x, t_x, t_cal))


def _bgnbd(params: BgNbd, coded: _Coded) -> tuple[Array, Array]:
    import numpy as np
    from scipy import special  # imported when used: SciPy costs a process start

    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    ux, xi = coded.ux, coded.xi
    x = coded.x
    repeat_u = ux > 0
    uxm = np.where(repeat_u, ux, 1.0)  # keeps b + x − 1 > 0 where the second term is masked
    # per distinct x
    bl1 = special.betaln(a, b + ux)
    bl2 = np.where(repeat_u, special.betaln(a + 1, b + uxm - 1), -np.inf)
    gl = special.gammaln(r + ux)
    dg_rx = special.digamma(r + ux)
    dg_abx = special.digamma(a + b + ux)
    dg_bx = special.digamma(b + ux) - dg_abx
    dg_bx1 = np.where(repeat_u, special.digamma(b + uxm - 1), 0.0) - dg_abx
    # per distinct T and t_x
    log_cal = np.log(alpha + coded.u_cal)[coded.cal_i]
    log_t = np.log(alpha + coded.ut)[coded.ti]
    inv_cal = (1.0 / (alpha + coded.u_cal))[coded.cal_i]
    inv_t = (1.0 / (alpha + coded.ut))[coded.ti]
    rx = r + x
    c1 = bl1[xi] - rx * log_cal
    c2 = bl2[xi] - rx * log_t
    top = np.maximum(c1, c2)
    e1, e2 = np.exp(c1 - top), np.exp(c2 - top)
    total = e1 + e2
    w1, w2 = e1 / total, e2 / total
    dg_a, dg_b, dg_ab = special.digamma([a, b, a + b])
    constant = -special.gammaln(r) + r * math.log(alpha) - special.betaln(a, b)
    ll = gl[xi] + constant + top + np.log(total)
    grad = np.empty((4, x.size))
    grad[0] = dg_rx[xi] - special.digamma(r) + math.log(alpha) - (w1 * log_cal + w2 * log_t)
    grad[1] = r / alpha - rx * (w1 * inv_cal + w2 * inv_t)
    grad[2] = -(dg_a - dg_ab) + w1 * dg_a + w2 * special.digamma(a + 1) - dg_abx[xi]
    grad[3] = -(dg_b - dg_ab) + w1 * dg_bx[xi] + w2 * dg_bx1[xi]
    return ll, grad


LOG_BOUND = 12.0
"""Each parameter is fitted as its logarithm within ±LOG_BOUND (e^12 ≈ 163 thousand)."""


def _fit(
    negative: Any,
    start: Array,
    clients: int,
    make: Any,
    *,
    bounds: list[tuple[float, float]] | None = None,
    limit: int | None = None,
) -> Fit:
    """Minimise `negative` over the logarithms of the parameters from `start`. A parameter on
    a bound means the likelihood still rises beyond it: not converged, except for the one at
    index `limit` resting on its upper bound, which is a limit of the model (see
    `fit_gamma_gamma`)."""
    import numpy as np
    from scipy import optimize

    box = bounds or [(-LOG_BOUND, LOG_BOUND)] * start.size
    with np.errstate(all="ignore"):
        try:
            result = optimize.minimize(
                negative,
                np.log(start),
                jac=True,
                method="L-BFGS-B",
                bounds=box,
                options={"maxiter": 500, "ftol": 1e-13, "gtol": 1e-7},
            )
        except (ValueError, FloatingPointError, ArithmeticError):
            return Fit(None, None, clients, False, words.FIT_FAILED_NUMERICALLY)
    values = np.exp(result.x)
    if not (result.success and np.all(np.isfinite(values)) and np.isfinite(result.fun)):
        return Fit(None, None, clients, False, words.FIT_NOT_CONVERGED)
    low = np.array([b[0] for b in box]) + 0.01
    high = np.array([b[1] for b in box]) - 0.01
    on_high = result.x >= high
    if limit is not None:
        on_high[limit] = False
    at_bound = bool(np.any(result.x <= low) or np.any(on_high))
    params = make(values)
    ll = -float(result.fun) * clients
    if at_bound:
        return Fit(params, ll, clients, False, words.FIT_AT_BOUND)
    return Fit(params, ll, clients, True)


def _codes(values: Array) -> tuple[Array, NDArray[np.intp]]:
    """The distinct values and each row's index into them: a dense table over the range when
    the values are whole numbers in a small range (days, purchase counts: no sort), else
    np.unique."""
    import numpy as np

    if values.size:
        low, high = float(values.min()), float(values.max())
        whole = values.astype(np.int64)
        if high - low <= _DENSE_CELLS and np.array_equal(whole, values):
            start = int(low)
            return np.arange(start, int(high) + 1, dtype=np.float64), (whole - start).astype(
                np.intp
            )
    table, inverse = np.unique(values, return_inverse=True)
    return table, inverse.ravel().astype(np.intp)


@dataclass(frozen=True)
class _BgNbdData:
    """A portfolio's (x, t_x, T) reduced for the summed likelihood: the terms that depend on
    one of x or T alone are sums over its few distinct values (weights per distinct value);
    only the mixture term ln(1 + e^d) of the repeat buyers is summed row by row."""

    buyers: int
    ux: Array
    x_count: Array
    """Buyers per distinct x."""
    u_cal: Array
    cal_count: Array
    cal_x: Array
    """Buyers and their Σx per distinct T."""
    u_t: Array
    rx: Array
    rxi: NDArray[np.intp]
    rcal: NDArray[np.intp]
    rt: NDArray[np.intp]
    """The repeat buyers: x, index of x, of T (into u_cal) and of t_x (into u_t)."""

    @classmethod
    def of(cls, x: Array, t_x: Array, t_cal: Array) -> _BgNbdData:
        import numpy as np

        ux, xi = _codes(x)
        u_cal, cal_i = _codes(t_cal)
        repeat = x > 0
        u_t, t_i = _codes(t_x[repeat])
        return cls(
            buyers=x.size,
            ux=ux,
            x_count=np.bincount(xi, minlength=ux.size).astype(np.float64),
            u_cal=u_cal,
            cal_count=np.bincount(cal_i, minlength=u_cal.size).astype(np.float64),
            cal_x=np.bincount(cal_i, weights=x, minlength=u_cal.size).astype(np.float64),
            u_t=u_t,
            rx=x[repeat],
            rxi=xi[repeat],
            rcal=cal_i[repeat],
            rt=t_i,
        )


def _bgnbd_total(params: BgNbd, data: _BgNbdData) -> tuple[float, Array]:
    """Σ ln L over the buyers and its gradient in (r, alpha, a, b): `_bgnbd` summed, as
    ln L = lnΓ(r+x) − lnΓ(r) + r ln α − ln B(a, b) + ln B(a, b+x) − (r+x) ln(α+T)
    + δ(x>0) ln(1 + e^d), d = ln a − ln(b+x−1) + (r+x)(ln(α+T) − ln(α+t_x))
    (the same mixture, factored by its first term)."""
    import numpy as np
    from scipy import special  # imported when used: SciPy costs a process start

    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    n, ux, wx = float(data.buyers), data.ux, data.x_count
    log_cal = np.log(alpha + data.u_cal)
    inv_cal = 1.0 / (alpha + data.u_cal)
    log_t = np.log(alpha + data.u_t)
    inv_t = 1.0 / (alpha + data.u_t)
    cal_weight = r * data.cal_count + data.cal_x  # Σ (r + x) per distinct T
    dg_abx = special.digamma(a + b + ux)
    dg_a, dg_b, dg_ab = special.digamma([a, b, a + b])
    ll = (
        float(np.dot(wx, special.gammaln(r + ux) + special.betaln(a, b + ux)))
        + n * (-special.gammaln(r) + r * math.log(alpha) - special.betaln(a, b))
        - float(np.dot(cal_weight, log_cal))
    )
    grad = np.array(
        [
            float(np.dot(wx, special.digamma(r + ux)))
            + n * (math.log(alpha) - special.digamma(r))
            - float(np.dot(data.cal_count, log_cal)),
            n * r / alpha - float(np.dot(cal_weight, inv_cal)),
            float(np.dot(wx, dg_a - dg_abx)) + n * (dg_ab - dg_a),
            float(np.dot(wx, special.digamma(b + ux) - dg_abx)) + n * (dg_ab - dg_b),
        ]
    )
    if data.rx.size:
        rx = r + data.rx
        gap = log_cal[data.rcal] - log_t[data.rt]
        base = math.log(a) - np.log(b + ux - 1, where=ux > 0, out=np.zeros_like(ux))
        d = base[data.rxi] + rx * gap
        e = np.exp(-np.abs(d))
        ll += float(np.sum(np.maximum(d, 0.0) + np.log1p(e)))
        sigma = np.where(d >= 0, 1.0, e) / (1.0 + e)
        per_x = np.bincount(data.rxi, weights=sigma, minlength=ux.size)
        grad[0] += float(np.dot(sigma, gap))
        grad[1] += float(np.dot(sigma * rx, inv_cal[data.rcal] - inv_t[data.rt]))
        grad[2] += float(per_x.sum()) / a
        grad[3] -= float(np.dot(per_x[ux > 0], 1.0 / (b + ux[ux > 0] - 1)))
    return ll, grad


SAMPLE_FROM = 200_000
SAMPLE_STEP = 16
"""From SAMPLE_FROM buyers, a BG/NBD fit first finds the maximum on every SAMPLE_STEP-th
buyer, then finishes on all of them with Newton steps that reuse the sample's curvature: a
handful of passes over the whole portfolio instead of the twenty-odd an optimiser starting
from nothing takes. The maximum is the whole portfolio's either way (to 1e-8 in each
parameter's logarithm); when the steps do not settle, the optimiser finishes instead."""


def _bgnbd_negative(x: Array, t_x: Array, t_cal: Array) -> Any:
    """−mean ln L over these buyers and its gradient, in the parameters' logarithms."""
    import numpy as np

    data = _BgNbdData.of(x, t_x, t_cal)
    scale = 1.0 / x.size

    def negative(theta: Array) -> tuple[float, Array]:

        values = np.exp(theta)
        ll, grad = _bgnbd_total(BgNbd(*values), data)
        if not np.isfinite(ll):
            return 1e300, np.zeros_like(theta)
        return -ll * scale, -grad * values * scale

    return negative


def _curvature(negative: Any, theta: Array, step: float = 1e-5) -> Array:
    """The Hessian of `negative` at `theta` by central differences of its gradient."""
    import numpy as np

    columns = []
    for i in range(theta.size):
        shift = np.zeros_like(theta)
        shift[i] = step
        columns.append((negative(theta + shift)[1] - negative(theta - shift)[1]) / (2 * step))
    hessian = np.array(columns)
    return np.asarray((hessian + hessian.T) / 2, dtype=np.float64)


def _newton(negative: Any, theta: Array, hessian: Array, *, steps: int = 30) -> Array | None:
    """Minimise `negative` from `theta` by Newton steps −H⁻¹g, H starting as `hessian` and
    updated by BFGS from each step's change of gradient; a step is halved while it does not
    descend. The point once the next step would move no logarithm by 1e-8; None when the
    steps do not settle, leave the bounds or H is not positive definite."""
    import numpy as np

    if not np.all(np.isfinite(hessian)) or np.min(np.linalg.eigvalsh(hessian)) <= 0:
        return None
    value, grad = negative(theta)
    for _ in range(steps):
        step = -np.linalg.solve(hessian, grad)
        if np.max(np.abs(step)) < 1e-8:
            return np.asarray(theta, dtype=np.float64)
        length = 1.0
        while True:
            candidate = theta + length * step
            if np.any(np.abs(candidate) >= LOG_BOUND):
                return None
            new_value, new_grad = negative(candidate)
            if new_value <= value + 1e-13 * max(1.0, abs(value)):
                break
            length /= 2
            if length < 1e-4:
                return None
        moved, change = length * step, new_grad - grad
        if change @ moved > 0:
            pushed = hessian @ moved
            hessian = (
                hessian
                - np.outer(pushed, pushed) / (moved @ pushed)
                + np.outer(change, change) / (change @ moved)
            )
        theta, value, grad = candidate, new_value, new_grad
    return None


def _fit_in_two_stages(
    negative: Any,
    sampled: Any,
    initial: Array,
    clients: int,
    make: Any,
    theta_of: Any,
    *,
    bounds: list[tuple[float, float]] | None = None,
    limit: int | None = None,
) -> Fit:
    """`_fit` on the sample (`sampled`), then Newton steps on everyone (`negative`) from
    there (SAMPLE_FROM); `_fit` on everyone from the sample's point when those do not settle
    or a parameter heads for its limit, and from `initial` when the sample cannot fit."""
    import numpy as np

    first = _fit(sampled, initial, max(clients // SAMPLE_STEP, 1), make, bounds=bounds, limit=limit)
    if first.ok and first.params is not None:
        near = np.asarray(theta_of(first.params), dtype=np.float64)
        if limit is None or near[limit] < LOG_BOUND - 2:
            found = _newton(negative, near, _curvature(sampled, near))
            if found is not None:
                return Fit(make(np.exp(found)), -negative(found)[0] * clients, clients, True)
        initial = np.exp(near)
    return _fit(negative, initial, clients, make, bounds=bounds, limit=limit)


def fit_bgnbd(
    summary: pl.DataFrame, *, start: BgNbd | None = None, sample_from: int = SAMPLE_FROM
) -> Fit:
    """Maximum-likelihood BG/NBD over every buyer of `summary` (columns x, t_x, T)."""
    import numpy as np

    buyers = summary.filter(pl.col(X).is_not_null())
    clients = buyers.height
    if clients < MIN_BUYERS:
        return Fit(None, None, clients, False, words.fit_few_buyers(clients))
    x, t_x, t_cal = (buyers.get_column(c).to_numpy().astype(np.float64) for c in (X, T_X, T_CAL))
    if int(np.count_nonzero(x > 0)) < MIN_REPEAT_BUYERS:
        return Fit(None, None, clients, False, words.FIT_NO_REPEAT_BUYERS)
    negative = _bgnbd_negative(x, t_x, t_cal)

    def make(values: Array) -> BgNbd:
        return BgNbd(*map(float, values))

    mean_t = float(np.mean(t_cal)) or 1.0
    initial = (
        np.array([start.r, start.alpha, start.a, start.b])
        if start
        else np.array([1.0, mean_t / 2, 1.0, 1.0])
    )
    if clients >= sample_from:
        every = slice(None, None, SAMPLE_STEP)
        sampled = _bgnbd_negative(x[every], t_x[every], t_cal[every])
        return _fit_in_two_stages(
            negative,
            sampled,
            initial,
            clients,
            make,
            lambda fitted: np.log([fitted.r, fitted.alpha, fitted.a, fitted.b]),
        )
    return _fit(negative, initial, clients, make)


# ---------------------------------------------------------------- Gamma-Gamma


def gamma_gamma_log_likelihood(params: GammaGamma, x: Array, m: Array) -> tuple[Array, Array]:
    """Per buyer ln f(m | p, q, gamma, x) of the mean value m over x purchases, and its gradient.

    ln f = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ+mx).
    """
    import numpy as np

    ux, xi = np.unique(x, return_inverse=True)
    return _gamma_gamma(params, x, m, ux, xi.ravel(), np.log(m), np.log(x))


def _gamma_gamma(
    params: GammaGamma,
    x: Array,
    m: Array,
    ux: Array,
    xi: NDArray[np.intp],
    log_m: Array,
    log_x: Array,
) -> tuple[Array, Array]:
    import numpy as np
    from scipy import special  # imported when used: SciPy costs a process start

    p, q, gamma = params.p, params.q, params.gamma
    upx = p * ux
    gl = (special.gammaln(upx + q) - special.gammaln(upx))[xi]
    dg_pxq_u = special.digamma(upx + q)
    dg = (dg_pxq_u - special.digamma(upx))[xi]
    dg_pxq = dg_pxq_u[xi]
    px = p * x
    log_gmx = np.log(gamma + m * x)
    ll = (
        gl
        - special.gammaln(q)
        + q * math.log(gamma)
        + (px - 1) * log_m
        + px * log_x
        - (px + q) * log_gmx
    )
    grad = np.empty((3, x.size))
    grad[0] = x * (dg + log_m + log_x - log_gmx)
    grad[1] = dg_pxq - special.digamma(q) + math.log(gamma) - log_gmx
    grad[2] = q / gamma - (px + q) / (gamma + m * x)
    return ll, grad


@dataclass(frozen=True)
class _GammaGammaData:
    """The repeat buyers' (x, m) reduced for the summed likelihood: per distinct x the
    buyers and Σ ln m; row by row only the repeat revenue x·m, whose ln(γ + x·m) moves with γ."""

    ux: Array
    xi: NDArray[np.intp]
    x_count: Array
    log_m: Array
    revenue: Array

    @classmethod
    def of(cls, x: Array, m: Array) -> _GammaGammaData:
        import numpy as np

        ux, xi = _codes(x)
        return cls(
            ux=ux,
            xi=xi,
            x_count=np.bincount(xi, minlength=ux.size).astype(np.float64),
            log_m=np.bincount(xi, weights=np.log(m), minlength=ux.size).astype(np.float64),
            revenue=x * m,
        )


def _gamma_gamma_total(params: GammaGamma, data: _GammaGammaData) -> tuple[float, Array]:
    """Σ ln f over the repeat buyers and its gradient in (p, q, gamma): `_gamma_gamma`
    summed, with every term but ln(γ + x·m) gathered per distinct x."""
    import numpy as np
    from scipy import special  # imported when used: SciPy costs a process start

    p, q, gamma = params.p, params.q, params.gamma
    ux, wx = data.ux, data.x_count
    n = float(wx.sum())
    shifted = gamma + data.revenue
    log_g = np.bincount(data.xi, weights=np.log(shifted), minlength=ux.size)
    inv_g = np.bincount(data.xi, weights=1.0 / shifted, minlength=ux.size)
    px = p * ux
    log_x = np.log(ux, where=ux > 0, out=np.zeros_like(ux))
    ll = (
        float(np.dot(wx, special.gammaln(px + q) - special.gammaln(px) + px * log_x))
        + n * (q * math.log(gamma) - special.gammaln(q))
        + float(np.dot(px - 1, data.log_m))
        - float(np.dot(px + q, log_g))
    )
    dg_pxq = special.digamma(px + q)
    grad = np.array(
        [
            float(np.dot(wx * ux, dg_pxq - special.digamma(px) + log_x))
            + float(np.dot(ux, data.log_m - log_g)),
            float(np.dot(wx, dg_pxq))
            + n * (math.log(gamma) - special.digamma(q))
            - float(log_g.sum()),
            n * q / gamma - float(np.dot(px + q, inv_g)),
        ]
    )
    return ll, grad


def _gamma_gamma_negative(x: Array, m: Array) -> Any:
    """−mean ln f over these repeat buyers and its gradient, in ln p, ln q and ln s."""
    import numpy as np

    data = _GammaGammaData.of(x, m)
    scale = 1.0 / x.size

    def negative(theta: Array) -> tuple[float, Array]:

        p, q, s = np.exp(theta)
        gamma = s / p
        ll, (g_p, g_q, g_gamma) = _gamma_gamma_total(GammaGamma(p, q, gamma), data)
        if not np.isfinite(ll):
            return 1e300, np.zeros_like(theta)
        # chain rule to (ln p, ln q, ln s) with gamma = s / p
        return -ll * scale, -np.array([g_p * p - g_gamma * gamma, g_q * q, g_gamma * gamma]) * scale

    return negative


def fit_gamma_gamma(
    summary: pl.DataFrame, *, start: GammaGamma | None = None, sample_from: int = SAMPLE_FROM
) -> Fit:
    """Maximum-likelihood Gamma-Gamma over the buyers with x > 0 and m > 0.

    Fitted in (p, q, s = p·gamma): a client's mean value per purchase is then InvGamma(q, s)
    whatever p, and p alone says how much single purchases vary around it (coefficient of
    variation 1/√p). When that variation is small beside the spread between clients (a
    portfolio whose tickets differ a hundredfold, as the demo's Pareto tickets do) the
    likelihood keeps rising as p grows: its supremum is the limit p → ∞, where the expected
    ticket of a repeat buyer is their own mean and a one-time buyer's is s/(q − 1). In the
    old (p, q, gamma) coordinates that limit is a ridge where gamma → 0 and the optimiser
    stopped "não convergiu"; here it is p resting on its upper bound with q and s fitted,
    kept as such (`GammaGamma.p_at_limit`), and the predictions equal the limit's to a
    fraction of a centavo."""
    import numpy as np

    buyers = summary.filter((pl.col(X) > 0) & (pl.col(M) > 0))
    clients = buyers.height
    if clients < MIN_REPEAT_BUYERS:
        return Fit(None, None, clients, False, words.FIT_FEW_REPEAT_BUYERS)
    x, m = (buyers.get_column(c).to_numpy().astype(np.float64) for c in (X, M))
    negative = _gamma_gamma_negative(x, m)

    def make(values: Array) -> GammaGamma:
        return GammaGamma(float(values[0]), float(values[1]), float(values[2] / values[0]))

    mean_m = float(np.mean(m))
    initial = (
        np.array([start.p, start.q, start.p * start.gamma])
        if start
        else np.array([1.0, 2.0, mean_m])
    )
    bounds = [(-LOG_BOUND, LOG_BOUND)] * 2 + [(-LOG_BOUND, LOG_BOUND + math.log(1 + mean_m))]
    if clients >= sample_from:
        every = slice(None, None, SAMPLE_STEP)
        fit = _fit_in_two_stages(
            negative,
            _gamma_gamma_negative(x[every], m[every]),
            initial,
            clients,
            make,
            lambda fitted: np.log([fitted.p, fitted.q, fitted.p * fitted.gamma]),
            bounds=bounds,
            limit=0,
        )
    else:
        fit = _fit(negative, initial, clients, make, bounds=bounds, limit=0)
    found = fit.params
    if isinstance(found, GammaGamma) and fit.ok and found.p > math.exp(LOG_BOUND - 2):
        # p ran toward the limit and the optimiser stopped where the slope got flat: when
        # the bound is at least as likely, the supremum is the limit p → ∞ (see above)
        s = found.p * found.gamma
        here = negative(np.log([found.p, found.q, s]))[0]
        there = negative(np.array([LOG_BOUND, math.log(found.q), math.log(s)]))[0]
        if there <= here:
            # q and s fitted again with p held at the limit: the optimiser stopped on a flat
            # ridge, short of their best values there
            def at_limit(theta: Array) -> tuple[float, Array]:
                import numpy as np

                value, grad = negative(np.array([LOG_BOUND, *theta]))
                return value, grad[1:]

            top = math.exp(LOG_BOUND)
            polished = _fit(
                at_limit,
                np.array([found.q, s]),
                clients,
                lambda v: GammaGamma(top, float(v[0]), float(v[1] / top)),
                bounds=bounds[1:],
            )
            if polished.ok and polished.log_likelihood is not None:
                fit = polished
            else:
                fit = Fit(GammaGamma(top, found.q, s / top), -there * clients, clients, True)
    if isinstance(fit.params, GammaGamma) and fit.params.q <= 1:
        return Fit(None, fit.log_likelihood, clients, False, words.FIT_NO_FINITE_MEAN)
    return fit


def fit(summary: pl.DataFrame, *, as_of: date, start: Forecast | None = None) -> Forecast:
    """Both fits: from `start`'s parameters when given (a warm start from the last fit), else
    from scratch (DECISIONS.md: `--refit` starts from scratch, so its time is a fit's cost)."""
    bg = start.bgnbd if start else None
    gg = start.gamma_gamma if start else None
    return Forecast(as_of, fit_bgnbd(summary, start=bg), fit_gamma_gamma(summary, start=gg))


# ---------------------------------------------------------------- per-client values


def p_alive(params: BgNbd, x: Array, t_x: Array, t_cal: Array) -> Array:
    """P(still a client | x, t_x, T): 1 for x = 0 (by construction of the model)."""
    import numpy as np

    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    xm = np.maximum(x, 1.0)
    with np.errstate(all="ignore"):
        log_div = (r + x) * np.log((alpha + t_cal) / (alpha + t_x)) + np.log(a / (b + xm - 1))
        return np.where(x == 0, 1.0, 1.0 / (1.0 + np.exp(log_div)))


_DENSE_CELLS = 8_000_000


def _pairs(x: Array, t_cal: Array) -> tuple[Array, Array, NDArray[np.intp]]:
    """The distinct (x, T) pairs and each row's index into them: a dense table over whole
    days (no sort) when x and T are whole numbers in a small range, else np.unique."""
    import numpy as np

    if x.size:
        xi, ti = x.astype(np.int64), t_cal.astype(np.int64)
        low, width = int(ti.min()), int(ti.max() - ti.min()) + 1
        size = (int(xi.max()) + 1) * width
        whole = np.array_equal(xi, x) and np.array_equal(ti, t_cal) and int(xi.min()) >= 0
        if whole and size <= _DENSE_CELLS:
            key = xi * width + (ti - low)
            present = np.zeros(size, dtype=bool)
            present[key] = True
            cells = np.flatnonzero(present)
            lookup = np.zeros(size, dtype=np.intp)
            lookup[cells] = np.arange(cells.size)
            return (
                (cells // width).astype(np.float64),
                (cells % width + low).astype(np.float64),
                lookup[key],
            )
    pairs, inverse = np.unique(np.stack([x, t_cal], axis=1), axis=0, return_inverse=True)
    return pairs[:, 0].copy(), pairs[:, 1].copy(), inverse.ravel()


def _alive_purchases(params: BgNbd, t: float, x: Array, t_cal: Array) -> Array:
    """Expected purchase days in (T, T + t] of a buyer still alive (a function of x and T)."""
    import numpy as np
    from scipy import special  # imported when used: SciPy costs a process start

    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    h_a, h_b, h_c = r + x, b + x, a + b + x - 1
    z = t / (alpha + t_cal + t)
    with np.errstate(all="ignore"):
        log_hyp = np.log(special.hyp2f1(h_a, h_b, h_c, z))
        bad = ~np.isfinite(log_hyp)
        if bad.any():  # Euler's transformation where the series overflows
            alt = np.log(special.hyp2f1(h_c - h_a, h_c - h_b, h_c, z))
            log_hyp = np.where(bad, alt + (h_c - h_a - h_b) * np.log(1 - z), log_hyp)
        first = (a + b + x - 1) / (a - 1)
        second = 1 - np.exp(log_hyp + (r + x) * np.log((alpha + t_cal) / (alpha + t_cal + t)))
        return np.asarray(first * second, dtype=np.float64)


def expected_purchases(params: BgNbd, t: float, x: Array, t_x: Array, t_cal: Array) -> Array:
    """Expected purchase days in (T, T + t] given (x, t_x, T) (Fader, Hardie & Lee eq. 10):
    the alive buyer's expectation, a function of (x, T) computed once per distinct pair, times
    P(alive)."""
    px, p_cal, inverse = _pairs(x, t_cal)
    return _alive_purchases(params, t, px, p_cal)[inverse] * p_alive(params, x, t_x, t_cal)


def expected_ticket(params: GammaGamma, x: Array, m: Array) -> Array:
    """E(mean value per purchase | x, m) = p(γ + x·m)/(p·x + q − 1); for x = 0, p·γ/(q − 1)."""
    import numpy as np

    p, q, gamma = params.p, params.q, params.gamma
    return np.asarray(p * (gamma + x * m) / (p * x + q - 1), dtype=np.float64)


def score(inputs: pl.DataFrame, forecast: Forecast | None) -> pl.DataFrame:
    """FORECAST_COLUMNS for each row of `inputs` (x, t_x, T, m; null for prospects), same order.

    Without a BG/NBD fit every column is null; without a Gamma-Gamma fit the ticket and the
    12-month value are. The hypergeometric terms run once per distinct (x, T).
    """
    import numpy as np

    bg = forecast.bgnbd if forecast else None
    gg = forecast.gamma_gamma if forecast else None
    n = inputs.height
    if bg is None or n == 0:
        return pl.DataFrame(
            [pl.Series(name, [None] * n, dtype) for name, dtype in FORECAST_COLUMNS.items()]
        )
    known = inputs.get_column(X).is_not_null().to_numpy()
    rows = inputs.filter(pl.Series(known)) if not known.all() else inputs
    x, t_x, t_cal, m = (
        rows.get_column(c).to_numpy().astype(np.float64) for c in (X, T_X, T_CAL, M)
    )
    alive = p_alive(bg, x, t_x, t_cal)
    px, p_cal, inverse = _pairs(x, t_cal)
    columns: dict[str, Array] = {
        P_ALIVE: alive,
        EXPECTED_ORDERS_90D: _alive_purchases(bg, HORIZON_DAYS, px, p_cal)[inverse] * alive,
    }
    if gg is not None:
        ticket = expected_ticket(gg, x, m)
        year = _alive_purchases(bg, YEAR_DAYS, px, p_cal)[inverse] * alive
        columns[EXPECTED_TICKET] = ticket
        columns[EXPECTED_VALUE_12M] = year * ticket
    out = []
    for name in FORECAST_COLUMNS:
        values = columns.get(name)
        full = np.full(n, np.nan)
        if values is not None:
            full[known] = values
        out.append(pl.Series(name, full).fill_nan(None))
    return pl.DataFrame(out)


# ---------------------------------------------------------------- explained


def _number(value: float, places: int) -> str:
    return f"{value:,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _money(reais: float) -> str:
    return f"R$ {_number(reais, 2)}"


def explain_lines(row: dict[str, Any], *, as_of: date) -> list[str]:
    """The forecast in plain pt-BR for `carteira explain` and the client card, with the numbers
    behind it. A one-time buyer's P(alive) is 1 by construction: shown as expected purchases,
    never as "100 %" (DECISIONS.md)."""
    first, last, days = (
        row.get(Col.FIRST_PURCHASE),
        row.get(Col.LAST_PURCHASE),
        row.get(Col.PURCHASE_DAYS),
    )
    if first is None or last is None or not days:
        return []  # a prospect: nothing to forecast
    alive, orders = row.get(P_ALIVE), row.get(EXPECTED_ORDERS_90D)
    if alive is None or orders is None:
        return [words.NO_FIT]
    since_first = (as_of - first).days
    since_last = (as_of - last).days
    if days == 1:
        head = words.one_purchase(since_first, _number(orders, 2))
    else:
        pace = since_first / days
        head = words.alive_chance(
            round(alive * 100), days, since_first, since_last, round(pace), _number(orders, 2)
        )
    lines = [head]
    ticket, value = row.get(EXPECTED_TICKET), row.get(EXPECTED_VALUE_12M)
    if ticket is not None and value is not None:
        lines.append(words.expected_value(_money(ticket), _money(value)))
    return lines


# ---------------------------------------------------------------- a caminho da inativação

HEADING_OUT_DROP = 0.2
"""A fall in p_alive of at least this much (0..1) between two runs raises the alert."""
HEADING_OUT_CLASSES = ("A",)
"""The valuable clients the alert watches: Curva ABC classes."""


HEADING_OUT = "heading_out"
"""The result column (and filter `a_caminho_da_inativacao`) of the clients the alert names."""


def _with_flag(
    current: pl.LazyFrame, previous: pl.LazyFrame | None, drop: float, *, aligned: bool = False
) -> pl.LazyFrame:
    """`current` with HEADING_OUT and `_before` (the previous run's p_alive), in its order;
    `aligned`: `previous` has the same ids in the same order (put beside, not joined)."""
    if previous is None:
        return current.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("_before"),
            pl.lit(None, dtype=pl.Boolean).alias(HEADING_OUT),
        )
    before = previous.select(ID_COLUMN, pl.col(P_ALIVE).alias("_before"))
    valuable = (
        pl.col("abc").is_in(HEADING_OUT_CLASSES)
        & ~pl.col("excluded").fill_null(False)
        & (pl.col(Col.PURCHASE_DAYS) >= 2)
    ).fill_null(False)
    # a hair under `drop`: 0.3 - 0.1 is 0.19999999999999998 in floating point
    fell = pl.col("_before") - pl.col(P_ALIVE) >= drop - 1e-9
    paired = (
        pl.concat([current, before.drop(ID_COLUMN)], how="horizontal")
        if aligned
        else current.join(before, on=ID_COLUMN, how="left", maintain_order="left")
    )
    return paired.with_columns(
        pl.when(pl.col(P_ALIVE).is_null() | pl.col("_before").is_null())
        .then(None)
        .otherwise(valuable & fell)
        .alias(HEADING_OUT)
    )


def with_heading_out(
    current: pl.LazyFrame,
    previous: pl.LazyFrame | None,
    *,
    drop: float = HEADING_OUT_DROP,
    aligned: bool = False,
) -> pl.LazyFrame:
    """`current` (a result: id, abc, excluded, purchase_days, p_alive) with HEADING_OUT, in its
    order: true for a valuable client (class A, not excluded) with at least one repeat purchase
    day whose chance of still being a client fell by `drop` or more since `previous` (id,
    p_alive); false for the others; null when there is no previous run or a p_alive is missing
    (now or before). The alert `heading_to_inactive` names exactly the true rows. `aligned`
    says `previous` has `current`'s ids in the same order (it is then put beside, not joined).

    One-time buyers are never true: their P(alive) is 1 by construction (DECISIONS.md).

    Only the columns the flag reads go through the join with `previous`; the flag is then put
    beside `current` (a result row carries some fifty columns: joining them all cost ~0.4 s
    at 1M clients).
    """
    names = current.collect_schema().names()
    needed = [ID_COLUMN, "abc", "excluded", Col.PURCHASE_DAYS, P_ALIVE]
    flag = _with_flag(current.select(needed), previous, drop, aligned=aligned).select(HEADING_OUT)
    beside = pl.concat([current.drop(HEADING_OUT, strict=False), flag], how="horizontal")
    return beside.select(names if HEADING_OUT in names else [*names, HEADING_OUT])


def heading_to_inactive(
    current: pl.LazyFrame, previous: pl.LazyFrame, *, kind: str, drop: float = HEADING_OUT_DROP
) -> pl.LazyFrame:
    """The clients `with_heading_out` marks: one alert row each (kind, id, owner_id, task_id,
    amount = revenue in centavos, pt-BR detail)."""
    return (
        _with_flag(current, previous, drop)
        .filter(pl.col(HEADING_OUT).fill_null(False))
        .select(
            pl.lit(kind).alias("kind"),
            ID_COLUMN,
            "owner_id",
            pl.lit(None, dtype=pl.Int64).alias("task_id"),
            pl.col(Col.MONETARY_CENTS).alias("amount"),
            pl.format(
                words.HEADING_OUT_DETAIL,
                (pl.col("_before") * 100).round(0).cast(pl.Int64),
                (pl.col(P_ALIVE) * 100).round(0).cast(pl.Int64),
            ).alias("detail"),
        )
    )
