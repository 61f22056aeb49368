"""Ad-hoc benchmark of engine.assign and services.owners.assign (N clients, 50 owners)."""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine import assign
from carteira_tui.engine.schema import RESULT_SCHEMA
from carteira_tui.services.owners import assign as assign_service
from carteira_tui.store import cache
from carteira_tui.store.db import connect

AS_OF = date(2026, 4, 17)
OWNERS = 50


def portfolio(n: int, owned: bool) -> pl.DataFrame:
    ids = pl.int_range(1, n + 1, eager=True)
    frame = pl.DataFrame({"id": ids}).with_columns(
        (pl.col("id").hash(1) % OWNERS + 1).cast(pl.Int64).alias("owner_id")
        if owned
        else pl.lit(None, dtype=pl.Int64).alias("owner_id"),
        (pl.col("id") % 97 == 0).alias("pinned"),
        pl.col("id")
        .mod(5)
        .replace_strict(
            {
                0: "Ativos",
                1: "Inativos recentes",
                2: "Inativos antigos",
                3: "Prospects",
                4: "Clientes A em risco",
            },
            return_dtype=pl.String,
        )
        .alias("segment"),
        ((pl.col("id").hash(2) % 1_000_000) * (pl.col("id").hash(3) % 50 + 1))
        .cast(pl.Int64)
        .alias("monetary_cents"),
        (pl.lit(AS_OF) - pl.duration(days=(pl.col("id").hash(4) % 200).cast(pl.Int64))).alias(
            "last_touch"
        ),
    )
    ranked = frame.sort("monetary_cents", descending=True).with_columns(
        (pl.col("monetary_cents").cum_sum() - pl.col("monetary_cents")).alias("before")
    )
    total = int(ranked["monetary_cents"].sum())
    ranked = (
        ranked.with_columns(
            pl.when(pl.col("segment") == "Prospects")
            .then(None)
            .when(pl.col("before") < 0.8 * total)
            .then(pl.lit("A"))
            .when(pl.col("before") < 0.95 * total)
            .then(pl.lit("B"))
            .otherwise(pl.lit("C"))
            .alias("abc")
        )
        .drop("before")
        .sort("id")
    )
    return ranked.select(list(assign.CLIENT_SCHEMA))


def owners_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "owner_id": list(range(1, OWNERS + 1)),
            "capacity": [20_000 + 1000 * (i % 5) for i in range(OWNERS)],
            "active": [i != 7 for i in range(1, OWNERS + 1)],
        },
        schema=assign.OWNER_SCHEMA,
    )


def pools_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {"segment": ["Clientes A em risco"] * 5, "owner_id": [1, 2, 3, 4, 5]},
        schema=assign.POOL_SCHEMA,
    )


def engine_run(n: int, rotate: bool) -> None:
    clients = portfolio(n, owned=rotate)
    team = owners_frame()
    started = time.perf_counter()
    candidates = assign.assignment_candidates(
        clients.lazy(), team.lazy(), rotate=rotate, as_of=AS_OF, idle_days=60
    )
    changes = assign.balanced_assignments(
        clients.lazy(), candidates, team.lazy(), pools_frame().lazy()
    ).collect()
    seconds = time.perf_counter() - started
    loads = assign.owner_loads(
        assign.with_changes(clients.lazy(), changes.lazy()), team.lazy()
    ).collect()
    active = loads.filter(pl.col("owner_id") > 5, pl.col("owner_id") != 7).join(
        team.select("owner_id", "capacity"), on="owner_id"
    )
    off = {}
    for c in "abc":
        ratio = active[f"share_{c}"] / active["capacity"]
        off[c] = round(float(((ratio / ratio.mean()) - 1).abs().max()) * 100, 2)
    print(
        f"engine {'rotate' if rotate else 'assign'} n={n}: {changes.height} changes in"
        f" {seconds:.2f} s; worst owner off its capacity share of A/B/C revenue (%): {off}"
    )


def service_run(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        clients = portfolio(n, owned=False)
        with connect(db_path) as db, db.atomic():
            db.conn.executemany(
                "INSERT INTO owners(id, name, capacity, active) VALUES (?, ?, ?, ?)",
                [(r[0], f"Vendedor {r[0]}", r[1], int(r[2])) for r in owners_frame().rows()],
            )
            db.conn.executemany(
                "INSERT INTO owner_pools(segment, owner_id) VALUES (?, ?)", pools_frame().rows()
            )
            db.conn.executemany(
                "INSERT INTO clients(id, external_id, name) VALUES (?, ?, ?)",
                ((i, f"C{i:07d}", f"Cliente {i}") for i in range(1, n + 1)),
            )
        results = (
            pl.DataFrame({"id": clients["id"]})
            .with_columns(
                [pl.lit(None, dtype=t).alias(c) for c, t in RESULT_SCHEMA.items() if c != "id"]
            )
            .with_columns(clients.select("segment", "abc", "monetary_cents"))
            .select(list(RESULT_SCHEMA))
        )
        cache.write_arrow(
            cache.cache_dir(db_path) / "results.arrow",
            results,
            {"generation": "0", "as_of": AS_OF.isoformat()},
        )
        for dry in (True, False):
            done = assign_service(db_path, as_of=AS_OF, settings=Settings(), dry_run=dry)
            print(f"service assign n={n} dry_run={dry}: {done.moved} moved in {done.seconds:.2f} s")
        with connect(db_path) as db:
            # touch history: every client assigned today; move the clock 61 days to rotate
            pass
        done = assign_service(
            db_path,
            as_of=AS_OF + timedelta(days=61),
            settings=Settings(),
            rotate=True,
            idle_days=60,
            dry_run=True,
        )
        print(
            f"service rotate n={n} dry_run=True (61 days later):"
            f" {done.moved} moved in {done.seconds:.2f} s"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--engine-only", action="store_true")
    args = parser.parse_args()
    engine_run(args.clients, rotate=False)
    engine_run(args.clients, rotate=True)
    if not args.engine_only:
        service_run(args.clients)
