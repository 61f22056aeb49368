"""services.imports.import_file: each importer rule, on small fixture files and real SQLite."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from carteira_tui.services import imports
from carteira_tui.services.imports import ImportFailed, import_file
from carteira_tui.store import aggregates as aggregates_store
from carteira_tui.store.clients import read_clients
from carteira_tui.store.db import connect, generation

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A private copy of the fixture files (rejects files are written next to them)."""
    target = tmp_path / "files"
    shutil.copytree(FIXTURES, target)
    return target


def _count(db_path: Path, table: str) -> int:
    with connect(db_path) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _seeded(db_path: Path, files: Path) -> None:
    report = import_file(db_path, "clients", files / "clientes_cp1252.csv")
    assert report.inserted == 3 and not report.errors


def test_cp1252_semicolon_csv_with_accented_headers_imports_every_field(
    db_path: Path, files: Path
) -> None:
    report = import_file(db_path, "clients", files / "clientes_cp1252.csv")
    assert (report.read, report.inserted, report.updated, report.rejected) == (3, 3, 0, 0)
    with connect(db_path) as db:
        frame = read_clients(db)
        owners = dict(db.execute("SELECT name, id FROM owners").fetchall())
    first = frame.row(0, named=True)
    assert first["external_id"] == "C001"
    assert first["name"] == "José da Silva"
    assert first["city"] == "São Paulo"
    assert first["uf"] == "SP"
    assert first["cep"] == "01310100"
    assert first["birth_date"] == date(1980, 3, 15)
    assert first["owner_id"] == owners["Ana Souza"]
    assert (first["delinquent"], first["consent_whatsapp"], first["children"]) == (0, 1, 2)
    assert frame["delinquent"].to_list() == [0, 1, 0]
    assert frame["birth_date"].to_list()[2] == date(1975, 12, 1)
    assert set(owners) == {"Ana Souza", "Bruno Lima"}


def test_utf8_bom_csv_with_english_headers(db_path: Path, files: Path) -> None:
    report = import_file(db_path, "clients", files / "clients_utf8_bom.csv")
    assert report.inserted == 2
    with connect(db_path) as db:
        frame = read_clients(db)
    assert frame["name"].to_list() == ["Açaí do Norte", "Zé Mané"]
    assert frame["opt_out"].to_list() == [1, 0]
    assert frame["tags"].to_list() == ["vip, norte", None]
    assert frame["birth_date"].to_list() == [date(1990, 7, 4), date(1985, 7, 4)]


def test_clients_are_updated_by_external_id_only_in_columns_present(
    db_path: Path, files: Path
) -> None:
    _seeded(db_path, files)
    update = files / "atualiza.csv"
    update.write_text("codigo;cidade\nC001;Campinas\nC004;Santos\n", encoding="utf-8")
    report = import_file(db_path, "clients", update)
    assert (report.inserted, report.updated) == (1, 1)
    with connect(db_path) as db:
        frame = read_clients(db).sort("id")
        assert generation(db) == 2
    assert frame.select("external_id", "name", "city", "generation").rows() == [
        ("C001", "José da Silva", "Campinas", 2),
        ("C002", "Padaria Pão Quente Ltda", "Niterói", 1),
        ("C003", "Maria Conceição", "Belo Horizonte", 1),
        ("C004", "", "Santos", 2),
    ]


def test_orders_import_decimal_comma_and_recomputes_touched_aggregates(
    db_path: Path, files: Path
) -> None:
    _seeded(db_path, files)
    report = import_file(db_path, "orders", files / "pedidos_cp1252.csv")
    assert (report.read, report.inserted, report.rejected) == (4, 4, 0)
    with connect(db_path) as db:
        aggregates = aggregates_store.read_aggregates(db).sort("client_id").rows()
        stamps = db.execute("SELECT DISTINCT generation FROM client_aggregates").fetchall()
        assert generation(db) == 2
    # C001: 1.234,56 + 99,90 + 0,10 on 05/01 and twice on 20/02; C002: 10,00 on 10/03.
    assert aggregates == [
        (1, date(2024, 1, 5), date(2024, 2, 20), 3, 133456, 2),
        (2, date(2024, 3, 10), date(2024, 3, 10), 1, 1000, 1),
    ]
    assert stamps == [(2,)]


