"""Task services: generate the queue from action plans, list and explain it, and act on a task.

The CLI (`carteira tasks …`) and the Tarefas pane call these. Each opens its own connection and
writes in one `db.atomic()`; every action on a task (done, snooze, reassign, cancel, add) is
also written to the audit trail. Urgency is stored on each open task as of a date: `generate`
refreshes it for every open task, each action refreshes it for its task, and `explain` recomputes
it as of the day asked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.engine import tasks as engine
from carteira_tui.engine.calendar import holidays_around, roll_forward
from carteira_tui.model import CONSENT_COLUMNS
from carteira_tui.services.client_codes import resolve_client_in
from carteira_tui.services.me import MeUnknown, resolve_me_in
from carteira_tui.services.task_error import TaskError as TaskError
from carteira_tui.services.task_error import owner_id_or_fail as _owner_id_or_fail
from carteira_tui.store import forecast as forecast_store
from carteira_tui.store import tasks as store
from carteira_tui.store.audit import current_user, write_audit
from carteira_tui.store.db import bump_generation, connect
from carteira_tui.store.interactions import read_last_contacts
from carteira_tui.store.segments import read_segment_cadences
from carteira_tui.vocab import plans as words

Progress = Callable[[str, float], None]

PERIOD_LOOKBACK_DAYS = 400
"""Tasks of a period older than this cannot block a new one (yearly recurrences at most)."""


@dataclass(frozen=True)
class GenerateResult:
    """What `generate_tasks` did (or would do, with `dry_run`)."""

    as_of: date
    created: int
    by_plan: dict[str, int]
    candidates: int
    refreshed: int
    deferred: int
    dry_run: bool
    stale_results: bool
    seconds: float
    preview: pl.DataFrame = field(repr=False)


@dataclass(frozen=True)
class TaskChanged:
    """One task after an action: its id, new status/due/owner and urgency."""

    task_id: int
    status: str
    due: date
    owner: str | None
    urgency: float
    interaction_id: int | None = None
    follow_up_id: int | None = None


@dataclass(frozen=True)
class UrgencyLine:
    """One urgency term of a task: value = weight × factor."""

    label: str
    value: float
    name: str = ""
    weight: float = 0.0
    factor: float = 0.0


@dataclass(frozen=True)
class Explanation:
    """A task's urgency as of a day, term by term (`carteira tasks explain`)."""

    task: dict[str, Any]
    as_of: date
    lines: list[UrgencyLine]
    urgency: float


def _segmentation_frame(db_path: Path, settings: Settings) -> tuple[pl.LazyFrame, bool]:
    from carteira_tui.services import segmentation

    results = segmentation.shown_results(db_path, settings=settings)
    if results.as_of is None:
        raise TaskError(words.NO_SEGMENTATION)
    return results.frame.lazy(), results.stale


