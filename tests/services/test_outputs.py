"""services.outputs: the one CSV/XLSX writer's neutralising, phones and convention."""

from __future__ import annotations

from datetime import date

import polars as pl

from carteira_tui.model import terminal_safe
from carteira_tui.services.outputs import neutralize_formulas, table_text


def test_text_that_starts_a_formula_gets_an_apostrophe_numbers_do_not() -> None:
    frame = pl.DataFrame(
        {
            "name": ["=1+1", "  =cmd", "+x", "-y", "@z", "\tt", "Ana", None],
            "monetary": [-184.93, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        }
    )
    out = neutralize_formulas(frame)
    assert out["name"].to_list() == ["'=1+1", "'  =cmd", "'+x", "'-y", "'@z", "'\tt", "Ana", None]
    assert out["monetary"].to_list() == frame["monetary"].to_list()
    assert "-184,93" in table_text(out)


def test_brazilian_phones_are_written_in_national_form() -> None:
    phones = ["+55 34 96400-9897", "(92) 4656-7351", "5511999990000", "+1 555 0100", "=2+2"]
    out = neutralize_formulas(pl.DataFrame({"phone": phones}))
    assert out["phone"].to_list() == [
        "(34) 96400-9897",
        "(92) 4656-7351",
        "(11) 99999-0000",
        "'+1 555 0100",
        "'=2+2",
    ]


def test_one_convention_for_people_and_plain_for_machines() -> None:
    frame = pl.DataFrame({"d": [date(2026, 6, 30)], "v": [1234.5], "t": ["a"]})
    assert table_text(frame) == "d;v;t\n30/06/2026;1234,5;a\n"
    assert table_text(frame, plain=True) == "d,v,t\n2026-06-30,1234.5,a\n"


def test_terminal_safe_removes_title_clipboard_and_clear_sequences() -> None:
    text = "Ana\x1b]0;pwned\x07 \x1b]52;c;cHduZWQ=\x07X\x1b[2J\x9b2J\x00!\nfim\tok"
    assert terminal_safe(text) == "Ana X!\nfim\tok"
    assert terminal_safe("a\nb", newlines=False) == "ab"
    assert terminal_safe("Zé Ñ €") == "Zé Ñ €"
