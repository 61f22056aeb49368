"""The client view's rules (services.views): archived out, accent-free search, digits for
numbers, sort words by column, header or alias."""

from __future__ import annotations

import polars as pl

from carteira_tui.services.views import (
    client_list,
    normalize_text,
    search_clients,
    search_needle,
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
