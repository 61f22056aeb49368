"""services.plans: the same functions behind `carteira plans …` and the Planos screen.

Hand-worked dates, as of 20/11/2026: Natal 25/12/2026 is a Friday, 5 business days before it
Friday 18/12/2026; Black Friday 2026 is 27/11 (the day after the 4th Thursday, 26/11); Dia do
Cliente 15/09 has passed, so the next is 15/09/2027 (a Wednesday), 2 business days before it
Monday 13/09/2027; a fixed 02/11 has passed too: 02/11/2027 is a Tuesday (Finados), 1 business
day before it Monday 01/11/2027; the 3rd Sunday of October 2027 is 17/10 (01/10/2027 is a
Friday), which falls due with no lead on the business day before it, Friday 15/10/2027.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from carteira_tui.config import Settings
from carteira_tui.services import plans as service
from carteira_tui.services.plans import PlanError, date_plan_days, plan_rows
from carteira_tui.store.db import connect

AS_OF = date(2026, 11, 20)


@pytest.fixture
def db(db_path: Path) -> Path:
    with connect(db_path):
        pass  # the migrations create the default plans and segments
    return db_path


def test_date_plan_days_are_the_next_occurrence_and_the_business_day_its_tasks_fall_due() -> None:
    settings = Settings()
    assert date_plan_days("natal", 5, as_of=AS_OF, settings=settings) == (
        date(2026, 12, 25),
        date(2026, 12, 18),
    )
    assert date_plan_days("black_friday", 0, as_of=AS_OF, settings=settings) == (
        date(2026, 11, 27),
        date(2026, 11, 27),
    )
    assert date_plan_days("dia_do_cliente", 2, as_of=AS_OF, settings=settings) == (
        date(2027, 9, 15),
        date(2027, 9, 13),
    )
    assert date_plan_days("02/11", 1, as_of=AS_OF, settings=settings) == (
        date(2027, 11, 2),
        date(2027, 11, 1),
    )
    assert date_plan_days("3º domingo de outubro", 0, as_of=AS_OF, settings=settings) == (
        date(2027, 10, 17),
        date(2027, 10, 15),
    )
    assert date_plan_days("dia_de_nada", 1, as_of=AS_OF, settings=settings) is None


def test_plan_rows_label_each_plan_and_date_the_date_triggers(db: Path) -> None:
    service.add_plan(db, code="natal_vip", title="Feliz Natal", trigger="data", value="natal",
                     due_offset=5)  # fmt: skip
    rows = plan_rows(db, as_of=AS_OF, settings=Settings())
    natal = rows.filter(pl.col("code") == "natal_vip").row(0, named=True)
    assert (natal["trigger_label"], natal["value_label"]) == ("data", "Natal")
    assert natal["channel_label"] is None
    retention = rows.filter(pl.col("code") == "retencao_a").row(0, named=True)
    assert retention["channel_label"] == "Telefone"
    assert (natal["next_date"], natal["due_date"]) == (date(2026, 12, 25), date(2026, 12, 18))
    ativos_plan = rows.filter(pl.col("code") == "fidelizacao").row(0, named=True)
    assert (ativos_plan["trigger_label"], ativos_plan["value_label"]) == ("segmento", "Ativos")
    assert ativos_plan["next_date"] is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"channel": "pombo"}, "channel", "canais: WhatsApp, Telefone, E-mail, SMS"),
        ({"trigger": "lua"}, "trigger", "gatilhos: status, segment"),
        ({"value": "31/02"}, "value", "data desconhecida"),
        ({"priority": "X"}, "priority", "H, M ou L"),
        ({"abc": "A,D"}, "abc", "use A, B, C"),
        ({"due_offset": -1}, "due_offset", "negativo"),
        ({"title": " "}, "title", "título"),
        ({"trigger": "segment", "value": "VIPs"}, "value", "segmentos: Clientes A em risco"),
    ],
)
def test_a_refused_edit_names_the_field_and_the_choices_and_writes_nothing(
    db: Path, fields: dict[str, object], field: str, message: str
) -> None:
    service.add_plan(db, code="natal_vip", title="Feliz Natal", trigger="data", value="natal")
    before = service.list_plans(db)
    with pytest.raises(PlanError, match=message) as refused:
        service.edit_plan(db, "natal_vip", **fields)
    assert refused.value.field == field
    assert service.list_plans(db).equals(before)


def test_an_unknown_plan_is_refused_with_the_list_of_plans(db: Path) -> None:
    with pytest.raises(PlanError, match="planos: aniversario, cadencia") as refused:
        service.edit_plan(db, "upsell", priority="H")
    assert refused.value.field == "code"


def test_an_emptied_channel_or_class_list_clears_it(db: Path) -> None:
    service.add_plan(db, code="natal_vip", title="Feliz Natal", trigger="data", value="natal",
                     channel="whatsapp", abc="a,b")  # fmt: skip
    row = service.list_plans(db).filter(pl.col("code") == "natal_vip").row(0, named=True)
    assert (row["channel"], row["abc"]) == ("whatsapp", "A,B")
    service.edit_plan(db, "natal_vip", channel="", abc="")
    row = service.list_plans(db).filter(pl.col("code") == "natal_vip").row(0, named=True)
    assert (row["channel"], row["abc"]) == (None, None)
