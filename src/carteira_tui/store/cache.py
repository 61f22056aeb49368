"""The segmentation cache: every derived file beside a database, and the only code that knows them.

SQLite holds what people entered; everything under `<db>.cache/v3/` is derived from it and
rebuilt when missing, corrupt, foreign or older than `meta.reset_generation`. Callers use
`Cache` (one per database path) and never see the files:

- `Cache.inputs` brings the cache to the database's generation under the lock and hands a
  computation what it needs (the base, the cooling-window counts, the orders up to a past date,
  the last kept run);
- `Cache.write_run` keeps a computed run (the last one becomes the previous), with the board's
  figures of it (`Cache.board` reads them back without a row of the run);
- `Cache.results`, `Cache.previous_run`, `Cache.last_run`, `Cache.kept` read what is kept;
- `Cache.spans` gives the forecast its per-client inputs; `Cache.scrub` blanks erased people;
  `Cache.state` says whether the folder is this database's and how far behind.

The layout (a private matter of this module; the folder's name is its version, so files of an
older layout are simply never found, and `claim` removes them):

- `base.arrow`: one row per client (cadastro + owner name + order aggregates), BASE_SCHEMA;
- `base-<from>-<to>.arrow`: the clients changed with `from < generation <= to`, applied over
  `base.arrow` in order, so a small import does not rewrite the whole base;
- `orders-<from>-<to>.arrow`: the orders mirror (client_id, date, amount_cents), one part per
  patch, sorted by date and client (MIRROR_ORDER) so that a range of dates is a slice;
- `windows.arrow`: orders per client in the two cooling windows of one as-of, with the
  generation it counted up to;
- `run-<generation>-<ns>.arrow`: a run's computed columns whole;
- `results.arrow`: the last run as its rows that differ from the full run file its `over`
  metadata names, with its generation, as_of, settings hash and `run_id`; its client columns
  are read back from the base at its generation;
- `previous.arrow`: the run before it (the last `results.arrow`, kept by a hard link);
- `board.json`: the board's per-segment and per-status figures of `results.arrow`;
- `identity`: the database incarnation (`store.db.incarnation`) the files were built for and
  the stamp of the generation they were last brought to.

The engine's part of building it (order aggregates, window counts, putting a run beside its
clients) is handed in by the service as `Derive` (the store never imports the engine).
Every file is written to a temporary name and `os.replace`d, owner-only (store.files).

Bump VERSION whenever any file's columns or meaning change.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import polars as pl
from sqlite_utils import Database

from carteira_tui.errors import CarteiraError
from carteira_tui.model import AGGREGATE_COLUMNS, FIRST_DAY_CENTS, ID, Col
from carteira_tui.store.cache_kept import IDENTITY_FILE as IDENTITY_FILE
from carteira_tui.store.cache_kept import VERSION as VERSION
from carteira_tui.store.cache_kept import belongs as belongs
from carteira_tui.store.cache_kept import cache_dir as cache_dir
from carteira_tui.store.cache_kept import is_own as is_own
from carteira_tui.store.cache_kept import kept_board_figures
from carteira_tui.store.cache_kept import root_dir as root_dir
from carteira_tui.store.db import generation, generation_stamp, incarnation, reset_generation
from carteira_tui.store.files import private_cache_file
from carteira_tui.store.reader import Readable
from carteira_tui.store.results import (
    CLIENT_CHANGED,
    ORDER_MIRROR_SCHEMA,
    read_base,
    read_order_rows,
)
from carteira_tui.vocab import store as store_words

__all__ = [
    "VERSION",
    "Cache",
    "CacheError",
    "Derive",
    "Inputs",
    "KeptRun",
    "cache_dir",
]


MIRROR_ORDER = (Col.DATE, Col.CLIENT_ID)
"""Each part of the orders mirror is sorted by date, then client: a date range is a slice, and
a client's orders on one day are neighbours (engine.aggregates.order_aggregates_of_sorted)."""

COMPACT_SHARE = 0.05
"""Fold the base's parts into base.arrow once they hold this share of its rows."""

DELTA_SHARE = 0.05
"""A run is kept as its rows that differ from the last full file while they are at most this
share of the clients; beyond it the run is written whole and becomes the new full file."""

RUN_FILE_GRACE_SECONDS = 60.0
"""A full run file younger than this is never removed: another process may be about to name
it (it writes the full file first, then the run file that names it)."""


SPAN_COLUMNS = [
    ID,
    Col.FIRST_PURCHASE,
    Col.LAST_PURCHASE,
    Col.MONETARY_CENTS,
    Col.PURCHASE_DAYS,
    FIRST_DAY_CENTS,
]
"""The base's columns the forecast reads (`Cache.spans`)."""

_T = TypeVar("_T")
Progress = Callable[[str, float], None]


class CacheError(CarteiraError, RuntimeError):
    """A cache file that cannot be read (missing, truncated, foreign): rebuild it."""


# --- the interface -------------------------------------------------------------------------


