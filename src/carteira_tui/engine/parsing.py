"""Parsing imported spreadsheets: header matching and Brazilian values, as Polars expressions.

Called by `services.imports`: the service reads a file into an all-text frame, matches its
headers to fields here (`match_headers`), then `parse_fields` turns the text into typed columns
plus one `_err_<field>` column per field holding the pt-BR reason a cell was rejected (or null).
A cell is bad when its raw text is non-empty but the parsed value is null. Everything is
vectorised; `date_fallback` handles the few dates the fixed formats miss with dateutil.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import polars as pl
from dateutil import parser as date_parser

from carteira_tui.errors import CarteiraError


class FieldType(StrEnum):
    """How a field's text is parsed."""

    TEXT = "text"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    INT = "int"
    UF = "uf"
    CEP = "cep"


@dataclass(frozen=True)
class FieldSpec:
    """One importable field: its type, whether a row needs it, and the header aliases."""

    name: str
    kind: FieldType
    aliases: tuple[str, ...]
    required: bool = False


def _f(name: str, kind: FieldType, *aliases: str, required: bool = False) -> FieldSpec:
    return FieldSpec(name, kind, (name.replace("_", " "), *aliases), required)


T = FieldType

CLIENT_FIELDS: tuple[FieldSpec, ...] = (
    _f(
        "external_id",
        T.TEXT,
        "codigo",
        "cod",
        "codigo do cliente",
        "cod cliente",
        "id do cliente",
        "id cliente",
        "id",
        "client id",
        "customer id",
        "codigo cliente",
        required=True,
    ),
    _f(
        "name",
        T.TEXT,
        "nome",
        "razao social",
        "nome fantasia",
        "cliente",
        "customer",
        "nome do cliente",
    ),
    _f("document", T.TEXT, "cpf", "cnpj", "cpf cnpj", "cpf/cnpj", "documento", "doc", "tax id"),
    _f("email", T.TEXT, "e mail", "e-mail", "mail", "endereco de email"),
    _f("phone", T.TEXT, "telefone", "celular", "fone", "tel", "whatsapp numero", "mobile"),
    _f("channel_pref", T.TEXT, "canal preferido", "canal", "preferred channel"),
    _f("consent_email", T.BOOL, "consentimento email", "aceita email", "optin email"),
    _f("consent_phone", T.BOOL, "consentimento telefone", "aceita telefone", "optin phone"),
    _f("consent_whatsapp", T.BOOL, "consentimento whatsapp", "aceita whatsapp", "optin whatsapp"),
    _f("consent_sms", T.BOOL, "consentimento sms", "aceita sms", "optin sms"),
    _f("opt_out", T.BOOL, "optout", "descadastrado", "nao contatar", "do not contact"),
    _f(
        "accepts_contact",
        T.BOOL,
        "aceita contato",
        "aceita contatos",
        "aceita receber contato",
        "consentimento",
        "consent",
        "accepts contact",
    ),
    _f("city", T.TEXT, "cidade", "municipio"),
    _f("uf", T.UF, "estado", "state"),
    _f("cep", T.CEP, "zip", "zip code", "codigo postal", "postal code"),
    _f(
        "birth_date",
        T.DATE,
        "data de nascimento",
        "nascimento",
        "aniversario",
        "dt nascimento",
        "birthday",
        "date of birth",
    ),
    _f("gender", T.TEXT, "genero", "sexo"),
    _f("marital_status", T.TEXT, "estado civil"),
    _f("children", T.INT, "filhos", "numero de filhos", "kids"),
    _f("life_stage", T.TEXT, "fase da vida", "estagio de vida", "momento de vida"),
    _f("income_band", T.TEXT, "faixa de renda", "renda", "income"),
    _f(
        "owner",
        T.TEXT,
        "responsavel",
        "vendedor",
        "vendedora",
        "carteira",
        "representante",
        "owner name",
    ),
    _f("pinned", T.BOOL, "fixado", "fixo", "favorito"),
    _f("delinquent", T.BOOL, "inadimplente", "inadimplencia"),
    _f("credit_restriction", T.BOOL, "restricao de credito", "restricao credito", "restricao"),
    _f("archived", T.BOOL, "arquivado", "inativo cadastro"),
    _f("tags", T.TEXT, "etiquetas", "marcadores"),
    _f("notes", T.TEXT, "observacoes", "observacao", "obs", "notas", "anotacoes"),
)

CLIENT_REFERENCE = _f(
    "client_external_id",
    T.TEXT,
    "cliente",
    "codigo do cliente",
    "cod cliente",
    "id do cliente",
    "id cliente",
    "codigo cliente",
    "client",
    "client id",
    "customer id",
    "customer",
    required=True,
)
"""The client an order or an interaction belongs to, by the client's external id."""


