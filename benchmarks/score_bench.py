"""Micro-benchmark of the per-client scoring plan (engine.segment.segment_clients) alone.

    python benchmarks/score_bench.py --clients 1000000
    python benchmarks/score_bench.py --clients 1000000 --chunks 2 --engine streaming

Builds a synthetic base (BASE_SCHEMA, ~88% buyers, every tenth client with an exclusion flag)
and cooling-window counts in memory, then times `segment_clients(...).collect()` with the
method's default named segments and without any, printing min and median of `--runs`. No
SQLite or cache I/O: that is segment_bench.py's job. `--chunks 2` lays the base out in two
chunks, as a base with appended clients comes from the services' patch.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine import filters, metrics
from carteira_tui.engine.schema import BASE_SCHEMA, ID, RESULT_SCHEMA
from carteira_tui.engine.segment import segment_clients
from carteira_tui.engine.segments import DEFAULT_SEGMENTS, CompiledSegment

AS_OF = date(2026, 6, 30)


def synthetic_base(clients: int, chunks: int) -> pl.DataFrame:
    """One row per client in id order; prospects have null aggregates."""
    ids = pl.int_range(1, clients + 1, eager=True).alias(ID)
    h = [ids.hash(seed) for seed in range(6)]
    buyer = (h[0] % 100) < 88
    frequency = pl.Series((h[1] % 40 + 1).cast(pl.Int64)).zip_with(buyer, pl.Series([None]))
    days_ago = (h[2] % 1500).cast(pl.Int64)
    span = (h[3] % 900).cast(pl.Int64)
    frame = pl.DataFrame({ID: ids, "buyer": buyer, "frequency": frequency}).with_columns(
        pl.format("C{}", pl.col(ID)).alias("external_id"),
        pl.format("Cliente {}", pl.col(ID)).alias("name"),
        pl.when("buyer").then(pl.lit(AS_OF) - pl.duration(days=days_ago)).alias("last_purchase"),
        pl.when("buyer")
        .then(pl.lit(AS_OF) - pl.duration(days=days_ago + span))
        .alias("first_purchase"),
        pl.when("buyer")
        .then(pl.Series(h[4] % 2_000_000 + 100).cast(pl.Int64))
        .alias("monetary_cents"),
        pl.when("buyer")
        .then(pl.min_horizontal(pl.col("frequency"), pl.Series(h[5] % 30 + 1).cast(pl.Int64)))
        .alias("purchase_days"),
        (pl.Series(h[5]) % 10 == 0).alias("opt_out"),
        (pl.Series(h[4]) % 50 == 0).alias("delinquent"),
    )
    frame = frame.with_columns(
        pl.lit(False if name.startswith("consent") else None, dtype=dtype).alias(name)
        for name, dtype in BASE_SCHEMA.items()
        if name not in frame.columns
    ).select(pl.col(name).cast(dtype) for name, dtype in BASE_SCHEMA.items())
    if chunks > 1:
        size = -(-clients // chunks)
        parts = [frame.slice(i * size, size) for i in range(chunks)]
        frame = pl.concat(parts, rechunk=False)
    return frame.with_columns(pl.col(ID).set_sorted())


def synthetic_windows(base: pl.DataFrame) -> pl.DataFrame:
    """Window counts for about two thirds of the buyers, in hash (unsorted) order."""
    buyers = base.filter(pl.col("last_purchase").is_not_null()).get_column(ID)
    ids = buyers.filter(buyers.hash(10) % 3 > 0)
    return (
        pl.DataFrame(
            {
                ID: ids,
                metrics.LAST_WINDOW: (ids.hash(11) % 4).cast(pl.Int64),
                metrics.PREVIOUS_WINDOW: (ids.hash(12) % 4).cast(pl.Int64),
            }
        )
        .group_by(ID)
        .agg(pl.all().first())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--chunks", type=int, default=1)
    parser.add_argument("--engine", choices=("in-memory", "streaming"), default="in-memory")
    args = parser.parse_args()
    base = synthetic_base(args.clients, args.chunks)
    windows = synthetic_windows(base)
    settings = Settings()
    schema = dict(RESULT_SCHEMA)
    segments = [
        CompiledSegment(
            rule.name, rule.plan, filters.compile_filter(rule.filter, as_of=AS_OF, schema=schema)
        )
        for rule in DEFAULT_SEGMENTS
    ]
    print(f"{args.clients} clients, {windows.height} with window counts, engine {args.engine}")
    for label, named in (("default segments", segments), ("no segments", [])):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            segment_clients(
                base.lazy(), windows.lazy(), as_of=AS_OF, settings=settings, segments=named
            ).collect(engine=args.engine)
            times.append(time.perf_counter() - start)
        print(
            f"{label:18s} min {min(times):.3f} s  median {statistics.median(times):.3f} s  "
            f"runs {[round(t, 3) for t in times]}"
        )
    with open("/proc/loadavg") as load:
        print("load", load.read().split()[:3])


if __name__ == "__main__":
    main()
