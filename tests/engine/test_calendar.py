"""Business days across Brazilian holidays and the snooze parser, with a fixed today."""

from __future__ import annotations

from datetime import date

import pytest

from carteira_tui.engine.calendar import (
    WhenError,
    add_business_days,
    br_holidays,
    holidays_around,
    is_business_day,
    next_occurrence,
    parse_when,
    roll_backward,
    roll_forward,
)

HOLIDAYS_2026 = br_holidays([2026])
THURSDAY = date(2026, 11, 19)


def test_tiradentes_and_good_friday_are_national_holidays_in_2026() -> None:
    assert date(2026, 4, 21) in HOLIDAYS_2026
    assert date(2026, 4, 3) in HOLIDAYS_2026
    assert not is_business_day(date(2026, 4, 21), HOLIDAYS_2026)
    assert not is_business_day(date(2026, 4, 18), HOLIDAYS_2026)  # Saturday
    assert is_business_day(date(2026, 4, 20), HOLIDAYS_2026)


def test_two_business_days_after_friday_skip_the_weekend_and_tiradentes() -> None:
    friday = date(2026, 4, 17)
    assert add_business_days(friday, 1, HOLIDAYS_2026) == date(2026, 4, 20)
    assert add_business_days(friday, 2, HOLIDAYS_2026) == date(2026, 4, 22)


def test_zero_business_days_from_a_saturday_is_the_next_monday() -> None:
    assert add_business_days(date(2026, 4, 18), 0, HOLIDAYS_2026) == date(2026, 4, 20)


def test_rolling_a_holiday_goes_to_the_next_or_previous_business_day() -> None:
    assert roll_forward(date(2026, 4, 21), HOLIDAYS_2026) == date(2026, 4, 22)
    assert roll_backward(date(2026, 4, 21), HOLIDAYS_2026) == date(2026, 4, 20)
    assert roll_backward(date(2026, 4, 5), HOLIDAYS_2026) == date(2026, 4, 2)  # past Good Friday


def test_holidays_around_cover_the_year_before_and_two_after() -> None:
    around = holidays_around(date(2026, 6, 1))
    assert date(2025, 12, 25) in around
    assert date(2028, 4, 21) in around


def test_monthly_recurrence_next_occurrence_is_the_first_of_next_month() -> None:
    assert next_occurrence(
        "FREQ=MONTHLY", anchor=date(2020, 1, 1), on_or_after=date(2026, 11, 23)
    ) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hoje", date(2026, 11, 19)),
        ("amanhã", date(2026, 11, 23)),  # Fri 20/11 is a holiday: the day stored
        ("Amanha", date(2026, 11, 23)),
        ("depois de amanhã", date(2026, 11, 23)),
        ("+3d", date(2026, 11, 23)),
        ("+3", date(2026, 11, 23)),
        ("+2du", date(2026, 11, 24)),  # Friday 20/11 is Consciência Negra: Mon 23, Tue 24
        ("+1s", date(2026, 11, 26)),
        ("+1m", date(2026, 12, 21)),  # Sat 19/12 rolls to Monday
        ("seg", date(2026, 11, 23)),
        ("segunda", date(2026, 11, 23)),
        ("qui", date(2026, 11, 26)),
        ("sábado", date(2026, 11, 23)),
        ("25/12", date(2026, 12, 28)),  # Natal, then the weekend
        ("10/01", date(2027, 1, 11)),
        ("19/11", date(2026, 11, 19)),
        ("05/03/2027", date(2027, 3, 5)),
        ("05/03/27", date(2027, 3, 5)),
        ("2027-02-01", date(2027, 2, 1)),
    ],
)
def test_parse_when_with_today_a_thursday(text: str, expected: date) -> None:
    assert parse_when(text, today=THURSDAY, holidays=HOLIDAYS_2026) == expected


@pytest.mark.parametrize("text", ["", "ontem?", "31/02", "32/01/2027", "+3x", "terçaa"])
def test_parse_when_rejects_what_it_does_not_understand(text: str) -> None:
    with pytest.raises(WhenError):
        parse_when(text, today=THURSDAY)


SATURDAY = date(2026, 12, 5)


def test_two_business_days_after_a_saturday_is_tuesday() -> None:
    assert add_business_days(SATURDAY, 2, HOLIDAYS_2026) == date(2026, 12, 8)
    assert parse_when("+2du", today=SATURDAY, holidays=HOLIDAYS_2026) == date(2026, 12, 8)


def test_tomorrow_on_a_saturday_is_the_next_business_day_shown_and_stored() -> None:
    assert parse_when("amanhã", today=SATURDAY, holidays=HOLIDAYS_2026) == date(2026, 12, 7)


def test_extra_holidays_from_the_settings_are_closed_days() -> None:
    closed = holidays_around(date(2026, 12, 5), extra=["2026-12-07"])
    assert date(2026, 12, 7) in closed
    assert parse_when("amanhã", today=SATURDAY, holidays=closed) == date(2026, 12, 8)


def test_local_date_is_the_brazilian_date_not_the_servers() -> None:
    from datetime import UTC, datetime

    from carteira_tui.engine.calendar import local_date

    late_evening_in_brazil = datetime(2026, 12, 6, 1, 30, tzinfo=UTC)
    assert local_date(late_evening_in_brazil, "America/Sao_Paulo") == date(2026, 12, 5)
