"""The Cliente card on a real database: every section, and log / note / edit / follow-up keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from test_tasks_screen import DAY, seed_portfolio, settle
from textual.pilot import Pilot
from textual.widgets import Input, Static

from carteira_tui.config import Settings
from carteira_tui.services import segmentation
from carteira_tui.services.clients import EDITABLE_FIELDS, client_card, sparkline
from carteira_tui.store.db import connect
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.screens import client_card as card_module
from carteira_tui.tui.screens.client_card import ClientCardScreen
from carteira_tui.tui.screens.clients import ClientsScreen
from carteira_tui.tui.screens.text_modal import TextModal
from carteira_tui.tui.widgets.card.sections import profile_text

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(card_module, "today", lambda: DAY)


@pytest.fixture
def seeded_app(db_path: Path, make_app: Callable[[Path, pl.DataFrame], CarteiraApp]) -> CarteiraApp:
    seed_portfolio(db_path)
    frame = segmentation.current_results(db_path, settings=Settings()).frame
    return make_app(db_path, frame)


async def open_card(pilot: Pilot[Any], client_id: int = 1) -> ClientCardScreen:
    """Open the card from the Clientes pane with enter on the client's row."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ClientsScreen)
    while screen.table.cursor_id != client_id:
        await pilot.press("j")
    await pilot.press("enter")
    await settle(pilot)
    card = pilot.app.screen
    assert isinstance(card, ClientCardScreen)
    return card


def text(card: ClientCardScreen, selector: str) -> str:
    return str(card.query_one(selector).render())


def test_sparkline_is_a_dot_for_empty_months_and_a_full_block_for_the_top() -> None:
    assert sparkline([0, 100, 50, None, 13]) == "·█▄·▂"
    assert sparkline([0, 0]) == "··"


def test_profile_text_has_every_field_in_two_columns_at_80(db_path: Path) -> None:
    seed_portfolio(db_path)
    profile = client_card(db_path, 1, as_of=DAY).profile
    lines = profile_text(profile, 76).splitlines()
    assert lines[0].startswith("Nome") and lines[0].endswith("Alfa Comércio")
    assert any(line.startswith("UF              SP") for line in lines)
    assert max(len(line) for line in lines) <= 76
    assert len(lines) == 4 + (30 - 4 + 1) // 2  # wide fields, then the rest in pairs


