"""Opening the app and switching panes on a real database (issue 4's open and switch figures),
and Hoje's own figures (issue "Hoje": switching to Hoje, closing a row and showing the next).

    .venv/bin/python benchmarks/pane_switch_bench.py carteira.db [--size 120x40] [--rounds 8]
        [--hoje-only] [--closes 5]

Unlike tui_bench.py (a generated frame over an empty database), this runs `CarteiraApp` on a
database with current segmentation results, as a person opens it: wall time until the Clientes
table shows its rows, then CPU time (`time.process_time`, all threads) per pane switch, key press
to repaint with the workers it starts. For Hoje (key 3, "me" from CARTEIRA_USER), beside the
same switch to Segmentos: wall time from the key to the pane painted, and to its workers
finished (it re-reads the queue only when the database changed); from the outcome key after `d`
(1, Atendeu, in the choice bar under the table) to the next client under the cursor, and to the
write and re-read finished; the same for `s` then 1 (snooze to tomorrow). The pilot's waits
sleep until the whole process is idle, in steps: so the switches (3 to Hoje, beside 2 to
Segmentos, from Clientes) and the closes are also timed as a terminal sends the key, to the first
screen update written that shows the change (Textual's `switch_mode` holds updates for 50 ms:
`App.delay_update`), with the UI thread's CPU time. `today_bench.py` builds a 1M-client database
for it (then run `carteira segment` on it). Closing rows writes to the database: use a copy.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.screens.today import TodayScreen
from carteira_tui.tui.widgets.frame_table import FrameTable
from carteira_tui.tui.widgets.task_queue import TaskQueue


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


def _cpu_ms(since: float) -> float:
    return (time.process_time() - since) * 1000


def _report(label: str, values: list[float]) -> None:
    print(
        f"{label:<50} median {statistics.median(values):7.1f} ms, "
        f"min {min(values):7.1f} ms, max {max(values):7.1f} ms (n={len(values)})"
    )


async def hoje(app: CarteiraApp, pilot: object, rounds: int, closes: int) -> None:
    """Switch to Hoje from Clientes `rounds` times, then close `closes` rows with `d` and as
    many with `s`, timing each (wall clock)."""
    from textual.pilot import Pilot
    from textual.screen import ModalScreen

    assert isinstance(pilot, Pilot)
    painted: list[float] = []
    loaded: list[float] = []
    peer: list[float] = []
    painted_cpu: list[float] = []
    for _ in range(rounds):
        await pilot.press("1")
        await pilot.pause()
        await app.workers.wait_for_complete()
        started = time.perf_counter()  # the peer: the same switch to Segmentos, no reload
        await pilot.press("2")
        await pilot.pause()
        peer.append(_ms(started))
        await app.workers.wait_for_complete()
        await pilot.press("1")
        await pilot.pause()
        await app.workers.wait_for_complete()
        started, cpu = time.perf_counter(), time.process_time()
        await pilot.press("3")
        await pilot.pause()
        painted.append(_ms(started))
        painted_cpu.append(_cpu_ms(cpu))
        await app.workers.wait_for_complete()
        await pilot.pause()
        loaded.append(_ms(started))
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    table = screen.query_one("#today-table", TaskQueue)
    print(f"Hoje: {screen.view.describe(screen.owner)}, {table.row_count:,} clients")
    _report("peer: switch to Segmentos, pane painted", peer)
    _report("switch to Hoje: pane painted", painted)
    _report("switch to Hoje: pane painted, CPU (all threads)", painted_cpu)
    _report("switch to Hoje: its workers finished", loaded)
    switches: dict[str, tuple[list[float], list[float]]] = {"2": ([], []), "3": ([], [])}
    for _ in range(rounds):  # the same switches as a terminal sends the key: to the paint
        for key in ("2", "3"):
            await pilot.press("1")
            await pilot.pause()
            await app.workers.wait_for_complete()
            wall, cpu_main = await _switch_painted(app, pilot, key)
            switches[key][0].append(wall)
            switches[key][1].append(cpu_main)
    _report("peer: key 2 to Segmentos painted", switches["2"][0])
    _report("peer: the same, CPU of the UI thread", switches["2"][1])
    _report("key 3 to Hoje's queue painted", switches["3"][0])
    _report("key 3 to Hoje's queue painted, CPU of the UI thread", switches["3"][1])
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    table = screen.query_one("#today-table", TaskQueue)
    for key, confirm, label in (("d", "1", "done (Atendeu)"), ("s", "1", "snooze")):
        shown: list[float] = []
        shown_cpu: list[float] = []
        settled: list[float] = []
        for _ in range(closes):
            before = table.cursor_id
            await pilot.press(key)
            await pilot.pause()
            if key == "s" and isinstance(app.screen, ModalScreen):
                confirm = "enter"  # the snooze dialog before the choice bar: its default day
            started, cpu = time.perf_counter(), time.process_time()
            await pilot.press(confirm)
            while table.cursor_id == before:
                await pilot.pause(0.001)
            shown.append(_ms(started))
            shown_cpu.append(_cpu_ms(cpu))
            await app.workers.wait_for_complete()
            await pilot.pause()
            settled.append(_ms(started))
        _report(f"{label}: next client under the cursor", shown)
        _report(f"{label}: next client, CPU (all threads)", shown_cpu)
        _report(f"{label}: written and the queue re-read", settled)
    for key, label in (("d", "done (Atendeu)"), ("s", "snooze")):
        painted_at: list[float] = []
        main_cpu: list[float] = []
        for _ in range(closes):
            wall, cpu_main = await _close_painted(app, pilot, table, key)
            painted_at.append(wall)
            main_cpu.append(cpu_main)
        _report(f"{label}: key to next client painted", painted_at)
        _report(f"{label}: the same, CPU of the UI thread", main_cpu)


def _send_key(app: CarteiraApp, key: str) -> None:
    """Send `key` as the terminal would: a key event posted by the driver, no pilot wait."""
    from textual import events

    driver = app._driver
    assert driver is not None
    event = events.Key(key, "\r" if key == "enter" else key)
    event.set_sender(app)
    driver.send_message(event)


async def _switch_painted(app: CarteiraApp, pilot: object, key: str) -> tuple[float, float]:
    """Send pane key `key` (2 Segmentos, 3 Hoje) as the terminal would: wall time from the key
    to the first screen update of that pane (for Hoje, with its queue's rows), and the UI
    thread's CPU time over that span."""
    from textual.pilot import Pilot

    from carteira_tui.tui.screens.segments import SegmentsScreen

    assert isinstance(pilot, Pilot)
    wanted = TodayScreen if key == "3" else SegmentsScreen
    writes: list[tuple[float, float]] = []  # (wall, UI thread's CPU) at the update
    display = app._display

    def displayed(screen: Any, renderable: Any) -> None:
        # an update inside a batch is dropped, not written: `switch_mode` holds one for 50 ms
        # (`App.delay_update`), so the pane's first update written comes after it
        written = renderable is not None and not app._batch_count
        display(screen, renderable)
        if written and isinstance(screen, wanted):
            if not isinstance(screen, TodayScreen) or screen.table.row_count:
                writes.append((time.perf_counter(), time.thread_time()))

    app._display = displayed
    started, cpu = time.perf_counter(), time.thread_time()
    _send_key(app, key)
    while not writes:
        await asyncio.sleep(0.0005)
    wall, cpu_main = (writes[0][0] - started) * 1000, (writes[0][1] - cpu) * 1000
    del app._display
    await app.workers.wait_for_complete()
    await pilot.pause()
    return wall, cpu_main


async def _close_painted(
    app: CarteiraApp, pilot: object, table: TaskQueue, key: str
) -> tuple[float, float]:
    """Open `key`'s choice (bar or dialog), then send its first choice as the terminal would
    (no pilot wait: it sleeps until the whole process, write worker included, is idle): wall
    time from the key to the first screen update after the next client is under the cursor,
    and the UI thread's CPU time over that span."""
    from textual import events
    from textual.pilot import Pilot
    from textual.screen import ModalScreen

    assert isinstance(pilot, Pilot)
    await pilot.press(key)
    await pilot.pause()
    confirm = "enter" if isinstance(app.screen, ModalScreen) and key == "s" else "1"
    driver = app._driver
    assert driver is not None
    writes: list[float] = []
    display = app._display  # the screen's updates (headless: rendered, not written)

    def displayed(screen: Any, renderable: Any) -> None:
        if renderable is not None and not app._batch_count:  # written, not dropped
            writes.append(time.perf_counter())
        display(screen, renderable)

    app._display = displayed
    before = table.cursor_id
    moved = 0.0
    started, cpu = time.perf_counter(), time.thread_time()
    event = events.Key(confirm, "\r" if confirm == "enter" else confirm)
    event.set_sender(app)
    driver.send_message(event)
    while True:
        await asyncio.sleep(0.0005)
        if not moved and table.cursor_id != before:
            moved = time.perf_counter()
        if moved and writes and writes[-1] >= moved:
            break
    wall, cpu_main = _ms(started), (time.thread_time() - cpu) * 1000
    del app._display  # the class's method again
    await app.workers.wait_for_complete()
    await pilot.pause()
    return wall, cpu_main


async def run(
    db_path: Path, size: tuple[int, int], rounds: int, *, hoje_only: bool = False, closes: int = 5
) -> None:
    started = time.perf_counter()
    app = CarteiraApp(db_path)
    async with app.run_test(size=size) as pilot:
        if hoje_only:
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            print(f"open: {time.perf_counter() - started:.2f} s wall")
            await hoje(app, pilot, rounds, closes)
            return
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
    parser.add_argument("--hoje-only", action="store_true", help="only Hoje's figures")
    parser.add_argument("--closes", type=int, default=5, help="rows closed with d and with s")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    asyncio.run(
        run(args.db, (width, height), args.rounds, hoje_only=args.hoje_only, closes=args.closes)
    )


if __name__ == "__main__":
    main()