@dataclass(frozen=True)
class Derive:
    """The engine's part of the cache, given by the service."""

    aggregates: Callable[[list[pl.DataFrame]], pl.DataFrame]
    """Order slices (each in MIRROR_ORDER) → one row per client: `id`, AGGREGATE_COLUMNS and
    FIRST_DAY_CENTS."""
    window_counts: Callable[[pl.DataFrame, date, int], pl.DataFrame]
    """Orders, as-of, window days → orders per client in the two cooling windows (summable)."""


@dataclass(frozen=True)
class Inputs:
    """What a computation needs, at the database's generation."""

    base: pl.DataFrame
    generation: int
    rebuilt: bool
    windows: pl.DataFrame
    orders: list[pl.DataFrame] | None
    """The orders up to the as-of (mirror slices) when it is before the last purchase."""
    last: KeptRun | None
    claimed: bool
    """Files of another database or layout were removed first."""


@dataclass(frozen=True)
class CacheState:
    """Whether the folder is this database's, and the generation of the run it keeps."""

    exists: bool
    """This version's folder exists (an older layout alone is no cache at all)."""
    own: bool
    kept_generation: int


class Cache:
    """The derived files of one database (`<db>.cache/v3/`)."""

    def __init__(self, db_path: Path) -> None:
        self.directory = cache_dir(db_path)

    # --- reading what is kept

    def belongs(self, db: Readable) -> bool:
        """Whether the folder's files were built for this database as it is (its incarnation
        and the stamp of the generation they were last brought to)."""
        return belongs(self.directory, db)

    def state(self, db: Database) -> CacheState:
        """What the folder is for this database (for `carteira check`)."""
        own = belongs(self.directory, db)
        return CacheState(self.directory.exists(), own, self.kept_generation() if own else -1)

    def kept(self) -> dict[str, str] | None:
        """The metadata of the kept run (generation, as_of, settings_hash, run_id), cheap."""
        try:
            return read_arrow_metadata(self.directory / "results.arrow")
        except CacheError:
            return None

    def kept_generation(self) -> int:
        """The data generation of the kept run (-1 when none is readable)."""
        try:
            return int((self.kept() or {})["generation"])
        except (KeyError, ValueError):
            return -1

    def results(
        self, compose: Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame]
    ) -> tuple[pl.DataFrame, dict[str, str]] | None:
        """The kept run put beside its clients by `compose(computed, base)`, and its metadata;
        None when there is none usable. Memoised while the files stay the same."""

        def read() -> tuple[pl.DataFrame, dict[str, str]] | None:
            try:
                run = _read_run(self.directory, "results.arrow")
                built = int(run.meta["generation"])
                return compose(run.computed(), _base_at(self.directory, built)), run.meta
            except (CacheError, KeyError, ValueError):
                return None

        return _memoised("results", self.directory, read)

    def previous_run(self) -> pl.DataFrame | None:
        """The computed columns of the run before the kept one, None when there is none."""

        def read() -> pl.DataFrame | None:
            try:
                return _read_run(self.directory, "previous.arrow").computed()
            except (CacheError, KeyError, ValueError):
                return None

        return _memoised("previous", self.directory, read)

    def last_run(self) -> KeptRun | None:
        """The kept run (to pass to `write_run`, and to read some columns of), or None."""
        try:
            with locked(self.directory):
                return _read_run(self.directory, "results.arrow")
        except (CacheError, KeyError, ValueError):
            return None

    def board(self) -> dict[str, Any] | None:
        """The board figures kept with the run (as `write_run` got them, plus the run's
        metadata under "meta"), None when there are none for the kept run."""
        return kept_board_figures(self.directory)

    def spans(self, db: Database) -> pl.DataFrame | None:
        """The base's SPAN_COLUMNS at the database's generation when the cache reaches it from
        its own files alone (nothing read from SQLite, nothing written), else None."""
        if not is_own(self.directory, incarnation(db)):
            return None
        current, since = generation(db), reset_generation(db)
        try:
            with locked(self.directory):
                path = self.directory / "base.arrow"
                cached = int(read_arrow_metadata(path)["generation"])
                if not since <= cached <= current:
                    return None
                base = read_arrow_columns(path, SPAN_COLUMNS)
                if cached < current:
                    changed, reached = _base_parts(self.directory, cached, current)
                    if reached != current or changed is None:
                        return None
                    base = _apply_changes(_in_id_order(base), changed.select(SPAN_COLUMNS))
        except (CacheError, KeyError, ValueError, OSError):
            return None
        return base

    # --- bringing it up to date and keeping runs

    def inputs(
        self,
        db: Database,
        derive: Derive,
        *,
        as_of: date,
        window_days: int,
        on_progress: Progress | None = None,
    ) -> Inputs:
        """Bring the cache to the database's generation (patching it from the rows written
        since, or rebuilding it from SQLite) and read what a computation as of `as_of` needs.

        One process at a time does this and maps the files it reads; the frames stay valid if
        the files are replaced afterwards.
        """
        with locked(self.directory):
            claimed = claim(self.directory, db)
            base, current, rebuilt = _up_to_date_base(self.directory, db, derive, on_progress)
            confirm(self.directory, db, current)
            latest = base.get_column(Col.LAST_PURCHASE).max()
            past = isinstance(latest, date) and as_of < latest
            orders = (
                read_order_slices(self.directory, up_to_generation=current, until=as_of)
                if past
                else None
            )
            windows = _window_counts(
                self.directory,
                derive,
                as_of=as_of,
                window_days=window_days,
                current=current,
                since=reset_generation(db),
            )
            try:
                last = _read_run(self.directory, "results.arrow")
            except (CacheError, KeyError, ValueError):
                last = None
        return Inputs(base, current, rebuilt, windows, orders, last, claimed)

    def write_run(
        self,
        computed: pl.DataFrame,
        metadata: dict[str, str],
        last: KeptRun | None,
        *,
        run_id: Callable[[], int | None] | None = None,
        board: Callable[[], dict[str, Any]] | None = None,
        patched: bool = False,
    ) -> bool:
        """Keep a run: the last one becomes the previous, this one the kept run — its rows
        that differ from the last full file when they are few, else a new full file.

        `run_id` (when given) is waited for after the rows are written and named in the
        metadata (None: the run was not recorded, nothing is kept); `board` gives the board's
        figures of the run against `last`, kept beside it; `patched`: `computed` is already
        the run's rows over `last`'s full file (`KeptRun.rows_with`). Nothing replaces a run another
        process kept for newer data meanwhile, nor a run of another incarnation (False).
        """
        directory = self.directory
        delta, full_name = None, None
        if patched and last is not None:
            delta, full_name = computed, last.full_name
        elif last is not None:
            delta, full_name = _delta(last.full, computed, last.full_column), last.full_name
        if delta is None or full_name is None:
            full_name = f"run-{metadata['generation']}-{time.time_ns()}.arrow"
            write_arrow(directory / full_name, computed, views=True)
            delta = computed.clear()
        figures = None if board is None else board()
        if run_id is not None:
            recorded = run_id()
            if recorded is None:
                return False  # not recorded in SQLite: the cache does not claim it
            metadata = {**metadata, "run_id": str(recorded)}
        with locked(directory):
            if not is_own(directory, metadata.get("incarnation", "")):
                return False  # the database was restored meanwhile: this run is another file's
            if self.kept_generation() > int(metadata["generation"]):
                return False  # another process kept a run of newer data meanwhile: it stays
            (directory / "board.json").unlink(missing_ok=True)
            if (directory / "results.arrow").exists():
                keep_as(directory / "results.arrow", directory / "previous.arrow")
            # without string views: a view column filtered to a few rows still holds (and
            # would write) the whole frame's string buffers
            write_arrow(directory / "results.arrow", delta, {**metadata, "over": full_name})
            if figures is not None:
                _write_json(directory / "board.json", {**figures, "meta": metadata})
            _remove_unused_runs(directory, named_by=("results.arrow", "previous.arrow"))
        return True

    def scrub(self, blank: Callable[[pl.DataFrame], pl.DataFrame | None], needles: set[str]) -> int:
        """Rewrite every cached file with client rows through `blank` (None: nothing of the
        erased people in it), then remove any file, of any version, that still holds one of
        `needles`. The count of files touched."""
        top = root_dir_of(self.directory)
        if not top.exists():
            return 0
        touched = 0
        with locked(self.directory):
            for path in sorted(top.rglob("*.arrow")):
                try:
                    frame, meta = read_arrow(path)
                except CacheError:
                    continue
                blanked = blank(frame)
                if blanked is not None:
                    # without string views: a blanked view column may still hold the erased
                    # text in its buffers, and the file would then be removed below whole
                    write_arrow(path, blanked, meta)
                    touched += 1
            for path in sorted(top.rglob("*")):
                if path.is_file() and path.name != ".lock" and _holds(path, needles):
                    path.unlink(missing_ok=True)
                    touched += 1
        return touched


