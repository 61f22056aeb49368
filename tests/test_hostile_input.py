"""Hostile input: fuzzing the importers and the filter language.

Random bytes, wrong encodings, 10,000-column rows, 1 MB fields, formula-looking and SQL-looking
cells must each end in a clear message (`ImportFailed`, `FilterError`, a report with row errors)
or a correct import: never a traceback, never a partial write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from carteira_tui.config import Settings
from carteira_tui.engine.filters import FilterError, compile_filter, describe_fields
from carteira_tui.services.imports import ImportFailed, ImportReport, import_file
from carteira_tui.services.segmentation import resegment
from carteira_tui.store.db import connect

FUZZ = hsettings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TABLES = ("clients", "orders", "interactions", "owners", "client_aggregates", "audit", "meta")
AS_OF = date(2026, 11, 23)

HEADERS = {
    "clients": ["codigo", "nome", "cpf", "email", "telefone", "nascimento", "uf", "cep", "filhos"],
    "orders": ["pedido", "cliente", "data", "valor", "canal"],
    "interactions": ["cliente", "data", "canal", "resultado", "observacao"],
}
NASTY_CELLS = [
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "'); DROP TABLE clients; --",
    "1' OR '1'='1",
    'Robert"); DELETE FROM orders;--',
    "\x00",
    "\u202eevil",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀",
    "1e309",
    "99999999999999999999999,99",
    "-0,00",
    "31/02/2026",
    "0000-00-00",
    "",
    " ",
    ";;;",
    '"',
    '""""',
    "\r\n",
    "C1",
]


def _fingerprint(db_path: Path) -> str:
    """A digest of every row of the tables an import can touch."""
    digest = hashlib.sha256()
    with connect(db_path) as db:
        for table in TABLES:
            for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def base(db_path: Path, tmp_path: Path) -> Path:
    """A database with two clients and one order, to which fuzzed files are imported."""
    (tmp_path / "c.csv").write_text("codigo;nome\nC1;Ana\nC2;Bia\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text("pedido;cliente;data;valor\nP1;C1;01/02/2026;10,00\n")
    assert import_file(db_path, "clients", tmp_path / "c.csv").written
    assert import_file(db_path, "orders", tmp_path / "p.csv").written
    return db_path


def _import_is_clean(db_path: Path, kind: str, path: Path, *, skip_bad: bool = False) -> str:
    """Import and check the contract; returns how it ended ("falhou", "recusado", "gravado")."""
    before = _fingerprint(db_path)
    try:
        report: ImportReport = import_file(db_path, kind, path, skip_bad=skip_bad)
    except ImportFailed as error:
        assert str(error).strip() and "Traceback" not in str(error)
        assert _fingerprint(db_path) == before
        return "falhou"
    if not report.written:
        assert report.errors, "an import that writes nothing must say why"
        assert _fingerprint(db_path) == before
        for error in report.errors:
            assert str(error).startswith(f"{path.name}:")
        return "recusado"
    assert report.inserted + report.updated + report.rejected == report.read
    return "gravado"


# --- random bytes and encodings ---------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=2_000), kind=st.sampled_from(sorted(HEADERS)))
def test_random_bytes_end_in_a_message_and_change_nothing(
    base: Path, tmp_path: Path, data: bytes, kind: str
) -> None:
    path = tmp_path / "lixo.csv"
    path.write_bytes(data)
    _import_is_clean(base, kind, path)


@FUZZ
@given(
    data=st.binary(min_size=1, max_size=2_000),
    suffix=st.sampled_from([".xlsx", ".xls", ".ods", ".xlsm"]),
)
def test_random_bytes_as_a_spreadsheet_fail_with_a_message(
    base: Path, tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"lixo{suffix}"
    path.write_bytes(data)
    assert _import_is_clean(base, "clients", path) == "falhou"


cells = st.one_of(st.sampled_from(NASTY_CELLS), st.text(max_size=30))


@FUZZ
@given(
    kind=st.sampled_from(sorted(HEADERS)),
    rows=st.lists(st.lists(cells, min_size=1, max_size=7), max_size=8),
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]),
    skip_bad=st.booleans(),
)
def test_structured_files_with_hostile_cells_import_or_report(
    base: Path,
    tmp_path: Path,
    kind: str,
    rows: list[list[str]],
    separator: str,
    encoding: str,
    skip_bad: bool,
) -> None:
    lines = [separator.join(HEADERS[kind]), *(separator.join(row) for row in rows)]
    text = "\n".join(lines) + "\n"
    path = tmp_path / "hostil.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _import_is_clean(base, kind, path, skip_bad=skip_bad)


