"""LGPD services: a person's data as JSON (portability), their erasure, consent per channel.

`carteira privacy export|forget` and the TUI call `export_person` and `forget_person`;
`services.imports` calls `blocked_rows` so an erased person cannot come back through a file;
exports call `mask_without_consent` (or read `CONSENT_FIELDS`) to honour consent per channel.

Erasure anonymises every record of the person (the client named — a code merged away into a
client names that client — and any other with the same CPF/CNPJ or e-mail) in place — orders
stay, so revenue totals stay true — replaces each code with `anon-<id>`, drops the codes merged
away into it (`client_aliases`), and keeps HMAC-SHA256 keys of the normalised codes (its own and
the merged-away ones, as given and in lower case),
documents and e-mails (keyed by a per-database secret in `meta`) on the blocklist. No copy is
taken before. Before it returns, it also forgets the person everywhere the product wrote files
beside the database: the cache folder (scrubbed, any file still holding a personal value
removed), the safety copies taken before a restore or a migration (scrubbed and vacuumed; one
that cannot be scrubbed is removed) and the rejected-rows files of imports (their lines about the
person removed). `restore` carries the erasure log of the current file and re-applies it
(`erasure_log`, `reapply_erasures`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
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
from carteira_tui.services.client_codes import ClientKey as ClientKey
from carteira_tui.services.client_codes import resolve_client_in
from carteira_tui.store import privacy as store
from carteira_tui.store.audit import read_audit, write_audit
from carteira_tui.store.cache import Cache
from carteira_tui.store.db import (
    READ_ONLY_MESSAGE,
    StoreError,
    connect,
    is_read_only,
    mark_reset,
)
from carteira_tui.store.files import checked_output, write_output_text
from carteira_tui.vocab import privacy as words

Progress = Callable[[str, float], None]

ERASED_REASON = words.ERASED_REASON

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
class PersonRecord:
    """One record of a person to erase, and why it is theirs."""

    client_id: int
    external_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class PersonForgotten:
    """An erasure: the new code, what was kept, the other records and files it reached."""

    client_id: int
    external_id: str
    orders_kept: int
    revenue_kept_cents: int
    blocked_keys: int
    others: tuple[str, ...] = ()
    """New codes of the other records of the same person (same CPF/CNPJ or e-mail)."""
    files_cleaned: int = 0
    """Files beside the database scrubbed or removed (cache, safety copies, rejected rows)."""


@dataclass(frozen=True)
class ErasureLog:
    """The blocklist of a database file and its secret, carried across a restore."""

    secret: bytes
    keys: list[tuple[str, str, str]]


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
    """Blocklist keys of (kind, value) pairs; a code is keyed as given and in lower case."""
    found: set[tuple[str, str]] = set()
    for kind, raw in pairs:
        value = normalized_identity(kind, raw)
        if value is None:
            continue
        for form in {value, value.lower()} if kind == "codigo" else {value}:
            found.add((person_key(secret, kind, form), kind))
    return found


def _normalized_expr(kind: str, column: pl.Expr) -> pl.Expr:
    """`normalized_identity` as a Polars expression (same rules, vectorised)."""
    text = column.cast(pl.String).str.strip_chars()
    if kind == "documento":
        text = text.str.to_uppercase().str.replace_all(r"[^0-9A-Z]", "")
    elif kind == "email":
        text = text.str.to_lowercase().str.replace_all(r"\s+", "").str.strip_prefix("mailto:")
    return text.replace("", None)


ANON_CODE_PATTERN = r"(?i)^\s*anon-\d+\s*$"
"""The codes erasure gives (`anon-<id>`), in any case: never given personal data again."""


def _matching_rows(
    secret: bytes, erased: set[str], frame: pl.DataFrame, *, row: str
) -> dict[int, str]:
    """Row → field for rows of `frame` whose code, document or e-mail is on the blocklist,
    with one keyed hash per distinct normalised value (a code also in lower case)."""
    hits: dict[int, str] = {}
    if not erased or frame.is_empty():
        return hits
    for field, kind in _BLOCKED_FIELDS:
        if field not in frame.columns:
            continue
        value = _normalized_expr(kind, pl.col(field))
        forms = [value, value.str.to_lowercase()] if kind == "codigo" else [value]
        for form in forms:
            normalized = frame.select(row, form.alias("_key"))
            blocked = [
                text
                for text in normalized["_key"].drop_nulls().unique().to_list()
                if hmac.digest(secret, f"{kind}:{text}".encode(), "sha256").hex() in erased
            ]
            if blocked:
                for number in normalized.filter(pl.col("_key").is_in(blocked))[row].to_list():
                    hits.setdefault(int(number), field)
    return hits


def blocked_rows(
    db: Database, clients: pl.DataFrame, *, row: str = "_row"
) -> list[tuple[int, str]]:
    """(row, field) for rows of a parsed clients frame naming an erased person.

    A row is blocked when its code is an erasure's `anon-<n>` (any case), or when its code (in
    any case), document or e-mail is on the blocklist — whether it would create a client or
    update one, so no existing record can be given the erased person's data either. Costs one
    pattern match while the blocklist is empty.
    """
    if clients.is_empty():
        return []
    hits: dict[int, str] = {}
    if "external_id" in clients.columns:
        anonymous = clients.filter(
            pl.col("external_id").cast(pl.String).str.contains(ANON_CODE_PATTERN)
        )
        hits.update(dict.fromkeys(anonymous[row].cast(pl.Int64).to_list(), "external_id"))
    erased = store.read_erased_keys(db)
    if erased:
        secret = store.read_privacy_secret(db)
        for number, field in _matching_rows(secret, erased, clients, row=row).items():
            hits.setdefault(number, field)
    return sorted(hits.items())


def erased_reference_rows(frame: pl.DataFrame, column: str, *, row: str = "_row") -> list[int]:
    """Rows of a parsed file that point at an erased person's `anon-<n>` code (any case), for
    imports that would attach text to them (interactions)."""
    if column not in frame.columns:
        return []
    named = frame.filter(pl.col(column).cast(pl.String).str.contains(ANON_CODE_PATTERN))
    return [int(number) for number in named[row].to_list()]


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
        return words.NOT_INFORMED
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
    """The client's internal id; a merged-away code names its survivor (the same person)."""
    found = resolve_client_in(db, client)
    if found is None:
        raise PrivacyError(words.client_not_found(client))
    return found.client_id


