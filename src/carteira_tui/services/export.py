"""Export a view of the portfolio to CSV, XLSX or JSON (`carteira export`, `:exportar` in the TUI).

The rows are the last segmentation result (or a frame the caller already holds, e.g. what the
Clientes pane shows), optionally filtered by filter-language text and sorted. CSV is written as
Brazilian offices read it (`;`, decimal comma, dd/mm/aaaa, UTF-8 with BOM; `plain` for machines);
XLSX keeps numbers and dates typed; JSON has ISO dates and money in reais. CSV and XLSX go through
`services.outputs` (formula cells neutralised, phones in national form); every format through
`store.files` (never the database, no file replaced without `force`, private modes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine.filters import FilterError, compile_filter
from carteira_tui.engine.schema import RESULT_SCHEMA
from carteira_tui.errors import CarteiraError
from carteira_tui.services.outputs import neutralize_formulas as neutralize_formulas
from carteira_tui.services.outputs import write_table
from carteira_tui.services.privacy import mask_without_consent
from carteira_tui.services.segmentation import current_results, resegment, shown_results
from carteira_tui.store.files import OutputRefused, checked_output, write_output
from carteira_tui.vocab import filters as filter_words
from carteira_tui.vocab import store as store_words

Progress = Callable[[str, float], None]

FORMATS: dict[str, str] = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}

EXPORT_COLUMNS: tuple[str, ...] = (
    "client_id",
    "name",
    "document",
    "email",
    "phone",
    "city",
    "uf",
    "owner",
    "tags",
    "status",
    "segment",
    "rfm_segment",
    "abc",
    "r",
    "f",
    "m",
    "recency_days",
    "frequency",
    "monetary",
    "avg_ticket",
    "first_purchase",
    "last_purchase",
    "cycle_days",
    "overdue_days",
    "cooling",
    "excluded",
    "exclusion_reason",
)
"""The columns written, in order (DESIGN.md names; money in reais)."""


class ExportError(CarteiraError, ValueError):
    """An export that cannot be written (bad filter, unknown format, no results), in pt-BR."""


@dataclass(frozen=True)
class ExportResult:
    """What was written where."""

    path: Path
    format: str
    rows: int
    seconds: float
    stale: bool = False


def export_format(path: Path) -> str:
    """`csv`, `xlsx` or `json` from the file's suffix."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(store_words.unknown_export_format(path.name))
    return fmt


def export_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows to write: EXPORT_COLUMNS present in `frame`, money and intervals rounded."""
    columns = [name for name in EXPORT_COLUMNS if name in frame.columns]
    rounded = [
        pl.col(name).round(2)
        for name in ("monetary", "avg_ticket", "cycle_days", "overdue_days")
        if name in columns
    ]
    return frame.select(columns).with_columns(rounded)


def write_export(
    frame: pl.DataFrame,
    path: Path,
    fmt: str,
    *,
    db_path: Path | None = None,
    force: bool = False,
    plain: bool = False,
) -> None:
    """Write `frame` to `path` in `fmt` through the one table writer (checked, private; CSV
    and XLSX neutralised)."""
    if fmt == "json":
        data = frame.write_json().encode("utf-8")
        write_output(path, lambda sink: sink.write(data), db_path=db_path, force=force)
    else:
        write_table(frame, path, db_path=db_path, fmt=fmt, plain=plain, force=force)


def export_clients(
    db_path: Path,
    *,
    output: Path,
    settings: Settings,
    where: str | None = None,
    sort_column: str | None = None,
    descending: bool = False,
    frame: pl.DataFrame | None = None,
    as_of: date | None = None,
    on_progress: Progress | None = None,
    force: bool = False,
    plain: bool = False,
) -> ExportResult:
    """Write the clients of a view to `output` (.csv, .xlsx or .json).

    Without `frame` the rows are the last stored segmentation result; `where` filters them with
    the filter language (relative dates against the result's as-of date) and `sort_column` sorts.
    """
    started = time.perf_counter()
    output = Path(output)
    try:
        checked_output(output, db_path=db_path, force=force)  # before any work
    except OutputRefused as error:
        raise ExportError(str(error)) from error
    fmt = export_format(output)
    stale = False
    if frame is None and as_of is not None:
        # a chosen date: the kept result when it is for that date, else a query (a past date
        # records no run)
        results = current_results(db_path, settings=settings)
        if results.stale or results.as_of != as_of:
            frame = resegment(db_path, as_of=as_of, settings=settings).frame
        else:
            frame = results.frame
    if frame is None:
        results = shown_results(db_path, settings=settings)
        if results.as_of is None:
            raise ExportError(store_words.NO_SEGMENTATION_YET)
        frame, stale, as_of = results.frame, results.stale, results.as_of
    if where and where.strip():
        try:
            from carteira_tui.services.today import local_today  # lazy: loads the calendar

            expression = compile_filter(
                where, as_of=as_of or local_today(settings), schema=dict(RESULT_SCHEMA)
            )
        except FilterError as error:
            raise ExportError(filter_words.invalid_filter(error.message, error.column)) from error
        frame = frame.filter(expression)
    if sort_column is not None:
        if sort_column not in frame.columns:
            raise ExportError(filter_words.unknown_sort_column(sort_column))
        frame = frame.sort(sort_column, descending=descending, nulls_last=True, maintain_order=True)
    if on_progress is not None:
        on_progress(store_words.PROGRESS_WRITING, 0.5)
    # LGPD: a contact leaves the database only through a channel the person consented to.
    rows = export_frame(mask_without_consent(frame))
    try:
        write_export(rows, output, fmt, db_path=db_path, force=force, plain=plain)
    except OutputRefused as error:
        raise ExportError(str(error)) from error
    except OSError as error:
        raise ExportError(store_words.could_not_write(output, error.strerror or error)) from error
    if on_progress is not None:
        on_progress(store_words.PROGRESS_DONE, 1.0)
    return ExportResult(output, fmt, rows.height, time.perf_counter() - started, stale)
