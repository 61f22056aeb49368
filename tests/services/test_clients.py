"""Client services on a real SQLite file: the card, and log / note / edit / follow-up writes."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from carteira_tui.config import Settings
from carteira_tui.services import clients
from carteira_tui.services.clients import ClientError
from carteira_tui.store.db import connect, generation

AS_OF = date(2026, 11, 20)  # a Friday


def seed(db_path: Path) -> None:
    """Two owners, two clients; client 1 (C001) has four orders and two interactions."""
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana'), (2, 'Bruno')")
        db.execute(
            "INSERT INTO clients(id, external_id, name, email, phone, channel_pref, owner_id,"
            " uf, birth_date) VALUES (1, 'C001', 'Alfa Comércio', 'alfa@exemplo.com.br',"
            " '(11) 98765-4321', 'WhatsApp', 1, 'SP', '1980-05-17'),"
            " (2, 'C002', 'Beta Silva', NULL, NULL, NULL, 2, NULL, NULL)"
        )
        db.conn.executemany(
            "INSERT INTO orders(external_id, client_id, date, amount_cents) VALUES (?, 1, ?, ?)",
            [
                ("P1", "2025-01-15", 1_000),
                ("P2", "2026-09-10", 10_000),
                ("P3", "2026-10-05", 5_050),
                ("P4", "2026-11-02", 2_500),
            ],
        )
        db.execute(
            "INSERT INTO interactions(client_id, at, channel, kind, outcome, note, who) VALUES"
            " (1, '2026-10-01T09:00:00', 'Telefone', 'Oferta', 'Atendeu', 'pediu catálogo', 'Ana'),"
            " (1, '2026-11-03T10:00:00', 'WhatsApp', 'Pós-venda', 'Respondeu', NULL, 'Ana')"
        )


@pytest.fixture
def seeded(db_path: Path) -> Path:
    seed(db_path)
    return db_path


def audit_rows(db_path: Path) -> list[dict[str, Any]]:
    with connect(db_path) as db:
        cursor = db.execute("SELECT action, entity, client_id, before, after FROM audit")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_card_has_profile_totals_latest_orders_and_timeline(seeded: Path) -> None:
    card = clients.client_card(seeded, "C001", as_of=AS_OF)
    assert card.client_id == 1
    assert card.name == "Alfa Comércio"
    assert card.profile["owner"] == "Ana"
    assert card.profile["email"] == "alfa@exemplo.com.br"
    assert (card.order_count, card.monetary_cents) == (4, 18_550)
    assert card.orders["external_id"].to_list() == ["P4", "P3", "P2", "P1"]
    assert card.interactions["outcome"].to_list() == ["Respondeu", "Atendeu"]
    assert card.open_tasks.is_empty()
    assert card.quality is not None and 0 <= card.quality.completeness <= 100


def test_card_monthly_spend_covers_the_window_with_zero_months(seeded: Path) -> None:
    spend = clients.client_card(seeded, 1, as_of=AS_OF, months=24).monthly_spend
    assert spend.height == 24
    assert spend["month"][0] == "2024-12"
    assert spend["month"][-1] == "2026-11"
    by_month = dict(zip(spend["month"].to_list(), spend["amount_cents"].to_list(), strict=True))
    assert by_month["2025-01"] == 1_000
    assert by_month["2026-09"] == 10_000
    assert by_month["2026-10"] == 5_050
    assert by_month["2026-11"] == 2_500
    assert sum(by_month.values()) == 18_550


def test_card_of_an_unknown_client_is_a_portuguese_error(seeded: Path) -> None:
    with pytest.raises(ClientError, match="cliente não encontrado: C999"):
        clients.client_card(seeded, "C999", as_of=AS_OF)


def test_log_interaction_records_the_contact_with_audit_and_a_new_generation(
    seeded: Path,
) -> None:
    with connect(seeded) as db:
        before = generation(db)
    logged = clients.log_interaction(
        seeded,
        "C002",
        at=datetime(2026, 11, 20, 14, 30, 5, 123),
        channel="whatsapp",
        kind="Oferta",
        outcome=" Atendeu ",
        note="vai pensar",
        who="ana",
    )
    with connect(seeded) as db:
        row = db.execute(
            "SELECT client_id, at, channel, kind, outcome, note, who FROM interactions"
            " WHERE id = ?",
            [logged.interaction_id],
        ).fetchone()
        assert generation(db) == before + 1
    assert row == (2, "2026-11-20T14:30:05", "WhatsApp", "Oferta", "Atendeu", "vai pensar", "ana")
    [audit] = audit_rows(seeded)
    assert (audit["action"], audit["entity"], audit["client_id"]) == (
        "registrar_contato",
        "interactions",
        2,
    )
    assert json.loads(audit["after"])["outcome"] == "Atendeu"


def test_log_interaction_without_outcome_or_with_unknown_channel_changes_nothing(
    seeded: Path,
) -> None:
    with pytest.raises(ClientError, match="resultado"):
        clients.log_interaction(seeded, "C001", at=datetime(2026, 11, 20), outcome="  ")
    with pytest.raises(ClientError, match="canal desconhecido"):
        clients.log_interaction(
            seeded, "C001", at=datetime(2026, 11, 20), outcome="ok", channel="pombo"
        )
    with connect(seeded) as db:
        assert db.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == 2
    assert audit_rows(seeded) == []


def test_add_note_appends_a_dated_line_and_audits_before_and_after(seeded: Path) -> None:
    clients.add_note(seeded, "C001", "prefere  ligação de manhã", on=AS_OF, who="ana")
    done = clients.add_note(seeded, "C001", "mudou de endereço", on=date(2026, 11, 21), who="bia")
    assert (
        done.notes == "20/11/2026 ana: prefere ligação de manhã\n21/11/2026 bia: mudou de endereço"
    )
    card = clients.client_card(seeded, "C001", as_of=AS_OF)
    assert card.profile["notes"] == done.notes
    last = audit_rows(seeded)[-1]
    assert json.loads(last["before"]) == {"notes": "20/11/2026 ana: prefere ligação de manhã"}
    assert json.loads(last["after"]) == {"notes": done.notes}


def test_edit_field_normalizes_the_phone_and_stamps_the_client_generation(seeded: Path) -> None:
    edited = clients.edit_field(seeded, "C002", "phone", "11 3456-7890", who="ana")
    assert (edited.before, edited.after) == (None, "(11) 3456-7890")
    with connect(seeded) as db:
        phone, row_generation = db.execute(
            "SELECT phone, generation FROM clients WHERE id = 2"
        ).fetchone()
        assert row_generation == generation(db)
    assert phone == "(11) 3456-7890"
    [audit] = audit_rows(seeded)
    assert json.loads(audit["before"]) == {"phone": None}
    assert json.loads(audit["after"]) == {"phone": "(11) 3456-7890"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("document", "123.456.789-00", "CPF/CNPJ inválido"),
        ("email", "alfa@", "e-mail inválido"),
        ("uf", "XX", "UF inválida"),
        ("cep", "0131-100", "CEP inválido"),
        ("birth_date", "31/02/1990", "data inexistente"),
        ("opt_out", "talvez", "responda sim ou não"),
        ("owner", "Carla", "responsável não encontrado"),
        ("name", "   ", "o nome não pode ficar vazio"),
        ("archived", "sim", "campo não editável"),
    ],
)
def test_edit_field_rejects_bad_values_in_portuguese_and_changes_nothing(
    seeded: Path, field: str, value: str, message: str
) -> None:
    with connect(seeded) as db:
        before = db.execute("SELECT * FROM clients WHERE id = 1").fetchone()
        gen = generation(db)
    with pytest.raises(ClientError, match=message):
        clients.edit_field(seeded, "C001", field, value)
    with connect(seeded) as db:
        assert db.execute("SELECT * FROM clients WHERE id = 1").fetchone() == before
        assert generation(db) == gen
    assert audit_rows(seeded) == []


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("document", "12345678909", "123.456.789-09"),
        ("email", "Novo@Exemplo.COM.br", "novo@exemplo.com.br"),
        ("uf", "rj", "RJ"),
        ("cep", "01310-100", "01310100"),
        ("birth_date", "07/03/1975", "1975-03-07"),
        ("opt_out", "sim", 1),
        ("consent_email", "não", 0),
        ("consent_email", "", None),
        ("channel_pref", "e-mail", "E-mail"),
        ("children", "2", 2),
        ("city", "  Rio   de Janeiro ", "Rio de Janeiro"),
    ],
)
def test_edit_field_stores_the_normalized_value(
    seeded: Path, field: str, value: str, stored: object
) -> None:
    clients.edit_field(seeded, "C001", field, value)
    with connect(seeded) as db:
        assert db.execute(f"SELECT {field} FROM clients WHERE id = 1").fetchone()[0] == stored


def test_edit_field_owner_takes_a_name_case_insensitively(seeded: Path) -> None:
    edited = clients.edit_field(seeded, "C001", "owner", "bruno")
    assert (edited.before, edited.after) == ("Ana", "Bruno")
    assert clients.client_card(seeded, 1, as_of=AS_OF).profile["owner_id"] == 2


def test_set_follow_up_on_a_saturday_creates_a_retorno_task_due_monday(seeded: Path) -> None:
    done = clients.set_follow_up(
        seeded, "C001", due=date(2026, 11, 21), as_of=AS_OF, settings=Settings(), who="ana"
    )
    assert done.due == date(2026, 11, 23)
    card = clients.client_card(seeded, "C001", as_of=AS_OF)
    task = card.open_tasks.row(0, named=True)
    assert (task["id"], task["kind"], task["title"]) == (
        done.task_id,
        "retorno",
        "Retorno ao cliente",
    )
    assert (task["owner"], task["channel"], task["due"]) == ("Ana", "WhatsApp", "2026-11-23")
    assert task["urgency"] > 0
    assert audit_rows(seeded)[-1]["action"] == "agendar_retorno"


def test_set_follow_up_in_the_past_is_refused(seeded: Path) -> None:
    with pytest.raises(ClientError, match="não pode ser no passado"):
        clients.set_follow_up(
            seeded, "C001", due=date(2026, 11, 2), as_of=AS_OF, settings=Settings()
        )
    assert clients.client_card(seeded, "C001", as_of=AS_OF).open_tasks.is_empty()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("amanhã", date(2026, 11, 23)),  # Saturday 21/11 rolls to Monday (the day stored)
        ("+3d", date(2026, 11, 23)),
        ("seg", date(2026, 11, 23)),
        ("05/01", date(2027, 1, 5)),
    ],
)
def test_resolve_when_understands_how_people_say_a_day(text: str, expected: date) -> None:
    assert clients.resolve_when(text, today=AS_OF) == expected


def test_resolve_when_explains_what_it_accepts() -> None:
    with pytest.raises(ClientError, match="amanhã"):
        clients.resolve_when("semana que vem", today=AS_OF)
