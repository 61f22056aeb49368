"""`carteira tasks …`: generate the queue from the action plans, list, explain and act on tasks."""

from __future__ import annotations

from datetime import date

import click
import polars as pl

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
from carteira_tui.engine.calendar import WhenError, holidays_around, parse_when
from carteira_tui.model import channel_label, format_date_br, format_decimal
from carteira_tui.services import tasks as service
from carteira_tui.services.client_codes import resolve_client
from carteira_tui.services.tasks import TaskChanged
from carteira_tui.vocab import cli as words

QUEUE_COLUMNS: dict[str, str] = {
    "id": "id",
    "external_id": "cliente",
    "client_name": "nome",
    "title": "tarefa",
    "kind": "tipo",
    "priority": "prioridade",
    "channel": "canal",
    "owner": "responsavel",
    "due": "vencimento",
    "urgency": "urgencia",
}


@main.group("tasks")
def tasks_group() -> None:
    """Tarefas: a fila do dia gerada pelos planos de ação.

    Exemplo:

        carteira tasks list --mine --today
    """


def _when(text: str, today: date, option: str) -> date:
    try:
        return parse_when(text, today=today, holidays=holidays_around(today))
    except WhenError as error:
        raise click.BadParameter(str(error), param_hint=option) from error


def _number(value: float) -> str:
    return format_decimal(value, 2)


@tasks_group.command("generate")
@as_of_option
@click.option("--dry-run", is_flag=True, help="Só mostrar o que seria criado.")
@db_option
@click.pass_context
def generate_command(ctx: click.Context, as_of: str | None, dry_run: bool, db: str | None) -> None:
    """Cria as tarefas dos planos de ação (nunca duplica uma tarefa aberta).

    Pula clientes excluídos (inadimplentes recebem só a cobrança) e respeita opt-out e canal
    preferido. Vencimentos caem em dias úteis (fins de semana e feriados nacionais pulados).

    Exemplo:

        carteira tasks generate --as-of 17/04/2026 --dry-run
    """
    day = parse_as_of(as_of)
    done = service.generate_tasks(
        db_path_from(ctx), as_of=day, settings=settings_or_fail(), dry_run=dry_run
    )
    if done.stale_results:
        click.echo(words.STALE_SEGMENTATION, err=True)
    click.echo(words.tasks_generated(done.created, dry_run, day.strftime("%d/%m/%Y")))
    for code, count in done.by_plan.items():
        click.echo(f"  {code}: {count}")
    if done.deferred:
        click.echo(words.tasks_deferred(done.deferred))


@tasks_group.command("list")
@click.option("--owner", metavar="NOME", help="Só as tarefas deste responsável.")
@click.option("--mine", is_flag=True, help='Só as minhas tarefas ("eu": veja carteira whoami).')
@click.option("--today", "when", flag_value="today", help="Vencidas ou vencendo hoje.")
@click.option("--overdue", "when", flag_value="overdue", help="Só as atrasadas.")
@click.option("--upcoming", "when", flag_value="upcoming", help="Só as que vencem depois de hoje.")
@click.option(
    "--limit", type=int, default=50, show_default=True, help="Máximo de linhas (0 = todas)."
)
@format_option
@as_of_option
@db_option
@click.pass_context
def list_command(
    ctx: click.Context,
    owner: str | None,
    mine: bool,
    when: str | None,
    limit: int,
    fmt: str,
    as_of: str | None,
    db: str | None,
) -> None:
    """Lista a fila de tarefas abertas, da mais urgente para a menos urgente.

    Exemplo:

        carteira tasks list --owner Ana --overdue --format csv
    """
    if owner and mine:
        raise click.UsageError(words.not_both("--owner", "--mine"))
    queue = service.list_tasks(
        db_path_from(ctx),
        as_of=parse_as_of(as_of),
        owner=owner,
        mine=mine,
        when=when,
        limit=limit or None,
        settings=settings_or_fail(),
    )
    _render_queue(queue, fmt)


def _render_queue(queue: pl.DataFrame, fmt: str) -> None:
    named = queue.select([pl.col(k).alias(v) for k, v in QUEUE_COLUMNS.items()])
    if fmt == "json":
        echo_json(named.with_columns(pl.col("vencimento").cast(pl.String)).to_dicts())
        return
    if fmt == "csv":
        echo_csv(named)
        return
    if queue.is_empty():
        click.echo(words.NO_OPEN_TASKS)
        return
    rows = [
        (
            row["id"],
            row["client_name"] or row["external_id"],
            row["title"],
            row["priority"],
            channel_label(row["channel"]),
            row["owner"] or "",
            format_date_br(row["due"].isoformat()),
            _number(row["urgency"]),
        )
        for row in queue.iter_rows(named=True)
    ]
    echo_table(["ID", "Cliente", "Tarefa", "Pri", "Canal", "Responsável", "Vence", "Urg."], rows)


@tasks_group.command("explain")
@click.argument("task_id", type=int)
@format_option
@as_of_option
@db_option
@click.pass_context
def explain_command(
    ctx: click.Context, task_id: int, fmt: str, as_of: str | None, db: str | None
) -> None:
    """Mostra de onde vem a urgência de uma tarefa, termo a termo (peso × fator).

    É a mesma conta da fila (tasks list) e de Hoje (carteira today), no mesmo dia.

    Exemplo:

        carteira tasks explain 42 --format json
    """
    day = parse_as_of(as_of)
    explained = service.explain_task(
        db_path_from(ctx), task_id=task_id, as_of=day, settings=settings_or_fail()
    )
    if fmt == "json":
        echo_json(
            {
                "task_id": task_id,
                "as_of": day.isoformat(),
                "total": round(explained.urgency, 4),
                "terms": [
                    {
                        "name": line.name,
                        "label": line.label,
                        "weight": round(line.weight, 4),
                        "factor": round(line.factor, 4),
                        "value": round(line.value, 4),
                    }
                    for line in explained.lines
                ],
            }
        )
        return
    task = explained.task
    click.echo(words.task_heading(task_id, task["title"], task["client_name"], task["external_id"]))
    click.echo(
        words.task_urgency_heading(
            format_date_br(task["due"]), task["priority"], day.strftime("%d/%m/%Y")
        )
    )
    for line in explained.lines:
        click.echo(
            f"  {line.label:<26} {_number(line.weight):>6} × {format_decimal(line.factor, 3):>5}"
            f" = {_number(line.value):>6}"
        )
    click.echo(f"  {'total':<26} {'':>16}{_number(explained.urgency):>6}")


