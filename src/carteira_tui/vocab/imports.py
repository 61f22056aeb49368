"""pt-BR text of imports: reading and parsing files, header matching, the checks on values and
references, and the lines an import ends with (`services/imports.py`, `engine/parsing.py`).

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations

from collections.abc import Sequence


def count_text(number: int) -> str:
    """`12.345` as people in Brazil write counts."""
    return f"{number:,}".replace(",", ".")


# -- the summary line and notes ------------------------------------------------------------------

SUMMARY_DRY_RUN = "simulação (nada gravado): "
SUMMARY_NOTHING_WRITTEN = "nada gravado: "


def summary(
    prefix: str,
    name: str,
    *,
    read: int,
    inserted: int,
    updated: int,
    unchanged: int,
    rejected: int,
    erased: int,
) -> str:
    """The pt-BR line that ends every import."""
    return (
        f"{prefix}{name}: lidas {read}, novas {inserted}, "
        f"atualizadas {updated}, iguais {unchanged}, rejeitadas {rejected}"
        + (f"; {erased} pessoas apagadas a pedido ignoradas" if erased else "")
    )


def control_characters_removed(count: int) -> str:
    return f"{count} campo(s) com caracteres de controle removidos"


def dates_read_day_first(header: str) -> str:
    """A date column whose values never say which part is the day (all ≤ 12)."""
    return (
        f"{header}: nenhuma data mostra a ordem de dia e mês (todas com os dois até 12); "
        "lidas como dia/mês/ano (dd/mm/aaaa)"
    )


def times_of_day_ignored(header: str, count: int) -> str:
    """A date column whose values carry a time of day (`03/04/2024 10:00`): only the date kept."""
    return f"{header}: horário ignorado em {count} valor(es); lida só a data"


def dates_read_month_first(header: str) -> str:
    """A date column whose values are written month first (`12/31/2024`)."""
    return f"{header}: datas lidas como mês/dia/ano (o arquivo tem datas como 12/31)"


def tags_and_notes_kept(clients: int) -> str:
    """Clients whose stored tags or notes a clients import added to instead of replacing."""
    return (
        f"{clients} cliente(s): etiquetas e observações do arquivo somadas às da ficha "
        "(nada do que já estava foi apagado)"
    )


def unused_columns(headers: Sequence[str]) -> str:
    return "colunas não usadas: " + ", ".join(headers)


def invalid_values_kept(header: str, count: int, reason: str, rows: str, more: bool) -> str:
    """Values a field's check finds invalid, kept for Limpeza; `rows` names the first ones."""
    return (
        f"{header}: {count} {reason} — mantido(s) para "
        f"revisão na Limpeza (linhas {rows}{' …' if more else ''})"
    )


def merged_codes_folded(count: int) -> str:
    return f"{count} linha(s) com código de cliente já mesclado: valem pelo cliente que ficou"


def probable_duplicate(code: str, existing: str, what: str) -> str:
    return f"{code}: provável duplicado de {existing} ({what})"


def more_probable_duplicates(hidden: int) -> str:
    return f"… e mais {hidden} prováveis duplicados"


SAME_DOCUMENT = "mesmo CPF/CNPJ"
SAME_EMAIL = "mesmo e-mail"

# -- progress ------------------------------------------------------------------------------------

PROGRESS_READING = "lendo o arquivo"
PROGRESS_PARSING = "interpretando os valores"
PROGRESS_CHECKING = "conferindo com o banco"
PROGRESS_AGGREGATES = "recalculando agregados"
PROGRESS_DONE = "concluído"

# -- refusals of a whole file --------------------------------------------------------------------


def unknown_kind(kind: str) -> str:
    return f"tipo desconhecido: {kind!r} (use clients, orders, interactions ou owners)"


def file_not_found(path: object) -> str:
    return f"{path}: arquivo não encontrado"


def not_a_file(path: object) -> str:
    return f"{path}: não é um arquivo"


def file_unreadable_os(path: object, reason: object) -> str:
    return f"{path}: não foi possível ler o arquivo ({reason})"


def file_unreadable(path: object, *, spreadsheet: bool) -> str:
    what = "uma planilha" if spreadsheet else "um CSV"
    return (
        f"{path}: arquivo ilegível: não parece {what} válido (salve-o de novo como "
        f"{'XLSX' if spreadsheet else 'CSV'} e tente outra vez)"
    )


def unknown_format(path: object, suffix: str) -> str:
    return f"{path}: formato desconhecido {suffix or '(sem extensão)'} (use CSV ou XLSX)"


def empty_file(path: object) -> str:
    return f"{path}: arquivo vazio"


def sheet_not_found(path: object, sheet: str, names: Sequence[str]) -> str:
    return f"{path}: aba {sheet!r} não encontrada (abas: {', '.join(names)})"


def spreadsheet_too_many_cells(path: object, limit: int) -> str:
    return f"{path}: planilha grande demais (mais de {count_text(limit)} células)"


def spreadsheet_not_valid(path: object) -> str:
    return f"{path}: arquivo ilegível: não parece uma planilha válida"


def spreadsheet_too_large(path: object, mib: int, limit_mib: int) -> str:
    return f"{path}: planilha grande demais ({mib} MiB descompactada; o limite é {limit_mib} MiB)"


def spreadsheet_suspicious(path: object, part: str, ratio: int) -> str:
    return f"{path}: planilha suspeita: a parte {part} se expande {ratio} vezes ao abrir"


def spreadsheet_corrupt(path: object) -> str:
    return f"{path}: planilha corrompida (salve-a de novo no Excel)"


def sheet_too_many_cells(path: object, cells: int, limit: int) -> str:
    return (
        f"{path}: planilha grande demais ({count_text(cells)} células; "
        f"o limite é {count_text(limit)})"
    )


