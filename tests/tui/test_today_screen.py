"""The Hoje pane through Textual's pilot: one row per client, the why, m, /, done, t, and its
snapshots at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from textual.pilot import Pilot

from carteira_tui.config import Settings
from carteira_tui.services import segmentation, tasks
from carteira_tui.store.db import connect
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.screens import client_card
from carteira_tui.tui.screens.today import TodayScreen
from carteira_tui.tui.widgets.task_queue import TaskQueue
from carteira_tui.tui.widgets.today_detail import TodayDetail

SEGMENTED = date(2026, 11, 16)
DAY = date(2026, 11, 24)
SnapCompare = Callable[..., bool]


def seed(db_path: Path) -> None:
    """Ana's Alfa (WhatsApp) and Beta (refused WhatsApp, e-mail), Bruno's Gama (telefone)."""
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana'), (2, 'Bruno')")
        db.execute(
            "INSERT INTO clients(id, external_id, name, owner_id, channel_pref, consent_whatsapp,"
            " consent_email, consent_phone, consent_sms, created_at, updated_at) VALUES"
            " (1, 'C1', 'Alfa Comércio', 1, 'WhatsApp', 1, 0, 0, 0, '2026-01-02', '2026-01-02'),"
            " (2, 'C2', 'Beta Silva', 1, 'WhatsApp', 0, 1, 0, 0, '2026-01-02', '2026-01-02'),"
            " (3, 'C3', 'Gama Souza', 2, 'Telefone', 0, 0, 1, 0, '2026-01-02', '2026-01-02')"
        )
        for client_id, amount in ((1, 90_000), (2, 40_000), (3, 70_000)):
            days = ("2026-05-04", "2026-06-01", f"2026-06-{20 + client_id}")
            for day in days:
                db.execute(
                    "INSERT INTO orders(client_id, date, amount_cents) VALUES (?, ?, ?)",
                    [client_id, day, amount],
                )
            db.execute(
                "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase,"
                " frequency, monetary_cents, purchase_days) VALUES (?, ?, ?, 3, ?, 3)",
                [client_id, days[0], days[-1], 3 * amount],
            )
    segmentation.resegment(db_path, as_of=SEGMENTED, settings=Settings())
    tasks.generate_tasks(db_path, as_of=SEGMENTED, settings=Settings())


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_card, "today", lambda: DAY)


@pytest.fixture
def hoje_app(db_path: Path, make_app: Callable[[Path, pl.DataFrame], CarteiraApp]) -> CarteiraApp:
    seed(db_path)
    frame = segmentation.current_results(db_path, settings=Settings()).frame
    app = make_app(db_path, frame)
    app.first_pane = "hoje"
    return app


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def names(app: CarteiraApp) -> list[str]:
    return list(app.screen.query_one(TaskQueue).frame["name"].to_list())


def detail(app: CarteiraApp) -> str:
    return app.screen.query_one("#today-detail", TodayDetail).text


async def test_hoje_opens_first_with_one_row_per_client_and_the_why(hoje_app: CarteiraApp) -> None:
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(hoje_app.screen, TodayScreen)
        assert sorted(names(hoje_app)) == ["Alfa Comércio", "Beta Silva", "Gama Souza"]
        assert "comprava a cada" in detail(hoje_app)
        frame = hoje_app.screen.query_one(TaskQueue).frame
        channels = dict(zip(frame["name"], frame["channel"], strict=True))
        assert channels["Beta Silva"] == "email"  # refused WhatsApp


async def test_m_shows_mine_and_search_narrows(
    hoje_app: CarteiraApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTEIRA_USER", "Ana")
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # opens on mine when "me" is known
        assert sorted(names(hoje_app)) == ["Alfa Comércio", "Beta Silva"]
        assert "Hoje: Ana" in str(hoje_app.screen.query_one("#today-filter").render())
        await pilot.press("slash")
        await pilot.press(*"beta")
        await pilot.press("enter")
        await settle(pilot)
        assert names(hoje_app) == ["Beta Silva"]
        await pilot.press("m")  # everybody's
        await settle(pilot)
        assert sorted(names(hoje_app)) == ["Beta Silva"]  # the search stays
        assert "todos os responsáveis" in str(hoje_app.screen.query_one("#today-filter").render())


async def test_m_without_me_says_how_to_set_it(hoje_app: CarteiraApp) -> None:
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # "me" unknown: it opened on everybody's queue, silently
        assert len(names(hoje_app)) == 3 and not list(hoje_app._notifications)
        await pilot.press("m")
        await settle(pilot)
        messages = [str(n.message) for n in hoje_app._notifications]
        assert any("CARTEIRA_USER" in m for m in messages)


async def test_done_with_a_reached_outcome_takes_the_client_off(
    hoje_app: CarteiraApp, db_path: Path
) -> None:
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = names(hoje_app)[0]
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("1")  # Atendeu
        await settle(pilot)
        assert first not in names(hoje_app) and len(names(hoje_app)) == 2
    with connect(db_path) as db:
        logged = db.execute("SELECT outcome, substr(at, 1, 10) FROM interactions").fetchall()
    assert logged == [("Atendeu", "2026-11-24")]


async def test_t_shows_every_task_and_3_comes_back(hoje_app: CarteiraApp) -> None:
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert hoje_app.current_mode == "tarefas"
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(hoje_app.screen, TodayScreen)


def test_hoje_snapshot_at_80x24(snap_compare: SnapCompare, hoje_app: CarteiraApp) -> None:
    assert snap_compare(hoje_app, terminal_size=(80, 24), run_before=settle)


def test_hoje_snapshot_at_120x40(snap_compare: SnapCompare, hoje_app: CarteiraApp) -> None:
    assert snap_compare(hoje_app, terminal_size=(120, 40), run_before=settle)


async def test_o_picks_any_owners_queue(hoje_app: CarteiraApp) -> None:
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # todos, Ana, Bruno
        await settle(pilot)
        assert names(hoje_app) == ["Gama Souza"]
        assert "Hoje: Bruno" in str(hoje_app.screen.query_one("#today-filter").render())


async def test_f_filters_by_channel(hoje_app: CarteiraApp) -> None:
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press(
            "down", "down", "down", "down", "enter"
        )  # todos, atrasada, WA, tel, e-mail
        await settle(pilot)
        assert names(hoje_app) == ["Beta Silva"]


async def test_closing_a_dialog_keeps_the_footer_and_does_not_reread_the_queue(
    hoje_app: CarteiraApp,
) -> None:
    """A cancelled dialog changes nothing: the same footer keys, no new read of the queue."""
    from carteira_tui.tui.widgets.steady_footer import SteadyFooter

    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = hoje_app.screen
        assert isinstance(screen, TodayScreen)
        keys = list(screen.query_one(SteadyFooter).children)
        loads = 0
        original = screen._load

        def counted(*args: object) -> None:
            nonlocal loads
            loads += 1
            original(*args)  # type: ignore[arg-type]

        screen._load = counted  # type: ignore[method-assign]
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")  # the choice bar
        await settle(pilot)
        assert isinstance(hoje_app.screen, TodayScreen)
        assert keys and list(screen.query_one(SteadyFooter).children) == keys
        await pilot.press("d", "enter")  # the full dialog
        await settle(pilot)
        assert not isinstance(hoje_app.screen, TodayScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(hoje_app.screen, TodayScreen)
        assert list(screen.query_one(SteadyFooter).children) == keys
        assert loads == 0
        await pilot.press("ctrl+r")  # an explicit reload still reads
        await settle(pilot)
        assert loads == 1


async def test_leaving_clientes_for_hoje_keeps_its_footer_keys(hoje_app: CarteiraApp) -> None:
    """Clientes' footer is not rebuilt while Hoje is shown: back on Clientes, the same key
    widgets show Clientes' keys."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    from carteira_tui.tui.screens.clients import ClientsScreen
    from carteira_tui.tui.widgets.steady_footer import shown_keys

    async with hoje_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        clients = hoje_app.screen
        assert isinstance(clients, ClientsScreen)
        footer = clients.query_one(Footer)
        keys = list(footer.children)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(hoje_app.screen, TodayScreen)
        assert list(footer.children) == keys  # not rebuilt while hidden
        await pilot.press("1")
        await settle(pilot)
        assert hoje_app.screen is clients
        assert keys and list(footer.children) == keys
        shown = [
            key.action
            for key in footer.query(FooterKey)
            if not key.has_class("-command-palette")  # the palette's key, beside the pane's
        ]
        assert shown == [action for _key, _label, action, _on, _tip in shown_keys(clients)]