def _segment_result(db_path: Path, client_id: int) -> dict[str, Any] | None:
    # imported on use: an import checking the blocklist never loads segmentation or the cache
    from carteira_tui.services.segmentation import current_results

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
    force: bool = False,
) -> PersonExport:
    """Everything held about one person (LGPD portability), optionally written to `output`.

    The file is created owner-only. The export itself is recorded in the audit trail (unless
    the process is read-only).
    """
    progress = on_progress or (lambda _stage, _fraction: None)
    if output is not None:
        checked_output(output, db_path=db_path, force=force)
    progress(words.PROGRESS_READING, 0.1)
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
                    summary=words.AUDIT_EXPORTED,
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
        "client_aliases": "codigos_unificados",
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
        progress(words.PROGRESS_WRITING, 0.8)
        write_output_text(output, result.to_json() + "\n", db_path=db_path, force=force)
    progress(words.PROGRESS_DONE, 1.0)
    return result


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
        raise PrivacyError(words.database_not_found(db_path))
    with connect(db_path) as db:
        client_id = _client_id(db, client) if client is not None else None
        return read_audit(
            db,
            client_id=client_id,
            since=since.isoformat() if since else None,
            limit=limit,
        )


# --- forget ------------------------------------------------------------------------------------

SAFETY_COPY_LABELS = re.compile(
    r"\.(antes-de-restaurar|antes-de-apagar|v\d+)\.\d{8}-\d{6}(-\d+)?\.bak"
)
"""The copies the product itself takes beside the database: before a restore, before a
migration (`v<schema>`) and, in older versions, before an erasure."""


def _is_anonymised(row: dict[str, Any]) -> bool:
    return row.get("name") == store.ANONYMOUS_NAME and str(row.get("external_id", "")).startswith(
        "anon-"
    )


