"""pt-BR errors of the store (`store/db.py`, `store/files.py`, `store/segments.py`,
`store/maintenance.py`): opening the database, refused writes and outputs, segments and plans
that do not exist, and the names of the integrity checks.

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations

from collections.abc import Sequence

# -- the database --------------------------------------------------------------------------------

READ_ONLY = "modo somente leitura: nada foi alterado"
BUSY = (
    "o banco está ocupado por outra gravação (outra pessoa ou uma importação); "
    "nada foi alterado, tente de novo em instantes"
)


def database_not_found(path: object, *, read_only: bool = False) -> str:
    return f"{path}: banco não encontrado" + (" (modo somente leitura)" if read_only else "")


def not_a_database(path: object, error: object) -> str:
    return f"{path}: não é um banco do carteira ({error})"


def read_only_needs_migration(path: object) -> str:
    return (
        f"{path}: modo somente leitura, mas o banco precisa ser atualizado para esta"
        " versão do carteira; abra-o uma vez sem --read-only"
    )


# -- output files --------------------------------------------------------------------------------


def output_is_database(target: object) -> str:
    return f"{target}: é o banco de dados (ou um arquivo dele); escolha outro arquivo de saída"


def output_is_folder(target: object) -> str:
    return f"{target}: é uma pasta; informe o nome de um arquivo"


def output_folder_missing(target: object, folder: object) -> str:
    return f"{target}: a pasta {folder} não existe (crie-a antes; nada foi gravado)"


def output_exists(target: object) -> str:
    return f"{target}: o arquivo já existe; escolha outro nome ou use --force para substituí-lo"


# -- segments and plans --------------------------------------------------------------------------


def segment_not_found(name: str, names: str) -> str:
    return f"segmento não encontrado: {name!r} (segmentos: {names})"


def unknown_plan(plan: str, codes: Sequence[str]) -> str:
    return f"plano desconhecido: {plan!r} (planos: {', '.join(codes)})"


def segment_exists(name: str) -> str:
    return f"já existe um segmento chamado {name!r}"


# -- integrity checks (keys of `store.maintenance.INVARIANTS`) ------------------------------------

CHECK_ORPHAN_ORDERS = "pedidos sem cliente"
CHECK_ORPHAN_INTERACTIONS = "interações sem cliente"
CHECK_AGGREGATES = "agregados que não batem com os pedidos"

# -- backups and checks (`services/maintenance.py`) -----------------------------------------------


def file_not_found(path: object) -> str:
    return f"{path}: arquivo não encontrado"


def copy_has_problems(path: object, problem: object) -> str:
    return f"{path}: cópia com problemas, nada foi restaurado: {problem}"


# -- exports (`services/export.py`) ---------------------------------------------------------------


def unknown_export_format(name: str) -> str:
    return f"formato desconhecido: {name!r} (use .csv, .xlsx ou .json)"


NO_SEGMENTATION_YET = "nenhuma segmentação calculada ainda: rode `carteira segment`"
PROGRESS_WRITING = "gravando o arquivo"
PROGRESS_DONE = "concluído"


def could_not_write(path: object, reason: object) -> str:
    return f"não foi possível gravar {path}: {reason}"


# -- the segmentation cache's files (`store/cache.py`) --------------------------------------------

CACHE_REBUILDING = "Reconstruindo o cache a partir dos pedidos…"
CACHE_UPDATING = "Atualizando o cache com as mudanças…"


def cache_run_without_full(name: str) -> str:
    return f"{name}: não nomeia o arquivo completo da execução"


def cache_full_gone(name: str, over: str) -> str:
    return f"{name}: {over} não existe mais"


def cache_columns_differ(name: str, over: str) -> str:
    return f"{name}: colunas diferentes de {over}"


def cache_not_a_table(path: object) -> str:
    return f"{path}: não é uma tabela"


def cache_not_a_column(path: object, name: str) -> str:
    return f"{path}: {name} não é uma coluna"
