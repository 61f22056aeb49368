"""services.forecast on a real SQLite file built from the CDNOW sample through the importer:
the fit kept and reused, the holdout check, scoring inside re-segmentation, nulls without a fit."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.engine import forecast as model
from carteira_tui.services import forecast as svc
from carteira_tui.services import segmentation
from carteira_tui.services.imports import import_file
from carteira_tui.store.db import connect
from carteira_tui.store.orders import read_orders

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(1997, 9, 30)


def _converter() -> object:
    spec = importlib.util.spec_from_file_location(
        "cdnow_to_carteira", ROOT / "scripts" / "cdnow_to_carteira.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def build_cdnow(db_path: Path, tmp_path: Path) -> None:
    convert = _converter().convert  # type: ignore[attr-defined]
    clients, orders = convert(ROOT / "tests" / "fixtures" / "cdnow_sample.txt", tmp_path / "csv")
    import_file(db_path, "clients", clients)
    import_file(db_path, "orders", orders)


@pytest.fixture
def cdnow_db(db_path: Path, tmp_path: Path) -> Path:
    build_cdnow(db_path, tmp_path)
    return db_path


def test_fit_is_the_papers_and_is_kept_audited_and_reused(cdnow_db: Path) -> None:
    run = svc.forecast(cdnow_db, as_of=AS_OF)
    assert not run.reused and run.fitted_at is not None
    bg, gg = run.forecast.bgnbd, run.forecast.gamma_gamma
    assert bg is not None and gg is not None
    assert (bg.r, bg.alpha, bg.a, bg.b) == pytest.approx((0.243, 30.9, 0.793, 2.426), rel=0.01)
    assert (gg.p, gg.q, gg.gamma) == pytest.approx((6.25, 3.74, 15.44), rel=0.01)
    again = svc.forecast(cdnow_db, as_of=date(1997, 10, 5))
    assert again.reused and again.forecast == run.forecast
    later = svc.forecast(cdnow_db, as_of=date(1997, 10, 8))  # 8 days on: refitted
    assert not later.reused and later.forecast.as_of == date(1997, 10, 8)
    refit = svc.forecast(cdnow_db, as_of=AS_OF, refit=True)
    assert not refit.reused and refit.forecast.bgnbd is not None
    assert refit.forecast.bgnbd.r == pytest.approx(bg.r, rel=1e-9)  # from scratch, same answer
    with connect(cdnow_db) as db:
        fits = db.execute("SELECT COUNT(*) FROM forecast_fits").fetchone()[0]
        audits = db.execute("SELECT COUNT(*) FROM audit WHERE action = 'forecast_fit'").fetchone()
    assert fits == 3 and audits[0] == 3


def test_first_day_revenue_is_kept_with_the_aggregates(cdnow_db: Path) -> None:
    with connect(cdnow_db) as db:
        row = db.execute(
            "SELECT a.first_purchase, f.first_day_cents FROM client_aggregates a"
            " JOIN client_first_day f ON f.client_id = a.client_id"
            " JOIN clients c ON c.id = a.client_id WHERE c.external_id = 'CD00001'"
        ).fetchone()
    assert row == ("1997-01-01", 2933)  # the sample's first line: 29,33 on 01/01/1997


def test_resegment_scores_every_client_with_the_kept_fit(cdnow_db: Path, tmp_path: Path) -> None:
    (tmp_path / "prospect.csv").write_text("Código;Nome\nP1;Sem compras\n", encoding="utf-8")
    import_file(cdnow_db, "clients", tmp_path / "prospect.csv")
    settings = Settings()
    before = segmentation.resegment(cdnow_db, as_of=AS_OF, settings=settings).frame
    assert before.get_column("p_alive").null_count() == before.height  # nothing kept yet
    run = svc.forecast(cdnow_db, as_of=AS_OF)
    frame = segmentation.resegment(cdnow_db, as_of=AS_OF, settings=settings).frame
    with connect(cdnow_db) as db:
        orders = read_orders(db)
    summary = model.summary_from_orders(orders.lazy(), as_of=AS_OF).rename({"client_id": "id"})
    expected = summary.select("id").with_columns(model.score(summary, run.forecast))
    got = expected.select("id").join(frame, on="id", how="left", maintain_order="left")
    for column in model.FORECAST_COLUMNS:
        assert got.get_column(column).to_list() == pytest.approx(
            expected.get_column(column).to_list(), rel=1e-9
        ), column
    prospects = frame.filter(pl.col("first_purchase").is_null())
    assert prospects.get_column("client_id").to_list() == ["P1"]
    assert prospects.get_column("p_alive").null_count() == prospects.height
    kept = segmentation.current_results(cdnow_db, settings=settings).frame
    assert kept.get_column("p_alive").null_count() == prospects.height


def test_holdout_compares_predicted_and_actual_repeat_days(cdnow_db: Path) -> None:
    run = svc.forecast(cdnow_db, as_of=date(1998, 6, 30), holdout_from=AS_OF)
    assert [row.repeat_days for row in run.holdout] == list(range(8))
    assert sum(row.clients for row in run.holdout) == 2357
    first = run.holdout[0]
    assert first.clients == 1411  # one-time buyers in the calibration period
    assert first.actual == pytest.approx(first.predicted, abs=0.05)
    with connect(cdnow_db) as db:
        assert db.execute("SELECT COUNT(*) FROM forecast_fits").fetchone()[0] == 0
    with pytest.raises(svc.ForecastError):
        svc.forecast(cdnow_db, as_of=AS_OF, holdout_from=AS_OF)


def test_too_few_buyers_reports_why_and_leaves_columns_null(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("Código;Nome\nA;Ana\nB;Bia\nC;Caio\n", encoding="utf-8")
    (tmp_path / "o.csv").write_text(
        "Código do cliente;Data;Valor\nA;01/02/2026;10,00\nA;01/03/2026;12,00\nB;05/03/2026;9,00\n",
        encoding="utf-8",
    )
    import_file(db_path, "clients", tmp_path / "c.csv")
    import_file(db_path, "orders", tmp_path / "o.csv")
    run = svc.forecast(db_path, as_of=date(2026, 6, 30))
    assert run.forecast.bgnbd is None
    assert run.forecast.purchases.problem == "poucos compradores (2) para ajustar"
    frame = segmentation.resegment(db_path, as_of=date(2026, 6, 30), settings=Settings()).frame
    assert frame.get_column("p_alive").null_count() == 3


def _buyers(summary: pl.DataFrame) -> pl.DataFrame:
    """The summary as a multiset of buyers' (x, t_x, T, m): all a fit reads (no client ids)."""
    columns = ["x", "t_x", "T", "m"]
    return summary.select(columns).sort(columns)


