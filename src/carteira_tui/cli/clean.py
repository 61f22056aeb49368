"""`carteira clean`: the Limpeza report, normalising, merging duplicates, archiving stale ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import polars as pl

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    as_of_option,
    db_option,
    db_path_from,
    echo_json,
    echo_table,
    parse_as_of,
    settings_or_fail,
)
from carteira_tui.engine.clean import ISSUE_LABELS
from carteira_tui.engine.dedup import CONFIDENCE_LABELS, Reason
from carteira_tui.errors import CarteiraError
from carteira_tui.model import format_count, format_date_br, format_decimal
from carteira_tui.services import cleaning as service
from carteira_tui.services.cleaning import CleaningReport
from carteira_tui.vocab import cli as words

# Short forms of engine.dedup.REASON_LABELS, so a cluster fits an 80-column terminal.
SHORT_REASONS: dict[str, str] = {
    Reason.MESMO_DOCUMENTO: "documento",
    Reason.MESMO_EMAIL: "e-mail",
    Reason.MESMO_TELEFONE: "telefone",
    Reason.MESMO_NOME_CIDADE: "nome+cidade",
    Reason.NOME_FONETICO: "som+cidade",
}


def _count(value: int) -> str:
    return format_count(value)


def _percent(value: float) -> str:
    return format_decimal(value, 1) + "%"


def _score(value: float) -> str:
    return format_decimal(value, 2)


def _cut(text: Any, width: int = 26) -> str:
    value = "" if text is None else str(text)
    return value if len(value) <= width else value[: width - 1] + "…"


def _number(_ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """A merge or archive-run number, or a pt-BR message instead of click's English one."""
    if value is None:
        return None
    if not value.strip().isdigit():
        raise CarteiraError(words.expects_number(param.opts[0], value))
    return int(value)


def _numbers(_ctx: click.Context, param: click.Parameter, value: str | None) -> list[int] | None:
    """Merge numbers: `7`, `7,9,12` or a range `3-40` (all of them, both ends included)."""
    if value is None:
        return None
    found: list[int] = []
    for piece in value.replace(" ", "").split(","):
        low, dash, high = piece.partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise CarteiraError(words.expects_ids(param.opts[0], value))
        first, last = int(low), int(high) if dash else int(low)
        found.extend(range(min(first, last), max(first, last) + 1))
    return found


def _existing_db(ctx: click.Context) -> Path:
    db_path = db_path_from(ctx)
    if not db_path.exists():
        raise CarteiraError(words.database_missing(db_path), hint=words.IMPORT_CLIENTS_FIRST)
    return db_path


def _print_report(report: CleaningReport, limit: int) -> None:
    click.echo(
        words.cleaning_report(
            format_date_br(report.as_of.isoformat()),
            _count(report.clients),
            _percent(report.mean_completeness),
        )
    )
    groups = sum(report.cluster_counts.values())
    by_level = " · ".join(
        f"{CONFIDENCE_LABELS[level].lower()} {n}" for level, n in report.cluster_counts.items()
    )
    click.echo(words.duplicates(_count(groups), by_level))
    shown = report.clusters["cluster_id"].unique(maintain_order=True).head(limit)
    if shown.len():
        members = report.clusters.filter(pl.col("cluster_id").is_in(shown.implode())).select(
            "cluster_id", "confidence", "score", "external_id", "name", "is_survivor", "reasons"
        )
        rows = [
            [
                cluster_id,
                CONFIDENCE_LABELS.get(confidence, confidence),
                _score(score),
                code,
                _cut(name),
                words.STAYS if survivor else "",
                ", ".join(SHORT_REASONS.get(r, r) for r in reasons) if survivor else "",
            ]
            for cluster_id, confidence, score, code, name, survivor, reasons in members.iter_rows()
        ]
        echo_table(words.CLUSTER_HEADERS, rows)
        if groups > shown.len():
            click.echo(words.more_groups(_count(groups - shown.len())))
    total_issues = sum(report.issue_counts.values())
    by_issue = " · ".join(f"{ISSUE_LABELS.get(k, k)} {n}" for k, n in report.issue_counts.items())
    click.echo(words.invalid_fields(_count(total_issues), by_issue))
    if total_issues:
        rows = [
            [code, _cut(name), service.FIELD_LABELS.get(f, f), _cut(raw, 24), label]
            for code, name, f, raw, label in report.issues.head(limit)
            .select("external_id", "name", "field", "raw_value", "label")
            .iter_rows()
        ]
        echo_table(words.ISSUE_HEADERS, rows)
        if total_issues > limit:
            click.echo(words.more_rows(_count(total_issues - limit), words.ALL_AS_JSON))
    total_stale = report.stale.height
    by_kind = " · ".join(
        f"{service.STALE_LABELS[k].lower()} {n}" for k, n in report.stale_counts.items()
    )
    click.echo(words.stale_heading(_count(total_stale), by_kind))
    if total_stale:
        _print_stale(report.stale, limit)
    click.echo(words.CLEAN_NEXT_STEPS)