ORDER_FIELDS: tuple[FieldSpec, ...] = (
    _f(
        "external_id",
        T.TEXT,
        "pedido",
        "numero do pedido",
        "n pedido",
        "no pedido",
        "id do pedido",
        "codigo do pedido",
        "order id",
        "order",
    ),
    CLIENT_REFERENCE,
    _f(
        "date",
        T.DATE,
        "data",
        "data do pedido",
        "data da compra",
        "dt pedido",
        "order date",
        "emissao",
        "data de emissao",
        required=True,
    ),
    _f(
        "amount",
        T.MONEY,
        "valor",
        "total",
        "valor total",
        "valor do pedido",
        "amount",
        "value",
        required=True,
    ),
    _f("channel", T.TEXT, "canal", "canal de venda", "origem"),
)

INTERACTION_FIELDS: tuple[FieldSpec, ...] = (
    _f("external_id", T.TEXT, "id da interacao", "codigo da interacao", "interaction id"),
    CLIENT_REFERENCE,
    _f(
        "at",
        T.DATETIME,
        "data",
        "data hora",
        "data/hora",
        "quando",
        "date",
        "datetime",
        "when",
        required=True,
    ),
    _f("channel", T.TEXT, "canal", "meio"),
    _f("kind", T.TEXT, "tipo", "type"),
    _f("outcome", T.TEXT, "resultado", "result"),
    _f("note", T.TEXT, "nota", "observacao", "obs", "anotacao", "notes"),
    _f("who", T.TEXT, "quem", "responsavel", "vendedor", "usuario", "user"),
)

OWNER_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", T.TEXT, "nome", "responsavel", "vendedor", "owner", required=True),
    _f("email", T.TEXT, "e mail", "e-mail", "mail"),
    _f("capacity", T.INT, "capacidade", "capacidade de clientes"),
    _f("active", T.BOOL, "ativo", "ativa"),
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "clients": CLIENT_FIELDS,
    "orders": ORDER_FIELDS,
    "interactions": INTERACTION_FIELDS,
    "owners": OWNER_FIELDS,
}

TRUE_WORDS = ("sim", "s", "x", "1", "true", "verdadeiro", "v", "yes", "y", "t")
FALSE_WORDS = ("nao", "n", "0", "false", "falso", "f", "no")

REASONS: dict[FieldType, str] = {
    T.TEXT: "valor inválido",
    T.MONEY: "valor em dinheiro inválido",
    T.DATE: "data inválida",
    T.DATETIME: "data/hora inválida",
    T.BOOL: "sim/não inválido",
    T.INT: "número inteiro inválido",
    T.UF: "UF inválida",
    T.CEP: "CEP inválido (esperado 8 dígitos)",
}

UFS = "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split()


class HeaderError(CarteiraError, ValueError):
    """Headers that cannot be matched to fields, with a message for people."""


def normalize_header(name: str) -> str:
    """Lower case, no accents or punctuation, single spaces: `Razão Social` → `razao social`."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return " ".join(words)


def match_headers(
    headers: Sequence[str], kind: str, mapping: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map each recognised header to its field name; `mapping` (header → field) wins.

    Unknown headers are left out (ignored); a field matched twice or a required field with no
    column raises `HeaderError`.
    """
    specs = FIELDS[kind]
    field_names = {spec.name for spec in specs}
    alias_to_field: dict[str, str] = {}
    for spec in specs:
        for alias in spec.aliases:
            alias_to_field.setdefault(normalize_header(alias), spec.name)
    overrides = {normalize_header(k): v for k, v in (mapping or {}).items()}
    for header, target in overrides.items():
        if target not in field_names:
            known = ", ".join(sorted(field_names))
            raise HeaderError(f"--map {header}={target}: campo desconhecido (campos: {known})")
    matched: dict[str, str] = {}
    taken: dict[str, str] = {}
    for header in headers:
        key = normalize_header(header)
        field = overrides.get(key) or alias_to_field.get(key)
        if field is None:
            continue
        if field in taken:
            raise HeaderError(
                f"as colunas {taken[field]!r} e {header!r} correspondem ao mesmo campo "
                f"{field!r}; use --map para escolher"
            )
        taken[field] = header
        matched[header] = field
    missing = [spec.name for spec in specs if spec.required and spec.name not in taken]
    if missing:
        raise HeaderError(
            "coluna obrigatória ausente: "
            + ", ".join(missing)
            + f" (cabeçalhos: {', '.join(headers)}; use --map COLUNA=campo)"
        )
    return matched


def _clean(raw: pl.Expr) -> pl.Expr:
    """Trimmed text with empty cells as null."""
    text = raw.str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(text).otherwise(None)


def _plain(text: pl.Expr) -> pl.Expr:
    """Lower case without accents, for matching words such as `não`."""
    return text.str.to_lowercase().str.normalize("NFD").str.replace_all(r"\p{M}", "")


