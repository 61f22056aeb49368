"""Limpeza services on real SQLite files: report, quality, normalise, merge, undo, archive."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from carteira_tui.config import Settings
from carteira_tui.services import cleaning
from carteira_tui.services.cleaning import CleaningError
from carteira_tui.services.imports import import_file
from carteira_tui.store.aggregates import rebuild_all
from carteira_tui.store.db import connect, generation, reset_generation

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
AS_OF = date(2026, 11, 23)
SETTINGS = Settings()
VALID_CPF = "529.982.247-25"
INVALID_CPF = "529.982.247-24"
AFFECTED_TABLES = ("clients", "orders", "interactions", "tasks", "client_aggregates")


def seed(db_path: Path) -> None:
    """Ana (1) and her duplicate ANA (2, opted out), Bruno (3) with an invalid CPF and phone."""
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Rita')")
        clients = [
            (1, "C1", "Ana Souza", VALID_CPF, "ana@exemplo.com", "(11) 91234-5678", "São Paulo",
             "SP", "01310100", 0, "vip", 1, "2026-01-01T09:00:00"),
            (2, "C2", "ANA  SOUZA", "52998224725", "ANA@EXEMPLO.COM", "11912345678", "sao paulo",
             "SP", None, 1, "antiga", None, "2025-05-05T09:00:00"),
            (3, "C3", "Bruno Lima", INVALID_CPF, "bruno@exemplo.com", "9054", "Campinas", "SP",
             "13010000", 0, None, 1, "2020-01-01T09:00:00"),
        ]  # fmt: skip
        db.conn.executemany(
            "INSERT INTO clients(id, external_id, name, document, email, phone, city, uf, cep,"
            " opt_out, tags, owner_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row, row[-1]) for row in clients],
        )
        orders = [
            (1, "p1", 1, "2026-01-10", 10000),
            (2, "p2", 1, "2026-03-10", 5000),
            (3, "p3", 2, "2026-03-10", 3000),
            (4, "p4", 2, "2025-12-01", 2000),
        ]
        db.conn.executemany(
            "INSERT INTO orders(id, external_id, client_id, date, amount_cents)"
            " VALUES (?, ?, ?, ?, ?)",
            orders,
        )
        db.execute(
            "INSERT INTO interactions(id, client_id, at, channel, kind, who)"
            " VALUES (1, 2, '2026-04-01T10:00:00', 'telefone', 'oferta', 'Rita')"
        )
        tasks = [
            (1, 1, 1, "aberta", "2026-12-01", "2026-11-01"),
            (2, 2, 1, "aberta", "2026-12-02", "2026-11-01"),
            (3, 2, 2, "concluida", "2026-10-01", "2026-09-01"),
            (4, 2, 3, "aberta", "2026-12-03", "2026-11-01"),
        ]
        db.conn.executemany(
            "INSERT INTO tasks(id, client_id, plan_id, status, due, created_on)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            tasks,
        )
    with connect(db_path) as db:
        rebuild_all(db)


@pytest.fixture
def seeded(db_path: Path) -> Path:
    seed(db_path)
    return db_path


def snapshot(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a merge touches, as full tuples in rowid order."""
    with connect(db_path) as db:
        return {
            table: [tuple(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid")]
            for table in AFFECTED_TABLES
        }


def one(db_path: Path, sql: str, params: list[Any] | None = None) -> Any:
    with connect(db_path) as db:
        return db.execute(sql, params or []).fetchone()


# --- merge and undo ---------------------------------------------------------------------------


def test_merge_then_undo_restores_affected_rows_byte_for_byte(seeded: Path) -> None:
    before = snapshot(seeded)
    merged = cleaning.merge_clients(
        seeded, [1, 2], survivor_id=1, field_values={"cep": "01310100", "tags": "vip, antiga"}
    )
    assert snapshot(seeded) != before
    cleaning.undo_merge(seeded, merged.merge_id)
    assert snapshot(seeded) == before


def test_undo_merge_recomputes_aggregates_of_orders_added_after_the_merge(seeded: Path) -> None:
    merged = cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={})
    with connect(seeded) as db, db.atomic():
        db.execute(
            "INSERT INTO orders(client_id, date, amount_cents) VALUES (1, '2026-06-01', 700)"
        )
    cleaning.undo_merge(seeded, merged.merge_id)
    # Ana's own 100,00 + 50,00 + the new 7,00; her duplicate back to 30,00 + 20,00
    assert one(
        seeded,
        "SELECT first_purchase, last_purchase, frequency, monetary_cents, purchase_days"
        " FROM client_aggregates WHERE client_id = 1",
    ) == ("2026-01-10", "2026-06-01", 3, 15700, 3)
    assert one(
        seeded, "SELECT frequency, monetary_cents FROM client_aggregates WHERE client_id = 2"
    ) == (2, 5000)


def test_merge_moves_orders_interactions_tasks_and_recomputes_aggregates(seeded: Path) -> None:
    merged = cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={})
    assert (merged.orders, merged.interactions, merged.tasks) == (2, 1, 3)
    assert one(seeded, "SELECT COUNT(*) FROM clients WHERE id = 2")[0] == 0
    assert one(seeded, "SELECT COUNT(*) FROM orders WHERE client_id = 1")[0] == 4
    assert one(seeded, "SELECT client_id FROM interactions WHERE id = 1")[0] == 1
    # 100,00 + 50,00 + 30,00 + 20,00 over 3 distinct days, 01/12/2025 to 10/03/2026
    assert one(
        seeded,
        "SELECT first_purchase, last_purchase, frequency, monetary_cents, purchase_days"
        " FROM client_aggregates WHERE client_id = 1",
    ) == ("2025-12-01", "2026-03-10", 4, 20000, 3)
    assert one(seeded, "SELECT COUNT(*) FROM client_aggregates WHERE client_id = 2")[0] == 0