def _echo_changed(changed: TaskChanged, what: str) -> None:
    click.echo(
        words.task_changed(
            changed.task_id, what, changed.due.strftime("%d/%m/%Y"), changed.owner or "—"
        )
    )


@tasks_group.command("done")
@click.argument("task_id", type=int)
@click.option("--outcome", required=True, metavar="TEXTO", help="Resultado do contato.")
@click.option("--note", metavar="TEXTO", help="Observação.")
@click.option("--follow-up", "follow_up", metavar="QUANDO", help="Criar um retorno nesta data.")
@as_of_option
@db_option
@click.pass_context
def done_command(
    ctx: click.Context,
    task_id: int,
    outcome: str,
    note: str | None,
    follow_up: str | None,
    as_of: str | None,
    db: str | None,
) -> None:
    """Conclui uma tarefa e registra o contato no histórico do cliente.

    Exemplo:

        carteira tasks done 42 --outcome "pedido fechado" --follow-up +30d
    """
    day = parse_as_of(as_of)
    follow = _when(follow_up, day, "--follow-up") if follow_up else None
    changed = service.complete_task(
        db_path_from(ctx),
        task_id=task_id,
        outcome=outcome,
        note=note,
        on=day,
        follow_up=follow,
        settings=settings_or_fail(),
    )
    click.echo(words.task_done(task_id))
    if changed.follow_up_id:
        click.echo(words.follow_up_created(changed.follow_up_id))


@tasks_group.command("snooze")
@click.argument("task_id", type=int)
@click.argument("quando")
@as_of_option
@db_option
@click.pass_context
def snooze_command(
    ctx: click.Context, task_id: int, quando: str, as_of: str | None, db: str | None
) -> None:
    """Adia uma tarefa: amanhã, +3d, +2du, seg/segunda, dd/mm ou dd/mm/aaaa.

    Exemplo:

        carteira tasks snooze 42 segunda
    """
    day = parse_as_of(as_of)
    until = _when(quando, day, "QUANDO")
    changed = service.snooze_task(
        db_path_from(ctx), task_id=task_id, until=until, as_of=day, settings=settings_or_fail()
    )
    _echo_changed(changed, "adiada")


@tasks_group.command("reassign")
@click.argument("task_id", type=int)
@click.argument("owner")
@db_option
@click.pass_context
def reassign_command(ctx: click.Context, task_id: int, owner: str, db: str | None) -> None:
    """Passa uma tarefa para outro responsável.

    Exemplo:

        carteira tasks reassign 42 Bruno
    """
    changed = service.reassign_task(db_path_from(ctx), task_id=task_id, owner=owner)
    _echo_changed(changed, "reatribuída")


@tasks_group.command("cancel")
@click.argument("task_id", type=int)
@click.option("--reason", metavar="TEXTO", help="Motivo do cancelamento.")
@as_of_option
@db_option
@click.pass_context
def cancel_command(
    ctx: click.Context, task_id: int, reason: str | None, as_of: str | None, db: str | None
) -> None:
    """Cancela uma tarefa aberta.

    Exemplo:

        carteira tasks cancel 42 --reason "cliente já atendido"
    """
    service.cancel_task(db_path_from(ctx), task_id=task_id, on=parse_as_of(as_of), reason=reason)
    click.echo(words.task_cancelled(task_id))


@tasks_group.command("add")
@click.argument("client")
@click.argument("title")
@click.option("--due", required=True, metavar="QUANDO", help="Vencimento (amanhã, +3d, dd/mm…).")
@click.option("--owner", metavar="NOME", help="Responsável (padrão: o do cliente).")
@click.option("--priority", type=click.Choice(["H", "M", "L"]), default="M", show_default=True)
@click.option("--channel", metavar="CANAL", help="Canal (email, telefone, whatsapp, sms).")
@click.option("--follow-up-of", "parent_id", type=int, metavar="ID", help="Retorno da tarefa ID.")
@as_of_option
@db_option
@click.pass_context
def add_command(
    ctx: click.Context,
    client: str,
    title: str,
    due: str,
    owner: str | None,
    priority: str,
    channel: str | None,
    parent_id: int | None,
    as_of: str | None,
    db: str | None,
) -> None:
    """Cria uma tarefa manual (ou um retorno) para um cliente, pelo código do cliente.

    Um código unificado a outro cliente (carteira clean) cria a tarefa no cliente que ficou.

    Exemplo:

        carteira tasks add C0042 "Levar catálogo novo" --due sexta --priority H
    """
    day = parse_as_of(as_of)
    db_path = db_path_from(ctx)
    changed = service.add_task(
        db_path,
        client=client,
        title=title,
        due=_when(due, day, "--due"),
        as_of=day,
        settings=settings_or_fail(),
        owner=owner,
        priority=priority,
        channel=channel,
        parent_id=parent_id,
    )
    resolved = resolve_client(db_path, client)
    if resolved is not None and resolved.merged_note:
        click.echo(resolved.merged_note)
    _echo_changed(changed, "criada")