def _records(db: Database, client_id: int) -> list[PersonRecord]:
    """The client and every other record with the same CPF/CNPJ or e-mail (merged ones too)."""
    documents: set[str] = set()
    emails: set[str] = set()
    for document, email in store.read_identities(db, client_id):
        documents.add(normalized_identity("documento", document) or "")
        emails.add(normalized_identity("email", email) or "")
    documents.discard("")
    emails.discard("")
    frame = store.read_identity_frame(db).with_columns(
        _normalized_expr("documento", pl.col("document")).alias("_document"),
        _normalized_expr("email", pl.col("email")).alias("_email"),
    )
    same_document = pl.col("_document").is_in(sorted(documents))
    same_email = pl.col("_email").is_in(sorted(emails))
    found = frame.filter((pl.col("id") == client_id) | same_document | same_email)
    records = []
    for row in found.iter_rows(named=True):
        if row["id"] == client_id:
            reason = words.RECORD_ASKED
        elif row["_document"] in documents:
            reason = words.RECORD_SAME_DOCUMENT
        else:
            reason = words.RECORD_SAME_EMAIL
        records.append(
            PersonRecord(int(row["id"]), str(row["external_id"]), str(row["name"] or ""), reason)
        )
    return sorted(records, key=lambda r: (r.client_id != client_id, r.client_id))


def records_of_person(db_path: Path, *, client: ClientKey) -> list[PersonRecord]:
    """Every record `forget_person` would erase for `client`, the named one first."""
    with connect(db_path) as db:
        client_id = _client_id(db, client)
        row = store.read_client_row(db, client_id) or {}
        if _is_anonymised(row):
            raise PrivacyError(words.already_anonymised(client))
        return _records(db, client_id)


def _needles(row: dict[str, Any]) -> set[str]:
    """The values that identify a client as they may appear in text and files: name, document,
    e-mail and phone as stored, and the digits of the document and phone. Not the CEP: many
    neighbours share it, and it identifies no one alone (the cache's copy of it is blanked
    with the row, see `_scrub_file`)."""
    found: set[str] = set()
    for name in ("document", "email", "phone"):
        text = str(row.get(name) or "").strip()
        if len(text) >= 5:
            found.add(text)
        digits = re.sub(r"\D", "", text)
        if name != "email" and len(digits) >= 8:
            found.add(digits)
    name = str(row.get("name") or "").strip()
    if len(name) >= 6:
        found.add(name)
    return found


def forget_person(
    db_path: Path,
    *,
    client: ClientKey,
    include_same_person: bool = True,
    on_progress: Progress | None = None,
) -> PersonForgotten:
    """Anonymise one person (LGPD erasure), keeping their orders as anonymous revenue.

    In one transaction: blocklists the keyed hashes of the codes, documents and e-mails of every
    record of the person (`records_of_person`, unless `include_same_person` is off), anonymises
    them and the text about them, redacts audit rows that still name them, marks a reset
    generation and writes one audit row per record. Deleted content is overwritten
    (`secure_delete`) and the log is checkpointed. Then, before returning, the files beside the
    database are cleaned (`_forget_in_files`).
    """
    progress = on_progress or (lambda _stage, _fraction: None)
    if is_read_only():
        raise PrivacyError(READ_ONLY_MESSAGE)
    with connect(db_path) as db:
        client_id = _client_id(db, client)
        if _is_anonymised(store.read_client_row(db, client_id) or {}):
            raise PrivacyError(words.already_anonymised(client))
        ids = [r.client_id for r in _records(db, client_id)] if include_same_person else [client_id]
        progress(words.PROGRESS_ANONYMISING, 0.3)
        store.overwrite_deleted(db)
        try:
            with db.atomic():
                codes, needles, blocked, kept = _erase(db, ids, summary=words.ERASED_ON_REQUEST)
        except StoreError as error:
            raise PrivacyError(str(error)) from error
        secret = store.read_privacy_secret(db)
        erased = store.read_erased_keys(db)
        store.flush_log(db)
    progress(words.PROGRESS_CLEANING_FILES, 0.7)
    cleaned = _forget_in_files(db_path, codes, needles, secret, erased)
    progress(words.PROGRESS_DONE, 1.0)
    orders, revenue = kept[client_id]
    return PersonForgotten(
        client_id=client_id,
        external_id=codes[client_id],
        orders_kept=orders,
        revenue_kept_cents=revenue,
        blocked_keys=blocked,
        others=tuple(code for number, code in codes.items() if number != client_id),
        files_cleaned=cleaned,
    )


