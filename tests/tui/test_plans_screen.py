"""The Planos screen (`p` on Segmentos) and the cadence dialog (`c` on Segmentos), driven as a
person does, on a real database; the clock is fixed at 20/11/2026.

Hand-worked dates: Natal 25/12/2026 is a Friday; 5 business days before it is Friday 18/12/2026.
Dia das Mães 2027 is Sunday 09/05/2027 (the 2nd Sunday of May); 3 business days before it is
Wednesday 05/05/2027.

Cadence (clients of the segment Ativos as of 20/11/2026, no interactions logged): C1 bought last
on 01/11/2026 (19 days), C4 on 15/10/2026 (36 days). Under 30/60 they are em dia and atenção;
under 10/20 atenção and atrasado.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from carteira_tui.config import Settings
from carteira_tui.services import plans as plan_service
from carteira_tui.services.imports import import_file
from carteira_tui.services.reports import segments_overview
from carteira_tui.services.segmentation import current_results, list_segments, resegment
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.screens import plans, segments
from carteira_tui.tui.screens.plan_modal import PlanModal
from carteira_tui.tui.screens.plans import PlansScreen
from carteira_tui.tui.screens.segments import SegmentsScreen
from carteira_tui.tui.screens.text_modal import TextModal
from carteira_tui.tui.widgets import plan_text

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
    """Five clients segmented as of AS_OF, and every pane's clock fixed at AS_OF."""
    (tmp_path / "clientes.csv").write_text(CLIENTS, encoding="utf-8")
    (tmp_path / "pedidos.csv").write_text(ORDERS, encoding="utf-8")
    import_file(db_path, "clients", tmp_path / "clientes.csv")
    import_file(db_path, "orders", tmp_path / "pedidos.csv")
    resegment(db_path, as_of=AS_OF, settings=Settings())
    monkeypatch.setattr(segments, "today", lambda: AS_OF)
    monkeypatch.setattr(plans, "today", lambda: AS_OF)
    return db_path


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages land (loads chain into loads)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_segments(pilot: Pilot[Any]) -> SegmentsScreen:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SegmentsScreen)
    return screen


async def open_plans(pilot: Pilot[Any]) -> PlansScreen:
    await open_segments(pilot)
    await pilot.press("p")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PlansScreen)
    return screen


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*[{"/": "slash", " ": "space", "_": "underscore"}.get(c, c) for c in text])


