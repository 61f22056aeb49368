"""services.watch against real SQLite files: history after runs, movements, each alert."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.services import watch
from carteira_tui.services.segmentation import resegment
from carteira_tui.store.db import bump_generation, connect

SETTINGS = Settings()
DAY_1 = date(2026, 4, 17)


def seed(db_path: Path) -> None:
    """Ana (capacity 1) owns c1 (A, bought 01/03) and c2 (B, bought 10/01); c3 is a prospect.

    c1 holds 900 of 1000 reais, c2 100: as of 17/04 both are ativo; as of 16/06 c2 has gone
    past 90 days (inativo_recente) while c1 (106 days) too.
    """
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name, capacity) VALUES (1, 'Ana', 1), (2, 'Bruno', 5)")
        db.execute(
            "INSERT INTO clients(id, external_id, name, owner_id) VALUES"
            " (1, 'c1', 'Alfa', 1), (2, 'c2', 'Beta', 1), (3, 'c3', 'Gama', 2)"
        )
        for client_id, day, amount in ((1, "2026-03-01", 90000), (2, "2026-01-20", 10000)):
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents) VALUES (?, ?, ?)",
                [client_id, day, amount],
            )
            db.execute(
                "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase,"
                " frequency, monetary_cents, purchase_days) VALUES (?, ?, ?, 1, ?, 1)",
                [client_id, day, day, amount],
            )


def rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with connect(db_path) as db:
        return db.execute(sql).fetchall()


def test_the_first_run_records_itself_and_no_movement(db_path: Path) -> None:
    seed(db_path)
    resegment(db_path, as_of=DAY_1, settings=SETTINGS)
    assert rows(db_path, "SELECT as_of, clients, changed, has_previous FROM segment_runs") == [
        ("2026-04-17", 3, 0, 0)
    ]
    moved = watch.movements(db_path)
    assert moved.runs == 1 and not moved.has_previous and moved.clients.height == 0


def test_history_rows_after_two_runs_with_a_change_between_them(db_path: Path) -> None:
    seed(db_path)
    resegment(db_path, as_of=DAY_1, settings=SETTINGS)
    resegment(db_path, as_of=DAY_1 + timedelta(days=60), settings=SETTINGS)  # 16/06
    history = rows(
        db_path,
        "SELECT h.client_id, status_from, status_to, segment_from, segment_to, abc_from, abc_to"
        " FROM segment_history h ORDER BY h.client_id",
    )
    assert history == [
        (1, "ativo", "inativo_recente", "Ativos", "Clientes A em risco", "A", "A"),
        (2, "ativo", "inativo_recente", "Ativos", "Inativos recentes", "B", "B"),
    ]
    assert rows(db_path, "SELECT changed, has_previous FROM segment_runs ORDER BY id") == [
        (0, 0),
        (2, 1),
    ]
    moved = watch.movements(db_path)
    assert moved.summary.rows() == [
        ("status", "ativo", "inativo_recente", 2, 1),
        ("segment", "Ativos", "Clientes A em risco", 1, 1),
        ("segment", "Ativos", "Inativos recentes", 1, 0),
    ]
    assert moved.clients.select("external_id", "name", "owner").rows() == [
        ("c1", "Alfa", "Ana"),
        ("c2", "Beta", "Ana"),
    ]


def test_movements_since_a_date_are_net_per_client(db_path: Path) -> None:
    seed(db_path)
    resegment(db_path, as_of=DAY_1, settings=SETTINGS)
    resegment(db_path, as_of=DAY_1 + timedelta(days=60), settings=SETTINGS)
    # c2 buys again: back to ativo in the third run, so since 17/04 only c1 moved
    with connect(db_path) as db, db.atomic():
        db.execute(
            "UPDATE client_aggregates SET last_purchase = '2026-06-15', frequency = 2,"
            " purchase_days = 2, generation = ? WHERE client_id = 2",
            [bump_generation(db)],
        )
    resegment(db_path, as_of=DAY_1 + timedelta(days=61), settings=SETTINGS)
    last_only = watch.movements(db_path)
    assert last_only.clients.get_column("external_id").to_list() == ["c2"]
    since = watch.movements(db_path, since=DAY_1)
    assert since.runs == 3
    assert since.clients.select("external_id", "status_from", "status_to").rows() == [
        ("c1", "ativo", "inativo_recente")
    ]


def test_each_alert_on_a_small_seeded_database(db_path: Path) -> None:
    seed(db_path)
    resegment(db_path, as_of=DAY_1, settings=SETTINGS)
    later = DAY_1 + timedelta(days=60)
    with connect(db_path) as db, db.atomic():
        db.execute(
            "INSERT INTO tasks(id, client_id, title, due, created_on, owner_id) VALUES"
            " (7, 2, 'Ligar', ?, '2026-04-01', 1), (8, 3, 'Enviar', ?, '2026-04-01', 2)",
            [(later - timedelta(days=8)).isoformat(), (later - timedelta(days=7)).isoformat()],
        )
    resegment(db_path, as_of=later, settings=SETTINGS)
    found = watch.alerts(
        db_path, as_of=later, settings=replace(SETTINGS, alert_task_overdue_days=7)
    )
    assert found.counts == {
        "cliente_a_saiu_de_ativo": 1,
        "cliente_esfriando": 0,
        "a_caminho_da_inativacao": 0,
        "tarefa_atrasada": 1,
        "responsavel_acima_da_capacidade": 1,
    }
    assert found.frame.select("kind", "external_id", "owner", "task_id", "amount").rows() == [
        ("cliente_a_saiu_de_ativo", "c1", "Ana", None, 90000),
        ("tarefa_atrasada", "c2", "Ana", 7, 8),
        ("responsavel_acima_da_capacidade", None, "Ana", None, 2),
    ]


def test_a_cooling_client_raises_an_alert(db_path: Path) -> None:
    seed(db_path)
    with connect(db_path) as db, db.atomic():
        # c1 bought every 10 days until 01/03; as of 17/04 it is 37 days late for its cycle
        for day in ("2026-02-09", "2026-02-19"):
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents) VALUES (1, ?, 1000)", [day]
            )
        db.execute(
            "UPDATE client_aggregates SET first_purchase = '2026-02-09', frequency = 3,"
            " purchase_days = 3, monetary_cents = 92000 WHERE client_id = 1"
        )
    resegment(db_path, as_of=DAY_1, settings=SETTINGS)
    found = watch.alerts(db_path, as_of=DAY_1, settings=SETTINGS)
    cooling = found.frame.filter(pl.col("kind") == "cliente_esfriando")
    assert cooling.select("external_id", "detail").rows() == [
        ("c1", "recompra atrasada em 37 dias (ciclo de 10 dias)")
    ]
