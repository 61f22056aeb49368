"""Parsing imported spreadsheets: header matching and Brazilian values, as Polars expressions.

Called by `services.imports`: the service reads a file into an all-text frame, matches its
headers to fields here (`match_headers`), then `parse_fields` turns the text into typed columns
plus one `_err_<field>` column per field holding the pt-BR reason a cell was rejected (or null).
A cell is bad when its raw text is non-empty but the parsed value is null. Everything is
vectorised; `date_fallback` handles the few dates the fixed formats miss with dateutil.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import polars as pl
from dateutil import parser as date_parser

from carteira_tui.errors import CarteiraError
from carteira_tui.fields import (
    CLIENT_FIELDS,
    FALSE_WORDS,
    FIELDS,
    INTERACTION_FIELDS,
    ORDER_FIELDS,
    OWNER_FIELDS,
    TRUE_WORDS,
    FieldSpec,
    FieldType,
    header_key,
    normalize_header,
    plain_words,
)
from carteira_tui.fields import UFS as UF_NAMES
from carteira_tui.vocab import imports as words

__all__ = [
    "CLIENT_FIELDS",
    "FALSE_WORDS",
    "FIELDS",
    "INTERACTION_FIELDS",
    "ORDER_FIELDS",
    "OWNER_FIELDS",
    "TRUE_WORDS",
    "FieldSpec",
    "FieldType",
    "normalize_header",
]


T = FieldType

REASONS: dict[FieldType, str] = {
    T.TEXT: words.INVALID_VALUE,
    T.MONEY: words.INVALID_MONEY,
    T.DATE: words.INVALID_DATE,
    T.DATETIME: words.INVALID_DATETIME,
    T.BOOL: words.INVALID_BOOL,
    T.INT: words.INVALID_INT,
    T.UF: words.INVALID_UF,
    T.CEP: words.INVALID_CEP,
}

UFS = list(UF_NAMES)


class HeaderError(CarteiraError, ValueError):
    """Headers that cannot be matched to fields, with a message for people."""


def match_headers(
    headers: Sequence[str], kind: str, mapping: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map each recognised header to its field name; `mapping` (header → field) wins.

    Headers are compared by the words they mean (`fields.header_key`), so "Valor Total (R$)",
    "Vlr. Total" and "valor total" are one header. Unknown headers are left out (the caller
    lists them); two columns claiming one field, or a required field with no column, raise
    `HeaderError` naming them.
    """
    specs = FIELDS[kind]
    field_names = {spec.name for spec in specs}
    alias_to_field: dict[frozenset[str], str] = {}
    for spec in specs:
        for alias in spec.aliases:
            alias_to_field.setdefault(header_key(alias), spec.name)
    overrides = {header_key(k): v for k, v in (mapping or {}).items()}
    for header, target in (mapping or {}).items():
        if target not in field_names:
            raise HeaderError(words.map_unknown_field(header, target, sorted(field_names)))
    matched: dict[str, str] = {}
    taken: dict[str, str] = {}
    for header in headers:
        key = header_key(header)
        field = overrides.get(key) or alias_to_field.get(key)
        if field is None:
            continue
        if field in taken:
            raise HeaderError(words.two_columns_one_field(taken[field], header, field))
        taken[field] = header
        matched[header] = field
    missing = [spec.name for spec in specs if spec.required and spec.name not in taken]
    if missing:
        raise HeaderError(words.required_columns_missing(missing, headers))
    return matched


def _clean(raw: pl.Expr) -> pl.Expr:
    """Trimmed text with empty cells as null."""
    text = raw.str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(text).otherwise(None)


MAX_AMOUNT_CENTS = 100_000_000_000_000
"""R$ 1 trillion: an amount beyond it is a misread, and keeping every amount below it keeps
any sum of them far inside 64-bit integers."""

_AMOUNT = r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$|^(\d+)\.(\d{1,2})$"
"""One well-formed amount without sign or currency: pt-BR (`1.234,56`, `1.234`, `12,5`) in
groups 1-2, or plain with a decimal point (`1234.56`) in groups 3-4."""