def test_second_orders_import_touches_only_its_clients(db_path: Path, files: Path) -> None:
    _seeded(db_path, files)
    import_file(db_path, "orders", files / "pedidos_cp1252.csv")
    more = files / "mais.csv"
    more.write_text("cliente,data,valor\nC001,01/06/2024,1,00\n".replace(",1,00", ',"1,00"'))
    import_file(db_path, "orders", more)
    with connect(db_path) as db:
        rows = db.execute(
            "SELECT client_id, frequency, monetary_cents, generation FROM client_aggregates"
            " ORDER BY client_id"
        ).fetchall()
        incremental = aggregates_store.read_aggregates(db).sort("client_id")
        aggregates_store.rebuild_all(db)
        rebuilt = aggregates_store.read_aggregates(db).sort("client_id")
    assert rows == [(1, 4, 133556, 3), (2, 1, 1000, 2)]
    assert incremental.equals(rebuilt)


def test_xlsx_first_sheet_and_named_sheet(db_path: Path, files: Path) -> None:
    _seeded(db_path, files)
    first = import_file(db_path, "orders", files / "pedidos.xlsx")
    other = import_file(db_path, "orders", files / "pedidos.xlsx", sheet="Outra")
    assert (first.inserted, other.inserted) == (3, 1)
    with connect(db_path) as db:
        rows = db.execute(
            "SELECT external_id, date, amount_cents FROM orders ORDER BY external_id"
        ).fetchall()
    assert rows == [
        ("X1", "2024-04-01", 15050),
        ("X2", "2024-04-02", 2000),
        ("X3", "2024-04-03", 100000),
        ("Y1", "2024-05-01", 500),
    ]


def test_every_bad_row_is_reported_and_nothing_is_written(db_path: Path, files: Path) -> None:
    _seeded(db_path, files)
    import_file(db_path, "orders", files / "pedidos_cp1252.csv")
    before = _count(db_path, "orders")
    report = import_file(db_path, "orders", files / "pedidos_ruins.csv")
    assert [str(e) for e in report.errors] == [
        "pedidos_ruins.csv:3: Código do Cliente: cliente desconhecido: C999",
        "pedidos_ruins.csv:4: Data do Pedido: data inválida: '31/02/2024'",
        "pedidos_ruins.csv:5: Valor Total: valor em dinheiro inválido: 'abc'",
        "pedidos_ruins.csv:6: Nº Pedido: pedido repetido no arquivo (já na linha 2)",
        "pedidos_ruins.csv:7: colunas: número de colunas errado (4 em vez de 5)",
        "pedidos_ruins.csv:8: Código do Cliente: campo obrigatório vazio",
    ]
    assert (report.read, report.inserted, report.rejected, report.written) == (8, 0, 6, False)
    assert _count(db_path, "orders") == before
    assert report.rejects_path is None


def test_order_id_already_in_database_is_rejected(db_path: Path, files: Path) -> None:
    _seeded(db_path, files)
    import_file(db_path, "orders", files / "pedidos_cp1252.csv")
    again = files / "de_novo.csv"
    again.write_text("pedido;cliente;data;valor\nP2;C002;01/06/2024;5\nP9;C002;01/06/2024;5\n")
    report = import_file(db_path, "orders", again)
    assert [str(e) for e in report.errors] == [
        "de_novo.csv:2: pedido: pedido P2 já existe no banco"
    ]


def test_skip_bad_imports_good_rows_and_writes_rejects_file(db_path: Path, files: Path) -> None:
    _seeded(db_path, files)
    report = import_file(db_path, "orders", files / "pedidos_ruins.csv", skip_bad=True)
    assert (report.inserted, report.rejected, report.written) == (2, 6, True)
    assert report.rejects_path == files / "pedidos_ruins.rejeitados.csv"
    rejects = pl.read_csv(report.rejects_path, separator=";", infer_schema=False)
    assert rejects["linha_planilha"].to_list() == ["3", "4", "5", "6", "7", "8"]
    assert rejects["Nº Pedido"].to_list() == ["P11", "P12", "P13", "P10", "P14", "P15"]
    assert rejects["motivo"][2] == "Valor Total: valor em dinheiro inválido: 'abc'"
    with connect(db_path) as db:
        assert db.execute("SELECT external_id FROM orders ORDER BY id").fetchall() == [
            ("P10",),
            ("P16",),
        ]


def test_skip_bad_with_rejects_path(db_path: Path, files: Path, tmp_path: Path) -> None:
    _seeded(db_path, files)
    target = tmp_path / "saida" / "ruins.csv"
    target.parent.mkdir()  # a missing folder is refused, never created (Trust)
    report = import_file(
        db_path, "orders", files / "pedidos_ruins.csv", skip_bad=True, rejects_path=target
    )
    assert report.rejects_path == target and target.exists()


