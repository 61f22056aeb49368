"""Derived data is never mistaken for current: a restore, a migration or a copy gives the
database a cache of its own, computed again, never the figures of another incarnation."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from test_segmentation import AS_OF, import_rows, seed_small

from carteira_tui.config import Settings
from carteira_tui.services import maintenance
from carteira_tui.services import segmentation as svc
from carteira_tui.store import cache
from carteira_tui.store.db import connect, generation, incarnation


def _monetary(frame: pl.DataFrame, external_id: str) -> int:
    return int(frame.filter(pl.col("client_id") == external_id).item(0, "monetary_cents"))


def test_after_a_restore_and_as_many_edits_segment_shows_the_restored_figures(
    db_path: Path, tmp_path: Path
) -> None:
    seed_small(db_path)
    backup = maintenance.backup(db_path, tmp_path / "copia.db").path
    for _ in range(10):  # C1 buys a lot after the backup was taken
        import_rows(db_path, [], [("C1", date(2026, 6, 10), 10_000_000)])
    before = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert _monetary(before.frame, "C1") == 100_020_000
    maintenance.restore(db_path, backup)
    with connect(db_path) as db:
        restored_at = generation(db)
    for _ in range(before.generation - restored_at):  # ten small edits elsewhere
        import_rows(db_path, [], [("C4", date(2026, 6, 20), 100)])
    with connect(db_path) as db:
        assert generation(db) == before.generation  # the counter alone cannot tell them apart
    assert svc.current_results(db_path, settings=Settings()).missing
    after = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert _monetary(after.frame, "C1") == 20_000
    assert _monetary(after.frame, "C4") == 1_000
    assert after.rebuilt


def test_a_backup_copied_back_by_hand_is_never_taken_for_the_cache(
    db_path: Path, tmp_path: Path
) -> None:
    seed_small(db_path)
    backup = maintenance.backup(db_path, tmp_path / "copia.db").path
    for _ in range(10):
        import_rows(db_path, [], [("C1", date(2026, 6, 10), 10_000_000)])
    before = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    shutil.copyfile(backup, db_path)  # not `carteira restore`: the incarnation stays the same
    for path in (
        db_path.with_name(db_path.name + "-wal"),
        db_path.with_name(db_path.name + "-shm"),
    ):
        path.unlink(missing_ok=True)
    with connect(db_path) as db:
        restored_at = generation(db)
    for _ in range(before.generation - restored_at):
        import_rows(db_path, [], [("C4", date(2026, 6, 20), 100)])
    assert svc.current_results(db_path, settings=Settings()).missing
    after = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert _monetary(after.frame, "C1") == 20_000


def test_check_does_not_call_a_foreign_cache_current(db_path: Path, tmp_path: Path) -> None:
    seed_small(db_path)
    backup = maintenance.backup(db_path, tmp_path / "copia.db").path
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert maintenance.check(db_path).results == "em dia"
    maintenance.restore(db_path, backup)
    assert maintenance.check(db_path).results == "de outra cópia do banco"


def test_a_copy_without_its_cache_folder_is_computed_not_shown_empty(
    db_path: Path, tmp_path: Path
) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    copy = tmp_path / "outra" / "copia.db"
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    kept = svc.current_results(copy, settings=Settings())
    assert kept.missing and kept.as_of is None
    assert svc.resegment(copy, as_of=AS_OF, settings=Settings()).frame.height == 4


def test_a_cache_folder_brought_from_another_database_is_removed_before_use(
    db_path: Path, tmp_path: Path
) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    other = tmp_path / "outro.db"
    import_rows(other, [{"external_id": "X1", "name": "Xavier"}], [])
    shutil.copytree(cache.cache_dir(db_path), cache.cache_dir(other))
    assert svc.current_results(other, settings=Settings()).missing
    run = svc.resegment(other, as_of=AS_OF, settings=Settings())
    assert run.frame.get_column("client_id").to_list() == ["X1"]
    with connect(other) as db:
        assert cache.is_own(cache.cache_dir(other), incarnation(db))


def test_a_migration_renews_the_incarnation(db_path: Path) -> None:
    with connect(db_path) as db:
        first = incarnation(db)
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm_trust_history'")
        db.execute("DROP TABLE segment_state")
        db.execute("DROP TABLE shared_settings")
        db.execute("DROP TABLE generation_stamps")
        db.execute("ALTER TABLE segment_runs DROP COLUMN settings_hash")
        db.execute("ALTER TABLE segment_runs DROP COLUMN settings")
        db.execute("ALTER TABLE segment_runs DROP COLUMN settings_changed")
        db.execute("ALTER TABLE segment_runs DROP COLUMN generation")
    with connect(db_path) as db:
        assert incarnation(db) not in ("", first)


def test_segmentation_does_not_import_the_vigilancia() -> None:
    import subprocess
    import sys

    code = (
        "import sys, carteira_tui.services.segmentation;"
        "print('carteira_tui.services.watch' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_run_finished_after_a_restore_is_not_kept_as_the_restored_files(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_small(db_path)
    backup = maintenance.backup(db_path, tmp_path / "copia.db").path
    import_rows(db_path, [], [("C1", date(2026, 6, 10), 10_000_000)])
    real_compute = svc._compute

    def restored_meanwhile(*args: object, **kwargs: object) -> object:
        computed = real_compute(*args, **kwargs)  # type: ignore[arg-type]
        maintenance.restore(db_path, backup)  # another person restores while this one computes
        monkeypatch.setattr(svc, "_compute", real_compute)
        svc.resegment(db_path, as_of=AS_OF, settings=Settings())  # and segments it at once
        return computed

    monkeypatch.setattr(svc, "_compute", restored_meanwhile)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    import_rows(db_path, [], [("C4", date(2026, 6, 20), 100)])  # back at the racing generation
    after = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert _monetary(after.frame, "C1") == 20_000


def test_check_calls_a_cache_of_an_older_layout_absent_not_another_copys(db_path: Path) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    shutil.rmtree(cache.cache_dir(db_path))
    (cache.root_dir(db_path) / "base.arrow").write_bytes(b"an older layout")
    assert svc.results_status(db_path) == "ausente"
