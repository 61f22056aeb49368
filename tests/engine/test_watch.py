"""engine.watch: movements between runs, their net effect, the summary and each alert."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from polars.testing import assert_frame_equal

from carteira_tui.engine import watch

AS_OF = date(2026, 4, 17)


def snapshot(*rows: tuple[int, str | None, str | None, str | None]) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema=watch.SNAPSHOT_SCHEMA, orient="row")


def history(*rows: tuple[Any, ...]) -> pl.LazyFrame:
    schema = {"run_id": pl.Int64(), **watch.MOVEMENT_SCHEMA}
    return pl.LazyFrame(rows, schema=schema, orient="row")


def test_movements_keep_clients_whose_status_segment_or_class_changed() -> None:
    previous = snapshot(
        (1, "ativo", "Ativos", "A"),
        (2, "ativo", "Ativos", "B"),
        (3, "ativo", "Ativos", "C"),
        (4, "prospect", "Prospects", None),
        (5, "ativo", "Ativos", "B"),
    )
    current = snapshot(
        (1, "inativo_recente", "Clientes A em risco", "A"),
        (2, "ativo", "Ativos", "B"),
        (3, "ativo", "Ativos", "B"),
        (4, "ativo", "Ativos", "C"),
        (6, "prospect", "Prospects", None),
    )
    moves = watch.movements(previous, current).collect()
    expected = pl.DataFrame(
        [
            (1, "ativo", "inativo_recente", "Ativos", "Clientes A em risco", "A", "A"),
            (3, "ativo", "ativo", "Ativos", "Ativos", "C", "B"),
            (4, "prospect", "ativo", "Prospects", "Ativos", None, "C"),
            (6, None, "prospect", None, "Prospects", None, None),
        ],
        schema=watch.MOVEMENT_SCHEMA,
        orient="row",
    )
    assert_frame_equal(moves.sort("id"), expected)


def test_net_movements_drop_clients_back_where_they_started() -> None:
    rows = history(
        (1, 1, "ativo", "inativo_recente", "Ativos", "Inativos recentes", "A", "A"),
        (2, 1, "inativo_recente", "ativo", "Inativos recentes", "Ativos", "A", "A"),
        (1, 2, "ativo", "inativo_recente", "Ativos", "Inativos recentes", "B", "B"),
        (
            3,
            2,
            "inativo_recente",
            "inativo_antigo",
            "Inativos recentes",
            "Inativos antigos",
            "B",
            "C",
        ),
    )
    net = watch.net_movements(rows).collect()
    assert net.rows() == [
        (2, "ativo", "inativo_antigo", "Ativos", "Inativos antigos", "B", "C"),
    ]


def test_summary_counts_each_move_and_how_many_were_class_a() -> None:
    moves = pl.LazyFrame(
        [
            (1, "ativo", "inativo_recente", "Ativos", "Inativos recentes", "A", "A"),
            (2, "ativo", "inativo_recente", "Ativos", "Inativos recentes", "B", "B"),
            (3, "ativo", "inativo_recente", "Ativos", "Inativos recentes", "A", "B"),
            (4, None, "prospect", None, "Prospects", None, None),
        ],
        schema=watch.MOVEMENT_SCHEMA,
        orient="row",
    )
    summary = watch.movement_summary(moves).collect()
    assert summary.rows() == [
        ("status", "ativo", "inativo_recente", 3, 2),
        ("status", None, "prospect", 1, 0),
        ("segment", "Ativos", "Inativos recentes", 3, 2),
        ("segment", None, "Prospects", 1, 0),
        ("abc", "A", "B", 1, 1),
    ]


def results(*rows: dict[str, Any]) -> pl.LazyFrame:
    defaults: dict[str, Any] = {
        "owner_id": 1,
        "monetary_cents": 1000,
        "status": "ativo",
        "cooling": False,
        "excluded": False,
        "overdue_days": None,
        "cycle_days": None,
        "orders_last_window": 0,
        "orders_previous_window": 0,
    }
    schema = {
        "id": pl.Int64(),
        "owner_id": pl.Int64(),
        "monetary_cents": pl.Int64(),
        "status": pl.String(),
        "cooling": pl.Boolean(),
        "excluded": pl.Boolean(),
        "overdue_days": pl.Float64(),
        "cycle_days": pl.Float64(),
        "orders_last_window": pl.Int64(),
        "orders_previous_window": pl.Int64(),
    }
    return pl.LazyFrame([{**defaults, **row} for row in rows], schema=schema)


def test_an_a_client_leaving_ativo_raises_an_alert_and_a_b_client_does_not() -> None:
    moves = pl.LazyFrame(
        [
            (1, "ativo", "inativo_recente", "Ativos", "Clientes A em risco", "A", "A"),
            (2, "ativo", "inativo_recente", "Ativos", "Inativos recentes", "B", "B"),
            (3, "inativo_recente", "inativo_antigo", "x", "y", "A", "A"),
        ],
        schema=watch.MOVEMENT_SCHEMA,
        orient="row",
    )
    found = watch.a_clients_leaving_active(
        moves, results({"id": 1, "monetary_cents": 90})
    ).collect()
    assert found.rows() == [("cliente_a_saiu_de_ativo", 1, 1, None, 90, "ativo → inativo_recente")]


def test_only_active_not_excluded_cooling_clients_raise_the_cooling_alert() -> None:
    frame = results(
        {"id": 1, "cooling": True, "orders_last_window": 1, "orders_previous_window": 4},
        {"id": 2, "cooling": True, "excluded": True},
        {"id": 3, "cooling": True, "status": "inativo_recente"},
        {"id": 4, "cooling": False},
        {"id": 5, "cooling": True, "overdue_days": 30.0, "cycle_days": 20.0},
    )
    found = watch.cooling_clients(frame).collect().sort("id")
    assert found.select("id", "detail").rows() == [
        (1, "pedidos caíram de 4 para 1 por janela"),
        (5, "recompra atrasada em 30 dias (ciclo de 20 dias)"),
    ]


def test_a_task_raises_the_overdue_alert_only_past_the_allowed_days() -> None:
    tasks = pl.LazyFrame(
        [
            (10, 1, 1, date(2026, 4, 10), "Ligar"),  # 7 days: not more than 7
            (11, 2, 1, date(2026, 4, 9), None),  # 8 days
        ],
        schema={
            "task_id": pl.Int64(),
            "id": pl.Int64(),
            "owner_id": pl.Int64(),
            "due": pl.Date(),
            "title": pl.String(),
        },
        orient="row",
    )
    found = watch.overdue_tasks(tasks, as_of=AS_OF, more_than_days=7).collect()
    assert found.rows() == [("tarefa_atrasada", 2, 1, 11, 8, "tarefa: 8 dias de atraso")]


def test_an_owner_over_capacity_raises_an_alert() -> None:
    loads = pl.LazyFrame(
        [(1, 2, 3), (2, 3, 3)],
        schema={"owner_id": pl.Int64(), "capacity": pl.Int64(), "clients": pl.Int64()},
        orient="row",
    )
    found = watch.owners_over_capacity(loads).collect()
    assert found.rows() == [
        ("responsavel_acima_da_capacidade", None, 1, None, 3, "3 clientes para capacidade 2")
    ]


def test_alerts_come_most_serious_first_then_largest_amount() -> None:
    frame = results(
        {"id": 1, "cooling": True, "monetary_cents": 10},
        {"id": 2, "cooling": True, "monetary_cents": 50},
    )
    loads = pl.LazyFrame(
        [(1, 1, 5)],
        schema={"owner_id": pl.Int64(), "capacity": pl.Int64(), "clients": pl.Int64()},
        orient="row",
    )
    found = watch.alerts(watch.owners_over_capacity(loads), watch.cooling_clients(frame)).collect()
    assert found.select("kind", "id").rows() == [
        ("cliente_esfriando", 2),
        ("cliente_esfriando", 1),
        ("responsavel_acima_da_capacidade", None),
    ]
