"""Responsáveis: who needs a new owner, and to whom each goes, balanced by capacity and value.

Called by `services.owners.assign`. Pure Polars over small frames:

- clients: `id`, `owner_id`, `pinned`, `segment`, `abc`, `monetary_cents`, `last_touch` (Date);
- owners: `owner_id`, `capacity`, `active`;
- pools: `segment`, `owner_id` (a segment with active owners in its pool goes only to them; any
  other segment goes to every active owner).

Balance is by value within each ABC class (clients with no class by count): each eligible
owner's share of the class's revenue follows their capacity. The clients to place are sorted by
value and dealt into "slots": an owner who should get n clients has slots at (j + ½)/n,
j = 0…n−1, so every owner draws evenly from the top, the middle and the tail of the class
(Sainte-Laguë apportionment; ties snake so equal owners alternate who goes first).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

import polars as pl

from carteira_tui.vocab import owners as words

ALL_OWNERS = "*"
"""The pool of a segment that has no pool of its own: every active owner."""
NO_CLASS = "-"
CLASS_OFFSET: dict[str, int] = {"A": 0, "B": 1, "C": 2, NO_CLASS: 3}


class Reason(StrEnum):
    """Why a client changes owner (`assignment_log.reason`)."""

    UNOWNED = "sem_responsavel"
    INACTIVE_OWNER = "responsavel_inativo"
    ROTATION = "giro"


REASON_LABELS: dict[str, str] = {
    Reason.UNOWNED: words.REASON_UNOWNED,
    Reason.INACTIVE_OWNER: words.REASON_INACTIVE_OWNER,
    Reason.ROTATION: words.REASON_ROTATION,
}

CLIENT_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "owner_id": pl.Int64(),
    "pinned": pl.Boolean(),
    "segment": pl.String(),
    "abc": pl.String(),
    "monetary_cents": pl.Int64(),
    "last_touch": pl.Date(),
}
OWNER_SCHEMA: dict[str, pl.DataType] = {
    "owner_id": pl.Int64(),
    "capacity": pl.Int64(),
    "active": pl.Boolean(),
}
POOL_SCHEMA: dict[str, pl.DataType] = {"segment": pl.String(), "owner_id": pl.Int64()}
CHANGE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "from_owner_id": pl.Int64(),
    "to_owner_id": pl.Int64(),
    "reason": pl.String(),
}


def _check(frame: pl.LazyFrame, schema: dict[str, pl.DataType], what: str) -> None:
    have = frame.collect_schema()
    missing = [name for name in schema if name not in have]
    if missing:
        raise ValueError(words.missing_columns(what, missing))


def _class_key() -> pl.Expr:
    return pl.col("abc").fill_null(NO_CLASS).alias("class_key")


def _weight() -> pl.Expr:
    """What is balanced: revenue within a class, one per client for clients with no class."""
    return (
        pl.when(pl.col("abc").is_null())
        .then(pl.lit(1, dtype=pl.Int64))
        .otherwise(pl.col("monetary_cents").fill_null(0).clip(lower_bound=1))
        .alias("weight")
    )


def pool_members(owners: pl.LazyFrame, pools: pl.LazyFrame) -> pl.LazyFrame:
    """Active owners per pool key (`pool_key`, `owner_id`, `capacity`), `*` holding them all."""
    active = owners.filter(pl.col("active")).select(
        "owner_id", pl.col("capacity").clip(lower_bound=1)
    )
    named = pools.select(pl.col("segment").alias("pool_key"), "owner_id").join(
        active, on="owner_id", how="inner"
    )
    everyone = active.select(pl.lit(ALL_OWNERS).alias("pool_key"), "owner_id", "capacity")
    return pl.concat([named, everyone], how="vertical").unique(["pool_key", "owner_id"])


def _with_pool_key(clients: pl.LazyFrame, members: pl.LazyFrame) -> pl.LazyFrame:
    keys = members.select("pool_key").unique().filter(pl.col("pool_key") != ALL_OWNERS)
    return clients.join(
        keys.with_columns(pl.col("pool_key").alias("segment")), on="segment", how="left"
    ).with_columns(pl.col("pool_key").fill_null(ALL_OWNERS))


def assignment_candidates(
    clients: pl.LazyFrame,
    owners: pl.LazyFrame,
    *,
    rotate: bool,
    as_of: date,
    idle_days: int,
) -> pl.LazyFrame:
    """Clients that need an owner, with the reason and the owner they must not go back to.

    Unowned clients and clients of an inactive owner (unless pinned) always; with `rotate`, also
    the unpinned clients of an active owner untouched since `as_of − idle_days` or never (the giro
    de carteira: no interaction, no task done, no assignment to that owner since).
    """
    _check(clients, CLIENT_SCHEMA, words.FRAME_CLIENTS)
    _check(owners, OWNER_SCHEMA, words.FRAME_OWNERS)
    active = owners.filter(pl.col("active")).select("owner_id", pl.lit(True).alias("owner_active"))
    idle_since = as_of - timedelta(days=idle_days)
    owner_active = pl.col("owner_active").fill_null(False)
    pinned = pl.col("pinned").fill_null(False)
    idle = pl.col("last_touch").is_null() | (pl.col("last_touch") <= pl.lit(idle_since))
    reason = (
        pl.when(pl.col("owner_id").is_null())
        .then(pl.lit(Reason.UNOWNED.value))
        .when(~owner_active & ~pinned)
        .then(pl.lit(Reason.INACTIVE_OWNER.value))
        .when(pl.lit(rotate) & owner_active & ~pinned & idle)
        .then(pl.lit(Reason.ROTATION.value))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("reason")
    )
    return (
        clients.join(active, on="owner_id", how="left")
        .with_columns(reason)
        .filter(pl.col("reason").is_not_null())
        .with_columns(
            pl.when(pl.col("reason") == Reason.ROTATION.value)
            .then(pl.col("owner_id"))
            .otherwise(pl.lit(None, dtype=pl.Int64))
            .alias("exclude_owner")
        )
        .drop("owner_active")
    )


def balanced_assignments(
    clients: pl.LazyFrame,
    candidates: pl.LazyFrame,
    owners: pl.LazyFrame,
    pools: pl.LazyFrame,
) -> pl.LazyFrame:
    """The new owner of each candidate (CHANGE_SCHEMA), balancing value per class by capacity.

    Each owner's load is what they keep (clients that are not candidates); the class's revenue in
    the pool is shared by capacity, each owner's shortfall from their share sets how many of the
    candidates they are dealt. Candidates with no eligible owner are left out (no change).
    """
    _check(pools, POOL_SCHEMA, "equipes")
    members = pool_members(owners, pools)
    candidate_ids = candidates.select("id", pl.lit(True).alias("is_candidate"))
    kept_loads = (
        clients.join(candidate_ids, on="id", how="left")
        .filter(pl.col("is_candidate").is_null() & pl.col("owner_id").is_not_null())
        .group_by("owner_id", _class_key())
        .agg(_weight().sum().alias("load"))
    )
    placing = _with_pool_key(candidates, members).with_columns(_class_key(), _weight())
    group = ["pool_key", "class_key", "exclude_owner"]

    # Each owner's shortfall from a capacity share of (kept load + value to place), per pool/class.
    to_place = placing.group_by("pool_key", "class_key").agg(pl.col("weight").sum().alias("new"))
    shortfall = (
        to_place.join(members, on="pool_key", how="inner")
        .join(kept_loads, on=["owner_id", "class_key"], how="left")
        .with_columns(pl.col("load").fill_null(0))
        .with_columns(
            (
                pl.col("capacity")
                / pl.col("capacity").sum().over("pool_key", "class_key")
                * (pl.col("load").sum().over("pool_key", "class_key") + pl.col("new"))
                - pl.col("load")
            )
            .clip(lower_bound=0.0)
            .alias("shortfall")
        )
        .select("pool_key", "class_key", "owner_id", "capacity", "shortfall")
    )

    # How many of each group's candidates every eligible owner gets (largest remainder).
    sizes = placing.group_by(group).agg(pl.len().alias("group_size"))
    eligible = sizes.join(shortfall, on=["pool_key", "class_key"], how="inner").filter(
        pl.col("exclude_owner").is_null() | (pl.col("owner_id") != pl.col("exclude_owner"))
    )
    total_shortfall = pl.col("shortfall").sum().over(group)
    share = (
        pl.when(total_shortfall > 0)
        .then(pl.col("shortfall") / total_shortfall)
        .otherwise(pl.col("capacity") / pl.col("capacity").sum().over(group))
    )
    quota = (pl.col("group_size") * share).alias("quota")
    # Ties (equal remainders, equal slot keys) go to owners in turn, starting one owner later
    # in each class, so the owner who got the extra A client does not also get the extra B one.
    class_offset = pl.col("class_key").replace_strict(
        CLASS_OFFSET, default=0, return_dtype=pl.Int64
    )
    order = pl.col("owner_id").rank(method="ordinal").over(group).cast(pl.Int64) - 1
    turn = ((order + class_offset) % pl.len().over(group).cast(pl.Int64) + 1).alias("order")
    counts = (
        eligible.with_columns(quota, turn)
        .with_columns(pl.col("quota").floor().cast(pl.Int64).alias("base"))
        .with_columns(
            (pl.col("group_size") - pl.col("base").sum().over(group)).alias("left"),
            pl.struct((pl.col("base") - pl.col("quota")).alias("neg_remainder"), pl.col("order"))
            .rank(method="ordinal")
            .over(group)
            .alias("remainder_rank"),
        )
        .with_columns(
            (pl.col("base") + (pl.col("remainder_rank") <= pl.col("left")).cast(pl.Int64)).alias(
                "n"
            ),
        )
        .filter(pl.col("n") > 0)
    )

    slots = (
        counts.select(*group, "owner_id", "n", "order", pl.int_ranges(0, pl.col("n")).alias("j"))
        .explode("j")
        .with_columns(
            ((pl.col("j") + 0.5) / pl.col("n")).alias("key"),
            pl.when(pl.col("j") % 2 == 0)
            .then(pl.col("order"))
            .otherwise(-pl.col("order"))
            .alias("tie"),
        )
        .with_columns(
            pl.struct("key", "tie").rank(method="ordinal").over(group).alias("slot"),
        )
        .select(*group, pl.col("owner_id").alias("to_owner_id"), "slot")
    )
    dealt = placing.with_columns(
        pl.struct((-pl.col("weight")).alias("neg_weight"), pl.col("id"))
        .rank(method="ordinal")
        .over(group)
        .alias("slot")
    )
    return (
        dealt.join(slots, on=[*group, "slot"], how="inner", nulls_equal=True)
        .select(
            "id",
            pl.col("owner_id").alias("from_owner_id"),
            "to_owner_id",
            "reason",
        )
        .filter(pl.col("from_owner_id").ne_missing(pl.col("to_owner_id")))
        .sort("id")
    )


def with_changes(clients: pl.LazyFrame, changes: pl.LazyFrame) -> pl.LazyFrame:
    """The clients with each change's new owner applied (for loads after a run or a preview)."""
    return (
        clients.join(changes.select("id", "to_owner_id"), on="id", how="left")
        .with_columns(pl.coalesce("to_owner_id", "owner_id").alias("owner_id"))
        .drop("to_owner_id")
    )


def owner_loads(clients: pl.LazyFrame, owners: pl.LazyFrame) -> pl.LazyFrame:
    """Per owner: clients, revenue, revenue per ABC class and each class's share of it.

    Columns `owner_id`, `clients`, `revenue_cents`, `revenue_a|b|c`, `share_a|b|c` (the owner's
    fraction of the class's revenue across all owners); owners with no client appear with zeros.
    """
    money = pl.col("monetary_cents").fill_null(0)
    per_owner = (
        clients.filter(pl.col("owner_id").is_not_null())
        .group_by("owner_id")
        .agg(
            pl.len().cast(pl.Int64).alias("clients"),
            money.sum().alias("revenue_cents"),
            *[money.filter(pl.col("abc") == c).sum().alias(f"revenue_{c.lower()}") for c in "ABC"],
        )
    )
    loads = owners.select("owner_id").join(per_owner, on="owner_id", how="left").fill_null(0)
    return loads.with_columns(
        *[
            (pl.col(f"revenue_{c}") / pl.col(f"revenue_{c}").sum())
            .fill_nan(0.0)
            .fill_null(0.0)
            .alias(f"share_{c}")
            for c in "abc"
        ]
    ).sort("owner_id")
