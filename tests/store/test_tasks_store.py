"""The m_tasks schema and store.tasks reads/writes, on real SQLite files."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from carteira_tui.store import tasks as store
from carteira_tui.store.db import connect


def seed(db_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana')")
        db.execute(
            "INSERT INTO clients(id, external_id, name, owner_id) VALUES"
            " (1, 'c1', 'Alfa', 1), (2, 'c2', 'Beta', 1)"
        )


def generated(*rows: tuple[int, int, float, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "client_id": client_id,
                "plan_id": plan_id,
                "period": None,
                "due": date.fromisoformat(due),
                "priority": "M",
                "channel": None,
                "owner_id": 1,
                "abc": "A",
                "overdue_days": None,
                "cooling": False,
                "urgency": urgency,
            }
            for client_id, plan_id, urgency, due in rows
        ],
        schema_overrides={"period": pl.Date, "channel": pl.String, "overdue_days": pl.Float64},
    )


def test_migration_seeds_the_method_plans_with_recurrence_off_by_default(db_path: Path) -> None:
    with connect(db_path) as db:
        plans = store.read_action_plans(db)
    assert plans.filter(pl.col("active"))["code"].to_list() == [
        "fidelizacao",
        "retencao_a",
        "reengajamento",
        "reativacao",
        "nutricao",
        "recompra",
        "relacionamento",
        "aniversario",
        "cobranca",
        "cadencia",
    ]
    monthly = plans.filter(pl.col("code") == "contato_mensal_a").row(0, named=True)
    assert (monthly["recurrence"], monthly["abc"], monthly["active"]) == (
        "FREQ=MONTHLY",
        "A",
        False,
    )


def test_a_second_open_task_for_the_same_client_and_plan_is_refused(db_path: Path) -> None:
    seed(db_path)
    with connect(db_path) as db:
        with db.atomic():
            store.insert_tasks(
                db, generated((1, 1, 5.0, "2026-04-20")), created_on=date(2026, 4, 17)
            )
        with pytest.raises(sqlite3.IntegrityError), db.atomic():
            store.insert_tasks(
                db,
                generated((2, 1, 1.0, "2026-04-20"), (1, 1, 2.0, "2026-04-22")),
                created_on=date(2026, 4, 17),
            )
        # the failing batch left nothing behind, not even its first row
        assert db.execute("SELECT client_id FROM tasks").fetchall() == [(1,)]
        with db.atomic():
            db.execute("UPDATE tasks SET status = 'concluida'")
            store.insert_tasks(
                db, generated((1, 1, 2.0, "2026-05-04")), created_on=date(2026, 5, 1)
            )
        assert db.execute("SELECT count(*) FROM tasks").fetchone() == (2,)


def test_queue_reads_in_stored_urgency_order_through_the_index(db_path: Path) -> None:
    seed(db_path)
    with connect(db_path) as db:
        with db.atomic():
            store.insert_tasks(
                db,
                generated(
                    (1, 1, 5.0, "2026-04-22"),
                    (2, 1, 9.0, "2026-04-24"),
                    (1, 2, 5.0, "2026-04-20"),
                ),
                created_on=date(2026, 4, 17),
            )
        queue = store.read_queue(db)
        plan = " ".join(
            str(row[-1])
            for row in db.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM tasks WHERE status = 'aberta'"
                " ORDER BY urgency DESC, due, id LIMIT 50"
            ).fetchall()
        )
    assert queue.select("client_id", "urgency", "due").rows() == [
        (2, 9.0, date(2026, 4, 24)),
        (1, 5.0, date(2026, 4, 20)),
        (1, 5.0, date(2026, 4, 22)),
    ]
    assert "tasks_queue" in plan
    assert "TEMP B-TREE" not in plan


def test_urgency_write_back_and_task_keys(db_path: Path) -> None:
    seed(db_path)
    with connect(db_path) as db:
        with db.atomic():
            store.insert_tasks(
                db, generated((1, 1, 5.0, "2026-04-22")), created_on=date(2026, 4, 17)
            )
            stale = store.read_urgency_inputs(db, stale_on=date(2026, 4, 20))
            store.write_task_urgency(
                db, stale.select("id", pl.lit(7.5).alias("urgency")), urgency_on=date(2026, 4, 20)
            )
        assert stale["id"].to_list() == [1]
        assert db.execute("SELECT urgency, urgency_on FROM tasks").fetchone() == (7.5, "2026-04-20")
        keys = store.read_task_keys(db)
    assert keys.rows() == [(1, 1, None, True, None, "fidelizacao")]
