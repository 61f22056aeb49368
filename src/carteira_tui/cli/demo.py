"""`carteira demo`: the sample portfolio, in a database of its own, opened in the app."""

from __future__ import annotations

from pathlib import Path

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import db_option, db_path_from, settings_or_fail
from carteira_tui.model import STATUS_LABELS, cents_to_brl
from carteira_tui.services import demo
from carteira_tui.vocab import cli as words


@main.command("demo")
@click.option("--no-ui", is_flag=True, help="Só montar o banco e imprimir o resumo (para scripts).")
@click.option("--rebuild", is_flag=True, help="Apagar o banco de demonstração e montá-lo de novo.")
@db_option
@click.pass_context
def demo_command(ctx: click.Context, no_ui: bool, rebuild: bool, db: str | None) -> None:
    """Monta um banco com a carteira de exemplo (sample_data/) e abre o aplicativo nele.

    Exemplo:

        carteira demo --db demo.db --no-ui
    """
    db_path = db_path_from(ctx) if db or ctx.obj.db else Path("carteira-demo.db")
    settings = settings_or_fail()

    def progress(message: str, _fraction: float) -> None:
        click.echo(f"… {message}", err=True)

    summary = demo.build_demo(db_path, settings=settings, rebuild=rebuild, on_progress=progress)
    if no_ui:
        click.echo(f"banco: {summary.db_path}")
        click.echo(words.demo_as_of(f"{summary.as_of:%d/%m/%Y}"))
        click.echo(
            words.demo_counts(
                f"{summary.clients:,}".replace(",", "."),
                f"{summary.orders:,}".replace(",", "."),
                cents_to_brl(summary.revenue_cents),
            )
        )
        for status, count in summary.by_status.items():
            click.echo(f"  {STATUS_LABELS.get(status, status)}: {count}")
        click.echo(words.demo_tasks(summary.tasks_created))
        return
    from carteira_tui.cli.app import open_app

    open_app(db_path)