def generate_tasks(
    db_path: Path,
    *,
    as_of: date,
    settings: Settings,
    dry_run: bool = False,
    results: pl.LazyFrame | None = None,
    on_progress: Progress | None = None,
) -> GenerateResult:
    """Create the tasks the action plans call for as of `as_of` (idempotent).

    `results` is the per-client segmentation frame; by default the last stored one.
    """
    started = time.perf_counter()
    stale = False
    if results is None:
        results, stale = _segmentation_frame(db_path, settings)
    holidays = holidays_around(as_of, extra=settings.extra_holidays)
    with connect(db_path) as db:
        plans = store.read_action_plans(db)
        segment_plans = store.read_segment_plans(db)
        results = _with_contacts(db, results, as_of=as_of)
        longest_cooldown = int(plans["cooldown_days"].max() or 0)  # type: ignore[arg-type]
        existing = store.read_task_keys(
            db,
            closed_since=as_of - timedelta(days=longest_cooldown),
            period_since=as_of - timedelta(days=PERIOD_LOOKBACK_DAYS),
        )
        _notify(on_progress, words.PROGRESS_SELECTING, 0.2)
        candidates = engine.task_candidates(
            results,
            plans,
            as_of=as_of,
            holidays=holidays,
            segment_plans=segment_plans,
            birthday_window_days=settings.birthday_window_days,
        )
        fresh_tasks = engine.one_contact_task(
            engine.new_tasks(candidates, existing.lazy(), plans, as_of=as_of),
            existing.lazy(),
            as_of=as_of,
        )
        scored = engine.with_urgency(
            fresh_tasks.with_columns(pl.lit(as_of).alias("created_on"), *_kept_fit(db)),
            as_of=as_of,
            settings=settings,
        )
        scored = scored.collect().lazy()
        wanted = int(scored.select(pl.len()).collect().item())
        if settings.tasks_within_capacity:
            uncapped = plans.filter(pl.col("kind").is_in(engine.UNCAPPED_KINDS))["id"].to_list()
            scored = engine.within_capacity(
                scored, store.read_owner_capacity(db).lazy(), uncapped_plans=uncapped
            )
        fresh = scored.collect()
        deferred = wanted - fresh.height
        candidate_count = candidates.select(pl.len()).collect().item()
        by_plan = _count_by_plan(fresh, plans)
        refreshed = 0
        if not dry_run:
            _notify(on_progress, words.PROGRESS_WRITING_TASKS, 0.6)
            with db.atomic():
                refreshed = _refresh_urgency(db, as_of=as_of, settings=settings)
                store.insert_tasks(db, fresh, created_on=as_of)
                write_audit(
                    db,
                    action="gerar",
                    entity="tasks",
                    summary=words.audit_generated(fresh.height, as_of.isoformat()),
                    after=by_plan,
                )
    _notify(on_progress, words.PROGRESS_READY, 1.0)
    return GenerateResult(
        as_of=as_of,
        created=fresh.height,
        by_plan=by_plan,
        candidates=int(candidate_count),
        refreshed=refreshed,
        deferred=deferred,
        dry_run=dry_run,
        stale_results=stale,
        seconds=time.perf_counter() - started,
        preview=fresh,
    )


def _with_contacts(db: Database, results: pl.LazyFrame, *, as_of: date) -> pl.LazyFrame:
    """The segmentation frame with each client's last interaction and segment cadence."""
    cadences = read_segment_cadences(db)
    last = read_last_contacts(db, before=as_of + timedelta(days=1))  # the cadence aggregate
    has_segment = "segment" in results.collect_schema().names()
    segment = pl.col("segment") if has_segment else pl.lit(None, dtype=pl.String)
    return (
        results.drop("last_interaction", "cadence_ideal", "cadence_max", strict=False)
        .join(last.lazy(), on="id", how="left")
        .with_columns(
            segment.replace_strict(
                {name: pair[0] for name, pair in cadences.items()},
                default=None,
                return_dtype=pl.Int64,
            ).alias("cadence_ideal"),
            segment.replace_strict(
                {name: pair[1] for name, pair in cadences.items()},
                default=None,
                return_dtype=pl.Int64,
            ).alias("cadence_max"),
        )
    )


def _count_by_plan(fresh: pl.DataFrame, plans: pl.DataFrame) -> dict[str, int]:
    counts = (
        fresh.group_by("plan_id")
        .len()
        .join(plans.select(pl.col("id").alias("plan_id"), "code"), on="plan_id")
        .sort("code")
    )
    return {str(code): int(n) for code, n in counts.select("code", "len").iter_rows()}


def _refresh_urgency(db: Database, *, as_of: date, settings: Settings) -> int:
    """Store every open task's urgency as of `as_of` (a cache only: what people see is
    recomputed as of the day shown by `scored_open_tasks`)."""
    inputs = store.read_open_tasks(db, as_of=as_of, stale_on=as_of)
    if inputs.is_empty():
        return 0
    scored = engine.with_urgency(inputs.lazy(), as_of=as_of, settings=settings).collect()
    return store.write_task_urgency(db, scored, urgency_on=as_of)


