"""Action plans are data: list, add, edit and delete them (`carteira plans …`).

Every change is validated (trigger, value, priority, channel through the one channel vocabulary,
commemorative date) and audited in one transaction; bad input writes nothing and names the valid
choices. A plan that already generated tasks is deactivated instead of deleted (its tasks keep
their history).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from carteira_tui.engine.tasks import (
    COMMEMORATIVE_DATES,
    PRIORITY_LABELS,
    Trigger,
    commemorative_day,
)
from carteira_tui.errors import CarteiraError
from carteira_tui.model import CHANNEL_LABELS, CONTACT_CHANNELS, Status, channel_key
from carteira_tui.store import tasks as store
from carteira_tui.store.audit import write_audit
from carteira_tui.store.db import connect

TRIGGER_LABELS: dict[str, str] = {
    Trigger.STATUS: "status (value: ativo, inativo_recente, inativo_antigo, prospect)",
    Trigger.SEGMENT: "segmento (os segmentos que nomeiam o plano)",
    Trigger.REPURCHASE: "recompra atrasada",
    Trigger.COOLING: "esfriando",
    Trigger.BIRTHDAY: "aniversário",
    Trigger.DELINQUENT: "inadimplente (cobrança)",
    Trigger.CADENCE: "cadência atrasada",
    Trigger.DATE: "data comemorativa (value: " + ", ".join(COMMEMORATIVE_DATES) + " ou dd/mm)",
}


class PlanError(CarteiraError, ValueError):
    """A plan change that cannot be made, with a message naming the valid choices."""


def list_plans(db_path: Path) -> pl.DataFrame:
    """Every action plan, by id."""
    with connect(db_path) as db:
        return store.read_action_plans(db)


def _codes(db: Any) -> str:
    return ", ".join(sorted(str(code) for code in store.read_action_plans(db)["code"]))


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    """`values` validated and normalised (channel key, date names); PlanError otherwise."""
    checked = {k: v for k, v in values.items() if v is not None}
    if "trigger" in checked and checked["trigger"] not in set(Trigger):
        choices = ", ".join(t.value for t in Trigger)
        raise PlanError(f"gatilho desconhecido: {checked['trigger']!r} (gatilhos: {choices})")
    if "priority" in checked and checked["priority"] not in PRIORITY_LABELS:
        raise PlanError("prioridade deve ser H, M ou L")
    if "channel" in checked:
        key = channel_key(checked["channel"])
        if key not in CONTACT_CHANNELS:
            labels = ", ".join(CHANNEL_LABELS[c] for c in CONTACT_CHANNELS)
            raise PlanError(f"canal desconhecido: {checked['channel']!r} (canais: {labels})")
        checked["channel"] = key
    for number in ("due_offset", "cooldown_days"):
        if number in checked and int(checked[number]) < 0:
            raise PlanError(f"{number} não pode ser negativo")
    return checked


def _check_value(trigger: str, value: str | None) -> None:
    if trigger == Trigger.STATUS and value not in set(Status):
        raise PlanError(f"status desconhecido: {value!r} ({', '.join(s.value for s in Status)})")
    if trigger == Trigger.DATE:
        try:
            commemorative_day(value or "", 2026)
        except ValueError as error:
            raise PlanError(str(error)) from error


def add_plan(
    db_path: Path, *, code: str, title: str, trigger: str, **fields: Any
) -> dict[str, Any]:
    """Create a plan; `fields` are `store.PLAN_EDITABLE` columns (kind defaults to the code,
    or `data` for a date trigger)."""
    if not re.fullmatch(r"[a-z0-9_]{2,40}", code):
        raise PlanError("código: 2 a 40 letras minúsculas, dígitos ou _ (ex.: natal_vip)")
    if not title.strip():
        raise PlanError("informe o título do plano")
    values = _checked({**fields, "title": title.strip(), "trigger": trigger})
    values.setdefault("kind", "data" if trigger == Trigger.DATE else code)
    _check_value(trigger, values.get("value"))
    with connect(db_path) as db, db.atomic():
        if store.read_plan(db, code) is not None:
            raise PlanError(f"já existe um plano {code!r}")
        store.insert_plan(db, {"code": code, **values})
        write_audit(db, action="criar plano", entity="action_plan", summary=code, after=values)
        return store.read_plan(db, code) or {}


def edit_plan(db_path: Path, code: str, **fields: Any) -> dict[str, Any]:
    """Change some columns of a plan (None keeps a column)."""
    values = _checked(fields)
    with connect(db_path) as db, db.atomic():
        before = store.read_plan(db, code)
        if before is None:
            raise PlanError(f"plano desconhecido: {code!r} (planos: {_codes(db)})")
        trigger = str(values.get("trigger", before["trigger"]))
        _check_value(trigger, values.get("value", before["value"]))
        store.update_plan(db, code, values)
        write_audit(
            db,
            action="editar plano",
            entity="action_plan",
            summary=code,
            before={k: before[k] for k in values},
            after=values,
        )
        return store.read_plan(db, code) or {}


def delete_plan(db_path: Path, code: str) -> bool:
    """Delete a plan, or deactivate it when it already generated tasks; True when deleted."""
    with connect(db_path) as db, db.atomic():
        plan = store.read_plan(db, code)
        if plan is None:
            raise PlanError(f"plano desconhecido: {code!r} (planos: {_codes(db)})")
        used = store.count_plan_tasks(db, int(plan["id"])) > 0
        if used:
            store.update_plan(db, code, {"active": 0})
        else:
            store.delete_plan(db, code)
        write_audit(
            db,
            action="desativar plano" if used else "apagar plano",
            entity="action_plan",
            summary=code,
            before=plan,
        )
        return not used
