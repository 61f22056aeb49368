"""`carteira today --mine` as a person types it, on a 1M-client portfolio with ~65k open tasks.

    .venv/bin/python benchmarks/today_bench.py [--db /tmp/today-1m.db] [--clients 1000000]
        [--rounds 7]

Builds the database once if the file is missing (synthesised directly in SQLite: 50 owners,
clients with order aggregates for 3 in 4, a logged contact for 2 in 5, one open task for 2 in
31 and as many closed ones, dated around the day it is built), then times whole processes,
interleaved so a busy moment hits each alike: `python -c pass`, `python -c "import click"`,
`carteira --help`, `whoami`, and `CARTEIRA_USER="Vendedor 7" carteira today --mine` (plus
`--format json` and everybody's top 50). Medians and minimums of wall time, and the ratio to
`import click`. Bytecode is cached as an installed package has it (PYTHONDONTWRITEBYTECODE is
dropped for the children).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

AS_OF = date.today()
"""The day the data is built around (the commands run without --as-of, as people type them)."""
OWNERS = 50


def build(db_path: Path, clients: int) -> None:
    """Synthesise the portfolio with SQL (seconds, not minutes, at 1M clients)."""
    from carteira_tui.store.db import connect

    day0 = AS_OF.isoformat()
    with connect(db_path) as db, db.atomic():
        db.conn.executemany(
            "INSERT INTO owners(id, name, login, daily_target) VALUES (?, ?, ?, ?)",
            [(i, f"Vendedor {i}", f"v{i}", 30 if i % 2 else None) for i in range(1, OWNERS + 1)],
        )
        seq = "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)"
        db.execute(
            f"{seq} INSERT INTO clients(id, external_id, name, owner_id, channel_pref,"
            " consent_email, consent_phone, consent_whatsapp, consent_sms, birth_date)"
            " SELECT i, printf('C%07d', i), printf('Cliente %d da Silva', i),"
            f" i % {OWNERS} + 1,"
            " CASE i % 4 WHEN 0 THEN 'whatsapp' WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END,"
            " i % 7 <> 0, i % 3 <> 0, i % 13 <> 0, i % 2,"
            " date('1960-01-01', printf('+%d days', i % 14600)) FROM seq",
            [clients],
        )
        db.execute(
            f"{seq} INSERT INTO client_aggregates(client_id, first_purchase, last_purchase,"
            " frequency, monetary_cents, purchase_days)"
            " SELECT i, date(?, printf('-%d days', 400 + i % 900)),"
            " date(?, printf('-%d days', i % 500)), 1 + i % 12, 5000 + (i * 7919) % 9000000,"
            " 1 + i % 9 FROM seq WHERE i % 4 <> 0",
            [clients, day0, day0],
        )
        db.execute(
            f"{seq} INSERT INTO interactions(client_id, at, channel, kind, outcome, who)"
            " SELECT i, datetime(?, printf('-%d days', 1 + i % 200), '+10 hours'), 'whatsapp',"
            " 'contato', 'Atendeu', 'bench' FROM seq WHERE i % 5 < 2",
            [clients, day0],
        )
        segments = ["Clientes A em risco", "Ativos", "Inativos recentes", "Inativos antigos"]
        segment_case = " ".join(f"WHEN {n} THEN '{name}'" for n, name in enumerate(segments))
        for status, offset in (("aberta", 0), ("concluida", 2)):
            db.execute(
                f"{seq} INSERT INTO tasks(client_id, plan_id, kind, title, status, priority,"
                " channel, owner_id, due, created_on, abc, cooling, segment, closed_on)"
                " SELECT i, 1 + i % 11, NULL, NULL, ?, substr('HML', 1 + i % 3, 1),"
                f" NULL, i % {OWNERS} + 1, date(?, printf('%+d days', i % 30 - 20)),"
                " date(?, printf('-%d days', 30 + i % 60)),"
                " substr('ABCCC', 1 + i % 5, 1), i % 11 = 0,"
                f" CASE i % 4 {segment_case} END,"
                " CASE WHEN ? = 'aberta' THEN NULL ELSE date(?, '-3 days') END"
                " FROM seq WHERE (i + ?) % 31 IN (0, 1)",
                [clients, status, day0, day0, status, day0, offset],
            )
        db.execute("ANALYZE")


def whole_process(argv: list[str], env: dict[str, str], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/today-1m.db"))
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if not args.db.exists():
        started = time.perf_counter()
        build(args.db, args.clients)
        print(f"built {args.db} in {time.perf_counter() - started:.1f} s")
    import sqlite3

    with sqlite3.connect(args.db) as conn:
        open_tasks = conn.execute("SELECT count(*) FROM tasks WHERE status = 'aberta'").fetchone()
        n_clients = conn.execute("SELECT count(*) FROM clients").fetchone()
    print(f"{n_clients[0]:,} clients, {open_tasks[0]:,} open tasks; load {os.getloadavg()}")
    python = sys.executable
    carteira = str(Path(python).with_name("carteira"))
    env = {**os.environ, "CARTEIRA_USER": "Vendedor 7"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached after the first run
    db = ["--db", str(args.db)]
    runs = {
        "python -c pass": [python, "-c", "pass"],
        'python -c "import click"': [python, "-c", "import click"],
        "carteira --help": [carteira, "--help"],
        "carteira whoami": [carteira, "whoami", *db],
        "carteira today --mine": [carteira, "today", "--mine", *db],
        "carteira today --mine --format json": [
            carteira,
            "today",
            "--mine",
            "--format",
            "json",
            *db,
        ],
        "carteira today (everybody, top 50)": [carteira, "today", *db],
    }
    results: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(args.rounds):  # interleaved, so a busy moment hits every command alike
        for label, argv in runs.items():
            results[label] += whole_process(argv, env, 1)
    click_median = statistics.median(results['python -c "import click"'])
    for label, times in results.items():
        median = statistics.median(times)
        print(
            f"{label:<40} median {median:6.3f} s  min {min(times):6.3f} s"
            f"  ({median / click_median:4.1f}× import click)"
        )


if __name__ == "__main__":
    main()
