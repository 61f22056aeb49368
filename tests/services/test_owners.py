"""services.owners against real SQLite files: owners, pools, assign, the giro, pins."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from carteira_tui.config import Settings
from carteira_tui.services import owners
from carteira_tui.services.owners import OwnerError
from carteira_tui.services.segmentation import resegment
from carteira_tui.store.db import connect, generation

SETTINGS = Settings()
AS_OF = date(2026, 4, 17)


def seed(db_path: Path, *, owned_by: int | None = None) -> None:
    """Ana (1) and Bruno (2); clients c1..c4 with one order each of 400, 300, 200, 100 reais."""
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name, capacity) VALUES (1, 'Ana', 10), (2, 'Bruno', 10)")
        for i, amount in enumerate([40000, 30000, 20000, 10000], start=1):
            db.execute(
                "INSERT INTO clients(id, external_id, name, owner_id) VALUES (?, ?, ?, ?)",
                [i, f"c{i}", f"Cliente {i}", owned_by],
            )
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents) VALUES (?, '2026-03-01', ?)",
                [i, amount],
            )
            db.execute(
                "INSERT INTO client_aggregates(client_id, first_purchase, last_purchase,"
                " frequency, monetary_cents, purchase_days) VALUES (?, '2026-03-01',"
                " '2026-03-01', 1, ?, 1)",
                [i, amount],
            )
    resegment(db_path, as_of=AS_OF, settings=SETTINGS)


def rows(db_path: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connect(db_path) as db:
        return db.execute(sql, params or []).fetchall()


def dump(db_path: Path) -> list[str]:
    with connect(db_path) as db:
        return list(db.conn.iterdump())


def test_assign_gives_every_unowned_client_an_owner_balanced_by_value(db_path: Path) -> None:
    seed(db_path)
    done = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS)
    assert done.moved == 4
    assert done.by_reason == {"sem_responsavel": 4}
    assert done.has_values
    # c1..c4 are 400/300/200/100 reais, classes A, A, A, B. Class A (900) is dealt 2 + 1 by
    # slots: 400 and 200 to the first owner, 300 to the second; the lone B client goes to the
    # second owner (ties take turns across classes): 600 against 400.
    revenue = {o.name: o.revenue_cents for o in owners.list_owners(db_path, settings=SETTINGS)}
    assert revenue == {"Ana": 60000, "Bruno": 40000}
    owner_of = dict(rows(db_path, "SELECT external_id, owner_id FROM clients"))
    assert owner_of == {"c1": 1, "c2": 2, "c3": 1, "c4": 2}


def test_assign_records_who_from_to_and_why_with_one_audit_row_and_a_new_generation(
    db_path: Path,
) -> None:
    seed(db_path)
    with connect(db_path) as db:
        before = generation(db)
    done = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS)
    log = rows(
        db_path,
        "SELECT l.client_id, l.from_owner_id, l.to_owner_id, l.reason, r.as_of, r.moved"
        " FROM assignment_log l JOIN assignment_runs r ON r.id = l.run_id ORDER BY l.client_id",
    )
    owner_of = dict(rows(db_path, "SELECT id, owner_id FROM clients"))
    assert log == [(i, None, owner_of[i], "sem_responsavel", "2026-04-17", 4) for i in range(1, 5)]
    audit = rows(db_path, "SELECT action, entity, entity_id FROM audit WHERE action = 'assign'")
    assert audit == [("assign", "assignment_run", done.run_id)]
    with connect(db_path) as db:
        after = generation(db)
    assert after == before + 1
    assert rows(db_path, "SELECT DISTINCT generation FROM clients") == [(after,)]


def test_dry_run_writes_nothing(db_path: Path) -> None:
    seed(db_path)
    before = dump(db_path)
    done = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS, dry_run=True)
    assert done.moved == 4 and done.run_id is None and done.dry_run
    assert done.changes.get_column("to_owner").null_count() == 0
    assert dump(db_path) == before


def test_rotation_with_a_fixed_clock_moves_only_idle_unpinned_clients(db_path: Path) -> None:
    seed(db_path, owned_by=1)
    with connect(db_path) as db, db.atomic():
        db.execute("UPDATE clients SET pinned = 1 WHERE id = 4")
        # c1 was called 10 days ago; c2's last task was done 70 days ago; c3 never touched
        db.execute(
            "INSERT INTO interactions(client_id, at) VALUES (1, ?)",
            [(AS_OF - timedelta(days=10)).isoformat() + "T09:00:00"],
        )
        db.execute(
            "INSERT INTO tasks(client_id, status, due, created_on, closed_on, owner_id)"
            " VALUES (2, 'concluida', '2026-01-01', '2026-01-01', ?, 1)",
            [(AS_OF - timedelta(days=70)).isoformat()],
        )
        db.execute(
            "INSERT INTO tasks(client_id, status, due, created_on, owner_id)"
            " VALUES (3, 'aberta', '2026-04-20', '2026-04-01', 1)"
        )
    done = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS, rotate=True, idle_days=60)
    assert done.changes.select("external_id", "from_owner", "to_owner", "reason").rows() == [
        ("c2", "Ana", "Bruno", "giro"),
        ("c3", "Ana", "Bruno", "giro"),
    ]
    assert rows(db_path, "SELECT id, owner_id FROM clients ORDER BY id") == [
        (1, 1),
        (2, 2),
        (3, 2),
        (4, 1),
    ]
    # the open task follows the client to its new owner
    assert rows(db_path, "SELECT owner_id FROM tasks WHERE status = 'aberta'") == [(2,)]
    # the assignment is a fresh start: rotating again the same day moves nobody
    again = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS, rotate=True, idle_days=60)
    assert again.moved == 0
    # ...until the new owner has also let them sit for the period (c1 now too)
    later = owners.assign(
        db_path, as_of=AS_OF + timedelta(days=60), settings=SETTINGS, rotate=True, idle_days=60
    )
    assert later.changes.select("external_id", "from_owner", "to_owner").rows() == [
        ("c1", "Ana", "Bruno"),
        ("c2", "Bruno", "Ana"),
        ("c3", "Bruno", "Ana"),
    ]


def test_pinned_clients_are_never_rotated(db_path: Path) -> None:
    seed(db_path, owned_by=1)
    for client in ("c1", "c2", "c3", "c4"):
        assert owners.pin_client(db_path, client=client).owner == "Ana"
    done = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS, rotate=True, idle_days=0)
    assert done.moved == 0
    owners.pin_client(db_path, client="c2", pinned=False)
    done = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS, rotate=True, idle_days=0)
    assert done.changes.select("external_id").to_series().to_list() == ["c2"]
    audit = rows(db_path, "SELECT action, client_id FROM audit WHERE action IN ('pin', 'unpin')")
    assert audit == [("pin", 1), ("pin", 2), ("pin", 3), ("pin", 4), ("unpin", 2)]


def test_pin_needs_a_known_client_with_an_owner(db_path: Path) -> None:
    seed(db_path)
    with pytest.raises(OwnerError, match="não encontrado"):
        owners.pin_client(db_path, client="zz")
    with pytest.raises(OwnerError, match="não tem responsável"):
        owners.pin_client(db_path, client="c1")


def test_an_inactivated_owner_s_clients_go_to_the_others(db_path: Path) -> None:
    seed(db_path, owned_by=1)
    owners.set_owner(db_path, name="ana", active=False)
    done = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS)
    assert done.by_reason == {"responsavel_inativo": 4}
    assert rows(db_path, "SELECT DISTINCT owner_id FROM clients") == [(2,)]


def test_add_and_set_owners_with_pools(db_path: Path) -> None:
    seed(db_path)
    carla = owners.add_owner(
        db_path, name="  Carla  Dias ", email="carla@x.com", capacity=50, segments=["Ativos"]
    )
    assert carla.name == "Carla Dias"
    with pytest.raises(OwnerError, match="já existe"):
        owners.add_owner(db_path, name="carla dias")
    with pytest.raises(OwnerError, match="maior que zero"):
        owners.add_owner(db_path, name="Davi", capacity=0)
    with pytest.raises(OwnerError, match="não encontrado"):
        owners.set_owner(db_path, name="Ninguém", capacity=3)
    changed = owners.set_owner(db_path, name="Carla Dias", new_name="Carla", capacity=80)
    assert (changed.name, changed.capacity, changed.active) == ("Carla", 80, True)
    listed = {o.name: o for o in owners.list_owners(db_path, settings=SETTINGS)}
    assert listed["Carla"].segments == ["Ativos"]
    assert listed["Ana"].segments == []
    # every client is ativo, segment Ativos: its pool is Carla alone
    done = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS)
    assert set(done.changes.get_column("to_owner")) == {"Carla"}
    owners.set_owner(db_path, name="Carla", segments=[])
    assert rows(db_path, "SELECT count(*) FROM owner_pools") == [(0,)]


def test_assign_without_active_owners_explains_what_to_do(db_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO clients(id, external_id) VALUES (1, 'c1')")
    with pytest.raises(OwnerError, match="owners add"):
        owners.assign(db_path, as_of=AS_OF, settings=SETTINGS)


def test_assign_before_any_segmentation_balances_by_count(db_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name, capacity) VALUES (1, 'Ana', 30), (2, 'Bruno', 10)")
        for i in range(1, 9):
            db.execute("INSERT INTO clients(id, external_id) VALUES (?, ?)", [i, f"c{i}"])
    done = owners.assign(db_path, as_of=AS_OF, settings=SETTINGS)
    assert not done.has_values
    assert {o.name: o.clients for o in done.owners} == {"Ana": 6, "Bruno": 2}


def test_importing_owners_creates_and_updates_them_by_name(db_path: Path, tmp_path: Path) -> None:
    from carteira_tui.services.imports import import_file

    source = tmp_path / "responsaveis.csv"
    source.write_text("Nome;E-mail;Capacidade\nAna;ana@x.com;400\nBruno;;300\n", encoding="utf-8")
    first = import_file(db_path, "owners", source)
    assert (first.written, first.inserted, first.updated) == (True, 2, 0)
    source.write_text("Nome;Capacidade;Ativo\nAna;250;não\nCarla;0;sim\n", encoding="utf-8")
    rejected = import_file(db_path, "owners", source)
    assert not rejected.written
    assert [(e.row, e.column, e.reason) for e in rejected.errors] == [
        (3, "Capacidade", "capacidade deve ser maior que zero")
    ]
    source.write_text("Nome;Capacidade;Ativo\nAna;250;não\n", encoding="utf-8")
    second = import_file(db_path, "owners", source)
    assert (second.inserted, second.updated) == (0, 1)
    assert rows(db_path, "SELECT name, email, capacity, active FROM owners ORDER BY name") == [
        ("Ana", "ana@x.com", 250, 0),
        ("Bruno", None, 300, 1),
    ]


def test_renaming_an_owner_reaches_their_clients_in_the_next_segmentation(db_path: Path) -> None:
    seed(db_path, owned_by=1)
    before = generation_of(db_path)
    owners.set_owner(db_path, name="Ana", new_name="Ana Paula")
    assert generation_of(db_path) == before + 1
    run = resegment(db_path, as_of=AS_OF, settings=SETTINGS)
    assert not run.rebuilt  # patched from the clients the rename touched
    assert set(run.frame.get_column("owner").to_list()) == {"Ana Paula"}
    owners.set_owner(db_path, name="Ana Paula", capacity=20)  # no rename: nothing to redo
    assert generation_of(db_path) == before + 1


def generation_of(db_path: Path) -> int:
    with connect(db_path) as db:
        return generation(db)
