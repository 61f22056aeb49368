"""engine.clean: the Limpeza normalisers, their issue codes and the completeness score."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from carteira_tui.engine import clean
from carteira_tui.engine.clean import (
    ISSUE_LABELS,
    CleanIssue,
    client_issues,
    normalized_clients,
    phone_display_expr,
)


def _normalize(**columns: list[str | None]) -> pl.DataFrame:
    size = len(next(iter(columns.values())))
    frame = pl.LazyFrame(
        {"client_id": list(range(1, size + 1)), **columns},
        schema={"client_id": pl.Int64, **{name: pl.String for name in columns}},
    )
    return normalized_clients(frame).sort("client_id").collect()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  joão   DA silva ", "João da Silva"),
        ("MARIA DOS SANTOS E SOUZA", "Maria dos Santos e Souza"),
        ("ana de das neves", "Ana de das Neves"),
        ("JOSÉ D'ÁVILA", "José D'Ávila"),
        ("acme comércio ltda", "Acme Comércio LTDA"),
        ("padaria pão de mel ltda - me", "Padaria Pão de Mel LTDA - ME"),
        ("construtora norte s/a", "Construtora Norte S/A"),
        ("banco do povo s.a.", "Banco do Povo S.A."),
        ("tech sul eireli", "Tech Sul EIRELI"),
        ("mercadinho bom preço epp", "Mercadinho Bom Preço EPP"),
    ],
)
def test_names_are_proper_cased_with_particles_lower_and_suffixes_upper(
    raw: str, expected: str
) -> None:
    got = _normalize(name=[raw])
    assert got.select("name_norm", "name_issue").row(0) == (expected, None)


def test_empty_and_letterless_names_are_flagged_not_dropped() -> None:
    got = _normalize(name=[None, "   ", "12345"])
    assert got.select("name_norm", "name_issue").rows() == [
        (None, "nome_vazio"),
        (None, "nome_vazio"),
        (None, "nome_invalido"),
    ]


def test_documents_get_kind_or_a_specific_issue() -> None:
    got = _normalize(
        document=[
            "111.444.777-35",
            "12.ABC.345/01DE-35",
            "000.000.000-00",
            "11.222.333/0001-80",
            "12345",
            None,
        ]
    )
    assert got.select("document_norm", "document_kind", "document_issue").rows() == [
        ("11144477735", "cpf", None),
        ("12ABC34501DE35", "cnpj", None),
        (None, None, "cpf_invalido"),
        (None, None, "cnpj_invalido"),
        (None, None, "documento_invalido"),
        (None, None, None),
    ]


@pytest.mark.parametrize(
    ("raw", "e164", "kind"),
    [
        ("(11) 98765-4321", "+5511987654321", "celular"),
        ("+55 11 98765-4321", "+5511987654321", "celular"),
        ("5511987654321", "+5511987654321", "celular"),
        ("011 98765-4321", "+5511987654321", "celular"),
        ("0 21 11 98765-4321", "+5511987654321", "celular"),  # carrier code 21
        ("(11) 8765-4321", "+5511987654321", "celular"),  # ninth digit added
        ("+55 (61) 8123-4567", "+5561981234567", "celular"),
        ("(11) 3456-7890", "+551134567890", "fixo"),
        ("+55 21 2345-6789", "+552123456789", "fixo"),
        ("+1 212 555 1234", "+12125551234", "outro"),
    ],
)
def test_phones_become_e164_with_line_type(raw: str, e164: str, kind: str) -> None:
    got = _normalize(phone=[raw])
    assert got.select("phone_norm", "phone_kind", "phone_issue").row(0) == (e164, kind, None)


@pytest.mark.parametrize("raw", ["11 1234-5678", "12345", "(00) 98765-4321", "abc"])
def test_invalid_phones_are_flagged(raw: str) -> None:
    got = _normalize(phone=[raw])
    assert got.select("phone_norm", "phone_kind", "phone_issue").row(0) == (
        None,
        None,
        "telefone_invalido",
    )


def test_phone_display_is_brazilian_style() -> None:
    got = pl.DataFrame({"e164": ["+5511987654321", "+551134567890", "+12125551234"]}).select(
        phone_display_expr(pl.col("e164"))
    )
    assert got.to_series().to_list() == ["(11) 98765-4321", "(11) 3456-7890", "+12125551234"]


def test_phonenumbers_runs_once_per_distinct_number(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []
    original = clean._phone_fact

    def counting(candidate: str | None) -> tuple[str | None, str | None]:
        seen.append(candidate)
        return original(candidate)

    monkeypatch.setattr(clean, "_phone_fact", counting)
    _normalize(phone=["(11) 98765-4321", "11987654321", "+55 11 98765-4321", "1134567890", None])
    assert sorted(str(candidate) for candidate in seen) == ["+551134567890", "+5511987654321"]


def test_emails_are_lower_cased_and_syntax_checked() -> None:
    got = _normalize(
        email=[" Joao.Silva@Exemplo.COM.br ", "a@b", "x..y@z.com", "sem-arroba.com", None]
    )
    assert got.select("email_norm", "email_issue").rows() == [
        ("joao.silva@exemplo.com.br", None),
        (None, "email_invalido"),
        (None, "email_invalido"),
        (None, "email_invalido"),
        (None, None),
    ]


def test_cep_is_eight_digits_formatted_and_regains_a_lost_leading_zero() -> None:
    got = _normalize(cep=["01310-100", "20040020", "1310100", "123", "00000-000", None])
    assert got.select("cep_norm", "cep_issue").rows() == [
        ("01310-100", None),
        ("20040-020", None),
        ("01310-100", None),
        (None, "cep_invalido"),
        (None, "cep_invalido"),
        (None, None),
    ]


def test_uf_accepts_codes_and_state_names() -> None:
    got = _normalize(uf=["sp", " RJ ", "São Paulo", "para", "XX", None])
    assert got.select("uf_norm", "uf_issue").rows() == [
        ("SP", None),
        ("RJ", None),
        ("SP", None),
        ("PA", None),
        (None, "uf_invalida"),
        (None, None),
    ]


def test_cities_match_ignoring_case_and_accents_and_unknown_ones_are_kept_and_flagged() -> None:
    got = _normalize(city=["SAO PAULO", "foz do iguacu", "  belem ", "xique-xique", None])
    assert got.select("city_norm", "city_issue").rows() == [
        ("São Paulo", None),
        ("Foz do Iguaçu", None),
        ("Belém", None),
        ("Xique-Xique", "cidade_nao_reconhecida"),
        (None, None),
    ]


def test_completeness_weights_only_count_valid_fields() -> None:
    got = _normalize(
        name=["Ana Lima", "Ana Lima", None],
        document=["111.444.777-35", "111.444.777-36", None],
        email=["ana@x.com.br", None, None],
        phone=["11 98765-4321", None, None],
        city=["Natal", "Cidade Inventada", None],
        uf=["RN", "RN", None],
        cep=["59000-000", None, None],
    )
    # 15 name + 20 document + 15 email + 20 phone + 10 city + 10 uf + 10 cep
    assert got["completeness"].to_list() == [100, 15 + 10 + 10, 0]


def test_missing_input_columns_are_treated_as_null() -> None:
    got = normalized_clients(pl.LazyFrame({"client_id": [7], "name": ["ana"]})).collect()
    assert got.select("name_norm", "document_issue", "completeness").row(0) == ("Ana", None, 15)


def test_client_issues_lists_each_flagged_field_with_raw_value_and_label() -> None:
    raw = pl.LazyFrame(
        {
            "client_id": [1, 2],
            "name": ["Ana", "Bia"],
            "document": ["000.000.000-00", "111.444.777-35"],
            "phone": ["11 1234-5678", None],
            "city": ["Natal", "Lugar Nenhum"],
        }
    )
    got = client_issues(raw, normalized_clients(raw)).collect()
    want = pl.DataFrame(
        [
            (1, "document", "000.000.000-00", "cpf_invalido", "CPF inválido"),
            (1, "phone", "11 1234-5678", "telefone_invalido", "Telefone inválido"),
            (2, "city", "Lugar Nenhum", "cidade_nao_reconhecida", "Cidade não reconhecida"),
        ],
        schema=clean.ISSUES_SCHEMA,
        orient="row",
    )
    assert_frame_equal(got, want)


def test_every_issue_code_has_a_label() -> None:
    assert set(ISSUE_LABELS) == {issue.value for issue in CleanIssue}
