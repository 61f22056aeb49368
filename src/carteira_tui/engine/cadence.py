"""The `cadence` column of segmentation results (DESIGN.md "last contact" and "cadence").

The rule is Hoje's (`engine.tasks.task_candidates`): the cadence of the client's named segment
(`segment` column), days since the later of the last logged interaction and the last purchase,
judged by `engine.segments.cadence_state`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from carteira_tui.engine.segments import cadence_state, last_contact
from carteira_tui.model import Col

ID = "id"


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
