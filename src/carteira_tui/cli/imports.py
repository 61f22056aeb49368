"""`carteira import clients|orders|interactions FILE`: the importer on the command line."""

from __future__ import annotations

from pathlib import Path

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    as_of_option,
    db_option,
    db_path_from,
    fail,
    parse_as_of,
    settings_or_fail,
)
from carteira_tui.config import Settings
from carteira_tui.services.imports import KINDS, import_and_segment
from carteira_tui.vocab import cli as words

MAX_ERRORS_SHOWN = 50


def _parse_mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise click.BadParameter(words.expected_mapping(pair), param_hint="--map")
        mapping[column.strip()] = target.strip()
    return mapping


@main.command("import")
@click.argument("kind", type=click.Choice(KINDS), metavar="clients|orders|interactions")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--sheet", metavar="ABA", help="Aba da planilha XLSX (padrão: a primeira).")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUNA=campo",
    help="Liga uma coluna do arquivo a um campo (pode repetir).",
)
@click.option("--skip-bad", is_flag=True, help="Importa as linhas boas e separa as rejeitadas.")
@click.option(
    "--rejects",
    "rejects",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Onde gravar as linhas rejeitadas (padrão: <arquivo>.rejeitados.csv).",
)
@click.option("--dry-run", is_flag=True, help="Só confere o arquivo, sem gravar nada.")
@click.option("--force", is_flag=True, help="Substituir o arquivo de --rejects se já existir.")
@click.option(
    "--segment/--no-segment",
    default=True,
    show_default=True,
    help="Ressegmentar a carteira depois de importar clientes ou pedidos.",
)
@as_of_option
@db_option
@click.pass_context
def import_command(
    ctx: click.Context,
    kind: str,
    file: Path,
    sheet: str | None,
    mapping: tuple[str, ...],
    skip_bad: bool,
    rejects: Path | None,
    dry_run: bool,
    force: bool,
    segment: bool,
    as_of: str | None,
    db: str | None,
) -> None:
    """Importa clientes, pedidos ou interações de um CSV ou XLSX.

    Aceita `;` ou `,`, UTF-8 ou Windows (cp1252), vírgula decimal, R$, datas dd/mm/aaaa e
    cabeçalhos em português ou inglês. Clientes são atualizados pelo código; pedidos e
    interações apontam para o código do cliente. Qualquer linha ruim cancela tudo, a menos que
    se use --skip-bad.

    Exemplo:

        carteira import orders pedidos.csv --map "Nº NF=external_id" --skip-bad
    """
    settings = settings_or_fail() if segment else Settings()
    outcome = import_and_segment(
        db_path_from(ctx),
        kind,
        file,
        as_of=parse_as_of(as_of),
        settings=settings,
        segment=segment,
        sheet=sheet,
        mapping=_parse_mapping(mapping),
        skip_bad=skip_bad,
        rejects_path=rejects,
        dry_run=dry_run,
        force=force,
    )
    report = outcome.report
    for row_error in report.errors[:MAX_ERRORS_SHOWN]:
        click.echo(str(row_error), err=True)
    hidden = len(report.errors) - MAX_ERRORS_SHOWN
    if hidden > 0:
        click.echo(words.more_problems(hidden), err=True)
    for note in report.notes:
        click.echo(note)
    if report.rejects_path is not None:
        click.echo(words.rejects_written(report.rejects_path))
    click.echo(report.summary)
    if report.errors and not skip_bad:
        fail(words.NOTHING_IMPORTED, code=1)
    # The summary line ends the import on stdout; the re-segmentation is reported on stderr.
    if outcome.run is not None:
        click.echo(outcome.run.describe(), err=True)
