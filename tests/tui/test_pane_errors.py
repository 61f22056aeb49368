"""The panes' base shows the product's errors (`CarteiraError`) once, with message and hint."""

from __future__ import annotations

import os
import subprocess
import sys
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


CRASHING_APP = (
    "import sys\n"
    "from pathlib import Path\n"
    "from carteira_tui.config import Settings\n"
    "from carteira_tui.tui.app import CarteiraApp\n"
    "def broken(self):\n"
    "    raise ZeroDivisionError('divisão quebrada')\n"
    "CarteiraApp.on_mount = broken\n"
    "app = CarteiraApp(Path(sys.argv[1]), settings=Settings())\n"
    "app.run(headless=True, size=(80, 24))\n"
    "sys.exit(app.return_code or 0)\n"
)


def test_a_crash_outside_a_worker_leaves_a_message_and_the_log_not_a_traceback(
    db_path: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    run = subprocess.run(
        [sys.executable, "-c", CRASHING_APP, str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    log = tmp_path / "state" / "carteira" / "log" / "erros.log"
    shown = run.stdout + run.stderr
    assert run.returncode == 1
    assert "Traceback" not in shown and "ZeroDivisionError" not in shown
    assert "Erro inesperado no aplicativo: a operação não foi concluída." in shown
    assert f"Os detalhes técnicos foram gravados em {log}" in shown
    assert "ZeroDivisionError: divisão quebrada" in log.read_text(encoding="utf-8")
