"""One snapshot per pane at 80×24 (and Clientes at 120×40) on the deterministic portfolio."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from textual.pilot import Pilot

from carteira_tui.tui.app import CarteiraApp

SnapCompare = Callable[..., bool]


async def loaded(pilot: Pilot[Any]) -> None:
    """Wait until the portfolio is on screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_clientes_pane_at_80x24(snap_compare: SnapCompare, app: CarteiraApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_clientes_pane_at_120x40(
    snap_compare: SnapCompare,
    db_path: Path,
    make_app: Callable[[Path, pl.DataFrame], CarteiraApp],
    portfolio_frame: Callable[[int], pl.DataFrame],
) -> None:
    app = make_app(db_path, portfolio_frame(60))
    assert snap_compare(app, terminal_size=(120, 40), run_before=loaded)


def test_segmentos_pane_at_80x24(snap_compare: SnapCompare, app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


def test_tarefas_pane_at_80x24(snap_compare: SnapCompare, app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("3")
        await loaded(pilot)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


def test_clientes_empty_search_says_why_at_80x24(
    snap_compare: SnapCompare, app: CarteiraApp
) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("slash", *"Teresina")
        await loaded(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


def test_clientes_sort_picker_at_80x24(snap_compare: SnapCompare, app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


def test_clientes_reverse_sort_starts_at_the_top_at_80x24(
    snap_compare: SnapCompare, app: CarteiraApp
) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("j", "j", "S")  # the first column, descending, from the top
        await loaded(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)
