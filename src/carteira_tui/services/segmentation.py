"""Segmentation services: the per-client results, their cache, the board, explain and preview.

The TUI and the CLI call these. `current_results` opens the cached result at once and never
recomputes; `resegment` brings the cache up to date (patching it from rows written after its
generation, or rebuilding it whole) and recomputes every client. Segments are edited here too.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar, cast

import polars as pl
from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.engine import filters, metrics
from carteira_tui.engine.aggregates import first_day_revenue, order_aggregates_of_sorted
from carteira_tui.engine.cadence import cadence_of
from carteira_tui.engine.explain import ClientExplanation
from carteira_tui.engine.explain import explain_client as explain_row
from carteira_tui.engine.forecast import FORECAST_COLUMNS, P_ALIVE, with_heading_out
from carteira_tui.engine.schema import (
    AGGREGATE_COLUMNS,
    BASE_SCHEMA,
    CLIENT_RESULT_COLUMNS,
    COMPUTED_SCHEMA,
    ID,
    RESULT_SCHEMA,
    WINDOW_SCHEMA,
    same_clients,
)
from carteira_tui.engine.segment import segment_clients
from carteira_tui.engine.segments import CompiledSegment
from carteira_tui.errors import CarteiraError
from carteira_tui.model import FIRST_DAY_CENTS, Col, format_count, format_seconds
from carteira_tui.services import forecast as forecast_service
from carteira_tui.services.history import record_run
from carteira_tui.store import history as history_store
from carteira_tui.store import interactions as interactions_store
from carteira_tui.store import results as cache
from carteira_tui.store import segments as segment_store
from carteira_tui.store.audit import write_audit
from carteira_tui.store.db import (
    connect,
    generation,
    incarnation,
    is_read_only,
    reset_generation,
)

__all__ = [
    "Board",
    "BoardRow",
    "ClientExplanation",
    "Preview",
    "SegmentResults",
    "SegmentRun",
    "SegmentationError",
    "board",
    "current_results",
    "explain_client",
    "last_run_changed_settings",
    "preview_settings",
    "previous_run",
    "resegment",
    "results_status",
]

Progress = Callable[[str, float], None]
_T = TypeVar("_T")


class SegmentationError(CarteiraError, ValueError):
    """A request the service cannot fulfil (bad filter, unknown client), with a pt-BR message."""


@dataclass(frozen=True)
class SegmentResults:
    """The last stored per-client result (RESULT_SCHEMA) and what it was computed for."""

    frame: pl.DataFrame
    as_of: date | None
    generation: int
    stale: bool
    missing: bool = False
    """No result of this database is kept (none yet, or the cache beside it is another
    incarnation's): never shown, computed first."""


@dataclass(frozen=True)
class SegmentRun:
    """A finished recomputation (or the kept one, `unchanged`, when nothing moved since)."""

    frame: pl.DataFrame
    as_of: date
    generation: int
    rebuilt: bool
    seconds: float
    unchanged: bool = False
    recorded: bool = True
    """False for a look at a date before the last run's (or in read-only mode): a query."""
    settings_changed: bool = False
    """The run used other settings than the one before: its movements are the settings'."""

    def describe(self) -> str:
        """One pt-BR line for people (the app's notice and the import's closing line)."""
        day = self.as_of.strftime("%d/%m/%Y")
        clients = format_count(self.frame.height)
        if not self.recorded:
            return f"Consulta da segmentação em {day} ({clients} clientes): nada registrado."
        if self.unchanged:
            return f"Segmentação de {day} já estava em dia: nada mudou ({clients} clientes)."
        took = format_seconds(self.seconds)
        return f"Segmentação de {day} recalculada em {took} ({clients} clientes)."


@dataclass(frozen=True)
class BoardRow:
    """One line of the board: a segment or a status."""

    dimension: str
    value: str
    clients: int
    revenue_cents: int
    share: float
    entered: int
    left: int
    expected_revenue_90d: float | None = None
    """Σ expected purchase days in 90 days × expected ticket (reais); None without a fit."""


@dataclass(frozen=True)
class Board:
    """Per segment and per status: clients, revenue, share, movements since the previous run."""

    as_of: date | None
    rows: list[BoardRow]
    has_previous: bool
    settings_changed: bool = False
    """The last run used other settings than the one before: its entries and exits are
    "movimentos por mudança de configuração", not the clients' behaviour."""


@dataclass(frozen=True)
class Preview:
    """Counts per status, class and segment under the current and the proposed settings."""

    rows: list[tuple[str, str, int, int]]
    """(dimension, value, current count, proposed count)."""
    settings: Settings


# --- filters -------------------------------------------------------------------------------


def compile_filter(text: str, *, as_of: date) -> pl.Expr:
    """Compile filter-language text over the result columns; a mistake is a SegmentationError."""
    try:
        return filters.compile_filter(text, as_of=as_of, schema=dict(RESULT_SCHEMA))
    except filters.FilterError as error:
        raise SegmentationError(f"filtro inválido: {error}") from error


def _compiled_segments(db: Database, as_of: date) -> list[CompiledSegment]:
    return [
        CompiledSegment(row.name, row.plan, compile_filter(row.filter, as_of=as_of))
        for row in segment_store.read_segments(db)
    ]


SEGMENTATION_KEYS = (
    "active_days",
    "recent_days",
    "abc_a",
    "abc_b",
    "cooling_window_days",
    "cooling_ratio",
    "exclusions",
)
"""The settings a segmentation depends on (with the segments): a run records them."""


def settings_used(settings: Settings, db: Database) -> dict[str, object]:
    """What a run is computed from besides the data: the thresholds and the segments."""
    relevant: dict[str, object] = {
        k: v for k, v in settings.as_dict().items() if k in SEGMENTATION_KEYS
    }
    relevant["segments"] = [[r.name, r.filter, r.plan] for r in segment_store.read_segments(db)]
    return relevant


def _settings_hash(settings: Settings, db: Database) -> str:
    relevant = {
        k: v
        for k, v in settings.as_dict().items()
        if k
        in (
            "active_days",
            "recent_days",
            "abc_a",
            "abc_b",
            "cooling_window_days",
            "cooling_ratio",
            "exclusions",
        )
    }
    relevant["segments"] = [(r.name, r.filter, r.plan) for r in segment_store.read_segments(db)]
    relevant["cadences"] = sorted(segment_store.read_segment_cadences(db).items())
    relevant["forecast_fit"] = forecast_service.kept_id(db)  # a new fit rescores everyone
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]


