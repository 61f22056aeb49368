"""services.reports on a real database: monthly revenue and the Segmentos overview.

Five clients as of 20/11/2026 (hand-worked): C1 R$ 1.600,00 (orders 01/10 and 01/11/2026),
C2 R$ 300,00 (01/06/2026), C3 R$ 100,00 (10/01/2025), C4 R$ 50,00 (15/10/2026), C5 no orders.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carteira_tui.config import Settings
from carteira_tui.services.imports import import_file
from carteira_tui.services.reports import MatrixCell, Movement, monthly_revenue, segments_overview
from carteira_tui.services.segmentation import resegment

AS_OF = date(2026, 11, 20)

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
def seeded(db_path: Path, tmp_path: Path) -> Path:
    (tmp_path / "clientes.csv").write_text(CLIENTS, encoding="utf-8")
    (tmp_path / "pedidos.csv").write_text(ORDERS, encoding="utf-8")
    import_file(db_path, "clients", tmp_path / "clientes.csv")
    import_file(db_path, "orders", tmp_path / "pedidos.csv")
    resegment(db_path, as_of=AS_OF, settings=Settings())
    return db_path


def test_monthly_revenue_lists_every_month_with_zero_for_months_without_orders(
    seeded: Path,
) -> None:
    revenue = monthly_revenue(seeded, months=6, until=AS_OF)
    assert [(m.month.isoformat(), m.revenue_cents, m.orders) for m in revenue.months] == [
        ("2026-06-01", 30_000, 1),
        ("2026-07-01", 0, 0),
        ("2026-08-01", 0, 0),
        ("2026-09-01", 0, 0),
        ("2026-10-01", 65_000, 2),
        ("2026-11-01", 100_000, 1),
    ]
    assert revenue.total_cents == 195_000


def test_monthly_revenue_defaults_to_the_month_of_the_last_order(seeded: Path) -> None:
    revenue = monthly_revenue(seeded, months=1)
    assert [(m.month, m.revenue_cents) for m in revenue.months] == [(date(2026, 11, 1), 100_000)]


def test_monthly_revenue_is_empty_without_orders(db_path: Path) -> None:
    revenue = monthly_revenue(db_path, months=12)
    assert revenue.months == [] and revenue.until is None and revenue.total_cents == 0


def test_overview_pareto_curve_class_shares_and_clients_for_80(seeded: Path) -> None:
    overview = segments_overview(seeded, settings=Settings())
    # 4 buyers, best first: 1600, 300, 100, 50 of 2050. The top 25 % (C1) make 78 %;
    # C1 and C2 (50 %) make 92,7 %, the first share reaching 80 %.
    assert overview.pareto[24] == pytest.approx(1600 / 2050)
    assert overview.pareto[25] == pytest.approx(1900 / 2050)
    assert overview.pareto[99] == pytest.approx(1.0)
    assert overview.clients_for_80 == 0.5
    assert overview.class_shares == {"A": 0.5, "B": 0.25, "C": 0.25}
    assert (overview.clients, overview.revenue_cents) == (5, 205_000)
    assert not overview.stale and overview.as_of == AS_OF


def test_overview_matrix_has_every_status_and_class(seeded: Path) -> None:
    overview = segments_overview(seeded, settings=Settings())
    assert len(overview.matrix) == 16
    nonzero = [cell for cell in overview.matrix if cell.clients]
    assert nonzero == [
        MatrixCell("ativo", "A", 1, 160_000),
        MatrixCell("ativo", "C", 1, 5_000),
        MatrixCell("inativo_recente", "A", 1, 30_000),
        MatrixCell("inativo_antigo", "B", 1, 10_000),
        MatrixCell("prospect", None, 1, 0),
    ]


def test_overview_lists_movements_and_a_clients_gone_inactive(seeded: Path) -> None:
    # As of 01/03/2027 C1 (A, ativo before) is inativo_recente: A em risco; C4 inativo_recente.
    resegment(seeded, as_of=date(2027, 3, 1), settings=Settings())
    overview = segments_overview(seeded, settings=Settings())
    assert overview.board.has_previous
    assert overview.movements == [
        Movement("Ativos", "Clientes A em risco", 1),
        Movement("Ativos", "Inativos recentes", 1),
    ]
    assert overview.a_gone_inactive == 1


def test_overview_without_a_stored_result_is_empty_and_stale(db_path: Path) -> None:
    overview = segments_overview(db_path, settings=Settings())
    assert overview.as_of is None and overview.stale
    assert overview.clients == 0 and overview.pareto == [] and overview.clients_for_80 is None
    assert overview.segment_order[0] == "Clientes A em risco"