def _task_urgency(db: Database, task_id: int, *, as_of: date, settings: Settings) -> float:
    inputs = store.read_open_tasks(db, as_of=as_of, task_id=task_id, any_status=True)
    scored = engine.with_urgency(inputs.lazy(), as_of=as_of, settings=settings).collect()
    store.write_task_urgency(db, scored, urgency_on=as_of)
    return float(scored["urgency"][0])


def scored_open_tasks(
    db: Database,
    *,
    as_of: date,
    settings: Settings,
    owner_id: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    task_id: int | None = None,
    client_id: int | None = None,
) -> pl.DataFrame:
    """Open tasks (or one task in any state) with their urgency as of `as_of` — the one
    function behind `tasks list`, `tasks explain`, Hoje and `carteira today` — and the channel
    to use now (the client's consents as they are today)."""
    inputs = store.read_open_tasks(
        db,
        as_of=as_of,
        owner_id=owner_id,
        due_from=due_from,
        due_to=due_to,
        task_id=task_id,
        client_id=client_id,
        any_status=task_id is not None,
    )
    channel = engine.usable_channel(pl.col("channel_pref"), pl.col("channel"))
    return (
        engine.with_urgency(inputs.lazy(), as_of=as_of, settings=settings)
        .with_columns(
            pl.when(pl.col("kind").is_in(engine.NOT_CONTACT_KINDS))
            .then(pl.coalesce(channel, engine.channel_key_expr(pl.col("channel"))))
            .otherwise(channel)
            .alias("channel")
        )
        .collect()
    )


def _kept_fit(db: Database) -> list[pl.Expr]:
    """The kept BG/NBD parameters as urgency's `fit_*` inputs (null without a kept fit), as
    `store.read_open_tasks` joins them to every task."""
    fit = forecast_store.latest_fit(db)
    return [
        pl.lit(None if fit is None else fit[name], dtype=pl.Float64).alias(f"fit_{name}")
        for name in ("r", "alpha", "a", "b")
    ]


def _notify(on_progress: Progress | None, message: str, fraction: float) -> None:
    if on_progress is not None:
        on_progress(message, fraction)


QUEUE_WHEN = ("today", "overdue", "upcoming")


def list_tasks(
    db_path: Path,
    *,
    as_of: date,
    owner: str | None = None,
    mine: bool = False,
    when: str | None = None,
    limit: int | None = None,
    settings: Settings | None = None,
) -> pl.DataFrame:
    """Open tasks in urgency order as of `as_of`: `when` is today (due ≤ as_of), overdue
    (< as_of) or upcoming (> as_of); `owner` an owner's name, `mine` the owner "me" is."""
    if when is not None and when not in QUEUE_WHEN:
        raise TaskError(words.unknown_queue_filter(when))
    settings = settings or Settings()
    with connect(db_path) as db:
        owner_id = _owner_filter(db, owner=owner, mine=mine, settings=settings)
        due_from, due_to = None, None
        if when == "today":
            due_to = as_of
        elif when == "overdue":
            due_to = as_of - timedelta(days=1)
        elif when == "upcoming":
            due_from = as_of + timedelta(days=1)
        scored = scored_open_tasks(
            db,
            as_of=as_of,
            settings=settings,
            owner_id=owner_id,
            due_from=due_from,
            due_to=due_to,
        )
    ordered = engine.queue_order(scored.lazy()).select(list(store.QUEUE_SCHEMA))
    return (ordered.head(limit) if limit else ordered).collect()


def _owner_filter(db: Database, *, owner: str | None, mine: bool, settings: Settings) -> int | None:
    """The owner id `--owner NAME` or `--mine` stands for (None: everybody)."""
    if mine:
        try:
            return resolve_me_in(db, settings=settings).owner_id
        except MeUnknown as error:
            raise TaskError(str(error)) from error
    return _owner_id_or_fail(db, owner) if owner else None


