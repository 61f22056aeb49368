"""Date triggers a user adds as people say them (`engine.tasks.commemorative_day`).

Hand-worked on the 2026 and 2027 calendars: 01/05/2026 is a Friday, so its Sundays are 3 and 10;
01/08/2026 a Saturday (Sundays 2, 9); 30/11/2026 a Monday (last Saturday 28, last Friday 27);
01/09/2026 a Tuesday (first Monday 7); 01/10/2026 a Thursday (Sundays 4, 11, 18); 01/05/2027 a
Saturday (Sundays 2, 9).
"""

from __future__ import annotations

from datetime import date

import pytest

from carteira_tui.engine.tasks import commemorative_day, next_commemorative_day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2º domingo de maio", date(2026, 5, 10)),
        ("2o domingo de agosto", date(2026, 8, 9)),
        ("Último Sábado de Novembro", date(2026, 11, 28)),
        ("última sexta-feira de novembro", date(2026, 11, 27)),
        ("1ª segunda de setembro", date(2026, 9, 7)),
        ("terceiro domingo de outubro", date(2026, 10, 18)),
    ],
)
def test_a_computed_day_is_the_nth_or_last_weekday_of_the_month(text: str, day: date) -> None:
    assert commemorative_day(text, 2026) == day


def test_the_named_mothers_day_and_its_computed_spelling_agree() -> None:
    for year in (2026, 2027, 2028):
        assert commemorative_day("2º domingo de maio", year) == commemorative_day(
            "dia_das_maes", year
        )


def test_a_computed_day_already_past_comes_next_year() -> None:
    assert next_commemorative_day("2º domingo de maio", date(2026, 11, 20)) == date(2027, 5, 9)


@pytest.mark.parametrize(
    "text", ["5º domingo de maio", "2º feriado de maio", "2º domingo de maioo", "domingo de maio"]
)
def test_a_phrase_that_is_not_a_day_is_refused_with_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="2º domingo de maio"):
        commemorative_day(text, 2026)
