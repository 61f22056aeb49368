"""Headless benchmark of the Clientes pane on a generated portfolio (issue 4's measurement).

    .venv/bin/python benchmarks/tui_bench.py --rows 1000000 --size 120x40

Runs the real `CarteiraApp` under `run_test` and prints, for each step, wall time and CPU time
(`time.process_time`, all threads) around `pilot.press` + `pilot.pause` (+ waiting for workers
where the step starts one): first paint, cursor down, page down, end, sort, search as you type,
switching panes. Also times the search key build and one search on the bare frame.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from textual.pilot import Pilot
from textual.widgets import Input

from carteira_tui.config import Settings
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.messages import Portfolio
from carteira_tui.tui.screens.clients import search_clients, with_search_key
from carteira_tui.tui.widgets.frame_table import FrameTable

FIRST = ["José", "Ana", "João", "Maria", "Pedro", "Luíza", "Carlos", "Fernanda", "Márcia", "Tiago"]
LAST = ["Silva", "Souza", "Oliveira", "Santos", "Pereira", "Conceição", "Araújo", "Gonçalves"]
STATUSES = ["ativo", "inativo_recente", "inativo_antigo", "prospect"]
FILTERS = [
    'status in (ativo, inativo_recente) and abc = A and uf = "SP" and monetary >= 1000',
    "recency > 90 and frequency >= 3",
    'name ~ "silva"',
]
SEGMENTS = ["Campeões", "Leais", "Em risco", "Hibernando", "Novos", "Quase dormindo"]


def generated_frame(rows: int) -> pl.DataFrame:
    """`rows` clients in the segmentation result's columns, built with Polars only."""
    i = pl.int_range(1, rows + 1, dtype=pl.Int64, eager=True)
    frame = pl.DataFrame({"id": i})

    def pick(values: list[str], mult: int) -> pl.Expr:
        index = (pl.col("id") * mult) % len(values)
        return index.replace_strict(list(range(len(values))), values, return_dtype=pl.String)

    return frame.with_columns(
        client_id=pl.format("C{}", pl.col("id").cast(pl.String).str.zfill(7)),
        name=pl.concat_str(
            [pick(FIRST, 7), pick(LAST, 13), pl.col("id").cast(pl.String)], separator=" "
        ),
        document=pl.format("{}.456.789-00", (pl.col("id") % 1000).cast(pl.String).str.zfill(3)),
        email=pl.format("cliente{}@exemplo.com.br", pl.col("id")),
        phone=pl.format("(11) 9{}", (pl.col("id") % 100_000_000).cast(pl.String).str.zfill(8)),
        city=pick(["São Paulo", "Recife", "Curitiba", "Belém", "Goiânia"], 3),
        uf=pick(["SP", "PE", "PR", "PA", "GO"], 3),
        status=pick(STATUSES, 5),
        rfm_segment=pick(SEGMENTS, 11),
        abc=pick(["A", "B", "C"], 17),
        recency_days=(pl.col("id") * 37) % 900,
        frequency=(pl.col("id") * 11) % 40,
        monetary_cents=(pl.col("id") * 7919) % 50_000_000,
        owner=pick(["Maria", "Paulo", "Rita", "Bruno"], 19),
    )


class Timer:
    """Collects (wall, cpu) samples per step."""

    def __init__(self) -> None:
        self.samples: dict[str, list[tuple[float, float]]] = {}

    async def measure(self, step: str, action: Callable[[], Awaitable[Any]]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        await action()
        sample = (time.perf_counter() - wall, time.process_time() - cpu)
        self.samples.setdefault(step, []).append(sample)

    def report(self) -> None:
        print(f"{'step':32} {'n':>4} {'wall median':>12} {'cpu median':>11} {'cpu max':>9}")
        for step, samples in self.samples.items():
            walls = [w * 1000 for w, _ in samples]
            cpus = [c * 1000 for _, c in samples]
            print(
                f"{step:32} {len(samples):4d} {statistics.median(walls):10.1f}ms "
                f"{statistics.median(cpus):9.1f}ms {max(cpus):7.1f}ms"
            )


async def run(rows: int, size: tuple[int, int], presses: int) -> None:
    t0 = time.perf_counter()
    raw = generated_frame(rows)
    print(f"generated {rows:,} rows in {time.perf_counter() - t0:.2f}s")
    t0 = time.perf_counter()
    keyed = with_search_key(raw)
    print(f"search key build: {time.perf_counter() - t0:.2f}s (once, in the load worker)")
    for query in ("jose", "silva 12", "9 0001"):
        t0 = time.perf_counter()
        hits = search_clients(keyed, query).height
        print(f"bare search {query!r}: {(time.perf_counter() - t0) * 1000:.0f}ms, {hits:,} hits")

    timer = Timer()

    def loader() -> Portfolio:
        # as load_portfolio does: the search key is built inside the load worker
        return Portfolio(with_search_key(raw), date(2026, 11, 20))

    app = CarteiraApp(Path("/tmp/bench.db"), settings=Settings(), loader=loader)

    async def loaded(pilot: Pilot[None]) -> None:
        while not app.screen.query(FrameTable) or app.screen.query_one(FrameTable).row_count == 0:
            await pilot.pause(0.005)
        await pilot.pause()

    wall0, cpu0 = time.perf_counter(), time.process_time()
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        timer.samples["open (first paint of rows)"] = [
            (time.perf_counter() - wall0, time.process_time() - cpu0)
        ]
        table = app.screen.query_one(FrameTable)

        async def press(*keys: str) -> None:
            await pilot.press(*keys)
            await pilot.pause()

        async def press_and_wait(*keys: str) -> None:
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()

        for _ in range(presses):
            await timer.measure("cursor down (j)", lambda: press("j"))
        for _ in range(presses):
            await timer.measure("page down", lambda: press("pagedown"))
        await timer.measure("end (G)", lambda: press("G"))
        await timer.measure("home (g)", lambda: press("g"))
        await timer.measure("sort (s, by código)", lambda: press_and_wait("s"))
        await timer.measure("reverse sort (S)", lambda: press_and_wait("S"))
        for _ in range(presses):
            await timer.measure("page down after sort", lambda: press("pagedown"))
        await press("slash")
        for key in "silva 12":
            await timer.measure("search keystroke (to repaint)", lambda k=key: press_and_wait(k))
        print(f"search 'silva 12' shows {table.row_count:,} rows")
        await press_and_wait("escape")
        await press("f")
        filter_input = app.screen.query_one("#filter-input", Input)

        async def apply_filter(text: str) -> None:
            filter_input.value = text
            await app.workers.wait_for_complete()
            await pilot.pause()

        for text in FILTERS:
            await timer.measure("apply filter (to repaint)", lambda t=text: apply_filter(t))
            print(f"filter {text!r} shows {table.row_count:,} rows")
        await press_and_wait("escape")
        for _ in range(3):
            await timer.measure("switch pane (2)", lambda: press("2"))
            await timer.measure("switch pane (1)", lambda: press("1"))
    timer.report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--size", default="120x40", help="terminal size, WxH")
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    asyncio.run(run(args.rows, (width, height), args.presses))


if __name__ == "__main__":
    main()
