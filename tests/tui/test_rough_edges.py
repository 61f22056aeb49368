"""The rough edges of the first walk, each as a person meets it (80×24)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from carteira_tui.store.db import connect
from carteira_tui.tui.app import CarteiraApp, key_as_written
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.cleaning import CleaningScreen
from carteira_tui.tui.screens.clients import ClientsScreen
from carteira_tui.tui.screens.help import HelpModal
from carteira_tui.tui.screens.tasks import TasksScreen
from carteira_tui.tui.widgets.frame_table import Column, FrameTable


async def settle(app: CarteiraApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def table_text(app: CarteiraApp) -> str:
    table = app.screen.query_one(FrameTable)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def test_keys_show_as_people_write_them() -> None:
    assert [key_as_written(k) for k in ("escape", "colon", "asterisk", "question_mark")] == [
        "esc",
        ":",
        "*",
        "?",
    ]
    assert key_as_written("ctrl+p") == "ctrl+p"
    assert key_as_written("bracketleft") == "["


async def test_help_lists_esc_and_colon_not_their_key_names(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        keys = dict(app.screen.keys)
        assert "esc" in keys and ":" in keys and "*" in keys
        assert not {"escape", "colon", "asterisk"} & set(keys)


async def test_1_leaves_limpeza_for_clientes(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, CleaningScreen)
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientsScreen)


async def test_colon_on_tarefas_stays_on_tarefas(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")  # Hoje; the full task list is one key away
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, TasksScreen)
        await pilot.press("colon")
        await settle(app, pilot)
        assert isinstance(app.screen, TasksScreen)


async def test_an_empty_search_says_why_and_how_to_widen_it(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"Teresina")
        await settle(app, pilot)
        assert app.screen.query_one(FrameTable).row_count == 0
        assert "nenhum cliente com 'Teresina' — esc limpa a busca" in table_text(app)


async def test_a_search_for_a_merged_away_code_finds_its_survivor(
    app: CarteiraApp, db_path: Path
) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO clients(id, external_id, name) VALUES (3, 'C0003', 'Ana')")
        db.execute("INSERT INTO client_aliases(code, client_id) VALUES ('C0893', 3)")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"c0893")
        await settle(app, pilot)
        table = app.screen.query_one(FrameTable)
        assert table.row_count == 1
        assert "C0003" in table_text(app)
        summary = str(app.screen.query_one("#clients-summary").render())
        assert "busca: c0893 (c0893 foi unificado em C0003)" in summary, summary
        await pilot.press(*"9")  # no longer anyone's code
        await settle(app, pilot)
        assert table.row_count == 0
        assert "unificado" not in str(app.screen.query_one("#clients-summary").render())


async def test_s_lists_the_columns_and_the_pick_sorts_from_the_first_row(
    app: CarteiraApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(FrameTable)
        await pilot.press("j", "j", "j")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        labels = [label for _, label in app.screen.options]
        assert "Nome" in labels and any("sem ordem" in label for label in labels)
        keys = [key for key, _ in app.screen.options]
        for _ in range(keys.index("monetary_cents")):
            await pilot.press("j")
        await pilot.press("enter")
        await settle(app, pilot)
        assert table.sort_column == "monetary_cents" and not table.sort_descending
        assert table.cursor_row == 0 and table.cursor_id == 1  # the smallest value, at the top
        await pilot.press("S")
        await settle(app, pilot)
        assert table.sort_descending and table.cursor_row == 0 and table.cursor_id == 40


def test_the_sort_arrow_is_never_cut_in_a_narrow_column() -> None:
    table = FrameTable([Column("uf", "Estado", 3)])
    table.sort_column = "uf"
    header = table._header_text([(table.columns[0], 3)])
    assert header.strip() == "Es↑"


async def test_one_notification_at_a_time(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.notify("primeira", title="Um")
        app.notify("segunda", title="Dois")
        await pilot.pause()
        assert [(n.title, n.message) for n in app._notifications] == [("", "Dois · segunda")]


async def test_q_inside_a_dialog_never_quits(app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")  # the sort picker: a dialog
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ChoiceModal)


async def test_q_on_a_pane_leaves_at_once(db_path: Path, app: CarteiraApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_one_notification_at_a_time_on_the_bottom_lines_never_over_the_list(
    app: CarteiraApp,
) -> None:
    from textual.widgets._toast import Toast

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.notify("Primeira", title="Clientes")
        app.notify("Segunda")
        app.notify(
            "Segmentação de 20/11/2026 já estava em dia: nada mudou (40 clientes).",
            title="Clientes",
        )
        await pilot.pause(0.2)
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1
        toast = toasts[0]
        table = app.screen.query_one(FrameTable)
        assert toast.region.y >= 22 and toast.region.bottom <= 24
        assert table.region.bottom <= toast.region.y
        first_line = toast.render_line(0).text
        assert "Clientes · Segmentação de 20/11/2026" in first_line


async def test_a_hidden_clientes_pane_does_not_replace_the_notification_on_screen(
    app: CarteiraApp,
) -> None:
    from datetime import date

    from carteira_tui.tui.widgets.clients.messages import Resegmented

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        clients = app.screen
        assert isinstance(clients, ClientsScreen)
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, CleaningScreen)
        app.screen.notify("Mesclados: 2 clientes em C1 (desfazer: u)", title="Limpeza")
        clients.post_message(Resegmented(date(2026, 11, 20), "Segmentação recalculada."))
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert messages == ["Limpeza · Mesclados: 2 clientes em C1 (desfazer: u)"]
        await pilot.press("escape")
        await settle(app, pilot)
        clients.post_message(Resegmented(date(2026, 11, 20), "Segmentação recalculada."))
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == ["Clientes · Segmentação recalculada."]
