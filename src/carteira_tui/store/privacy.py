"""LGPD in SQLite: everything held about one person, their anonymisation, the erased blocklist.

Called by `services.privacy` (`carteira privacy export|forget`) and by `services.imports` (the
blocklist check). Writes run inside the caller's `db.atomic()`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
from sqlite_utils import Database

from carteira_tui.store.db import StoreError
from carteira_tui.vocab import privacy as words

ANONYMOUS_NAME = words.ANONYMOUS_NAME
REDACTED = words.REDACTED

PERSON_TABLES: tuple[tuple[str, str], ...] = (
    ("orders", "SELECT * FROM orders WHERE client_id = ? ORDER BY date, id"),
    ("client_aggregates", "SELECT * FROM client_aggregates WHERE client_id = ?"),
    ("interactions", "SELECT * FROM interactions WHERE client_id = ? ORDER BY at, id"),
    ("tasks", "SELECT * FROM tasks WHERE client_id = ? ORDER BY due, id"),
    ("client_issues", "SELECT * FROM client_issues WHERE client_id = ? ORDER BY field"),
    ("client_quality", "SELECT * FROM client_quality WHERE client_id = ?"),
    ("segment_history", "SELECT * FROM segment_history WHERE client_id = ? ORDER BY run_id"),
    ("assignment_log", "SELECT * FROM assignment_log WHERE client_id = ? ORDER BY run_id"),
    ("archive_log", "SELECT * FROM archive_log WHERE client_id = ? ORDER BY run_id"),
    ("merges", "SELECT * FROM merges WHERE survivor_id = ? ORDER BY id"),
    (
        "client_aliases",
        "SELECT code, merge_id FROM client_aliases WHERE client_id = ? ORDER BY code",
    ),
    ("audit", "SELECT * FROM audit WHERE client_id = ? ORDER BY id"),
)
"""Per table, the rows that belong to one client (tables a database lacks are skipped)."""

_JSON_COLUMNS = frozenset({"before", "after", "survivor_before", "removed_rows", "moved"})
_NOW = "strftime('%Y-%m-%dT%H:%M:%S', 'now')"


def _tables(db: Database) -> set[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {str(row[0]) for row in rows}


def _dicts(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        for name in _JSON_COLUMNS & row.keys():
            if isinstance(row[name], str):
                try:
                    row[name] = json.loads(row[name])
                except ValueError:
                    pass
        rows.append(row)
    return rows


def read_client_row(db: Database, client_id: int) -> dict[str, Any] | None:
    """The client's row, every column, with its owner's name as `owner`."""
    rows = _dicts(
        db,
        "SELECT c.*, o.name AS owner FROM clients c LEFT JOIN owners o ON o.id = c.owner_id"
        " WHERE c.id = ?",
        [client_id],
    )
    return rows[0] if rows else None


def read_person(db: Database, client_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row the database holds about one client, per table (JSON columns decoded)."""
    present = _tables(db)
    return {table: _dicts(db, sql, [client_id]) for table, sql in PERSON_TABLES if table in present}


def read_identities(db: Database, client_id: int) -> list[tuple[str | None, str | None]]:
    """(document, email) pairs the person is known by: their row and the records merged into it."""
    found: list[tuple[str | None, str | None]] = []
    row = db.execute("SELECT document, email FROM clients WHERE id = ?", [client_id]).fetchone()
    if row:
        found.append((row[0], row[1]))
    if "merges" in _tables(db):
        for (removed,) in db.execute(
            "SELECT removed_rows FROM merges WHERE survivor_id = ?", [client_id]
        ).fetchall():
            try:
                records = json.loads(removed)
            except ValueError:
                continue
            for record in records if isinstance(records, list) else []:
                if isinstance(record, dict):
                    found.append((record.get("document"), record.get("email")))
    return found


def anonymise_client(db: Database, client_id: int, *, generation: int) -> str:
    """Erase a client's personal data, keep their orders; returns the new code (`anon-<id>`).

    The row stays (orders and revenue keep their client) with no name, document, contacts,
    birth date, demographics, tags or notes; it is opted out and archived so nothing contacts
    or lists it as active again. Interaction and task text is erased, open tasks cancelled,
    and the text of earlier audit rows and merge records about the person is redacted.
    """
    code = f"anon-{client_id}"
    db.execute(
        f"""
        UPDATE clients SET
            external_id = ?, name = ?, document = NULL, email = NULL, phone = NULL,
            channel_pref = NULL, consent_email = 0, consent_phone = 0, consent_whatsapp = 0,
            consent_sms = 0, opt_out = 1, cep = NULL, birth_date = NULL, gender = NULL,
            marital_status = NULL, children = NULL, life_stage = NULL, income_band = NULL,
            pinned = 0, archived = 1, archived_at = COALESCE(archived_at, {_NOW}),
            tags = NULL, notes = NULL, updated_at = {_NOW}, generation = ?
        WHERE id = ?
        """,
        [code, ANONYMOUS_NAME, generation, client_id],
    )
    db.execute(
        "UPDATE interactions SET note = NULL, outcome = NULL WHERE client_id = ?", [client_id]
    )
    db.execute(
        "UPDATE tasks SET note = NULL,"
        " title = CASE WHEN plan_id IS NULL THEN ? ELSE title END,"
        f" status = CASE WHEN status = 'aberta' THEN 'cancelada' ELSE status END,"
        f" closed_on = CASE WHEN status = 'aberta' THEN date('now') ELSE closed_on END,"
        f" updated_at = {_NOW} WHERE client_id = ?",
        [REDACTED, client_id],
    )
    db.execute(
        "UPDATE audit SET summary = ?, before = NULL, after = NULL WHERE client_id = ?",
        [REDACTED, client_id],
    )
    present = _tables(db)
    if "client_issues" in present:
        db.execute("DELETE FROM client_issues WHERE client_id = ?", [client_id])
    if "client_quality" in present:
        db.execute("DELETE FROM client_quality WHERE client_id = ?", [client_id])
    if "merges" in present:
        db.execute(
            "UPDATE merges SET survivor_before = '{}', removed_rows = '[]',"
            f" undone_at = COALESCE(undone_at, {_NOW}) WHERE survivor_id = ?",
            [client_id],
        )
    if "client_aliases" in present:  # its merged-away codes name no one any more
        db.execute("DELETE FROM client_aliases WHERE client_id = ?", [client_id])
    return code


