"""engine.parsing: Brazilian values and header matching, on tiny inline frames."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import polars as pl
import pytest
from polars.testing import assert_series_equal

from carteira_tui.engine.parsing import (
    DAY_FIRST,
    MONTH_FIRST,
    HeaderError,
    bool_expr,
    cep_expr,
    date_expr,
    date_fallback,
    date_orders,
    datetime_expr,
    int_expr,
    match_headers,
    money_cents_expr,
    normalize_header,
    parse_fields,
    rescue_dates,
    times_dropped,
    uf_expr,
    without_time_expr,
)


def _apply(expr_fn: Callable[[pl.Expr], pl.Expr], values: list[str | None]) -> pl.Series:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return frame.select(expr_fn(pl.col("v")).alias("v"))["v"]


def test_money_reads_decimal_comma_thousands_dot_and_real_prefix() -> None:
    got = _apply(
        money_cents_expr,
        ["R$ 1.234,56", "1234,5", "1234.56", "-10", "(5,00)", "1.234", "R$\u00a02.000.000,00"],
    )
    expected = [123456, 123450, 123456, -1000, -500, 123400, 200000000]
    assert_series_equal(got, pl.Series("v", expected, pl.Int64))


def test_money_is_null_for_text_and_three_decimals() -> None:
    assert _apply(money_cents_expr, ["abc", "1,234", "12,3,4", None]).to_list() == [None] * 4


def test_dates_day_first_short_year_and_iso() -> None:
    got = _apply(
        date_expr,
        ["15/03/2024", "1/2/24", "2024-02-01", "05-06-2023", "05.06.2023"],
    )
    assert got.to_list() == [
        date(2024, 3, 15),
        date(2024, 2, 1),
        date(2024, 2, 1),
        date(2023, 6, 5),
        date(2023, 6, 5),
    ]


def test_impossible_date_is_null() -> None:
    assert _apply(date_expr, ["31/02/2024", "13/13/2024", "ontem"]).to_list() == [None] * 3
    # the whole text is the date: an ISO date followed by anything is not one
    assert _apply(date_expr, ["2024-02-01 lixo", "2024-02-01 10:00"]).to_list() == [None] * 2


def test_a_valid_time_of_day_after_a_date_is_taken_off_and_an_invalid_one_kept() -> None:
    texts = {
        "03/04/2024 10:00": "03/04/2024",
        " 03/04/2024  9:05:07 ": "03/04/2024",
        "2024-04-03T10:00:00": "2024-04-03",
        "2024-04-03 10:00:00": "2024-04-03",
        "2024-04-03T10:00:00.250Z": "2024-04-03",
        "2024-04-03T23:59:59-03:00": "2024-04-03",
        "03/04/2024 00:00:00": "03/04/2024",
        "03/04/2024": "03/04/2024",
        "03/04/2024 25:00": "03/04/2024 25:00",  # no such hour
        "03/04/2024 10:60": "03/04/2024 10:60",  # no such minute
        "03/04/2024 10h": "03/04/2024 10h",
        "10:00": "10:00",  # a time alone has no date before it
    }
    got = _apply(without_time_expr, list(texts)).to_list()
    assert dict(zip(texts, got, strict=True)) == texts


def test_datetime_with_and_without_time() -> None:
    got = _apply(
        datetime_expr, ["05/01/2024 14:30", "2024-01-06T09:15:00", "07/01/2024", "07/01/2024 25:00"]
    )
    assert got.to_list() == [
        datetime(2024, 1, 5, 14, 30),
        datetime(2024, 1, 6, 9, 15),
        datetime(2024, 1, 7),
        None,
    ]


def test_booleans_in_portuguese_and_english() -> None:
    got = _apply(
        bool_expr, ["sim", "Não", "S", "n", "x", "1", "0", "TRUE", "falso", "Verdadeiro", "talvez"]
    )
    assert got.to_list() == [1, 0, 1, 0, 1, 1, 0, 1, 0, 1, None]


def test_int_uf_and_cep() -> None:
    assert _apply(int_expr, ["2", "2.0", "2,5", "dois"]).to_list() == [2, 2, None, None]
    assert _apply(uf_expr, ["sp", " RJ ", "XX"]).to_list() == ["SP", "RJ", None]
    assert _apply(cep_expr, ["01310-100", "1310100", "123"]).to_list() == [
        "01310100",
        "01310100",
        None,
    ]


def test_normalize_header_drops_case_accents_and_punctuation() -> None:
    assert normalize_header("  Razão Social ") == "razao social"
    assert normalize_header("E-mail") == "e mail"
    assert normalize_header("Nº Pedido") == "no pedido"
    assert normalize_header("MUNICÍPIO") == "municipio"


def test_header_aliases_with_accents_match_fields() -> None:
    headers = [
        "Código",
        "Razão Social",
        "CPF/CNPJ",
        "E-mail",
        "Celular",
        "Município",
        "Estado",
        "Data de Nascimento",
        "Responsável",
        "Inadimplente",
        "Coluna Estranha",
    ]
    assert match_headers(headers, "clients") == {
        "Código": "external_id",
        "Razão Social": "name",
        "CPF/CNPJ": "document",
        "E-mail": "email",
        "Celular": "phone",
        "Município": "city",
        "Estado": "uf",
        "Data de Nascimento": "birth_date",
        "Responsável": "owner",
        "Inadimplente": "delinquent",
    }


def test_map_overrides_aliases() -> None:
    mapped = match_headers(["NF", "Cliente", "Emissão", "Valor"], "orders", {"nf": "external_id"})
    assert mapped["NF"] == "external_id"


def test_missing_required_column_and_unknown_map_target_raise() -> None:
    with pytest.raises(HeaderError, match="obrigatória ausente: amount"):
        match_headers(["Cliente", "Data"], "orders")
    with pytest.raises(HeaderError, match="campo desconhecido"):
        match_headers(["Cliente", "Data", "Valor"], "orders", {"Valor": "preco"})


def test_two_columns_for_one_field_raise() -> None:
    with pytest.raises(HeaderError, match="mesmo campo"):
        match_headers(["Código", "Telefone", "Celular"], "clients")


def test_parse_fields_gives_reasons_only_for_bad_or_missing_required_cells() -> None:
    raw = pl.DataFrame(
        {
            "Cliente": ["C1", None, "C3"],
            "Data": ["01/01/2024", "02/01/2024", "x"],
            "Valor": ["10,00", "abc", ""],
        }
    )
    parsed = parse_fields(raw.lazy(), "orders", match_headers(raw.columns, "orders")).collect()
    assert parsed["amount"].to_list() == [1000, None, None]
    assert parsed["_err_client_external_id"].to_list() == [None, "campo obrigatório vazio", None]
    assert parsed["_err_amount"].to_list() == [
        None,
        "valor em dinheiro inválido",
        "campo obrigatório vazio",
    ]
    assert parsed["_err_date"].to_list() == [None, None, "data inválida"]


def test_rescue_dates_uses_dateutil_only_for_complete_dates() -> None:
    raw = pl.DataFrame(
        {"Cliente": ["C1", "C2"], "Data": ["15 Mar 2024", "15 Mar"], "Valor": ["1", "1"]}
    )
    columns = match_headers(raw.columns, "orders")
    parsed = rescue_dates(
        parse_fields(raw.lazy(), "orders", columns).collect(), raw, "orders", columns
    )
    assert parsed["date"].to_list() == [date(2024, 3, 15), None]
    assert parsed["_err_date"].to_list() == [None, "data inválida"]
    assert date_fallback(["3 de março"]) == {"3 de março": None}


def test_a_general_contact_answer_spreads_over_opt_out_and_every_channel() -> None:
    from carteira_tui.engine.parsing import derive_contact_consent

    clients = pl.DataFrame(
        {
            "external_id": ["a", "b", "c"],
            "accepts_contact": [1, 0, None],
            "consent_sms": [0, None, None],
        }
    )
    got = derive_contact_consent(clients)
    assert "accepts_contact" not in got.columns
    assert got["opt_out"].to_list() == [0, 1, None]
    assert got["consent_email"].to_list() == [1, 0, None]
    assert got["consent_sms"].to_list() == [0, 0, None]


def test_money_refuses_malformed_numbers_and_amounts_beyond_a_trillion() -> None:
    texts = ["1.2.3,4", "1.23.4", "92233720368547758,08", "1.000.000.000.000,01", "12,3,4"]
    assert _apply(money_cents_expr, texts).to_list() == [None] * 5
    assert _apply(money_cents_expr, ["1.000.000.000.000,00", "-R$ 184,93"]).to_list() == [
        100_000_000_000_000,
        -18493,
    ]


def test_a_day_first_column_refuses_a_month_first_date() -> None:
    raw = pl.DataFrame(
        {"Cliente": ["C1", "C2", "C3"], "Data": ["25/01/2024", "01/13/2024", "02/03/2024"]}
    ).with_columns(pl.lit("1").alias("Valor"))
    parsed = parse_fields(raw.lazy(), "orders", match_headers(raw.columns, "orders")).collect()
    parsed = rescue_dates(parsed, raw, "orders", match_headers(raw.columns, "orders"))
    assert parsed["date"].to_list() == [date(2024, 1, 25), None, date(2024, 3, 2)]
    assert parsed["_err_date"].to_list() == [None, "data inválida", None]


def test_a_month_first_column_is_read_month_first_as_a_whole() -> None:
    raw = pl.DataFrame({"Cliente": ["C1", "C2"], "Data": ["12/31/2024", "02/03/2024"]})
    raw = raw.with_columns(pl.lit("1").alias("Valor"))
    parsed = parse_fields(raw.lazy(), "orders", match_headers(raw.columns, "orders")).collect()
    assert parsed["date"].to_list() == [date(2024, 12, 31), date(2024, 2, 3)]


def test_event_years_outside_1900_2100_and_future_birth_dates_are_refused() -> None:
    raw = pl.DataFrame(
        {"Cliente": ["C1", "C2", "C3"], "Data": ["01/01/0000", "01/01/9999", "01/01/2024"]}
    ).with_columns(pl.lit("1").alias("Valor"))
    parsed = parse_fields(raw.lazy(), "orders", match_headers(raw.columns, "orders")).collect()
    assert parsed["_err_date"].to_list() == ["ano fora de 1900–2100"] * 2 + [None]
    assert parsed["date"].to_list()[2] == date(2024, 1, 1)
    clients = pl.DataFrame({"Código": ["C1", "C2"], "Nascimento": ["01/01/2999", "01/01/1980"]})
    columns = match_headers(clients.columns, "clients")
    born = parse_fields(clients.lazy(), "clients", columns, today=date(2026, 12, 6)).collect()
    assert born["_err_birth_date"].to_list() == ["data de nascimento no futuro", None]
    assert born["birth_date"].to_list() == [None, date(1980, 1, 1)]


def test_control_characters_are_removed_from_text() -> None:
    raw = pl.DataFrame({"Código": ["C1"], "Nome": ["Ana\x1b[31m Souza\u202e\x00"]})
    parsed = parse_fields(raw.lazy(), "clients", match_headers(raw.columns, "clients")).collect()
    assert parsed["name"].to_list() == ["Ana[31m Souza"]


def _orders(dates: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"Cliente": [f"C{i}" for i in range(len(dates))], "Data": dates}
    ).with_columns(pl.lit("1").alias("Valor"))


def test_order_dates_with_a_time_of_day_are_read_as_the_date_and_counted() -> None:
    raw = _orders(
        [
            "03/04/2024 10:00",  # 3 April: 13/04 below decides day first for the column
            "13/04/2024 10:00:00",
            "2024-04-05T10:00:00",
            "2024-04-06 10:00:00",
            "07/04/2024 00:00:00",  # midnight, as a spreadsheet writes a date: nothing lost
            "08/04/2024",
            "09/04/2024 25:00",  # an impossible time: the cell is refused whole
            "2024-04-10 lixo",
        ]
    )
    columns = match_headers(raw.columns, "orders")
    parsed, orders = date_orders(parse_fields(raw.lazy(), "orders", columns).collect())
    parsed, times = times_dropped(parsed)
    assert orders == {"date": DAY_FIRST}
    assert parsed["date"].to_list() == [
        date(2024, 4, 3),
        date(2024, 4, 13),
        date(2024, 4, 5),
        date(2024, 4, 6),
        date(2024, 4, 7),
        date(2024, 4, 8),
        None,
        None,
    ]
    assert parsed["_err_date"].to_list() == [None] * 6 + ["data inválida"] * 2
    assert times == {"date": 4}  # the four with a time other than midnight
    assert not [c for c in parsed.columns if c.startswith("_times_")]


def test_day_and_month_order_is_decided_by_the_whole_column_with_times_too() -> None:
    # month first: 12/31 says so, and 03/04 in the same column is 4 March, time or not
    raw = _orders(["12/31/2024 10:00", "03/04/2024 09:30:00"])
    columns = match_headers(raw.columns, "orders")
    parsed, orders = date_orders(parse_fields(raw.lazy(), "orders", columns).collect())
    assert orders == {"date": MONTH_FIRST}
    assert parsed["date"].to_list() == [date(2024, 12, 31), date(2024, 3, 4)]
    assert times_dropped(parsed)[1] == {"date": 2}
    # day first: 25/01 says so, and 01/13 with a time is refused, never read as 13 January
    raw = _orders(["25/01/2024 08:00", "01/13/2024 08:00"])
    parsed = parse_fields(raw.lazy(), "orders", match_headers(raw.columns, "orders")).collect()
    assert parsed["date"].to_list() == [date(2024, 1, 25), None]
    assert parsed["_err_date"].to_list() == [None, "data inválida"]
    assert times_dropped(date_orders(parsed)[0])[1] == {"date": 1}  # the refused one not counted


def test_a_column_without_times_counts_none() -> None:
    raw = _orders(["03/04/2024", "2024-04-05", "2024-04-06 00:00:00"])
    parsed = parse_fields(raw.lazy(), "orders", match_headers(raw.columns, "orders")).collect()
    assert times_dropped(date_orders(parsed)[0])[1] == {}
