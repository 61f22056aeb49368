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
        ("amanhã", date(2026, 11, 20)),
        ("Amanha", date(2026, 11, 20)),
        ("depois de amanhã", date(2026, 11, 21)),
        ("+3d", date(2026, 11, 22)),
        ("+3", date(2026, 11, 22)),
        ("+2du", date(2026, 11, 24)),  # Friday 20/11 is Consciência Negra: Mon 23, Tue 24
        ("+1s", date(2026, 11, 26)),
        ("+1m", date(2026, 12, 19)),
        ("seg", date(2026, 11, 23)),
        ("segunda", date(2026, 11, 23)),
        ("qui", date(2026, 11, 26)),
        ("sábado", date(2026, 11, 21)),
        ("25/12", date(2026, 12, 25)),
        ("10/01", date(2027, 1, 10)),
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
