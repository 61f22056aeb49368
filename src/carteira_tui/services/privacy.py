"""LGPD services: a person's data as JSON (portability), their erasure, consent per channel.

`carteira privacy export|forget` and the TUI call `export_person` and `forget_person`;
`services.imports` calls `blocked_rows` so an erased person cannot come back through a file;
exports call `mask_without_consent` (or read `CONSENT_FIELDS`) to honour consent per channel.

Erasure anonymises the client row in place (orders stay with it, so revenue totals stay true),
replaces its code with `anon-<id>`, and keeps HMAC-SHA256 keys of the person's normalised code,
document and e-mail (keyed by a per-database secret in `meta`) on the blocklist. A backup copy is
taken before, and the derived cache is scrubbed after.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.errors import CarteiraError
from carteira_tui.services.segmentation import current_results
from carteira_tui.store import privacy as store
from carteira_tui.store import results as cache
from carteira_tui.store.audit import read_audit, write_audit
from carteira_tui.store.client_card import read_client_id
from carteira_tui.store.clients import read_client_ids
from carteira_tui.store.db import (
    READ_ONLY_MESSAGE,
    StoreError,
    backup_path,
    backup_to,
    connect,
    is_read_only,
    mark_reset,
)

ClientKey = int | str
"""A client: internal id (int) or code, the external id (text)."""

Progress = Callable[[str, float], None]

ERASED_REASON = "pessoa apagada a pedido (LGPD)"

CONSENT_FIELDS: dict[str, tuple[str, str]] = {
    "email": ("consent_email", "email"),
    "telefone": ("consent_phone", "phone"),
    "whatsapp": ("consent_whatsapp", "phone"),
    "sms": ("consent_sms", "phone"),
}
"""Channel → (consent column, contact column it allows). Null consent means not given."""

CLIENT_PERSONAL_COLUMNS: tuple[str, ...] = (
    "document",
    "email",
    "phone",
    "channel_pref",
    "cep",
    "birth_date",
    "gender",
    "marital_status",
    "children",
    "life_stage",
    "income_band",
    "tags",
    "notes",
)
"""Columns `forget_person` clears (besides the name and the code, which it replaces)."""

_BLOCKED_FIELDS: tuple[tuple[str, str], ...] = (
    ("external_id", "codigo"),
    ("document", "documento"),
    ("email", "email"),
)


class PrivacyError(CarteiraError, ValueError):
    """A privacy request that cannot be done (unknown client, already erased), in pt-BR."""


@dataclass(frozen=True)
class PersonExport:
    """Everything the database holds about one person, ready for `json.dumps`."""

    client_id: int
    document: dict[str, Any]
    path: Path | None

    def to_json(self) -> str:
        """The document as indented UTF-8 JSON (dates as ISO text)."""
        return json.dumps(self.document, ensure_ascii=False, indent=2, default=str)


@dataclass(frozen=True)
class PersonForgotten:
    """An erasure: the new code, what was kept, where the copy taken before it is."""

    client_id: int
    external_id: str
    orders_kept: int
    revenue_kept_cents: int
    blocked_keys: int
    backup: Path | None


# --- keys and consent --------------------------------------------------------------------------


def normalized_identity(kind: str, value: str | None) -> str | None:
    """The compared form of a code, document or e-mail (None when empty).

    Document: upper-case letters and digits only; e-mail: trimmed, lower case, no `mailto:`;
    code: trimmed.
    """
    if value is None:
        return None
    text = str(value).strip()
    if kind == "documento":
        text = re.sub(r"[^0-9A-Z]", "", text.upper())
    elif kind == "email":
        text = re.sub(r"\s+", "", text.lower()).removeprefix("mailto:")
    return text or None


def person_key(secret: bytes, kind: str, value: str) -> str:
    """HMAC-SHA256 of `kind:value` under the database's secret, as hex."""
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _keys(secret: bytes, pairs: Iterable[tuple[str, str | None]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for kind, raw in pairs:
        value = normalized_identity(kind, raw)
        if value is not None:
            found.add((person_key(secret, kind, value), kind))
    return found


def _normalized_expr(kind: str, column: pl.Expr) -> pl.Expr:
    """`normalized_identity` as a Polars expression (same rules, vectorised)."""
    text = column.cast(pl.String).str.strip_chars()
    if kind == "documento":
        text = text.str.to_uppercase().str.replace_all(r"[^0-9A-Z]", "")
    elif kind == "email":
        text = text.str.to_lowercase().str.replace_all(r"\s+", "").str.strip_prefix("mailto:")
    return text.replace("", None)


def blocked_rows(
    db: Database, clients: pl.DataFrame, *, row: str = "_row"
) -> list[tuple[int, str]]:
    """(row, field) for rows of a parsed clients frame naming an erased person.

    Costs nothing while the blocklist is empty. Otherwise only rows that would create a client
    are checked (an erased person's code no longer exists, so they can only come back as new),
    with one keyed hash per distinct normalised value.
    """
    erased = store.read_erased_keys(db)
    if not erased or clients.is_empty():
        return []
    secret = store.read_privacy_secret(db)
    keyed = hmac.new(secret, digestmod=hashlib.sha256)
    candidates = clients
    if "external_id" in clients.columns:
        known = read_client_ids(db)["external_id"].implode()
        candidates = clients.filter(~pl.col("external_id").is_in(known))
    hits: dict[int, str] = {}
    for field, kind in _BLOCKED_FIELDS:
        if field not in candidates.columns:
            continue
        normalized = candidates.select(row, _normalized_expr(kind, pl.col(field)).alias("_key"))
        blocked = []
        for value in normalized["_key"].drop_nulls().unique().to_list():
            digest = keyed.copy()
            digest.update(f"{kind}:{value}".encode())
            if digest.hexdigest() in erased:
                blocked.append(value)
        if blocked:
            for number in normalized.filter(pl.col("_key").is_in(blocked))[row].to_list():
                hits.setdefault(int(number), field)
    return sorted(hits.items())


def consent_fields(client: dict[str, Any]) -> dict[str, str]:
    """Per channel, whether the person consented (`sim`, `não`, `não informado`), and opt-out."""
    summary = {
        channel: _yes_no(client.get(column))
        for channel, (column, _contact) in CONSENT_FIELDS.items()
    }
    summary["opt_out"] = "sim" if client.get("opt_out") else "não"
    return summary


def _yes_no(value: Any) -> str:
    if value is None:
        return "não informado"
    return "sim" if int(value) else "não"


def mask_without_consent(frame: pl.DataFrame) -> pl.DataFrame:
    """Blank each contact column unless some channel using it has consent and no opt-out.

    For exports of contact lists: an e-mail leaves only with `consent_email`; a phone with
    consent by telephone, WhatsApp or SMS. Columns a frame lacks are ignored.
    """
    allowed: dict[str, pl.Expr] = {}
    opted_out = (
        pl.col("opt_out").cast(pl.Boolean).fill_null(False)
        if "opt_out" in frame.columns
        else pl.lit(False)
    )
    for consent, contact in CONSENT_FIELDS.values():
        if contact not in frame.columns:
            continue
        given = (
            pl.col(consent).cast(pl.Boolean).fill_null(False)
            if consent in frame.columns
            else pl.lit(False)
        )
        allowed[contact] = allowed[contact] | given if contact in allowed else given
    return frame.with_columns(
        pl.when(ok & ~opted_out).then(pl.col(contact)).otherwise(None).alias(contact)
        for contact, ok in allowed.items()
    )


# --- export ------------------------------------------------------------------------------------


def _client_id(db: Database, client: ClientKey) -> int:
    found = read_client_id(db, client)
    if found is None:
        raise PrivacyError(f"cliente não encontrado: {client}")
    return found


def _segment_result(db_path: Path, client_id: int) -> dict[str, Any] | None:
    results = current_results(db_path, settings=Settings())
    if results.as_of is None:
        return None
    rows = results.frame.filter(pl.col("id") == client_id).to_dicts()
    if not rows:
        return None
    return {"calculado_em": results.as_of.isoformat(), **rows[0]}


def export_person(
    db_path: Path,
    *,
    client: ClientKey,
    output: Path | None = None,
    on_progress: Progress | None = None,
) -> PersonExport:
    """Everything held about one person (LGPD portability), optionally written to `output`.

    The file is created owner-only. The export itself is recorded in the audit trail (unless
    the process is read-only).
    """
    progress = on_progress or (lambda _stage, _fraction: None)
    progress("lendo os dados da pessoa", 0.1)
    with connect(db_path) as db:
        client_id = _client_id(db, client)
        row = store.read_client_row(db, client_id) or {}
        tables = store.read_person(db, client_id)
        if not is_read_only():
            with db.atomic():
                write_audit(
                    db,
                    action="exportar_dados_pessoais",
                    entity="client",
                    entity_id=client_id,
                    client_id=client_id,
                    summary="dados pessoais exportados (LGPD)",
                    after={"arquivo": str(output) if output else None},
                )
    names = {
        "orders": "pedidos",
        "client_aggregates": "agregados",
        "interactions": "interacoes",
        "tasks": "tarefas",
        "client_issues": "problemas_de_cadastro",
        "client_quality": "qualidade_do_cadastro",
        "segment_history": "historico_de_segmentos",
        "assignment_log": "historico_de_responsaveis",
        "archive_log": "historico_de_arquivamento",
        "merges": "mesclagens",
        "audit": "auditoria",
    }
    document: dict[str, Any] = {
        "gerado_em": datetime.now().isoformat(timespec="seconds"),
        "banco": db_path.name,
        "cliente": row,
        "consentimento": consent_fields(row),
        **{names.get(table, table): rows for table, rows in tables.items()},
        "resultado_da_segmentacao": _segment_result(db_path, client_id),
    }
    result = PersonExport(client_id=client_id, document=document, path=output)
    if output is not None:
        progress("gravando o arquivo", 0.8)
        _write_private(output, result.to_json() + "\n")
    progress("concluído", 1.0)
    return result


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable by its owner only (it holds personal data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


# --- audit trail -------------------------------------------------------------------------------


def audit_trail(
    db_path: Path,
    *,
    client: ClientKey | None = None,
    since: date | None = None,
    limit: int = 1000,
) -> pl.DataFrame:
    """Audit rows, newest first: optionally one client's and/or those from `since` on.

    Columns: id, at, who, action, entity, entity_id, client_id, summary, before, after (JSON text).
    """
    if not db_path.exists():
        raise PrivacyError(f"{db_path}: banco não encontrado")
    with connect(db_path) as db:
        client_id = _client_id(db, client) if client is not None else None
        return read_audit(
            db,
            client_id=client_id,
            since=since.isoformat() if since else None,
            limit=limit,
        )


# --- forget ------------------------------------------------------------------------------------


def forget_person(
    db_path: Path,
    *,
    client: ClientKey,
    backup: bool = True,
    on_progress: Progress | None = None,
) -> PersonForgotten:
    """Anonymise one person (LGPD erasure), keeping their orders as anonymous revenue.

    Takes a backup copy first, then in one transaction: blocklists the keyed hashes of the
    person's code, document and e-mail (and of records merged into them), anonymises the row
    and the text about them, marks a reset generation and writes the audit row. Afterwards the
    derived cache is scrubbed so search cannot find them.
    """
    progress = on_progress or (lambda _stage, _fraction: None)
    if is_read_only():
        raise PrivacyError(READ_ONLY_MESSAGE)
    with connect(db_path) as db:
        client_id = _client_id(db, client)
        row = store.read_client_row(db, client_id) or {}
        if row.get("name") == store.ANONYMOUS_NAME and str(row.get("external_id", "")).startswith(
            "anon-"
        ):
            raise PrivacyError(f"cliente {client} já foi anonimizado")
        copy: Path | None = None
        if backup and str(db_path) != ":memory:":
            progress("copiando o banco antes de apagar", 0.1)
            copy = backup_to(db, backup_path(db_path, "antes-de-apagar"))
        progress("anonimizando", 0.5)
        try:
            with db.atomic():
                secret = store.read_privacy_secret(db)
                pairs: list[tuple[str, str | None]] = [("codigo", row.get("external_id"))]
                for document, email in store.read_identities(db, client_id):
                    pairs += [("documento", document), ("email", email)]
                blocked = store.write_erased_keys(db, sorted(_keys(secret, pairs)))
                generation = mark_reset(db)
                code = store.anonymise_client(db, client_id, generation=generation)
                orders, revenue = db.execute(
                    "SELECT count(*), COALESCE(sum(amount_cents), 0) FROM orders"
                    " WHERE client_id = ?",
                    [client_id],
                ).fetchone()
                write_audit(
                    db,
                    action="anonimizar",
                    entity="client",
                    entity_id=client_id,
                    client_id=client_id,
                    summary=(
                        "dados pessoais anonimizados a pedido (LGPD); "
                        f"{orders} pedidos mantidos como receita anônima"
                    ),
                    after={"external_id": code},
                )
        except StoreError as error:
            raise PrivacyError(str(error)) from error
    progress("limpando os dados derivados", 0.9)
    _scrub_cache(db_path, client_id, code)
    progress("concluído", 1.0)
    return PersonForgotten(
        client_id=client_id,
        external_id=code,
        orders_kept=int(orders),
        revenue_kept_cents=int(revenue),
        blocked_keys=blocked,
        backup=copy,
    )


def _scrub_cache(db_path: Path, client_id: int, code: str) -> None:
    """Blank the person in every cached file that holds client columns: the base and its
    parts (where the results read names from) and results written before they kept only the
    computed columns. The forget marked a reset, so the next run rebuilds the base anyway;
    the orders mirror holds no personal data."""
    directory = cache.cache_dir(db_path)
    if not directory.exists():
        return
    paths = [
        directory / "base.arrow",
        *[path for _s, _e, path in cache.order_parts(directory, "base")],
        directory / "results.arrow",
        directory / "previous.arrow",
    ]
    with cache.locked(directory):
        for path in paths:
            _scrub_file(path, client_id, code)


def _scrub_file(path: Path, client_id: int, code: str) -> None:
    try:
        frame, meta = cache.read_arrow(path)
    except cache.CacheError:
        return
    if "id" not in frame.columns or frame.filter(pl.col("id") == client_id).height == 0:
        return
    mine = pl.col("id") == client_id
    replacements: dict[str, Any] = {
        "name": store.ANONYMOUS_NAME,
        "client_id": code,
        "external_id": code,
    }
    changes = [
        pl.when(mine)
        .then(pl.lit(replacements.get(name), dtype=frame.schema[name]))
        .otherwise(pl.col(name))
        .alias(name)
        for name in (*CLIENT_PERSONAL_COLUMNS, *replacements)
        if name in frame.columns
    ]
    if changes:
        cache.write_arrow(path, frame.with_columns(changes), meta, views=True)
