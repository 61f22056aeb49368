"""pt-BR errors of the filter language (`engine/filters.py`): each names what was expected and
what came. Field names and descriptions stay beside the language's field catalogue.

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations


def at_column(column: int, message: str) -> str:
    """A filter error as one line (the caret is drawn by whoever shows the text)."""
    return f"coluna {column}: {message}"


END_OF_FILTER = "o fim do filtro"
EMPTY_FILTER = "filtro vazio: escreva um campo, por exemplo status = ativo"
UNMATCHED_CLOSE = "')' sem '(' correspondente"
TOO_NESTED = "filtro aninhado demais"
UNCLOSED_PARENTHESIS = "parêntese aberto aqui não foi fechado"
UNCLOSED_LIST = "lista aberta aqui não foi fechada com ')'"
NUMBER_TOO_LARGE = "número grande demais"
UNIT_EXPECTED = "esperava uma unidade (dias, semanas, meses, anos)"
SMALL_WHOLE_NUMBER = "use um número inteiro e pequeno de dias, meses ou anos"
TAG_EXPECTED = "esperava uma etiqueta entre aspas"
NULL_OR_EMPTY = "'null' ou 'vazio'"

OPS_ORDERED = "=, !=, <, <=, >, >="
OPS_BOOL = "=, != ou o campo sozinho"
OPS_TAGS = "has, ~ ou ="
OPS_TEXT = "=, !=, ~ ou in"


def unclosed_quote(char: str) -> str:
    return f"texto entre aspas sem fechar a aspa {char}"


def unexpected_character(char: str) -> str:
    return f"caractere inesperado '{char}'"


def expected_and_or_end_word(word: str) -> str:
    """Two bare words in a row: most likely a value with a space, unquoted."""
    return (
        f"esperava 'e', 'ou' ou o fim do filtro, veio '{word}'; "
        'valores com espaço vão entre aspas: "São Paulo"'
    )


def expected_and_or_end(came: str) -> str:
    return f"esperava 'e', 'ou' ou o fim do filtro, veio {came}"


def expected(what: str, came: str) -> str:
    """`esperava ')', veio …` and the like; `what` is the filter's own syntax."""
    return f"esperava {what}, veio {came}"


def expected_field(came: str, fields: str) -> str:
    return f"esperava um campo, veio {came}; campos: {fields}"


def unknown_field(word: str, close: str | None, fields: str) -> str:
    hint = f"; você quis dizer '{close}'?" if close else ""
    return f"campo desconhecido '{word}'{hint} Campos: {fields}"


def expected_operator(field: str, came: str | None = None) -> str:
    if came is None:
        return f"esperava um operador depois de '{field}' (=, >, in, ~ …)"
    return f"esperava um operador depois de '{field}', veio {came}"


def expected_open_after(word: str) -> str:
    return f"esperava '(' depois de '{word}'"


def expected_value_after(word: str, came: str | None = None) -> str:
    if came is None:
        return f"esperava um valor depois de '{word}'"
    return f"esperava um valor depois de '{word}', veio '{came}'"


def expected_number_after_sign(came: str) -> str:
    return f"esperava um número depois do sinal, veio {came}"


def invalid_date(text: str) -> str:
    return f"data inválida '{text}' (use dd/mm/aaaa)"


def too_long(limit: int) -> str:
    return f"filtro longo demais (máximo {limit:,} caracteres)".replace(",", ".")


def field_not_in_data(field: str) -> str:
    return f"o campo '{field}' não existe nestes dados"


def not_a_yes_no(field: str) -> str:
    return f"'{field}' não é sim/não: compare com um valor"


def in_not_allowed(field: str, kind: str) -> str:
    return f"'in' não vale para o campo '{field}' ({kind})"


def has_only_for_tags(field: str) -> str:
    return f"'has' só vale para tags, não para '{field}'"


def operator_not_allowed(field: str, kind: str, op: str, allowed: str) -> str:
    return f"o campo '{field}' é {kind} e não aceita '{op}'; use {allowed}"


def text_needs_quotes(field: str) -> str:
    return f"'{field}' é texto: escreva o valor entre aspas"


def unknown_value(value: str, field: str, allowed: str) -> str:
    return f"valor '{value}' não existe para '{field}'; valores: {allowed}"


def expected_number_for(field: str, came: str) -> str:
    return f"esperava um número para '{field}', veio '{came}'"


def date_not_in_calendar(text: str) -> str:
    return f"data fora do calendário: '{text}'"


def expected_date_for(field: str, came: str) -> str:
    return f"esperava uma data para '{field}' (dd/mm/aaaa, hoje, -6 meses), veio '{came}'"


def expected_yes_no_for(field: str, came: str) -> str:
    return f"'{field}' é sim/não, veio '{came}'"


# -- saved views and exports: a filter and a sort (`services/views.py`, `services/export.py`) ----

VIEW_NAME_REQUIRED = "dê um nome à visão"


def view_name_too_long(limit: int) -> str:
    return f"nome longo demais (máximo {limit} caracteres)"


def invalid_filter(message: str, column: int | None = None) -> str:
    if column is None:
        return f"filtro inválido: {message}"
    return f"filtro inválido, coluna {column}: {message}"


def unknown_sort_column(column: str) -> str:
    return f"coluna de ordenação desconhecida: {column}"


def view_not_found(name: str) -> str:
    return f"visão não encontrada: {name}"


def audit_view_saved(name: str) -> str:
    return f"visão {name!r} salva"


def audit_view_deleted(name: str) -> str:
    return f"visão {name!r} apagada"
