"""Clientes round 2 driven by a pilot at 80×24: range marks, bulk actions, saved views, export,
import, the `:` command line and the command palette — on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from carteira_tui.config import Settings
from carteira_tui.services import bulk, views
from carteira_tui.services.imports import import_file
from carteira_tui.services.segmentation import resegment
from carteira_tui.store.db import connect
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.commands import pane_actions
from carteira_tui.tui.screens.bulk_modal import BulkModal, parse_due
from carteira_tui.tui.screens.clients import ClientsScreen, WorkProgressed, sort_column_for
from carteira_tui.tui.screens.command_line import CommandError, CommandLineModal, parse_command
from carteira_tui.tui.screens.export_modal import ExportModal
from carteira_tui.tui.screens.import_modal import ImportErrorsModal
from carteira_tui.tui.screens.views_modal import ViewsModal
from carteira_tui.tui.widgets.frame_table import FrameTable

AS_OF = date(2026, 11, 20)
SnapCompare = Callable[..., bool]

CLIENTS = (
    "Código;Nome;Cidade;UF;Responsável;Tags\n"
    "c1;Alfa Comércio;Recife;PE;Ana;vip\n"
    "c2;Beta Ltda;Natal;RN;Ana;\n"
    "c3;Gama e Filhos;Recife;PE;Bruno;\n"
    "c4;Delta ME;Olinda;PE;Bruno;atacado\n"
    "c5;Épsilon SA;Natal;RN;Ana;\n"
)
ORDERS = (
    "Pedido;Código do cliente;Data;Valor\n"
    "1;c1;10/11/2026;1.000,00\n"
    "2;c2;01/06/2026;200,00\n"
    "3;c3;01/09/2025;50,00\n"
    "4;c4;15/10/2026;400,00\n"
)


@pytest.fixture
def real_app(db_path: Path, tmp_path: Path) -> CarteiraApp:
    """The app over a five-client database segmented as of AS_OF."""
    (tmp_path / "clientes.csv").write_text(CLIENTS, encoding="utf-8")
    (tmp_path / "pedidos.csv").write_text(ORDERS, encoding="utf-8")
    assert import_file(db_path, "clients", tmp_path / "clientes.csv").written
    assert import_file(db_path, "orders", tmp_path / "pedidos.csv").written
    resegment(db_path, as_of=AS_OF, settings=Settings())
    return CarteiraApp(db_path, settings=Settings())


async def settle(app: CarteiraApp, pilot: Pilot[Any]) -> None:
    """Wait until no worker runs (a write starts a re-segmentation, which starts a reload)."""
    for _ in range(6):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()


def clients_screen(app: CarteiraApp) -> ClientsScreen:
    screen = app.screen
    assert isinstance(screen, ClientsScreen)
    return screen


def table_of(app: CarteiraApp) -> FrameTable:
    return clients_screen(app).table


def summary(app: CarteiraApp) -> str:
    return str(clients_screen(app).query_one("#clients-summary", Static).render())


def rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with connect(db_path) as db:
        return db.execute(sql).fetchall()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


# -- marks ----------------------------------------------------------------------------------


async def test_V_marks_every_row_from_the_last_mark_to_the_cursor(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "v", "j", "j", "j", "V")
        await pilot.pause()
        assert table_of(app).marked == {2, 3, 4, 5}
        assert "4 marcados" in summary(app)
        await pilot.press("k", "k", "k", "k", "V")  # upwards from the last end
        await pilot.pause()
        assert table_of(app).marked == {1, 2, 3, 4, 5}


async def test_V_without_a_mark_marks_only_the_cursor_row(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "V")
        await pilot.pause()
        assert table_of(app).marked == {3}


# -- bulk actions ---------------------------------------------------------------------------


async def test_b_reassigns_the_marked_clients_and_reloads_keeping_the_cursor(
    real_app: CarteiraApp, db_path: Path
) -> None:
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("v", "j", "V", "j")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BulkModal)
        await pilot.press("enter")  # Trocar responsável
        await type_text(pilot, "bruno")
        await pilot.press("enter")
        await settle(app, pilot)
        assert rows(
            db_path,
            "SELECT external_id, o.name FROM clients c JOIN owners o"
            " ON o.id = c.owner_id ORDER BY c.id",
        ) == [
            ("c1", "Bruno"),
            ("c2", "Bruno"),
            ("c3", "Bruno"),
            ("c4", "Bruno"),
            ("c5", "Ana"),
        ]
        audit = rows(
            db_path, "SELECT action, client_id FROM audit WHERE action != 'importar' ORDER BY id"
        )
        assert audit == [("trocar_responsavel", 1), ("trocar_responsavel", 2)]
        screen = clients_screen(app)
        assert screen.portfolio is not None
        owners = screen.portfolio.frame.sort("id")["owner"].to_list()
        assert owners == ["Bruno", "Bruno", "Bruno", "Bruno", "Ana"]
        assert screen.portfolio.as_of == AS_OF
        assert table_of(app).marked == set()
        assert table_of(app).cursor_id == 3
        assert "marcados" not in summary(app)


async def test_archive_asks_first_and_n_leaves_everything_as_it_was(
    real_app: CarteiraApp, db_path: Path
) -> None:
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("b", "down", "down", "down", "enter")  # Arquivar, on the cursor row
        await pilot.pause()
        question = str(app.screen.query_one("#bulk-question", Static).render())
        assert question.startswith("Arquivar 1 cliente?")
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert rows(db_path, "SELECT sum(archived) FROM clients") == [(0,)]
        await pilot.press("b", "down", "down", "down", "enter", "s")
        await settle(app, pilot)
        assert rows(db_path, "SELECT id FROM clients WHERE archived = 1") == [(1,)]
        screen = clients_screen(app)
        assert screen.portfolio is not None
        # Archived clients leave the list.
        assert 1 not in screen.portfolio.frame["id"].to_list()
        assert screen.portfolio.frame.filter(pl.col("archived")).is_empty()


async def test_bulk_tag_and_untag_change_the_tags_column(
    real_app: CarteiraApp, db_path: Path
) -> None:
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("v", "j", "j", "j", "V", "b", "down", "enter")
        await type_text(pilot, "promo")
        await pilot.press("enter")
        await settle(app, pilot)
        tags = rows(db_path, "SELECT tags FROM clients ORDER BY id")
        assert tags == [("vip, promo",), ("promo",), ("promo",), ("atacado, promo",), (None,)]
        await pilot.press("g", "b", "down", "down", "enter")  # remove from the cursor row only
        await type_text(pilot, "PROMO")
        await pilot.press("enter", "s")
        await settle(app, pilot)
        assert rows(db_path, "SELECT tags FROM clients WHERE id = 1") == [("vip",)]


async def test_bulk_task_creates_one_task_per_marked_client_with_the_due_date(
    real_app: CarteiraApp, db_path: Path
) -> None:
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("v", "j", "v", "b", "down", "down", "down", "down", "enter")
        await type_text(pilot, "Ligar")
        await pilot.press("enter")
        due = app.screen.query_one("#bulk-due-input", Input)
        due.value = "07/12/2026"  # a Monday
        await pilot.press("enter")
        await settle(app, pilot)
        assert rows(db_path, "SELECT client_id, title, due, kind FROM tasks ORDER BY 1") == [
            (1, "Ligar", "2026-12-07", "manual"),
            (2, "Ligar", "2026-12-07", "manual"),
        ]


async def test_a_refused_bulk_action_is_a_message_and_writes_nothing(
    real_app: CarteiraApp, db_path: Path
) -> None:
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("b", "enter")
        await type_text(pilot, "Zé Ninguém")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientsScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("responsável não encontrado" in m for m in messages)
        assert rows(db_path, "SELECT count(*) FROM audit WHERE action != 'importar'") == [(0,)]


# -- saved views ----------------------------------------------------------------------------


async def test_ctrl_s_saves_the_view_and_ctrl_o_opens_it_again(
    real_app: CarteiraApp, db_path: Path
) -> None:
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await type_text(pilot, "uf = PE")
        await pilot.press("enter")
        await settle(app, pilot)
        assert table_of(app).row_count == 3
        await pilot.press("ctrl+s")
        await type_text(pilot, "Pernambuco")
        await pilot.press("enter")
        await settle(app, pilot)
        saved = views.open_view(db_path, name="pernambuco")
        assert (saved.filter_text, saved.search) == ("uf = PE", "")
        await pilot.press("escape")
        await settle(app, pilot)
        assert table_of(app).row_count == 5
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, ViewsModal)
        await pilot.press("enter")
        await settle(app, pilot)
        assert clients_screen(app).query_one("#filter-input", Input).value == "uf = PE"
        assert table_of(app).row_count == 3
        assert sorted(table_of(app).frame["client_id"].to_list()) == ["c1", "c3", "c4"]


# -- the command line -----------------------------------------------------------------------


async def test_command_line_filters_sorts_and_exports_the_view(
    real_app: CarteiraApp, tmp_path: Path
) -> None:
    app = real_app
    target = tmp_path / "ativos.json"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for line in ("filtro status = ativo", "ordenar valor desc", f"exportar {target}"):
            await pilot.press("colon")
            await type_text(pilot, line)
            await pilot.press("enter")
            await settle(app, pilot)
        assert table_of(app).sort_column == "monetary_cents"
        assert table_of(app).frame["client_id"].to_list() == ["c1", "c4"]
        exported = json.loads(target.read_text(encoding="utf-8"))
        assert [r["client_id"] for r in exported] == ["c1", "c4"]


async def test_an_unknown_command_is_a_message_and_the_app_keeps_running(
    real_app: CarteiraApp,
) -> None:
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("colon")
        await type_text(pilot, "voar alto")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientsScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("comando desconhecido: 'voar'" in m for m in messages)


async def test_colon_on_another_pane_does_not_jump_to_clientes(real_app: CarteiraApp) -> None:
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("colon")
        await settle(app, pilot)
        assert app.current_mode == "hoje"
        assert not isinstance(app.screen, CommandLineModal)


# -- import ---------------------------------------------------------------------------------


async def test_a_failed_import_shows_the_bad_rows_and_writes_nothing(
    real_app: CarteiraApp, db_path: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "ruins.csv"
    bad.write_text(
        "Pedido;Código do cliente;Data;Valor\n9;c1;10/11/2026;10,00\n10;c9;10/11/2026;1,00\n",
        encoding="utf-8",
    )
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("colon")
        await type_text(pilot, f"importar pedidos {bad}")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportErrorsModal)
        text = str(app.screen.query_one("#import-error-lines", Static).render())
        assert "ruins.csv:3: Código do cliente: cliente desconhecido: c9" in text
        assert rows(db_path, "SELECT count(*) FROM orders") == [(4,)]
        await pilot.press("escape")
        assert isinstance(app.screen, ClientsScreen)


async def test_an_import_resegments_and_shows_the_new_client(
    real_app: CarteiraApp, db_path: Path, tmp_path: Path
) -> None:
    new = tmp_path / "novos.csv"
    new.write_text("Código;Nome;UF\nc6;Zeta Novo;SP\n", encoding="utf-8")
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i", "enter")  # Clientes
        await type_text(pilot, str(new))
        await pilot.press("enter")
        await settle(app, pilot)
        assert rows(db_path, "SELECT name FROM clients WHERE external_id = 'c6'") == [
            ("Zeta Novo",)
        ]
        assert table_of(app).row_count == 6
        assert "Zeta Novo" in table_of(app).frame["name"].to_list()


# -- the command palette --------------------------------------------------------------------


def test_the_palette_lists_the_actions_of_every_pane() -> None:
    titles = {item.title for item in pane_actions()}
    assert {"Clientes: Exportar", "Clientes: Lote", "Clientes: Marcar"} <= titles
    assert {"Tarefas: Concluir", "Segmentos: Recalcular"} <= titles


async def test_a_palette_command_runs_the_action_on_its_pane(real_app: CarteiraApp) -> None:
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "clientes exportar")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "clientes"
        assert isinstance(app.screen, ExportModal)


# -- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name", "text", "descending"),
    [
        (":filtro status = ativo", "filter", "status = ativo", False),
        ("filtro", "filter", "", False),
        (":ordenar monetary desc", "sort", "monetary", True),
        (":ordenar Recência", "sort", "Recência", False),
        (":resegmentar", "resegment", "", False),
        (":q", "quit", "", False),
        (":visao A em risco", "view", "A em risco", False),
    ],
)
def test_parse_command(line: str, name: str, text: str, descending: bool) -> None:
    command = parse_command(line)
    assert (command.name, command.text, command.descending) == (name, text, descending)


def test_parse_command_reads_import_kind_path_and_dates() -> None:
    command = parse_command(":importar interações pasta/meu arquivo.csv")
    assert (command.kind, command.path) == ("interactions", Path("pasta/meu arquivo.csv"))
    assert parse_command(":resegmentar 01/12/2026").as_of == date(2026, 12, 1)
    with pytest.raises(CommandError, match="data inválida"):
        parse_command(":resegmentar 31/02/2026")
    with pytest.raises(CommandError, match="importar clientes"):
        parse_command(":importar vendas x.csv")


def test_sort_words_map_to_columns() -> None:
    columns = ["client_id", "name", "monetary_cents", "recency_days"]
    assert sort_column_for("Valor", columns) == "monetary_cents"
    assert sort_column_for("recência", columns) == "recency_days"
    assert sort_column_for("monetary", columns) == "monetary_cents"
    assert sort_column_for("nada", columns) is None


def test_parse_due_reads_dates_and_offsets() -> None:
    today = date(2026, 11, 20)
    assert parse_due("+3", today) == date(2026, 11, 23)
    assert parse_due("05/12", today) == date(2026, 12, 5)
    assert parse_due("05/01/27", today) == date(2027, 1, 5)
    assert parse_due("31/02/2026", today) is None


# -- snapshots ------------------------------------------------------------------------------


def test_bulk_modal_over_marked_rows_at_80x24(snap_compare: SnapCompare, app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        await pilot.press("v", "j", "j", "V", "b")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


def test_marked_range_and_command_line_at_120x40(
    snap_compare: SnapCompare,
    db_path: Path,
    make_app: Callable[[Path, pl.DataFrame], CarteiraApp],
    portfolio_frame: Callable[[int], pl.DataFrame],
) -> None:
    app = make_app(db_path, portfolio_frame(60))

    async def go(pilot: Pilot[Any]) -> None:
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        await pilot.press("j", "v", "j", "j", "j", "V", "colon")
        await type_text(pilot, "filtro status = ativo")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=go)


# -- background work and errors -------------------------------------------------------------


async def test_stale_results_are_shown_at_once_then_recomputed_in_the_background(
    real_app: CarteiraApp, db_path: Path
) -> None:
    bulk.tag_clients(db_path, client_ids=[1], tag="nova")  # the stored result is now stale
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = clients_screen(app)
        assert screen.portfolio is not None
        assert not screen.portfolio.stale
        assert screen.portfolio.frame.filter(pl.col("id") == 1)["tags"].to_list() == ["vip, nova"]
        assert screen.query_one("#clients-progress").has_class("hidden")


async def test_progress_line_shows_the_stage_and_percentage(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = clients_screen(app)
        screen.post_message(WorkProgressed("Segmentando…", 0.5))
        await pilot.pause()
        progress = screen.query_one("#clients-progress", Static)
        assert not progress.has_class("hidden")
        assert str(progress.render()) == "⟳ Segmentando… 50%"


async def test_a_locked_database_is_a_message_not_a_traceback(
    real_app: CarteiraApp, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(bulk, "archive_clients", locked)
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("b", "down", "down", "down", "enter", "s")
        await settle(app, pilot)
        assert app.is_running
        assert isinstance(app.screen, ClientsScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("O banco está ocupado" in m for m in messages)
        assert rows(db_path, "SELECT sum(archived) FROM clients") == [(0,)]


async def test_a_write_elsewhere_refreshes_clientes_at_the_same_data_base_date_every_time(
    real_app: CarteiraApp, db_path: Path
) -> None:
    """The walk: a merge (or its undo) in Limpeza left Clientes at the old count until R, and
    moved the header's data-base to today. Each write now refreshes it, at AS_OF."""
    app = real_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = clients_screen(app)
        assert screen.portfolio is not None and screen.portfolio.as_of == AS_OF
        before = table_of(app).row_count
        bulk.archive_clients(db_path, client_ids=[1])  # a write by another pane
        screen.action_reload()
        await settle(app, pilot)
        assert table_of(app).row_count == before - 1
        assert screen.portfolio.as_of == AS_OF and app.as_of == AS_OF
        bulk.tag_clients(db_path, client_ids=[2], tag="segunda")  # and a second one
        screen.action_reload()
        await settle(app, pilot)
        assert not screen.portfolio.stale
        row = screen.portfolio.frame.filter(pl.col("id") == 2)
        assert "segunda" in row["tags"].to_list()[0]
        assert app.as_of == AS_OF
