"""The owners table (the sales people a client belongs to): looked up and created by name.

Called by the client import, inside its transaction, to turn owner names into ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # reads also take a light connection (store.reader): no sqlite-utils here
    from sqlite_utils import Database

    from carteira_tui.store.reader import Readable


def upsert_owners(db: Database, names: Iterable[str]) -> dict[str, int]:
    """Ids of the owners named, creating the ones that do not exist yet (call in `db.atomic()`)."""
    wanted = sorted({name for name in names if name})
    if not wanted:
        return {}
    db.conn.executemany(
        "INSERT INTO owners(name) VALUES (?) ON CONFLICT(name) DO NOTHING", [(n,) for n in wanted]
    )
    placeholders = ", ".join("?" for _ in wanted)
    rows = db.execute(
        f"SELECT name, id FROM owners WHERE name IN ({placeholders})", wanted
    ).fetchall()
    return {str(name): int(owner_id) for name, owner_id in rows}


def read_owner_identities(db: Readable) -> list[tuple[int, str, str | None, str | None]]:
    """(id, name, e-mail, login) of every active owner, by name: what "me" is matched against."""
    rows = db.execute(
        "SELECT id, name, email, login FROM owners WHERE active = 1 ORDER BY name COLLATE NOCASE"
    ).fetchall()
    return [(int(r[0]), str(r[1]), r[2], r[3]) for r in rows]
