"""The read of open tasks with what urgency, the channel and the "why" need about their client.

One query for `store.tasks.read_open_tasks` (a Polars frame for the task services) and for
`services.today` (plain rows: `carteira today` loads neither Polars nor sqlite-utils). Dates
come back as ISO text, as stored.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carteira_tui.store.reader import Readable

OPEN = "aberta"

OPEN_TASK_COLUMNS: tuple[str, ...] = (
    "id",
    "client_id",
    "external_id",
    "client_name",
    "kind",
    "title",
    "priority",
    "channel",
    "owner_id",
    "owner",
    "due",
    "created_on",
    "abc",
    "cooling",
    "segment",
    "first_purchase",
    "last_purchase",
    "purchase_days",
    "monetary_cents",
    "last_interaction",
    "cadence_ideal",
    "cadence_max",
    "channel_pref",
    "consent_whatsapp",
    "consent_phone",
    "consent_email",
    "consent_sms",
    "opt_out",
    "fit_r",
    "fit_alpha",
    "fit_a",
    "fit_b",
)
"""The columns of `read_open_task_rows`, in order."""


def read_open_task_rows(
    db: Readable,
    *,
    as_of: date,
    owner_id: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    task_id: int | None = None,
    client_id: int | None = None,
    any_status: bool = False,
    stale_on: date | None = None,
) -> list[tuple[Any, ...]]:
    """Open tasks (or one task, `task_id`, in any state with `any_status`) with their client's
    aggregates, last interaction on or before `as_of`, segment cadence, channel preference,
    consents and the kept BG/NBD fit (`OPEN_TASK_COLUMNS`). Indexed: by owner through
    `tasks_owner_queue`, per client by primary keys; the last interaction is the client's kept
    one (`client_last_contact`) unless that is later than `as_of`, then looked up through
    `interactions_client`."""
    where: list[str] = [] if any_status else ["t.status = ?"]
    next_day = (as_of + timedelta(days=1)).isoformat()
    params: list[Any] = [next_day, next_day, *([] if any_status else [OPEN])]
    for clause, value in (
        ("t.owner_id = ?", owner_id),
        ("t.due >= ?", due_from.isoformat() if due_from else None),
        ("t.due <= ?", due_to.isoformat() if due_to else None),
        ("t.id = ?", task_id),
        ("t.client_id = ?", client_id),
        ("(t.urgency_on IS NULL OR t.urgency_on <> ?)", stale_on.isoformat() if stale_on else None),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    sql = (
        "SELECT t.id, t.client_id, c.external_id, c.name,"
        " COALESCE(t.kind, p.kind, 'manual'), COALESCE(t.title, p.title), t.priority,"
        " t.channel, t.owner_id, o.name, t.due, t.created_on, t.abc, t.cooling, t.segment,"
        " a.first_purchase, a.last_purchase, a.purchase_days, a.monetary_cents,"
        " CASE WHEN lc.last_interaction < ? THEN lc.last_interaction ELSE"
        " (SELECT max(i.at) FROM interactions i WHERE i.client_id = t.client_id AND i.at < ?)"
        " END,"
        " s.cadence_ideal, s.cadence_max, c.channel_pref, c.consent_whatsapp, c.consent_phone,"
        " c.consent_email, c.consent_sms, c.opt_out, f.r, f.alpha, f.a, f.b"
        " FROM tasks t JOIN clients c ON c.id = t.client_id"
        " LEFT JOIN client_aggregates a ON a.client_id = t.client_id"
        " LEFT JOIN client_last_contact lc ON lc.client_id = t.client_id"
        " LEFT JOIN action_plans p ON p.id = t.plan_id"
        " LEFT JOIN owners o ON o.id = t.owner_id"
        " LEFT JOIN segments s ON s.name = t.segment"
        # the kept forecast fit (the newest), for urgency's forecast term
        " LEFT JOIN (SELECT r, alpha, a, b FROM forecast_fits ORDER BY id DESC LIMIT 1) f"
        + (f" WHERE {' AND '.join(where)}" if where else "")
    )
    return list(db.execute(sql, params).fetchall())


def read_owner_id(db: Readable, name: str) -> int | None:
    """The id of the owner called `name` (case-insensitive), or None."""
    row = db.execute("SELECT id FROM owners WHERE lower(name) = lower(?)", [name]).fetchone()
    return int(row[0]) if row else None


def read_daily_progress(db: Readable, owner_id: int, day: date) -> tuple[int, int | None]:
    """(clients of the owner contacted on `day`, the owner's daily target or None)."""
    target = db.execute("SELECT daily_target FROM owners WHERE id = ?", [owner_id]).fetchone()
    done = db.execute(
        "SELECT count(DISTINCT i.client_id) FROM interactions i"
        " JOIN clients c ON c.id = i.client_id WHERE c.owner_id = ? AND i.at >= ? AND i.at < ?",
        [owner_id, day.isoformat(), (day + timedelta(days=1)).isoformat()],
    ).fetchone()
    return int(done[0]), (int(target[0]) if target and target[0] is not None else None)
