"""Responsáveis services: owners and their pools, `assign` (and the giro de carteira), pins.

The CLI (`carteira owners …`, `carteira assign`, `carteira pin|unpin`) and the app call these.
Values for balancing come from the last segmentation result (`services.segmentation
.current_results`); who owns whom and who is pinned always come from SQLite. An assignment run
writes in one `db.atomic()`: the clients (stamped with a new generation), their open tasks, the
per-client log, and one audit row.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine import assign as engine
from carteira_tui.errors import CarteiraError
from carteira_tui.services.client_codes import resolve_client_in
from carteira_tui.services.segmentation import shown_results
from carteira_tui.store import owners_admin as store
from carteira_tui.store.audit import current_user, write_audit
from carteira_tui.store.db import bump_generation, connect
from carteira_tui.vocab import owners as words

Progress = Callable[[str, float], None]


class OwnerError(CarteiraError, ValueError):
    """An owner action that cannot be done, with a message for people."""


@dataclass(frozen=True)
class OwnerSummary:
    """An owner with their portfolio: clients, revenue and share of each ABC class's revenue."""

    id: int
    name: str
    email: str | None
    capacity: int
    active: bool
    clients: int
    revenue_cents: int
    share_a: float
    share_b: float
    share_c: float
    segments: list[str]


@dataclass(frozen=True)
class AssignResult:
    """What `assign` did (or would do, with `dry_run`).

    `changes` has `id`, `external_id`, `name`, `from_owner`, `to_owner`, `reason`, `abc`,
    `monetary_cents`; `owners` are the portfolios after the run.
    """

    as_of: date
    rotate: bool
    idle_days: int | None
    dry_run: bool
    moved: int
    by_reason: dict[str, int]
    run_id: int | None
    has_values: bool
    seconds: float
    changes: pl.DataFrame = field(repr=False)
    owners: list[OwnerSummary] = field(repr=False)


@dataclass(frozen=True)
class PinResult:
    """A client pinned to (or released from) its owner."""

    external_id: str
    pinned: bool
    owner: str | None
    merged_note: str | None = None
    """"C0000510 foi unificado em C0000022" when the code given was merged away, else None."""


def _notify(on_progress: Progress | None, message: str, fraction: float) -> None:
    if on_progress is not None:
        on_progress(message, fraction)


def _values(db_path: Path, settings: Settings) -> tuple[pl.DataFrame, bool]:
    """(id, segment, abc, monetary_cents) from the last segmentation; empty when there is none."""
    results = shown_results(db_path, settings=settings)
    frame = results.frame.select("id", "segment", "abc", "monetary_cents")
    return frame, results.as_of is not None


def _portfolio(clients: pl.DataFrame, values: pl.DataFrame) -> pl.DataFrame:
    return clients.join(values, on="id", how="left")


def _summaries(
    owners: pl.DataFrame, pools: pl.DataFrame, portfolio: pl.LazyFrame
) -> list[OwnerSummary]:
    loads = engine.owner_loads(portfolio, owners.lazy().select("owner_id")).collect()
    by_owner = {row["owner_id"]: row for row in loads.iter_rows(named=True)}
    segments: dict[int, list[str]] = {}
    for segment, owner_id in pools.iter_rows():
        segments.setdefault(owner_id, []).append(segment)
    summaries = []
    for owner in owners.iter_rows(named=True):
        load = by_owner.get(owner["owner_id"], {})
        summaries.append(
            OwnerSummary(
                id=owner["owner_id"],
                name=owner["name"],
                email=owner["email"],
                capacity=owner["capacity"],
                active=owner["active"],
                clients=int(load.get("clients", 0)),
                revenue_cents=int(load.get("revenue_cents", 0)),
                share_a=float(load.get("share_a", 0.0)),
                share_b=float(load.get("share_b", 0.0)),
                share_c=float(load.get("share_c", 0.0)),
                segments=segments.get(owner["owner_id"], []),
            )
        )
    return summaries


def list_owners(db_path: Path, *, settings: Settings) -> list[OwnerSummary]:
    """Every owner with capacity, active flag, pool segments, clients, revenue and ABC shares."""
    values, _ = _values(db_path, settings)
    with connect(db_path) as db:
        owners = store.read_owners(db)
        pools = store.read_pools(db)
        clients = store.read_client_owners(db)
    return _summaries(owners, pools, _portfolio(clients, values).lazy())


def _check_owner_fields(name: str | None, capacity: int | None) -> None:
    if name is not None and not name.strip():
        raise OwnerError(words.NAME_EMPTY)
    if capacity is not None and capacity <= 0:
        raise OwnerError(words.CAPACITY_NOT_POSITIVE)


