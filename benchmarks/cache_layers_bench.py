"""Each layer of the segmentation cache, on and off, in the whole processes a user runs.

    .venv/bin/python benchmarks/imports_bench.py --clients 1000000 --orders 10000000 \\
        --work /tmp/wcache/1m --no-bulk-segment        # builds the portfolio once
    .venv/bin/python benchmarks/cache_layers_bench.py --work /tmp/wcache/1m

Uses the portfolio `imports_bench.py --work` built (base.db with its warm cache, novos.csv
holding 1,000 new orders). For each configuration, on a fresh copy of it: `carteira import
orders novos.csv` (which re-segments), `carteira board` and `carteira watch`, each a whole
process with its own peak RSS. A layer is switched off in the child process only, by a prelude
that sets the module constant or replaces the function it names (nothing in the product reads
a switch):

- `all layers`: as shipped;
- `no board figures`: the board recounts the run instead of reading `board.json`;
- `no run deltas`: every run is written whole (DELTA_SHARE = 0);
- `no base parts`: every patch rewrites base.arrow (COMPACT_SHARE = 0);
- `no windows file`: the cooling windows counted again from the orders mirror every run;
- `no base cache`: the derived files removed before the import (everything rebuilt from SQLite);
- in one process, the memo: what the app reads when it opens, with and without it.

Rule (issue "Trust" 3): keep a layer only where it saves ≥ 0.1 s.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from imports_bench import AS_OF, REFERENCE, bytecode_in, run  # noqa: E402

PARQUET = ("clients.parquet", "orders.parquet")

PRELUDES = {
    "all layers": "",
    "no board figures": (
        "import carteira_tui.services.board as b, carteira_tui.services.segmentation as s\n"
        "b.kept_board = s._kept_board = lambda *a, **k: None"
    ),
    "no run deltas": "import carteira_tui.store.cache as c; c.DELTA_SHARE = 0.0",
    "no base parts": "import carteira_tui.store.cache as c; c.COMPACT_SHARE = 0.0",
    "no windows file": (
        "import carteira_tui.store.cache as c; c._mirror_continues = lambda *a, **k: False"
    ),
    "no base cache": "",
}


def command(prelude: str, db: Path, *args: str) -> list[str]:
    """A `carteira` process with `prelude` run first (in the child only)."""
    code = f"{prelude}\nimport sys\nfrom carteira_tui.cli import main\nsys.exit(main())"
    return [sys.executable, "-c", code, "--db", str(db), *args]


def fresh_copy(work: Path, name: str, *, with_cache: bool) -> Path:
    db = work / name
    shutil.copyfile(work / "base.db", db)
    cache = Path(f"{db}.cache")
    shutil.rmtree(cache, ignore_errors=True)
    if with_cache:
        shutil.copytree(Path(f"{work / 'base.db'}.cache"), cache)
    return db


def memo_figures(db: Path) -> None:
    """What the app reads when it opens (Clientes, then Segmentos, then the alerts: the kept
    result three times, the previous run twice), in one process, with the memo and without it
    (every read composes the result again from the base and the run)."""
    from carteira_tui.config import Settings
    from carteira_tui.services import reports, segmentation, watch
    from carteira_tui.store import cache

    def app_opening() -> float:
        started = time.perf_counter()
        segmentation.current_results(db, settings=Settings())
        reports.segments_overview(db, settings=Settings())
        watch.alerts(db, as_of=AS_OF, settings=Settings())
        return time.perf_counter() - started

    segmentation.resegment(db, as_of=AS_OF, settings=Settings())  # the kept run is current
    cache._MEMO.clear()
    with_memo = min(app_opening() for _ in range(3))
    memoised = cache._memoised
    cache._memoised = lambda _kind, directory, read: read()  # type: ignore[assignment]
    try:
        without = min(app_opening() for _ in range(3))
    finally:
        cache._memoised = memoised
    print(f"memo: the app's opening reads {with_memo:.2f} s with it, {without:.2f} s without")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", required=True, help="the folder imports_bench.py --work built")
    parser.add_argument("--only", nargs="*", help="configurations to run (default: all)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--duckdb", help="a Python with duckdb: its whole job beside, each round")
    args = parser.parse_args()
    work = Path(args.work)
    bytecode_in(work / "pycache")
    as_of = AS_OF.strftime("%d/%m/%Y")
    novos = work / "novos.csv"
    totals: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for name, prelude in PRELUDES.items():
            if args.only and name not in args.only:
                continue
            db = fresh_copy(work, "layers.db", with_cache=name != "no base cache")
            imported = run(
                command(prelude, db, "import", "orders", str(novos), "--as-of", as_of),
                f"{name}: import 1,000",
            )
            board = run(command(prelude, db, "board", "--as-of", as_of), f"{name}: board")
            run(command(prelude, db, "watch"), f"{name}: watch")
            total = float(imported["seconds"]) + float(board["seconds"])  # type: ignore[arg-type]
            totals.setdefault(name, []).append(total)
            print(f"{name}: import + board {total:.2f} s", flush=True)
        if args.duckdb:
            duck = run(
                [args.duckdb, str(REFERENCE), *(str(work / f) for f in PARQUET), "2026-06-30"],
                "duckdb reference job",
            )
            totals.setdefault("duckdb reference", []).append(float(duck["seconds"]))  # type: ignore[arg-type]
    print("load average now:", Path("/proc/loadavg").read_text().split()[0])
    for name, values in totals.items():
        print(f"{name:<20} import + board: best {min(values):.2f} s of {len(values)}")
    memo_figures(work / "layers.db")
    return 0


if __name__ == "__main__":
    sys.exit(main())
