"""The board of segments as kept with the last run, read without the run's rows.

`carteira board` and the Segmentos pane call `kept_board` (through `services.segmentation.board`
when it must be computed); the run's figures are written beside it by `resegment`
(`store.cache.Cache.write_run`). Nothing here imports the engine, so a board that is current
costs a process start and a few SQLite reads: through a light connection (`store.reader`), it
loads neither Polars nor sqlite-utils. Also the settings digest a run is kept under.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from carteira_tui.config import Settings
from carteira_tui.store import segments as segment_store
from carteira_tui.store.cache_kept import belongs, cache_dir, kept_board_figures
from carteira_tui.store.fits import latest_fit
from carteira_tui.store.reader import Readable, reading
from carteira_tui.store.runs import read_last_run
from carteira_tui.store.stamps import generation

__all__ = ["Board", "BoardRow", "is_current", "kept_board", "settings_digest", "settings_used"]


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


SEGMENTATION_KEYS = (
    "active_days",
    "recent_days",
    "abc_a",
    "abc_b",
    "cooling_window_days",
    "cooling_ratio",
    "exclusions",
)
"""The settings a segmentation depends on (with the segments): a run records them and its
digest hashes them."""


def settings_used(settings: Settings, db: Readable) -> dict[str, object]:
    """What a run is computed from besides the data: the thresholds and the segments (a run
    records it)."""
    relevant: dict[str, object] = {
        k: v for k, v in settings.as_dict().items() if k in SEGMENTATION_KEYS
    }
    relevant["segments"] = [[r.name, r.filter, r.plan] for r in segment_store.read_segments(db)]
    return relevant


def settings_digest(settings: Settings, db: Readable) -> str:
    """What a result depends on besides the data, hashed: `settings_used`, the segments'
    cadences, and the kept forecast fit (a new fit rescores everyone)."""
    relevant = settings_used(settings, db)
    relevant["cadences"] = sorted(segment_store.read_segment_cadences(db).items())
    fit = latest_fit(db)
    relevant["forecast_fit"] = None if fit is None else int(fit["id"])
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]


def is_current_meta(
    meta: Mapping[str, str] | None, *, generation_now: int, as_of: date, digest: str
) -> bool:
    """Whether a kept run (its metadata) was computed for this data, date and settings (a run
    again would give the same frame)."""
    return (
        meta is not None
        and meta.get("generation") == str(generation_now)
        and meta.get("as_of") == as_of.isoformat()
        and meta.get("settings_hash") == digest
    )


def is_current(db_path: Path, *, as_of: date, settings: Settings) -> bool:
    """Whether the kept result is this database's, for its data, `as_of` and the settings
    (cheap: no row is read)."""
    from carteira_tui.store.cache import Cache

    cached = Cache(db_path)
    with reading(db_path) as db:
        return cached.belongs(db) and is_current_meta(
            cached.kept(),
            generation_now=generation(db),
            as_of=as_of,
            digest=settings_digest(settings, db),
        )


def kept_board(
    db_path: Path, *, as_of: date | None = None, settings: Settings | None = None
) -> Board | None:
    """The board kept with the last run, None when it cannot stand for what
    `services.segmentation.board` would compute: none kept, the cache not this database's, or
    no run before it kept while SQLite recorded one (the movements are then SQLite's). With
    `as_of` and `settings`, also None unless the run is current for them."""
    directory = cache_dir(db_path)
    with reading(db_path) as db:
        if not belongs(directory, db):
            return None
        figures = kept_board_figures(directory)
        if figures is None:
            return None
        if as_of is not None and settings is not None:
            current = is_current_meta(
                figures.get("meta"),
                generation_now=generation(db),
                as_of=as_of,
                digest=settings_digest(settings, db),
            )
            if not current:
                return None
        last = read_last_run(db)
    try:
        meta = figures["meta"]
        has_previous = bool(figures["has_previous"])
        rows = [BoardRow(**row) for row in figures["rows"]]
        day = date.fromisoformat(meta["as_of"])
    except (KeyError, TypeError, ValueError):
        return None
    if not has_previous and last is not None and last.has_previous:
        return None
    settings_changed = last is not None and last.settings_changed
    return Board(day, rows, has_previous, settings_changed)
