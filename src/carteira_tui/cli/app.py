"""Commands that open the TUI (imported lazily so the CLI stays light)."""

from __future__ import annotations

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import db_option, db_path_from, open_app

__all__ = ["open_app", "tui"]


@main.command("tui")
@db_option
@click.pass_context
def tui(ctx: click.Context, db: str | None) -> None:
    """Abre o aplicativo no banco.

    Exemplo:

        carteira tui --db vendas.db
    """
    open_app(db_path_from(ctx))