def read_alias_codes(db: Database, client_id: int) -> list[str]:
    """The codes merged away into the client (its aliases), to blocklist with its own."""
    if "client_aliases" not in _tables(db):
        return []
    rows = db.execute(
        "SELECT code FROM client_aliases WHERE client_id = ? ORDER BY code", [client_id]
    ).fetchall()
    return [str(row[0]) for row in rows]


def read_privacy_secret(db: Database) -> bytes:
    """The per-database key of the erased blocklist (created by the m_privacy migration)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'privacy_secret'").fetchone()
    if row is None:
        db.execute(
            "INSERT INTO meta(key, value) VALUES ('privacy_secret', lower(hex(randomblob(32))))"
        )
        row = db.execute("SELECT value FROM meta WHERE key = 'privacy_secret'").fetchone()
    return bytes.fromhex(str(row[0]))


def read_erased_keys(db: Database) -> set[str]:
    """Every keyed hash on the erased blocklist."""
    return {str(row[0]) for row in db.execute("SELECT key FROM erased_people").fetchall()}


def write_erased_keys(db: Database, keys: Iterable[tuple[str, str]]) -> int:
    """Add (key, kind) pairs to the blocklist (kind: `documento` or `email`); returns new ones."""
    before = db.execute("SELECT count(*) FROM erased_people").fetchone()[0]
    db.conn.executemany("INSERT OR IGNORE INTO erased_people(key, kind) VALUES (?, ?)", keys)
    after = db.execute("SELECT count(*) FROM erased_people").fetchone()[0]
    return int(after) - int(before)


def read_identity_frame(db: Database) -> pl.DataFrame:
    """id, external_id, name, document, email of every client not yet anonymised."""
    rows = db.execute(
        "SELECT id, external_id, name, document, email FROM clients WHERE name IS NOT ?",
        [ANONYMOUS_NAME],
    ).fetchall()
    schema = {name: pl.String for name in ("external_id", "name", "document", "email")}
    return pl.DataFrame(rows, schema={"id": pl.Int64, **schema}, orient="row")


def redact_mentions(db: Database, needles: Iterable[str]) -> int:
    """Redact every audit row whose text holds one of `needles` (compared in lower case), for
    rows about other entities that still name an erased person; returns how many."""
    total = 0
    for needle in {n.lower() for n in needles if n}:
        cursor = db.execute(
            "UPDATE audit SET summary = ?, before = NULL, after = NULL"
            " WHERE instr(lower(coalesce(summary, '') || coalesce(before, '')"
            " || coalesce(after, '')), ?) > 0",
            [REDACTED, needle],
        )
        total += max(cursor.rowcount, 0)
    return total


def read_import_files(db: Database) -> list[tuple[str | None, str | None]]:
    """(source file, rejected-rows file) of every import the audit trail recorded."""
    found: list[tuple[str | None, str | None]] = []
    for (after,) in db.execute("SELECT after FROM audit WHERE action = 'importar'").fetchall():
        try:
            values = json.loads(after) if after else {}
        except ValueError:
            continue
        if isinstance(values, dict):
            found.append((values.get("arquivo"), values.get("rejeitados")))
    return found


def copy_erased_keys(db: Database, keys: Iterable[tuple[str, str, str]]) -> None:
    """Carry (key, kind, erased_at) rows of another file's blocklist into this one."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO erased_people(key, kind, erased_at)"
        f" VALUES (?, ?, COALESCE(NULLIF(?, ''), {_NOW}))",
        keys,
    )


def read_erasure_log(db: Database) -> list[tuple[str, str, str]]:
    """Every (key, kind, erased_at) of the blocklist, to carry across a restore."""
    rows = db.execute("SELECT key, kind, erased_at FROM erased_people").fetchall()
    return [(str(k), str(kind), str(at)) for k, kind, at in rows]


def overwrite_deleted(db: Database) -> None:
    """Make this connection overwrite deleted content with zeros (outside a transaction)."""
    db.execute("PRAGMA secure_delete = ON")


def flush_log(db: Database) -> None:
    """Checkpoint and truncate the write-ahead log so no old page of it outlives an erasure
    (best effort: another reader may hold it)."""
    with contextlib.suppress(sqlite3.Error, StoreError):
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextlib.contextmanager
def opened_copy(path: Path) -> Iterator[Database]:
    """A plain connection to a safety copy (no migration, no copy of it), committed on success,
    then vacuumed so no freed page keeps old text; `StoreError` if it is not a database."""
    try:
        conn = sqlite3.connect(str(path), timeout=10)
        conn.execute("SELECT count(*) FROM clients").fetchone()
    except sqlite3.Error as error:
        raise StoreError(words.copy_unreadable(path, error)) from error
    copy = Database(conn)
    try:
        overwrite_deleted(copy)
        with conn:
            yield copy
        conn.execute("VACUUM")
        flush_log(copy)
    except sqlite3.Error as error:
        raise StoreError(words.copy_not_cleaned(path, error)) from error
    finally:
        conn.close()