def money_cents_expr(raw: pl.Expr) -> pl.Expr:
    """`R$ 1.234,56`, `1234,5`, `1234.56`, `-10`, `(5,00)` → integer centavos; null when not
    exactly one well-formed number (`1.2.3,4`, `1,234`) or beyond `MAX_AMOUNT_CENTS`.

    A comma is the decimal mark (dots are then thousands, in groups of three); without a comma,
    dots in groups of three (`1.234.567`) are thousands and a single other dot is a decimal point.
    One expression for small inputs; `parse_fields` runs the same steps as stages
    (`money_text_expr`, `money_sign_exprs`, `money_parts_expr`, then `money_from_parts`) so each
    intermediate value is computed once per cell.
    """
    body, negative = money_body_exprs(raw)
    return money_from_body(body, negative)


def money_text_expr(raw: pl.Expr) -> pl.Expr:
    """The amount's text without currency or spaces: `-R$ 1.234,56` → `-1.234,56`."""
    return raw.str.replace_all(r"(?i)r\$|\s|\u00a0", "")


def money_sign_exprs(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(digits and separators, whether negative) of a `money_text_expr` text: `-1.234,56` →
    (`1.234,56`, true), `(5,00)` → (`5,00`, true)."""
    bracketed = text.str.starts_with("(") & text.str.ends_with(")")
    unbracketed = (
        pl.when(bracketed).then(text.str.strip_prefix("(").str.strip_suffix(")")).otherwise(text)
    )
    negative = bracketed | unbracketed.str.starts_with("-")
    return unbracketed.str.strip_prefix("-"), negative


def money_body_exprs(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(the amount's digits and separators without currency, spaces, brackets or sign; whether
    it is negative): `-R$ 1.234,56` → (`1.234,56`, true), `(5,00)` → (`5,00`, true)."""
    return money_sign_exprs(money_text_expr(raw))


def money_parts_expr(body: pl.Expr) -> pl.Expr:
    """The `_AMOUNT` groups of a body, as a struct (fields "1"-"4"; all null unless it is one
    well-formed amount)."""
    return body.str.extract_groups(_AMOUNT)


def money_from_parts(parts: pl.Expr, negative: pl.Expr) -> pl.Expr:
    """Centavos from `money_parts_expr`'s groups and the sign: the whole part is groups 1 (pt-BR,
    thousands dots dropped) or 3 (plain), the decimals groups 2 or 4."""
    whole = pl.coalesce(
        parts.struct.field("1").str.replace_all(".", "", literal=True), parts.struct.field("3")
    )
    fraction = pl.coalesce(parts.struct.field("2"), parts.struct.field("4"), pl.lit("0"))
    well_formed = whole.is_not_null() & (whole.str.len_chars() <= 15)
    cents = whole.cast(pl.Int64, strict=False) * 100 + fraction.str.pad_end(2, "0").cast(
        pl.Int64, strict=False
    )
    value = pl.when(well_formed).then(pl.when(negative).then(-cents).otherwise(cents))
    return pl.when(value.abs() <= MAX_AMOUNT_CENTS).then(value).otherwise(None).cast(pl.Int64)


def money_from_body(body: pl.Expr, negative: pl.Expr) -> pl.Expr:
    """Centavos from `money_body_exprs`' two values (see `money_from_parts`)."""
    return money_from_parts(money_parts_expr(body), negative)


_NUMERIC_DATE = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:$|[\sT])"


DAY_FIRST = 0
"""`date_order_expr`: the column's values say day first (some first part above 12)."""
MONTH_FIRST = 1
"""`date_order_expr`: the column's values say month first (`12/31/2024`)."""
UNDECIDED = 2
"""`date_order_expr`: numeric dates, every one with day and month ≤ 12: read day first, the
Brazilian order, and the import says so."""


def date_order_expr(raw: pl.Expr) -> pl.Expr:
    """How a whole column orders day and month in its numeric dates, one Int8 for the column:
    `MONTH_FIRST` when some value has a second part above 12 and none a first part above 12,
    `DAY_FIRST` when some first part is above 12, `UNDECIDED` when every numeric date could be
    either, null when the column has no numeric date. Decided once per column, never per row,
    so `01/13/2024` in a day-first file is refused rather than read as 13 January."""
    parts = raw.str.extract_groups(_NUMERIC_DATE)
    first = parts.struct.field("1").cast(pl.Int32, strict=False)
    second = parts.struct.field("2").cast(pl.Int32, strict=False)
    first_big, second_big = (first > 12).any(), (second > 12).any()
    return (
        pl.when(second_big & ~first_big)
        .then(pl.lit(MONTH_FIRST, pl.Int8))
        .when(first_big)
        .then(pl.lit(DAY_FIRST, pl.Int8))
        .when(first.is_not_null().any())
        .then(pl.lit(UNDECIDED, pl.Int8))
        .otherwise(pl.lit(None, pl.Int8))
    )


