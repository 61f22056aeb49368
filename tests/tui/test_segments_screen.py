"""The Segmentos pane on a real database: board, matrix, drill-down, re-segment, what-if, charts.

Five clients as of 20/11/2026 (hand-worked): C1 R$ 1.600,00 ativo A; C2 R$ 300,00
inativo_recente A (so "Clientes A em risco"); C3 R$ 100,00 inativo_antigo B; C4 R$ 50,00 ativo C;
C5 prospect. Revenue R$ 2.050,00.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from carteira_tui.config import Settings
from carteira_tui.services.imports import import_file
from carteira_tui.services.segmentation import current_results, resegment
from carteira_tui.services.settings import effective_settings
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.screens import segments
from carteira_tui.tui.screens.clients import ClientsScreen, load_portfolio
from carteira_tui.tui.screens.segments import SegmentsScreen
from carteira_tui.tui.widgets.charts import (
    MonthlyChart,
    ParetoChart,
    column_rows,
    hbar,
    pareto_columns,
)
from carteira_tui.tui.widgets.segment_board import CardData, card_lines
from carteira_tui.tui.widgets.status_matrix import cell_filter

AS_OF = date(2026, 11, 20)
SnapCompare = Callable[..., bool]

CLIENTS = "Código;Nome\nC1;Ana\nC2;Bruno\nC3;Carla\nC4;Davi\nC5;Elisa\n"
ORDERS = (
    "Pedido;Código do cliente;Data;Valor\n"
    "1;C1;01/10/2026;600,00\n"
    "2;C1;01/11/2026;1.000,00\n"
    "3;C2;01/06/2026;300,00\n"
    "4;C3;10/01/2025;100,00\n"
    "5;C4;15/10/2026;50,00\n"
)


@pytest.fixture
def seeded(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The five clients imported and segmented as of AS_OF; `r` re-segments as of AS_OF."""
    (tmp_path / "clientes.csv").write_text(CLIENTS, encoding="utf-8")
    (tmp_path / "pedidos.csv").write_text(ORDERS, encoding="utf-8")
    import_file(db_path, "clients", tmp_path / "clientes.csv")
    import_file(db_path, "orders", tmp_path / "pedidos.csv")
    resegment(db_path, as_of=AS_OF, settings=Settings())
    monkeypatch.setattr(segments, "today", lambda: AS_OF)
    return db_path


def app_without_auto_refresh(db_path: Path) -> CarteiraApp:
    """An app whose Clientes pane does not re-segment a stale result on its own (it would use
    today's date); the Segmentos pane still reads the real, stale result."""
    return CarteiraApp(
        db_path,
        settings=Settings(),
        loader=lambda: replace(load_portfolio(db_path, Settings()), stale=False),
    )


def add_order(db_path: Path, tmp_path: Path, line: str) -> None:
    """Import one more order (`Pedido;Código;Data;Valor` line)."""
    path = tmp_path / "mais.csv"
    path.write_text(f"Pedido;Código do cliente;Data;Valor\n{line}\n", encoding="utf-8")
    import_file(db_path, "orders", path)


