"""`carteira backup`, `carteira restore`, `carteira check`."""

from __future__ import annotations

from pathlib import Path

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import db_option, db_path_from, fail
from carteira_tui.services import maintenance
from carteira_tui.vocab import cli as words


@main.command("backup")
@click.argument("target", required=False, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Substituir TARGET se já existir.")
@db_option
@click.pass_context
def backup_command(ctx: click.Context, target: Path | None, force: bool, db: str | None) -> None:
    """Copia o banco com segurança, mesmo com outras pessoas usando.

    Exemplo:

        carteira backup copia-segunda.db
    """
    done = maintenance.backup(db_path_from(ctx), target, force=force)
    click.echo(words.backup_saved(done.path, f"{done.size_bytes / 1024:,.0f}".replace(",", ".")))


@main.command("restore")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Não pedir confirmação.")
@db_option
@click.pass_context
def restore_command(ctx: click.Context, source: Path, yes: bool, db: str | None) -> None:
    """Restaura o banco a partir de uma cópia (verifica a integridade antes).

    O banco atual é guardado numa cópia de segurança antes de ser substituído.

    Exemplo:

        carteira restore copia-segunda.db --yes
    """
    db_path = db_path_from(ctx)
    if not yes:
        click.confirm(words.replace_question(db_path, source), abort=True)
    maintenance.restore(db_path, source)
    click.echo(words.restored(db_path, source))


@main.command("check")
@db_option
@click.pass_context
def check_command(ctx: click.Context, db: str | None) -> None:
    """Verifica a integridade do banco e as regras do aplicativo.

    Exemplo:

        carteira check --db vendas.db
    """
    report = maintenance.check(db_path_from(ctx))
    for line in report.integrity:
        click.echo(f"integridade: {line}")
    for name, count in report.violations.items():
        click.echo(f"{name}: {count}")
    if not report.ok:
        fail(words.PROBLEMS_FOUND, 1)
    if report.results == "em dia" or report.results.startswith("atrás"):
        click.echo(words.database_sound(report.schema_version))
        click.echo(words.kept_results(report.results))
        return
    click.echo(words.data_sound(report.schema_version))
    click.echo(words.kept_results_unused(report.results))
