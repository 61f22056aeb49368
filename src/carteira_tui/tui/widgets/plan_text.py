"""The Planos screen's text about plans: the summary line over the table and the two detail
lines about the selected plan (its trigger in the longest wording that fits), built from
`services.plans.plan_rows` and the words in `vocab.plans`."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import polars as pl

from carteira_tui.tui.widgets.frame_table import format_date, format_int
from carteira_tui.vocab import plans as plan_words

PRIORITY_LABELS = {"H": "alta", "M": "média", "L": "baixa"}


def plural(count: int, one: str, many: str) -> str:
    """`1 plano`, `11 planos`."""
    return f"{format_int(count)} {one if count == 1 else many}"


def summary_text(plans: pl.DataFrame, day: date) -> str:
    """How many plans, how many active, and the next date trigger."""
    if plans.is_empty():
        return plan_words.NONE_YET
    active = int(plans.get_column("active").sum() or 0)
    text = f"{plural(plans.height, 'plano', 'planos')} · {format_int(active)} ativos"
    dated = plans.filter(pl.col("active") & pl.col("next_date").is_not_null()).sort("next_date")
    if dated.height:
        first = dated.row(0, named=True)
        text += plan_words.next_date(first["value_label"], format_date(first["next_date"]))
    return text + plan_words.today_tail(day.strftime("%d/%m/%Y"))


def trigger_texts(plan: dict[str, Any]) -> list[str]:
    """What sets the plan off and when, longest wording first: `Natal em 25/12/2026 · tarefas
    vencem 18/12/2026, 5 dias úteis antes`, `segmento: Ativos · prazo 5 dias úteis`."""
    lead = int(plan["due_offset"] or 0)
    if plan["next_date"] is not None:
        when = format_date(plan["next_date"])
        if not re.fullmatch(r"\d{1,2}/\d{1,2}", str(plan["value_label"])):
            when = plan_words.on_day(plan["value_label"], when)  # a fixed dd/mm is its date already
        due = format_date(plan["due_date"])
        return plan_words.trigger_texts(when, due, plural(lead, *plan_words.BUSINESS_DAY), lead)
    text = str(plan["trigger_label"]) + (f": {plan['value_label']}" if plan["value_label"] else "")
    return [text + (f" · prazo {plural(lead, *plan_words.BUSINESS_DAY)}" if lead else "")]


def detail_text(plan: dict[str, Any], width: int = 78) -> str:
    """Two lines about the selected plan, each fitted to `width`: its title and trigger, then
    how its tasks are worked."""
    triggers = trigger_texts(plan)
    wordings = [f"{plan['title']} · {triggers[0]}", *triggers]
    first = next((text for text in wordings if len(text) <= width), triggers[-1])
    channel = plan["channel_label"] or "canal livre"
    parts = [
        f"prioridade {PRIORITY_LABELS.get(plan['priority'], plan['priority'])}",
        channel,
        f"classes {plan['abc'] or 'todas'}",
    ]
    if plan["cooldown_days"]:
        parts.append(plan_words.cooldown(plural(int(plan["cooldown_days"]), "dia", "dias")))
    if not plan["active"]:
        parts.insert(0, "INATIVO")
    return f"{first[:width]}\n{' · '.join(parts)[:width]}"
