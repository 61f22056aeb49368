"""The Polars schemas of the shared frames (one row per client, a task's client context).

`carteira_tui.model` re-exports them on first use (`model.CLIENT_COLUMNS`), so only the code
that builds frames loads Polars; the names they use are `model`'s.
"""

from __future__ import annotations

import polars as pl

from carteira_tui.model import FIRST_DAY_CENTS, ID, Col

CLIENT_COLUMNS: dict[str, pl.DataType] = {
    ID: pl.Int64(),
    Col.EXTERNAL_ID: pl.String(),
    Col.NAME: pl.String(),
    "document": pl.String(),
    "email": pl.String(),
    "phone": pl.String(),
    "channel_pref": pl.String(),
    "consent_email": pl.Boolean(),
    "consent_phone": pl.Boolean(),
    "consent_whatsapp": pl.Boolean(),
    "consent_sms": pl.Boolean(),
    "city": pl.String(),
    "uf": pl.String(),
    "cep": pl.String(),
    "birth_date": pl.Date(),
    "gender": pl.String(),
    "income_band": pl.String(),
    "owner_id": pl.Int64(),
    Col.OWNER: pl.String(),
    "tags": pl.String(),
    "opt_out": pl.Boolean(),
    "delinquent": pl.Boolean(),
    "credit_restriction": pl.Boolean(),
    "archived": pl.Boolean(),
}
"""Cadastro columns carried from `clients` (and the owner's name) into every result row."""

AGGREGATE_COLUMNS: dict[str, pl.DataType] = {
    Col.FIRST_PURCHASE: pl.Date(),
    Col.LAST_PURCHASE: pl.Date(),
    Col.FREQUENCY: pl.Int64(),
    Col.MONETARY_CENTS: pl.Int64(),
    Col.PURCHASE_DAYS: pl.Int64(),
}
"""Per-client order aggregates (engine.aggregates), keyed by `id` in the base frame."""

FORECAST_INPUT_COLUMNS: dict[str, pl.DataType] = {FIRST_DAY_CENTS: pl.Int64()}
"""Kept beside the aggregates in the base but not a result column: the revenue of the
non-negative orders on the first purchase day of a client with a repeat purchase day (null for
the others; `client_first_day` in SQLite, or engine.aggregates.first_day_revenue from the
orders), so scoring the forecast reads no other table."""

TASK_CLIENT_CONTEXT: dict[str, pl.DataType] = {
    "segment": pl.String(),
    "first_purchase": pl.Date(),
    "last_purchase": pl.Date(),
    "purchase_days": pl.Int64(),
    "monetary_cents": pl.Int64(),
    "last_interaction": pl.Date(),
    "cadence_ideal": pl.Int64(),
    "cadence_max": pl.Int64(),
}
"""What a task row carries about its client for the urgency and the "why" (the engine's frame
and the store's read of open tasks share it)."""

BASE_SCHEMA: dict[str, pl.DataType] = {
    **CLIENT_COLUMNS,
    **AGGREGATE_COLUMNS,
    **FORECAST_INPUT_COLUMNS,
}
"""One row per client as the store reads it and the engine takes it (null aggregates for
prospects)."""
