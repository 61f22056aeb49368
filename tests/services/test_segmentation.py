"""services.segmentation against real SQLite files: results, cache patching, board, explain."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from carteira_tui.config import Settings
from carteira_tui.engine.aggregates import order_aggregates
from carteira_tui.services import segmentation as svc
from carteira_tui.store import cache
from carteira_tui.store.db import bump_generation, connect, mark_reset

AS_OF = date(2026, 6, 30)


def import_rows(
    db_path: Path,
    clients: list[dict[str, Any]],
    orders: list[tuple[str, date, int]],
) -> None:
    """Write clients and orders the way the importer does: one generation, aggregates kept."""
    with connect(db_path) as db, db.atomic():
        gen = bump_generation(db)
        for client in clients:
            db.execute(
                "INSERT INTO clients(external_id, name, delinquent, generation) "
                "VALUES (?, ?, ?, ?) "
                "ON CONFLICT(external_id) DO UPDATE SET name = excluded.name, "
                "delinquent = excluded.delinquent, generation = excluded.generation",
                [client["external_id"], client.get("name", ""), client.get("delinquent", 0), gen],
            )
        ids = dict(db.execute("SELECT external_id, id FROM clients").fetchall())
        for external_id, day, cents in orders:
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents, generation) VALUES (?, ?, ?, ?)",
                [ids[external_id], day.isoformat(), cents, gen],
            )
        touched = sorted({ids[external_id] for external_id, _d, _c in orders})
        if touched:
            rows = db.execute(
                f"SELECT client_id, date, amount_cents FROM orders WHERE client_id IN "
                f"({','.join('?' * len(touched))})",
                touched,
            ).fetchall()
            frame = pl.DataFrame(
                rows,
                schema={"client_id": pl.Int64, "date": pl.String, "amount_cents": pl.Int64},
                orient="row",
            ).with_columns(pl.col("date").str.to_date())
            for agg in order_aggregates(frame.lazy()).collect().iter_rows(named=True):
                db.execute(
                    "INSERT OR REPLACE INTO client_aggregates VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        agg["client_id"],
                        agg["first_purchase"].isoformat(),
                        agg["last_purchase"].isoformat(),
                        agg["frequency"],
                        agg["monetary_cents"],
                        agg["purchase_days"],
                        gen,
                    ],
                )


def seed_small(db_path: Path) -> None:
    """Four clients: a regular buyer, a lapsed one, a delinquent top spender, a prospect."""
    import_rows(
        db_path,
        [
            {"external_id": "C1", "name": "Ana"},
            {"external_id": "C2", "name": "Bruno"},
            {"external_id": "C3", "name": "Carla", "delinquent": 1},
            {"external_id": "C4", "name": "Davi"},
        ],
        [
            ("C1", date(2026, 6, 1), 10_000),
            ("C1", date(2026, 5, 1), 10_000),
            ("C2", date(2025, 12, 1), 5_000),
            ("C3", date(2026, 6, 29), 100_000),
        ],
    )


def test_current_results_is_stale_and_empty_before_any_run(db_path: Path) -> None:
    seed_small(db_path)
    results = svc.current_results(db_path, settings=Settings())
    assert results.stale and results.frame.height == 0 and results.as_of is None


def test_resegment_computes_statuses_and_segments_with_a_first_match_wins(db_path: Path) -> None:
    seed_small(db_path)
    run = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    rows = {r["client_id"]: r for r in run.frame.iter_rows(named=True)}
    assert rows["C1"]["status"] == "ativo" and rows["C1"]["recency_days"] == 29
    assert rows["C1"]["cycle_days"] == 31.0
    assert rows["C2"]["status"] == "inativo_recente" and rows["C2"]["recency_days"] == 211
    assert rows["C4"]["status"] == "prospect" and rows["C4"]["segment"] == "Prospects"
    # C3 holds 100000 of 125000: cum_before 0 < 80 % → A; active, not cooling → "Ativos".
    assert rows["C3"]["abc"] == "A" and rows["C3"]["excluded"] is True
    assert rows["C3"]["exclusion_reason"] == "inadimplente"
    assert rows["C3"]["segment"] == "Ativos"
    # C1: cum_before 100000 = 80 % → not < 80 % → B.
    assert rows["C1"]["abc"] == "B" and rows["C2"]["abc"] == "C"
    results = svc.current_results(db_path, settings=Settings())
    assert not results.stale and results.as_of == AS_OF
    assert_frame_equal(results.frame, run.frame)


def test_a_client_going_inactive_lands_in_clientes_a_em_risco_first(db_path: Path) -> None:
    seed_small(db_path)
    later = date(2026, 10, 30)  # C3's last purchase 123 days before → inativo_recente
    run = svc.resegment(db_path, as_of=later, settings=Settings())
    row = run.frame.filter(pl.col("client_id") == "C3").row(0, named=True)
    assert row["status"] == "inativo_recente" and row["segment"] == "Clientes A em risco"
    assert row["plan"] == "retencao_a"


def test_results_become_stale_after_an_import_and_after_a_settings_change(db_path: Path) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert svc.current_results(db_path, settings=Settings(active_days=30)).stale
    import_rows(db_path, [], [("C2", date(2026, 6, 2), 1_000)])
    assert svc.current_results(db_path, settings=Settings()).stale


def test_a_patched_cache_equals_a_full_rebuild(db_path: Path, tmp_path: Path) -> None:
    seed_small(db_path)
    first = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert first.rebuilt
    import_rows(
        db_path,
        [{"external_id": "C5", "name": "Eva"}],
        [("C2", date(2026, 6, 2), 1_000), ("C5", date(2026, 3, 3), 7_000)],
    )
    patched = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert not patched.rebuilt
    cache.clear_derived(cache.cache_dir(db_path))
    full = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert full.rebuilt
    assert_frame_equal(patched.frame, full.frame)


def test_a_reset_after_the_cache_forces_a_full_rebuild(db_path: Path) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    with connect(db_path) as db, db.atomic():
        mark_reset(db)
    assert svc.resegment(db_path, as_of=AS_OF, settings=Settings()).rebuilt


def test_a_corrupt_cache_is_rebuilt_not_trusted(db_path: Path) -> None:
    seed_small(db_path)
    good = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    (cache.cache_dir(db_path) / "base.arrow").write_bytes(b"not arrow")
    again = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert again.rebuilt
    assert_frame_equal(again.frame, good.frame)


def test_as_of_in_the_past_ignores_later_orders(db_path: Path) -> None:
    seed_small(db_path)
    run = svc.resegment(db_path, as_of=date(2026, 5, 15), settings=Settings())
    rows = {r["client_id"]: r for r in run.frame.iter_rows(named=True)}
    assert rows["C1"]["frequency"] == 1 and rows["C1"]["recency_days"] == 14
    assert rows["C3"]["status"] == "prospect"


def test_board_counts_entries_and_exits_since_the_previous_run(db_path: Path) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    svc.resegment(db_path, as_of=date(2026, 10, 30), settings=Settings())
    result = svc.board(db_path, settings=Settings())
    by_key = {(r.dimension, r.value): r for r in result.rows}
    risk = by_key[("segmento", "Clientes A em risco")]
    assert (risk.clients, risk.entered, risk.left) == (1, 1, 0)
    assert risk.revenue_cents == 100_000 and risk.share == pytest.approx(100_000 / 125_000)
    ativo = by_key[("status", "ativo")]
    # At 30/10 nobody is active: C1 (151 days) and C3 (123 days) left.
    assert (ativo.clients, ativo.entered, ativo.left) == (0, 0, 2)
    recent = by_key[("status", "inativo_recente")]
    assert (recent.clients, recent.entered, recent.left) == (3, 2, 0)


def test_explain_client_names_the_rule_and_the_thresholds(db_path: Path) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    explanation = svc.explain_client(db_path, "C2", as_of=AS_OF, settings=Settings())
    text = "\n".join(explanation.lines)
    assert "recência 211 > 90 (active_days) e ≤ 365 (recent_days) → inativo_recente" in text
    assert explanation.segment_trace[0] == ("Clientes A em risco", False)
    assert ("Inativos recentes", True) in explanation.segment_trace
    r_score = explanation.scores[0]
    # buyers' −recency: C1 −29, C2 −211, C3 −1 → C2 is rank 1 of 3 → r = 1.
    assert (r_score.rank, r_score.n, r_score.score) == (1, 3, 1)


def test_explain_unknown_client_is_a_clear_error(db_path: Path) -> None:
    seed_small(db_path)
    with pytest.raises(svc.SegmentationError, match="não encontrado"):
        svc.explain_client(db_path, "NOPE", as_of=AS_OF, settings=Settings())


def test_preview_shows_counts_under_the_new_threshold_beside_the_current(db_path: Path) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    preview = svc.preview_settings(db_path, {"active_days": "20"}, settings=Settings(), as_of=AS_OF)
    counts = {(d, v): (now, new) for d, v, now, new in preview.rows}
    assert counts[("status", "ativo")] == (2, 1)
    assert counts[("status", "inativo_recente")] == (1, 2)
    assert svc.current_results(db_path, settings=Settings()).frame.height == 4


def test_segments_can_be_added_moved_and_deleted(db_path: Path) -> None:
    seed_small(db_path)
    names = [s.name for s in svc.list_segments(db_path)]
    assert names[0] == "Clientes A em risco" and len(names) == 5
    svc.move_segment(db_path, "Prospects", position=1)
    assert svc.list_segments(db_path)[0].name == "Prospects"
    svc.delete_segment(db_path, "Prospects")
    run = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert run.frame.filter(pl.col("client_id") == "C4").item(0, "segment") is None


@st.composite
def order_batches(draw: st.DrawFn) -> list[list[tuple[str, date, int]]]:
    clients = [f"K{i}" for i in range(6)]
    batches = []
    for _ in range(draw(st.integers(1, 3))):
        batch = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(clients),
                    st.integers(0, 800).map(lambda d: AS_OF - timedelta(days=d)),
                    st.integers(0, 50_000),
                ),
                max_size=6,
            )
        )
        batches.append(batch)
    return batches


@hsettings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=order_batches())
def test_incremental_patches_always_equal_a_full_rebuild(
    tmp_path: Path, batches: list[list[tuple[str, date, int]]]
) -> None:
    db_path = tmp_path / f"p{abs(hash(str(batches)))}.db"
    clients = [{"external_id": f"K{i}", "name": f"N{i}"} for i in range(6)]
    import_rows(db_path, clients, [])
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    for batch in batches:
        import_rows(db_path, [], batch)
        patched = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
        assert_frame_equal(svc.current_results(db_path, settings=Settings()).frame, patched.frame)
    shutil.rmtree(cache.cache_dir(db_path))
    full = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    assert full.rebuilt
    assert_frame_equal(patched.frame, full.frame)


def test_segment_changes_are_audited(db_path: Path) -> None:
    from carteira_tui.services.segmentation import add_segment, delete_segment, edit_segment
    from carteira_tui.store.audit import read_audit
    from carteira_tui.store.db import connect as connect_db

    add_segment(db_path, name="VIP SP", filter_text='uf = "SP" and abc = A', plan="fidelizacao")
    edit_segment(db_path, "VIP SP", filter_text='uf = "SP"')
    delete_segment(db_path, "VIP SP")
    with connect_db(db_path) as db:
        trail = read_audit(db)
    assert trail["action"].to_list() == ["apagar segmento", "editar segmento", "criar segmento"]
    assert '"filtro": "uf = \\"SP\\" and abc = A"' in trail["before"][1]


def test_board_counts_a_client_new_since_the_previous_run_as_entering(db_path: Path) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    import_rows(db_path, [{"external_id": "C5", "name": "Eva"}], [("C5", date(2026, 6, 20), 900)])
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    by_key = {(r.dimension, r.value): r for r in svc.board(db_path, settings=Settings()).rows}
    ativo = by_key[("status", "ativo")]
    assert (ativo.clients, ativo.entered, ativo.left) == (3, 1, 0)  # C1, C3 and the new C5
    assert by_key[("segmento", "Ativos")].entered == 1


def _recounted_board(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> svc.Board:
    with monkeypatch.context() as patched:
        patched.setattr(svc, "_kept_board", lambda _path: None)
        return svc.board(db_path, settings=Settings())


def test_the_board_kept_with_a_run_equals_the_board_counted_from_the_run(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_small(db_path)
    first = svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    kept = svc.board(db_path, settings=Settings())
    assert kept == _recounted_board(db_path, monkeypatch) and not kept.has_previous
    import_rows(db_path, [{"external_id": "C5", "name": "Eva"}], [("C5", date(2026, 6, 20), 900)])
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    svc.resegment(db_path, as_of=date(2026, 10, 30), settings=Settings(active_days=200))
    kept = svc.board(db_path, settings=Settings())
    assert kept.has_previous and kept.settings_changed and kept.as_of == date(2026, 10, 30)
    assert kept == _recounted_board(db_path, monkeypatch)
    assert (cache.cache_dir(db_path) / "board.json").exists()
    assert first.frame.height == 4


def test_a_board_without_its_kept_figures_is_counted_from_the_run(db_path: Path) -> None:
    seed_small(db_path)
    svc.resegment(db_path, as_of=AS_OF, settings=Settings())
    svc.resegment(db_path, as_of=date(2026, 10, 30), settings=Settings())
    (cache.cache_dir(db_path) / "board.json").unlink()
    by_key = {(r.dimension, r.value): r for r in svc.board(db_path, settings=Settings()).rows}
    assert (by_key[("status", "ativo")].clients, by_key[("status", "ativo")].left) == (0, 2)
