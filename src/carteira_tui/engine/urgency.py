"""Urgency: the one function (DESIGN.md "urgency"), in plain Python so that `carteira today` can
answer without loading Polars.

`urgency_terms` scores one task as of a day; `engine.tasks.with_urgency` applies it to a frame
(`tasks list`, `tasks explain`, `tasks generate`) and `services.today` to the rows of the queue,
so the queue, the list and `explain` give the same figure by construction. No I/O, no Polars.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from carteira_tui.vocab import explain as words

if TYPE_CHECKING:
    from carteira_tui.config import Settings


@dataclass(frozen=True)
class UrgencyTerm:
    """One addend of urgency: `weight × factor`, with its pt-BR label for `tasks explain`."""

    name: str
    label: str


URGENCY_TERMS: tuple[UrgencyTerm, ...] = (
    UrgencyTerm("due", words.TERM_DUE),
    UrgencyTerm("priority", words.TERM_PRIORITY),
    UrgencyTerm("cycle", words.TERM_CYCLE),
    UrgencyTerm("value", words.TERM_VALUE),
    UrgencyTerm("cadence", words.TERM_CADENCE),
    UrgencyTerm("abc", words.TERM_ABC),
    UrgencyTerm("cooling", words.TERM_COOLING),
    UrgencyTerm("age", words.TERM_AGE),
    UrgencyTerm("forecast", words.TERM_FORECAST),
)


class UrgencyInputs(NamedTuple):
    """What urgency reads: the task's due date, priority and creation, its client's ABC class and
    cooling flag, order aggregates, last logged interaction, the segment's maximum cadence and
    the kept BG/NBD parameters (`fit_*`, None without a kept fit). Any but `due` may be None
    (its term is then 0)."""

    due: date
    priority: str | None = None
    abc: str | None = None
    cooling: bool | None = None
    created_on: date | None = None
    first_purchase: date | None = None
    last_purchase: date | None = None
    purchase_days: int | None = None
    monetary_cents: int | None = None
    last_interaction: date | None = None
    cadence_max: int | None = None
    fit_r: float | None = None
    fit_alpha: float | None = None
    fit_a: float | None = None
    fit_b: float | None = None


class Weights(NamedTuple):
    """The shared settings' urgency weights, read once per call site."""

    due: float
    priority: dict[str, float]
    repurchase: float
    value: float
    cadence: float
    abc: dict[str, float]
    cooling: float
    age: float
    age_days: int
    forecast: float

    @classmethod
    def of(cls, settings: Settings) -> Weights:
        """The weights in force in `settings`."""
        return cls(
            due=settings.urgency_due,
            priority={
                "H": settings.urgency_priority_h,
                "M": settings.urgency_priority_m,
                "L": settings.urgency_priority_l,
            },
            repurchase=settings.urgency_repurchase,
            value=settings.urgency_value,
            cadence=settings.urgency_cadence,
            abc={"A": settings.urgency_abc_a, "B": settings.urgency_abc_b},
            cooling=settings.urgency_cooling,
            age=settings.urgency_age,
            age_days=max(settings.urgency_age_days, 1),
            forecast=settings.urgency_forecast,
        )


def saturating(ratio: float | None) -> float:
    """s(r) = ln(1 + r) / (ln(1 + r) + 2) for r > 0, else 0 (also for an unknown or infinite r):
    below 1 and growing without a cap, on a log scale, so that 10 and 80 times late stay apart
    instead of both sitting near a ceiling."""
    if ratio is None or math.isnan(ratio) or math.isinf(ratio) or ratio <= 0:
        return 0.0
    logged = math.log1p(ratio)
    return logged / (logged + 2.0)


def _ratio(late: float, base: float) -> float | None:
    """(late − base) / base, None when base is 0 (a ratio without meaning: its term is 0)."""
    return None if base == 0 else (late - base) / base


