"""Names shared by every layer: enums with their pt-BR values, column names, money helpers.

No I/O lives here. Engine, store, services and front ends all import from this module so a
column or a status is spelled in exactly one place (the names are DESIGN.md's).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

# The one error base, re-exported here beside the other shared names (errors.py imports nothing).
from carteira_tui.errors import CarteiraError as CarteiraError


class Status(StrEnum):
    """Recency status per DESIGN.md."""

    ATIVO = "ativo"
    INATIVO_RECENTE = "inativo_recente"
    INATIVO_ANTIGO = "inativo_antigo"
    PROSPECT = "prospect"


STATUS_LABELS: dict[str, str] = {
    Status.ATIVO: "Ativo",
    Status.INATIVO_RECENTE: "Inativo recente",
    Status.INATIVO_ANTIGO: "Inativo antigo",
    Status.PROSPECT: "Prospect",
}


class AbcClass(StrEnum):
    """Curva ABC class per DESIGN.md (clients with no orders have none)."""

    A = "A"
    B = "B"
    C = "C"


class RfmSegment(StrEnum):
    """The 11 RFM segment names of DESIGN.md's (r, f) map."""

    CAMPEOES = "Campeões"
    LEAIS = "Leais"
    POTENCIAIS_LEAIS = "Potenciais leais"
    NOVOS = "Novos"
    PROMISSORES = "Promissores"
    PRECISAM_DE_ATENCAO = "Precisam de atenção"
    QUASE_DORMINDO = "Quase dormindo"
    EM_RISCO = "Em risco"
    NAO_PODE_PERDER = "Não pode perder"
    HIBERNANDO = "Hibernando"


class ExclusionReason(StrEnum):
    """Why a client is left out of action plans (DESIGN.md "excluded")."""

    INADIMPLENTE = "inadimplente"
    RESTRICAO_CREDITO = "restricao_credito"
    OPT_OUT = "opt_out"
    ARQUIVADO = "arquivado"


class Col:
    """Column names used across frames and tables (DESIGN.md spelling)."""

    CLIENT_ID = "client_id"
    EXTERNAL_ID = "external_id"
    NAME = "name"
    DATE = "date"
    AMOUNT_CENTS = "amount_cents"
    FIRST_PURCHASE = "first_purchase"
    LAST_PURCHASE = "last_purchase"
    FREQUENCY = "frequency"
    MONETARY_CENTS = "monetary_cents"
    MONETARY = "monetary"
    AVG_TICKET = "avg_ticket"
    PURCHASE_DAYS = "purchase_days"
    RECENCY_DAYS = "recency_days"
    CYCLE_DAYS = "cycle_days"
    OVERDUE_DAYS = "overdue_days"
    STATUS = "status"
    R = "r"
    F = "f"
    M = "m"
    RFM_SEGMENT = "rfm_segment"
    ABC = "abc"
    COOLING = "cooling"
    EXCLUDED = "excluded"
    EXCLUSION_REASON = "exclusion_reason"
    SEGMENT = "segment"
    OWNER = "owner"


def cents_to_brl(cents: int | None) -> str:
    """Format centavos as Brazilian money: `R$ 1.234,56` (negative as `-R$ 1,00`)."""
    if cents is None:
        return "—"
    sign = "-" if cents < 0 else ""
    reais, centavos = divmod(abs(cents), 100)
    grouped = f"{reais:,}".replace(",", ".")
    return f"{sign}R$ {grouped},{centavos:02d}"


def format_count(n: int) -> str:
    """An integer count with `.` thousands separators: `1.000.000`."""
    return f"{n:,}".replace(",", ".")


def format_decimal(value: float, places: int = 2) -> str:
    """A number with a decimal comma and `.` thousands separators: `1.030,50`."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_percent(share: float, places: int = 1) -> str:
    """A share (0.616) as a pt-BR percentage: `61,6%`."""
    return format_decimal(share * 100, places) + "%"


def format_seconds(seconds: float) -> str:
    """Seconds with one decimal and a decimal comma: `0,4 s`."""
    return format_decimal(seconds, 1) + " s"


def format_date_br(iso: str | None) -> str:
    """Format an ISO date (`aaaa-mm-dd`, optionally with a time) as `dd/mm/aaaa`."""
    if not iso:
        return "—"
    year, month, day = iso[:10].split("-")
    return f"{day}/{month}/{year}"


def format_moment_br(iso: str | None) -> str:
    """An ISO timestamp as `dd/mm/aaaa hh:mm` (just the date when it has no time)."""
    if not iso:
        return "—"
    time_of_day = iso[11:16] if len(iso) >= 16 else ""
    return f"{format_date_br(iso)} {time_of_day}".rstrip()


MASKED_FIELDS = frozenset({"document", "phone", "email", "cep", "birth_date"})
"""Personal fields hidden by the app's masking toggle (for screen sharing)."""


