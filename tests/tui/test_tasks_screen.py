"""The Tarefas pane on a real database: queue order, done → next, snooze, reassign, cancel,
filters, opening the client, and its snapshots at 80×24 and 120×40."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from textual.geometry import Region
from textual.pilot import Pilot

from carteira_tui.config import Settings
from carteira_tui.services import segmentation, tasks
from carteira_tui.store.db import bump_generation, connect
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.screens import client_card
from carteira_tui.tui.screens.client_card import ClientCardScreen
from carteira_tui.tui.screens.tasks import QueueFilter, TasksScreen, fetch_queue, ordered_queue
from carteira_tui.tui.widgets.task_queue import TaskQueue

DAY = date(2026, 11, 19)  # a Thursday (20/11 is a national holiday)
SnapCompare = Callable[..., bool]


def seed_portfolio(db_path: Path) -> None:
    """Owners Ana and Bruno; three clients with orders; four open tasks around DAY.

    Queue order: today by urgency (Alfa H, Beta L), then overdue (Gama), then upcoming (Alfa).
    """
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana'), (2, 'Bruno')")
        db.execute(
            "INSERT INTO clients(id, external_id, name, email, phone, channel_pref, owner_id,"
            " city, uf, created_at, updated_at) VALUES"
            " (1, 'C001', 'Alfa Comércio', 'alfa@exemplo.com.br', '(11) 98765-4321',"
            "  'WhatsApp', 1, 'São Paulo', 'SP', '2026-01-02T08:00:00', '2026-01-02T08:00:00'),"
            " (2, 'C002', 'Beta Silva', NULL, NULL, 'E-mail', 2, 'Recife', 'PE',"
            "  '2026-01-02T08:00:00', '2026-01-02T08:00:00'),"
            " (3, 'C003', 'Gama Souza', NULL, NULL, 'Telefone', 1, NULL, NULL,"
            "  '2026-01-02T08:00:00', '2026-01-02T08:00:00')"
        )
        db.conn.executemany(
            "INSERT INTO orders(external_id, client_id, date, amount_cents) VALUES (?, ?, ?, ?)",
            [
                ("P1", 1, "2026-09-10", 10_000),
                ("P2", 1, "2026-10-05", 5_050),
                ("P3", 2, "2025-03-01", 99_90),
                ("P4", 3, "2026-11-02", 1_234_56),
            ],
        )
        db.execute(
            "INSERT INTO interactions(client_id, at, channel, kind, outcome, note, who) VALUES"
            " (1, '2026-10-01T09:00:00', 'Telefone', 'Oferta', 'Atendeu', 'pediu catálogo', 'Ana')"
        )
    settings = Settings()
    segmentation.resegment(db_path, as_of=DAY, settings=settings)
    for client, title, due, priority in [
        ("C001", "Ligar para Alfa", DAY, "H"),
        ("C002", "Mandar catálogo", DAY, "L"),
        ("C003", "Cobrar retorno", date(2026, 11, 17), "M"),
        ("C001", "Visita mensal", date(2026, 11, 25), "M"),
    ]:
        tasks.add_task(
            db_path, client=client, title=title, due=due, as_of=DAY, settings=settings,
            priority=priority,
        )  # fmt: skip


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_card, "today", lambda: DAY)


@pytest.fixture
def seeded_app(db_path: Path, make_app: Callable[[Path, pl.DataFrame], CarteiraApp]) -> CarteiraApp:
    seed_portfolio(db_path)
    frame = segmentation.current_results(db_path, settings=Settings()).frame
    return make_app(db_path, frame.with_columns(pl.col("id").alias("id")))


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_tasks(pilot: Pilot[Any]) -> TaskQueue:
    await settle(pilot)
    await pilot.press("3")  # Hoje; its t is the full task list
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TasksScreen)
    return pilot.app.screen.query_one(TaskQueue)


def titles(queue: TaskQueue) -> list[str]:
    return list(queue.frame["title"].to_list())


def task_row(db_path: Path, title: str) -> tuple[Any, ...]:
    with connect(db_path) as db:
        row: tuple[Any, ...] = db.execute(
            "SELECT status, due, owner_id, outcome, interaction_id FROM tasks WHERE title = ?",
            [title],
        ).fetchone()
    return row


def screen_text(app: CarteiraApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def test_ordered_queue_puts_today_then_overdue_then_upcoming() -> None:
    queue = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "due": [date(2026, 11, 25), date(2026, 11, 17), DAY, DAY],
            "urgency": [30.0, 20.0, 5.0, 9.0],
        }
    )
    ordered = ordered_queue(queue, DAY)
    assert ordered["id"].to_list() == [4, 3, 2, 1]
    assert ordered["when"].to_list() == ["hoje", "hoje", "atraso 2d", "25/11/2026"]


def test_fetch_queue_reads_at_most_limit_per_window_and_says_it_was_cut(db_path: Path) -> None:
    seed_portfolio(db_path)
    queue, capped = fetch_queue(db_path, QueueFilter(), DAY, limit=1)
    assert (queue["title"].to_list(), capped) == (["Ligar para Alfa", "Visita mensal"], True)
    queue, capped = fetch_queue(db_path, QueueFilter("overdue"), DAY, limit=5)
    assert (queue["title"].to_list(), capped) == (["Cobrar retorno"], False)


async def test_queue_shows_today_by_urgency_then_overdue_then_upcoming(
    seeded_app: CarteiraApp,
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        queue = await open_tasks(pilot)
        assert titles(queue) == [
            "Ligar para Alfa",
            "Mandar catálogo",
            "Cobrar retorno",
            "Visita mensal",
        ]
        summary = screen_text(seeded_app, "#tasks-summary")
        assert "4 tarefas · hoje 2 · atrasadas 1 · próximas 1 · 19/11/2026" in summary
        detail = shown_lines(seeded_app.screen.query_one("#tasks-detail"))
        assert detail[0].strip().startswith("C001 Alfa Comércio")


async def test_done_with_one_digit_records_the_outcome_and_moves_to_the_next(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        queue = await open_tasks(pilot)
        await pilot.press("d", "1")
        await settle(pilot)
        status, _due, _owner, outcome, interaction_id = task_row(db_path, "Ligar para Alfa")
        assert (status, outcome) == ("concluida", "Atendeu")
        with connect(db_path) as db:
            contact = db.execute(
                "SELECT client_id, at, outcome FROM interactions WHERE id = ?", [interaction_id]
            ).fetchone()
        assert contact == (1, "2026-11-19", "Atendeu")
        assert titles(queue) == ["Mandar catálogo", "Cobrar retorno", "Visita mensal"]
        assert queue.cursor_row == 0
        # the next one, again with one key
        await pilot.press("d", "4")
        await settle(pilot)
        assert task_row(db_path, "Mandar catálogo")[3] == "Não atendeu"
        assert titles(queue) == ["Cobrar retorno", "Visita mensal"]


async def test_done_with_a_note_and_follow_up_creates_the_return_task(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_tasks(pilot)
        await pilot.press("d", "tab", *"quer proposta", "tab", *"+7d", "enter")
        await settle(pilot)
        with connect(db_path) as db:
            done = db.execute(
                "SELECT outcome, note FROM tasks WHERE title = 'Ligar para Alfa'"
            ).fetchone()
            follow = db.execute(
                "SELECT due, kind FROM tasks WHERE title = 'Retorno: Ligar para Alfa'"
            ).fetchone()
        assert done == ("Atendeu", "quer proposta")
        assert follow == ("2026-11-26", "retorno")


async def test_snooze_understands_seg_and_moves_the_task(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        queue = await open_tasks(pilot)
        await pilot.press("s", "ctrl+u", *"seg")
        await pilot.pause()
        assert "segunda, 23/11/2026" in screen_text(seeded_app, "#when-preview")
        await pilot.press("enter")
        await settle(pilot)
        assert task_row(db_path, "Ligar para Alfa")[:2] == ("aberta", "2026-11-23")
        assert titles(queue)[0] == "Mandar catálogo"


async def test_snooze_with_text_it_cannot_read_says_why_and_keeps_the_date(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_tasks(pilot)
        await pilot.press("s", "ctrl+u", *"logo", "enter")
        await pilot.pause()
        assert "data não reconhecida" in screen_text(seeded_app, "#when-preview")
        await pilot.press("escape")
        await settle(pilot)
        assert task_row(db_path, "Ligar para Alfa")[1] == "2026-11-19"


async def test_reassign_picks_another_owner(seeded_app: CarteiraApp, db_path: Path) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        queue = await open_tasks(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert task_row(db_path, "Ligar para Alfa")[2] == 2
        assert queue.frame.row(0, named=True)["owner"] == "Bruno"


async def test_cancel_asks_first_and_only_cancels_on_yes(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        queue = await open_tasks(pilot)
        await pilot.press("x", "n")
        await settle(pilot)
        assert task_row(db_path, "Ligar para Alfa")[0] == "aberta"
        await pilot.press("x", "s")
        await settle(pilot)
        assert task_row(db_path, "Ligar para Alfa")[0] == "cancelada"
        assert "Ligar para Alfa" not in titles(queue)


async def test_filter_keys_show_overdue_upcoming_and_all(seeded_app: CarteiraApp) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        queue = await open_tasks(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert titles(queue) == ["Cobrar retorno"]
        assert "Fila: atrasadas" in screen_text(seeded_app, "#tasks-filter")
        await pilot.press("p")
        await settle(pilot)
        assert titles(queue) == ["Visita mensal"]
        await pilot.press("t")
        await settle(pilot)
        assert titles(queue) == ["Ligar para Alfa", "Mandar catálogo", "Cobrar retorno"]
        await pilot.press("T")
        await settle(pilot)
        assert len(titles(queue)) == 4


async def test_mine_when_you_are_not_an_owner_says_so(seeded_app: CarteiraApp) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        queue = await open_tasks(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert len(titles(queue)) == 4
        messages = [n.message for n in seeded_app._notifications]
        assert any("não sei qual responsável é você" in m for m in messages)


async def test_enter_opens_the_client_card_and_esc_comes_back(seeded_app: CarteiraApp) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_tasks(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert isinstance(seeded_app.screen, ClientCardScreen)
        assert seeded_app.screen.client_id == 3
        assert "Gama Souza · C003" in screen_text(seeded_app, "#card-title")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(seeded_app.screen, TasksScreen)


async def test_generate_asks_and_creates_the_plans_tasks(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    with connect(db_path) as db, db.atomic():  # plans contact only on an accepted channel
        generation = bump_generation(db)
        db.execute(
            "UPDATE clients SET consent_whatsapp = 1, consent_email = 1, generation = ?",
            [generation],
        )
    segmentation.resegment(db_path, as_of=DAY, settings=Settings())
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        queue = await open_tasks(pilot)
        await pilot.press("n", "s")
        await settle(pilot)
        with connect(db_path) as db:
            generated = db.execute(
                "SELECT COUNT(*) FROM tasks WHERE plan_id IS NOT NULL"
            ).fetchone()
        assert generated[0] > 0
        assert queue.row_count == 4 + generated[0]


LONG_TITLE = (
    "Retenção de cliente A em risco; Contato de recompra; Contato de relacionamento; "
    "Manter contato (cadência do segmento)"
)


def shown_lines(widget: Any) -> list[str]:
    """The lines a widget paints, as the terminal shows them."""
    width, height = widget.size
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_task_text_is_never_cut_and_the_table_gives_it_the_spare_width(
    seeded_app: CarteiraApp, db_path: Path, size: tuple[int, int]
) -> None:
    tasks.add_task(
        db_path, client="C002", title=LONG_TITLE, due=DAY, as_of=DAY, settings=Settings(),
        priority="H",
    )  # fmt: skip
    async with seeded_app.run_test(size=size) as pilot:
        queue = await open_tasks(pilot)
        for _ in range(titles(queue).index(LONG_TITLE)):
            await pilot.press("j")
        await settle(pilot)
        detail = shown_lines(pilot.app.screen.query_one("#tasks-detail"))
        assert " ".join(line.strip() for line in detail[1:] if line.strip()) == LONG_TITLE
        assert detail[0].strip().startswith("C002 Beta Silva · Bruno · vence 19/11/2026")
        row = next(line for line in shown_lines(queue) if "Beta Silva" in line)
        # the task's column, not the client's, takes what the terminal has to spare
        shown = row.split("Beta Silva")[1].strip().split("…")[0]
        assert len(shown) >= {80: 24, 120: 48}[size[0]], row


def test_tarefas_pane_snapshot_at_80x24(snap_compare: SnapCompare, seeded_app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_tasks(pilot)

    assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=go)


def test_tarefas_pane_snapshot_at_120x40(
    snap_compare: SnapCompare, seeded_app: CarteiraApp
) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_tasks(pilot)

    assert snap_compare(seeded_app, terminal_size=(120, 40), run_before=go)


async def test_channels_read_as_the_product_names_them_and_the_card_formats_the_phone(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("UPDATE tasks SET channel = 'whatsapp' WHERE title = 'Ligar para Alfa'")
        db.execute("UPDATE tasks SET channel = 'email' WHERE title = 'Mandar catálogo'")
        db.execute("UPDATE clients SET phone = '+55 81 99876-5432' WHERE id = 2")
    async with seeded_app.run_test(size=(120, 40)) as pilot:
        queue = await open_tasks(pilot)
        rows = shown_lines(queue)
        assert "WhatsApp" in next(line for line in rows if "Ligar para Alfa" in line)
        assert "E-mail" in next(line for line in rows if "Mandar catálogo" in line)
        assert "whatsapp" not in " ".join(rows) and " email" not in " ".join(rows)
        detail = shown_lines(pilot.app.screen.query_one("#tasks-detail"))
        assert detail[0].strip().endswith("prioridade alta · WhatsApp"), detail
        await pilot.press("j", "enter")  # Beta Silva's card
        await settle(pilot)
        assert isinstance(seeded_app.screen, ClientCardScreen)
        profile = " ".join(shown_lines(seeded_app.screen.query_one("#card-profile")))
        assert "(81) 99876-5432" in profile and "+55 81" not in profile
        tasks_section = " ".join(shown_lines(seeded_app.screen.query_one("#card-tasks")))
        assert "Mandar catálogo · E-mail" in tasks_section, tasks_section
