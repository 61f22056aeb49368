"""The Clientes pane's pt-BR text beyond `vocab`'s shared lines: its summary, the search bar,
the command line (`:`), and the bulk, export, import and saved-views dialogs."""

from __future__ import annotations

SEARCH_PLACEHOLDER = "nome, documento, e-mail ou telefone"
NO_SORT = "(sem ordem: a da carteira)"
ALL_CLIENTS = "todos os clientes"

COMMAND_HELP = (
    "filtro EXPR · busca TEXTO · ordenar COLUNA [desc] · exportar ARQUIVO · "
    "importar clientes|pedidos|interacoes ARQUIVO · resegmentar [dd/mm/aaaa] · "
    "visao NOME · salvar NOME · limpar · q"
)
"""The command line's words, as its errors list them."""
SORT_WHAT = "ordenar o quê? ex.: :ordenar monetary desc"
EXPORT_WHERE = "exportar para onde? ex.: :exportar clientes.csv"
IMPORT_USAGE = "use :importar clientes|pedidos|interacoes ARQUIVO"
VIEW_NAME_WHICH = "qual o nome da visão?"

BULK_VALUE_PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "reassign": ("Responsável:", "nome do novo responsável"),
    "tag": ("Etiqueta:", "ex.: vip"),
    "untag": ("Etiqueta:", "etiqueta a remover"),
    "task": ("Título:", "ex.: Ligar sobre a promoção"),
}
"""Each bulk action's value: its label and placeholder."""
DUE_PLACEHOLDER = "dd/mm/aaaa, dd/mm ou +3"
INVALID_DUE = "Data inválida: use dd/mm/aaaa."

EXPORT_HINT = ".csv (;), .xlsx ou .json · enter exporta · esc cancela"
EXPORT_SUFFIX = "Use um arquivo .csv, .xlsx ou .json."

IMPORT_TITLE = "Importar arquivo"
IMPORT_PLACEHOLDER = "ex.: clientes.csv ou pedidos.xlsx"
IMPORT_HINT = "CSV ou XLSX · nada é gravado se houver linhas ruins · esc cancela"
IMPORT_FILE_REQUIRED = "Informe o arquivo."
IMPORT_REFUSED_TITLE = "Importação recusada"
IMPORT_REFUSED_HINT = "Corrija as linhas (ou use `carteira import --skip-bad`) · esc fecha"

SAVE_VIEW_TITLE = "Salvar visão"
VIEW_PLACEHOLDER = "ex.: A em risco"
VIEW_NAME_REQUIRED = "Dê um nome à visão."
SAVED_VIEWS_TITLE = "Visões salvas"
NO_SAVED_VIEWS = "Nenhuma visão salva ainda: ctrl+s salva a visão atual."


def noun(count: int) -> str:
    """`cliente` or `clientes`."""
    return "cliente" if count == 1 else "clientes"


def shown_of(shown: str, total: str) -> str:
    """The pane's summary: how many rows of how many clients."""
    return f"{shown} de {total} clientes"


def status_line(pane: str, db_name: str, as_of: str, count: str) -> str:
    """The status line at the top of every pane."""
    return f"carteira · {pane} · {db_name} · data-base {as_of} · {count} clientes"


def invalid_date(text: str) -> str:
    """The command line refused a date."""
    return f"data inválida: {text!r} (use dd/mm/aaaa)"


def type_a_command() -> str:
    """The command line was empty."""
    return f"digite um comando: {COMMAND_HELP}"


def bulk_title(count: str, number: int) -> str:
    """The bulk dialog's title."""
    return f"Ação em lote · {count} {noun(number)}"


def archive_question(count: str, number: int) -> str:
    """The confirmation before archiving the marked clients."""
    return f"Arquivar {count} {noun(number)}? Eles saem das listas e das ações."


def untag_question(tag: str, count: str, number: int) -> str:
    """The confirmation before removing a tag from the marked clients."""
    return f"Remover a etiqueta {tag!r} de {count} {noun(number)}?"


def export_title(count: str) -> str:
    """The export dialog's title."""
    return f"Exportar {count} clientes da visão atual"


FILL_THE_FIELD = "Preencha o campo."
COMMAND_PLACEHOLDER = "filtro, ordenar, exportar, importar, resegmentar, q…"
SAVE_VIEW_HINT = "mesmo nome substitui · enter salva · esc cancela"
SORT_BY = "Ordenar por"


def more_errors(count: int) -> str:
    """The line under an import's first errors."""
    return f"… e mais {count} erro(s)"
