"""Client services: the Cliente card and the actions on one client (log, note, edit, follow-up).

The Cliente card in the TUI and `carteira client …` call these. Each opens its own connection;
every write runs in one `db.atomic()`, bumps the data generation and writes the audit trail with
the values before and after. A client is named by its internal id (int) or its code (text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import phonenumbers
import polars as pl
from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.engine import tasks as task_engine
from carteira_tui.engine.calendar import WhenError, holidays_around, parse_when, roll_forward
from carteira_tui.engine.documents import (
    document_display_expr,
    document_is_valid_expr,
    document_key_expr,
)
from carteira_tui.errors import CarteiraError
from carteira_tui.fields import CLIENT_RECORD_LABELS, UFS, is_valid, yes_no
from carteira_tui.fields import field as field_spec
from carteira_tui.model import format_date_br, mask_value
from carteira_tui.services.cleaning import CleaningError, ClientQuality, client_quality
from carteira_tui.services.client_codes import ClientKey as ClientKey
from carteira_tui.services.client_codes import ResolvedClient, resolve_client, resolve_client_in
from carteira_tui.services.outputs import national_phone_text
from carteira_tui.services.tasks import close_contacted
from carteira_tui.store import client_card as store
from carteira_tui.store import tasks as task_store
from carteira_tui.store.audit import current_user, read_audit, write_audit
from carteira_tui.store.db import bump_generation, connect
from carteira_tui.vocab import imports as words


class ClientError(CarteiraError, ValueError):
    """A client action that cannot be done (unknown client, bad value), with a pt-BR message."""


CHANNELS: dict[str, str] = {
    "email": "E-mail",
    "e-mail": "E-mail",
    "telefone": "Telefone",
    "fone": "Telefone",
    "whatsapp": "WhatsApp",
    "zap": "WhatsApp",
    "sms": "SMS",
    "visita": "Visita",
}
"""Channel spellings people type → the stored name."""

FIELD_LABELS = CLIENT_RECORD_LABELS
"""Every profile field shown on the card, in display order, with its pt-BR label (the field
registry's)."""

EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "document",
    "email",
    "phone",
    "channel_pref",
    "consent_email",
    "consent_phone",
    "consent_whatsapp",
    "consent_sms",
    "opt_out",
    "city",
    "uf",
    "cep",
    "birth_date",
    "gender",
    "marital_status",
    "children",
    "life_stage",
    "income_band",
    "owner",
    "pinned",
    "delinquent",
    "credit_restriction",
    "tags",
)
"""Fields `edit_field` accepts (archiving, merging and notes have their own actions)."""

FLAG_FIELDS = frozenset(
    {
        "consent_email",
        "consent_phone",
        "consent_whatsapp",
        "consent_sms",
        "opt_out",
        "pinned",
        "delinquent",
        "credit_restriction",
        "archived",
    }
)
NULLABLE_FLAGS = frozenset({"consent_email", "consent_phone", "consent_whatsapp", "consent_sms"})


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientCard:
    """Everything the Cliente card shows about one client."""

    client_id: int
    external_id: str
    profile: dict[str, Any]
    """Every column of the client's row plus `owner` (the owner's name)."""
    order_count: int
    monetary_cents: int
    orders: pl.DataFrame
    """Latest orders, newest first: external_id, date (ISO), amount_cents, channel."""
    monthly_spend: pl.DataFrame
    """Per month of the window, oldest first: month (`aaaa-mm`), amount_cents (0 if none)."""
    interactions: pl.DataFrame
    """Newest first: id, at, channel, kind, outcome, note, who."""
    open_tasks: pl.DataFrame
    """id, title, kind, priority, channel, owner, due (ISO), urgency."""
    quality: ClientQuality | None
    history: pl.DataFrame
    """The client's audit trail, newest first: at, who, action, summary."""
    merged_code: str | None = None
    """The code asked for when it was merged away into this client (an alias), else None."""

    @property
    def name(self) -> str:
        """The client's name (or code when it has none)."""
        return str(self.profile.get("name") or self.external_id)


@dataclass(frozen=True)
class InteractionLogged:
    """A contact recorded on a client's timeline."""

    client_id: int
    interaction_id: int
    at: str


@dataclass(frozen=True)
class NoteAdded:
    """A line appended to the client's notes."""

    client_id: int
    notes: str


@dataclass(frozen=True)
class FieldEdited:
    """One field changed: values as stored before and after."""

    client_id: int
    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class FollowUpSet:
    """A follow-up (retorno) task created for the client."""

    client_id: int
    task_id: int
    due: date


# --- reading ----------------------------------------------------------------------------------


