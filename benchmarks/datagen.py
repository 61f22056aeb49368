"""Benchmark portfolios: the pt-BR CSVs plus the Parquet pair the DuckDB reference reads.

    python benchmarks/datagen.py --clients 1000000 --orders 10000000 --out bench_data/1m

Uses `scripts/generate_portfolio.py` for the data, then writes `clients.parquet` (client_id Int64)
and `orders.parquet` (client_id Int64, date Date, amount Float64 in reais), the form
`/work/shared/bench/duckdb_reference.py CLIENTS ORDERS AS_OF` takes. Prints the time of each step.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import generate_portfolio as gp  # noqa: E402


def write_parquet_pair(portfolio: gp.Portfolio, out: Path) -> tuple[Path, Path]:
    """clients.parquet and orders.parquet in the DuckDB reference's column form."""
    out.mkdir(parents=True, exist_ok=True)
    clients_path, orders_path = out / "clients.parquet", out / "orders.parquet"
    portfolio.clients.select(pl.col("client_id").cast(pl.Int64)).write_parquet(clients_path)
    portfolio.orders.select(
        pl.col("client_id").cast(pl.Int64),
        pl.col("date").cast(pl.Date),
        amount=pl.col("amount_cents").cast(pl.Float64) / 100,
    ).write_parquet(orders_path)
    return clients_path, orders_path


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, write the CSVs and the Parquet pair, and report the time of each step."""
    args = gp.parse_args(argv, description="Gera carteiras grandes para os benchmarks.")
    start = time.perf_counter()
    portfolio = gp.generate_portfolio(args.clients, args.orders, as_of=args.as_of, seed=args.seed)
    generated = time.perf_counter()
    gp.write_ptbr_csvs(portfolio, args.out)
    csv_written = time.perf_counter()
    clients_path, orders_path = write_parquet_pair(portfolio, args.out)
    done = time.perf_counter()
    print(
        f"{portfolio.clients.height} clientes, {portfolio.orders.height} pedidos, "
        f"{portfolio.interactions.height} interações: gerar {generated - start:.1f} s, "
        f"CSV {csv_written - generated:.1f} s, Parquet {done - csv_written:.1f} s, "
        f"total {done - start:.1f} s"
    )
    print(f"duckdb_reference.py {clients_path} {orders_path} {args.as_of.isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