_ORDER_PREFIX = "_order_"


def date_order_column(name: str) -> str:
    """The column `parse_fields` leaves with date field `name`'s order (`date_order_expr`'s
    value, the same on every row); `date_orders` reads and drops them."""
    return f"{_ORDER_PREFIX}{name}"


def date_orders(parsed: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int | None]]:
    """`parsed` without the order columns `parse_fields` left, and each date field's order."""
    names = [c for c in parsed.columns if c.startswith(_ORDER_PREFIX)]
    orders = {
        c.removeprefix(_ORDER_PREFIX): (parsed[c][0] if parsed.height else None) for c in names
    }
    return parsed.drop(names), orders


_ZONE = r"(?:\s*(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d))?$"
_TIME_OF_DAY = r"(?:\s+|T)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d{1,9})?)?" + _ZONE
"""A valid time of day after a date, to the end of the text: ` 10:00`, ` 10:00:00`,
`T10:00:00.123`, optionally with a zone (`Z`, `-03:00`). ERP exports write order dates so."""
_MIDNIGHT = r"[\sT]0?0:00(?::00(?:[.,]0{1,9})?)?" + _ZONE
"""`_TIME_OF_DAY` at midnight exactly (` 00:00:00`, a spreadsheet's date cell): no time lost."""


def without_time_expr(raw: pl.Expr) -> pl.Expr:
    """The text without a valid time of day after its date (`_TIME_OF_DAY`), trimmed: what
    `date_expr` reads in a date column (the date as written; the time and any zone dropped).
    A text with an invalid time (`25:00`) keeps it, so the date is refused whole."""
    return raw.str.strip_chars().str.replace(_TIME_OF_DAY, "")


_TIMES_PREFIX = "_times_"


def times_dropped_column(name: str) -> str:
    """The column `parse_fields` leaves with how many of date field `name`'s values were read
    with a time of day dropped, midnight aside (a spreadsheet writes its date cells
    `aaaa-mm-dd 00:00:00`), the same count on every row; `times_dropped` reads and drops them."""
    return f"{_TIMES_PREFIX}{name}"


def times_dropped(parsed: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """`parsed` without the counts `parse_fields` left, and per date field how many values had
    a time of day dropped, midnight aside (fields with none are absent)."""
    names = [c for c in parsed.columns if c.startswith(_TIMES_PREFIX)]
    counts = {
        c.removeprefix(_TIMES_PREFIX): int(parsed[c][0]) if parsed.height else 0 for c in names
    }
    return parsed.drop(names), {name: n for name, n in counts.items() if n}


def date_expr(raw: pl.Expr, month_first: pl.Expr | bool = False) -> pl.Expr:
    """`dd/mm/aaaa`, `dd/mm/aa`, `dd-mm-aaaa`, `dd.mm.aaaa` or ISO `aaaa-mm-dd` → Date; the
    whole text is the date (a time of day is `without_time_expr`'s to take off first).

    With `month_first` (one answer for the whole column: `date_order_expr` is `MONTH_FIRST`)
    the numeric forms are read `mm/dd/aaaa`.
    """
    text = raw.str.strip_chars().str.replace_all(r"[.\-]", "/")
    text = (
        pl.when(month_first)
        .then(text.str.replace(r"^(\d{1,2})/(\d{1,2})/", "$2/$1/"))
        .otherwise(text)
    )
    day_first_long = text.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$")
    day_first_short = text.str.contains(r"^\d{1,2}/\d{1,2}/\d{2}$")
    iso = raw.str.strip_chars().str.contains(r"^\d{4}-\d{1,2}-\d{1,2}$")
    return (
        pl.when(day_first_long)
        .then(text.str.to_date("%d/%m/%Y", strict=False))
        .when(day_first_short)
        .then(text.str.to_date("%d/%m/%y", strict=False))
        .when(iso)
        .then(raw.str.strip_chars().str.to_date("%Y-%m-%d", strict=False))
        .otherwise(None)
    )


def datetime_expr(raw: pl.Expr, month_first: pl.Expr | bool = False) -> pl.Expr:
    """A date (any `date_expr` form) optionally followed by `hh:mm[:ss]` → Datetime (µs)."""
    text = raw.str.strip_chars().str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})T", "$1 ")
    day = date_expr(text.str.extract(r"^(\S+)"), month_first)
    clock = text.str.extract(r"^\S+\s+(\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?$")
    time = pl.coalesce(
        clock.str.to_time("%H:%M:%S", strict=False), clock.str.to_time("%H:%M", strict=False)
    )
    has_rest = text.str.contains(r"^\S+\s+\S")
    return (
        pl.when(has_rest & time.is_null())
        .then(None)
        .otherwise(day.dt.combine(time.fill_null(pl.time(0, 0, 0))))
        .cast(pl.Datetime("us"))
    )


