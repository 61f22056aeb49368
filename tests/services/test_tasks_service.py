"""Task services against real SQLite files: generate, the queue, explain and every action."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from carteira_tui.config import Settings
from carteira_tui.services import tasks
from carteira_tui.services.tasks import TaskError
from carteira_tui.store.db import connect

SETTINGS = Settings()
FRIDAY = date(2026, 4, 17)  # Tiradentes is Tuesday 21/04


def seed(db_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana'), (2, 'Bruno')")
        for client_id, name in enumerate(["Alfa", "Beta", "Gama", "Delta", "Épsilon"], start=1):
            db.execute(
                "INSERT INTO clients(id, external_id, name, owner_id) VALUES (?, ?, ?, ?)",
                [client_id, f"c{client_id}", name, 1 if client_id % 2 else 2],
            )


def results(*rows: dict[str, Any]) -> pl.LazyFrame:
    defaults: dict[str, Any] = {
        "status": "ativo",
        "abc": "B",
        "overdue_days": None,
        "cooling": False,
        "excluded": False,
        "segment": "Ativos",
        "owner_id": 1,
        "delinquent": False,
        "opt_out": False,
        "consent_whatsapp": True,
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
        "delinquent": pl.Boolean,
        "opt_out": pl.Boolean,
        "consent_whatsapp": pl.Boolean,
    }
    return pl.LazyFrame([{**defaults, **row} for row in rows], schema=schema)


PORTFOLIO = results(
    {"id": 1, "abc": "A", "overdue_days": 20.0},
    {"id": 2, "owner_id": 2, "segment": "Inativos recentes", "status": "inativo_recente"},
    {"id": 3, "excluded": True},
    {"id": 4, "owner_id": 2, "excluded": True, "delinquent": True},
    {"id": 5, "segment": "Prospects", "status": "prospect", "abc": None},
)


def generate(db_path: Path, as_of: date = FRIDAY, **kw: Any) -> tasks.GenerateResult:
    return tasks.generate_tasks(db_path, as_of=as_of, settings=SETTINGS, results=PORTFOLIO, **kw)


def task_rows(db_path: Path) -> list[tuple[Any, ...]]:
    with connect(db_path) as db:
        return db.execute(
            "SELECT t.client_id, p.code, t.due, t.status, t.owner_id FROM tasks t"
            " JOIN action_plans p ON p.id = t.plan_id ORDER BY t.client_id, p.code"
        ).fetchall()


def test_generate_follows_the_default_plans_skipping_excluded_clients(db_path: Path) -> None:
    seed(db_path)
    done = generate(db_path)
    assert done.created == 4
    # client 1's reasons (recompra H, fidelização M, cadência M: never contacted) are one task
    assert done.by_plan == {"cobranca": 1, "nutricao": 1, "recompra": 1, "reengajamento": 1}
    # Friday 17/04: +1 business day is Monday 20/04, +3 skips Tiradentes to Thursday 23/04,
    # +5 is Monday 27/04; cobrança (0) is due the same day.
    assert task_rows(db_path) == [
        (1, "recompra", "2026-04-20", "aberta", 1),
        (2, "reengajamento", "2026-04-23", "aberta", 2),
        (4, "cobranca", "2026-04-17", "aberta", 2),
        (5, "nutricao", "2026-04-27", "aberta", 1),
    ]
    with connect(db_path) as db:
        (title,) = db.execute("SELECT title FROM tasks WHERE client_id = 1").fetchone()
    assert title == (
        "Contato de recompra; Fidelização, upsell e cross-sell;"
        " Manter contato (cadência do segmento)"
    )


def test_generate_twice_creates_nothing_the_second_time(db_path: Path) -> None:
    seed(db_path)
    assert generate(db_path).created == 4
    again = generate(db_path, as_of=date(2026, 4, 20))
    assert again.created == 0
    assert again.refreshed == 4
    assert len(task_rows(db_path)) == 4


def test_dry_run_writes_nothing(db_path: Path) -> None:
    seed(db_path)
    preview = generate(db_path, dry_run=True)
    assert preview.created == 4
    assert preview.preview.height == 4
    assert task_rows(db_path) == []


def test_queue_is_in_urgency_order_and_filters_by_owner_and_due(db_path: Path) -> None:
    seed(db_path)
    generate(db_path)
    as_of = date(2026, 4, 24)
    tasks.generate_tasks(db_path, as_of=as_of, settings=SETTINGS, results=PORTFOLIO)
    queue = tasks.list_tasks(db_path, as_of=as_of)
    assert queue["urgency"].to_list() == sorted(queue["urgency"].to_list(), reverse=True)
    # cobrança (H, 7 days overdue) and recompra (H, A client, late repurchase) lead
    assert queue["kind"].to_list()[:2] == ["recompra", "cobranca"]
    ana = tasks.list_tasks(db_path, as_of=as_of, owner="ana")
    assert set(ana["client_id"].to_list()) == {1, 5}
    overdue = tasks.list_tasks(db_path, as_of=as_of, when="overdue")
    assert sorted(overdue["kind"].to_list()) == ["cobranca", "recompra", "reengajamento"]
    upcoming = tasks.list_tasks(db_path, as_of=as_of, when="upcoming")
    assert sorted(upcoming["kind"].to_list()) == ["nutricao"]
    with pytest.raises(TaskError, match="responsável não encontrado"):
        tasks.list_tasks(db_path, as_of=as_of, owner="Zé")


def _task_id(db_path: Path, code: str) -> int:
    with connect(db_path) as db:
        row = db.execute(
            "SELECT t.id FROM tasks t JOIN action_plans p ON p.id = t.plan_id WHERE p.code = ?",
            [code],
        ).fetchone()
    return int(row[0])


def test_done_records_an_interaction_and_the_plan_waits_for_its_cooldown(db_path: Path) -> None:
    seed(db_path)
    generate(db_path)
    task_id = _task_id(db_path, "recompra")
    changed = tasks.complete_task(
        db_path,
        task_id=task_id,
        outcome="pedido fechado",
        note="comprou 3 caixas",
        on=date(2026, 4, 20),
        settings=SETTINGS,
        who="ana",
    )
    with connect(db_path) as db:
        interaction = db.execute(
            "SELECT client_id, at, kind, outcome, note, who FROM interactions WHERE id = ?",
            [changed.interaction_id],
        ).fetchone()
        status = db.execute(
            "SELECT status, closed_on, outcome FROM tasks WHERE id = ?", [task_id]
        ).fetchone()
    assert interaction == (1, "2026-04-20", "recompra", "pedido fechado", "comprou 3 caixas", "ana")
    assert status == ("concluida", "2026-04-20", "pedido fechado")
    assert generate(db_path, as_of=date(2026, 5, 4)).by_plan.get("recompra") is None
    assert generate(db_path, as_of=date(2026, 5, 21)).by_plan == {"recompra": 1}
    with pytest.raises(TaskError, match="já está concluída"):
        tasks.complete_task(
            db_path, task_id=task_id, outcome="x", on=date(2026, 4, 20), settings=SETTINGS
        )


def test_done_with_a_follow_up_adds_a_manual_task(db_path: Path) -> None:
    seed(db_path)
    generate(db_path)
    task_id = _task_id(db_path, "reengajamento")
    changed = tasks.complete_task(
        db_path,
        task_id=task_id,
        outcome="pediu retorno",
        on=date(2026, 4, 20),
        follow_up=date(2026, 4, 21),
        settings=SETTINGS,
    )
    with connect(db_path) as db:
        row = db.execute(
            "SELECT client_id, kind, title, due, parent_id, owner_id FROM tasks WHERE id = ?",
            [changed.follow_up_id],
        ).fetchone()
    assert row == (
        2,
        "retorno",
        "Retorno: Oferta personalizada e reengajamento; Manter contato (cadência do segmento)",
        "2026-04-22",
        task_id,
        2,
    )


def test_snooze_moves_due_to_a_business_day_and_lowers_urgency(db_path: Path) -> None:
    seed(db_path)
    generate(db_path)
    task_id = _task_id(db_path, "recompra")
    before = tasks.explain_task(db_path, task_id=task_id, as_of=FRIDAY, settings=SETTINGS)
    changed = tasks.snooze_task(
        db_path, task_id=task_id, until=date(2026, 4, 21), as_of=FRIDAY, settings=SETTINGS
    )
    assert changed.due == date(2026, 4, 22)
    assert changed.urgency < before.urgency
    with pytest.raises(TaskError, match="passado"):
        tasks.snooze_task(
            db_path, task_id=task_id, until=date(2026, 4, 1), as_of=FRIDAY, settings=SETTINGS
        )


def test_explain_terms_add_up_to_the_urgency(db_path: Path) -> None:
    seed(db_path)
    generate(db_path)
    task_id = _task_id(db_path, "recompra")
    explained = tasks.explain_task(
        db_path, task_id=task_id, as_of=date(2026, 4, 27), settings=SETTINGS
    )
    values = {line.name: line.value for line in explained.lines}
    # due 20/04, 7 days overdue on 27/04: 14/(1+e^-1); H; no orders (no cycle, no value); never
    # contacted in Ativos (cadence 30/60): the full cadence weight; A; age 10 days
    assert values == pytest.approx(
        {
            "due": 14 / (1 + math.exp(-1)),
            "priority": 8.0,
            "cycle": 0.0,
            "value": 0.0,
            "cadence": 12.0,
            "abc": 3.0,
            "cooling": 0.0,
            "age": 10 / 365 * 1.5,
            "forecast": 0.0,
        }
    )
    assert all(line.value == pytest.approx(line.weight * line.factor) for line in explained.lines)
    assert explained.urgency == pytest.approx(sum(values.values()), abs=1e-4)


def test_reassign_cancel_and_add(db_path: Path) -> None:
    seed(db_path)
    generate(db_path)
    task_id = _task_id(db_path, "nutricao")
    assert tasks.reassign_task(db_path, task_id=task_id, owner="Bruno").owner == "Bruno"
    with pytest.raises(TaskError, match="responsável não encontrado"):
        tasks.reassign_task(db_path, task_id=task_id, owner="Ninguém")
    assert tasks.cancel_task(db_path, task_id=task_id, on=FRIDAY).status == "cancelada"
    added = tasks.add_task(
        db_path,
        client="c3",
        title="Levar catálogo",
        due=date(2026, 4, 21),
        as_of=FRIDAY,
        settings=SETTINGS,
        priority="H",
    )
    assert (added.due, added.owner) == (date(2026, 4, 22), "Ana")
    with pytest.raises(TaskError, match="cliente não encontrado"):
        tasks.add_task(
            db_path, client="c99", title="x", due=FRIDAY, as_of=FRIDAY, settings=SETTINGS
        )
    with connect(db_path) as db:
        actions = [r[0] for r in db.execute("SELECT action FROM audit ORDER BY id").fetchall()]
    assert actions == ["gerar", "reatribuir", "cancelar", "criar"]


def test_generate_gives_each_owner_at_most_their_capacity_most_urgent_first(
    db_path: Path,
) -> None:
    seed(db_path)
    with connect(db_path) as db, db.atomic():
        db.execute("UPDATE owners SET capacity = 1 WHERE name = 'Ana'")
    done = generate(db_path)
    # Ana (clients 1 and 5) gets only recompra (H, A client); Bruno gets both of his
    assert done.deferred == 1
    assert [(row[0], row[1]) for row in task_rows(db_path)] == [
        (1, "recompra"),
        (2, "reengajamento"),
        (4, "cobranca"),
    ]


def test_a_kept_forecast_adds_its_term_and_the_queue_still_equals_explain(db_path: Path) -> None:
    from carteira_tui.store.forecast import save_fit

    seed(db_path)
    generate(db_path)
    task_id = _task_id(db_path, "recompra")
    with connect(db_path) as db, db.atomic():
        # client 1: 2 purchase days, the first 30 days before 27/04, the last 10 days after it
        db.execute(
            "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase, frequency,"
            " monetary_cents, purchase_days, generation) VALUES (1, '2026-03-28', '2026-04-07',"
            " 2, 20000, 2, 1)"
        )
        save_fit(
            db,
            {
                "as_of": "2026-04-27",
                "generation": 1,
                "r": 1.0,
                "alpha": 10.0,
                "a": 1.0,
                "b": 2.0,
                "bg_clients": 50,
                "bg_converged": 1,
                "gg_clients": 0,
                "gg_converged": 0,
            },
        )
    as_of = date(2026, 4, 27)
    explained = tasks.explain_task(db_path, task_id=task_id, as_of=as_of, settings=SETTINGS)
    line = {line.name: line for line in explained.lines}["forecast"]
    # p_alive = 1/(1 + 1/(2 + 1 − 1) · ((10 + 30)/(10 + 10))^(1 + 1)) = 1/3; weight 10
    assert (line.weight, line.factor, line.value) == pytest.approx((10.0, 2 / 3, 20 / 3))
    queue = tasks.list_tasks(db_path, as_of=as_of, settings=SETTINGS)
    shown = queue.filter(pl.col("id") == task_id)["urgency"].item()
    assert round(shown, 2) == round(explained.urgency, 2)
    others = queue.filter(pl.col("id") != task_id)
    assert (
        tasks.explain_task(db_path, task_id=others["id"][0], as_of=as_of, settings=SETTINGS)
        .lines[-1]
        .value
        == 0.0
    )
