"""model: money and date formatting, and the masking of personal fields."""

from __future__ import annotations

from carteira_tui.model import cents_to_brl, format_date_br, mask_value


def test_money_is_brazilian_reais() -> None:
    assert cents_to_brl(123456) == "R$ 1.234,56"
    assert cents_to_brl(-100) == "-R$ 1,00"
    assert cents_to_brl(5) == "R$ 0,05"
    assert cents_to_brl(None) == "—"


def test_dates_are_dd_mm_aaaa() -> None:
    assert format_date_br("2026-04-21") == "21/04/2026"
    assert format_date_br("2026-04-21T10:00:00") == "21/04/2026"


def test_masking_keeps_only_the_tail_of_documents_and_phones() -> None:
    assert mask_value("document", "123.456.789-09") == "***.***.***-09"
    assert mask_value("phone", "+55 11 99999-1234") == "+** ** *****-1234"
    assert mask_value("email", "ana.souza@exemplo.com.br") == "a***@exemplo.com.br"
    assert mask_value("birth_date", "21/04/1980") == "**/04/****"
    assert mask_value("name", "Ana Souza") == "Ana Souza"
    assert mask_value("document", "—") == "—"


def test_numbers_are_written_the_brazilian_way() -> None:
    from carteira_tui.model import format_count, format_decimal, format_percent, format_seconds

    assert format_count(1_000_000) == "1.000.000"
    assert format_decimal(1030.5) == "1.030,50"
    assert format_decimal(-1026.04, 1) == "-1.026,0"
    assert format_percent(0.616) == "61,6%"
    assert format_percent(0.8, 0) == "80%"
    assert format_seconds(0.44) == "0,4 s"


def test_moments_are_dd_mm_aaaa_hh_mm() -> None:
    from carteira_tui.model import format_moment_br

    assert format_moment_br("2026-11-23T14:22:24") == "23/11/2026 14:22"
    assert format_moment_br("2026-11-23") == "23/11/2026"
    assert format_moment_br(None) == "—"
