"""The field registry: every importable field of clients, orders, interactions and owners,
declared once — name, type, pt-BR label, header aliases, required or not, and its check.

Read by the importer (`engine.parsing`: header matching, parsing, checks), the client card's
edits (`services.clients`), Limpeza (`engine.clean`) and exports, so a value valid in one place
is valid in all. A check is a Polars expression over a column of normalised text (vectorised);
`is_valid` derives the single-value check from the same expression. The shared vocabulary lives
here too: yes/no words and the 27 UFs. No I/O.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import polars as pl


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


Check = Callable[[pl.Expr], pl.Expr]
"""A vectorised check: an expression over normalised text, true where the value is valid."""


@dataclass(frozen=True)
class FieldSpec:
    """One field: its type, pt-BR label, header aliases, whether a row needs it, its check."""

    name: str
    kind: FieldType
    label: str
    aliases: tuple[str, ...]
    required: bool = False
    check: Check | None = None
    reason: str | None = None
    """Why a value fails `check`, in pt-BR (for the importer's and the card's messages)."""


# --- vocabulary -----------------------------------------------------------------------------

TRUE_WORDS = ("sim", "s", "x", "1", "true", "verdadeiro", "v", "yes", "y", "t")
FALSE_WORDS = ("nao", "n", "0", "false", "falso", "f", "no")
"""Yes/no words as offices type them, compared lower case without accents (`Não` → `nao`)."""

UFS: dict[str, str] = {
    "AC": "Acre",
    "AL": "Alagoas",
    "AP": "Amapá",
    "AM": "Amazonas",
    "BA": "Bahia",
    "CE": "Ceará",
    "DF": "Distrito Federal",
    "ES": "Espírito Santo",
    "GO": "Goiás",
    "MA": "Maranhão",
    "MT": "Mato Grosso",
    "MS": "Mato Grosso do Sul",
    "MG": "Minas Gerais",
    "PA": "Pará",
    "PB": "Paraíba",
    "PR": "Paraná",
    "PE": "Pernambuco",
    "PI": "Piauí",
    "RJ": "Rio de Janeiro",
    "RN": "Rio Grande do Norte",
    "RS": "Rio Grande do Sul",
    "RO": "Rondônia",
    "RR": "Roraima",
    "SC": "Santa Catarina",
    "SP": "São Paulo",
    "SE": "Sergipe",
    "TO": "Tocantins",
}
"""The 27 federative units, code → name."""

EMAIL_PATTERN = (
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"
)
"""A deliverable address, lower case: ASCII local part (`joão@…` is a typo of `joao@…` for
most mail servers, so it is invalid everywhere), a dotted domain with a letters-only TLD."""


def plain_words(text: pl.Expr) -> pl.Expr:
    """Lower case without accents, for matching words such as `não`."""
    return text.str.to_lowercase().str.normalize("NFD").str.replace_all(r"\p{M}", "")


def email_check(email: pl.Expr) -> pl.Expr:
    """Valid e-mail (after trimming and lower-casing): `EMAIL_PATTERN`, at most 254 characters."""
    return email.str.contains(EMAIL_PATTERN) & (email.str.len_chars() <= 254)


def email_normal(raw: pl.Expr) -> pl.Expr:
    """The e-mail as stored: trimmed, lower case, without a `mailto:` prefix."""
    return raw.str.strip_chars().str.to_lowercase().str.strip_prefix("mailto:")


def uf_check(code: pl.Expr) -> pl.Expr:
    """One of the 27 UF codes (upper case)."""
    return code.str.to_uppercase().is_in(list(UFS))


def is_valid(field: FieldSpec, value: str) -> bool:
    """The single-value check derived from the field's vectorised one."""
    if field.check is None:
        return True
    result = pl.select(field.check(pl.lit(value, pl.String))).item()
    return bool(result)


def yes_no(value: str) -> bool | None:
    """`sim`/`não` (and the other `TRUE_WORDS`/`FALSE_WORDS`) → True/False; None otherwise."""
    word = "".join(
        ch
        for ch in unicodedata.normalize("NFD", value.strip().lower())
        if not unicodedata.combining(ch)
    )
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def tag_list(text: str | None) -> list[str]:
    """The tags of a `tags` value as written: comma-separated, each stripped, empty ones
    dropped (a merge's union and an import's addition both read tags this way)."""
    return [tag.strip() for tag in (text or "").split(",") if tag.strip()]


# --- the fields -----------------------------------------------------------------------------

T = FieldType


def _f(
    name: str,
    kind: FieldType,
    label: str,
    *aliases: str,
    required: bool = False,
    check: Check | None = None,
    reason: str | None = None,
) -> FieldSpec:
    return FieldSpec(
        name, kind, label, (name.replace("_", " "), label, *aliases), required, check, reason
    )


EMAIL_REASON = "e-mail inválido (ex.: nome@empresa.com.br, sem acentos)"

CLIENT_FIELDS: tuple[FieldSpec, ...] = (
    _f(
        "external_id",
        T.TEXT,
        "Código",
        "codigo",
        "codigo do cliente",
        "id do cliente",
        "id",
        "client id",
        "customer id",
        required=True,
    ),
    _f(
        "name",
        T.TEXT,
        "Nome",
        "razao social",
        "nome fantasia",
        "cliente",
        "customer",
        "nome do cliente",
    ),
    _f("document", T.TEXT, "CPF/CNPJ", "cpf", "cnpj", "documento", "doc", "tax id"),
    _f(
        "email",
        T.TEXT,
        "E-mail",
        "email",
        "mail",
        "endereco de email",
        "email do cliente",
        check=email_check,
        reason=EMAIL_REASON,
    ),
    _f(
        "phone",
        T.TEXT,
        "Telefone",
        "celular",
        "fone",
        "whatsapp numero",
        "celular whatsapp",
        "telefone celular",
        "mobile",
    ),
    _f("channel_pref", T.TEXT, "Canal preferido", "canal", "preferred channel"),
    _f("consent_email", T.BOOL, "Aceita e-mail", "consentimento email", "optin email"),
    _f("consent_phone", T.BOOL, "Aceita telefone", "consentimento telefone", "optin phone"),
    _f(
        "consent_whatsapp",
        T.BOOL,
        "Aceita WhatsApp",
        "consentimento whatsapp",
        "optin whatsapp",
    ),
    _f("consent_sms", T.BOOL, "Aceita SMS", "consentimento sms", "optin sms"),
    _f("opt_out", T.BOOL, "Opt-out", "optout", "descadastrado", "nao contatar", "do not contact"),
    _f(
        "accepts_contact",
        T.BOOL,
        "Aceita contato",
        "aceita contatos",
        "aceita receber contato",
        "consentimento",
        "consent",
        "accepts contact",
    ),
    _f("city", T.TEXT, "Cidade", "municipio"),
    _f("uf", T.UF, "UF", "estado", "state"),
    _f("cep", T.CEP, "CEP", "zip", "zip code", "codigo postal", "postal code"),
    _f(
        "birth_date",
        T.DATE,
        "Nascimento",
        "data de nascimento",
        "aniversario",
        "birthday",
        "date of birth",
    ),
    _f("gender", T.TEXT, "Gênero", "sexo"),
    _f("marital_status", T.TEXT, "Estado civil"),
    _f("children", T.INT, "Filhos", "numero de filhos", "kids"),
    _f("life_stage", T.TEXT, "Fase de vida", "fase da vida", "estagio de vida", "momento de vida"),
    _f("income_band", T.TEXT, "Faixa de renda", "renda", "income"),
    _f(
        "owner",
        T.TEXT,
        "Responsável",
        "vendedor",
        "vendedora",
        "carteira",
        "representante",
        "owner name",
    ),
    _f("pinned", T.BOOL, "Fixado", "fixo", "favorito"),
    _f("delinquent", T.BOOL, "Inadimplente", "inadimplencia"),
    _f("credit_restriction", T.BOOL, "Restrição de crédito", "restricao credito", "restricao"),
    _f("archived", T.BOOL, "Arquivado", "inativo cadastro"),
    _f("tags", T.TEXT, "Etiquetas", "marcadores"),
    _f("notes", T.TEXT, "Observações", "observacao", "obs", "notas", "anotacoes"),
)

