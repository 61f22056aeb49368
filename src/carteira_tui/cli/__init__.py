"""The `carteira` command line: click commands that parse, call one service and render.

Each command group lives in its own module of this package and registers itself on `main`;
the TUI is imported lazily, only by the commands that open it.
"""

from __future__ import annotations

import click

from carteira_tui import __version__
from carteira_tui.cli import _portuguese
from carteira_tui.cli._common import AppContext, db_option, terminal_safe_output
from carteira_tui.config import SettingsError, load_settings
from carteira_tui.model import terminal_safe
from carteira_tui.services import session
from carteira_tui.store.db import StoreError

_portuguese.install()  # click's usage lines, headings and parse errors in pt-BR


class CarteiraGroup(click.Group):
    """The root group: a database error (read-only, busy) ends any command with its message."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except StoreError as error:
            raise click.ClickException(terminal_safe(str(error))) from error
        except click.ClickException as error:
            if terminal_safe(error.message) != error.message:
                raise click.ClickException(terminal_safe(error.message)) from error
            raise


def _read_only_in_settings() -> bool:
    try:
        return load_settings().read_only
    except SettingsError:
        return False  # the commands that read settings report the bad file themselves


@click.group(
    cls=CarteiraGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@db_option
@click.option(
    "--read-only",
    "read_only",
    is_flag=True,
    envvar="CARTEIRA_READ_ONLY",
    help="Somente leitura: consultar sem alterar nada (também `read_only = true` na configuração).",
)
@click.version_option(__version__, prog_name="carteira")
@click.pass_context
def main(ctx: click.Context, db: str | None, read_only: bool) -> None:
    """carteira: a carteira de clientes no terminal.

    Sem comando, abre o aplicativo no banco (--db, $CARTEIRA_DB ou o padrão do usuário).

    Exemplo:

        carteira --db vendas.db import clients clientes.csv
    """
    was_read_only = session.is_read_only()
    session.set_read_only(read_only or _read_only_in_settings())
    ctx.call_on_close(lambda: session.set_read_only(was_read_only))
    ctx.ensure_object(AppContext)
    if ctx.invoked_subcommand not in (None, "tui"):
        ctx.with_resource(terminal_safe_output())  # Trust: no escape reaches the terminal
    if db:
        ctx.obj.db = db
    if ctx.invoked_subcommand is None:
        from carteira_tui.cli.app import open_app

        open_app(ctx.obj.db_path())


# Command modules register themselves on `main` when imported.
from carteira_tui.cli import app as _app  # noqa: E402,F401
from carteira_tui.cli import audit as _audit  # noqa: E402,F401
from carteira_tui.cli import clean as _clean  # noqa: E402,F401
from carteira_tui.cli import clients as _clients  # noqa: E402,F401
from carteira_tui.cli import demo as _demo  # noqa: E402,F401
from carteira_tui.cli import export as _export  # noqa: E402,F401
from carteira_tui.cli import forecast as _forecast  # noqa: E402,F401
from carteira_tui.cli import imports as _imports  # noqa: E402,F401
from carteira_tui.cli import maintenance as _maintenance  # noqa: E402,F401
from carteira_tui.cli import owners as _owners  # noqa: E402,F401
from carteira_tui.cli import plans as _plans  # noqa: E402,F401
from carteira_tui.cli import privacy as _privacy  # noqa: E402,F401
from carteira_tui.cli import segmentation as _segmentation  # noqa: E402,F401
from carteira_tui.cli import settings as _settings  # noqa: E402,F401
from carteira_tui.cli import tasks as _tasks  # noqa: E402,F401
from carteira_tui.cli import today as _today  # noqa: E402,F401
from carteira_tui.cli import watch as _watch  # noqa: E402,F401

_portuguese.translate_metavars(main)
