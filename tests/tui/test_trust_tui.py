"""A database opened without its cache (a copy, a backup restored elsewhere) is computed
first, with progress, and then shows its real clients — never "0 de 0 clientes"."""

from __future__ import annotations

import asyncio
import shutil
import sys
from datetime import date
from pathlib import Path

from textual.widgets import Static

from carteira_tui.config import Settings
from carteira_tui.services.segmentation import resegment
from carteira_tui.tui.app import CarteiraApp

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from test_segmentation import seed_small  # noqa: E402


async def test_a_copy_without_its_cache_opens_on_its_real_clients(tmp_path: Path) -> None:
    original = tmp_path / "carteira.db"
    seed_small(original)
    resegment(original, as_of=date(2026, 6, 30), settings=Settings())
    copy = tmp_path / "copia" / "carteira.db"
    copy.parent.mkdir()
    shutil.copyfile(original, copy)
    app = CarteiraApp(copy, settings=Settings())
    seen: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.pause()
            summary = str(app.screen.query_one("#clients-summary", Static).render())
            seen.append(summary)
            if summary.startswith("4 de 4"):
                break
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
    assert seen[-1].startswith("4 de 4 clientes")
    assert not any(line.startswith("0 de 0") for line in seen)


async def test_a_copy_without_its_cache_opened_on_hoje_names_its_clients(tmp_path: Path) -> None:
    """The app opens on Hoje: the status line computes the copy's result itself (the Clientes
    pane, not opened, is not there to do it) and says the data-base and the real count."""
    original = tmp_path / "carteira.db"
    seed_small(original)
    resegment(original, as_of=date(2026, 6, 30), settings=Settings())
    copy = tmp_path / "copia" / "carteira.db"
    copy.parent.mkdir()
    shutil.copyfile(original, copy)
    app = CarteiraApp(copy, settings=Settings())
    app.first_pane = "hoje"
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.pause()
            if app.client_count:
                break
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_mode == "hoje"
        assert (app.as_of, app.client_count) == (date(2026, 6, 30), 4)