def cell_too_long(path: object, row: int, column: str, length: int, limit: int) -> str:
    return (
        f"{path}:{row}: {column}: célula com {count_text(length)} caracteres; "
        f"o limite é {count_text(limit)}"
    )


# -- headers -------------------------------------------------------------------------------------


def map_unknown_field(header: str, target: str, known: Sequence[str]) -> str:
    return f"--map {header}={target}: campo desconhecido (campos: {', '.join(known)})"


def two_columns_one_field(first: str, second: str, field: str) -> str:
    return (
        f"as colunas {first!r} e {second!r} correspondem ao mesmo campo "
        f"{field!r}; use --map para escolher"
    )


def required_columns_missing(missing: Sequence[str], headers: Sequence[str]) -> str:
    return (
        "coluna obrigatória ausente: "
        + ", ".join(missing)
        + f" (cabeçalhos: {', '.join(headers)}; use --map COLUNA=campo)"
    )


# -- one row's errors ----------------------------------------------------------------------------


def wrong_column_count(count: int, width: int) -> str:
    return f"número de colunas errado ({count} em vez de {width})"


def repeated_in_file(what: str, first_row: int) -> str:
    """A key seen on an earlier row; `what` is one of the `KEY_*` words below."""
    return f"{what} repetido no arquivo (já na linha {first_row})"


KEY_OWNER = "responsável"
KEY_CLIENT = "código de cliente"
KEY_ORDER = "pedido"
KEY_INTERACTION = "interação"

CAPACITY_NOT_POSITIVE = "capacidade deve ser maior que zero"


def unknown_client(code: object) -> str:
    return f"cliente desconhecido: {code}"


# -- the reasons a value is refused (engine/parsing) ---------------------------------------------

INVALID_VALUE = "valor inválido"
INVALID_MONEY = "valor em dinheiro inválido"
INVALID_DATE = "data inválida"
INVALID_DATETIME = "data/hora inválida"
INVALID_BOOL = "sim/não inválido"
INVALID_INT = "número inteiro inválido"
INVALID_UF = "UF inválida"
INVALID_CEP = "CEP inválido (esperado 8 dígitos)"
TOO_LARGE = "valor acima de R$ 1 trilhão"
OUT_OF_YEARS = "ano fora de 1900–2100"
FUTURE_BIRTH = "data de nascimento no futuro"
REQUIRED_EMPTY = "campo obrigatório vazio"


# -- the demonstration, which imports the sample data (`services/demo.py`) ------------------------

SAMPLE_FOLDER_MISSING = "pasta sample_data/ não encontrada"
PROGRESS_DEMO_DATES = "trazendo as datas para hoje"
PROGRESS_DEMO_FORECAST = "ajustando a previsão"
PROGRESS_DEMO_SEGMENTING = "segmentando"
PROGRESS_DEMO_TASKS = "gerando tarefas"


def progress_demo_importing(name: str) -> str:
    return f"importando {name}"


def sample_not_imported(first_error: object) -> str:
    return f"amostra não importada: {first_error}"


def audit_demo_dates_moved(days: int) -> str:
    return f"datas da demonstração movidas {days} dias"


# -- a client's record typed by hand, its contacts, notes and returns (`services/clients.py`) ----

OUTCOME_REQUIRED = "informe o resultado do contato"
NOTE_EMPTY = "a observação está vazia"
RETURN_IN_PAST = "a data do retorno não pode ser no passado"
RETURN_TITLE = "Retorno ao cliente"
NAME_REQUIRED = "o nome não pode ficar vazio"


def client_not_found_key(client: object) -> str:
    return f"cliente não encontrado: {client}"


def field_not_editable(field: str, editable: Sequence[str]) -> str:
    return f"campo não editável: {field!r} (editáveis: {', '.join(editable)})"


def answer_yes_no(label: str, received: str | None = None) -> str:
    if received is None:
        return f"{label}: responda sim ou não"
    return f"{label}: responda sim ou não (recebido {received!r})"


def invalid_email(text: str) -> str:
    return f"e-mail inválido: {text!r} (ex.: nome@empresa.com.br, sem acentos)"


def invalid_uf(text: str) -> str:
    return f"UF inválida: {text!r} (use a sigla, ex.: SP)"


def invalid_cep(text: str) -> str:
    return f"CEP inválido: {text!r} (8 dígitos, ex.: 01310-100)"


def invalid_children(text: str) -> str:
    return f"número de filhos inválido: {text!r}"


def invalid_document(text: str) -> str:
    return f"CPF/CNPJ inválido: {text!r} (dígitos verificadores não conferem)"


def invalid_phone(text: str, *, example: bool = False) -> str:
    return f"telefone inválido: {text!r}" + (" (ex.: (11) 98765-4321)" if example else "")


def unknown_channel(text: str) -> str:
    return f"canal desconhecido: {text!r} (e-mail, telefone, WhatsApp, SMS, visita)"


def invalid_birth_date(text: str) -> str:
    return f"data de nascimento inválida: {text!r} (use dd/mm/aaaa)"


def date_does_not_exist(text: str) -> str:
    return f"data inexistente: {text!r}"


def unlikely_birth_date(text: str) -> str:
    return f"data de nascimento improvável: {text!r}"


def owner_not_found_among(name: str, names: str) -> str:
    return f"responsável não encontrado: {name!r} (há: {names})"


def audit_contact(channel: str | None, outcome: str) -> str:
    return f"contato {channel or ''} {outcome}".replace("  ", " ")


def audit_return(day: str, title: str) -> str:
    return f"retorno em {day}: {title}"
