"""The Hoje queue's columns, its view (whose queue, search, filter) and the rows a view shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from carteira_tui.engine.segments import CADENCE_LABELS
from carteira_tui.model import CHANNEL_LABELS, fold_text
from carteira_tui.tui.widgets.frame_table import Column
from carteira_tui.tui.widgets.tasks.columns import format_urgency
from carteira_tui.vocab import today as words

FILTERS = words.FILTERS


def channel_label(value: Any) -> str:
    """A row's channel in pt-BR ("sem canal" when none is usable)."""
    return CHANNEL_LABELS.get(value or "", words.NO_CHANNEL)


def _cadence(value: Any) -> str:
    return CADENCE_LABELS.get(value or "", "—")


TODAY_COLUMNS: list[Column] = [
    Column("urgency", "Urg.", 5, format_urgency, align_right=True, priority=0),
    Column("name", "Cliente", 20, priority=1),
    Column("channel", "Canal", 9, channel_label, priority=2),
    Column("cadence", "Cadência", 9, _cadence, priority=5),
    Column("titles", "Tarefas", 24, priority=3),
    Column("why", "Por quê", 30, priority=4, flex=True),
]


@dataclass(frozen=True)
class TodayView:
    """Whose queue (`mine`), the search text and the filter key (`FILTERS`)."""

    mine: bool = False
    search: str = ""
    filter: str = ""
    owner: str | None = None
    """Another owner's queue, chosen with `o` (None: mine or everybody's, by `mine`)."""

    def describe(self, owner: str | None) -> str:
        """`Hoje: Ana · cadência atrasada · busca "padaria"` in pt-BR."""
        whose = owner if (self.mine or self.owner) and owner else words.EVERY_OWNER
        return words.describe(whose, FILTERS[self.filter] if self.filter else "", self.search)


def shown_rows(rows: pl.DataFrame, view: TodayView) -> pl.DataFrame:
    """The queue's rows with `id` (the client id) and `titles`, narrowed by search and filter."""
    frame = rows.with_columns(
        pl.col("client_id").alias("id"),
        pl.col("tasks")
        .list.eval(pl.element().struct.field("title"))
        .list.join(" | ")
        .alias("titles"),
    )
    if view.filter == "atrasado":
        frame = frame.filter(pl.col("cadence") == "atrasado")
    elif view.filter:
        frame = frame.filter(pl.col("channel") == view.filter)
    if view.search:
        words_ = fold_text(view.search)
        text = pl.concat_str(
            [pl.col("external_id"), pl.col("name"), pl.col("titles"), pl.col("why")],
            separator=" ",
            ignore_nulls=True,
        )
        folded = text.str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{Mn}", "")
        frame = frame.filter(folded.str.contains(words_, literal=True))
    return frame