CLIENT_REFERENCE = _f(
    "client_external_id",
    T.TEXT,
    "Código do cliente",
    "cliente",
    "id do cliente",
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
        "Pedido",
        "numero do pedido",
        "id do pedido",
        "codigo do pedido",
        "numero da nota fiscal",
        "numero nf",
        "nf",
        "nota fiscal",
        "numero nota",
        "numero da venda",
        "order id",
        "order",
    ),
    CLIENT_REFERENCE,
    _f(
        "date",
        T.DATE,
        "Data",
        "data do pedido",
        "data da compra",
        "data da venda",
        "data de emissao",
        "emissao",
        "data da nota",
        "order date",
        required=True,
    ),
    _f(
        "amount",
        T.MONEY,
        "Valor",
        "total",
        "valor total",
        "valor do pedido",
        "valor da venda",
        "valor liquido",
        "total do pedido",
        "amount",
        "value",
        required=True,
    ),
    _f("channel", T.TEXT, "Canal", "canal de venda", "origem"),
)

INTERACTION_FIELDS: tuple[FieldSpec, ...] = (
    _f(
        "external_id",
        T.TEXT,
        "Interação",
        "id da interacao",
        "codigo da interacao",
        "interaction id",
    ),
    CLIENT_REFERENCE,
    _f(
        "at",
        T.DATETIME,
        "Data",
        "data hora",
        "quando",
        "date",
        "datetime",
        "when",
        required=True,
    ),
    _f("channel", T.TEXT, "Canal", "meio"),
    _f("kind", T.TEXT, "Tipo", "type"),
    _f("outcome", T.TEXT, "Resultado", "result"),
    _f("note", T.TEXT, "Nota", "observacao", "obs", "anotacao", "notes"),
    _f("who", T.TEXT, "Quem", "responsavel", "vendedor", "usuario", "user"),
)

OWNER_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", T.TEXT, "Nome", "responsavel", "vendedor", "owner", required=True),
    _f("email", T.TEXT, "E-mail", "mail", check=email_check, reason=EMAIL_REASON),
    _f("capacity", T.INT, "Capacidade", "capacidade de clientes"),
    _f("active", T.BOOL, "Ativo", "ativa"),
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "clients": CLIENT_FIELDS,
    "orders": ORDER_FIELDS,
    "interactions": INTERACTION_FIELDS,
    "owners": OWNER_FIELDS,
}


CLIENT_IMPORT_ONLY = frozenset({"accepts_contact"})
"""Client fields an import reads but a client record does not keep (`accepts_contact` becomes
the four consents)."""


def _client_record_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for spec in CLIENT_FIELDS:
        if spec.name in CLIENT_IMPORT_ONLY:
            continue
        labels[spec.name] = spec.label
        if spec.name == "archived":
            labels["archived_at"] = "Arquivado em"
    return labels | {"created_at": "Criado em", "updated_at": "Atualizado em"}


CLIENT_RECORD_LABELS: dict[str, str] = _client_record_labels()
"""Every client record field with its pt-BR label, in the order the client card shows them:
the registry's client fields (less the import-only ones) and the record's own timestamps."""


def field(kind: str, name: str) -> FieldSpec:
    """The registry's entry for `name` among `kind`'s fields."""
    return next(spec for spec in FIELDS[kind] if spec.name == name)


# --- headers --------------------------------------------------------------------------------

_FILLER = frozenset({"do", "da", "de", "dos", "das", "del", "of", "the"})
_SHORT = {
    "no": "numero",
    "n": "numero",
    "nr": "numero",
    "nro": "numero",
    "num": "numero",
    "numero": "numero",
    "vlr": "valor",
    "vl": "valor",
    "dt": "data",
    "cod": "codigo",
    "cd": "codigo",
    "tel": "telefone",
    "cel": "celular",
    "end": "endereco",
    "obs": "observacao",
    "observacoes": "observacao",
    "e": "e",
}


def normalize_header(name: str) -> str:
    """Lower case, no accents or punctuation, single spaces: `Razão Social` → `razao social`."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return " ".join(words)


def header_key(name: str) -> frozenset[str]:
    """The words a header means, as offices write it: case, accents, punctuation, units in
    parentheses (`(R$)`) and filler words (`do`, `da`) ignored; abbreviations spelled out
    (`Vlr.` → valor, `Dt.` → data, `Nº` → numero, `Cód.` → codigo); `e-mail` is one word."""
    without_units = "".join(_outside_parentheses(name))
    words = normalize_header(without_units).replace("e mail", "email").split()
    return frozenset(_SHORT.get(word, word) for word in words if word not in _FILLER)


def _outside_parentheses(text: str) -> list[str]:
    depth = 0
    kept: list[str] = []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif not depth:
            kept.append(ch)
    return kept
