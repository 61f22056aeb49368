"""Segmentation services: the per-client results, their cache, the board, explain and preview.

The TUI and the CLI call these. `current_results` opens the cached result at once and never
recomputes; `resegment` brings the cache up to date (patching it from rows written after its
generation, or rebuilding it whole) and recomputes every client. Segments are edited here too.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl
from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.engine import filters, metrics
from carteira_tui.engine.aggregates import first_day_revenue, order_aggregates_of_sorted
from carteira_tui.engine.cadence import Contacts, cadence_by_name_expr
from carteira_tui.engine.explain import ClientExplanation
from carteira_tui.engine.explain import explain_client as explain_row
from carteira_tui.engine.forecast import (
    EXPECTED_ORDERS_90D,
    EXPECTED_TICKET,
    FORECAST_COLUMNS,
    HEADING_OUT,
    P_ALIVE,
    with_heading_out,
)
from carteira_tui.engine.schema import (
    AGGREGATE_COLUMNS,
    CLIENT_RESULT_COLUMNS,
    COMPUTED_SCHEMA,
    ID,
    RESULT_SCHEMA,
    same_clients,
)
from carteira_tui.engine.segment import segment_clients
from carteira_tui.engine.segments import CompiledSegment
from carteira_tui.errors import CarteiraError
from carteira_tui.model import FIRST_DAY_CENTS, Col, format_count, format_seconds
from carteira_tui.services import forecast as forecast_service
from carteira_tui.services.board import (
    Board,
    BoardRow,
    is_current_meta,
    settings_digest,
    settings_used,
)
from carteira_tui.services.board import kept_board as _kept_board
from carteira_tui.services.history import PatchedRunStale, RunRecorded, record_run
from carteira_tui.store import history as history_store
from carteira_tui.store import interactions as interactions_store
from carteira_tui.store import results as results_store
from carteira_tui.store import segments as segment_store
from carteira_tui.store.audit import write_audit
from carteira_tui.store.cache import Cache, Derive, Inputs, KeptRun
from carteira_tui.store.db import (
    connect,
    generation,
    incarnation,
    is_read_only,
    reset_generation,
)
from carteira_tui.vocab import segmentation as words

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

    result: pl.DataFrame | Callable[[], pl.DataFrame]
    """The whole result, or how to put it together (a patched run is kept as the rows that
    moved: an import that only says how long it took never builds the million rows)."""
    as_of: date
    generation: int
    rebuilt: bool
    seconds: float
    unchanged: bool = False
    recorded: bool = True
    """False for a look at a date before the last run's (or in read-only mode): a query."""
    settings_changed: bool = False
    """The run used other settings than the one before: its movements are the settings'."""
    clients: int | None = None
    """How many clients the run classed (read from `frame` when not given)."""

    @cached_property
    def frame(self) -> pl.DataFrame:
        """The whole result (RESULT_SCHEMA)."""
        return self.result() if callable(self.result) else self.result

    def describe(self) -> str:
        """One pt-BR line for people (the app's notice and the import's closing line)."""
        day = self.as_of.strftime("%d/%m/%Y")
        clients = format_count(self.frame.height if self.clients is None else self.clients)
        if not self.recorded:
            return words.run_query(day, clients)
        if self.unchanged:
            return words.run_unchanged(day, clients)
        took = format_seconds(self.seconds)
        return words.run_done(day, took, clients)


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
        raise SegmentationError(words.invalid_filter(error)) from error


def _compiled_segments(db: Database, as_of: date) -> list[CompiledSegment]:
    return [
        CompiledSegment(row.name, row.plan, compile_filter(row.filter, as_of=as_of))
        for row in segment_store.read_segments(db)
    ]


# --- computing ---------------------------------------------------------------------------


def _notify(on_progress: Progress | None, message: str, fraction: float) -> None:
    if on_progress is not None:
        on_progress(message, fraction)


