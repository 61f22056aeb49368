"""App-wide session behaviour: noticing other people's writes, read-only mode, masking."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Static

from carteira_tui.config import Settings
from carteira_tui.services import session
from carteira_tui.store.db import connect, open_db
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.messages import Portfolio
from carteira_tui.tui.screens.clients import with_search_key
from conftest import AS_OF, portfolio_frame


def _counting_app(db_path: Path, calls: list[int], **kwargs: object) -> CarteiraApp:
    portfolio = Portfolio(with_search_key(portfolio_frame(5)), AS_OF)

    def loader() -> Portfolio:
        calls.append(1)
        return portfolio

    return CarteiraApp(db_path, settings=Settings(), loader=loader, **kwargs)  # type: ignore[arg-type]


async def test_a_write_by_another_connection_reloads_the_open_pane(db_path: Path) -> None:
    open_db(db_path).close()
    calls: list[int] = []
    app = _counting_app(db_path, calls, watch_interval=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await asyncio.sleep(0.4)
        await app.workers.wait_for_complete()
        loads_before = len(calls)
        with connect(db_path) as other, other.atomic():
            other.execute("INSERT INTO clients(external_id, name) VALUES ('X1', 'Outra pessoa')")
        for _ in range(30):
            await asyncio.sleep(0.1)
            await pilot.pause()
            if len(calls) > loads_before:
                break
        assert len(calls) > loads_before


async def test_without_writes_the_pane_is_not_reloaded(db_path: Path) -> None:
    open_db(db_path).close()
    calls: list[int] = []
    app = _counting_app(db_path, calls, watch_interval=0.1)
    async with app.run_test(size=(80, 24)):
        await asyncio.sleep(0.3)
        await app.workers.wait_for_complete()
        settled = len(calls)
        await asyncio.sleep(0.5)
        await app.workers.wait_for_complete()
        assert len(calls) == settled


async def test_read_only_mode_shows_a_badge(db_path: Path) -> None:
    open_db(db_path).close()
    app = CarteiraApp(
        db_path,
        settings=Settings(read_only=True),
        loader=lambda: Portfolio(with_search_key(portfolio_frame(3)), AS_OF),
    )
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            header = " ".join(str(w.render()) for w in app.screen.query(Static))
            assert "somente leitura" in header
    finally:
        session.set_read_only(False)


async def test_segmentos_reloads_on_return_only_after_a_change(
    db_path: Path, tmp_path: Path
) -> None:
    from datetime import date

    from carteira_tui.services.imports import import_file
    from carteira_tui.services.segmentation import resegment
    from carteira_tui.tui.screens.segments import SegmentsScreen

    source = tmp_path / "c.csv"
    source.write_text("Código;Nome\nC1;Ana\n", encoding="utf-8")
    import_file(db_path, "clients", source)
    resegment(db_path, as_of=date(2026, 11, 23), settings=Settings())
    calls: list[int] = []
    app = _counting_app(db_path, calls, watch_interval=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SegmentsScreen)
        loads = screen._requests
        await pilot.press("1", "2")
        await app.workers.wait_for_complete()
        assert screen._requests == loads  # nothing changed: switching back is free
        await pilot.press("1")
        with connect(db_path) as other, other.atomic():
            other.execute("UPDATE clients SET name = 'Ana Maria'")
        for _ in range(30):
            await asyncio.sleep(0.1)
            await pilot.pause()
            if app.data_changes:
                break
        await pilot.press("2")
        await app.workers.wait_for_complete()
        assert screen._requests == loads + 1
