"""`carteira plans list|add|edit|delete`: the action plans that turn segments, dates and
cadences into tasks, kept as data in the database."""

from __future__ import annotations

from typing import Any

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    db_option,
    db_path_from,
    echo_csv,
    echo_json,
    echo_table,
    format_option,
)
from carteira_tui.services import plans as service
from carteira_tui.vocab import cli as words


@main.group("plans")
def plans_group() -> None:
    """Planos de ação: o que cada segmento, data ou cadência vira na fila.

    Exemplo:

        carteira plans add natal_vip --title "Feliz Natal" --trigger data --value natal --lead 5
    """


def _fields(**given: Any) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v is not None}


plan_options = [
    click.option("--title", metavar="TEXTO", help="Título da tarefa."),
    click.option(
        "--trigger",
        metavar="GATILHO",
        help="status, segment, recompra, esfriando, aniversario, inadimplente, cadencia ou data.",
    ),  # fmt: skip
    click.option("--value", metavar="VALOR", help="Status, segmento ou data (natal, dd/mm…)."),
    click.option("--kind", metavar="TIPO", help="Tipo da tarefa (padrão: o código)."),
    click.option("--priority", type=click.Choice(["H", "M", "L"]), help="Prioridade."),
    click.option("--channel", metavar="CANAL", help="Canal sugerido (WhatsApp, telefone…)."),
    click.option("--lead", "due_offset", type=int, help="Dias úteis de antecedência/prazo."),
    click.option("--cooldown", "cooldown_days", type=int, help="Dias sem repetir após concluir."),
    click.option("--abc", metavar="CLASSES", help="Só estas classes ABC (ex.: A,B)."),
]


def _with_plan_options(command: Any) -> Any:
    for option in reversed(plan_options):
        command = option(command)
    return command


@plans_group.command("list")
@format_option
@db_option
@click.pass_context
def list_command(ctx: click.Context, fmt: str, db: str | None) -> None:
    """Lista os planos de ação.

    Exemplo:

        carteira plans list --format json
    """
    frame = service.list_plans(db_path_from(ctx))
    if fmt == "json":
        echo_json(frame.to_dicts())
        return
    if fmt == "csv":
        echo_csv(frame)  # the one CSV convention, formula cells neutralised
        return
    echo_table(
        ["código", "título", "gatilho", "valor", "P", "canal", "prazo", "ativo"],
        [
            [
                r["code"],
                r["title"],
                r["trigger"],
                r["value"] or "",
                r["priority"],
                r["channel"] or "",
                r["due_offset"],
                "sim" if r["active"] else "não",
            ]
            for r in frame.iter_rows(named=True)
        ],
    )


@plans_group.command("add")
@click.argument("code")
@_with_plan_options
@db_option
@click.pass_context
def add_command(ctx: click.Context, /, code: str, db: str | None, **options: Any) -> None:
    """Cria um plano de ação.

    Exemplo:

        carteira plans add maes --title "Dia das Mães" --trigger data --value dia_das_maes --lead 3
    """
    fields = _fields(**options)
    title, trigger = fields.pop("title", None), fields.pop("trigger", None)
    if not title or not trigger:
        raise click.UsageError(words.PLAN_NEEDS)
    plan = service.add_plan(db_path_from(ctx), code=code, title=title, trigger=trigger, **fields)
    click.echo(words.plan_created(plan["code"], plan["title"]))


@plans_group.command("edit")
@click.argument("code")
@_with_plan_options
@click.option("--active/--inactive", default=None, help="Ativar ou desativar.")
@db_option
@click.pass_context
def edit_command(ctx: click.Context, /, code: str, db: str | None, **options: Any) -> None:
    """Altera um plano de ação (só o que for informado).

    Exemplo:

        carteira plans edit recompra --priority H --lead 1
    """
    fields = _fields(**options)
    if "active" in fields:
        fields["active"] = int(fields["active"])
    plan = service.edit_plan(db_path_from(ctx), code, **fields)
    click.echo(words.plan_edited(plan["code"]))


@plans_group.command("delete")
@click.argument("code")
@db_option
@click.pass_context
def delete_command(ctx: click.Context, code: str, db: str | None) -> None:
    """Apaga um plano (ou o desativa, se já gerou tarefas).

    Exemplo:

        carteira plans delete natal_vip
    """
    deleted = service.delete_plan(db_path_from(ctx), code)
    click.echo(words.plan_deleted(code, deleted))
