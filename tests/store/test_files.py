"""store.files: the checks and modes every written file goes through, on real files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from carteira_tui.store.files import (
    OutputRefused,
    checked_output,
    dir_mode,
    file_mode,
    protects,
    write_output_text,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "v.db"
    path.write_bytes(b"SQLite format 3\x00")
    os.chmod(path, 0o600)
    return path


def test_the_database_its_side_files_and_its_cache_are_protected(db: Path) -> None:
    cache = db.with_name("v.db.cache")
    cache.mkdir()
    for target in (db, db.with_name("v.db-wal"), db.with_name("v.db-shm"), cache / "base.arrow"):
        assert protects(db, target), target
    assert protects(db, db.parent / "." / "v.db")
    assert not protects(db, db.with_name("v.csv"))


def test_a_hard_link_to_the_database_is_protected(db: Path) -> None:
    link = db.with_name("outro.csv")
    os.link(db, link)
    assert protects(db, link)


def test_an_existing_file_needs_force_and_a_missing_folder_is_never_made(db: Path) -> None:
    existing = db.with_name("x.csv")
    existing.write_text("antes", encoding="utf-8")
    with pytest.raises(OutputRefused, match="--force"):
        checked_output(existing, db_path=db)
    assert checked_output(existing, db_path=db, force=True) == existing
    with pytest.raises(OutputRefused, match="não existe"):
        checked_output(db.parent / "nova" / "x.csv", db_path=db)
    assert not (db.parent / "nova").exists()


def test_written_files_follow_the_database_whatever_the_umask(db: Path) -> None:
    old = os.umask(0)
    try:
        out = write_output_text(db.with_name("a.txt"), "oi", db_path=db)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        os.chmod(db, 0o664)  # a group may read and write; others never
        assert (file_mode(db), dir_mode(db)) == (0o660, 0o770)
        out = write_output_text(db.with_name("b.txt"), "oi", db_path=db)
        assert stat.S_IMODE(out.stat().st_mode) == 0o660
    finally:
        os.umask(old)


def test_a_symlink_at_the_target_is_replaced_not_followed(db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "alheio.txt"
    victim.write_text("não mexa", encoding="utf-8")
    link = db.with_name("saida.txt")
    link.symlink_to(victim)
    write_output_text(link, "novo", db_path=db, force=True)
    assert victim.read_text(encoding="utf-8") == "não mexa"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "novo"
