"""The client view's rules (services.views): archived out, accent-free search, digits for
numbers, sort words by column, header or alias."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from carteira_tui.errors import CarteiraError
from carteira_tui.services.views import (
    ClientViewBuilder,
    FilterFailed,
    ViewQuery,
    apply_filter,
    client_list,
    normalize_text,
    search_clients,
    search_needle,
    sort_clients,
    sort_column_for,
)

RESULTS = pl.DataFrame(
    {
        "id": [1, 2, 3],
        "client_id": ["C1", "C2", "C3"],
        "name": ["José Conceição", "Ana Souza", "Márcia Lima"],
        "email": ["jose@x.com.br", None, "marcia@x.com.br"],
        "document": ["123.456.789-01", None, "987.654.321-00"],
        "phone": ["(11) 98765-4321", "(81) 3333-2222", None],
        "monetary_cents": [100, 200, 300],
        "archived": [False, None, True],
    }
)


def test_archived_clients_leave_the_list_and_a_null_flag_stays() -> None:
    assert client_list(RESULTS)["id"].to_list() == [1, 2]


def test_search_ignores_case_and_accents() -> None:
    clients = client_list(RESULTS)
    assert search_clients(clients, "CONCEICAO")["id"].to_list() == [1]
    assert search_clients(clients, "josé")["id"].to_list() == [1]
    assert normalize_text("Márcia Ção") == "marcia cao"


def test_a_query_that_looks_like_a_number_searches_the_digits() -> None:
    assert search_needle("(81) 3333-2222") == "8133332222"
    assert search_clients(client_list(RESULTS), "123.456")["id"].to_list() == [1]
    assert search_clients(client_list(RESULTS), "3333-2222")["id"].to_list() == [2]


def test_an_empty_query_keeps_every_row() -> None:
    assert search_clients(client_list(RESULTS), "  ").height == 2


def test_a_sort_word_is_a_column_a_header_or_an_alias() -> None:
    columns = ["name", "monetary_cents", "recency_days"]
    labels = {"monetary_cents": "Valor total", "recency_days": "Recência"}
    assert sort_column_for("name", columns) == "name"
    assert sort_column_for("Recência", columns, labels) == "recency_days"
    assert sort_column_for("valor total", columns, labels) == "monetary_cents"
    assert sort_column_for("receita", columns) == "monetary_cents"
    assert sort_column_for("cidade", columns) is None  # an alias of a column not shown


AS_OF = date(2026, 11, 20)


def test_the_builder_sorts_then_filters_then_searches() -> None:
    clients = client_list(RESULTS)
    builder = ClientViewBuilder()
    query = ViewQuery("monetary_cents", True, "valor >= 1", "a")
    assert builder.build(clients, query, as_of=AS_OF)["id"].to_list() == [2, 1]
    narrower = ViewQuery("monetary_cents", True, "valor >= 1", "ana")
    assert builder.build(clients, narrower, as_of=AS_OF)["id"].to_list() == [2]
    filtered = ViewQuery("monetary_cents", True, "valor >= 2", "")
    assert builder.build(clients, filtered, as_of=AS_OF)["id"].to_list() == [2]
    wider = ViewQuery("monetary_cents", False, "", "")
    assert builder.build(clients, wider, as_of=AS_OF)["id"].to_list() == [1, 2]


def test_a_search_that_extends_the_last_one_gives_what_a_fresh_builder_gives() -> None:
    clients = client_list(RESULTS)
    kept = ClientViewBuilder()
    for typed in ("j", "jo", "jos", "josé"):
        step = kept.build(clients, ViewQuery(search=typed), as_of=AS_OF)
    fresh = ClientViewBuilder().build(clients, ViewQuery(search="josé"), as_of=AS_OF)
    assert step.equals(fresh) and step["id"].to_list() == [1]


def test_a_bad_filter_is_a_carteira_error_with_its_column() -> None:
    with pytest.raises(FilterFailed) as failure:
        apply_filter(client_list(RESULTS), "valor >= = 3", as_of=AS_OF)
    assert isinstance(failure.value, CarteiraError)
    assert failure.value.column is not None


def test_sort_keeps_nulls_last_and_ties_in_order() -> None:
    frame = pl.DataFrame({"id": [1, 2, 3, 4], "v": [2, None, 2, 1]})
    assert sort_clients(frame, "v", False)["id"].to_list() == [4, 1, 3, 2]
    assert sort_clients(frame, "v", True)["id"].to_list() == [1, 3, 4, 2]
    assert sort_clients(frame, None, True)["id"].to_list() == [1, 2, 3, 4]
