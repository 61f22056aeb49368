"""Benchmark of task generation and queue listing on a synthetic portfolio.

    .venv/bin/python benchmarks/tasks_bench.py --clients 100000 [--uncapped]

Builds a fresh SQLite file with N clients spread over 50 owners, a synthetic segmentation frame
(statuses, ABC, overdue repurchase, cooling, birthdays, delinquency), then times
`generate_tasks` (first run; the next day: new tasks only, urgency refreshed; the same day again)
and `list_tasks` (whole queue top 50, one owner's, one owner's due today). Owners have the
default capacity (500 open tasks each); `--uncapped` creates every task the plans call for.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.services.tasks import generate_tasks, list_tasks
from carteira_tui.services.today import today_queue
from carteira_tui.store.db import connect

AS_OF = date(2026, 4, 17)


def synthetic_results(n: int) -> pl.LazyFrame:
    ids = pl.int_range(1, n + 1, eager=True)
    frame = pl.DataFrame({"id": ids}).with_columns(
        pl.col("id")
        .mod(4)
        .replace_strict(
            {0: "ativo", 1: "inativo_recente", 2: "inativo_antigo", 3: "prospect"},
            return_dtype=pl.String,
        )
        .alias("status"),
        pl.col("id")
        .mod(10)
        .replace_strict(
            {0: "A", 1: "A", 2: "B", 3: "B", 4: "B"}, default="C", return_dtype=pl.String
        )
        .alias("abc"),
        ((pl.col("id").mod(7) - 3) * 10).cast(pl.Float64).alias("overdue_days"),
        (pl.col("id").mod(11) == 0).alias("cooling"),
        (pl.col("id").mod(50) == 0).alias("delinquent"),
        (pl.col("id").mod(97) == 0).alias("opt_out"),
        (pl.col("id").mod(50) + 1).cast(pl.Int64).alias("owner_id"),
        (pl.col("id").mod(13) != 0).alias("consent_whatsapp"),
        pl.lit(True).alias("consent_email"),
        (pl.lit(date(1970, 1, 1)) + pl.duration(days=pl.col("id").mod(365 * 40))).alias(
            "birth_date"
        ),
    )
    frame = frame.with_columns(
        (pl.col("delinquent") | pl.col("opt_out")).alias("excluded"),
        pl.col("status")
        .replace_strict(
            {
                "ativo": "fidelizacao",
                "inativo_recente": "reengajamento",
                "inativo_antigo": "reativacao",
                "prospect": "nutricao",
            },
            return_dtype=pl.String,
        )
        .alias("plan"),
    )
    return frame.lazy()


def seed(db_path: Path, n: int) -> None:
    with connect(db_path) as db, db.atomic():
        db.conn.executemany(
            "INSERT INTO owners(id, name) VALUES (?, ?)",
            [(i, f"Vendedor {i}") for i in range(1, 51)],
        )
        db.conn.executemany(
            "INSERT INTO clients(id, external_id, name, owner_id) VALUES (?, ?, ?, ?)",
            ((i, f"C{i:07d}", f"Cliente {i}", i % 50 + 1) for i in range(1, n + 1)),
        )


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = fn()
    print(f"{label:<44} {time.perf_counter() - started:8.3f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--uncapped", action="store_true", help="ignore owners' capacity")
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args()
    settings = Settings(tasks_within_capacity=not args.uncapped)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.keep or Path(tmp) / "bench.db"
        timed(f"seed {args.clients:,} clients", lambda: seed(db_path, args.clients))
        results = synthetic_results(args.clients).collect().lazy()
        first = timed(
            "generate (first run)",
            lambda: generate_tasks(db_path, as_of=AS_OF, settings=settings, results=results),
        )
        print(f"  created {first.created:,} tasks, deferred {first.deferred:,}: {first.by_plan}")
        nxt = AS_OF + timedelta(days=3)
        second = timed(
            "generate (next day: idempotent + refresh)",
            lambda: generate_tasks(db_path, as_of=nxt, settings=settings, results=results),
        )
        print(f"  created {second.created:,}, urgency refreshed on {second.refreshed:,}")
        same = timed(
            "generate (same day again)",
            lambda: generate_tasks(db_path, as_of=nxt, settings=settings, results=results),
        )
        print(f"  created {same.created:,}, refreshed {same.refreshed:,}")
        timed("list: whole queue, top 50", lambda: list_tasks(db_path, as_of=nxt, limit=50))
        timed(
            "list: one owner, top 50",
            lambda: list_tasks(db_path, as_of=nxt, owner="Vendedor 7", limit=50),
        )
        timed(
            "list: one owner, due today, top 50",
            lambda: list_tasks(db_path, as_of=nxt, owner="Vendedor 7", when="today", limit=50),
        )
        timed(
            "list: one owner, whole queue",
            lambda: list_tasks(db_path, as_of=nxt, owner="Vendedor 7"),
        )
        hoje = timed(
            "today: one owner (Hoje, one row per client)",
            lambda: today_queue(db_path, as_of=nxt, settings=settings, owner="Vendedor 7"),
        )
        print(f"  {hoje.clients:,} clients")


if __name__ == "__main__":
    main()
