"""A client as a person names it: internal id, code, or a code merged away into a survivor.

After `carteira clean --apply` merges duplicates, the merged-away codes live on in
`client_aliases`; everywhere a person types a client code (`client show` and the client's
actions, `explain`, `tasks add`, `pin`/`unpin`, `privacy export|forget`, `audit --client`, the
Clientes search)
goes through `resolve_client_in` (or `resolve_client`), so an old code names the client it
lives on in, and the front end can say so (`ResolvedClient.merged_note`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from carteira_tui.store.client_card import read_client_or_alias
from carteira_tui.store.db import connect
from carteira_tui.vocab import merged_into

ClientKey = int | str
"""A client: internal id (int) or code, the external id (text)."""


def client_key(text: str) -> ClientKey:
    """A client as typed on the command line: `#12` is internal id 12; anything else is a
    client code."""
    return int(text[1:]) if text.startswith("#") and text[1:].isdigit() else text


@dataclass(frozen=True)
class ResolvedClient:
    """The client a key names: its internal id and its code now; `merged_code` is the code
    asked for when it was merged away into this client, else None."""

    client_id: int
    external_id: str
    merged_code: str | None = None

    @property
    def merged_note(self) -> str | None:
        """ "C0000510 foi unificado em C0000022" when the code asked for was merged away."""
        if self.merged_code is None:
            return None
        return merged_into(self.merged_code, self.external_id)


def resolve_client_in(
    db: Database, client: ClientKey, *, any_case: bool = False
) -> ResolvedClient | None:
    """The client `client` names (internal id, code, or a merged-away code: its survivor),
    None when it names none. A merged-away code matches in any case when `any_case` (the
    Clientes search); a code is otherwise compared as written. Inside the caller's
    connection, so a write resolves in its own transaction."""
    key = client.strip() if isinstance(client, str) else client
    if key == "":
        return None
    found = read_client_or_alias(db, key, any_case=any_case)
    if found is None:
        return None
    client_id, external_id, merged = found
    return ResolvedClient(client_id, external_id, str(key) if merged else None)


def resolve_client(
    db_path: Path, client: ClientKey, *, any_case: bool = False
) -> ResolvedClient | None:
    """`resolve_client_in` on its own connection (for a front end before a read-only call)."""
    with connect(db_path) as db:
        return resolve_client_in(db, client, any_case=any_case)
