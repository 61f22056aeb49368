"""Who "me" is: the owner a person works as (`carteira whoami`, `--mine`, Hoje's `m`).

In order: `$CARTEIRA_USER`, else `me` in the person's own config file, else the operating-system
login matched to an owner's `login`, e-mail (whole or before the @) or name (accents and case
ignored; `antonia.silva` matches "Antônia Silva"). Kept apart from `services.owners` so that
`carteira today --mine` does not load the segmentation services.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from carteira_tui.config import Settings, config_path
from carteira_tui.errors import CarteiraError
from carteira_tui.model import fold_text
from carteira_tui.store.audit import current_user
from carteira_tui.store.owners import read_owner_identities
from carteira_tui.store.reader import reading
from carteira_tui.vocab import owners as words

if TYPE_CHECKING:
    from carteira_tui.store.reader import Readable

USER_VARIABLE = "CARTEIRA_USER"


class MeUnknown(CarteiraError, ValueError):
    """ "Me" cannot be told, or names no owner; the message says how to set it."""


@dataclass(frozen=True)
class Me:
    """The owner this person is, and where that came from (`CARTEIRA_USER`, `config`, `login`)."""

    owner_id: int
    name: str
    source: str
    login: str


def _keys(name: str, email: str | None, login: str | None) -> set[str]:
    folded = fold_text(name)
    keys = {folded, folded.replace(" ", "."), folded.replace(" ", "_"), folded.replace(" ", "")}
    if email:
        keys |= {fold_text(email), fold_text(email.split("@", 1)[0])}
    if login:
        keys.add(fold_text(login))
    return keys


def match_owner(
    owners: list[tuple[int, str, str | None, str | None]], text: str
) -> tuple[int, str] | None:
    """The one owner `text` names (login, e-mail, name or a unique first name), or None."""
    wanted = fold_text(text)
    if not wanted:
        return None
    exact = [(i, n) for i, n, e, lg in owners if wanted in _keys(n, e, lg)]
    if len(exact) == 1:
        return exact[0]
    first_names = [(i, n) for i, n, _e, _l in owners if fold_text(n).split(" ")[0] == wanted]
    return first_names[0] if len(first_names) == 1 else None


def resolve_me_in(db: Readable, *, settings: Settings, login: str | None = None) -> Me:
    """`resolve_me` on an open connection."""
    owners = read_owner_identities(db)
    names = ", ".join(name for _i, name, _e, _l in owners) or words.NONE_REGISTERED
    login = login or current_user()
    env_user = os.environ.get(USER_VARIABLE, "").strip()
    for source, text in ((USER_VARIABLE, env_user), ("config", settings.me.strip())):
        if text:
            found = match_owner(owners, text)
            if found is None:
                where = (
                    USER_VARIABLE if source == USER_VARIABLE else words.me_in_config(config_path())
                )
                raise MeUnknown(words.me_not_an_owner(where, text, names))
            return Me(found[0], found[1], source, login)
    found = match_owner(owners, login)
    if found is None:
        raise MeUnknown(words.me_unknown(login, USER_VARIABLE, config_path(), names))
    return Me(found[0], found[1], "login", login)


def resolve_me(db_path: Path, *, settings: Settings, login: str | None = None) -> Me:
    """The owner "me" is; `MeUnknown` with how to set it when none can be told."""
    with reading(db_path) as db:
        return resolve_me_in(db, settings=settings, login=login)
