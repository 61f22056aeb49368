"""CPF and CNPJ as Polars expressions: strip, validate check digits, format for display.

Called by `engine.clean` (the Limpeza normalisers) and `engine.dedup` (the document blocking key).
Implemented here, vectorised, rather than through validate-docbr: a per-value library call costs
seconds at 1M rows, and the check-digit rules are short. The CNPJ rules cover the alphanumeric
CNPJ the Receita Federal issues from July 2026: letters A-Z may occupy the first twelve positions,
each character is worth `ord(char) - 48` (0-9 -> 0-9, A -> 17 ... Z -> 42), the weights are the
numeric CNPJ's, and the two check digits stay numeric.
"""

from __future__ import annotations

from enum import StrEnum

import polars as pl

CPF_LENGTH = 11
CNPJ_LENGTH = 14

_CPF_WEIGHTS_1 = list(range(10, 1, -1))
_CPF_WEIGHTS_2 = list(range(11, 1, -1))
_CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
_CNPJ_WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]


class DocumentKind(StrEnum):
    """What a cleaned document is (pt-BR values, stored as such)."""

    CPF = "cpf"
    CNPJ = "cnpj"


def document_key_expr(raw: pl.Expr) -> pl.Expr:
    """The document stripped to upper-case letters and digits (`123.456.789-09` -> `12345678909`).

    Empty results become null. This is the stored and compared form of a CPF/CNPJ.
    """
    key = raw.str.to_uppercase().str.replace_all(r"[^0-9A-Z]", "")
    return key.replace("", None)


def _char_value(key: pl.Expr, position: int) -> pl.Expr:
    """`ord(char) - 48` of one position: base-36 value, plus 7 for letters (A = 17)."""
    base36 = key.str.slice(position, 1).str.to_integer(base=36, strict=False)
    return base36 + (base36 >= 10).cast(pl.Int64) * 7


def _check_digit(key: pl.Expr, weights: list[int]) -> pl.Expr:
    """Modulo-11 check digit over the first `len(weights)` positions (remainder < 2 -> 0)."""
    total = pl.sum_horizontal(
        [_char_value(key, position) * weight for position, weight in enumerate(weights)]
    )
    remainder = total % 11
    return pl.when(remainder < 2).then(0).otherwise(11 - remainder)


def _all_same_char(key: pl.Expr) -> pl.Expr:
    return key.str.strip_chars(key.str.slice(0, 1)) == ""


def cpf_is_valid_expr(key: pl.Expr) -> pl.Expr:
    """True for an 11-digit key whose two check digits match and that is not one digit repeated."""
    digit_10 = key.str.slice(9, 1).str.to_integer(strict=False)
    digit_11 = key.str.slice(10, 1).str.to_integer(strict=False)
    shape_ok = key.str.contains(r"^[0-9]{11}$") & ~_all_same_char(key)
    return (
        shape_ok
        & (_check_digit(key, _CPF_WEIGHTS_1) == digit_10)
        & (_check_digit(key, _CPF_WEIGHTS_2) == digit_11)
    ).fill_null(False)


def cnpj_is_valid_expr(key: pl.Expr) -> pl.Expr:
    """True for a 14-char key (12 of 0-9/A-Z, 2 digits) with matching check digits, no repeats."""
    digit_13 = key.str.slice(12, 1).str.to_integer(strict=False)
    digit_14 = key.str.slice(13, 1).str.to_integer(strict=False)
    shape_ok = key.str.contains(r"^[0-9A-Z]{12}[0-9]{2}$") & ~_all_same_char(key)
    return (
        shape_ok
        & (_check_digit(key, _CNPJ_WEIGHTS_1) == digit_13)
        & (_check_digit(key, _CNPJ_WEIGHTS_2) == digit_14)
    ).fill_null(False)


def document_kind_expr(key: pl.Expr) -> pl.Expr:
    """`cpf` for 11 characters, `cnpj` for 14, null otherwise (by shape, before validation)."""
    length = key.str.len_chars()
    return (
        pl.when(length == CPF_LENGTH)
        .then(pl.lit(DocumentKind.CPF.value))
        .when(length == CNPJ_LENGTH)
        .then(pl.lit(DocumentKind.CNPJ.value))
    )


def document_is_valid_expr(key: pl.Expr) -> pl.Expr:
    """True when the key is a valid CPF or a valid (numeric or alphanumeric) CNPJ."""
    length = key.str.len_chars()
    return (
        pl.when(length == CPF_LENGTH)
        .then(cpf_is_valid_expr(key))
        .when(length == CNPJ_LENGTH)
        .then(cnpj_is_valid_expr(key))
        .otherwise(pl.lit(False))
        .fill_null(False)
    )


def document_display_expr(key: pl.Expr) -> pl.Expr:
    """`000.000.000-00` for an 11-char key, `00.000.000/0000-00` for 14, the key otherwise."""
    length = key.str.len_chars()
    cpf = pl.concat_str(
        key.str.slice(0, 3),
        pl.lit("."),
        key.str.slice(3, 3),
        pl.lit("."),
        key.str.slice(6, 3),
        pl.lit("-"),
        key.str.slice(9, 2),
    )
    cnpj = pl.concat_str(
        key.str.slice(0, 2),
        pl.lit("."),
        key.str.slice(2, 3),
        pl.lit("."),
        key.str.slice(5, 3),
        pl.lit("/"),
        key.str.slice(8, 4),
        pl.lit("-"),
        key.str.slice(12, 2),
    )
    return (
        pl.when(length == CPF_LENGTH)
        .then(cpf)
        .when(length == CNPJ_LENGTH)
        .then(cnpj)
        .otherwise(key)
    )


def cpf_check_digits(base: str) -> str:
    """The two check digits of a 9-digit CPF base (for fixtures and synthetic data)."""
    values = [int(char) for char in base]
    first = _scalar_check_digit(values, _CPF_WEIGHTS_1)
    second = _scalar_check_digit([*values, first], _CPF_WEIGHTS_2)
    return f"{first}{second}"


def cnpj_check_digits(base: str) -> str:
    """The two check digits of a 12-character CNPJ base, numeric or alphanumeric."""
    values = [ord(char) - 48 for char in base.upper()]
    first = _scalar_check_digit(values, _CNPJ_WEIGHTS_1)
    second = _scalar_check_digit([*values, first], _CNPJ_WEIGHTS_2)
    return f"{first}{second}"


def _scalar_check_digit(values: list[int], weights: list[int]) -> int:
    remainder = sum(value * weight for value, weight in zip(values, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder
