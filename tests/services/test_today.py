"""Hoje against a real SQLite file: one row per client, consented channels, the one urgency,
a contact that counts, and who "me" is."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from carteira_tui.config import Settings
from carteira_tui.services import clients, owners, tasks
from carteira_tui.services.me import MeUnknown, resolve_me
from carteira_tui.services.segmentation import resegment
from carteira_tui.services.today import today_queue
from carteira_tui.store.db import connect

SETTINGS = Settings()
SEGMENTED = date(2026, 11, 16)  # Monday
TODAY = date(2026, 11, 24)  # Tuesday


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    """Ana's clients: c1 and c2 late for repurchase (c2 refused WhatsApp, accepts e-mail), c3
    accepted no channel; Bruno's c4. Tasks generated on 16/11, so due by today."""
    with connect(db_path) as db, db.atomic():
        db.execute(
            "INSERT INTO owners(id, name, email) VALUES (1, 'Ana Souza', 'ana@x.com.br'),"
            " (2, 'Bruno Lima', 'bruno@x.com.br')"
        )
        db.execute(
            "INSERT INTO clients(id, external_id, name, owner_id, channel_pref, consent_whatsapp,"
            " consent_email, consent_phone, consent_sms) VALUES"
            " (1, 'c1', 'Alfa', 1, 'WhatsApp', 1, 0, 0, 0),"
            " (2, 'c2', 'Beta', 1, 'WhatsApp', 0, 1, 0, 0),"
            " (3, 'c3', 'Gama', 1, 'E-mail', 0, 0, 0, 0),"
            " (4, 'c4', 'Delta', 2, 'Telefone', 1, 1, 1, 1)"
        )
        for client_id, amount in ((1, 90_000), (2, 40_000), (3, 70_000), (4, 10_000)):
            for day in ("2026-05-04", "2026-06-01", "2026-06-29"):
                db.execute(
                    "INSERT INTO orders(client_id, date, amount_cents) VALUES (?, ?, ?)",
                    [client_id, day, amount + client_id],
                )
            db.execute(
                "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase,"
                " frequency, monetary_cents, purchase_days) VALUES (?, ?, ?, 3, ?, 3)",
                [client_id, "2026-05-04", "2026-06-29", 3 * (amount + client_id)],
            )
    resegment(db_path, as_of=SEGMENTED, settings=SETTINGS)
    tasks.generate_tasks(db_path, as_of=SEGMENTED, settings=SETTINGS)
    return db_path


