"""pt-BR text of Limpeza's rules (`engine/clean.py`, `services/cleaning.py`): the reason each
field check gives, the kinds of stale contacts, the refusals of merges, archives and their
undoing, progress steps and the audit lines they write.

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations

from collections.abc import Sequence

# -- the reasons a field check gives (keys beside `engine.clean.CleanIssue`) ----------------------

ISSUE_NAME_EMPTY = "Nome vazio"
ISSUE_NAME_INVALID = "Nome sem letras"
ISSUE_CPF_INVALID = "CPF inválido"
ISSUE_CNPJ_INVALID = "CNPJ inválido"
ISSUE_DOCUMENT_INVALID = "Documento não é CPF nem CNPJ"
ISSUE_EMAIL_INVALID = "E-mail inválido"
ISSUE_PHONE_INVALID = "Telefone inválido"
ISSUE_CEP_INVALID = "CEP inválido"
ISSUE_UF_INVALID = "UF inválida"
ISSUE_CITY_UNKNOWN = "Cidade não reconhecida"

# -- stale contacts (keys beside `store.cleaning.STALE_*`) ----------------------------------------

STALE_PROSPECT = "Prospect sem contato"
STALE_FORMER = "Ex-cliente sem compra nem contato"

# -- progress ------------------------------------------------------------------------------------

PROGRESS_VALIDATING = "validando os campos"
PROGRESS_DUPLICATES = "procurando duplicados"
PROGRESS_STALE = "procurando contatos parados"
PROGRESS_MERGING = "mesclando"
PROGRESS_UNDOING_MERGES = "desfazendo mesclagens"
PROGRESS_WRITING = "gravando"
PROGRESS_DONE = "concluído"

# -- refusals ------------------------------------------------------------------------------------

NO_MERGE_NAMED = "nenhuma mesclagem indicada"
MERGE_NEEDS_TWO = "escolha ao menos dois clientes para mesclar"


def client_not_found(client: object) -> str:
    return f"cliente {client} não encontrado"


def clients_not_found(clients: Sequence[object]) -> str:
    return f"cliente não encontrado: {', '.join(map(str, clients))}"


def unknown_confidence(confidence: str) -> str:
    return f"confiança desconhecida: {confidence!r} (use alta, media ou baixa)"


def cluster_not_found(cluster_id: object) -> str:
    return f"grupo de duplicados {cluster_id} não encontrado (rode `carteira clean` de novo)"


def not_in_cluster(client_id: object, cluster_id: object) -> str:
    return f"o cliente {client_id} não está no grupo {cluster_id}"


def survivor_not_chosen(survivor_id: object) -> str:
    return f"o cliente que fica ({survivor_id}) precisa estar entre os escolhidos"


def fields_not_mergeable(fields: Sequence[str]) -> str:
    return f"campo que não se mescla: {', '.join(fields)}"


def archived_not_mergeable(codes: Sequence[str]) -> str:
    return f"cliente arquivado: {', '.join(codes)} (restaure antes de mesclar)"


def merge_not_found(merge_id: object) -> str:
    return f"mesclagem {merge_id} não encontrada"


def merge_already_undone(merge_id: object, when: str) -> str:
    return f"mesclagem {merge_id} já foi desfeita em {when}"


def undo_later_merge_first(later_id: object) -> str:
    return f"desfaça antes a mesclagem {later_id}, feita depois e com o mesmo cliente"


def merge_survivor_gone(survivor_id: object) -> str:
    return f"o cliente {survivor_id} da mesclagem não existe mais"


def internal_id_taken(internal_id: object, code: object) -> str:
    return (
        f"o código interno {internal_id} já pertence a outro cliente ({code}); não dá para desfazer"
    )


def archive_run_not_found(run_id: object) -> str:
    return f"rodada de arquivamento {run_id} não encontrada"


def archive_run_already_undone(run_id: object, when: str) -> str:
    return f"rodada de arquivamento {run_id} já foi desfeita em {when}"


def client_not_archived(code: object) -> str:
    return f"o cliente {code} não está arquivado"


# -- audit lines ---------------------------------------------------------------------------------


def audit_merged(codes: Sequence[str], survivor_code: object) -> str:
    return f"{', '.join(codes)} mesclado(s) em {survivor_code}"


def audit_merge_undone(merge_id: object) -> str:
    return f"mesclagem {merge_id} desfeita"


def audit_archived(run_id: object, reason: str) -> str:
    return f"arquivado na rodada {run_id}: {reason}"


def audit_archive_undone(run_id: object, restored: int) -> str:
    return f"rodada {run_id} desfeita: {restored} cliente(s) de volta"


AUDIT_RESTORED = "cliente restaurado do arquivo"
AUDIT_NORMALIZED = "campos normalizados"
MERGE_CANCEL_NOTE = "fusão de clientes"
"""The note on a task a merge cancels (a second open task of one plan for the survivor)."""

# -- the reasons two records look like one client (keys beside `engine.dedup.Reason`) -------------

DUPLICATE_SAME_DOCUMENT = "Mesmo CPF/CNPJ"
DUPLICATE_SAME_EMAIL = "Mesmo e-mail"
DUPLICATE_SAME_PHONE = "Mesmo telefone"
DUPLICATE_SAME_NAME_CITY = "Mesmo nome e cidade"
DUPLICATE_SOUNDS_ALIKE = "Nome com som parecido e mesma cidade"