def _erase(
    db: Database, ids: list[int], *, summary: str
) -> tuple[dict[int, str], set[str], int, dict[int, tuple[int, int]]]:
    """Blocklist and anonymise the clients `ids` (inside the caller's transaction).

    Returns their new codes, the personal values they held, how many keys were new and, per
    client, the orders and revenue kept.
    """
    secret = store.read_privacy_secret(db)
    pairs: list[tuple[str, str | None]] = []
    needles: set[str] = set()
    audit_needles: set[str] = set()
    for number in ids:
        row = store.read_client_row(db, number) or {}
        for code in (row.get("external_id"), *store.read_alias_codes(db, number)):
            pairs.append(("codigo", code))  # its own code and the ones merged away into it
            audit_needles.add(f'"{code}"')
        for document, email in store.read_identities(db, number):
            pairs += [("documento", document), ("email", email)]
            needles |= _needles({"document": document, "email": email})
        needles |= _needles(row)
    blocked = store.write_erased_keys(db, sorted(_keys(secret, pairs)))
    generation = mark_reset(db)
    codes: dict[int, str] = {}
    kept: dict[int, tuple[int, int]] = {}
    store.redact_mentions(db, needles | audit_needles)
    for number in ids:
        codes[number] = store.anonymise_client(db, number, generation=generation)
        orders, revenue = db.execute(
            "SELECT count(*), COALESCE(sum(amount_cents), 0) FROM orders WHERE client_id = ?",
            [number],
        ).fetchone()
        kept[number] = (int(orders), int(revenue))
        write_audit(
            db,
            action="anonimizar",
            entity="client",
            entity_id=number,
            client_id=number,
            summary=words.audit_anonymised(summary, orders),
            after={"external_id": codes[number]},
        )
    return codes, needles, blocked, kept


# --- files beside the database -----------------------------------------------------------------


def _forget_in_files(
    db_path: Path, codes: dict[int, str], needles: set[str], secret: bytes, erased: set[str]
) -> int:
    """Forget the erased clients in every file the product wrote beside the database; returns
    how many files were scrubbed or removed."""
    if str(db_path) == ":memory:":
        return 0
    cleaned = _scrub_cache(db_path, codes, needles)
    for copy in _safety_copies(db_path):
        if "antes-de-apagar" in copy.name or not _scrub_copy(copy, secret, erased):
            copy.unlink(missing_ok=True)  # a full copy from before an erasure, or unreadable
        cleaned += 1
    for rejects in _rejects_files(db_path):
        cleaned += _scrub_lines(rejects, needles, db_path)
    return cleaned


def _scrub_cache(db_path: Path, codes: dict[int, str], needles: set[str]) -> int:
    """Blank the erased clients in every cached file with client rows, then remove any cache
    file that still holds one of their personal values (the cache is derived: what is removed
    is recomputed; the forget marked a reset, so the next run rebuilds the base)."""
    return Cache(db_path).scrub(lambda frame: _blanked(frame, codes), needles)


def _blanked(frame: pl.DataFrame, codes: dict[int, str]) -> pl.DataFrame | None:
    """`frame` with the erased clients' personal columns blanked, None when none is in it.

    Their rows are taken out and put back new: a value blanked in place (a null over it) may
    keep its text in the column's buffers, and the file written from it would still hold it.
    """
    if "id" not in frame.columns:
        return None
    mine = pl.col("id").is_in(list(codes))
    if frame.filter(mine).height == 0:
        return None
    new_code = pl.col("id").replace_strict(codes, default=None, return_dtype=pl.String)
    changes = []
    for name in (*CLIENT_PERSONAL_COLUMNS, "name", "client_id", "external_id"):
        if name not in frame.columns:
            continue
        if name == "name":
            value = pl.lit(store.ANONYMOUS_NAME, dtype=frame.schema[name])
        elif name in ("client_id", "external_id") and frame.schema[name] == pl.String:
            value = new_code
        else:
            value = pl.lit(None, dtype=frame.schema[name])
        changes.append(value.alias(name))
    if not changes:
        return None
    order = "_row"
    indexed = frame.with_row_index(order)
    erased = indexed.filter(mine).with_columns(changes)
    together = pl.concat([indexed.filter(~mine), erased], how="vertical")
    return together.sort(order).drop(order)


