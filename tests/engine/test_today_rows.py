"""Hoje's rows in plain Python (`engine.today`) and the one urgency function (`engine.urgency`)."""

from __future__ import annotations

import itertools
import math
from datetime import date

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine.tasks import usable_channel, with_urgency
from carteira_tui.engine.today import QueueTask, task_channel, today_rows, usable_channel_of, why
from carteira_tui.engine.urgency import UrgencyInputs, Weights, urgency, urgency_terms

AS_OF = date(2026, 4, 20)
WEIGHTS = Weights.of(Settings())


def queue_task(**changes: object) -> QueueTask:
    base = QueueTask(
        id=1,
        client_id=10,
        external_id="c10",
        name="Padaria Boa",
        owner="Ana",
        kind="recompra",
        title="Contato de recompra",
        due=AS_OF,
        urgency=5.0,
        channel="whatsapp",
        abc="A",
        first_purchase=date(2026, 1, 1),
        last_purchase=date(2026, 2, 15),
        purchase_days=4,
        last_interaction=date(2026, 3, 11),
        cadence_ideal=15,
        cadence_max=30,
    )
    return base._replace(**changes)  # type: ignore[arg-type]


def test_due_term_is_a_half_on_the_due_day_and_nothing_far_ahead() -> None:
    on_the_day = urgency_terms(UrgencyInputs(AS_OF), as_of=AS_OF, weights=WEIGHTS)
    assert on_the_day[0] == (WEIGHTS.due, 0.5)
    years_ahead = urgency_terms(UrgencyInputs(date(2040, 1, 1)), as_of=AS_OF, weights=WEIGHTS)
    assert years_ahead[0][1] == 0.0  # e^(5000/7) would overflow: the factor is 0, not an error


def test_cycle_term_by_hand_and_zero_for_a_cycle_of_zero_days() -> None:
    # bought 1/1 … 15/2 on 4 days: cycle 15 days; 64 days since: r = (64 − 15) / 15
    task = UrgencyInputs(
        AS_OF, first_purchase=date(2026, 1, 1), last_purchase=date(2026, 2, 15), purchase_days=4
    )
    r = (64 - 15) / 15
    expected = math.log1p(r) / (math.log1p(r) + 2)
    assert urgency_terms(task, as_of=AS_OF, weights=WEIGHTS)[2][1] == expected
    same_day = task._replace(first_purchase=date(2026, 2, 15))
    assert urgency_terms(same_day, as_of=AS_OF, weights=WEIGHTS)[2][1] == 0.0


def test_urgency_is_the_sum_of_the_terms_to_four_places() -> None:
    task = UrgencyInputs(
        date(2026, 4, 13),
        priority="H",
        abc="A",
        cooling=True,
        created_on=date(2026, 4, 1),
        monetary_cents=1_234_567,
        cadence_max=30,
    )
    terms = urgency_terms(task, as_of=AS_OF, weights=WEIGHTS)
    assert urgency(task, as_of=AS_OF, weights=WEIGHTS) == round(sum(w * f for w, f in terms), 4)
    assert terms[4][1] == 1.0  # a cadence and never contacted: fully late


def test_the_frame_urgency_is_the_same_function_row_by_row() -> None:
    frame = pl.DataFrame(
        {
            "due": [date(2026, 4, 13), date(2026, 4, 30)],
            "priority": ["H", None],
            "abc": ["A", "C"],
            "monetary_cents": [1_234_567, None],
            "last_interaction": [date(2026, 3, 1), None],
            "cadence_max": [30, None],
        }
    )
    scored = with_urgency(frame.lazy(), as_of=AS_OF, settings=Settings()).collect()
    for row in scored.iter_rows(named=True):
        inputs = UrgencyInputs(
            row["due"],
            priority=row["priority"],
            abc=row["abc"],
            monetary_cents=row["monetary_cents"],
            last_interaction=row["last_interaction"],
            cadence_max=row["cadence_max"],
        )
        assert row["urgency"] == urgency(inputs, as_of=AS_OF, weights=WEIGHTS)
        assert row["u_abc"] == row["w_abc"] * row["f_abc"]


def test_python_channel_rule_agrees_with_the_frame_rule_on_every_combination() -> None:
    spellings = [None, "WhatsApp", "e-mail", "Telefone", "sms", "zap", "fax"]
    consent_values = [None, 0, 1]
    rows = []
    for preferred, plan in itertools.product(spellings, spellings):
        for consents in itertools.product(consent_values, repeat=4):
            for opt_out in (0, 1):
                rows.append((preferred, plan, *consents, opt_out))
    names = [
        "channel_pref",
        "plan_channel",
        "consent_whatsapp",
        "consent_phone",
        "consent_email",
        "consent_sms",
        "opt_out",
    ]
    schema = {name: (pl.String() if index < 2 else pl.Int64()) for index, name in enumerate(names)}
    frame = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
        pl.col(name).cast(pl.Boolean) for name in names[2:]
    )
    expected = frame.select(
        usable_channel(pl.col("channel_pref"), pl.col("plan_channel"))
    ).to_series()
    got = [
        usable_channel_of(
            row[0], row[1], dict(zip(names[2:6], row[2:6], strict=True)), opt_out=row[6]
        )
        for row in rows
    ]
    assert got == expected.to_list()
    assert len(rows) == 7 * 7 * 81 * 2


def test_a_collection_without_a_usable_channel_keeps_its_own() -> None:
    refused = {"consent_whatsapp": 0, "consent_phone": 0, "consent_email": 0, "consent_sms": 0}
    assert task_channel("cobranca", "Telefone", None, refused) == "telefone"
    assert task_channel("recompra", "Telefone", None, refused) is None


def test_why_reads_as_people_say_it() -> None:
    task = queue_task()
    assert why(task, cadence="atrasado", as_of=AS_OF) == (
        "Cliente A; comprava a cada 15 dias e está há 64 dias sem comprar; último contato há 40"
        " dias; fora da cadência do segmento (a cada 30 dias no máximo)"
    )
    prospect = queue_task(
        kind="aniversario",
        abc=None,
        first_purchase=None,
        last_purchase=None,
        purchase_days=None,
        last_interaction=AS_OF,
        channel=None,
    )
    assert why(prospect, cadence=None, as_of=AS_OF) == (
        "Aniversário em 20/04; ainda não comprou; último contato hoje;"
        " nenhum canal autorizado: não contatar para marketing"
    )


def test_one_row_per_client_headed_by_its_most_urgent_task() -> None:
    tasks = [
        queue_task(id=1, client_id=10, urgency=4.0, title="Recompra"),
        queue_task(id=2, client_id=10, urgency=6.5, title="Retenção", due=date(2026, 4, 17)),
        queue_task(id=3, client_id=20, external_id="c20", urgency=5.0),
        queue_task(id=4, client_id=30, external_id="c30", urgency=6.5),
    ]
    rows, clients = today_rows(tasks, as_of=AS_OF)
    assert clients == 3
    assert [row.client_id for row in rows] == [10, 30, 20]  # 6,5 due 17/04 before 6,5 due 20/04
    assert [task.id for task in rows[0].tasks] == [2, 1]
    assert rows[0].cadence == "atrasado"  # 40 days since the last contact, max 30
    top, clients = today_rows(tasks, as_of=AS_OF, limit=1)
    assert [row.client_id for row in top] == [10] and clients == 3