def bool_expr(raw: pl.Expr) -> pl.Expr:
    """sim/não, s/n, x, 1/0, true/false, verdadeiro/falso → 1/0 (Int64); null otherwise."""
    word = plain_words(raw.str.strip_chars())
    return (
        pl.when(word.is_in(TRUE_WORDS))
        .then(pl.lit(1, pl.Int64))
        .when(word.is_in(FALSE_WORDS))
        .then(pl.lit(0, pl.Int64))
        .otherwise(None)
    )


def int_expr(raw: pl.Expr) -> pl.Expr:
    """A whole number (`2`, `2.0` as spreadsheets write it) → Int64."""
    return raw.str.strip_chars().str.extract(r"^(-?\d+)(?:[.,]0+)?$").cast(pl.Int64, strict=False)


def uf_expr(raw: pl.Expr) -> pl.Expr:
    """A two-letter state code, upper case; null when not one of the 27."""
    code = raw.str.strip_chars().str.to_uppercase()
    return pl.when(code.is_in(UFS)).then(code).otherwise(None)


def cep_expr(raw: pl.Expr) -> pl.Expr:
    """A CEP as 8 digits (`01310-100` → `01310100`; 7 digits lost a leading zero)."""
    digits = raw.str.replace_all(r"\D", "")
    padded = pl.when(digits.str.len_chars() == 7).then("0" + digits).otherwise(digits)
    return pl.when(padded.str.len_chars() == 8).then(padded).otherwise(None)


_PARSERS = {
    T.MONEY: money_cents_expr,
    T.BOOL: bool_expr,
    T.INT: int_expr,
    T.UF: uf_expr,
    T.CEP: cep_expr,
}


def error_column(field: str) -> str:
    """The name of the column holding `field`'s rejection reason."""
    return f"_err_{field}"


CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
"""Characters no office means to type: C0/C1 controls (tab and line breaks aside), zero-width
marks and bidirectional overrides. Removed from every cell on the way in."""

EARLIEST_EVENT = date(1900, 1, 1)
LATEST_EVENT = date(2100, 12, 31)
EVENT_FIELDS = frozenset({("orders", "date"), ("interactions", "at")})
"""Fields dated by an event that must fall in 1900–2100 (a year 0000 or 9999 is a misread)."""

TOO_LARGE = words.TOO_LARGE
OUT_OF_YEARS = words.OUT_OF_YEARS
FUTURE_BIRTH = words.FUTURE_BIRTH


def _range_reason(kind: str, name: str, today: date | None) -> pl.Expr | None:
    """The reason a parsed value is out of its field's range, or None for fields without one."""
    value = pl.col(name)
    if (kind, name) in EVENT_FIELDS:
        day = value.cast(pl.Date)
        bad = (day < EARLIEST_EVENT) | (day > LATEST_EVENT)
        return pl.when(bad).then(pl.lit(OUT_OF_YEARS)).otherwise(None)
    if kind == "clients" and name == "birth_date":
        too_old = value < EARLIEST_EVENT
        future = (value > today) if today is not None else pl.lit(False)
        return (
            pl.when(future)
            .then(pl.lit(FUTURE_BIRTH))
            .when(too_old)
            .then(pl.lit(OUT_OF_YEARS))
            .otherwise(None)
        )
    return None


