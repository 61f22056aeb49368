"""Hoje: today's queue, one row per client, for an owner ("me" or a name) — `carteira today`
and the Hoje pane call `today_queue`; `local_today` is "today" in Brazil for every command.

A row is a client with open work due up to the day shown; its urgency is the one function's
(`engine.urgency`), so it equals `tasks explain` of its first task. The queue is built from one
query and plain Python (`engine.today`): `carteira today` loads neither Polars nor sqlite-utils
(`store.reader`), so it answers in a fraction of a second at a million clients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carteira_tui.config import Settings
from carteira_tui.engine.calendar import local_date
from carteira_tui.engine.today import QueueTask, TodayRow, task_channel, today_rows
from carteira_tui.engine.urgency import UrgencyInputs, Weights, urgency
from carteira_tui.services.me import MeUnknown, resolve_me_in
from carteira_tui.services.task_error import TaskError, owner_id_or_fail
from carteira_tui.store.open_tasks import read_daily_progress, read_open_task_rows
from carteira_tui.store.reader import reading

if TYPE_CHECKING:
    import polars as pl

__all__ = ["TaskError", "TodayQueue", "TodayRow", "client_why", "local_today", "today_queue"]


@dataclass(frozen=True)
class TodayQueue:
    """Today's rows (`engine.today.today_rows`), for whom and as of which day."""

    as_of: date
    owner: str | None
    items: tuple[TodayRow, ...]
    """The rows shown (at most the limit asked), most urgent first."""
    clients: int
    """How many clients have work due (all of them, beyond the limit)."""
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
        return f"{self.contacted} contato{'' if self.contacted == 1 else 's'} hoje"

    @cached_property
    def rows(self) -> pl.DataFrame:
        """The rows as a frame (the pane's table): client_id, external_id, name, owner, urgency,
        channel, why, cadence, due and tasks (`{id, kind, title, due}`); loads Polars."""
        return queue_frame(self.items)


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
    with reading(db_path) as db:
        owner_name: str | None = None
        owner_id: int | None = None
        if mine:
            try:
                me = resolve_me_in(db, settings=settings)
            except MeUnknown as error:
                raise TaskError(str(error)) from error
            owner_id, owner_name = me.owner_id, me.name
        elif owner:
            owner_id, owner_name = owner_id_or_fail(db, owner), owner
        found = read_open_task_rows(db, as_of=as_of, owner_id=owner_id, due_to=as_of)
        contacted, target = (
            read_daily_progress(db, owner_id, as_of) if owner_id is not None else (0, None)
        )
    rows, clients = today_rows(
        scored_tasks(found, as_of=as_of, settings=settings), as_of=as_of, limit=limit
    )
    return TodayQueue(
        as_of=as_of,
        owner=owner_name,
        items=tuple(rows),
        clients=clients,
        contacted=contacted,
        target=target,
    )


def scored_tasks(
    rows: Sequence[Sequence[Any]], *, as_of: date, settings: Settings
) -> list[QueueTask]:
    """Open-task rows (`store.open_tasks.OPEN_TASK_COLUMNS`) with the one urgency as of
    `as_of` and the channel to use now (the client's consents as they are today)."""
    weights = Weights.of(settings)
    days: dict[str, date] = {}  # tens of thousands of rows share a few hundred dates

    def day(text: str | None) -> date | None:
        if not text:
            return None
        key = text[:10]
        found = days.get(key)
        if found is None:
            found = days[key] = date.fromisoformat(key)
        return found

    scored: list[QueueTask] = []
    for (
        task_id,
        client_id,
        external_id,
        client_name,
        kind,
        title,
        priority,
        channel,
        _owner_id,
        owner,
        due_text,
        created_on,
        abc,
        cooling,
        _segment,
        first_text,
        last_text,
        purchase_days,
        monetary_cents,
        interaction_text,
        cadence_ideal,
        cadence_max,
        channel_pref,
        consent_whatsapp,
        consent_phone,
        consent_email,
        consent_sms,
        opt_out,
        fit_r,
        fit_alpha,
        fit_a,
        fit_b,
    ) in rows:
        due = day(due_text) or as_of
        first_purchase, last_purchase = day(first_text), day(last_text)
        last_interaction = day(interaction_text)
        inputs = UrgencyInputs(
            due,
            priority,
            abc,
            None if cooling is None else bool(cooling),
            day(created_on),
            first_purchase,
            last_purchase,
            purchase_days,
            monetary_cents,
            last_interaction,
            cadence_max,
            fit_r,
            fit_alpha,
            fit_a,
            fit_b,
        )
        consents = {
            "consent_whatsapp": consent_whatsapp,
            "consent_phone": consent_phone,
            "consent_email": consent_email,
            "consent_sms": consent_sms,
        }
        scored.append(
            QueueTask(
                task_id,
                client_id,
                external_id,
                client_name,
                owner,
                kind,
                title,
                due,
                urgency(inputs, as_of=as_of, weights=weights),
                task_channel(kind, channel, channel_pref, consents, opt_out=opt_out),
                abc,
                first_purchase,
                last_purchase,
                purchase_days,
                last_interaction,
                cadence_ideal,
                cadence_max,
            )
        )
    return scored


def queue_frame(rows: Sequence[TodayRow]) -> pl.DataFrame:
    """Today's rows as a Polars frame (the pane's table reads frames)."""
    import polars as pl

    task = pl.Struct(
        {"id": pl.Int64(), "kind": pl.String(), "title": pl.String(), "due": pl.Date()}
    )
    schema: dict[str, pl.DataType] = {
        "client_id": pl.Int64(),
        "external_id": pl.String(),
        "name": pl.String(),
        "owner": pl.String(),
        "urgency": pl.Float64(),
        "channel": pl.String(),
        "why": pl.String(),
        "cadence": pl.String(),
        "due": pl.Date(),
        "tasks": pl.List(task),
    }
    return pl.DataFrame(
        [
            (
                row.client_id,
                row.external_id,
                row.name,
                row.owner,
                row.urgency,
                row.channel,
                row.why,
                row.cadence,
                row.due,
                [{"id": t.id, "kind": t.kind, "title": t.title, "due": t.due} for t in row.tasks],
            )
            for row in rows
        ],
        schema=schema,
        orient="row",
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
    with reading(db_path) as db:
        found = read_open_task_rows(db, as_of=as_of, client_id=client_id, due_to=as_of)
    rows, _clients = today_rows(
        scored_tasks(found, as_of=as_of, settings=settings), as_of=as_of, limit=1
    )
    return rows[0].why if rows else None
