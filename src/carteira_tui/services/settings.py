"""The settings in force: the method defaults, the shared settings in the database over them,
and the person's own preferences (`config.load_settings`) beside them.

`effective_settings` is the one way the CLI, the TUI and the services get their `Settings`;
`set_shared`/`unset_shared` are `carteira config set|unset` (audited, refused read-only);
`describe_settings` is `carteira config show`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from carteira_tui.config import (
    PERSONAL_KEYS,
    SHARED_KEYS,
    Settings,
    SettingsError,
    canonical,
    config_path,
    load_settings,
)
from carteira_tui.store import settings as store
from carteira_tui.store.audit import write_audit
from carteira_tui.store.files import StoreError
from carteira_tui.store.reader import reading
from carteira_tui.vocab import config as words

__all__ = [
    "SettingSource",
    "describe_settings",
    "effective_settings",
    "set_shared",
    "unset_shared",
]


@dataclass(frozen=True)
class SettingSource:
    """One setting in force, its value as text and where it comes from (pt-BR)."""

    key: str
    value: str
    source: str
    shared: bool


def _shared_over(personal: Settings, stored: Mapping[str, store.SharedSetting]) -> Settings:
    values = {key: row.value for key, row in stored.items() if key in SHARED_KEYS}
    return personal.with_overrides(values) if values else personal


def effective_settings(db_path: Path | None, personal: Settings | None = None) -> Settings:
    """The settings in force for this database: defaults ← shared settings in the database,
    with the person's own preferences (`personal`, else their file) for the personal keys."""
    personal = personal if personal is not None else load_settings()
    if db_path is None or not Path(db_path).exists():
        return personal
    with reading(db_path) as db:  # no sqlite-utils when the file is up to date: fast commands
        stored = store.read_shared_settings(db)
    return _shared_over(personal, stored)


def describe_settings(db_path: Path, personal: Settings | None = None) -> list[SettingSource]:
    """Every setting in force and where it comes from: "padrão", "banco (alterado em …)",
    or the personal file."""
    personal = personal if personal is not None else load_settings()
    stored: dict[str, store.SharedSetting] = {}
    if Path(db_path).exists():
        with reading(db_path) as db:
            stored = store.read_shared_settings(db)
    settings = _shared_over(personal, stored)
    defaults = Settings()
    described = []
    for key, value in settings.as_dict().items():
        if key == "extra":
            continue
        shared = key in SHARED_KEYS
        if shared and key in stored:
            source = words.source_database(_when(stored[key].changed_at))
        elif not shared and value != defaults.as_dict()[key]:
            source = words.source_personal_file(config_path())
        else:
            source = words.SOURCE_DEFAULT
        described.append(SettingSource(key, canonical(key, value), source, shared))
    return described


def _when(iso: str) -> str:
    """An ISO UTC timestamp as dd/mm/aaaa hh:mm UTC."""
    day, _sep, time = iso.partition("T")
    year, month, dom = day.split("-")
    return f"{dom}/{month}/{year} {time[:5]} UTC"


def _check_shared(keys: Sequence[str]) -> None:
    for key in keys:
        if key in PERSONAL_KEYS:
            raise SettingsError(words.personal_not_shared(key, config_path()))
        if key not in SHARED_KEYS:
            raise SettingsError(words.unknown_setting(key, SHARED_KEYS))


def set_shared(db_path: Path, pairs: Mapping[str, str]) -> Settings:
    """Change shared settings for everybody (audited; refused in read-only mode): each value is
    parsed as its key's type and the result checked before anything is written."""
    _check_shared(list(pairs))
    try:
        return _write_shared(db_path, pairs)
    except StoreError as error:  # read-only, busy: the same words, as a settings error
        raise SettingsError(str(error)) from error


def _write_shared(db_path: Path, pairs: Mapping[str, str]) -> Settings:
    from carteira_tui.store.db import connect

    with connect(db_path) as db, db.atomic():
        stored = store.read_shared_settings(db)
        before = _shared_over(Settings(), stored)
        after = before.with_overrides(dict(pairs))
        for key in pairs:
            store.write_shared_setting(db, key, canonical(key, getattr(after, key)))
        write_audit(
            db,
            action="alterar configuração",
            entity="settings",
            summary=", ".join(sorted(pairs)),
            before={key: canonical(key, getattr(before, key)) for key in pairs},
            after={key: canonical(key, getattr(after, key)) for key in pairs},
        )
    return effective_settings(db_path)


def unset_shared(db_path: Path, keys: Sequence[str]) -> Settings:
    """Give shared settings back their defaults (audited; refused in read-only mode)."""
    _check_shared(keys)
    try:
        return _remove_shared(db_path, keys)
    except StoreError as error:
        raise SettingsError(str(error)) from error


def _remove_shared(db_path: Path, keys: Sequence[str]) -> Settings:
    from carteira_tui.store.db import connect

    with connect(db_path) as db, db.atomic():
        stored = store.read_shared_settings(db)
        before = _shared_over(Settings(), stored)
        remaining = {k: row for k, row in stored.items() if k not in keys}
        _shared_over(Settings(), remaining).validate()
        removed = [key for key in keys if store.delete_shared_setting(db, key)]
        if removed:
            write_audit(
                db,
                action="restaurar configuração padrão",
                entity="settings",
                summary=", ".join(sorted(removed)),
                before={key: canonical(key, getattr(before, key)) for key in removed},
            )
    return effective_settings(db_path)
