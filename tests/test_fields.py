"""The field registry: one declaration per field, read the same way everywhere."""

from __future__ import annotations

import pytest

from carteira_tui.engine.parsing import HeaderError, match_headers
from carteira_tui.fields import FIELDS, field, header_key, is_valid, tag_list, yes_no


@pytest.mark.parametrize(
    ("kind", "header", "name"),
    [
        ("orders", "Valor Total (R$)", "amount"),
        ("orders", "Vlr. Total", "amount"),
        ("orders", "Data da Venda", "date"),
        ("orders", "Dt. Emissão", "date"),
        ("orders", "Nº do Pedido", "external_id"),
        ("orders", "N° Pedido", "external_id"),
        ("orders", "Nº NF", "external_id"),
        ("orders", "Código do Cliente", "client_external_id"),
        ("orders", "Cód. Cliente", "client_external_id"),
        ("clients", "Código do Cliente", "external_id"),
        ("clients", "Cód. Cliente", "external_id"),
        ("clients", "Razão Social", "name"),
        ("clients", "CPF/CNPJ", "document"),
        ("clients", "Celular/WhatsApp", "phone"),
        ("clients", "E-mail", "email"),
        ("clients", "Aceita E-mail", "consent_email"),
        ("clients", "DATA DE NASCIMENTO", "birth_date"),
        ("interactions", "Data/Hora", "at"),
    ],
)
def test_headers_as_offices_write_them(kind: str, header: str, name: str) -> None:
    assert {header_key(alias) for alias in field(kind, name).aliases} >= {header_key(header)}


def test_no_two_fields_of_a_kind_share_a_header() -> None:
    for kind, specs in FIELDS.items():
        owner: dict[frozenset[str], str] = {}
        for spec in specs:
            for alias in spec.aliases:
                key = header_key(alias)
                assert owner.setdefault(key, spec.name) == spec.name, (kind, alias)


def test_two_columns_claiming_one_field_is_an_error_naming_both() -> None:
    with pytest.raises(HeaderError, match="'Valor' e 'Valor Total \\(R\\$\\)'"):
        match_headers(["Cliente", "Data", "Valor", "Valor Total (R$)"], "orders")


def test_one_email_rule_everywhere() -> None:
    email = field("clients", "email")
    assert is_valid(email, "joao@empresa.com.br")
    assert not is_valid(email, "joão@empresa.com.br")
    assert not is_valid(email, "joao@empresa")


def test_yes_no_words() -> None:
    assert [yes_no(w) for w in ("Sim", "NÃO", "x", "talvez")] == [True, False, True, None]


@pytest.mark.parametrize(
    ("email", "valid"), [("joão@empresa.com.br", False), ("joao@x.com.br", True)]
)
def test_the_card_limpeza_and_the_import_agree_on_an_email(email: str, valid: bool) -> None:
    import polars as pl

    from carteira_tui.engine.clean import email_columns
    from carteira_tui.services.clients import ClientError, normalize_value

    try:
        normalize_value("email", email)
        card = True
    except ClientError:
        card = False
    limpeza = pl.select(email_columns(pl.lit(email))).row(0, named=True)["email_issue"] is None
    registry = is_valid(field("clients", "email"), email)
    assert card == limpeza == registry == valid


def test_the_card_and_limpeza_label_a_field_as_the_registry_does() -> None:
    from carteira_tui.fields import CLIENT_RECORD_LABELS
    from carteira_tui.services import cleaning, clients

    assert clients.FIELD_LABELS["birth_date"] == field("clients", "birth_date").label
    assert cleaning.FIELD_LABELS["credit_restriction"] == "Restrição de crédito"
    assert cleaning.FIELD_LABELS["owner_id"] == "Responsável"
    names = list(CLIENT_RECORD_LABELS)
    assert "accepts_contact" not in names  # import only: it becomes the four consents
    assert names[names.index("archived") + 1] == "archived_at"
    assert names[-2:] == ["created_at", "updated_at"]
    assert names[:3] == ["external_id", "name", "document"]


@pytest.mark.parametrize("word", ["Sim", "x", "NÃO", "f"])
def test_a_filter_reads_sim_nao_as_the_import_and_the_card_do(word: str) -> None:
    from datetime import date

    import polars as pl

    from carteira_tui.engine.filters import compile_filter

    rows = pl.DataFrame({"id": [1, 2], "delinquent": [True, False]})
    expr = compile_filter(f"inadimplente = {word}", as_of=date(2025, 1, 1))
    assert rows.filter(expr)["id"].to_list() == ([1] if yes_no(word) else [2])


def test_an_export_writes_a_phone_in_national_form_under_any_registry_name_for_it() -> None:
    import polars as pl

    from carteira_tui.services.outputs import neutralize_formulas

    frame = pl.DataFrame({"Fone": ["+55 34 96400-9897"], "obs": ["+55 34 96400-9897"]})
    out = neutralize_formulas(frame).row(0)
    assert out == ("(34) 96400-9897", "'+55 34 96400-9897")


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("revenda, vip, feira 2025", ["revenda", "vip", "feira 2025"]),
        ("cliente antigo,newsletter", ["cliente antigo", "newsletter"]),
        (" vip ,, ,Vip", ["vip", "Vip"]),
        ("", []),
        (None, []),
    ],
)
def test_tags_are_read_comma_separated_stripped_without_empty_ones(
    text: str | None, tags: list[str]
) -> None:
    assert tag_list(text) == tags