def _aggregates(orders: list[pl.DataFrame]) -> pl.DataFrame:
    """Per client (`id`): the order aggregates and the first purchase day's revenue."""
    aggregates = order_aggregates_of_sorted(orders).rename({Col.CLIENT_ID: ID})
    first_day = first_day_revenue(orders, aggregates, key=ID)
    return aggregates.join(first_day, on=ID, how="left")


def _window_counts(orders: pl.DataFrame, as_of: date, window_days: int) -> pl.DataFrame:
    return metrics.window_counts(orders.lazy(), as_of=as_of, window_days=window_days).collect()


_DERIVE = Derive(aggregates=_aggregates, window_counts=_window_counts)
"""The engine's part of building the cache (the store never imports the engine)."""


def current_spans(db: Database, db_path: Path) -> pl.DataFrame | None:
    """The base's aggregate columns (id, first/last purchase, monetary, purchase days,
    first-day revenue) when the cache reaches the database's generation alone, else None."""
    return Cache(db_path).spans(db)


class _Computed(NamedTuple):
    frame: pl.DataFrame
    generation: int
    rebuilt: bool
    figures: metrics.Figures


def _inputs(
    db: Database,
    db_path: Path,
    *,
    as_of: date,
    settings: Settings,
    on_progress: Progress | None = None,
) -> Inputs:
    """The cache brought to the database's generation, and what a run as of `as_of` reads."""
    inputs = Cache(db_path).inputs(
        db, _DERIVE, as_of=as_of, window_days=settings.cooling_window_days, on_progress=on_progress
    )
    if inputs.claimed:
        _notify(on_progress, words.PROGRESS_FOREIGN_CACHE, 0.05)
    return inputs


def _compute(
    db: Database,
    db_path: Path,
    *,
    as_of: date,
    settings: Settings,
    on_progress: Progress | None = None,
    digest: str | None = None,
    inputs: Inputs | None = None,
) -> _Computed:
    """Every client's result as of `as_of`, with the portfolio's figures it was classed by."""
    if inputs is None:
        inputs = _inputs(db, db_path, as_of=as_of, settings=settings, on_progress=on_progress)
    base, rebuilt = inputs.base, inputs.rebuilt
    scored = None
    if digest is not None and not rebuilt and forecast_service.kept_id(db) is not None:
        scored = _scored_before(inputs.last, as_of=as_of, digest=digest, since=reset_generation(db))
    if inputs.orders is not None:
        # the mirror's slices are in date-then-client order, and up to as_of already; put
        # beside the base in its own (id) order: joining the wide base would re-sort it
        aligned = base.select(ID).join(
            _aggregates(inputs.orders), on=ID, how="left", maintain_order="left"
        )
        base = base.with_columns(
            aligned.get_column(name) for name in (*AGGREGATE_COLUMNS, FIRST_DAY_CENTS)
        )
        rebuilt = True
    _notify(on_progress, words.PROGRESS_SEGMENTING, 0.5)
    figures = metrics.figures_of(base.lazy(), as_of=as_of, settings=settings)
    # One row per client, many columns: the in-memory engine runs this plan about twice as
    # fast as the streaming one (measured at 1M clients); the counts over orders above stream.
    frame = segment_clients(
        base.lazy(),
        inputs.windows.lazy(),
        as_of=as_of,
        settings=settings,
        segments=_compiled_segments(db, as_of),
        contacts=_contacts(db, as_of=as_of),
        figures=figures,
    ).collect(engine="in-memory")
    # scored with the kept fit, on the base's first-day revenue (in id order, as the frame)
    frame = forecast_service.with_forecast(
        db, frame, as_of=as_of, first_day=base.select(ID, FIRST_DAY_CENTS), previous=scored
    )
    # "a caminho da inativação" against the kept run, which this one makes the previous:
    # the pair the alert compares (services.watch.alerts)
    before = None if inputs.last is None else inputs.last.computed([P_ALIVE])
    same_ids = before is not None and before.get_column(ID).equals(frame.get_column(ID))
    flags = with_heading_out(
        frame.select(ID, Col.ABC, Col.EXCLUDED, Col.PURCHASE_DAYS, P_ALIVE).lazy(),
        None if before is None else before.lazy(),
        aligned=same_ids,
    ).collect()
    frame = _replaced(frame, flags.get_column(HEADING_OUT))
    return _Computed(frame, inputs.generation, rebuilt, figures)


