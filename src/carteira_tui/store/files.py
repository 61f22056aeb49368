"""Every file the product writes goes through here: a safe target, private modes, atomic replace.

Called by `store.db` (backups, safety copies), `store.cache` (the cache folder) and the
services that write outputs (exports, rejected rows, a person's data, `segment --output`).

- `checked_output` refuses a path that resolves (symlinks and hard links too) to the database,
  its `-wal`/`-shm`/`-journal` files or anything inside its `<db>.cache…` folder; refuses to
  replace an existing file unless `force`; and refuses a missing folder (never created).
- `file_mode`/`dir_mode`: never more open than the database file itself — owner-only for a
  personal database, the database's group bits when an admin shared it with a team; the umask
  never widens them (modes are set with `chmod` after creation).
- `write_output` writes through a temporary sibling and `os.replace`, so an interrupted write
  leaves the old file whole and a symlink at the target is replaced, never followed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from carteira_tui.errors import CarteiraError
from carteira_tui.vocab import store as words

DATABASE_SIDE_FILES = ("-wal", "-shm", "-journal")
CACHE_SUFFIX = ".cache"


class StoreError(CarteiraError, RuntimeError):
    """A database or file that cannot be opened, used or written, with a message for people."""


class OutputRefused(StoreError):
    """A path a command was asked to write that would destroy data or does not exist."""


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(os.path.abspath(path)))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def protects(db_path: Path, target: Path) -> bool:
    """Whether writing `target` would touch the database `db_path`, its side files or cache."""
    db = _resolved(db_path)
    where = _resolved(target)
    guarded = [db, *(db.with_name(db.name + side) for side in DATABASE_SIDE_FILES)]
    if where in guarded or any(_same_file(where, path) for path in guarded):
        return True
    cache_prefix = db.name + CACHE_SUFFIX
    return any(
        parent.parent == db.parent and parent.name.startswith(cache_prefix)
        for parent in (where, *where.parents)
    )


def checked_output(path: Path | str, *, db_path: Path | None, force: bool = False) -> Path:
    """`path` if a command may write it, else `OutputRefused` with a pt-BR reason."""
    target = Path(path)
    if db_path is not None and protects(db_path, target):
        raise OutputRefused(words.output_is_database(target))
    if target.is_dir():
        raise OutputRefused(words.output_is_folder(target))
    parent = _resolved(target).parent
    if not parent.is_dir():
        raise OutputRefused(words.output_folder_missing(target, target.parent))
    if (target.exists() or target.is_symlink()) and not force:
        raise OutputRefused(words.output_exists(target))
    return target


def file_mode(db_path: Path | None) -> int:
    """Permission bits for a file beside `db_path`: owner rw, plus the database's group bits."""
    try:
        group = os.stat(db_path).st_mode & 0o060 if db_path is not None else 0
    except OSError:
        group = 0
    return 0o600 | group


def dir_mode(db_path: Path | None) -> int:
    """Permission bits for a folder beside `db_path`: owner rwx, group r-x/rwx as the file's."""
    group = file_mode(db_path) & 0o060
    return 0o700 | group | (0o010 if group else 0)


def _follow_group(path: Path, db_path: Path | None) -> None:
    """Give `path` the database's group when the database is shared with one (best effort)."""
    if db_path is None or not file_mode(db_path) & 0o060:
        return
    with contextlib.suppress(OSError):
        gid = os.stat(db_path).st_gid
        if os.stat(path).st_gid != gid:
            os.chown(path, -1, gid)


def make_private(path: Path, db_path: Path | None) -> None:
    """Set `path`'s mode to what a file (or folder) beside `db_path` may have."""
    is_dir = stat.S_ISDIR(os.stat(path).st_mode)
    os.chmod(path, dir_mode(db_path) if is_dir else file_mode(db_path))
    _follow_group(path, db_path)


def private_dir(path: Path, db_path: Path | None) -> Path:
    """Create folder `path` (and missing parents) as private as the database; returns it."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
    make_private(path, db_path)
    return path


def private_temporary(directory: Path, db_path: Path | None, *, name: str = "") -> Path:
    """A new empty file in `directory` with a unique name, already private (for `os.replace`)."""
    fd, text = tempfile.mkstemp(dir=directory, prefix=f".{name or 'carteira'}.", suffix=".tmp")
    os.close(fd)
    temporary = Path(text)
    make_private(temporary, db_path)
    return temporary


def write_output(
    path: Path | str,
    write: Callable[[BinaryIO], object],
    *,
    db_path: Path | None,
    force: bool = False,
    checked: bool = True,
) -> Path:
    """Write a file through `write(handle)`: checked (unless `checked=False`, for files the
    product names itself), private, replaced atomically; returns the path."""
    target = checked_output(path, db_path=db_path, force=force) if checked else Path(path)
    temporary = private_temporary(_resolved(target).parent, db_path, name=target.name)
    try:
        with open(temporary, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return target


def write_output_text(
    path: Path | str,
    text: str,
    *,
    db_path: Path | None,
    force: bool = False,
    bom: bool = False,
) -> Path:
    """`write_output` for text in UTF-8 (with a byte-order mark when `bom`)."""
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    return write_output(path, lambda handle: handle.write(data), db_path=db_path, force=force)


@contextlib.contextmanager
def replacing(
    path: Path, *, db_path: Path | None, force: bool = False, checked: bool = True
) -> Iterator[Path]:
    """A private temporary path to fill (e.g. by SQLite's backup), moved onto `path` on success."""
    target = checked_output(path, db_path=db_path, force=force) if checked else Path(path)
    temporary = private_temporary(_resolved(target).parent, db_path, name=target.name)
    try:
        yield temporary
        make_private(temporary, db_path)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def database_of_cache(path: Path) -> Path | None:
    """The database whose cache folder (`<db>.cache…`) holds `path`, or None."""
    for parent in (path, *path.parents):
        if CACHE_SUFFIX in parent.name:
            return parent.with_name(parent.name.split(CACHE_SUFFIX)[0])
    return None


def private_cache_file(path: Path) -> None:
    """Give a file just written in a database's cache folder (and that folder) private modes."""
    db_path = database_of_cache(path)
    folders: list[Path] = []  # from the file up to the `<db>.cache` folder, versions between
    for folder in path.parents:
        folders.append(folder)
        if CACHE_SUFFIX in folder.name:
            break
    else:
        folders = []
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            make_private(folder, db_path)
    with contextlib.suppress(OSError):
        make_private(path, db_path)