def explain_task(db_path: Path, *, task_id: int, as_of: date, settings: Settings) -> Explanation:
    """The urgency of one task as of `as_of`, term by term (weight × factor)."""
    with connect(db_path) as db:
        task = _task_or_fail(db, task_id)
        scored = scored_open_tasks(db, as_of=as_of, settings=settings, task_id=task_id)
    row = scored.row(0, named=True)
    lines = [
        UrgencyLine(
            term.label,
            float(row[f"u_{term.name}"]),
            term.name,
            float(row[f"w_{term.name}"]),
            float(row[f"f_{term.name}"]),
        )
        for term in engine.URGENCY_TERMS
    ]
    return Explanation(task=task, as_of=as_of, lines=lines, urgency=float(row["urgency"]))


def close_contacted(
    db: Database,
    *,
    client_id: int,
    on: date,
    outcome: str,
    interaction_id: int | None,
    who: str,
    except_id: int | None = None,
) -> list[int]:
    """After a contact logged with the client (inside the caller's transaction): when it reached
    the client, close their open contact tasks due up to `on` with it as their outcome
    (DECISIONS "Hoje"); a contact that did not reach them closes nothing. An outcome such as
    "não quer mais WhatsApp" sets that channel's consent to no, audited. Returns the ids."""
    refused = engine.refused_channel(outcome)
    if refused is not None:
        column = CONSENT_COLUMNS[refused]
        before = store.write_consent_refused(db, client_id, column, generation=bump_generation(db))
        write_audit(
            db,
            action="editar",
            entity="clients",
            entity_id=client_id,
            client_id=client_id,
            summary=words.audit_consent_refused(column, outcome),
            before={column: before},
            after={column: 0},
            who=who,
        )
    if not engine.reached_client(outcome):
        return []
    closed = store.close_contact_tasks(
        db,
        client_id=client_id,
        on=on,
        outcome=outcome,
        interaction_id=interaction_id,
        keep_kinds=engine.NOT_CONTACT_KINDS,
        except_id=except_id,
    )
    for task_id in closed:
        write_audit(
            db,
            action="concluir",
            entity="tasks",
            entity_id=task_id,
            client_id=client_id,
            summary=words.audit_done_by_contact(task_id, outcome),
            before={"status": store.OPEN},
            after={"status": store.DONE, "outcome": outcome},
            who=who,
        )
    return closed


def complete_task(
    db_path: Path,
    *,
    task_id: int,
    outcome: str,
    on: date,
    settings: Settings,
    note: str | None = None,
    follow_up: date | None = None,
    who: str | None = None,
) -> TaskChanged:
    """Mark a task done with an outcome, recording the contact in `interactions`.

    With `follow_up`, a follow-up task for the same client is added, due that day (or the next
    business day).
    """
    if not outcome.strip():
        raise TaskError(words.OUTCOME_REQUIRED)
    who = who or current_user()
    with connect(db_path) as db, db.atomic():
        task = _open_task_or_fail(db, task_id)
        bump_generation(db)  # the contact moves the client's cadence in segment results
        interaction_id = store.insert_interaction(
            db,
            client_id=task["client_id"],
            at=on.isoformat(),
            channel=task["channel"],
            kind=task["kind"],
            outcome=outcome.strip(),
            note=note,
            who=who,
        )
        store.update_task(
            db,
            task_id,
            {
                "status": store.DONE,
                "closed_on": on.isoformat(),
                "outcome": outcome.strip(),
                "note": note,
                "interaction_id": interaction_id,
            },
        )
        close_contacted(
            db,
            client_id=task["client_id"],
            on=on,
            outcome=outcome.strip(),
            interaction_id=interaction_id,
            who=who,
            except_id=task_id,
        )
        follow_up_id = None
        if follow_up is not None:
            follow_up_id = _insert_manual(
                db,
                client_id=task["client_id"],
                owner_id=task["owner_id"],
                title=f"Retorno: {task['title']}",
                due=roll_forward(
                    follow_up, holidays_around(follow_up, extra=settings.extra_holidays)
                ),
                priority=task["priority"],
                channel=task["channel"],
                parent_id=task_id,
                created_on=on,
                settings=settings,
            )
        write_audit(
            db,
            action="concluir",
            entity="tasks",
            entity_id=task_id,
            client_id=task["client_id"],
            summary=words.audit_done(task_id, outcome.strip()),
            before={"status": task["status"]},
            after={"status": store.DONE, "outcome": outcome.strip()},
            who=who,
        )
    return TaskChanged(
        task_id,
        store.DONE,
        date.fromisoformat(task["due"]),
        task["owner"],
        float(task["urgency"]),
        interaction_id,
        follow_up_id,
    )