def refine_reason(kind_of: FieldType, reason: str, text: str) -> str:
    """A more precise reason than the type's for one rejected cell (run on rejected cells only,
    so a clean file pays nothing): an amount beyond R$ 1 trillion says so."""
    if kind_of is T.MONEY and reason == REASONS[T.MONEY]:
        whole = "".join(ch for ch in text.split(",")[0] if ch.isdigit())
        if len(whole) > 12:
            return TOO_LARGE
    return reason


def parse_fields(
    raw: pl.LazyFrame, kind: str, columns: Mapping[str, str], *, today: date | None = None
) -> pl.LazyFrame:
    """One typed column per matched field (from its header's text) plus `_err_<field>` reasons.

    `columns` maps header → field (from `match_headers`). The reason is "campo obrigatório
    vazio" for a required empty cell, the range's reason for a value outside its field's range
    (events in 1900–2100, birth dates not after `today`; the value is then null), the type's
    reason for a non-empty cell that does not parse, else null. Control characters are removed
    from every cell first. Numeric dates are read day first unless the whole column says month
    first (`date_order_expr`); each date field leaves its order in `date_order_column(name)`
    (`date_orders` takes them off). A date (not a date-time) may carry a time of day, which is
    dropped (`without_time_expr`); how many values did is left in `times_dropped_column(name)`
    (`times_dropped` takes them off). The result has one row per input row, in order.
    """
    specs = {spec.name: spec for spec in FIELDS[kind]}
    texts: list[pl.Expr] = []
    prepared: list[pl.Expr] = []
    signed: list[pl.Expr] = []  # money: body and sign, from the prepared text
    split: list[pl.Expr] = []  # money: the amount's groups, from the body
    values: list[pl.Expr] = []
    reasons: list[pl.Expr] = []
    counts: list[pl.Expr] = []  # dates: how many values had a time of day dropped
    in_range: list[pl.Expr] = []
    for header, name in columns.items():
        spec = specs[name]
        text = f"_text_{name}"
        column = pl.col(text)
        texts.append(
            _clean(pl.col(header).cast(pl.String).str.replace_all(CONTROL_CHARACTERS, "")).alias(
                text
            )
        )
        if spec.kind in (T.DATE, T.DATETIME):
            prepared.append(date_order_expr(column).alias(date_order_column(name)))
            month_first = pl.col(date_order_column(name)) == MONTH_FIRST
            if spec.kind is T.DATE:  # a time of day after the date is dropped, and counted
                prepared.append(without_time_expr(column).alias(f"_prep_{name}_day"))
                day = pl.col(f"_prep_{name}_day")
                value = date_expr(day, month_first)
                timed = (day.str.len_bytes() < column.str.len_bytes()) & ~column.str.contains(
                    _MIDNIGHT
                )
                counts.append(
                    (timed & pl.col(name).is_not_null()).sum().alias(times_dropped_column(name))
                )
            else:
                value = datetime_expr(column, month_first)
        elif spec.kind is T.MONEY:
            prepared.append(money_text_expr(column).alias(f"_prep_{name}_text"))
            money_body, negative = money_sign_exprs(pl.col(f"_prep_{name}_text"))
            signed.append(money_body.alias(f"_prep_{name}_body"))
            signed.append(negative.alias(f"_prep_{name}_neg"))
            split.append(
                money_parts_expr(pl.col(f"_prep_{name}_body")).alias(f"_prep_{name}_parts")
            )
            value = money_from_parts(pl.col(f"_prep_{name}_parts"), pl.col(f"_prep_{name}_neg"))
        else:
            parser = _PARSERS.get(spec.kind)
            value = parser(column) if parser else column
        values.append(value.alias(name))
        out_of_range = _range_reason(kind, name, today)
        if out_of_range is not None:
            in_range.append(pl.when(out_of_range.is_null()).then(pl.col(name)).alias(name))
        unreadable = pl.lit(REASONS[spec.kind])
        reasons.append(
            pl.when(column.is_null())
            .then(pl.lit(words.REQUIRED_EMPTY if spec.required else None, pl.String))
            .otherwise(
                pl.coalesce(
                    out_of_range if out_of_range is not None else pl.lit(None, pl.String),
                    pl.when(pl.col(name).is_null()).then(unreadable).otherwise(None),
                )
            )
            .alias(error_column(name))
        )
    # Plain stages (text, prepared parts, value, reason, range): Polars evaluates a repeated
    # sub-expression once per use, so each step reads the columns the step before wrote.
    parsed = raw.select(texts)
    for stage in (prepared, signed, split):
        if stage:
            parsed = parsed.with_columns(stage)
    parsed = parsed.with_columns(values).with_columns(reasons)
    if in_range:
        parsed = parsed.with_columns(in_range)
    if counts:  # of the dates read (in range)
        parsed = parsed.with_columns(counts)
    return parsed.select(pl.exclude(r"^_(text|prep)_.*$"))


