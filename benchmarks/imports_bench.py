"""Import benchmark, as a user runs it: whole `carteira` processes beside DuckDB's whole job.

    .venv/bin/python benchmarks/imports_bench.py --clients 100000 --orders 1000000
    .venv/bin/python benchmarks/imports_bench.py --clients 1000000 --orders 10000000 \\
        --duckdb /tmp/duck/bin/python

Builds a portfolio (clients with codes, numbered orders, aggregates, a warm segmentation cache)
in a temporary SQLite file, then times, each as its own process with its own peak RSS (from
`wait4`):

- `import 1000`: `carteira import orders novos.csv` — 1,000 new numbered orders for existing
  clients in an office-style CSV (cp1252, `;`, `R$ 1.234,56`, `Nº do Pedido`), which imports
  and re-segments; and the inner import alone (`--no-segment`, on a fresh copy);
- `board`: `carteira board` right after it;
- `reimport`: the same file again (every row "iguais": nothing written, no re-segmentation);
- `bulk`: an `--orders`-sized CSV into a copy holding only the clients (`--no-segment`, then
  with the re-segmentation), the "1M-order CSV into an empty database" target;
- with `--duckdb PYTHON`, `/work/shared/bench/duckdb_reference.py` on the same data as Parquet;

and ends with a summary of those figures side by side (import alone, import + re-segment,
board, bulk, DuckDB's job, each with its peak RSS) and the ratio. `--steps` picks the timed
steps (e.g. `--steps bulk`). Each line carries the load average when its process ended: the
machine may be shared, so compare figures of one run, and CPU beside wall time.

The targets (issue "Imports"): import 1,000 + board ≤ 0.35 × DuckDB's job; the import's peak
RSS ≤ 500 MB; the bulk CSV ≤ 10 s.

The warm cache is a run of this version: its kept run carries the portfolio's figures, from
which a small import's run is patched (only the clients that can have moved are computed).
A `--work` folder warmed by an older version has none: its first import computes every client.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

AS_OF = date(2026, 6, 30)
REFERENCE = Path("/work/shared/bench/duckdb_reference.py")
CARTEIRA = Path(sys.executable).with_name("carteira")


def code(ids: pl.Expr) -> pl.Expr:
    return "C" + ids.cast(pl.String).str.zfill(8)


def portfolio(clients: int, orders: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Clients (client_id) and numbered orders (client_id, date, amount_cents), 85 % buyers."""
    buyers = max(1, int(clients * 0.85))
    n = pl.Series(range(orders))
    frame = pl.DataFrame(
        {
            "client_id": (n.hash(seed) % buyers + 1).cast(pl.Int64),
            "days": (n.hash(seed + 1) % 1500).cast(pl.Int64),
            "amount_cents": (n.hash(seed + 2) % 200_000 + 100).cast(pl.Int64),
        }
    ).select(
        "client_id",
        (pl.lit(AS_OF) - pl.duration(days=pl.col("days"))).cast(pl.Date).alias("date"),
        "amount_cents",
    )
    return pl.DataFrame({"client_id": pl.int_range(1, clients + 1, eager=True)}), frame


