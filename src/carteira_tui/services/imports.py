"""`import_file`: bring clients, orders, interactions or owners from a CSV or XLSX file into the
database.

Used by `carteira import`, the `demo` command and the TUI. The file is read into an all-text
frame (encoding and separator detected), headers are matched to fields and values parsed by
`engine.parsing`, every bad row is collected as a `RowError`, and then — unless the file has bad
rows and `skip_bad` is off, or it is a dry run — everything is written in one `db.atomic()` that
bumps the generation once. An orders import also brings `client_aggregates` (and the
first-day revenue) of the clients it touched up to date with `engine.aggregates`: moved by the
file's rows when it only adds orders, else recomputed from all their orders.

The work grows with the file, not the database: stored codes and numbers are looked up through
their indexes. A big orders file is loaded in bulk, still in the one transaction: from
`store.orders.BULK_MIN_ROWS` rows foreign keys are not looked up again (the client ids were just
read under the write lock); at half the table or more (`is_bulk_load`) the orders' secondary
indexes are built again after the insert instead of row by row; codes naming a quarter of the
clients or more are read in one pass over the table; and on a first load the aggregates are
computed from the file's rows while SQLite inserts them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import polars as pl
from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.engine.aggregates import (
    ORDER_SCHEMA,
    aggregates_after_adding,
    days_to_look_up,
    first_day_revenue,
    order_aggregates,
)
from carteira_tui.engine.documents import document_is_valid_expr, document_key_expr
from carteira_tui.engine.parsing import (
    CONTROL_CHARACTERS,
    FIELDS,
    MONTH_FIRST,
    UNDECIDED,
    HeaderError,
    date_orders,
    derive_contact_consent,
    error_column,
    match_headers,
    parse_fields,
    refine_reason,
    rescue_dates,
    times_dropped,
)
from carteira_tui.errors import CarteiraError
from carteira_tui.fields import email_check, email_normal, tag_list
from carteira_tui.fields import field as field_spec
from carteira_tui.model import Col
from carteira_tui.services.outputs import RejectsTarget, rejects_target, write_rejects
from carteira_tui.store import aggregates as aggregates_store
from carteira_tui.store import clients as clients_store
from carteira_tui.store import interactions as interactions_store
from carteira_tui.store import orders as orders_store
from carteira_tui.store import owners_admin
from carteira_tui.store.audit import write_audit
from carteira_tui.store.db import StoreError, bump_generation, connect, mark_reset
from carteira_tui.store.owners import upsert_owners
from carteira_tui.vocab import imports as words

if TYPE_CHECKING:
    from carteira_tui.services.segmentation import SegmentRun

Kind = Literal["clients", "orders", "interactions", "owners"]
KINDS: tuple[str, ...] = ("clients", "orders", "interactions", "owners")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
ROW = "_row"
REASON_COLUMN = "motivo"
ROW_COLUMN = "linha_planilha"

ProgressCallback = Callable[[str, float], None]

MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024
"""Largest uncompressed size of a spreadsheet's parts, as its zip declares them."""
MAX_XLSX_RATIO = 200
"""Largest compression ratio of any part (a zip bomb's is in the thousands)."""
MAX_CELLS = 50_000_000
"""Most cells (rows × columns) a spreadsheet may hold."""
MAX_CELL_CHARS = 32_767
"""Longest text a cell may hold: Excel's own limit."""


class ImportFailed(CarteiraError, RuntimeError):
    """A file that cannot be imported at all (missing, unreadable, unknown format, bad headers)."""


@dataclass(frozen=True)
class RowError:
    """One rejected cell or row: `FILE:ROW: column: reason` (ROW as the spreadsheet shows it)."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.column}: {self.reason}"


@dataclass
class ImportReport:
    """What an import read, wrote and rejected.

    `inserted` rows are new, `updated` rows changed a stored one, `unchanged` rows were already
    there as they are (an overlapping re-export), `rejected` rows had errors.
    """

    kind: str
    path: Path
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    erased: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejects_path: Path | None = None
    dry_run: bool = False
    written: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the import wrote new or changed rows (so derived results may move)."""
        return self.written and bool(self.inserted or self.updated)

    @property
    def summary(self) -> str:
        """The pt-BR line that ends every import."""
        prefix = words.SUMMARY_DRY_RUN if self.dry_run else ""
        if self.errors and not self.written and not self.dry_run:
            prefix = words.SUMMARY_NOTHING_WRITTEN
        return words.summary(
            prefix,
            self.path.name,
            read=self.read,
            inserted=self.inserted,
            updated=self.updated,
            unchanged=self.unchanged,
            rejected=self.rejected,
            erased=self.erased,
        )


RESEGMENTING_KINDS = frozenset({"clients", "orders", "interactions"})
"""Imports whose changes move segmentation results (interactions move the cadence column:
DESIGN.md "last contact"; owners do not)."""


@dataclass(frozen=True)
class ImportOutcome:
    """An import and, when it changed what segmentation reads, the re-segmentation after it."""

    report: ImportReport
    run: SegmentRun | None = None


def import_and_segment(
    db_path: Path | str,
    kind: str,
    path: Path | str,
    *,
    as_of: date,
    settings: Settings,
    segment: bool = True,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    skip_bad: bool = False,
    rejects_path: Path | str | None = None,
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
    force: bool = False,
) -> ImportOutcome:
    """Import `path` (`import_file`), then re-segment as of `as_of` when the import changed
    clients or orders: the one "import" action the CLI, the TUI and the demo all call."""
    report = import_file(
        db_path,
        kind,
        path,
        sheet=sheet,
        mapping=mapping,
        skip_bad=skip_bad,
        rejects_path=rejects_path,
        dry_run=dry_run,
        on_progress=on_progress,
        force=force,
    )
    if not (segment and report.changed and kind in RESEGMENTING_KINDS):
        return ImportOutcome(report)
    # Imported here: an import that does not re-segment (--no-segment, owners, nothing new)
    # never loads segmentation, the forecast or the results cache.
    from carteira_tui.services.segmentation import resegment

    run = resegment(Path(db_path), as_of=as_of, settings=settings, on_progress=on_progress)
    return ImportOutcome(report, run)


