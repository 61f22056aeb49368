"""The panes' base shows the product's errors (`CarteiraError`) once, with message and hint."""

from __future__ import annotations

from pathlib import Path

from carteira_tui.errors import CarteiraError
from carteira_tui.tui.app import CarteiraApp


async def test_a_carteira_error_in_a_worker_shows_its_message_and_hint(db_path: Path) -> None:
    def broken() -> object:
        raise CarteiraError("o banco está ocupado", hint="tente de novo em instantes")

    app = CarteiraApp(db_path, loader=broken)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert "Erro · o banco está ocupado\ntente de novo em instantes" in messages
        assert not any("Não foi possível concluir" in m for m in messages)
        assert app.is_running
