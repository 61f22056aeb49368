"""Forecast benchmark: `carteira forecast --refit` as a whole process beside `lifetimes`' own
fit + score on the same portfolio, and what scoring adds to a re-segmentation.

    python benchmarks/forecast_bench.py --clients 100000 --lifetimes /tmp/lt/bin/python
    python benchmarks/forecast_bench.py --data /work/bench_data/1m --keep /tmp/fc --lifetimes ...

Simulates a portfolio from BG/NBD + Gamma-Gamma (so the fit has something to find), writes
`orders.parquet` (client_id, date, amount in reais: what /work/shared/bench/lifetimes_reference.py
reads) and loads it into a fresh SQLite file the importer's way (clients, orders, aggregates,
first-day revenue). Then times, each in its own process, `carteira forecast --refit --as-of D`
(process start and the SciPy import included, DECISIONS.md) and, with `--lifetimes PYTHON`
(a throwaway venv with lifetimes and polars), the reference's printed fit + score time. Last,
With `--data DIR` the portfolio is DIR's `orders.parquet` (the shared 1M / 10M data) instead
of a simulated one, as of the day after its last order unless `--as-of` says otherwise. Last,
two re-segmentations in one process after new data, one without a kept fit and one with it: the
difference is what scoring costs there.

The `lifetimes` venv: lifetimes 0.11.3 fails its own input check under pandas 3, so pin
`pandas==1.5.3 numpy==1.26.4 scipy==1.11.4 autograd==1.6.2` beside `lifetimes polars`.
"""

from __future__ import annotations

import argparse
import re
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

import numpy as np
import polars as pl

AS_OF = date(2026, 6, 30)
REFERENCE = Path("/work/shared/bench/lifetimes_reference.py")
WRAPPER = Path(__file__).resolve().parent / "lifetimes_wrapper.py"
"""Runs REFERENCE as it is; times it up to lifetimes' Gamma-Gamma ConvergenceError if any."""
ROOT = Path(__file__).resolve().parents[1]


