"""The `cadence` column of segmentation results (DESIGN.md "last contact" and "cadence").

The rule is Hoje's (`engine.tasks.task_candidates`): the cadence of the client's named segment
(`segment` column), days since the later of the last logged interaction and the last purchase,
judged by `engine.segments.cadence_state`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from carteira_tui.engine.segments import (
    CompiledSegment,
    cadence_state,
    last_contact,
    segment_index,
)
from carteira_tui.model import Col

ID = "id"
LAST_INTERACTION = "last_interaction"


@dataclass(frozen=True)
class Contacts:
    """What the `cadence` column needs beside the results: each client's last logged
    interaction on or before the as-of (`id`, `last_interaction`; a client without one has no
    row) and the segments' cadences (name → (ideal, max) days)."""

    last_interactions: pl.DataFrame
    cadences: Mapping[str, tuple[int, int]]


def cadence_expr(
    segments: Sequence[CompiledSegment],
    cadences: Mapping[str, tuple[int, int]],
    *,
    as_of: date,
) -> pl.Expr:
    """`cadence_of` as one expression over a frame holding the segments' filter columns,
    `last_purchase` and `last_interaction` (engine.segment.segment_clients): the segment's
    cadence is taken by the position of the segment that matched, so no name is looked up."""
    if not segments:
        return pl.lit(None, dtype=pl.String)
    index = segment_index(segments)
    pairs = [cadences.get(segment.name) for segment in segments]
    ideal = pl.Series([None if pair is None else pair[0] for pair in pairs], dtype=pl.Int64)
    maximum = pl.Series([None if pair is None else pair[1] for pair in pairs], dtype=pl.Int64)
    contact = last_contact(pl.col(LAST_INTERACTION), pl.col(Col.LAST_PURCHASE))
    state = cadence_state(
        (pl.lit(as_of) - contact).dt.total_days(),
        pl.lit(ideal).gather(index),
        pl.lit(maximum).gather(index),
    )
    return state.cast(pl.String)


def cadence_of(
    results: pl.DataFrame,
    last_interactions: pl.DataFrame,
    cadences: Mapping[str, tuple[int, int]],
    *,
    as_of: date,
) -> pl.Series:
    """Each result row's cadence state (`em_dia`, `atencao`, `atrasado`; null in a segment
    without a cadence), in the rows' order.

    `results` needs `id`, `segment` and `last_purchase`; `last_interactions` is (`id`,
    `last_interaction`) for the clients with an interaction on or before `as_of`.
    """
    # Each row's (ideal, max) by one join on the segment name against the few segments with a
    # cadence, and every input put in a column first: the rule's expressions then read plain
    # columns (mapping the segment name inside them evaluated it once per use, ~3x the time).
    pairs = pl.DataFrame(
        {
            Col.SEGMENT: list(cadences),
            "_ideal": [pair[0] for pair in cadences.values()],
            "_max": [pair[1] for pair in cadences.values()],
        },
        schema={Col.SEGMENT: pl.String, "_ideal": pl.Int64, "_max": pl.Int64},
    )
    contact = last_contact(pl.col("last_interaction"), pl.col(Col.LAST_PURCHASE))
    frame = (
        results.select(ID, Col.SEGMENT, Col.LAST_PURCHASE)
        .join(
            last_interactions.select(ID, "last_interaction"),
            on=ID,
            how="left",
            maintain_order="left",
        )
        .join(pairs, on=Col.SEGMENT, how="left", maintain_order="left")
        .select((pl.lit(as_of) - contact).dt.total_days().alias("_days"), "_ideal", "_max")
    )
    state = cadence_state(pl.col("_days"), pl.col("_ideal"), pl.col("_max"))
    return frame.select(state.cast(pl.String).alias("cadence")).get_column("cadence")
