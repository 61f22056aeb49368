"""The history lives in the database: a backup carries every run, its movements and the
settings it used; a look at a past date records nothing; the cache only speeds up."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import polars as pl
from test_watch_service import DAY_1, rows, seed

from carteira_tui.config import Settings
from carteira_tui.services import maintenance, session, watch
from carteira_tui.services import segmentation as svc
from carteira_tui.store.db import bump_generation, connect

SETTINGS = Settings()


def three_runs(db_path: Path) -> None:
    """Three runs: c2 goes inativo_recente at the second, c1 at the third."""
    seed(db_path)
    for day in (DAY_1, DAY_1 + timedelta(days=60), DAY_1 + timedelta(days=120)):
        with connect(db_path) as db, db.atomic():
            bump_generation(db)
        svc.resegment(db_path, as_of=day, settings=SETTINGS)


def test_a_backup_restored_elsewhere_shows_the_same_history(db_path: Path, tmp_path: Path) -> None:
    three_runs(db_path)
    here = watch.movements(db_path, since=DAY_1)
    copy = maintenance.backup(db_path, _elsewhere(tmp_path)).path
    there = watch.movements(copy, since=DAY_1)
    assert there.runs == here.runs == 3 and there.has_previous
    assert there.summary.equals(here.summary)
    assert there.clients.select("id", "status_from", "status_to").equals(
        here.clients.select("id", "status_from", "status_to")
    )


def test_a_run_on_a_copy_without_its_cache_finds_its_movements_in_the_database(
    db_path: Path, tmp_path: Path
) -> None:
    seed(db_path)
    svc.resegment(db_path, as_of=DAY_1, settings=SETTINGS)
    copy = maintenance.backup(db_path, _elsewhere(tmp_path)).path
    svc.resegment(copy, as_of=DAY_1 + timedelta(days=60), settings=SETTINGS)
    moved = watch.movements(copy)
    assert moved.has_previous  # not "só há uma segmentação"
    assert moved.clients.select("external_id", "status_from", "status_to").rows() == [
        ("c1", "ativo", "inativo_recente"),
        ("c2", "ativo", "inativo_recente"),
    ]
    board = {
        (r.dimension, r.value): (r.entered, r.left) for r in svc.board(copy, settings=SETTINGS).rows
    }
    assert board[("status", "inativo_recente")] == (2, 0)
    assert board[("status", "ativo")] == (0, 2)


def test_a_look_at_a_past_date_records_nothing(db_path: Path) -> None:
    three_runs(db_path)
    runs_before = rows(db_path, "SELECT count(*) FROM segment_runs")
    history_before = rows(db_path, "SELECT count(*) FROM segment_history")
    kept = svc.current_results(db_path, settings=SETTINGS)
    look = svc.resegment(db_path, as_of=DAY_1 - timedelta(days=30), settings=SETTINGS)
    assert not look.recorded and "nada registrado" in look.describe()
    assert rows(db_path, "SELECT count(*) FROM segment_runs") == runs_before
    assert rows(db_path, "SELECT count(*) FROM segment_history") == history_before
    after = svc.current_results(db_path, settings=SETTINGS)
    assert after.as_of == kept.as_of and after.frame.equals(kept.frame)
    assert watch.movements(db_path).runs == 1


def test_a_look_at_a_past_date_works_read_only(db_path: Path) -> None:
    three_runs(db_path)
    session.set_read_only(True)
    try:
        look = svc.resegment(db_path, as_of=DAY_1, settings=SETTINGS)
    finally:
        session.set_read_only(False)
    assert not look.recorded and look.frame.height == 3


def test_each_run_records_the_settings_it_used_and_the_state_only_changes_where_moved(
    db_path: Path,
) -> None:
    three_runs(db_path)
    used = rows(db_path, "SELECT settings FROM segment_runs ORDER BY id")
    assert json.loads(used[-1][0])["active_days"] == 90
    state = rows(db_path, "SELECT client_id, status FROM segment_state ORDER BY client_id")
    last = svc.current_results(db_path, settings=SETTINGS).frame.sort("id")
    assert state == list(last.select("id", pl.col("status")).iter_rows())


def test_export_takes_as_of_and_records_nothing(db_path: Path, tmp_path: Path) -> None:
    from carteira_tui.services.export import export_clients

    three_runs(db_path)
    runs_before = rows(db_path, "SELECT count(*) FROM segment_runs")
    target = tmp_path / "antes.json"
    export_clients(db_path, output=target, settings=SETTINGS, as_of=DAY_1)
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert {row["status"] for row in exported} >= {"ativo"}
    assert rows(db_path, "SELECT count(*) FROM segment_runs") == runs_before


def test_read_only_a_copy_without_its_cache_is_computed_kept_and_recorded_once_only(
    db_path: Path, tmp_path: Path
) -> None:
    three_runs(db_path)
    copy = maintenance.backup(db_path, _elsewhere(tmp_path)).path
    runs_before = rows(copy, "SELECT count(*) FROM segment_runs")
    session.set_read_only(True)
    try:
        assert svc.current_results(copy, settings=SETTINGS).missing
        run = svc.resegment(copy, as_of=DAY_1 + timedelta(days=120), settings=SETTINGS)
        shown = svc.current_results(copy, settings=SETTINGS)
    finally:
        session.set_read_only(False)
    assert run.unchanged and not shown.missing and shown.frame.height == 3
    assert rows(copy, "SELECT count(*) FROM segment_runs") == runs_before


def test_alerts_on_a_copy_without_its_cache_are_those_of_the_original(
    db_path: Path, tmp_path: Path
) -> None:
    seed(db_path)
    day = DAY_1 + timedelta(days=60)
    for as_of in (DAY_1, day):  # c1, class A, leaves ativo in the second run
        svc.resegment(db_path, as_of=as_of, settings=SETTINGS)
    here = watch.alerts(db_path, as_of=day, settings=SETTINGS)
    copy = maintenance.backup(db_path, _elsewhere(tmp_path)).path
    there = watch.alerts(copy, as_of=day, settings=SETTINGS)
    assert here.counts["cliente_a_saiu_de_ativo"] == 1 and there.counts == here.counts
    assert there.frame.get_column("name").to_list() == here.frame.get_column("name").to_list()


def test_segmenting_a_copy_again_does_not_record_the_last_run_twice(
    db_path: Path, tmp_path: Path
) -> None:
    three_runs(db_path)
    copy = maintenance.backup(db_path, _elsewhere(tmp_path)).path
    again = svc.resegment(copy, as_of=DAY_1 + timedelta(days=120), settings=SETTINGS)
    assert again.unchanged
    assert rows(copy, "SELECT count(*) FROM segment_runs") == [(3,)]
    assert watch.movements(copy).clients.height == watch.movements(db_path).clients.height


def _elsewhere(tmp_path: Path) -> Path:
    """A path for a copy in another folder (made here: outputs never create folders)."""
    (tmp_path / "elsewhere").mkdir(exist_ok=True)
    return tmp_path / "elsewhere" / "copia.db"


def test_commands_on_a_copy_without_its_cache_show_the_last_run_not_an_empty_portfolio(
    db_path: Path, tmp_path: Path
) -> None:
    from carteira_tui.services import owners

    three_runs(db_path)
    original = svc.current_results(db_path, settings=SETTINGS)
    copy = maintenance.backup(db_path, _elsewhere(tmp_path)).path
    assert svc.current_results(copy, settings=SETTINGS).missing
    shown = svc.shown_results(copy, settings=SETTINGS)
    assert shown.as_of == original.as_of and not shown.missing
    assert (
        shown.frame.sort("id")
        .select("id", "status", "monetary_cents")
        .equals(original.frame.sort("id").select("id", "status", "monetary_cents"))
    )
    board = svc.board(copy, settings=SETTINGS)
    assert sum(r.clients for r in board.rows if r.dimension == "status") == original.frame.height
    assert [o.revenue_cents for o in owners.list_owners(copy, settings=SETTINGS)] == [
        o.revenue_cents for o in owners.list_owners(db_path, settings=SETTINGS)
    ]
    with connect(copy) as db:  # shown, not recorded again
        assert len(watch.store.read_segment_runs(db)) == 3