def test_today_is_one_row_per_client_on_a_channel_they_accepted(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTEIRA_USER", "Ana Souza")
    queue = today_queue(portfolio, as_of=TODAY, settings=SETTINGS, mine=True)
    rows = {row["external_id"]: row for row in queue.rows.iter_rows(named=True)}
    # c3 accepted no channel: no contact task at all; c4 is Bruno's
    assert set(rows) == {"c1", "c2"}
    assert (rows["c1"]["channel"], rows["c2"]["channel"]) == ("whatsapp", "email")
    assert all(row["why"] for row in rows.values())
    assert "comprava a cada 28 dias e está há 148 dias sem comprar" in rows["c1"]["why"]
    assert queue.rows["urgency"].to_list() == sorted(queue.rows["urgency"], reverse=True)


def test_row_urgency_equals_explain_of_its_first_task(portfolio: Path) -> None:
    queue = today_queue(portfolio, as_of=TODAY, settings=SETTINGS)
    assert queue.rows.height == 3
    for row in queue.rows.iter_rows(named=True):
        first = row["tasks"][0]["id"]
        explained = tasks.explain_task(portfolio, task_id=first, as_of=TODAY, settings=SETTINGS)
        assert round(explained.urgency, 2) == round(row["urgency"], 2)
        # one function: the same figure to the last place, and the terms add up to it
        assert explained.urgency == row["urgency"]
        assert round(sum(line.value for line in explained.lines), 4) == row["urgency"]
    listed = tasks.list_tasks(portfolio, as_of=TODAY, settings=SETTINGS)
    by_id = dict(zip(listed["id"].to_list(), listed["urgency"].to_list(), strict=True))
    for item in queue.items:
        assert all(by_id[task.id] <= item.urgency for task in item.tasks)
        assert by_id[item.tasks[0].id] == item.urgency


def test_a_contact_that_reached_the_client_takes_it_off_today(portfolio: Path) -> None:
    def ids() -> set[str]:
        queue = today_queue(portfolio, as_of=TODAY, settings=SETTINGS, owner="Ana Souza")
        return set(queue.rows["external_id"].to_list())

    at = datetime(2026, 11, 24, 10, 0)
    clients.log_interaction(portfolio, "c1", at=at, outcome="Não atendeu", channel="whatsapp")
    assert ids() == {"c1", "c2"}
    clients.log_interaction(portfolio, "c1", at=at, outcome="Atendeu", channel="zap")
    assert ids() == {"c2"}
    with connect(portfolio) as db:
        closed = db.execute(
            "SELECT outcome, interaction_id IS NOT NULL FROM tasks WHERE client_id = 1"
        ).fetchall()
    assert closed == [("Atendeu", 1)]
    # contacted within the segment's ideal cadence: no plan task comes back the next day
    again = tasks.generate_tasks(portfolio, as_of=date(2026, 11, 25), settings=SETTINGS)
    assert again.created == 0


def test_me_comes_from_the_variable_then_the_config_then_the_login(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_me(portfolio, settings=SETTINGS, login="ana").name == "Ana Souza"
    assert resolve_me(portfolio, settings=SETTINGS, login="bruno.lima").name == "Bruno Lima"
    with pytest.raises(MeUnknown, match="CARTEIRA_USER") as raised:
        resolve_me(portfolio, settings=SETTINGS, login="root")
    assert "Ana Souza, Bruno Lima" in str(raised.value)
    owners.set_owner(portfolio, name="Bruno Lima", login="root")
    assert resolve_me(portfolio, settings=SETTINGS, login="root").name == "Bruno Lima"
    mine = Settings(me="ana souza")
    assert resolve_me(portfolio, settings=mine, login="root").source == "config"
    monkeypatch.setenv("CARTEIRA_USER", "Bruno")
    assert resolve_me(portfolio, settings=mine, login="root").name == "Bruno Lima"
    monkeypatch.setenv("CARTEIRA_USER", "Zé")
    with pytest.raises(MeUnknown, match="não é um responsável"):
        resolve_me(portfolio, settings=mine)


def test_an_unknown_owner_is_refused_with_the_valid_names(portfolio: Path) -> None:
    with pytest.raises(tasks.TaskError, match="Ana Souza, Bruno Lima"):
        today_queue(portfolio, as_of=TODAY, settings=SETTINGS, owner="Zé")


def test_an_outcome_refusing_a_channel_sets_its_consent_to_no(portfolio: Path) -> None:
    at = datetime(2026, 11, 24, 10, 0)
    clients.log_interaction(portfolio, "c1", at=at, outcome="Não quer mais WhatsApp")
    with connect(portfolio) as db:
        consent = db.execute("SELECT consent_whatsapp FROM clients WHERE id = 1").fetchone()
        audited = db.execute(
            "SELECT summary FROM audit WHERE client_id = 1 AND summary LIKE 'consent_%'"
        ).fetchone()
    assert consent == (0,)
    assert audited is not None and "consent_whatsapp: não" in audited[0]


def test_an_owners_queue_shows_the_days_progress_against_the_target(portfolio: Path) -> None:
    owners.set_owner(portfolio, name="Ana Souza", daily_target=30)
    before = today_queue(portfolio, as_of=TODAY, settings=SETTINGS, owner="Ana Souza")
    assert before.progress() == "0 de 30 hoje"
    at = datetime(2026, 11, 24, 9, 30)
    clients.log_interaction(portfolio, "c2", at=at, outcome="Respondeu", channel="e-mail")
    after = today_queue(portfolio, as_of=TODAY, settings=SETTINGS, owner="Ana Souza")
    assert after.progress() == "1 de 30 hoje"
    assert today_queue(portfolio, as_of=TODAY, settings=SETTINGS).progress() == ""