async def test_coming_back_rereads_the_queue_only_when_the_database_changed(
    hoje_app: CarteiraApp, db_path: Path
) -> None:
    """Hoje → the task list → Hoje with nothing written shows what it had; after a write (here
    someone else cancelling Gama's tasks) it reads again and the row is gone."""
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = hoje_app.screen
        assert isinstance(screen, TodayScreen)
        loads = 0
        original = screen._load

        def counted(*args: object) -> None:
            nonlocal loads
            loads += 1
            original(*args)  # type: ignore[arg-type]

        screen._load = counted  # type: ignore[method-assign]
        for key in ("t", "3"):
            await pilot.press(key)
            await settle(pilot)
        assert loads == 0 and "Gama Souza" in names(hoje_app)
        with connect(db_path) as db, db.atomic():
            db.execute("UPDATE tasks SET status = 'cancelada' WHERE client_id = 3")
        for key in ("t", "3"):
            await pilot.press(key)
            await settle(pilot)
        assert loads == 1 and "Gama Souza" not in names(hoje_app)


def task_dues(db_path: Path, client_id: int) -> set[str]:
    with connect(db_path) as db:
        rows = db.execute(
            "SELECT due FROM tasks WHERE client_id = ? AND status = 'aberta'", [client_id]
        ).fetchall()
    return {row[0] for row in rows}


