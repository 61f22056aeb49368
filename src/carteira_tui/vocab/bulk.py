"""pt-BR text of the bulk actions on marked clients (`services/bulk.py`, the Clientes pane's
`b`): the actions' names, the summary line, refusals, progress steps and audit lines.

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations

from collections.abc import Sequence

from carteira_tui.vocab import owners

ACTION_LABELS: dict[str, str] = {
    "reassign": "Trocar responsável",
    "tag": "Adicionar etiqueta",
    "untag": "Remover etiqueta",
    "archive": "Arquivar",
    "task": "Criar tarefa",
}
"""The bulk actions, in the order the modal lists them, with their pt-BR names."""

_DONE: dict[str, str] = {
    "reassign": "com novo responsável",
    "tag": "com a etiqueta",
    "untag": "sem a etiqueta",
    "archive": "arquivados",
    "task": "com tarefa nova",
}


def summary(action: str, changed: int, unchanged: int) -> str:
    """What a bulk action did, in one line: `12 cliente(s) arquivados · 3 já estavam assim`."""
    text = f"{changed} cliente(s) {_DONE[action]}"
    if unchanged:
        text += f" · {unchanged} já estavam assim"
    return text


# -- refusals ------------------------------------------------------------------------------------

NONE_SELECTED = "nenhum cliente selecionado"
TAG_REQUIRED = "informe a etiqueta"
ONE_TAG = "uma etiqueta por vez: sem vírgula, ponto e vírgula ou barra"
TITLE_REQUIRED = "informe o título da tarefa"
PRIORITY_CHOICES = "prioridade deve ser H, M ou L"


def clients_not_found(missing: Sequence[object]) -> str:
    """The clients asked for that do not exist (the first five, then how many more)."""
    shown = ", ".join(str(i) for i in missing[:5])
    more = f" e mais {len(missing) - 5}" if len(missing) > 5 else ""
    return f"cliente(s) não encontrado(s): {shown}{more}"


def tag_too_long(limit: int) -> str:
    return f"etiqueta longa demais (máximo {limit} caracteres)"


def owner_not_found(owner: str, known: Sequence[str] | None = None) -> str:
    """No owner called `owner`; with `known`, the first names there are."""
    text = owners.owner_not_found(owner)
    return text if known is None else f"{text} (há: {', '.join(known) or 'nenhum cadastrado'})"


def unknown_action(action: str) -> str:
    return f"ação em lote desconhecida: {action!r}"


# -- progress and audit lines --------------------------------------------------------------------

PROGRESS_REASSIGNING = "trocando o responsável"
PROGRESS_TAGGING = "gravando as etiquetas"
PROGRESS_ARCHIVING = "arquivando"
PROGRESS_TASKS = "criando tarefas"
AUDIT_ARCHIVED = "arquivado em lote"


def audit_owner(before: str | None, after: str) -> str:
    return f"responsável: {before or '—'} → {after}"


def audit_tag(tag: str, *, added: bool) -> str:
    return f"etiqueta {tag!r} {'adicionada' if added else 'removida'}"