# --- the base cache ------------------------------------------------------------------------


def _notify(on_progress: Progress | None, message: str, fraction: float) -> None:
    if on_progress is not None:
        on_progress(message, fraction)


def _rebuild_base(db: Database, directory: Path, current: int) -> pl.DataFrame:
    cache.clear_cache(directory)
    orders = cache.write_order_part(directory, cache.read_order_rows(db), start=0, end=current)
    aggregates = order_aggregates_of_sorted([orders]).rename({Col.CLIENT_ID: ID})
    first_day = first_day_revenue([orders], aggregates, key=ID)
    clients = cache.read_base(db).drop(list(AGGREGATE_COLUMNS), FIRST_DAY_CENTS)
    base = _in_id_order(
        clients.lazy()
        .join(aggregates.lazy(), on=ID, how="left")
        .join(first_day.lazy(), on=ID, how="left")
        .select(list(BASE_SCHEMA))
        .collect()
    )
    cache.write_arrow(directory / "base.arrow", base, {"generation": str(current)}, views=True)
    return base


COMPACT_SHARE = 0.05
"""Fold the base's parts into base.arrow once they hold this share of its rows."""


def _apply_changes(base: pl.DataFrame, changed: pl.DataFrame) -> pl.DataFrame:
    """Overwrite changed rows at their place and append new clients (ids unique in both).

    The base is in id order, so a binary search finds each changed row. Only the columns whose
    values differ there are copied and scattered into (an orders import changes the five
    aggregate columns, not the names and e-mails); a join (DataFrame.update) costs several
    times more.
    """
    if changed.height == 0:
        return base
    ids = base.get_column(ID)
    is_known = changed.get_column(ID).is_in(ids.implode())
    known = changed.filter(is_known)
    at = ids.search_sorted(known.get_column(ID), side="left")
    before = base.select(pl.all().gather(at))
    columns = []
    for name in base.columns:
        column, values = base.get_column(name), known.get_column(name)
        if not values.equals(before.get_column(name)):
            column = column.clone().scatter(at, values)
        columns.append(column)
    patched = pl.DataFrame(columns)
    added = changed.filter(~is_known)
    if added.height == 0:
        return patched
    return _in_id_order(pl.concat([patched, added], how="vertical"))


def _base_parts(directory: Path, cached: int, current: int) -> tuple[pl.DataFrame | None, int]:
    """The base's parts that chain on from `cached` (up to `current`), newest row per client
    kept, and the generation they reach; a gap ends the chain."""
    frames = []
    for start, end, path in cache.order_parts(directory, "base"):
        if start != cached or end > current:
            continue
        frame, _meta = cache.read_arrow(path)
        if dict(frame.schema) != BASE_SCHEMA:
            break
        frames.append(frame)
        cached = end
    if not frames:
        return None, cached
    changed = pl.concat(frames, how="vertical").unique(ID, keep="last", maintain_order=True)
    return changed, cached


def _patch_base(
    db: Database,
    directory: Path,
    base: pl.DataFrame,
    earlier: pl.DataFrame | None,
    cached: int,
    current: int,
) -> pl.DataFrame:
    """Bring the base from `cached` to `current`: the kept parts (`earlier`) and the rows
    changed since in SQLite applied in one pass, kept as a new part (or folded into a new
    base.arrow once the parts are a large share); the new orders join the mirror."""
    changed = cache.read_base(db, since_generation=cached)
    new_orders = cache.read_order_rows(db, since_generation=cached)
    cache.write_order_part(directory, new_orders, start=cached, end=current)
    parts = (
        changed
        if earlier is None
        else pl.concat([earlier, changed], how="vertical").unique(
            ID, keep="last", maintain_order=True
        )
    )
    patched = _apply_changes(base, parts)
    if parts.height > COMPACT_SHARE * patched.height:
        cache.write_arrow(
            directory / "base.arrow", patched, {"generation": str(current)}, views=True
        )
        cache.clear_base_parts(directory)
    else:
        cache.write_base_part(directory, changed, start=cached, end=current)
    return patched


_SPAN_COLUMNS = [
    ID,
    Col.FIRST_PURCHASE,
    Col.LAST_PURCHASE,
    Col.MONETARY_CENTS,
    Col.PURCHASE_DAYS,
    FIRST_DAY_CENTS,
]


def current_spans(db: Database, db_path: Path) -> pl.DataFrame | None:
    """The base cache's aggregate columns (id, first/last purchase, monetary, purchase days,
    first-day revenue) when the cache is this database's and reaches its generation from
    base.arrow and its parts alone (nothing read from SQLite, nothing written), else None: the
    forecast then reads its inputs from SQLite."""
    directory = cache.cache_dir(db_path)
    if not cache.is_own(directory, incarnation(db)):
        return None
    current, since = generation(db), reset_generation(db)
    try:
        with cache.locked(directory):
            cached = int(cache.read_arrow_metadata(directory / "base.arrow")["generation"])
            if not since <= cached <= current:
                return None
            base = cache.read_arrow_columns(directory / "base.arrow", _SPAN_COLUMNS)
            if cached < current:
                changed, reached = _base_parts(directory, cached, current)
                if reached != current or changed is None:
                    return None
                base = _apply_changes(_in_id_order(base), changed.select(_SPAN_COLUMNS))
    except (cache.CacheError, KeyError, ValueError, OSError):
        return None
    schema = dict(base.schema)
    if any(schema.get(name) != BASE_SCHEMA[name] for name in _SPAN_COLUMNS if name != ID):
        return None
    return base


