"""A big orders file takes the bulk path (indexes rebuilt, codes looked up in one pass, no
foreign-key lookups, first-day revenue from Polars): the database it leaves is the one the
row-by-row path leaves, and a failure halfway leaves the file as it was, indexes included."""

from __future__ import annotations

from pathlib import Path

import pytest

from carteira_tui.services import imports
from carteira_tui.services.imports import import_file
from carteira_tui.store import clients as clients_store
from carteira_tui.store import orders as orders_store
from carteira_tui.store.db import connect
from carteira_tui.store.forecast import refresh_first_day

CLIENTS = 40


def _clients_csv(folder: Path) -> Path:
    path = folder / "clientes.csv"
    lines = ["Código;Nome"] + [f"C{n:03d};Cliente {n}" for n in range(1, CLIENTS + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _orders_csv(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    header = "Nº do Pedido;Código do Cliente;Data do Pedido;Valor Total (R$);Canal"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="cp1252")
    return path


def _first_file() -> list[str]:
    """Numbered orders of clients 1-30 (10 clients never buy) on a few days each, some on the
    same day, a refund, and orders without a number (two identical)."""
    rows = []
    for n in range(1, 121):
        client = n % 30 + 1
        day = (n * 7) % 28 + 1
        amount = f"R$ {n * 13 % 900},{n % 100:02d}"
        rows.append(f"P{n};C{client:03d};{day:02d}/03/2024;{amount};loja")
    rows.append("P121;C005;02/04/2024;-R$ 50,00;loja")  # a refund
    rows.append(";C007;03/04/2024;10,00;site")
    rows.append(";C007;03/04/2024;10,00;site")
    return rows


def _second_file() -> list[str]:
    """New orders (one for a client who had none), a changed order moving to another client,
    and orders already stored."""
    return [
        "P5;C031;06/03/2024;R$ 65,05;loja",  # P5 moves from C006 to C031
        "P6;C007;15/03/2024;R$ 78,06;loja",  # as stored: unchanged
        "P200;C001;10/05/2024;R$ 1.000,00;site",
        "P201;C032;11/05/2024;20,00;site",
        ";C007;03/04/2024;10,00;site",  # repeats one stored row without a number
    ]


def _state(db_path: Path) -> dict[str, object]:
    with connect(db_path) as db:
        return {
            "orders": db.execute(
                "SELECT external_id, client_id, date, amount_cents, channel FROM orders"
                " ORDER BY external_id, client_id, date, amount_cents"
            ).fetchall(),
            "aggregates": db.execute(
                "SELECT client_id, first_purchase, last_purchase, frequency, monetary_cents,"
                " purchase_days FROM client_aggregates ORDER BY client_id"
            ).fetchall(),
            "first_day": db.execute(
                "SELECT client_id, first_day_cents FROM client_first_day ORDER BY client_id"
            ).fetchall(),
            "indexes": db.execute(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'orders' ORDER BY name"
            ).fetchall(),
        }


def _bulk(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every orders file of these tests take the bulk path; returns the tables whose
    indexes were rebuilt, one entry per rebuild."""
    monkeypatch.setattr(orders_store, "BULK_MIN_ROWS", 1)
    monkeypatch.setattr(orders_store, "is_bulk_load", lambda _db, _rows: True)
    monkeypatch.setattr(clients_store, "LOOKUP_SCAN_MIN", 1)
    rebuilt: list[str] = []
    dropped = orders_store.secondary_indexes_dropped

    def counted(db: object, table: str) -> object:
        rebuilt.append(table)
        return dropped(db, table)  # type: ignore[arg-type]

    monkeypatch.setattr(orders_store, "secondary_indexes_dropped", counted)
    return rebuilt


def _import_both(folder: Path, db_path: Path) -> tuple[list[str], list[str]]:
    import_file(db_path, "clients", _clients_csv(folder))
    first = import_file(db_path, "orders", _orders_csv(folder, "a.csv", _first_file()))
    second = import_file(db_path, "orders", _orders_csv(folder, "b.csv", _second_file()))
    return [first.summary], [second.summary]


def test_the_bulk_path_leaves_the_database_the_row_by_row_path_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, bulk = tmp_path / "plain.db", tmp_path / "bulk.db"
    plain_reports = _import_both(tmp_path, plain)
    with monkeypatch.context() as patch:
        rebuilt = _bulk(patch)
        bulk_reports = _import_both(tmp_path, bulk)
    assert rebuilt == ["orders", "orders"]  # both files took the bulk path
    assert bulk_reports == plain_reports
    assert "novas 2, atualizadas 1, iguais 2" in bulk_reports[1][0]
    expected, found = _state(plain), _state(bulk)
    assert found == expected
    assert {name for name, _sql in found["indexes"]} >= {  # type: ignore[attr-defined]
        "orders_client",
        "orders_generation",
    }
    # the first-day revenue written from Polars is the SQL definition's
    with connect(bulk) as db:
        refresh_first_day(db)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _state(bulk)["first_day"] == found["first_day"]
    with connect(bulk) as db:  # P5 now counts for C031 alone
        ids = dict(db.execute("SELECT external_id, id FROM clients").fetchall())
        moved = db.execute(
            "SELECT frequency, monetary_cents FROM client_aggregates WHERE client_id = ?",
            [ids["C031"]],
        ).fetchone()
    assert moved == (1, 6505)


def test_an_unknown_client_is_refused_on_the_bulk_path_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "bulk.db"
    import_file(db_path, "clients", _clients_csv(tmp_path))
    _bulk(monkeypatch)
    rows = [*_first_file(), "P900;C999;01/03/2024;1,00;loja"]
    report = import_file(db_path, "orders", _orders_csv(tmp_path, "a.csv", rows))
    assert [str(e) for e in report.errors] == [
        f"a.csv:{len(rows) + 1}: Código do Cliente: cliente desconhecido: C999"
    ]
    assert _state(db_path)["orders"] == []


def test_a_failure_halfway_through_a_bulk_load_leaves_orders_and_indexes_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "bulk.db"
    import_file(db_path, "clients", _clients_csv(tmp_path))
    before = _state(db_path)
    _bulk(monkeypatch)

    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("disco cheio")

    monkeypatch.setattr(imports.aggregates_store, "write_aggregates", broken)
    with pytest.raises(RuntimeError, match="disco cheio"):
        import_file(db_path, "orders", _orders_csv(tmp_path, "a.csv", _first_file()))
    assert _state(db_path) == before
    with connect(db_path) as db:  # and the next connection checks foreign keys again
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