def _print_stale(stale: pl.DataFrame, limit: int) -> None:
    rows = [
        [code, _cut(name), service.STALE_LABELS.get(kind, kind), format_date_br(last)]
        for code, name, kind, last in stale.head(limit)
        .select("external_id", "name", "kind", "last_activity")
        .iter_rows()
    ]
    echo_table(words.STALE_HEADERS, rows)
    if stale.height > limit:
        click.echo(words.more_rows(_count(stale.height - limit), "--limit"))


@main.command("clean")
@click.option("--apply", is_flag=True, help="Gravar: mescla duplicados de confiança alta, etc.")
@click.option(
    "--normalize", is_flag=True, help="Normalizar os campos válidos (simulação sem --apply)."
)
@click.option(
    "--archive-stale", is_flag=True, help="Arquivar contatos parados (simulação sem --apply)."
)
@click.option("--restore", "restore", metavar="CLIENTE", help="Tirar um cliente do arquivo.")
@click.option(
    "--undo",
    "undo",
    callback=_numbers,
    metavar="MESCLAGENS",
    help="Desfazer mesclagens: 7, 7,9 ou 3-40 (juntas, numa só transação).",
)
@click.option(
    "--undo-archive",
    "undo_archive",
    callback=_number,
    metavar="RODADA",
    help="Desfazer um arquivamento.",
)
@as_of_option
@click.option("--limit", type=int, default=20, show_default=True, help="Linhas por seção.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Formato da saída.",
)
@db_option
@click.pass_context
def clean_command(
    ctx: click.Context,
    apply: bool,
    normalize: bool,
    archive_stale: bool,
    restore: str | None,
    undo: list[int] | None,
    undo_archive: int | None,
    as_of: str | None,
    limit: int,
    fmt: str,
    db: str | None,
) -> None:
    """Limpeza: duplicados, campos inválidos e contatos parados.

    Sem opções, mostra o relatório (e guarda os problemas de cada cliente). Com --apply, mescla
    os grupos de duplicados de confiança alta; os demais esperam revisão no aplicativo. Toda
    mesclagem e todo arquivamento podem ser desfeitos (--undo, --undo-archive); arquivar nunca
    apaga.

    Exemplo:

        carteira clean --normalize --apply
    """
    actions = [normalize, archive_stale, restore is not None, undo is not None]
    if sum(actions) + (undo_archive is not None) > 1:
        raise CarteiraError(words.ONE_ACTION_AT_A_TIME)
    db_path = _existing_db(ctx)
    settings = settings_or_fail()
    if undo is not None:
        _undo_merges(db_path, undo, fmt)
    elif undo_archive is not None:
        back = service.undo_archive(db_path, undo_archive)
        count = len(back.restored_ids)
        _emit(
            fmt,
            {"run_id": back.run_id, "restored_ids": back.restored_ids},
            words.archive_undone(back.run_id, count),
        )
    elif restore is not None:
        restored = service.restore_client(db_path, restore)
        _emit(
            fmt,
            {"client_id": restored.client_id, "external_id": restored.external_id},
            words.client_restored(restored.external_id),
        )
    elif normalize:
        _normalize(db_path, apply=apply, fmt=fmt, limit=limit)
    elif archive_stale:
        _archive(db_path, apply=apply, fmt=fmt, limit=limit, as_of=as_of, settings=settings)
    elif apply:
        _merge(db_path, fmt=fmt)
    else:
        report = service.cleaning_report(db_path, as_of=parse_as_of(as_of), settings=settings)
        if fmt == "json":
            echo_json(report.as_dict())
        else:
            _print_report(report, limit)