def test_merge_cancels_the_moved_open_task_of_a_plan_the_survivor_has_open(seeded: Path) -> None:
    merged = cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={})
    assert merged.cancelled_tasks == 1
    assert one(seeded, "SELECT client_id, status, note FROM tasks WHERE id = 2") == (
        1,
        "cancelada",
        "fusão de clientes",
    )
    assert one(seeded, "SELECT status FROM tasks WHERE id = 4")[0] == "aberta"


def test_merge_keeps_the_opt_out_of_any_member_and_the_given_values(seeded: Path) -> None:
    cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={"tags": "vip, antiga"})
    assert one(seeded, "SELECT opt_out, tags, name FROM clients WHERE id = 1") == (
        1,
        "vip, antiga",
        "Ana Souza",
    )


def test_merge_is_audited_and_resets_caches(seeded: Path) -> None:
    with connect(seeded) as db:
        start = generation(db)
    merged = cleaning.merge_clients(seeded, [2, 1], survivor_id=1, field_values={})
    with connect(seeded) as db:
        assert reset_generation(db) > start
    audit = one(seeded, "SELECT action, entity_id, client_id FROM audit ORDER BY id DESC")
    assert audit == ("mesclar", merged.merge_id, 1)


@pytest.mark.parametrize(
    ("ids", "survivor", "values", "message"),
    [
        ([1], 1, {}, "ao menos dois"),
        ([1, 2], 3, {}, "precisa estar entre"),
        ([1, 99], 1, {}, "não encontrado: 99"),
        ([1, 2], 1, {"external_id": "X"}, "não se mescla: external_id"),
    ],
)
def test_merge_rejects_bad_input_with_a_message_and_changes_nothing(
    seeded: Path, ids: list[int], survivor: int, values: dict[str, Any], message: str
) -> None:
    before = snapshot(seeded)
    with pytest.raises(CleaningError, match=message):
        cleaning.merge_clients(seeded, ids, survivor_id=survivor, field_values=values)
    assert snapshot(seeded) == before


def test_undo_merge_refuses_an_unknown_or_already_undone_merge(seeded: Path) -> None:
    with pytest.raises(CleaningError, match="mesclagem 7 não encontrada"):
        cleaning.undo_merge(seeded, 7)
    merged = cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={})
    cleaning.undo_merge(seeded, merged.merge_id)
    with pytest.raises(CleaningError, match="já foi desfeita"):
        cleaning.undo_merge(seeded, merged.merge_id)