# --- sizes ---------------------------------------------------------------------------------------


def test_a_row_of_ten_thousand_columns_is_reported_not_imported(base: Path, tmp_path: Path) -> None:
    path = tmp_path / "largo.csv"
    wide = ";".join(["C9", "Nome"] + ["x"] * 9_998)
    path.write_text(f"codigo;nome\n{wide}\nC8;Ok\n", encoding="utf-8")
    assert _import_is_clean(base, "clients", path) == "recusado"
    report = import_file(base, "clients", path)
    assert [str(e) for e in report.errors] == [
        "largo.csv:2: colunas: número de colunas errado (10000 em vez de 2)"
    ]


def test_a_header_of_ten_thousand_columns_imports_the_known_ones(
    base: Path, tmp_path: Path
) -> None:
    path = tmp_path / "cabecalho.csv"
    header = ";".join(["codigo", "nome"] + [f"extra{i}" for i in range(9_998)])
    row = ";".join(["C9", "Nova"] + ["x"] * 9_998)
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    outcome = _import_is_clean(base, "clients", path)
    if outcome == "gravado":
        with connect(base) as db:
            assert db.execute("SELECT name FROM clients WHERE external_id = 'C9'").fetchone() == (
                "Nova",
            )


def test_a_one_megabyte_field_is_imported_whole_or_reported(base: Path, tmp_path: Path) -> None:
    big = "A" * 1_000_000
    path = tmp_path / "grande.csv"
    path.write_text(f"codigo;nome;observacoes\nC9;Nova;{big}\n", encoding="utf-8")
    outcome = _import_is_clean(base, "clients", path)
    assert outcome == "gravado"
    with connect(base) as db:
        stored = db.execute("SELECT notes FROM clients WHERE external_id = 'C9'").fetchone()[0]
    assert stored == big


def test_a_one_megabyte_amount_is_a_row_error(base: Path, tmp_path: Path) -> None:
    path = tmp_path / "valor.csv"
    path.write_text(f"pedido;cliente;data;valor\nP9;C1;01/02/2026;{'9' * 1_000_000}\n")
    assert _import_is_clean(base, "orders", path) == "recusado"


# --- formula-looking and SQL-looking text ---------------------------------------------------------


def test_formula_and_sql_looking_cells_are_stored_as_plain_text(base: Path, tmp_path: Path) -> None:
    nasty = ["=cmd|' /C calc'!A0", "'); DROP TABLE clients; --", "@SUM(1)", "1' OR '1'='1"]
    quoted = ['"' + text.replace('"', '""') + '"' for text in nasty]
    rows = "\n".join(f"X{i};{text}" for i, text in enumerate(quoted))
    path = tmp_path / "formulas.csv"
    path.write_text(f"codigo;nome\n{rows}\n", encoding="utf-8")
    assert _import_is_clean(base, "clients", path) == "gravado"
    with connect(base) as db:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM clients WHERE external_id LIKE 'X%' ORDER BY external_id"
            ).fetchall()
        ]
        assert db.execute("SELECT count(*) FROM clients").fetchone() == (2 + len(nasty),)
    assert names == nasty


# --- the filter language --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pl.DataFrame]:
    """A real segmentation result with a prospect (nulls everywhere) and two buyers."""
    folder = tmp_path_factory.mktemp("filtros")
    db_path = folder / "f.db"
    (folder / "c.csv").write_text(
        "codigo;nome;uf;cpf;etiquetas\nC1;Ana;SP;529.982.247-25;vip\nC2;Bia;;;\nC3;Caio;RJ;;x\n"
    )
    (folder / "p.csv").write_text(
        "pedido;cliente;data;valor\nP1;C1;01/02/2026;10,00\nP2;C1;01/05/2026;30,00\n"
        "P3;C3;01/10/2025;5,00\n"
    )
    assert import_file(db_path, "clients", folder / "c.csv").written
    assert import_file(db_path, "orders", folder / "p.csv").written
    yield resegment(db_path, as_of=AS_OF, settings=Settings()).frame


