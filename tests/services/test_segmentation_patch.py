"""services.segmentation's patched runs: after a small change only the clients that can have
moved are computed, and the run, its history and its board equal the run computed whole."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from test_forecast_service import build_cdnow
from test_segmentation import AS_OF, import_rows

from carteira_tui.config import Settings
from carteira_tui.services import forecast as forecast_service
from carteira_tui.services import segmentation as svc
from carteira_tui.services.clients import log_interaction
from carteira_tui.services.segmentation import SegmentRun
from carteira_tui.store import cache
from carteira_tui.store.db import connect

CLIENTS = [f"K{i}" for i in range(8)]


@pytest.fixture(autouse=True)
def _patch_any_share(monkeypatch: pytest.MonkeyPatch) -> None:
    # a handful of clients is far above the 5% a million-client portfolio patches
    monkeypatch.setattr(svc, "PATCH_SHARE", 100.0)


def _history(db_path: Path, run_id: int) -> list[tuple[Any, ...]]:
    with connect(db_path) as db:
        return sorted(
            db.execute(
                "SELECT * FROM segment_history WHERE run_id = ? ORDER BY 1", [run_id]
            ).fetchall()
        )


def _last_run(db_path: Path) -> tuple[int, int]:
    with connect(db_path) as db:
        run_id, clients = db.execute(
            "SELECT id, clients FROM segment_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return int(run_id), int(clients)


def _state(db_path: Path) -> list[tuple[Any, ...]]:
    with connect(db_path) as db:
        return sorted(db.execute("SELECT id, status, segment, abc FROM segment_state").fetchall())


def _board(db_path: Path, settings: Settings) -> list[tuple[Any, ...]]:
    return sorted(
        (r.dimension, r.value, r.clients, r.revenue_cents, r.entered, r.left)
        for r in svc.board(db_path, settings=settings).rows
    )


def assert_patch_equals_whole(
    db_path: Path, tmp_path: Path, run: SegmentRun, *, as_of: date, settings: Settings
) -> None:
    """The patched `run` against the same database computed whole from a copy without cache:
    the result, the movements recorded, the clients' state and the board."""
    assert callable(run.result), "the run was computed whole, not patched"
    copy = tmp_path / f"whole{len(list(tmp_path.iterdir()))}.db"
    shutil.copyfile(db_path, copy)
    with connect(copy) as db:  # the copy forgets the patched run: computed again as the next
        last = db.execute("SELECT max(id) FROM segment_runs").fetchone()[0]
        db.execute("DELETE FROM segment_history WHERE run_id = ?", [last])
        db.execute("DELETE FROM segment_runs WHERE id = ?", [last])
    shutil.copytree(cache.cache_dir(db_path).parent, cache.cache_dir(copy).parent)
    for name in ("results.arrow", "board.json"):
        (cache.cache_dir(copy) / name).unlink(missing_ok=True)
    (cache.cache_dir(copy) / "previous.arrow").rename(cache.cache_dir(copy) / "results.arrow")
    patched_id, clients = _last_run(db_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(svc, "PATCH_SHARE", 0.0)
        whole = svc.resegment(copy, as_of=as_of, settings=settings)
    assert not callable(whole.result)
    assert_frame_equal(run.frame, whole.frame)
    assert_frame_equal(svc.current_results(db_path, settings=settings).frame, whole.frame)
    whole_id, whole_clients = _last_run(copy)
    assert clients == whole_clients == whole.frame.height
    assert [row[1:] for row in _history(db_path, patched_id)] == [
        row[1:] for row in _history(copy, whole_id)
    ]
    assert _board(db_path, settings) == _board(copy, settings)


@st.composite
def changes(draw: st.DrawFn) -> list[tuple[list[dict[str, Any]], list[tuple[str, date, int]]]]:
    """One to three imports: orders (refunds and a new client among them), flag edits."""
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        orders = draw(
            st.lists(
                st.tuples(
                    st.sampled_from([*CLIENTS, "NEW"]),
                    st.integers(0, 700).map(lambda d: AS_OF - timedelta(days=d)),
                    st.sampled_from([-3_000, 0, 700, 700, 5_000, 40_000]),
                ),
                max_size=4,
            )
        )
        edits = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"external_id": st.sampled_from(CLIENTS), "delinquent": st.integers(0, 1)}
                ),
                max_size=2,
            )
        )
        if any(client == "NEW" for client, _d, _c in orders):
            edits.append({"external_id": "NEW", "name": "Nova"})
        steps.append((edits, orders))
    return steps


def _seed(db_path: Path, seed: list[tuple[str, date, int]]) -> None:
    import_rows(db_path, [{"external_id": c, "name": c} for c in CLIENTS], seed)