def snooze_task(
    db_path: Path, *, task_id: int, until: date, as_of: date, settings: Settings
) -> TaskChanged:
    """Move an open task's due date to `until` (rolled forward to a business day)."""
    due = _snooze_day(until, as_of=as_of, settings=settings)
    with connect(db_path) as db, db.atomic():
        task = _snooze_one(db, task_id, due)
        urgency = _task_urgency(db, task_id, as_of=as_of, settings=settings)
    return TaskChanged(task_id, store.OPEN, due, task["owner"], urgency)


def reassign_task(db_path: Path, *, task_id: int, owner: str) -> TaskChanged:
    """Give an open task to another owner (by name)."""
    with connect(db_path) as db, db.atomic():
        _open_task_or_fail(db, task_id)
        task = _reassign_one(db, task_id, _owner_id_or_fail(db, owner), owner)
    return TaskChanged(
        task_id, store.OPEN, date.fromisoformat(task["due"]), owner, float(task["urgency"])
    )


def cancel_task(db_path: Path, *, task_id: int, on: date, reason: str | None = None) -> TaskChanged:
    """Cancel an open task (the plan may create a new one after its cooldown)."""
    with connect(db_path) as db, db.atomic():
        task = _open_task_or_fail(db, task_id)
        store.update_task(
            db, task_id, {"status": store.CANCELLED, "closed_on": on.isoformat(), "note": reason}
        )
        write_audit(
            db,
            action="cancelar",
            entity="tasks",
            entity_id=task_id,
            client_id=task["client_id"],
            summary=reason,
            before={"status": task["status"]},
            after={"status": store.CANCELLED},
        )
    return TaskChanged(
        task_id, store.CANCELLED, date.fromisoformat(task["due"]), task["owner"], 0.0
    )


def add_task(
    db_path: Path,
    *,
    client: str,
    title: str,
    due: date,
    as_of: date,
    settings: Settings,
    owner: str | None = None,
    priority: str = "M",
    channel: str | None = None,
    parent_id: int | None = None,
) -> TaskChanged:
    """Add a manual task (or a follow-up of `parent_id`) for the client with external id `client`.

    The owner defaults to the client's; the due date is rolled forward to a business day.
    """
    (changed,) = add_tasks(
        db_path,
        clients=[client],
        title=title,
        due=due,
        as_of=as_of,
        settings=settings,
        owner=owner,
        priority=priority,
        channel=channel,
        parent_id=parent_id,
    )
    return changed


def add_tasks(
    db_path: Path,
    *,
    clients: Sequence[str],
    title: str,
    due: date,
    as_of: date,
    settings: Settings,
    owner: str | None = None,
    priority: str = "M",
    channel: str | None = None,
    parent_id: int | None = None,
    on_each: Callable[[int], None] | None = None,
) -> list[TaskChanged]:
    """`add_task` for several clients (external ids) in one transaction: every task is written
    and audited, or, when any client or the owner is unknown, none is."""
    if priority not in engine.PRIORITY_LABELS:
        raise TaskError(words.PRIORITY_CHOICES)
    if not title.strip():
        raise TaskError(words.TASK_TITLE_REQUIRED)
    rolled = roll_forward(due, holidays_around(due, extra=settings.extra_holidays))
    done: list[TaskChanged] = []
    with connect(db_path) as db, db.atomic():
        owner_id = _owner_id_or_fail(db, owner) if owner else None
        if parent_id is not None:
            _task_or_fail(db, parent_id)
        for index, client in enumerate(clients):
            found = resolve_client_in(db, client)  # a merged-away code names its survivor
            if found is None:
                raise TaskError(words.client_not_found(client))
            client_id = found.client_id
            client_owner = store.read_client_owner(db, client_id)
            task_id = _insert_manual(
                db,
                client_id=client_id,
                owner_id=owner_id if owner else client_owner,
                title=title.strip(),
                due=rolled,
                priority=priority,
                channel=channel,
                parent_id=parent_id,
                created_on=as_of,
                settings=settings,
            )
            task = _task_or_fail(db, task_id)
            write_audit(
                db,
                action="criar",
                entity="tasks",
                entity_id=task_id,
                client_id=client_id,
                summary=title.strip(),
            )
            done.append(
                TaskChanged(
                    task_id,
                    store.OPEN,
                    date.fromisoformat(task["due"]),
                    task["owner"],
                    float(task["urgency"]),
                )
            )
            if on_each is not None:
                on_each(index)
    return done