def _resolved_or_fail(db: Database, client: ClientKey) -> ResolvedClient:
    """The client `client` names; a merged-away code (an alias) names its survivor."""
    found = resolve_client_in(db, client)
    if found is None:
        raise ClientError(words.client_not_found_key(client))
    return found


def _client_id_or_fail(db: Database, client: ClientKey) -> int:
    """The client's internal id; a merged-away code (an alias) names its survivor."""
    return _resolved_or_fail(db, client).client_id


def _month_starts(as_of: date, months: int) -> list[str]:
    first = as_of.replace(day=1)
    return [(first - relativedelta(months=back)).strftime("%Y-%m") for back in range(months)][::-1]


def client_card(
    db_path: Path,
    client: ClientKey,
    *,
    as_of: date,
    months: int = 24,
    orders: int = 20,
    interactions: int = 50,
    history_rows: int = 30,
) -> ClientCard:
    """The card of one client: profile, latest orders, `months` of monthly spend up to `as_of`,
    interactions timeline, open tasks and data quality."""
    window = _month_starts(as_of, months)
    with connect(db_path) as db:
        resolved = _resolved_or_fail(db, client)
        client_id = resolved.client_id
        profile = store.read_client_profile(db, client_id) or {}
        count, total = store.read_order_totals(db, client_id)
        latest = store.read_client_orders(db, client_id, limit=orders)
        spend = store.read_monthly_spend(db, client_id, since=f"{window[0]}-01")
        timeline = store.read_client_interactions(db, client_id, limit=interactions)
        tasks = store.read_client_open_tasks(db, client_id)
        history = read_audit(db, client_id=client_id, limit=history_rows).select(
            "at", "who", "action", "summary"
        )
    monthly = (
        pl.DataFrame({"month": window})
        .join(spend, on="month", how="left")
        .with_columns(pl.col("amount_cents").fill_null(0))
    )
    try:
        quality: ClientQuality | None = client_quality(db_path, client_id)
    except CleaningError:
        quality = None
    return ClientCard(
        client_id=client_id,
        external_id=str(profile.get("external_id") or ""),
        profile=profile,
        order_count=count,
        monetary_cents=total,
        orders=latest,
        monthly_spend=monthly,
        interactions=timeline,
        open_tasks=tasks,
        quality=quality,
        history=history,
        merged_code=resolved.merged_code,
    )


def survivor_code(db_path: Path, code: str) -> str | None:
    """The code of the client `code` was merged into, when `code` is a merged-away code (any
    case), else None: a search for an old code finds the client it lives on in."""
    found = resolve_client(db_path, code, any_case=True)
    return found.external_id if found is not None and found.merged_code else None


def list_owners(db_path: Path) -> list[str]:
    """Names of the active owners (for reassigning a task or a client)."""
    with connect(db_path) as db:
        return store.read_owner_names(db)


def resolve_when(text: str, *, today: date) -> date:
    """The day a person means by `amanhã`, `+3d`, `seg`, `dd/mm` … (pt-BR error when unclear)."""
    try:
        return parse_when(text, today=today, holidays=holidays_around(today))
    except WhenError as error:
        raise ClientError(str(error)) from error


def display_value(field: str, value: Any, *, masked: bool = False) -> str:
    """A stored profile value as people read it (flags sim/não, dates dd/mm/aaaa, — for null);
    `masked` hides most of a personal field (document, phone, e-mail, CEP, birth date)."""
    if value is None or value == "":
        return "—"
    if field in FLAG_FIELDS:
        return "sim" if value else "não"
    text = str(value)
    if field in {"birth_date", "archived_at", "created_at", "updated_at"}:
        text = format_date_br(text)
    if field == "phone":
        text = national_phone_text(text)  # `+55 34 96400-9897` reads `(34) 96400-9897`
    if field == "cep" and len(text) == 8 and text.isdigit():
        text = f"{text[:5]}-{text[5:]}"  # stored as 8 digits, read everywhere as 89219-489
    return mask_value(field, text) if masked else text


MONTHS_PT = ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez")


def month_label(month: str) -> str:
    """`2026-11` as `nov/2026`."""
    year, number = month.split("-")
    return f"{MONTHS_PT[int(number) - 1]}/{year}"


SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
SPARK_EMPTY = "·"


