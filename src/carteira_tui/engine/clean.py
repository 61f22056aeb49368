"""Limpeza (DESIGN.md step 2): field normalisers, validators and the completeness score.

Called by the cleaning service (which keeps the raw values and stores the flagged issues) and by
`engine.dedup` (which blocks on the normalised keys). Nothing is silently dropped: every
normaliser yields the normalised value, or null, plus an issue code per field (`ISSUE_LABELS`
gives the pt-BR label). Everything is Polars expressions except the phone validity/type check,
which calls `phonenumbers` once per DISTINCT candidate number.

Decisions:
- Phones: digits are canonicalised in Polars (country code 55, trunk 0 and carrier codes
  dropped). A 10-digit national number whose subscriber part starts with 6-9 is a mobile written
  before the 2016 ninth-digit change: a 9 is inserted after the DDD. Landlines start with 2-5 and
  are left alone. A number written with `+` and another country code is kept as foreign.
- CEP: 8 digits, shown `00000-000`; 7 digits get the leading zero back (spreadsheets drop it).
- Names: trimmed, spaces collapsed, proper case; particles da/de/do/dos/das/e stay lower; the legal
  suffixes LTDA, S.A., S/A, ME, EPP, EIRELI stay upper.
- Cities: matched ignoring case and accents against `MUNICIPALITIES` (capitals and large
  cities); a match takes the canonical spelling, an unknown city is kept (proper-cased) and
  flagged `cidade_nao_reconhecida`, never rejected.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

import phonenumbers
import polars as pl

from carteira_tui.engine.documents import (
    CNPJ_LENGTH,
    CPF_LENGTH,
    cnpj_is_valid_expr,
    cpf_is_valid_expr,
    document_key_expr,
    document_kind_expr,
)
from carteira_tui.fields import EMAIL_PATTERN
from carteira_tui.fields import UFS as FIELD_UFS
from carteira_tui.model import Col
from carteira_tui.vocab import cleaning_rules as words


class CleanIssue(StrEnum):
    """Issue codes a normaliser can raise, one per field at most (stored as such)."""

    NOME_VAZIO = "nome_vazio"
    NOME_INVALIDO = "nome_invalido"
    CPF_INVALIDO = "cpf_invalido"
    CNPJ_INVALIDO = "cnpj_invalido"
    DOCUMENTO_INVALIDO = "documento_invalido"
    EMAIL_INVALIDO = "email_invalido"
    TELEFONE_INVALIDO = "telefone_invalido"
    CEP_INVALIDO = "cep_invalido"
    UF_INVALIDA = "uf_invalida"
    CIDADE_NAO_RECONHECIDA = "cidade_nao_reconhecida"


ISSUE_LABELS: dict[str, str] = {
    CleanIssue.NOME_VAZIO: words.ISSUE_NAME_EMPTY,
    CleanIssue.NOME_INVALIDO: words.ISSUE_NAME_INVALID,
    CleanIssue.CPF_INVALIDO: words.ISSUE_CPF_INVALID,
    CleanIssue.CNPJ_INVALIDO: words.ISSUE_CNPJ_INVALID,
    CleanIssue.DOCUMENTO_INVALIDO: words.ISSUE_DOCUMENT_INVALID,
    CleanIssue.EMAIL_INVALIDO: words.ISSUE_EMAIL_INVALID,
    CleanIssue.TELEFONE_INVALIDO: words.ISSUE_PHONE_INVALID,
    CleanIssue.CEP_INVALIDO: words.ISSUE_CEP_INVALID,
    CleanIssue.UF_INVALIDA: words.ISSUE_UF_INVALID,
    CleanIssue.CIDADE_NAO_RECONHECIDA: words.ISSUE_CITY_UNKNOWN,
}


class PhoneKind(StrEnum):
    """Line type of a valid phone (pt-BR values)."""

    CELULAR = "celular"
    FIXO = "fixo"
    OUTRO = "outro"


# The fields a client record is cleaned on; missing input columns are treated as null.
CLEAN_FIELDS: tuple[str, ...] = ("name", "document", "email", "phone", "city", "uf", "cep")

# Completeness score weights (sum 100): a field counts when its normalised value is not null.
COMPLETENESS_WEIGHTS: dict[str, int] = {
    "name": 15,
    "document": 20,
    "email": 15,
    "phone": 20,
    "city": 10,
    "uf": 10,
    "cep": 10,
}

PARTICLES: tuple[str, ...] = ("da", "de", "do", "dos", "das", "e")

UFS = FIELD_UFS
"""The 27 UFs, code → name (from the field registry)."""

# State capitals and the largest municipalities (IBGE), "Name/UF"; unambiguous names only.
MUNICIPALITIES: tuple[str, ...] = (
    "Rio Branco/AC",
    "Maceió/AL",
    "Macapá/AP",
    "Manaus/AM",
    "Salvador/BA",
    "Fortaleza/CE",
    "Brasília/DF",
    "Vitória/ES",
    "Goiânia/GO",
    "São Luís/MA",
    "Cuiabá/MT",
    "Campo Grande/MS",
    "Belo Horizonte/MG",
    "Belém/PA",
    "João Pessoa/PB",
    "Curitiba/PR",
    "Recife/PE",
    "Teresina/PI",
    "Rio de Janeiro/RJ",
    "Natal/RN",
    "Porto Alegre/RS",
    "Porto Velho/RO",
    "Boa Vista/RR",
    "Florianópolis/SC",
    "São Paulo/SP",
    "Aracaju/SE",
    "Palmas/TO",
    "Guarulhos/SP",
    "Campinas/SP",
    "São Gonçalo/RJ",
    "Duque de Caxias/RJ",
    "São Bernardo do Campo/SP",
    "Nova Iguaçu/RJ",
    "Santo André/SP",
    "Osasco/SP",
    "Jaboatão dos Guararapes/PE",
    "São José dos Campos/SP",
    "Ribeirão Preto/SP",
    "Uberlândia/MG",
    "Contagem/MG",
    "Sorocaba/SP",
    "Aparecida de Goiânia/GO",
    "Feira de Santana/BA",
    "Joinville/SC",
    "Juiz de Fora/MG",
    "Londrina/PR",
    "Ananindeua/PA",
    "Niterói/RJ",
    "Belford Roxo/RJ",
    "Caxias do Sul/RS",
    "Campos dos Goytacazes/RJ",
    "Serra/ES",
    "Vila Velha/ES",
    "Mauá/SP",
    "São João de Meriti/RJ",
    "Santos/SP",
    "Mogi das Cruzes/SP",
    "Betim/MG",
    "Diadema/SP",
    "Jundiaí/SP",
    "Campina Grande/PB",
    "Olinda/PE",
    "Maringá/PR",
    "Montes Claros/MG",
    "Carapicuíba/SP",
    "Piracicaba/SP",
    "Cariacica/ES",
    "Bauru/SP",
    "Itaquaquecetuba/SP",
    "São Vicente/SP",
    "Canoas/RS",
    "Caucaia/CE",
    "Franca/SP",
    "Pelotas/RS",
    "Anápolis/GO",
    "Ponta Grossa/PR",
    "Blumenau/SC",
    "Vitória da Conquista/BA",
    "Paulista/PE",
    "Petrolina/PE",
    "Uberaba/MG",
    "Ribeirão das Neves/MG",
    "Guarujá/SP",
    "Cascavel/PR",
    "Petrópolis/RJ",
    "Santarém/PA",
    "Taubaté/SP",
    "Limeira/SP",
    "Camaçari/BA",
    "Praia Grande/SP",
    "Suzano/SP",
    "Governador Valadares/MG",
    "Mossoró/RN",
    "Volta Redonda/RJ",
    "Gravataí/RS",
    "Várzea Grande/MT",
    "Foz do Iguaçu/PR",
    "Caruaru/PE",
    "Imperatriz/MA",
    "Juazeiro do Norte/CE",
    "Ipatinga/MG",
    "Sete Lagoas/MG",
    "Viamão/RS",
    "Novo Hamburgo/RS",
    "São José do Rio Preto/SP",
    "Macaé/RJ",
    "Marabá/PA",
    "São José dos Pinhais/PR",
    "Itabuna/BA",
    "Barueri/SP",
    "Embu das Artes/SP",
    "Colombo/PR",
    "Sumaré/SP",
    "Palhoça/SC",
    "São José/SC",
    "Chapecó/SC",
    "Criciúma/SC",
    "Itajaí/SC",
    "Santa Maria/RS",
    "Parnamirim/RN",
    "Dourados/MS",
    "Rondonópolis/MT",
    "Arapiraca/AL",
    "Divinópolis/MG",
    "Americana/SP",
    "Indaiatuba/SP",
    "Presidente Prudente/SP",
    "Araraquara/SP",
    "São Carlos/SP",
    "Cabo Frio/RJ",
    "Angra dos Reis/RJ",
    "Lauro de Freitas/BA",
    "Juazeiro/BA",
    "Parauapebas/PA",
    "Rio Verde/GO",
    "Sobral/CE",
    "Maracanaú/CE",
    "Hortolândia/SP",
    "Cotia/SP",
    "Jacareí/SP",
    "Marília/SP",
    "Itapevi/SP",
    "Guarapuava/PR",
    "Toledo/PR",
    "Luziânia/GO",
    "Águas Lindas de Goiás/GO",
)

_EMAIL_PATTERN = EMAIL_PATTERN  # the registry's one rule for e-mails
_COMPANY_SUFFIXES: tuple[tuple[str, str], ...] = (
    (r"(?i)\bltda\b", "LTDA"),
    (r"(?i)\beireli\b", "EIRELI"),
    (r"(?i)\bepp\b", "EPP"),
    (r"(?i)\bs\s*/\s*a\b", "S/A"),
    (r"(?i)\bs\.\s*a\b\.?", "S.A."),
    (r"(?i)\bme$", "ME"),
)


def squish_expr(raw: pl.Expr) -> pl.Expr:
    """Trim and collapse runs of whitespace into one space; empty becomes null."""
    squished = raw.str.replace_all(r"\s+", " ").str.strip_chars()
    return squished.replace("", None)


def fold_expr(raw: pl.Expr) -> pl.Expr:
    """Comparison key: lower case, no accents, spaces squished (`São  PAULO` -> `sao paulo`)."""
    return squish_expr(raw.str.to_lowercase().str.normalize("NFD").str.replace_all(r"\p{M}", ""))


def proper_name_expr(raw: pl.Expr) -> pl.Expr:
    """Proper case with pt-BR particles lower and company legal suffixes upper."""
    name = squish_expr(raw).str.to_titlecase()
    for particle in PARTICLES:
        titled = f" {particle.capitalize()} "
        # twice: adjacent particles ("Dos E") share the space the first match consumed
        name = name.str.replace_all(titled, f" {particle} ", literal=True)
        name = name.str.replace_all(titled, f" {particle} ", literal=True)
    for pattern, suffix in _COMPANY_SUFFIXES:
        name = name.str.replace_all(pattern, suffix)
    return name


def name_columns(name: pl.Expr) -> list[pl.Expr]:
    """`name_norm` and `name_issue` from `proper_name_expr`'s output.

    Empty is `nome_vazio`, no letter at all is `nome_invalido`.
    """
    has_letter = name.str.contains(r"\p{L}")
    return [
        pl.when(has_letter).then(name).alias("name_norm"),
        pl.when(name.is_null())
        .then(pl.lit(CleanIssue.NOME_VAZIO.value))
        .when(~has_letter)
        .then(pl.lit(CleanIssue.NOME_INVALIDO.value))
        .alias("name_issue"),
    ]


def document_columns(key: pl.Expr) -> list[pl.Expr]:
    """`document_norm` (valid only), `document_kind`, `document_issue` from `document_key_expr`.

    Pass a column holding the key rather than the expression: the check digits read it ~60 times.
    """
    length = key.str.len_chars()
    cpf_ok = cpf_is_valid_expr(key)
    cnpj_ok = cnpj_is_valid_expr(key)
    valid = ((length == CPF_LENGTH) & cpf_ok) | ((length == CNPJ_LENGTH) & cnpj_ok)
    return [
        pl.when(valid).then(key).alias("document_norm"),
        pl.when(valid).then(document_kind_expr(key)).alias("document_kind"),
        pl.when(key.is_null() | valid)
        .then(pl.lit(None, dtype=pl.String))
        .when(length == CPF_LENGTH)
        .then(pl.lit(CleanIssue.CPF_INVALIDO.value))
        .when(length == CNPJ_LENGTH)
        .then(pl.lit(CleanIssue.CNPJ_INVALIDO.value))
        .otherwise(pl.lit(CleanIssue.DOCUMENTO_INVALIDO.value))
        .alias("document_issue"),
    ]


def email_columns(raw: pl.Expr) -> list[pl.Expr]:
    """`email_norm` (trimmed, lower case, syntax checked; no network) and `email_issue`."""
    email = squish_expr(raw).str.to_lowercase().str.strip_prefix("mailto:")
    valid = email.str.contains(_EMAIL_PATTERN) & (email.str.len_chars() <= 254)
    return [
        pl.when(valid).then(email).alias("email_norm"),
        pl.when(email.is_not_null() & ~valid)
        .then(pl.lit(CleanIssue.EMAIL_INVALIDO.value))
        .alias("email_issue"),
    ]


def cep_columns(raw: pl.Expr) -> list[pl.Expr]:
    """`cep_norm` as `00000-000` and `cep_issue` (7 digits regain the leading zero)."""
    digits = raw.str.replace_all(r"\D", "")
    padded = pl.when(digits.str.len_chars() == 7).then(pl.concat_str(pl.lit("0"), digits))
    digits = padded.otherwise(digits)
    valid = (digits.str.len_chars() == 8) & (digits != "00000000")
    present = squish_expr(raw).is_not_null()
    return [
        pl.when(valid)
        .then(pl.concat_str(digits.str.slice(0, 5), pl.lit("-"), digits.str.slice(5, 3)))
        .alias("cep_norm"),
        pl.when(present & ~valid.fill_null(False))
        .then(pl.lit(CleanIssue.CEP_INVALIDO.value))
        .alias("cep_issue"),
    ]


def uf_columns(raw: pl.Expr) -> list[pl.Expr]:
    """`uf_norm` (one of the 27, from the code or the state's name) and `uf_issue`."""
    by_key = {code.lower(): code for code in UFS}
    by_key |= {_fold_str(state): code for code, state in UFS.items()}
    folded = fold_expr(raw)
    uf = folded.replace_strict(by_key, default=None, return_dtype=pl.String)
    return [
        uf.alias("uf_norm"),
        pl.when(folded.is_not_null() & uf.is_null())
        .then(pl.lit(CleanIssue.UF_INVALIDA.value))
        .alias("uf_issue"),
    ]


def city_columns(raw: pl.Expr) -> list[pl.Expr]:
    """`city_norm` (canonical spelling if known, else proper-cased input) and `city_issue`."""
    canonical = {_fold_str(entry.split("/")[0]): entry.split("/")[0] for entry in MUNICIPALITIES}
    folded = fold_expr(raw)
    known = folded.replace_strict(canonical, default=None, return_dtype=pl.String)
    return [
        pl.coalesce(known, proper_name_expr(raw)).alias("city_norm"),
        pl.when(folded.is_not_null() & known.is_null())
        .then(pl.lit(CleanIssue.CIDADE_NAO_RECONHECIDA.value))
        .alias("city_issue"),
    ]


def phone_candidate_expr(raw: pl.Expr) -> pl.Expr:
    """The number in `+<digits>` form for Brazil (ninth digit added) or as written if foreign.

    This is also the phone blocking key of `engine.dedup`; validity is `phone_facts`'s job.
    """
    text = raw.str.strip_chars()
    digits = text.str.replace_all(r"\D", "")
    length = digits.str.len_chars()
    foreign = text.str.starts_with("+") & ~digits.str.starts_with("55")
    national = (
        pl.when(digits.str.starts_with("55") & length.is_in([12, 13]))
        .then(digits.str.slice(2))
        .when(digits.str.starts_with("0") & length.is_in([13, 14]))
        .then(digits.str.slice(3))
        .when(digits.str.starts_with("0") & length.is_in([11, 12]))
        .then(digits.str.slice(1))
        .otherwise(digits)
    )
    missing_ninth = (national.str.len_chars() == 10) & national.str.slice(2, 1).is_in(
        ["6", "7", "8", "9"]
    )
    national = (
        pl.when(missing_ninth)
        .then(pl.concat_str(national.str.slice(0, 2), pl.lit("9"), national.str.slice(2)))
        .otherwise(national)
    )
    return (
        pl.when(length == 0)
        .then(pl.lit(None, dtype=pl.String))
        .when(foreign)
        .then(pl.concat_str(pl.lit("+"), digits))
        .when(national.str.len_chars().is_in([10, 11]))
        .then(pl.concat_str(pl.lit("+55"), national))
        .otherwise(pl.concat_str(pl.lit("+"), digits))
    )


PHONE_FACTS_SCHEMA: dict[str, type[pl.DataType]] = {
    "phone_candidate": pl.String,
    "phone_norm": pl.String,
    "phone_kind": pl.String,
}

_PHONE_KINDS: dict[int, str] = {
    phonenumbers.PhoneNumberType.MOBILE: PhoneKind.CELULAR.value,
    phonenumbers.PhoneNumberType.FIXED_LINE: PhoneKind.FIXO.value,
}


def phone_facts(candidates: pl.DataFrame) -> pl.DataFrame:
    """E.164 and line type from `phonenumbers` for each row of a frame of DISTINCT candidates.

    The one per-value library call of the Limpeza; `normalized_clients` feeds it `unique()`
    candidates so its cost grows with distinct numbers, not rows.
    """
    normalised: list[str | None] = []
    kinds: list[str | None] = []
    for candidate in candidates["phone_candidate"]:
        e164, kind = _phone_fact(candidate)
        normalised.append(e164)
        kinds.append(kind)
    return pl.DataFrame(
        {
            "phone_candidate": candidates["phone_candidate"],
            "phone_norm": normalised,
            "phone_kind": kinds,
        },
        schema=PHONE_FACTS_SCHEMA,
    )


def _phone_fact(candidate: str | None) -> tuple[str | None, str | None]:
    if candidate is None:
        return None, None
    try:
        number = phonenumbers.parse(candidate, "BR")
    except phonenumbers.NumberParseException:
        return None, None
    if not phonenumbers.is_valid_number(number):
        return None, None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, _PHONE_KINDS.get(phonenumbers.number_type(number), PhoneKind.OUTRO.value)


def phone_display_expr(e164: pl.Expr) -> pl.Expr:
    """`(11) 91234-5678` / `(11) 3456-7890` for Brazilian E.164, the E.164 itself otherwise."""
    national = e164.str.strip_prefix("+55")
    split_at = national.str.len_chars() - 4
    return (
        pl.when(e164.str.starts_with("+55"))
        .then(
            pl.concat_str(
                pl.lit("("),
                national.str.slice(0, 2),
                pl.lit(") "),
                national.str.slice(2, split_at - 2),
                pl.lit("-"),
                national.str.slice(split_at),
            )
        )
        .otherwise(e164)
    )


def completeness_expr(weights: dict[str, int] | None = None) -> pl.Expr:
    """0-100: the sum of `COMPLETENESS_WEIGHTS` of the fields whose `<field>_norm` is not null."""
    chosen = COMPLETENESS_WEIGHTS if weights is None else weights
    return (
        pl.sum_horizontal(
            [
                pl.col(f"{field}_norm").is_not_null().cast(pl.Int64) * w
                for field, w in chosen.items()
            ]
        )
        .cast(pl.Int64)
        .alias("completeness")
    )


NORMALIZED_COLUMNS: tuple[str, ...] = (
    Col.CLIENT_ID,
    "name_norm",
    "name_issue",
    "document_norm",
    "document_kind",
    "document_issue",
    "email_norm",
    "email_issue",
    "phone_norm",
    "phone_kind",
    "phone_issue",
    "city_norm",
    "city_issue",
    "uf_norm",
    "uf_issue",
    "cep_norm",
    "cep_issue",
    "completeness",
)


def with_clean_fields(clients: pl.LazyFrame) -> pl.LazyFrame:
    """Check the input schema: `client_id` is required; missing `CLEAN_FIELDS` become null."""
    schema = clients.collect_schema()
    if Col.CLIENT_ID not in schema:
        raise ValueError(f"clients frame needs a {Col.CLIENT_ID!r} column")
    missing = [pl.lit(None, dtype=pl.String).alias(f) for f in CLEAN_FIELDS if f not in schema]
    present = [pl.col(f).cast(pl.String) for f in CLEAN_FIELDS if f in schema]
    return clients.with_columns(*missing, *present)


def normalized_clients(clients: pl.LazyFrame) -> pl.LazyFrame:
    """One row per client: `<field>_norm` and `<field>_issue` for each field, and completeness.

    Input: `client_id` plus any of name, document, email, phone, city, uf, cep (raw text).
    Output columns are `NORMALIZED_COLUMNS`; the raw values are not repeated (join back by id).
    """
    clients = with_clean_fields(clients)
    staged = clients.with_columns(
        phone_candidate_expr(pl.col("phone")).alias("phone_candidate"),
        document_key_expr(pl.col("document")).alias("document_key"),
        proper_name_expr(pl.col("name")).alias("name_proper"),
    )
    with_candidates = staged.with_columns(
        *name_columns(pl.col("name_proper")),
        *document_columns(pl.col("document_key")),
        *email_columns(pl.col("email")),
        *city_columns(pl.col("city")),
        *uf_columns(pl.col("uf")),
        *cep_columns(pl.col("cep")),
    )
    facts = (
        with_candidates.select("phone_candidate")
        .drop_nulls()
        .unique()
        .map_batches(phone_facts, schema=PHONE_FACTS_SCHEMA)
    )
    return (
        with_candidates.join(facts, on="phone_candidate", how="left")
        .with_columns(
            pl.when(squish_expr(pl.col("phone")).is_not_null() & pl.col("phone_norm").is_null())
            .then(pl.lit(CleanIssue.TELEFONE_INVALIDO.value))
            .alias("phone_issue")
        )
        .with_columns(completeness_expr())
        .select(NORMALIZED_COLUMNS)
    )


ISSUES_SCHEMA: dict[str, type[pl.DataType]] = {
    Col.CLIENT_ID: pl.Int64,
    "field": pl.String,
    "raw_value": pl.String,
    "issue": pl.String,
    "label": pl.String,
}


def client_issues(clients: pl.LazyFrame, normalized: pl.LazyFrame) -> pl.LazyFrame:
    """Long form of the flagged issues: client_id, field, raw_value, issue code, pt-BR label.

    `clients` is the raw input of `normalized_clients`, `normalized` its output.
    """
    raw = with_clean_fields(clients).select(Col.CLIENT_ID, *CLEAN_FIELDS)
    joined = raw.join(normalized.select(Col.CLIENT_ID, pl.col("^.*_issue$")), on=Col.CLIENT_ID)
    per_field = [
        joined.filter(pl.col(f"{field}_issue").is_not_null()).select(
            pl.col(Col.CLIENT_ID).cast(pl.Int64),
            pl.lit(field).alias("field"),
            pl.col(field).alias("raw_value"),
            pl.col(f"{field}_issue").alias("issue"),
            pl.col(f"{field}_issue")
            .replace_strict(ISSUE_LABELS, default=None, return_dtype=pl.String)
            .alias("label"),
        )
        for field in CLEAN_FIELDS
    ]
    return pl.concat(per_field).sort(Col.CLIENT_ID, "field")


def _fold_str(text: str) -> str:
    """The Python twin of `fold_expr`, for building lookup tables from constants."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())
