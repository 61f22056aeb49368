"""An orders file that only adds orders moves the touched clients' stored aggregates by its own
rows (no read of their orders): the database it leaves is the one a full recomputation from
all orders leaves (`store.aggregates.rebuild_all`, `store.forecast.refresh_first_day`)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from carteira_tui.services import imports
from carteira_tui.services.imports import import_file
from carteira_tui.store import aggregates as aggregates_store
from carteira_tui.store import orders as orders_store
from carteira_tui.store.db import connect, open_db
from carteira_tui.store.forecast import refresh_first_day

CLIENTS = 12
HEADER = "Nº do Pedido;Código do Cliente;Data do Pedido;Valor Total (R$);Canal"


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _clients(folder: Path, db_path: Path) -> None:
    lines = ["Código;Nome"] + [f"C{n:02d};Cliente {n}" for n in range(1, CLIENTS + 1)]
    report = import_file(db_path, "clients", _write(folder, "clientes.csv", lines))
    assert report.inserted == CLIENTS


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def _orders(rng: random.Random, numbers: range, clients: range) -> list[str]:
    """Orders on a few days (so the file's often fall on a stored purchase day), some
    returns and zero amounts, some without a number."""
    days = [date(2024, 3, 1) + timedelta(days=rng.choice((0, 1, 3, 7, 20))) for _ in range(4)]
    rows = [HEADER]
    for number in numbers:
        client = rng.choice(clients)
        amount = rng.choice((-2500, -1, 0, 1, 990, 12_345, 70_000))
        label = "" if rng.random() < 0.2 else f"P{number}"
        day = rng.choice(days)
        rows.append(f"{label};C{client:02d};{day:%d/%m/%Y};{_money(amount)};loja")
    return rows


def _derived(db_path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with connect(db_path) as db:
        aggregates = db.execute(
            "SELECT client_id, first_purchase, last_purchase, frequency, monetary_cents,"
            " purchase_days FROM client_aggregates ORDER BY client_id"
        ).fetchall()
        first_day = db.execute(
            "SELECT client_id, first_day_cents FROM client_first_day ORDER BY client_id"
        ).fetchall()
    return aggregates, first_day


def _recomputed(db_path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with connect(db_path) as db:
        aggregates_store.rebuild_all(db)
        with db.atomic():
            refresh_first_day(db)
    return _derived(db_path)


@pytest.mark.parametrize("seed", range(8))
def test_files_that_only_add_orders_leave_the_aggregates_of_all_orders(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    _clients(tmp_path, db_path)
    # clients 11 and 12 buy nothing in the first file: a first purchase comes later
    first = import_file(
        db_path, "orders", _write(tmp_path, "a.csv", _orders(rng, range(1, 60), range(1, 11)))
    )
    assert first.written
    read_for = _spy_reads(monkeypatch)
    for step in range(3):
        buyers_before = {client for client, *_rest in _derived(db_path)[0]}
        numbers = range(100 * (step + 1), 100 * (step + 1) + 25)
        lines = _orders(rng, numbers, range(1, CLIENTS + 1))
        report = import_file(db_path, "orders", _write(tmp_path, f"b{step}.csv", lines))
        assert report.updated == 0 and report.written
        assert _derived(db_path) == _recomputed(db_path)
        # only clients without stored aggregates (no purchase yet) had their orders read
        assert all(not set(ids) & buyers_before for ids in read_for)
        read_for.clear()


def _spy_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The client ids of every `read_orders` call from here on."""
    read_for: list[list[int]] = []
    reader = orders_store.read_orders

    def spied(db: object, *, client_ids: list[int] | None = None) -> pl.DataFrame:
        read_for.append(list(client_ids or []))
        return reader(db, client_ids=client_ids)  # type: ignore[arg-type]

    monkeypatch.setattr(orders_store, "read_orders", spied)
    return read_for


def test_only_clients_without_stored_aggregates_have_their_orders_read(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clients(tmp_path, db_path)
    first = [HEADER, "P1;C01;01/03/2024;100,00;loja", "P2;C02;01/03/2024;-5,00;loja"]
    import_file(db_path, "orders", _write(tmp_path, "a.csv", first))
    with connect(db_path) as db:
        ids = dict(db.execute("SELECT external_id, id FROM clients").fetchall())
    read_for = _spy_reads(monkeypatch)
    more = [
        HEADER,
        "P3;C01;01/03/2024;30,00;loja",  # C01 bought that day already
        "P4;C02;02/03/2024;20,00;loja",  # C02 had a return alone: no aggregate row
        "P5;C03;03/03/2024;10,00;loja",  # C03's first order
    ]
    import_file(db_path, "orders", _write(tmp_path, "b.csv", more))
    assert read_for == [sorted([ids["C02"], ids["C03"]])]
    aggregates, first_day = _derived(db_path)
    assert aggregates == [
        (ids["C01"], "2024-03-01", "2024-03-01", 2, 13000, 1),
        (ids["C02"], "2024-03-02", "2024-03-02", 1, 1500, 1),
        (ids["C03"], "2024-03-03", "2024-03-03", 1, 1000, 1),
    ]
    assert first_day == []
    assert (aggregates, first_day) == _recomputed(db_path)


def test_a_file_that_rewrites_a_stored_order_recomputes_from_all_orders(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clients(tmp_path, db_path)
    first = [HEADER, "P1;C01;01/03/2024;100,00;loja", "P2;C01;05/03/2024;7,00;loja"]
    import_file(db_path, "orders", _write(tmp_path, "a.csv", first))

    def refused(*_args: object) -> object:
        raise AssertionError("a rewritten order must not be added to stored aggregates")

    monkeypatch.setattr(imports, "aggregates_after_adding", refused)
    changed = [HEADER, "P1;C01;02/03/2024;100,00;loja", "P3;C02;02/03/2024;1,00;loja"]
    report = import_file(db_path, "orders", _write(tmp_path, "b.csv", changed))
    assert (report.inserted, report.updated) == (1, 1)
    assert _derived(db_path) == _recomputed(db_path)


def test_read_purchase_days_answers_days_with_purchases_only(tmp_path: Path, db_path: Path) -> None:
    _clients(tmp_path, db_path)
    lines = [
        HEADER,
        "P1;C01;01/03/2024;100,00;loja",
        "P2;C01;01/03/2024;0,00;loja",
        "P3;C01;01/03/2024;-40,00;loja",  # a return that day is not a purchase
        "P4;C01;02/03/2024;-3,00;loja",  # a day with a return alone
        "P5;C02;01/03/2024;0,00;loja",  # a zero order is a purchase
    ]
    import_file(db_path, "orders", _write(tmp_path, "a.csv", lines))
    db = open_db(db_path)
    try:
        ids = dict(db.execute("SELECT external_id, id FROM clients").fetchall())
        asked = pl.DataFrame(
            {
                "client_id": [ids["C01"], ids["C01"], ids["C02"], ids["C03"]],
                "date": [date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 1), date(2024, 3, 1)],
            }
        )
        with db.atomic():
            found = orders_store.read_purchase_days(db, asked).sort("client_id")
            none = orders_store.read_purchase_days(db, asked.clear())
    finally:
        db.close()
    assert found.rows() == [
        (ids["C01"], date(2024, 3, 1), 10000),
        (ids["C02"], date(2024, 3, 1), 0),
    ]
    assert none.is_empty() and none.schema == found.schema