# --- patching the kept run -----------------------------------------------------------------

CADENCE = "cadence"

PATCH_SHARE = 0.05
"""A run is patched (only the clients that may have moved are computed) while those, with the
kept run's own rows, are at most this share of the clients; beyond it, it is computed whole."""


@dataclass(frozen=True)
class _Patch:
    """A run as the kept one with some clients' rows computed again (`_patch`)."""

    rows: pl.DataFrame
    """The new run's computed columns (COMPUTED_SCHEMA) of the clients that may have moved."""
    before: pl.DataFrame
    """The kept run's SNAPSHOT_COLUMNS (with id) of those clients it holds."""
    last: KeptRun
    generation: int
    figures: metrics.Figures
    base: pl.DataFrame
    """The base the run classed (every client, at `generation`)."""


def _patch(
    db: Database, inputs: Inputs, *, as_of: date, settings: Settings, digest: str, run_id: int
) -> _Patch | None:
    """The run as of `as_of` computed only for the clients it can differ in from the kept run,
    or None when it must be computed whole.

    The kept run must be the last recorded one (`run_id`), for the same date and settings (so
    the same fit) with its portfolio figures, and no reset since. A client is computed again
    when its row or aggregates were written since (SQLite's generation stamps); when a move of
    the portfolio's r/f/m cuts or ABC cuts reclassifies it; when its cadence differs with the
    contacts logged since; or when its "a caminho da inativação" flag, which compares a run
    with the one before, would change (this run makes the kept one the run before). Every
    other client's row is the kept one: all it is computed from is the same.
    """
    last = inputs.last
    if inputs.rebuilt or inputs.orders is not None or last is None:
        return None
    meta = last.meta
    if (
        meta.get("as_of") != as_of.isoformat()
        or meta.get("settings_hash") != digest
        or last_run_id(meta) != run_id
        or "figures" not in meta
    ):
        return None
    built = int(meta.get("generation", "-1"))
    if not reset_generation(db) <= built < inputs.generation:
        return None
    base = inputs.base
    limit = PATCH_SHARE * base.height - last.rows.height
    changed = results_store.read_changed_ids(db, since_generation=built)
    if changed.len() > limit:
        return None
    figure_inputs = metrics.figure_inputs(base.lazy(), as_of=as_of).collect()
    figures = metrics.portfolio_figures(figure_inputs, settings)
    moved = metrics.moved_by_figures(
        figure_inputs, metrics.Figures.from_json(meta["figures"]), figures
    )
    del figure_inputs
    contacts = _contacts(db, as_of=as_of)
    # Between resets a client's last contact only moves later, so any cadence a contact moved
    # is a contacted client's.
    contacted = last.of(
        contacts.last_interactions.get_column(ID), [Col.SEGMENT, Col.LAST_PURCHASE, CADENCE]
    ).join(contacts.last_interactions, on=ID, how="left")
    recontacted = contacted.filter(
        cadence_by_name_expr(contacts.cadences, as_of=as_of).ne_missing(pl.col(CADENCE))
    ).get_column(ID)
    flag = pl.col(HEADING_OUT)
    reflagged = last.ids_where(
        flag.fill_null(False) | (flag.is_null() & pl.col(P_ALIVE).is_not_null())
    )
    ids = pl.concat([changed, moved, recontacted, reflagged]).unique().sort()
    if ids.len() > limit:
        return None
    # read from SQLite, as the cache's base was: a thousand scattered rows gathered from the
    # mapped base would map ~200 MB of its pages
    part = results_store.read_base_of(db, ids)
    wanted = pl.col(ID).is_in(ids.implode())
    frame = segment_clients(
        part.lazy(),
        inputs.windows.lazy().filter(wanted),  # a join with every client's counts costs more
        as_of=as_of,
        settings=settings,
        segments=_compiled_segments(db, as_of),
        contacts=Contacts(contacts.last_interactions.filter(wanted), contacts.cadences),
        figures=figures,
    ).collect()
    frame = forecast_service.with_forecast(
        db, frame, as_of=as_of, first_day=part.select(ID, FIRST_DAY_CENTS)
    )
    before = last.of(ids, [*SNAPSHOT_COLUMNS, P_ALIVE])
    flags = with_heading_out(
        frame.select(ID, Col.ABC, Col.EXCLUDED, Col.PURCHASE_DAYS, P_ALIVE).lazy(),
        before.lazy().select(ID, P_ALIVE),
    ).collect()
    frame = _replaced(frame, flags.get_column(HEADING_OUT))
    before = before.select(ID, *SNAPSHOT_COLUMNS)
    return _Patch(_computed_part(frame), before, last, inputs.generation, figures, base)


