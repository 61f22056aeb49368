"""Per-client order aggregates: the one pass over orders that segmentation builds on.

Called by the import service (for the clients an import touched) and by the full rebuild
(every client, or orders up to a past `as_of`). DESIGN.md: purchase days are the distinct dates
on which a client has purchases; monetary is the sum of amounts (integer centavos here), net of
returns. A return (negative amount) lowers monetary and is never a purchase: it counts in none
of first/last purchase, frequency or purchase days. A client whose only orders are returns has
no purchase, so no aggregate row (a prospect).

An import that only adds orders moves the stored aggregates by its own rows instead
(`aggregates_after_adding`, fed the few stored days `days_to_look_up` names): the same values
as `order_aggregates` over all the orders, without reading them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from carteira_tui.model import DAY_CENTS, FIRST_DAY_CENTS, Col

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
    purchase_day = pl.col(Col.DATE).filter(is_purchase())
    return (
        orders.group_by(Col.CLIENT_ID)
        .agg(
            purchase_day.min().alias(Col.FIRST_PURCHASE),
            purchase_day.max().alias(Col.LAST_PURCHASE),
            is_purchase().sum().cast(pl.Int64).alias(Col.FREQUENCY),
            pl.col(Col.AMOUNT_CENTS).sum().cast(pl.Int64).alias(Col.MONETARY_CENTS),
            # distinct days counted on the physical day number: over twice as fast as on Date
            purchase_day.to_physical().n_unique().cast(pl.Int64).alias(Col.PURCHASE_DAYS),
        )
        .filter(pl.col(Col.FREQUENCY) > 0)
    )


def first_day_revenue(
    parts: Sequence[pl.DataFrame], aggregates: pl.DataFrame, *, key: str = Col.CLIENT_ID
) -> pl.DataFrame:
    """(key, first_day_cents): the revenue of the purchases (returns are not) on the first
    purchase day of each client of `aggregates` (keyed by `key`, as `order_aggregates` of the
    same orders) with more than one purchase day; the others have no row (their m is 0)."""
    parts = [part for part in parts if part.height]
    if not parts:
        return pl.DataFrame(schema={key: pl.Int64, FIRST_DAY_CENTS: pl.Int64})
    firsts = (
        aggregates.lazy()
        .filter(pl.col(Col.PURCHASE_DAYS) > 1)
        .select(pl.col(key).alias(Col.CLIENT_ID), pl.col(Col.FIRST_PURCHASE).alias(Col.DATE))
    )
    return (
        pl.concat([part.lazy().select(list(ORDER_SCHEMA)) for part in parts])
        .filter(is_purchase())
        .join(firsts, on=[Col.CLIENT_ID, Col.DATE], how="semi")
        .group_by(Col.CLIENT_ID)
        .agg(pl.col(Col.AMOUNT_CENTS).sum().cast(pl.Int64).alias(FIRST_DAY_CENTS))
        .rename({Col.CLIENT_ID: key})
        .collect()
    )


_NEW_CENTS = "_added_cents"
_KNOWN_DAY = "_known_day"


def days_to_look_up(stored: pl.DataFrame, added: pl.DataFrame) -> pl.DataFrame:
    """(client_id, date): the days whose stored purchases `aggregates_after_adding` needs for
    adding `added` to the clients of `stored` (their aggregate rows).

    They are each added purchase's day within the client's stored first..last purchase (outside
    it the client bought nothing before), and the stored first purchase day of each client
    with no added purchase before it (it stays the first day, whose revenue forecast's m
    needs). Added orders of clients not in `stored` ask for nothing."""
    bounds = stored.select(Col.CLIENT_ID, Col.FIRST_PURCHASE, Col.LAST_PURCHASE)
    purchases = added.filter(is_purchase()).select(Col.CLIENT_ID, Col.DATE)
    within = purchases.join(bounds, on=Col.CLIENT_ID, how="inner").filter(
        pl.col(Col.DATE).is_between(pl.col(Col.FIRST_PURCHASE), pl.col(Col.LAST_PURCHASE))
    )
    earlier = purchases.join(bounds, on=Col.CLIENT_ID, how="inner").filter(
        pl.col(Col.DATE) < pl.col(Col.FIRST_PURCHASE)
    )
    first_days = bounds.join(earlier, on=Col.CLIENT_ID, how="anti").select(
        Col.CLIENT_ID, pl.col(Col.FIRST_PURCHASE).alias(Col.DATE)
    )
    return (
        pl.concat([within.select(Col.CLIENT_ID, Col.DATE), first_days])
        .unique()
        .sort(Col.CLIENT_ID, Col.DATE)
    )


def aggregates_after_adding(
    stored: pl.DataFrame, stored_days: pl.DataFrame, added: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The aggregates and first-day revenue of the clients of `stored` once `added` orders join
    theirs: what `order_aggregates` and `first_day_revenue` give over all of their orders, from
    their stored aggregates and a few of their days, without reading the orders.

    `stored`: the clients' aggregate rows (AGGREGATE_SCHEMA), each with a purchase (a client
    without a row is not handled here). `stored_days`: (client_id, date, DAY_CENTS), the stored
    purchase revenue of a client on a day it bought on, for at least the days
    `days_to_look_up(stored, added)` names (a day without a row: no stored purchase then).
    `added`: the new orders (ORDER_SCHEMA); those of clients not in `stored` are left out.

    DESIGN.md "return": an added return only lowers monetary. An added purchase moves first
    and last purchase, counts in frequency, and adds a purchase day unless the client had
    bought that day. The first-day revenue (repeat buyers only) is the stored and the added
    purchases on the first day.
    """
    key = [Col.CLIENT_ID, Col.DATE]
    added = added.join(stored.select(Col.CLIENT_ID), on=Col.CLIENT_ID, how="semi")
    known = stored_days.select(*key, pl.lit(True).alias(_KNOWN_DAY))
    new_days = (
        added.filter(is_purchase())
        .group_by(key)
        .agg(pl.col(Col.AMOUNT_CENTS).sum().alias(_NEW_CENTS))
        .join(known, on=key, how="left")
    )
    purchase_day = pl.col(Col.DATE).filter(is_purchase())
    per_client = added.group_by(Col.CLIENT_ID).agg(
        purchase_day.min().alias("_first"),
        purchase_day.max().alias("_last"),
        is_purchase().sum().cast(pl.Int64).alias("_frequency"),
        pl.col(Col.AMOUNT_CENTS).sum().cast(pl.Int64).alias("_monetary"),
    )
    days_added = (
        new_days.filter(pl.col(_KNOWN_DAY).is_null())
        .group_by(Col.CLIENT_ID)
        .agg(pl.len().cast(pl.Int64).alias("_days"))
    )
    aggregates = (
        stored.join(per_client, on=Col.CLIENT_ID, how="left")
        .join(days_added, on=Col.CLIENT_ID, how="left")
        .select(
            Col.CLIENT_ID,
            pl.min_horizontal(Col.FIRST_PURCHASE, "_first").alias(Col.FIRST_PURCHASE),
            pl.max_horizontal(Col.LAST_PURCHASE, "_last").alias(Col.LAST_PURCHASE),
            (pl.col(Col.FREQUENCY) + pl.col("_frequency").fill_null(0)).alias(Col.FREQUENCY),
            (pl.col(Col.MONETARY_CENTS) + pl.col("_monetary").fill_null(0)).alias(
                Col.MONETARY_CENTS
            ),
            (pl.col(Col.PURCHASE_DAYS) + pl.col("_days").fill_null(0)).alias(Col.PURCHASE_DAYS),
        )
        .cast(AGGREGATE_SCHEMA)  # type: ignore[arg-type]
    )
    first_day = (
        aggregates.filter(pl.col(Col.PURCHASE_DAYS) > 1)
        .select(Col.CLIENT_ID, pl.col(Col.FIRST_PURCHASE).alias(Col.DATE))
        .join(stored_days.select(*key, DAY_CENTS), on=key, how="left")
        .join(new_days.select(*key, _NEW_CENTS), on=key, how="left")
        .select(
            Col.CLIENT_ID,
            (pl.col(DAY_CENTS).fill_null(0) + pl.col(_NEW_CENTS).fill_null(0))
            .cast(pl.Int64)
            .alias(FIRST_DAY_CENTS),
        )
    )
    return aggregates, first_day


