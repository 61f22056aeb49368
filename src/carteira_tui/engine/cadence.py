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
    """Each row's cadence state (`em_dia`, `atencao`, `atrasado`; null in a segment without a
    cadence, or in none) as one expression over a frame holding the segments' filter columns,
    `last_purchase` and `last_interaction` (engine.segment.segment_clients): the segment's
    cadence is taken by the position of the segment that matched, so no name is looked up."""
    if not segments:
        return pl.lit(None, dtype=pl.String)
    index = segment_index(segments)
    pairs = [cadences.get(segment.name) for segment in segments]
    ideal = pl.Series([None if pair is None else pair[0] for pair in pairs], dtype=pl.Int64)
    maximum = pl.Series([None if pair is None else pair[1] for pair in pairs], dtype=pl.Int64)
    return _state(pl.lit(ideal).gather(index), pl.lit(maximum).gather(index), as_of=as_of)


def cadence_by_name_expr(cadences: Mapping[str, tuple[int, int]], *, as_of: date) -> pl.Expr:
    """`cadence_expr`'s rule over a result that already names each row's segment (`segment`,
    `last_purchase`, `last_interaction`): the cadence is looked up by the segment's name."""
    segment = pl.col(Col.SEGMENT)
    ideal = segment.replace_strict(
        {name: pair[0] for name, pair in cadences.items()}, default=None, return_dtype=pl.Int64
    )
    maximum = segment.replace_strict(
        {name: pair[1] for name, pair in cadences.items()}, default=None, return_dtype=pl.Int64
    )
    return _state(ideal, maximum, as_of=as_of)


def _state(ideal: pl.Expr, maximum: pl.Expr, *, as_of: date) -> pl.Expr:
    """The cadence state of each row from its segment's cadence (ideal, max days) and the days
    since the later of its last interaction and last purchase."""
    contact = last_contact(pl.col(LAST_INTERACTION), pl.col(Col.LAST_PURCHASE))
    return cadence_state((pl.lit(as_of) - contact).dt.total_days(), ideal, maximum).cast(pl.String)