FIELD_NAMES = sorted({name for info in describe_fields() for name in info.names})
TOKENS = [
    *FIELD_NAMES,
    *("=", "==", "!=", "<>", "<", "<=", ">", ">=", "~", "in", "not", "não", "and", "e", "or"),
    *("ou", "has", "is", "é", "null", "vazio", "(", ")", ",", "hoje", "+", "-", "dias", "anos"),
    *("1.234,56", "1234.56", "0", "-1", "9" * 400, "1e309", "NaN", "31/02/2026", "2026-13-01"),
    *("01/01/0001", "31/12/9999", "'", '"', "'x'", '"SP"', "ativo", "A", "Campeões", "%", "_"),
    *("'); DROP TABLE clients; --", "=cmd|' /C calc'!A0", "\\", "\x00", "hoje - 999999999 anos"),
]


def _filter_is_clean(text: str, frame: pl.DataFrame) -> None:
    try:
        expression = compile_filter(text, as_of=AS_OF, schema=dict(frame.schema))
    except FilterError as error:
        assert error.message and 1 <= error.column <= max(len(text), 0) + 1
        return
    selected = frame.filter(expression)
    assert selected.height <= frame.height


@hsettings(max_examples=400, deadline=None)
@given(text=st.text(max_size=60))
def test_random_filter_text_compiles_or_is_a_filter_error(results: pl.DataFrame, text: str) -> None:
    _filter_is_clean(text, results)


@hsettings(max_examples=600, deadline=None)
@given(tokens=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=9))
def test_token_soup_filters_compile_or_are_filter_errors(
    results: pl.DataFrame, tokens: list[str]
) -> None:
    _filter_is_clean(" ".join(tokens), results)


def test_deeply_nested_and_very_long_filters_are_filter_errors_or_work(
    results: pl.DataFrame,
) -> None:
    _filter_is_clean("(" * 5_000 + "status = ativo" + ")" * 5_000, results)
    _filter_is_clean("not " * 5_000 + "inadimplente", results)
    _filter_is_clean(" or ".join(["status = ativo"] * 2_000), results)
    _filter_is_clean("nome ~ '" + "a" * 9_900 + "'", results)
    _filter_is_clean("tags has '" + "(" * 9_900 + "'", results)


def test_a_one_megabyte_filter_is_a_filter_error_not_a_regex_crash(results: pl.DataFrame) -> None:
    for text in ("nome ~ '" + "a" * 1_000_000 + "'", "tags has '" + "x" * 1_000_000 + "'"):
        with pytest.raises(FilterError, match="filtro longo demais"):
            compile_filter(text, as_of=AS_OF, schema=dict(results.schema))


def test_excel_unicode_text_utf16_with_tabs_imports(base: Path, tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("codigo\tnome\tcidade\r\nU1\tJoão Ávila\tSão Paulo\r\n".encode("utf-16"))
    assert _import_is_clean(base, "clients", path) == "gravado"
    with connect(base) as db:
        row = db.execute("SELECT name, city FROM clients WHERE external_id = 'U1'").fetchone()
    assert row == ("João Ávila", "São Paulo")


def test_a_spreadsheet_with_formulas_and_hostile_text_imports_or_reports(
    base: Path, tmp_path: Path
) -> None:
    path = tmp_path / "hostil.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["codigo", "nome", "observacoes", "filhos"])
    sheet.write_row(1, 0, ["X1", "=cmd|' /C calc'!A0", "A" * 30_000, "2"])
    sheet.write_row(2, 0, ["X2", "'); DROP TABLE clients; --", "ok", "muitos"])
    sheet.write_formula(3, 0, '="X"&"3"', None, "X3")
    sheet.write_row(3, 1, ["Fórmula", "", "1"])
    workbook.close()
    assert _import_is_clean(base, "clients", path) == "recusado"
    report = import_file(base, "clients", path, skip_bad=True)
    assert [str(e) for e in report.errors] == [
        "hostil.xlsx:3: filhos: número inteiro inválido: 'muitos'"
    ]
    with connect(base) as db:
        rows = db.execute(
            "SELECT external_id, name, length(notes) FROM clients WHERE external_id LIKE 'X%'"
            " ORDER BY external_id"
        ).fetchall()
    assert rows == [("X1", "=cmd|' /C calc'!A0", 30_000), ("X3", "Fórmula", None)]