def _in_id_order(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame sorted by id, flagged as sorted so the engine's sort is free."""
    if not frame.get_column(ID).is_sorted():
        frame = frame.sort(ID)
    return frame.with_columns(pl.col(ID).set_sorted())


def _up_to_date_base(
    db: Database, db_path: Path, on_progress: Progress | None
) -> tuple[pl.DataFrame, int, bool]:
    """The base frame patched or rebuilt to the database's generation; (base, gen, rebuilt)."""
    directory = cache.cache_dir(db_path)
    current = generation(db)
    earlier = None
    try:
        base, meta = cache.read_arrow(directory / "base.arrow")
        base = _in_id_order(base)
        cached = int(meta["generation"])
        usable = reset_generation(db) <= cached <= current and dict(base.schema) == BASE_SCHEMA
        if usable:
            earlier, cached = _base_parts(directory, cached, current)
    except (cache.CacheError, KeyError, ValueError):
        usable = False
    if not usable:
        _notify(on_progress, "Reconstruindo o cache a partir dos pedidos…", 0.1)
        return _rebuild_base(db, directory, current), current, True
    if cached < current:
        _notify(on_progress, "Atualizando o cache com as mudanças…", 0.1)
        base = _patch_base(db, directory, base, earlier, cached, current)
    elif earlier is not None:
        base = _apply_changes(base, earlier)
    return base, current, False


def _window_counts(
    directory: Path, *, as_of: date, window_days: int, current: int, since: int
) -> pl.DataFrame:
    """Orders per client in the two cooling windows as of `as_of` (metrics.window_counts).

    Kept in `windows.arrow` for one as-of and window: orders are only ever added between
    resets (`since`) and rebuilds (which remove the file), so the counts of a later run are the
    kept ones plus those of the mirror's parts written after them.
    """
    path = directory / "windows.arrow"
    previous_start, _last_start, _end = metrics.window_bounds(as_of, window_days)
    try:
        kept, meta = cache.read_arrow(path)
        kept_generation = int(meta["generation"])
        usable = (
            meta.get("as_of") == as_of.isoformat()
            and meta.get("window_days") == str(window_days)
            and since <= kept_generation <= current
            and dict(kept.schema) == WINDOW_SCHEMA
            and cache.mirror_continues(
                directory, from_generation=kept_generation, to_generation=current
            )
        )
    except (cache.CacheError, KeyError, ValueError):
        usable = False
    if usable:
        newer = cache.read_orders(
            directory,
            up_to_generation=current,
            from_generation=kept_generation,
            after=previous_start,
            until=as_of,
        )
        if newer.height == 0:
            return kept
        added = metrics.window_counts(newer.lazy(), as_of=as_of, window_days=window_days)
        return (
            pl.concat([kept.lazy(), added], how="vertical")
            .group_by(ID)
            .agg(pl.col(name).sum() for name in WINDOW_SCHEMA if name != ID)
            .collect()
        )
    in_windows = cache.read_orders(
        directory, up_to_generation=current, after=previous_start, until=as_of
    )
    windows = metrics.window_counts(in_windows.lazy(), as_of=as_of, window_days=window_days)
    counted = windows.collect()
    meta = {"as_of": as_of.isoformat(), "window_days": str(window_days), "generation": str(current)}
    cache.write_arrow(path, counted, meta)
    return counted


def _compute(
    db: Database,
    db_path: Path,
    *,
    as_of: date,
    settings: Settings,
    on_progress: Progress | None = None,
    digest: str | None = None,
) -> tuple[pl.DataFrame, int, bool]:
    directory = cache.cache_dir(db_path)
    scored: pl.DataFrame | None = None
    # One process at a time brings the cache up to date and maps the files it reads; the
    # computing below works on the mapped files, which stay valid if they are replaced.
    with cache.locked(directory):
        if cache.claim(directory, db):
            _notify(on_progress, "Cache de outra cópia do banco descartado.", 0.05)
        base, current, rebuilt = _up_to_date_base(db, db_path, on_progress)
        cache.confirm(directory, db, current)
        latest = base.get_column(Col.LAST_PURCHASE).max()
        past = latest is not None and isinstance(latest, date) and as_of < latest
        orders = (
            cache.read_order_slices(directory, up_to_generation=current, until=as_of)
            if past
            else None
        )
        windows = _window_counts(
            directory,
            as_of=as_of,
            window_days=settings.cooling_window_days,
            current=current,
            since=reset_generation(db),
        )
        last = _stored_results(directory)  # read once for the two below
        if digest is not None and not rebuilt and forecast_service.kept_id(db) is not None:
            scored = _scored_before(last, as_of=as_of, digest=digest, since=reset_generation(db))
        before = scored.select(ID, P_ALIVE) if scored is not None else _last_p_alive(last)
    if orders is not None:
        # the parts are in date-then-client order, and up to as_of already
        aggregates = order_aggregates_of_sorted(orders).rename({Col.CLIENT_ID: ID})
        # put beside the base in its own (id) order: joining the wide base would re-sort it
        aligned = (
            base.select(ID)
            .join(aggregates, on=ID, how="left", maintain_order="left")
            .join(
                first_day_revenue(orders, aggregates, key=ID),
                on=ID,
                how="left",
                maintain_order="left",
            )
        )
        base = base.with_columns(
            aligned.get_column(name) for name in (*AGGREGATE_COLUMNS, FIRST_DAY_CENTS)
        )
        rebuilt = True
    _notify(on_progress, "Segmentando…", 0.5)
    # One row per client, many columns: the in-memory engine runs this plan about twice as
    # fast as the streaming one (measured at 1M clients); the counts over orders above stream.
    frame = segment_clients(
        base.lazy(),
        windows.lazy(),
        as_of=as_of,
        settings=settings,
        segments=_compiled_segments(db, as_of),
    ).collect(engine="in-memory")
    # scored with the kept fit, on the base's first-day revenue (in id order, as the frame)
    frame = forecast_service.with_forecast(
        db, frame, as_of=as_of, first_day=base.select(ID, FIRST_DAY_CENTS), previous=scored
    )
    # "a caminho da inativação" against the run kept now, which this one pushes to
    # previous.arrow: the pair the alert compares (services.watch.alerts)
    same_ids = before is not None and before.get_column(ID).equals(frame.get_column(ID))
    frame = with_heading_out(
        frame.lazy(), None if before is None else before.lazy(), aligned=same_ids
    ).collect()
    frame = _with_cadence(db, frame, as_of=as_of)
    return frame, current, rebuilt


def _with_cadence(db: Database, frame: pl.DataFrame, *, as_of: date) -> pl.DataFrame:
    """`frame` with its `cadence` column: the client's segment cadence against the last contact
    up to `as_of` (the last interactions come from `client_last_contact`, not a scan)."""
    last = interactions_store.read_last_contacts(db, before=as_of + timedelta(days=1))
    cadences = segment_store.read_segment_cadences(db)
    return frame.with_columns(cadence_of(frame, last, cadences, as_of=as_of))


# --- services ------------------------------------------------------------------------------


def _base_at(directory: Path, target: int) -> pl.DataFrame:
    """base.arrow with its parts up to generation `target` applied (as it is when already
    past `target`: compacted by a later patch)."""
    base, meta = cache.read_arrow(directory / "base.arrow")
    if dict(base.schema) != BASE_SCHEMA:
        raise cache.CacheError("base.arrow: esquema antigo")
    base = _in_id_order(base)
    cached = int(meta["generation"])
    if cached < target:
        changed, _reached = _base_parts(directory, cached, target)
        if changed is not None:
            base = _apply_changes(base, changed)
    return base


def _with_clients(computed: pl.DataFrame, base: pl.DataFrame) -> pl.DataFrame:
    """The whole result (RESULT_SCHEMA): the computed columns beside each client's own.

    Both frames are in id order when the base is at the result's generation, and the columns
    are put side by side without copying; otherwise the client columns are joined by id.
    """
    clients = base.select(
        pl.col(Col.EXTERNAL_ID).alias(Col.CLIENT_ID),
        *[name for name in CLIENT_RESULT_COLUMNS if name != Col.CLIENT_ID],
    )
    if same_clients(clients, computed):
        beside = clients.drop(ID)
    else:
        beside = computed.select(ID).join(clients, on=ID, how="left", maintain_order="left")
        beside = beside.drop(ID)
    return pl.concat([computed, beside], how="horizontal").select(list(RESULT_SCHEMA))


def _computed_part(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns of a result that the cache keeps (COMPUTED_SCHEMA)."""
    return frame.select(list(COMPUTED_SCHEMA))


@dataclass(frozen=True)
class _StoredRun:
    """A run as kept in the cache: the full file it patches, its name, the rows that differ
    from it and the run's metadata."""

    full: pl.DataFrame
    full_name: str
    rows: pl.DataFrame
    meta: dict[str, str]

    def computed(self, columns: Sequence[str] | None = None) -> pl.DataFrame:
        """The run's computed columns (all of COMPUTED_SCHEMA, or `columns` with `id`)."""
        names = list(COMPUTED_SCHEMA) if columns is None else [ID, *columns]
        return _apply_changes(self.full.select(names), self.rows.select(names))


def _read_run(directory: Path, name: str) -> _StoredRun:
    """`results.arrow` or `previous.arrow`, resolved to the full file it patches.

    A run file holds the rows that differ from the full file its metadata names (`over`).
    CacheError when none is usable (an older format is never found: `cache.claim`).
    Another process may replace the run file and remove the full file it named between the
    two reads: the pair is then read again.
    """
    for _attempt in range(2):
        try:
            return _read_run_once(directory, name)
        except _FullFileGone:
            continue
    return _read_run_once(directory, name)


class _FullFileGone(cache.CacheError):
    """The full file a run file names is missing (removed after a newer run replaced it)."""


def _read_run_once(directory: Path, name: str) -> _StoredRun:
    frame, meta = cache.read_arrow(directory / name)
    over = meta.get("over")
    if not over:
        raise cache.CacheError(f"{name}: não nomeia o arquivo completo da execução")
    if not (directory / over).exists():
        raise _FullFileGone(f"{name}: {over} não existe mais")
    full, _full_meta = cache.read_arrow(directory / over)
    if dict(full.schema) != COMPUTED_SCHEMA or dict(frame.schema) != COMPUTED_SCHEMA:
        raise cache.CacheError(f"{name}: esquema antigo")
    return _StoredRun(_in_id_order(full), over, frame, meta)


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
    with cache.locked(directory):  # no writer replaces the files while they are put together
        value = read()
    _MEMO.pop((kind, directory), None)
    while len(_MEMO) >= _MEMO_ENTRIES:  # the oldest go: a process rarely opens many databases
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[(kind, directory)] = (state, value)
    return value


def _read_results(directory: Path) -> tuple[pl.DataFrame, dict[str, str]]:
    """The stored result as a whole (RESULT_SCHEMA) and its metadata; CacheError when there is
    none usable."""
    return _memoised("results", directory, lambda: _compose_results(directory))


def _compose_results(directory: Path) -> tuple[pl.DataFrame, dict[str, str]]:
    run = _read_run(directory, "results.arrow")
    meta = run.meta
    try:
        built = int(meta["generation"])
    except (KeyError, ValueError) as error:
        raise cache.CacheError("results.arrow: sem geração") from error
    return _with_clients(run.computed(), _base_at(directory, built)), run.meta


SNAPSHOT_COLUMNS = (Col.STATUS, Col.SEGMENT, Col.ABC)
"""What the vigilância compares between a run and the one before (besides the id)."""


def _stored_results(directory: Path) -> _StoredRun | None:
    """The run kept in `results.arrow`, None when there is none usable. Call under the cache
    lock."""
    try:
        return _read_run(directory, "results.arrow")
    except (cache.CacheError, KeyError, ValueError):
        return None


def _scored_before(
    last: _StoredRun | None, *, as_of: date, digest: str, since: int
) -> pl.DataFrame | None:
    """The last run's forecast and its inputs (services.forecast.SCORED_INPUTS) when it was
    scored as `with_forecast` would score now: same date and settings (the settings hash names
    the kept fit) and no reset since (orders are then only added, so a client whose aggregates
    are the same has the same first-day revenue)."""
    if last is None:
        return None
    meta = last.meta
    if meta.get("as_of") != as_of.isoformat() or meta.get("settings_hash") != digest:
        return None
    if int(meta.get("generation", "-1")) < since:
        return None
    return last.computed([*forecast_service.SCORED_INPUTS, *FORECAST_COLUMNS])


def _last_p_alive(last: _StoredRun | None) -> pl.DataFrame | None:
    """(id, p_alive) of the run kept in `results.arrow`, None when there is none."""
    try:
        return None if last is None else last.computed([P_ALIVE])
    except (KeyError, ValueError):
        return None


def _last_run(directory: Path) -> _StoredRun | None:
    try:
        with cache.locked(directory):
            return _read_run(directory, "results.arrow")
    except (cache.CacheError, KeyError, ValueError):
        return None


def previous_run(db_path: Path) -> pl.DataFrame | None:
    """The computed columns (COMPUTED_SCHEMA) of the run before the last, None when there is
    none: the board's and the report's movements compare the last run with it."""
    directory = cache.cache_dir(db_path)
    with connect(db_path) as db:
        if not cache.belongs(directory, db):
            return None

    def read() -> pl.DataFrame | None:
        try:
            return _read_run(directory, "previous.arrow").computed()
        except (cache.CacheError, KeyError, ValueError):
            return None

    return _memoised("previous", directory, read)


DELTA_SHARE = 0.05
"""A run is kept as its rows that differ from the last full file while they are at most this
share of the clients; beyond it the run is written whole and becomes the new full file."""


def _delta(full: pl.DataFrame, computed: pl.DataFrame) -> pl.DataFrame | None:
    """The rows of `computed` that differ from `full` (new clients included), or None when the
    run cannot be written as such rows (a client gone) or they are too many."""
    old_ids, ids = full.get_column(ID), computed.get_column(ID)
    if computed.height < full.height or not ids.head(full.height).equals(old_ids):
        return None
    head = computed.head(full.height)
    differs = pl.repeat(False, full.height, eager=True)
    for name in COMPUTED_SCHEMA:
        if name != ID:
            differs = differs | head.get_column(name).ne_missing(full.get_column(name))
    changed = pl.concat([head.filter(differs), computed.slice(full.height)], how="vertical")
    if changed.height > DELTA_SHARE * max(computed.height, 1):
        return None
    return changed


def _write_run(
    directory: Path,
    computed: pl.DataFrame,
    metadata: dict[str, str],
    last: _StoredRun | None,
    run_id: Future[int] | None = None,
) -> bool:
    """Keep a run: the last one becomes `previous.arrow`, this one `results.arrow` — its rows
    that differ from the last full file when they are few, else a new full file and no rows.

    An import of a thousand orders changes a few thousand clients' results: writing those
    instead of the whole frame (hundreds of MB at 1M clients) is most of what a re-segmentation
    saves. Full files no run names are removed. Nothing replaces a run another process kept
    for newer data meanwhile (False is returned then).
    """
    delta, full_name = None, None
    if last is not None:
        delta, full_name = _delta(last.full, computed), last.full_name
    if delta is None or full_name is None:
        full_name = f"run-{metadata['generation']}-{time.time_ns()}.arrow"
        cache.write_arrow(directory / full_name, computed, views=True)
        delta = computed.clear()
    if run_id is not None:
        if run_id.exception() is not None:
            return False  # not recorded in SQLite: the cache does not claim it
        metadata = {**metadata, "run_id": str(run_id.result())}
    with cache.locked(directory):
        if not cache.is_own(directory, metadata.get("incarnation", "")):
            return False  # the database was restored meanwhile: this run is another file's
        if _kept_generation(directory) > int(metadata["generation"]):
            return False  # another process kept a run of newer data meanwhile: it stays
        if (directory / "results.arrow").exists():
            cache.keep_as(directory / "results.arrow", directory / "previous.arrow")
        # without string views: a view column filtered to a few rows still holds (and would
        # write) the whole frame's string buffers
        cache.write_arrow(directory / "results.arrow", delta, {**metadata, "over": full_name})
        cache.remove_unused_runs(directory, named_by=("results.arrow", "previous.arrow"))
    return True


def _kept_generation(directory: Path) -> int:
    """The data generation of the run kept in `results.arrow` (-1 when none is readable)."""
    try:
        return int(cache.read_arrow_metadata(directory / "results.arrow")["generation"])
    except (cache.CacheError, KeyError, ValueError):
        return -1


def _results_if_current(
    directory: Path, *, generation_now: int, as_of: date, digest: str
) -> pl.DataFrame | None:
    """The stored result when it was computed for this data, date and settings (a run again
    would give the same frame), else None (the caller checks the folder is this database's)."""
    try:
        meta = cache.read_arrow_metadata(directory / "results.arrow")
        current = (
            int(meta["generation"]) == generation_now
            and meta.get("as_of") == as_of.isoformat()
            and meta.get("settings_hash") == digest
        )
        if not current:
            return None
        frame, _meta = _read_results(directory)
    except (cache.CacheError, KeyError, ValueError):
        return None
    return frame


# --- services ------------------------------------------------------------------------------


def resegment(
    db_path: Path,
    *,
    as_of: date,
    settings: Settings,
    on_progress: Progress | None = None,
) -> SegmentRun:
    """Recompute every client as of `as_of` and keep it (the previous run feeds the board).

    When the stored result was computed for the same data generation, date and settings, it is
    returned as it is: nothing is written and no run is recorded (a run with no movements would
    hide the last real ones from the board and `carteira watch`).
    """
    started = time.perf_counter()
    directory = cache.cache_dir(db_path)
    with connect(db_path) as db:
        digest = _settings_hash(settings, db)
        used = json.dumps(settings_used(settings, db), sort_keys=True, ensure_ascii=False)
        now = generation(db)
        last_recorded = history_store.read_last_run(db)
        # A look at an earlier date than the last run's is a query: it records no run, changes
        # no history and keeps nothing. Read-only, a run is kept in the cache (so the panes
        # show it) but recorded nowhere: the next recorded run finds its movements in SQLite.
        past = last_recorded is not None and as_of < last_recorded.as_of
        record = not past and not is_read_only()
        identity = incarnation(db)
        same = (
            _results_if_current(directory, generation_now=now, as_of=as_of, digest=digest)
            if cache.belongs(directory, db)
            else None
        )
        if same is not None:
            _notify(on_progress, "Pronto (nada mudou desde a última segmentação).", 1.0)
            return SegmentRun(
                same, as_of, now, False, time.perf_counter() - started, unchanged=True
            )
        frame, current, rebuilt = _compute(
            db, db_path, as_of=as_of, settings=settings, on_progress=on_progress, digest=digest
        )
    metadata = {
        "generation": str(current),
        "as_of": as_of.isoformat(),
        "settings_hash": digest,
        "incarnation": identity,
    }
    if (
        last_recorded is not None
        and last_recorded.generation == current
        and last_recorded.as_of == as_of
        and last_recorded.settings_hash == digest
    ):
        # the last recorded run again (its cache was lost: a copy, a restored backup): kept in
        # the cache as that run, not recorded twice (a run with no movements would hide its
        # movements from the board, `watch` and the alerts)
        _write_run(
            directory, _computed_part(frame), {**metadata, "run_id": str(last_recorded.id)}, None
        )
        _notify(on_progress, "Pronto (a última segmentação registrada, recalculada).", 1.0)
        return SegmentRun(
            frame, as_of, current, rebuilt, time.perf_counter() - started, unchanged=True
        )
    if not record:
        if not past:
            _write_run(directory, _computed_part(frame), metadata, _last_run(directory))
        _notify(on_progress, "Pronto (consulta: nada registrado).", 1.0)
        return SegmentRun(
            frame, as_of, current, rebuilt, time.perf_counter() - started, recorded=False
        )
    last = _last_run(directory)
    # The run is written while its movements are recorded in SQLite (file I/O beside it); the
    # run id SQLite gives it is written last, so the cache names the run it holds. Only the
    # computed columns are kept: the client columns are read back from the base cache.
    run_id: Future[int] = Future()
    with ThreadPoolExecutor(max_workers=1) as pool:
        written = pool.submit(
            _write_run,
            directory,
            _computed_part(frame),
            metadata,
            last,
            run_id,
        )
        try:
            recorded = record_run(
                db_path,
                previous=None if last is None else last.computed(SNAPSHOT_COLUMNS),
                previous_run_id=None if last is None else _run_id(last.meta),
                current=frame,
                as_of=as_of,
                settings_json=used,
                settings_hash=digest,
                generation=current,
            )
        except BaseException as error:
            run_id.set_exception(error)
            raise
        run_id.set_result(recorded.run_id)
        written.result()
    _notify(on_progress, "Pronto.", 1.0)
    return SegmentRun(
        frame,
        as_of,
        current,
        rebuilt,
        time.perf_counter() - started,
        settings_changed=recorded.settings_changed,
    )


def _run_id(meta: Mapping[str, str]) -> int | None:
    """The SQLite run (`segment_runs.id`) a kept run file holds, None when unknown."""
    try:
        return int(meta["run_id"])
    except (KeyError, ValueError):
        return None


def current_results(db_path: Path, *, settings: Settings) -> SegmentResults:
    """The last stored result at once (never recomputes); `stale` when data or settings moved."""
    directory = cache.cache_dir(db_path)
    with connect(db_path) as db:
        current = generation(db)
        digest = _settings_hash(settings, db)
        own = cache.belongs(directory, db)
    if not own:
        return SegmentResults(pl.DataFrame(schema=RESULT_SCHEMA), None, 0, True, missing=True)
    try:
        frame, meta = _read_results(directory)
        built = int(meta["generation"])
        as_of = date.fromisoformat(meta["as_of"])
    except (cache.CacheError, KeyError, ValueError):
        return SegmentResults(pl.DataFrame(schema=RESULT_SCHEMA), None, 0, True, missing=True)
    stale = built != current or meta.get("settings_hash") != digest
    return SegmentResults(frame, as_of, built, stale)


def shown_results(db_path: Path, *, settings: Settings) -> SegmentResults:
    """The result a command shows: the kept one, or, when this database has none kept beside it
    (a copy, a backup restored elsewhere, a lost cache) while its history records runs, the last
    recorded run computed again (kept in the cache as that run, recorded nowhere twice). Never
    an empty frame over a portfolio that was segmented."""
    results = current_results(db_path, settings=settings)
    if not results.missing:
        return results
    with connect(db_path) as db:
        last = history_store.read_last_run(db)
    if last is None:
        return results  # never segmented: the caller says so
    run = resegment(db_path, as_of=last.as_of, settings=settings)
    return SegmentResults(run.frame, run.as_of, run.generation, stale=False)


def last_run_changed_settings(db_path: Path) -> bool:
    """Whether the last recorded run used other settings than the run before (its movements
    are "movimentos por mudança de configuração", not the clients' behaviour)."""
    with connect(db_path) as db:
        last = history_store.read_last_run(db)
    return last is not None and last.settings_changed


def results_status(db_path: Path) -> str:
    """What the kept result is for this database, in pt-BR (for `carteira check`): "em dia",
    "atrás N gravações (será atualizado)", "ausente" or "de outra cópia do banco"."""
    directory = cache.cache_dir(db_path)
    with connect(db_path) as db:
        current = generation(db)
        own = cache.belongs(directory, db)
    if not own:
        return "ausente" if not directory.exists() else "de outra cópia do banco"
    built = _kept_generation(directory)
    if built < 0:
        return "ausente"
    if built == current:
        return "em dia"
    if built > current:
        return "de outra cópia do banco"
    return f"atrás {format_count(current - built)} gravações (será atualizado)"


def _entered_and_left(
    frame: pl.DataFrame, previous: pl.DataFrame, column: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per value of `column` ("(nenhum)" for null): clients that came in (`v`, `entered`) and
    went out (`v`, `left`) since the previous run; a client new since counts as entering, one
    gone as leaving. Runs over the same clients in the same order are compared in place."""
    now = frame.select(ID, pl.col(column).fill_null("(nenhum)").alias("v"))
    before = previous.select(ID, pl.col(column).fill_null("(nenhum)").alias("v_before"))
    if same_clients(now, before):
        moved = pl.concat([now, before.drop(ID)], how="horizontal")
    else:
        moved = now.join(before, on=ID, how="full", coalesce=True)
    changed = (pl.col("v") != pl.col("v_before")).fill_null(True)
    entered = moved.filter(pl.col("v").is_not_null() & changed).group_by("v").len("entered")
    left = (
        moved.filter(pl.col("v_before").is_not_null() & changed)
        .group_by(pl.col("v_before").alias("v"))
        .len("left")
    )
    return entered, left


def board(db_path: Path, *, settings: Settings) -> Board:
    """Per segment and per status of the last run: clients, revenue, share, entered, left."""
    results = shown_results(db_path, settings=settings)
    stored = previous_run(db_path)
    with connect(db_path) as db:
        last = history_store.read_last_run(db)
        recorded = (
            history_store.read_history(db, run_ids=[last.id])
            if last is not None and stored is None and last.has_previous
            else None
        )
    settings_changed = last is not None and last.settings_changed
    if recorded is not None:
        # no copy of the run before beside the database (a restored backup, a copy): the
        # movements SQLite recorded for the last run say the same
        return _board_of(results, _history_moves(recorded), settings_changed)
    has_previous = stored is not None
    previous = (
        stored
        if stored is not None
        else pl.DataFrame(schema={ID: pl.Int64, Col.SEGMENT: pl.String, Col.STATUS: pl.String})
    )
    moves = {
        column: _entered_and_left(results.frame, previous, column)
        for column in (Col.SEGMENT, Col.STATUS)
    }
    return _board_of(results, moves, settings_changed, has_previous=has_previous)


_Moves = dict[str, tuple[pl.DataFrame, pl.DataFrame]]


def _history_moves(history: pl.DataFrame) -> _Moves:
    """Per board column, (entered, left) counted from one run's recorded movements."""
    moves: _Moves = {}
    for column in (Col.SEGMENT, Col.STATUS):
        before, after = pl.col(f"{column}_from"), pl.col(f"{column}_to")
        changed = history.filter(before.ne_missing(after))
        entered = changed.group_by(after.fill_null("(nenhum)").alias("v")).len("entered")
        left = changed.filter(before.is_not_null()).group_by(before.alias("v")).len("left")
        moves[column] = (entered, left)
    return moves


def _board_of(
    results: SegmentResults, moves: _Moves, settings_changed: bool, *, has_previous: bool = True
) -> Board:
    """The board of `results` with entries and exits already counted per column."""
    frame = results.frame
    total = int(frame.get_column(Col.MONETARY_CENTS).sum() or 0)
    rows: list[BoardRow] = []
    for dimension, column in (("segmento", Col.SEGMENT), ("status", Col.STATUS)):
        entered, left = moves[column]
        counts = (
            frame.group_by(pl.col(column).fill_null("(nenhum)").alias("v"))
            .agg(
                pl.len().alias("clients"),
                pl.col(Col.MONETARY_CENTS).sum().fill_null(0).alias("revenue"),
                forecast_service.expected_revenue_expr().alias("expected_90d"),
            )
            .join(entered, on="v", how="full", coalesce=True)
            .join(left, on="v", how="full", coalesce=True)
            .with_columns(pl.exclude("expected_90d").fill_null(0))
            .sort("revenue", "v", descending=[True, False])
        )
        if not has_previous:
            counts = counts.with_columns(pl.lit(0).alias("entered"), pl.lit(0).alias("left"))
        for item in counts.iter_rows(named=True):
            revenue = int(item["revenue"])
            rows.append(
                BoardRow(
                    dimension,
                    item["v"],
                    int(item["clients"]),
                    revenue,
                    revenue / total if total > 0 else 0.0,
                    int(item["entered"]),
                    int(item["left"]),
                    item["expected_90d"],
                )
            )
    return Board(results.as_of, rows, has_previous, settings_changed)


def explain_client(
    db_path: Path, external_id: str, *, as_of: date, settings: Settings
) -> ClientExplanation:
    """Why a client (by external id) has its status, scores, class, cooling and segment."""
    results = current_results(db_path, settings=settings)
    with connect(db_path) as db:
        if results.stale or results.as_of != as_of:
            frame, _current, _rebuilt = _compute(db, db_path, as_of=as_of, settings=settings)
        else:
            frame = results.frame
        segments = _compiled_segments(db, as_of)
    match = frame.filter(pl.col(Col.CLIENT_ID) == external_id)
    if match.height == 0:
        raise SegmentationError(f"cliente não encontrado: {external_id!r}")
    return explain_row(
        frame, int(match.item(0, ID)), as_of=as_of, settings=settings, segments=segments
    )


def _counts(frame: pl.DataFrame) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for dimension, column in (("status", Col.STATUS), ("abc", Col.ABC), ("segmento", Col.SEGMENT)):
        for value, n in frame.group_by(column).len().iter_rows():
            counts[(dimension, value if value is not None else "(nenhum)")] = n
    return counts


def preview_settings(
    db_path: Path,
    overrides: Mapping[str, str],
    *,
    settings: Settings,
    as_of: date,
) -> Preview:
    """Counts per status, ABC class and segment under `overrides` beside the current settings."""
    proposed = settings.with_overrides(dict(overrides))
    results = current_results(db_path, settings=settings)
    with connect(db_path) as db:
        if results.stale or results.as_of != as_of:
            current_frame, _g, _r = _compute(db, db_path, as_of=as_of, settings=settings)
        else:
            current_frame = results.frame
        new_frame, _g, _r = _compute(db, db_path, as_of=as_of, settings=proposed)
    before, after = _counts(current_frame), _counts(new_frame)
    keys = sorted(set(before) | set(after))
    return Preview([(d, v, before.get((d, v), 0), after.get((d, v), 0)) for d, v in keys], proposed)


# --- segment editing -----------------------------------------------------------------------


def list_segments(db_path: Path) -> list[segment_store.SegmentRow]:
    """The named segments in evaluation order."""
    with connect(db_path) as db:
        return segment_store.read_segments(db)


def add_segment(
    db_path: Path, *, name: str, filter_text: str, plan: str, position: int | None = None
) -> segment_store.SegmentRow:
    """Add a segment after checking its filter compiles."""
    compile_filter(filter_text, as_of=date(2000, 1, 1))
    with connect(db_path) as db, db.atomic():
        segment_store.check_plan_code(db, plan)  # Hoje: an unknown plan is refused with the list
        row = segment_store.write_segment(
            db, name=name, filter_text=filter_text, plan=plan, position=position
        )
        write_audit(
            db,
            action="criar segmento",
            entity="segment",
            summary=name,
            after={"filtro": filter_text, "plano": plan, "posicao": row.position},
        )
        return row


def edit_segment(
    db_path: Path,
    name: str,
    *,
    new_name: str | None = None,
    filter_text: str | None = None,
    plan: str | None = None,
    cadence: tuple[int, int] | None | bool = False,
) -> segment_store.SegmentRow:
    """Change a segment's name, filter, plan or cadence ((ideal, max) days; None clears it,
    False keeps it)."""
    if filter_text is not None:
        compile_filter(filter_text, as_of=date(2000, 1, 1))
    with connect(db_path) as db, db.atomic():
        before = {r.name: r for r in segment_store.read_segments(db)}.get(name)
        if plan is not None:
            segment_store.check_plan_code(db, plan)
        if cadence is not False:
            pair = cadence if isinstance(cadence, tuple) else None
            segment_store.write_segment_cadence(db, name, pair)
        row = segment_store.update_segment(
            db, name, new_name=new_name, filter_text=filter_text, plan=plan
        )
        write_audit(
            db,
            action="editar segmento",
            entity="segment",
            summary=name,
            before=None
            if before is None
            else {
                "nome": before.name,
                "filtro": before.filter,
                "plano": before.plan,
                "cadencia": [before.cadence_ideal, before.cadence_max],
            },
            after={
                "nome": row.name,
                "filtro": row.filter,
                "plano": row.plan,
                "cadencia": [row.cadence_ideal, row.cadence_max],
            },
        )
        return row


def move_segment(db_path: Path, name: str, *, position: int) -> list[segment_store.SegmentRow]:
    """Move a segment to a 1-based position."""
    with connect(db_path) as db, db.atomic():
        rows = segment_store.move_segment(db, name, position)
        write_audit(
            db, action="mover segmento", entity="segment", summary=name, after={"posicao": position}
        )
        return rows


def delete_segment(db_path: Path, name: str) -> None:
    """Delete a segment."""
    with connect(db_path) as db, db.atomic():
        segment_store.delete_segment(db, name)
        write_audit(db, action="apagar segmento", entity="segment", summary=name)


def segment_names(rows: Sequence[segment_store.SegmentRow]) -> list[str]:
    """Names in order (for help and completion)."""
    return [row.name for row in rows]