async def fill(pilot: Pilot[Any], key: str, text: str) -> None:
    """Focus the form's field `key`, clear it and type `text` (as a person with tab would)."""
    field = pilot.app.screen.query_one(f"#plan-{key}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("ctrl+u", "ctrl+k")
    await type_text(pilot, text)


def plan(db_path: Path, code: str) -> dict[str, Any] | None:
    rows = plan_service.list_plans(db_path).filter(pl.col("code") == code)
    return rows.row(0, named=True) if rows.height else None


def shown(screen: PlansScreen) -> dict[str, Any]:
    """The row under the cursor, as the table holds it."""
    current = screen.current_plan()
    assert current is not None
    return current


# -- Planos ---------------------------------------------------------------------------------


async def test_a_date_plan_is_created_edited_and_deleted_on_the_planos_screen(
    seeded: Path,
) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plans(pilot)
        assert "11 planos" in str(screen.query_one("#plans-summary", Static).render())

        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlanModal)
        await type_text(pilot, "natal_vip")
        await pilot.press("tab")
        await type_text(pilot, "Feliz Natal")
        await fill(pilot, "value", "natal")
        await fill(pilot, "due_offset", "5")
        await fill(pilot, "channel", "WhatsApp")
        await pilot.press("enter")
        await settle(pilot)

        assert app.screen is screen
        stored = plan(seeded, "natal_vip")
        assert stored is not None
        assert (stored["trigger"], stored["value"], stored["due_offset"]) == ("data", "natal", 5)
        assert (stored["channel"], stored["priority"], stored["active"]) == ("whatsapp", "M", True)
        row = shown(screen)  # the cursor lands on the new plan
        assert (row["code"], row["next_date"], row["due_date"]) == (
            "natal_vip",
            date(2026, 12, 25),
            date(2026, 12, 18),
        )
        detail = str(screen.query_one("#plans-detail", Static).render())
        assert "Natal em 25/12/2026 · tarefas vencem 18/12/2026, 5 dias úteis antes" in detail
        assert "próxima data: Natal em 25/12/2026" in str(
            screen.query_one("#plans-summary", Static).render()
        )

        await pilot.press("e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, PlanModal)
        assert modal.query_one("#plan-code", Input).disabled  # a plan's code is fixed
        assert modal.query_one("#plan-value", Input).value == "natal"
        await fill(pilot, "title", "Dia das Mães")
        await fill(pilot, "value", "dia_das_maes")
        await fill(pilot, "due_offset", "3")
        await pilot.press("enter")
        await settle(pilot)

        stored = plan(seeded, "natal_vip")
        assert stored is not None
        assert (stored["title"], stored["value"], stored["due_offset"]) == (
            "Dia das Mães",
            "dia_das_maes",
            3,
        )
        row = shown(screen)
        assert (row["next_date"], row["due_date"]) == (date(2027, 5, 9), date(2027, 5, 5))

        await pilot.press("a")
        await settle(pilot)
        assert plan(seeded, "natal_vip")["active"] is False  # type: ignore[index]

        await pilot.press("x")
        await pilot.pause()
        await pilot.press("s")
        await settle(pilot)
        assert plan(seeded, "natal_vip") is None  # it generated no task: deleted, not kept
        assert "11 planos" in str(screen.query_one("#plans-summary", Static).render())


async def test_a_refused_field_keeps_the_form_and_marks_the_field_with_the_choices(
    seeded: Path,
) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plans(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "natal_vip")
        await fill(pilot, "title", "Feliz Natal")
        await fill(pilot, "value", "natal")
        await fill(pilot, "channel", "pombo")
        await pilot.press("enter")
        await settle(pilot)

        modal = app.screen
        assert isinstance(modal, PlanModal)  # still open, with everything typed
        error = str(modal.query_one("#plan-error", Static).render())
        assert "canal desconhecido: 'pombo' (canais: WhatsApp, Telefone, E-mail, SMS)" in error
        assert modal.query_one("#plan-channel", Input).has_class("-invalid")
        assert not modal.query_one("#plan-value", Input).has_class("-invalid")
        assert modal.query_one("#plan-title", Input).value == "Feliz Natal"
        assert modal.query_one("#plan-code", Input).value == "natal_vip"
        assert plan(seeded, "natal_vip") is None

        await fill(pilot, "channel", "")
        await fill(pilot, "trigger", "segment")
        await fill(pilot, "value", "VIPs")
        await pilot.press("enter")
        await settle(pilot)
        error = str(modal.query_one("#plan-error", Static).render())
        assert "segmento desconhecido: 'VIPs' (segmentos: Clientes A em risco, Ativos" in error
        assert modal.query_one("#plan-value", Input).has_class("-invalid")
        assert not modal.query_one("#plan-channel", Input).has_class("-invalid")

        await fill(pilot, "trigger", "data")
        await fill(pilot, "value", "31/02")
        await pilot.press("enter")
        await settle(pilot)
        assert "data desconhecida" in str(modal.query_one("#plan-error", Static).render())
        assert plan(seeded, "natal_vip") is None

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        assert plan(seeded, "natal_vip") is None


async def test_the_palette_opens_planos_and_esc_goes_back(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        segments_screen = await open_segments(pilot)
        app.action_plans()
        await settle(pilot)
        assert isinstance(app.screen, PlansScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is segments_screen


# -- cadence on Segmentos -------------------------------------------------------------------


async def test_c_edits_a_segments_cadence_and_its_clients_states_follow(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_segments(pilot)
        await pilot.press("j")  # the second card: Ativos
        assert screen.selected_segment() == "Ativos"
        ativos = next(card for card in screen.cards if card.card.name == "Ativos")
        assert ativos.border_subtitle == "cadência 30/60"
        detail = str(screen.query_one("#segments-detail", Static).render())
        assert "Cadência 30/60 dias: 1 em dia · 1 atenção · 0 atrasados · c edita" in detail

        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TextModal)
        assert dialog.query_one("#text-input", Input).value == "30/60"
        await pilot.press("ctrl+u")
        await type_text(pilot, "60/30")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # refused, as typed, with the reason
        assert dialog.query_one("#text-input", Input).has_class("-invalid")
        await pilot.press("ctrl+u")
        await type_text(pilot, "10/20")
        await pilot.press("enter")
        await settle(pilot)

        assert app.screen is screen
        stored = {row.name: (row.cadence_ideal, row.cadence_max) for row in list_segments(seeded)}
        assert stored["Ativos"] == (10, 20)
        ativos = next(card for card in screen.cards if card.card.name == "Ativos")
        assert ativos.border_subtitle == "cadência 10/20"
        detail = str(screen.query_one("#segments-detail", Static).render())
        assert "Cadência 10/20 dias: 0 em dia · 1 atenção · 1 atrasado · c edita" in detail
        frame = current_results(seeded, settings=Settings()).frame
        states = dict(frame.select("client_id", "cadence").iter_rows())
        assert (states["C1"], states["C4"]) == ("atencao", "atrasado")
        overview = segments_overview(seeded, settings=Settings())
        assert overview.cadences["Ativos"].states == {"em_dia": 0, "atencao": 1, "atrasado": 1}


async def test_an_empty_cadence_is_refused_and_a_dash_clears_it(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_segments(pilot)
        await pilot.press("j", "c")
        await pilot.pause()
        await pilot.press("ctrl+u", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextModal)  # a stray enter clears nothing
        error = str(app.screen.query_one("#text-error", Static).render())
        assert "ou - para tirar a cadência" in error
        await pilot.press("minus", "enter")
        await settle(pilot)
        assert app.screen is screen
        stored = {row.name: row.cadence_ideal for row in list_segments(seeded)}
        assert stored["Ativos"] is None
        ativos = next(card for card in screen.cards if card.card.name == "Ativos")
        assert ativos.border_subtitle == ""
        detail = str(screen.query_one("#segments-detail", Static).render())
        assert "Sem cadência de contato · c define" in detail


async def test_a_cadence_saved_before_clientes_was_ever_opened_re_segments_quietly(
    seeded: Path,
) -> None:
    """The app can open on another pane than Clientes (Hoje by default): the re-segmentation
    a cadence change starts must not need the Clientes pane to exist."""
    app = CarteiraApp(seeded, settings=Settings())
    app.first_pane = "segmentos"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SegmentsScreen)
        await pilot.press("j", "c")
        await pilot.pause()
        await pilot.press("ctrl+u")
        await type_text(pilot, "10/20")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        ativos = next(card for card in screen.cards if card.card.name == "Ativos")
        assert ativos.border_subtitle == "cadência 10/20"


async def test_c_on_the_matrix_says_to_pick_a_segment(seeded: Path) -> None:
    app = CarteiraApp(seeded, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_segments(pilot)
        await pilot.press("down", "down", "down")  # below the cards: a matrix cell
        assert screen.selected_segment() is None
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is screen


# -- snapshots ------------------------------------------------------------------------------


def with_date_plans(db_path: Path) -> None:
    plan_service.add_plan(
        db_path, code="natal_vip", title="Feliz Natal", trigger="data", value="natal",
        due_offset=5, channel="WhatsApp", abc="A,B",
    )  # fmt: skip
    plan_service.add_plan(
        db_path, code="maes", title="Dia das Mães", trigger="data", value="dia_das_maes",
        due_offset=3,
    )  # fmt: skip


def test_planos_screen_at_80x24(snap_compare: SnapCompare, seeded: Path) -> None:
    with_date_plans(seeded)

    async def go(pilot: Pilot[Any]) -> None:
        await open_plans(pilot)
        await pilot.press("G")
        await pilot.pause()

    app = CarteiraApp(seeded, settings=Settings())
    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


def test_planos_screen_at_120x40(snap_compare: SnapCompare, seeded: Path) -> None:
    with_date_plans(seeded)

    async def go(pilot: Pilot[Any]) -> None:
        await open_plans(pilot)
        await pilot.press("G", "k")
        await pilot.pause()

    app = CarteiraApp(seeded, settings=Settings())
    assert snap_compare(app, terminal_size=(120, 40), run_before=go)


def test_plan_form_with_a_refused_channel_at_80x24(snap_compare: SnapCompare, seeded: Path) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await open_plans(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "natal_vip")
        await fill(pilot, "title", "Feliz Natal")
        await fill(pilot, "value", "natal")
        await fill(pilot, "channel", "pombo")
        await pilot.press("enter")
        await settle(pilot)

    app = CarteiraApp(seeded, settings=Settings())
    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


def test_the_detail_says_the_dates_in_the_words_that_fit() -> None:
    natal = {
        "code": "natal_vip", "title": "Feliz Natal", "trigger": "data", "trigger_label": "data",
        "value_label": "Natal", "due_offset": 5, "next_date": date(2026, 12, 25),
        "due_date": date(2026, 12, 18), "priority": "H", "channel_label": "WhatsApp", "abc": "A,B",
        "cooldown_days": 0, "active": False,
    }  # fmt: skip
    wide = plan_text.detail_text(natal, 118).split("\n")
    assert wide == [
        "Feliz Natal · Natal em 25/12/2026 · tarefas vencem 18/12/2026, 5 dias úteis antes",
        "INATIVO · prioridade alta · WhatsApp · classes A,B",
    ]
    assert plan_text.detail_text(natal, 60).split("\n")[0] == (
        "Natal em 25/12/2026 · vencem 18/12/2026 (5 du antes)"
    )
    assert (
        plan_text.detail_text(natal, 40).split("\n")[0] == "Natal em 25/12/2026 · vencem 18/12/2026"
    )
    avos = {**natal, "title": "Dia dos Avós", "value_label": "26/07", "due_offset": 2,
            "next_date": date(2027, 7, 26), "due_date": date(2027, 7, 22)}  # fmt: skip
    assert plan_text.detail_text(avos, 78).split("\n")[0] == (
        "Dia dos Avós · 26/07/2027 · tarefas vencem 22/07/2027, 2 dias úteis antes"
    )
