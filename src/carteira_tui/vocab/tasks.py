"""The Tarefas pane's pt-BR text, and the contact outcomes both Tarefas and Hoje offer."""

from __future__ import annotations

OUTCOME_NO_MORE = "Não quer mais este canal"
"""The outcome that says the client no longer accepts the channel (it becomes
`no_more(<channel>)`, which `services.tasks.close_contacted` reads)."""

OUTCOMES: tuple[str, ...] = (
    "Atendeu",
    "Comprou",
    "Agendou retorno",
    "Não atendeu",
    "Sem interesse",
    OUTCOME_NO_MORE,
)
"""The outcomes of a contact, in the order the dialog and Hoje's bar number them."""


def no_more(channel: str) -> str:
    """The outcome "the client no longer accepts `channel`" (its pt-BR label)."""
    return f"Não quer mais {channel}"


TITLE = "Tarefas"
LOADING = "Carregando tarefas…"
EMPTY = "Nenhuma tarefa aberta nesta fila."
EMPTY_GENERATE = " n gera as tarefas dos planos de ação."
NO_OWNERS = "Nenhum responsável cadastrado."
CANCEL_QUESTION = "Cancelar esta tarefa?"
GENERATE_NOTE = "Nenhuma tarefa aberta é duplicada; clientes excluídos são pulados."
SNOOZE_DEFAULT = "amanhã"
OUTCOME_HINT = "1–5 conclui · enter conclui · tab observação/retorno · esc cancela"
FOLLOW_UP_PLACEHOLDER = "opcional: amanhã, +7d, seg"
INTERACTION_KIND_PLACEHOLDER = "ex.: Oferta, Pós-venda, Cobrança"
INTERACTION_OUTCOME_PLACEHOLDER = "obrigatório, ex.: Atendeu"
INTERACTION_OUTCOME_REQUIRED = "Informe o resultado do contato."
INTERACTION_HINT = "tab muda de campo · enter registra · esc cancela"
WHEN_HINT = "amanhã, +3d, seg, dd/mm"
WHEN_PLACEHOLDER = "ex.: amanhã, +3d, +2du, seg, sexta, 15/12"


def summary(shown: str, capped: bool, today: str, overdue: str, upcoming: str, day: str) -> str:
    """The line under the queue: how many tasks, by group, and the queue's day."""
    more = " mais urgentes" if capped else ""
    return (
        f"{shown}{more} tarefas · hoje {today} · atrasadas {overdue} · próximas {upcoming} · {day}"
    )


def done_title(title: str, client: str) -> str:
    """The outcome dialog's title when a task is concluded."""
    return f"Concluir: {title} — {client}"


def concluded(client: str, outcome: str, follow_up: str | None) -> str:
    """The notification after a task was concluded."""
    text = f"Concluída: {client} ({outcome})"
    return f"{text}; retorno em {follow_up}" if follow_up else text


def snooze_title(client: str) -> str:
    """The snooze dialog's title."""
    return f"Adiar até quando? {client}"


def snoozed(client: str) -> str:
    """The notification after a task was snoozed."""
    return f"Adiada: {client}"


def reassign_title(client: str) -> str:
    """The owner picker's title."""
    return f"Reatribuir a quem? {client}"


def reassigned(owner: str, client: str) -> str:
    """The notification after a task was reassigned."""
    return f"Reatribuída a {owner}: {client}"


def task_line(title: str, client: str) -> str:
    """A task and its client, in a confirmation."""
    return f"{title} — {client}"


def cancelled(client: str) -> str:
    """The notification after a task was cancelled."""
    return f"Cancelada: {client}"


def generate_question(day: str) -> str:
    """The confirmation before generating the plans' tasks."""
    return f"Gerar as tarefas dos planos de ação para {day}?"


def generated(created: int, stale: bool) -> str:
    """The notification after the plans' tasks were generated."""
    text = f"{created} tarefas criadas"
    return f"{text} (segmentação desatualizada)" if stale else text


def in_days(days: int) -> str:
    """How far a day is, in the date dialog."""
    return f"em {days} dias"
