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
    segment = pl.col(Col.SEGMENT)
    frame = results.select(ID, Col.SEGMENT, Col.LAST_PURCHASE).join(
        last_interactions.select(ID, "last_interaction"), on=ID, how="left", maintain_order="left"
    )
    contact = last_contact(pl.col("last_interaction"), pl.col(Col.LAST_PURCHASE))
    state = cadence_state(
        (pl.lit(as_of) - contact).dt.total_days(),
        segment.replace_strict(
            {name: pair[0] for name, pair in cadences.items()}, default=None, return_dtype=pl.Int64
        ),
        segment.replace_strict(
            {name: pair[1] for name, pair in cadences.items()}, default=None, return_dtype=pl.Int64
        ),
    )
    return frame.select(state.cast(pl.String).alias("cadence")).get_column("cadence")