def _undo_merges(db_path: Path, merge_ids: list[int], fmt: str) -> None:
    undone = service.undo_merges(db_path, merge_ids)
    clients_back = sum(len(u.restored_ids) for u in undone)
    each = [{"merge_id": u.merge_id, "restored_ids": u.restored_ids} for u in undone]
    if len(undone) == 1:
        line = words.merge_undone(undone[0].merge_id, clients_back)
        _emit(fmt, each[0], line)
        return
    _emit(fmt, {"undone": each}, words.merges_undone(_count(len(undone)), _count(clients_back)))


def _emit(fmt: str, value: dict[str, Any], line: str) -> None:
    if fmt == "json":
        echo_json(value)
    else:
        click.echo(line)


def _normalize(db_path: Path, *, apply: bool, fmt: str, limit: int) -> None:
    result = service.normalize_clients(db_path, apply=apply)
    if fmt == "json":
        echo_json(
            {
                "applied": result.applied,
                "clients_changed": result.clients_changed,
                "by_field": result.by_field,
                "flagged": result.flagged,
                "changes": result.changes.to_dicts(),
            }
        )
        return
    fields = " · ".join(f"{service.FIELD_LABELS.get(k, k)} {n}" for k, n in result.by_field.items())
    click.echo(words.normalized(_count(result.clients_changed), result.applied, fields))
    if not result.changes.is_empty():
        rows = [
            [code, service.FIELD_LABELS.get(f, f), _cut(before), _cut(after)]
            for code, f, before, after in result.changes.head(limit)
            .select("external_id", "field", "before", "after")
            .iter_rows()
        ]
        echo_table(words.CHANGE_HEADERS, rows)
        if result.changes.height > limit:
            click.echo(words.more_rows(_count(result.changes.height - limit), "--limit"))
    flagged = sum(result.flagged.values())
    if flagged:
        click.echo(words.flagged_fields(_count(flagged)))
    if not apply and result.by_field:
        click.echo(words.HOW_TO_WRITE_NORMALIZED)


def _archive(
    db_path: Path,
    *,
    apply: bool,
    fmt: str,
    limit: int,
    as_of: str | None,
    settings: Any,
) -> None:
    result = service.archive_stale(
        db_path, as_of=parse_as_of(as_of), settings=settings, apply=apply
    )
    if fmt == "json":
        echo_json(
            {
                "applied": result.applied,
                "run_id": result.run_id,
                "counts": result.counts,
                "clients": result.stale.to_dicts(),
            }
        )
        return
    by_kind = " · ".join(f"{service.STALE_LABELS[k].lower()} {n}" for k, n in result.counts.items())
    if result.applied:
        click.echo(words.archived(result.run_id, _count(result.stale.height), by_kind))
    else:
        click.echo(words.stale_contacts(_count(result.stale.height), by_kind))
    if not result.stale.is_empty():
        _print_stale(result.stale, limit)
        if not apply:
            click.echo(words.HOW_TO_ARCHIVE)


def _merge(db_path: Path, *, fmt: str) -> None:
    done = service.merge_duplicates(db_path)
    if fmt == "json":
        echo_json([vars(m) for m in done])
        return
    if not done:
        click.echo(words.NO_HIGH_GROUPS)
        return
    removed = sum(len(m.removed_ids) for m in done)
    click.echo(words.merges_done(_count(len(done)), _count(removed)))
    echo_table(
        words.MERGE_HEADERS,
        [
            [
                m.merge_id,
                m.survivor_code,
                ", ".join(m.removed_codes),
                m.orders,
                m.interactions,
                m.tasks,
            ]
            for m in done
        ],  # fmt: skip
    )
    if done:
        first, last = done[0].merge_id, done[-1].merge_id
        click.echo(words.how_to_undo_merges(first, last))
