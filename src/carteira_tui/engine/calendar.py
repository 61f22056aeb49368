"""Business days, Brazilian national holidays and the snooze-date parser ("quando").

Called by the task engine (due dates fall on business days: weekends and national holidays of
the `holidays` library, country BR, are skipped) and by the task services (snooze `QUANDO`).
Pure: every function takes `today`/dates as parameters, never reads the clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from carteira_tui.errors import CarteiraError
from carteira_tui.vocab import plans as words


class WhenError(CarteiraError, ValueError):
    """A `QUANDO` text that is not a date this parser understands (message in pt-BR)."""


def local_date(moment: datetime, time_zone: str) -> date:
    """The calendar date of `moment` in `time_zone` (an IANA name such as America/Sao_Paulo):
    "today" for people in Brazil, whatever the server's clock zone."""
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(ZoneInfo(time_zone)).date()


def br_holidays(years: Iterable[int]) -> list[date]:
    """Brazilian national holidays of `years`, sorted (the `holidays` library, country BR)."""
    import holidays as holidays_lib  # loaded by the commands that need holidays, not by all

    calendar = holidays_lib.country_holidays("BR", years=sorted(set(years)))
    return sorted(calendar.keys())


def holidays_around(
    day: date, *, years_after: int = 2, extra: Iterable[date | str] = ()
) -> list[date]:
    """National holidays from the year before `day` to `years_after` years after it, plus the
    `extra` days (ISO text or dates: Carnaval, local holidays) from the shared settings."""
    found = set(br_holidays(range(day.year - 1, day.year + years_after + 1)))
    found.update(date.fromisoformat(d) if isinstance(d, str) else d for d in extra)
    return sorted(found)


def is_business_day(day: date, holidays: Iterable[date]) -> bool:
    """Monday to Friday and not a holiday."""
    return day.weekday() < 5 and day not in set(holidays)


def roll_forward(day: date, holidays: Iterable[date]) -> date:
    """`day` itself when it is a business day, else the next business day."""
    closed = set(holidays)
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


def roll_backward(day: date, holidays: Iterable[date]) -> date:
    """`day` itself when it is a business day, else the previous business day."""
    closed = set(holidays)
    while day.weekday() >= 5 or day in closed:
        day -= timedelta(days=1)
    return day


def add_business_days(start: date, days: int, holidays: Iterable[date]) -> date:
    """`days` business days after `start`, counting from `start` itself whatever day it is
    (Saturday + 2 = Tuesday); 0 gives `start` rolled forward to a business day."""
    closed = set(holidays)
    if days == 0:
        return roll_forward(start, closed)
    day = start
    step = 1 if days > 0 else -1
    for _ in range(abs(days)):
        day += timedelta(days=step)
        while day.weekday() >= 5 or day in closed:
            day += timedelta(days=step)
    return day


def next_occurrence(rule: str, *, anchor: date, on_or_after: date) -> date | None:
    """The first date of an RFC 5545 recurrence (`FREQ=MONTHLY;BYMONTHDAY=5`) on or after a day.

    `anchor` is the rule's start (DTSTART); None when the rule has ended.
    """
    from datetime import datetime

    from dateutil.rrule import rrulestr

    recurrence = rrulestr(rule, dtstart=datetime(anchor.year, anchor.month, anchor.day))
    found = recurrence.after(
        datetime(on_or_after.year, on_or_after.month, on_or_after.day), inc=True
    )
    return found.date() if found is not None else None


_WEEKDAYS: dict[str, int] = {
    "seg": 0,
    "segunda": 0,
    "segunda-feira": 0,
    "ter": 1,
    "terca": 1,
    "terca-feira": 1,
    "qua": 2,
    "quarta": 2,
    "quarta-feira": 2,
    "qui": 3,
    "quinta": 3,
    "quinta-feira": 3,
    "sex": 4,
    "sexta": 4,
    "sexta-feira": 4,
    "sab": 5,
    "sabado": 5,
    "dom": 6,
    "domingo": 6,
}

_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*(d|du|s|m)?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

WHEN_HELP = words.WHEN_HELP


def parse_when(text: str, *, today: date, holidays: Iterable[date] = ()) -> date:
    """The business day a person means by `text`, relative to `today` — the day a preview shows
    and the day stored are both this value (a weekend or holiday rolls to the next business day,
    so `amanhã` on a Saturday is Monday).

    `hoje`, `amanhã`, `depois de amanhã`; `+3d` days, `+2du` business days, `+1s` weeks, `+1m`
    months; a weekday (`seg`, `segunda`, … `dom`) is its next occurrence after today; `dd/mm` is
    the next such date from today on; `dd/mm/aaaa` and `aaaa-mm-dd` are taken as written.
    """
    word = _fold(text)
    if not word:
        raise WhenError(words.when_empty(WHEN_HELP))
    closed = set(holidays)
    return roll_forward(_meant_day(word, text, today, closed), closed)


def _meant_day(word: str, text: str, today: date, holidays: set[date]) -> date:
    if word == "hoje":
        return today
    if word == "amanha":
        return today + timedelta(days=1)
    if word == "depois de amanha":
        return today + timedelta(days=2)
    if word in _WEEKDAYS:
        ahead = (_WEEKDAYS[word] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if relative := _RELATIVE.match(word):
        return _relative(today, int(relative.group(1)), relative.group(2) or "d", holidays)
    if day_month := _DAY_MONTH.match(word):
        day, month = int(day_month.group(1)), int(day_month.group(2))
        candidate = _date_or_fail(today.year, month, day, text)
        if candidate < today:
            candidate = _date_or_fail(today.year + 1, month, day, text)
        return candidate
    if full := _DAY_MONTH_YEAR.match(word):
        year = int(full.group(3))
        year = year + 2000 if year < 100 else year
        return _date_or_fail(year, int(full.group(2)), int(full.group(1)), text)
    if iso := _ISO.match(word):
        return _date_or_fail(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), text)
    raise WhenError(words.when_not_recognised(text, WHEN_HELP))


def _relative(today: date, amount: int, unit: str, holidays: Iterable[date]) -> date:
    if unit == "du":
        return add_business_days(today, amount, holidays)
    if unit == "s":
        return today + timedelta(weeks=amount)
    if unit == "m":
        from dateutil.relativedelta import relativedelta

        result: date = today + relativedelta(months=amount)
        return result
    return today + timedelta(days=amount)


def _date_or_fail(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise WhenError(words.date_does_not_exist(text)) from error


def _fold(text: str) -> str:
    """Lower case, accents removed, inner spaces collapsed (`Amanhã ` → `amanha`)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain)
