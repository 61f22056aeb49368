"""The `cadence` column of `segment` output against a real SQLite file: a logged contact moves
the client from atrasado to em_dia, a past as-of ignores later contacts, the aggregate table
follows interaction writes, and the filter language reads the column."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from carteira_tui.config import Settings
from carteira_tui.services import clients, imports, tasks
from carteira_tui.services.segmentation import compile_filter, edit_segment, resegment
from carteira_tui.store import db as store_db
from carteira_tui.store.db import connect
from carteira_tui.store.interactions import read_last_contacts

SETTINGS = Settings()
AS_OF = date(2026, 11, 16)


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    """c1 bought last on 01/11 (active), c2 on 29/06; both never contacted."""
    with connect(db_path) as db, db.atomic():
        db.execute(
            "INSERT INTO clients(id, external_id, name) VALUES (1, 'c1', 'Alfa'), (2, 'c2', 'Beta')"
        )
        for client_id, days in (
            (1, ("2026-10-04", "2026-11-01")),
            (2, ("2026-06-01", "2026-06-29")),
        ):
            for day in days:
                db.execute(
                    "INSERT INTO orders(client_id, date, amount_cents) VALUES (?, ?, 10000)",
                    [client_id, day],
                )
            db.execute(
                "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase,"
                " frequency, monetary_cents, purchase_days) VALUES (?, ?, ?, 2, 20000, 2)",
                [client_id, days[0], days[1]],
            )
    return db_path


def _row(frame: pl.DataFrame, code: str) -> dict[str, object]:
    return frame.filter(pl.col("client_id") == code).row(0, named=True)


def test_a_logged_contact_moves_the_client_from_atrasado_to_em_dia(portfolio: Path) -> None:
    first = resegment(portfolio, as_of=AS_OF, settings=SETTINGS).frame
    segment = str(_row(first, "c1")["segment"])
    edit_segment(portfolio, segment, cadence=(10, 12))
    late = resegment(portfolio, as_of=AS_OF, settings=SETTINGS)
    assert not late.unchanged  # a new cadence is a new setting
    assert _row(late.frame, "c1")["cadence"] == "atrasado"  # 15 days since the purchase

    clients.log_interaction(portfolio, "c1", at=datetime(2026, 11, 14, 9, 30), outcome="falou")
    after = resegment(portfolio, as_of=AS_OF, settings=SETTINGS)
    assert not after.unchanged  # the contact bumped the generation
    assert _row(after.frame, "c1")["cadence"] == "em_dia"  # 2 days since the call

    # a look at a date before the call: the call does not count (13/11 - 01/11 = 12 days;
    # counted, it would be -1 day, em_dia)
    past = resegment(portfolio, as_of=date(2026, 11, 13), settings=SETTINGS).frame
    assert _row(past, "c1")["cadence"] == "atencao"

    # the filter language reads the column, by its English and pt-BR names
    late_only = after.frame.filter(compile_filter("cadencia = atrasado", as_of=AS_OF))
    assert "c1" not in late_only["client_id"].to_list()
    on_time = after.frame.filter(compile_filter("cadence = em_dia", as_of=AS_OF))
    assert on_time["client_id"].to_list() == ["c1"]


def test_the_last_contact_table_follows_inserts_moves_and_deletes(portfolio: Path) -> None:
    clients.log_interaction(portfolio, "c1", at=datetime(2026, 11, 10), outcome="ok")
    clients.log_interaction(portfolio, "c1", at=datetime(2026, 11, 3), outcome="ok")
    clients.log_interaction(portfolio, "c2", at=datetime(2026, 11, 5), outcome="ok")
    with connect(portfolio) as db:

        def last(before: date) -> dict[int, date]:
            frame = read_last_contacts(db, before=before)
            return dict(
                zip(frame["id"].to_list(), frame["last_interaction"].to_list(), strict=True)
            )

        assert last(date(2026, 12, 1)) == {1: date(2026, 11, 10), 2: date(2026, 11, 5)}
        assert last(date(2026, 11, 10)) == {1: date(2026, 11, 3), 2: date(2026, 11, 5)}
        assert last(date(2026, 11, 3)) == {}
        with db.atomic():  # a merge moves c2's interactions onto c1
            db.execute("UPDATE interactions SET client_id = 1 WHERE client_id = 2")
        assert last(date(2026, 12, 1)) == {1: date(2026, 11, 10)}
        with db.atomic():  # forgetting c1 deletes the latest
            db.execute("DELETE FROM interactions WHERE at >= '2026-11-10'")
        assert last(date(2026, 12, 1)) == {1: date(2026, 11, 5)}


def test_the_migration_backfills_the_last_contacts_from_interactions(db_path: Path) -> None:
    db = store_db.open_db(db_path, migrate=False)
    store_db.migrations.apply(db, stop_before=["m_cadence_last_contact"])
    db.execute("INSERT INTO clients(id, external_id, name) VALUES (1, 'c1', 'Alfa')")
    db.execute(
        "INSERT INTO interactions(client_id, at, outcome) VALUES"
        " (1, '2026-10-02T08:00:00', 'a'), (1, '2026-10-20T17:45:00', 'b')"
    )
    db.conn.commit()
    store_db.migrations.apply(db)
    frame = read_last_contacts(db, before=date(2026, 12, 1))
    assert frame.rows() == [(1, date(2026, 10, 20))]


def test_a_done_task_counts_as_a_contact_in_segment_results(portfolio: Path) -> None:
    first = resegment(portfolio, as_of=AS_OF, settings=SETTINGS).frame
    edit_segment(portfolio, str(_row(first, "c1")["segment"]), cadence=(10, 12))
    assert _row(resegment(portfolio, as_of=AS_OF, settings=SETTINGS).frame, "c1")["cadence"] == (
        "atrasado"
    )
    task = tasks.add_task(
        portfolio, client="c1", title="Ligar", due=AS_OF, as_of=AS_OF, settings=SETTINGS
    )
    tasks.complete_task(
        portfolio, task_id=task.task_id, outcome="falou", on=date(2026, 11, 12), settings=SETTINGS
    )
    after = resegment(portfolio, as_of=AS_OF, settings=SETTINGS)
    assert not after.unchanged
    assert _row(after.frame, "c1")["cadence"] == "em_dia"  # 4 days since the call


def test_imported_interactions_count_as_contacts(portfolio: Path, tmp_path: Path) -> None:
    first = resegment(portfolio, as_of=AS_OF, settings=SETTINGS).frame
    edit_segment(portfolio, str(_row(first, "c1")["segment"]), cadence=(10, 12))
    assert _row(resegment(portfolio, as_of=AS_OF, settings=SETTINGS).frame, "c1")["cadence"] == (
        "atrasado"
    )
    source = tmp_path / "interacoes.csv"
    source.write_text(
        "Código do cliente;Data;Canal;Tipo;Resultado\n"
        "c1;10/11/2026;Telefone;Oferta;Atendeu\n"
        "c1;08/11/2026;Telefone;Oferta;Não atendeu\n",
        encoding="utf-8",
    )
    report = imports.import_file(portfolio, "interactions", source)
    assert report.inserted == 2
    after = resegment(portfolio, as_of=AS_OF, settings=SETTINGS)
    assert not after.unchanged
    assert _row(after.frame, "c1")["cadence"] == "em_dia"  # 6 days since 10/11
