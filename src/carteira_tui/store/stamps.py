"""The database's identity and data generation as read from `meta` (light: standard library only).

`store.db` re-exports them and owns their writes (`bump_generation`, `mark_reset`,
`renew_incarnation`); they live here so that a read that must start fast (`carteira board` on a
current run, through `store.reader.reading`) asks them without loading sqlite-utils.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carteira_tui.store.reader import Readable

__all__ = ["generation", "generation_stamp", "incarnation", "reset_generation"]


def generation(db: Readable) -> int:
    """The data generation: bumped by every write that can change derived results."""
    row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


def generation_stamp(db: Readable, at: int) -> str:
    """The stamp of generation `at` ("" when none was kept: generation 0, older files)."""
    row = db.execute("SELECT stamp FROM generation_stamps WHERE generation = ?", [at]).fetchone()
    return str(row[0]) if row else ""


def reset_generation(db: Readable) -> int:
    """The generation of the last write that removed or re-keyed rows (merge, forget, delete).

    Caches built before it cannot be patched incrementally and must be rebuilt whole.
    """
    row = db.execute("SELECT value FROM meta WHERE key = 'reset_generation'").fetchone()
    return int(row[0]) if row else 0


def incarnation(db: Readable) -> str:
    """This file's incarnation: a random id renewed by every restore and migration.

    The generation counter alone can repeat (a restored backup, ten edits later, is back at the
    generation a cache was built at); a cache records the incarnation beside the generation and
    is foreign, never trusted, when the database's differs. "" for a file from before it.
    """
    row = db.execute("SELECT value FROM meta WHERE key = 'incarnation'").fetchone()
    return str(row[0]) if row else ""
