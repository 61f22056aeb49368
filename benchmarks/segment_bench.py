"""Segmentation benchmark: full rebuild and re-segmentation after a 1,000-order import.

    python benchmarks/segment_bench.py --clients 100000 --orders 1000000
    python benchmarks/segment_bench.py --data bench_data/1m --duckdb /tmp/duck/bin/python

Loads a portfolio into a fresh SQLite file (generated here, or `clients.parquet`/`orders.parquet`
from benchmarks/datagen.py with `--data`), then times, each in its own process so peak RSS is the
phase's own: `cold` (no cache: orders read from SQLite, aggregates and the Arrow mirror built),
`warm` (nothing changed since), `incremental` (after 1,000 new orders imported the importer's
way) and `full` (rebuild from the Arrow orders mirror, the `--as-of`-in-the-past path), the last
two `--repeat` times. With `--duckdb PYTHON` it runs /work/shared/bench/duckdb_reference.py as
many times on the same Parquet files and checks that both sides count the same clients per
status. `--keep` keeps the database and a copy as loaded, which `--db-from` reuses.
"""

from __future__ import annotations

import argparse
import ast
import json
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl

AS_OF = date(2026, 6, 30)
REFERENCE = Path("/work/shared/bench/duckdb_reference.py")


def generate(clients: int, orders: int, out: Path, seed: int = 7) -> tuple[Path, Path]:
    """A synthetic Parquet pair in the DuckDB reference's form (amount in reais)."""
    out.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"client_id": pl.int_range(1, clients + 1, eager=True)}).write_parquet(
        out / "clients.parquet"
    )
    buyers = max(1, int(clients * 0.85))
    frame = pl.DataFrame(
        {
            "client_id": (pl.Series(range(orders)).hash(seed) % buyers + 1).cast(pl.Int64),
            "days": (pl.Series(range(orders)).hash(seed + 1) % 1500).cast(pl.Int64),
            "cents": (pl.Series(range(orders)).hash(seed + 2) % 200_000 + 100).cast(pl.Int64),
        }
    ).select(
        "client_id",
        (pl.lit(AS_OF) - pl.duration(days=pl.col("days"))).cast(pl.Date).alias("date"),
        (pl.col("cents") / 100).alias("amount"),
    )
    frame.write_parquet(out / "orders.parquet")
    return out / "clients.parquet", out / "orders.parquet"