def import_file(
    db_path: Path | str,
    kind: str,
    path: Path | str,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    skip_bad: bool = False,
    rejects_path: Path | str | None = None,
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
    today: date | None = None,
    force: bool = False,
) -> ImportReport:
    """Import `path` as `kind` into the database at `db_path`; see the module docstring.

    `today` (Brazil's date unless given) bounds birth dates.

    Raises `ImportFailed` for a file that cannot be read at all; bad rows are in the report.
    """
    progress = on_progress or (lambda _stage, _fraction: None)
    if kind not in KINDS:
        raise ImportFailed(words.unknown_kind(kind))
    path = Path(path)
    rejects = rejects_target(Path(db_path), path, rejects_path, force=force)  # Trust: checked first
    report = ImportReport(kind=kind, path=path, dry_run=dry_run)
    progress(words.PROGRESS_READING, 0.0)
    raw, shape_errors = read_table(path, sheet=sheet)
    try:
        columns = match_headers(raw.columns, kind, mapping)
    except HeaderError as error:
        raise ImportFailed(f"{path}: {error}") from error
    report.read = raw.height
    progress(words.PROGRESS_PARSING, 0.2)
    if today is None:
        from carteira_tui.services.today import local_today  # lazy: it loads the calendar

        today = local_today(Settings())  # Hoje: "today" is Brazil's date, as everywhere
    parsed, date_order = date_orders(parse_fields(raw.lazy(), kind, columns, today=today).collect())
    parsed, timed = times_dropped(parsed)
    report.notes.extend(_date_order_notes(date_order, columns))
    report.notes.extend(
        words.times_of_day_ignored(h, timed[n]) for h, n in columns.items() if n in timed
    )
    parsed = rescue_dates(parsed, raw, kind, columns, today=today)
    parsed = parsed.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW))
    cleaned = _cells_with_control_characters(raw, columns)
    if cleaned:
        report.notes.append(words.control_characters_removed(cleaned))
    unused = [header for header in raw.columns if header not in columns]
    if unused:
        report.notes.append(words.unused_columns(unused))
    report.notes.extend(_check_notes(parsed, kind, columns))
    errors = [*shape_errors, *_cell_errors(parsed, raw, kind, columns, path.name)]
    blank_rows = _blank_rows(raw)
    if blank_rows:
        parsed = parsed.filter(~pl.col(ROW).is_in(blank_rows))
        errors = [e for e in errors if e.row not in set(blank_rows)]
        report.read -= len(blank_rows)
    try:
        # One transaction from the first read to the last write: the checks see the same data
        # the writes change, and a failure anywhere leaves the file as it was.
        with connect(db_path) as db, _loading(db, kind, parsed.height), db.atomic():
            progress(words.PROGRESS_CHECKING, 0.4)
            parsed, reference_errors, erased = _check_references(
                db, kind, parsed, columns, path.name
            )
            if erased:  # LGPD: skipped and counted, nothing about them reported or written
                parsed = parsed.filter(~pl.col(ROW).is_in(sorted(erased)))
                errors = [e for e in errors if e.row not in erased]
                report.erased = len(erased)
            errors.extend(reference_errors)
            errors.sort(key=lambda e: (e.row, e.column))
            bad_rows = {e.row for e in errors}
            good = parsed.filter(~pl.col(ROW).is_in(list(bad_rows)))
            if kind == "clients":
                good = derive_contact_consent(good)
            report.errors = errors
            report.rejected = len(bad_rows)
            if errors and not skip_bad:
                return report
            plan = _plan(db, kind, good)
            report.inserted, report.updated, report.unchanged = plan.counts()
            report.notes.extend(plan.notes)
            if dry_run:
                return report
            progress("gravando", 0.6)
            generation = 0
            if plan.changes():
                # Orders rewritten in place cannot be patched into a cache: it rebuilds whole.
                rewrites = kind == "orders" and not plan.changed.is_empty()
                generation = mark_reset(db) if rewrites else bump_generation(db)
                _write(db, kind, plan, generation, progress)
            report.written = True
            write_audit(
                db,
                action="importar",
                entity=kind,
                summary=report.summary,
                after={
                    "arquivo": str(path),
                    "novas": report.inserted,
                    "atualizadas": report.updated,
                    "iguais": report.unchanged,
                    "rejeitadas": report.rejected,
                    "apagadas_ignoradas": report.erased,
                    **plan.audit_detail(),
                    "rejeitados": str(rejects.path) if errors else None,  # for LGPD forget
                },
            )
    except StoreError as error:
        raise ImportFailed(str(error)) from error
    if errors:
        report.rejects_path = _write_rejects(raw, errors, rejects, Path(db_path))
    progress(words.PROGRESS_DONE, 1.0)
    return report


@contextmanager
def _loading(db: Database, kind: str, rows: int) -> Iterator[None]:
    """Set the connection up for the load, before its transaction: a big page cache, and for a
    bulk of orders no foreign-key lookups (every client id is read from the clients table under
    the same write lock, so it exists)."""
    orders_store.use_bulk_cache(db, rows=rows)
    if kind == "orders" and rows >= orders_store.BULK_MIN_ROWS:
        orders_store.trust_foreign_keys(db)
    yield


def read_table(path: Path, *, sheet: str | None = None) -> tuple[pl.DataFrame, list[RowError]]:
    """The file as an all-text frame (one column per header) and its wrong-column-count rows."""
    if not path.exists():
        raise ImportFailed(words.file_not_found(path))
    if not path.is_file():
        raise ImportFailed(words.not_a_file(path))
    suffix = path.suffix.lower()
    try:
        if suffix in CSV_SUFFIXES:
            return _read_csv(path)
        if suffix in EXCEL_SUFFIXES:
            return _read_excel(path, sheet), []
    except ImportFailed:
        raise
    except OSError as error:
        raise ImportFailed(words.file_unreadable_os(path, error.strerror)) from error
    except Exception as error:  # noqa: BLE001 - a reader's own words never reach people raw
        raise ImportFailed(
            words.file_unreadable(path, spreadsheet=suffix in EXCEL_SUFFIXES)
        ) from error
    raise ImportFailed(words.unknown_format(path, suffix))


