"""Forecast services: fit (or reuse) the BG/NBD + Gamma-Gamma parameters, check them on a
holdout, and score the per-client columns during re-segmentation.

DECISIONS.md "Forecast": a refit starts from scratch; the kept parameters are used until a
refit is asked for or the kept fit is more than 7 days older than the date asked for; a refit
never runs inside an import (re-segmentation only scores with kept parameters).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from sqlite_utils import Database

from carteira_tui.engine import forecast as model
from carteira_tui.errors import CarteiraError
from carteira_tui.model import FIRST_DAY_CENTS, ID, Col
from carteira_tui.store import forecast as store
from carteira_tui.store.audit import write_audit
from carteira_tui.store.cache import Cache
from carteira_tui.store.db import connect, generation, is_read_only
from carteira_tui.store.orders import read_orders
from carteira_tui.vocab import forecast as words

KEEP_DAYS = 7
HOLDOUT_GROUPS = 7
"""Holdout rows per number of repeat days 0..6 and one for 7 or more."""


class ForecastError(CarteiraError, ValueError):
    """A request the forecast cannot fulfil, with a pt-BR message."""


@dataclass(frozen=True)
class HoldoutRow:
    """Buyers with `repeat_days` repeat days before the holdout (the last row: that many or
    more), their mean actual purchase days in the holdout and the model's mean prediction."""

    repeat_days: int
    clients: int
    actual: float
    predicted: float


@dataclass(frozen=True)
class ForecastRun:
    """A fit (new or kept), when it was made, and the holdout check when one was asked."""

    forecast: model.Forecast
    fitted_at: str | None
    reused: bool
    holdout_from: date | None = None
    holdout: tuple[HoldoutRow, ...] = ()


def _to_row(forecast: model.Forecast, current: int) -> dict[str, Any]:
    bg, gg = forecast.purchases, forecast.value
    row: dict[str, Any] = {
        "as_of": forecast.as_of.isoformat(),
        "generation": current,
        "bg_log_likelihood": bg.log_likelihood,
        "bg_clients": bg.clients,
        "bg_converged": int(bg.converged),
        "bg_problem": bg.problem,
        "gg_log_likelihood": gg.log_likelihood,
        "gg_clients": gg.clients,
        "gg_converged": int(gg.converged),
        "gg_problem": gg.problem,
    }
    if isinstance(bg.params, model.BgNbd):
        row.update(r=bg.params.r, alpha=bg.params.alpha, a=bg.params.a, b=bg.params.b)
    if isinstance(gg.params, model.GammaGamma):
        row.update(p=gg.params.p, q=gg.params.q, gamma=gg.params.gamma)
    return row


def _from_row(row: dict[str, Any]) -> model.Forecast:
    bg_params = (
        model.BgNbd(row["r"], row["alpha"], row["a"], row["b"]) if row["r"] is not None else None
    )
    gg_params = model.GammaGamma(row["p"], row["q"], row["gamma"]) if row["p"] is not None else None
    return model.Forecast(
        date.fromisoformat(row["as_of"]),
        model.Fit(
            bg_params,
            row["bg_log_likelihood"],
            row["bg_clients"],
            bool(row["bg_converged"]),
            row["bg_problem"],
        ),
        model.Fit(
            gg_params,
            row["gg_log_likelihood"],
            row["gg_clients"],
            bool(row["gg_converged"]),
            row["gg_problem"],
        ),
    )


def kept(db: Database) -> tuple[model.Forecast, str] | None:
    """The newest kept fit and when it was made (UTC ISO), or None."""
    row = store.latest_fit(db)
    return None if row is None else (_from_row(row), str(row["fitted_at"]))


def kept_id(db: Database) -> int | None:
    """The id of the newest kept fit (None without one): results scored with it are current."""
    row = store.latest_fit(db)
    return None if row is None else int(row["id"])


def _cached_spans(db: Database, db_path: Path, as_of: date) -> pl.DataFrame | None:
    """`store.read_inputs`' frame from the segmentation base cache when it is current (tens of
    milliseconds at 1M clients, against seconds from SQLite), else None."""
    base = Cache(db_path).spans(db)
    if base is None:
        return None
    first = pl.col(Col.FIRST_PURCHASE)
    return base.filter(pl.col(Col.PURCHASE_DAYS) > 0).select(
        Col.PURCHASE_DAYS,
        (pl.col(Col.LAST_PURCHASE) - first).dt.total_days().cast(pl.Int64).alias("t_x"),
        (pl.lit(as_of) - first).dt.total_days().cast(pl.Int64).alias("T"),
        (pl.col(Col.MONETARY_CENTS) - pl.col(FIRST_DAY_CENTS).fill_null(0)).alias("repeat_cents"),
    )