def root_dir_of(directory: Path) -> Path:
    return directory.parent


def _holds(path: Path, needles: set[str]) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return any(needle.encode() in data for needle in needles)


# --- the in-process memo -------------------------------------------------------------------

_MEMO: dict[tuple[str, Path], tuple[object, object]] = {}
"""The last composed result and previous run per cache directory, with the state of its files
they were read from: the app asks for them several times per screen (board, overview, report),
and composing 1M rows from the base and the run costs ~0.1 s each time."""

_MEMO_ENTRIES = 4


def _cache_state(directory: Path) -> object:
    """Identity of every file in the cache directory (a write to any of them changes it)."""
    state = []
    for path in directory.glob("*.arrow"):
        try:
            found = path.stat()
        except FileNotFoundError:
            continue
        state.append((path.name, found.st_ino, found.st_mtime_ns, found.st_size))
    return tuple(sorted(state))


def _memoised(kind: str, directory: Path, read: Callable[[], _T]) -> _T:
    state = _cache_state(directory)
    kept = _MEMO.get((kind, directory))
    if kept is not None and kept[0] == state:
        return cast(_T, kept[1])
    with locked(directory):  # no writer replaces the files while they are put together
        value = read()
    _MEMO.pop((kind, directory), None)
    while len(_MEMO) >= _MEMO_ENTRIES:  # the oldest go: a process rarely opens many databases
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[(kind, directory)] = (state, value)
    return value


