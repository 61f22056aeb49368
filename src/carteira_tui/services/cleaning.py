"""Limpeza services (DESIGN.md step 2): report, normalise, merge duplicates, archive stale contacts.

`carteira clean` and the TUI's merge and client screens call these. Each opens its own
connection and does its writes in one `db.atomic()`; every merge, undo, archive and restore is
written to the audit trail. Invalid values are never dropped: the raw value stays on the client
and a flagged issue is stored (`client_issues`), shown by the report and by `client_quality`.

Decisions:
- normalising writes a field only when the engine found it valid (no issue) and its normalised
  form differs from what is stored: a CPF/CNPJ as its bare key, a phone as E.164, an e-mail in
  lower case, a city in its canonical spelling, UF as the code, CEP as 8 digits (the importer's
  form); screens format them (`document_display_expr`, `phone_display_expr`);
- duplicates are looked for among unarchived clients only; `merge_duplicates` (`clean --apply`)
  merges only `alta` clusters, keeping the suggested survivor and the suggested values;
- a merge keeps, unless told otherwise, the survivor's own values, and the protective flags
  (opt-out, inadimplente, restrição de crédito, fixado) of any member;
- a prospect with no interaction counts from the day it was registered, so nothing entered
  recently is proposed for archiving.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from carteira_tui.config import Settings
from carteira_tui.engine.aggregates import order_aggregates
from carteira_tui.engine.clean import (
    CLEAN_FIELDS,
    ISSUE_LABELS,
    client_issues,
    normalized_clients,
)
from carteira_tui.engine.dedup import Confidence, duplicate_clusters, merge_plan
from carteira_tui.errors import CarteiraError
from carteira_tui.fields import CLIENT_RECORD_LABELS, tag_list
from carteira_tui.model import Col, format_moment_br
from carteira_tui.store import aggregates as aggregates_store
from carteira_tui.store import cleaning as store
from carteira_tui.store import orders as orders_store
from carteira_tui.store.audit import current_user, write_audit
from carteira_tui.store.clients import CLIENT_COLUMNS
from carteira_tui.store.db import bump_generation, connect, generation, mark_reset
from carteira_tui.vocab import cleaning_rules as words

Progress = Callable[[str, float], None]


def _local_today() -> date:
    """Today in Brazil (`services.today.local_today`, the CLI's "today"), imported when needed:
    it loads the holiday calendar, which most cleaning commands never use."""
    from carteira_tui.services.today import local_today

    return local_today(Settings())


MERGEABLE_FIELDS: tuple[str, ...] = tuple(
    name for name in CLIENT_COLUMNS if name not in store.FIXED_CLIENT_COLUMNS
)
PROTECTIVE_FLAGS: tuple[str, ...] = ("opt_out", "delinquent", "credit_restriction", "pinned")

FIELD_LABELS: dict[str, str] = {**CLIENT_RECORD_LABELS, "owner_id": CLIENT_RECORD_LABELS["owner"]}

STALE_LABELS: dict[str, str] = {
    store.STALE_PROSPECT: words.STALE_PROSPECT,
    store.STALE_FORMER: words.STALE_FORMER,
}

CLUSTER_COLUMNS = pl.Schema(
    {
        "cluster_id": pl.Int64(),
        Col.CLIENT_ID: pl.Int64(),
        Col.EXTERNAL_ID: pl.String(),
        "name": pl.String(),
        "is_survivor": pl.Boolean(),
        "completeness": pl.Int64(),
        "score": pl.Float64(),
        "confidence": pl.String(),
        "reasons": pl.List(pl.String()),
    }
)


class CleaningError(CarteiraError, ValueError):
    """A Limpeza action that cannot be done, with a message for people."""


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityIssue:
    """One flagged field of a client: the raw value it keeps and why it is flagged."""

    field: str
    raw_value: str | None
    issue: str
    label: str


@dataclass(frozen=True)
class ClientQuality:
    """The client card's data-quality box: completeness (0-100) and flagged fields."""

    client_id: int
    completeness: int
    issues: list[QualityIssue]


@dataclass(frozen=True)
class CleaningReport:
    """`carteira clean`: duplicates, invalid fields and stale contacts, as of a date."""

    as_of: date
    clients: int
    mean_completeness: float
    clusters: pl.DataFrame = field(repr=False)
    cluster_counts: dict[str, int] = field(default_factory=dict)
    issues: pl.DataFrame = field(default_factory=pl.DataFrame, repr=False)
    issue_counts: dict[str, int] = field(default_factory=dict)
    stale: pl.DataFrame = field(default_factory=pl.DataFrame, repr=False)
    stale_counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for `--format json`."""
        return {
            "as_of": self.as_of.isoformat(),
            "clients": self.clients,
            "mean_completeness": self.mean_completeness,
            "duplicates": {
                "clusters": self.cluster_counts,
                "members": self.clusters.to_dicts(),
            },
            "invalid_fields": {"counts": self.issue_counts, "rows": self.issues.to_dicts()},
            "stale": {"counts": self.stale_counts, "rows": self.stale.to_dicts()},
        }


@dataclass(frozen=True)
class NormalizeResult:
    """What `normalize_clients` changed (or would change): one row per client and field."""

    changes: pl.DataFrame = field(repr=False)
    by_field: dict[str, int]
    clients_changed: int
    flagged: dict[str, int]
    applied: bool


@dataclass(frozen=True)
class FieldChoice:
    """One field of a cluster: each member's value and the value the merged client would keep."""

    field: str
    label: str
    values: dict[int, Any]
    suggested: Any
    source_client_id: int | None


@dataclass(frozen=True)
class ClusterDetail:
    """The merge screen: a cluster's records side by side with the suggested value per field."""

    cluster_id: int
    survivor_id: int
    confidence: str
    score: float
    reasons: list[str]
    members: list[dict[str, Any]]
    fields: list[FieldChoice]

    @property
    def suggested_values(self) -> dict[str, Any]:
        """field -> suggested value, as `merge_clients` takes it."""
        return {choice.field: choice.suggested for choice in self.fields}

    def side_by_side(self) -> pl.DataFrame:
        """One row per field: its label, each member's value (by code), and the suggestion."""
        codes = [str(m["external_id"]) for m in self.members]
        ids = [int(m["id"]) for m in self.members]
        rows = [
            [choice.label, *[_text(choice.values.get(i)) for i in ids], _text(choice.suggested)]
            for choice in self.fields
        ]
        schema = {"campo": pl.String(), **{c: pl.String() for c in codes}, "sugerido": pl.String()}
        return pl.DataFrame(rows, schema=schema, orient="row")


@dataclass(frozen=True)
class MergeResult:
    """A merge done: its log id (for undo), who stayed, who was folded in, and what moved."""

    merge_id: int
    survivor_id: int
    removed_ids: list[int]
    orders: int
    interactions: int
    tasks: int
    cancelled_tasks: int
    survivor_code: str = ""
    """The survivor's code (external id), as people name it."""
    removed_codes: list[str] = field(default_factory=list)
    """The codes folded in (now aliases of the survivor), in `removed_ids`' order."""


@dataclass(frozen=True)
class MergeUndone:
    merge_id: int
    survivor_id: int
    restored_ids: list[int]


@dataclass(frozen=True)
class ArchiveResult:
    """Stale contacts proposed (and archived, with `apply`) as of a date."""

    as_of: date
    stale: pl.DataFrame = field(repr=False)
    counts: dict[str, int]
    run_id: int | None
    applied: bool


@dataclass(frozen=True)
class ArchiveUndone:
    run_id: int
    restored_ids: list[int]


@dataclass(frozen=True)
class Restored:
    client_id: int
    external_id: str


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _notify(on_progress: Progress | None, message: str, fraction: float) -> None:
    if on_progress is not None:
        on_progress(message, fraction)


# --- quality ----------------------------------------------------------------------------------


def _quality(raw: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(normalized, issues) of the raw client fields, by the engine."""
    normalized = normalized_clients(raw.lazy()).collect()
    issues = client_issues(raw.lazy(), normalized.lazy()).collect()
    return normalized, issues


def _refresh_quality(
    db: Database, client_ids: Sequence[int] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Recompute and store issues and completeness of `client_ids` (all when None).

    Returns (raw, normalized, issues).
    """
    raw = store.read_clean_input(db, client_ids=client_ids)
    normalized, issues = _quality(raw)
    quality = normalized.select(Col.CLIENT_ID, "completeness").join(
        raw.select(Col.CLIENT_ID, "generation"), on=Col.CLIENT_ID
    )
    store.write_quality(db, issues, quality, client_ids=client_ids)
    return raw, normalized, issues


def client_quality(db_path: Path, client_id: int) -> ClientQuality:
    """Completeness and flagged fields of one client, for its card.

    Read from the stored check when it saw the client's current row, else computed now.
    """
    with connect(db_path) as db:
        raw = store.read_clean_input(db, client_ids=[client_id])
        if raw.is_empty():
            raise CleaningError(words.client_not_found(client_id))
        stored = store.read_quality(db, client_id)
        if stored is not None and stored[1] == raw["generation"][0]:
            completeness = stored[0]
            issues = store.read_issues(db, client_id=client_id)
        else:
            normalized, issues = _quality(raw)
            completeness = int(normalized["completeness"][0])
    return ClientQuality(
        client_id=client_id,
        completeness=completeness,
        issues=[
            QualityIssue(f, v, code, ISSUE_LABELS.get(code, code))
            for f, v, code in issues.select("field", "raw_value", "issue").iter_rows()
        ],
    )


# --- report -----------------------------------------------------------------------------------


_cluster_cache: dict[tuple[str, int], pl.DataFrame] = {}


def _clusters(
    db: Database,
    db_path: Path,
    raw: pl.DataFrame | None = None,
    completeness: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Duplicate clusters among unarchived clients (`CLUSTER_COLUMNS`), cached per generation.

    `completeness` (client_id, completeness) ranks the suggested survivor; computed if not given.
    """
    key = (str(Path(db_path).resolve()), generation(db))
    cached = _cluster_cache.get(key)
    if cached is not None:
        return cached
    if raw is None:
        raw = store.read_clean_input(db)
    active = raw.filter(pl.col("archived") == 0)
    if completeness is None and not store.read_unchecked_client_ids(db):
        completeness = store.read_completeness(db)
    if completeness is None:
        scores = normalized_clients(active.lazy()).select(Col.CLIENT_ID, "completeness")
        completeness = scores.collect()
    # an eager join: duplicate_clusters reads its input several times
    with_score = active.join(completeness, on=Col.CLIENT_ID, how="left").lazy()
    found = duplicate_clusters(with_score)
    clusters = (
        found.join(
            active.select(Col.CLIENT_ID, Col.EXTERNAL_ID, "name"), on=Col.CLIENT_ID, how="left"
        )
        .select(list(CLUSTER_COLUMNS))
        .cast(CLUSTER_COLUMNS)
    )
    _cluster_cache.clear()
    _cluster_cache[key] = clusters
    return clusters


def _cluster_counts(clusters: pl.DataFrame) -> dict[str, int]:
    per_cluster = clusters.unique("cluster_id")
    return {
        level.value: int((per_cluster["confidence"] == level.value).sum()) for level in Confidence
    }


def _cutoffs(as_of: date, settings: Settings) -> tuple[date, date]:
    prospect = as_of - relativedelta(years=settings.stale_prospect_years)
    former = as_of - relativedelta(years=settings.stale_client_years)
    return prospect, former


def _stale(db: Database, as_of: date, settings: Settings) -> pl.DataFrame:
    prospect_before, client_before = _cutoffs(as_of, settings)
    return store.read_stale_candidates(
        db, prospect_before=prospect_before, client_before=client_before
    )


def _stale_counts(stale: pl.DataFrame) -> dict[str, int]:
    return {kind: int((stale["kind"] == kind).sum()) for kind in STALE_LABELS}


def _check_changed_clients(db: Database) -> int:
    """Check the clients not checked since they last changed (all, the first time); how many."""
    unchecked = store.read_unchecked_client_ids(db)
    if unchecked:
        everyone = len(unchecked) == db.execute("SELECT COUNT(*) FROM clients").fetchone()[0]
        _refresh_quality(db, None if everyone else unchecked)
    return len(unchecked)


def cleaning_report(
    db_path: Path,
    *,
    as_of: date,
    settings: Settings,
    on_progress: Progress | None = None,
) -> CleaningReport:
    """Duplicates, flagged fields and stale contacts, as of `as_of`.

    Clients changed since their last check are checked first and their issues and completeness
    stored (the generation tells which), so a second report costs only the duplicate search.
    """
    with connect(db_path) as db:
        _notify(on_progress, words.PROGRESS_VALIDATING, 0.1)
        with db.atomic():
            _check_changed_clients(db)
        raw = store.read_clean_input(db)
        issues = store.read_issues(db)
        completeness = store.read_completeness(db)
        _notify(on_progress, words.PROGRESS_DUPLICATES, 0.4)
        clusters = _clusters(db, db_path, raw, completeness)
        _notify(on_progress, words.PROGRESS_STALE, 0.8)
        stale = _stale(db, as_of, settings)
    named_issues = issues.with_columns(
        pl.col("issue")
        .replace_strict(ISSUE_LABELS, default=pl.col("issue"), return_dtype=pl.String)
        .alias("label")
    )
    issue_counts = (
        named_issues.group_by("issue").len().sort(["len", "issue"], descending=[True, False])
    )
    mean = completeness["completeness"].mean()
    _notify(on_progress, words.PROGRESS_DONE, 1.0)
    return CleaningReport(
        as_of=as_of,
        clients=raw.height,
        mean_completeness=round(float(mean), 1) if isinstance(mean, int | float) else 0.0,
        clusters=clusters,
        cluster_counts=_cluster_counts(clusters),
        issues=named_issues,
        issue_counts={str(k): int(v) for k, v in issue_counts.rows()},
        stale=stale,
        stale_counts=_stale_counts(stale),
    )


def list_duplicate_clusters(
    db_path: Path, *, confidence: str | None = None, on_progress: Progress | None = None
) -> pl.DataFrame:
    """Duplicate clusters among unarchived clients, one row per member (`CLUSTER_COLUMNS`).

    `confidence` keeps only `alta`, `media` or `baixa` clusters.
    """
    if confidence is not None and confidence not in {c.value for c in Confidence}:
        raise CleaningError(words.unknown_confidence(confidence))
    _notify(on_progress, words.PROGRESS_DUPLICATES, 0.1)
    with connect(db_path) as db:
        clusters = _clusters(db, db_path)
    _notify(on_progress, words.PROGRESS_DONE, 1.0)
    if confidence is not None:
        clusters = clusters.filter(pl.col("confidence") == confidence)
    return clusters


def _suggestions(
    db: Database, members: pl.DataFrame, survivor_id: int
) -> tuple[list[dict[str, Any]], list[FieldChoice]]:
    """Member rows (survivor first, then by completeness) and the suggested value per field."""
    ordered = members.with_columns(
        (pl.col(Col.CLIENT_ID) == survivor_id).alias("is_survivor")
    ).sort(["is_survivor", "completeness", Col.CLIENT_ID], descending=[True, True, False])
    ids = ordered[Col.CLIENT_ID].to_list()
    rows_by_id = {int(r["id"]): r for r in store.read_client_rows(db, ids)}
    rows = [rows_by_id[i] for i in ids]
    raw = store.read_clean_input(db, client_ids=ids)
    plan = merge_plan(ordered.with_columns(pl.lit(0).alias("cluster_id")), raw.lazy())
    planned = {f: (v, s) for f, v, s in plan.select("field", "value", "source_client_id").rows()}
    choices: list[FieldChoice] = []
    for name in MERGEABLE_FIELDS:
        values = {int(r["id"]): r[name] for r in rows}
        present = [(i, v) for i, v in values.items() if v is not None and str(v).strip() != ""]
        suggested: Any = None
        source: int | None = None
        if name in PROTECTIVE_FLAGS:
            flagged = [(i, v) for i, v in present if v]
            suggested, source = (
                (flagged[0][1], flagged[0][0]) if flagged else (values[ids[0]], None)
            )
        elif name == "tags":
            tags = [tag for _, v in present for tag in tag_list(str(v))]
            suggested = ", ".join(dict.fromkeys(tags)) or None
        elif name == "notes":
            suggested = " | ".join(dict.fromkeys(str(v).strip() for _, v in present)) or None
        elif name in CLEAN_FIELDS and name in planned:
            source = int(planned[name][1])
            suggested = values[source]
        elif present:
            source, suggested = present[0]
        choices.append(FieldChoice(name, FIELD_LABELS.get(name, name), values, suggested, source))
    return rows, choices


def cluster_detail(
    db_path: Path, cluster_id: int, *, survivor_id: int | None = None
) -> ClusterDetail:
    """A cluster's records side by side and the suggested value of every field.

    `survivor_id` picks another member to stay (default: the most complete one).
    """
    with connect(db_path) as db:
        clusters = _clusters(db, db_path)
        members = clusters.filter(pl.col("cluster_id") == cluster_id)
        if members.is_empty():
            raise CleaningError(words.cluster_not_found(cluster_id))
        member_ids = members[Col.CLIENT_ID].to_list()
        if survivor_id is None:
            survivor_id = int(members.filter(pl.col("is_survivor"))[Col.CLIENT_ID][0])
        elif survivor_id not in member_ids:
            raise CleaningError(words.not_in_cluster(survivor_id, cluster_id))
        rows, choices = _suggestions(db, members, survivor_id)
    return ClusterDetail(
        cluster_id=cluster_id,
        survivor_id=survivor_id,
        confidence=str(members["confidence"][0]),
        score=float(members["score"][0]),
        reasons=list(members["reasons"][0]),
        members=rows,
        fields=choices,
    )


# --- merge ------------------------------------------------------------------------------------


def _merge(
    db: Database,
    client_ids: Sequence[int],
    *,
    survivor_id: int,
    field_values: dict[str, Any],
    confidence: str | None,
    today: date,
    refresh_quality: bool = True,
) -> MergeResult:
    """One merge inside the caller's transaction (see `merge_clients`).

    Without `refresh_quality` the caller re-checks the survivor (batches do it once at the end).
    """
    members = list(dict.fromkeys(int(i) for i in client_ids))
    if survivor_id not in members:
        raise CleaningError(words.survivor_not_chosen(survivor_id))
    if len(members) < 2:
        raise CleaningError(words.MERGE_NEEDS_TWO)
    unknown = sorted(set(field_values) - set(MERGEABLE_FIELDS))
    if unknown:
        raise CleaningError(words.fields_not_mergeable(unknown))
    rows = {int(r["id"]): r for r in store.read_client_rows(db, members)}
    missing = [i for i in members if i not in rows]
    if missing:
        raise CleaningError(words.clients_not_found(missing))
    archived = [str(rows[i]["external_id"]) for i in members if rows[i]["archived"]]
    if archived:
        raise CleaningError(words.archived_not_mergeable(archived))
    survivor = rows[survivor_id]
    values = {k: v for k, v in field_values.items() if survivor[k] != v}
    for flag in PROTECTIVE_FLAGS:
        if flag not in field_values:
            strongest = max((rows[i][flag] or 0) for i in members)
            if strongest != survivor[flag]:
                values[flag] = strongest
    removed = [i for i in members if i != survivor_id]
    gen = mark_reset(db)
    written = store.write_merge(
        db,
        survivor_id=survivor_id,
        removed_ids=removed,
        values=values,
        generation=gen,
        who=current_user(),
        confidence=confidence,
        today=today,
    )
    store.delete_aggregates(db, [survivor_id])
    orders = orders_store.read_orders(db, client_ids=[survivor_id])
    aggregates = order_aggregates(orders.lazy()).collect()
    aggregates_store.write_aggregates(db, aggregates, generation=gen)
    if refresh_quality:
        _refresh_quality(db, [survivor_id])
    codes = [str(rows[i]["external_id"]) for i in removed]
    write_audit(
        db,
        action="mesclar",
        entity="merge",
        entity_id=written.merge_id,
        client_id=survivor_id,
        summary=words.audit_merged(codes, survivor["external_id"]),
        before={"survivor": survivor, "removed": [rows[i] for i in removed]},
        after={
            "values": values,
            "orders": len(written.orders),
            "interactions": len(written.interactions),
            "tasks": len(written.tasks),
        },
    )
    return MergeResult(
        merge_id=written.merge_id,
        survivor_id=survivor_id,
        removed_ids=removed,
        orders=len(written.orders),
        interactions=len(written.interactions),
        tasks=len(written.tasks),
        cancelled_tasks=len(written.cancelled_tasks),
        survivor_code=str(survivor["external_id"]),
        removed_codes=codes,
    )


def merge_clients(
    db_path: Path,
    client_ids: Sequence[int],
    *,
    survivor_id: int,
    field_values: dict[str, Any],
    today: date | None = None,
    confidence: str | None = None,
) -> MergeResult:
    """Fold `client_ids` into `survivor_id`, setting `field_values` on it; one transaction.

    Orders, interactions and tasks move to the survivor, its aggregates are recomputed, the
    other clients are removed, and everything is logged so `undo_merge` restores it exactly.
    """
    with connect(db_path) as db, db.atomic():
        return _merge(
            db,
            client_ids,
            survivor_id=survivor_id,
            field_values=field_values,
            confidence=confidence,
            today=today or _local_today(),
        )


def merge_duplicates(
    db_path: Path,
    *,
    confidence: str = Confidence.ALTA.value,
    today: date | None = None,
    on_progress: Progress | None = None,
) -> list[MergeResult]:
    """Merge every cluster of `confidence` (`clean --apply`: alta) with its suggestions.

    All merges run in one transaction; each is logged on its own, so each can be undone.
    """
    clusters = list_duplicate_clusters(db_path, confidence=confidence, on_progress=on_progress)
    cluster_ids = clusters["cluster_id"].unique().sort().to_list()
    details = [cluster_detail(db_path, cluster_id) for cluster_id in cluster_ids]
    done: list[MergeResult] = []
    with connect(db_path) as db, db.atomic():
        for position, detail in enumerate(details):
            _notify(on_progress, words.PROGRESS_MERGING, position / max(len(details), 1))
            done.append(
                _merge(
                    db,
                    [int(m["id"]) for m in detail.members],
                    survivor_id=detail.survivor_id,
                    field_values=detail.suggested_values,
                    confidence=detail.confidence,
                    today=today or _local_today(),
                    refresh_quality=False,
                )
            )
        if done:
            _refresh_quality(db, [m.survivor_id for m in done])
    return done


def _reconcile_aggregates(db: Database, client_ids: list[int], *, generation: int) -> None:
    """Rewrite the restored aggregates that orders written since the merge made wrong.

    When no order changed, the restored rows (with their old generation) are already exact.
    """
    orders = orders_store.read_orders(db, client_ids=client_ids)
    fresh = order_aggregates(orders.lazy()).collect()
    expected = {
        row[Col.CLIENT_ID]: row
        for row in fresh.with_columns(
            pl.col(Col.FIRST_PURCHASE).dt.strftime("%Y-%m-%d"),
            pl.col(Col.LAST_PURCHASE).dt.strftime("%Y-%m-%d"),
        ).to_dicts()
    }
    stored = {
        int(row["client_id"]): {k: row[k] for k in aggregates_store.AGGREGATE_COLUMNS}
        for row in store.read_rows(db, "client_aggregates", "client_id", client_ids)
    }
    stale = [i for i in client_ids if expected.get(i) != stored.get(i)]
    if stale:
        store.delete_aggregates(db, stale)
        aggregates_store.write_aggregates(
            db, fresh.filter(pl.col(Col.CLIENT_ID).is_in(stale)), generation=generation
        )


def undo_merge(db_path: Path, merge_id: int) -> MergeUndone:
    """Restore the clients, rows and aggregates exactly as they were before merge `merge_id`."""
    return undo_merges(db_path, [merge_id])[0]


def undo_merges(
    db_path: Path, merge_ids: Sequence[int], *, on_progress: Progress | None = None
) -> list[MergeUndone]:
    """Undo several merges (a whole `clean --apply`, say) in one transaction, newest first, so
    that a later merge of the same client is undone before the one it built on; all or none."""
    ids = sorted(set(merge_ids), reverse=True)
    if not ids:
        raise CleaningError(words.NO_MERGE_NAMED)
    undone: list[MergeUndone] = []
    with connect(db_path) as db, db.atomic():
        gen = mark_reset(db)
        for position, merge_id in enumerate(ids):
            _notify(on_progress, words.PROGRESS_UNDOING_MERGES, position / len(ids))
            undone.append(_undo_one(db, merge_id))
        touched = sorted({i for u in undone for i in (u.survivor_id, *u.restored_ids)})
        _reconcile_aggregates(db, touched, generation=gen)
        _refresh_quality(db, touched)
    return undone


def _undo_one(db: Database, merge_id: int) -> MergeUndone:
    merge = store.read_merge(db, merge_id)
    if merge is None:
        raise CleaningError(words.merge_not_found(merge_id))
    if merge.undone_at is not None:
        raise CleaningError(words.merge_already_undone(merge_id, format_moment_br(merge.undone_at)))
    later = store.later_merges_touching(db, merge)
    if later:
        raise CleaningError(words.undo_later_merge_first(later[-1]))
    if not store.read_client_rows(db, [merge.survivor_id]):
        raise CleaningError(words.merge_survivor_gone(merge.survivor_id))
    taken = store.read_client_rows(db, merge.removed_ids)
    if taken:
        raise CleaningError(words.internal_id_taken(taken[0]["id"], taken[0]["external_id"]))
    store.write_merge_undo(db, merge)
    write_audit(
        db,
        action="desfazer_mesclagem",
        entity="merge",
        entity_id=merge_id,
        client_id=merge.survivor_id,
        summary=words.audit_merge_undone(merge_id),
        before={"survivor_id": merge.survivor_id},
        after={"restored": merge.removed_ids},
    )
    return MergeUndone(merge_id, merge.survivor_id, merge.removed_ids)


# --- normalise --------------------------------------------------------------------------------

# The stored form of each field, from its normalised column. CEP is stored as its 8 digits, as
# the importer writes it (the screen adds the dash); a CPF/CNPJ as its bare key.
_STORED_FORMS: dict[str, pl.Expr] = {
    "name": pl.col("name_norm"),
    "document": pl.col("document_norm"),
    "email": pl.col("email_norm"),
    "phone": pl.col("phone_norm"),
    "city": pl.col("city_norm"),
    "uf": pl.col("uf_norm"),
    "cep": pl.col("cep_norm").str.replace_all("-", "", literal=True),
}


def _changes(raw: pl.DataFrame, normalized: pl.DataFrame) -> pl.DataFrame:
    """Long form: client_id, external_id, field, before, after for valid fields that differ."""
    joined = raw.join(normalized, on=Col.CLIENT_ID)
    per_field = [
        joined.with_columns(stored.alias("after"))
        .filter(
            pl.col("after").is_not_null()
            & pl.col(f"{name}_issue").is_null()
            & (pl.col(name).is_null() | (pl.col(name) != pl.col("after")))
        )
        .select(
            Col.CLIENT_ID,
            Col.EXTERNAL_ID,
            pl.lit(name).alias("field"),
            pl.col(name).alias("before"),
            "after",
        )
        for name, stored in _STORED_FORMS.items()
    ]
    return pl.concat(per_field).sort(Col.CLIENT_ID, "field")


def normalize_clients(
    db_path: Path, *, apply: bool = False, on_progress: Progress | None = None
) -> NormalizeResult:
    """What normalising would change (dry run), or change it (`apply`), in one transaction.

    Only valid fields are rewritten; invalid ones keep their raw value and stay flagged.
    """
    with connect(db_path) as db, db.atomic():
        _notify(on_progress, words.PROGRESS_VALIDATING, 0.1)
        raw = store.read_clean_input(db)
        normalized, issues = _quality(raw)
        changes = _changes(raw, normalized)
        if apply and not changes.is_empty():
            _notify(on_progress, words.PROGRESS_WRITING, 0.5)
            gen = bump_generation(db)
            wide = changes.pivot(on="field", index=Col.CLIENT_ID, values="after")
            store.write_normalized_values(db, wide, generation=gen)
            audit = changes.group_by(Col.CLIENT_ID, maintain_order=True).agg(
                pl.struct("field", "before").alias("before"),
                pl.struct("field", "after").alias("after"),
            )
            store.write_audit_rows(
                db,
                pl.DataFrame(
                    {
                        Col.CLIENT_ID: audit[Col.CLIENT_ID],
                        "action": "normalizar",
                        "entity": "client",
                        "summary": words.AUDIT_NORMALIZED,
                        "before": [
                            json.dumps({p["field"]: p["before"] for p in pairs}, ensure_ascii=False)
                            for pairs in audit["before"].to_list()
                        ],
                        "after": [
                            json.dumps({p["field"]: p["after"] for p in pairs}, ensure_ascii=False)
                            for pairs in audit["after"].to_list()
                        ],
                    }
                ),
                who=current_user(),
            )
            _check_changed_clients(db)
    by_field = dict(changes.group_by("field").len().sort("field").rows())
    flagged = dict(issues.group_by("issue").len().sort("issue").rows())
    _notify(on_progress, words.PROGRESS_DONE, 1.0)
    return NormalizeResult(
        changes=changes,
        by_field={str(k): int(v) for k, v in by_field.items()},
        clients_changed=changes[Col.CLIENT_ID].n_unique(),
        flagged={str(k): int(v) for k, v in flagged.items()},
        applied=apply and not changes.is_empty(),
    )


# --- archive ----------------------------------------------------------------------------------


def archive_stale(
    db_path: Path,
    *,
    as_of: date,
    settings: Settings,
    apply: bool = False,
    on_progress: Progress | None = None,
) -> ArchiveResult:
    """Propose (or, with `apply`, archive as one undoable run) the stale contacts as of a date.

    Stale: prospects with no interaction for `stale_prospect_years`, former clients with no
    purchase or interaction for `stale_client_years`. Archiving never deletes.
    """
    run_id: int | None = None
    with connect(db_path) as db, db.atomic():
        _notify(on_progress, words.PROGRESS_STALE, 0.2)
        stale = _stale(db, as_of, settings)
        if apply and not stale.is_empty():
            gen = mark_reset(db)
            run_id, _stamp = store.write_archive_run(
                db,
                stale,
                as_of=as_of,
                prospect_years=settings.stale_prospect_years,
                client_years=settings.stale_client_years,
                who=current_user(),
                generation=gen,
            )
            for client_id, kind, last in stale.select(
                Col.CLIENT_ID, "kind", "last_activity"
            ).iter_rows():
                write_audit(
                    db,
                    action="arquivar",
                    entity="client",
                    entity_id=client_id,
                    client_id=client_id,
                    summary=words.audit_archived(run_id, STALE_LABELS[kind]),
                    before={"archived": 0, "last_activity": last},
                    after={"archived": 1, "run_id": run_id},
                )
    _notify(on_progress, words.PROGRESS_DONE, 1.0)
    return ArchiveResult(
        as_of=as_of,
        stale=stale,
        counts=_stale_counts(stale),
        run_id=run_id,
        applied=run_id is not None,
    )


def undo_archive(db_path: Path, run_id: int) -> ArchiveUndone:
    """Bring back every client archive run `run_id` archived (and that is still archived)."""
    with connect(db_path) as db, db.atomic():
        run = store.read_archive_run(db, run_id)
        if run is None:
            raise CleaningError(words.archive_run_not_found(run_id))
        if run.undone_at is not None:
            raise CleaningError(
                words.archive_run_already_undone(run_id, format_moment_br(run.undone_at))
            )
        mark_reset(db)
        restored = store.write_archive_undo(db, run)
        write_audit(
            db,
            action="desfazer_arquivamento",
            entity="archive_run",
            entity_id=run_id,
            summary=words.audit_archive_undone(run_id, len(restored)),
            before={"archived": restored},
            after={"archived": []},
        )
    return ArchiveUndone(run_id, restored)


def restore_client(db_path: Path, client: str) -> Restored:
    """Un-archive one client, given its code (or internal id)."""
    with connect(db_path) as db, db.atomic():
        client_id = store.read_client_id(db, client)
        if client_id is None:
            raise CleaningError(words.clients_not_found([client]))
        archived, archived_at = store.read_archive_state(db, client_id)
        row = store.read_client_rows(db, [client_id])[0]
        if not archived:
            raise CleaningError(words.client_not_archived(row["external_id"]))
        gen = mark_reset(db)
        store.write_unarchive(db, client_id, generation=gen)
        write_audit(
            db,
            action="restaurar",
            entity="client",
            entity_id=client_id,
            client_id=client_id,
            summary=words.AUDIT_RESTORED,
            before={"archived": archived, "archived_at": archived_at},
            after={"archived": 0, "archived_at": None},
        )
    return Restored(client_id, str(row["external_id"]))