def _safety_copies(db_path: Path) -> list[Path]:
    pattern = f"{db_path.stem}.*.bak{db_path.suffix}"
    return sorted(p for p in db_path.parent.glob(pattern) if SAFETY_COPY_LABELS.search(p.name))


def _scrub_copy(path: Path, secret: bytes, erased: set[str]) -> bool:
    """Anonymise, in a safety copy, every client the blocklist names, carry the blocklist and
    vacuum (so no freed page keeps the old text); False when the copy cannot be scrubbed."""
    try:
        with store.opened_copy(path) as copy:
            frame = store.read_identity_frame(copy).with_row_index("_row")
            rows = _matching_rows(secret, erased, frame, row="_row")
            for number in sorted({int(frame["id"][row]) for row in rows}):
                store.anonymise_client(copy, number, generation=mark_reset(copy))
            store.copy_erased_keys(copy, [(key, "carregada", "") for key in erased])
        return True
    except (StoreError, pl.exceptions.PolarsError):
        return False


def _rejects_files(db_path: Path) -> list[Path]:
    """The rejected-rows files the imports recorded in the audit trail wrote (still there)."""
    with connect(db_path) as db:
        recorded = store.read_import_files(db)
    found: set[Path] = set()
    for source, rejects in recorded:
        if rejects:
            found.add(Path(rejects))
        if source:
            found.add(Path(source).with_suffix(".rejeitados.csv"))
    return sorted(p for p in found if p.is_file())


def _scrub_lines(path: Path, needles: set[str], db_path: Path) -> int:
    """Remove from a rejected-rows file every line naming the person (values as written, or
    the digits of a document or phone written with punctuation); 1 when the file changed.

    Lines, not the file: the other rejected rows are someone's work still to be fixed."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 0
    lowered = {n.lower() for n in needles}
    digits = {n for n in needles if n.isdigit() and len(n) >= 10}

    def names_person(line: str) -> bool:
        flat = line.lower()
        return any(n in flat for n in lowered) or any(d in re.sub(r"\D", "", line) for d in digits)

    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if not names_person(line)]
    if len(kept) == len(lines):
        return 0
    write_output_text(path, "".join(kept), db_path=db_path, force=True, bom=True)
    return 1


# --- restore -------------------------------------------------------------------------------------


def erasure_log(db_path: Path) -> ErasureLog | None:
    """The erasures of the current file, to carry across a restore (None without a file)."""
    if not db_path.exists():
        return None
    try:
        with connect(db_path) as db:
            return ErasureLog(store.read_privacy_secret(db), store.read_erasure_log(db))
    except StoreError:
        return None


def reapply_erasures(db_path: Path, log: ErasureLog | None) -> int:
    """After a restore: erase again every person the carried log names (by code, document or
    e-mail), carry the log itself and clean the files; returns how many records were erased."""
    if log is None or not log.keys:
        return 0
    erased = {key for key, _kind, _at in log.keys}
    with connect(db_path) as db:
        frame = store.read_identity_frame(db).with_row_index("_row")
        rows = _matching_rows(log.secret, erased, frame, row="_row")
        ids = sorted({int(frame["id"][number]) for number in rows})
        store.overwrite_deleted(db)
        with db.atomic():
            if store.read_privacy_secret(db) == log.secret:
                store.copy_erased_keys(db, log.keys)
            codes, needles, _blocked, _kept = (
                _erase(db, ids, summary=words.ERASED_AGAIN_AFTER_RESTORE)
                if ids
                else ({}, set(), 0, {})
            )
        secret = store.read_privacy_secret(db)
        now_erased = store.read_erased_keys(db)
        store.flush_log(db)
    if ids:
        _forget_in_files(db_path, codes, needles, secret, now_erased)
    return len(ids)
