"""Segmentation's inputs from SQLite and its derived cache of Arrow IPC files beside the database.

SQLite holds what people entered; everything under `<db>.cache/` is derived and rebuilt when it
is missing, corrupt or older than `meta.reset_generation`:

- `base.arrow`: one row per client (cadastro + owner name + order aggregates), BASE_SCHEMA;
- `base-<from>-<to>.arrow`: the clients changed with `from < generation <= to`, applied over
  `base.arrow` in order, so a small import does not rewrite the whole base;
- `orders-<from>-<to>.arrow`: the orders mirror (client_id, date, amount_cents), one part per
  patch, holding orders with `from < generation <= to`, sorted by date and client (MIRROR_ORDER)
  so that a range of dates is a slice;
- `run-<generation>-<ns>.arrow`: a run's computed columns whole (COMPUTED_SCHEMA);
- `windows.arrow`: orders per client in the two cooling windows of one as-of, with the
  generation it counted up to;
- `results.arrow`: the last run: its rows that differ from the full run file named by its
  `over` metadata (none when it is that file's own run), with its generation, as_of,
  settings hash and `run_id` (the `segment_runs` row it is); the client columns of a result
  are read back from the base at its generation;
- `previous.arrow`: the run before it (the last `results.arrow`, kept by a hard link), for the
  board's movements.

`identity` names the layout (FORMAT) and the database incarnation (`store.db.incarnation`) the
files were built for: files of an older layout or of another incarnation (a restored backup, a
migrated file, a copy that brought another database's folder) are foreign and removed before
anything is built (`claim`); readers treat them as missing (`is_own`).

Every file is written to a temporary name and `os.replace`d; `base.arrow` and `results.arrow`
carry their generation (and as_of and settings hash) in the Arrow schema metadata.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc
from sqlite_utils import Database

from carteira_tui.errors import CarteiraError
from carteira_tui.model import (
    AGGREGATE_COLUMNS,
    BASE_SCHEMA,
    CLIENT_COLUMNS,
    FORECAST_INPUT_COLUMNS,
    ID,
    Col,
)
from carteira_tui.store.db import generation, generation_stamp, incarnation
from carteira_tui.store.files import private_cache_file

_CHUNK_ROWS = 500_000
_BOOL_COLUMNS = [name for name, dtype in CLIENT_COLUMNS.items() if dtype == pl.Boolean()]
MIRROR_ORDER = (Col.DATE, Col.CLIENT_ID)
"""Each part of the orders mirror is sorted by date, then client: a date range is a slice, and
a client's orders on one day are neighbours (engine.aggregates.order_aggregates_of_sorted)."""
ORDER_MIRROR_SCHEMA: dict[str, pl.DataType] = {
    Col.CLIENT_ID: pl.Int64(),
    Col.DATE: pl.Date(),
    Col.AMOUNT_CENTS: pl.Int64(),
}


class CacheError(CarteiraError, RuntimeError):
    """A cache file that cannot be read (missing, truncated, foreign): rebuild it."""


# --- reads from SQLite ---------------------------------------------------------------------


def _client_select() -> str:
    columns = [
        f"c.{name}" if name not in (ID, Col.OWNER) else ("c.id" if name == ID else "o.name")
        for name in CLIENT_COLUMNS
    ]
    aggregates = [f"a.{name}" for name in AGGREGATE_COLUMNS]
    # written with the aggregates (store.aggregates), so their generation covers it
    aggregates += [f"f.{name}" for name in FORECAST_INPUT_COLUMNS]
    return (
        f"SELECT {', '.join(columns + aggregates)} FROM clients c "
        "LEFT JOIN owners o ON o.id = c.owner_id "
        "LEFT JOIN client_aggregates a ON a.client_id = c.id "
        "LEFT JOIN client_first_day f ON f.client_id = c.id"
    )