def mask_value(field: str, text: str) -> str:
    """`text` of a personal field partly hidden: CPF/CNPJ and phone keep their last digits, an
    e-mail its first letter and domain, a date its month; other fields are returned as given."""
    if field not in MASKED_FIELDS or not text or text == "—":
        return text
    if field == "email" and "@" in text:
        user, _, domain = text.partition("@")
        return f"{user[:1]}***@{domain}"
    if field == "birth_date":
        return "**/" + text[3:5] + "/****" if len(text) >= 5 else "****"
    keep = 2 if field in {"document", "cep"} else 4
    hidden = len(text) - keep
    return "".join("*" if ch.isalnum() and i < hidden else ch for i, ch in enumerate(text))


ID = "id"
"""The internal integer client id (clients.id)."""

FIRST_DAY_CENTS = "first_day_cents"
DAY_CENTS = "day_cents"
"""A client's purchase revenue on one day (`store.orders.read_purchase_days`)."""

# The Polars schemas live in `carteira_tui.frame_schemas` and are loaded on first use, so a
# command that needs only names and labels (`carteira today`, `--help`) never imports Polars.
_FRAME_SCHEMAS = frozenset(
    {
        "CLIENT_COLUMNS",
        "AGGREGATE_COLUMNS",
        "FORECAST_INPUT_COLUMNS",
        "TASK_CLIENT_CONTEXT",
        "BASE_SCHEMA",
    }
)

if TYPE_CHECKING:
    from carteira_tui.frame_schemas import AGGREGATE_COLUMNS as AGGREGATE_COLUMNS
    from carteira_tui.frame_schemas import BASE_SCHEMA as BASE_SCHEMA
    from carteira_tui.frame_schemas import CLIENT_COLUMNS as CLIENT_COLUMNS
    from carteira_tui.frame_schemas import FORECAST_INPUT_COLUMNS as FORECAST_INPUT_COLUMNS
    from carteira_tui.frame_schemas import TASK_CLIENT_CONTEXT as TASK_CLIENT_CONTEXT
else:

    def __getattr__(name: str) -> object:
        """`CLIENT_COLUMNS` and the other Polars schemas, imported on first use."""
        if name in _FRAME_SCHEMAS:
            from carteira_tui import frame_schemas

            value = getattr(frame_schemas, name)
            globals()[name] = value
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


from carteira_tui.terminal import terminal_safe as terminal_safe  # noqa: E402

# --- contact channels (the one vocabulary: imports, tasks, consent, Hoje) ---------------------

CONTACT_CHANNELS: tuple[str, ...] = ("whatsapp", "telefone", "email", "sms")
"""Channel keys, in the order a channel is chosen when the client's preference cannot be used."""

CHANNEL_LABELS: dict[str, str] = {
    "whatsapp": "WhatsApp",
    "telefone": "Telefone",
    "email": "E-mail",
    "sms": "SMS",
    "visita": "Visita",
}
"""Each channel key with the label people read."""

CONSENT_COLUMNS: dict[str, str] = {
    "whatsapp": "consent_whatsapp",
    "telefone": "consent_phone",
    "email": "consent_email",
    "sms": "consent_sms",
}
"""The client column holding each contact channel's consent (1 given, 0 refused)."""

CHANNEL_ALIASES: dict[str, str] = {
    "whatsapp": "whatsapp",
    "whats app": "whatsapp",
    "whats": "whatsapp",
    "wpp": "whatsapp",
    "zap": "whatsapp",
    "zapzap": "whatsapp",
    "telefone": "telefone",
    "fone": "telefone",
    "tel": "telefone",
    "phone": "telefone",
    "celular": "telefone",
    "ligacao": "telefone",
    "email": "email",
    "e-mail": "email",
    "e mail": "email",
    "mail": "email",
    "sms": "sms",
    "torpedo": "sms",
    "mensagem de texto": "sms",
    "visita": "visita",
    "presencial": "visita",
}
"""Folded spellings (lower case, no accents) → channel key."""


def fold_text(text: str) -> str:
    """Lower case, accents removed, inner spaces collapsed (`  Ligação ` → `ligacao`)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())


def channel_key(text: str | None) -> str | None:
    """The channel key (`whatsapp`, `telefone`, `email`, `sms`, `visita`) a spelling names —
    any case, accents, `E-mail`/`email`, `zap` — or None when it names no known channel."""
    if text is None:
        return None
    return CHANNEL_ALIASES.get(fold_text(text))


def channel_label(value: object) -> str:
    """A task's or client's channel as people read it (`whatsapp` → `WhatsApp`, `email` →
    `E-mail`); a spelling that names no known channel stays as written, none is `""`."""
    if value is None or value == "":
        return ""
    text = str(value)
    return CHANNEL_LABELS.get(channel_key(text) or "", text)
