"""Column schemas of the segmentation frames: the base the store hands in and the result out.

`BASE_SCHEMA` is one row per client (cadastro columns plus the order aggregates, null for
prospects) as `store.results` reads it; `RESULT_SCHEMA` is what `engine.segment.segment_clients`
returns and what `services.segmentation` keeps in its cache, filters compile against and the TUI
lists. In both, `id` is the internal integer client id; in the result `client_id` is the
EXTERNAL id people type (in orders and aggregates `client_id` stays the internal id).
"""

from __future__ import annotations

import polars as pl

from carteira_tui.engine.forecast import FORECAST_COLUMNS, HEADING_OUT

# The base schema is shared with the store (which reads it) through model.py.
from carteira_tui.model import AGGREGATE_COLUMNS as AGGREGATE_COLUMNS
from carteira_tui.model import BASE_SCHEMA as BASE_SCHEMA
from carteira_tui.model import CLIENT_COLUMNS as CLIENT_COLUMNS
from carteira_tui.model import ID as ID
from carteira_tui.model import Col

WINDOW_SCHEMA: dict[str, pl.DataType] = {
    ID: pl.Int64(),
    "orders_last_window": pl.Int64(),
    "orders_previous_window": pl.Int64(),
}
"""Per-client order counts in the two cooling windows (engine.metrics.window_counts)."""

METRIC_COLUMNS: dict[str, pl.DataType] = {
    Col.MONETARY: pl.Float64(),
    Col.AVG_TICKET: pl.Float64(),
    Col.RECENCY_DAYS: pl.Int64(),
    Col.CYCLE_DAYS: pl.Float64(),
    Col.OVERDUE_DAYS: pl.Float64(),
    Col.STATUS: pl.String(),
    Col.R: pl.Int64(),
    Col.F: pl.Int64(),
    Col.M: pl.Int64(),
    Col.RFM_SEGMENT: pl.String(),
    Col.ABC: pl.String(),
    "orders_last_window": pl.Int64(),
    "orders_previous_window": pl.Int64(),
    Col.COOLING: pl.Boolean(),
    Col.EXCLUSION_REASON: pl.String(),
    Col.EXCLUDED: pl.Boolean(),
}

RESULT_SCHEMA: dict[str, pl.DataType] = {
    ID: pl.Int64(),
    Col.CLIENT_ID: pl.String(),
    **{k: v for k, v in CLIENT_COLUMNS.items() if k not in (ID, Col.EXTERNAL_ID)},
    **AGGREGATE_COLUMNS,
    **METRIC_COLUMNS,
    **FORECAST_COLUMNS,
    HEADING_OUT: pl.Boolean(),
    Col.SEGMENT: pl.String(),
    "plan": pl.String(),
    "cadence": pl.String(),
}
"""The per-client result: the issue's columns plus the client columns the TUI lists."""

COMPUTED_SCHEMA: dict[str, pl.DataType] = {
    ID: pl.Int64(),
    **{k: v for k, v in RESULT_SCHEMA.items() if k not in CLIENT_COLUMNS and k != Col.CLIENT_ID},
}
"""What segmentation computes (aggregates as of the date, metrics, segment, plan), keyed by id:
the part of the result the cache keeps; the client's own columns come from the base."""

CLIENT_RESULT_COLUMNS: tuple[str, ...] = tuple(
    name for name in RESULT_SCHEMA if name == ID or name not in COMPUTED_SCHEMA
)
"""The result's columns read from the client's row (cadastro, owner) rather than computed."""

OUTPUT_COLUMNS: tuple[str, ...] = (
    Col.CLIENT_ID,
    Col.NAME,
    Col.STATUS,
    Col.RECENCY_DAYS,
    Col.FREQUENCY,
    Col.MONETARY,
    Col.AVG_TICKET,
    Col.CYCLE_DAYS,
    Col.OVERDUE_DAYS,
    Col.R,
    Col.F,
    Col.M,
    Col.RFM_SEGMENT,
    Col.ABC,
    Col.COOLING,
    Col.EXCLUDED,
    Col.SEGMENT,
    Col.OWNER,
    *FORECAST_COLUMNS,
    HEADING_OUT,
    "cadence",
)
"""The columns `carteira segment` prints, in order."""


def same_clients(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    """Whether two per-client frames hold the same ids in the same order, so their columns can
    be compared or put side by side row for row instead of joined."""
    return (
        a.height == b.height
        and ID in a.columns
        and ID in b.columns
        and a.get_column(ID).equals(b.get_column(ID))
    )


def check_schema(frame: pl.LazyFrame, expected: dict[str, pl.DataType], what: str) -> None:
    """Raise ValueError naming the missing or mistyped columns of an engine input."""
    actual = frame.collect_schema()
    problems = [
        f"{name} ({dtype})"
        for name, dtype in expected.items()
        if name not in actual or actual[name] != dtype
    ]
    if problems:
        raise ValueError(f"{what}: colunas ausentes ou de tipo errado: {', '.join(problems)}")