def _frames(cursor: sqlite3.Cursor, schema: dict[str, pl.DataType]) -> Iterator[pl.DataFrame]:
    raw_schema = {
        name: (pl.String() if dtype in (pl.Date(), pl.Boolean()) else dtype)
        for name, dtype in schema.items()
    }
    while rows := cursor.fetchmany(_CHUNK_ROWS):
        yield pl.DataFrame(rows, schema=raw_schema, orient="row")


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    conversions = []
    for name, dtype in schema.items():
        if dtype == pl.Date():
            conversions.append(pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        elif dtype == pl.Boolean():
            conversions.append(pl.col(name).cast(pl.Int64, strict=False).cast(pl.Boolean))
    return frame.with_columns(conversions) if conversions else frame


def _read(
    db: Database, sql: str, params: list[object], schema: dict[str, pl.DataType]
) -> pl.DataFrame:
    raw_schema = {
        name: (pl.String() if dtype in (pl.Date(), pl.Boolean()) else dtype)
        for name, dtype in schema.items()
    }
    cursor = db.conn.execute(sql, params)
    parts = [_typed(part, schema) for part in _frames(cursor, schema)]
    if not parts:
        return _typed(pl.DataFrame(schema=raw_schema), schema)
    return pl.concat(parts, rechunk=True)


def read_base(db: Database, *, since_generation: int | None = None) -> pl.DataFrame:
    """Clients with owner name and stored aggregates; only rows changed after a generation.

    A client is returned when its row or its aggregates row carries a generation above
    `since_generation` (all clients when None).
    """
    sql = _client_select()
    params: list[object] = []
    if since_generation is not None:
        # two indexed look-ups: an OR across the joined tables would scan every client
        sql += (
            " WHERE c.id IN (SELECT id FROM clients WHERE generation > ?"
            " UNION SELECT client_id FROM client_aggregates WHERE generation > ?)"
        )
        params = [since_generation, since_generation]
    frame = _read(db, sql, params, BASE_SCHEMA)
    return frame.with_columns(pl.col(name).fill_null(False) for name in _BOOL_COLUMNS)


def read_order_rows(db: Database, *, since_generation: int = 0) -> pl.DataFrame:
    """Orders (client_id, date, amount_cents) written after `since_generation` (all when 0)."""
    sql = "SELECT client_id, date, amount_cents FROM orders"
    params: list[object] = []
    if since_generation > 0:
        sql += " WHERE generation > ?"
        params = [since_generation]
    return _read(db, sql, params, ORDER_MIRROR_SCHEMA)


# --- the Arrow cache -----------------------------------------------------------------------


def cache_dir(db_path: Path) -> Path:
    """Where the derived files of a database live: `<db>.cache/` beside it."""
    return db_path.with_name(db_path.name + ".cache")


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
    path.parent.mkdir(parents=True, exist_ok=True)
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest() if views else None)
    table = table.replace_schema_metadata({k: str(v) for k, v in (metadata or {}).items()})
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with pa.OSFile(str(temporary), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    private_cache_file(temporary)  # Trust: never more open than the database
    os.replace(temporary, path)


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
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(directory / ".lock", "a")  # noqa: SIM115 - held until released
        private_cache_file(directory / ".lock")  # Trust: never more open than the database
    except OSError:
        return None
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


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


def read_arrow(path: Path) -> tuple[pl.DataFrame, dict[str, str]]:
    """An Arrow IPC file and its metadata; `CacheError` when missing or unreadable."""
    try:
        with pa.memory_map(str(path), "r") as source:
            table = ipc.open_file(source).read_all()
    except (OSError, pa.ArrowInvalid) as error:
        raise CacheError(f"{path}: {error}") from error
    metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    frame = pl.from_arrow(table.replace_schema_metadata(None))
    if not isinstance(frame, pl.DataFrame):
        raise CacheError(f"{path}: não é uma tabela")
    return frame, metadata


def read_arrow_columns(path: Path, columns: list[str]) -> pl.DataFrame:
    """Only some columns of an Arrow IPC file (the others are never read from disk)."""
    try:
        return pl.scan_ipc(path).select(columns).collect()
    except (OSError, pl.exceptions.PolarsError) as error:
        raise CacheError(f"{path}: {error}") from error


def read_arrow_metadata(path: Path) -> dict[str, str]:
    """Only the metadata of an Arrow IPC file (cheap: reads the schema)."""
    try:
        with pa.memory_map(str(path), "r") as source:
            schema = ipc.open_file(source).schema
    except (OSError, pa.ArrowInvalid) as error:
        raise CacheError(f"{path}: {error}") from error
    return {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()}


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


def scan_orders(directory: Path, *, up_to_generation: int) -> pl.LazyFrame:
    """The orders mirror as one lazy frame (parts up to a generation; empty when none)."""
    paths = [p for _s, end, p in order_parts(directory) if end <= up_to_generation]
    if not paths:
        return pl.LazyFrame(schema=ORDER_MIRROR_SCHEMA)
    return pl.scan_ipc([str(p) for p in paths])


def mirror_continues(directory: Path, *, from_generation: int, to_generation: int) -> bool:
    """Whether the mirror's parts after `from_generation` chain on from it to `to_generation`
    (no part straddles it): only then are they exactly the orders written in between."""
    reached = from_generation
    for start, end, _path in order_parts(directory):
        if start < from_generation < end:
            return False
        if start == reached and end <= to_generation:
            reached = end
    return reached == to_generation


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


def write_base_part(directory: Path, changed: pl.DataFrame, *, start: int, end: int) -> None:
    """Keep the clients changed after `start` as a part over base.arrow (parts past `start`,
    left by a crash, are dropped first)."""
    for _s, part_end, path in order_parts(directory, "base"):
        if part_end > start:
            path.unlink(missing_ok=True)
    write_arrow(directory / f"base-{start}-{end}.arrow", changed, {"generation": str(end)})


def clear_base_parts(directory: Path) -> None:
    """Remove the base's parts (after base.arrow has been rewritten with them folded in)."""
    for _s, _e, path in order_parts(directory, "base"):
        path.unlink(missing_ok=True)


RUN_FILE_GRACE_SECONDS = 60.0
"""A full run file younger than this is never removed: another process may be about to name
it (it writes the full file first, then the run file that names it)."""


def remove_unused_runs(directory: Path, *, named_by: tuple[str, ...]) -> None:
    """Remove the full run files (`run-*.arrow`) that none of the `named_by` files name in
    their `over` metadata, once older than RUN_FILE_GRACE_SECONDS."""
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


IDENTITY_FILE = "identity"
FORMAT = "2"
"""The layout of the files below. `identity` names it beside the incarnation, so files of an
older layout are foreign like another database's: removed and rebuilt, never read."""


def _identity(directory: Path) -> list[str]:
    """FORMAT, incarnation, the generation the folder was last brought to and its stamp."""
    try:
        return (directory / IDENTITY_FILE).read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return []


def is_own(directory: Path, incarnation: str) -> bool:
    """Whether the folder's files were built, in this layout, for this database incarnation."""
    found = _identity(directory)
    return bool(incarnation) and found[:2] == [FORMAT, incarnation]


def belongs(directory: Path, db: Database) -> bool:
    """Whether the folder's files were built for this database as it is: its incarnation, and
    the stamp of the generation they were last brought to (a file copied back over the
    database by hand keeps the incarnation, never the stamps)."""
    found = _identity(directory)
    if len(found) != 4 or not is_own(directory, incarnation(db)):
        return False
    try:
        at = int(found[2])
    except ValueError:
        return False
    return generation_stamp(db, at) == (found[3] if found[3] != "-" else "")


def confirm(directory: Path, db: Database, at: int) -> None:
    """Record that the folder was brought to generation `at` of this database (call under
    `locked`, after bringing it there)."""
    stamp = generation_stamp(db, at) or "-"
    temporary = directory / f".{IDENTITY_FILE}.{os.getpid()}.tmp"
    temporary.write_text(f"{FORMAT} {incarnation(db)} {at} {stamp}", encoding="ascii")
    private_cache_file(temporary)  # Trust: never more open than the database
    os.replace(temporary, directory / IDENTITY_FILE)


def claim(directory: Path, db: Database) -> bool:
    """Make the folder this database's (call under `locked`): when it holds another's files
    (another incarnation, layout or history), every one of them is removed first. True when
    foreign files were removed."""
    if belongs(directory, db):
        return False
    directory.mkdir(parents=True, exist_ok=True)
    removed = False
    for path in directory.glob("*.arrow"):
        path.unlink(missing_ok=True)
        removed = True
    confirm(directory, db, generation(db))
    return removed


def clear_cache(directory: Path) -> None:
    """Remove the derived files that a full rebuild recreates (results are kept for the board)."""
    for path in [*directory.glob("orders-*-*.arrow"), *directory.glob("base-*-*.arrow")]:
        path.unlink(missing_ok=True)
    (directory / "base.arrow").unlink(missing_ok=True)
    (directory / "windows.arrow").unlink(missing_ok=True)
