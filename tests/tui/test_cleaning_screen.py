"""The Limpeza screen and the merge screen on a real database: the lists, a reviewed merge with a
value picked from the other member, undo, merging every high-confidence group, archiving the
stale contacts, and snapshots at 80×24 (and the Limpeza list at 120×40)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from carteira_tui.config import Settings
from carteira_tui.services.cleaning import ClusterDetail, FieldChoice
from carteira_tui.store.aggregates import rebuild_all
from carteira_tui.store.db import bump_generation, connect
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.messages import Portfolio
from carteira_tui.tui.screens import client_card
from carteira_tui.tui.screens.cleaning import CleaningProgressed, CleaningScreen, cluster_rows
from carteira_tui.tui.screens.client_card import ClientCardScreen
from carteira_tui.tui.screens.clients import with_search_key
from carteira_tui.tui.screens.confirm_modal import ConfirmModal
from carteira_tui.tui.screens.help import HelpModal
from carteira_tui.tui.screens.merge import MergeScreen
from carteira_tui.tui.widgets.merge.picks import chosen_values, field_picks
from carteira_tui.tui.widgets.merge_grid import GridRow, MergeGrid, members_that_fit

DAY = date(2026, 11, 19)
VALID_CPF = "529.982.247-25"
SnapCompare = Callable[..., bool]


def seed(db_path: Path) -> None:
    """Ana (1) and her duplicate ANA (2, opted out, e-mail in capitals); Bruno (3), a prospect
    since 2020 with an invalid CPF and phone and no contact (stale as of 20/11/2026)."""
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Rita')")
        clients = [
            (1, "C1", "Ana Souza", VALID_CPF, "ana@exemplo.com", "(11) 91234-5678", "São Paulo",
             "SP", "01310100", 0, "vip", 1, "2026-01-01T09:00:00"),
            (2, "C2", "ANA  SOUZA", "52998224725", "ANA@EXEMPLO.COM", "11912345678", "sao paulo",
             "SP", None, 1, "antiga", None, "2025-05-05T09:00:00"),
            (3, "C3", "Bruno Lima", "529.982.247-24", "bruno@exemplo.com", "9054", "Campinas",
             "SP", "13010000", 0, None, 1, "2020-01-01T09:00:00"),
        ]  # fmt: skip
        db.conn.executemany(
            "INSERT INTO clients(id, external_id, name, document, email, phone, city, uf, cep,"
            " opt_out, tags, owner_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row, row[-1]) for row in clients],
        )
        db.conn.executemany(
            "INSERT INTO orders(id, external_id, client_id, date, amount_cents)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (1, "p1", 1, "2026-01-10", 10000),
                (2, "p2", 1, "2026-03-10", 5000),
                (3, "p3", 2, "2026-03-10", 3000),
                (4, "p4", 2, "2025-12-01", 2000),
            ],
        )
    with connect(db_path) as db:
        rebuild_all(db)


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_card, "today", lambda: DAY)


@pytest.fixture
def seeded_app(
    db_path: Path,
    make_app: Callable[[Path, pl.DataFrame], CarteiraApp],
    portfolio_frame: Callable[[int], pl.DataFrame],
) -> CarteiraApp:
    seed(db_path)
    return make_app(db_path, portfolio_frame(3))


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the workers (a failed one is the screen's to report) and the repaint."""
    for _ in range(3):
        with contextlib.suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_cleaning(pilot: Pilot[Any]) -> CleaningScreen:
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CleaningScreen)
    return screen


async def open_merge(pilot: Pilot[Any]) -> MergeScreen:
    await open_cleaning(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MergeScreen)
    return screen


def text_of(app: CarteiraApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def one(db_path: Path, sql: str) -> Any:
    with connect(db_path) as db:
        return db.execute(sql).fetchone()


def notifications(app: CarteiraApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


# -- pure parts ---------------------------------------------------------------------------------


def _detail(fields: list[FieldChoice]) -> ClusterDetail:
    members = [{"id": 1, "external_id": "C1"}, {"id": 2, "external_id": "C2"}]
    return ClusterDetail(1, 1, "alta", 1.0, [], members, fields)


def test_field_picks_mark_the_suggested_member_and_add_a_combined_value_as_an_option() -> None:
    detail = _detail(
        [
            FieldChoice("opt_out", "Opt-out", {1: 0, 2: 1}, 1, 2),
            FieldChoice("tags", "Tags", {1: "vip", 2: "antiga"}, "vip, antiga", None),
            FieldChoice("email", "E-mail", {1: "a@x.com", 2: "A@X.COM"}, "a@x.com", 1),
        ]
    )
    opt_out, tags, email = field_picks(detail, [1, 2])
    assert (opt_out.options, opt_out.suggested, opt_out.chosen) == ((0, 1), 1, 1)
    assert (tags.options, tags.suggested) == (("vip", "antiga", "vip, antiga"), 2)
    assert (email.suggested, email.value) == (0, "a@x.com")


def test_field_picks_keep_the_persons_picks_when_the_member_order_changes() -> None:
    detail = _detail([FieldChoice("email", "E-mail", {1: "a@x.com", 2: "A@X.COM"}, "a@x.com", 1)])
    (email,) = field_picks(detail, [2, 1], {"email": "A@X.COM"})
    assert (email.suggested, email.chosen) == (1, 0)
    assert chosen_values([email]) == {"email": "A@X.COM"}


def test_cluster_rows_put_alta_first_then_by_score_with_the_survivor_named() -> None:
    clusters = pl.DataFrame(
        {
            "cluster_id": [7, 7, 3, 3, 3],
            "client_id": [70, 71, 30, 31, 32],
            "external_id": ["C70", "C71", "C30", "C31", "C32"],
            "name": ["Bia", "BIA", "Caio", "Caio S", "CAIO"],
            "is_survivor": [False, True, True, False, False],
            "completeness": [80, 90, 100, 70, 60],
            "score": [0.7, 0.7, 0.9, 0.9, 0.9],
            "confidence": ["media", "media", "alta", "alta", "alta"],
            "reasons": [["mesmo_email"]] * 2 + [["mesmo_documento", "nome_fonetico"]] * 3,
        }
    )
    rows = cluster_rows(clusters)
    assert rows.select("id", "confidence_label", "score_text", "names", "reasons_text").rows() == [
        (3, "Alta", "0,90", "Caio +2", "doc., som"),
        (7, "Média", "0,70", "BIA +1", "e-mail"),
    ]


def test_three_members_fit_beside_the_field_and_result_at_80_columns() -> None:
    assert members_that_fit(79, 2) == 2
    assert members_that_fit(79, 5) == 3
    assert members_that_fit(119, 5) == 5


# -- the Limpeza screen -------------------------------------------------------------------------


async def test_limpeza_lists_the_group_the_invalid_fields_and_the_stale_contact(
    seeded_app: CarteiraApp,
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        screen = await open_cleaning(pilot)
        assert "grupos: alta 1 · média 0 · baixa 0" in text_of(seeded_app, "#cleaning-summary")
        assert text_of(seeded_app, "#cleaning-tab-issues") == "Campos inválidos 2"
        assert text_of(seeded_app, "#cleaning-tab-stale") == "Contatos parados 1"
        assert screen.current.frame.select("names", "confidence_label").rows() == [
            ("Ana Souza +1", "Alta")
        ]
        detail = text_of(seeded_app, "#cleaning-detail")
        assert "★ C1 Ana Souza · completude 100% · fica (sugerido)" in detail
        await pilot.press("tab")
        assert screen.section == "issues"
        assert screen.current.frame["field_label"].to_list() == ["CPF/CNPJ", "Telefone"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(seeded_app.screen, ClientCardScreen)
        assert seeded_app.screen.client_id == 3


async def test_the_progress_line_shows_the_stage_and_hides_when_the_lists_arrive(
    seeded_app: CarteiraApp,
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        screen = await open_cleaning(pilot)
        progress = screen.query_one("#cleaning-progress")
        assert progress.has_class("hidden")
        screen.post_message(CleaningProgressed("procurando duplicados", 0.4))
        await pilot.pause()
        assert not progress.has_class("hidden")
        assert text_of(seeded_app, "#cleaning-progress") == "⟳ procurando duplicados 40%"
        await pilot.press("r")
        await settle(pilot)
        assert progress.has_class("hidden")


async def test_undo_is_hidden_until_something_was_done(seeded_app: CarteiraApp) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        screen = await open_cleaning(pilot)
        assert screen.check_action("undo", ()) is False
        await pilot.press("u")
        assert not isinstance(seeded_app.screen, ConfirmModal)


async def test_merge_with_a_value_from_the_other_member_then_undo_restores_both(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        merge = await open_merge(pilot)
        grid = merge.query_one(MergeGrid)
        assert [row.label for row in grid.rows[:3]] == ["Nome", "CPF/CNPJ", "E-mail"]
        assert grid.rows[2].chosen == 0  # the suggestion: Ana's own e-mail
        await pilot.press("j", "j", "2")
        assert grid.rows[2].chosen == 1
        assert grid.rows[2].result == "ANA@EXEMPLO.COM"
        assert "escolha sua" in text_of(seeded_app, "#merge-field")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(seeded_app.screen, ConfirmModal)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(seeded_app.screen, CleaningScreen)
        assert "Limpeza · Mesclados: 2 clientes em C1 (desfazer: u)" in notifications(seeded_app)
        assert one(db_path, "SELECT COUNT(*) FROM clients WHERE id IN (1, 2)") == (1,)
        assert one(db_path, "SELECT email, opt_out, tags FROM clients WHERE id = 1") == (
            "ANA@EXEMPLO.COM",
            1,
            "vip, antiga",
        )
        assert one(db_path, "SELECT COUNT(*) FROM orders WHERE client_id = 1") == (4,)
        assert text_of(seeded_app, "#cleaning-tab-clusters") == "Duplicados 0"

        await pilot.press("u")
        await pilot.pause()
        assert isinstance(seeded_app.screen, ConfirmModal)
        await pilot.press("enter")
        await settle(pilot)
        assert one(db_path, "SELECT COUNT(*) FROM clients WHERE id IN (1, 2)") == (2,)
        assert one(db_path, "SELECT email, opt_out FROM clients WHERE id = 1") == (
            "ana@exemplo.com",
            0,
        )
        assert one(db_path, "SELECT COUNT(*) FROM orders WHERE client_id = 2") == (2,)
        assert text_of(seeded_app, "#cleaning-tab-clusters") == "Duplicados 1"
        assert screen_can_undo(seeded_app) is False


def screen_can_undo(app: CarteiraApp) -> bool | None:
    return app.screen.check_action("undo", ())


async def test_tab_skips_to_the_fields_where_the_members_disagree(
    seeded_app: CarteiraApp,
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        merge = await open_merge(pilot)
        grid = merge.query_one(MergeGrid)
        # the phones, one number typed two ways, read alike: no stop there
        phone = next(row for row in grid.rows if row.label == "Telefone")
        assert phone.cells == ["(11) 91234-5678", "(11) 91234-5678"] and phone.same
        await pilot.press("tab", "tab", "tab")
        assert grid.rows[grid.cursor_row].label == "Opt-out"  # past channel and consents
        assert text_of(seeded_app, "#merge-field").startswith("Opt-out: fica sim (do 2 C2")


async def test_a_number_with_no_member_stays_on_the_merge_screen(seeded_app: CarteiraApp) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_merge(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(seeded_app.screen, MergeScreen)
        assert "Mesclar · O grupo tem 2 clientes." in notifications(seeded_app)


async def test_choosing_the_other_survivor_merges_into_it_with_what_the_screen_showed(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        merge = await open_merge(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("j", "enter")
        await settle(pilot)
        assert merge.detail is not None and merge.detail.survivor_id == 2
        assert "2 C2 ANA  SOUZA ★ fica" in text_of(seeded_app, "#merge-members")
        kept_name = merge.query_one(MergeGrid).rows[0].result  # the new survivor's own
        await pilot.press("m", "s")
        await settle(pilot)
        assert one(db_path, "SELECT id, name FROM clients WHERE id IN (1, 2)") == (2, kept_name)
        assert one(db_path, "SELECT COUNT(*) FROM orders WHERE client_id = 2") == (4,)


async def test_esc_leaves_the_merge_screen_without_changing_anything(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_merge(pilot)
        await pilot.press("right", "m", "n", "escape")
        await settle(pilot)
        assert isinstance(seeded_app.screen, CleaningScreen)
        assert one(db_path, "SELECT COUNT(*) FROM clients") == (3,)


async def test_a_merges_every_high_confidence_group_after_asking(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_cleaning(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        assert one(db_path, "SELECT COUNT(*) FROM clients") == (3,)
        await pilot.press("a", "s")
        await settle(pilot)
        assert "Limpeza · Mesclados: 1 grupo, 2 clientes (desfazer: u)" in notifications(seeded_app)
        assert one(db_path, "SELECT COUNT(*) FROM clients") == (2,)
        await pilot.press("u", "s")
        await settle(pilot)
        assert one(db_path, "SELECT COUNT(*) FROM clients") == (3,)


async def test_x_proposes_the_stale_contacts_archives_them_and_u_brings_them_back(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_cleaning(pilot)
        await pilot.press("x")
        await settle(pilot)
        modal = seeded_app.screen
        assert isinstance(modal, ConfirmModal)
        assert modal.question == "Arquivar 1 contato parado?"
        await pilot.press("s")
        await settle(pilot)
        assert one(db_path, "SELECT archived FROM clients WHERE id = 3") == (1,)
        assert text_of(seeded_app, "#cleaning-tab-stale") == "Contatos parados 0"
        await pilot.press("u", "s")
        await settle(pilot)
        assert one(db_path, "SELECT archived FROM clients WHERE id = 3") == (0,)


async def test_a_merge_reloads_the_clientes_pane(
    db_path: Path, portfolio_frame: Callable[[int], pl.DataFrame]
) -> None:
    seed(db_path)
    loads: list[int] = []

    def loader() -> Portfolio:
        loads.append(1)
        return Portfolio(with_search_key(portfolio_frame(3)), DAY)

    app = CarteiraApp(db_path, settings=Settings(), loader=loader)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cleaning(pilot)
        assert len(loads) == 1
        await pilot.press("a", "s")
        await settle(pilot)
        assert len(loads) == 2


async def test_the_undo_list_outlives_the_screen(seeded_app: CarteiraApp, db_path: Path) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_cleaning(pilot)
        await pilot.press("a", "s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(seeded_app.screen, CleaningScreen)
        screen = await open_cleaning(pilot)
        assert screen.check_action("undo", ()) is True
        await pilot.press("u", "s")
        await settle(pilot)
        assert one(db_path, "SELECT COUNT(*) FROM clients") == (3,)


async def test_the_palette_opens_limpeza_and_help_lists_its_keys(
    seeded_app: CarteiraApp,
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"limpeza")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(seeded_app.screen, CleaningScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(seeded_app.screen, HelpModal)
        keys = dict(seeded_app.screen.keys)
        assert keys["a"] == "Mesclar altas"
        assert keys["tab"] == "Seção"
        assert keys["esc"] == "Voltar"
        assert "u" not in keys  # nothing to undo yet


async def test_l_on_the_limpeza_screen_does_not_stack_it_twice(seeded_app: CarteiraApp) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_cleaning(pilot)
        depth = len(seeded_app.screen_stack)
        await pilot.press("l")
        await settle(pilot)
        assert len(seeded_app.screen_stack) == depth


async def test_a_group_gone_meanwhile_is_said_on_the_merge_screen(
    seeded_app: CarteiraApp, db_path: Path
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await open_cleaning(pilot)
        with connect(db_path) as db, db.atomic():
            db.execute("UPDATE clients SET archived = 1 WHERE id = 2")
            bump_generation(db)
        await pilot.press("enter")
        await settle(pilot)
        assert "não encontrado" in text_of(seeded_app, "#merge-title")
        assert any("grupo de duplicados 1" in m for m in notifications(seeded_app))


class GridApp(App[None]):
    """A bare app around one `MergeGrid`, for paging its members."""

    def compose(self) -> ComposeResult:
        yield MergeGrid()


async def test_members_that_do_not_fit_are_paged_and_a_pick_reveals_its_member() -> None:
    app = GridApp()
    async with app.run_test(size=(80, 10)) as pilot:
        grid = app.query_one(MergeGrid)
        headers = [f"{n} C{n}" for n in range(1, 6)]
        grid.show(headers, [GridRow("Nome", [f"nome {n}" for n in range(1, 6)], 0, 0, "nome 1")])
        await pilot.pause()
        assert grid.shown_members == range(0, 3)
        assert grid.page_members(1) is True
        assert grid.shown_members == range(2, 5)
        assert grid.page_members(1) is False
        grid.reveal_member(0)
        assert grid.shown_members == range(0, 3)


# -- snapshots ----------------------------------------------------------------------------------


def test_limpeza_snapshot_at_80x24(snap_compare: SnapCompare, seeded_app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_cleaning(pilot)

    assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=go)


def test_limpeza_snapshot_at_120x40(snap_compare: SnapCompare, seeded_app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_cleaning(pilot)

    assert snap_compare(seeded_app, terminal_size=(120, 40), run_before=go)


def test_merge_snapshot_at_80x24(snap_compare: SnapCompare, seeded_app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_merge(pilot)
        await pilot.press("j", "j", "2")
        await pilot.pause()

    assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=go)


def test_merge_snapshot_at_120x40(snap_compare: SnapCompare, seeded_app: CarteiraApp) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_merge(pilot)

    assert snap_compare(seeded_app, terminal_size=(120, 40), run_before=go)


async def test_q_in_the_middle_of_a_merge_review_asks_before_leaving(
    seeded_app: CarteiraApp,
) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        merge = await open_merge(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(seeded_app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert seeded_app.is_running and seeded_app.screen is merge
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert not seeded_app.is_running


async def test_1_leaves_limpeza(seeded_app: CarteiraApp) -> None:
    async with seeded_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(seeded_app.screen, CleaningScreen)
        await pilot.press("1")
        await settle(pilot)
        assert not isinstance(seeded_app.screen, CleaningScreen)