def is_purchase() -> pl.Expr:
    """DESIGN.md "return": an order is a purchase unless its amount is negative (zero is one)."""
    return pl.col(Col.AMOUNT_CENTS) >= 0


PAIR_SORTED = (Col.DATE, Col.CLIENT_ID)
"""The order `order_aggregates_of_sorted` needs each part in: by date, then client."""

_KEY_SHIFT = 1 << 32


def order_aggregates_of_sorted(parts: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """`order_aggregates` of the parts' orders together, each part sorted by PAIR_SORTED.

    Purchase days (distinct dates per client) are the rows whose (date, client) differs from
    the row before in the first part, and, in the later parts (a few imports' worth), the pairs
    found neither in the first part (a binary search on its sorted pair keys) nor earlier among
    themselves; no distinct count per client, which costs more than the rest of the pass.
    Falls back to `order_aggregates` when the first part is not in that order (checked on its
    pair keys) or a client id is outside 0..2³²−1 (the pair key's range).
    """
    parts = [part for part in parts if part.height]
    returns = [part.filter(~is_purchase()) for part in parts]
    if any(part.height for part in returns):
        # Filtering keeps each part's order; the returns only move monetary, added afterwards.
        purchases = order_aggregates_of_sorted([part.filter(is_purchase()) for part in parts])
        refunded = (
            pl.concat(returns)
            .group_by(Col.CLIENT_ID)
            .agg(pl.col(Col.AMOUNT_CENTS).sum().alias("_returned"))
        )
        return (
            purchases.join(refunded, on=Col.CLIENT_ID, how="left", maintain_order="left")
            .select(
                *(name for name in AGGREGATE_SCHEMA if name != Col.MONETARY_CENTS),
                (pl.col(Col.MONETARY_CENTS) + pl.col("_returned").fill_null(0))
                .cast(pl.Int64)
                .alias(Col.MONETARY_CENTS),
            )
            .select(list(AGGREGATE_SCHEMA))
        )
    if not parts:
        return order_aggregates(pl.LazyFrame(schema=ORDER_SCHEMA)).collect()
    ids = pl.concat([part.select(Col.CLIENT_ID) for part in parts]).get_column(Col.CLIENT_ID)
    low, high = ids.min(), ids.max()
    if not (isinstance(low, int) and isinstance(high, int) and low >= 0 and high < _KEY_SHIFT):
        return order_aggregates(pl.concat(parts).lazy()).collect()
    client, day = pl.col(Col.CLIENT_ID), pl.col(Col.DATE)
    key = (day.to_physical().cast(pl.Int64) * _KEY_SHIFT + client).alias("_key")
    first, rest = parts[0], parts[1:]
    first_keys = first.select(key).get_column("_key")
    if first_keys.null_count() or not first_keys.is_sorted():
        return order_aggregates(pl.concat(parts).lazy()).collect()  # not in PAIR_SORTED order
    new_pair = ((client != client.shift(1)) | (day != day.shift(1))).fill_null(True)
    flagged = [first.lazy().with_columns(new_pair.alias("_new"))]
    if rest:
        later = pl.concat(rest)
        keys = later.select(key).get_column("_key")
        if keys.null_count():
            return order_aggregates(pl.concat(parts).lazy()).collect()
        at = first_keys.search_sorted(keys).clip(upper_bound=first.height - 1)
        seen = first_keys.gather(at) == keys
        flagged.append(later.lazy().with_columns((~seen & keys.is_first_distinct()).alias("_new")))
    return (
        pl.concat(flagged)
        .group_by(Col.CLIENT_ID)
        .agg(
            day.min().alias(Col.FIRST_PURCHASE),
            day.max().alias(Col.LAST_PURCHASE),
            pl.len().cast(pl.Int64).alias(Col.FREQUENCY),
            pl.col(Col.AMOUNT_CENTS).sum().cast(pl.Int64).alias(Col.MONETARY_CENTS),
            pl.col("_new").sum().cast(pl.Int64).alias(Col.PURCHASE_DAYS),
        )
        .collect(engine="in-memory")
    )
