"""engine.filters: the filter language, evaluated against tiny inline result frames."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from carteira_tui.engine.filters import (
    FIELDS,
    And,
    FilterError,
    Not,
    Or,
    Predicate,
    compile_filter,
    describe_fields,
    parse_filter,
    validate_filter,
)
from carteira_tui.engine.schema import RESULT_SCHEMA

AS_OF = date(2026, 6, 30)

CLIENTS: list[dict[str, Any]] = [
    {
        "id": 1,
        "name": "José da Silva",
        "status": "ativo",
        "abc": "A",
        "rfm_segment": "Campeões",
        "uf": "SP",
        "city": "São Paulo",
        "recency_days": 10,
        "frequency": 5,
        "monetary_cents": 123456,
        "monetary": 1234.56,
        "avg_ticket": 246.912,
        "cycle_days": 30.0,
        "last_purchase": date(2026, 6, 20),
        "first_purchase": date(2025, 1, 10),
        "birth_date": date(1980, 12, 25),
        "delinquent": False,
        "archived": False,
        "cooling": False,
        "tags": "vip, atacado",
        "document": "123.456.789-09",
        "email": "jose@exemplo.com.br",
        "segment": "Ativos",
    },
    {
        "id": 2,
        "name": "MARIA SILVEIRA",
        "status": "inativo_recente",
        "abc": "B",
        "rfm_segment": "Em risco",
        "uf": "rj",
        "city": "Rio de Janeiro",
        "recency_days": 200,
        "frequency": 2,
        "monetary_cents": 100000,
        "monetary": 1000.0,
        "avg_ticket": 500.0,
        "cycle_days": 60.0,
        "last_purchase": date(2025, 12, 12),
        "first_purchase": date(2025, 10, 13),
        "birth_date": date(1975, 3, 1),
        "delinquent": True,
        "archived": False,
        "cooling": True,
        "tags": "vipx;varejo",
        "email": "",
    },
    {
        "id": 3,
        "name": "Ana Sílva",
        "status": "prospect",
        "uf": None,
        "city": "Sao Paulo",
        "delinquent": None,
        "archived": True,
    },
]


def frame() -> pl.DataFrame:
    """The three clients above with every result column (absent values are null)."""
    return pl.DataFrame(CLIENTS, schema=RESULT_SCHEMA)


def ids(text: str, as_of: date = AS_OF) -> list[int]:
    """Ids of the clients the filter keeps, compiled against the full result schema."""
    expr = compile_filter(text, as_of=as_of, schema=dict(RESULT_SCHEMA))
    return frame().filter(expr)["id"].to_list()


def error_of(text: str) -> FilterError:
    """The FilterError compiling `text` raises (and validate_filter reports the same)."""
    with pytest.raises(FilterError) as caught:
        compile_filter(text, as_of=AS_OF)
    reported = validate_filter(text)
    assert reported is not None
    assert (reported.column, reported.message) == (caught.value.column, caught.value.message)
    return caught.value


# --- operators -------------------------------------------------------------------------------


def test_issue_example_selects_active_a_client_from_sp_not_delinquent() -> None:
    text = (
        'status in (ativo, inativo_recente) and abc = A and uf = "SP" '
        "and monetary >= 1000 and not inadimplente"
    )
    assert ids(text) == [1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("frequency = 5", [1]),
        ("frequency != 5", [2]),
        ("frequency <> 5", [2]),
        ("frequency == 2", [2]),
        ("frequency < 5", [2]),
        ("frequency <= 5", [1, 2]),
        ("frequency > 2", [1]),
        ("frequency >= 2", [1, 2]),
        ("frequency in (2, 7)", [2]),
        ("frequency not in (2, 7)", [1]),
        ("frequencia não in (5)", [2]),
        ("r in (4,5)", []),
    ],
)
def test_comparison_operators_on_numbers(text: str, expected: list[int]) -> None:
    assert ids(text) == expected


def test_money_is_in_reais_with_comma_or_dot_and_compared_exactly_on_cents() -> None:
    assert ids("monetary >= 1.234,56") == [1]
    assert ids("valor >= 1234.56") == [1]
    assert ids("receita > 1234,56") == []
    assert ids("monetary > 1234,55") == [1]
    assert ids("monetary = 1.000") == [2]
    assert ids("ticket_medio > 246,91") == [1, 2]
    assert ids("avg_ticket >= 500") == [2]


def test_tilde_contains_ignores_case_and_accents() -> None:
    assert ids('name ~ "silva"') == [1, 3]
    assert ids("nome ~ SÍLV") == [1, 2, 3]
    assert ids('cidade ~ "são paulo"') == [1, 3]


def test_tilde_ignores_accents_written_as_combining_marks() -> None:
    data = pl.DataFrame({"name": ["Ana Si\u0301lva", "Ana Souza"]})
    assert data.filter(compile_filter("nome ~ sílva", as_of=AS_OF))["name"].len() == 1


def test_text_equality_ignores_case_and_accents_and_document_punctuation() -> None:
    assert ids('uf = "sp"') == [1]
    assert ids("uf in (SP, RJ)") == [1, 2]
    assert ids("cidade = 'SAO PAULO'") == [1, 3]
    assert ids('cpf = "12345678909"') == [1]
    assert ids("documento ~ 456.789") == [1]


def test_enum_values_accept_labels_case_and_accent_insensitively() -> None:
    assert ids('status = "Inativo recente"') == [2]
    assert ids("status = INATIVO_RECENTE") == [2]
    assert ids("rfm = campeoes") == [1]
    assert ids('segmento_rfm = "em RISCO"') == [2]
    assert ids("curva = a") == [1]
    assert ids("abc in (a, b)") == [1, 2]
    assert ids("rfm ~ risco") == [2]


def test_has_matches_whole_tags_only() -> None:
    assert ids('tags has "vip"') == [1]
    assert ids("etiquetas has VAREJO") == [2]
    assert ids("tags ~ vip") == [1, 2]


def test_bare_bool_fields_and_bool_values() -> None:
    assert ids("inadimplente") == [2]
    assert ids("delinquent = sim") == [2]
    assert ids("inadimplente = não") == [1]
    assert ids("arquivado = true") == [3]
    assert ids("esfriando") == [2]


def test_is_null_and_is_not_null_and_vazio_treat_empty_text_as_null() -> None:
    assert ids("recency is null") == [3]
    assert ids("recencia é nulo") == [3]
    assert ids("recency is not null") == [1, 2]
    assert ids("email é vazio") == [2, 3]
    assert ids("email não é vazio") == [1]
    assert ids("uf is not vazio") == [1, 2]


def test_birth_month_is_derived_from_birth_date_and_accepts_month_names() -> None:
    assert ids("birth_month = 12") == [1]
    assert ids("mes_aniversario = março") == [2]


# --- precedence and structure ----------------------------------------------------------------


def test_not_binds_tighter_than_and_which_binds_tighter_than_or() -> None:
    node = parse_filter("not inadimplente and abc = A or arquivado")
    assert isinstance(node, Or)
    first = node.nodes[0]
    assert isinstance(first, And)
    assert isinstance(first.nodes[0], Not)
    assert ids("not inadimplente and abc = A or arquivado") == [1, 3]
    assert ids("not (inadimplente and abc = B) and frequency > 1") == [1]
    assert ids("abc = B or abc = A and uf = 'RJ'") == [2]


def test_portuguese_and_english_keywords_are_the_same_language() -> None:
    assert ids("abc = A ou abc = B e não inadimplente") == ids(
        "abc = A or abc = B and not inadimplente"
    )
    assert ids("inadimplente e not arquivado") == [2]


def test_every_field_name_and_alias_compiles_against_the_result_schema() -> None:
    for info in FIELDS:
        for name in info.names:
            compile_filter(f"{name} is null", as_of=AS_OF, schema=dict(RESULT_SCHEMA))
    assert {f.name for f in describe_fields()} >= {"status", "curva", "valor", "tags"}


def test_parse_filter_returns_a_test_node_naming_the_field() -> None:
    node = parse_filter("recencia > 90")
    assert isinstance(node, Predicate)
    assert (node.field.column, node.op, node.values[0].number) == ("recency_days", ">", 90)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last_purchase < -6 months", [2]),  # before 30/12/2025
        ("ultima_compra >= -6 meses", [1]),
        ("last_purchase > -201 dias", [1, 2]),  # after 11/12/2025
        ("last_purchase > -200 dias", [1]),  # after 12/12/2025
        ("primeira_compra < -1 ano", [1]),  # before 30/06/2025
        ("last_purchase < hoje", [1, 2]),
        ("last_purchase >= today - 10 days", [1]),
        ("last_purchase = 20/06/2026", [1]),
        ("last_purchase = 2025-12-12", [2]),
        ("ultima_compra < '01/01/2026'", [2]),
        ("nascimento < 01/01/1980", [2]),
    ],
)
def test_dates_absolute_and_relative_to_as_of(text: str, expected: list[int]) -> None:
    assert ids(text) == expected


def test_relative_dates_follow_as_of_never_today() -> None:
    assert ids("last_purchase > -15 dias", as_of=date(2026, 6, 30)) == [1]
    assert ids("last_purchase > -15 dias", as_of=date(2026, 7, 30)) == []


def test_month_arithmetic_uses_relativedelta_end_of_month() -> None:
    expr = compile_filter("last_purchase >= -1 mes", as_of=date(2026, 3, 31))
    data = pl.DataFrame(
        {"last_purchase": [date(2026, 2, 27), date(2026, 2, 28)]},
        schema={"last_purchase": pl.Date},
    )
    assert data.filter(expr)["last_purchase"].to_list() == [date(2026, 2, 28)]


# --- null semantics --------------------------------------------------------------------------


def test_comparison_with_null_is_false_so_prospects_never_match_recency() -> None:
    assert ids("recency > 90") == [2]
    assert ids("recency <= 90") == [1]
    assert ids('uf != "SP"') == [2]


def test_not_of_a_null_comparison_is_true() -> None:
    assert ids("not (recency > 90)") == [1, 3]
    assert ids("not inadimplente") == [1, 3]
    assert ids("not (uf = 'SP')") == [2, 3]


def test_compiled_filter_is_never_null() -> None:
    expr = compile_filter("recency > 90 or abc = C", as_of=AS_OF)
    assert frame().select(expr.alias("keep"))["keep"].null_count() == 0


# --- errors ----------------------------------------------------------------------------------


def test_unknown_field_suggests_the_closest_and_lists_the_fields() -> None:
    error = error_of("recencai > 90")
    assert error.column == 1
    assert "você quis dizer 'recencia'" in error.message
    assert "ultima_compra" in error.message and "inadimplente" in error.message


def test_unknown_field_after_and_points_at_it() -> None:
    error = error_of("abc = A and cidde = 'Santos'")
    assert error.column == 13
    assert "'cidade'" in error.message


def test_missing_value_points_after_the_operator() -> None:
    error = error_of("status = ativo and monetary >=")
    assert error.column == 31
    assert error.message == "esperava um valor depois de '>='"
    assert str(error) == "coluna 31: esperava um valor depois de '>='"


def test_missing_value_before_and() -> None:
    error = error_of("monetary >= and abc = A")
    assert (error.column, error.message) == (13, "esperava um valor depois de '>='")


def test_unclosed_parenthesis_points_at_the_open_one() -> None:
    error = error_of("abc = A and (status = ativo or cooling")
    assert error.column == 13
    assert "não foi fechado" in error.message


def test_unclosed_list_points_at_its_parenthesis() -> None:
    error = error_of("status in (ativo, prospect")
    assert error.column == 11


def test_stray_closing_parenthesis() -> None:
    assert error_of("abc = A)").column == 8


def test_unclosed_quote_points_at_the_quote() -> None:
    error = error_of('name ~ "silva and abc = A')
    assert error.column == 8
    assert "aspa" in error.message


def test_bad_date_points_at_the_date() -> None:
    error = error_of("last_purchase < 31/02/2026")
    assert (error.column, error.message) == (17, "data inválida '31/02/2026' (use dd/mm/aaaa)")


def test_wrong_type_text_field_with_greater_than() -> None:
    error = error_of("uf > 3")
    assert error.column == 4
    assert "'uf' é texto e não aceita '>'" in error.message


def test_wrong_type_number_field_with_text_value() -> None:
    error = error_of('recency > "noventa"')
    assert error.column == 11
    assert "esperava um número" in error.message


def test_wrong_type_date_field_with_plain_number() -> None:
    error = error_of("last_purchase < 6")
    assert error.column == 17
    assert "esperava uma data" in error.message


def test_unknown_enum_value_lists_the_allowed_values() -> None:
    error = error_of("status = ativoo")
    assert error.column == 10
    assert "ativo, inativo_recente, inativo_antigo, prospect" in error.message


def test_missing_operator_and_stray_character() -> None:
    assert error_of("recency 90").column == 9
    assert error_of("abc = A & uf = SP").column == 9
    assert "caractere inesperado" in error_of("abc = A & uf = SP").message


def test_unquoted_value_with_a_space_asks_for_quotes() -> None:
    error = error_of("cidade = São Paulo")
    assert error.column == 14
    assert "entre aspas" in error.message


def test_nesting_too_deep_is_a_filter_error_not_a_recursion_error() -> None:
    assert "aninhado" in error_of("(" * 200 + "cooling" + ")" * 200).message


def test_has_on_a_field_that_is_not_tags() -> None:
    error = error_of("uf has SP")
    assert error.column == 4


def test_empty_filter_is_an_error() -> None:
    assert error_of("   ").column == 1


def test_field_missing_from_the_schema_is_an_error_only_with_a_schema() -> None:
    compile_filter("cooling", as_of=AS_OF)
    with pytest.raises(FilterError) as caught:
        compile_filter("abc = A and cooling", as_of=AS_OF, schema={"abc": pl.String()})
    assert caught.value.column == 13


def test_caret_renders_a_marker_under_the_column() -> None:
    error = error_of("uf > 3")
    assert error.caret() == "uf > 3\n   ^"


def test_validate_filter_returns_none_for_a_good_filter() -> None:
    assert validate_filter("abc = A and (cooling or status in (inativo_recente))") is None


# --- robustness ------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "abc", "status", "=", ">=", "<", "~", "in", "not", "não", "and", "ou", "(", ")", ",",
        '"', "'", "is", "null", "vazio", "has", "tags", "-", "6", "meses", "hoje", "1.234,56",
        "31/02/2026", "2026-03-01", "A", "ativo", "monetary", "recency", "birth_month", "é",
        "inadimplente", "99999999999999999999", " ",
    ]
)  # fmt: skip


@hsettings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=12).map(" ".join)))
def test_random_text_raises_only_filter_error_and_good_filters_evaluate(text: str) -> None:
    try:
        expr = compile_filter(text, as_of=AS_OF, schema=dict(RESULT_SCHEMA))
    except FilterError as error:
        assert 1 <= error.column <= len(text) + 1
        return
    kept = frame().filter(expr)
    assert kept.height <= 3
