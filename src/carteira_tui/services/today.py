"""Hoje: today's queue, one row per client, for an owner ("me" or a name) — `carteira today`
and the Hoje pane call `today_queue`; `local_today` is "today" in Brazil for every command.

A row is a client with open work due up to the day shown; its urgency is the one function's
(`services.tasks.scored_open_tasks`), so it equals `tasks explain` of its first task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine import tasks as engine
from carteira_tui.engine.calendar import local_date
from carteira_tui.services.me import MeUnknown, resolve_me_in
from carteira_tui.services.tasks import TaskError, _owner_id_or_fail, scored_open_tasks
from carteira_tui.store.db import connect
from carteira_tui.store.tasks import read_daily_progress


@dataclass(frozen=True)
class TodayQueue:
    """Today's rows (`engine.tasks.today_rows`), for whom and as of which day."""

    as_of: date
    owner: str | None
    rows: pl.DataFrame
    clients: int
    contacted: int = 0
    """Clients of the owner shown contacted on the day (0 for everybody's queue)."""
    target: int | None = None
    """The owner's daily target of contacts, when one is set."""

    def progress(self) -> str:
        """`12 de 30 hoje` (or `12 contatos hoje` without a target); empty for everybody."""
        if self.owner is None:
            return ""
        if self.target:
            return f"{self.contacted} de {self.target} hoje"
        return f"{self.contacted} contatos hoje"


def local_today(settings: Settings, now: datetime | None = None) -> date:
    """Today's date where the team works (`settings.time_zone`, Brazil by default)."""
    return local_date(now or datetime.now().astimezone(), settings.time_zone)


def local_now(settings: Settings) -> datetime:
    """The wall-clock time where the team works, without a zone (how interactions are stored)."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(settings.time_zone)).replace(tzinfo=None, microsecond=0)


def today_queue(
    db_path: Path,
    *,
    as_of: date,
    settings: Settings,
    owner: str | None = None,
    mine: bool = False,
    limit: int | None = None,
) -> TodayQueue:
    """The clients with contact work due up to `as_of`, most urgent first (one row each)."""
    with connect(db_path) as db:
        owner_name: str | None = None
        owner_id: int | None = None
        if mine:
            try:
                me = resolve_me_in(db, settings=settings)
            except MeUnknown as error:
                raise TaskError(str(error)) from error
            owner_id, owner_name = me.owner_id, me.name
        elif owner:
            owner_id, owner_name = _owner_id_or_fail(db, owner), owner
        scored = scored_open_tasks(
            db, as_of=as_of, settings=settings, owner_id=owner_id, due_to=as_of
        )
        contacted, target = (
            read_daily_progress(db, owner_id, as_of) if owner_id is not None else (0, None)
        )
    rows = engine.today_rows(scored.lazy(), as_of=as_of).collect()
    shown = rows.head(limit) if limit else rows
    return TodayQueue(
        as_of=as_of,
        owner=owner_name,
        rows=shown,
        clients=rows.height,
        contacted=contacted,
        target=target,
    )


def contact_logged(
    db_path: Path,
    *,
    client_id: int,
    outcome: str,
    channel: str | None,
    on: date,
    settings: Settings,
    note: str | None = None,
    follow_up: date | None = None,
) -> int:
    """Hoje's "done": log the contact on the client's timeline — when it reached the client it
    closes their contact tasks due up to `on` (DECISIONS "Hoje") — and, with `follow_up`, add a
    return contact that day. Returns the interaction id."""
    from carteira_tui.services import clients

    at = datetime.combine(on, local_now(settings).time())
    logged = clients.log_interaction(
        db_path, client_id, at=at, outcome=outcome, channel=channel, note=note
    )
    if follow_up is not None:
        clients.set_follow_up(db_path, client_id, due=follow_up, as_of=on, settings=settings)
    return logged.interaction_id


def client_why(db_path: Path, *, client_id: int, as_of: date, settings: Settings) -> str | None:
    """The "why" Hoje shows for this client as of `as_of` (for the card's first lines), or None
    when the client has no open work due by then."""
    with connect(db_path) as db:
        scored = scored_open_tasks(
            db, as_of=as_of, settings=settings, client_id=client_id, due_to=as_of
        )
    rows = engine.today_rows(scored.lazy(), as_of=as_of).collect()
    return str(rows["why"][0]) if rows.height else None
