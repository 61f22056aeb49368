"""FrameTable and the Clientes pane, driven by a pilot at 80×24 as a person would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
from textual.pilot import Pilot
from textual.widgets import Static

from carteira_tui.config import Settings
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.screens.client_card import ClientCardScreen
from carteira_tui.tui.screens.clients import ClientsScreen, load_portfolio
from carteira_tui.tui.widgets.frame_table import FrameTable


async def settle(app: CarteiraApp, pilot: Pilot[None]) -> None:
    """Wait for every worker and the repaint that follows."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def table_of(app: CarteiraApp) -> FrameTable:
    return app.screen.query_one(FrameTable)


def screen_text(app: CarteiraApp) -> str:
    """The visible lines of the table, as text."""
    table = table_of(app)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_table_shows_the_rows_with_formatted_money_and_status(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = table_of(app)
        assert table.row_count == 40
        text = screen_text(app)
        assert "José da Silva 1" in text
        assert "R$ 1.234,56" in text  # client 1: 123 456 centavos
        assert "Inativo recente" in text
        assert "Nome" in text.splitlines()[0]
        summary = app.screen.query_one("#clients-summary", Static)
        assert "40 de 40 clientes" in str(summary.render())


async def test_j_and_k_move_the_cursor_and_announce_the_client_id(app: CarteiraApp) -> None:
    highlighted: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        original = table_of(app).post_message

        def spy(message: object) -> bool:
            if isinstance(message, FrameTable.RowHighlighted):
                highlighted.append(message.id)
            return original(message)  # type: ignore[arg-type]

        table_of(app).post_message = spy  # type: ignore[method-assign]
        await pilot.press("j", "j", "down", "k")
        await pilot.pause()
        assert table_of(app).cursor_row == 2
        assert table_of(app).cursor_id == 3
        assert highlighted == [2, 3, 4, 3]


async def test_G_goes_to_the_last_row_and_g_back_to_the_first(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("G")
        await pilot.pause()
        table = table_of(app)
        assert table.cursor_id == 40
        assert "Fernanda Araújo 40" in screen_text(app)
        assert "José da Silva 1 " not in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        assert table.cursor_id == 1


async def test_page_down_moves_by_the_visible_rows(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = table_of(app)
        body = table.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        await pilot.pause()
        assert table.cursor_row == body
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert table.cursor_row == 0


async def test_s_sorts_by_the_first_column_and_S_reverses(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = table_of(app)
        await pilot.press("S")  # no sort yet: sort by the first visible column, descending
        await settle(app, pilot)
        assert table.sort_column == "client_id"
        assert table.frame["id"].to_list()[:3] == [40, 39, 38]
        assert table.cursor_row == 0 and table.cursor_id == 40  # a new order starts at the top
        await pilot.press("S")
        await settle(app, pilot)
        assert table.frame["id"].to_list()[:3] == [1, 2, 3]


async def test_v_marks_and_unmarks_the_cursor_row(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("v", "j", "v", "j", "v", "k", "v")
        await pilot.pause()
        assert table_of(app).marked == {1, 3}
        assert screen_text(app).splitlines()[1].startswith(" ●")


async def test_search_narrows_rows_ignoring_case_and_accents(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"JOSE DA")
        await settle(app, pilot)
        table = table_of(app)
        # José da Silva is every 8th client: 1, 9, 17, 25, 33
        assert sorted(table.frame["id"].to_list()) == [1, 9, 17, 25, 33]
        assert "5 de 40 clientes" in str(app.screen.query_one("#clients-summary").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert table.row_count == 40
        assert app.focused is table


async def test_search_by_phone_digits_matches_formatted_phone(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"9 0012")
        await settle(app, pilot)
        assert table_of(app).frame["id"].to_list() == [12]


async def test_enter_opens_the_client_card_of_the_cursor_row(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientCardScreen)
        assert app.screen.client_id == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)


async def test_1_2_3_switch_panes_and_status_line_follows(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.current_mode == "clientes"
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "segmentos"
        status = str(app.screen.query_one("#status-line").render())
        assert "Segmentos" in status and "40 clientes" in status and "20/11/2026" in status
        await pilot.press("3")
        await pilot.pause()
        assert app.current_mode == "hoje"
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "clientes"
        assert table_of(app).row_count == 40


async def test_question_mark_lists_the_keys_of_the_pane(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = str(app.screen.query_one("#help-keys").render())
        for expected in ("j, down", "Descer", "/", "Buscar", "Filtrar", "Ordenar", "Sair"):
            assert expected in keys
        assert "Scroll Left" not in keys


async def test_ctrl_t_toggles_light_and_dark_theme(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before
        await pilot.press("ctrl+t")
        assert app.theme == before


async def test_a_failing_loader_shows_a_notification_not_a_traceback(
    db_path: Path, tmp_path: Path
) -> None:
    def broken() -> object:
        raise RuntimeError("banco corrompido")

    app = CarteiraApp(db_path, loader=broken)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        messages = [str(n.message) for n in app._notifications]
        assert app.is_running
    log = tmp_path / "state" / "carteira" / "log" / "erros.log"
    assert messages == [
        "Erro · Erro inesperado em Clientes (banco corrompido): nada foi concluído.\n"
        f"detalhes em {log}"
    ]
    assert "RuntimeError: banco corrompido" in log.read_text(encoding="utf-8")


async def test_narrow_terminal_keeps_name_and_drops_low_priority_columns(
    db_path: Path,
    make_app: Callable[[Path, pl.DataFrame], CarteiraApp],
    portfolio_frame: Callable[[int], pl.DataFrame],
) -> None:
    app = make_app(db_path, portfolio_frame(5))
    async with app.run_test(size=(50, 24)) as pilot:
        await settle(app, pilot)
        header = screen_text(app).splitlines()[0]
        assert "Nome" in header and "Status" in header
        assert "Responsável" not in header


async def test_valid_filter_shows_its_count(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f", *"status = ativo")
        await settle(app, pilot)
        message = str(app.screen.query_one("#filter-message").render())
        assert "10 clientes" in message
        assert table_of(app).row_count == 10


async def test_invalid_filter_shows_the_error_and_its_column(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f", *"status = ativo and valor >= abc")
        await settle(app, pilot)
        caret, error = str(app.screen.query_one("#filter-message").render()).splitlines()[:2]
        # "abc" starts at character 29: the caret sits under it, past the bar label
        assert caret == " " * (8 + 28) + "^"
        assert error.startswith("Erro no filtro, coluna 29: esperava um número para 'valor'")
        # the table keeps the last valid filter ("status = ativo") while the text is wrong
        assert table_of(app).row_count == 10
        assert "filtro" not in str(app.screen.query_one("#clients-summary").render())


def test_portfolio_frame_is_deterministic(
    portfolio_frame: Callable[[int], pl.DataFrame],
) -> None:
    assert portfolio_frame(40).equals(portfolio_frame(40))
    assert portfolio_frame(40).filter(pl.col("status") == "ativo").height == 10


async def test_backspace_widens_the_search_again(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"paula souza 1")
        await settle(app, pilot)
        # Ana Paula Souza is client 2, 10, 18, 26, 34; "1" narrows to 10 and 18
        assert sorted(table_of(app).frame["id"].to_list()) == [10, 18]
        await pilot.press("backspace", "backspace")
        await settle(app, pilot)
        assert sorted(table_of(app).frame["id"].to_list()) == [2, 10, 18, 26, 34]


async def test_search_keeps_the_current_sort_order(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")  # by código, descending
        await settle(app, pilot)
        await pilot.press("slash", *"jose")
        await settle(app, pilot)
        assert table_of(app).frame["id"].to_list() == [33, 25, 17, 9, 1]


async def test_marking_updates_the_summary_count(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("v", "j", "v")
        await pilot.pause()
        assert "2 marcados" in str(app.screen.query_one("#clients-summary").render())


async def test_ctrl_p_opens_the_palette_with_the_panes_in_portuguese(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"tarefas")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "tarefas"


def test_load_portfolio_without_a_kept_result_asks_to_be_computed(db_path: Path) -> None:
    portfolio = load_portfolio(db_path, Settings())
    assert portfolio.frame.height == 0
    assert portfolio.as_of is None and portfolio.stale


async def test_app_on_a_new_database_computes_its_empty_segmentation(db_path: Path) -> None:
    app = CarteiraApp(db_path, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert table_of(app).row_count == 0
        assert app.client_count == 0
        assert any("Segmentação de" in str(n.message) for n in app._notifications)
        await pilot.press("j", "G", "enter", "v", "s")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, ClientsScreen)


async def test_row_keys_are_hidden_from_the_footer_while_the_table_is_empty(
    db_path: Path,
) -> None:
    app = CarteiraApp(db_path, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "select_row" not in actions and "cycle_sort" not in actions
        assert "quit" in actions


def test_archived_clients_leave_the_client_list(db_path: Path, tmp_path: Path) -> None:
    from datetime import date

    from carteira_tui.services.imports import import_file
    from carteira_tui.services.segmentation import resegment

    clients = tmp_path / "c.csv"
    clients.write_text("Código;Nome;Arquivado\nC1;Ana;não\nC2;Bia;sim\n", encoding="utf-8")
    assert import_file(db_path, "clients", clients).written
    resegment(db_path, as_of=date(2026, 11, 23), settings=Settings())
    portfolio = load_portfolio(db_path, Settings())
    assert portfolio.frame["client_id"].to_list() == ["C1"]
