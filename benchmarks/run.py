"""Run the benchmark scripts one after the other at one size and print what each prints.

    python benchmarks/run.py                    # 100k clients / 1M orders (a few minutes)
    python benchmarks/run.py --size 1m          # 1M clients / 10M orders (tens of minutes)
    python benchmarks/run.py --duckdb /tmp/duck/bin/python   # with the DuckDB peer

`make bench` runs the first. Each script generates its own data, runs in its own process (so
its peak memory is its own) and prints wall times and peak RSS; see each script's docstring.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
SIZES: dict[str, tuple[int, int]] = {"100k": (100_000, 1_000_000), "1m": (1_000_000, 10_000_000)}


def scripts(clients: int, orders: int, duckdb: str | None) -> list[list[str]]:
    """The scripts and their arguments at one size."""
    segment = ["segment_bench.py", "--clients", str(clients), "--orders", str(orders)]
    if duckdb:
        segment += ["--duckdb", duckdb]
    return [
        ["import_bench.py", "--clients", str(clients), "--orders", str(orders)],
        segment,
        ["score_bench.py", "--clients", str(clients)],
        ["tui_bench.py", "--rows", str(clients)],
        ["tasks_bench.py", "--clients", str(clients)],
        ["assign_bench.py", "--clients", str(clients)],
        ["dedup_bench.py", "--clients", str(clients)],
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="100k")
    parser.add_argument("--duckdb", help="a Python with duckdb installed, for segment_bench")
    args = parser.parse_args()
    clients, orders = SIZES[args.size]
    failed = 0
    for command in scripts(clients, orders, args.duckdb):
        print(f"\n== {' '.join(command)}", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=False)
        print(f"== {command[0]}: exit {done.returncode}, {time.perf_counter() - started:.0f} s")
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
