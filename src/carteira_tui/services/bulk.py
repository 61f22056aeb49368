"""Bulk actions on a set of clients: reassign the owner, add or remove a tag, archive, add a task.

The Clientes pane calls these on the marked rows (`v`/`V`, then `b`). Every action runs in one
transaction: the clients change together or not at all. Owner, tag and archive changes bump the
generation so the segmentation cache picks them up, and every changed client gets an audit row
with its values before and after; creating tasks goes through `services.tasks.add_tasks` (one
task and one audit row per client).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.errors import CarteiraError
from carteira_tui.services.tasks import add_tasks
from carteira_tui.store import bulk as store
from carteira_tui.store.audit import write_audit
from carteira_tui.store.db import bump_generation, connect
from carteira_tui.vocab import bulk as words

Progress = Callable[[str, float], None]

TAG_SEPARATORS = r"[;|]"
TAG_JOINER = ", "
TAG_MAX = 40

ACTION_LABELS = words.ACTION_LABELS
"""The bulk actions, in the order the modal lists them, with their pt-BR names."""


class BulkError(CarteiraError, ValueError):
    """A bulk action that cannot be done, with a pt-BR message; nothing was written."""


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: how many clients it was asked for and how many it changed."""

    action: str
    requested: int
    changed: int
    generation: int | None
    task_ids: tuple[int, ...] = ()

    @property
    def unchanged(self) -> int:
        """Clients that already were as asked (same owner, tag present/absent, archived)."""
        return self.requested - self.changed

    @property
    def summary(self) -> str:
        """One pt-BR line for the person."""
        return words.summary(self.action, self.changed, self.unchanged)


def _notify(on_progress: Progress | None, message: str, fraction: float) -> None:
    if on_progress is not None:
        on_progress(message, fraction)


def _state_or_fail(db: Database, client_ids: Sequence[int]) -> pl.DataFrame:
    if not client_ids:
        raise BulkError(words.NONE_SELECTED)
    state = store.read_client_state(db, client_ids)
    missing = sorted(set(client_ids) - set(state.get_column("id").to_list()))
    if missing:
        raise BulkError(words.clients_not_found(missing))
    return state


def reassign_clients(
    db_path: Path,
    *,
    client_ids: Sequence[int],
    owner: str,
    on_progress: Progress | None = None,
) -> BulkResult:
    """Give every client to the owner called `owner` (an existing one, any case)."""
    with connect(db_path) as db, db.atomic():
        found = store.read_owner(db, owner)
        if found is None:
            raise BulkError(words.owner_not_found(owner, store.read_owner_names(db)[:8]))
        owner_id, owner_name = found
        state = _state_or_fail(db, client_ids)
        moving = state.filter(pl.col("owner_id").is_null() | (pl.col("owner_id") != owner_id))
        generation = None
        if moving.height:
            _notify(on_progress, words.PROGRESS_REASSIGNING, 0.5)
            generation = bump_generation(db)
            ids = moving.get_column("id").to_list()
            store.write_owner(db, ids, owner_id, generation=generation)
            for client_id, before in moving.select("id", "owner").iter_rows():
                write_audit(
                    db,
                    action="trocar_responsavel",
                    entity="client",
                    entity_id=client_id,
                    client_id=client_id,
                    summary=words.audit_owner(before, owner_name),
                    before={"owner": before},
                    after={"owner": owner_name},
                )
    return BulkResult("reassign", state.height, moving.height, generation)