def test_summary_from_kept_aggregates_equals_the_one_from_orders(cdnow_db: Path) -> None:
    day = date(1998, 7, 1)  # after the last order: read from client_aggregates
    with connect(cdnow_db) as db:
        kept_path = _buyers(svc._summary(db, day))
        from_orders = _buyers(model.summary_from_orders(read_orders(db).lazy(), as_of=day))
    assert kept_path.height == 2357
    assert kept_path.select("x", "t_x", "T").equals(from_orders.select("x", "t_x", "T"))
    assert kept_path.get_column("m").to_list() == pytest.approx(
        from_orders.get_column("m").to_list(), rel=1e-12
    )


def test_summary_from_a_current_cache_equals_the_one_from_sqlite(
    cdnow_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carteira_tui.store import forecast as forecast_store

    day = date(1998, 7, 1)
    with connect(cdnow_db) as db:
        assert svc._cached_spans(db, cdnow_db, day) is None  # no cache yet
        from_sqlite = _buyers(svc._summary(db, day, cdnow_db))
    segmentation.resegment(cdnow_db, as_of=AS_OF, settings=Settings())
    (tmp_path / "more.csv").write_text(
        "Código do cliente;Data;Valor\nCD00003;15/09/1997;10,00\n", encoding="utf-8"
    )
    import_file(cdnow_db, "orders", tmp_path / "more.csv")
    with connect(cdnow_db) as db:
        assert svc._cached_spans(db, cdnow_db, day) is None  # the base is behind the import
        after_sqlite = _buyers(svc._summary(db, day, cdnow_db))
    assert not after_sqlite.equals(from_sqlite)
    segmentation.resegment(cdnow_db, as_of=AS_OF, settings=Settings())  # patches the base
    monkeypatch.setattr(forecast_store, "read_inputs", None)  # SQLite is not read
    with connect(cdnow_db) as db:
        from_cache = _buyers(svc._summary(db, day, cdnow_db))
    assert from_cache.equals(after_sqlite)


def test_alert_a_caminho_da_inativacao_after_a_later_run(cdnow_db: Path) -> None:
    from carteira_tui.services import watch

    settings = Settings()
    svc.forecast(cdnow_db, as_of=AS_OF)
    segmentation.resegment(cdnow_db, as_of=AS_OF, settings=settings)
    later = date(1998, 3, 31)
    frame = segmentation.resegment(cdnow_db, as_of=later, settings=settings).frame
    found = watch.alerts(cdnow_db, as_of=later, settings=settings)
    heading = found.frame.filter(pl.col("kind") == "a_caminho_da_inativacao")
    assert found.counts["a_caminho_da_inativacao"] == heading.height > 0
    assert set(heading.get_column("label")) == {"A caminho da inativação"}
    alerted = frame.filter(pl.col("client_id").is_in(heading.get_column("external_id").to_list()))
    assert set(alerted.get_column("abc")) == {"A"}
    assert alerted.get_column("purchase_days").min() >= 2
    # the filter names the same clients, from the column the run kept
    kept = segmentation.current_results(cdnow_db, settings=settings).frame
    for text in ("a_caminho_da_inativacao", "heading_out = sim"):
        chosen = kept.filter(segmentation.compile_filter(text, as_of=later))
        assert set(chosen.get_column("id")) == set(heading.get_column("id"))
    assert kept.get_column("heading_out").null_count() < kept.height


def test_a_fit_that_cannot_be_made_is_not_kept(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("Código;Nome\nA;Ana\n", encoding="utf-8")
    import_file(db_path, "clients", tmp_path / "c.csv")
    first = svc.forecast(db_path, as_of=date(2026, 6, 30))
    again = svc.forecast(db_path, as_of=date(2026, 6, 30))
    assert first.forecast.bgnbd is None and not again.reused
    with connect(db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM forecast_fits").fetchone()[0] == 0


def test_the_cache_base_carries_first_day_revenue_rebuilt_or_patched(
    cdnow_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-segmentation scores from the base's first-day revenue (no `client_first_day`
    read); the base patched after an import holds what a rebuild from the orders holds."""
    from carteira_tui.store import cache
    from carteira_tui.store import forecast as forecast_store

    settings = Settings()
    run = svc.forecast(cdnow_db, as_of=AS_OF)
    segmentation.resegment(cdnow_db, as_of=AS_OF, settings=settings)
    # CD00003 (one day, 6,79 on 01/01/1997) buys again; CD00001 (29,33 on 01/01/1997, then
    # two more days) gets another order and a return on its first day
    (tmp_path / "more.csv").write_text(
        "Código do cliente;Data;Valor\n"
        "CD00003;15/09/1997;10,00\n"
        "CD00001;01/01/1997;5,00\n"
        "CD00001;01/01/1997;-3,00\n",
        encoding="utf-8",
    )
    import_file(cdnow_db, "orders", tmp_path / "more.csv")
    calls: list[object] = []
    original = forecast_store.read_first_day

    def spy(db: Database) -> pl.DataFrame:
        calls.append(db)
        return original(db)

    scored_rows: list[int] = []
    score = model.score

    def counted(inputs: pl.DataFrame, forecast: model.Forecast | None) -> pl.DataFrame:
        scored_rows.append(inputs.height)
        return score(inputs, forecast)

    monkeypatch.setattr(forecast_store, "read_first_day", spy)
    monkeypatch.setattr(model, "score", counted)
    patched = segmentation.resegment(cdnow_db, as_of=AS_OF, settings=settings).frame
    assert calls == []  # scored from the base
    assert scored_rows == [2]  # only the two clients whose inputs changed
    monkeypatch.undo()
    directory = cache.cache_dir(cdnow_db)
    with connect(cdnow_db) as db:
        stored = dict(
            db.execute(
                "SELECT c.id, f.first_day_cents FROM client_first_day f"
                " JOIN clients c ON c.id = f.client_id"
            ).fetchall()
        )
        ids = dict(db.execute("SELECT external_id, id FROM clients").fetchall())
    with connect(cdnow_db) as db:
        inputs = cache.Cache(cdnow_db).inputs(
            db, segmentation._DERIVE, as_of=AS_OF, window_days=settings.cooling_window_days
        )
    base = inputs.base
    assert not inputs.rebuilt
    carried = dict(
        base.filter(pl.col("first_day_cents").is_not_null())
        .select("id", "first_day_cents")
        .iter_rows()
    )
    assert carried == stored
    assert (carried[ids["CD00001"]], carried[ids["CD00003"]]) == (3433, 679)
    cache.clear_derived(directory)
    rebuilt = segmentation.resegment(cdnow_db, as_of=AS_OF, settings=settings).frame
    for column in model.FORECAST_COLUMNS:
        assert patched.get_column(column).to_list() == pytest.approx(
            rebuilt.get_column(column).to_list(), rel=1e-12, nan_ok=True
        ), column
    with connect(cdnow_db) as db:
        frame = rebuilt.drop(*model.FORECAST_COLUMNS).with_columns(
            pl.lit(None).alias(name) for name in model.FORECAST_COLUMNS
        )
        from_sqlite = svc.with_forecast(db, frame, as_of=AS_OF)
    assert run.forecast.bgnbd is not None
    for column in model.FORECAST_COLUMNS:
        assert rebuilt.get_column(column).to_list() == pytest.approx(
            from_sqlite.get_column(column).to_list(), rel=1e-12, nan_ok=True
        ), column
