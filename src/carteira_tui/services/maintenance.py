"""Backups, restores and health checks of the database file (`carteira backup|restore|check`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from carteira_tui.errors import CarteiraError
from carteira_tui.services import privacy
from carteira_tui.services.segmentation import results_status
from carteira_tui.store import maintenance
from carteira_tui.store.db import (
    READ_ONLY_MESSAGE,
    backup_path,
    backup_to,
    connect,
    is_read_only,
    open_db,
    renew_incarnation,
    schema_version,
)
from carteira_tui.vocab import store as words


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
    results: str = "ausente"
    """What the kept segmentation result is for this file (`segmentation.results_status`)."""

    @property
    def ok(self) -> bool:
        return not self.integrity and not self.violations


def backup(db_path: Path, target: Path | None = None, *, force: bool = False) -> BackupDone:
    """Copy the database with SQLite's online backup API (safe while others use it).

    A `target` a person chose is never the database itself and replaces a file only with `force`.
    """
    if not db_path.exists():
        raise MaintenanceError(words.database_not_found(db_path))
    chosen = target is not None
    target = target or backup_path(db_path, "backup")
    with connect(db_path) as db:
        backup_to(db, target, force=force, checked=chosen)
    return BackupDone(path=target, size_bytes=target.stat().st_size)


def restore(db_path: Path, source: Path) -> BackupDone:
    """Replace the database with `source` after checking its integrity; keeps a safety copy."""
    if is_read_only():
        raise MaintenanceError(READ_ONLY_MESSAGE)
    if not source.exists():
        raise MaintenanceError(words.file_not_found(source))
    problems = maintenance.file_integrity_errors(source)
    if problems:
        raise MaintenanceError(words.copy_has_problems(source, problems[0]))
    carried = privacy.erasure_log(db_path)  # LGPD: erasures travel from the current file
    if db_path.exists():
        backup(db_path, backup_path(db_path, "antes-de-restaurar"))
    maintenance.restore_from(source, db_path)
    db = open_db(db_path)  # migrate an older backup forward
    try:
        with db.atomic():
            # the restored file is not the one the cache beside it was built for, even when
            # the backup was taken from it: ten edits would bring the generation back
            renew_incarnation(db)
    finally:
        db.close()
    privacy.reapply_erasures(db_path, carried)  # LGPD: erased after the backup stays erased
    return BackupDone(path=db_path, size_bytes=db_path.stat().st_size)


def check(db_path: Path) -> CheckReport:
    """SQLite's integrity check plus the app's invariants (every order has a client, …)."""
    if not db_path.exists():
        raise MaintenanceError(words.database_not_found(db_path))
    with connect(db_path) as db:
        integrity = maintenance.integrity_errors(db)
        violations = maintenance.invariant_violations(db)
        version = schema_version(db)
    return CheckReport(integrity, violations, version, results_status(db_path))