def rescue_dates(
    parsed: pl.DataFrame,
    raw: pl.DataFrame,
    kind: str,
    columns: Mapping[str, str],
    *,
    today: date | None = None,
) -> pl.DataFrame:
    """Re-parse, with dateutil (day first), the few date cells the fixed formats rejected:
    dates written with a month name (`15 Mar 2024`), never numeric ones, whose order the column
    decided. A rescued date outside 1900–2100 (or a birth date after `today`) stays rejected.

    Only the distinct leftover texts go through Python, so a clean million-row file costs
    nothing here.
    """
    specs = {spec.name: spec for spec in FIELDS[kind]}
    for header, name in columns.items():
        kind_of = specs[name].kind
        if kind_of not in (T.DATE, T.DATETIME):
            continue
        failed = parsed[error_column(name)] == REASONS[kind_of]
        if not failed.any():
            continue
        texts = raw[header].cast(pl.String).str.strip_chars()
        leftovers = texts.filter(failed).unique().to_list()
        latest = today if (kind, name) == ("clients", "birth_date") and today else LATEST_EVENT
        found = {
            k: v
            for k, v in date_fallback(leftovers).items()
            if v is not None and EARLIEST_EVENT <= v <= latest
        }
        if not found:
            continue
        rescued = texts.replace_strict(found, default=None, return_dtype=pl.Date)
        if kind_of is T.DATETIME:
            rescued = rescued.cast(pl.Datetime("us"))
        use = failed & rescued.is_not_null()
        parsed = parsed.with_columns(
            pl.when(use).then(rescued).otherwise(pl.col(name)).alias(name),
            pl.when(use).then(None).otherwise(pl.col(error_column(name))).alias(error_column(name)),
        )
    return parsed


_MISSING_A = datetime(1, 1, 1)
_MISSING_B = datetime(2, 2, 2)


def date_fallback(values: Sequence[str]) -> dict[str, date | None]:
    """Parse date texts the vectorised formats missed, day first, with dateutil.

    A text must name its own day, month and year (`15 Mar 2024` parses; `15 Mar` does not) and
    a month by name: all-numeric texts are the vectorised formats' to read or refuse.
    """
    parsed: dict[str, date | None] = {}
    for value in values:
        if not any(ch.isalpha() for ch in value):
            parsed[value] = None
            continue
        try:
            first = date_parser.parse(value, dayfirst=True, default=_MISSING_A)
            second = date_parser.parse(value, dayfirst=True, default=_MISSING_B)
        except (ValueError, OverflowError, TypeError):
            parsed[value] = None
            continue
        same = first.date() == second.date()
        parsed[value] = first.date() if same else None
    return parsed


CONSENT_COLUMNS = ("consent_email", "consent_phone", "consent_whatsapp", "consent_sms")


def derive_contact_consent(clients: pl.DataFrame) -> pl.DataFrame:
    """Spread one general "aceita contato" answer over opt-out and every channel's consent.

    "Não" means the person asked not to be contacted (opt_out); "Sim" is consent on every
    channel. A channel column present in the same file wins over the general answer.
    """
    if "accepts_contact" not in clients.columns:
        return clients
    accepts = pl.col("accepts_contact")
    derived = [
        (pl.coalesce(pl.col(name), accepts) if name in clients.columns else accepts).alias(name)
        for name in CONSENT_COLUMNS
    ]
    # Booleans are parsed as 1/0 Int64 (bool_expr), so "not accepts" is 1 - accepts.
    opt_out = pl.col("opt_out") if "opt_out" in clients.columns else pl.lit(None, pl.Int64)
    derived.append(pl.coalesce(opt_out, 1 - accepts).alias("opt_out"))
    return clients.with_columns(derived).drop("accepts_contact")
