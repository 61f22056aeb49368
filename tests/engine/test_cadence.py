"""The `cadence` column, by hand: days since the later of the last interaction and the last
purchase, against the cadence of the client's segment (ideal 15, max 30 here) — the segment
being the first whose filter matches, as in `engine.segment.segment_clients`."""

from __future__ import annotations

from datetime import date

import polars as pl

from carteira_tui.engine.cadence import cadence_expr
from carteira_tui.engine.segments import CompiledSegment

AS_OF = date(2026, 11, 30)
CADENCES = {"Ativos": (15, 30)}
SEGMENTS = [CompiledSegment(name, "plano", pl.col("group") == name) for name in ("Ativos", "Outro")]


def _states(frame: pl.DataFrame) -> list[str | None]:
    """The cadence of each row of `frame` (group, last_purchase, last_interaction)."""
    expr = cadence_expr(SEGMENTS, CADENCES, as_of=AS_OF)
    return frame.select(expr.alias("cadence")).get_column("cadence").to_list()


def _state(
    last_purchase: date | None, last_interaction: date | None, group: str | None
) -> str | None:
    frame = pl.DataFrame(
        {
            "group": [group],
            "last_purchase": [last_purchase],
            "last_interaction": [last_interaction],
        },
        schema={"group": pl.String, "last_purchase": pl.Date, "last_interaction": pl.Date},
    )
    return _states(frame)[0]


def test_the_ideal_and_max_days_are_inclusive() -> None:
    assert _state(date(2026, 11, 15), None, "Ativos") == "em_dia"  # 15 days = ideal
    assert _state(date(2026, 11, 14), None, "Ativos") == "atencao"  # 16 days
    assert _state(date(2026, 10, 31), None, "Ativos") == "atencao"  # 30 days = max
    assert _state(date(2026, 10, 30), None, "Ativos") == "atrasado"  # 31 days


def test_last_contact_is_the_later_of_interaction_and_purchase() -> None:
    # bought 60 days ago, called 10 days ago: 10 days since contact
    assert _state(date(2026, 10, 1), date(2026, 11, 20), "Ativos") == "em_dia"
    # called 60 days ago, bought 20 days ago: 20 days
    assert _state(date(2026, 11, 10), date(2026, 10, 1), "Ativos") == "atencao"
    # a prospect called 31 days ago, never bought
    assert _state(None, date(2026, 10, 30), "Ativos") == "atrasado"


def test_no_contact_ever_is_late_and_no_cadence_is_null() -> None:
    assert _state(None, None, "Ativos") == "atrasado"
    assert _state(date(2026, 11, 29), None, "Outro") is None  # segment without a cadence
    assert _state(date(2026, 11, 29), date(2026, 11, 29), None) is None  # in no segment


def test_each_row_gets_its_own_state_in_order() -> None:
    frame = pl.DataFrame(
        {
            "group": ["Ativos", "Ativos", "Outro"],
            "last_purchase": [date(2026, 11, 29), None, date(2026, 1, 1)],
            "last_interaction": [None, date(2026, 11, 1), date(2026, 11, 1)],
        }
    )
    assert _states(frame) == ["em_dia", "atencao", None]  # the second: 29 days after the call


def test_no_segments_gives_no_cadence() -> None:
    frame = pl.DataFrame({"last_purchase": [AS_OF], "last_interaction": [None]})
    expr = cadence_expr([], CADENCES, as_of=AS_OF)
    assert frame.select(expr.alias("c")).get_column("c").to_list() == [None]
