"""engine.explain: the values behind each number of one client."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from carteira_tui.config import Settings
from carteira_tui.engine import metrics
from carteira_tui.engine.aggregates import order_aggregates
from carteira_tui.engine.explain import explain_client
from carteira_tui.engine.schema import BASE_SCHEMA, ID
from carteira_tui.engine.segment import segment_clients
from carteira_tui.engine.segments import CompiledSegment

AS_OF = date(2026, 6, 30)
SEGMENTS = [
    CompiledSegment("Grandes", "vip", pl.col("monetary_cents") >= 5000),
    CompiledSegment("Ativos", "fid", pl.col("status") == "ativo"),
]


@pytest.fixture
def frame() -> pl.DataFrame:
    orders = pl.LazyFrame(
        [
            (1, date(2026, 6, 20), 3000),
            (1, date(2026, 3, 22), 3000),
            (2, date(2025, 12, 2), 1000),
        ],
        schema={"client_id": pl.Int64, "date": pl.Date, "amount_cents": pl.Int64},
        orient="row",
    )
    base = (
        pl.LazyFrame(
            {ID: [1, 2, 3], "external_id": ["A1", "B2", "C3"], "name": ["Ana", "Bia", "Caio"]}
        )
        .join(order_aggregates(orders).rename({"client_id": ID}), on=ID, how="left")
        .with_columns(
            [
                pl.lit(None, dtype=dtype).alias(name)
                for name, dtype in BASE_SCHEMA.items()
                if name not in (ID, "external_id", "name", *metrics_columns())
            ]
        )
        .select(list(BASE_SCHEMA))
    )
    windows = metrics.window_counts(orders, as_of=AS_OF, window_days=180)
    return segment_clients(
        base, windows, as_of=AS_OF, settings=Settings(), segments=SEGMENTS
    ).collect()


def metrics_columns() -> tuple[str, ...]:
    return ("first_purchase", "last_purchase", "frequency", "monetary_cents", "purchase_days")


def test_explains_status_cycle_scores_and_class(frame: pl.DataFrame) -> None:
    result = explain_client(frame, 1, as_of=AS_OF, settings=Settings(), segments=SEGMENTS)
    text = "\n".join(result.lines)
    assert "recência = 30/06/2026 − 20/06/2026 = 10 dias" in text
    assert "recência 10 ≤ 90 (active_days) → ativo" in text
    assert "Ciclo de recompra = (20/06/2026 − 22/03/2026) / (2 − 1) = 90,0 dias" in text
    assert "atraso = 10 − 90,0 = -80,0 dias" in text
    assert "(posição 2 de 2, recência 10 dias)" in text
    assert "cortes A < 80%, B < 95%" in text
    # −recency −10 vs −210: rank 2 of 2 → floor(5/2)+1 = 3
    assert [(s.name, s.rank, s.n, s.score) for s in result.scores] == [
        ("r", 2, 2, 3),
        ("f", 2, 2, 3),
        ("m", 2, 2, 3),
    ]
    assert (result.abc_cum_before_cents, result.abc_total_cents) == (0, 7000)
    assert result.segment_trace == [("Grandes", True), ("Ativos", True)]
    assert "Segmento: Grandes" in text


def test_explains_a_prospect_without_scores(frame: pl.DataFrame) -> None:
    result = explain_client(frame, 3, as_of=AS_OF, settings=Settings(), segments=SEGMENTS)
    assert result.lines[0].startswith("Status prospect")
    assert all(s.rank is None and s.score is None for s in result.scores)
    assert result.abc_cum_before_cents is None
    assert result.segment_trace == [("Grandes", False), ("Ativos", False)]


def test_unknown_internal_id_raises_key_error(frame: pl.DataFrame) -> None:
    with pytest.raises(KeyError):
        explain_client(frame, 99, as_of=AS_OF, settings=Settings())