def logged(db_path: Path) -> list[tuple[Any, ...]]:
    with connect(db_path) as db:
        return db.execute(
            "SELECT client_id, outcome, note, substr(at, 1, 10) FROM interactions ORDER BY id"
        ).fetchall()


async def test_d_opens_a_choice_bar_not_a_dialog_and_a_digit_records_and_moves_on(
    hoje_app: CarteiraApp, db_path: Path
) -> None:
    """d lists the outcomes under the client's line, in the pane itself; 4 (Não atendeu) keeps
    the client; then d 1 (Atendeu) takes it off and the cursor is on the row that followed."""
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = hoje_app.screen
        assert isinstance(screen, TodayScreen)
        first = names(hoje_app)[0]
        await pilot.press("d")
        await pilot.pause()
        assert hoje_app.screen is screen  # no modal screen
        lines = detail(hoje_app).split("\n")
        assert first in lines[0]
        assert lines[1].startswith("Como foi o contato? 1–6 registra")
        assert lines[2] == "1 Atendeu · 2 Comprou · 3 Agendou retorno · 4 Não atendeu"
        assert lines[3].startswith("5 Sem interesse · 6 Não quer mais ")
        await pilot.press("4")
        await settle(pilot)
        assert len(names(hoje_app)) == 3  # not reached: the client stays, under the cursor
        assert screen.current_row()["name"] == first  # type: ignore[index]
        assert "comprava a cada" in detail(hoje_app)
        second = names(hoje_app)[names(hoje_app).index(first) + 1]
        await pilot.press("d", "1")
        await settle(pilot)
        assert first not in names(hoje_app)
        assert screen.current_row() is not None
        assert screen.current_row()["name"] == second  # type: ignore[index]
        assert second in detail(hoje_app).split("\n")[0]
    client = {"Alfa Comércio": 1, "Beta Silva": 2, "Gama Souza": 3}[first]
    assert logged(db_path) == [
        (client, "Não atendeu", None, "2026-11-24"),
        (client, "Atendeu", None, "2026-11-24"),
    ]


