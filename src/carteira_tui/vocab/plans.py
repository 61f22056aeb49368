"""The Planos screen's pt-BR text: its summary and detail lines, the plan form's hint and the
delete confirmation."""

from __future__ import annotations

TITLE = "Planos de ação"
NEW_PLAN = "Novo plano de ação"
NONE_YET = "Nenhum plano de ação: n cria o primeiro."
FORM_HINT = "tab muda de campo · → aceita a sugestão · enter salva · esc cancela"
DELETE_NOTE = "Um plano que já gerou tarefas é só desativado (as tarefas ficam)."
DELETED = "apagado"
DEACTIVATED = "desativado (já gerou tarefas)"
BUSINESS_DAY = ("dia útil", "dias úteis")


def next_date(label: str, day: str) -> str:
    """The summary's next date trigger."""
    return f" · próxima data: {label} em {day}"


def on_day(label: str, day: str) -> str:
    """A named date and its day: `Natal em 25/12/2026`."""
    return f"{label} em {day}"


def trigger_texts(when: str, due: str, lead: str, lead_days: int) -> list[str]:
    """A date plan's trigger, longest wording first (`lead`: the business days, counted)."""
    return [
        f"{when} · tarefas vencem {due}, {lead} antes",
        f"{when} · vencem {due} ({lead_days} du antes)",
        f"{when} · vencem {due}",
    ]


def cooldown(days: str) -> str:
    """How long a plan waits before it repeats."""
    return f"não repete por {days}"


def delete_question(code: str) -> str:
    """The confirmation before deleting a plan."""
    return f"Apagar o plano {code}?"


def changed(code: str, what: str) -> str:
    """The notification after a plan was saved or deleted."""
    return f"Plano {code} {what}."


LOADING = "Carregando planos…"


def today_tail(day: str) -> str:
    """The summary's last part: the day."""
    return f" · hoje {day}"
