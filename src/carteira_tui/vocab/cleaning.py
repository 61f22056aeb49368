"""The Limpeza pane's pt-BR text: its sections, the summary and detail lines, the merge,
archive and undo confirmations and what a notification says after each (the empty sections'
texts are shared with the CLI: `vocab.NO_DUPLICATE_GROUPS` and the like)."""

from __future__ import annotations

SECTION_LABELS: dict[str, str] = {
    "clusters": "Duplicados",
    "issues": "Campos inválidos",
    "stale": "Contatos parados",
}
VALIDATING = "validando os campos"
UNDOING_MERGES = "desfazendo as mesclagens"
OPEN_CLIENT = "enter abre o cliente"
PROPOSE_ARCHIVE = "x propõe arquivar todos os contatos parados · enter abre o cliente"
SUGGESTED_STAYS = " · fica (sugerido)"
MERGE_HIGH_NOTE = (
    "Cada grupo fica no cliente sugerido, com os valores sugeridos; pedidos, "
    "interações e tarefas passam para ele. Desfazer: u."
)
UNDO_NOTE = "Os clientes voltam como estavam antes."


def counted(count: str, number: int, singular: str, plural: str) -> str:
    """`1 contato`, `2.000 contatos` (`count` is `number` formatted)."""
    return f"{count} {singular if number == 1 else plural}"


def summary(clients: str, completeness: str, by_level: str) -> str:
    """The line over the sections."""
    return f"{clients} clientes · completude média {completeness} · grupos: {by_level}"


def group_line(cluster_id: int, level: str, score: str, members: int) -> str:
    """The detail's first line for a group."""
    return f"Grupo {cluster_id} · confiança {level} {score} · {members} clientes"


def member_line(mark: str, code: str, name: str, completeness: object) -> str:
    """A group's member in the detail."""
    return f"{mark} {code} {name} · completude {completeness}%"


def and_more(count: int) -> str:
    """The tail of the detail's last member when the group has more."""
    return f" · e mais {count}"


def last_activity(kind: str, day: str) -> str:
    """A stale contact's second detail line."""
    return f"{kind} · última atividade {day}"


def merge_high_question(groups: int, count: str) -> str:
    """The confirmation before merging every high-confidence group."""
    which = "o grupo" if groups == 1 else f"os {count} grupos"
    return f"Mesclar {which} de confiança alta?"


def merge_high_label(groups: str) -> str:
    """What `u` undoes after merging the high-confidence groups."""
    return f"a mesclagem de {groups} de confiança alta"


def merged_high(groups: str, clients: str) -> str:
    """The notification after merging the high-confidence groups."""
    return f"Mesclados: {groups}, {clients} (desfazer: u)"


def merge_label(clients: int, survivor: str) -> str:
    """What `u` undoes after one merge review."""
    return f"a mesclagem de {clients} clientes em {survivor}"


def merged(clients: int, survivor: str) -> str:
    """The notification after one merge review."""
    return f"Mesclados: {clients} clientes em {survivor} (desfazer: u)"


def archive_question(contacts: str) -> str:
    """The confirmation before archiving the stale contacts."""
    return f"Arquivar {contacts}?"


def archive_note(by_kind: str) -> str:
    """The confirmation's text: the stale contacts by kind."""
    return f"{by_kind}.\nArquivar não apaga nada. Desfazer: u."


def archive_label(contacts: str) -> str:
    """What `u` undoes after archiving."""
    return f"o arquivamento de {contacts}"


def archived(contacts: str) -> str:
    """The notification after archiving."""
    return f"Arquivados: {contacts} (desfazer: u)"


def undo_question(label: str) -> str:
    """The confirmation before undoing."""
    return f"Desfazer {label}?"


def undone_merge(label: str, back: str) -> str:
    """The notification after undoing merges."""
    return f"Desfeita {label} ({back} de volta)"


def undone_archive(label: str, back: str) -> str:
    """The notification after undoing an archive."""
    return f"Desfeito {label} ({back} de volta)"


GROUPS = ("grupo", "grupos")
CLIENTS = ("cliente", "clientes")
CONTACTS = ("contato", "contatos")
STALE_CONTACTS = ("contato parado", "contatos parados")
"""Singular and plural nouns `counted` takes."""