def _replaced(frame: pl.DataFrame, column: pl.Series) -> pl.DataFrame:
    """`frame` with one of its columns replaced by `column` (same rows, same order), the other
    columns shared, not copied (a with_columns on the wide frame may rechunk all of them)."""
    replaced = frame.clone()
    replaced.replace_column(frame.get_column_index(column.name), column)
    return replaced


def _scored_before(
    last: KeptRun | None, *, as_of: date, digest: str, since: int
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


def _contacts(db: Database, *, as_of: date) -> Contacts:
    """What the `cadence` column needs: the last contacts up to `as_of` (from
    `client_last_contact`, not a scan) and the segments' cadences."""
    last = interactions_store.read_last_contacts(db, before=as_of + timedelta(days=1))
    return Contacts(last, segment_store.read_segment_cadences(db))


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


def _kept_results(db_path: Path) -> tuple[pl.DataFrame, dict[str, str]] | None:
    """The kept run as a whole result (RESULT_SCHEMA) and its metadata, None when none."""
    found = Cache(db_path).results(_with_clients)
    if found is None or dict(found[0].schema) != RESULT_SCHEMA:
        return None
    return found


SNAPSHOT_COLUMNS = (Col.STATUS, Col.SEGMENT, Col.ABC)
"""What the vigilância compares between a run and the one before (besides the id)."""


def previous_run(db_path: Path) -> pl.DataFrame | None:
    """The computed columns (COMPUTED_SCHEMA) of the run before the last, None when there is
    none: the board's and the report's movements compare the last run with it."""
    cached = Cache(db_path)
    with connect(db_path) as db:
        if not cached.belongs(db):
            return None
    return cached.previous_run()


def _wait_run_id(future: Future[int]) -> int | None:
    """The SQLite run id once recorded, None when recording failed."""
    try:
        return future.result()
    except BaseException:  # noqa: BLE001 - the recorder raises it in the caller's thread
        return None


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
    hide the last real ones from the board and `carteira watch`). When only some clients can
    have moved since the kept run (a small import), only they are computed (`_patch`).
    """
    started = time.perf_counter()
    cached = Cache(db_path)
    with connect(db_path) as db:
        digest = settings_digest(settings, db)
        used = json.dumps(settings_used(settings, db), sort_keys=True, ensure_ascii=False)
        now = generation(db)
        last_recorded = history_store.read_last_run(db)
        # A look at an earlier date than the last run's is a query: it records no run, changes
        # no history and keeps nothing. Read-only, a run is kept in the cache (so the panes
        # show it) but recorded nowhere: the next recorded run finds its movements in SQLite.
        past = last_recorded is not None and as_of < last_recorded.as_of
        record = not past and not is_read_only()
        identity = incarnation(db)
        if cached.belongs(db) and is_current_meta(
            cached.kept(), generation_now=now, as_of=as_of, digest=digest
        ):
            same = _kept_results(db_path)
            if same is not None:
                _notify(on_progress, words.PROGRESS_NOTHING_CHANGED, 1.0)
                return SegmentRun(
                    same[0], as_of, now, False, time.perf_counter() - started, unchanged=True
                )
        inputs = _inputs(db, db_path, as_of=as_of, settings=settings, on_progress=on_progress)
        patch = None
        if record and last_recorded is not None:
            patch = _patch(
                db, inputs, as_of=as_of, settings=settings, digest=digest, run_id=last_recorded.id
            )
        computed = None
        if patch is None:
            computed = _compute(
                db,
                db_path,
                as_of=as_of,
                settings=settings,
                on_progress=on_progress,
                digest=digest,
                inputs=inputs,
            )
    metadata = {
        "as_of": as_of.isoformat(),
        "settings_hash": digest,
        "incarnation": identity,
    }
    if patch is not None:
        try:
            return _keep_patch(
                db_path,
                patch,
                {**metadata, "generation": str(patch.generation)},
                settings_json=used,
                started=started,
                on_progress=on_progress,
            )
        except PatchedRunStale:
            pass  # another run was recorded meanwhile: this one is computed whole
    if computed is None:
        with connect(db_path) as db:
            computed = _compute(
                db, db_path, as_of=as_of, settings=settings, on_progress=on_progress, digest=digest
            )
    frame, current, rebuilt = computed.frame, computed.generation, computed.rebuilt
    metadata = {**metadata, "generation": str(current), "figures": computed.figures.to_json()}
    if (
        last_recorded is not None
        and last_recorded.generation == current
        and last_recorded.as_of == as_of
        and last_recorded.settings_hash == digest
    ):
        # the last recorded run again (its cache was lost: a copy, a restored backup): kept in
        # the cache as that run, not recorded twice (a run with no movements would hide its
        # movements from the board, `watch` and the alerts)
        cached.write_run(_computed_part(frame), {**metadata, "run_id": str(last_recorded.id)}, None)
        _notify(on_progress, words.PROGRESS_LAST_RUN_AGAIN, 1.0)
        return SegmentRun(
            frame, as_of, current, rebuilt, time.perf_counter() - started, unchanged=True
        )
    last = cached.last_run()
    previous = None if last is None else last.computed(SNAPSHOT_COLUMNS)

    def figures() -> dict[str, Any]:
        moves = _moves_between(frame, previous)
        return _board_figures(_sums_of(frame), moves, has_previous=previous is not None)

    if not record:
        if not past:
            cached.write_run(_computed_part(frame), metadata, last, board=figures)
        _notify(on_progress, "Pronto (consulta: nada registrado).", 1.0)
        return SegmentRun(
            frame, as_of, current, rebuilt, time.perf_counter() - started, recorded=False
        )
    recorded = _record_and_keep(
        cached,
        _computed_part(frame),
        metadata,
        last,
        board=figures,
        record=lambda: record_run(
            db_path,
            previous=previous,
            previous_run_id=None if last is None else last_run_id(last.meta),
            current=frame,
            as_of=as_of,
            settings_json=used,
            settings_hash=digest,
            generation=current,
        ),
    )
    _notify(on_progress, "Pronto.", 1.0)
    return SegmentRun(
        frame,
        as_of,
        current,
        rebuilt,
        time.perf_counter() - started,
        settings_changed=recorded.settings_changed,
    )


def _record_and_keep(
    cached: Cache,
    computed: pl.DataFrame,
    metadata: dict[str, str],
    last: KeptRun | None,
    *,
    board: Callable[[], dict[str, Any]],
    record: Callable[[], RunRecorded],
    patched: bool = False,
) -> RunRecorded:
    """Record a run in SQLite while its computed columns are kept in the cache (file I/O
    beside it); the run id SQLite gives it is named last, so the cache names the run it holds.
    Only the computed columns are kept: the client columns are read back from the base."""
    run_id: Future[int] = Future()
    with ThreadPoolExecutor(max_workers=1) as pool:
        written = pool.submit(
            cached.write_run,
            computed,
            metadata,
            last,
            run_id=lambda: _wait_run_id(run_id),
            board=board,
            patched=patched,
        )
        try:
            recorded = record()
        except BaseException as error:
            run_id.set_exception(error)
            raise
        run_id.set_result(recorded.run_id)
        written.result()
    return recorded


def _keep_patch(
    db_path: Path,
    patch: _Patch,
    metadata: dict[str, str],
    *,
    settings_json: str,
    started: float,
    on_progress: Progress | None,
) -> SegmentRun:
    """Record and keep a patched run: its moved clients in SQLite, its rows over the kept
    run's full file in the cache. PatchedRunStale when the history moved meanwhile."""
    last, rows = patch.last, patch.rows
    as_of = date.fromisoformat(metadata["as_of"])

    kept_rows = last.rows_with(rows)

    def board() -> dict[str, Any]:
        # the moved clients' rows hold all the run's movements
        moves = _moves_between(rows, patch.before)
        return _board_figures(_patched_sums(last.full, kept_rows), moves, has_previous=True)

    recorded = _record_and_keep(
        Cache(db_path),
        kept_rows,
        {**metadata, "figures": patch.figures.to_json()},
        last,
        board=board,
        patched=True,
        record=lambda: record_run(
            db_path,
            previous=patch.before,
            previous_run_id=last_run_id(last.meta),
            current=rows,
            as_of=as_of,
            settings_json=settings_json,
            settings_hash=metadata["settings_hash"],
            generation=patch.generation,
            clients=patch.base.height,
        ),
    )
    _notify(on_progress, "Pronto.", 1.0)

    def whole() -> pl.DataFrame:
        computed = last.patched(rows, [name for name in COMPUTED_SCHEMA if name != ID])
        return _with_clients(computed, patch.base)

    return SegmentRun(
        whole,
        as_of,
        patch.generation,
        False,
        time.perf_counter() - started,
        settings_changed=recorded.settings_changed,
        clients=patch.base.height,
    )