@hsettings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.lists(
        st.tuples(
            st.sampled_from(CLIENTS),
            st.integers(0, 900).map(lambda d: AS_OF - timedelta(days=d)),
            st.sampled_from([-1_000, 500, 500, 2_000, 9_000, 60_000]),
        ),
        min_size=3,
        max_size=20,
    ),
    steps=changes(),
    contacted=st.lists(st.sampled_from(CLIENTS), max_size=2),
)
def test_patched_runs_equal_the_run_computed_whole(
    tmp_path: Path,
    seed: list[tuple[str, date, int]],
    steps: list[tuple[list[dict[str, Any]], list[tuple[str, date, int]]]],
    contacted: list[str],
) -> None:
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    db_path = work / "p.db"
    settings = Settings()
    _seed(db_path, seed)
    svc.resegment(db_path, as_of=AS_OF, settings=settings)
    for client in contacted:
        log_interaction(db_path, client, at=datetime(2026, 6, 20, 10), outcome="falou")
    for number, (edits, orders) in enumerate(steps):
        import_rows(db_path, edits, orders)
        run = svc.resegment(db_path, as_of=AS_OF, settings=settings)
        compare = work / f"cmp{number}"
        compare.mkdir()
        assert_patch_equals_whole(db_path, compare, run, as_of=AS_OF, settings=settings)


def test_a_patched_run_keeps_only_the_moved_clients_rows(db_path: Path) -> None:
    settings = Settings()
    _seed(
        db_path,
        [(c, AS_OF - timedelta(days=30 * i), 1_000 * (i + 1)) for i, c in enumerate(CLIENTS)],
    )
    first = svc.resegment(db_path, as_of=AS_OF, settings=settings)
    assert not callable(first.result)
    directory = cache.cache_dir(db_path)
    full_name = cache.read_arrow_metadata(directory / "results.arrow")["over"]
    import_rows(db_path, [], [("K7", AS_OF, 100)])
    run = svc.resegment(db_path, as_of=AS_OF, settings=settings)
    rows, meta = cache.read_arrow(directory / "results.arrow")
    assert meta["over"] == full_name  # the full file stays; the run is rows over it
    assert (
        "K7"
        in run.frame.filter(pl.col("id").is_in(rows.get_column("id").implode()))
        .get_column("client_id")
        .to_list()
    )
    assert rows.height < run.frame.height
    assert run.describe().endswith(f"({len(CLIENTS)} clientes).")


def test_a_run_recorded_by_another_process_meanwhile_makes_the_patch_whole(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings()
    _seed(db_path, [(c, AS_OF - timedelta(days=40 * i), 1_000) for i, c in enumerate(CLIENTS)])
    svc.resegment(db_path, as_of=AS_OF, settings=settings)
    import_rows(db_path, [], [("K3", AS_OF, 100)])
    real = svc.record_run

    def another_first(path: Path, **kwargs: Any) -> Any:
        if kwargs.get("clients") is not None:  # the patch: someone records a run just before
            real(
                path,
                **{
                    **kwargs,
                    "clients": None,
                    "current": svc.current_results(path, settings=settings).frame,
                },
            )
        return real(path, **kwargs)

    monkeypatch.setattr(svc, "record_run", another_first)
    run = svc.resegment(db_path, as_of=AS_OF, settings=settings)
    assert not callable(run.result)  # computed whole after the patch found the history moved
    assert run.frame.filter(pl.col("client_id") == "K3").item(0, "frequency") == 2


def test_patched_runs_with_a_forecast_fit_equal_the_whole_run(
    db_path: Path, tmp_path: Path
) -> None:
    """The forecast scores and "a caminho da inativação" (which compares a run with the one
    before) on a fitted portfolio, patched twice."""
    build_cdnow(db_path, tmp_path)
    as_of = date(1998, 7, 31)  # after the last order: a run of the data as it is
    settings = Settings()
    forecast_service.forecast(db_path, as_of=date(1997, 9, 30))
    svc.resegment(db_path, as_of=as_of, settings=settings)
    with connect(db_path) as db:
        codes = [row[0] for row in db.execute("SELECT external_id FROM clients LIMIT 3")]
    for step, code in enumerate(codes[:2]):
        import_rows(db_path, [], [(code, as_of - timedelta(days=step), 4_000)])
        run = svc.resegment(db_path, as_of=as_of, settings=settings)
        compare = tmp_path / f"cmp{step}"
        compare.mkdir()
        assert run.frame.get_column("p_alive").null_count() < run.frame.height
        assert_patch_equals_whole(db_path, compare, run, as_of=as_of, settings=settings)