def add_owner(
    db_path: Path,
    *,
    name: str,
    email: str | None = None,
    capacity: int = 500,
    active: bool = True,
    segments: list[str] | None = None,
) -> store.OwnerRow:
    """Create an owner; `segments` puts them in those segments' pools."""
    _check_owner_fields(name, capacity)
    name = " ".join(name.split())
    with connect(db_path) as db, db.atomic():
        try:
            store.read_owner(db, name)
        except store.OwnerNotFound:
            pass
        else:
            raise OwnerError(words.owner_exists(name))
        owner = store.insert_owner(db, name=name, email=email, capacity=capacity, active=active)
        if segments:
            store.write_owner_pools(db, owner.id, segments)
        write_audit(
            db,
            action="owner_add",
            entity="owner",
            entity_id=owner.id,
            summary=words.audit_owner_added(name),
            after={
                "name": name,
                "email": email,
                "capacity": capacity,
                "active": active,
                "segments": segments or [],
            },
        )
    return owner


def set_owner(
    db_path: Path,
    *,
    name: str,
    new_name: str | None = None,
    email: str | None = None,
    capacity: int | None = None,
    active: bool | None = None,
    segments: list[str] | None = None,
    login: str | None = None,
    daily_target: int | None = None,
) -> store.OwnerRow:
    """Change an owner's name, e-mail, capacity, active flag, login (who "me" is; "" clears it)
    or pool segments (None = keep)."""
    _check_owner_fields(new_name, capacity)
    with connect(db_path) as db, db.atomic():
        try:
            before = store.read_owner(db, name)
        except store.OwnerNotFound:
            raise OwnerError(words.owner_not_found(name)) from None
        changes: dict[str, Any] = {
            k: v
            for k, v in {
                "name": " ".join(new_name.split()) if new_name else None,
                "email": email,
                "capacity": capacity,
                "active": active,
                "login": login.strip() if login is not None else None,
                "daily_target": daily_target,
            }.items()
            if v is not None
        }
        if changes.get("login") == "":
            changes["login"] = None
        if changes.get("daily_target") == 0:
            changes["daily_target"] = None  # 0 clears the target
        try:
            store.update_owner(db, before.id, changes)
        except sqlite3.IntegrityError:
            raise OwnerError(words.owner_or_login_exists(new_name, login)) from None
        if changes.get("name", before.name) != before.name:
            # the results show the owner's name: a rename changes every one of their clients
            store.touch_owner_clients(db, before.id, generation=bump_generation(db))
        if segments is not None:
            store.write_owner_pools(db, before.id, segments)
            changes["segments"] = segments
        write_audit(
            db,
            action="owner_set",
            entity="owner",
            entity_id=before.id,
            summary=words.audit_owner_changed(before.name),
            before={k: getattr(before, k, None) for k in changes if k != "segments"},
            after=changes,
        )
        return store.read_owner(db, changes.get("name", before.name))


