"""`import_file`: bring clients, orders, interactions or owners from a CSV or XLSX file into the
database.

Used by `carteira import`, the `demo` command and the TUI. The file is read into an all-text
frame (encoding and separator detected), headers are matched to fields and values parsed by
`engine.parsing`, every bad row is collected as a `RowError`, and then — unless the file has bad
rows and `skip_bad` is off, or it is a dry run — everything is written in one `db.atomic()` that
bumps the generation once. An orders import also recomputes `client_aggregates` for the clients
it touched, from all their orders, with `engine.aggregates.order_aggregates`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl
from sqlite_utils import Database

from carteira_tui.engine.aggregates import order_aggregates
from carteira_tui.engine.parsing import (
    FIELDS,
    HeaderError,
    derive_contact_consent,
    error_column,
    match_headers,
    parse_fields,
    rescue_dates,
)
from carteira_tui.errors import CarteiraError
from carteira_tui.model import Col
from carteira_tui.services.privacy import ERASED_REASON, blocked_rows
from carteira_tui.store import aggregates as aggregates_store
from carteira_tui.store import clients as clients_store
from carteira_tui.store import interactions as interactions_store
from carteira_tui.store import orders as orders_store
from carteira_tui.store import owners_admin
from carteira_tui.store.audit import write_audit
from carteira_tui.store.db import StoreError, bump_generation, connect
from carteira_tui.store.owners import upsert_owners

Kind = Literal["clients", "orders", "interactions", "owners"]
KINDS: tuple[str, ...] = ("clients", "orders", "interactions", "owners")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
ROW = "_row"
REASON_COLUMN = "motivo"
ROW_COLUMN = "linha_planilha"

ProgressCallback = Callable[[str, float], None]


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
    """What an import read, wrote and rejected."""

    kind: str
    path: Path
    read: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejects_path: Path | None = None
    dry_run: bool = False
    written: bool = False

    @property
    def summary(self) -> str:
        """The pt-BR line that ends every import."""
        prefix = "simulação (nada gravado): " if self.dry_run else ""
        if self.errors and not self.written and not self.dry_run:
            prefix = "nada gravado: "
        return (
            f"{prefix}{self.path.name}: lidas {self.read}, importadas {self.inserted}, "
            f"atualizadas {self.updated}, rejeitadas {self.rejected}"
        )


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
) -> ImportReport:
    """Import `path` as `kind` into the database at `db_path`; see the module docstring.

    Raises `ImportFailed` for a file that cannot be read at all; bad rows are in the report.
    """
    progress = on_progress or (lambda _stage, _fraction: None)
    if kind not in KINDS:
        raise ImportFailed(
            f"tipo desconhecido: {kind!r} (use clients, orders, interactions ou owners)"
        )
    path = Path(path)
    report = ImportReport(kind=kind, path=path, dry_run=dry_run)
    progress("lendo o arquivo", 0.0)
    raw, shape_errors = read_table(path, sheet=sheet)
    try:
        columns = match_headers(raw.columns, kind, mapping)
    except HeaderError as error:
        raise ImportFailed(f"{path}: {error}") from error
    report.read = raw.height
    progress("interpretando os valores", 0.2)
    parsed = parse_fields(raw.lazy(), kind, columns).collect()
    parsed = rescue_dates(parsed, raw, kind, columns)
    parsed = parsed.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW))
    errors = [*shape_errors, *_cell_errors(parsed, raw, columns, path.name)]
    blank_rows = _blank_rows(raw)
    if blank_rows:
        parsed = parsed.filter(~pl.col(ROW).is_in(blank_rows))
        errors = [e for e in errors if e.row not in set(blank_rows)]
        report.read -= len(blank_rows)
    try:
        # One transaction from the first read to the last write: the checks see the same data
        # the writes change, and a failure anywhere leaves the file as it was.
        with connect(db_path) as db, db.atomic():
            progress("conferindo com o banco", 0.4)
            orders_store.use_bulk_cache(db)
            parsed, reference_errors = _check_references(db, kind, parsed, columns, path.name)
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
            if dry_run:
                report.inserted, report.updated = _would_write(db, kind, good)
                return report
            progress("gravando", 0.6)
            generation = bump_generation(db)
            report.inserted, report.updated = _write(db, kind, good, generation, progress)
            write_audit(
                db,
                action="importar",
                entity=kind,
                summary=report.summary,
                after={
                    "arquivo": str(path),
                    "importadas": report.inserted,
                    "atualizadas": report.updated,
                    "rejeitadas": report.rejected,
                },
            )
        report.written = True
    except StoreError as error:
        raise ImportFailed(str(error)) from error
    if errors:
        target = Path(rejects_path) if rejects_path else path.with_suffix(".rejeitados.csv")
        _write_rejects(raw, errors, target)
        report.rejects_path = target
    progress("concluído", 1.0)
    return report


def read_table(path: Path, *, sheet: str | None = None) -> tuple[pl.DataFrame, list[RowError]]:
    """The file as an all-text frame (one column per header) and its wrong-column-count rows."""
    if not path.exists():
        raise ImportFailed(f"{path}: arquivo não encontrado")
    if not path.is_file():
        raise ImportFailed(f"{path}: não é um arquivo")
    suffix = path.suffix.lower()
    try:
        if suffix in CSV_SUFFIXES:
            return _read_csv(path)
        if suffix in EXCEL_SUFFIXES:
            return _read_excel(path, sheet), []
    except ImportFailed:
        raise
    except OSError as error:
        raise ImportFailed(f"{path}: não foi possível ler o arquivo ({error.strerror})") from error
    except Exception as error:  # noqa: BLE001 - any reader failure is one line for people
        detail = " ".join(str(error).split())[:160]
        raise ImportFailed(
            f"{path}: arquivo ilegível ({type(error).__name__}: {detail})"
        ) from error
    raise ImportFailed(
        f"{path}: formato desconhecido {suffix or '(sem extensão)'} (use CSV ou XLSX)"
    )


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
        raise ImportFailed(f"{path}: arquivo vazio")
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
    """Rows whose number of fields differs from the header's (when lines map 1:1 to rows)."""
    lines = pl.Series("line", text.split("\n")).str.strip_suffix("\r")
    while len(lines) and lines[-1] == "":
        lines = lines.head(len(lines) - 1)
    if len(lines) - 1 != frame.height:
        return []
    counts = lines.str.replace_all(r'"[^"]*"', "").str.count_matches(separator, literal=True) + 1
    width = frame.width
    wrong = pl.DataFrame({"row": pl.int_range(1, len(lines) + 1, eager=True), "n": counts})
    wrong = wrong.filter((pl.col("row") > 1) & (pl.col("n") != width))
    return [
        RowError(file, row, "colunas", f"número de colunas errado ({n} em vez de {width})")
        for row, n in wrong.iter_rows()
    ]