def test_undo_merge_refuses_while_a_later_merge_holds_the_survivor(seeded: Path) -> None:
    first = cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={})
    second = cleaning.merge_clients(seeded, [3, 1], survivor_id=3, field_values={})
    with pytest.raises(CleaningError, match=f"desfaça antes a mesclagem {second.merge_id}"):
        cleaning.undo_merge(seeded, first.merge_id)


def test_two_merges_undone_in_reverse_order_restore_everything(seeded: Path) -> None:
    before = snapshot(seeded)
    first = cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={})
    second = cleaning.merge_clients(seeded, [3, 1], survivor_id=3, field_values={})
    cleaning.undo_merge(seeded, second.merge_id)
    cleaning.undo_merge(seeded, first.merge_id)
    assert snapshot(seeded) == before


def test_undo_merges_undoes_a_chain_in_one_call_newest_first(seeded: Path) -> None:
    before = snapshot(seeded)
    first = cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={})
    second = cleaning.merge_clients(seeded, [3, 1], survivor_id=3, field_values={})
    undone = cleaning.undo_merges(seeded, [first.merge_id, second.merge_id])
    assert [u.merge_id for u in undone] == [second.merge_id, first.merge_id]
    assert snapshot(seeded) == before


def test_undo_merges_is_all_or_nothing(seeded: Path) -> None:
    first = cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={})
    second = cleaning.merge_clients(seeded, [3, 1], survivor_id=3, field_values={})
    cleaning.undo_merge(seeded, second.merge_id)
    merged = snapshot(seeded)
    later = cleaning.merge_clients(seeded, [3, 1], survivor_id=3, field_values={})
    with pytest.raises(CleaningError, match="já foi desfeita"):
        # newest first: `later` is undone, then `second` fails and the whole call rolls back
        cleaning.undo_merges(seeded, [first.merge_id, second.merge_id, later.merge_id])
    assert one(seeded, "SELECT undone_at FROM merges WHERE id = ?", [later.merge_id]) == (None,)
    cleaning.undo_merge(seeded, later.merge_id)
    assert snapshot(seeded) == merged


# --- clusters ---------------------------------------------------------------------------------


def test_duplicate_clusters_pair_ana_with_her_duplicate_at_high_confidence(seeded: Path) -> None:
    clusters = cleaning.list_duplicate_clusters(seeded)
    assert clusters.select("cluster_id", "client_id", "is_survivor", "confidence").rows() == [
        (1, 1, True, "alta"),
        (1, 2, False, "alta"),
    ]
    assert cleaning.list_duplicate_clusters(seeded, confidence="media").is_empty()


def test_cluster_detail_suggests_survivor_values_filled_from_the_others(seeded: Path) -> None:
    detail = cleaning.cluster_detail(seeded, 1)
    assert detail.survivor_id == 1
    suggested = detail.suggested_values
    assert suggested["name"] == "Ana Souza"
    assert suggested["opt_out"] == 1  # protective flags: any member's
    assert suggested["tags"] == "vip, antiga"
    assert suggested["cep"] == "01310100"
    side = detail.side_by_side()
    assert side.columns == ["campo", "C1", "C2", "sugerido"]
    assert side.filter(pl.col("campo") == "Nome").row(0) == (
        "Nome",
        "Ana Souza",
        "ANA  SOUZA",
        "Ana Souza",
    )


def test_cluster_detail_takes_another_survivor_and_rejects_unknown_ids(seeded: Path) -> None:
    detail = cleaning.cluster_detail(seeded, 1, survivor_id=2)
    assert detail.suggested_values["name"] == "ANA  SOUZA"
    assert detail.suggested_values["cep"] == "01310100"  # the survivor lacks it
    with pytest.raises(CleaningError, match="não está no grupo"):
        cleaning.cluster_detail(seeded, 1, survivor_id=3)
    with pytest.raises(CleaningError, match="grupo de duplicados 42 não encontrado"):
        cleaning.cluster_detail(seeded, 42)


