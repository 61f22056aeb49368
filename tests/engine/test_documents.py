"""engine.documents: CPF and CNPJ (numeric and the 2026 alphanumeric) keys, validity, display."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carteira_tui.engine.documents import (
    cnpj_check_digits,
    cpf_check_digits,
    document_display_expr,
    document_is_valid_expr,
    document_key_expr,
    document_kind_expr,
)


def _check(raw: list[str | None]) -> pl.DataFrame:
    key = document_key_expr(pl.col("raw"))
    return pl.DataFrame({"raw": raw}, schema={"raw": pl.String}).select(
        key.alias("key"),
        document_kind_expr(key).alias("kind"),
        document_is_valid_expr(key).alias("valid"),
        document_display_expr(key).alias("display"),
    )


@pytest.mark.parametrize(
    ("raw", "key", "kind", "display"),
    [
        ("111.444.777-35", "11144477735", "cpf", "111.444.777-35"),
        ("11144477735", "11144477735", "cpf", "111.444.777-35"),
        (" 529.982.247-25 ", "52998224725", "cpf", "529.982.247-25"),
        ("11.222.333/0001-81", "11222333000181", "cnpj", "11.222.333/0001-81"),
        ("11222333000181", "11222333000181", "cnpj", "11.222.333/0001-81"),
        ("12.ABC.345/01DE-35", "12ABC34501DE35", "cnpj", "12.ABC.345/01DE-35"),
        ("12abc34501de35", "12ABC34501DE35", "cnpj", "12.ABC.345/01DE-35"),
    ],
)
def test_valid_documents_are_stripped_validated_and_formatted(
    raw: str, key: str, kind: str, display: str
) -> None:
    assert _check([raw]).row(0) == (key, kind, True, display)


@pytest.mark.parametrize(
    "raw",
    [
        "111.444.777-36",  # wrong second check digit
        "111.444.777-25",  # wrong first check digit
        "000.000.000-00",  # repeated digits pass the modulus but are not a CPF
        "111.111.111-11",
        "11.222.333/0001-82",
        "00.000.000/0000-00",
        "12.ABC.345/01DE-36",
        "12.ABC.345/01DE-3A",  # check digits stay numeric
        "1114447773A",  # a CPF has no letters
        "123",
        "111.444.777-350",
    ],
)
def test_invalid_documents_are_rejected(raw: str) -> None:
    assert _check([raw])["valid"].to_list() == [False]


def test_missing_document_has_no_key_and_is_not_valid() -> None:
    assert _check([None, " ", "./-"]).rows() == [(None, None, False, None)] * 3


def test_receita_example_check_digits_from_character_values() -> None:
    # 12ABC34501DE: values 1,2,17,18,19,3,4,5,0,1,20,21 -> 459 % 11 = 8 -> 3; then 424 % 11 = 6 -> 5
    assert cnpj_check_digits("12ABC34501DE") == "35"


def test_cpf_check_digits_of_known_base() -> None:
    assert cpf_check_digits("111444777") == "35"
    assert cpf_check_digits("529982247") == "25"


_CNPJ_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@given(st.text(alphabet=_CNPJ_CHARS, min_size=12, max_size=12))
def test_any_alphanumeric_base_with_its_check_digits_is_valid_and_one_off_is_not(
    base: str,
) -> None:
    digits = cnpj_check_digits(base)
    wrong = f"{digits[0]}{(int(digits[1]) + 1) % 10}"
    frame = _check([base + digits, base + wrong])
    repeated = base + digits == base[0] * 14
    assert frame["valid"].to_list() == [not repeated, False]
