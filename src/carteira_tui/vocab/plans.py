"""pt-BR text of action plans: what each trigger means, the refusals of a plan change (each naming
the valid choices) (`services/plans.py`), and the Planos screen's summary and detail lines, the
plan form's hint and the delete confirmation (`tui/screens/plans.py`).

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations

from collections.abc import Iterable

# -- triggers (keys beside `engine.tasks.Trigger`) ------------------------------------------------

TRIGGER_STATUS = "status (value: ativo, inativo_recente, inativo_antigo, prospect)"
TRIGGER_SEGMENT = "segmento (os segmentos que nomeiam o plano)"
TRIGGER_REPURCHASE = "recompra atrasada"
TRIGGER_COOLING = "esfriando"
TRIGGER_BIRTHDAY = "aniversário"
TRIGGER_DELINQUENT = "inadimplente (cobrança)"
TRIGGER_CADENCE = "cadência atrasada"


def trigger_date(date_names: Iterable[str]) -> str:
    """The date trigger, naming the commemorative dates it knows."""
    return (
        "data comemorativa (value: "
        + ", ".join(date_names)
        + ", dd/mm ou um dia calculado, ex.: 2º domingo de maio)"
    )


# -- refusals ------------------------------------------------------------------------------------


def unknown_trigger(trigger: object, choices: Iterable[str]) -> str:
    return f"gatilho desconhecido: {trigger!r} (gatilhos: {', '.join(choices)})"


PRIORITY_CHOICES = "prioridade deve ser H, M ou L"


def unknown_channel(channel: object, labels: Iterable[str]) -> str:
    return f"canal desconhecido: {channel!r} (canais: {', '.join(labels)})"


def negative(field: str) -> str:
    return f"{field} não pode ser negativo"


def invalid_abc(value: object) -> str:
    return f"classes ABC inválidas: {value!r} (use A, B, C)"


def unknown_status(value: object, statuses: Iterable[str]) -> str:
    return f"status desconhecido: {value!r} ({', '.join(statuses)})"


def unknown_segment(value: object, names: Iterable[str]) -> str:
    return f"segmento desconhecido: {value!r} (segmentos: {', '.join(names)})"


CODE_SHAPE = "código: 2 a 40 letras minúsculas, dígitos ou _ (ex.: natal_vip)"
TITLE_REQUIRED = "informe o título do plano"


def plan_exists(code: str) -> str:
    return f"já existe um plano {code!r}"


def unknown_plan(code: str, codes: str) -> str:
    return f"plano desconhecido: {code!r} (planos: {codes})"


# -- a segment's contact cadence (`engine/segments.py`) -------------------------------------------


def cadence_not_two_numbers(text: str) -> str:
    return f"cadência inválida: {text!r} (use IDEAL/MÁX em dias, ex.: 30/60)"


def cadence_out_of_order(text: str) -> str:
    return f"cadência inválida: {text!r} (exige 0 < ideal <= máximo)"


# -- the dates a task is due (`engine/calendar.py`, `engine/tasks.py`) ----------------------------

WHEN_HELP = (
    "use hoje, amanhã, +3d (dias), +2du (dias úteis), +1s (semanas), +1m (meses), "
    "seg…dom, dd/mm ou dd/mm/aaaa"
)


def when_empty(help_text: str) -> str:
    return f"data vazia: {help_text}"


def when_not_recognised(text: str, help_text: str) -> str:
    return f"data não reconhecida: {text!r} ({help_text})"


def date_does_not_exist(text: str) -> str:
    return f"data inexistente: {text!r}"


def unknown_commemorative_date(value: object, names: Iterable[str]) -> str:
    return (
        f"data desconhecida: {value!r} (use {', '.join(names)}, dd/mm ou um dia calculado como "
        "'2º domingo de maio' ou 'último sábado de novembro')"
    )


# -- tasks the plans generate, and the work done on them (`services/tasks.py`) -------------------

NO_SEGMENTATION = "ainda não há segmentação: rode `carteira segment` antes"
PROGRESS_SELECTING = "selecionando clientes"
PROGRESS_WRITING_TASKS = "gravando tarefas"
PROGRESS_READY = "pronto"
OUTCOME_REQUIRED = "informe o resultado do contato (--outcome)"
TASK_TITLE_REQUIRED = "informe o título da tarefa"
NEW_DATE_IN_PAST = "a nova data não pode ser no passado"


def unknown_queue_filter(when: object) -> str:
    return f"filtro desconhecido: {when}"


def client_not_found(client: object) -> str:
    return f"cliente não encontrado: {client}"


def task_not_found(task_id: object) -> str:
    return f"tarefa {task_id} não encontrada"


def task_already(task_id: object, status_label: str) -> str:
    return f"tarefa {task_id} já está {status_label}"


def audit_generated(count: int, as_of_iso: str) -> str:
    return f"{count} tarefas geradas em {as_of_iso}"


def audit_consent_refused(column: str, outcome: str) -> str:
    return f"{column}: não (contato registrado: {outcome})"


def audit_done_by_contact(task_id: object, outcome: str) -> str:
    return f"tarefa {task_id} concluída pelo contato registrado: {outcome}"


def audit_done(task_id: object, outcome: str) -> str:
    return f"tarefa {task_id} concluída: {outcome}"


# -- the Planos screen (`tui/screens/plans.py`) ---------------------------------------------------

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
