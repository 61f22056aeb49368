"""Import benchmark: generate a Brazilian-style CSV of clients and orders, import both into a
fresh database through `services.imports.import_file`, print wall time and peak RSS.

    .venv/bin/python benchmarks/import_bench.py --orders 1000000 --clients 100000
    .venv/bin/python benchmarks/import_bench.py --orders 100000 --compare-writers

`--compare-writers` also times the bulk writers considered for the store (sqlite3 executemany
over tuples vs sqlite-utils insert_all) on the same order rows.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl
from sqlite_utils import Database

from carteira_tui.services.imports import import_file


def write_clients_csv(path: Path, n: int) -> None:
    """`n` clients, `;`-separated, Portuguese headers, cp1252 like an office export."""
    ids = pl.int_range(1, n + 1, eager=True)
    frame = pl.DataFrame(
        {
            "Código": "C" + ids.cast(pl.String).str.zfill(7),
            "Razão Social": "Cliente " + ids.cast(pl.String),
            "Município": pl.Series(["São Paulo", "Niterói", "Belém", "Curitiba"])
            .sample(n, with_replacement=True, seed=1)
            .to_list(),
            "UF": pl.Series(["SP", "RJ", "PA", "PR"]).sample(n, with_replacement=True, seed=1),
            "Responsável": pl.Series(["Ana", "Bruno", "Carla"]).sample(
                n, with_replacement=True, seed=2
            ),
            "Inadimplente": pl.Series(["não", "sim"]).sample(n, with_replacement=True, seed=3),
        }
    )
    path.write_bytes(frame.write_csv(separator=";").encode("cp1252"))


def write_orders_csv(path: Path, n_orders: int, n_clients: int) -> None:
    """`n_orders` orders over `n_clients` clients: dd/mm/aaaa dates, `R$ 1.234,56` amounts."""
    start = date(2020, 1, 1)
    frame = pl.DataFrame(
        {
            "Nº Pedido": pl.int_range(1, n_orders + 1, eager=True),
            "client": pl.int_range(0, n_orders, eager=True).hash(7) % n_clients + 1,
            "days": pl.int_range(0, n_orders, eager=True).hash(11) % 1800,
            "cents": pl.int_range(0, n_orders, eager=True).hash(13) % 500_000 + 100,
        }
    ).select(
        pl.col("Nº Pedido").cast(pl.String).alias("Nº Pedido"),
        ("C" + pl.col("client").cast(pl.String).str.zfill(7)).alias("Código do Cliente"),
        (pl.lit(start) + pl.duration(days=pl.col("days")))
        .dt.strftime("%d/%m/%Y")
        .alias("Data do Pedido"),
        (
            "R$ "
            + (pl.col("cents") // 100).cast(pl.String)
            + ","
            + (pl.col("cents") % 100).cast(pl.String).str.zfill(2)
        ).alias("Valor Total"),
        pl.lit("loja").alias("Canal"),
    )
    path.write_bytes(frame.write_csv(separator=";").encode("cp1252"))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compare_writers(n: int, workdir: Path) -> None:
    """Time sqlite3 executemany over tuples vs sqlite-utils insert_all for `n` order rows."""
    rows = pl.DataFrame(
        {
            "external_id": pl.int_range(n, eager=True).cast(pl.String),
            "client_id": pl.int_range(n, eager=True) % 1000,
            "date": ["2024-01-01"] * n,
            "amount_cents": pl.int_range(n, eager=True),
            "channel": ["loja"] * n,
            "generation": [1] * n,
        }
    )
    ddl = (
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, client_id INTEGER,"
        " date TEXT, amount_cents INTEGER, channel TEXT, generation INTEGER)"
    )
    for label in ("executemany", "insert_all"):
        path = workdir / f"{label}.db"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(ddl)
        db = Database(conn)
        started = time.perf_counter()
        with db.atomic():
            if label == "executemany":
                conn.executemany(
                    "INSERT INTO orders(external_id, client_id, date, amount_cents, channel,"
                    " generation) VALUES (?, ?, ?, ?, ?, ?)",
                    rows.iter_rows(),
                )
            else:
                db["orders"].insert_all(rows.iter_rows(named=True), batch_size=10_000)
        print(f"writer {label}: {n:,} rows in {time.perf_counter() - started:.2f} s")
        conn.close()
    started = time.perf_counter()
    conn = sqlite3.connect(workdir / "executemany.db")
    fetched = conn.execute("SELECT client_id, date, amount_cents FROM orders").fetchall()
    frame = pl.DataFrame(fetched, schema=["client_id", "date", "amount_cents"], orient="row")
    print(
        f"reader fetchall→DataFrame: {frame.height:,} rows in {time.perf_counter() - started:.2f} s"
    )
    started = time.perf_counter()
    frame = pl.read_database("SELECT client_id, date, amount_cents FROM orders", conn)
    print(
        f"reader pl.read_database: {frame.height:,} rows in {time.perf_counter() - started:.2f} s"
    )
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=0, help="default: orders / 10")
    parser.add_argument("--compare-writers", action="store_true")
    args = parser.parse_args()
    n_clients = args.clients or max(1, args.orders // 10)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        clients_csv, orders_csv = workdir / "clientes.csv", workdir / "pedidos.csv"
        started = time.perf_counter()
        write_clients_csv(clients_csv, n_clients)
        write_orders_csv(orders_csv, args.orders, n_clients)
        print(
            f"generated {n_clients:,} clients, {args.orders:,} orders in "
            f"{time.perf_counter() - started:.1f} s "
            f"({orders_csv.stat().st_size / 2**20:.0f} MiB of orders)"
        )
        db_path = workdir / "bench.db"
        started = time.perf_counter()
        clients = import_file(db_path, "clients", clients_csv)
        after_clients = time.perf_counter()
        orders = import_file(db_path, "orders", orders_csv)
        finished = time.perf_counter()
        assert not clients.errors and not orders.errors, (clients.errors[:3], orders.errors[:3])
        print(clients.summary, f"— {after_clients - started:.2f} s")
        print(orders.summary, f"— {finished - after_clients:.2f} s")
        print(f"total wall time {finished - started:.2f} s; peak RSS {peak_rss_mib():.0f} MiB")
        if args.compare_writers:
            compare_writers(args.orders, workdir)


if __name__ == "__main__":
    main()
