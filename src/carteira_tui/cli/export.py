"""`carteira export`: write the portfolio (or the clients a filter keeps) to CSV, XLSX or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    as_of_option,
    db_option,
    db_path_from,
    force_option,
    parse_as_of,
    plain_option,
    settings_or_fail,
)
from carteira_tui.services.export import export_clients
from carteira_tui.vocab import cli as words


@main.command("export")
@db_option
@click.option("--where", "where", metavar="FILTRO", help="Só os clientes que casam o filtro.")
@click.option("--sort", "sort_column", metavar="COLUNA", help="Ordena por esta coluna.")
@click.option("--desc", "descending", is_flag=True, help="Ordem decrescente.")
@click.option(
    "--output",
    "-o",
    "output",
    required=True,
    metavar="ARQUIVO",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Arquivo de saída: .csv, .xlsx ou .json.",
)
@force_option
@plain_option
@as_of_option
@click.pass_context
def export_command(
    ctx: click.Context,
    db: str | None,
    where: str | None,
    sort_column: str | None,
    descending: bool,
    output: Path,
    force: bool,
    plain: bool,
    as_of: str | None,
) -> None:
    """Exporta os clientes da última segmentação para CSV, XLSX ou JSON.

    O CSV sai com `;`, vírgula decimal e datas dd/mm/aaaa (com --plain: `,`, ponto e
    aaaa-mm-dd); células que começam com = + - @ ganham um apóstrofo (proteção contra
    fórmulas). Um arquivo existente só é substituído com --force.

    Com --as-of, exporta a carteira como estava nessa data (uma consulta: nada é registrado).

    Exemplo:

        carteira export --where "abc = A and status != ativo" --output em_risco.xlsx
    """
    result = export_clients(
        db_path_from(ctx),
        output=output,
        settings=settings_or_fail(),
        where=where,
        sort_column=sort_column,
        descending=descending,
        force=force,
        plain=plain,
        as_of=parse_as_of(as_of) if as_of else None,
    )
    if result.stale:
        click.echo(words.STALE_EXPORT, err=True)
    click.echo(words.exported(result.rows, result.path))