async def test_enter_on_clientes_opens_the_card_with_every_section(
    seeded_app: CarteiraApp,
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        card = await open_card(pilot, 1)
        assert "Alfa Comércio · C001 · responsável Ana" in text(card, "#card-title")
        profile = text(card, "#card-profile")
        assert "alfa@exemplo.com.br" in profile and "(11) 98765-4321" in profile
        orders = text(card, "#card-orders")
        assert "2 pedidos · total R$ 150,50 · ticket médio R$ 75,25" in orders
        assert "Gasto mensal dez/2024–nov/2026:" in orders
        assert "█" in orders
        assert "Ligar para Alfa" in text(card, "#card-tasks")
        assert "Visita mensal" in text(card, "#card-tasks")
        assert "01/10/2026 Telefone · Oferta · Atendeu — pediu catálogo (Ana)" in text(
            card, "#card-timeline"
        )
        assert "Completude" in text(card, "#card-quality")
        assert "Status:" in text(card, "#card-segmentation")
        assert "Segmento" in text(card, "#card-headline")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(seeded_app.screen, ClientsScreen)


async def test_i_logs_a_contact_on_the_timeline(seeded_app: CarteiraApp, db_path: Path) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        card = await open_card(pilot, 2)
        await pilot.press("i", *"Atendeu", "tab", *"vai comprar", "enter")
        await settle(pilot)
        with connect(db_path) as db:
            row = db.execute(
                "SELECT client_id, channel, outcome, note, substr(at, 1, 10) FROM interactions"
                " WHERE client_id = 2"
            ).fetchone()
        assert row == (2, "E-mail", "Atendeu", "vai comprar", "2026-11-19")
        assert "19/11/2026 E-mail · Atendeu — vai comprar" in text(card, "#card-timeline")


async def test_n_adds_a_dated_note(seeded_app: CarteiraApp, db_path: Path) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        card = await open_card(pilot, 1)
        await pilot.press("n", *"prefere de manhã", "enter")
        await settle(pilot)
        with connect(db_path) as db:
            notes = db.execute("SELECT notes FROM clients WHERE id = 1").fetchone()[0]
        assert notes.startswith("19/11/2026 ") and notes.endswith(": prefere de manhã")
        assert "prefere de manhã" in text(card, "#card-profile")


async def test_e_edits_a_field_and_a_bad_value_changes_nothing(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        card = await open_card(pilot, 2)
        downs = ["j"] * EDITABLE_FIELDS.index("uf")
        await pilot.press("e", *downs, "enter", "ctrl+u", *"ba", "enter")
        await settle(pilot)
        with connect(db_path) as db:
            assert db.execute("SELECT uf FROM clients WHERE id = 2").fetchone()[0] == "BA"
        assert "UF              BA" in text(card, "#card-profile")
        downs = ["j"] * EDITABLE_FIELDS.index("email")
        await pilot.press("e", *downs, "enter", "ctrl+u", *"sem-arroba", "enter")
        await settle(pilot)
        with connect(db_path) as db:
            assert db.execute("SELECT email FROM clients WHERE id = 2").fetchone()[0] is None
        # The dialog stays open with what was typed, the field marked and the reason under it.
        dialog = seeded_app.screen
        assert isinstance(dialog, TextModal)
        field = dialog.query_one("#text-input", Input)
        assert field.value == "sem-arroba" and field.has_class("-invalid")
        assert "e-mail inválido" in str(dialog.query_one("#text-error", Static).render())
        await pilot.press("end", *"@exemplo.com.br", "enter")  # corrected, not retyped
        await settle(pilot)
        assert isinstance(seeded_app.screen, ClientCardScreen)
        with connect(db_path) as db:
            email = db.execute("SELECT email FROM clients WHERE id = 2").fetchone()[0]
        assert email == "sem-arroba@exemplo.com.br"


async def test_f_sets_a_follow_up_task(seeded_app: CarteiraApp, db_path: Path) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        card = await open_card(pilot, 3)
        await pilot.press("f", *"seg", "enter")
        await settle(pilot)
        with connect(db_path) as db:
            row = db.execute(
                "SELECT kind, due, owner_id FROM tasks WHERE client_id = 3 AND kind = 'retorno'"
            ).fetchone()
        assert row == ("retorno", "2026-11-23", 1)
        assert "23/11/2026 M Retorno ao cliente" in text(card, "#card-tasks")


def test_cliente_card_snapshot_at_80x24(snap_compare: SnapCompare, seeded_app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_card(pilot, 1)

    assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=go)


def test_cliente_card_snapshot_at_120x40(
    snap_compare: SnapCompare, seeded_app: CarteiraApp
) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_card(pilot, 1)

    assert snap_compare(seeded_app, terminal_size=(120, 40), run_before=go)


async def test_asterisk_masks_personal_fields_on_the_card(seeded_app: CarteiraApp) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        card = await open_card(pilot, 1)
        await pilot.press("asterisk")
        await pilot.pause()
        profile = text(card, "#card-profile")
        assert "alfa@exemplo.com.br" not in profile and "a***@exemplo.com.br" in profile
        assert "(11) 98765-4321" not in profile and "4321" in profile
        await pilot.press("asterisk")
        await pilot.pause()
        assert "alfa@exemplo.com.br" in text(card, "#card-profile")


async def test_the_card_shows_the_clients_audit_history(seeded_app: CarteiraApp) -> None:
    from carteira_tui.services.clients import add_note

    add_note(seeded_app.db_path, 1, "Prefere ligação à tarde", on=DAY, who="maria")
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        card = await open_card(pilot, 1)
        history = text(card, "#card-history")
        assert "maria" in history
        assert "Nenhuma alteração registrada." not in history
