"""pt-BR text of owners and assignment (`services/owners.py`, `engine/assign.py`): refusals,
progress steps, the reasons a client changes owner and the audit lines.

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations

from collections.abc import Sequence

# -- why a client changes owner (keys beside `engine.assign.Reason`) ------------------------------

REASON_UNOWNED = "sem responsável"
REASON_INACTIVE_OWNER = "responsável inativo"
REASON_ROTATION = "giro de carteira"

# -- refusals ------------------------------------------------------------------------------------

NAME_EMPTY = "o nome do responsável não pode ficar vazio"
CAPACITY_NOT_POSITIVE = "a capacidade deve ser um número inteiro maior que zero"
IDLE_NEGATIVE = "--idle deve ser um número de dias maior ou igual a zero"
NO_ACTIVE_OWNER = "não há responsáveis ativos: cadastre com `carteira owners add`"


def owner_exists(name: str) -> str:
    return f"já existe um responsável chamado {name!r}"


def owner_or_login_exists(name: str | None, login: str | None) -> str:
    return f"já existe um responsável chamado {name!r} ou com o login {login!r}"


def owner_not_found(name: str) -> str:
    return f"responsável não encontrado: {name!r}"


def client_not_found(client: str) -> str:
    return f"cliente não encontrado: {client!r}"


def pin_needs_owner(client: str) -> str:
    return f"o cliente {client} não tem responsável: rode `carteira assign` antes de fixar"


def missing_columns(what: str, missing: Sequence[str]) -> str:
    """A frame handed to the assignment without the columns it needs (a programming error)."""
    return f"{what}: faltam as colunas {', '.join(missing)}"


FRAME_CLIENTS = "clientes"
FRAME_OWNERS = "responsáveis"

# -- progress ------------------------------------------------------------------------------------

PROGRESS_READING = "lendo a carteira"
PROGRESS_ASSIGNING = "distribuindo clientes"
PROGRESS_WRITING = "gravando"
PROGRESS_DONE = "pronto"

# -- audit lines ---------------------------------------------------------------------------------


def audit_owner_added(name: str) -> str:
    return f"responsável {name} criado"


def audit_owner_changed(name: str) -> str:
    return f"responsável {name} alterado"


def audit_assigned(count: int, idle_days: int | None) -> str:
    """`idle_days` is given for a giro (rotation) run."""
    return f"{count} clientes com novo responsável" + (
        f" (giro, ociosos há {idle_days} dias)" if idle_days is not None else ""
    )


def audit_pinned(pinned: bool, owner: str | None) -> str:
    return f"cliente {'fixado em' if pinned else 'liberado de'} {owner or '—'}"


# -- who "me" is (`services/me.py`) and owners named in task commands ----------------------------

NONE_REGISTERED = "nenhum cadastrado"


def me_in_config(path: object) -> str:
    return f"`me` em {path}"


def me_not_an_owner(where: str, text: str, names: str) -> str:
    return f"{where} diz {text!r}, que não é um responsável ativo (responsáveis: {names})"


def me_unknown(login: str, variable: str, path: object, names: str) -> str:
    return (
        f"não sei qual responsável é você (login {login!r}). Defina"
        f' {variable}="Nome do responsável", ou me = "Nome" em {path},'
        f" ou associe o login: carteira owners set NOME --login {login}"
        f" (responsáveis: {names})"
    )


def owner_not_found_among(owner: str, names: str) -> str:
    return f"responsável não encontrado: {owner} (responsáveis: {names})"


# -- the task queue's description (`services/task_queue.py`) --------------------------------------

WHEN_ALL = "todas"
WHEN_TODAY = "hoje e atrasadas"
WHEN_OVERDUE = "atrasadas"
WHEN_UPCOMING = "próximas"
WHOSE_MINE = "minhas"
WHOSE_ALL = "todos os responsáveis"


def queue(when: str, whose: str) -> str:
    return f"Fila: {when} · {whose}"
