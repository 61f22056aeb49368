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
