"""The panes' "today" is Brazil's date, through the one function the CLI uses
(`services.today.local_today`), never the server's clock.

Fixed clock: 02/03/2026 01:30 UTC is 01/03/2026 22:30 in São Paulo, so "today" is 01/03.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

import pytest

from carteira_tui.services import today as today_service
from carteira_tui.tui.screens import client_card, segments, tasks

SERVER_NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


class FixedClock(datetime):
    """`datetime` whose `now()` is SERVER_NOW (in the asked zone, or the server's)."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> FixedClock:  # type: ignore[override]
        moment = SERVER_NOW.astimezone(tz) if tz is not None else SERVER_NOW
        return cls.fromtimestamp(moment.timestamp(), moment.tzinfo)


@pytest.fixture
def late_evening_in_brazil(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(today_service, "datetime", FixedClock)


@pytest.mark.usefixtures("late_evening_in_brazil")
def test_the_card_tarefas_and_segmentos_take_brazils_date_not_the_servers() -> None:
    assert SERVER_NOW.date() == date(2026, 3, 2)
    assert client_card.today() == date(2026, 3, 1)
    assert tasks.today() == date(2026, 3, 1)
    assert segments.today() == date(2026, 3, 1)


@pytest.mark.usefixtures("late_evening_in_brazil")
def test_the_panes_day_is_the_clis_day() -> None:
    from carteira_tui.config import Settings

    cli_day = today_service.local_today(Settings())
    assert cli_day == client_card.today() == segments.today()