def sparkline(values: Sequence[int | float | None]) -> str:
    """One character per value for the card's monthly spend (TUI and CLI): a dot for zero or
    null, else a block scaled to the maximum. Plain text, so it reads the same with NO_COLOR."""
    top = max((v for v in values if v), default=0)
    chars = []
    for value in values:
        if not value or value <= 0 or not top:
            chars.append(SPARK_EMPTY)
            continue
        level = -(-int(value) * len(SPARK_BLOCKS) // int(top)) - 1
        chars.append(SPARK_BLOCKS[min(len(SPARK_BLOCKS) - 1, max(0, level))])
    return "".join(chars)


# --- writing ----------------------------------------------------------------------------------


def log_interaction(
    db_path: Path,
    client: ClientKey,
    *,
    at: datetime,
    outcome: str,
    channel: str | None = None,
    kind: str | None = None,
    note: str | None = None,
    who: str | None = None,
) -> InteractionLogged:
    """Record a contact (call, message, visit) on the client's timeline."""
    if not outcome.strip():
        raise ClientError(words.OUTCOME_REQUIRED)
    channel_name = _channel(channel) if channel else None
    who = who or current_user()
    stamp = at.replace(microsecond=0).isoformat()
    with connect(db_path) as db, db.atomic():
        client_id = _client_id_or_fail(db, client)
        bump_generation(db)
        interaction_id = task_store.insert_interaction(
            db,
            client_id=client_id,
            at=stamp,
            channel=channel_name,
            kind=_blank_to_none(kind),
            outcome=outcome.strip(),
            note=_blank_to_none(note),
            who=who,
        )
        # Hoje: a contact that reached the client closes their contact tasks due up to that day
        close_contacted(
            db,
            client_id=client_id,
            on=at.date(),
            outcome=outcome.strip(),
            interaction_id=interaction_id,
            who=who,
        )
        write_audit(
            db,
            action="registrar_contato",
            entity="interactions",
            entity_id=interaction_id,
            client_id=client_id,
            summary=words.audit_contact(channel_name, outcome.strip()),
            after={"at": stamp, "channel": channel_name, "kind": kind, "outcome": outcome.strip()},
            who=who,
        )
    return InteractionLogged(client_id, interaction_id, stamp)


def add_note(
    db_path: Path, client: ClientKey, text: str, *, on: date, who: str | None = None
) -> NoteAdded:
    """Append a dated line `dd/mm/aaaa quem: texto` to the client's notes."""
    if not text.strip():
        raise ClientError(words.NOTE_EMPTY)
    who = who or current_user()
    line = f"{on.strftime('%d/%m/%Y')} {who}: {' '.join(text.split())}"
    with connect(db_path) as db, db.atomic():
        client_id = _client_id_or_fail(db, client)
        before = (store.read_client_profile(db, client_id) or {}).get("notes")
        notes = f"{before}\n{line}" if before else line
        store.update_client_column(db, client_id, "notes", notes, generation=bump_generation(db))
        write_audit(
            db,
            action="anotar",
            entity="clients",
            entity_id=client_id,
            client_id=client_id,
            summary=line,
            before={"notes": before},
            after={"notes": notes},
            who=who,
        )
    return NoteAdded(client_id, notes)


def edit_field(
    db_path: Path, client: ClientKey, field: str, value: str, *, who: str | None = None
) -> FieldEdited:
    """Change one profile field after validating and normalizing the value typed.

    An empty value clears a field that may be empty. `owner` takes an owner's name.
    """
    if field not in EDITABLE_FIELDS:
        raise ClientError(words.field_not_editable(field, EDITABLE_FIELDS))
    label = FIELD_LABELS[field]
    with connect(db_path) as db, db.atomic():
        resolved = _resolved_or_fail(db, client)
        client_id = resolved.client_id
        profile = store.read_client_profile(db, client_id) or {}
        if field == "owner":
            column, stored = "owner_id", _owner_id(db, value)
            before, after = profile.get("owner"), (value.strip() or None)
            if stored is not None:
                after = next(n for n in store.read_owner_names(db) if n.lower() == value.lower())
        else:
            column, stored = field, normalize_value(field, value)
            before, after = profile.get(field), stored
        generation = bump_generation(db)
        store.update_client_column(db, client_id, column, stored, generation=generation)
        write_audit(
            db,
            action="editar",
            entity="clients",
            entity_id=client_id,
            client_id=client_id,
            summary=f"{label}: {display_value(field, before)} → {display_value(field, after)}",
            before={field: before},
            after={field: after},
            who=who,
        )
    return FieldEdited(client_id, field, label, before, after)


def set_follow_up(
    db_path: Path,
    client: ClientKey,
    *,
    due: date,
    as_of: date,
    settings: Settings,
    title: str | None = None,
    who: str | None = None,
) -> FollowUpSet:
    """Schedule a return contact: a `retorno` task for the client's owner, due `due` (rolled
    forward to a business day)."""
    day = roll_forward(due, holidays_around(due))
    if day < as_of:
        raise ClientError(words.RETURN_IN_PAST)
    title = (title or "").strip() or words.RETURN_TITLE
    with connect(db_path) as db, db.atomic():
        resolved = _resolved_or_fail(db, client)
        client_id = resolved.client_id
        profile = store.read_client_profile(db, client_id) or {}
        bump_generation(db)
        task_id = task_store.insert_task(
            db,
            {
                "client_id": client_id,
                "owner_id": profile.get("owner_id"),
                "kind": "retorno",
                "title": title,
                "priority": "M",
                "channel": profile.get("channel_pref"),
                "due": day.isoformat(),
                "created_on": as_of.isoformat(),
            },
        )
        inputs = task_store.read_urgency_inputs(db, stale_on=as_of, task_id=task_id)
        scored = task_engine.with_urgency(inputs.lazy(), as_of=as_of, settings=settings).collect()
        task_store.write_task_urgency(db, scored, urgency_on=as_of)
        write_audit(
            db,
            action="agendar_retorno",
            entity="tasks",
            entity_id=task_id,
            client_id=client_id,
            summary=words.audit_return(day.strftime("%d/%m/%Y"), title),
            after={"due": day.isoformat(), "title": title},
            who=who,
        )
    return FollowUpSet(client_id, task_id, day)


# --- validation -------------------------------------------------------------------------------


def normalize_value(field: str, value: str) -> Any:
    """The value to store for `field` typed as `value`; `ClientError` (pt-BR) when invalid."""
    text = " ".join(value.split())
    label = FIELD_LABELS.get(field, field)
    if not text:
        if field == "name":
            raise ClientError(words.NAME_REQUIRED)
        if field in FLAG_FIELDS and field not in NULLABLE_FLAGS:
            raise ClientError(words.answer_yes_no(label))
        return None
    if field in FLAG_FIELDS:
        answer = yes_no(text)
        if answer is not None:
            return int(answer)
        raise ClientError(words.answer_yes_no(label, text))
    if field == "document":
        return _document(text)
    if field == "email":
        if not is_valid(field_spec("clients", "email"), text.lower()):
            raise ClientError(words.invalid_email(text))
        return text.lower()
    if field == "phone":
        return _phone(text)
    if field == "channel_pref":
        return _channel(text)
    if field == "uf":
        if text.upper() not in UFS:
            raise ClientError(words.invalid_uf(text))
        return text.upper()
    if field == "cep":
        digits = re.sub(r"\D", "", text)
        if len(digits) != 8:
            raise ClientError(words.invalid_cep(text))
        return digits
    if field == "birth_date":
        return _birth_date(text)
    if field == "children":
        if not text.isdigit() or int(text) > 30:
            raise ClientError(words.invalid_children(text))
        return int(text)
    return text


def _document(text: str) -> str:
    frame = pl.select(pl.lit(text).alias("raw")).select(
        document_key_expr(pl.col("raw")).alias("key")
    )
    checked = frame.select(
        document_is_valid_expr(pl.col("key")).alias("valid"),
        document_display_expr(pl.col("key")).alias("display"),
    )
    if not checked.item(0, "valid"):
        raise ClientError(words.invalid_document(text))
    return str(checked.item(0, "display"))


def _phone(text: str) -> str:
    try:
        number = phonenumbers.parse(text, "BR")
    except phonenumbers.NumberParseException as error:
        raise ClientError(words.invalid_phone(text)) from error
    if not phonenumbers.is_valid_number(number):
        raise ClientError(words.invalid_phone(text, example=True))
    if number.country_code == 55:
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def _channel(text: str) -> str:
    found = CHANNELS.get(text.strip().lower())
    if found is None:
        raise ClientError(words.unknown_channel(text))
    return found


def _birth_date(text: str) -> str:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text) or re.fullmatch(
        r"(\d{4})-(\d{2})-(\d{2})", text
    )
    if match is None:
        raise ClientError(words.invalid_birth_date(text))
    parts = [int(p) for p in match.groups()]
    year, month, day = (parts[2], parts[1], parts[0]) if "/" in text else tuple(parts)
    try:
        born = date(year, month, day)
    except ValueError as error:
        raise ClientError(words.date_does_not_exist(text)) from error
    if born.year < 1900:
        raise ClientError(words.unlikely_birth_date(text))
    return born.isoformat()


def _owner_id(db: Database, name: str) -> int | None:
    if not name.strip():
        return None
    owner_id = store.read_owner_id(db, name.strip())
    if owner_id is None:
        names = ", ".join(store.read_owner_names(db))
        raise ClientError(words.owner_not_found_among(name, names))
    return owner_id


def _blank_to_none(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None
