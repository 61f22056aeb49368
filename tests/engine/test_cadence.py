"""The `cadence` column, by hand: days since the later of the last interaction and the last
purchase, against the client's segment cadence (ideal 15, max 30 here)."""

from __future__ import annotations

from datetime import date

import polars as pl

from carteira_tui.engine.cadence import cadence_of

AS_OF = date(2026, 11, 30)
CADENCES = {"Ativos": (15, 30)}


def _state(last_purchase: date | None, last_interaction: date | None, segment: str | None) -> str:
    results = pl.DataFrame(
        {"id": [7], "segment": [segment], "last_purchase": [last_purchase]},
        schema={"id": pl.Int64, "segment": pl.String, "last_purchase": pl.Date},
    )
    last = pl.DataFrame(
        {
            "id": [7] if last_interaction else [],
            "last_interaction": [last_interaction] if last_interaction else [],
        },
        schema={"id": pl.Int64, "last_interaction": pl.Date},
    )
    return cadence_of(results, last, CADENCES, as_of=AS_OF).item()


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
    assert _state(date(2026, 11, 29), None, "Inativos antigos") is None  # segment without one
    assert _state(date(2026, 11, 29), date(2026, 11, 29), None) is None  # in no segment


def test_rows_keep_their_order_and_clients_without_interactions() -> None:
    results = pl.DataFrame(
        {
            "id": [3, 1, 2],
            "segment": ["Ativos", "Ativos", "Outro"],
            "last_purchase": [date(2026, 11, 29), None, date(2026, 1, 1)],
        }
    )
    last = pl.DataFrame({"id": [1, 9], "last_interaction": [date(2026, 11, 1), date(2026, 11, 1)]})
    states = cadence_of(results, last, CADENCES, as_of=AS_OF)
    assert states.to_list() == ["em_dia", "atencao", None]  # client 1: 29 days after the call