def test_dry_run_reports_without_writing(db_path: Path, files: Path) -> None:
    report = import_file(db_path, "clients", files / "clientes_cp1252.csv", dry_run=True)
    assert (report.read, report.inserted, report.dry_run) == (3, 3, True)
    assert _count(db_path, "clients") == 0
    with connect(db_path) as db:
        assert generation(db) == 0
    assert report.summary.startswith("simulação (nada gravado)")


def test_interactions_reference_clients(db_path: Path, files: Path) -> None:
    _seeded(db_path, files)
    report = import_file(db_path, "interactions", files / "interacoes.csv")
    assert report.inserted == 2
    with connect(db_path) as db:
        rows = db.execute(
            "SELECT client_id, at, kind, who FROM interactions ORDER BY id"
        ).fetchall()
    assert rows == [
        (1, "2024-01-05T14:30:00", "ligação", "Ana Souza"),
        (2, "2024-01-06T09:15:00", "mensagem", "Bruno Lima"),
    ]


def test_duplicated_client_code_in_file_is_rejected(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "dup.csv"
    source.write_text("codigo,nome\nA,Um\nB,Dois\nA,Três\n")
    report = import_file(db_path, "clients", source)
    assert [str(e) for e in report.errors] == [
        "dup.csv:4: codigo: código de cliente repetido no arquivo (já na linha 2)"
    ]


def test_map_overrides_a_header(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "map.csv"
    source.write_text("Chave;Apelido\nK1;Fulano\n")
    report = import_file(
        db_path, "clients", source, mapping={"Chave": "external_id", "Apelido": "name"}
    )
    assert report.inserted == 1


def test_a_failure_halfway_leaves_the_database_as_it_was(
    db_path: Path, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seeded(db_path, files)

    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("disco cheio")

    monkeypatch.setattr(imports.aggregates_store, "write_aggregates", broken)
    with pytest.raises(RuntimeError, match="disco cheio"):
        import_file(db_path, "orders", files / "pedidos_cp1252.csv")
    assert _count(db_path, "orders") == 0
    assert _count(db_path, "client_aggregates") == 0
    with connect(db_path) as db:
        assert generation(db) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nao_existe.csv", None, "arquivo não encontrado"),
        ("dados.json", "{}", "formato desconhecido .json"),
        ("vazio.csv", "", "arquivo vazio"),
        ("quebrado.xlsx", "isto não é xlsx", "arquivo ilegível"),
        ("sem_cliente.csv", "data;valor\n01/01/2024;1\n", "coluna obrigatória ausente"),
    ],
)
def test_unreadable_files_fail_with_one_message(
    db_path: Path, tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(ImportFailed, match=message):
        import_file(db_path, "orders", path)


def test_xlsx_written_with_xlsxwriter_keeps_text_cells(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "clientes.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Código", "Nome", "CEP", "Filhos"])
    sheet.write_row(1, 0, ["001", "Ana", "01310-100", 2])
    workbook.close()
    report = import_file(db_path, "clients", path)
    assert report.inserted == 1
    with connect(db_path) as db:
        row = read_clients(db).select("external_id", "cep", "children").row(0)
    assert row == ("001", "01310100", 2)


def test_archived_flag_sets_and_clears_archived_at(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "arquivo.csv"
    source.write_text("codigo;arquivado\nA;sim\nB;não\n")
    import_file(db_path, "clients", source)
    with connect(db_path) as db:
        stamped = read_clients(db)["archived_at"].is_not_null().to_list()
    assert stamped == [True, False]
    source.write_text("codigo;arquivado\nA;não\n")
    import_file(db_path, "clients", source)
    with connect(db_path) as db:
        assert read_clients(db)["archived_at"].to_list() == [None, None]


def test_blank_lines_are_skipped_and_row_numbers_kept(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "brancos.csv"
    source.write_text("codigo;nome;filhos\nA;Um;1\n\nB;Dois;três\n;;\n")
    report = import_file(db_path, "clients", source)
    assert report.read == 2
    assert [str(e) for e in report.errors] == [
        "brancos.csv:4: filhos: número inteiro inválido: 'três'"
    ]


def test_every_import_leaves_one_audit_row(db_path: Path, tmp_path: Path) -> None:
    from carteira_tui.store.audit import read_audit
    from carteira_tui.store.db import connect as connect_db

    source = tmp_path / "c.csv"
    source.write_text("Código;Nome\nC1;Ana\nC2;Bia\n", encoding="utf-8")
    import_file(db_path, "clients", source)
    with connect_db(db_path) as db:
        trail = read_audit(db)
    assert trail.select("action", "entity").rows() == [("importar", "clients")]
    assert "importadas 2" in trail["summary"][0]
