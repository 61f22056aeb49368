"""The Hoje pane's pt-BR text: its filters, the choice bar's lines, the summary, the dialogs'
titles and what a notification says after a client was worked."""

from __future__ import annotations

TITLE = "Hoje"
NO_CHANNEL = "sem canal"
NO_OWNER = "sem responsável"
EVERY_OWNER = "todos os responsáveis"
LOADING = "Carregando…"

FILTERS: dict[str, str] = {
    "": "todos",
    "atrasado": "cadência atrasada",
    "whatsapp": "por WhatsApp",
    "telefone": "por telefone",
    "email": "por e-mail",
    "sms": "por SMS",
}
"""The filter keys `f` offers (the channel or "atrasado"), each with its label."""

SNOOZE_CHOICES: tuple[tuple[str, str], ...] = (
    ("amanhã", "amanhã"),
    ("+2du", "em 2 dias úteis"),
    ("+7d", "em 7 dias"),
    ("+30d", "em 30 dias"),
)
"""Snooze's one-key choices (`resolve_when` text, pt-BR label); enter opens the dialog."""

SNOOZE_DEFAULT = "amanhã"
OUTCOME_BAR = "Como foi o contato? 1–6 registra · enter observação, retorno · esc cancela"
SNOOZE_BAR = "Adiar até quando? 1–4 adia · enter outro dia · esc cancela"
PICK_OWNER = "Hoje de qual responsável?"
SEARCH_TITLE = "Buscar em Hoje"
SEARCH_PLACEHOLDER = "nome, código, tarefa ou motivo"
FILTER_TITLE = "Filtrar Hoje"


def describe(whose: str, filter_label: str, search: str) -> str:
    """`Hoje: Ana · cadência atrasada · busca "padaria"`."""
    parts = [f"Hoje: {whose}"]
    if filter_label:
        parts.append(filter_label)
    if search:
        parts.append(f'busca "{search}"')
    return " · ".join(parts)


def summary(clients: int, progress: str, day: str) -> str:
    """The line under the queue: how many clients to contact, or that there is nothing today."""
    if not clients:
        return f"Nada para hoje ({day}). t mostra todas as tarefas."
    tail = f" · {progress}" if progress else ""
    return f"{clients} clientes para contatar{tail} · {day}"


def task_due(title: str, due: str) -> str:
    """One of the client's tasks in the detail line."""
    return f"{title} (vence {due})"


def outcome_title(name: str) -> str:
    """The outcome dialog's title."""
    return f"Como foi o contato? {name}"


def snooze_title(name: str) -> str:
    """The snooze dialog's title."""
    return f"Adiar até quando? {name}"


def reassign_title(name: str) -> str:
    """The owner picker's title when reassigning a client's work."""
    return f"Reatribuir a quem? {name}"


def contact_logged(name: str, outcome: str) -> str:
    """The notification after a contact was logged."""
    return f"Contato registrado: {name} ({outcome})"


def snoozed(name: str) -> str:
    """The notification after a client's work was snoozed."""
    return f"Adiado: {name}"


def reassigned(owner: str, name: str) -> str:
    """The notification after a client's work was reassigned."""
    return f"Reatribuído a {owner}: {name}"