def _read_excel(path: Path, sheet: str | None) -> pl.DataFrame:
    if sheet is None:
        frame = pl.read_excel(path, sheet_id=1)
    else:
        frame = pl.read_excel(path, sheet_name=sheet)
    return frame.with_columns(
        _excel_cell_as_text(name, dtype) for name, dtype in frame.schema.items()
    )


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
    parsed: pl.DataFrame, raw: pl.DataFrame, columns: Mapping[str, str], file: str
) -> list[RowError]:
    """Every non-null `_err_<field>` as a `RowError` named by the file's own header."""
    found: list[RowError] = []
    for header, name in columns.items():
        with_text = parsed.select(ROW, error_column(name)).with_columns(
            raw[header].cast(pl.String).alias("_text")
        )
        bad = with_text.filter(pl.col(error_column(name)).is_not_null())
        found.extend(
            RowError(file, row, header, f"{reason}: {text.strip()!r}" if text else reason)
            for row, reason, text in bad.iter_rows()
        )
    return found


def _header_of(columns: Mapping[str, str], name: str) -> str:
    return next((h for h, f in columns.items() if f == name), name)


def _duplicates(
    parsed: pl.DataFrame, key: str, header: str, file: str, what: str
) -> list[RowError]:
    """Rows repeating a key seen on an earlier row of the same file."""
    keyed = parsed.filter(pl.col(key).is_not_null())
    first_row = keyed.group_by(key).agg(pl.col(ROW).min().alias("_first"))
    repeated = keyed.join(first_row, on=key).filter(pl.col(ROW) != pl.col("_first"))
    return [
        RowError(file, row, header, f"{what} repetido no arquivo (já na linha {first})")
        for row, first in repeated.select(ROW, "_first").iter_rows()
    ]


