"""Commands that open the TUI (imported lazily so the CLI stays light)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import db_option, db_path_from


def open_app(db_path: Path) -> None:
    """Run the Textual app on `db_path`; refused, with a message, without a terminal."""
    if not (sys.stdin.isatty() and sys.__stderr__ is not None and sys.__stderr__.isatty()):
        raise click.ClickException(
            "o aplicativo precisa de um terminal (entrada e tela interativas); "
            "para usar em scripts, chame um comando, p.ex. `carteira segment --format csv`"
        )
    from carteira_tui.tui.app import CarteiraApp

    app = CarteiraApp(db_path=db_path, watch_interval=2.0)
    app.first_pane = app.settings.first_pane  # Hoje unless the person's config says otherwise
    app.run()


@main.command("tui")
@db_option
@click.pass_context
def tui(ctx: click.Context, db: str | None) -> None:
    """Abre o aplicativo no banco.

    Exemplo:

        carteira tui --db vendas.db
    """
    open_app(db_path_from(ctx))