# --- runs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptRun:
    """A run as kept: the full file it patches, its name, the rows that differ from it and
    the run's metadata (generation, as_of, settings_hash, run_id, incarnation)."""

    full: pl.DataFrame
    full_name: str
    rows: pl.DataFrame
    meta: dict[str, str]
    directory: Path | None = None
    """Where the full file is, when its rows are in id order on disk (as `full`): `full_column`
    then reads one column of it at a time."""

    def full_column(self, name: str) -> pl.Series:
        """One column of `full`, read from its file alone when it can be: comparing a whole
        run column by column through the mapped file would keep every page of it resident
        (~270 MB at a million clients) until the run is written."""
        if self.directory is not None:
            try:
                return read_arrow_column(self.directory / self.full_name, name)
            except CacheError:
                pass  # removed meanwhile: the mapped copy is still readable
        return self.full.get_column(name)

    def computed(self, columns: Sequence[str] | None = None) -> pl.DataFrame:
        """The run's computed columns (all, or `columns` with `id`)."""
        names = self.full.columns if columns is None else [ID, *columns]
        return _apply_changes(self.full.select(names), self.rows.select(names))

    def ids_where(self, condition: pl.Expr) -> pl.Series:
        """The ids of the run's clients whose computed columns meet `condition`, in id order
        (only the columns it reads are read)."""
        replaced = pl.col(ID).is_in(self.rows.get_column(ID).implode())
        in_full = self.full.lazy().filter(~replaced & condition).select(ID)
        in_rows = self.rows.lazy().filter(condition).select(ID)
        return pl.concat([in_full, in_rows]).collect().get_column(ID).sort()

    def of(self, ids: pl.Series, columns: Sequence[str]) -> pl.DataFrame:
        """The run's `columns` (with `id`) of those of the clients `ids` it holds, in id
        order, without putting together the whole columns."""
        names = [ID, *columns]
        wanted = pl.col(ID).is_in(ids.implode())
        return _apply_changes(
            self.full.lazy().filter(wanted).select(names).collect(),
            self.rows.lazy().filter(wanted).select(names).collect(),
        )

    def patched(self, rows: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
        """`columns` (with `id`) of the run that differs from this one in `rows` alone (a
        later run's rows of some clients, new clients appended)."""
        names = [ID, *columns]
        return _apply_changes(self.computed(columns), rows.select(names))

    def rows_with(self, rows: pl.DataFrame) -> pl.DataFrame:
        """What `write_run(..., patched=True)` keeps of the run that differs from this one in
        `rows` alone: this run's rows over the same full file, those of `rows`' clients
        replaced, in id order."""
        kept = self.rows.filter(~pl.col(ID).is_in(rows.get_column(ID).implode()))
        return pl.concat([kept, rows.select(self.rows.columns)], how="vertical").sort(ID)


class _FullFileGone(CacheError):
    """The full file a run file names is missing (removed after a newer run replaced it)."""


def _read_run(directory: Path, name: str) -> KeptRun:
    """`results.arrow` or `previous.arrow`, resolved to the full file it patches.

    Another process may replace the run file and remove the full file it named between the
    two reads: the pair is then read again.
    """
    for _attempt in range(2):
        try:
            return _read_run_once(directory, name)
        except _FullFileGone:
            continue
    return _read_run_once(directory, name)


def _read_run_once(directory: Path, name: str) -> KeptRun:
    frame, meta = read_arrow(directory / name)
    over = meta.get("over")
    if not over:
        raise CacheError(store_words.cache_run_without_full(name))
    if not (directory / over).exists():
        raise _FullFileGone(store_words.cache_full_gone(name, over))
    full, _full_meta = read_arrow(directory / over)
    if full.columns != frame.columns:
        raise CacheError(store_words.cache_columns_differ(name, over))
    in_order = full.get_column(ID).is_sorted()
    return KeptRun(_in_id_order(full), over, frame, meta, directory if in_order else None)


def _delta(
    full: pl.DataFrame,
    computed: pl.DataFrame,
    column: Callable[[str], pl.Series] | None = None,
) -> pl.DataFrame | None:
    """The rows of `computed` that differ from `full` (new clients included), or None when the
    run cannot be written as such rows (a client gone, other columns) or they are too many.
    `column(name)` gives a column of `full` (by default `full.get_column`), one at a time."""
    if computed.columns != full.columns:
        return None
    old_ids, ids = full.get_column(ID), computed.get_column(ID)
    if computed.height < full.height or not ids.head(full.height).equals(old_ids):
        return None
    head = computed.head(full.height)
    limit = DELTA_SHARE * max(computed.height, 1) - (computed.height - full.height)
    differs = pl.repeat(False, full.height, eager=True)
    for name in computed.columns:
        if name != ID:
            old = full.get_column(name) if column is None else column(name)
            differs = differs | head.get_column(name).ne_missing(old)
            del old
            if differs.sum() > limit:
                return None  # too many already (a run of a new date: every recency moved)
    return pl.concat([head.filter(differs), computed.slice(full.height)], how="vertical")


def _remove_unused_runs(directory: Path, *, named_by: tuple[str, ...]) -> None:
    """Remove the full run files that none of the `named_by` files name in their `over`
    metadata, once older than RUN_FILE_GRACE_SECONDS."""
    named = set()
    for name in named_by:
        try:
            over = read_arrow_metadata(directory / name).get("over")
        except CacheError:
            continue
        if over:
            named.add(over)
    now = time.time()
    for path in directory.glob("run-*.arrow"):
        try:
            old = now - path.stat().st_mtime > RUN_FILE_GRACE_SECONDS
        except FileNotFoundError:
            continue
        if path.name not in named and old:
            path.unlink(missing_ok=True)


# --- the base ------------------------------------------------------------------------------


def _in_id_order(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame sorted by id, flagged as sorted so the engine's sort is free."""
    if not frame.get_column(ID).is_sorted():
        frame = frame.sort(ID)
    return frame.with_columns(pl.col(ID).set_sorted())


_AGGREGATES = frozenset([*AGGREGATE_COLUMNS, FIRST_DAY_CENTS])


def _apply_changes(base: pl.DataFrame, changed: pl.DataFrame) -> pl.DataFrame:
    """Overwrite changed rows at their place and append new clients (ids unique in both).

    The base is in id order, so a binary search finds each changed row. Only the columns whose
    values differ there are copied and scattered into; a join (DataFrame.update) costs several
    times more. When `changed` says which clients' own rows changed (CLIENT_CHANGED), the
    others are compared on the aggregate columns only: an orders import changes those, and
    reading a thousand scattered rows of every column touches most of the base's pages.
    """
    if changed.height == 0:
        return base
    ids = base.get_column(ID)
    is_known = changed.get_column(ID).is_in(ids.implode())
    known = changed.filter(is_known)
    own = known
    if CLIENT_CHANGED in changed.columns:
        own = known.filter(pl.col(CLIENT_CHANGED))
        changed = changed.drop(CLIENT_CHANGED)
    columns = []
    for rows in (known, own):
        at = ids.search_sorted(rows.get_column(ID), side="left")
        columns.append((rows, at))
    patched_columns = []
    for name in base.columns:
        rows, at = columns[0] if name in _AGGREGATES or own is known else columns[1]
        column = base.get_column(name)
        if rows.height:
            values = rows.get_column(name)
            if not values.equals(column.gather(at)):
                column = column.clone().scatter(at, values)
        patched_columns.append(column)
    patched = pl.DataFrame(patched_columns)
    added = changed.filter(~is_known)
    if added.height == 0:
        return patched
    return _in_id_order(pl.concat([patched, added], how="vertical"))


def _newest_rows(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The newest row per client of base parts (oldest first), CLIENT_CHANGED true when any
    part changed the client's own row."""
    rows = pl.concat(frames, how="vertical")
    newest = rows.unique(ID, keep="last", maintain_order=True)
    if CLIENT_CHANGED not in rows.columns:
        return newest
    own = rows.filter(pl.col(CLIENT_CHANGED)).get_column(ID)
    return newest.with_columns(pl.col(ID).is_in(own.implode()).alias(CLIENT_CHANGED))


def _base_parts(directory: Path, cached: int, current: int) -> tuple[pl.DataFrame | None, int]:
    """The base's parts that chain on from `cached` (up to `current`), newest row per client
    kept, and the generation they reach; a gap ends the chain."""
    frames = []
    for start, end, path in order_parts(directory, "base"):
        if start != cached or end > current:
            continue
        frame, _meta = read_arrow(path)
        frames.append(frame)
        cached = end
    if not frames:
        return None, cached
    return _newest_rows(frames), cached


def _base_at(directory: Path, target: int) -> pl.DataFrame:
    """base.arrow with its parts up to generation `target` applied (as it is when already
    past `target`: compacted by a later patch)."""
    base, meta = read_arrow(directory / "base.arrow")
    base = _in_id_order(base)
    cached = int(meta["generation"])
    if cached < target:
        changed, _reached = _base_parts(directory, cached, target)
        if changed is not None:
            base = _apply_changes(base, changed)
    return base


def _notify(on_progress: Progress | None, message: str, fraction: float) -> None:
    if on_progress is not None:
        on_progress(message, fraction)


def _rebuild_base(directory: Path, db: Database, derive: Derive, current: int) -> pl.DataFrame:
    clear_derived(directory)
    orders = write_order_part(directory, read_order_rows(db), start=0, end=current)
    aggregates = derive.aggregates([orders])
    clients = read_base(db)
    base = _in_id_order(
        clients.drop(list(AGGREGATE_COLUMNS), FIRST_DAY_CENTS)
        .lazy()
        .join(aggregates.lazy(), on=ID, how="left")
        .select(clients.columns)
        .collect()
    )
    write_arrow(directory / "base.arrow", base, {"generation": str(current)}, views=True)
    return base


def _patch_base(
    directory: Path,
    db: Database,
    base: pl.DataFrame,
    earlier: pl.DataFrame | None,
    cached: int,
    current: int,
) -> pl.DataFrame:
    """Bring the base from `cached` to `current`: the kept parts (`earlier`) and the rows
    changed since in SQLite applied in one pass, kept as a new part (or folded into a new
    base.arrow once the parts are a large share); the new orders join the mirror."""
    changed = read_base(db, since_generation=cached)
    new_orders = read_order_rows(db, since_generation=cached)
    write_order_part(directory, new_orders, start=cached, end=current)
    parts = changed if earlier is None else _newest_rows([earlier, changed])
    patched = _apply_changes(base, parts)
    if parts.height > COMPACT_SHARE * patched.height:
        write_arrow(directory / "base.arrow", patched, {"generation": str(current)}, views=True)
        for _s, _e, path in order_parts(directory, "base"):
            path.unlink(missing_ok=True)
    else:
        _write_base_part(directory, changed, start=cached, end=current)
    return patched


def _up_to_date_base(
    directory: Path, db: Database, derive: Derive, on_progress: Progress | None
) -> tuple[pl.DataFrame, int, bool]:
    """The base patched or rebuilt to the database's generation; (base, generation, rebuilt)."""
    current = generation(db)
    earlier = None
    try:
        base, meta = read_arrow(directory / "base.arrow")
        base = _in_id_order(base)
        cached = int(meta["generation"])
        usable = reset_generation(db) <= cached <= current
        if usable:
            earlier, cached = _base_parts(directory, cached, current)
    except (CacheError, KeyError, ValueError):
        usable = False
    if not usable:
        _notify(on_progress, store_words.CACHE_REBUILDING, 0.1)
        return _rebuild_base(directory, db, derive, current), current, True
    if cached < current:
        _notify(on_progress, store_words.CACHE_UPDATING, 0.1)
        base = _patch_base(directory, db, base, earlier, cached, current)
    elif earlier is not None:
        base = _apply_changes(base, earlier)
    return base, current, False


def _write_base_part(directory: Path, changed: pl.DataFrame, *, start: int, end: int) -> None:
    """Keep the clients changed after `start` as a part over base.arrow (parts past `start`,
    left by a crash, are dropped first)."""
    for _s, part_end, path in order_parts(directory, "base"):
        if part_end > start:
            path.unlink(missing_ok=True)
    write_arrow(directory / f"base-{start}-{end}.arrow", changed, {"generation": str(end)})


# --- the cooling windows -------------------------------------------------------------------


def _window_counts(
    directory: Path,
    derive: Derive,
    *,
    as_of: date,
    window_days: int,
    current: int,
    since: int,
) -> pl.DataFrame:
    """Orders per client in the two cooling windows as of `as_of`.

    Kept in `windows.arrow` for one as-of and window: orders are only ever added between
    resets (`since`) and rebuilds (which remove the file), so the counts of a later run are the
    kept ones plus those of the mirror's parts written after them (summed per client).
    """
    path = directory / "windows.arrow"
    after = as_of - timedelta(days=2 * window_days)  # the previous window's start
    try:
        kept, meta = read_arrow(path)
        kept_generation = int(meta["generation"])
        usable = (
            meta.get("as_of") == as_of.isoformat()
            and meta.get("window_days") == str(window_days)
            and since <= kept_generation <= current
            and _mirror_continues(directory, from_generation=kept_generation, to_generation=current)
        )
    except (CacheError, KeyError, ValueError):
        usable = False
    if usable:
        newer = read_orders(
            directory,
            up_to_generation=current,
            from_generation=kept_generation,
            after=after,
            until=as_of,
        )
        if newer.height == 0:
            return kept
        return _added_counts(kept, derive.window_counts(newer, as_of, window_days))
    counted = derive.window_counts(
        read_orders(directory, up_to_generation=current, after=after, until=as_of),
        as_of,
        window_days,
    ).sort(ID)
    meta = {"as_of": as_of.isoformat(), "window_days": str(window_days), "generation": str(current)}
    write_arrow(path, counted, meta)
    return counted


def _added_counts(kept: pl.DataFrame, added: pl.DataFrame) -> pl.DataFrame:
    """`kept` (counts per client, in id order) with `added` (counts per client, ids unique)
    summed in: at their place for the clients kept, appended for the others."""
    ids = kept.get_column(ID)
    if ids.len() == 0:
        return added
    at = ids.search_sorted(added.get_column(ID), side="left")
    is_kept = (at < ids.len()) & (ids.gather(at.clip(0, ids.len() - 1)) == added.get_column(ID))
    where = at.filter(is_kept)
    summed = [ids]
    for name in kept.columns:
        if name == ID:
            continue
        column = kept.get_column(name)
        more = added.get_column(name).filter(is_kept)
        summed.append(column.clone().scatter(where, column.gather(where) + more))
    return pl.concat([pl.DataFrame(summed), added.filter(~is_kept)], how="vertical")


def _mirror_continues(directory: Path, *, from_generation: int, to_generation: int) -> bool:
    """Whether the mirror's parts after `from_generation` chain on from it to `to_generation`
    (no part straddles it): only then are they exactly the orders written in between."""
    reached = from_generation
    for start, end, _path in order_parts(directory):
        if start < from_generation < end:
            return False
        if start == reached and end <= to_generation:
            reached = end
    return reached == to_generation


# --- the orders mirror ---------------------------------------------------------------------


def order_parts(directory: Path, prefix: str = "orders") -> list[tuple[int, int, Path]]:
    """The orders mirror's parts (or the base's, `prefix="base"`) as (from, to, path), oldest
    first."""
    parts = []
    for path in directory.glob(f"{prefix}-*-*.arrow"):
        try:
            start, end = (int(x) for x in path.stem.split("-")[1:3])
        except ValueError:
            continue
        parts.append((start, end, path))
    return sorted(parts)


def read_orders(
    directory: Path,
    *,
    up_to_generation: int,
    from_generation: int = 0,
    after: date | None = None,
    until: date | None = None,
) -> pl.DataFrame:
    """The mirror's orders with `after < date <= until` (either bound optional), from the
    parts written between `from_generation` and `up_to_generation`, as one frame."""
    frames = read_order_slices(
        directory,
        up_to_generation=up_to_generation,
        from_generation=from_generation,
        after=after,
        until=until,
    )
    if not frames:
        return pl.DataFrame(schema=ORDER_MIRROR_SCHEMA)
    return pl.concat(frames, rechunk=False)


def read_order_slices(
    directory: Path,
    *,
    up_to_generation: int,
    from_generation: int = 0,
    after: date | None = None,
    until: date | None = None,
) -> list[pl.DataFrame]:
    """`read_orders` part by part, oldest (the largest) first, each in its part's order.

    Parts are memory-mapped, not copied, and a part sorted by date gives its range as a slice.
    """
    frames = []
    for start, end, path in order_parts(directory):
        if end > up_to_generation or start < from_generation:
            continue
        part, _meta = read_arrow(path)
        day = part.get_column(Col.DATE)
        if day.null_count() == 0 and day.is_sorted():
            low = 0 if after is None else int(day.search_sorted(after, side="right"))
            high = part.height if until is None else int(day.search_sorted(until, side="right"))
            part = part.slice(low, max(0, high - low))
        else:
            if after is not None:
                part = part.filter(pl.col(Col.DATE) > after)
            if until is not None:
                part = part.filter(pl.col(Col.DATE) <= until)
        frames.append(part)
    return frames


def write_order_part(
    directory: Path, orders: pl.DataFrame, *, start: int, end: int
) -> pl.DataFrame:
    """Append a part (in MIRROR_ORDER) to the mirror, dropping parts left past `start` by a
    crash; returns the orders as written."""
    for _s, part_end, path in order_parts(directory):
        if part_end > start:
            path.unlink(missing_ok=True)
    ordered = orders.sort(*MIRROR_ORDER)
    if ordered.height:
        write_arrow(directory / f"orders-{start}-{end}.arrow", ordered)
    return ordered


def clear_derived(directory: Path) -> None:
    """Remove the files a full rebuild recreates (the runs are kept for the board)."""
    for path in [*directory.glob("orders-*-*.arrow"), *directory.glob("base-*-*.arrow")]:
        path.unlink(missing_ok=True)
    (directory / "base.arrow").unlink(missing_ok=True)
    (directory / "windows.arrow").unlink(missing_ok=True)


# --- identity ------------------------------------------------------------------------------


def confirm(directory: Path, db: Database, at: int) -> None:
    """Record that the folder was brought to generation `at` of this database (call under
    `locked`, after bringing it there)."""
    stamp = generation_stamp(db, at) or "-"
    temporary = directory / f".{IDENTITY_FILE}.{os.getpid()}.tmp"
    temporary.write_text(f"{incarnation(db)} {at} {stamp}", encoding="ascii")
    private_cache_file(temporary)  # Trust: never more open than the database
    os.replace(temporary, directory / IDENTITY_FILE)


def claim(directory: Path, db: Database) -> bool:
    """Make the folder this database's (call under `locked`): when it holds another's files
    (another incarnation or history), every one of them is removed first, and so is anything
    of another version beside it. True when foreign files were removed."""
    if belongs(directory, db):
        return False
    directory.mkdir(parents=True, exist_ok=True)
    private_cache_file(directory.parent)
    removed = False
    for path in directory.parent.iterdir():
        if path == directory:
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed = True
    for path in [*directory.glob("*.arrow"), directory / "board.json"]:
        if path.exists():
            path.unlink(missing_ok=True)
            removed = True
    confirm(directory, db, generation(db))
    return removed


# --- files ---------------------------------------------------------------------------------


def write_arrow(
    path: Path,
    frame: pl.DataFrame,
    metadata: dict[str, str] | None = None,
    *,
    views: bool = False,
) -> None:
    """Write an Arrow IPC file to a temporary name, then replace `path` atomically.

    `views` keeps Polars' string views: a larger file, but read back without converting a
    byte (for a file read on every run and rarely written, like base.arrow).
    """
    import pyarrow as pa  # only where a file is read or written: `board` needs neither
    import pyarrow.ipc as ipc

    _make_dir(path.parent)
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest() if views else None)
    table = table.replace_schema_metadata({k: str(v) for k, v in (metadata or {}).items()})
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with pa.OSFile(str(temporary), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    private_cache_file(temporary)  # Trust: never more open than the database
    os.replace(temporary, path)


def _write_json(path: Path, value: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    private_cache_file(temporary)  # Trust: never more open than the database
    os.replace(temporary, path)


def _make_dir(directory: Path) -> None:
    """The folder (and `<db>.cache/` above it), owner-only like every file in them."""
    if directory.is_dir():
        return
    directory.mkdir(parents=True, exist_ok=True)
    private_cache_file(directory.parent)
    private_cache_file(directory)


def read_arrow(path: Path) -> tuple[pl.DataFrame, dict[str, str]]:
    """An Arrow IPC file and its metadata; `CacheError` when missing or unreadable."""
    import pyarrow as pa  # only where a file is read or written: `board` needs neither
    import pyarrow.ipc as ipc

    try:
        with pa.memory_map(str(path), "r") as source:
            table = ipc.open_file(source).read_all()
    except (OSError, pa.ArrowInvalid) as error:
        raise CacheError(f"{path}: {error}") from error
    metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    frame = pl.from_arrow(table.replace_schema_metadata(None))
    if not isinstance(frame, pl.DataFrame):
        raise CacheError(store_words.cache_not_a_table(path))
    return frame, metadata


def read_arrow_columns(path: Path, columns: list[str]) -> pl.DataFrame:
    """Only some columns of an Arrow IPC file (the others are never read from disk)."""
    try:
        return pl.scan_ipc(path).select(columns).collect()
    except (OSError, pl.exceptions.PolarsError) as error:
        raise CacheError(f"{path}: {error}") from error


def read_arrow_column(path: Path, name: str) -> pl.Series:
    """One column of an Arrow IPC file, mapped on its own: its pages leave memory with it."""
    import pyarrow as pa  # only where a file is read or written: `board` needs neither
    import pyarrow.ipc as ipc

    try:
        with pa.memory_map(str(path), "r") as source:
            table = ipc.open_file(source).read_all().select([name])
    except (OSError, KeyError, pa.ArrowInvalid) as error:
        raise CacheError(f"{path}: {error}") from error
    # as a one-column table: Polars converts a bare column through pyarrow.compute, whose
    # import alone costs ~60 ms of a small import's re-segmentation (measured)
    frame = pl.from_arrow(table)
    if not isinstance(frame, pl.DataFrame):
        raise CacheError(store_words.cache_not_a_column(path, name))
    return frame.to_series().alias(name)


def read_arrow_metadata(path: Path) -> dict[str, str]:
    """Only the metadata of an Arrow IPC file (cheap: reads the schema)."""
    import pyarrow as pa  # only where a file is read or written: `board` needs neither
    import pyarrow.ipc as ipc

    try:
        with pa.memory_map(str(path), "r") as source:
            schema = ipc.open_file(source).schema
    except (OSError, pa.ArrowInvalid) as error:
        raise CacheError(f"{path}: {error}") from error
    return {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()}


def keep_as(path: Path, target: Path) -> None:
    """Make `target` the file `path` is now, without copying (a hard link, then an atomic
    replace), so that `path` can be replaced next; a copy where links are not allowed."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(path, temporary)
    except FileNotFoundError:
        return
    except OSError:
        shutil.copyfile(path, temporary)
        private_cache_file(temporary)  # Trust: never more open than the database
    os.replace(temporary, target)


# --- the lock ------------------------------------------------------------------------------


@dataclass
class _DirectoryLock:
    threads: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    handle: IO[str] | None = None


_LOCKS: dict[Path, _DirectoryLock] = {}
_LOCKS_GUARD = threading.Lock()


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold the cache directory's lock while files are read or replaced together.

    Between processes an advisory `flock` on `<dir>/.lock`; between threads of one process a
    re-entrant lock (a nested `locked` in the same thread does not wait for itself). Where the
    directory cannot hold a lock file (read-only disk, no `fcntl`) it goes on unlocked.
    """
    with _LOCKS_GUARD:
        entry = _LOCKS.setdefault(directory.resolve(), _DirectoryLock())
    with entry.threads:
        if entry.depth == 0:
            entry.handle = _flock(directory)
        entry.depth += 1
        try:
            yield
        finally:
            entry.depth -= 1
            if entry.depth == 0 and entry.handle is not None:
                entry.handle.close()  # closing the file releases the flock
                entry.handle = None


def _flock(directory: Path) -> IO[str] | None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    try:
        _make_dir(directory)
        handle = open(directory / ".lock", "a")  # noqa: SIM115 - held until released
        private_cache_file(directory / ".lock")  # Trust: never more open than the database
    except OSError:
        return None
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle
