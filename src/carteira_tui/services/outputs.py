"""The one writer of the tables the product hands out: CSV and XLSX, to a file or as text.

Every CSV or XLSX written by a command (`segment --format csv`, `export`, `tasks`/`clients`
CSV, `board`, `audit`, the rejected rows of an import) goes through `table_text` or
`write_table`, so every one of them:

- follows one convention: for people, as Excel in Brazil reads it (`;`, decimal comma,
  dd/mm/aaaa, UTF-8 with a byte-order mark in files); with `plain`, for machines (`,`, `.`
  decimals, ISO dates);
- neutralises text cells a spreadsheet would run as a formula (`neutralize_formulas`; numbers
  written as numbers are never touched) and writes Brazilian phones in national form;
- lands on a path checked by `store.files` (never the database or its cache, an existing file
  only with `force`, no folder created) with the database's private modes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from carteira_tui.fields import field, normalize_header
from carteira_tui.store.files import checked_output, write_output
from carteira_tui.store.files import write_output_text as write_output_text  # for the CLI

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""What starts a formula in Excel, LibreOffice or Google Sheets (also after leading spaces)."""

PHONE_COLUMNS = frozenset(
    {normalize_header(name) for name in field("clients", "phone").aliases} | {"whatsapp"}
)
"""Column names written in national phone form: the field registry's names for a client's
phone (`phone`, `Telefone`, `celular`, `fone`, …) and `whatsapp`."""

_FORMULA_PATTERN = r"^(?:[\t\r]|\s*[=+\-@])"
_PHONE_TEXT = r"^[\s+()\d.\-]+$"


def national_phone(column: pl.Expr) -> pl.Expr:
    """A Brazilian phone as `(34) 96400-9897`; anything that is not one stays as it is."""
    text = column.cast(pl.String)
    digits = text.str.replace_all(r"\D", "")
    national = (
        pl.when(digits.str.starts_with("55") & digits.str.len_chars().is_in([12, 13]))
        .then(digits.str.slice(2))
        .otherwise(digits)
    )
    size = national.str.len_chars()
    area = pl.concat_str(pl.lit("("), national.str.slice(0, 2), pl.lit(") "))
    formatted = (
        pl.when(size == 11)
        .then(pl.concat_str(area, national.str.slice(2, 5), pl.lit("-"), national.str.slice(7, 4)))
        .when(size == 10)
        .then(pl.concat_str(area, national.str.slice(2, 4), pl.lit("-"), national.str.slice(6, 4)))
    )
    return (
        pl.when(text.str.contains(_PHONE_TEXT) & formatted.is_not_null())
        .then(formatted)
        .otherwise(text)
    )


def national_phone_text(text: str) -> str:
    """One phone as `national_phone` writes it: the card and the merge review show a phone as
    the files the product writes do."""
    return str(pl.select(national_phone(pl.lit(text, dtype=pl.String))).item())


def neutralize_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells a spreadsheet would run as a formula, with a leading apostrophe; phones in
    national form first (so `+55 34 …` is a phone, not a formula). Numbers are untouched."""
    changes = []
    for name, dtype in frame.schema.items():
        if dtype != pl.String:
            continue
        cell = national_phone(pl.col(name)) if name.lower() in PHONE_COLUMNS else pl.col(name)
        changes.append(
            pl.when(cell.str.contains(_FORMULA_PATTERN))
            .then(pl.lit("'") + cell)
            .otherwise(cell)
            .alias(name)
        )
    return frame.with_columns(changes) if changes else frame


def _csv_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns (lists, structs) as text, which CSV cannot hold otherwise."""
    changes = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.List):
            texts = pl.col(name).list.eval(pl.element().cast(pl.String))
            changes.append(texts.list.join(", ").alias(name))
        elif isinstance(dtype, pl.Struct):
            changes.append(pl.col(name).struct.json_encode().alias(name))
    return frame.with_columns(changes) if changes else frame


def _write_csv(frame: pl.DataFrame, sink: BinaryIO | io.BytesIO, *, plain: bool, bom: bool) -> None:
    ready = neutralize_formulas(_csv_ready(frame))
    if plain:
        ready.write_csv(
            sink, separator=",", date_format="%Y-%m-%d", datetime_format="%Y-%m-%dT%H:%M:%S"
        )
        return
    if bom:
        sink.write("\ufeff".encode())
    ready.write_csv(
        sink,
        separator=";",
        decimal_comma=True,
        date_format="%d/%m/%Y",
        datetime_format="%d/%m/%Y %H:%M:%S",
    )


def table_text(frame: pl.DataFrame, *, plain: bool = False) -> str:
    """The frame as CSV text for the standard output (the convention, no byte-order mark)."""
    buffer = io.BytesIO()
    _write_csv(frame, buffer, plain=plain, bom=False)
    return buffer.getvalue().decode("utf-8")


def write_table(
    frame: pl.DataFrame,
    path: Path,
    *,
    db_path: Path | None,
    fmt: str = "csv",
    plain: bool = False,
    force: bool = False,
    sheet: str = "clientes",
) -> Path:
    """Write the frame as CSV (`fmt="csv"`) or XLSX to a checked, private `path`."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        neutralize_formulas(_csv_ready(frame)).write_excel(
            buffer,
            worksheet=sheet,
            dtype_formats={pl.Date: "dd/mm/yyyy"},
            autofit=frame.height <= 10_000,
        )
        data = buffer.getvalue()
        return write_output(path, lambda sink: sink.write(data), db_path=db_path, force=force)
    return write_output(
        path,
        lambda sink: _write_csv(frame, sink, plain=plain, bom=True),
        db_path=db_path,
        force=force,
    )


@dataclass(frozen=True)
class RejectsTarget:
    """Where an import will write its rejected rows, checked before anything is imported."""

    path: Path
    force: bool


def rejects_target(
    db_path: Path, source: Path, chosen: Path | str | None, *, force: bool = False
) -> RejectsTarget:
    """The rejected-rows file of an import of `source`, refused before the import when it is
    the database (or its cache), or a person's existing file without `force`. The default
    `<file>.rejeitados.csv` is the product's own and is replaced by the next import."""
    if chosen:
        return RejectsTarget(checked_output(chosen, db_path=db_path, force=force), force)
    default = source.with_suffix(".rejeitados.csv")
    return RejectsTarget(checked_output(default, db_path=db_path, force=True), True)


def write_rejects(frame: pl.DataFrame, target: RejectsTarget, *, db_path: Path) -> Path:
    """Write an import's rejected rows (the CSV convention, neutralised, private)."""
    return write_table(frame, target.path, db_path=db_path, force=target.force)