async def settle(pilot: Pilot[Any], delay: float = 0.0) -> None:
    """Let workers finish and their messages land (twice: loads chain into loads)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(delay)


async def open_pane(pilot: Pilot[Any]) -> SegmentsScreen:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SegmentsScreen)
    return screen


def text_of(screen: SegmentsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def card_text(screen: SegmentsScreen) -> dict[str, list[str]]:
    return {card.card.name: card_lines(card.card, 40) for card in screen.cards}


# -- the board ------------------------------------------------------------------------------


async def test_board_opens_on_last_stored_result_with_a_card_per_segment(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pane(pilot)
        assert [card.card.name for card in screen.cards] == [
            "Clientes A em risco",
            "Ativos",
            "Inativos recentes",
            "Inativos antigos",
            "Prospects",
        ]
        cards = {card.card.name: card.card for card in screen.cards}
        assert (cards["Ativos"].clients, cards["Ativos"].revenue_cents) == (2, 165_000)
        assert cards["Clientes A em risco"].clients == 1
        assert card_text(screen)["Ativos"][:2] == [
            "2 clientes" + "80,5%".rjust(30),
            "R$ 1.650,00",
        ]
        assert cards["Inativos recentes"].clients == 0
        summary = text_of(screen, "#segments-summary")
        assert "Segmentação de 20/11/2026 · 5 clientes · receita R$ 2.050,00" in summary
        assert "desatualizado" not in summary


async def test_summary_says_desatualizado_when_orders_arrived_after_the_run(
    seeded: Path, tmp_path: Path
) -> None:
    add_order(seeded, tmp_path, "6;C3;10/11/2026;80,00")
    app = app_without_auto_refresh(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pane(pilot)
        assert "desatualizado (r recalcula)" in text_of(screen, "#segments-summary")
        assert screen.query_one("#segments-summary").has_class("-stale")


async def test_board_follows_when_the_clientes_pane_resegments_in_the_background(
    seeded: Path, tmp_path: Path
) -> None:
    add_order(seeded, tmp_path, "6;C3;10/11/2026;80,00")
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        screen = await open_pane(pilot)
        await settle(pilot, 0.1)
        summary = text_of(screen, "#segments-summary")
        assert "desatualizado" not in summary
        assert "receita R$ 2.130,00" in summary


async def test_matrix_counts_clients_by_status_and_abc_class(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pane(pilot)
        matrix = screen.matrix
        assert [matrix.value(0, column) for column in range(5)] == [1, 0, 1, 0, 2]  # ativo
        assert [matrix.value(1, column) for column in range(5)] == [1, 0, 0, 0, 1]
        assert [matrix.value(2, column) for column in range(5)] == [0, 1, 0, 0, 1]
        assert [matrix.value(3, column) for column in range(5)] == [0, 0, 0, 1, 1]
        assert [matrix.value(4, column) for column in range(5)] == [2, 1, 1, 1, 5]


def test_matrix_cell_filters_are_filter_language() -> None:
    assert cell_filter(0, 0) == "status = ativo and curva = A"
    assert cell_filter(3, 3) == "status = prospect and curva is null"
    assert cell_filter(1, 4) == "status = inativo_recente"
    assert cell_filter(4, 2) == "curva = C"
    assert cell_filter(4, 4) == ""


# -- navigation and drill-down --------------------------------------------------------------


async def test_j_selects_next_card_and_enter_shows_its_clients_in_clientes(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pane(pilot)
        assert screen.cards[0].has_class("-selected")
        await pilot.press("j")
        assert screen.cards[1].has_class("-selected")
        assert not screen.cards[0].has_class("-selected")
        assert text_of(screen, "#segments-detail").startswith("Ativos: 2 clientes · R$ 1.650,00")
        await pilot.press("k", "k")
        assert screen.cards[0].has_class("-selected")
        await pilot.press("j", "enter")
        await settle(pilot)
        clients = app.screen
        assert isinstance(clients, ClientsScreen)
        assert clients.query_one("#filter-input", Input).value == 'segmento = "Ativos"'
        assert clients.table.row_count == 2
        shown = {clients.client_row(clients.table.cursor_id or 0)["client_id"]}  # type: ignore[index]
        assert shown <= {"C1", "C4"}


async def test_down_from_the_cards_reaches_the_matrix_and_enter_filters_status_and_class(
    seeded: Path,
) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pane(pilot)
        await pilot.press("down", "down")  # second row of cards, then the matrix's first row
        assert screen.matrix.cursor == (0, 0)
        assert text_of(screen, "#segments-detail").startswith("Ativo · classe A: 1 cliente ·")
        await pilot.press("right", "right")
        assert screen.matrix.cursor == (0, 2)
        await pilot.press("enter")
        await settle(pilot)
        clients = app.screen
        assert isinstance(clients, ClientsScreen)
        assert clients.query_one("#filter-input", Input).value == "status = ativo and curva = C"
        assert clients.table.row_count == 1


# -- re-segmentation ------------------------------------------------------------------------


async def test_r_resegments_and_the_board_shows_who_moved(seeded: Path, tmp_path: Path) -> None:
    add_order(seeded, tmp_path, "6;C3;10/11/2026;80,00")
    app = app_without_auto_refresh(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pane(pilot)
        await pilot.press("r")
        await settle(pilot, 0.1)
        summary = text_of(screen, "#segments-summary")
        assert "desatualizado" not in summary
        assert "receita R$ 2.130,00" in summary
        cards = {card.card.name: card.card for card in screen.cards}
        assert (cards["Ativos"].clients, cards["Ativos"].entered) == (3, 1)
        assert (cards["Inativos antigos"].clients, cards["Inativos antigos"].left) == (0, 1)
        assert "Vigilância: 1 mudou de segmento" in text_of(screen, "#segments-watch")
        assert screen.query_one("#segments-progress").has_class("hidden")
    stored = current_results(seeded, settings=Settings())
    assert stored.as_of == AS_OF and not stored.stale


async def test_alerts_line_counts_a_clients_that_left_ativo(
    seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As of 01/03/2027 C1 (class A, ativo in the previous run) is inativo_recente.
    monkeypatch.setattr(segments, "today", lambda: date(2027, 3, 1))
    app = app_without_auto_refresh(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pane(pilot)
        await pilot.press("r")
        await settle(pilot, 0.1)
        alerts_line = text_of(screen, "#segments-alerts")
        assert "Cliente A saiu de ativo: 1" in alerts_line
        assert screen.query_one("#segments-alerts").has_class("-alarm")
        watch = text_of(screen, "#segments-watch")
        assert "Vigilância: 2 mudaram de segmento" in watch
        assert "Ativos → Clientes A em risco: 1" in watch


# -- what-if --------------------------------------------------------------------------------


async def test_what_if_shows_counts_under_new_days_and_ctrl_s_saves_them(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pane(pilot)
        await pilot.press("w")
        await settle(pilot, 0.1)
        days = screen.query_one("#whatif-active_days", Input)
        assert days.value == "90"
        assert screen.query_one("#whatif-abc_a", Input).value == "80"
        days.value = "10"
        await settle(pilot, segments.PREVIEW_DELAY + 0.2)
        proposed = {card.card.name: card.card.proposed for card in screen.cards}
        assert proposed == {
            "Clientes A em risco": 2,
            "Ativos": 0,
            "Inativos recentes": 1,
            "Inativos antigos": 1,
            "Prospects": 1,
        }
        assert card_text(screen)["Ativos"][2] == "prévia: 0 (−2)"
        assert screen.matrix.preview_status == {
            "ativo": 0,
            "inativo_recente": 3,
            "inativo_antigo": 1,
            "prospect": 1,
        }
        await pilot.press("ctrl+s")
        await settle(pilot, 0.1)
        assert app.settings.active_days == 10
        assert not screen.what_if
        cards = {card.card.name: card.card for card in screen.cards}
        assert cards["Clientes A em risco"].clients == 2
        assert cards["Clientes A em risco"].proposed is None
    # shared settings: saved in the database for everybody, not in the person's file
    assert not Path(os.environ["CARTEIRA_CONFIG"]).exists()
    assert effective_settings(seeded, Settings()).active_days == 10
    assert current_results(seeded, settings=Settings(active_days=10)).stale is False


async def test_what_if_rejects_contradictory_days_and_esc_leaves_without_saving(
    seeded: Path,
) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pane(pilot)
        await pilot.press("w")
        await settle(pilot, 0.1)
        screen.query_one("#whatif-active_days", Input).value = "400"
        await settle(pilot, segments.PREVIEW_DELAY + 0.2)
        message = text_of(screen, "#whatif-message")
        assert message == "Valores inválidos: exige 0 < ativo < recente"
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.what_if
        assert screen.query_one("#whatif-form").has_class("hidden")
        assert all(card.card.proposed is None for card in screen.cards)
    assert app.settings.active_days == 90


# -- services and drawing -------------------------------------------------------------------


async def test_g_shows_the_charts_on_a_short_terminal(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pane(pilot)
        assert not screen.query_one("#charts-view").display
        await pilot.press("g")
        await pilot.pause()
        assert screen.query_one("#charts-view").display
        assert not screen.query_one("#board-view").display
        monthly = screen.query_one(MonthlyChart)
        assert len(monthly.values) == 24
        assert monthly.values[-2:] == [65_000, 100_000]
        assert monthly.months[-1] == (2026, 11)
        pareto = screen.query_one(ParetoChart)
        assert pareto.caption() == "Curva ABC: 50% dos clientes fazem 80% da receita"
        assert "Vigilância: sem execução anterior" in text_of(screen, "#segments-watch")
        await pilot.press("g")
        await pilot.pause()
        assert screen.query_one("#board-view").display


async def test_charts_sit_below_the_board_on_a_tall_terminal(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_pane(pilot)
        assert screen.has_class("-tall")
        assert screen.query_one("#charts-view").display
        assert screen.query_one("#board-view").display
        assert not screen.check_action("toggle_charts", ())


def test_hbar_fills_eighths_and_keeps_a_tiny_share_visible() -> None:
    assert hbar(0.5, 4) == "██  "
    assert hbar(0.5625, 2) == "█▏"
    assert hbar(0.001, 4) == "▏   "
    assert hbar(0.0, 3) == "   "


def test_column_rows_draw_heights_from_the_bottom() -> None:
    assert column_rows([1.0, 0.5, 0.0, 0.01], 2) == ["█   ", "██ ▁"]


def test_pareto_columns_resample_the_curve_to_the_width() -> None:
    assert pareto_columns([0.1 * i for i in range(1, 11)], 5) == pytest.approx(
        [0.2, 0.4, 0.6, 0.8, 1.0]
    )


def test_card_shows_movement_in_the_words_that_fit() -> None:
    card = CardData("Ativos", 1234, 100, 0.5, 12, 5, True)
    assert card_lines(card, 30)[2] == "+12 entraram · −5 saíram"
    assert card_lines(card, 22)[2] == "entraram 12 · saíram 5"
    assert card_lines(card, 10)[2] == "+12 −5"


def test_card_with_big_numbers_moves_the_share_beside_compact_money() -> None:
    card = CardData("Ativos", 411_882, 22_469_863_482, 0.519, 0, 0, False)
    assert card_lines(card, 21)[:2] == ["411.882 clientes", "R$ 225 mi" + "51,9%".rjust(12)]


# -- snapshots ------------------------------------------------------------------------------


def test_segmentos_pane_with_data_at_80x24(snap_compare: SnapCompare, seeded: Path) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_pane(pilot)

    app = CarteiraApp(seeded, settings=Settings())
    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


def test_segmentos_pane_with_data_at_120x40(snap_compare: SnapCompare, seeded: Path) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_pane(pilot)

    app = CarteiraApp(seeded, settings=Settings())
    assert snap_compare(app, terminal_size=(120, 40), run_before=go)
