"""The Cliente card's pt-BR text: its section titles and empty sections, the lines it builds,
its dialogs' titles and hints and what a notification says after a write."""

from __future__ import annotations

from carteira_tui.vocab import counted

TITLE = "Cliente"
LOADING = "Carregando cliente…"
NOT_FOUND = "Cliente não encontrado."
A_CLIENT = "cliente"
"""The client's name in a dialog's title before the card is loaded."""

SECTIONS: tuple[tuple[str, str], ...] = (
    ("profile", "Cadastro"),
    ("orders", "Pedidos"),
    ("tasks", "Tarefas abertas"),
    ("timeline", "Interações"),
    ("segmentation", "Segmentação"),
    ("quality", "Qualidade dos dados"),
    ("history", "Histórico de alterações"),
)
"""The card's sections, top to bottom: key, title."""

SHORT_LABELS: dict[str, str] = {
    "credit_restriction": "Restr. crédito",
    "consent_whatsapp": "Aceita WhatsApp",
    "consent_telefone": "Aceita telefone",
    "channel_pref": "Canal pref.",
    "archived_at": "Arquivado em",
}
"""Field labels shortened to fit the card's two profile columns."""

NO_HISTORY = "Nenhuma alteração registrada."
NO_ORDERS = "Nenhum pedido."
NO_TASKS = "Nenhuma tarefa aberta."
NO_INTERACTIONS = "Nenhuma interação registrada."
NO_QUALITY = "Sem verificação de qualidade."
NO_PROBLEM = " · nenhum problema encontrado"

EDIT_WHICH = "Editar qual campo?"
HINT_EMPTY_CLEARS = "vazio apaga o valor"
HINT_YES_NO = "sim ou não"
HINT_OWNER = "nome do responsável"
NOTE_PLACEHOLDER = "texto"
CONTACT_LOGGED = "Contato registrado."
NOTE_ADDED = "Nota adicionada."


def title_line(name: str, code: str, owner: str) -> str:
    """The card's first line."""
    return f"{name} · {code} · responsável {owner}"


def orders_totals(count: int, total: str, ticket: str) -> str:
    """The orders section's first line."""
    return f"{counted(count, 'pedido', 'pedidos')} · total {total} · ticket médio {ticket}"


def monthly_spend(first: str, last: str, sparkline: str, top: str) -> str:
    """The orders section's sparkline line."""
    return f"Gasto mensal {first}–{last}: {sparkline} (máx. {top})"


def more_orders(count: int) -> str:
    """The line under the latest orders when there are more."""
    return f"  … e mais {counted(count, 'pedido', 'pedidos')}"


def more_interactions(count: int) -> str:
    """The line under the latest interactions when there are more."""
    return f"… e mais {count} anteriores"


def completeness(percent: int) -> str:
    """The quality section's first line."""
    return f"Completude {percent}%"


def headline_today(why: str, headline: str) -> str:
    """The headline when the client is in today's queue: why first, as Hoje says it."""
    return f"Hoje: {why}\n{headline}"


def no_explanation(error: object) -> str:
    """The segmentation section when it could not be explained."""
    return f"Sem explicação: {error}"


def log_contact_title(name: str) -> str:
    """The contact dialog's title."""
    return f"Registrar contato com {name}"


def note_title(name: str) -> str:
    """The note dialog's title."""
    return f"Nota sobre {name}"


def field_title(label: str, name: str) -> str:
    """The edit dialog's title."""
    return f"{label} de {name}"


def field_changed(label: str) -> str:
    """The notification after a field was edited."""
    return f"{label} alterado."


def follow_up_title(name: str) -> str:
    """The follow-up dialog's title."""
    return f"Retorno para {name} em:"


def follow_up_set(day: str) -> str:
    """The notification after a follow-up was set."""
    return f"Retorno agendado para {day}."


def segment_part(segment: str) -> str:
    """The headline's segment."""
    return f"Segmento {segment}"
