"""The merge review's pt-BR text (Limpeza, one group of duplicates): its title lines, the
members' lines, where a kept value comes from, the confirmation and its errors."""

from __future__ import annotations

TITLE = "Mesclar"
COMBINED = "combinado de todos"
SUGGESTED = "sugerido"
YOUR_CHOICE = "escolha sua"
WHICH_STAYS = "Qual cliente fica?"
STAYS = "fica"

CONFIDENCE_LABELS: dict[str, str] = {"alta": "Alta", "media": "Média", "baixa": "Baixa"}

SHORT_REASONS: dict[str, str] = {
    "mesmo_documento": "doc.",
    "mesmo_email": "e-mail",
    "mesmo_telefone": "tel.",
    "mesmo_nome_cidade": "nome",
    "nome_fonetico": "som",
}
"""Short forms, so a group's reasons fit an 80-column line."""


def loading(cluster_id: int) -> str:
    """The title before the group is read."""
    return f"Grupo {cluster_id} · carregando…"


def not_found(cluster_id: int) -> str:
    """The title when the group could not be read."""
    return f"Grupo {cluster_id} não encontrado: recarregue a Limpeza (r)."


def title(cluster_id: int, confidence: str, score: str, reasons: str) -> str:
    """The review's first line."""
    return f"Mesclar grupo {cluster_id} · confiança {confidence} {score} · {reasons}"


def orders(count: int) -> str:
    """A member's orders: `1 pedido`, `3 pedidos`."""
    return "1 pedido" if count == 1 else f"{count} pedidos"


def owner_number(value: object) -> str:
    """An owner id with no name known."""
    return f"nº {value}"


def from_member(number: int, code: str) -> str:
    """Where the kept value comes from: a member."""
    return f"do {number} {code}"


def field_line(label: str, kept: str, source: str, why: str) -> str:
    """The line under the grid: the field, what stays, from where and why."""
    return f"{label}: fica {kept} ({source}, {why})"


def group_size(count: int) -> str:
    """A member number past the group's size."""
    return f"O grupo tem {count} clientes."


def confirm_title(count: int, survivor: str) -> str:
    """The confirmation's question."""
    return f"Mesclar {count} clientes em {survivor}?"


def confirm_text(leaving: list[str], survivor: str, changed: list[str]) -> str:
    """The confirmation's text: who leaves, where their records go, the person's own picks."""
    others = ", ".join(leaving) + (" sai" if len(leaving) == 1 else " saem")
    text = (
        f"{others}; pedidos, interações e tarefas passam para {survivor}. Desfazer: u na Limpeza."
    )
    if changed:
        text += f"\nEscolhas suas: {', '.join(changed)}."
    return text