def decode_text(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Texto Unicode"),
    else cp1252, else latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def detect_separator(header_line: str) -> str:
    """`;`, tab or `,`: whichever appears most in the header line outside quotes."""
    unquoted = "".join(part for i, part in enumerate(header_line.split('"')) if i % 2 == 0)
    counts = {sep: unquoted.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_csv(path: Path) -> tuple[pl.DataFrame, list[RowError]]:
    text = decode_text(path.read_bytes())
    if not text.strip():
        raise ImportFailed(words.empty_file(path))
    if "\n" not in text:
        text = text.replace("\r", "\n")  # classic Mac line endings: CR alone
    header_line = text.split("\n", 1)[0]
    separator = detect_separator(header_line)
    frame = pl.read_csv(
        io.BytesIO(text.encode("utf-8")),
        separator=separator,
        infer_schema=False,
        truncate_ragged_lines=True,
    )
    return frame, _column_count_errors(text, separator, frame, path.name)


def _column_count_errors(
    text: str, separator: str, frame: pl.DataFrame, file: str
) -> list[RowError]:
    """Rows whose number of fields differs from the header's, however they are quoted.

    Counted on the lines when lines map 1:1 to rows (vectorised); when a quoted field spans
    lines, the records are counted by Python's csv reader instead (a rare file, read once).
    """
    # split in Polars: a million-line file never becomes a million Python strings
    lines = pl.Series("line", [text]).str.split("\n").explode().str.strip_suffix("\r")
    while len(lines) and lines[-1] == "":
        lines = lines.head(len(lines) - 1)
    width = frame.width
    if len(lines) - 1 == frame.height:
        # quoted text dropped first: a separator inside quotes is not a column
        unquoted = lines.str.replace_all(r'"[^"]*"', "") if '"' in text else lines
        counts = unquoted.str.count_matches(separator, literal=True) + 1
        blank = lines.str.strip_chars() == ""
    else:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
        while records and not records[-1]:
            records.pop()
        counts = pl.Series("n", [len(record) for record in records], dtype=pl.UInt32)
        blank = pl.Series("blank", [not any(record) for record in records])
    wrong = pl.DataFrame(
        {"row": pl.int_range(1, len(counts) + 1, eager=True), "n": counts, "blank": blank}
    )
    wrong = wrong.filter((pl.col("row") > 1) & (pl.col("n") != width) & ~pl.col("blank"))
    return [
        RowError(file, row, "colunas", words.wrong_column_count(n, width))
        for row, n, _blank in wrong.iter_rows()
    ]


def _read_excel(path: Path, sheet: str | None) -> pl.DataFrame:
    _check_spreadsheet_limits(path)
    if sheet is None:
        frame = pl.read_excel(path, sheet_id=1)
    else:
        import fastexcel  # only spreadsheets need it: a CSV import never loads it

        names = fastexcel.read_excel(path).sheet_names
        if sheet not in names:
            raise ImportFailed(words.sheet_not_found(path, sheet, names))
        frame = pl.read_excel(path, sheet_name=sheet)
    if frame.height * max(frame.width, 1) > MAX_CELLS:
        raise ImportFailed(words.spreadsheet_too_many_cells(path, MAX_CELLS))
    frame = frame.with_columns(
        _excel_cell_as_text(name, dtype) for name, dtype in frame.schema.items()
    )
    _check_cell_lengths(path, frame)
    return frame


def _check_spreadsheet_limits(path: Path) -> None:
    """Refuse, before any parsing, a spreadsheet whose zip declares parts too large, too
    compressed (a zip bomb) or a sheet with too many cells."""
    if not zipfile.is_zipfile(path):
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xlsb", ".ods"):
            raise ImportFailed(words.spreadsheet_not_valid(path))
        return  # an old binary .xls: no zip to look into
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
        total = sum(part.file_size for part in parts)
        if total > MAX_XLSX_UNCOMPRESSED:
            raise ImportFailed(
                words.spreadsheet_too_large(path, total // 2**20, MAX_XLSX_UNCOMPRESSED // 2**20)
            )
        for part in parts:
            squeezed = part.file_size > 2**20 and part.file_size > MAX_XLSX_RATIO * max(
                part.compress_size, 1
            )
            if squeezed:
                raise ImportFailed(
                    words.spreadsheet_suspicious(
                        path, part.filename, part.file_size // max(part.compress_size, 1)
                    )
                )
        try:
            # Decompress once in small chunks: a part holding more than its header declares
            # (a lie meant to pass the checks above) fails its CRC here, before any parser.
            for part in parts:
                with archive.open(part) as stream:
                    while stream.read(2**20):
                        pass
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
            raise ImportFailed(words.spreadsheet_corrupt(path)) from error
        for part in parts:
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                with archive.open(part) as sheet_xml:
                    head = sheet_xml.read(4096).decode("utf-8", errors="replace")
                cells = _declared_cells(head)
                if cells > MAX_CELLS:
                    raise ImportFailed(words.sheet_too_many_cells(path, cells, MAX_CELLS))


def _declared_cells(sheet_head: str) -> int:
    """Rows × columns of a sheet's `<dimension ref="A1:Z100"/>`, 0 when absent."""
    found = re.search(r'<dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"', sheet_head)
    if not found:
        return 0
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    return column * int(found.group(2))


def _check_cell_lengths(path: Path, frame: pl.DataFrame) -> None:
    """Refuse a cell longer than Excel itself allows, naming its row and column."""
    for name in frame.columns:
        lengths = frame.get_column(name).str.len_chars()
        longest = lengths.max()
        if isinstance(longest, int) and longest > MAX_CELL_CHARS:
            row = int(lengths.arg_max() or 0) + 2
            raise ImportFailed(words.cell_too_long(path, row, name, longest, MAX_CELL_CHARS))


def _date_order_notes(orders: Mapping[str, int | None], columns: Mapping[str, str]) -> list[str]:
    """The order of day and month a date column was read in, when its values did not decide it
    (read day first, the Brazilian dd/mm/aaaa) or decided it against the Brazilian habit
    (month first)."""
    notes: list[str] = []
    for header, name in columns.items():
        if orders.get(name) == UNDECIDED:
            notes.append(words.dates_read_day_first(header))
        elif orders.get(name) == MONTH_FIRST:
            notes.append(words.dates_read_month_first(header))
    return notes


def _check_notes(parsed: pl.DataFrame, kind: str, columns: Mapping[str, str]) -> list[str]:
    """Values the registry's checks find invalid (an e-mail `joão@…`): kept as typed, for
    Limpeza to review, and named here so the import does not pass them in silence."""
    notes: list[str] = []
    for header, name in columns.items():
        spec = field_spec(kind, name)
        if spec.check is None:
            continue
        bad = parsed.filter(
            pl.col(name).is_not_null()
            & ~spec.check(pl.col(name).str.strip_chars().str.to_lowercase())
        )
        if bad.height:
            rows = ", ".join(str(row) for row in bad.get_column(ROW).head(5).to_list())
            notes.append(
                words.invalid_values_kept(
                    header, bad.height, spec.reason or words.INVALID_VALUE, rows, bad.height > 5
                )
            )
    return notes


def _cells_with_control_characters(raw: pl.DataFrame, columns: Mapping[str, str]) -> int:
    """How many matched cells held control characters (removed by the parser)."""
    if not columns:
        return 0
    counts = raw.select(
        pl.col(header).cast(pl.String).str.contains(CONTROL_CHARACTERS).fill_null(False).sum()
        for header in columns
    )
    return int(counts.sum_horizontal().item())


def _excel_cell_as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A typed spreadsheet column as the text a person would have typed."""
    column = pl.col(name)
    if dtype == pl.Date:
        return column.dt.strftime("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        return column.dt.strftime("%Y-%m-%d %H:%M:%S")
    if dtype == pl.Boolean:
        return column.cast(pl.Int64).cast(pl.String)
    if dtype.is_float():
        whole = column.round(0) == column
        return (
            pl.when(whole.all())
            .then(column.cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(column.cast(pl.String))
        )
    return column.cast(pl.String)


def _blank_rows(raw: pl.DataFrame) -> list[int]:
    """Spreadsheet rows with nothing in any cell: skipped, neither read nor rejected."""
    empty = pl.all_horizontal(
        pl.col(c).cast(pl.String).str.strip_chars().fill_null("") == "" for c in raw.columns
    )
    numbered = raw.select(empty.alias("_blank"), (pl.int_range(pl.len()) + 2).alias(ROW))
    return numbered.filter(pl.col("_blank"))[ROW].to_list()


def _cell_errors(
    parsed: pl.DataFrame, raw: pl.DataFrame, kind: str, columns: Mapping[str, str], file: str
) -> list[RowError]:
    """Every non-null `_err_<field>` as a `RowError` named by the file's own header."""
    found: list[RowError] = []
    for header, name in columns.items():
        kind_of = field_spec(kind, name).kind
        with_text = parsed.select(ROW, error_column(name)).with_columns(
            raw[header].cast(pl.String).alias("_text")
        )
        bad = with_text.filter(pl.col(error_column(name)).is_not_null())
        for row, reason, text in bad.iter_rows():
            if text:
                reason = f"{refine_reason(kind_of, reason, text)}: {text.strip()!r}"
            found.append(RowError(file, row, header, reason))
    return found


def _header_of(columns: Mapping[str, str], name: str) -> str:
    return next((h for h, f in columns.items() if f == name), name)


def _duplicates(
    parsed: pl.DataFrame, key: str, header: str, file: str, what: str
) -> list[RowError]:
    """Rows repeating a key seen on an earlier row of the same file."""
    keyed = parsed.filter(pl.col(key).is_not_null())
    if keyed.get_column(key).n_unique() == keyed.height:
        return []  # the usual file: one hash pass, no join
    first_row = keyed.group_by(key).agg(pl.col(ROW).min().alias("_first"))
    repeated = keyed.join(first_row, on=key).filter(pl.col(ROW) != pl.col("_first"))
    return [
        RowError(file, row, header, words.repeated_in_file(what, first))
        for row, first in repeated.select(ROW, "_first").iter_rows()
    ]


def _check_references(
    db: Database, kind: str, parsed: pl.DataFrame, columns: Mapping[str, str], file: str
) -> tuple[pl.DataFrame, list[RowError], set[int]]:
    """Errors that need the database or the whole file: duplicates and unknown clients; and
    the rows naming a person erased on request, to be skipped (DECISIONS "Imports").

    Returns the frame with `client_id` resolved (orders, interactions). An order or interaction
    whose client code is an erased person's former code (on the blocklist) or an `anon-<n>` is
    skipped: its revenue is already on the anonymised client (erasure keeps the orders), and
    landing it there would need a link from the old code to the anonymous record.
    """
    # privacy reaches the segmentation results (to forget a person there too): loaded only here
    from carteira_tui.services.privacy import blocked_rows, erased_reference_rows

    errors: list[RowError] = []
    if kind == "owners":
        header = _header_of(columns, "name")
        errors.extend(_duplicates(parsed, "name", header, file, words.KEY_OWNER))
        if "capacity" in parsed.columns:
            errors.extend(
                RowError(file, row, _header_of(columns, "capacity"), words.CAPACITY_NOT_POSITIVE)
                for (row,) in parsed.filter(pl.col("capacity") <= 0).select(ROW).iter_rows()
            )
        return parsed, errors, set()
    if kind == "clients":
        erased = {row for row, _name in blocked_rows(db, parsed, row=ROW)}
        kept = parsed.filter(~pl.col(ROW).is_in(sorted(erased))) if erased else parsed
        header = _header_of(columns, Col.EXTERNAL_ID)
        errors.extend(_duplicates(kept, Col.EXTERNAL_ID, header, file, words.KEY_CLIENT))
        return parsed, errors, erased
    codes = parsed.get_column("client_external_id").drop_nulls().unique().to_list()
    ids = clients_store.read_client_ids_or_aliases(db, codes).rename(
        {Col.EXTERNAL_ID: "client_external_id"}
    )
    parsed = parsed.join(ids, on="client_external_id", how="left", maintain_order="left")
    unknown = parsed.filter(
        pl.col("client_external_id").is_not_null() & pl.col(Col.CLIENT_ID).is_null()
    )
    erased = set(erased_reference_rows(parsed, "client_external_id", row=ROW))
    if not unknown.is_empty():  # a forgotten person's former code: on the blocklist
        former = unknown.select(ROW, pl.col("client_external_id").alias(Col.EXTERNAL_ID))
        erased.update(row for row, _name in blocked_rows(db, former, row=ROW))
    client_header = _header_of(columns, "client_external_id")
    errors.extend(
        RowError(file, row, client_header, words.unknown_client(code))
        for row, code in unknown.select(ROW, "client_external_id").iter_rows()
        if row not in erased
    )
    if Col.EXTERNAL_ID in parsed.columns:
        what = words.KEY_ORDER if kind == "orders" else words.KEY_INTERACTION
        header = _header_of(columns, Col.EXTERNAL_ID)
        kept = parsed.filter(~pl.col(ROW).is_in(sorted(erased))) if erased else parsed
        errors.extend(_duplicates(kept, Col.EXTERNAL_ID, header, file, what))
    return parsed, errors, erased


def _client_columns(good: pl.DataFrame) -> list[str]:
    names = {spec.name for spec in FIELDS["clients"]}
    return [c for c in good.columns if c in names]


ORDER_KEY = (Col.CLIENT_ID, Col.DATE, Col.AMOUNT_CENTS, "channel")
"""What identifies an order without a number: repeats of it are counted, not merged."""

MAX_AUDITED_UPDATES = 200
"""How many updated orders an import's audit row lists by number, before and after."""


@dataclass
class WritePlan:
    """The good rows of a file split into what is new, what changes a stored row, and how many
    rows are already stored as they are."""

    new: pl.DataFrame
    changed: pl.DataFrame
    unchanged: int = 0
    before: pl.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    kept: list[dict[str, object]] = field(default_factory=list)
    """Clients whose tags or notes the file added to instead of replacing (for the audit)."""

    def counts(self) -> tuple[int, int, int]:
        """(novas, atualizadas, iguais)."""
        return self.new.height, self.changed.height, self.unchanged

    def changes(self) -> bool:
        """Whether writing the plan changes anything."""
        return bool(self.new.height or self.changed.height)

    def audit_detail(self) -> dict[str, object]:
        """The updated orders, before and after, for the import's audit row (first few); the
        clients whose tags or notes were added to rather than replaced."""
        if self.kept:
            return {"etiquetas_observacoes_somadas": self.kept[:MAX_AUDITED_UPDATES]}
        if self.before is None or self.changed.is_empty():
            return {}
        shown = self.changed.head(MAX_AUDITED_UPDATES)
        wanted = shown.get_column(Col.EXTERNAL_ID).implode()
        before = self.before.filter(pl.col(Col.EXTERNAL_ID).is_in(wanted))
        return {
            "pedidos_antes": before.with_columns(pl.col(Col.DATE).cast(pl.String)).to_dicts(),
            "pedidos_depois": shown.with_columns(pl.col(Col.DATE).cast(pl.String)).to_dicts(),
        }


def _plan(db: Database, kind: str, good: pl.DataFrame) -> WritePlan:
    """Split the good rows (inside the transaction) into new, changed and already stored."""
    if kind == "orders":
        return _plan_orders(db, _order_rows(good))
    if kind == "interactions":
        return _plan_interactions(db, good)
    if kind == "owners":
        known = owners_admin.read_owners(db).get_column("name").implode()
        is_update = pl.col("name").is_in(known)
        return WritePlan(good.filter(~is_update), good.filter(is_update))
    good, folded = _fold_aliases(db, good)
    codes = good.get_column(Col.EXTERNAL_ID).to_list()
    known_codes = clients_store.read_client_ids(db, codes)[Col.EXTERNAL_ID].implode()
    is_update = pl.col(Col.EXTERNAL_ID).is_in(known_codes)
    notes = _probable_duplicates(db, good.filter(~is_update))
    if folded:
        notes.append(words.merged_codes_folded(folded))
    updates, same, kept = _against_stored(db, good.filter(is_update))
    if kept:
        notes.append(words.tags_and_notes_kept(len(kept)))
    return WritePlan(
        good.filter(~is_update),
        updates.filter(~same),
        folded + int(same.sum()),
        notes=notes,
        kept=kept,
    )


KEPT_FIELDS = ("tags", "notes")
"""A client's fields people enrich in the product (edits, `client note`, a merge's union): a
file adds to them and never takes away (`_keep_tags_and_notes`)."""


def _keep_tags_and_notes(
    stored: Mapping[str, str | None], incoming: Mapping[str, str | None]
) -> dict[str, str | None]:
    """What an import writes into a stored client's tags and notes: the file's tags are added
    to the stored ones (a tag already there, in any case, is not repeated), and the file's
    notes are appended on a new line unless the stored notes already hold them. An empty cell
    keeps what is stored, as for every field. Merged tags and notes, and lines added with
    `client note`, are never lost to a re-import."""
    written: dict[str, str | None] = {}
    tags, before = incoming.get("tags"), stored.get("tags")
    if "tags" in incoming:
        if tags and before:
            have = {tag.casefold() for tag in tag_list(before)}
            added = []
            for tag in tag_list(tags):
                if tag.casefold() not in have:
                    have.add(tag.casefold())
                    added.append(tag)
            written["tags"] = ", ".join([before.strip().rstrip(","), *added]) if added else before
        else:
            written["tags"] = tags
    notes, before = incoming.get("notes"), stored.get("notes")
    if "notes" in incoming:
        if notes and before:
            written["notes"] = before if notes.strip() in before else f"{before}\n{notes.strip()}"
        else:
            written["notes"] = notes
    return written


def _against_stored(
    db: Database, updates: pl.DataFrame
) -> tuple[pl.DataFrame, pl.Series, list[dict[str, object]]]:
    """The rows for existing clients as they will be written, which of them change nothing,
    and the clients whose tags or notes were combined with the stored ones (code, before,
    after: for the audit row).

    A row changes nothing when every value is empty in the file (which keeps the stored one)
    or equal to it — tags and notes compared after `_keep_tags_and_notes` — and is counted as
    "iguais", not rewritten, so a re-exported file does not mark the whole portfolio as
    changed."""
    columns = _client_columns(updates)
    compared = [c for c in columns if c != Col.EXTERNAL_ID]
    if updates.is_empty() or not compared:
        return updates, pl.Series("same", [True] * updates.height, dtype=pl.Boolean), []
    stored = clients_store.read_client_values(db, updates[Col.EXTERNAL_ID].to_list(), compared)
    updates, kept = _combine_kept_fields(updates, stored)
    as_text = updates.select(
        Col.EXTERNAL_ID,
        *(
            (pl.col(c).dt.strftime("%Y-%m-%d") if updates.schema[c] == pl.Date else pl.col(c))
            .cast(pl.String)
            .alias(c)
            for c in compared
        ),
    )
    joined = as_text.join(
        stored, on=Col.EXTERNAL_ID, how="left", suffix="_db", maintain_order="left"
    )
    same = pl.all_horizontal(
        pl.col(c).is_null() | pl.col(c).eq_missing(pl.col(f"{c}_db")) for c in compared
    )
    return updates, joined.select(same.alias("same")).get_column("same"), kept


def _combine_kept_fields(
    updates: pl.DataFrame, stored: pl.DataFrame
) -> tuple[pl.DataFrame, list[dict[str, object]]]:
    """`updates` with tags and notes combined with the stored ones (`_keep_tags_and_notes`),
    and what each combined client had before and has after. Only the rows where both the file
    and the client have a value that differs go through Python."""
    fields = [c for c in KEPT_FIELDS if c in updates.columns]
    if not fields:
        return updates, []
    joined = updates.select(Col.EXTERNAL_ID, *fields).join(
        stored.select(Col.EXTERNAL_ID, *fields), on=Col.EXTERNAL_ID, how="left", suffix="_db"
    )
    differ = pl.any_horizontal(
        pl.col(c).is_not_null() & pl.col(f"{c}_db").is_not_null() & (pl.col(c) != pl.col(f"{c}_db"))
        for c in fields
    )
    combined: list[dict[str, object]] = []
    audited: list[dict[str, object]] = []
    for row in joined.filter(differ).iter_rows(named=True):
        before = {c: row[f"{c}_db"] for c in fields}
        written = _keep_tags_and_notes(before, {c: row[c] for c in fields})
        combined.append({Col.EXTERNAL_ID: row[Col.EXTERNAL_ID], **written})
        if any(written[c] not in (row[c], before[c]) for c in fields):  # truly combined
            audited.append(
                {
                    "codigo": row[Col.EXTERNAL_ID],
                    "antes": before,
                    "arquivo": {c: row[c] for c in fields},
                    "depois": written,
                }
            )
    if not combined:
        return updates, []
    values = pl.DataFrame(
        combined, schema={Col.EXTERNAL_ID: pl.String, **{c: pl.String for c in fields}}
    )
    merged = updates.join(values, on=Col.EXTERNAL_ID, how="left", suffix="_kept")
    return (
        merged.with_columns(pl.coalesce(f"{c}_kept", c).alias(c) for c in fields).drop(
            [f"{c}_kept" for c in fields]
        ),
        audited,
    )


MAX_DUPLICATES_NAMED = 10


def _probable_duplicates(db: Database, new: pl.DataFrame) -> list[str]:
    """New codes whose valid CPF/CNPJ or e-mail already belongs to another client, named so
    the import does not create a duplicate in silence (Limpeza shows them for review)."""
    wanted = [c for c in ("document", "email") if c in new.columns]
    if new.is_empty() or not wanted:
        return []
    keys = [
        pl.when(document_is_valid_expr(document_key_expr(pl.col("document"))))
        .then(document_key_expr(pl.col("document")))
        .alias("_document")
        if "document" in wanted
        else pl.lit(None, pl.String).alias("_document"),
        pl.when(email_check(email_normal(pl.col("email"))))
        .then(email_normal(pl.col("email")))
        .alias("_email")
        if "email" in wanted
        else pl.lit(None, pl.String).alias("_email"),
    ]
    incoming = new.select(Col.EXTERNAL_ID, *keys)
    if (
        incoming.select(pl.col("_document").is_null() & pl.col("_email").is_null())
        .to_series()
        .all()
    ):
        return []
    stored = clients_store.read_contact_keys(db).select(
        pl.col(Col.EXTERNAL_ID).alias("_existing"), *keys
    )
    # Two valid documents that differ are two people sharing an e-mail (Limpeza agrees).
    other_person = pl.lit(False)
    found: list[tuple[str, str, str]] = []
    for key, what in (("_document", words.SAME_DOCUMENT), ("_email", words.SAME_EMAIL)):
        if key == "_email":
            other_person = (pl.col("_document") != pl.col("_document_stored")).fill_null(False)
        matches = (
            incoming.filter(pl.col(key).is_not_null())
            .join(stored.filter(pl.col(key).is_not_null()), on=key, suffix="_stored")
            .filter(~other_person)
            .select(Col.EXTERNAL_ID, "_existing")
            .unique(maintain_order=True)
        )
        found.extend((code, existing, what) for code, existing in matches.iter_rows())
    seen: set[str] = set()
    notes: list[str] = []
    for code, existing, what in found:
        if code in seen:
            continue  # the document, when it matches, says it best
        seen.add(code)
        notes.append(words.probable_duplicate(code, existing, what))
    if len(notes) > MAX_DUPLICATES_NAMED:
        hidden = len(notes) - MAX_DUPLICATES_NAMED
        notes = [*notes[:MAX_DUPLICATES_NAMED], words.more_probable_duplicates(hidden)]
    return notes


def _fold_aliases(db: Database, good: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Rows under a merged-away code update its survivor instead of bringing the duplicate
    back; when the survivor's own row is in the file too, that row alone speaks for it.

    Returns the rows to write and how many alias rows were folded into their survivor's row.
    """
    codes = good.get_column(Col.EXTERNAL_ID).to_list()
    aliases = clients_store.read_aliases(db, codes)
    if aliases.is_empty():
        return good, 0
    survivor_of = dict(zip(aliases["alias"], aliases[Col.EXTERNAL_ID], strict=True))
    is_alias = pl.col(Col.EXTERNAL_ID).is_in(aliases["alias"].implode())
    in_file = set(codes)
    shadowed = [alias for alias, own in survivor_of.items() if own in in_file]
    kept = good.filter(
        ~pl.col(Col.EXTERNAL_ID).is_in(pl.Series(shadowed, dtype=pl.String).implode())
    )
    # an alias row whose survivor is absent from the file: the first such row updates it
    rewritten = kept.with_columns(
        pl.when(is_alias)
        .then(pl.col(Col.EXTERNAL_ID).replace(survivor_of))
        .otherwise(pl.col(Col.EXTERNAL_ID))
        .alias(Col.EXTERNAL_ID)
    ).unique(Col.EXTERNAL_ID, keep="first", maintain_order=True)
    return rewritten, good.height - rewritten.height


def _order_rows(good: pl.DataFrame) -> pl.DataFrame:
    return good.select(
        _or_null(good, Col.EXTERNAL_ID, pl.String),
        Col.CLIENT_ID,
        Col.DATE,
        pl.col("amount").alias(Col.AMOUNT_CENTS),
        _or_null(good, "channel", pl.String),
    )


def _plan_interactions(db: Database, good: pl.DataFrame) -> WritePlan:
    """Numbered interactions already stored are "iguais"; interactions without a number are new
    only beyond the stored repeats of their (client, moment, channel, kind, outcome, note, who),
    so re-importing the same export adds nothing."""
    new_numbered, loose = good.clear(), good
    if Col.EXTERNAL_ID in good.columns:
        numbered = good.filter(pl.col(Col.EXTERNAL_ID).is_not_null())
        existing = interactions_store.read_existing_interaction_ids(
            db, numbered.get_column(Col.EXTERNAL_ID).unique().to_list()
        )
        new_numbered = numbered.filter(
            ~pl.col(Col.EXTERNAL_ID).is_in(pl.Series(list(existing), dtype=pl.String).implode())
        )
        loose = good.filter(pl.col(Col.EXTERNAL_ID).is_null())
    key = [c for c in interactions_store.INTERACTION_KEY if c in loose.columns]
    stored = interactions_store.read_unnumbered_interactions(
        db, loose.get_column(Col.CLIENT_ID).unique().to_list()
    )
    stored_counts = (
        stored.with_columns(pl.col(c).cast(loose.schema[c]) for c in key)
        .group_by(key)
        .agg(pl.len().alias("_stored"))
    )
    counted = loose.with_columns(pl.int_range(pl.len()).over(key).alias("_nth")).join(
        stored_counts, on=key, how="left", nulls_equal=True, maintain_order="left"
    )
    new_loose = counted.filter(pl.col("_nth") >= pl.col("_stored").fill_null(0)).select(
        good.columns
    )
    rows = pl.concat([new_numbered, new_loose])
    return WritePlan(rows, good.clear(), good.height - rows.height)


def _plan_orders(db: Database, rows: pl.DataFrame) -> WritePlan:
    """Numbered orders are looked up by number (same content: already there; different:
    changed); orders without a number are new only beyond the stored repeats of their
    (client, date, amount, channel)."""
    numbered = rows.filter(pl.col(Col.EXTERNAL_ID).is_not_null())
    stored = orders_store.read_orders_by_external_id(db, numbered.get_column(Col.EXTERNAL_ID))
    joined = numbered.join(
        stored, on=Col.EXTERNAL_ID, how="left", suffix="_db", maintain_order="left"
    )
    found = pl.col(f"{Col.CLIENT_ID}_db").is_not_null()
    same = pl.all_horizontal(pl.col(c).eq_missing(pl.col(f"{c}_db")) for c in ORDER_KEY)
    columns = list(rows.columns)
    new_numbered = joined.filter(~found).select(columns)
    changed = joined.filter(found & ~same).select(columns)
    unchanged = joined.filter(found & same).height

    loose = rows.filter(pl.col(Col.EXTERNAL_ID).is_null())
    clients = loose.get_column(Col.CLIENT_ID).unique().to_list()
    stored_counts = (
        orders_store.read_unnumbered_orders(db, clients)
        .group_by(ORDER_KEY)
        .agg(pl.len().alias("_stored"))
    )
    counted = loose.with_columns(pl.int_range(pl.len()).over(ORDER_KEY).alias("_nth")).join(
        stored_counts, on=ORDER_KEY, how="left", nulls_equal=True, maintain_order="left"
    )
    is_new = pl.col("_nth") >= pl.col("_stored").fill_null(0)
    new_loose = counted.filter(is_new).select(columns)
    unchanged += counted.height - new_loose.height
    return WritePlan(pl.concat([new_numbered, new_loose]), changed, unchanged, stored)


def _write(
    db: Database, kind: str, plan: WritePlan, generation: int, progress: ProgressCallback
) -> None:
    """Write the plan's rows (inside the caller's transaction)."""
    if kind == "clients":
        _write_clients(db, plan, generation)
        return
    if kind == "owners":
        owners_admin.upsert_owner_rows(db, pl.concat([plan.new, plan.changed]))
        return
    if kind == "orders":
        _write_orders(db, plan, generation, progress)
        return
    good = plan.new
    interactions_store.insert_interactions(
        db,
        good.select(
            _or_null(good, Col.EXTERNAL_ID, pl.String),
            Col.CLIENT_ID,
            "at",
            *(_or_null(good, c, pl.String) for c in ("channel", "kind", "outcome", "note", "who")),
        ),
    )


def _write_orders(
    db: Database, plan: WritePlan, generation: int, progress: ProgressCallback
) -> None:
    """Insert the new orders, rewrite the changed ones, and refresh the aggregates (and the
    first-day revenue) of every client they touch.

    A file that only adds orders moves each client's stored aggregates by its own rows
    (`_added_aggregates`); one that rewrites stored orders recomputes the clients' aggregates
    from all their orders.
    """
    bulk = orders_store.is_bulk_load(db, plan.new.height)
    if not orders_store.has_orders(db):
        _write_first_orders(db, plan, generation, bulk, progress)
        return
    if plan.changed.is_empty():
        touched = _touched_clients(plan, ())
        # read before the insert: what the clients had, without the file's rows
        before = _stored_before_adding(db, touched, plan.new)
        orders_store.insert_orders(db, plan.new, generation=generation, bulk=bulk)
        progress(words.PROGRESS_AGGREGATES, 0.85)
        aggregates, first_day = _added_aggregates(db, touched, before, plan.new)
        # Added orders take no client's aggregate or first-day row away (purchases and purchase
        # days only grow): the rows are replaced in place, none deleted first.
        aggregates_store.write_aggregates(
            db, aggregates, generation=generation, first_day=first_day
        )
        return
    orders_store.insert_orders(db, plan.new, generation=generation, bulk=bulk)
    moved_from = orders_store.update_orders(db, plan.changed, generation=generation)
    progress(words.PROGRESS_AGGREGATES, 0.85)
    touched = _touched_clients(plan, moved_from)
    aggregates, first_day = _aggregates_of(orders_store.read_orders(db, client_ids=touched))
    aggregates_store.replace_aggregates(
        db, touched, aggregates, generation=generation, first_day=first_day
    )


def _write_first_orders(
    db: Database, plan: WritePlan, generation: int, bulk: bool, progress: ProgressCallback
) -> None:
    """Into a table with no orders yet (a first load; nothing stored to rewrite) the new rows
    are all there is: their aggregates are computed (in Polars, off the GIL) while SQLite
    inserts them, and no client has an aggregate row to drop yet."""
    from concurrent.futures import ThreadPoolExecutor  # only a first load computes beside it

    with ThreadPoolExecutor(max_workers=1) as pool:
        early = pool.submit(_aggregates_of, plan.new.select(list(ORDER_SCHEMA)))
        orders_store.insert_orders(db, plan.new, generation=generation, bulk=bulk)
        progress(words.PROGRESS_AGGREGATES, 0.85)
        aggregates, first_day = early.result()
    aggregates_store.write_aggregates(db, aggregates, generation=generation, first_day=first_day)


def _stored_before_adding(
    db: Database, touched: Sequence[int], new: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The touched clients' stored aggregate rows and the stored days adding `new` needs
    (`engine.aggregates.days_to_look_up`): read before the new orders are inserted."""
    stored = aggregates_store.read_client_aggregates(db, touched)
    days = days_to_look_up(stored, new.select(list(ORDER_SCHEMA)))
    return stored, orders_store.read_purchase_days(db, days)


def _added_aggregates(
    db: Database,
    touched: Sequence[int],
    before: tuple[pl.DataFrame, pl.DataFrame],
    new: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The aggregates and first-day revenue of the touched clients after an import that only
    added `new`: a client with stored aggregates gets them moved by its new rows
    (`engine.aggregates.aggregates_after_adding`, no order read); one without (no purchase
    stored: its returns at most) is computed from all its orders, the file's included."""
    stored, stored_days = before
    added, added_first_day = aggregates_after_adding(
        stored, stored_days, new.select(list(ORDER_SCHEMA))
    )
    known = set(stored.get_column(Col.CLIENT_ID).to_list())
    others = [client for client in touched if client not in known]
    if not others:
        return added, added_first_day
    aggregates, first_day = _aggregates_of(orders_store.read_orders(db, client_ids=others))
    return pl.concat([added, aggregates]), pl.concat([added_first_day, first_day])


def _aggregates_of(orders: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The clients' aggregates and first-day revenue, from all of their orders."""
    aggregates = order_aggregates(orders.lazy()).collect()
    return aggregates, first_day_revenue([orders], aggregates)


def _touched_clients(plan: WritePlan, moved_from: Sequence[int]) -> list[int]:
    """The clients whose orders the plan changes: of the new and changed rows, and those the
    changed rows belonged to before."""
    ids = pl.concat(
        [
            plan.new.get_column(Col.CLIENT_ID),
            plan.changed.get_column(Col.CLIENT_ID),
            pl.Series(Col.CLIENT_ID, list(moved_from), dtype=pl.Int64),
        ]
    )
    return ids.unique().sort().to_list()


def _or_null(frame: pl.DataFrame, name: str, dtype: type[pl.DataType]) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype).alias(name)


def _write_clients(db: Database, plan: WritePlan, generation: int) -> None:
    rows = pl.concat([plan.new, plan.changed], how="diagonal_relaxed")
    rows = rows.select(_client_columns(rows))
    if "birth_date" in rows.columns:
        rows = rows.with_columns(pl.col("birth_date").dt.strftime("%Y-%m-%d"))
    if "owner" in rows.columns:
        owner_ids = upsert_owners(db, rows["owner"].drop_nulls().unique().to_list())
        rows = rows.with_columns(
            pl.col("owner").replace_strict(owner_ids, default=None, return_dtype=pl.Int64)
        ).rename({"owner": "owner_id"})
    new = rows.head(plan.new.height)
    clients_store.insert_clients(db, new, generation=generation)
    clients_store.update_clients(db, rows.slice(plan.new.height), generation=generation)
    if "archived" in rows.columns:
        clients_store.stamp_archived_at(db, generation=generation)


def _write_rejects(
    raw: pl.DataFrame, errors: list[RowError], target: RejectsTarget, db_path: Path
) -> Path:
    """The rejected rows as the file had them, with line and reasons (`;`, UTF-8 with BOM, as
    Excel in pt-BR opens them)."""
    reasons = (
        pl.DataFrame(
            [(e.row, f"{e.column}: {e.reason}") for e in errors],
            schema={ROW_COLUMN: pl.Int64, REASON_COLUMN: pl.String},
            orient="row",
        )
        .group_by(ROW_COLUMN, maintain_order=True)
        .agg(pl.col(REASON_COLUMN).str.join("; "))
    )
    numbered = raw.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW_COLUMN))
    rejected = reasons.join(numbered, on=ROW_COLUMN, how="left").sort(ROW_COLUMN)
    ordered = rejected.select(ROW_COLUMN, *raw.columns, REASON_COLUMN)
    return write_rejects(ordered, target, db_path=db_path)