def urgency_terms(
    task: UrgencyInputs, *, as_of: date, weights: Weights
) -> list[tuple[float, float]]:
    """(weight, factor) of each of `URGENCY_TERMS`, in order; value = weight × factor.

    due: 1 / (1 + e^(−d/7)) for d days past due (0,5 on the due day, → 1 when long overdue);
    priority and abc: the class's weight; cycle: s(r), r = (recency − cycle_days) / cycle_days
    (DESIGN.md definitions, as of `as_of`); value: (log10(1 + net revenue in reais) − 2) / 4
    within 0..1 (R$ 100 → 0, R$ 1 mi → 1); cadence: s(r), r = (days since last contact − max
    cadence) / max cadence, 1 when never contacted, 0 without a cadence; cooling: 1 when cooling;
    age: days since the task was created / `urgency_age_days`, at most 1; forecast: the chance
    that a repeat buyer has already stopped buying, 1 − p_alive (`dropout_chance`).
    """
    exponent = -(as_of - task.due).days / 7.0
    due = 0.0 if exponent > 700.0 else 1.0 / (1.0 + math.exp(exponent))  # e^700: about 0

    cycle = 0.0
    last_purchase = task.last_purchase
    if (
        last_purchase is not None
        and task.first_purchase is not None
        and task.purchase_days is not None
        and task.purchase_days >= 2
    ):
        cycle_days = (last_purchase - task.first_purchase).days / (task.purchase_days - 1)
        cycle = saturating(_ratio(float((as_of - last_purchase).days), cycle_days))

    value = 0.0
    if task.monetary_cents is not None:
        reais = max(task.monetary_cents / 100.0, 0.0)
        value = min(max((math.log10(reais + 1.0) - 2.0) / 4.0, 0.0), 1.0)

    cadence = 0.0
    if task.cadence_max is not None and task.cadence_max > 0:
        contact = last_contact(task.last_interaction, last_purchase)
        if contact is None:
            cadence = 1.0
        else:
            since = float((as_of - contact).days)
            cadence = saturating(_ratio(since, float(task.cadence_max)))

    age = 0.0
    if task.created_on is not None:
        age = min(max((as_of - task.created_on).days / weights.age_days, 0.0), 1.0)

    return [
        (weights.due, due),
        (weights.priority.get(task.priority or "", 0.0), 1.0),
        (weights.repurchase, cycle),
        (weights.value, value),
        (weights.cadence, cadence),
        (weights.abc.get(task.abc or "", 0.0), 1.0),
        (weights.cooling, 1.0 if task.cooling else 0.0),
        (weights.age, age),
        (weights.forecast, dropout_chance(task, as_of=as_of)),
    ]


def dropout_chance(task: UrgencyInputs, *, as_of: date) -> float:
    """1 − p_alive as of `as_of` from the client's aggregates and the kept BG/NBD parameters
    (DESIGN.md "forecast"; the closed form of engine.forecast's p_alive, so urgency needs no
    SciPy): x = purchase days − 1, t_x = last − first, T = as_of − first,
    1 − p_alive = 1 − 1/(1 + a/(b + x − 1) · ((alpha + T)/(alpha + t_x))^(r + x)).
    0 for a one-time buyer (p_alive is 1 by construction, DECISIONS.md), a prospect, without a
    kept fit, or where the formula has no finite value."""
    r, alpha, a, b = task.fit_r, task.fit_alpha, task.fit_a, task.fit_b
    first, last, days = task.first_purchase, task.last_purchase, task.purchase_days
    if r is None or alpha is None or a is None or b is None:
        return 0.0
    if first is None or last is None or days is None or days < 2:
        return 0.0
    x = float(days - 1)
    t_x = float((last - first).days)
    t_cal = float((as_of - first).days)
    try:
        log_odds = math.log(a / (b + x - 1.0)) + (r + x) * math.log((alpha + t_cal) / (alpha + t_x))
    except (ValueError, ZeroDivisionError):
        return 0.0
    if math.isnan(log_odds):
        return 0.0
    # 1 − 1/(1 + e^z) = 1/(1 + e^−z), without overflow for a large |z|
    if log_odds < -700.0:
        return 0.0
    if log_odds > 700.0:
        return 1.0
    return 1.0 / (1.0 + math.exp(-log_odds))


def total(terms: list[tuple[float, float]]) -> float:
    """The urgency: the sum of weight × factor, to 4 places."""
    summed = 0.0
    for weight, factor in terms:
        summed += weight * factor
    return round(summed, 4)


def urgency(task: UrgencyInputs, *, as_of: date, weights: Weights) -> float:
    """The urgency of one task as of `as_of` (the sum of `urgency_terms`, to 4 places)."""
    return total(urgency_terms(task, as_of=as_of, weights=weights))


def last_contact(last_interaction: date | None, last_purchase: date | None) -> date | None:
    """DESIGN.md `last contact`: the later of the last logged interaction and the last purchase."""
    if last_interaction is None:
        return last_purchase
    if last_purchase is None:
        return last_interaction
    return max(last_interaction, last_purchase)


def cadence_state(
    days_since_contact: int | None, ideal: int | None, maximum: int | None
) -> str | None:
    """DESIGN.md `cadence`: `em_dia` when days since last contact ≤ ideal, `atencao` when ≤ max,
    `atrasado` above max or with no contact ever; None in a segment without a cadence
    (`engine.segments.cadence_state` is the same rule over a frame)."""
    if ideal is None or maximum is None:
        return None
    if days_since_contact is None:
        return "atrasado"
    if days_since_contact <= ideal:
        return "em_dia"
    if days_since_contact <= maximum:
        return "atencao"
    return "atrasado"
