"""Action plans → task candidates, the idempotency rule and urgency, on tiny inline frames."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from carteira_tui.config import Settings
from carteira_tui.engine.calendar import br_holidays
from carteira_tui.engine.tasks import (
    CAPACITY_SCHEMA,
    EXISTING_SCHEMA,
    new_tasks,
    queue_order,
    task_candidates,
    with_urgency,
    within_capacity,
)

HOLIDAYS = br_holidays([2026, 2027])
FRIDAY_BEFORE_TIRADENTES = date(2026, 4, 17)


def plan(plan_id: int, code: str, trigger: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": plan_id,
        "code": code,
        "kind": code,
        "title": code,
        "trigger": trigger,
        "value": None,
        "abc": None,
        "due_offset": 0,
        "priority": "M",
        "channel": None,
        "recurrence": None,
        "anchor": None,
        "cooldown_days": 30,
        "active": True,
    }
    base.update(fields)
    return base


def plans_frame(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema_overrides={"value": pl.String, "abc": pl.String})


def clients(*rows: dict[str, Any]) -> pl.LazyFrame:
    defaults: dict[str, Any] = {
        "status": "ativo",
        "abc": "B",
        "overdue_days": None,
        "cooling": False,
        "excluded": False,
        "segment": None,
        "owner_id": 1,
        "birth_date": None,
        "delinquent": False,
        "opt_out": False,
        "channel_pref": None,
        "consent_whatsapp": True,
        "consent_email": None,
        "consent_phone": None,
    }
    schema = {
        "id": pl.Int64,
        "status": pl.String,
        "abc": pl.String,
        "overdue_days": pl.Float64,
        "cooling": pl.Boolean,
        "excluded": pl.Boolean,
        "segment": pl.String,
        "owner_id": pl.Int64,
        "birth_date": pl.Date,
        "delinquent": pl.Boolean,
        "opt_out": pl.Boolean,
        "channel_pref": pl.String,
        "consent_whatsapp": pl.Boolean,
        "consent_email": pl.Boolean,
        "consent_phone": pl.Boolean,
    }
    return pl.LazyFrame([{**defaults, **row} for row in rows], schema=schema)


def candidates(results: pl.LazyFrame, plans: pl.DataFrame, as_of: date, **kw: Any) -> pl.DataFrame:
    return (
        task_candidates(results, plans, as_of=as_of, holidays=HOLIDAYS, **kw)
        .sort("client_id", "plan_id")
        .collect()
    )


def test_due_offset_counts_business_days_across_the_weekend_and_tiradentes() -> None:
    plans = plans_frame(
        plan(1, "um", "status", value="ativo", due_offset=1),
        plan(2, "dois", "status", value="ativo", due_offset=2),
    )
    got = candidates(clients({"id": 10}), plans, FRIDAY_BEFORE_TIRADENTES)
    assert got["due"].to_list() == [date(2026, 4, 20), date(2026, 4, 22)]


def test_excluded_and_opted_out_clients_get_no_tasks_and_delinquent_only_cobranca() -> None:
    plans = plans_frame(
        plan(1, "fidelizacao", "status", value="ativo"),
        plan(2, "cobranca", "inadimplente", priority="H", channel="telefone"),
    )
    results = clients(
        {"id": 1},
        {"id": 2, "excluded": True},
        {"id": 3, "opt_out": True},
        {"id": 4, "delinquent": True, "excluded": True},
    )
    got = candidates(results, plans, date(2026, 4, 22))
    # the plan's telefone has no consent: the first consented channel is used
    assert got.select("client_id", "plan_id", "channel").rows() == [
        (1, 1, "whatsapp"),
        (4, 2, "whatsapp"),
    ]


def test_channel_is_the_consented_preference_else_the_plan_else_the_best_consented() -> None:
    plans = plans_frame(plan(1, "aviso", "status", value="ativo", channel="WhatsApp"))
    results = clients(
        {"id": 1, "channel_pref": "E-mail", "consent_email": True},
        {"id": 2},
        {"id": 3, "channel_pref": "Whats App", "consent_whatsapp": False, "consent_phone": True},
        {"id": 4, "consent_whatsapp": False},
        {"id": 5, "channel_pref": "email", "consent_email": None},
    )
    got = candidates(results, plans, date(2026, 4, 22))
    # 3 refused WhatsApp (its preference and the plan's): telefone, which it accepted;
    # 4 accepted no channel: no contact task at all; 5 never consented to e-mail
    assert got.select("client_id", "channel").rows() == [
        (1, "email"),
        (2, "whatsapp"),
        (3, "telefone"),
        (5, "whatsapp"),
    ]


def test_channel_vocabulary_folds_case_accents_and_aliases() -> None:
    from carteira_tui.model import channel_key

    assert [channel_key(t) for t in ("E-mail", " EMAIL ", "Zap", "Ligação", "fax")] == [
        "email",
        "email",
        "whatsapp",
        "telefone",
        None,
    ]


def test_segment_plan_selects_clients_whose_segment_names_it_and_abc_filter_applies() -> None:
    plans = plans_frame(
        plan(1, "reengajamento", "segment"),
        plan(2, "mensal_a", "status", value="ativo", abc="A"),
    )
    results = clients(
        {"id": 1, "segment": "Inativos recentes", "status": "inativo_recente"},
        {"id": 2, "segment": "Ativos", "abc": "A"},
        {"id": 3, "segment": "Ativos", "abc": "C"},
    )
    got = candidates(
        results, plans, date(2026, 4, 22), segment_plans={"Inativos recentes": "reengajamento"}
    )
    assert got.select("client_id", "plan_id").rows() == [(1, 1), (2, 2)]


def test_repurchase_and_cooling_triggers() -> None:
    plans = plans_frame(plan(1, "recompra", "recompra"), plan(2, "relacionamento", "esfriando"))
    results = clients(
        {"id": 1, "overdue_days": 12.5},
        {"id": 2, "overdue_days": -3.0, "cooling": True},
        {"id": 3},
    )
    got = candidates(results, plans, date(2026, 4, 22))
    assert got.select("client_id", "plan_id").rows() == [(1, 1), (2, 2)]


def test_birthday_on_a_sunday_is_due_the_friday_before_and_outside_the_window_is_skipped() -> None:
    plans = plans_frame(plan(1, "aniversario", "aniversario", cooldown_days=0))
    results = clients(
        {"id": 1, "birth_date": date(1980, 4, 26)},  # Sunday 26/04/2026
        {"id": 2, "birth_date": date(1990, 5, 10)},  # 18 days away
        {"id": 3, "birth_date": date(1985, 4, 20)},  # today, Monday
    )
    got = candidates(results, plans, date(2026, 4, 20), birthday_window_days=7)
    assert got.select("client_id", "period", "due").rows() == [
        (1, date(2026, 4, 26), date(2026, 4, 24)),
        (3, date(2026, 4, 20), date(2026, 4, 20)),
    ]


def test_monthly_plan_belongs_to_the_month_and_is_not_due_before_as_of() -> None:
    plans = plans_frame(
        plan(1, "mensal", "status", value="ativo", recurrence="FREQ=MONTHLY", anchor="2020-01-01")
    )
    got = candidates(clients({"id": 1}), plans, date(2026, 4, 22))
    assert got.select("period", "due").rows() == [(date(2026, 4, 1), date(2026, 4, 22))]


def existing(
    *rows: tuple[int, int, date | None, bool, date | None] | tuple[Any, ...],
) -> pl.LazyFrame:
    padded = [row if len(row) == 6 else (*row, "fidelizacao") for row in rows]
    return pl.LazyFrame(padded, schema=EXISTING_SCHEMA, orient="row")


def test_new_tasks_never_duplicate_an_open_task_or_a_recent_or_same_period_one() -> None:
    as_of = date(2026, 4, 22)
    plans = plans_frame(
        plan(1, "fidelizacao", "status", value="ativo", cooldown_days=30),
        plan(2, "mensal", "status", value="ativo", recurrence="FREQ=MONTHLY", anchor="2020-01-01"),
    )
    results = clients({"id": 1}, {"id": 2}, {"id": 3}, {"id": 4})
    found = task_candidates(results, plans, as_of=as_of, holidays=HOLIDAYS)
    prior = existing(
        (1, 1, None, True, None),  # open: blocks client 1 plan 1
        (2, 1, None, False, date(2026, 4, 1)),  # closed 21 days ago, cooldown 30: blocks
        (3, 1, None, False, date(2026, 3, 1)),  # closed 52 days ago: allows
        (4, 2, date(2026, 4, 1), False, date(2026, 4, 10)),  # April period done: blocks
        (3, 2, date(2026, 3, 1), False, date(2026, 3, 10)),  # March period: allows April
    )
    fresh = new_tasks(found, prior, plans, as_of=as_of).sort("plan_id", "client_id").collect()
    assert fresh.select("plan_id", "client_id").rows() == [
        (1, 3),
        (1, 4),
        (2, 1),
        (2, 2),
        (2, 3),
    ]


def test_new_tasks_on_their_own_output_is_empty() -> None:
    as_of = date(2026, 4, 22)
    plans = plans_frame(plan(1, "fidelizacao", "status", value="ativo"))
    found = task_candidates(clients({"id": 1}, {"id": 2}), plans, as_of=as_of, holidays=HOLIDAYS)
    first = new_tasks(found, existing(), plans, as_of=as_of).collect()
    as_existing = first.select(
        "client_id",
        "plan_id",
        "period",
        pl.lit(True).alias("is_open"),
        pl.lit(None, pl.Date).alias("closed_on"),
        pl.col("kind"),
    )
    assert first.height == 2
    assert new_tasks(found, as_existing.lazy(), plans, as_of=as_of).collect().height == 0


def test_urgency_worked_example_with_continuous_terms() -> None:
    tasks = pl.LazyFrame(
        {
            "id": [1, 2, 3],
            "due": [date(2026, 4, 13), date(2026, 5, 4), date(2026, 4, 20)],
            "priority": ["H", "M", "L"],
            "abc": ["A", "B", None],
            "cooling": [False, True, False],
            "created_on": [date(2026, 4, 13), date(2026, 4, 20), date(2025, 4, 20)],
            "first_purchase": [date(2025, 12, 31), None, date(2026, 1, 5)],
            "last_purchase": [date(2026, 3, 1), None, date(2026, 1, 5)],
            "purchase_days": [3, None, 1],
            "monetary_cents": [99_900, None, 0],
            "last_interaction": [date(2026, 2, 9), None, None],
            "cadence_max": [30, 60, None],
        }
    )
    scored = with_urgency(tasks, as_of=date(2026, 4, 20), settings=Settings()).collect()
    # s(r) = ln(1 + r) / (ln(1 + r) + 2); default weights add up to 100
    late = math.log(5 / 3) / (math.log(5 / 3) + 2)  # r = 2/3
    # 1: 7 days overdue 14/(1+e^-1) + H 8 + cycle 30 days, 50 without buying: r = 2/3, 30 s(r)
    #    + R$ 999: 30 × (log10(1000) − 2)/4 = 7.5 + last contact (the purchase) 50 days ago
    #    against a max of 30: 12 s(r) + A 3 + age 7/365 × 1.5
    # 2: due in 14 days 14/(1+e^2) + M 5 + never contacted with a cadence: 12 + B 1.5 + cooling 1.5
    # 3: due today 14 × 0,5 + L 2 + one purchase day (no cycle), no revenue, no cadence + age 1.5
    terms = {
        "u_due": [14 / (1 + math.exp(-1)), 14 / (1 + math.exp(2)), 7.0],
        "u_priority": [8.0, 5.0, 2.0],
        "u_cycle": [30 * late, 0.0, 0.0],
        "u_value": [7.5, 0.0, 0.0],
        "u_cadence": [12 * late, 12.0, 0.0],
        "u_abc": [3.0, 1.5, 0.0],
        "u_cooling": [0.0, 1.5, 0.0],
        "u_age": [7 / 365 * 1.5, 0.0, 1.5],
    }
    totals = [round(sum(values[i] for values in terms.values()), 4) for i in range(3)]
    expected = pl.DataFrame({"id": [1, 2, 3], **terms, "urgency": totals})
    assert_frame_equal(scored.select(expected.columns), expected, abs_tol=1e-9)
    assert queue_order(scored.lazy()).collect()["id"].to_list() == [1, 2, 3]


def test_urgency_separates_clients_alike_but_for_value_and_lateness() -> None:
    days = [date(2026, 4, 13)] * 3
    tasks = pl.LazyFrame(
        {
            "id": [1, 2, 3],
            "due": days,
            "priority": ["M"] * 3,
            "first_purchase": [date(2025, 1, 1)] * 3,
            "last_purchase": [date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 2)],
            "purchase_days": [5, 5, 5],
            "monetary_cents": [100_000, 120_000, 100_000],
        }
    )
    scored = with_urgency(tasks, as_of=date(2026, 4, 20), settings=Settings()).collect()
    assert scored["urgency"].round(2).n_unique() == 3


def test_urgency_forecast_term_is_the_chance_a_repeat_buyer_already_stopped() -> None:
    as_of = date(2026, 4, 20)
    fit = {"fit_r": 1.0, "fit_alpha": 10.0, "fit_a": 1.0, "fit_b": 2.0}
    tasks = pl.LazyFrame(
        {
            "id": [1, 2, 3, 4],
            "due": [as_of] * 4,
            # 1: 2 purchase days, first 30 days ago, last 10 days after it: x 1, t_x 10, T 30
            # 2: one purchase day; 3: a prospect; 4: as 1 but without a kept fit
            "first_purchase": [date(2026, 3, 21), date(2026, 3, 21), None, date(2026, 3, 21)],
            "last_purchase": [date(2026, 3, 31), date(2026, 3, 21), None, date(2026, 3, 31)],
            "purchase_days": [2, 1, None, 2],
            **{name: [value, value, value, None] for name, value in fit.items()},
        },
        schema_overrides={"purchase_days": pl.Int64},
    )
    settings = Settings(urgency_forecast=9.0)
    scored = with_urgency(tasks, as_of=as_of, settings=settings).collect()
    # p_alive = 1/(1 + a/(b + x − 1) · ((alpha + T)/(alpha + t_x))^(r + x))
    #         = 1/(1 + 1/2 · (40/20)^2) = 1/3: the chance it already stopped is 2/3, × 9 = 6
    assert scored["f_forecast"].to_list() == pytest.approx([2 / 3, 0.0, 0.0, 0.0])
    assert scored["u_forecast"].to_list() == pytest.approx([6.0, 0.0, 0.0, 0.0])
    assert scored["urgency"][0] - scored["urgency"][3] == pytest.approx(6.0, abs=1e-4)


def test_urgency_weights_come_from_settings() -> None:
    tasks = pl.LazyFrame(
        {
            "id": [1],
            "due": [date(2026, 4, 30)],
            "priority": ["H"],
            "abc": ["C"],
            "overdue_days": [None],
            "cooling": [None],
            "created_on": [date(2026, 4, 20)],
        },
        schema_overrides={"overdue_days": pl.Float64, "cooling": pl.Boolean},
    )
    settings = Settings(urgency_due=0.0, urgency_priority_h=1.5)
    scored = with_urgency(tasks, as_of=date(2026, 4, 20), settings=settings).collect()
    assert scored["urgency"].item() == pytest.approx(1.5)


def test_missing_required_segmentation_column_is_an_error() -> None:
    with pytest.raises(ValueError, match="status"):
        task_candidates(
            pl.LazyFrame({"id": [1]}),
            plans_frame(plan(1, "x", "esfriando")),
            as_of=date(2026, 1, 5),
            holidays=HOLIDAYS,
        )


def test_within_capacity_keeps_each_owners_most_urgent_tasks_up_to_their_room() -> None:
    fresh = pl.LazyFrame(
        {
            "client_id": [1, 2, 3, 4, 5, 6],
            "owner_id": [1, 1, 1, 2, 2, None],
            "urgency": [3.0, 9.0, 5.0, 1.0, 2.0, 0.5],
        },
        schema_overrides={"owner_id": pl.Int64},
    )
    capacity = pl.LazyFrame(
        [(1, 5, 3), (2, 10, 12)], schema=CAPACITY_SCHEMA, orient="row"
    )  # owner 1 has room for 2, owner 2 is over capacity
    kept = within_capacity(fresh, capacity).collect()
    assert sorted(kept["client_id"].to_list()) == [2, 3, 6]


def test_collections_and_birthdays_are_created_even_over_capacity() -> None:
    fresh = pl.LazyFrame(
        {
            "client_id": [1, 2, 3],
            "owner_id": [2, 2, 2],
            "urgency": [1.0, 2.0, 3.0],
            "plan_id": [9, 8, 6],
        },
        schema_overrides={"owner_id": pl.Int64},
    )
    capacity = pl.LazyFrame([(2, 10, 12)], schema=CAPACITY_SCHEMA, orient="row")
    kept = within_capacity(fresh, capacity, uncapped_plans=[9, 8]).collect()
    assert sorted(kept["client_id"].to_list()) == [1, 2]


def test_commemorative_days_by_their_rule() -> None:
    from carteira_tui.engine.tasks import commemorative_day, next_commemorative_day

    assert commemorative_day("dia_das_maes", 2026) == date(2026, 5, 10)  # 2nd Sunday of May
    assert commemorative_day("dia_dos_pais", 2026) == date(2026, 8, 9)  # 2nd Sunday of August
    assert commemorative_day("black_friday", 2026) == date(2026, 11, 27)
    assert commemorative_day("dia_do_cliente", 2026) == date(2026, 9, 15)
    assert commemorative_day("03/07", 2026) == date(2026, 7, 3)
    assert next_commemorative_day("natal", date(2026, 12, 26)) == date(2027, 12, 25)
    with pytest.raises(ValueError, match="carnaval"):
        commemorative_day("carnaval", 2026)


def test_date_plan_selects_everyone_eligible_ahead_of_the_day_with_lead_business_days() -> None:
    plans = plans_frame(plan(1, "natal", "data", kind="data", value="natal", due_offset=5))
    results = clients({"id": 1}, {"id": 2, "opt_out": True})
    early = candidates(results, plans, date(2026, 12, 1))
    assert early.is_empty()  # the window opens 12 days before Christmas
    got = candidates(results, plans, date(2026, 12, 15))
    # 5 business days before Friday 25/12: Friday 18/12; the period is the day itself
    assert got.select("client_id", "period", "due").rows() == [
        (1, date(2026, 12, 25), date(2026, 12, 18))
    ]


def test_outcomes_that_reach_the_client_and_those_that_refuse_a_channel() -> None:
    from carteira_tui.engine.tasks import reached_client, refused_channel

    assert [reached_client(t) for t in ("Atendeu", "Comprou", "Não atendeu", "Sem resposta")] == [
        True,
        True,
        False,
        False,
    ]
    assert refused_channel("Não quer mais WhatsApp") == "whatsapp"
    assert refused_channel("nao quer receber e-mail") == "email"
    assert refused_channel("Pediu para não insistir") is None


def test_urgency_dropout_chance_equals_the_models_p_alive() -> None:
    """The queue's plain-Python 1 − p_alive is engine.forecast's p_alive, client by client."""
    import numpy as np

    from carteira_tui.engine.forecast import BgNbd, p_alive
    from carteira_tui.engine.urgency import UrgencyInputs, dropout_chance

    as_of = date(2026, 4, 20)
    params = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426)
    cases = [(2, 10, 30), (5, 200, 400), (12, 50, 700), (40, 900, 910), (3, 0, 5)]
    for days, t_x, t_cal in cases:
        first = as_of - timedelta(days=t_cal)
        task = UrgencyInputs(
            as_of,
            first_purchase=first,
            last_purchase=first + timedelta(days=t_x),
            purchase_days=days,
            fit_r=params.r,
            fit_alpha=params.alpha,
            fit_a=params.a,
            fit_b=params.b,
        )
        expected = p_alive(
            params, np.array([days - 1.0]), np.array([float(t_x)]), np.array([float(t_cal)])
        )[0]
        assert dropout_chance(task, as_of=as_of) == pytest.approx(1 - expected, rel=1e-12)