def test_merge_duplicates_merges_high_confidence_clusters_with_suggestions(seeded: Path) -> None:
    done = cleaning.merge_duplicates(seeded)
    assert [(m.survivor_id, m.removed_ids) for m in done] == [(1, [2])]
    assert one(seeded, "SELECT tags, opt_out FROM clients WHERE id = 1") == ("vip, antiga", 1)
    assert cleaning.list_duplicate_clusters(seeded).is_empty()


# --- quality and normalising -------------------------------------------------------------------


def test_client_quality_flags_invalid_fields_and_keeps_the_raw_values(seeded: Path) -> None:
    quality = cleaning.client_quality(seeded, 3)
    assert [(i.field, i.raw_value, i.issue) for i in quality.issues] == [
        ("document", INVALID_CPF, "cpf_invalido"),
        ("phone", "9054", "telefone_invalido"),
    ]
    assert quality.issues[0].label == "CPF inválido"
    # name 15 + email 15 + city 10 + uf 10 + cep 10; document and phone do not count
    assert quality.completeness == 60
    assert one(seeded, "SELECT document, phone FROM clients WHERE id = 3") == (INVALID_CPF, "9054")


def test_client_quality_reads_the_stored_check_until_the_client_changes(seeded: Path) -> None:
    cleaning.cleaning_report(seeded, as_of=AS_OF, settings=SETTINGS)
    assert one(seeded, "SELECT completeness FROM client_quality WHERE client_id = 3")[0] == 60
    with connect(seeded) as db, db.atomic():
        db.execute("UPDATE clients SET phone = '(19) 3234-5678', generation = 99 WHERE id = 3")
    assert cleaning.client_quality(seeded, 3).completeness == 80
    with pytest.raises(CleaningError, match="cliente 404 não encontrado"):
        cleaning.client_quality(seeded, 404)


def test_report_rechecks_only_clients_changed_since_their_last_check(seeded: Path) -> None:
    cleaning.cleaning_report(seeded, as_of=AS_OF, settings=SETTINGS)
    with connect(seeded) as db, db.atomic():
        # a marker the next report must leave alone: client 1 did not change
        db.execute("UPDATE client_quality SET completeness = 1 WHERE client_id = 1")
        db.execute("UPDATE clients SET document = ?, generation = 7 WHERE id = 3", [VALID_CPF])
    report = cleaning.cleaning_report(seeded, as_of=AS_OF, settings=SETTINGS)
    assert one(seeded, "SELECT completeness FROM client_quality WHERE client_id = 1")[0] == 1
    assert one(
        seeded, "SELECT completeness, generation FROM client_quality WHERE client_id = 3"
    ) == (
        80,
        7,
    )
    assert report.issue_counts == {"telefone_invalido": 1}


def test_normalize_dry_run_reports_changes_and_writes_nothing(seeded: Path) -> None:
    before = snapshot(seeded)
    result = cleaning.normalize_clients(seeded)
    assert not result.applied
    assert snapshot(seeded) == before
    assert result.changes.filter(pl.col("client_id") == 2).select("field", "after").rows() == [
        ("city", "São Paulo"),
        ("email", "ana@exemplo.com"),
        ("name", "Ana Souza"),
        ("phone", "+5511912345678"),
    ]
    assert result.flagged == {"cpf_invalido": 1, "telefone_invalido": 1}


def test_normalize_apply_rewrites_valid_fields_only_and_audits_each_client(seeded: Path) -> None:
    result = cleaning.normalize_clients(seeded, apply=True)
    assert result.applied
    assert one(seeded, "SELECT document, email, phone, cep FROM clients WHERE id = 1") == (
        "52998224725",
        "ana@exemplo.com",
        "+5511912345678",
        "01310100",
    )
    assert one(seeded, "SELECT document, phone, city FROM clients WHERE id = 3") == (
        INVALID_CPF,
        "9054",
        "Campinas",
    )
    audited = one(seeded, "SELECT COUNT(*) FROM audit WHERE action = 'normalizar'")[0]
    assert audited == result.clients_changed == 2
    after = json.loads(one(seeded, "SELECT after FROM audit WHERE client_id = 2")[0])
    assert after["email"] == "ana@exemplo.com"
    assert cleaning.normalize_clients(seeded).changes.is_empty()