def load_sqlite(db_path: Path, clients: pl.DataFrame, orders: pl.DataFrame | None) -> None:
    """Clients, and orders numbered P1… with their aggregates, as one import (generation 1)."""
    from carteira_tui.engine.aggregates import order_aggregates
    from carteira_tui.store.db import open_db

    open_db(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'generation'")
    conn.executemany(
        "INSERT INTO clients(id, external_id, name, generation) VALUES (?, ?, ?, 1)",
        ((i, f"C{i:08d}", f"Cliente {i}") for i in clients["client_id"].to_list()),
    )
    if orders is not None:
        numbered = orders.with_row_index("n", offset=1).select(
            ("P" + pl.col("n").cast(pl.String)).alias("external_id"),
            "client_id",
            pl.col("date").cast(pl.String),
            "amount_cents",
        )
        for chunk in numbered.iter_slices(1_000_000):
            conn.executemany(
                "INSERT INTO orders(external_id, client_id, date, amount_cents, generation)"
                " VALUES (?, ?, ?, ?, 1)",
                chunk.iter_rows(),
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


def office_csv(path: Path, orders: pl.DataFrame, first_number: int) -> None:
    """Orders as an ERP exports them: cp1252, `;`, dd/mm/aaaa, `R$ 1.234,56`, `Nº do Pedido`."""
    cents = pl.col("amount_cents")
    reais = (cents // 100).cast(pl.String)
    frame = orders.with_row_index("n", offset=first_number).select(
        ("P" + pl.col("n").cast(pl.String)).alias("Nº do Pedido"),
        code(pl.col("client_id")).alias("Código do Cliente"),
        pl.col("date").dt.strftime("%d/%m/%Y").alias("Data do Pedido"),
        ("R$ " + reais + "," + (cents % 100).cast(pl.String).str.zfill(2)).alias(
            "Valor Total (R$)"
        ),
        pl.lit("loja").alias("Canal"),
    )
    path.write_bytes(frame.write_csv(separator=";").encode("cp1252"))


CHILD_ENV = dict(os.environ)
"""The processes' environment: with compiled bytecode, as an installed `carteira` runs (pip
compiles it on install). A shell with PYTHONDONTWRITEBYTECODE set would otherwise compile every
module from source in every process (about 2.5 s of CPU at each start, measured)."""


def bytecode_in(folder: Path) -> None:
    """Keep the processes' bytecode in `folder` (nothing is written into the environment),
    every module of the package compiled first, as an install leaves it: a timed process then
    never compiles a module changed since the last run."""
    CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(folder)
    package = Path(__file__).resolve().parents[1] / "src" / "carteira_tui"
    subprocess.run(
        [str(CARTEIRA.parent / "python"), "-m", "compileall", "-q", str(package)],
        env=CHILD_ENV,
        check=True,
    )


LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_pid, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    json.dump([seconds, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss], out)
"""
"""Starts one timed process and reports its wall time, exit code, CPU and peak RSS (wait4).

A child's peak RSS starts from its parent's high-water mark (Linux keeps it across fork and
exec), and this benchmark's own process holds the portfolio frames at some point: timed
through this small launcher (a plain Python without Polars, ~10 MiB), each process's peak is
its own."""


def run(args: list[str], label: str) -> dict[str, object]:
    """Run one whole process; its wall time and its own peak RSS (wait4, via `LAUNCHER`)."""
    # output to files, not pipes: a full pipe would stall the child while we wait for it
    with (
        tempfile.TemporaryFile() as stdout,
        tempfile.TemporaryFile() as stderr,
        tempfile.NamedTemporaryFile("r", suffix=".json") as result,
    ):
        subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, result.name, *args],
            stdout=stdout,
            stderr=stderr,
            env=CHILD_ENV,
            check=True,
        )
        seconds, code, cpu, peak_kib = json.loads(Path(result.name).read_text())
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read().decode(), stderr.read().decode()
    if code != 0:
        raise SystemExit(f"{label} failed ({code}):\n{out}\n{err}")
    last = (out.strip().splitlines() or [""])[-1]
    peak = peak_kib / 1024
    # the machine may be shared: CPU beside wall time, and the load when it ran
    load = Path("/proc/loadavg").read_text().split()[0]
    print(
        f"{label:<38} {seconds:7.2f} s  cpu {cpu:6.2f} s  peak {peak:6.0f} MiB  load {load:>5}"
        f"  | {last[:60]}",
        flush=True,
    )
    return {"label": label, "seconds": seconds, "cpu": cpu, "peak_mib": peak}


SYNC_COPIES = True
"""Flush each fresh copy to disk before the timed process (`--no-sync` leaves it dirty)."""


def fresh_copy(source: Path, target: Path) -> None:
    """`target` as a copy of the database `source` with its cache folder (if any), written
    out to disk before a timed process starts (unless `--no-sync`).

    A copy just made leaves its ~1.4 GB (at 1M clients) in the page cache unwritten, and the
    first fsync of the file — the import's WAL checkpoint — then waits for all of it (~0.3-0.4 s
    measured), a cost of the benchmark's copy, not of the import: a database a person works on
    is not a file written a second ago."""
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    shutil.rmtree(Path(f"{target}.cache"), ignore_errors=True)
    if Path(f"{source}.cache").exists():
        shutil.copytree(Path(f"{source}.cache"), Path(f"{target}.cache"))
    if SYNC_COPIES:
        os.sync()


def summary(figures: dict[str, dict[str, object]], new: int) -> None:
    """The targets' figures together, each whole process with its peak RSS, DuckDB's beside."""

    def seconds(key: str) -> float:
        return float(figures[key]["seconds"])  # type: ignore[arg-type]

    def line(key: str, label: str) -> None:
        if key in figures:
            figure = figures[key]
            print(
                f"  {label:<44} {seconds(key):7.2f} s  cpu {float(figure['cpu']):6.2f} s"  # type: ignore[arg-type]
                f"  peak {float(figure['peak_mib']):6.0f} MiB"  # type: ignore[arg-type]
            )

    print("summary (whole processes, this run):")
    line("inner", f"import {new:,} alone (--no-segment)")
    line("small", f"import {new:,} + re-segment")
    line("board", "board")
    line("bulk", "bulk CSV (--no-segment; target ≤ 10 s)")
    line("duckdb", "DuckDB's whole job")
    if "small" in figures and "board" in figures:
        user = seconds("small") + seconds("board")
        print(f"  import {new:,} + board: {user:.2f} s")
        if "duckdb" in figures:
            ratio = user / seconds("duckdb")
            print(f"  ratio (import + board) / duckdb = {ratio:.2f} (target ≤ 0.35)")
    print(f"  load average now: {Path('/proc/loadavg').read_text().split()[0]} (2 cores)")


def carteira(db: Path, *args: str) -> list[str]:
    return [str(CARTEIRA), "--db", str(db), *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=1000, help="orders in the small import")
    parser.add_argument("--duckdb", help="a Python with duckdb, to run the reference job")
    parser.add_argument(
        "--bulk", type=int, default=1_000_000, help="orders in the bulk CSV (≤ --orders)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--work",
        help="a folder to build in and keep; a later run with the same folder and sizes reuses "
        "the built databases, files and warm cache (saves the minutes of building at 1M)",
    )
    parser.add_argument("--no-bulk-segment", action="store_true", help="skip bulk + segment")
    parser.add_argument(
        "--steps",
        default="small,bulk,duckdb",
        help="which timed steps to run, comma-separated (default: small,bulk,duckdb)",
    )
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE as the shell has it (every start compiles)",
    )
    parser.add_argument(
        "--no-sync",
        action="store_true",
        help="time the processes right after copying the database, its pages still unwritten "
        "(the first fsync, the import's checkpoint, then writes the whole copy)",
    )
    args = parser.parse_args()
    global SYNC_COPIES
    SYNC_COPIES = not args.no_sync
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="importsbench-"))
    work.mkdir(parents=True, exist_ok=True)
    args.keep = args.keep or bool(args.work)
    as_of = AS_OF.strftime("%d/%m/%Y")
    if not args.no_bytecode:
        bytecode_in(work / "pycache")
        run([str(CARTEIRA), "--help"], "process start (bytecode written)")
        run([str(CARTEIRA), "--help"], "process start: carteira --help")
    try:
        started = time.perf_counter()
        db = work / "bench.db"
        base = work / "base.db"  # the portfolio with its warm cache, before any timed step
        only_clients = work / "clients_only.db"
        small_csv, bulk_csv = work / "novos.csv", work / "pedidos.csv"
        stamp = work / "built.txt"
        sizes = f"{args.clients} {args.orders} {args.new} {args.bulk}"
        if not (stamp.exists() and stamp.read_text() == sizes):
            clients, orders = portfolio(args.clients, args.orders)
            clients.write_parquet(work / "clients.parquet")
            orders.select(
                "client_id", "date", (pl.col("amount_cents") / 100).alias("amount")
            ).write_parquet(work / "orders.parquet")
            load_sqlite(base, clients, orders)
            load_sqlite(only_clients, clients, None)
            _unused, fresh = portfolio(args.clients, args.new, seed=99)
            fresh = fresh.with_columns(
                (pl.lit(AS_OF) - pl.duration(days=pl.col("client_id") % 5))
                .cast(pl.Date)
                .alias("date")
            )
            office_csv(small_csv, fresh, first_number=args.orders + 1)
            office_csv(bulk_csv, orders.head(args.bulk), first_number=1)
            print(
                f"built {args.clients:,} clients / {args.orders:,} orders in "
                f"{time.perf_counter() - started:.1f} s "
                f"(bulk CSV {bulk_csv.stat().st_size / 2**20:.0f} MiB)"
            )
            # The timed processes go through LAUNCHER (their peaks are their own); the frames
            # go anyway, before any of them starts.
            del clients, orders, fresh
            gc.collect()
            run(carteira(base, "segment", "--as-of", as_of), "warm-up: segment (cache built)")
            stamp.write_text(sizes)
        else:
            print(f"reusing {work} ({sizes})")
        steps = set(args.steps.split(","))
        figures: dict[str, dict[str, object]] = {}
        if "small" in steps:
            fresh_copy(base, db)
            inner_db = work / "inner.db"
            fresh_copy(db, inner_db)
            figures["small"] = run(
                carteira(db, "import", "orders", str(small_csv), "--as-of", as_of),
                f"import {args.new:,} orders + re-segment",
            )
            figures["board"] = run(carteira(db, "board", "--as-of", as_of), "board")
            figures["inner"] = run(
                carteira(inner_db, "import", "orders", str(small_csv), "--no-segment"),
                f"inner: import {args.new:,} (--no-segment)",
            )
            run(
                carteira(db, "import", "orders", str(small_csv), "--as-of", as_of),
                "reimport the same file (iguais)",
            )
        bulk_db = work / "bulk.db"
        if "bulk" in steps:
            fresh_copy(only_clients, bulk_db)
            figures["bulk"] = run(
                carteira(bulk_db, "import", "orders", str(bulk_csv), "--no-segment"),
                f"bulk: {args.bulk:,} orders (--no-segment)",
            )
            if not args.no_bulk_segment:
                fresh_copy(only_clients, bulk_db)
                run(
                    carteira(bulk_db, "import", "orders", str(bulk_csv), "--as-of", as_of),
                    f"bulk: {args.bulk:,} orders + segment",
                )
        if args.duckdb and "duckdb" in steps:
            latest = pl.scan_parquet(work / "orders.parquet").select(pl.col("date").max())
            found = latest.collect().item()
            day = found.isoformat() if isinstance(found, date) else AS_OF.isoformat()
            figures["duckdb"] = run(
                [
                    args.duckdb,
                    str(REFERENCE),
                    str(work / "clients.parquet"),
                    str(work / "orders.parquet"),
                    day,
                ],
                "duckdb reference job",
            )
        summary(figures, args.new)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