def assign(
    db_path: Path,
    *,
    as_of: date,
    settings: Settings,
    rotate: bool = False,
    idle_days: int | None = None,
    dry_run: bool = False,
    on_progress: Progress | None = None,
) -> AssignResult:
    """Give every unowned client (and every client of an inactive owner) an owner; with
    `rotate`, also move clients untouched for `idle_days` (default from settings) to another
    owner of their pool. Pinned clients are never moved. `dry_run` writes nothing."""
    started = time.perf_counter()
    idle = idle_days if idle_days is not None else settings.rotation_idle_days
    if idle < 0:
        raise OwnerError(words.IDLE_NEGATIVE)
    _notify(on_progress, words.PROGRESS_READING, 0.1)
    values, has_values = _values(db_path, settings)
    with connect(db_path) as db:
        owners = store.read_owners(db)
        pools = store.read_pools(db)
        clients = store.read_client_owners(db)
        touches = store.read_last_touch(db) if rotate else pl.DataFrame(schema=store.TOUCH_SCHEMA)
        if not owners.filter(pl.col("active")).height:
            raise OwnerError(words.NO_ACTIVE_OWNER)
        _notify(on_progress, words.PROGRESS_ASSIGNING, 0.4)
        portfolio = (
            _portfolio(clients, values)
            .join(touches, on="id", how="left")
            .lazy()
            .select(list(engine.CLIENT_SCHEMA))
            .cast(engine.CLIENT_SCHEMA)  # type: ignore[arg-type]
        )
        owner_frame = owners.lazy().select(list(engine.OWNER_SCHEMA))
        candidates = engine.assignment_candidates(
            portfolio, owner_frame, rotate=rotate, as_of=as_of, idle_days=idle
        )
        changes = engine.balanced_assignments(
            portfolio, candidates, owner_frame, pools.lazy()
        ).collect()
        run_id: int | None = None
        if not dry_run and changes.height:
            _notify(on_progress, words.PROGRESS_WRITING, 0.7)
            with db.atomic():
                new_generation = bump_generation(db)
                who = current_user()
                run_id = store.write_assignments(
                    db,
                    changes,
                    as_of=as_of,
                    rotate=rotate,
                    idle_days=idle if rotate else None,
                    who=who,
                    generation=new_generation,
                )
                by_reason = _by_reason(changes)
                write_audit(
                    db,
                    action="assign",
                    entity="assignment_run",
                    entity_id=run_id,
                    who=who,
                    summary=words.audit_assigned(changes.height, idle if rotate else None),
                    after={"as_of": as_of.isoformat(), "rotate": rotate, "by_reason": by_reason},
                )
    after = engine.with_changes(portfolio, changes.lazy())
    names = owners.select("owner_id", "name")
    detailed = (
        changes.join(clients.select("id", "external_id", "name"), on="id", how="left")
        .join(values.select("id", "abc", "monetary_cents"), on="id", how="left")
        .join(
            names.rename({"owner_id": "from_owner_id", "name": "from_owner"}),
            on="from_owner_id",
            how="left",
        )
        .join(
            names.rename({"owner_id": "to_owner_id", "name": "to_owner"}),
            on="to_owner_id",
            how="left",
        )
        .select(
            "id", "external_id", "name", "from_owner", "to_owner", "reason", "abc", "monetary_cents"
        )
        .sort("id")
    )
    _notify(on_progress, words.PROGRESS_DONE, 1.0)
    return AssignResult(
        as_of=as_of,
        rotate=rotate,
        idle_days=idle if rotate else None,
        dry_run=dry_run,
        moved=changes.height,
        by_reason=_by_reason(changes),
        run_id=run_id,
        has_values=has_values,
        seconds=time.perf_counter() - started,
        changes=detailed,
        owners=_summaries(owners, pools, after),
    )


def _by_reason(changes: pl.DataFrame) -> dict[str, int]:
    return {str(reason): int(n) for reason, n in changes.group_by("reason").len().iter_rows()}


def pin_client(db_path: Path, *, client: str, pinned: bool = True) -> PinResult:
    """Pin a client (by external id) to its owner, so the giro never moves it; or release it."""
    with connect(db_path) as db, db.atomic():
        resolved = resolve_client_in(db, client)  # a merged-away code names its survivor
        found = store.read_client_pin(db, resolved.client_id) if resolved else None
        if resolved is None or found is None:
            raise OwnerError(words.client_not_found(client))
        client_id = resolved.client_id
        owner_id, was_pinned = found
        if pinned and owner_id is None:
            raise OwnerError(words.pin_needs_owner(client))
        owner = None
        if owner_id is not None:
            row = db.execute("SELECT name FROM owners WHERE id = ?", [owner_id]).fetchone()
            owner = str(row[0]) if row else None
        if was_pinned != pinned:
            store.write_pinned(db, client_id, pinned=pinned)
            write_audit(
                db,
                action="pin" if pinned else "unpin",
                entity="client",
                entity_id=client_id,
                client_id=client_id,
                summary=words.audit_pinned(pinned, owner),
                before={"pinned": was_pinned},
                after={"pinned": pinned},
            )
    return PinResult(resolved.external_id, pinned, owner, resolved.merged_note)


def assignment_log(db_path: Path, *, client: str | None = None) -> pl.DataFrame:
    """The assignment log with owner names and external ids, newest first."""
    with connect(db_path) as db:
        client_id = None
        if client is not None:
            resolved = resolve_client_in(db, client)  # a merged-away code names its survivor
            if resolved is None:
                raise OwnerError(words.client_not_found(client))
            client_id = resolved.client_id
        log = store.read_assignment_log(db, client_id=client_id)
        names = store.read_owners(db).select("owner_id", "name")
        ids = store.read_client_owners(db).select("id", "external_id")
    return (
        log.join(ids, on="id", how="left")
        .join(
            names.rename({"owner_id": "from_owner_id", "name": "from_owner"}),
            on="from_owner_id",
            how="left",
        )
        .join(
            names.rename({"owner_id": "to_owner_id", "name": "to_owner"}),
            on="to_owner_id",
            how="left",
        )
        .sort(["run_id", "id"], descending=[True, False])
    )
