"""The light reads of the segmentation cache (`store.cache` re-exports them and stays the one
owner of the folder): where it lives, whose it is, and the board figures kept with the run.

Standard library only, and they take a light connection (`store.reader`): `carteira board` on a
current run reads `board.json` without loading Polars, PyArrow or sqlite-utils.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carteira_tui.store.stamps import generation_stamp, incarnation

if TYPE_CHECKING:
    from carteira_tui.store.reader import Readable

__all__ = [
    "IDENTITY_FILE",
    "VERSION",
    "belongs",
    "cache_dir",
    "is_own",
    "kept_board_figures",
    "root_dir",
]

VERSION = "v3"
"""The layout's version, the name of the folder inside `<db>.cache/`."""

IDENTITY_FILE = "identity"

BOARD_FILE = "board.json"


def root_dir(db_path: Path) -> Path:
    """The folder beside a database that holds its derived files, of every version."""
    return db_path.with_name(db_path.name + ".cache")


def cache_dir(db_path: Path) -> Path:
    """Where this version's derived files of a database live: `<db>.cache/v3/`."""
    return root_dir(db_path) / VERSION


def _identity(directory: Path) -> list[str]:
    """The incarnation, the generation the folder was last brought to and its stamp."""
    try:
        return (directory / IDENTITY_FILE).read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return []


def is_own(directory: Path, incarnation: str) -> bool:
    """Whether the folder's files were built for this database incarnation."""
    found = _identity(directory)
    return bool(incarnation) and found[:1] == [incarnation]


def belongs(directory: Path, db: Readable) -> bool:
    """Whether the folder's files were built for this database as it is: its incarnation, and
    the stamp of the generation they were last brought to (a file copied back over the
    database by hand keeps the incarnation, never the stamps)."""
    found = _identity(directory)
    if len(found) != 3 or not is_own(directory, incarnation(db)):
        return False
    try:
        at = int(found[1])
    except ValueError:
        return False
    return generation_stamp(db, at) == (found[2] if found[2] != "-" else "")


def kept_board_figures(directory: Path) -> dict[str, Any] | None:
    """The board figures kept with the run in `directory` (as `Cache.write_run` got them, plus
    the run's metadata under "meta"), None when there are none for the kept run."""
    try:
        found = json.loads((directory / BOARD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
