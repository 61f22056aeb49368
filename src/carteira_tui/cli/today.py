"""`carteira today` (the morning queue: one row per client, why and on which channel) and
`carteira whoami` (which owner "me" is).

Neither loads Polars, sqlite-utils or Textual (the queue is one query and plain Python,
`services.today`): the morning question is answered in a fraction of a second."""

from __future__ import annotations

from collections.abc import Sequence

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
from carteira_tui.engine.today import CADENCE_LABELS
from carteira_tui.model import CHANNEL_LABELS, format_decimal
from carteira_tui.services.me import MeUnknown, resolve_me
from carteira_tui.services.today import TaskError, TodayQueue, local_today, today_queue
from carteira_tui.vocab import cli as words


def today_json(queue: TodayQueue) -> list[dict[str, object]]:
    """The queue's rows as `carteira today --format json` prints them."""
    return [
        {
            "client_id": row.external_id,
            "name": row.name,
            "owner": row.owner,
            "urgency": round(row.urgency, 4),
            "channel": row.channel,
            "why": row.why,
            "cadence": row.cadence,
            "tasks": [
                {"id": task.id, "kind": task.kind, "title": task.title, "due": task.due.isoformat()}
                for task in row.tasks
            ],
        }
        for row in queue.items
    ]


def _typed_csv(headers: list[str], rows: Sequence[tuple[object, ...]]) -> object:
    """The CSV's rows as a frame with `urgency` a number (written with a decimal comma)."""
    import polars as pl  # only the CSV output needs it

    schema = {name: (pl.Float64() if name == "urgency" else pl.String()) for name in headers}
    return pl.DataFrame(rows, schema=schema, orient="row")


@main.command("today")
@click.option("--mine", is_flag=True, help='Só os meus clientes ("eu": veja carteira whoami).')
@click.option("--owner", metavar="NOME", help="Só os clientes deste responsável.")
@click.option(
    "--limit", type=int, default=50, show_default=True, help="Máximo de linhas (0 = todas)."
)
@format_option
@as_of_option
@db_option
@click.pass_context
def today_command(
    ctx: click.Context,
    mine: bool,
    owner: str | None,
    limit: int,
    fmt: str,
    as_of: str | None,
    db: str | None,
) -> None:
    """Hoje: quem contatar, por quê e por qual canal — um cliente por linha, do mais urgente.

    Exemplo:

        CARTEIRA_USER="Antônia Silva" carteira today --mine --format json
    """
    if mine and owner:
        raise click.UsageError(words.not_both("--mine", "--owner"))
    settings = settings_or_fail()
    try:
        queue = today_queue(
            db_path_from(ctx),
            as_of=parse_as_of(as_of) if as_of else local_today(settings),
            settings=settings,
            owner=owner,
            mine=mine,
            limit=limit or None,
        )
    except TaskError as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        echo_json(today_json(queue))
        return
    if fmt == "csv":
        titles = [" | ".join(task.title or "" for task in row.tasks) for row in queue.items]
        headers = ["client_id", "name", "owner", "urgency", "channel", "why", "cadence", "tasks"]
        lines = [
            (row.external_id, row.name, row.owner, round(row.urgency, 2), row.channel, row.why)
            + (row.cadence, joined)
            for row, joined in zip(queue.items, titles, strict=True)
        ]
        echo_csv(_typed_csv(headers, lines))  # the one CSV convention, formula cells neutralised
        return
    day = queue.as_of.strftime("%d/%m/%Y")
    who = words.whose(queue.owner)
    if not queue.items:
        click.echo(words.nothing_today(who, day))
        return
    progress = f" · {queue.progress()}" if queue.progress() else ""
    click.echo(words.today_heading(who, day, queue.clients, progress))
    rows = [
        (
            row.external_id,
            row.name,
            format_decimal(row.urgency, 2),
            CHANNEL_LABELS.get(row.channel or "", "—"),
            CADENCE_LABELS.get(row.cadence or "", "—"),
            " | ".join(task.title or "" for task in row.tasks),
            row.why,
        )
        for row in queue.items
    ]
    echo_table(words.TODAY_HEADERS, rows, right=[2])


@main.command("whoami")
@db_option
@click.pass_context
def whoami_command(ctx: click.Context, db: str | None) -> None:
    """Mostra qual responsável é "eu" (para --mine e a tecla m do app) e de onde veio.

    Ordem: $CARTEIRA_USER, `me` no arquivo de configuração, o login do sistema.

    Exemplo:

        carteira whoami
    """
    try:
        me = resolve_me(db_path_from(ctx), settings=settings_or_fail())
    except MeUnknown as error:
        raise click.ClickException(str(error)) from error
    sources = {**words.ME_SOURCES, "login": words.me_from_login(me.login)}
    click.echo(f"{me.name} ({sources[me.source]})")