def last_run_id(meta: Mapping[str, str]) -> int | None:
    """The SQLite run (`segment_runs.id`) a kept run names, None when unknown."""
    try:
        return int(meta["run_id"])
    except (KeyError, ValueError):
        return None


def current_results(db_path: Path, *, settings: Settings) -> SegmentResults:
    """The last stored result at once (never recomputes); `stale` when data or settings moved."""
    cached = Cache(db_path)
    with connect(db_path) as db:
        current = generation(db)
        digest = settings_digest(settings, db)
        own = cached.belongs(db)
    found = _kept_results(db_path) if own else None
    try:
        if found is None:
            raise KeyError("generation")
        frame, meta = found
        built = int(meta["generation"])
        as_of = date.fromisoformat(meta["as_of"])
    except (KeyError, ValueError):
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
    with connect(db_path) as db:
        current = generation(db)
        state = Cache(db_path).state(db)
    if not state.own:
        return words.RESULTS_MISSING if not state.exists else words.RESULTS_FOREIGN
    built = state.kept_generation
    if built < 0:
        return words.RESULTS_MISSING
    if built == current:
        return words.RESULTS_CURRENT
    if built > current:
        return words.RESULTS_FOREIGN
    return words.results_behind(format_count(current - built))


# --- the board -----------------------------------------------------------------------------


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


