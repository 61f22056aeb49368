"""services.privacy: LGPD export, erasure (forget), the erased blocklist and consent per channel."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from carteira_tui.config import Settings
from carteira_tui.services import privacy
from carteira_tui.services.cleaning import merge_clients
from carteira_tui.services.imports import ImportReport, import_file
from carteira_tui.services.privacy import PrivacyError, export_person, forget_person
from carteira_tui.services.segmentation import current_results, resegment
from carteira_tui.store import cache
from carteira_tui.store.db import connect, generation, reset_generation

CLIENTS = (
    "codigo;nome;cpf;email;telefone;aceita email;aceita whatsapp;observacoes;nascimento\n"
    "C1;Maria Souza;529.982.247-25;Maria@Example.com;(11) 98765-4321;1;0;liga de manhã;"
    "10/05/1980\n"
    "C2;João Lima;111.444.777-35;joao@example.com;(21) 99999-0000;0;1;;\n"
)
ORDERS = (
    "pedido;cliente;data;valor\n"
    "P1;C1;01/02/2026;100,50\n"
    "P2;C1;01/03/2026;200,00\n"
    "P3;C2;05/03/2026;50,25\n"
)
INTERACTIONS = "cliente;data;canal;observacao\nC1;02/02/2026 10:00;telefone;pediu desconto\n"


@pytest.fixture
def seeded(db_path: Path, tmp_path: Path) -> Path:
    """Two clients (C1 with two orders and an interaction, C2 with one order)."""
    for kind, name, text in (
        ("clients", "clientes.csv", CLIENTS),
        ("orders", "pedidos.csv", ORDERS),
        ("interactions", "interacoes.csv", INTERACTIONS),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        report = import_file(db_path, kind, tmp_path / name)
        assert report.written and not report.errors, report.errors
    return db_path


def _total_revenue(db_path: Path) -> int:
    with connect(db_path) as db:
        return int(db.execute("SELECT sum(amount_cents) FROM orders").fetchone()[0])


def test_export_holds_the_client_row_orders_interactions_and_consent(
    seeded: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "maria.json"
    target.parent.mkdir()
    result = export_person(seeded, client="C1", output=target)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["cliente"]["name"] == "Maria Souza"
    assert [o["amount_cents"] for o in document["pedidos"]] == [10050, 20000]
    assert document["interacoes"][0]["note"] == "pediu desconto"
    assert document["consentimento"] == {
        "email": "sim",
        "telefone": "não informado",
        "whatsapp": "não",
        "sms": "não informado",
        "opt_out": "não",
    }
    assert document["agregados"][0]["monetary_cents"] == 30050
    assert result.client_id == document["cliente"]["id"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_includes_the_segmentation_result_when_there_is_one(seeded: Path) -> None:
    resegment(seeded, as_of=date(2026, 3, 31), settings=Settings())
    document = export_person(seeded, client="C1").document
    assert document["resultado_da_segmentacao"]["calculado_em"] == "2026-03-31"
    assert document["resultado_da_segmentacao"]["frequency"] == 2


def test_export_is_recorded_in_the_audit_trail(seeded: Path) -> None:
    export_person(seeded, client="C2")
    with connect(seeded) as db:
        actions = [r[0] for r in db.execute("SELECT action FROM audit").fetchall()]
    assert [a for a in actions if a != "importar"] == ["exportar_dados_pessoais"]


def test_export_of_an_unknown_client_is_a_privacy_error(seeded: Path) -> None:
    with pytest.raises(PrivacyError, match="cliente não encontrado: C9"):
        export_person(seeded, client="C9")


def test_forget_anonymises_the_person_and_keeps_revenue_true(seeded: Path) -> None:
    before = _total_revenue(seeded)
    done = forget_person(seeded, client="C1")
    assert (done.orders_kept, done.revenue_kept_cents) == (2, 30050)
    assert done.external_id == f"anon-{done.client_id}"
    assert _total_revenue(seeded) == before == 35075
    with connect(seeded) as db:
        row = db.execute(
            "SELECT external_id, name, document, email, phone, birth_date, notes, opt_out,"
            " consent_email FROM clients WHERE id = ?",
            [done.client_id],
        ).fetchone()
        note = db.execute(
            "SELECT note FROM interactions WHERE client_id = ?", [done.client_id]
        ).fetchone()
        monetary = db.execute(
            "SELECT monetary_cents FROM client_aggregates WHERE client_id = ?", [done.client_id]
        ).fetchone()
        other = db.execute("SELECT name FROM clients WHERE external_id = 'C2'").fetchone()
    assert row == (done.external_id, "(anonimizado)", None, None, None, None, None, 1, 0)
    assert note == (None,)
    assert monetary == (30050,)
    assert other == ("João Lima",)


def test_forget_cannot_be_found_by_its_old_code_name_or_email(seeded: Path) -> None:
    forget_person(seeded, client="C1")
    with connect(seeded) as db:
        text = "\n".join(
            str(row)
            for table in ("clients", "interactions", "tasks", "audit")
            for row in db.execute(f"SELECT * FROM {table}").fetchall()
        )
    for trace in ("C1'", "Maria", "maria@example.com", "52998224725", "98765", "liga de manhã"):
        assert trace.lower() not in text.lower()
    with pytest.raises(PrivacyError, match="cliente não encontrado"):
        export_person(seeded, client="C1")


def test_forget_marks_a_reset_generation_and_writes_the_audit_row(seeded: Path) -> None:
    with connect(seeded) as db:
        before = generation(db)
    done = forget_person(seeded, client="C1")
    with connect(seeded) as db:
        assert reset_generation(db) == generation(db) == before + 1
        audit = db.execute(
            "SELECT action, client_id, summary FROM audit WHERE action = 'anonimizar'"
        ).fetchall()
    assert audit == [
        (
            "anonimizar",
            done.client_id,
            "dados pessoais anonimizados a pedido (LGPD); 2 pedidos mantidos como receita anônima",
        )
    ]


def test_forget_keeps_no_copy_from_before_the_erasure(seeded: Path) -> None:
    before = set(seeded.parent.iterdir())
    forget_person(seeded, client="C1")
    new = {p.name for p in set(seeded.parent.iterdir()) - before}
    assert not [name for name in new if ".bak" in name], new


def test_forgetting_twice_is_refused(seeded: Path) -> None:
    done = forget_person(seeded, client="C1")
    with pytest.raises(PrivacyError, match="já foi anonimizado"):
        forget_person(seeded, client=done.client_id)


def test_forget_blanks_the_person_in_the_cached_results(seeded: Path) -> None:
    resegment(seeded, as_of=date(2026, 3, 31), settings=Settings())
    done = forget_person(seeded, client="C1")
    # blanked, not removed: no erased text left in the rewritten file's buffers
    assert (cache.cache_dir(seeded) / "base.arrow").exists()
    frame = current_results(seeded, settings=Settings()).frame
    mine = frame.filter(pl.col("id") == done.client_id).row(0, named=True)
    assert (mine["name"], mine["client_id"], mine["email"], mine["document"]) == (
        "(anonimizado)",
        done.external_id,
        None,
        None,
    )
    assert mine["monetary_cents"] == 30050
    for path in cache.cache_dir(seeded).glob("*.arrow"):  # no cached file keeps the name
        kept, _meta = cache.read_arrow(path)
        if "name" in kept.columns and "id" in kept.columns:
            assert kept.filter(pl.col("id") == done.client_id).get_column("name").to_list() in (
                [],
                ["(anonimizado)"],
            )
    rerun = resegment(seeded, as_of=date(2026, 3, 31), settings=Settings())
    assert rerun.rebuilt
    again = rerun.frame.filter(pl.col("id") == done.client_id).row(0, named=True)
    assert (again["name"], again["monetary_cents"]) == ("(anonimizado)", 30050)


def _reimport(db_path: Path, tmp_path: Path, text: str) -> ImportReport:
    """Rows of an erased person are skipped and counted, never errors (DECISIONS "Imports")."""
    path = tmp_path / "de-novo.csv"
    path.write_text(text, encoding="utf-8")
    report = import_file(db_path, "clients", path)
    assert report.errors == []
    return report


def test_an_import_cannot_bring_an_erased_person_back_by_document(
    seeded: Path, tmp_path: Path
) -> None:
    forget_person(seeded, client="C1")
    report = _reimport(seeded, tmp_path, "codigo;nome;documento\nX9;Maria S.;52998224725\n")
    assert (report.erased, report.inserted, report.rejected) == (1, 0, 0)
    assert report.summary.endswith("; 1 pessoas apagadas a pedido ignoradas")
    with connect(seeded) as db:
        assert db.execute("SELECT count(*) FROM clients WHERE external_id = 'X9'").fetchone() == (
            0,
        )


def test_an_import_cannot_bring_an_erased_person_back_by_email_or_code(
    seeded: Path, tmp_path: Path
) -> None:
    forget_person(seeded, client="C1")
    report = _reimport(
        seeded,
        tmp_path,
        "codigo;nome;email\nX9;M;  MARIA@example.COM \nC1;Maria;\nC3;Outra;outra@example.com\n",
    )
    assert (report.erased, report.inserted, report.rejected) == (2, 1, 0)
    with connect(seeded) as db:
        codes = {code for (code,) in db.execute("SELECT external_id FROM clients")}
    assert "C3" in codes and "X9" not in codes and "C1" not in codes


def test_the_blocklist_keeps_only_keyed_hashes(seeded: Path) -> None:
    forget_person(seeded, client="C1")
    with connect(seeded) as db:
        rows = db.execute("SELECT key, kind FROM erased_people ORDER BY kind").fetchall()
        secret = privacy.store.read_privacy_secret(db)
    # the code is keyed as given and in lower case (codes are compared without case)
    assert sorted(kind for _key, kind in rows) == ["codigo", "codigo", "documento", "email"]
    expected = privacy.person_key(secret, "documento", "52998224725")
    assert (expected, "documento") in rows
    assert all(len(key) == 64 and "529982" not in key for key, _kind in rows)


def test_blocklist_secrets_differ_between_databases(tmp_path: Path) -> None:
    secrets = []
    for name in ("a.db", "b.db"):
        with connect(tmp_path / name) as db:
            secrets.append(privacy.store.read_privacy_secret(db))
    assert len(secrets[0]) == 32 and secrets[0] != secrets[1]


def test_normalized_identity_strips_punctuation_case_and_mailto() -> None:
    assert privacy.normalized_identity("documento", " 529.982.247-25 ") == "52998224725"
    assert privacy.normalized_identity("email", "mailto:Ana@X.com ") == "ana@x.com"
    assert privacy.normalized_identity("codigo", "  ") is None


def test_mask_without_consent_blanks_contacts_per_channel() -> None:
    frame = pl.DataFrame(
        {
            "email": ["a@x.com", "b@x.com", "c@x.com"],
            "phone": ["+551199", "+552199", "+553199"],
            "consent_email": [1, 0, 1],
            "consent_phone": [None, None, 1],
            "consent_whatsapp": [0, 1, 1],
            "consent_sms": [None, None, None],
            "opt_out": [0, 0, 1],
        }
    )
    masked = privacy.mask_without_consent(frame)
    assert masked["email"].to_list() == ["a@x.com", None, None]
    assert masked["phone"].to_list() == [None, "+552199", None]


def test_forget_also_blocks_and_redacts_records_merged_into_the_person(
    seeded: Path, tmp_path: Path
) -> None:
    (tmp_path / "dup.csv").write_text(
        "codigo;nome;email\nC9;Maria S.;maria.antiga@example.com\n", encoding="utf-8"
    )
    assert import_file(seeded, "clients", tmp_path / "dup.csv").written
    with connect(seeded) as db:
        ids = dict(db.execute("SELECT external_id, id FROM clients").fetchall())
    merge_clients(seeded, [ids["C1"], ids["C9"]], survivor_id=ids["C1"], field_values={})
    forget_person(seeded, client="C1")
    with connect(seeded) as db:
        merges = db.execute("SELECT survivor_before, removed_rows FROM merges").fetchall()
    assert merges == [("{}", "[]")]
    report = _reimport(seeded, tmp_path, "codigo;nome;email\nZ1;M;maria.antiga@example.com\n")
    assert (report.erased, report.inserted) == (1, 0)