# --- stale contacts and archive ------------------------------------------------------------------


def stale_settings() -> Settings:
    return Settings(stale_prospect_years=2, stale_client_years=5)


def test_archive_stale_proposes_by_last_activity_and_changes_nothing(seeded: Path) -> None:
    # Bruno: prospect registered 01/01/2020, never contacted -> stale on 23/11/2026 (cutoff
    # 23/11/2024). Ana's duplicate last bought 10/03/2026 -> not stale for 5 years.
    result = cleaning.archive_stale(seeded, as_of=AS_OF, settings=stale_settings())
    assert result.stale.select("client_id", "kind", "last_activity").rows() == [
        (3, "prospect", "2020-01-01")
    ]
    assert not result.applied
    assert one(seeded, "SELECT archived FROM clients WHERE id = 3")[0] == 0


def test_former_client_is_stale_after_m_years_without_purchase_or_contact(seeded: Path) -> None:
    # client 2: last purchase 10/03/2026, last interaction 01/04/2026 -> cutoff must pass it
    stale = cleaning.archive_stale(seeded, as_of=date(2031, 4, 2), settings=stale_settings())
    assert (2, "ex_cliente", "2026-04-01") in stale.stale.select(
        "client_id", "kind", "last_activity"
    ).rows()
    not_yet = cleaning.archive_stale(seeded, as_of=date(2031, 4, 1), settings=stale_settings())
    assert 2 not in not_yet.stale["client_id"].to_list()


def test_archive_apply_then_undo_archive_restores_the_clients(seeded: Path) -> None:
    before = snapshot(seeded)
    result = cleaning.archive_stale(seeded, as_of=AS_OF, settings=stale_settings(), apply=True)
    assert result.run_id is not None
    assert one(seeded, "SELECT archived, archived_at IS NOT NULL FROM clients WHERE id = 3") == (
        1,
        1,
    )
    assert cleaning.archive_stale(seeded, as_of=AS_OF, settings=stale_settings()).stale.is_empty()
    undone = cleaning.undo_archive(seeded, result.run_id)
    assert undone.restored_ids == [3]
    assert snapshot(seeded) == before
    with pytest.raises(CleaningError, match="já foi desfeita"):
        cleaning.undo_archive(seeded, result.run_id)
    actions = {row[0] for row in one_all(seeded, "SELECT action FROM audit")}
    assert {"arquivar", "desfazer_arquivamento"} <= actions


def one_all(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with connect(db_path) as db:
        return [tuple(row) for row in db.execute(sql).fetchall()]


def test_restore_client_brings_one_archived_client_back(seeded: Path) -> None:
    cleaning.archive_stale(seeded, as_of=AS_OF, settings=stale_settings(), apply=True)
    restored = cleaning.restore_client(seeded, "C3")
    assert (restored.client_id, restored.external_id) == (3, "C3")
    assert one(seeded, "SELECT archived, archived_at FROM clients WHERE id = 3") == (0, None)
    with pytest.raises(CleaningError, match="não está arquivado"):
        cleaning.restore_client(seeded, "C3")
    with pytest.raises(CleaningError, match="cliente não encontrado: C9"):
        cleaning.restore_client(seeded, "C9")


def test_archived_clients_are_left_out_of_duplicate_search_and_merges(seeded: Path) -> None:
    with connect(seeded) as db, db.atomic():
        db.execute("UPDATE clients SET archived = 1, generation = 50 WHERE id = 2")
    assert cleaning.list_duplicate_clusters(seeded).is_empty()
    with pytest.raises(CleaningError, match="arquivado: C2"):
        cleaning.merge_clients(seeded, [1, 2], survivor_id=1, field_values={})


# --- the sample portfolio ---------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _cpf_ok(digits: str) -> bool:
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(digits[:size], range(size + 1, 1, -1), strict=True))
        check = 0 if total % 11 < 2 else 11 - total % 11
        if check != int(digits[size]):
            return False
    return True


