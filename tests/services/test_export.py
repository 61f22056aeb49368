"""Export on a real database: CSV (pt-BR, neutralised formulas), XLSX and JSON; filters and sort."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from carteira_tui.config import Settings
from carteira_tui.services import export
from carteira_tui.services.export import ExportError
from carteira_tui.services.imports import import_file
from carteira_tui.services.segmentation import resegment

SETTINGS = Settings()
AS_OF = date(2026, 11, 23)

CLIENTS = (
    "Código;Nome;Telefone;E-mail;Cidade;UF;Aceita contato\n"
    'c1;"=HYPERLINK(""http://x"")";;;São Paulo;SP;Sim\n'
    "c2;Beta;+55 11 99999-0000;;Recife;PE;Sim\n"
    "c3;Gama;;@gama.com;Recife;PE;Sim\n"
)
ORDERS = (
    "Pedido;Código do cliente;Data;Valor\n"
    "1;c1;10/11/2026;1.234,56\n"
    "2;c2;01/06/2026;100,00\n"
    "3;c2;01/09/2026;50,50\n"
)


@pytest.fixture
def seeded(db_path: Path, tmp_path: Path) -> Path:
    (tmp_path / "clientes.csv").write_text(CLIENTS, encoding="utf-8")
    (tmp_path / "pedidos.csv").write_text(ORDERS, encoding="utf-8")
    assert import_file(db_path, "clients", tmp_path / "clientes.csv").written
    assert import_file(db_path, "orders", tmp_path / "pedidos.csv").written
    resegment(db_path, as_of=AS_OF, settings=SETTINGS)
    return db_path


def test_csv_is_semicolon_decimal_comma_dd_mm_aaaa_with_a_bom(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "saida.csv"
    result = export.export_clients(
        seeded, output=out, settings=SETTINGS, sort_column="monetary_cents", descending=True
    )
    assert (result.rows, result.format, result.stale) == (3, "csv", False)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pl.read_csv(out, separator=";", infer_schema=False)
    assert frame["client_id"].to_list() == ["c1", "c2", "c3"]
    assert frame["monetary"].to_list() == ["1234,56", "150,5", None]
    assert frame["last_purchase"].to_list() == ["10/11/2026", "01/09/2026", None]
    assert frame["recency_days"].to_list() == ["13", "83", None]


def test_csv_cells_that_start_a_formula_get_an_apostrophe(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "saida.csv"
    export.export_clients(seeded, output=out, settings=SETTINGS)
    frame = pl.read_csv(out, separator=";", infer_schema=False).sort("client_id")
    assert frame["name"].to_list() == ['\'=HYPERLINK("http://x")', "Beta", "Gama"]
    assert frame["phone"].to_list()[1] == "(11) 99999-0000"  # national form, no formula
    assert frame["email"].to_list()[2] == "'@gama.com"


def test_xlsx_keeps_numbers_and_neutralises_formulas(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "saida.xlsx"
    result = export.export_clients(seeded, output=out, settings=SETTINGS, where="frequency >= 1")
    assert result.rows == 2
    sheet = pl.read_excel(out, sheet_name="clientes").sort("client_id")
    assert sheet["name"].to_list() == ['\'=HYPERLINK("http://x")', "Beta"]
    assert sheet["monetary"].to_list() == [1234.56, 150.5]
    assert sheet["frequency"].to_list() == [1, 2]


def test_json_keeps_the_text_as_is_with_iso_dates(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "saida.json"
    export.export_clients(seeded, output=out, settings=SETTINGS, where="status = prospect")
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [r["client_id"] for r in rows] == ["c3"]
    assert rows[0]["email"] == "@gama.com"
    out_all = tmp_path / "todos.json"
    export.export_clients(seeded, output=out_all, settings=SETTINGS, where="client_id = c1")
    first = json.loads(out_all.read_text(encoding="utf-8"))[0]
    assert first["name"] == '=HYPERLINK("http://x")'
    assert first["last_purchase"] == "2026-11-10"


def test_a_given_frame_is_exported_instead_of_the_stored_result(
    seeded: Path, tmp_path: Path
) -> None:
    frame = pl.DataFrame({"client_id": ["z9"], "name": ["-menos"], "monetary_cents": [5]})
    out = tmp_path / "view.csv"
    result = export.export_clients(seeded, output=out, settings=SETTINGS, frame=frame)
    assert result.rows == 1
    assert pl.read_csv(out, separator=";")["name"].to_list() == ["'-menos"]


def test_a_bad_filter_says_where_and_writes_nothing(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "saida.csv"
    with pytest.raises(ExportError, match="filtro inválido, coluna"):
        export.export_clients(seeded, output=out, settings=SETTINGS, where="abc = = A")
    assert not out.exists()


def test_an_unknown_suffix_is_refused(seeded: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="formato desconhecido"):
        export.export_clients(seeded, output=tmp_path / "x.pdf", settings=SETTINGS)


def test_without_a_segmentation_the_export_asks_for_one(db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="carteira segment"):
        export.export_clients(db_path, output=tmp_path / "x.csv", settings=SETTINGS)


def test_neutralize_formulas_leaves_other_text_and_numbers_alone() -> None:
    frame = pl.DataFrame({"t": ["=1+1", "a=b", "\tx", None, "-"], "n": [-1, 2, 3, 4, 5]})
    out = export.neutralize_formulas(frame)
    assert out["t"].to_list() == ["'=1+1", "a=b", "'\tx", None, "'-"]
    assert out["n"].to_list() == [-1, 2, 3, 4, 5]


def test_contacts_without_consent_leave_blank(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "clientes.csv").write_text(
        "Código;Nome;Telefone;E-mail;Aceita contato\n"
        "c1;Ana;11 99999-0000;ana@x.com.br;Sim\n"
        "c2;Bia;11 98888-0000;bia@x.com.br;Não\n"
        "c3;Cid;11 97777-0000;cid@x.com.br;\n",
        encoding="utf-8",
    )
    assert import_file(db_path, "clients", tmp_path / "clientes.csv").written
    resegment(db_path, as_of=AS_OF, settings=SETTINGS)
    out = tmp_path / "saida.json"
    export.export_clients(db_path, output=out, settings=SETTINGS, sort_column="client_id")
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["email"], r["phone"]) for r in rows] == [
        ("ana@x.com.br", "11 99999-0000"),
        (None, None),
        (None, None),
    ]