def money_cents_expr(raw: pl.Expr) -> pl.Expr:
    """`R$ 1.234,56`, `1234,5`, `1234.56`, `-10` → integer centavos; null when unparseable.

    A comma is the decimal mark (dots are then thousands); without a comma, dots in groups of
    three (`1.234.567`) are thousands and a single other dot is a decimal point.
    """
    text = raw.str.replace_all(r"(?i)r\$|\s|\u00a0", "").str.replace(r"^\((.*)\)$", "-$1")
    normalised = (
        pl.when(text.str.contains(",", literal=True))
        .then(text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(text.str.contains(r"^-?\d{1,3}(\.\d{3})+$"))
        .then(text.str.replace_all(".", "", literal=True))
        .otherwise(text)
    )
    parts = normalised.str.extract_groups(r"^(-?)(\d+)(?:\.(\d{1,2}))?$")
    sign = pl.when(parts.struct.field("1") == "-").then(-1).otherwise(1)
    whole = parts.struct.field("2").cast(pl.Int64, strict=False)
    cents = parts.struct.field("3").fill_null("0").str.pad_end(2, "0").cast(pl.Int64, strict=False)
    return (sign * (whole * 100 + cents)).cast(pl.Int64)


def date_expr(raw: pl.Expr) -> pl.Expr:
    """`dd/mm/aaaa`, `dd/mm/aa`, `dd-mm-aaaa`, `dd.mm.aaaa` or ISO (`aaaa-mm-dd[ hh:mm]`) → Date."""
    text = raw.str.strip_chars().str.replace_all(r"[.\-]", "/")
    day_first_long = text.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$")
    day_first_short = text.str.contains(r"^\d{1,2}/\d{1,2}/\d{2}$")
    iso = raw.str.strip_chars().str.contains(r"^\d{4}-\d{1,2}-\d{1,2}")
    return (
        pl.when(day_first_long)
        .then(text.str.to_date("%d/%m/%Y", strict=False))
        .when(day_first_short)
        .then(text.str.to_date("%d/%m/%y", strict=False))
        .when(iso)
        .then(
            raw.str.strip_chars()
            .str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})")
            .str.to_date("%Y-%m-%d", strict=False)
        )
        .otherwise(None)
    )


def datetime_expr(raw: pl.Expr) -> pl.Expr:
    """A date (any `date_expr` form) optionally followed by `hh:mm[:ss]` → Datetime (µs)."""
    text = raw.str.strip_chars().str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})T", "$1 ")
    day = date_expr(text.str.extract(r"^(\S+)"))
    clock = text.str.extract(r"^\S+\s+(\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?$")
    time = pl.coalesce(
        clock.str.to_time("%H:%M:%S", strict=False), clock.str.to_time("%H:%M", strict=False)
    )
    has_rest = text.str.contains(r"^\S+\s+\S")
    return (
        pl.when(has_rest & time.is_null())
        .then(None)
        .otherwise(day.dt.combine(time.fill_null(pl.time(0, 0, 0))))
        .cast(pl.Datetime("us"))
    )


def bool_expr(raw: pl.Expr) -> pl.Expr:
    """sim/não, s/n, x, 1/0, true/false, verdadeiro/falso → 1/0 (Int64); null otherwise."""
    word = _plain(raw.str.strip_chars())
    return (
        pl.when(word.is_in(TRUE_WORDS))
        .then(pl.lit(1, pl.Int64))
        .when(word.is_in(FALSE_WORDS))
        .then(pl.lit(0, pl.Int64))
        .otherwise(None)
    )


def int_expr(raw: pl.Expr) -> pl.Expr:
    """A whole number (`2`, `2.0` as spreadsheets write it) → Int64."""
    return raw.str.strip_chars().str.extract(r"^(-?\d+)(?:[.,]0+)?$").cast(pl.Int64, strict=False)


def uf_expr(raw: pl.Expr) -> pl.Expr:
    """A two-letter state code, upper case; null when not one of the 27."""
    code = raw.str.strip_chars().str.to_uppercase()
    return pl.when(code.is_in(UFS)).then(code).otherwise(None)


def cep_expr(raw: pl.Expr) -> pl.Expr:
    """A CEP as 8 digits (`01310-100` → `01310100`; 7 digits lost a leading zero)."""
    digits = raw.str.replace_all(r"\D", "")
    padded = pl.when(digits.str.len_chars() == 7).then("0" + digits).otherwise(digits)
    return pl.when(padded.str.len_chars() == 8).then(padded).otherwise(None)


_PARSERS = {
    T.MONEY: money_cents_expr,
    T.DATE: date_expr,
    T.DATETIME: datetime_expr,
    T.BOOL: bool_expr,
    T.INT: int_expr,
    T.UF: uf_expr,
    T.CEP: cep_expr,
}


