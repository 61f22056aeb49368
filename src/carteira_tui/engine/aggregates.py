"""Per-client order aggregates: the one pass over orders that segmentation builds on.

Called by the import service (for the clients an import touched) and by the full rebuild
(every client, or orders up to a past `as_of`). DESIGN.md: purchase days are the distinct dates
on which a client has orders; monetary is the sum of amounts (integer centavos here).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from carteira_tui.model import Col

ORDER_SCHEMA: dict[str, type[pl.DataType]] = {
    Col.CLIENT_ID: pl.Int64,
    Col.DATE: pl.Date,
    Col.AMOUNT_CENTS: pl.Int64,
}

AGGREGATE_SCHEMA: dict[str, type[pl.DataType]] = {
    Col.CLIENT_ID: pl.Int64,
    Col.FIRST_PURCHASE: pl.Date,
    Col.LAST_PURCHASE: pl.Date,
    Col.FREQUENCY: pl.Int64,
    Col.MONETARY_CENTS: pl.Int64,
    Col.PURCHASE_DAYS: pl.Int64,
}


def order_aggregates(orders: pl.LazyFrame, *, up_to: date | None = None) -> pl.LazyFrame:
    """One row per client with orders: first/last purchase, frequency, monetary, purchase days.

    `up_to` keeps only orders on or before that date (segmenting as of a past date).
    """
    if up_to is not None:
        orders = orders.filter(pl.col(Col.DATE) <= up_to)
    return orders.group_by(Col.CLIENT_ID).agg(
        pl.col(Col.DATE).min().alias(Col.FIRST_PURCHASE),
        pl.col(Col.DATE).max().alias(Col.LAST_PURCHASE),
        pl.len().cast(pl.Int64).alias(Col.FREQUENCY),
        pl.col(Col.AMOUNT_CENTS).sum().cast(pl.Int64).alias(Col.MONETARY_CENTS),
        # distinct days counted on the physical day number: over twice as fast as on Date
        pl.col(Col.DATE).to_physical().n_unique().cast(pl.Int64).alias(Col.PURCHASE_DAYS),
    )