def _check_references(
    db: Database, kind: str, parsed: pl.DataFrame, columns: Mapping[str, str], file: str
) -> tuple[pl.DataFrame, list[RowError]]:
    """Errors that need the database or the whole file: duplicates and unknown clients.

    Returns the frame with `client_id` resolved (orders, interactions).
    """
    errors: list[RowError] = []
    if kind == "owners":
        header = _header_of(columns, "name")
        errors.extend(_duplicates(parsed, "name", header, file, "responsável"))
        if "capacity" in parsed.columns:
            errors.extend(
                RowError(
                    file, row, _header_of(columns, "capacity"), "capacidade deve ser maior que zero"
                )
                for (row,) in parsed.filter(pl.col("capacity") <= 0).select(ROW).iter_rows()
            )
        return parsed, errors
    if kind == "clients":
        header = _header_of(columns, Col.EXTERNAL_ID)
        errors.extend(_duplicates(parsed, Col.EXTERNAL_ID, header, file, "código de cliente"))
        errors.extend(
            RowError(file, row, _header_of(columns, name), ERASED_REASON)
            for row, name in blocked_rows(db, parsed, row=ROW)
        )
        return parsed, errors
    ids = clients_store.read_client_ids(db).rename({Col.EXTERNAL_ID: "client_external_id"})
    parsed = parsed.join(ids, on="client_external_id", how="left", maintain_order="left")
    unknown = parsed.filter(
        pl.col("client_external_id").is_not_null() & pl.col(Col.CLIENT_ID).is_null()
    )
    client_header = _header_of(columns, "client_external_id")
    errors.extend(
        RowError(file, row, client_header, f"cliente desconhecido: {code}")
        for row, code in unknown.select(ROW, "client_external_id").iter_rows()
    )
    if Col.EXTERNAL_ID in parsed.columns:
        what = "pedido" if kind == "orders" else "interação"
        header = _header_of(columns, Col.EXTERNAL_ID)
        errors.extend(_duplicates(parsed, Col.EXTERNAL_ID, header, file, what))
        keys = parsed[Col.EXTERNAL_ID].drop_nulls().unique().to_list()
        reader = (
            orders_store.read_existing_order_ids
            if kind == "orders"
            else interactions_store.read_existing_interaction_ids
        )
        existing = reader(db, keys)
        if existing:
            clash = parsed.filter(pl.col(Col.EXTERNAL_ID).is_in(list(existing)))
            errors.extend(
                RowError(file, row, header, f"{what} {code} já existe no banco")
                for row, code in clash.select(ROW, Col.EXTERNAL_ID).iter_rows()
            )
    return parsed, errors


def _client_columns(good: pl.DataFrame) -> list[str]:
    names = {spec.name for spec in FIELDS["clients"]}
    return [c for c in good.columns if c in names]


def _would_write(db: Database, kind: str, good: pl.DataFrame) -> tuple[int, int]:
    """(inserted, updated) the good rows would give, without writing."""
    if kind == "owners":
        known = owners_admin.read_owners(db).get_column("name")
        updated = int(good["name"].is_in(known.implode()).sum())
        return good.height - updated, updated
    if kind != "clients":
        return good.height, 0
    existing = clients_store.read_client_ids(db)[Col.EXTERNAL_ID]
    updated = int(good[Col.EXTERNAL_ID].is_in(existing.implode()).sum())
    return good.height - updated, updated


def _write(
    db: Database, kind: str, good: pl.DataFrame, generation: int, progress: ProgressCallback
) -> tuple[int, int]:
    """Write the good rows (inside the caller's transaction); returns (inserted, updated)."""
    if kind == "clients":
        return _write_clients(db, good, generation)
    if kind == "owners":
        return owners_admin.upsert_owner_rows(db, good)
    if kind == "orders":
        inserted = orders_store.insert_orders(
            db,
            good.select(
                _or_null(good, Col.EXTERNAL_ID, pl.String),
                Col.CLIENT_ID,
                Col.DATE,
                pl.col("amount").alias(Col.AMOUNT_CENTS),
                _or_null(good, "channel", pl.String),
            ),
            generation=generation,
        )
        progress("recalculando agregados", 0.85)
        touched = good[Col.CLIENT_ID].unique().sort().to_list()
        orders = orders_store.read_orders(db, client_ids=touched)
        aggregates = order_aggregates(orders.lazy()).collect()
        aggregates_store.write_aggregates(db, aggregates, generation=generation)
        return inserted, 0
    inserted = interactions_store.insert_interactions(
        db,
        good.select(
            _or_null(good, Col.EXTERNAL_ID, pl.String),
            Col.CLIENT_ID,
            "at",
            *(_or_null(good, c, pl.String) for c in ("channel", "kind", "outcome", "note", "who")),
        ),
    )
    return inserted, 0


def _or_null(frame: pl.DataFrame, name: str, dtype: type[pl.DataType]) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype).alias(name)


def _write_clients(db: Database, good: pl.DataFrame, generation: int) -> tuple[int, int]:
    rows = good.select(_client_columns(good))
    if "birth_date" in rows.columns:
        rows = rows.with_columns(pl.col("birth_date").dt.strftime("%Y-%m-%d"))
    if "owner" in rows.columns:
        owner_ids = upsert_owners(db, rows["owner"].drop_nulls().unique().to_list())
        rows = rows.with_columns(
            pl.col("owner").replace_strict(owner_ids, default=None, return_dtype=pl.Int64)
        ).rename({"owner": "owner_id"})
    existing = clients_store.read_client_ids(db)[Col.EXTERNAL_ID].implode()
    is_update = pl.col(Col.EXTERNAL_ID).is_in(existing)
    inserted = clients_store.insert_clients(db, rows.filter(~is_update), generation=generation)
    updated = clients_store.update_clients(db, rows.filter(is_update), generation=generation)
    if "archived" in rows.columns:
        clients_store.stamp_archived_at(db, generation=generation)
    return inserted, updated


def _write_rejects(raw: pl.DataFrame, errors: list[RowError], target: Path) -> None:
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
    target.parent.mkdir(parents=True, exist_ok=True)
    ordered.write_csv(target, include_bom=True, separator=";")
