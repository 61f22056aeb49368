"""The `carteira` command line: click commands that parse, call one service and render.

The root group loads its commands lazily (click's LazyGroup pattern): `COMMANDS` maps each
command's name to the `module:attribute` that defines it and its one-line help, and a module is
imported only when its command runs. So `carteira --help`, a mistyped command or an error in the
options never import Polars, the store or Textual. Adding a command is one line in `COMMANDS`.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
from typing import NamedTuple

import click

from carteira_tui import __version__
from carteira_tui.cli import _portuguese
from carteira_tui.cli._common import AppContext, db_option, open_app, terminal_safe_output
from carteira_tui.config import SettingsError, load_settings
from carteira_tui.errors import CarteiraError
from carteira_tui.terminal import terminal_safe

_portuguese.install()  # click's usage lines, headings and parse errors in pt-BR


class LazyCommand(NamedTuple):
    """Where a command is defined (`module:attribute`) and the line `--help` lists for it."""

    target: str
    short_help: str


COMMANDS: dict[str, LazyCommand] = {
    "tui": LazyCommand("app:tui", "Abre o aplicativo no banco."),
    "demo": LazyCommand("demo:demo_command", "Monta um banco com a carteira de exemplo e o abre."),
    "import": LazyCommand("imports:import_command", "Importa clientes, pedidos ou interações."),
    "export": LazyCommand("export:export_command", "Exporta os clientes para CSV, XLSX ou JSON."),
    "client": LazyCommand("clients:client_group", "A ficha de um cliente e as ações sobre ele."),
    "clean": LazyCommand("clean:clean_command", "Limpeza: duplicados, campos inválidos, parados."),
    "segment": LazyCommand("segmentation:segment_command", "Segmenta a carteira (RFM, ABC…)."),
    "board": LazyCommand("board:board_command", "Quadro dos segmentos e status."),
    "explain": LazyCommand("segmentation:explain_command", "Explica os números de um cliente."),
    "segments": LazyCommand("segmentation:segments_group", "Segmentos nomeados: lista e edita."),
    "config": LazyCommand("settings:config_group", "Configurações: mostra e altera."),
    "plans": LazyCommand("plans:plans_group", "Planos de ação: lista, cria, edita e apaga."),
    "today": LazyCommand("today:today_command", "Hoje: quem contatar hoje, e por quê."),
    "whoami": LazyCommand("today:whoami_command", 'Quem é "eu" nesta carteira.'),
    "forecast": LazyCommand("forecast:forecast_command", "Previsão de compras e valor."),
    "tasks": LazyCommand("tasks:tasks_group", "Tarefas: a fila do dia dos planos de ação."),
    "owners": LazyCommand("owners:owners_group", "Responsáveis: capacidade e segmentos."),
    "assign": LazyCommand("owners:assign_command", "Dá um responsável a quem não tem."),
    "pin": LazyCommand("owners:pin_command", "Fixa um cliente no responsável atual."),
    "unpin": LazyCommand("owners:unpin_command", "Libera um cliente fixado para o giro."),
    "watch": LazyCommand("watch:watch_command", "Quem mudou de status, segmento ou classe ABC."),
    "alerts": LazyCommand("watch:alerts_command", "Lista os alertas da carteira."),
    "audit": LazyCommand("audit:audit_command", "Trilha de auditoria: quem alterou o quê."),
    "privacy": LazyCommand("privacy:privacy_group", "LGPD: exportar ou apagar uma pessoa."),
    "backup": LazyCommand("maintenance:backup_command", "Copia o banco com segurança."),
    "restore": LazyCommand("maintenance:restore_command", "Restaura o banco de uma cópia."),
    "check": LazyCommand("maintenance:check_command", "Verifica a integridade do banco."),
}
"""Every command of the root group: name → where it lives in `carteira_tui.cli` and its help."""


def load_command(target: str) -> click.Command:
    """Import `module:attribute` (a module of this package) and return its click command."""
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    command = getattr(module, attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a click command")
    _portuguese.translate_metavars(command)
    return command


CRASH_EXIT_CODE = 70
"""Exit code of an unexpected failure (sysexits' EX_SOFTWARE); the product's errors exit 1."""


class CarteiraGroup(click.Group):
    """The root group: commands loaded on use; any `CarteiraError` ends a command with its
    message and hint (the one place the CLI turns the product's errors into exit code 1), and
    any other exception — a crash — with a short pt-BR message naming the command and the
    private log that holds the traceback (`crash_log`), never the traceback itself."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        lazy = COMMANDS.get(cmd_name)
        return None if lazy is None else load_command(lazy.target)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with the help kept in `COMMANDS`, importing none of them."""
        rows = []
        for name in self.list_commands(ctx):
            lazy = COMMANDS.get(name)
            if lazy is not None:
                rows.append((name, lazy.short_help))
            elif not self.commands[name].hidden:
                rows.append((name, self.commands[name].get_short_help_str(limit=70)))
        if rows:
            with formatter.section(_portuguese.gettext("Commands")):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except CarteiraError as error:
            raise click.ClickException(terminal_safe(error.describe())) from error
        except click.ClickException as error:
            if terminal_safe(error.message) != error.message:
                raise click.ClickException(terminal_safe(error.message)) from error
            raise
        except (click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # click's own ways out, and a closed pipe (`| head`), which click handles
        except Exception as error:  # a crash: details to the private log, a sentence here
            from carteira_tui.crash_log import report_crash

            click.echo(terminal_safe(report_crash(error)), err=True)
            raise click.exceptions.Exit(CRASH_EXIT_CODE) from error


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
    wanted = read_only or _read_only_in_settings()
    # The store loads only when needed: it starts writable, so a command that never opens a
    # database (config, help) never pays for importing it.
    if wanted or "carteira_tui.store.db" in sys.modules:
        from carteira_tui.services import session

        was_read_only = session.is_read_only()
        session.set_read_only(wanted)
        ctx.call_on_close(lambda: session.set_read_only(was_read_only))
    ctx.ensure_object(AppContext)
    if ctx.invoked_subcommand not in (None, "tui"):
        ctx.with_resource(terminal_safe_output())  # Trust: no escape reaches the terminal
    if db:
        ctx.obj.db = db
    if ctx.invoked_subcommand is None:
        open_app(ctx.obj.db_path())


_portuguese.translate_metavars(main)


def run() -> None:
    """The `carteira` command: `main`, then out of the process at once.

    Python's own shutdown (every module torn down, every object freed) took ~80 ms after an
    import that re-segments a million clients, time a person waits for the prompt. When the
    command has finished, nothing is left for it: files are closed and replaced, connections
    closed, threads joined. The exit handlers still run (temporary folders are removed) and the
    output is flushed before the process ends with the command's exit code.
    """
    code: int | str | None = 0
    try:
        main()
    except SystemExit as end:
        code = end.code
    if isinstance(code, str):  # what sys.exit("…") does: the text on stderr, status 1
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe (`| head`) or stream: nothing more can be written to it
    os._exit(code or 0)
