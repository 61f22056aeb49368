"""Hoje's rows in plain Python: the channel to use now, the client's cadence state, the "why"
sentence, and one row per client from their scored open tasks.

`services.today` builds the queue with these (no Polars: `carteira today` starts in a fraction
of a second); `services.tasks.scored_open_tasks` takes the channel rule from here too. The
urgency is `engine.urgency`'s, the one function. No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from carteira_tui.engine.urgency import cadence_state, last_contact
from carteira_tui.model import CONSENT_COLUMNS, channel_key
from carteira_tui.vocab import explain as words

CADENCE_LABELS: dict[str, str] = words.CADENCE_LABELS
"""Each DESIGN.md cadence state with the words people read."""

NOT_CONTACT_KINDS: tuple[str, ...] = ("cobranca", "manual")
"""Task kinds that are not contact work: a logged contact never closes them (DECISIONS)."""


@lru_cache(maxsize=256)
def _channel_key(spelling: str | None) -> str | None:
    """`model.channel_key`, remembered: a queue repeats a handful of spellings."""
    return channel_key(spelling)


def usable_channel_of(
    preferred: str | None,
    plan_channel: str | None,
    consents: Mapping[str, object],
    *,
    opt_out: object = False,
) -> str | None:
    """The channel to use: the client's preferred one if consented, else the plan's if
    consented, else the first consented one (WhatsApp, telefone, e-mail, SMS); None when the
    client accepted none or opted out. `consents` maps a consent column (`consent_email`) to
    1/0/None; a refused channel is never chosen. `engine.tasks.usable_channel` is this rule
    over a frame (tests check the two agree on every combination)."""
    if opt_out:
        return None
    for key in (_channel_key(preferred), _channel_key(plan_channel)):
        if key in CONSENT_COLUMNS and consents.get(CONSENT_COLUMNS[key]):
            return key
    for channel, column in CONSENT_COLUMNS.items():
        if consents.get(column):
            return channel
    return None


def task_channel(
    kind: str | None,
    task_channel: str | None,
    preferred: str | None,
    consents: Mapping[str, object],
    *,
    opt_out: object = False,
) -> str | None:
    """The channel a task shows now: the usable one (consents as they are today); for work
    that is not a contact (a collection, a manual task) the task's own channel when none is."""
    chosen = usable_channel_of(preferred, task_channel, consents, opt_out=opt_out)
    if chosen is None and kind in NOT_CONTACT_KINDS:
        return _channel_key(task_channel)
    return chosen


class QueueTask(NamedTuple):
    """One scored open task of the queue, with what its client row shows (a tuple: tens of
    thousands are made for everybody's queue)."""

    id: int
    client_id: int
    external_id: str
    name: str
    owner: str | None
    kind: str | None
    title: str | None
    due: date
    urgency: float
    channel: str | None
    abc: str | None
    first_purchase: date | None
    last_purchase: date | None
    purchase_days: int | None
    last_interaction: date | None
    cadence_ideal: int | None
    cadence_max: int | None


@dataclass(frozen=True)
class TodayTask:
    """A task as a queue row lists it."""

    id: int
    kind: str | None
    title: str | None
    due: date


@dataclass(frozen=True)
class TodayRow:
    """One client of today's queue: its most urgent task's urgency, channel and "why"."""

    client_id: int
    external_id: str
    name: str
    owner: str | None
    urgency: float
    channel: str | None
    why: str
    cadence: str | None
    due: date
    tasks: tuple[TodayTask, ...]


def _days(later: date, earlier: date | None) -> int | None:
    return None if earlier is None else (later - earlier).days


def why(task: QueueTask, *, cadence: str | None, as_of: date) -> str:
    """One pt-BR sentence saying why a client is in today's queue: `Cliente A; comprava a cada
    21 dias e está há 64 sem comprar; último contato há 40 dias` (DESIGN.md's cycle_days and
    recency as of `as_of`, last logged interaction)."""
    recency = _days(as_of, task.last_purchase)
    cycle: float | None = None
    if (
        task.purchase_days is not None
        and task.purchase_days >= 2
        and task.first_purchase is not None
        and task.last_purchase is not None
    ):
        cycle = (task.last_purchase - task.first_purchase).days / (task.purchase_days - 1)
    parts: list[str] = []
    if task.kind == "aniversario":
        parts.append(words.birthday(task.due.strftime("%d/%m")))
    if task.kind == "cobranca":
        parts.append(words.OPEN_BILL)
    if task.abc is not None:
        parts.append(words.client_curve(task.abc))
    if cycle is not None and recency is not None and recency > cycle:
        parts.append(words.past_cycle(round(cycle), recency))
    elif recency is not None:
        parts.append(words.last_purchase(recency))
    else:
        parts.append(words.NEVER_BOUGHT)
    since_contact = _days(as_of, task.last_interaction)
    if since_contact is None:
        parts.append(words.NO_CONTACT)
    elif since_contact == 0:
        parts.append(words.CONTACT_TODAY)
    elif since_contact == 1:
        parts.append(words.CONTACT_YESTERDAY)
    else:
        parts.append(words.last_contact(since_contact))
    if cadence == "atrasado":
        parts.append(words.off_cadence(task.cadence_max))
    if task.channel is None:
        parts.append(words.NO_CHANNEL)
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:]


def today_rows(
    tasks: Iterable[QueueTask], *, as_of: date, limit: int | None = None
) -> tuple[list[TodayRow], int]:
    """Hoje: one row per client from its scored open tasks, most urgent first (urgency, then
    earliest due, then client), at most `limit` of them, and how many clients there are in all.
    A row's urgency, channel and "why" are its most urgent task's (urgency, then due, then id),
    which heads `tasks`; `cadence` is the client's DESIGN.md cadence state in that task's
    segment."""
    by_client: dict[int, list[QueueTask]] = {}
    for task in tasks:
        by_client.setdefault(task.client_id, []).append(task)
    heads: list[list[QueueTask]] = []
    for client_tasks in by_client.values():
        client_tasks.sort(key=lambda t: (-t.urgency, t.due, t.id))
        heads.append(client_tasks)
    heads.sort(key=lambda group: (-group[0].urgency, group[0].due, group[0].client_id))
    rows: list[TodayRow] = []
    for client_tasks in heads[:limit] if limit else heads:
        head = client_tasks[0]
        contact = last_contact(head.last_interaction, head.last_purchase)
        cadence = cadence_state(_days(as_of, contact), head.cadence_ideal, head.cadence_max)
        rows.append(
            TodayRow(
                client_id=head.client_id,
                external_id=head.external_id,
                name=head.name,
                owner=head.owner,
                urgency=head.urgency,
                channel=head.channel,
                why=why(head, cadence=cadence, as_of=as_of),
                cadence=cadence,
                due=head.due,
                tasks=tuple(TodayTask(t.id, t.kind, t.title, t.due) for t in client_tasks),
            )
        )
    return rows, len(heads)