def error_column(field: str) -> str:
    """The name of the column holding `field`'s rejection reason."""
    return f"_err_{field}"


def parse_fields(raw: pl.LazyFrame, kind: str, columns: Mapping[str, str]) -> pl.LazyFrame:
    """One typed column per matched field (from its header's text) plus `_err_<field>` reasons.

    `columns` maps header → field (from `match_headers`). The reason is "campo obrigatório
    vazio" for a required empty cell, the type's reason for a non-empty cell that does not
    parse, else null. The result has one row per input row, in order.
    """
    specs = {spec.name: spec for spec in FIELDS[kind]}
    texts: list[pl.Expr] = []
    values: list[pl.Expr] = []
    reasons: list[pl.Expr] = []
    for header, name in columns.items():
        spec = specs[name]
        text = f"_text_{name}"
        parser = _PARSERS.get(spec.kind)
        texts.append(_clean(pl.col(header).cast(pl.String)).alias(text))
        values.append((parser(pl.col(text)) if parser else pl.col(text)).alias(name))
        reasons.append(
            pl.when(pl.col(text).is_null())
            .then(pl.lit("campo obrigatório vazio" if spec.required else None, pl.String))
            .when(pl.col(name).is_null())
            .then(pl.lit(REASONS[spec.kind]))
            .otherwise(None)
            .alias(error_column(name))
        )
    # Three plain stages (text, value, reason) so each parser runs once per cell.
    return (
        raw.select(texts)
        .with_columns(values)
        .with_columns(reasons)
        .select(pl.exclude(r"^_text_.*$"))
    )


def rescue_dates(
    parsed: pl.DataFrame, raw: pl.DataFrame, kind: str, columns: Mapping[str, str]
) -> pl.DataFrame:
    """Re-parse, with dateutil (day first), the few date cells the fixed formats rejected.

    Only the distinct leftover texts go through Python, so a clean million-row file costs
    nothing here.
    """
    specs = {spec.name: spec for spec in FIELDS[kind]}
    for header, name in columns.items():
        kind_of = specs[name].kind
        if kind_of not in (T.DATE, T.DATETIME):
            continue
        failed = parsed[error_column(name)] == REASONS[kind_of]
        if not failed.any():
            continue
        texts = raw[header].cast(pl.String).str.strip_chars()
        leftovers = texts.filter(failed).unique().to_list()
        found = {k: v for k, v in date_fallback(leftovers).items() if v is not None}
        if not found:
            continue
        rescued = texts.replace_strict(found, default=None, return_dtype=pl.Date)
        if kind_of is T.DATETIME:
            rescued = rescued.cast(pl.Datetime("us"))
        use = failed & rescued.is_not_null()
        parsed = parsed.with_columns(
            pl.when(use).then(rescued).otherwise(pl.col(name)).alias(name),
            pl.when(use).then(None).otherwise(pl.col(error_column(name))).alias(error_column(name)),
        )
    return parsed


_MISSING_A = datetime(1, 1, 1)
_MISSING_B = datetime(2, 2, 2)


def date_fallback(values: Sequence[str]) -> dict[str, date | None]:
    """Parse date texts the vectorised formats missed, day first, with dateutil.

    A text must name its own day, month and year (`15 Mar 2024` parses; `15 Mar` does not).
    """
    parsed: dict[str, date | None] = {}
    for value in values:
        try:
            first = date_parser.parse(value, dayfirst=True, default=_MISSING_A)
            second = date_parser.parse(value, dayfirst=True, default=_MISSING_B)
        except (ValueError, OverflowError, TypeError):
            parsed[value] = None
            continue
        same = first.date() == second.date()
        parsed[value] = first.date() if same else None
    return parsed


CONSENT_COLUMNS = ("consent_email", "consent_phone", "consent_whatsapp", "consent_sms")


def derive_contact_consent(clients: pl.DataFrame) -> pl.DataFrame:
    """Spread one general "aceita contato" answer over opt-out and every channel's consent.

    "Não" means the person asked not to be contacted (opt_out); "Sim" is consent on every
    channel. A channel column present in the same file wins over the general answer.
    """
    if "accepts_contact" not in clients.columns:
        return clients
    accepts = pl.col("accepts_contact")
    derived = [
        (pl.coalesce(pl.col(name), accepts) if name in clients.columns else accepts).alias(name)
        for name in CONSENT_COLUMNS
    ]
    # Booleans are parsed as 1/0 Int64 (bool_expr), so "not accepts" is 1 - accepts.
    opt_out = pl.col("opt_out") if "opt_out" in clients.columns else pl.lit(None, pl.Int64)
    derived.append(pl.coalesce(opt_out, 1 - accepts).alias("opt_out"))
    return clients.with_columns(derived).drop("accepts_contact")
