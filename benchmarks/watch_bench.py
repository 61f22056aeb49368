"""Ad-hoc: services.watch.record_run on N clients with 10 % of them moving."""

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from carteira_tui.services.watch import record_run
from carteira_tui.store.db import connect

n = int(sys.argv[1])
ids = pl.int_range(1, n + 1, eager=True)
prev = pl.DataFrame({"id": ids}).with_columns(
    pl.lit("ativo").alias("status"),
    pl.lit("Ativos").alias("segment"),
    pl.when(pl.col("id") % 5 == 0).then(pl.lit("A")).otherwise(pl.lit("C")).alias("abc"),
)
cur = prev.with_columns(
    pl.when(pl.col("id") % 10 == 0)
    .then(pl.lit("inativo_recente"))
    .otherwise(pl.col("status"))
    .alias("status")
)
with tempfile.TemporaryDirectory() as tmp:
    db_path = Path(tmp) / "w.db"
    with connect(db_path):
        pass
    t = time.perf_counter()
    done = record_run(db_path, previous=prev, current=cur, as_of=date(2026, 4, 17))
    print(f"record_run n={n}: {done.changed} movements written in {time.perf_counter() - t:.2f} s")
