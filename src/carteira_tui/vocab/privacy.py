"""pt-BR text of the LGPD tools (`services/privacy.py`, `store/privacy.py`): refusals, progress
steps, the reasons a record is the same person, the text erased data is replaced by and the
audit lines.

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations

ERASED_REASON = "pessoa apagada a pedido (LGPD)"
NOT_INFORMED = "não informado"

# -- what erased data is replaced by (written into the rows) -------------------------------------

ANONYMOUS_NAME = "(anonimizado)"
REDACTED = "(apagado a pedido, LGPD)"

# -- why a record is the same person -------------------------------------------------------------

RECORD_ASKED = "a pessoa pedida"
RECORD_SAME_DOCUMENT = "mesmo CPF/CNPJ"
RECORD_SAME_EMAIL = "mesmo e-mail"

# -- refusals ------------------------------------------------------------------------------------


def client_not_found(client: object) -> str:
    return f"cliente não encontrado: {client}"


def database_not_found(path: object) -> str:
    return f"{path}: banco não encontrado"


def already_anonymised(client: object) -> str:
    return f"cliente {client} já foi anonimizado"


def copy_unreadable(path: object, error: object) -> str:
    return f"{path}: cópia ilegível ({error})"


def copy_not_cleaned(path: object, error: object) -> str:
    return f"{path}: cópia não pôde ser limpa ({error})"


# -- progress ------------------------------------------------------------------------------------

PROGRESS_READING = "lendo os dados da pessoa"
PROGRESS_WRITING = "gravando o arquivo"
PROGRESS_ANONYMISING = "anonimizando"
PROGRESS_CLEANING_FILES = "limpando os arquivos derivados"
PROGRESS_DONE = "concluído"

# -- audit lines ---------------------------------------------------------------------------------

AUDIT_EXPORTED = "dados pessoais exportados (LGPD)"
ERASED_ON_REQUEST = "a pedido (LGPD)"
ERASED_AGAIN_AFTER_RESTORE = "de novo após restaurar uma cópia (LGPD)"


def audit_anonymised(why: str, orders: object) -> str:
    """`why` is `ERASED_ON_REQUEST` or `ERASED_AGAIN_AFTER_RESTORE`."""
    return f"dados pessoais anonimizados {why}; {orders} pedidos mantidos como receita anônima"
