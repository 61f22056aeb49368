"""Opening the app and switching panes on a real database (issue 4's open and switch figures).

    .venv/bin/python benchmarks/pane_switch_bench.py carteira.db [--size 120x40] [--rounds 8]

Unlike tui_bench.py (a generated frame over an empty database), this runs `CarteiraApp` on a
database with current segmentation results, as a person opens it: wall time until the Clientes
table shows its rows, then CPU time (`time.process_time`, all threads) per pane switch, key press
to repaint with the workers it starts.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.widgets.frame_table import FrameTable


async def run(db_path: Path, size: tuple[int, int], rounds: int) -> None:
    started = time.perf_counter()
    app = CarteiraApp(db_path)
    async with app.run_test(size=size) as pilot:
        table = app.screen.query_one(FrameTable)
        while table.row_count == 0:
            await pilot.pause(0.01)
        print(
            f"open to a usable list: {time.perf_counter() - started:.2f} s wall "
            f"({table.row_count:,} rows)"
        )
        await app.workers.wait_for_complete()
        for key in ("2", "1"):  # first visit mounts the pane; not what is measured
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
        cpu: dict[str, list[float]] = {"2": [], "1": []}
        for _ in range(rounds):
            for key in ("2", "1"):
                start = time.process_time()
                await pilot.press(key)
                await pilot.pause()
                await app.workers.wait_for_complete()
                cpu[key].append((time.process_time() - start) * 1000)
        for key, values in cpu.items():
            print(
                f"switch to pane {key}: CPU median {statistics.median(values):.1f} ms, "
                f"max {max(values):.1f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--size", default="120x40", help="terminal size, WxH")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    asyncio.run(run(args.db, (width, height), args.rounds))


if __name__ == "__main__":
    main()