def simulate(clients: int, seed: int = 7) -> pl.DataFrame:
    """Orders of `clients` buyers: BG/NBD r 0.6, alpha 60 days, a 0.9, b 4; value per purchase
    Gamma-Gamma p 5, q 3, gamma 300; first purchases spread over the 3 years before AS_OF."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.6, 1 / 60, clients)
    drop = rng.beta(0.9, 4.0, clients)
    nu = rng.gamma(3.0, 1 / 300, clients)
    start = rng.integers(0, 3 * 365, clients)
    horizon = (3 * 365 - start).astype(np.float64)
    ids, days = [np.arange(1, clients + 1)], [start]
    clock = np.zeros(clients)
    active = np.ones(clients, dtype=bool)
    while active.any():
        clock[active] += rng.exponential(1 / rate[active])
        bought = active & (clock <= horizon)
        ids.append(np.nonzero(bought)[0] + 1)
        days.append(start[bought] + np.floor(clock[bought]).astype(np.int64))
        active = bought & (rng.random(clients) >= drop)
    client = np.concatenate(ids)
    day = np.concatenate(days)
    amount = np.round(rng.gamma(5.0, 1 / nu[client - 1]), 2)
    first = AS_OF - timedelta(days=3 * 365)
    return pl.DataFrame(
        {"client_id": client, "day": day, "amount": np.maximum(amount, 0.01)}
    ).select(
        pl.col("client_id").cast(pl.Int64),
        (pl.lit(first) + pl.duration(days=pl.col("day"))).cast(pl.Date).alias("date"),
        "amount",
    )


def load_sqlite(db_path: Path, orders: pl.DataFrame) -> None:
    """Clients, orders, aggregates and first-day revenue, as one import (generation 1)."""
    from carteira_tui.engine.aggregates import order_aggregates
    from carteira_tui.store.db import connect, open_db
    from carteira_tui.store.forecast import refresh_first_day

    open_db(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'generation'")
    top = int(orders.get_column("client_id").max() or 0)
    conn.executemany(
        "INSERT INTO clients(id, external_id, name, generation) VALUES (?, ?, ?, 1)",
        ((i, f"C{i:08d}", f"Cliente {i}") for i in range(1, top + 1)),
    )
    cents = orders.select(
        "client_id", "date", (pl.col("amount") * 100).round(0).cast(pl.Int64).alias("amount_cents")
    )
    conn.executemany(
        "INSERT INTO orders(client_id, date, amount_cents, generation) VALUES (?, ?, ?, 1)",
        cents.with_columns(pl.col("date").cast(pl.String)).iter_rows(),
    )
    aggregates = order_aggregates(cents.lazy()).collect()
    conn.executemany(
        "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase, frequency,"
        " monetary_cents, purchase_days, generation) VALUES (?, ?, ?, ?, ?, ?, 1)",
        aggregates.with_columns(
            pl.col("first_purchase").cast(pl.String), pl.col("last_purchase").cast(pl.String)
        ).iter_rows(),
    )
    conn.commit()
    conn.close()
    with connect(db_path) as db, db.atomic():
        refresh_first_day(db)


CPU: list[float] = []
"""The user + system CPU seconds of each process `timed` ran (the machine is shared: its wall
time depends on the others' load, its CPU time much less)."""


def timed(command: list[str]) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return seconds, done.stdout


def resegment_cost(
    db_path: Path, repeat: int, as_of: date
) -> tuple[list[float], list[float], list[float]]:
    """Re-segmentation times (in one process) without and with a kept fit, each after an
    import of 1,000 orders of existing clients (not timed), and the seconds each run with
    the fit spent in the forecast's own steps (rescoring, the previous p_alive, the
    heading-out flag). The first run after the fit is put back rescores everyone (a new fit
    does) and is not timed either."""
    code = f"""
import sys, time, json
from datetime import date
from pathlib import Path
from carteira_tui.config import Settings
from carteira_tui.engine.aggregates import order_aggregates
from carteira_tui.store.aggregates import replace_aggregates
from carteira_tui.services.segmentation import resegment
import polars as pl
from carteira_tui.store.db import bump_generation, connect
import carteira_tui.services.segmentation as seg
# the steps a re-segmentation spends on the forecast, clocked inside the process (the
# difference of two whole re-segmentations drowns in the shared machine's noise)
SPENT, DEPTH = [0.0], [0]
def clock(module, name):
    inner = getattr(module, name)
    def timed(*args, **kwargs):
        DEPTH[0] += 1
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            DEPTH[0] -= 1
            if DEPTH[0] == 0:
                SPENT[0] += time.perf_counter() - started
    setattr(module, name, timed)
for name in ("_stored_results", "_scored_before", "_last_p_alive", "with_heading_out"):
    clock(seg, name)
clock(seg.forecast_service, "with_forecast")
db_path = Path({str(db_path)!r})
with connect(db_path) as db:
    clients = db.execute("SELECT COUNT(*) FROM clients").fetchone()[0]
batch = [0]
def touch():
    # 1,000 orders of existing clients written the importer's way (orders, their clients'
    # aggregates and first-day revenue, one generation); the importer itself takes minutes
    # on this portfolio, and none of it is timed
    batch[0] += 1
    step = max(clients // 1000, 1)
    ids = sorted({{1 + (k * step + batch[0]) % clients for k in range(1000)}})
    with connect(db_path) as db, db.atomic():
        gen = bump_generation(db)
        db.conn.executemany(
            "INSERT INTO orders(client_id, date, amount_cents, generation) VALUES (?, ?, ?, ?)",
            [(i, {as_of.isoformat()!r}, batch[0] * 100 + i % 100, gen) for i in ids],
        )
        marks = ",".join("?" * len(ids))
        rows = db.execute(
            f"SELECT client_id, date, amount_cents FROM orders WHERE client_id IN ({{marks}})", ids
        ).fetchall()
        schema = {{"client_id": pl.Int64, "date": pl.String, "amount_cents": pl.Int64}}
        orders = pl.DataFrame(rows, schema=schema, orient="row")
        orders = orders.with_columns(pl.col("date").str.to_date())
        replace_aggregates(db, ids, order_aggregates(orders.lazy()).collect(), generation=gen)
with connect(db_path) as db, db.atomic():
    rows = db.execute("SELECT * FROM forecast_fits").fetchall()
    db.execute("DELETE FROM forecast_fits")
resegment(db_path, as_of=date.fromisoformat({as_of.isoformat()!r}), settings=Settings())
without, with_fit, spent = [], [], []
for i in range({repeat}):
    touch()
    t = time.perf_counter()
    resegment(db_path, as_of=date.fromisoformat({as_of.isoformat()!r}), settings=Settings())
    without.append(time.perf_counter() - t)
with connect(db_path) as db, db.atomic():
    marks = ",".join("?" * len(rows[0]))
    db.conn.executemany(f"INSERT INTO forecast_fits VALUES ({{marks}})", rows)
touch()
resegment(db_path, as_of=date.fromisoformat({as_of.isoformat()!r}), settings=Settings())
for i in range({repeat}):
    touch()
    t = time.perf_counter()
    SPENT[0] = 0.0
    run = resegment(db_path, as_of=date.fromisoformat({as_of.isoformat()!r}), settings=Settings())
    with_fit.append(time.perf_counter() - t)
    spent.append(SPENT[0])
assert run.frame.get_column("p_alive").null_count() < run.frame.height
print(json.dumps([without, with_fit, spent]))
"""
    import json

    _seconds, out = timed([sys.executable, "-c", code])
    without, with_fit, spent = json.loads(out.strip().splitlines()[-1])
    return without, with_fit, spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--lifetimes", help="a Python with lifetimes and polars installed")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", help="a folder with orders.parquet to use instead of simulating")
    parser.add_argument("--as-of", dest="as_of", help="ISO date (default: see above)")
    parser.add_argument(
        "--keep",
        help="a folder to keep the portfolio in and reuse on the next run with the same --clients"
        " (its cache is dropped first, so every run starts alike)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="forecast-bench-") as tmp:
        name = Path(args.data).name if args.data else str(args.clients)
        work = Path(args.keep) / name if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        db_path = work / "carteira.db"
        source = Path(args.data) if args.data else work
        if (source / "orders.parquet").exists() and db_path.exists():
            orders = pl.read_parquet(source / "orders.parquet")
            shutil.rmtree(work / "carteira.db.cache", ignore_errors=True)
        else:
            if args.data:
                orders = pl.read_parquet(source / "orders.parquet")
            else:
                orders = simulate(args.clients)
                orders.write_parquet(work / "orders.parquet")
            db_path.unlink(missing_ok=True)
            load_sqlite(db_path, orders)
        last = orders.get_column("date").max()
        as_of = (
            date.fromisoformat(args.as_of)
            if args.as_of
            else (last + timedelta(days=1) if args.data and isinstance(last, date) else AS_OF)
        )
        buyers = orders.get_column("client_id").n_unique()
        print(
            f"portfolio: {buyers} buyers, {orders.height} orders, as of {as_of},"
            f" loaded in {time.perf_counter() - started:.1f}s"
        )
        # a pip install compiles bytecode, and so does Python on a first run; a venv made by
        # uv with PYTHONDONTWRITEBYTECODE set has none and would compile SciPy at every start
        site = Path(np.__file__).resolve().parents[1]
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", "-j", "0", str(site), str(ROOT / "src")],
            capture_output=True,
            check=False,
        )
        carteira = [str(Path(sys.executable).parent / "carteira"), "--db", str(db_path)]
        refit = ["forecast", "--refit", "--as-of", as_of.isoformat(), "--format", "json"]
        # the re-segmentations import orders: they run on a copy, so the kept portfolio stays
        # the one the peer reads (and the next run starts from it); they leave the copy's
        # segmentation cache current, which the fit then reads instead of SQLite
        scratch = work / "scratch.db"
        for name in ("", "-wal", "-shm"):
            scratch.with_name(scratch.name + name).unlink(missing_ok=True)
        source_db, copy_db = sqlite3.connect(db_path), sqlite3.connect(scratch)
        source_db.backup(copy_db)
        source_db.close()
        copy_db.close()
        scratch.chmod(db_path.stat().st_mode & 0o777)
        timed([*carteira[:-1], str(scratch), *refit])  # a kept fit to re-segment with
        without, with_fit, spent = resegment_cost(scratch, args.repeat, as_of)
        print(
            f"re-segmentation without a kept fit {[round(s, 3) for s in without]},"
            f" with it {[round(s, 3) for s in with_fit]}; difference of medians"
            f" {statistics.median(with_fit) - statistics.median(without):.3f}s;"
            f" the forecast's own steps inside the runs with it {[round(s, 3) for s in spent]}"
            " (target: scoring adds <= 0.1 s)"
        )
        # interleaved, so that the shared machine's load falls alike on each side
        cold: list[float] = []
        cold_cpu: list[float] = []
        cached: list[float] = []
        cached_cpu: list[float] = []
        theirs: list[float] = []
        theirs_cpu: list[float] = []
        out = printed = ""
        for _ in range(args.repeat):
            seconds, out = timed([*carteira, *refit])  # no segmentation cache: from SQLite
            cold.append(seconds)
            cold_cpu.append(CPU[-1])
            seconds, _out = timed([*carteira[:-1], str(scratch), *refit])
            cached.append(seconds)
            cached_cpu.append(CPU[-1])
            if args.lifetimes:
                _s, printed = timed(
                    [args.lifetimes, str(WRAPPER), str(REFERENCE), str(source), as_of.isoformat()]
                )
                found = re.search(r"lifetimes ([0-9.]+)s", printed)
                spent_cpu = re.search(r"lifetimes CPU ([0-9.]+)s", printed)
                assert found and spent_cpu, printed
                theirs.append(float(found.group(1)))
                theirs_cpu.append(float(spent_cpu.group(1)))
        print(out.strip().replace("\n", " ")[:700])
        print(
            f"carteira forecast --refit, whole process, reading SQLite: wall"
            f" {[round(s, 3) for s in cold]}, CPU {[round(s, 3) for s in cold_cpu]}"
        )
        print(
            f"carteira forecast --refit, whole process, segmentation cache current: wall"
            f" {[round(s, 3) for s in cached]}, CPU {[round(s, 3) for s in cached_cpu]}"
        )
        if theirs:
            print(
                f"lifetimes fit + score (its own clock): wall {theirs}, CPU {theirs_cpu}"
                f"  ({printed.strip().splitlines()[0]})"
            )
            peer, peer_cpu = statistics.median(theirs), statistics.median(theirs_cpu)
            for label, wall, cpu in (
                ("reading SQLite", cold, cold_cpu),
                ("cache current", cached, cached_cpu),
            ):
                print(
                    f"ratio, {label}: wall {statistics.median(wall) / peer:.3f},"
                    f" CPU {statistics.median(cpu) / peer_cpu:.3f}  (target <= 0.25)"
                )
        for name in ("", "-wal", "-shm"):
            scratch.with_name(scratch.name + name).unlink(missing_ok=True)
        shutil.rmtree(scratch.with_name(scratch.name + ".cache"), ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