def _insert_manual(
    db: Database,
    *,
    client_id: int,
    owner_id: int | None,
    title: str,
    due: date,
    priority: str,
    channel: str | None,
    parent_id: int | None,
    created_on: date,
    settings: Settings,
) -> int:
    task_id = store.insert_task(
        db,
        {
            "client_id": client_id,
            "owner_id": owner_id,
            "kind": "retorno" if parent_id is not None else "manual",
            "title": title,
            "priority": priority,
            "channel": channel,
            "parent_id": parent_id,
            "due": due.isoformat(),
            "created_on": created_on.isoformat(),
        },
    )
    _task_urgency(db, task_id, as_of=created_on, settings=settings)
    return task_id


def _task_or_fail(db: Database, task_id: int) -> dict[str, Any]:
    task = store.read_task(db, task_id)
    if task is None:
        raise TaskError(words.task_not_found(task_id))
    return task


def _open_task_or_fail(db: Database, task_id: int) -> dict[str, Any]:
    task = _task_or_fail(db, task_id)
    if task["status"] != store.OPEN:
        raise TaskError(words.task_already(task_id, store.STATUS_LABELS[task["status"]]))
    return task


def snooze_tasks(
    db_path: Path, *, task_ids: Sequence[int], until: date, as_of: date, settings: Settings
) -> date:
    """Move several open tasks (a Hoje row: one client's work) to `until`, rolled forward to a
    business day, in one transaction; returns the day stored."""
    due = _snooze_day(until, as_of=as_of, settings=settings)
    with connect(db_path) as db, db.atomic():
        for task_id in task_ids:
            _snooze_one(db, task_id, due)
    return due


def reassign_tasks(db_path: Path, *, task_ids: Sequence[int], owner: str) -> None:
    """Give several open tasks (a Hoje row) to another owner, in one transaction."""
    with connect(db_path) as db, db.atomic():
        owner_id = _owner_id_or_fail(db, owner)
        for task_id in task_ids:
            _reassign_one(db, task_id, owner_id, owner)


def _snooze_day(until: date, *, as_of: date, settings: Settings) -> date:
    """The business day a snooze to `until` stores (the one its preview names)."""
    due = roll_forward(until, holidays_around(until, extra=settings.extra_holidays))
    if due < as_of:
        raise TaskError(words.NEW_DATE_IN_PAST)
    return due


def _snooze_one(db: Database, task_id: int, due: date) -> dict[str, Any]:
    """Move one open task to `due`, audited, inside the caller's transaction; the task before."""
    task = _open_task_or_fail(db, task_id)
    store.update_task(db, task_id, {"due": due.isoformat()})
    write_audit(
        db,
        action="adiar",
        entity="tasks",
        entity_id=task_id,
        client_id=task["client_id"],
        before={"due": task["due"]},
        after={"due": due.isoformat()},
    )
    return task


def _reassign_one(db: Database, task_id: int, owner_id: int, owner: str) -> dict[str, Any]:
    """Give one open task to `owner`, audited, inside the caller's transaction; the task before."""
    task = _open_task_or_fail(db, task_id)
    store.update_task(db, task_id, {"owner_id": owner_id})
    write_audit(
        db,
        action="reatribuir",
        entity="tasks",
        entity_id=task_id,
        client_id=task["client_id"],
        before={"owner": task["owner"]},
        after={"owner": owner},
    )
    return task
