"""`carteira demo`: build a database from the shipped sample portfolio and summarise it.

Imports `sample_data/` (clients, orders, interactions) into a fresh database in one go, moves the
database's dates so its newest order is yesterday (the files stay as shipped), fits the forecast,
segments it as of today (in Brazil) and generates the day's tasks, so on any day the app opens
on a real morning:
some contacts due today, some late, some upcoming. A database that already holds the sample is
reused, its dates moved again when a day has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from carteira_tui.config import Settings
from carteira_tui.engine.calendar import add_business_days, holidays_around
from carteira_tui.errors import CarteiraError
from carteira_tui.model import Status
from carteira_tui.services import forecast, imports, segmentation, tasks
from carteira_tui.services.today import local_today
from carteira_tui.store import demo as store
from carteira_tui.store.audit import write_audit
from carteira_tui.store.db import connect, mark_reset
from carteira_tui.vocab import imports as words

SAMPLE_AS_OF = date(2026, 11, 23)
"""The date the sample portfolio was generated for (scripts/generate_portfolio.py --as-of)."""

DEMO_BACKLOG_BUSINESS_DAYS = 5
"""The demo's queue starts as if tasks had been generated this many business days ago."""

SAMPLE_FILES: tuple[tuple[str, str], ...] = (
    ("owners", "responsaveis.csv"),
    ("clients", "clientes.csv"),
    ("orders", "pedidos.csv"),
    ("interactions", "interacoes.csv"),
)

Progress = Callable[[str, float], None]


class DemoError(CarteiraError, RuntimeError):
    """The sample data cannot be found or imported."""


@dataclass(frozen=True)
class DemoSummary:
    """What the demo database holds."""

    db_path: Path
    imported: bool
    as_of: date
    clients: int
    orders: int
    revenue_cents: int
    by_status: dict[str, int]
    tasks_created: int


def sample_dir() -> Path:
    """Where the shipped sample portfolio lives (repository checkout or installed package)."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[3] / "sample_data", here.parents[1] / "sample_data"):
        if (candidate / "clientes.csv").exists():
            return candidate
    raise DemoError(words.SAMPLE_FOLDER_MISSING)


def build_demo(
    db_path: Path,
    *,
    settings: Settings,
    source: Path | None = None,
    rebuild: bool = False,
    on_progress: Progress | None = None,
) -> DemoSummary:
    """Create (or reuse) the demo database at `db_path` and return its summary."""
    notify = on_progress or (lambda _message, _fraction: None)
    source = source or sample_dir()
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    imported = not _has_clients(db_path)
    if imported:
        for step, (kind, name) in enumerate(SAMPLE_FILES):
            notify(words.progress_demo_importing(name), step / (len(SAMPLE_FILES) + 2))
            # the one import action; the demo segments once, after the last file
            report = imports.import_and_segment(
                db_path, kind, source / name, as_of=SAMPLE_AS_OF, settings=settings, segment=False
            ).report
            if not report.written:
                first = report.errors[0] if report.errors else report.summary
                raise DemoError(words.sample_not_imported(first))
    as_of = local_today(settings)
    notify(words.PROGRESS_DEMO_DATES, 0.65)
    bring_to_today(db_path, today=as_of)
    notify(words.PROGRESS_DEMO_FORECAST, 0.68)
    # the demo shows the forecast's columns, the board's expected revenue and the urgency's
    # forecast term, as a team that runs `carteira forecast` sees them (a kept fit is reused)
    forecast.forecast(db_path, as_of=as_of)
    notify(words.PROGRESS_DEMO_SEGMENTING, 0.7)
    run = segmentation.resegment(db_path, as_of=as_of, settings=settings)
    notify(words.PROGRESS_DEMO_TASKS, 0.85)
    # a week's work already under way: tasks generated a week ago are due by today (some late),
    # today's run adds the upcoming ones
    week_ago = add_business_days(as_of, -DEMO_BACKLOG_BUSINESS_DAYS, holidays_around(as_of))
    earlier = tasks.generate_tasks(db_path, as_of=week_ago, settings=settings)
    generated = tasks.generate_tasks(db_path, as_of=as_of, settings=settings)
    frame = run.frame
    counts = dict(frame.group_by("status").len().iter_rows())
    by_status = {str(status): int(counts.get(str(status), 0)) for status in Status}
    with connect(db_path) as db:
        orders = int(db.execute("SELECT count(*) FROM orders").fetchone()[0])
    return DemoSummary(
        db_path=db_path,
        imported=imported,
        as_of=as_of,
        clients=frame.height,
        orders=orders,
        revenue_cents=int(frame["monetary_cents"].fill_null(0).sum()),
        by_status=by_status,
        tasks_created=earlier.created + generated.created,
    )


def bring_to_today(db_path: Path, *, today: date) -> int:
    """Move the demo database's dates so its newest order is the day before `today`; returns
    the days moved (0 when already current). Caches are rebuilt whole afterwards."""
    with connect(db_path) as db, db.atomic():
        newest = store.read_newest_order(db)
        if newest is None:
            return 0
        days = (today - timedelta(days=1) - newest).days
        if days == 0:
            return 0
        store.shift_dates(db, days)
        mark_reset(db)
        write_audit(
            db,
            action="demo_datas",
            entity="demo",
            summary=words.audit_demo_dates_moved(days),
            after={"dias": days},
        )
    return days


def _has_clients(db_path: Path) -> bool:
    if not db_path.exists():
        return False
    with connect(db_path) as db:
        return bool(db.execute("SELECT count(*) FROM clients").fetchone()[0])