def _tag_list(column: str) -> pl.Expr:
    """The tags of a `tags` text as a list of stripped, non-empty strings."""
    return (
        pl.col(column)
        .fill_null("")
        .str.replace_all(TAG_SEPARATORS, ",")
        .str.split(",")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def _joined(tags: pl.Expr) -> pl.Expr:
    text = tags.list.join(TAG_JOINER)
    return pl.when(text == "").then(None).otherwise(text)


def with_tag(frame: pl.DataFrame, tag: str) -> pl.DataFrame:
    """`frame` (id, tags) with `new_tags`: the tag appended where no tag equals it (any case)."""
    has = _tag_list("tags").list.eval(pl.element().str.to_lowercase() == tag.lower()).list.any()
    appended = _tag_list("tags").list.concat(pl.lit([tag], dtype=pl.List(pl.String)))
    return frame.with_columns(
        pl.when(has).then(pl.col("tags")).otherwise(_joined(appended)).alias("new_tags")
    )


def without_tag(frame: pl.DataFrame, tag: str) -> pl.DataFrame:
    """`frame` (id, tags) with `new_tags`: every tag equal to `tag` (any case) removed."""
    kept = _tag_list("tags").list.eval(
        pl.element().filter(pl.element().str.to_lowercase() != tag.lower())
    )
    has = _tag_list("tags").list.eval(pl.element().str.to_lowercase() == tag.lower()).list.any()
    return frame.with_columns(
        pl.when(has).then(_joined(kept)).otherwise(pl.col("tags")).alias("new_tags")
    )


def _clean_tag(tag: str) -> str:
    tag = " ".join(tag.split())
    if not tag:
        raise BulkError(words.TAG_REQUIRED)
    if any(ch in tag for ch in ",;|"):
        raise BulkError(words.ONE_TAG)
    if len(tag) > TAG_MAX:
        raise BulkError(words.tag_too_long(TAG_MAX))
    return tag


def _retag(
    db_path: Path,
    action: str,
    client_ids: Sequence[int],
    tag: str,
    on_progress: Progress | None,
) -> BulkResult:
    tag = _clean_tag(tag)
    with connect(db_path) as db, db.atomic():
        state = _state_or_fail(db, client_ids)
        step = with_tag if action == "tag" else without_tag
        changed = step(state.select("id", "tags"), tag).filter(
            pl.col("tags").ne_missing(pl.col("new_tags"))
        )
        generation = None
        if changed.height:
            _notify(on_progress, words.PROGRESS_TAGGING, 0.5)
            generation = bump_generation(db)
            store.write_tags(
                db, changed.select("id", pl.col("new_tags").alias("tags")), generation=generation
            )
            for client_id, before, after in changed.iter_rows():
                write_audit(
                    db,
                    action="etiquetar" if action == "tag" else "remover_etiqueta",
                    entity="client",
                    entity_id=client_id,
                    client_id=client_id,
                    summary=words.audit_tag(tag, added=action == "tag"),
                    before={"tags": before},
                    after={"tags": after},
                )
    return BulkResult(action, state.height, changed.height, generation)


def tag_clients(
    db_path: Path,
    *,
    client_ids: Sequence[int],
    tag: str,
    on_progress: Progress | None = None,
) -> BulkResult:
    """Add `tag` to every client that does not have it yet."""
    return _retag(db_path, "tag", client_ids, tag, on_progress)


def untag_clients(
    db_path: Path,
    *,
    client_ids: Sequence[int],
    tag: str,
    on_progress: Progress | None = None,
) -> BulkResult:
    """Remove `tag` (any case) from every client that has it."""
    return _retag(db_path, "untag", client_ids, tag, on_progress)


def archive_clients(
    db_path: Path,
    *,
    client_ids: Sequence[int],
    on_progress: Progress | None = None,
) -> BulkResult:
    """Archive the clients not archived yet (never deletes; `carteira clean restore` undoes)."""
    with connect(db_path) as db, db.atomic():
        state = _state_or_fail(db, client_ids)
        archiving = state.filter(pl.col("archived") == 0)
        generation = None
        if archiving.height:
            _notify(on_progress, words.PROGRESS_ARCHIVING, 0.5)
            generation = bump_generation(db)
            stamp = store.read_now(db)
            ids = archiving.get_column("id").to_list()
            store.write_archived(db, ids, archived_at=stamp, generation=generation)
            for client_id, archived_at in archiving.select("id", "archived_at").iter_rows():
                write_audit(
                    db,
                    action="arquivar",
                    entity="client",
                    entity_id=client_id,
                    client_id=client_id,
                    summary=words.AUDIT_ARCHIVED,
                    before={"archived": 0, "archived_at": archived_at},
                    after={"archived": 1, "archived_at": stamp},
                )
    return BulkResult("archive", state.height, archiving.height, generation)


def create_tasks(
    db_path: Path,
    *,
    client_ids: Sequence[int],
    title: str,
    due: date,
    as_of: date,
    settings: Settings,
    priority: str = "M",
    owner: str | None = None,
    on_progress: Progress | None = None,
) -> BulkResult:
    """Add the same manual task to every client, in one transaction (services.tasks.add_tasks).

    Everything is checked before the first task is written: the title, the owner and every
    client; a failure on the way writes none.
    """
    if not title.strip():
        raise BulkError(words.TITLE_REQUIRED)
    if priority not in ("H", "M", "L"):
        raise BulkError(words.PRIORITY_CHOICES)
    with connect(db_path) as db:
        state = _state_or_fail(db, client_ids)
        if owner and store.read_owner(db, owner) is None:
            raise BulkError(words.owner_not_found(owner))
    external_ids = [str(e) for e in state.get_column("external_id").to_list()]
    created = add_tasks(
        db_path,
        clients=external_ids,
        title=title,
        due=due,
        as_of=as_of,
        settings=settings,
        owner=owner,
        priority=priority,
        on_each=lambda index: _notify(
            on_progress, words.PROGRESS_TASKS, (index + 1) / len(external_ids)
        ),
    )
    task_ids = [task.task_id for task in created]
    return BulkResult("task", state.height, len(task_ids), None, tuple(task_ids))


def run_bulk_action(
    db_path: Path,
    *,
    action: str,
    client_ids: list[int],
    value: str = "",
    due: date | None = None,
    today: date,
    settings: Settings,
    on_progress: Progress | None = None,
) -> BulkResult:
    """Run the bulk `action` (a key of `ACTION_LABELS`) with its `value` on `client_ids`: the one
    entry the Clientes pane's `b` calls, so the pane never picks a service by name itself."""
    ids, progress = client_ids, on_progress
    if action == "reassign":
        return reassign_clients(db_path, client_ids=ids, owner=value, on_progress=progress)
    if action == "tag":
        return tag_clients(db_path, client_ids=ids, tag=value, on_progress=progress)
    if action == "untag":
        return untag_clients(db_path, client_ids=ids, tag=value, on_progress=progress)
    if action == "archive":
        return archive_clients(db_path, client_ids=ids, on_progress=progress)
    if action != "task":
        raise BulkError(words.unknown_action(action))
    return create_tasks(
        db_path,
        client_ids=ids,
        title=value,
        due=due or today,
        as_of=today,
        settings=settings,
        on_progress=progress,
    )