async def test_s_then_a_digit_snoozes_to_the_day_the_bar_names(
    hoje_app: CarteiraApp, db_path: Path
) -> None:
    """24/11/2026 is a Tuesday: 1 is tomorrow (25/11), 2 two business days (26/11)."""
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = names(hoje_app)[0]
        await pilot.press("s")
        await pilot.pause()
        lines = detail(hoje_app).split("\n")
        assert lines[1].startswith("Adiar até quando? 1–4 adia")
        assert lines[2] == "1 amanhã, quarta 25/11 · 2 em 2 dias úteis, quinta 26/11"
        assert lines[3] == "3 em 7 dias, terça 01/12 · 4 em 30 dias, quinta 24/12"
        await pilot.press("2")
        await settle(pilot)
        assert first not in names(hoje_app) and len(names(hoje_app)) == 2
    client = {"Alfa Comércio": 1, "Beta Silva": 2, "Gama Souza": 3}[first]
    assert task_dues(db_path, client) == {"2026-11-26"}
    assert logged(db_path) == []


async def test_esc_or_moving_closes_the_bar_and_digits_switch_panes_again(
    hoje_app: CarteiraApp, db_path: Path
) -> None:
    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "comprava a cada" in detail(hoje_app) and "Como foi" not in detail(hoje_app)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down")  # the bar was for the row above: it closes
        await pilot.pause()
        assert "Adiar" not in detail(hoje_app) and "comprava a cada" in detail(hoje_app)
        await pilot.press("1")  # no bar: 1 is Clientes, as everywhere
        await settle(pilot)
        assert hoje_app.current_mode == "clientes"
    assert logged(db_path) == []
    with connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM audit WHERE action = 'adiar'").fetchone() == (0,)


async def test_enter_in_the_bar_opens_the_full_dialog_for_a_note(
    hoje_app: CarteiraApp, db_path: Path
) -> None:
    from carteira_tui.tui.screens.outcome_modal import OutcomeModal
    from carteira_tui.tui.screens.when_modal import WhenModal

    async with hoje_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first, second = names(hoje_app)[:2]
        await pilot.press("d", "enter")
        await settle(pilot)
        assert isinstance(hoje_app.screen, OutcomeModal)
        await pilot.press("tab", *"volta dia 30", "enter")  # the note, Atendeu highlighted
        await settle(pilot)
        assert isinstance(hoje_app.screen, TodayScreen) and first not in names(hoje_app)
        await pilot.press("s", "enter")
        await settle(pilot)
        assert isinstance(hoje_app.screen, WhenModal)
        await pilot.press("enter")  # its default: amanhã
        await settle(pilot)
        assert second not in names(hoje_app)
    ids = {"Alfa Comércio": 1, "Beta Silva": 2, "Gama Souza": 3}
    assert logged(db_path) == [(ids[first], "Atendeu", "volta dia 30", "2026-11-24")]
    assert task_dues(db_path, ids[second]) == {"2026-11-25"}


def test_hoje_outcome_bar_snapshot_at_80x24(
    snap_compare: SnapCompare, hoje_app: CarteiraApp
) -> None:
    """d: the outcomes listed in the detail lines, under the client's line, at 80×24."""

    async def open_bar(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(hoje_app, terminal_size=(80, 24), run_before=open_bar)


async def test_a_row_taken_off_a_long_queue_keeps_the_scroll_range_until_the_reread() -> None:
    """Taking a row off a queue taller than the view leaves the scrollbar as it is (no layout
    pass before the next row shows); settling fits it to the rows."""
    from textual.app import App, ComposeResult

    from carteira_tui.tui.widgets.frame_table import Column

    class QueueApp(App[None]):
        def compose(self) -> ComposeResult:
            yield TaskQueue([Column("name", "Nome", 10)])

    frame = pl.DataFrame({"id": list(range(1, 51)), "name": [f"n{i}" for i in range(1, 51)]})
    app = QueueApp()
    async with app.run_test(size=(40, 10)) as pilot:
        queue = app.query_one(TaskQueue)
        queue.show(frame)
        await pilot.pause()
        assert queue.virtual_size.height == 51
        queue.keep_scroll_range = True
        queue.show(frame.filter(pl.col("id") != 1), keep_id=2)
        queue.keep_scroll_range = False
        assert queue.virtual_size.height == 51 and queue.cursor_id == 2
        queue.settle_scroll_range()
        assert queue.virtual_size.height == 50
        queue.show(frame.head(3))  # without the flag: fitted at once
        assert queue.virtual_size.height == 4
