"""The app shell's pt-BR text: leaving with work open, the palette's refusals, the crash's
place and the note after a segment's card opens its clients."""

from __future__ import annotations

OPEN_REVIEW = "uma revisão de duplicados aberta"
OPEN_DIALOG = "um diálogo aberto"
QUIT_QUESTION = "Sair do carteira?"
NOT_AVAILABLE = "Esta ação não está disponível agora."
IN_THE_APP = "no aplicativo"
"""Where a crash of the app happened, as `vocab.crash_message` says it."""


def quit_note(unfinished: str) -> str:
    """The confirmation's text before leaving with work open."""
    return f"Há {unfinished}; o que não foi salvo se perde."


def not_now(action: str) -> str:
    """A palette command that does not apply now."""
    return f"{action}: não se aplica agora."


def clients_of(label: str) -> str:
    """The notification after a segment's card opened its clients."""
    return f"Clientes de {label}"