_Moves = dict[str, tuple[pl.DataFrame, pl.DataFrame]]

_NO_PREVIOUS = {ID: pl.Int64, Col.SEGMENT: pl.String, Col.STATUS: pl.String}


def _moves_between(frame: pl.DataFrame, previous: pl.DataFrame | None) -> _Moves:
    before = previous if previous is not None else pl.DataFrame(schema=_NO_PREVIOUS)
    return {
        column: _entered_and_left(frame, before, column) for column in (Col.SEGMENT, Col.STATUS)
    }


def _board_figures(sums: _Sums, moves: _Moves, *, has_previous: bool) -> dict[str, Any]:
    """The board of a run (its `_sums_of`) with its movements, as kept beside it
    (`Cache.write_run`)."""
    rows = _board_rows(sums, moves, has_previous=has_previous)
    return {"has_previous": has_previous, "rows": [dataclasses.asdict(row) for row in rows]}


def board(db_path: Path, *, settings: Settings) -> Board:
    """Per segment and per status of the last run: clients, revenue, share, entered, left."""
    kept = _kept_board(db_path)
    if kept is not None:
        return kept
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
        rows = _board_rows(_sums_of(results.frame), _history_moves(recorded))
        return Board(results.as_of, rows, True, settings_changed)
    has_previous = stored is not None
    rows = _board_rows(
        _sums_of(results.frame), _moves_between(results.frame, stored), has_previous=has_previous
    )
    return Board(results.as_of, rows, has_previous, settings_changed)


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


