"""`carteira watch` (who moved where between segmentation runs) and `carteira alerts`."""

from __future__ import annotations

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    as_of_option,
    db_option,
    db_path_from,
    echo_csv,
    echo_json,
    echo_table,
    format_option,
    parse_as_of,
    settings_or_fail,
)
from carteira_tui.engine.watch import ALERT_LABELS, DIMENSION_LABELS, AlertKind
from carteira_tui.model import STATUS_LABELS, cents_to_brl
from carteira_tui.services import watch as service
from carteira_tui.vocab import cli as words


def _value(dimension: str, value: str | None) -> str:
    if value is None:
        return "(nenhum)"
    return STATUS_LABELS.get(value, value) if dimension == "status" else value


@main.command("watch")
@click.option("--since", metavar="DATA", help="Movimentos desde esta data (dd/mm/aaaa).")
@click.option("--clients", "show_clients", is_flag=True, help="Listar também os clientes.")
@click.option("--limit", type=int, default=30, show_default=True, help="Clientes (0 = todos).")
@format_option
@db_option
@click.pass_context
def watch_command(
    ctx: click.Context,
    since: str | None,
    show_clients: bool,
    limit: int,
    fmt: str,
    db: str | None,
) -> None:
    """Mostra quem mudou de status, segmento ou classe ABC entre as segmentações.

    Sem --since, compara a última segmentação com a anterior; com --since, soma as execuções
    desde a data (cada cliente de onde estava para onde está).

    Exemplo:

        carteira watch --since 16/11/2026 --clients
    """
    day = parse_as_of(since) if since else None
    moved = service.movements(db_path_from(ctx), since=day, settings=settings_or_fail())
    if fmt == "json":
        echo_json(
            {
                "desde": day.isoformat() if day else None,
                "execucoes": moved.runs,
                "resumo": [
                    {
                        "dimensao": row["dimension"],
                        "de": row["from"],
                        "para": row["to"],
                        "clientes": row["clients"],
                        "classe_a": row["class_a"],
                    }
                    for row in moved.summary.iter_rows(named=True)
                ],
                "clientes": moved.clients.drop("id").to_dicts(),
                "execucoes_com_mudanca_de_configuracao": moved.settings_runs,
                "movimentos_por_mudanca_de_configuracao": moved.settings_moves,
            }
        )
        return
    if fmt == "csv":
        echo_csv((["dimensao", "de", "para", "clientes", "classe_a"], moved.summary.rows()))
        return
    if moved.runs == 0:
        click.echo(words.NO_RUNS)
        return
    if not moved.has_previous:
        click.echo(words.ONE_RUN)
        return
    if moved.settings_runs and moved.settings_moves:
        click.echo(words.settings_moves(moved.settings_moves, moved.settings_runs))
    first = moved.first_as_of.strftime("%d/%m/%Y") if moved.first_as_of else "—"
    last = moved.last_as_of.strftime("%d/%m/%Y") if moved.last_as_of else "—"
    click.echo(words.moved(moved.clients.height, first, last, moved.runs))
    if moved.summary.height:
        echo_table(
            ["dimensao", "de", "para", "clientes", "classe A"],
            [
                [
                    DIMENSION_LABELS[r["dimension"]],
                    _value(r["dimension"], r["from"]),
                    _value(r["dimension"], r["to"]),
                    r["clients"],
                    r["class_a"],
                ]
                for r in moved.summary.iter_rows(named=True)
            ],
        )
    if show_clients and moved.clients.height:
        shown = moved.clients.head(limit) if limit else moved.clients
        click.echo("")
        echo_table(
            ["cliente", "nome", "responsavel", "status", "segmento", "classe"],
            [
                [
                    r["external_id"],
                    r["name"],
                    r["owner"] or "—",
                    f"{_value('status', r['status_from'])} → {_value('status', r['status_to'])}",
                    f"{r['segment_from'] or '—'} → {r['segment_to'] or '—'}",
                    f"{r['abc_from'] or '—'} → {r['abc_to'] or '—'}",
                ]
                for r in shown.iter_rows(named=True)
            ],
        )


@main.command("alerts")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in AlertKind]),
    help="Só alertas deste tipo.",
)
@click.option("--limit", type=int, default=50, show_default=True, help="Linhas (0 = todas).")
@format_option
@as_of_option
@db_option
@click.pass_context
def alerts_command(
    ctx: click.Context,
    kind: str | None,
    limit: int,
    fmt: str,
    as_of: str | None,
    db: str | None,
) -> None:
    """Lista os alertas: cliente A que saiu de ativo, cliente esfriando, tarefa atrasada há mais
    de alert_task_overdue_days dias e responsável acima da capacidade.

    Exemplo:

        carteira alerts --kind tarefa_atrasada --format csv
    """
    settings = settings_or_fail()
    found = service.alerts(db_path_from(ctx), as_of=parse_as_of(as_of), settings=settings)
    frame = found.frame
    if kind:
        frame = frame.filter(frame["kind"] == kind)
    shown = frame.head(limit) if limit else frame
    if fmt == "json":
        echo_json(
            {
                "data": found.as_of.isoformat(),
                "contagem": found.counts,
                "alertas": shown.drop("id").to_dicts(),
            }
        )
        return
    if fmt == "csv":
        fields = ["kind", "external_id", "name", "owner", "task_id", "amount", "detail"]
        headers = ["tipo", "cliente", "nome", "responsavel", "tarefa", "valor", "detalhe"]
        echo_csv((headers, [[r[k] for k in fields] for r in shown.iter_rows(named=True)]))
        return
    if found.stale:
        click.echo(words.STALE_SEGMENTATION, err=True)
    for key, label in ALERT_LABELS.items():
        if kind is None or key == kind:
            click.echo(f"{label}: {found.counts.get(key, 0)}")
    if shown.height:
        click.echo("")
        echo_table(
            ["alerta", "cliente", "nome", "responsavel", "detalhe", "valor"],
            [
                [
                    r["label"],
                    r["external_id"] or "—",
                    r["name"] or "—",
                    r["owner"] or "—",
                    r["detail"],
                    _amount(r["kind"], r["amount"]),
                ]
                for r in shown.iter_rows(named=True)
            ],
        )
        if shown.height < frame.height:
            click.echo(words.and_more(frame.height - shown.height))


def _amount(kind: str, amount: int | None) -> str:
    if amount is None:
        return "—"
    if kind in (AlertKind.A_LEFT_ACTIVE, AlertKind.COOLING, AlertKind.HEADING_OUT):
        return cents_to_brl(amount)
    return str(amount)
