"""The segmentation pipeline: base frame (clients + aggregates) in, per-client results out.

`segment_clients` applies engine.metrics' definitions in one lazy plan: money, recency, cycle,
overdue, status, r/f/m with the RFM segment map (the one place the table of DESIGN.md lives), ABC,
cooling, exclusion and the named segments. Called by services.segmentation on a full rebuild,
after an incremental patch of its cache, and for previews with other settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine import metrics
from carteira_tui.engine.cadence import LAST_INTERACTION, Contacts, cadence_expr
from carteira_tui.engine.forecast import FORECAST_COLUMNS, HEADING_OUT
from carteira_tui.engine.schema import (
    AGGREGATE_COLUMNS,
    BASE_SCHEMA,
    ID,
    RESULT_SCHEMA,
    check_schema,
)
from carteira_tui.engine.segments import CompiledSegment, segment_columns
from carteira_tui.model import Col, RfmSegment

_S = RfmSegment
_RFM_ROWS: dict[int, tuple[RfmSegment, ...]] = {
    # r: segment for f = 1, 2, 3, 4, 5 (DESIGN.md's table, row by row)
    5: (_S.NOVOS, _S.POTENCIAIS_LEAIS, _S.POTENCIAIS_LEAIS, _S.CAMPEOES, _S.CAMPEOES),
    4: (_S.PROMISSORES, _S.POTENCIAIS_LEAIS, _S.POTENCIAIS_LEAIS, _S.LEAIS, _S.LEAIS),
    3: (_S.QUASE_DORMINDO, _S.QUASE_DORMINDO, _S.PRECISAM_DE_ATENCAO, _S.LEAIS, _S.LEAIS),
    2: (_S.HIBERNANDO, _S.HIBERNANDO, _S.EM_RISCO, _S.EM_RISCO, _S.NAO_PODE_PERDER),
    1: (_S.HIBERNANDO, _S.HIBERNANDO, _S.EM_RISCO, _S.EM_RISCO, _S.NAO_PODE_PERDER),
}
RFM_MAP: dict[tuple[int, int], RfmSegment] = {
    (r, f): segment for r, row in _RFM_ROWS.items() for f, segment in enumerate(row, start=1)
}
"""DESIGN.md's (r, f) → RFM segment table: every one of the 25 pairs has exactly one name."""


_RFM_NAMES = pl.Series(
    [RFM_MAP[r, f].value for r in range(1, 6) for f in range(1, 6)], dtype=pl.String
)


def rfm_segment_expr() -> pl.Expr:
    """The RFM segment name of the (r, f) pair; null for prospects.

    One gather from the 25 names in (r, f) order: cheaper than mapping every row to a string.
    """
    index = (pl.col(Col.R) - 1) * 5 + (pl.col(Col.F) - 1)
    return pl.lit(_RFM_NAMES).gather(index)


def segment_clients(
    base: pl.LazyFrame,
    windows: pl.LazyFrame,
    *,
    as_of: date,
    settings: Settings,
    segments: Sequence[CompiledSegment] = (),
    contacts: Contacts | None = None,
    figures: metrics.Figures | None = None,
) -> pl.LazyFrame:
    """Every client's DESIGN.md metrics, scores, classes and named segment as of `as_of`.

    `base` has BASE_SCHEMA (aggregates null for prospects) and must already hold only orders up
    to `as_of`; `windows` holds per-client counts in the cooling windows (metrics.window_counts).
    With `contacts` the `cadence` column is computed too (`engine.cadence.cadence_expr`);
    without, it is left null. `figures` (`metrics.portfolio_figures` of all clients) class
    `base` as among all clients when it holds only some of them; by default they are
    `base`'s own.
    """
    check_schema(base, BASE_SCHEMA, "base")
    # Metrics are computed on a narrow frame (id, aggregates, exclusion flags) and put beside
    # the wide client columns, both in id order: sorting or joining the wide frame costs more
    # than the metrics. Only one select runs on the joined frame (the named segments read any
    # column): a with_columns there rechunks every column when the two sides' chunks differ
    # (a base with appended clients), a copy of the whole base.
    base = base.sort(ID)
    cents = pl.col(Col.MONETARY_CENTS)
    flags = list(metrics.EXCLUSION_COLUMNS.values())
    if figures is None:
        # the portfolio-wide figures the scores and classes compare with: one pass over the
        # clients (a sort per column); each row is then compared with them
        figures = metrics.figures_of(base, as_of=as_of, settings=settings)
    narrow = base.select(ID, *AGGREGATE_COLUMNS, *flags).join(
        windows, on=ID, how="left", maintain_order="left"
    )
    if contacts is not None:
        last = contacts.last_interactions.lazy().select(ID, LAST_INTERACTION)
        narrow = narrow.join(last, on=ID, how="left", maintain_order="left")
    scored = (
        narrow.with_columns(
            (cents.cast(pl.Float64) / 100).alias(Col.MONETARY),
            (cents.cast(pl.Float64) / pl.col(Col.FREQUENCY) / 100).alias(Col.AVG_TICKET),
            metrics.recency_expr(as_of).alias(Col.RECENCY_DAYS),
            metrics.cycle_expr().alias(Col.CYCLE_DAYS),
            pl.col(metrics.LAST_WINDOW).fill_null(0),
            pl.col(metrics.PREVIOUS_WINDOW).fill_null(0),
            metrics.exclusion_reason_expr(settings).alias(Col.EXCLUSION_REASON),
        )
        .with_columns(
            (pl.col(Col.RECENCY_DAYS) - pl.col(Col.CYCLE_DAYS)).alias(Col.OVERDUE_DAYS),
            metrics.status_expr(settings).alias(Col.STATUS),
            metrics.score_from_cuts(-pl.col(Col.RECENCY_DAYS), figures.r).alias(Col.R),
            metrics.score_from_cuts(pl.col(Col.FREQUENCY), figures.f).alias(Col.F),
            metrics.score_from_cuts(cents, figures.m).alias(Col.M),
            pl.col(Col.EXCLUSION_REASON).is_not_null().alias(Col.EXCLUDED),
        )
        .with_columns(
            rfm_segment_expr().alias(Col.RFM_SEGMENT),
            metrics.cooling_expr(settings).alias(Col.COOLING),
            metrics.abc_expr(figures.abc).alias(Col.ABC),
        )
        .drop(ID, *flags)
    )
    wide = base.drop(*AGGREGATE_COLUMNS).rename({Col.EXTERNAL_ID: Col.CLIENT_ID})
    named = dict(zip((Col.SEGMENT, "plan"), segment_columns(segments), strict=True))
    named.update({name: pl.lit(None).alias(name) for name in FORECAST_COLUMNS})  # service scores
    named[HEADING_OUT] = pl.lit(None).alias(HEADING_OUT)  # the service compares two runs
    if contacts is None:
        named["cadence"] = pl.lit(None).alias("cadence")
    else:
        cadence = cadence_expr(segments, contacts.cadences, as_of=as_of)
        named["cadence"] = cadence.alias("cadence")
    return pl.concat([wide, scored], how="horizontal").select(
        named.get(name, pl.col(name)).cast(dtype) for name, dtype in RESULT_SCHEMA.items()
    )


def empty_windows() -> pl.LazyFrame:
    """A windows frame with no rows (every client counts zero orders in both windows)."""
    return pl.LazyFrame(
        schema={ID: pl.Int64, metrics.LAST_WINDOW: pl.Int64, metrics.PREVIOUS_WINDOW: pl.Int64}
    )