_DIMENSIONS = (("segmento", Col.SEGMENT), ("status", Col.STATUS))


def _group_sums(frame: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """Per value of `column` ("(nenhum)" for null): clients, revenue, and the expected revenue
    of the next 90 days as a sum with the count of rows that have one (summable parts)."""
    each = pl.col(EXPECTED_ORDERS_90D) * pl.col(EXPECTED_TICKET)
    return frame.group_by(pl.col(column).fill_null("(nenhum)").alias("v")).agg(
        pl.len().cast(pl.Int64).alias("clients"),
        pl.col(Col.MONETARY_CENTS).sum().fill_null(0).alias("revenue"),
        each.sum().alias("expected_sum"),
        each.is_not_null().sum().cast(pl.Int64).alias("expected_n"),
    )


_Sums = dict[str, pl.DataFrame]


def _sums_of(frame: pl.DataFrame) -> _Sums:
    return {column: _group_sums(frame.lazy(), column).collect() for _d, column in _DIMENSIONS}


def _patched_sums(full: pl.DataFrame, rows: pl.DataFrame) -> _Sums:
    """`_sums_of` the run that is `full` with `rows` in place of its rows of those clients
    (new clients appended): the full file's sums, less its rows of those clients, plus the
    rows. Counts and revenue are exact; the expected revenue is a float sum, as any."""
    replaced = full.lazy().filter(pl.col(ID).is_in(rows.get_column(ID).implode()))
    summed = ("clients", "revenue", "expected_sum", "expected_n")
    sums: _Sums = {}
    for _dimension, column in _DIMENSIONS:
        parts = [
            _group_sums(full.lazy(), column),
            _group_sums(replaced, column).with_columns(-pl.col(name) for name in summed),
            _group_sums(rows.lazy(), column),
        ]
        sums[column] = (
            pl.concat(parts, how="vertical_relaxed")
            .group_by("v")
            .agg(pl.col(name).sum() for name in summed)
            .filter(pl.col("clients") > 0)
            .collect()
        )
    return sums


def _board_rows(sums: _Sums, moves: _Moves, *, has_previous: bool = True) -> list[BoardRow]:
    """The board's rows of a result's `_sums_of` with entries and exits already counted per
    column."""
    total = int(sums[Col.SEGMENT].get_column("revenue").sum() or 0)
    rows: list[BoardRow] = []
    for dimension, column in _DIMENSIONS:
        entered, left = moves[column]
        counts = (
            sums[column]
            .with_columns(
                pl.when(pl.col("expected_n") > 0)
                .then(pl.col("expected_sum"))
                .otherwise(None)
                .alias("expected_90d")
            )
            .select("v", "clients", "revenue", "expected_90d")
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
    return rows


def explain_client(
    db_path: Path, external_id: str, *, as_of: date, settings: Settings
) -> ClientExplanation:
    """Why a client (by external id) has its status, scores, class, cooling and segment."""
    results = current_results(db_path, settings=settings)
    with connect(db_path) as db:
        if results.stale or results.as_of != as_of:
            frame = _compute(db, db_path, as_of=as_of, settings=settings).frame
        else:
            frame = results.frame
        segments = _compiled_segments(db, as_of)
    match = frame.filter(pl.col(Col.CLIENT_ID) == external_id)
    if match.height == 0:
        raise SegmentationError(words.client_not_found(external_id))
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
            current_frame = _compute(db, db_path, as_of=as_of, settings=settings).frame
        else:
            current_frame = results.frame
        new_frame = _compute(db, db_path, as_of=as_of, settings=proposed).frame
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
