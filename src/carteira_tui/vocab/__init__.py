"""The product's shared pt-BR words and sentences that label no field: error and crash messages,
confirmations, empty results, notification titles and the Clientes and Limpeza panes' lines.

Field labels live beside their fields (`fields.py`); domain values beside their enums
(`model.py`). Everything else a person reads in more than one place, or that a pane and the CLI
must say alike, is here, so a wording is changed once. It imports nothing and loads no library,
so the CLI's error path can use it without loading Polars.
"""

from __future__ import annotations


def counted(count: int, one: str, many: str) -> str:
    """`1 pedido`, `2 pedidos`, `1.234 pedidos`: the count (thousands with a dot) and the word
    that agrees with it."""
    return f"{count:,}".replace(",", ".") + f" {one if count == 1 else many}"


def merged_into(code: str, survivor: str) -> str:
    """A merged-away code asked for: its client's card is the survivor's."""
    return f"{code} foi unificado em {survivor}"


# -- titles of notifications -------------------------------------------------------------------

TITLE_ERROR = "Erro"
TITLE_CLIENTS = "Clientes"
TITLE_EXPORT = "Exportar"
TITLE_COMMAND = "Comando"
TITLE_CLEANING = "Limpeza"

# -- the keys a dialog's last line names ---------------------------------------------------------

HINT_CONFIRM = "enter confirma · esc cancela"
HINT_YES_NO = "s/enter confirma · n/esc cancela"
HINT_CHOOSE = "j/k ou setas escolhem · enter confirma · esc cancela"
HINT_CLOSE = "esc fecha"

# -- errors --------------------------------------------------------------------------------------

DATABASE_BUSY = "O banco está ocupado (outra pessoa gravando agora): nada mudou, tente de novo."


def crash_message(where: str, log_path: object) -> str:
    """The message for an unexpected failure `where` ("em `carteira audit`", "no aplicativo")
    and where its details were written."""
    return (
        f"Erro inesperado {where}: a operação não foi concluída.\n"
        f"Os detalhes técnicos foram gravados em {log_path}\n"
        "Se o erro se repetir, envie esse arquivo para quem cuida da carteira."
    )


def crash_message_without_log(where: str, reason: object) -> str:
    """The crash message when even the log could not be written."""
    return (
        f"Erro inesperado {where}: a operação não foi concluída.\n"
        f"(não foi possível gravar os detalhes: {reason})"
    )


PANE_CRASH_REASON_MAX = 40


def pane_crash(pane: str, reason: object, log_path: object | None) -> str:
    """A pane's two-line message for an unexpected failure in one of its workers: where, the
    error's own first words, and where the details were written."""
    text = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
    if len(text) > PANE_CRASH_REASON_MAX:
        text = text[: PANE_CRASH_REASON_MAX - 1] + "…"
    where = f"detalhes em {log_path}" if log_path else "não foi possível gravar os detalhes"
    return f"Erro inesperado em {pane} ({text}): nada foi concluído.\n{where}"


def import_refused(error: object) -> str:
    """An import the service refused as a whole."""
    return f"Importação recusada: {error}"


def filter_error(message: str, column: int | None = None) -> str:
    """The filter bar's error line (the caret above it is drawn by the pane)."""
    if column is None:
        return f"Erro no filtro: {message}"
    return f"Erro no filtro, coluna {column}: {message}"


def unknown_column(word: str) -> str:
    """`:ordenar` named no column."""
    return f"coluna desconhecida: {word!r}"


EXPORT_SUFFIX_REQUIRED = "use um arquivo .csv, .xlsx ou .json"

# -- empty results -------------------------------------------------------------------------------


def no_clients(search: str, filter_text: str) -> str:
    """Why the client list is empty, and the key that widens it again."""
    search, filter_text = search.strip(), filter_text.strip()
    if search and filter_text:
        return f"nenhum cliente com '{search}' neste filtro — esc limpa a busca"
    if search:
        return f"nenhum cliente com '{search}' — esc limpa a busca"
    if filter_text:
        return f"nenhum cliente atende ao filtro '{filter_text}' — esc limpa o filtro"
    return "nenhum cliente na carteira — i importa um arquivo de clientes"


NO_DUPLICATE_GROUPS = "Nenhum grupo de duplicados."
NO_INVALID_FIELDS = "Nenhum campo inválido."
NO_STALE_CONTACTS = "Nenhum contato parado para arquivar."

# -- the Clientes pane ---------------------------------------------------------------------------

LOADING_CLIENTS = "Carregando clientes…"
COMPUTING_SEGMENTATION = "calculando a segmentação…"
SEGMENTATION_FIRST = "Calculando a segmentação…"
SEGMENTATION_AGAIN = "Recalculando a segmentação…"
STALE_RECOMPUTING = "Resultado desatualizado: recalculando em segundo plano…"
NO_SORT = "Sem ordenação"
MARK_RANGE_HINT = "Marque o início com v e o fim com V."


def sorted_by(label: str, descending: bool) -> str:
    """The notification after a sort."""
    return f"Ordenado por {label} ({'decrescente' if descending else 'crescente'})"


def filter_count(count: str, with_search: bool) -> str:
    """The line under the filter: how many clients pass it (`count` already formatted)."""
    return f"{count} clientes atendem {'à busca e ao filtro' if with_search else 'ao filtro'}"


def view_saved(name: str) -> str:
    return f"Visão {name!r} salva."


def view_deleted(name: str) -> str:
    return f"Visão {name!r} apagada."


def view_opened(name: str) -> str:
    return f"Visão {name!r}"


def exporting(file_name: str) -> str:
    return f"Exportando para {file_name}…"


def exported(count: str, path: object) -> str:
    return f"{count} clientes exportados para {path}"


def importing(file_name: str) -> str:
    return f"Importando {file_name}…"