def _national_phone(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    return digits[2:] if len(digits) in (12, 13) and digits.startswith("55") else digits


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("sample") / "carteira.db"
    for kind, name in (
        ("clients", "clientes.csv"),
        ("orders", "pedidos.csv"),
        ("interactions", "interacoes.csv"),
    ):
        report = import_file(db_path, kind, SAMPLE / name)
        assert report.written and not report.errors
    return db_path


@pytest.fixture(scope="module")
def sample_clients() -> pl.DataFrame:
    text = (SAMPLE / "clientes.csv").read_bytes().decode("cp1252")
    return pl.read_csv(io.StringIO(text), separator=";", infer_schema=False)


def test_sample_report_counts_match_what_the_files_say(
    sample_db: Path, sample_clients: pl.DataFrame
) -> None:
    report = cleaning.cleaning_report(sample_db, as_of=AS_OF, settings=SETTINGS)
    rows = sample_clients.select("Código", "Nome", "CPF/CNPJ", "E-mail", "Telefone").rows()
    bad_cpfs = [
        code
        for code, _n, doc, _e, _t in rows
        if doc and len(re.sub(r"\D", "", doc)) == 11 and not _cpf_ok(re.sub(r"\D", "", doc))
    ]
    bad_phones = [
        code for code, _n, _d, _e, tel in rows if tel and len(_national_phone(tel)) not in (10, 11)
    ]
    issues = report.issues.select("external_id", "issue").rows()
    assert sorted(c for c, i in issues if i == "cpf_invalido") == sorted(bad_cpfs)
    assert sorted(c for c, i in issues if i == "telefone_invalido") == sorted(bad_phones)
    assert report.issue_counts == {"telefone_invalido": len(bad_phones), "cpf_invalido": 2}
    assert report.clients == 2000

    # a duplicate: same folded name and the same phone, document or e-mail as another row, and
    # no different document (namesakes sharing a family e-mail are two people)
    documents = {code: re.sub(r"\D", "", doc) for code, _n, doc, _e, _t in rows if doc}
    groups: dict[tuple[str, str], set[str]] = {}
    for code, name, doc, email, tel in rows:
        keys = {
            f"d{re.sub(r'[^0-9]', '', doc)}" if doc else "",
            f"e{email.lower()}" if email else "",
        }
        if tel and len(_national_phone(tel)) in (10, 11):
            keys.add(f"t{_national_phone(tel)}")
        for key in keys - {""}:
            groups.setdefault((key, _fold(name)), set()).add(code)
    expected = {
        frozenset(codes)
        for codes in groups.values()
        if len(codes) > 1 and len({documents[c] for c in codes if c in documents}) <= 1
    }
    found = report.clusters.group_by("cluster_id").agg(pl.col("external_id"))
    assert {frozenset(codes) for codes in found["external_id"].to_list()} == expected
    assert sum(report.cluster_counts.values()) == len(expected)
    # DECISIONS: the same e-mail alone is a probable duplicate, never a sure one
    by_email_alone = {
        codes
        for codes in expected
        if not any(key[0] in "dt" and codes <= members for (key, _n), members in groups.items())
    }
    assert by_email_alone
    assert report.cluster_counts["alta"] >= len(expected) - len(by_email_alone) - 2
    assert report.cluster_counts["alta"] <= len(expected) - len(by_email_alone)
    assert report.stale.is_empty()  # every order is from the last three years


def test_sample_normalize_lowercases_exactly_the_upper_case_emails(
    sample_db: Path, sample_clients: pl.DataFrame
) -> None:
    upper = sample_clients.filter(pl.col("E-mail") != pl.col("E-mail").str.to_lowercase())
    result = cleaning.normalize_clients(sample_db)
    assert result.by_field["email"] == upper.height == 32
    emails = result.changes.filter(pl.col("field") == "email")
    assert sorted(emails["external_id"].to_list()) == sorted(upper["Código"].to_list())