def _summary(db: Database, as_of: date, db_path: Path | None = None) -> pl.DataFrame:
    """x, t_x, T, m of every buyer as of `as_of`: from the kept aggregates when no purchase is
    after `as_of` (one row per buyer: the segmentation base cache's when it is current, else
    SQLite's), else from the orders up to it."""
    latest = store.last_purchase(db)
    if latest is not None and latest <= as_of.isoformat():
        spans = None if db_path is None else _cached_spans(db, db_path, as_of)
        if spans is None:
            spans = store.read_inputs(db, as_of.isoformat())
        return model.summary_from_spans(spans)
    return model.summary_from_orders(read_orders(db).lazy(), as_of=as_of)


def _summary_meanwhile(db_path: Path, as_of: date) -> pl.DataFrame:
    """`_summary` read by a thread on its own connection while this one loads SciPy for the
    fit: the read spends its time inside SQLite and NumPy, which release the GIL, and the
    import would otherwise wait for it (DECISIONS.md: process start counts in the targets)."""

    def read() -> pl.DataFrame:
        with connect(db_path) as own:
            return _summary(own, as_of, db_path)

    with ThreadPoolExecutor(max_workers=1) as pool:
        summary = pool.submit(read)
        model.load_scipy()
        return summary.result()


def _holdout(db: Database, start: date, end: date) -> tuple[model.Forecast, list[HoldoutRow]]:
    if end <= start:
        raise ForecastError(words.HOLDOUT_BEFORE_AS_OF)
    orders = read_orders(db)
    summary = model.summary_from_orders(orders.lazy(), as_of=start)
    forecast = model.fit(summary, as_of=start)
    bg = forecast.bgnbd
    if bg is None:
        return forecast, []
    actual = (
        orders.lazy()
        .filter(
            (pl.col(Col.DATE) > start) & (pl.col(Col.DATE) <= end) & (pl.col(Col.AMOUNT_CENTS) >= 0)
        )
        .group_by(Col.CLIENT_ID)
        .agg(pl.col(Col.DATE).n_unique().alias("actual"))
        .collect()
    )
    x, t_x, t_cal = (summary.get_column(c).to_numpy() for c in (model.X, model.T_X, model.T_CAL))
    predicted = model.expected_purchases(bg, float((end - start).days), x, t_x, t_cal)
    table = (
        summary.with_columns(pl.Series("predicted", predicted))
        .join(actual, on=Col.CLIENT_ID, how="left")
        .with_columns(
            pl.col("actual").fill_null(0),
            pl.col(model.X).clip(upper_bound=HOLDOUT_GROUPS).cast(pl.Int64).alias("group"),
        )
        .group_by("group")
        .agg(
            pl.len().alias("clients"),
            pl.col("actual").mean().alias("actual"),
            pl.col("predicted").mean().alias("predicted"),
        )
        .sort("group")
    )
    rows = [
        HoldoutRow(int(g), int(n), float(a), float(p))
        for g, n, a, p in table.select("group", "clients", "actual", "predicted").iter_rows()
    ]
    return forecast, rows


def forecast(
    db_path: Path,
    *,
    as_of: date,
    refit: bool = False,
    holdout_from: date | None = None,
) -> ForecastRun:
    """The fit as of `as_of`: the kept one when it may be reused, else a new fit, kept when
    the purchase model could be fitted (and the database is writable).

    With `holdout_from` the model is fitted on the orders up to that date (not kept) and its
    predicted purchase days in (holdout_from, as_of] are compared with the actual ones.
    """
    with connect(db_path) as db:
        if holdout_from is not None:
            fitted, rows = _holdout(db, holdout_from, as_of)
            return ForecastRun(fitted, None, False, holdout_from, tuple(rows))
        previous = kept(db)
        if previous is not None and not refit:
            fit, fitted_at = previous
            if abs((as_of - fit.as_of).days) <= KEEP_DAYS:
                return ForecastRun(fit, fitted_at, True)
        warm = previous[0] if previous is not None and not refit else None
        fit = model.fit(_summary_meanwhile(db_path, as_of), as_of=as_of, start=warm)
        if is_read_only() or fit.bgnbd is None:
            # a fit that could not be made is reported, not kept: the last good one (if any)
            # stays in use, and without one the columns stay null
            return ForecastRun(fit, None, False)
        with db.atomic():
            row = _to_row(fit, generation(db))
            fit_id = store.save_fit(db, row)
            write_audit(
                db,
                action="forecast_fit",
                entity="forecast_fits",
                entity_id=fit_id,
                summary=words.audit_fitted(as_of.isoformat()),
                after={k: v for k, v in row.items() if v is not None},
            )
        stored = store.latest_fit(db)
    return ForecastRun(fit, None if stored is None else str(stored["fitted_at"]), False)


