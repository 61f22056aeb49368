"""`TaskError` and the owner a name means: what the task services and the fast `carteira today`
share, without loading Polars or sqlite-utils (`services.tasks` re-exports both)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from carteira_tui.errors import CarteiraError
from carteira_tui.store.open_tasks import read_owner_id
from carteira_tui.store.owners import read_owner_identities
from carteira_tui.vocab import owners as words

if TYPE_CHECKING:
    from carteira_tui.store.reader import Readable


class TaskError(CarteiraError, ValueError):
    """A task action that cannot be done, with a message for people."""


def owner_id_or_fail(db: Readable, owner: str) -> int:
    """The id of the owner called `owner`; `TaskError` naming the owners when there is none."""
    owner_id = read_owner_id(db, owner)
    if owner_id is None:
        names = ", ".join(name for _id, name, _e, _l in read_owner_identities(db))
        raise TaskError(words.owner_not_found_among(owner, names))
    return owner_id
