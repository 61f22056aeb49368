"""The Limpeza pane's three lists: their sections, columns and the rows the tables show, built
from `services.cleaning`'s report with Polars, plus the detail lines under the list."""

from __future__ import annotations

from typing import Any, Literal

import polars as pl

from carteira_tui import vocab
from carteira_tui.services import cleaning as service
from carteira_tui.tui.widgets.frame_table import Column, format_date, format_int
from carteira_tui.tui.widgets.merge.picks import CONFIDENCE_LABELS, SHORT_REASONS, score_text
from carteira_tui.vocab import cleaning as cleaning_words

Section = Literal["clusters", "issues", "stale"]
SECTIONS: tuple[Section, ...] = ("clusters", "issues", "stale")
SECTION_LABELS: dict[Section, str] = {
    section: cleaning_words.SECTION_LABELS[section] for section in SECTIONS
}
EMPTY_TEXT: dict[Section, str] = {
    "clusters": vocab.NO_DUPLICATE_GROUPS,
    "issues": vocab.NO_INVALID_FIELDS,
    "stale": vocab.NO_STALE_CONTACTS,
}

CONFIDENCE_ORDER: dict[str, int] = {"alta": 0, "media": 1, "baixa": 2}

CLUSTER_COLUMNS: list[Column] = [
    Column("confidence_label", "Confiança", 9, priority=0),
    Column("score_text", "Pontos", 6, align_right=True, priority=1),
    Column("names", "Clientes", 29, priority=0, flex=True),
    Column("reasons_text", "Motivos", 29, priority=2),
]
ISSUE_COLUMNS: list[Column] = [
    Column("external_id", "Cliente", 8, priority=0),
    Column("name", "Nome", 20, priority=1, flex=True),
    Column("field_label", "Campo", 10, priority=2),
    Column("raw_value", "Valor", 16, priority=3),
    Column("label", "Problema", 17, priority=4),
]
STALE_COLUMNS: list[Column] = [
    Column("external_id", "Cliente", 8, priority=0),
    Column("name", "Nome", 24, priority=1, flex=True),
    Column("kind_label", "Situação", 33, priority=3),
    Column("last_activity", "Última ativ.", 12, format_date, priority=2),
]


def cluster_rows(clusters: pl.DataFrame) -> pl.DataFrame:
    """One row per duplicate group (`id` = group), alta first, by score, as the table shows it."""
    survivor_first = pl.col("is_survivor").not_()
    per_group = clusters.group_by("cluster_id").agg(
        pl.col("confidence").first(),
        pl.col("score").first(),
        pl.col("reasons").sort_by(survivor_first).first(),
        pl.col("name").sort_by(survivor_first).first().alias("survivor_name"),
        pl.len().alias("size"),
    )
    return per_group.with_columns(
        pl.col("cluster_id").alias("id"),
        pl.col("confidence")
        .replace_strict(CONFIDENCE_LABELS, default=pl.col("confidence"), return_dtype=pl.String)
        .alias("confidence_label"),
        pl.col("confidence")
        .replace_strict(CONFIDENCE_ORDER, default=9, return_dtype=pl.Int64)
        .alias("confidence_rank"),
        pl.col("score")
        .round(2)
        .cast(pl.String)
        .str.pad_end(4, "0")
        .str.replace(".", ",", literal=True)
        .alias("score_text"),
        pl.format("{} +{}", pl.col("survivor_name").fill_null("—"), pl.col("size") - 1).alias(
            "names"
        ),
        pl.col("reasons")
        .list.eval(
            pl.element().replace_strict(SHORT_REASONS, default=pl.element(), return_dtype=pl.String)
        )
        .list.join(", ")
        .alias("reasons_text"),
    ).sort(["confidence_rank", "score", "cluster_id"], descending=[False, True, False])


def issue_rows(issues: pl.DataFrame) -> pl.DataFrame:
    """The invalid fields with the field's pt-BR label."""
    return issues.with_columns(
        pl.col("field")
        .replace_strict(service.FIELD_LABELS, default=pl.col("field"), return_dtype=pl.String)
        .alias("field_label")
    )


def stale_rows(stale: pl.DataFrame) -> pl.DataFrame:
    """The stale contacts with their situation in pt-BR."""
    return stale.with_columns(
        pl.col("kind")
        .replace_strict(service.STALE_LABELS, default=pl.col("kind"), return_dtype=pl.String)
        .alias("kind_label")
    )


def counted(count: int, singular: str, plural: str) -> str:
    """`1 contato`, `2.000 contatos`."""
    return cleaning_words.counted(format_int(count), count, singular, plural)


def percent_text(value: float) -> str:
    """`98,2%`."""
    return f"{value:.1f}".replace(".", ",") + "%"


def summary_text(report: service.CleaningReport) -> str:
    """The line over the sections: clients, mean completeness and groups by confidence."""
    by_level = " · ".join(
        f"{CONFIDENCE_LABELS.get(level, level).lower()} {n}"
        for level, n in report.cluster_counts.items()
    )
    return cleaning_words.summary(
        format_int(report.clients), percent_text(report.mean_completeness), by_level
    )


def cluster_detail(clusters: pl.DataFrame, cluster_id: int) -> str:
    """The group under the cursor: its confidence and score, then its first two members."""
    members = clusters.filter(pl.col("cluster_id") == cluster_id).sort(
        ["is_survivor", "client_id"], descending=[True, False]
    )
    first = members.row(0, named=True)
    level = CONFIDENCE_LABELS.get(first["confidence"], first["confidence"])
    lines = [
        cleaning_words.group_line(
            cluster_id, level.lower(), score_text(first["score"]), members.height
        )
    ]
    for member in members.head(2).iter_rows(named=True):
        lines.append(
            cleaning_words.member_line(
                "★" if member["is_survivor"] else " ",
                member["external_id"],
                member["name"] or "—",
                member["completeness"],
            )
            + (cleaning_words.SUGGESTED_STAYS if member["is_survivor"] else "")
        )
    if members.height > 2:
        lines[-1] += cleaning_words.and_more(members.height - 2)
    return "\n".join(lines)


def issue_detail(row: dict[str, Any]) -> str:
    """The invalid field under the cursor."""
    return (
        f"{row['external_id']} {row['name'] or '—'}\n"
        f"{row['field_label']}: {row['raw_value'] or '—'} — {row['label']}\n"
        + cleaning_words.OPEN_CLIENT
    )


def stale_detail(row: dict[str, Any]) -> str:
    """The stale contact under the cursor."""
    return (
        f"{row['external_id']} {row['name'] or '—'}\n"
        + cleaning_words.last_activity(row["kind_label"], format_date(row["last_activity"]))
        + "\n"
        + cleaning_words.PROPOSE_ARCHIVE
    )