def load_sqlite(db_path: Path, clients_path: Path, orders_path: Path) -> None:
    """Write clients, orders and client_aggregates as one import (generation 1)."""
    from carteira_tui.engine.aggregates import order_aggregates
    from carteira_tui.store.db import open_db

    open_db(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'generation'")
    ids = pl.read_parquet(clients_path).get_column("client_id")
    conn.executemany(
        "INSERT INTO clients(id, external_id, name, generation) VALUES (?, ?, ?, 1)",
        ((i, f"C{i:08d}", f"Cliente {i}") for i in ids.to_list()),
    )
    orders = pl.read_parquet(orders_path).select(
        "client_id", "date", (pl.col("amount") * 100).round(0).cast(pl.Int64).alias("amount_cents")
    )
    for chunk in orders.iter_slices(1_000_000):
        conn.executemany(
            "INSERT INTO orders(client_id, date, amount_cents, generation) VALUES (?, ?, ?, 1)",
            chunk.with_columns(pl.col("date").cast(pl.String)).iter_rows(),
        )
    aggregates = order_aggregates(orders.lazy()).collect()
    conn.executemany(
        "INSERT INTO client_aggregates VALUES (?, ?, ?, ?, ?, ?, 1)",
        aggregates.with_columns(
            pl.col("first_purchase").cast(pl.String), pl.col("last_purchase").cast(pl.String)
        ).iter_rows(),
    )
    conn.commit()
    conn.close()


def import_small(db_path: Path, as_of: date, n: int = 1000) -> None:
    """1,000 new orders for existing clients, aggregates updated as the importer does."""
    from carteira_tui.engine.aggregates import order_aggregates
    from carteira_tui.store.db import bump_generation, connect

    with connect(db_path) as db, db.atomic():
        gen = bump_generation(db)
        top = db.execute("SELECT max(id) FROM clients").fetchone()[0]
        rows = [
            (1 + (i * 7919) % top, (as_of - timedelta(days=i % 30)).isoformat(), 1000 + i)
            for i in range(n)
        ]
        db.conn.executemany(
            "INSERT INTO orders(client_id, date, amount_cents, generation) VALUES (?, ?, ?, ?)",
            [(*r, gen) for r in rows],
        )
        touched = sorted({r[0] for r in rows})
        marks = ",".join("?" * len(touched))
        found = db.execute(
            f"SELECT client_id, date, amount_cents FROM orders WHERE client_id IN ({marks})",
            touched,
        ).fetchall()
        frame = pl.DataFrame(
            found,
            schema={"client_id": pl.Int64, "date": pl.String, "amount_cents": pl.Int64},
            orient="row",
        ).with_columns(pl.col("date").str.to_date())
        aggregates = (
            order_aggregates(frame.lazy())
            .collect()
            .with_columns(
                pl.col("first_purchase").cast(pl.String),
                pl.col("last_purchase").cast(pl.String),
                pl.lit(gen).alias("generation"),
            )
        )
        db.conn.executemany(
            "INSERT OR REPLACE INTO client_aggregates VALUES (?, ?, ?, ?, ?, ?, ?)",
            aggregates.iter_rows(),
        )


def latest_order_day(db_path: Path) -> date:
    """The as-of the reference uses: the last order date (so no order lies in the future)."""
    conn = sqlite3.connect(db_path)
    try:
        return date.fromisoformat(conn.execute("SELECT max(date) FROM orders").fetchone()[0])
    finally:
        conn.close()


def phase(db_path: Path, name: str, as_of: date) -> dict[str, object]:
    """Run one timed phase in this process (called in a child) and return its figures."""
    from carteira_tui.config import Settings
    from carteira_tui.services.segmentation import resegment
    from carteira_tui.store import cache

    if name == "cold":
        cache.clear_derived(cache.cache_dir(db_path))
    if name.startswith("full"):
        # in the past (a day further back each time, so no run repeats one before it):
        # aggregates rebuilt from the orders mirror
        as_of = as_of - timedelta(days=int(name.removeprefix("full") or 1))
    if name.startswith("incremental"):
        import_small(db_path, as_of)
    started, cpu_started = time.perf_counter(), time.process_time()
    run = resegment(db_path, as_of=as_of, settings=Settings())
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    counts = dict(run.frame.group_by("status").len().sort("status").iter_rows())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "phase": name,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "load": Path("/proc/loadavg").read_text().split()[0],
        "peak_rss_mib": round(peak_mib),
        "rebuilt": run.rebuilt,
        "statuses": counts,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, help="folder with clients.parquet and orders.parquet")
    parser.add_argument("--duckdb", help="a Python with duckdb installed, to run the reference")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed phase")
    parser.add_argument("--db-from", type=Path, help="reuse a database loaded by --keep")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--as-of", dest="as_of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.db, args.phase, date.fromisoformat(args.as_of))))
        return 0
    work = Path(tempfile.mkdtemp(prefix="segbench-"))
    if args.data:
        clients_path, orders_path = args.data / "clients.parquet", args.data / "orders.parquet"
    else:
        clients_path, orders_path = generate(args.clients, args.orders, work)
    db_path = work / "bench.db"
    started = time.perf_counter()
    if args.db_from:
        shutil.copyfile(args.db_from, db_path)
    else:
        load_sqlite(db_path, clients_path, orders_path)
        if args.keep:  # a pristine copy for --db-from
            shutil.copyfile(db_path, work / "loaded.db")
    as_of = latest_order_day(db_path)
    print(
        f"loaded SQLite in {time.perf_counter() - started:.1f} s (not timed below); as of {as_of}"
    )
    results = {}
    phases = [
        "cold",
        "warm",
        *[f"incremental{i}" for i in range(1, args.repeat + 1)],
        *[f"full{i}" for i in range(1, args.repeat + 1)],
    ]
    for name in phases:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--phase",
                name,
                "--db",
                str(db_path),
                "--as-of",
                str(as_of),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        results[name] = figures
        print(
            f"{name:12s} {figures['seconds']:7.3f} s  (CPU {figures['cpu_seconds']:.3f} s,"
            f" load {figures['load']})  peak RSS {figures['peak_rss_mib']} MiB"
            f"  rebuilt={figures['rebuilt']}"
        )
    print(f"statuses: {results['warm']['statuses']}")
    for kind in ("incremental", "full"):
        times = [f["seconds"] for n, f in results.items() if n.startswith(kind)]
        peaks = [f["peak_rss_mib"] for n, f in results.items() if n.startswith(kind)]
        print(
            f"{kind}: min {min(times):.3f} s, median {statistics.median(times):.3f} s"
            f" over {len(times)} runs; peak RSS up to {max(peaks)} MiB"
        )
    if args.duckdb:
        duck_times = []
        for _ in range(args.repeat):
            done = subprocess.run(
                [
                    args.duckdb,
                    str(REFERENCE),
                    str(clients_path),
                    str(orders_path),
                    as_of.isoformat(),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            print(done.stdout.strip())
            duck_times.append(float(done.stdout.split("duckdb:")[1].split("s;")[0]))
        print(
            f"duckdb: min {min(duck_times):.3f} s, median {statistics.median(duck_times):.3f} s;"
            f" a third of the median: {statistics.median(duck_times) / 3:.3f} s"
        )
        ours = sorted(results["warm"]["statuses"].items())  # type: ignore[union-attr]
        line = done.stdout.split("clients per status:")[-1].strip()
        theirs = sorted((k, int(v)) for k, v in ast.literal_eval(line))
        print("status counts equal DuckDB's:", ours == theirs)
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