SCORED_INPUTS = (
    Col.FIRST_PURCHASE,
    Col.LAST_PURCHASE,
    Col.FREQUENCY,
    Col.MONETARY_CENTS,
    Col.PURCHASE_DAYS,
)
"""The result columns a client's forecast depends on (with the first-day revenue, which moves
only with a purchase on that day, so with the frequency, while orders are only added)."""

RESCORE_SHARE = 0.2
"""Beyond this share of changed clients, everyone is scored again (as cheap by then)."""


def _changed_rows(frame: pl.DataFrame, previous: pl.DataFrame) -> pl.Series | None:
    """Row numbers of `frame` whose SCORED_INPUTS differ from `previous` (same ids first, in
    the same order; new clients after them), None when the two cannot be matched so."""
    ids, old_ids = frame.get_column(ID), previous.get_column(ID)
    if frame.height < previous.height or not ids.head(previous.height).equals(old_ids):
        return None
    head = frame.head(previous.height)
    differs = pl.repeat(False, previous.height, eager=True)
    for name in SCORED_INPUTS:
        differs = differs | head.get_column(name).ne_missing(previous.get_column(name))
    changed = differs.arg_true().cast(pl.Int64)
    added = pl.int_range(previous.height, frame.height, dtype=pl.Int64, eager=True)
    rows: pl.Series = pl.concat([changed, added])
    return rows


def with_forecast(
    db: Database,
    frame: pl.DataFrame,
    *,
    as_of: date,
    first_day: pl.DataFrame | None = None,
    previous: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """`frame` (a segmentation result, keyed by `id`) with FORECAST_COLUMNS scored from the
    kept fit; left null when there is none (a fit is `carteira forecast`'s job, never an
    import's). The only place re-segmentation touches the forecast.

    `first_day` is (id, first_day_cents), as the segmentation base carries it; read from
    `client_first_day` when not given. Taken column-wise when its ids are the frame's.

    `previous` (id, SCORED_INPUTS, FORECAST_COLUMNS) is a run scored with the same fit as of
    the same date (the caller knows): only the clients whose inputs changed since (a small
    import) are scored again, the others keep its values (DECISIONS.md "Forecast")."""
    fitted = kept(db)
    if fitted is None or fitted[0].bgnbd is None or frame.height == 0:
        return frame
    rows = None if previous is None else _changed_rows(frame, previous)
    if previous is not None and rows is not None and rows.len() <= RESCORE_SHARE * frame.height:
        part = frame.select(pl.all().gather(rows))
        part_first = (
            None if first_day is None else first_day.join(part.select(ID), on=ID, how="semi")
        )
        again = with_forecast(db, part, as_of=as_of, first_day=part_first)
        extra = frame.height - previous.height
        return frame.with_columns(
            pl.concat([previous.get_column(name), pl.repeat(None, extra, dtype=dtype, eager=True)])
            .scatter(rows, again.get_column(name))
            .alias(name)
            for name, dtype in model.FORECAST_COLUMNS.items()
        )
    if first_day is None:
        first_day = store.read_first_day(db).rename({Col.CLIENT_ID: ID})
    columns = frame.select(
        ID, Col.FIRST_PURCHASE, Col.LAST_PURCHASE, Col.PURCHASE_DAYS, Col.MONETARY_CENTS
    )
    if first_day.height == frame.height and first_day.get_column(ID).equals(frame.get_column(ID)):
        columns = columns.with_columns(first_day.get_column(FIRST_DAY_CENTS))
    else:
        columns = columns.join(first_day, on=ID, how="left", maintain_order="left")
    inputs = columns.with_columns(pl.col(FIRST_DAY_CENTS).fill_null(0)).select(
        model.input_exprs(FIRST_DAY_CENTS, as_of=as_of)
    )
    scored = model.score(inputs, fitted[0])
    return frame.with_columns(scored.get_column(name) for name in model.FORECAST_COLUMNS)


def expected_revenue_expr() -> pl.Expr:
    """Expected revenue in the next 90 days of a group of result rows (reais): the sum of
    expected purchase days × expected ticket; null when no row has a forecast."""
    each = pl.col(model.EXPECTED_ORDERS_90D) * pl.col(model.EXPECTED_TICKET)
    return pl.when(each.is_not_null().any()).then(each.sum()).otherwise(None)
