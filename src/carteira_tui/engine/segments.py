"""Named segments: ordered filters, first match wins, each naming an action plan.

The store keeps the list people edit (`store.segments`); this module holds the method's default
set and turns a compiled list into the `segment`/`plan` columns. Filters are text in the filter
language (`engine.filters`); the service compiles them and hands `(name, plan, expr)` here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from carteira_tui.engine.today import CADENCE_LABELS as CADENCE_LABELS
from carteira_tui.model import Col
from carteira_tui.vocab import plans as words


@dataclass(frozen=True)
class SegmentRule:
    """One named segment: its filter (filter-language text) and action-plan name."""

    name: str
    filter: str
    plan: str


DEFAULT_SEGMENTS: tuple[SegmentRule, ...] = (
    SegmentRule(
        "Clientes A em risco",
        "abc = A and (cooling or status in (inativo_recente, inativo_antigo))",
        "retencao_a",
    ),
    SegmentRule("Ativos", "status = ativo", "fidelizacao"),
    SegmentRule("Inativos recentes", "status = inativo_recente", "reengajamento"),
    SegmentRule("Inativos antigos", "status = inativo_antigo", "reativacao"),
    SegmentRule("Prospects", "status = prospect", "nutricao"),
)
"""The method's segments; "Clientes A em risco" first so it wins over the status segments."""


@dataclass(frozen=True)
class CompiledSegment:
    """A segment whose filter has been compiled into a Polars boolean expression."""

    name: str
    plan: str
    expr: pl.Expr


def segment_columns(segments: Sequence[CompiledSegment]) -> list[pl.Expr]:
    """`segment` and `plan` of the first segment whose filter matches (null when none does).

    The first match is found as an index (integers only), then each column is one gather from
    the list of names or plans: choosing among string literals row by row costs far more.
    """
    if not segments:
        return [
            pl.lit(None, dtype=pl.String).alias(Col.SEGMENT),
            pl.lit(None, dtype=pl.String).alias("plan"),
        ]
    index = segment_index(segments)
    names = pl.Series([segment.name for segment in segments], dtype=pl.String)
    plans = pl.Series([segment.plan for segment in segments], dtype=pl.String)
    return [
        pl.lit(names).gather(index).alias(Col.SEGMENT),
        pl.lit(plans).gather(index).alias("plan"),
    ]


def segment_index(segments: Sequence[CompiledSegment]) -> pl.Expr:
    """The position in `segments` of the first one whose filter matches (null when none does,
    or there are none): what `segment_columns` gathers the names and plans by."""
    index: pl.Expr = pl.lit(None, dtype=pl.Int64)
    for position in reversed(range(len(segments))):
        matched = segments[position].expr.fill_null(False)
        index = pl.when(matched).then(position).otherwise(index)
    return index


CADENCE_STATES: tuple[str, ...] = ("em_dia", "atencao", "atrasado")
"""DESIGN.md cadence states, from fine to late."""


def last_contact(last_interaction: pl.Expr, last_purchase: pl.Expr) -> pl.Expr:
    """DESIGN.md `last contact`: the later of the last logged interaction and the last purchase."""
    return pl.max_horizontal(last_interaction, last_purchase)


def cadence_state(days_since_contact: pl.Expr, ideal: pl.Expr, maximum: pl.Expr) -> pl.Expr:
    """DESIGN.md `cadence`: `em_dia` when days since last contact ≤ ideal, `atencao` when ≤ max,
    `atrasado` above max or with no contact ever; null in a segment without a cadence."""
    return (
        pl.when(ideal.is_null() | maximum.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(days_since_contact.is_null())
        .then(pl.lit("atrasado"))
        .when(days_since_contact <= ideal)
        .then(pl.lit("em_dia"))
        .when(days_since_contact <= maximum)
        .then(pl.lit("atencao"))
        .otherwise(pl.lit("atrasado"))
    )


def parse_cadence(text: str) -> tuple[int, int] | None:
    """`IDEAL/MAX` days (`30/60`) as a pair; `-` or empty clears it (None). ValueError (pt-BR)
    when the text is not two whole numbers with 0 < ideal ≤ max."""
    cleaned = text.strip()
    if cleaned in {"", "-", "nenhuma"}:
        return None
    parts = cleaned.split("/")
    if len(parts) != 2 or not all(part.strip().isdigit() for part in parts):
        raise ValueError(words.cadence_not_two_numbers(text))
    ideal, maximum = int(parts[0]), int(parts[1])
    if not 0 < ideal <= maximum:
        raise ValueError(words.cadence_out_of_order(text))
    return ideal, maximum
