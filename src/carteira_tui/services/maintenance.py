"""Backups, restores and health checks of the database file (`carteira backup|restore|check`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from carteira_tui.errors import CarteiraError
from carteira_tui.store import maintenance
from carteira_tui.store.db import (
    READ_ONLY_MESSAGE,
    backup_path,
    backup_to,
    connect,
    is_read_only,
    open_db,
    schema_version,
)


class MaintenanceError(CarteiraError, RuntimeError):
    """A backup or restore that cannot proceed, with a message for people."""


@dataclass(frozen=True)
class BackupDone:
    path: Path
    size_bytes: int


@dataclass(frozen=True)
class CheckReport:
    integrity: list[str] = field(default_factory=list)
    violations: dict[str, int] = field(default_factory=dict)
    schema_version: int = 0

    @property
    def ok(self) -> bool:
        return not self.integrity and not self.violations


def backup(db_path: Path, target: Path | None = None) -> BackupDone:
    """Copy the database with SQLite's online backup API (safe while others use it)."""
    if not db_path.exists():
        raise MaintenanceError(f"{db_path}: banco não encontrado")
    target = target or backup_path(db_path, "backup")
    with connect(db_path) as db:
        backup_to(db, target)
    return BackupDone(path=target, size_bytes=target.stat().st_size)


def restore(db_path: Path, source: Path) -> BackupDone:
    """Replace the database with `source` after checking its integrity; keeps a safety copy."""
    if is_read_only():
        raise MaintenanceError(READ_ONLY_MESSAGE)
    if not source.exists():
        raise MaintenanceError(f"{source}: arquivo não encontrado")
    problems = maintenance.file_integrity_errors(source)
    if problems:
        raise MaintenanceError(f"{source}: cópia com problemas, nada foi restaurado: {problems[0]}")
    if db_path.exists():
        backup(db_path, backup_path(db_path, "antes-de-restaurar"))
    maintenance.restore_from(source, db_path)
    open_db(db_path).close()  # migrate an older backup forward
    return BackupDone(path=db_path, size_bytes=db_path.stat().st_size)


def check(db_path: Path) -> CheckReport:
    """SQLite's integrity check plus the app's invariants (every order has a client, …)."""
    if not db_path.exists():
        raise MaintenanceError(f"{db_path}: banco não encontrado")
    with connect(db_path) as db:
        return CheckReport(
            integrity=maintenance.integrity_errors(db),
            violations=maintenance.invariant_violations(db),
            schema_version=schema_version(db),
        )
